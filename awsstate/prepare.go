package awsstate

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/airlock-ops/airlock/model"
)

// Prepared is an intent judged against facts fetched for it a moment ago:
// what the confirmation screen shows (Verdict: refusals or the phrase,
// the fresh facts, every change from what was seen), and what Execute
// needs to judge it again.
type Prepared struct {
	Verdict model.Verdict
	// Seen is what the operator was looking at when they asked; the audit
	// log records it beside the fresh facts.
	Seen   model.Seen
	Policy model.Policy
}

// Prepare fetches the caller's identity and the intent's targets again,
// by ID or by cluster tag, never the whole account, and asks model.Judge
// for a verdict. The error is non-nil only when the facts could not be
// fetched (phrased for an operator); a refusal is a Verdict, not an error.
func (c *Client) Prepare(ctx context.Context, in model.Intent, seen model.Seen, p model.Policy) (Prepared, error) {
	f, err := c.facts(ctx, in, seen)
	if err != nil {
		return Prepared{Seen: seen, Policy: p}, err
	}
	return Prepared{Verdict: model.Judge(in, seen, f, p), Seen: seen, Policy: p}, nil
}

// EC2 limits that shape the target fetches.
const (
	// filterValues is how many values AWS accepts in one filter.
	filterValues = 200
	// statusIDs is how many InstanceIds DescribeInstanceStatus accepts.
	statusIDs = 100
	// attributeWorkers bounds the DescribeInstanceAttribute calls in
	// flight (one per instance): enough to judge a cluster quickly, few
	// enough to stay far from the throttle.
	attributeWorkers = 4
	// maxAttributeReads caps those calls per judgement at one burst of
	// EC2's throttle for the action (100), so that judging a very large
	// cluster twice (Prepare, then Execute) cannot starve the dashboard.
	maxAttributeReads = 100
)

// facts fetches what Judge needs about in's targets (see model.Facts). seen
// decides which targets the operator meant, including instances it showed
// in a cluster that has changed since.
//
// Two rounds of parallel calls:
//
//  1. the identity; every Elastic IP in the region; the instances named or
//     shown; the cluster's members now, by tag; for a move, the
//     destination's members.
//  2. the instances the EIPs are on, where not fetched already, so every
//     EIP's cluster is known (which cluster is LIVE, where a target EIP
//     went); for terminate and stop, each target's protection attribute;
//     for a move, the destination's status checks.
//
// All EIPs, because DescribeAddresses is one unpaginated call bounded by
// the account's EIP quota, and only the complete list answers "does this
// instance hold an EIP" and "is that cluster LIVE" without a gap.
// Instances, which can number tens of thousands, are fetched only by ID or
// by cluster tag. IDs go through the instance-id filter rather than the
// InstanceIds list: a list fails the whole call with NotFound when one
// target is gone, where a filter leaves it out, which is the fact Judge
// needs ("instance i-1 no longer exists") and what a switched account
// looks like too.
func (c *Client) facts(ctx context.Context, in model.Intent, seen model.Seen) (model.Facts, error) {
	if groupAction(in.Action) || serviceAction(in.Action) {
		return c.scalingFacts(ctx, in) // scaling.go
	}
	f := model.Facts{
		Region:     c.region,
		FetchedAt:  time.Now(),
		ClusterTag: c.tagKey(),
		Statuses:   map[string]model.InstanceStatus{},
		Protection: map[string]model.Protection{},
	}
	instanceAction := in.Action == model.ActionTerminate || in.Action == model.ActionStop
	move := in.Action == model.ActionMoveEIPs && in.DestCluster != ""

	ids := slices.Clone(in.InstanceIDs)
	if instanceAction && in.ClusterWide() {
		for id, cluster := range seen.Clusters {
			if cluster == in.Cluster {
				ids = append(ids, id)
			}
		}
	}

	var named, members, dest []model.Instance
	var errs [5]error
	var wg sync.WaitGroup
	wg.Go(func() { f.Identity, errs[0] = c.identity(ctx) })
	wg.Go(func() { f.Addresses, errs[1] = c.addresses(ctx, &ec2.DescribeAddressesInput{}) })
	wg.Go(func() { named, errs[2] = c.instancesByID(ctx, ids) })
	if in.ClusterWide() {
		wg.Go(func() { members, errs[3] = c.instancesInCluster(ctx, in.Cluster) })
	}
	if move {
		wg.Go(func() { dest, errs[4] = c.instancesInCluster(ctx, in.DestCluster) })
	}
	wg.Wait()
	if err := firstError(errs[:]...); err != nil {
		return f, err
	}

	// Everything already fetched, destination included, so that no
	// instance is fetched twice.
	fetched := mergeInstances(named, members, dest)
	var holders []string
	for _, a := range f.Addresses {
		if a.InstanceID != "" && !slices.ContainsFunc(fetched, func(i model.Instance) bool { return i.ID == a.InstanceID }) {
			holders = append(holders, a.InstanceID)
		}
	}
	var onHolders []model.Instance
	targets := mergeInstances(named, members)
	wg.Go(func() { onHolders, errs[0] = c.instancesByID(ctx, holders) })
	if instanceAction {
		wg.Go(func() { f.Protection, f.ProtectionUnread, errs[1] = c.protection(ctx, in.Action, targets) })
	}
	if move {
		wg.Go(func() { errs[2] = c.statusesOf(ctx, instanceIDs(dest), f.Statuses) })
	}
	if instanceAction {
		// Not needed by Judge, but the confirmation shows the targets'
		// checks: a half-failed cluster (S2) should look like one. Only
		// for show, so a failure here leaves the checks unknown rather
		// than failing the preparation.
		wg.Go(func() { _ = c.statusesOf(ctx, instanceIDs(targets), f.Statuses) })
		// The Auto Scaling groups of the targets decide whether a stop
		// would be undone by a replacement (model.RuleGroupMember).
		wg.Go(func() { f.Groups, f.GroupsUnread = c.groupsOf(ctx, targets) })
	}
	if in.Action == model.ActionTerminate {
		// What goes with the instances (S6): only warnings come of it,
		// so a failure is recorded, not fatal.
		wg.Go(func() {
			st, err := c.StorageOf(ctx, instanceIDs(targets))
			f.Volumes, f.Snapshots = st.Volumes, st.Snapshots
			if err != nil {
				f.Volumes, f.Snapshots, f.StorageUnread = nil, nil, ShortReason(err)
			}
		})
	}
	wg.Wait()
	if err := firstError(errs[:3]...); err != nil {
		return f, err
	}

	// A destination member that also holds one of the EIPs is listed once,
	// among the destination's.
	f.Instances = slices.DeleteFunc(mergeInstances(targets, onHolders), func(i model.Instance) bool {
		return slices.ContainsFunc(dest, func(d model.Instance) bool { return d.ID == i.ID })
	})
	f.DestInstances = dest
	return f, nil
}

// groupsOf reads the Auto Scaling groups the instances say they belong
// to (model.GroupTag), by name. A group AWS does not know any more is
// recorded with no members, so its former members count as detached; a
// group that could not be read is recorded with why, which Judge treats
// as unknown, not as "will not be replaced".
func (c *Client) groupsOf(ctx context.Context, ins []model.Instance) (map[string]model.Group, map[string]string) {
	var names []string
	for _, in := range ins {
		if g := in.Tags.Get(model.GroupTag); g != "" {
			names = append(names, g)
		}
	}
	names = uniq(names)
	if len(names) == 0 {
		return nil, nil
	}
	groups, err := c.groups(ctx, names...)
	if err != nil {
		why := ShortReason(err)
		unread := make(map[string]string, len(names))
		for _, n := range names {
			unread[n] = why
		}
		return nil, unread
	}
	out := make(map[string]model.Group, len(names))
	for _, n := range names {
		out[n] = model.Group{Name: n}
	}
	for _, g := range groups {
		out[g.Name] = g
	}
	return out, nil
}

// firstError returns the first non-nil error, phrased for an operator.
// The calls of one round fail together more often than not (expired
// credentials, a dead endpoint), and one line says it.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return explained(err)
		}
	}
	return nil
}

// instancesByID fetches instances by ID through the instance-id filter,
// in chunks of the filter's limit. Missing IDs are simply absent.
func (c *Client) instancesByID(ctx context.Context, ids []string) ([]model.Instance, error) {
	var out []model.Instance
	for chunk := range slices.Chunk(uniq(ids), filterValues) {
		got, err := c.instances(ctx, &ec2.DescribeInstancesInput{
			Filters:    []types.Filter{{Name: aws.String("instance-id"), Values: chunk}},
			MaxResults: aws.Int32(pageSize),
		}, nil, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// instancesInCluster fetches the instances tagged as members of cluster
// now, whatever the screen showed. cluster is the tag's raw value, matched
// exactly: "blue" never returns instances tagged "blue\u200b". Only
// those whose tag equals it are kept, in case the endpoint matches more
// loosely than EC2 (which compares filter values case-sensitively, with
// its wildcards escaped here).
func (c *Client) instancesInCluster(ctx context.Context, cluster string) ([]model.Instance, error) {
	key := c.tagKey()
	got, err := c.instances(ctx, &ec2.DescribeInstancesInput{
		Filters:    []types.Filter{{Name: aws.String("tag:" + key), Values: []string{literalFilterValue(cluster)}}},
		MaxResults: aws.Int32(pageSize),
	}, nil, nil)
	return slices.DeleteFunc(got, func(in model.Instance) bool { return in.Tags.Get(key) != cluster }), err
}

// literalFilterValue escapes EC2's filter wildcards so that value matches
// only itself: in a filter value "*" matches any run of characters, "?"
// one, and a backslash escapes either (Amazon EC2 User Guide, "List and
// filter using the CLI and API"; the sim matches the same way, see
// wildcard in awsstate/sim/params.go). A cluster named "blue*" must not
// reach into every cluster whose name starts with blue.
func literalFilterValue(value string) string {
	if !strings.ContainsAny(value, `*?\`) {
		return value
	}
	var b strings.Builder
	for _, r := range value {
		if r == '*' || r == '?' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// addressesByKey fetches addresses by model.AddressKey: allocation IDs
// through the allocation-id filter, bare public IPs (addresses without an
// allocation ID) through public-ip.
func (c *Client) addressesByKey(ctx context.Context, keys []string) ([]model.Address, error) {
	var allocs, ips []string
	for _, k := range uniq(keys) {
		if strings.HasPrefix(k, "eipalloc-") {
			allocs = append(allocs, k)
		} else {
			ips = append(ips, k)
		}
	}
	a, err := c.addressesWhere(ctx, "allocation-id", allocs)
	if err != nil {
		return nil, err
	}
	b, err := c.addressesWhere(ctx, "public-ip", ips)
	return append(a, b...), err
}

// addressesOn fetches the addresses associated with any of the instances.
func (c *Client) addressesOn(ctx context.Context, instanceIDs []string) ([]model.Address, error) {
	return c.addressesWhere(ctx, "instance-id", instanceIDs)
}

// addressesWhere is DescribeAddresses with one filter, in chunks; no values
// means no call (an empty filter would match the whole account).
func (c *Client) addressesWhere(ctx context.Context, filter string, values []string) ([]model.Address, error) {
	var out []model.Address
	for chunk := range slices.Chunk(uniq(values), filterValues) {
		got, err := c.addresses(ctx, &ec2.DescribeAddressesInput{
			Filters: []types.Filter{{Name: aws.String(filter), Values: chunk}},
		})
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// statusesOf fetches the status checks of the given instances into into.
func (c *Client) statusesOf(ctx context.Context, ids []string, into map[string]model.InstanceStatus) error {
	for chunk := range slices.Chunk(uniq(ids), statusIDs) {
		err := c.statuses(ctx, &ec2.DescribeInstanceStatusInput{
			InstanceIds:         chunk,
			IncludeAllInstances: aws.Bool(true),
		}, into)
		if err != nil {
			return err
		}
	}
	return nil
}

// protection reads the one protection attribute the action runs into:
// disableApiTermination for terminate, disableApiStop for stop. Instances
// already terminated are skipped (nothing will be done to them).
//
// Where it cannot read the attribute (access denied to
// DescribeInstanceAttribute, or beyond maxAttributeReads instances) it
// says why in unread, and model.Judge refuses: unknown is not "off". AWS
// enforces the attribute on the call itself, but the operator would have
// confirmed a plan whose safety catch nobody looked at.
func (c *Client) protection(ctx context.Context, action model.ActionKind, instances []model.Instance) (prot map[string]model.Protection, unread map[string]string, err error) {
	attr := types.InstanceAttributeNameDisableApiTermination
	if action == model.ActionStop {
		attr = types.InstanceAttributeNameDisableApiStop
	}
	var (
		mu   sync.Mutex
		out  = map[string]model.Protection{}
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, attributeWorkers)
	)
	unread = map[string]string{}
	reads := 0
	for _, in := range instances {
		if in.State == model.StateTerminated {
			continue
		}
		if reads == maxAttributeReads {
			unread[in.ID] = fmt.Sprintf("airlock reads at most %d instances' attributes per check", maxAttributeReads)
			continue
		}
		reads++
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			res, err := c.ec2.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{
				InstanceId: aws.String(in.ID),
				Attribute:  attr,
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil && KindOf(err) == KindAccessDenied:
				unread[in.ID] = "AccessDenied on ec2:DescribeInstanceAttribute"
			case err != nil:
				errs = append(errs, err)
			case attr == types.InstanceAttributeNameDisableApiStop:
				out[in.ID] = model.Protection{Stop: isTrue(res.DisableApiStop)}
			default:
				out[in.ID] = model.Protection{Termination: isTrue(res.DisableApiTermination)}
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		return out, unread, errs[0]
	}
	return out, unread, nil
}

func isTrue(v *types.AttributeBooleanValue) bool { return v != nil && aws.ToBool(v.Value) }

func instanceIDs(instances []model.Instance) []string {
	ids := make([]string, 0, len(instances))
	for _, in := range instances {
		ids = append(ids, in.ID)
	}
	return ids
}

// mergeInstances concatenates instance lists without repeating an ID.
func mergeInstances(lists ...[]model.Instance) []model.Instance {
	seen := map[string]bool{}
	var out []model.Instance
	for _, l := range lists {
		for _, in := range l {
			if !seen[in.ID] {
				seen[in.ID] = true
				out = append(out, in)
			}
		}
	}
	return out
}

// uniq returns the distinct non-empty strings of s, sorted.
func uniq(s []string) []string {
	out := slices.DeleteFunc(slices.Clone(s), func(v string) bool { return v == "" })
	slices.Sort(out)
	return slices.Compact(out)
}

package awsstate

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/airlock-ops/airlock/model"
)

// pageSize is the largest MaxResults the paginated EC2 Describe calls
// accept, so a refresh costs ceil(N/1000) calls per section, not N/50.
const pageSize = 1000

// AllSections are the sections of a whole refresh (Fetch), in the order
// the dashboard judges them.
func AllSections() []model.Section {
	return []model.Section{
		model.SectionIdentity, model.SectionAddresses, model.SectionInstances,
		model.SectionStatus, model.SectionSubnets,
		model.SectionGroups, model.SectionActivities, model.SectionLaunch, model.SectionECS,
	}
}

// Plan says what one refresh fetches.
type Plan struct {
	// Sections are the sections due; empty means AllSections. The
	// dashboard fetches each at its own cadence (model.Cadence) and
	// keeps the others from earlier refreshes.
	Sections []model.Section
	// Known reports whether an instance is in the instance list the
	// caller already holds. When the plan fetches the Elastic IPs but not
	// the instance list, every EIP holder Known does not report is
	// fetched at once by ID (model.SectionHolders, 200 IDs a call), so an
	// EIP moved onto an instance launched since the list was fetched
	// names its cluster now, not when the list is next due. nil: no
	// holder is fetched by ID.
	Known func(instanceID string) bool
	// Expect is how many instances the caller's last list held, so a
	// new list of 50,000 is allocated once rather than grown by
	// doubling (half as much again in memory); 0 if unknown.
	Expect int
	// CheckOnly makes the identity section one sts:GetCallerIdentity
	// call, without the account alias: the check the dashboard repeats
	// while the credentials have expired, when IAM would refuse the
	// alias all the same and every call is wasted. The identity then
	// has AliasError set (unknown, not "no alias").
	CheckOnly bool
}

// Fetch takes one whole snapshot of the account and region: every
// section (FetchPlan with an empty Plan).
func (c *Client) Fetch(ctx context.Context) model.Snapshot {
	return c.FetchPlan(ctx, Plan{})
}

// FetchPlan takes a snapshot of the sections p names. The sections run in
// parallel, so a refresh lasts about as long as its longest chain of
// pages. It never fails as a whole: each section fetched reports its own
// error, completeness, cost and fetch time in Snapshot.Sections; a
// section the plan leaves out is absent from the map (not fetched), and
// so is SectionHolders when no holder had to be fetched.
// Snapshot.Stats.Throttled counts what AWS throttled in the last minute.
func (c *Client) FetchPlan(ctx context.Context, p Plan) model.Snapshot {
	start := time.Now()
	snap := model.Snapshot{Region: c.region, FetchedAt: start}
	due := p.Sections
	if len(due) == 0 {
		due = AllSections()
	}
	has := func(sec model.Section) bool { return slices.Contains(due, sec) }

	// Each section writes only its own fields of snap (the holders only
	// when the instance list is not fetched), so the goroutines share
	// nothing but the client.
	var mu sync.Mutex
	results := map[model.Section]model.SectionResult{}
	record := func(sec model.Section, r model.SectionResult) {
		mu.Lock()
		results[sec] = r
		mu.Unlock()
	}
	var wg sync.WaitGroup
	run := func(sec model.Section, fetch func(context.Context) error) {
		wg.Go(func() { record(sec, c.measure(ctx, start, fetch)) })
	}
	if has(model.SectionIdentity) {
		run(model.SectionIdentity, func(ctx context.Context) (err error) {
			snap.Identity, err = c.whoAmI(ctx, !p.CheckOnly)
			if err == nil {
				snap.Identity.CredentialsExpire = c.credentialsExpire(ctx)
			}
			return err
		})
	}
	if has(model.SectionInstances) {
		run(model.SectionInstances, func(ctx context.Context) (err error) {
			var list []model.Instance
			if p.Expect > 0 {
				list = make([]model.Instance, 0, p.Expect+p.Expect/50)
			}
			snap.Instances, err = c.instances(ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(pageSize)}, list, c.priorInstances())
			if err == nil {
				c.keepPrior(snap.Instances)
			}
			return err
		})
	}
	if has(model.SectionAddresses) {
		resolve := !has(model.SectionInstances) && p.Known != nil
		wg.Go(func() {
			r := c.measure(ctx, start, func(ctx context.Context) (err error) {
				snap.Addresses, err = c.addresses(ctx, &ec2.DescribeAddressesInput{})
				return err
			})
			record(model.SectionAddresses, r)
			if !resolve || r.Err != nil {
				return
			}
			if ids := unknownHolders(snap.Addresses, p.Known); len(ids) > 0 {
				record(model.SectionHolders, c.measure(ctx, start, func(ctx context.Context) (err error) {
					snap.Instances, err = c.instancesByID(ctx, ids)
					return err
				}))
			}
		})
	}
	if has(model.SectionSubnets) {
		run(model.SectionSubnets, func(ctx context.Context) (err error) {
			snap.Subnets, err = c.subnets(ctx)
			return err
		})
	}
	if has(model.SectionStatus) {
		snap.Statuses = make(map[string]model.InstanceStatus, p.Expect)
		run(model.SectionStatus, func(ctx context.Context) error {
			return c.statuses(ctx, &ec2.DescribeInstanceStatusInput{
				IncludeAllInstances: aws.Bool(true),
				MaxResults:          aws.Int32(pageSize),
			}, snap.Statuses)
		})
	}
	if has(model.SectionGroups) {
		run(model.SectionGroups, func(ctx context.Context) (err error) {
			snap.Groups, err = c.groups(ctx)
			return err
		})
	}
	if has(model.SectionActivities) {
		run(model.SectionActivities, func(ctx context.Context) (err error) {
			snap.Activities, snap.ActivitiesAll, err = c.activities(ctx)
			return err
		})
	}
	if has(model.SectionLaunch) {
		run(model.SectionLaunch, func(ctx context.Context) error {
			f, err := c.launchFacts(ctx)
			snap.Launch = &f
			return err
		})
	}
	if has(model.SectionECS) {
		run(model.SectionECS, func(ctx context.Context) (err error) {
			snap.ECS, err = c.ecsState(ctx) // ecs.go: paced, and costly in a large account
			return err
		})
	}
	wg.Wait()

	snap.Sections = results
	for _, r := range results {
		snap.Stats.APICalls += r.Calls
	}
	snap.Stats.Duration = time.Since(start)
	snap.Stats.Throttled = c.throttles.counts(time.Now())
	return snap
}

// unknownHolders lists, once each, the instances holding addresses that
// known does not report.
func unknownHolders(addrs []model.Address, known func(string) bool) []string {
	var ids []string
	seen := map[string]bool{}
	for _, a := range addrs {
		if id := a.InstanceID; id != "" && !seen[id] && !known(id) {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// measure runs one section's fetch, counting its HTTP attempts, the
// attempts AWS throttled and the time spent decoding, and timing it. A
// section is complete only if every one of its calls succeeded; its data
// is as of started, when the refresh began.
func (c *Client) measure(ctx context.Context, started time.Time, fetch func(context.Context) error) model.SectionResult {
	var m meter
	start := time.Now()
	err := fetch(withMeter(ctx, &m))
	return model.SectionResult{
		Err:       explained(err),
		Complete:  err == nil,
		Calls:     int(m.calls.Load()),
		Duration:  time.Since(start),
		FetchedAt: started,
		Decode:    time.Duration(m.decode.Load()),
		Throttled: int(m.throttled.Load()),
	}
}

// identity asks STS who the caller is and IAM for the account's alias, in
// parallel. Only STS decides success: many roles may not list aliases, and
// the banner can name an account by its ID. A failed alias is recorded
// (Identity.AliasError), so that "could not read it" never passes for
// "the account has none".
func (c *Client) identity(ctx context.Context) (model.Identity, error) {
	return c.whoAmI(ctx, true)
}

// whoAmI is identity, with the alias only when alias is set (otherwise
// AliasError says it was not asked).
func (c *Client) whoAmI(ctx context.Context, alias bool) (model.Identity, error) {
	var aliases []string
	var aliasErr error
	var wg sync.WaitGroup
	if alias {
		wg.Go(c.listAliases(ctx, &aliases, &aliasErr))
	}
	out, err := c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wg.Wait()
	if err != nil {
		return model.Identity{}, err
	}
	id := identityFrom(out, aliases)
	switch {
	case !alias:
		id.AliasError = "not asked"
	case aliasErr != nil:
		id.AliasError = ShortReason(aliasErr)
	}
	return id, nil
}

// credentialsExpire is when the credentials that just answered expire,
// zero when they cannot or the SDK does not know. The SDK's cache
// answers from memory, so this costs no call; a failure leaves the
// countdown off (the identity call has just succeeded with them).
func (c *Client) credentialsExpire(ctx context.Context) time.Time {
	info, err := c.Credentials(ctx)
	if err != nil || !info.CanExpire {
		return time.Time{}
	}
	return info.Expires
}

// listAliases returns the function that lists the account's aliases into
// aliases, or the error into aliasErr.
func (c *Client) listAliases(ctx context.Context, aliases *[]string, aliasErr *error) func() {
	return func() {
		out, err := c.iam.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
		if err != nil {
			*aliasErr = err
			return
		}
		*aliases = out.AccountAliases
	}
}

// instances pages through DescribeInstances, appending to out. On error
// it returns what arrived so far with the error; the caller marks the
// section incomplete.
func (c *Client) instances(ctx context.Context, in *ec2.DescribeInstancesInput, out []model.Instance, prior *priorList) ([]model.Instance, error) {
	shared := interner{}
	p := ec2.NewDescribeInstancesPaginator(c.ec2, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return out, err
		}
		for _, r := range page.Reservations {
			for _, i := range r.Instances {
				out = append(out, instanceFrom(i, shared, prior.find(str(i.InstanceId))))
			}
		}
	}
	return out, nil
}

// addresses lists Elastic IPs. AWS does not paginate DescribeAddresses.
func (c *Client) addresses(ctx context.Context, in *ec2.DescribeAddressesInput) ([]model.Address, error) {
	res, err := c.ec2.DescribeAddresses(ctx, in)
	if err != nil {
		return nil, err
	}
	out := make([]model.Address, 0, len(res.Addresses))
	for _, a := range res.Addresses {
		out = append(out, addressFrom(a))
	}
	return out, nil
}

func (c *Client) subnets(ctx context.Context) ([]model.Subnet, error) {
	var out []model.Subnet
	p := ec2.NewDescribeSubnetsPaginator(c.ec2, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(pageSize)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return out, err
		}
		for _, s := range page.Subnets {
			out = append(out, subnetFrom(s))
		}
	}
	return out, nil
}

// statuses pages through DescribeInstanceStatus into into, keyed by
// instance ID.
func (c *Client) statuses(ctx context.Context, in *ec2.DescribeInstanceStatusInput, into map[string]model.InstanceStatus) error {
	p := ec2.NewDescribeInstanceStatusPaginator(c.ec2, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, s := range page.InstanceStatuses {
			st := statusFrom(s)
			into[st.InstanceID] = st
		}
	}
	return nil
}

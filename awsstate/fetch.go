package awsstate

import (
	"context"
	"sync"
	"sync/atomic"
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

// Fetch takes one snapshot of the account and region. The sections run in
// parallel, so a refresh lasts about as long as its longest chain of pages.
// Fetch never fails as a whole: each section reports its own error,
// completeness and cost in Snapshot.Sections, and every section is present.
func (c *Client) Fetch(ctx context.Context) model.Snapshot {
	start := time.Now()
	snap := model.Snapshot{
		Region:    c.region,
		FetchedAt: start,
		Statuses:  map[string]model.InstanceStatus{},
	}

	// Each section writes only its own field of snap, so the goroutines
	// share nothing but the client.
	sections := []struct {
		name  model.Section
		fetch func(context.Context) error
	}{
		{model.SectionIdentity, func(ctx context.Context) (err error) {
			snap.Identity, err = c.identity(ctx)
			return err
		}},
		{model.SectionInstances, func(ctx context.Context) (err error) {
			snap.Instances, err = c.instances(ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(pageSize)})
			return err
		}},
		{model.SectionAddresses, func(ctx context.Context) (err error) {
			snap.Addresses, err = c.addresses(ctx, &ec2.DescribeAddressesInput{})
			return err
		}},
		{model.SectionSubnets, func(ctx context.Context) (err error) {
			snap.Subnets, err = c.subnets(ctx)
			return err
		}},
		{model.SectionStatus, func(ctx context.Context) error {
			return c.statuses(ctx, &ec2.DescribeInstanceStatusInput{
				IncludeAllInstances: aws.Bool(true),
				MaxResults:          aws.Int32(pageSize),
			}, snap.Statuses)
		}},
		{model.SectionGroups, func(ctx context.Context) (err error) {
			snap.Groups, err = c.groups(ctx)
			return err
		}},
		{model.SectionActivities, func(ctx context.Context) (err error) {
			snap.Activities, snap.ActivitiesAll, err = c.activities(ctx)
			return err
		}},
		{model.SectionLaunch, func(ctx context.Context) error {
			f, err := c.launchFacts(ctx)
			snap.Launch = &f
			return err
		}},
		{model.SectionECS, func(ctx context.Context) (err error) {
			snap.ECS, err = c.ecsState(ctx) // ecs.go: paced, and costly in a large account
			return err
		}},
	}

	results := make([]model.SectionResult, len(sections))
	var wg sync.WaitGroup
	for i, s := range sections {
		wg.Go(func() { results[i] = measure(ctx, s.fetch) })
	}
	wg.Wait()

	snap.Sections = make(map[model.Section]model.SectionResult, len(sections))
	for i, s := range sections {
		snap.Sections[s.name] = results[i]
		snap.Stats.APICalls += results[i].Calls
	}
	snap.Stats.Duration = time.Since(start)
	return snap
}

// measure runs one section's fetch, counting its HTTP attempts and timing
// it. A section is complete only if every one of its calls succeeded.
func measure(ctx context.Context, fetch func(context.Context) error) model.SectionResult {
	var calls atomic.Int64
	start := time.Now()
	err := fetch(withCallCounter(ctx, &calls))
	return model.SectionResult{
		Err:      explained(err),
		Complete: err == nil,
		Calls:    int(calls.Load()),
		Duration: time.Since(start),
	}
}

// identity asks STS who the caller is and IAM for the account's alias, in
// parallel. Only STS decides success: many roles may not list aliases, and
// the banner can name an account by its ID. A failed alias is recorded
// (Identity.AliasError), so that "could not read it" never passes for
// "the account has none".
func (c *Client) identity(ctx context.Context) (model.Identity, error) {
	var aliases []string
	var aliasErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		out, err := c.iam.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
		if err != nil {
			aliasErr = err
			return
		}
		aliases = out.AccountAliases
	})
	out, err := c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wg.Wait()
	if err != nil {
		return model.Identity{}, err
	}
	id := identityFrom(out, aliases)
	if aliasErr != nil {
		id.AliasError = ShortReason(aliasErr)
	}
	return id, nil
}

// instances pages through DescribeInstances. On error it returns what
// arrived so far with the error; the caller marks the section incomplete.
func (c *Client) instances(ctx context.Context, in *ec2.DescribeInstancesInput) ([]model.Instance, error) {
	var out []model.Instance
	p := ec2.NewDescribeInstancesPaginator(c.ec2, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return out, err
		}
		for _, r := range page.Reservations {
			for _, i := range r.Instances {
				out = append(out, instanceFrom(i))
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

package awsstate

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/airlock-ops/airlock/model"
)

// Glance fetches only what a status line shows (airlock status --line,
// run by tmux every few seconds in every session): who the caller is,
// every Elastic IP, and the instances holding them, by ID, so the clusters
// holding EIPs (the LIVE ones) can be named. It costs one refresh's
// identity (sts:GetCallerIdentity, iam:ListAccountAliases), one
// ec2:DescribeAddresses and one ec2:DescribeInstances per 200 holders, and
// never lists the fleet, whatever its size.
//
// The snapshot has the sections identity, addresses and eip_holders
// (model.SectionHolders); the instances section is absent, for Instances
// holds only the holders. model.Analyze then names every cluster that
// holds an EIP, and calls liveness unknown when the addresses or a
// holder could not be fetched.
func (c *Client) Glance(ctx context.Context) model.Snapshot {
	start := time.Now()
	snap := model.Snapshot{Region: c.region, FetchedAt: start, Statuses: map[string]model.InstanceStatus{}}

	var idRes, addrRes, holdRes model.SectionResult
	var wg sync.WaitGroup
	wg.Go(func() {
		idRes = c.measure(ctx, start, func(ctx context.Context) (err error) {
			snap.Identity, err = c.identity(ctx)
			return err
		})
	})
	addrRes = c.measure(ctx, start, func(ctx context.Context) (err error) {
		snap.Addresses, err = c.addresses(ctx, &ec2.DescribeAddressesInput{})
		return err
	})
	// The holders are known only once the addresses are; without them
	// there is nothing to ask for, and the section says why.
	if addrRes.Err == nil {
		var holders []string
		for _, a := range snap.Addresses {
			if a.InstanceID != "" {
				holders = append(holders, a.InstanceID)
			}
		}
		holdRes = c.measure(ctx, start, func(ctx context.Context) (err error) {
			snap.Instances, err = c.instancesByID(ctx, holders)
			return err
		})
	} else {
		holdRes = model.SectionResult{Err: addrRes.Err}
	}
	wg.Wait()

	snap.Sections = map[model.Section]model.SectionResult{
		model.SectionIdentity:  idRes,
		model.SectionAddresses: addrRes,
		model.SectionHolders:   holdRes,
	}
	for _, r := range snap.Sections {
		snap.Stats.APICalls += r.Calls
	}
	snap.Stats.Duration = time.Since(start)
	snap.Stats.Throttled = c.throttles.counts(time.Now())
	return snap
}

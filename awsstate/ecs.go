package awsstate

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	"github.com/airlock-ops/airlock/model"
)

// This file reads ECS (story S7: a service vanished underneath its
// deployer) and makes the two ECS calls airlock acts with.

// ecsAPI is every ECS call airlock makes.
type ecsAPI interface {
	// ListClusters lists the region's cluster ARNs, 100 a page.
	ListClusters(context.Context, *ecs.ListClustersInput, ...func(*ecs.Options)) (*ecs.ListClustersOutput, error)
	// DescribeClusters describes up to 100 clusters: status and counts.
	DescribeClusters(context.Context, *ecs.DescribeClustersInput, ...func(*ecs.Options)) (*ecs.DescribeClustersOutput, error)
	// ListServices lists a cluster's ACTIVE services, 100 a page.
	ListServices(context.Context, *ecs.ListServicesInput, ...func(*ecs.Options)) (*ecs.ListServicesOutput, error)
	// DescribeServices describes up to 10 services of a cluster; one
	// that does not exist is a failure (MISSING), not an error.
	DescribeServices(context.Context, *ecs.DescribeServicesInput, ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error)

	// UpdateService sets a verified service's desired count or forces
	// a new deployment of it (Execute only).
	UpdateService(context.Context, *ecs.UpdateServiceInput, ...func(*ecs.Options)) (*ecs.UpdateServiceOutput, error)
	// DeleteService deletes a verified service at desired 0, never
	// forced (Execute only).
	DeleteService(context.Context, *ecs.DeleteServiceInput, ...func(*ecs.Options)) (*ecs.DeleteServiceOutput, error)
}

var _ ecsAPI = (*ecs.Client)(nil)

// ecsWorkers is how many clusters are read at once: the pacer, not the
// workers, keeps the rate; more than one hides the latency of each call.
const ecsWorkers = 4

// The pace of ECS reads: ECS's List* and Describe* calls share a bucket
// of about 40 refilling 20 a second, and airlock keeps to a quarter of
// the refill (model.ECSRefillPerSecond / model.ECSBudgetShare), with a
// burst of 10 so a small account's refresh (the demo's 4 calls) is not
// slowed at all. A large one is read at 5 calls a second: 2,000 services
// (222 calls) take about 43 s, and the deployers sharing the account
// keep three quarters of the bucket throughout.
const (
	ecsPaceEvery = time.Second * model.ECSBudgetShare / model.ECSRefillPerSecond
	ecsPaceBurst = 10
)

// ECS fetches the region's ECS clusters and services: ListClusters,
// DescribeClusters in batches of 100, and per cluster ListServices pages
// of 100 and DescribeServices batches of 10 (model.ECSCalls says how
// many: 222 for 2,000 services in 20 clusters), paced to a quarter of
// ECS's refill. It is the section Fetch fills as model.SectionECS; its
// result says what the refresh cost, so a caller can schedule the next
// one (model.ECSMinInterval).
//
// Only ACTIVE services are listed (ListServices shows no other), so a
// service deleted since the last refresh is simply absent: model.Diff
// reports it as vanished. On error the state holds what arrived and the
// result is incomplete: a failed section is never read as "no services".
func (c *Client) ECS(ctx context.Context) (model.ECSState, model.SectionResult) {
	var st model.ECSState
	r := c.measure(ctx, time.Now(), func(ctx context.Context) (err error) {
		st, err = c.ecsState(ctx)
		return err
	})
	return st, r
}

func (c *Client) ecsState(ctx context.Context) (model.ECSState, error) {
	var st model.ECSState
	// Taken before any goroutine starts, and only read by them.
	prior := c.priorECS()
	var arns []string
	p := ecs.NewListClustersPaginator(c.ecs, &ecs.ListClustersInput{MaxResults: aws.Int32(model.ECSListPage)})
	for p.HasMorePages() {
		if err := c.ecsPace.wait(ctx); err != nil {
			return st, err
		}
		page, err := p.NextPage(ctx)
		if err != nil {
			return st, err
		}
		arns = append(arns, page.ClusterArns...)
	}
	for chunk := range slices.Chunk(arns, model.ECSDescribeCluster) {
		if err := c.ecsPace.wait(ctx); err != nil {
			return st, err
		}
		out, err := c.ecs.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: chunk})
		if err != nil {
			return st, err
		}
		// A cluster deleted between the list and the describe is a
		// failure (MISSING): it is gone, and simply not listed.
		for _, cl := range out.Clusters {
			st.Clusters = append(st.Clusters, ecsClusterFrom(cl))
		}
	}

	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, ecsWorkers)
	)
	for _, cl := range st.Clusters {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			svcs, err := c.servicesOf(ctx, cl, prior)
			mu.Lock()
			defer mu.Unlock()
			st.Services = append(st.Services, svcs...)
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	model.SortECS(&st)
	if len(errs) > 0 {
		return st, errs[0]
	}
	// Only a whole state is kept to share from: a partial one would
	// leave the services it missed unshared next time.
	c.keepECS(st.Services)
	return st, nil
}

// servicesOf lists and describes the services of one cluster, sharing
// the unchanged ones with prior (the previous state; nil for none).
func (c *Client) servicesOf(ctx context.Context, cl model.ECSCluster, prior priorServices) ([]model.Service, error) {
	var arns []string
	p := ecs.NewListServicesPaginator(c.ecs, &ecs.ListServicesInput{
		Cluster: aws.String(cl.Name), MaxResults: aws.Int32(model.ECSListPage),
	})
	for p.HasMorePages() {
		if err := c.ecsPace.wait(ctx); err != nil {
			return nil, err
		}
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		arns = append(arns, page.ServiceArns...)
	}
	var out []model.Service
	for chunk := range slices.Chunk(arns, model.ECSDescribeService) {
		if err := c.ecsPace.wait(ctx); err != nil {
			return out, err
		}
		got, err := c.describeServices(ctx, cl.Name, cl.Name, chunk)
		if err != nil {
			return out, err
		}
		for i := range got {
			prior.share(&got[i])
		}
		out = append(out, got...)
	}
	return out, nil
}

// describeServices describes services (names or ARNs, at most 10) of the
// cluster clusterRef (name or ARN) whose raw name is cluster. A service
// ECS reports MISSING is left out: it does not exist now.
func (c *Client) describeServices(ctx context.Context, clusterRef, cluster string, services []string) ([]model.Service, error) {
	res, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(clusterRef), Services: services})
	if err != nil {
		return nil, err
	}
	out := make([]model.Service, 0, len(res.Services))
	for _, s := range res.Services {
		out = append(out, serviceFrom(s, cluster))
	}
	return out, nil
}

// serviceNow reads one service by name, for Prepare and the last look
// before an ECS call: none when it does not exist, or its cluster does
// not (a deleted cluster has deleted its services).
func (c *Client) serviceNow(ctx context.Context, cluster, service string) ([]model.Service, error) {
	got, err := c.describeServices(ctx, cluster, cluster, []string{service})
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "ClusterNotFoundException" {
		return nil, nil
	}
	return got, err
}

// ecsClusterFrom converts a cluster; its name is raw (identity: the
// calls name the cluster by it), its ARN, only shown, sanitised.
func ecsClusterFrom(cl ecstypes.Cluster) model.ECSCluster {
	return model.ECSCluster{
		ARN:                str(cl.ClusterArn),
		Name:               aws.ToString(cl.ClusterName),
		Status:             str(cl.Status),
		ActiveServices:     int(cl.ActiveServicesCount),
		RunningTasks:       int(cl.RunningTasksCount),
		PendingTasks:       int(cl.PendingTasksCount),
		ContainerInstances: int(cl.RegisteredContainerInstancesCount),
	}
}

// serviceFrom converts a service of the cluster named cluster (raw). Its
// name is identity and stays raw; everything else is sanitised here,
// its ARN and messages included (JSON carries ESC itself).
func serviceFrom(s ecstypes.Service, cluster string) model.Service {
	out := model.Service{
		ARN:            str(s.ServiceArn),
		Name:           aws.ToString(s.ServiceName),
		Cluster:        cluster,
		Status:         str(s.Status),
		Desired:        int(s.DesiredCount),
		Running:        int(s.RunningCount),
		Pending:        int(s.PendingCount),
		LaunchType:     enum(s.LaunchType),
		TaskDefinition: model.Sanitize(model.TaskDefinitionOf(aws.ToString(s.TaskDefinition))),
		CreatedAt:      aws.ToTime(s.CreatedAt),
	}
	// Exactly sized: growth's spare capacity is kept with every one of
	// 10,000 services.
	if len(s.Deployments) > 0 {
		out.Deployments = make([]model.Deployment, 0, len(s.Deployments))
	}
	for _, d := range s.Deployments {
		out.Deployments = append(out.Deployments, model.Deployment{
			ID:             str(d.Id),
			Status:         str(d.Status),
			TaskDefinition: model.Sanitize(model.TaskDefinitionOf(aws.ToString(d.TaskDefinition))),
			Desired:        int(d.DesiredCount),
			Running:        int(d.RunningCount),
			Pending:        int(d.PendingCount),
			Failed:         int(d.FailedTasks),
			RolloutState:   enum(d.RolloutState),
			RolloutReason:  str(d.RolloutStateReason),
			CreatedAt:      aws.ToTime(d.CreatedAt),
			UpdatedAt:      aws.ToTime(d.UpdatedAt),
		})
	}
	// ECS lists events newest first; keep that order, and only the
	// latest few.
	events := s.Events[:min(len(s.Events), model.MaxServiceEvents)]
	if len(events) > 0 {
		out.Events = make([]model.ServiceEvent, 0, len(events))
	}
	for _, e := range events {
		out.Events = append(out.Events, model.ServiceEvent{ID: str(e.Id), At: aws.ToTime(e.CreatedAt), Message: str(e.Message)})
	}
	slices.SortStableFunc(out.Events, func(a, b model.ServiceEvent) int { return b.At.Compare(a.At) })
	return out
}

// pacer spaces calls to one every every, after a burst of burst: a
// token bucket whose tokens may go negative, so each caller waits for
// its own slot. A nil pacer does not wait.
type pacer struct {
	mu     sync.Mutex
	every  time.Duration
	burst  float64
	tokens float64
	last   time.Time
}

func newPacer(every time.Duration, burst int) *pacer {
	return &pacer{every: every, burst: float64(burst), tokens: float64(burst), last: time.Now()}
}

// wait blocks until the next call may go, or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	if p == nil || p.every <= 0 {
		return ctx.Err()
	}
	p.mu.Lock()
	now := time.Now()
	p.tokens = min(p.burst, p.tokens+float64(now.Sub(p.last))/float64(p.every))
	p.last = now
	p.tokens--
	wait := time.Duration(-p.tokens * float64(p.every))
	p.mu.Unlock()
	if wait <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

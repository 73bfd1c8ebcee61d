package awsstate

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/airlock-ops/airlock/model"
)

// This file prepares and carries out the guarded actions on capacity: an
// Auto Scaling group's desired capacity and its Launch and Terminate
// processes, an ECS service's desired count, its deletion (never forced)
// and a forced new deployment. Each target is read by name for Prepare,
// again for the check right before the calls, and once more one round
// trip before its call (CheckGroup, CheckService): none of these APIs has
// an "only if desired is still N" of its own.

// scalingAPI is every Auto Scaling call the guarded actions make.
type scalingAPI interface {
	// DescribeAutoScalingGroups reads the target group by name.
	DescribeAutoScalingGroups(context.Context, *autoscaling.DescribeAutoScalingGroupsInput, ...func(*autoscaling.Options)) (*autoscaling.DescribeAutoScalingGroupsOutput, error)
	// SetDesiredCapacity sets a verified group's desired capacity
	// (Execute only), cooldowns not honoured: the operator decided now.
	SetDesiredCapacity(context.Context, *autoscaling.SetDesiredCapacityInput, ...func(*autoscaling.Options)) (*autoscaling.SetDesiredCapacityOutput, error)
	// SuspendProcesses suspends Launch and/or Terminate (Execute only).
	SuspendProcesses(context.Context, *autoscaling.SuspendProcessesInput, ...func(*autoscaling.Options)) (*autoscaling.SuspendProcessesOutput, error)
	// ResumeProcesses resumes them (Execute only).
	ResumeProcesses(context.Context, *autoscaling.ResumeProcessesInput, ...func(*autoscaling.Options)) (*autoscaling.ResumeProcessesOutput, error)
}

var _ scalingAPI = (*autoscaling.Client)(nil)

// groupAction and serviceAction say which side an action is on.
func groupAction(a model.ActionKind) bool {
	return a == model.ActionSetDesired || a == model.ActionSuspend || a == model.ActionResume
}

func serviceAction(a model.ActionKind) bool {
	return a == model.ActionScaleService || a == model.ActionDeleteService || a == model.ActionRedeploy
}

// scalingFacts fetches what Judge needs for a group or service action, in
// parallel: the caller's identity; the group by name and every Elastic IP
// (to know whether its members serve the public addresses), or the
// service by name. Three calls for a group, two for a service.
func (c *Client) scalingFacts(ctx context.Context, in model.Intent) (model.Facts, error) {
	f := model.Facts{
		Region:      c.region,
		FetchedAt:   time.Now(),
		ClusterTag:  c.tagKey(),
		ScaleGroups: map[string]model.ScaleGroup{},
		Services:    map[string]model.Service{},
	}
	var errs [3]error
	var wg sync.WaitGroup
	wg.Go(func() { f.Identity, errs[0] = c.identity(ctx) })
	if groupAction(in.Action) && in.Group != "" {
		wg.Go(func() {
			var gs []model.ScaleGroup
			gs, errs[1] = c.scaleGroupNow(ctx, in.Group)
			for _, g := range gs {
				f.ScaleGroups[g.Name] = g
			}
		})
		wg.Go(func() { f.Addresses, errs[2] = c.addresses(ctx, &ec2.DescribeAddressesInput{}) })
	}
	if serviceAction(in.Action) && in.ECSCluster != "" && in.Service != "" {
		wg.Go(func() {
			var ss []model.Service
			ss, errs[1] = c.serviceNow(ctx, in.ECSCluster, in.Service)
			for _, s := range ss {
				f.Services[s.Key()] = s
			}
		})
	}
	wg.Wait()
	return f, firstError(errs[:]...)
}

// scaleGroupNow reads one group by its exact name; none when it does not
// exist (AWS leaves unknown names out).
func (c *Client) scaleGroupNow(ctx context.Context, name string) ([]model.ScaleGroup, error) {
	out, err := c.scaling.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{
		AutoScalingGroupNames: []string{name},
	})
	if err != nil {
		return nil, err
	}
	var gs []model.ScaleGroup
	for _, g := range out.AutoScalingGroups {
		if aws.ToString(g.AutoScalingGroupName) == name {
			gs = append(gs, scaleGroupFrom(g, c.tagKey()))
		}
	}
	return gs, nil
}

// scaleGroupFrom converts a group. Its name and cluster tag are identity
// and stay raw; process names are sanitised.
func scaleGroupFrom(g astypes.AutoScalingGroup, tagKey string) model.ScaleGroup {
	out := model.ScaleGroup{
		Name:    aws.ToString(g.AutoScalingGroupName),
		Desired: int(aws.ToInt32(g.DesiredCapacity)),
		Min:     int(aws.ToInt32(g.MinSize)),
		Max:     int(aws.ToInt32(g.MaxSize)),
	}
	for _, in := range g.Instances {
		out.Instances = append(out.Instances, str(in.InstanceId))
	}
	slices.Sort(out.Instances)
	for _, p := range g.SuspendedProcesses {
		out.Suspended = append(out.Suspended, str(p.ProcessName))
	}
	slices.Sort(out.Suspended)
	for _, t := range g.Tags {
		if aws.ToString(t.Key) == tagKey {
			out.Cluster = aws.ToString(t.Value)
		}
	}
	return out
}

// scalingCall returns the call an Auto Scaling or ECS step makes, once
// the last look (CheckGroup, CheckService: the target read again one
// round trip before) has passed. known is false for a step that is
// neither.
func (c *Client) scalingCall(ctx context.Context, st model.Step) (call func(context.Context) error, known bool, err error) {
	switch {
	case st.Group != nil:
		g := *st.Group
		found, err := c.scaleGroupNow(ctx, g.Group)
		if err != nil {
			return nil, true, fmt.Errorf("checking group %s before %s: %w", model.Display(g.Group), st.API, explained(err))
		}
		if err := stopped(model.CheckGroup(g, found)); err != nil {
			return nil, true, err
		}
		name := aws.String(g.Group)
		switch st.API {
		case model.APISetDesired:
			return func(ctx context.Context) error {
				_, err := c.scaling.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{
					AutoScalingGroupName: name, DesiredCapacity: aws.Int32(int32(g.Desired)), HonorCooldown: aws.Bool(false),
				})
				return err
			}, true, nil
		case model.APISuspend:
			return func(ctx context.Context) error {
				_, err := c.scaling.SuspendProcesses(ctx, &autoscaling.SuspendProcessesInput{AutoScalingGroupName: name, ScalingProcesses: g.Processes})
				return err
			}, true, nil
		case model.APIResume:
			return func(ctx context.Context) error {
				_, err := c.scaling.ResumeProcesses(ctx, &autoscaling.ResumeProcessesInput{AutoScalingGroupName: name, ScalingProcesses: g.Processes})
				return err
			}, true, nil
		}
	case st.Service != nil:
		s := *st.Service
		found, err := c.serviceNow(ctx, s.Cluster, s.Service)
		if err != nil {
			return nil, true, fmt.Errorf("checking service %s before %s: %w", model.Display(s.Service), st.API, explained(err))
		}
		if err := stopped(model.CheckService(s, found)); err != nil {
			return nil, true, err
		}
		switch st.API {
		case model.APIUpdateService:
			in := &ecs.UpdateServiceInput{Cluster: aws.String(s.Cluster), Service: aws.String(s.Service)}
			if s.Desired != nil {
				in.DesiredCount = aws.Int32(int32(*s.Desired))
			}
			if s.ForceNewDeployment {
				in.ForceNewDeployment = true
			}
			return func(ctx context.Context) error {
				_, err := c.ecs.UpdateService(ctx, in)
				return err
			}, true, nil
		case model.APIDeleteService:
			// Never Force: AWS then refuses a service that still wants
			// tasks, a precondition of its own behind CheckService.
			return func(ctx context.Context) error {
				_, err := c.ecs.DeleteService(ctx, &ecs.DeleteServiceInput{
					Cluster: aws.String(s.Cluster), Service: aws.String(s.Service), Force: aws.Bool(false),
				})
				return err
			}, true, nil
		}
	}
	return nil, false, nil
}

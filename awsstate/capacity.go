package awsstate

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"

	"github.com/airlock-ops/airlock/model"
)

// This file reads the capacity side of an account (story S4): Auto
// Scaling groups and their scaling activities.

// autoscalingAPI is every Auto Scaling call airlock makes: reads only.
type autoscalingAPI interface {
	// DescribeAutoScalingGroups lists groups with their members: every
	// group for a refresh and a preflight, the target instances' groups
	// for Prepare.
	DescribeAutoScalingGroups(context.Context, *autoscaling.DescribeAutoScalingGroupsInput, ...func(*autoscaling.Options)) (*autoscaling.DescribeAutoScalingGroupsOutput, error)
	// DescribeScalingActivities lists the newest scaling activities,
	// whose failures say why a group cannot launch.
	DescribeScalingActivities(context.Context, *autoscaling.DescribeScalingActivitiesInput, ...func(*autoscaling.Options)) (*autoscaling.DescribeScalingActivitiesOutput, error)
}

var _ autoscalingAPI = (*autoscaling.Client)(nil)

// Page sizes Auto Scaling accepts at most (MaxRecords): 100 groups, 100
// activities.
const (
	groupPageSize    = 100
	activityPageSize = 100
)

// groups pages through DescribeAutoScalingGroups, members included. names,
// when given, limits it to those groups (unknown names are skipped by
// AWS, so a group that does not exist is simply absent). On error it
// returns what arrived so far with the error.
func (c *Client) groups(ctx context.Context, names ...string) ([]model.Group, error) {
	in := &autoscaling.DescribeAutoScalingGroupsInput{
		IncludeInstances: aws.Bool(true),
		MaxRecords:       aws.Int32(groupPageSize),
	}
	var out []model.Group
	// AutoScalingGroupNames takes at most 100 names per call (the API's
	// limit); more are asked for 100 at a time.
	chunks := [][]string{nil}
	if len(names) > 0 {
		chunks = chunk(names, groupPageSize)
	}
	for _, ch := range chunks {
		in := *in
		in.AutoScalingGroupNames = ch
		observed := time.Now()
		p := autoscaling.NewDescribeAutoScalingGroupsPaginator(c.asg, &in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return out, err
			}
			for _, g := range page.AutoScalingGroups {
				out = append(out, groupFrom(g, observed))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// activities reads the account's newest scaling activities, one page of
// 100, newest first; all reports whether that was every activity AWS
// keeps. A group that cannot launch retries every few minutes and fails
// each time, so its latest failure is among the newest activities unless
// a hundred others happened since; the model says so when the page was
// not all of them (GroupState.FailuresPartial) rather than "no failure".
func (c *Client) activities(ctx context.Context) (acts []model.Activity, all bool, err error) {
	out, err := c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{
		MaxRecords: aws.Int32(activityPageSize),
	})
	if err != nil {
		return nil, false, err
	}
	for _, a := range out.Activities {
		acts = append(acts, activityFrom(a))
	}
	return acts, aws.ToString(out.NextToken) == "", nil
}

// groupFrom converts one group. The name stays raw: it is identity, as
// the aws:autoscaling:groupName tag on the instances is.
func groupFrom(g astypes.AutoScalingGroup, observed time.Time) model.Group {
	out := model.Group{
		Name:                aws.ToString(g.AutoScalingGroupName),
		Desired:             int(aws.ToInt32(g.DesiredCapacity)),
		Min:                 int(aws.ToInt32(g.MinSize)),
		Max:                 int(aws.ToInt32(g.MaxSize)),
		LaunchConfiguration: str(g.LaunchConfigurationName),
		MixedInstances:      g.MixedInstancesPolicy != nil,
		ObservedAt:          observed,
	}
	if lt := g.LaunchTemplate; lt != nil {
		out.LaunchTemplate = model.LaunchTemplateRef{ID: str(lt.LaunchTemplateId), Name: str(lt.LaunchTemplateName), Version: str(lt.Version)}
	}
	for _, s := range strings.Split(aws.ToString(g.VPCZoneIdentifier), ",") {
		if s = model.Sanitize(strings.TrimSpace(s)); s != "" {
			out.Subnets = append(out.Subnets, s)
		}
	}
	for _, z := range g.AvailabilityZones {
		out.AZs = append(out.AZs, model.Sanitize(z))
	}
	for _, p := range g.SuspendedProcesses {
		out.Suspended = append(out.Suspended, str(p.ProcessName))
	}
	sort.Strings(out.Suspended)
	for _, in := range g.Instances {
		m := model.GroupMember{InstanceID: str(in.InstanceId), Lifecycle: enum(in.LifecycleState), Health: str(in.HealthStatus)}
		switch {
		case m.Lifecycle == model.LifecycleInService:
			out.InService++
		case strings.HasPrefix(m.Lifecycle, model.LifecyclePending):
			out.Pending++
		}
		out.Members = append(out.Members, m)
	}
	// A single observation: TrackShortfall carries it across refreshes.
	if out.Below() {
		out.BelowSince = observed
	}
	return out
}

func activityFrom(a astypes.Activity) model.Activity {
	return model.Activity{
		ID:          str(a.ActivityId),
		Group:       aws.ToString(a.AutoScalingGroupName), // raw, as Group.Name
		Status:      enum(a.StatusCode),
		Message:     str(a.StatusMessage),
		Description: str(a.Description),
		Start:       aws.ToTime(a.StartTime),
		End:         aws.ToTime(a.EndTime),
	}
}

// chunk splits items into slices of at most n.
func chunk(items []string, n int) [][]string {
	var out [][]string
	for len(items) > n {
		out = append(out, items[:n])
		items = items[n:]
	}
	if len(items) > 0 {
		out = append(out, items)
	}
	return out
}

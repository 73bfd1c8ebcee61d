package sim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The capacity side of a region: what an Auto Scaling group needs to
// launch an instance (a launch template naming an image, security groups
// and an instance type; subnets with free addresses; the type offered in
// their zones) and the groups themselves. Server.Update may change any of
// it; the wire view is computed on every call.

// Image is one AMI.
type Image struct {
	ID           string
	Name         string
	Description  string
	OwnerID      string
	OwnerAlias   string // "amazon" for AWS's own images, "" otherwise
	State        string // available, pending, failed, deregistered
	Public       bool
	CreationDate time.Time
	Architecture string // x86_64, arm64
	Tags         map[string]string
}

// SecurityGroup is one VPC security group.
type SecurityGroup struct {
	ID          string
	Name        string
	Description string
	VPCID       string
	Tags        map[string]string
}

// LaunchTemplate is one EC2 launch template and its versions.
type LaunchTemplate struct {
	ID         string
	Name       string
	CreateTime time.Time
	CreatedBy  string // an IAM ARN
	// DefaultVersion is the number $Default resolves to.
	DefaultVersion int
	// Versions[i] is version i+1; $Latest is the last one.
	Versions []*TemplateVersion
	Tags     map[string]string
}

// TemplateVersion is the launch data of one launch template version. An
// empty field is one the version does not set.
type TemplateVersion struct {
	Description  string
	CreateTime   time.Time
	ImageID      string
	InstanceType string
	KeyName      string
	// SecurityGroupIDs and SecurityGroupNames are the template's
	// SecurityGroupIds and SecurityGroups; names only resolve in the VPC
	// the instance launches into.
	SecurityGroupIDs   []string
	SecurityGroupNames []string
	// NetworkInterfaces carry security groups (and a subnet) per interface
	// instead; AWS refuses a template that sets both.
	NetworkInterfaces []TemplateInterface
}

// TemplateInterface is one network interface of a template version.
type TemplateInterface struct {
	DeviceIndex       int
	SubnetID          string
	GroupIDs          []string
	AssociatePublicIP bool
}

// version resolves a version as a group or a request names it: "$Latest",
// "$Default" or a number. It returns the number and the version, or nil.
func (lt *LaunchTemplate) version(v string) (int, *TemplateVersion) {
	var n int
	switch v {
	case "$Latest":
		n = len(lt.Versions)
	case "$Default", "":
		n = lt.DefaultVersion
	default:
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			return 0, nil
		}
	}
	if n < 1 || n > len(lt.Versions) {
		return n, nil
	}
	return n, lt.Versions[n-1]
}

// LaunchConfiguration is the older launch description some groups still
// use. The sim does not serve DescribeLaunchConfigurations; it only
// launches from them.
type LaunchConfiguration struct {
	Name           string
	ImageID        string
	InstanceType   string
	SecurityGroups []string // IDs
}

// The Auto Scaling processes SuspendProcesses and ResumeProcesses accept
// ("Types of processes", EC2 Auto Scaling User Guide).
var scalingProcesses = []string{"Launch", "Terminate", "AddToLoadBalancer", "AlarmNotification",
	"AZRebalance", "HealthCheck", "InstanceRefresh", "ReplaceUnhealthy", "ScheduledActions"}

// Group is one Auto Scaling group, keyed by name in Region.Groups.
type Group struct {
	Name string
	// Exactly one of LaunchTemplateID and LaunchConfigurationName is set.
	// LaunchTemplateVersion is as the group names it: "$Latest",
	// "$Default" or a number.
	LaunchTemplateID        string
	LaunchTemplateVersion   string
	LaunchConfigurationName string
	Min, Max, Desired       int
	// SubnetIDs is the VPCZoneIdentifier; launches spread over them.
	SubnetIDs       []string
	HealthCheckType string // EC2 or ELB
	CreatedTime     time.Time
	// Instances are the member instance IDs, oldest first. Members carry
	// the tag aws:autoscaling:groupName.
	Instances []string
	// Standby members are in service no longer, but still members.
	Standby map[string]bool
	// Suspended maps a suspended process to its reason.
	Suspended map[string]string
	// Tags are the group's tags, all propagated at launch.
	Tags map[string]string
}

// groupTag is the tag EC2 Auto Scaling puts on every instance it launches.
const groupTag = "aws:autoscaling:groupName"

// Activity is one scaling activity, keyed by ID in Region.Activities.
// IDs are UUID-shaped and sort newest first, which is the order
// DescribeScalingActivities lists them in.
type Activity struct {
	ID          string
	Group       string
	Description string
	Cause       string
	StartTime   time.Time
	EndTime     time.Time
	// StatusCode is Successful, Failed, Cancelled, InProgress, ...
	StatusCode string
	// StatusMessage is AWS's reason for a failure, verbatim.
	StatusMessage string
	Progress      int
	Details       string // a JSON object: subnet and zone
}

// newActivityID mints an activity ID whose first group counts down, so
// that lexical order is newest first.
func (r *Region) newActivityID() string {
	r.serial["activity"]++
	n := r.serial["activity"]
	return fmt.Sprintf("%08x-5ca1-4000-8000-0%s%09x", 0xffffffff-n, r.prefix, n)
}

// AddActivity records a scaling activity for the group and returns it.
func (r *Region) AddActivity(a Activity) *Activity {
	a.ID = r.newActivityID()
	r.Activities[a.ID] = &a
	r.touch()
	return &a
}

// defaultInstanceTypes are offered in every zone of a region unless
// Region.Offerings says otherwise.
var defaultInstanceTypes = []string{"c6i.large", "c6i.xlarge", "m5.large", "m5.xlarge",
	"m7g.large", "m7g.xlarge", "r6g.large", "t3.medium", "t3.micro", "t3.small"}

// offered returns the instance types offered in a zone.
func (r *Region) offered(az string) []string {
	if types, ok := r.Offerings[az]; ok {
		return types
	}
	return defaultInstanceTypes
}

// zones returns the availability zones of the region's subnets, sorted,
// with their zone IDs.
func (r *Region) zones() (names []string, ids map[string]string) {
	ids = map[string]string{}
	for _, sn := range r.Subnets {
		ids[sn.AZ] = sn.AZID
	}
	for az := range r.Offerings {
		if _, ok := ids[az]; !ok {
			ids[az] = ""
		}
	}
	for az := range ids {
		names = append(names, az)
	}
	slices.Sort(names)
	return names, ids
}

// members counts a group's members that count against its desired
// capacity: pending ones, those in service (running, or stopped but not
// yet replaced) and both together. Standby and terminating members do not
// count.
func (r *Region) members(g *Group) (pending, inService, live int) {
	for _, id := range g.Instances {
		in := r.Instances[id]
		if in == nil || g.Standby[id] {
			continue
		}
		switch in.State {
		case StatePending:
			pending++
			live++
		case StateRunning, StateStopping, StateStopped:
			inService++
			live++
		}
	}
	return pending, inService, live
}

// lifecycle is the LifecycleState Auto Scaling reports for a member.
func lifecycle(in *Instance, standby bool) string {
	switch {
	case standby:
		return "Standby"
	case in.State == StatePending:
		return "Pending"
	case in.State == StateShuttingDown || in.State == StateTerminated:
		return "Terminating"
	}
	return "InService"
}

// health is the HealthStatus Auto Scaling reports for a member: with EC2
// health checks, an instance that is not running or fails a status check
// is Unhealthy.
func (r *Region) health(in *Instance) string {
	if in.State != StateRunning && in.State != StatePending {
		return "Unhealthy"
	}
	st := r.status(in)
	if st.System == CheckImpaired || st.Instance == CheckImpaired {
		return "Unhealthy"
	}
	return "Healthy"
}

// launchSpec is what a group launches with, resolved: the template
// version's or launch configuration's image, type and security groups.
type launchSpec struct {
	imageID, instanceType string
	groupIDs, groupNames  []string
	version               int
}

// spec resolves the group's launch description. The message is AWS's
// status reason when it cannot be resolved.
func (r *Region) spec(g *Group) (launchSpec, string) {
	if g.LaunchConfigurationName != "" {
		lc := r.LaunchConfigurations[g.LaunchConfigurationName]
		if lc == nil {
			return launchSpec{}, fmt.Sprintf("Launch configuration name not found - Launch configuration %s not found. Launching EC2 instance failed.", g.LaunchConfigurationName)
		}
		return launchSpec{imageID: lc.ImageID, instanceType: lc.InstanceType, groupIDs: lc.SecurityGroups}, ""
	}
	lt := r.LaunchTemplates[g.LaunchTemplateID]
	if lt == nil {
		return launchSpec{}, fmt.Sprintf("The specified launch template, with template ID %s, does not exist. Launching EC2 instance failed.", g.LaunchTemplateID)
	}
	n, v := lt.version(g.LaunchTemplateVersion)
	if v == nil {
		return launchSpec{}, fmt.Sprintf("The specified launch template, with template ID %s, does not have a version %d. Launching EC2 instance failed.", lt.ID, n)
	}
	sp := launchSpec{imageID: v.ImageID, instanceType: v.InstanceType, groupIDs: v.SecurityGroupIDs, groupNames: v.SecurityGroupNames, version: n}
	for _, ni := range v.NetworkInterfaces {
		sp.groupIDs = append(sp.groupIDs, ni.GroupIDs...)
	}
	return sp, ""
}

// launchProblem is why launching into subnet sn would fail, in the words
// of the status message EC2 Auto Scaling records on the failed activity
// (the EC2 error, then "Launching EC2 instance failed."), or "". The
// checks run in the order RunInstances validates: image, security groups,
// instance type in the zone, free addresses.
//
// Wording: "The image id '[ami-…]' does not exist" is EC2's
// InvalidAMIID.NotFound message (quoted in
// gist.github.com/anonymous/3fe02bdba9f3cd05f580); "The security group
// 'sg-…' does not exist in VPC 'vpc-…'. Launching EC2 instance failed." is
// an activity's status reason quoted in weaveworks-guides/weave-net-legacy
// issue 65; "There are not enough free addresses in subnet …" is EC2's
// InsufficientFreeAddressesInSubnet.
func (r *Region) launchProblem(sp launchSpec, sn *Subnet) string {
	const failed = " Launching EC2 instance failed."
	img := r.Images[sp.imageID]
	switch {
	case img == nil || img.State == "deregistered":
		return fmt.Sprintf("The image id '[%s]' does not exist.", sp.imageID) + failed
	case img.State != "available":
		return fmt.Sprintf("AMI %s is %s, and cannot be run.", img.ID, img.State) + failed
	}
	for _, id := range sp.groupIDs {
		if sg := r.SecurityGroups[id]; sg == nil || sg.VPCID != sn.VPCID {
			return fmt.Sprintf("The security group '%s' does not exist in VPC '%s'.", id, sn.VPCID) + failed
		}
	}
	for _, name := range sp.groupNames {
		if r.groupByName(sn.VPCID, name) == nil {
			return fmt.Sprintf("The security group '%s' does not exist in VPC '%s'.", name, sn.VPCID) + failed
		}
	}
	if !slices.Contains(r.offered(sn.AZ), sp.instanceType) {
		return fmt.Sprintf("Your requested instance type (%s) is not supported in your requested Availability Zone (%s).", sp.instanceType, sn.AZ) + failed
	}
	if sn.AvailableIPs < 1 {
		return fmt.Sprintf("There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", sn.ID) + failed
	}
	return ""
}

// groupByName finds a security group by name in a VPC.
func (r *Region) groupByName(vpcID, name string) *SecurityGroup {
	for _, sg := range r.SecurityGroups {
		if sg.VPCID == vpcID && sg.Name == name {
			return sg
		}
	}
	return nil
}

// arn is the group's ARN. The UUID part is derived from the name, so it is
// stable from run to run.
func (g *Group) arn(region, account string) string {
	var h uint64 = 14695981039346656037
	for _, b := range []byte(g.Name) {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return fmt.Sprintf("arn:aws:autoscaling:%s:%s:autoScalingGroup:%08x-%04x-4%03x-8%03x-%012x:autoScalingGroupName/%s",
		region, account, uint32(h), uint16(h>>32), uint16(h>>48)&0xfff, uint16(h>>20)&0xfff, h&0xffffffffffff, g.Name)
}

// zonesOf returns the zones of the group's subnets, sorted, deduplicated.
func (r *Region) zonesOf(g *Group) []string {
	var out []string
	for _, id := range g.SubnetIDs {
		if sn := r.Subnets[id]; sn != nil {
			out = append(out, sn.AZ)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// suspended reports whether a process is suspended on the group.
func (g *Group) suspended(process string) bool {
	_, ok := g.Suspended[process]
	return ok
}

// vpcZoneIdentifier is the group's subnets as AWS reports them.
func (g *Group) vpcZoneIdentifier() string { return strings.Join(g.SubnetIDs, ",") }

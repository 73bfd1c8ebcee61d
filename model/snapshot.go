package model

import (
	"strings"
	"time"
)

// Snapshot is everything one refresh learned about one account in one
// region, as AWS reported it; the derived view (clusters, ownership,
// liveness) comes from Analyze.
//
// Every string in a Snapshot has been through Sanitize at ingestion,
// except the tags of instances and addresses and the Name taken from
// them (Instance.Tags, Instance.Name, Address.Tags). Those are kept raw
// because they are identity: the cluster tag decides which instances an
// action touches, and two values that differ by an invisible character
// are two clusters. Show them only through Display.
type Snapshot struct {
	Region    string
	FetchedAt time.Time // when the fetch started

	Identity  Identity
	Instances []Instance
	Addresses []Address
	Subnets   []Subnet
	// Statuses holds DescribeInstanceStatus results keyed by instance ID.
	Statuses map[string]InstanceStatus
	// ECS is the region's ECS clusters and services (SectionECS, ecs.go).
	ECS ECSState

	// Groups are the region's Auto Scaling groups; Activities the newest
	// scaling activities of the account, newest first (one page:
	// ActivitiesAll says whether that was all of them). Launch is what a
	// launch preflight of every group read (preflight.go).
	Groups        []Group
	Activities    []Activity
	ActivitiesAll bool
	Launch        *LaunchFacts

	// Sections reports, per section, whether it is complete and why not.
	// A section missing from the map was not fetched.
	Sections map[Section]SectionResult
	Stats    FetchStats
}

// Section names one independently fetched part of a Snapshot.
type Section string

// The sections a refresh fetches. Each carries its own error so one
// AccessDenied does not blank the screen.
const (
	SectionIdentity  Section = "identity"
	SectionInstances Section = "instances"
	SectionAddresses Section = "addresses"
	SectionSubnets   Section = "subnets"
	SectionStatus    Section = "instance_status"
	// SectionGroups, SectionActivities and SectionLaunch are the
	// capacity side (S4): Auto Scaling groups, their scaling
	// activities, and the launch templates, images, security groups and
	// instance type offerings a launch preflight reads.
	SectionGroups     Section = "autoscaling_groups"
	SectionActivities Section = "scaling_activities"
	SectionLaunch     Section = "launch"
	// SectionHolders is in place of SectionInstances in a snapshot that
	// holds only the instances holding Elastic IPs, fetched by ID (a
	// status line's glance): enough to name the LIVE clusters, never the
	// fleet.
	SectionHolders Section = "eip_holders"
)

// SectionResult says how the fetch of one section went.
type SectionResult struct {
	// Err is the reason the section is not complete (nil when it is).
	// It is already phrased for an operator ("access denied to
	// ec2:DescribeSubnets").
	Err error
	// Complete is true only when every page was fetched. A failure on
	// page 3 of 5 leaves Complete false even though some items arrived.
	Complete bool
	// Carried is set by a caller that keeps showing the last complete
	// fetch of a section that has just failed (the dashboard, so one
	// throttled call does not blank a pane): the data is known, only
	// old. Err and Complete still describe this refresh's failure.
	Carried  bool
	Calls    int // API calls spent, retries included
	Duration time.Duration
	// FetchedAt is when the fetch that produced the section's data
	// started: a section a refresh did not fetch (not due yet), or whose
	// fetch failed and whose last data is kept, keeps the time of the
	// fetch it came from.
	FetchedAt time.Time
	// Decode is the time spent decoding the answers (what most of a
	// refresh's CPU goes to); with Calls, what Cadence is judged from.
	Decode time.Duration
	// Throttled counts the calls of this fetch that AWS answered with a
	// throttling error (each retry counts).
	Throttled int
}

// Known reports whether the snapshot holds the whole of section sec:
// fetched in full by this refresh, or carried over from one that was.
// An empty list of a section that is not known says nothing about the
// account: unknown is not none.
func (s Snapshot) Known(sec Section) bool {
	r, ok := s.Sections[sec]
	return ok && (r.Complete && r.Err == nil || r.Carried)
}

// Unknown says why section sec is not known, for a person ("access
// denied: ec2:DescribeAddresses (...)", "incomplete", "not fetched");
// "" when it is known.
func (s Snapshot) Unknown(sec Section) string {
	r, ok := s.Sections[sec]
	switch {
	case s.Known(sec):
		return ""
	case !ok:
		return "not fetched"
	case r.Err != nil:
		return Sanitize(r.Err.Error())
	}
	return "incomplete"
}

// FetchStats summarises the cost of one refresh.
type FetchStats struct {
	APICalls int
	Duration time.Duration
	// Throttled counts the calls AWS answered with a throttling error in
	// the minute before the refresh ended, per API ("ec2:DescribeInstances"),
	// by this client (every refresh, check and action it made), as the
	// SDK's retryer saw them. Empty when none were.
	Throttled map[string]int
}

// Identity is who the caller is, as STS and IAM report it.
type Identity struct {
	AccountID string // 12 digits; "" until STS has answered
	ARN       string
	UserID    string
	Alias     string // IAM account alias; "" when the account has none, or when it could not be read
	// AliasError says why the alias could not be read ("AccessDenied");
	// "" when IAM answered. Many roles may not list aliases: that costs
	// the account its name, and an empty Alias then does not mean the
	// account has none.
	AliasError string
	// CredentialsExpire is when AWS stops accepting the credentials that
	// answered, for the banner's countdown; zero when they cannot expire
	// or the SDK does not know when (unknown is not never: a session
	// token from the environment expires at a time nobody told us).
	CredentialsExpire time.Time
}

// AliasKnown reports whether IAM answered for the alias, so that an
// empty Alias means the account has none.
func (i Identity) AliasKnown() bool { return i.AliasError == "" }

// Confirmed reports whether STS has answered with an account.
func (i Identity) Confirmed() bool { return i.AccountID != "" }

// InstanceState is an EC2 instance state name.
type InstanceState string

// EC2 instance states (InstanceStateName in the EC2 API).
const (
	StatePending      InstanceState = "pending"
	StateRunning      InstanceState = "running"
	StateShuttingDown InstanceState = "shutting-down"
	StateTerminated   InstanceState = "terminated"
	StateStopping     InstanceState = "stopping"
	StateStopped      InstanceState = "stopped"
)

// Instance is one EC2 instance.
type Instance struct {
	ID         string
	Name       string // the Name tag, raw (show it with Display); "" when absent
	State      InstanceState
	Type       string
	ImageID    string
	AZ         string
	SubnetID   string
	VPCID      string
	PrivateIP  string
	PublicIP   string
	LaunchTime time.Time
	Tags       Tags // raw keys and values: identity, shown only through Display
	// SecurityGroups and IAMProfile (the instance profile's ARN, "" when
	// none) are shown, never acted on, so they are sanitised like any
	// other string.
	SecurityGroups []SecurityGroup
	IAMProfile     string
}

// SecurityGroup names one security group of an instance.
type SecurityGroup struct {
	ID   string
	Name string
}

// Address is one Elastic IP.
type Address struct {
	AllocationID       string
	PublicIP           string
	AssociationID      string // "" when unassociated
	InstanceID         string // "" when not on an instance
	NetworkInterfaceID string
	PrivateIP          string
	Domain             string // "vpc" or "standard"
	Tags               Tags   // raw keys and values, as on Instance
}

// Associated reports whether the address is attached to anything now.
func (a Address) Associated() bool {
	return a.AssociationID != "" || a.InstanceID != "" || a.NetworkInterfaceID != ""
}

// Subnet is one VPC subnet and how many addresses it has left.
type Subnet struct {
	ID           string
	VPCID        string
	AZ           string
	CIDR         string
	AvailableIPs int
	Name         string
	DefaultForAZ bool
}

// CheckStatus is the value of an EC2 status check summary.
type CheckStatus string

// Status check summaries (SummaryStatus in the EC2 API).
const (
	CheckOK               CheckStatus = "ok"
	CheckImpaired         CheckStatus = "impaired"
	CheckInsufficientData CheckStatus = "insufficient-data"
	CheckNotApplicable    CheckStatus = "not-applicable"
	CheckInitializing     CheckStatus = "initializing"
)

// InstanceStatus is the status checks and scheduled events of one instance.
type InstanceStatus struct {
	InstanceID string
	System     CheckStatus
	Instance   CheckStatus
	Events     []ScheduledEvent
}

// Failed reports whether either status check is impaired.
func (s InstanceStatus) Failed() bool {
	return s.System == CheckImpaired || s.Instance == CheckImpaired
}

// ScheduledEvent is a maintenance event AWS has scheduled for an instance
// (for example "instance-retirement").
type ScheduledEvent struct {
	Code        string
	Description string
	NotBefore   time.Time
	NotAfter    time.Time // zero when AWS gives no end to the window
}

// Pending reports whether the event is still to come. EC2 keeps completed
// and cancelled events for a while, marking them with a "[Completed]" or
// "[Canceled]" prefix on the description.
func (e ScheduledEvent) Pending() bool {
	return !strings.HasPrefix(e.Description, "[Completed]") &&
		!strings.HasPrefix(e.Description, "[Canceled]")
}

// HasPendingEvent reports whether any of the instance's scheduled events is
// still to come.
func (s InstanceStatus) HasPendingEvent() bool {
	for _, e := range s.Events {
		if e.Pending() {
			return true
		}
	}
	return false
}

// Passing reports whether both status checks are ok: the instance has
// shown it is reachable and healthy. One still initializing has not.
func (s InstanceStatus) Passing() bool {
	return s.System == CheckOK && s.Instance == CheckOK
}

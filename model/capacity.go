package model

import (
	"sort"
	"time"
)

// This file is the capacity side of an account (story S4: a fleet that
// silently shrank): Auto Scaling groups, their scaling activities, and
// the rule that says a group is SHORT.

// GroupTag is the tag AWS puts on every instance an Auto Scaling group
// launches or attaches, naming the group. It is how a cluster (grouped by
// its own tag) meets the groups that keep it at size.
const GroupTag = "aws:autoscaling:groupName"

// Lifecycle states of a group member (LifecycleState in the Auto Scaling
// API) that airlock's rules read.
const (
	LifecycleInService   = "InService"
	LifecyclePending     = "Pending"
	LifecycleStandby     = "Standby"
	LifecycleTerminating = "Terminating"
)

// Scaling processes (SuspendProcesses in the Auto Scaling API) that decide
// whether a group replaces an instance it finds stopped or terminated.
const (
	ProcessLaunch           = "Launch"
	ProcessHealthCheck      = "HealthCheck"
	ProcessReplaceUnhealthy = "ReplaceUnhealthy"
)

// LaunchTemplateRef is the launch template a group launches from, with the
// version as the group names it: "$Latest", "$Default" or a number. The
// version is kept as named, not resolved: "$Latest" follows every new
// version a deploy creates, which is how S4's broken template reached the
// group.
type LaunchTemplateRef struct {
	ID      string
	Name    string
	Version string
}

// GroupMember is one instance of a group as the group reports it.
type GroupMember struct {
	InstanceID string
	Lifecycle  string // InService, Pending, Standby, Terminating, ... (see the Lifecycle constants)
	Health     string // Healthy or Unhealthy
}

// Group is one Auto Scaling group as DescribeAutoScalingGroups reported
// it. Name is raw: it is identity (the tag GroupTag on the instances
// holds it raw too) and is shown through Display. Every other string has
// been sanitised at ingestion.
type Group struct {
	Name    string
	Desired int
	Min     int
	Max     int
	// InService and Pending count the members in those lifecycle states
	// (Pending includes Pending:Wait and Pending:Proceed).
	InService int
	Pending   int

	// LaunchTemplate is the template the group launches from; zero when
	// it uses a launch configuration (LaunchConfiguration) or a mixed
	// instances policy (MixedInstances).
	LaunchTemplate      LaunchTemplateRef
	LaunchConfiguration string
	MixedInstances      bool

	Subnets   []string // VPCZoneIdentifier, in the order AWS gave
	AZs       []string
	Suspended []string // suspended scaling processes, sorted
	Members   []GroupMember

	// ObservedAt is when the fetch that reported this group started.
	ObservedAt time.Time
	// BelowSince is the earliest observation, in an unbroken run of
	// observations up to this one, at which in service was below
	// desired; zero when it is not below now. TrackShortfall sets it
	// from the previous snapshot; a single fetch sets it to ObservedAt.
	BelowSince time.Time
}

// Below reports whether fewer instances are in service than the group
// wants, at this observation.
func (g Group) Below() bool { return g.InService < g.Desired }

// Suspends reports whether the group has suspended scaling process p.
func (g Group) Suspends(p string) bool {
	for _, s := range g.Suspended {
		if s == p {
			return true
		}
	}
	return false
}

// Member returns the group's member with instance ID id.
func (g Group) Member(id string) (GroupMember, bool) {
	for _, m := range g.Members {
		if m.InstanceID == id {
			return m, true
		}
	}
	return GroupMember{}, false
}

// Replaces reports whether the group would launch a replacement for a
// member that is stopped or terminated behind its back, and if not, why
// not. A member in Standby is outside the group's health checks; a group
// that has suspended Launch cannot launch anything; one that has
// suspended HealthCheck or ReplaceUnhealthy never acts on the stopped
// instance (AWS Auto Scaling User Guide, "Suspend and resume processes":
// HealthCheck marks instances unhealthy, ReplaceUnhealthy terminates and
// replaces them, Launch adds instances).
func (g Group) Replaces(m GroupMember) (bool, string) {
	switch {
	case m.Lifecycle == LifecycleStandby:
		return false, "it is in Standby"
	case g.Suspends(ProcessLaunch):
		return false, "the group has suspended Launch"
	case g.Suspends(ProcessHealthCheck):
		return false, "the group has suspended HealthCheck"
	case g.Suspends(ProcessReplaceUnhealthy):
		return false, "the group has suspended ReplaceUnhealthy"
	}
	return true, ""
}

// Template names what the group launches from, for a screen:
// "acme-web $Default", "launch configuration old-lc", "mixed instances
// policy", or "" when AWS named nothing.
func (g Group) Template() string {
	switch {
	case g.LaunchTemplate.Name != "" || g.LaunchTemplate.ID != "":
		name := g.LaunchTemplate.Name
		if name == "" {
			name = g.LaunchTemplate.ID
		}
		if g.LaunchTemplate.Version == "" {
			return name + " $Default" // AWS's default when a group names no version
		}
		return name + " " + g.LaunchTemplate.Version
	case g.LaunchConfiguration != "":
		return "launch configuration " + g.LaunchConfiguration
	case g.MixedInstances:
		return "mixed instances policy"
	}
	return ""
}

// Activity is one scaling activity of a group. Message is AWS's
// StatusMessage verbatim but sanitised (it is only ever shown): "The
// image id '[ami-0abc]' does not exist. Launching EC2 instance failed."
type Activity struct {
	ID          string
	Group       string // the group's raw name
	Status      string // StatusCode: Successful, Failed, Cancelled, InProgress, ...
	Message     string
	Description string
	Start       time.Time
	End         time.Time
}

// Activity status codes airlock reads.
const (
	ActivityFailed     = "Failed"
	ActivitySuccessful = "Successful"
)

// Failed reports whether the activity failed.
func (a Activity) Failed() bool { return a.Status == ActivityFailed }

// Text is what to show of a failed activity: its status message, else
// its description.
func (a Activity) Text() string {
	if a.Message != "" {
		return a.Message
	}
	return a.Description
}

// TrackShortfall carries each group's BelowSince from prev into next:
// a group below desired in both keeps prev's time; one that just fell
// below starts at its own observation; one that is not below has none.
// It is pure and returns next with its own copy of Groups. Groups of a
// snapshot of another account or region are not carried.
func TrackShortfall(prev, next Snapshot) Snapshot {
	if len(next.Groups) == 0 {
		return next
	}
	samePlace := (prev.Identity.AccountID == "" || prev.Identity.AccountID == next.Identity.AccountID) &&
		(prev.Region == "" || prev.Region == next.Region)
	before := make(map[string]Group, len(prev.Groups))
	if samePlace {
		for _, g := range prev.Groups {
			before[g.Name] = g
		}
	}
	groups := make([]Group, len(next.Groups))
	copy(groups, next.Groups)
	for i := range groups {
		g := &groups[i]
		switch was, ok := before[g.Name]; {
		case !g.Below():
			g.BelowSince = time.Time{}
		case ok && was.Below() && !was.BelowSince.IsZero() && !was.ObservedAt.After(g.ObservedAt):
			g.BelowSince = was.BelowSince
		default:
			g.BelowSince = g.ObservedAt
		}
	}
	next.Groups = groups
	return next
}

// IsShort is the SHORT rule (S4): a group is short when fewer instances
// are in service than it wants, and that has lasted longer than one
// refresh: it was below desired at an earlier observation too
// (BelowSince before ObservedAt), or AWS itself says it tried and
// failed, because its most recent scaling activity failed. A group that
// is merely scaling out (below desired at one observation, its launches
// not yet in service) is not short: saying SHORT during every deploy
// would teach the operator to ignore it.
//
// latest is the group's most recent activity, if known.
func IsShort(g Group, latest *Activity) bool {
	if !g.Below() {
		return false
	}
	if !g.BelowSince.IsZero() && g.BelowSince.Before(g.ObservedAt) {
		return true
	}
	return latest != nil && latest.Failed()
}

// GroupState is a group with what airlock concludes about it.
type GroupState struct {
	Group
	// Display is the group's name as a screen shows it.
	Display string
	Short   bool
	// LastFailure is the most recent failed activity of the group among
	// the activities fetched, or nil. When ActivitiesUnknown is set, nil
	// says nothing; when FailuresPartial is set, it says only that none
	// is among the newest activities listed.
	LastFailure       *Activity
	ActivitiesUnknown string
	FailuresPartial   bool
	// Clusters are the clusters whose instances the group holds (raw
	// names, sorted).
	Clusters []string
}

// Shortfall is how many more instances the group wants in service than
// it has (0 when it has enough).
func (g GroupState) Shortfall() int { return max(g.Desired-g.InService, 0) }

// analyzeGroups derives each group's state from the snapshot, sorted by
// name. clusterOf gives an instance's cluster (World.ClusterOf).
func analyzeGroups(s Snapshot, clusterOf func(instanceID string) (string, bool)) []GroupState {
	if len(s.Groups) == 0 {
		return nil
	}
	latest := map[string]*Activity{}
	failed := map[string]*Activity{}
	for i := range s.Activities {
		a := &s.Activities[i]
		if l := latest[a.Group]; l == nil || a.Start.After(l.Start) {
			latest[a.Group] = a
		}
		if f := failed[a.Group]; a.Failed() && (f == nil || a.Start.After(f.Start)) {
			failed[a.Group] = a
		}
	}
	unknown := s.Unknown(SectionActivities)
	out := make([]GroupState, 0, len(s.Groups))
	for _, g := range s.Groups {
		st := GroupState{Group: g, Display: Display(g.Name), LastFailure: failed[g.Name],
			ActivitiesUnknown: unknown, FailuresPartial: unknown == "" && !s.ActivitiesAll}
		var l *Activity
		if unknown == "" {
			l = latest[g.Name]
		}
		st.Short = IsShort(g, l)
		seen := map[string]bool{}
		for _, m := range g.Members {
			if c, ok := clusterOf(m.InstanceID); ok && !seen[c] {
				seen[c] = true
				st.Clusters = append(st.Clusters, c)
			}
		}
		sort.Strings(st.Clusters)
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Group returns the state of the group called name (raw).
func (w World) Group(name string) (GroupState, bool) {
	for _, g := range w.Groups {
		if g.Name == name {
			return g, true
		}
	}
	return GroupState{}, false
}

// GroupsOf returns the raw names of the groups that hold instances of
// cluster name, sorted.
func (w World) GroupsOf(name string) []string {
	c, ok := w.Cluster(name)
	if !ok {
		return nil
	}
	return c.Groups
}

// groupOf is the group an instance says it belongs to (its GroupTag),
// or "".
func groupOf(in Instance) string { return in.Tags.Get(GroupTag) }

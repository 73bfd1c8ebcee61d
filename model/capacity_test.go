package model

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// greenGroup is green as an Auto Scaling group of its three instances.
func greenGroup(edit func(g *Group)) func(s *Snapshot) {
	return func(s *Snapshot) {
		g := Group{Name: "green", Desired: 3, Max: 6, InService: 3, ObservedAt: s.FetchedAt,
			LaunchTemplate: LaunchTemplateRef{ID: "lt-1", Name: "web", Version: "$Latest"}}
		for _, id := range []string{"i-g1", "i-g2", "i-g3"} {
			g.Members = append(g.Members, GroupMember{InstanceID: id, Lifecycle: LifecycleInService, Health: "Healthy"})
		}
		for i := range s.Instances {
			if strings.HasPrefix(s.Instances[i].ID, "i-g") {
				s.Instances[i].Tags = TagsOf(map[string]string{DefaultClusterTag: "green", GroupTag: "green"})
			}
		}
		if edit != nil {
			edit(&g)
		}
		s.Groups = []Group{g}
		s.Sections[SectionGroups] = SectionResult{Complete: true}
	}
}

const fixGroupMember = "put the instances in Standby, or suspend the group's HealthCheck or Launch process, first; or terminate instead"

// The group-member rule (S4): AWS replaces a member it finds stopped, so
// stopping one is refused unless the group will not act on it;
// terminating one is allowed and says a replacement will come.
var groupMemberCases = []guardCase{
	{
		name:   "stop a group member: refused, the group would replace it",
		in:     Intent{Action: ActionStop, InstanceIDs: []string{"i-g1"}},
		screen: greenGroup(nil),
		refusals: []Refusal{{RuleGroupMember,
			"instance i-g1 is in Auto Scaling group green (desired 3): AWS would find it stopped and replace it", fixGroupMember}},
		summary: "stop instance i-g1",
	},
	{
		name:   "stop a whole cluster of group members: refused, naming them",
		in:     with(green, func(in *Intent) { in.Action = ActionStop }),
		screen: greenGroup(nil),
		refusals: []Refusal{{RuleGroupMember,
			"instances i-g1, i-g2, i-g3 are in Auto Scaling group green (desired 3): AWS would find them stopped and replace them", fixGroupMember}},
		summary: "stop cluster green (3 instances)",
	},
	{
		name: "stop a member in Standby: allowed, the group will not replace it",
		in:   Intent{Action: ActionStop, InstanceIDs: []string{"i-g1"}},
		screen: greenGroup(func(g *Group) {
			g.Members[0].Lifecycle = LifecycleStandby
		}),
		phrase:   "acme-prod/i-g1",
		plan:     Plan{Stop: []string{"i-g1"}},
		warnings: []string{"Auto Scaling group green will not replace i-g1 (it is in Standby)"},
		summary:  "stop instance i-g1",
	},
	{
		name:     "stop a member of a group with HealthCheck suspended: allowed",
		in:       Intent{Action: ActionStop, InstanceIDs: []string{"i-g2"}},
		screen:   greenGroup(func(g *Group) { g.Suspended = []string{ProcessHealthCheck} }),
		phrase:   "acme-prod/i-g2",
		plan:     Plan{Stop: []string{"i-g2"}},
		warnings: []string{"Auto Scaling group green will not replace i-g2 (the group has suspended HealthCheck)"},
		summary:  "stop instance i-g2",
	},
	{
		name:   "stop a member whose group could not be read: refused, unknown is not 'not replaced'",
		in:     Intent{Action: ActionStop, InstanceIDs: []string{"i-g1"}},
		screen: greenGroup(nil),
		facts: func(f *Facts) {
			f.Groups = nil
			f.GroupsUnread = map[string]string{"green": "AccessDenied"}
		},
		refusals: []Refusal{{RuleGroupMember,
			"instance i-g1 is in Auto Scaling group green, which could not be read (AccessDenied): airlock cannot tell whether the group would replace it", ""}},
		summary: "stop instance i-g1",
	},
	{
		name:     "terminate a group member: allowed, and the confirmation says the group replaces it",
		in:       Intent{Action: ActionTerminate, InstanceIDs: []string{"i-g2"}},
		screen:   greenGroup(nil),
		phrase:   "acme-prod/i-g2",
		plan:     Plan{Terminate: []string{"i-g2"}},
		warnings: []string{"instance i-g2 is in Auto Scaling group green (desired 3): the group will launch a replacement"},
		summary:  "terminate instance i-g2",
	},
	{
		name:     "terminate a member of a group with Launch suspended: the group will not replace it",
		in:       Intent{Action: ActionTerminate, InstanceIDs: []string{"i-g2"}},
		screen:   greenGroup(func(g *Group) { g.Suspended = []string{ProcessLaunch} }),
		phrase:   "acme-prod/i-g2",
		plan:     Plan{Terminate: []string{"i-g2"}},
		warnings: []string{"Auto Scaling group green will not replace i-g2 (the group has suspended Launch)"},
		summary:  "terminate instance i-g2",
	},
	{
		name: "an instance detached from its group (tag left behind) is not a member",
		in:   Intent{Action: ActionStop, InstanceIDs: []string{"i-g3"}},
		screen: greenGroup(func(g *Group) {
			g.Members = g.Members[:2]
		}),
		phrase:  "acme-prod/i-g3",
		plan:    Plan{Stop: []string{"i-g3"}},
		summary: "stop instance i-g3",
	},
}

func init() { guardCases = append(guardCases, groupMemberCases...) }

func TestIsShort(t *testing.T) {
	now := t0
	failed := &Activity{ID: "a1", Status: ActivityFailed, Start: now.Add(-time.Minute)}
	ok := &Activity{ID: "a2", Status: ActivitySuccessful, Start: now.Add(-time.Minute)}
	for _, tc := range []struct {
		name   string
		g      Group
		latest *Activity
		want   bool
	}{
		{"in service meets desired", Group{Desired: 3, InService: 3, ObservedAt: now}, failed, false},
		{"above desired", Group{Desired: 3, InService: 4, ObservedAt: now}, nil, false},
		{"below for the first time, launches on their way: not yet", Group{Desired: 6, InService: 2, ObservedAt: now, BelowSince: now}, ok, false},
		{"below at the previous refresh too", Group{Desired: 6, InService: 2, ObservedAt: now, BelowSince: now.Add(-5 * time.Second)}, ok, true},
		{"below once, and the latest activity failed: AWS says it cannot launch", Group{Desired: 6, InService: 2, ObservedAt: now, BelowSince: now}, failed, true},
		{"below once, activities unknown", Group{Desired: 6, InService: 2, ObservedAt: now, BelowSince: now}, nil, false},
		{"below, never tracked, latest failed", Group{Desired: 6, InService: 2, ObservedAt: now}, failed, true},
		{"desired 0", Group{Desired: 0, InService: 0, ObservedAt: now}, failed, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsShort(tc.g, tc.latest); got != tc.want {
				t.Errorf("IsShort = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTrackShortfall(t *testing.T) {
	t1 := t0.Add(5 * time.Second)
	snap := func(at time.Time, gs ...Group) Snapshot {
		for i := range gs {
			gs[i].ObservedAt = at
		}
		return Snapshot{Region: "us-east-1", FetchedAt: at, Identity: Identity{AccountID: "111111111111"}, Groups: gs}
	}
	short := Group{Name: "up", Desired: 6, InService: 2}
	full := Group{Name: "up", Desired: 6, InService: 6}
	for _, tc := range []struct {
		name       string
		prev, next Snapshot
		want       time.Time
	}{
		{"first observation below", Snapshot{}, snap(t1, short), t1},
		{"below on both: keeps the earlier time", func() Snapshot {
			p := snap(t0, short)
			p.Groups[0].BelowSince = t0.Add(-time.Minute)
			return p
		}(), snap(t1, short), t0.Add(-time.Minute)},
		{"recovered", snap(t0, short), snap(t1, full), time.Time{}},
		{"fell below after being full", snap(t0, full), snap(t1, short), t1},
		{"another account's snapshot is not carried", func() Snapshot {
			p := snap(t0, short)
			p.Groups[0].BelowSince = t0
			p.Identity.AccountID = "222222222222"
			return p
		}(), snap(t1, short), t1},
		{"the same observation carried over keeps its time", func() Snapshot {
			p := snap(t1, short)
			p.Groups[0].BelowSince = t0
			return p
		}(), snap(t1, short), t0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.next.Groups[0]
			got := TrackShortfall(tc.prev, tc.next)
			if !got.Groups[0].BelowSince.Equal(tc.want) {
				t.Errorf("BelowSince = %v, want %v", got.Groups[0].BelowSince, tc.want)
			}
			if !reflect.DeepEqual(tc.next.Groups[0], before) {
				t.Error("TrackShortfall changed its argument's groups")
			}
		})
	}
}

// s4Snap is story S4 in miniature: group uploader wants 6, has 2, and its
// newest activity failed on a missing AMI.
func s4Snap() Snapshot {
	s := clone(demoSnap())
	s.Instances = append(s.Instances,
		Instance{ID: "i-up1", State: StateRunning, SubnetID: "subnet-a", Tags: TagsOf(map[string]string{DefaultClusterTag: "uploader", GroupTag: "uploader"})},
		Instance{ID: "i-up2", State: StateRunning, SubnetID: "subnet-b", Tags: TagsOf(map[string]string{DefaultClusterTag: "uploader", GroupTag: "uploader"})})
	s.Groups = []Group{{Name: "uploader", Desired: 6, Min: 2, Max: 12, InService: 2, ObservedAt: t0, BelowSince: t0,
		LaunchTemplate: LaunchTemplateRef{ID: "lt-2", Name: "uploader", Version: "$Latest"},
		Subnets:        []string{"subnet-a", "subnet-b"},
		Members:        []GroupMember{{InstanceID: "i-up1", Lifecycle: LifecycleInService}, {InstanceID: "i-up2", Lifecycle: LifecycleInService}}}}
	s.Activities = []Activity{
		{ID: "act-3", Group: "uploader", Status: ActivityFailed, Start: t0.Add(-4 * time.Minute),
			Message: "The image id '[ami-0deadbeef00000000]' does not exist. Launching EC2 instance failed."},
		{ID: "act-2", Group: "uploader", Status: ActivityFailed, Start: t0.Add(-3 * time.Hour),
			Message: "The security group 'uploader-prod' does not exist in VPC 'vpc-1'. Launching EC2 instance failed."},
		{ID: "act-1", Group: "uploader", Status: ActivitySuccessful, Start: t0.Add(-240 * time.Hour)},
	}
	s.ActivitiesAll = true
	s.Sections[SectionGroups] = SectionResult{Complete: true}
	s.Sections[SectionActivities] = SectionResult{Complete: true}
	return s
}

func TestAnalyzeGroups(t *testing.T) {
	w := Analyze(s4Snap(), "")
	g, ok := w.Group("uploader")
	if !ok {
		t.Fatal("no group uploader")
	}
	if !g.Short || g.Shortfall() != 4 {
		t.Errorf("Short = %v, Shortfall = %d; want SHORT by 4", g.Short, g.Shortfall())
	}
	if g.LastFailure == nil || g.LastFailure.ID != "act-3" || !strings.Contains(g.LastFailure.Text(), "ami-0deadbeef00000000") {
		t.Errorf("LastFailure = %+v, want the newest failure, act-3", g.LastFailure)
	}
	if !reflect.DeepEqual(g.Clusters, []string{"uploader"}) {
		t.Errorf("Clusters = %v", g.Clusters)
	}
	if c, _ := w.Cluster("uploader"); !reflect.DeepEqual(c.Groups, []string{"uploader"}) {
		t.Errorf("cluster uploader shows groups %v, want uploader", c.Groups)
	}
	if g.Template() != "uploader $Latest" {
		t.Errorf("Template = %q", g.Template())
	}

	// Activities that could not be listed: the failure is unknown, and
	// only the earlier observation can make the group SHORT.
	s := s4Snap()
	s.Activities = nil
	s.Sections[SectionActivities] = SectionResult{Err: errString("AccessDenied")}
	g, _ = Analyze(s, "").Group("uploader")
	if g.Short || g.ActivitiesUnknown == "" || g.LastFailure != nil {
		t.Errorf("activities unknown: Short = %v, ActivitiesUnknown = %q, LastFailure = %v", g.Short, g.ActivitiesUnknown, g.LastFailure)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestDiffCapacity(t *testing.T) {
	prev := s4Snap()
	prev.Groups[0].InService, prev.Groups[0].BelowSince = 6, time.Time{}
	prev.Activities = prev.Activities[1:]
	next := clone(s4Snap())
	next.FetchedAt = t0.Add(5 * time.Second)
	evs := strip(Diff(Analyze(prev, ""), Analyze(next, ""), next.FetchedAt))
	want := []ev{
		{EventGroupShort, "uploader", "6 of 6 in service", "2 of 6 in service", "uploader"},
		{EventActivityFailed, "uploader", "act-3", "The image id '[ami-0deadbeef00000000]' does not exist. Launching EC2 instance failed.", "uploader"},
	}
	if !reflect.DeepEqual(evs, want) {
		t.Errorf("events =\n%v\nwant\n%v", evs, want)
	}
	// The same failure is reported once: a refresh that lists it again
	// says nothing more.
	if again := Diff(Analyze(next, ""), Analyze(next, ""), next.FetchedAt); len(again) != 0 {
		t.Errorf("second refresh: %v, want none", again)
	}
	// Recovery.
	well := clone(next)
	well.Groups = []Group{next.Groups[0]}
	well.Groups[0].InService = 6
	evs = strip(Diff(Analyze(next, ""), Analyze(well, ""), next.FetchedAt))
	if !reflect.DeepEqual(evs, []ev{{EventGroupRecovered, "uploader", "2 of 6 in service", "6 of 6 in service", "uploader"}}) {
		t.Errorf("recovery events = %v", evs)
	}
	// A groups section that failed on one side reports nothing.
	broken := clone(next)
	broken.Sections[SectionGroups] = SectionResult{Err: errString("Throttling")}
	for _, e := range Diff(Analyze(prev, ""), Analyze(broken, ""), next.FetchedAt) {
		if e.Kind == EventGroupShort {
			t.Errorf("a failed groups section produced %v", e)
		}
	}
	e := Event{Kind: EventGroupShort, Subject: "uploader", From: "6 of 6 in service", To: "2 of 6 in service"}
	if got := e.String(); got != "group uploader is SHORT: 2 of 6 in service (was 6 of 6 in service)" {
		t.Errorf("String = %q", got)
	}
}

func TestSubnetUses(t *testing.T) {
	for _, tc := range []struct {
		cidr  string
		free  int
		total int
		low   bool
	}{
		{"10.0.1.0/24", 245, 251, false},
		{"10.0.1.0/24", 24, 251, true}, // under 10%
		{"10.0.1.0/24", 26, 251, false},
		{"10.0.0.0/16", 15, 65531, true},    // under 16 addresses
		{"10.0.0.0/16", 6000, 65531, true},  // under 10% of a large subnet
		{"10.0.0.0/16", 7000, 65531, false}, // over both
		{"10.0.3.0/24", 0, 251, true},
		{"", 100, 0, false}, // size unknown: judged on the count
		{"2001:db8::/64", 3, 0, true},
	} {
		s := Subnet{ID: "subnet-x", CIDR: tc.cidr, AvailableIPs: tc.free}
		if got := SubnetTotal(s); got != tc.total {
			t.Errorf("SubnetTotal(%s) = %d, want %d", tc.cidr, got, tc.total)
		}
		if got := DefaultLowSubnet.IsLow(tc.free, tc.total); got != tc.low {
			t.Errorf("IsLow(%d of %d) = %v, want %v", tc.free, tc.total, got, tc.low)
		}
	}

	s := s4Snap()
	s.Subnets = []Subnet{
		{ID: "subnet-b", AZ: "us-east-1b", CIDR: "10.0.2.0/24", AvailableIPs: 246},
		{ID: "subnet-a", AZ: "us-east-1a", CIDR: "10.0.1.0/24", AvailableIPs: 9},
	}
	uses := SubnetUses(Analyze(s, ""), DefaultLowSubnet)
	if len(uses) != 2 || uses[0].ID != "subnet-a" {
		t.Fatalf("uses = %+v, want subnet-a (us-east-1a) first", uses)
	}
	a := uses[0]
	if !a.Low || a.Total != 251 || a.Free() != 9 || !reflect.DeepEqual(a.Clusters, []string{"uploader"}) || !reflect.DeepEqual(a.Groups, []string{"uploader"}) {
		t.Errorf("subnet-a = %+v", a)
	}
	if uses[1].Low {
		t.Errorf("subnet-b with 246 free is low")
	}
}

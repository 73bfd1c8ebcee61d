package model

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestAnalyzeDemoWorld(t *testing.T) {
	w := Analyze(demoSnap(), "")
	if w.TagKey != DefaultClusterTag {
		t.Errorf("TagKey = %q, want %q", w.TagKey, DefaultClusterTag)
	}
	want := []Cluster{
		{
			Name: "blue", Display: "blue", InstanceIDs: []string{"i-b1", "i-b2", "i-b3"},
			States: map[InstanceState]int{StateRunning: 3},
			EIPs:   []string{"3.3.3.1", "3.3.3.2", "3.3.3.3"}, Live: true, Liveness: IsLive,
			NewestLaunch: t0.Add(-time.Hour),
		},
		{
			Name: "green", Display: "green", InstanceIDs: []string{"i-g1", "i-g2", "i-g3"},
			States:       map[InstanceState]int{StateRunning: 3},
			NewestLaunch: t0.Add(-time.Hour), FailedChecks: 1, Liveness: NotLive,
		},
		{
			Name: UntaggedCluster, Display: UntaggedCluster, Untagged: true, InstanceIDs: []string{"i-u1", "i-u2"},
			States:       map[InstanceState]int{StateRunning: 1, StateStopped: 1},
			NewestLaunch: t0.Add(-time.Hour), Liveness: NotLive,
		},
	}
	if !reflect.DeepEqual(w.Clusters, want) {
		t.Errorf("Clusters =\n%+v\nwant\n%+v", w.Clusters, want)
	}

	wantOwners := map[string]Owner{
		"eipalloc-1": {InstanceID: "i-b1", Cluster: "blue"},
		"eipalloc-2": {InstanceID: "i-b2", Cluster: "blue"},
		"eipalloc-3": {InstanceID: "i-b3", Cluster: "blue"},
		"eipalloc-9": {},
	}
	if !reflect.DeepEqual(w.Owners, wantOwners) {
		t.Errorf("Owners = %v, want %v", w.Owners, wantOwners)
	}
	if got, ok := w.ClusterOf("i-u2"); got != UntaggedCluster || !ok {
		t.Errorf("ClusterOf(i-u2) = %q, %v; want %q, true", got, ok, UntaggedCluster)
	}
	if got := w.EIPsOf["i-b2"]; len(got) != 1 || got[0].PublicIP != "3.3.3.2" {
		t.Errorf("EIPsOf[i-b2] = %v, want 3.3.3.2", got)
	}
	if got := w.EIPsOf["i-g1"]; got != nil {
		t.Errorf("EIPsOf[i-g1] = %v, want none", got)
	}
	if w.NumInstances() != 8 {
		t.Errorf("NumInstances() = %d, want 8", w.NumInstances())
	}
}

func TestAnalyzeLivenessFollowsTheEIPs(t *testing.T) {
	w := Analyze(goLive(demoSnap()), "")
	blue, _ := w.Cluster("blue")
	green, _ := w.Cluster("green")
	if blue.Live || len(blue.EIPs) != 0 {
		t.Errorf("blue after go-live: Live=%v EIPs=%v, want not live, none", blue.Live, blue.EIPs)
	}
	if !green.Live || !reflect.DeepEqual(green.EIPs, []string{"3.3.3.1", "3.3.3.2", "3.3.3.3"}) {
		t.Errorf("green after go-live: Live=%v EIPs=%v, want live with 3.3.3.1-3", green.Live, green.EIPs)
	}
	if got := w.Owners["eipalloc-3"]; got != (Owner{InstanceID: "i-g3", Cluster: "green"}) {
		t.Errorf("owner of eipalloc-3 = %v, want green/i-g3", got)
	}
}

func TestOwnership(t *testing.T) {
	tests := []struct {
		name string
		addr Address
		want Owner
		str  string
	}{
		{"on an instance in the snapshot", eip("eipalloc-1", "3.3.3.1", "i-b1"),
			Owner{InstanceID: "i-b1", Cluster: "blue"}, "blue/i-b1"},
		{"on an untagged instance", eip("eipalloc-1", "3.3.3.1", "i-u1"),
			Owner{InstanceID: "i-u1", Cluster: UntaggedCluster}, "(untagged)/i-u1"},
		{"on an instance not in the snapshot", eip("eipalloc-1", "3.3.3.1", "i-elsewhere"),
			Owner{InstanceID: "i-elsewhere"}, "i-elsewhere"},
		{"on a network interface only",
			Address{AllocationID: "eipalloc-1", PublicIP: "3.3.3.1", AssociationID: "eipassoc-1", NetworkInterfaceID: "eni-nat"},
			Owner{NetworkInterfaceID: "eni-nat"}, "eni-nat"},
		{"association only",
			Address{AllocationID: "eipalloc-1", PublicIP: "3.3.3.1", AssociationID: "eipassoc-1"},
			Owner{AssociationID: "eipassoc-1"}, "association eipassoc-1"},
		{"unassociated", eip("eipalloc-1", "3.3.3.1", ""), Owner{}, "unassociated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := demoSnap()
			s.Addresses = []Address{tc.addr}
			w := Analyze(s, "")
			got := w.Owners["eipalloc-1"]
			if got != tc.want {
				t.Errorf("owner = %#v, want %#v", got, tc.want)
			}
			if got.String() != tc.str {
				t.Errorf("String() = %q, want %q", got.String(), tc.str)
			}
			if got.Associated() != tc.addr.Associated() {
				t.Errorf("Associated() = %v, address says %v", got.Associated(), tc.addr.Associated())
			}
			// Only an address on a known instance makes a cluster live.
			live := 0
			for _, c := range w.Clusters {
				if c.Live {
					live++
				}
			}
			wantLive := 0
			if tc.want.Cluster != "" {
				wantLive = 1
			}
			if live != wantLive {
				t.Errorf("%d live clusters, want %d", live, wantLive)
			}
		})
	}
}

func TestGrouping(t *testing.T) {
	tagged := func(id string, tags map[string]string) Instance {
		return Instance{ID: id, State: StateRunning, Tags: TagsOf(tags)}
	}
	s := Snapshot{Instances: []Instance{
		tagged("i-1", map[string]string{"Team": "zeta", "Cluster": "blue"}),
		tagged("i-2", map[string]string{"Team": "alpha"}),
		tagged("i-3", map[string]string{"Team": ""}),              // empty value: untagged
		tagged("i-4", map[string]string{"Team": UntaggedCluster}), // look-alike: untagged
		tagged("i-5", map[string]string{"Team": "(legacy)"}),      // sorts before "(untagged)"
		tagged("i-6", nil), // no tags at all
		tagged("i-2", map[string]string{"Team": "alpha", "Name": "x"}),          // duplicate ID: counted once
		{State: StateRunning, Tags: TagsOf(map[string]string{"Team": "ghost"})}, // no ID: ignored
	}}
	w := Analyze(s, "Team")
	var got []string
	for _, c := range w.Clusters {
		got = append(got, c.Name)
	}
	if want := []string{"(legacy)", "alpha", "zeta", UntaggedCluster}; !reflect.DeepEqual(got, want) {
		t.Fatalf("cluster order = %q, want %q", got, want)
	}
	u, ok := w.Cluster(UntaggedCluster)
	if !ok || !u.Untagged || !reflect.DeepEqual(u.InstanceIDs, []string{"i-3", "i-4", "i-6"}) {
		t.Errorf("untagged = %+v, want i-3, i-4, i-6", u)
	}
	a, _ := w.Cluster("alpha")
	if !reflect.DeepEqual(a.InstanceIDs, []string{"i-2"}) || a.Running() != 1 || a.Untagged {
		t.Errorf("alpha = %+v, want one running instance i-2", a)
	}
	if _, ok := w.Cluster("blue"); ok {
		t.Error("grouped by Cluster although the tag key is Team")
	}
	if _, ok := w.Cluster("ghost"); ok {
		t.Error("an instance without an ID formed a cluster")
	}
}

func TestClusterFacts(t *testing.T) {
	s := demoSnap()
	s.Instances[1].LaunchTime = t0.Add(-time.Minute)
	s.Instances[2].State = StateStopped
	s.Statuses["i-b1"] = InstanceStatus{InstanceID: "i-b1", System: CheckImpaired, Instance: CheckOK,
		Events: []ScheduledEvent{{Code: "instance-retirement", Description: "The instance is running on degraded hardware"}}}
	s.Statuses["i-b2"] = InstanceStatus{InstanceID: "i-b2", System: CheckOK, Instance: CheckOK,
		Events: []ScheduledEvent{{Code: "system-reboot", Description: "[Completed] Scheduled reboot"}}}
	s.Statuses["i-b3"] = InstanceStatus{InstanceID: "i-b3", System: CheckInsufficientData, Instance: CheckOK,
		Events: []ScheduledEvent{{Code: "instance-stop", Description: "[Canceled] stop"}}}
	blue, ok := Analyze(s, "").Cluster("blue")
	if !ok {
		t.Fatal("no blue")
	}
	if !blue.NewestLaunch.Equal(t0.Add(-time.Minute)) {
		t.Errorf("NewestLaunch = %v, want %v", blue.NewestLaunch, t0.Add(-time.Minute))
	}
	if want := map[InstanceState]int{StateRunning: 2, StateStopped: 1}; !reflect.DeepEqual(blue.States, want) {
		t.Errorf("States = %v, want %v", blue.States, want)
	}
	if blue.FailedChecks != 1 {
		t.Errorf("FailedChecks = %d, want 1", blue.FailedChecks)
	}
	if blue.Scheduled != 1 {
		t.Errorf("Scheduled = %d, want 1 (completed and cancelled events do not count)", blue.Scheduled)
	}
}

func TestAddressOrderAndKeys(t *testing.T) {
	s := Snapshot{
		Instances: []Instance{inst("i-1", "web", StateRunning), inst("i-2", "web", StateRunning)},
		Addresses: []Address{
			eip("eipalloc-a", "10.0.0.10", "i-1"),
			eip("eipalloc-b", "10.0.0.2", "i-2"),
			eip("eipalloc-c", "9.9.9.9", "i-1"),
			{PublicIP: "54.0.0.1", InstanceID: "i-2"}, // EC2-Classic: no allocation ID
		},
	}
	w := Analyze(s, "")
	web, _ := w.Cluster("web")
	if want := []string{"9.9.9.9", "10.0.0.2", "10.0.0.10", "54.0.0.1"}; !reflect.DeepEqual(web.EIPs, want) {
		t.Errorf("EIPs = %v, want %v (numeric order)", web.EIPs, want)
	}
	if got := w.Owners["54.0.0.1"]; got != (Owner{InstanceID: "i-2", Cluster: "web"}) {
		t.Errorf("classic address keyed by public IP: owner %v", got)
	}
	if got := w.AddressesOf("web"); len(got) != 4 || got[0].PublicIP != "9.9.9.9" || got[3].PublicIP != "54.0.0.1" {
		t.Errorf("AddressesOf(web) = %v", got)
	}
	if a, ok := w.Address("eipalloc-b"); !ok || a.PublicIP != "10.0.0.2" {
		t.Errorf("Address(eipalloc-b) = %v, %v", a, ok)
	}
	if got := w.InstancesIn("web"); len(got) != 2 || got[0].ID != "i-1" {
		t.Errorf("InstancesIn(web) = %v", got)
	}
}

func TestClusterLookupOnLiteralWorld(t *testing.T) {
	// A World built by hand (as tests elsewhere do) has no index.
	w := World{Clusters: []Cluster{{Name: "blue"}}}
	if c, ok := w.Cluster("blue"); !ok || c.Name != "blue" {
		t.Errorf("Cluster(blue) = %v, %v", c, ok)
	}
	if _, ok := w.Cluster("green"); ok {
		t.Error("Cluster(green) found on a world without it")
	}
	if _, ok := (World{}).Cluster("blue"); ok {
		t.Error("zero World has a cluster")
	}
}

func TestCompareIP(t *testing.T) {
	ordered := []string{"3.3.3.3", "10.0.0.2", "10.0.0.10", "2001:db8::1", "not-an-ip", "zzz"}
	for i := range ordered {
		for j := range ordered {
			got := compareIP(ordered[i], ordered[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got != want {
				t.Errorf("compareIP(%q, %q) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

// Unknown is not "no": a cluster holding no EIP is NotLive only when the
// snapshot would show an EIP it held. A script or a screen that reads
// "not live" when the EIPs could not be listed concludes that nothing
// serves (S1, S2).
func TestLivenessIsTriState(t *testing.T) {
	denied := errors.New("access denied: ec2:DescribeAddresses")
	tests := []struct {
		name   string
		snap   func() Snapshot
		want   map[string]Liveness
		reason string // substring of every unknown cluster's LiveReason
	}{
		{"complete", demoSnap, map[string]Liveness{"blue": IsLive, "green": NotLive, UntaggedCluster: NotLive}, ""},
		{"after the go-live", func() Snapshot { return goLive(demoSnap()) },
			map[string]Liveness{"blue": NotLive, "green": IsLive, UntaggedCluster: NotLive}, ""},
		{"addresses denied", func() Snapshot {
			s := clone(demoSnap())
			s.Addresses = nil
			s.Sections[SectionAddresses] = SectionResult{Err: denied}
			return s
		}, map[string]Liveness{"blue": LiveUnknown, "green": LiveUnknown, UntaggedCluster: LiveUnknown},
			"Elastic IPs unknown: access denied: ec2:DescribeAddresses"},
		{"addresses not fetched", func() Snapshot {
			s := clone(demoSnap())
			s.Addresses = nil
			delete(s.Sections, SectionAddresses)
			return s
		}, map[string]Liveness{"blue": LiveUnknown, "green": LiveUnknown, UntaggedCluster: LiveUnknown}, "not fetched"},
		{"addresses failed, last good list carried over", func() Snapshot {
			s := clone(demoSnap())
			s.Sections[SectionAddresses] = SectionResult{Err: denied, Carried: true}
			return s
		}, map[string]Liveness{"blue": IsLive, "green": NotLive, UntaggedCluster: NotLive}, ""},
		{"addresses incomplete without an error", func() Snapshot {
			s := clone(demoSnap())
			s.Addresses = nil
			s.Sections[SectionAddresses] = SectionResult{}
			return s
		}, map[string]Liveness{"blue": LiveUnknown, "green": LiveUnknown, UntaggedCluster: LiveUnknown}, "incomplete"},
		// The instance list stopped at a page that held blue: its EIPs are
		// on instances the snapshot lacks, so no cluster without EIPs can
		// be called not live.
		{"instances incomplete, an EIP holder missing", func() Snapshot {
			s := clone(demoSnap())
			s.Instances = s.Instances[3:]
			s.Sections[SectionInstances] = SectionResult{Err: errors.New("throttled on page 2")}
			return s
		}, map[string]Liveness{"green": LiveUnknown, UntaggedCluster: LiveUnknown},
			"EIP 3.3.3.1 is on i-b1, which the instance list (throttled on page 2) does not hold"},
		// Partial instances, but every EIP's holder arrived: the clusters
		// that hold none are known not to.
		{"instances incomplete, every holder present", func() Snapshot {
			s := clone(demoSnap())
			s.Instances = s.Instances[:6]
			s.Sections[SectionInstances] = SectionResult{Err: errors.New("throttled on page 2")}
			return s
		}, map[string]Liveness{"blue": IsLive, "green": NotLive}, ""},
		// An EIP on an instance outside a complete list (another
		// account's, or gone since) is on no cluster shown here.
		{"EIP on an instance outside a complete list", func() Snapshot {
			s := clone(demoSnap())
			s.Addresses = append(s.Addresses, eip("eipalloc-7", "3.3.3.7", "i-elsewhere"))
			return s
		}, map[string]Liveness{"blue": IsLive, "green": NotLive, UntaggedCluster: NotLive}, ""},
		// A status line's glance: only the EIPs' holders, fetched by ID.
		{"glance: holders fetched", func() Snapshot {
			s := clone(demoSnap())
			s.Instances = s.Instances[:3]
			delete(s.Sections, SectionInstances)
			s.Sections[SectionHolders] = SectionResult{Complete: true}
			return s
		}, map[string]Liveness{"blue": IsLive}, ""},
		{"glance: holders failed", func() Snapshot {
			s := clone(demoSnap())
			s.Instances = nil
			delete(s.Sections, SectionInstances)
			s.Sections[SectionHolders] = SectionResult{Err: errors.New("throttled: ec2:DescribeInstances")}
			s.Addresses = append(s.Addresses, eip("eipalloc-8", "3.3.3.8", "i-x"))
			s.Instances = []Instance{inst("i-x", "green", StateRunning)}
			return s
		}, map[string]Liveness{"green": IsLive}, ""},
		{"glance: holders failed, nothing arrived", func() Snapshot {
			s := clone(demoSnap())
			s.Instances = []Instance{inst("i-g1", "green", StateRunning)}
			delete(s.Sections, SectionInstances)
			s.Sections[SectionHolders] = SectionResult{Err: errors.New("throttled: ec2:DescribeInstances")}
			return s
		}, map[string]Liveness{"green": LiveUnknown}, "which the instance list (throttled: ec2:DescribeInstances) does not hold"},
		// The dashboard keeps the fleet list between its (slower)
		// fetches and asks for the holders it lacks by ID.
		{"kept fleet list, new holder fetched by ID", func() Snapshot {
			s := clone(demoSnap())
			s.Addresses = append(s.Addresses, eip("eipalloc-8", "3.3.3.8", "i-new"))
			s.Instances = append(s.Instances, inst("i-new", "green", StateRunning))
			s.Sections[SectionHolders] = SectionResult{Complete: true}
			return s
		}, map[string]Liveness{"blue": IsLive, "green": IsLive, UntaggedCluster: NotLive}, ""},
		{"kept fleet list, holder fetch failed", func() Snapshot {
			s := clone(demoSnap())
			s.Addresses = append(s.Addresses, eip("eipalloc-8", "3.3.3.8", "i-new"))
			s.Sections[SectionHolders] = SectionResult{Err: errors.New("throttled: ec2:DescribeInstances")}
			return s
		}, map[string]Liveness{"blue": IsLive, "green": LiveUnknown, UntaggedCluster: LiveUnknown},
			"EIP 3.3.3.8 is on i-new, which the instance list (throttled: ec2:DescribeInstances) does not hold"},
		// A cluster holding an EIP is live whatever else failed.
		{"status and subnets failed", func() Snapshot {
			s := clone(demoSnap())
			s.Sections[SectionStatus] = SectionResult{Err: denied}
			s.Sections[SectionSubnets] = SectionResult{Err: denied}
			return s
		}, map[string]Liveness{"blue": IsLive, "green": NotLive, UntaggedCluster: NotLive}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := Analyze(tt.snap(), "")
			got := map[string]Liveness{}
			for _, c := range w.Clusters {
				got[c.Name] = c.Liveness
				if c.Live != (c.Liveness == IsLive) {
					t.Errorf("%s: Live = %v but Liveness = %v", c.Name, c.Live, c.Liveness)
				}
				switch {
				case c.Liveness == LiveUnknown && !strings.Contains(c.LiveReason, tt.reason):
					t.Errorf("%s: LiveReason = %q, want it to contain %q", c.Name, c.LiveReason, tt.reason)
				case c.Liveness == LiveUnknown && c.LiveReason == "":
					t.Errorf("%s: unknown without a reason", c.Name)
				case c.Liveness != LiveUnknown && c.LiveReason != "":
					t.Errorf("%s: %v with a reason %q", c.Name, c.Liveness, c.LiveReason)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("liveness = %v, want %v", got, tt.want)
			}
		})
	}
	if LiveUnknown.String() != "unknown" || IsLive.String() != "LIVE" || NotLive.String() != "not live" {
		t.Errorf("Liveness words: %q %q %q", IsLive, NotLive, LiveUnknown)
	}
	var zero Cluster
	if zero.Liveness != LiveUnknown {
		t.Error("the zero Cluster's liveness is not unknown")
	}
}

// A terminated or stopped cluster has nothing to check: its checks are
// not "ok". Checks that were not fetched are unknown, not passing.
func TestClusterChecks(t *testing.T) {
	retiring := InstanceStatus{System: CheckOK, Instance: CheckOK,
		Events: []ScheduledEvent{{Code: "instance-retirement", Description: "retire"}}}
	tests := []struct {
		name     string
		states   []InstanceState
		statuses []InstanceStatus // parallel to states; zero: none reported
		statusOK bool             // the instance_status section was fetched
		want     Checks
	}{
		{"all running and passing", []InstanceState{StateRunning, StateRunning}, []InstanceStatus{okStatus, okStatus}, true, ChecksOK},
		{"all terminated", []InstanceState{StateTerminated, StateTerminated, StateTerminated}, nil, true, ChecksNotRunning},
		{"stopped and shutting down", []InstanceState{StateStopped, StateShuttingDown}, nil, true, ChecksNotRunning},
		{"one failing", []InstanceState{StateRunning, StateRunning}, []InstanceStatus{okStatus, {System: CheckImpaired, Instance: CheckOK}}, true, ChecksFailed},
		{"a stopped one scheduled for retirement", []InstanceState{StateStopped}, []InstanceStatus{retiring}, true, ChecksScheduled},
		{"checks not fetched", []InstanceState{StateRunning}, nil, false, ChecksUnknown},
		{"checks not fetched, nothing running", []InstanceState{StateTerminated}, nil, false, ChecksNotRunning},
		{"checks not fetched, a failure arrived before", []InstanceState{StateRunning}, []InstanceStatus{{System: CheckImpaired}}, false, ChecksFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Snapshot{Sections: allComplete(), Statuses: map[string]InstanceStatus{}}
			if !tt.statusOK {
				s.Sections[SectionStatus] = SectionResult{Err: errors.New("throttled: ec2:DescribeInstanceStatus")}
			}
			for i, st := range tt.states {
				id := fmt.Sprintf("i-%d", i)
				s.Instances = append(s.Instances, inst(id, "c", st))
				if i < len(tt.statuses) {
					ist := tt.statuses[i]
					ist.InstanceID = id
					s.Statuses[id] = ist
				}
			}
			c, _ := Analyze(s, "").Cluster("c")
			if got := c.Checks(); got != tt.want {
				t.Errorf("Checks() = %d, want %d (cluster %+v)", got, tt.want, c)
			}
			if (c.ChecksUnknown != "") == tt.statusOK {
				t.Errorf("ChecksUnknown = %q with the section fetched = %v", c.ChecksUnknown, tt.statusOK)
			}
		})
	}
}

var okStatus = InstanceStatus{System: CheckOK, Instance: CheckOK}

func TestWorldInstance(t *testing.T) {
	// i-1 is listed twice (a page boundary moving under a paginated
	// list, or holders joined to a kept list): the later entry wins, as
	// it always has, for Instance, Instances and the cluster it is in.
	s := Snapshot{Instances: []Instance{
		inst("i-1", "blue", StateRunning),
		inst("i-2", "", StateStopped),
		inst("i-1", "green", StateStopping),
		{State: StateRunning}, // no ID: not an instance anyone can name
	}}
	w := Analyze(s, "")
	tests := []struct {
		id        string
		ok        bool
		state     InstanceState
		cluster   string
		clusterOf string
	}{
		{"i-1", true, StateStopping, "green", "green"},
		{"i-2", true, StateStopped, "", UntaggedCluster},
		{"i-9", false, "", "", ""},
		{"", false, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			in, ok := w.Instance(tt.id)
			if ok != tt.ok || in.State != tt.state || in.Tags.Get(DefaultClusterTag) != tt.cluster {
				t.Errorf("Instance(%q) = %s %v, %v; want %s %q, %v", tt.id, in.State, in.Tags, ok, tt.state, tt.cluster, tt.ok)
			}
			if !ok && !reflect.DeepEqual(in, Instance{}) {
				t.Errorf("Instance(%q) = %+v, want the zero Instance", tt.id, in)
			}
			if got, ok := w.ClusterOf(tt.id); got != tt.clusterOf || ok != tt.ok {
				t.Errorf("ClusterOf(%q) = %q, %v; want %q, %v", tt.id, got, ok, tt.clusterOf, tt.ok)
			}
		})
	}
	if blue, ok := w.Cluster("blue"); ok {
		t.Errorf("cluster blue = %v: i-1's overridden entry formed it", blue)
	}

	var got []string
	for id, in := range w.Instances() {
		got = append(got, id+" "+string(in.State))
	}
	want := []string{"i-2 stopped", "i-1 stopping"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Instances() = %v, want %v", got, want)
	}
	if n := w.NumInstances(); n != 2 {
		t.Errorf("NumInstances() = %d, want 2", n)
	}

	// Copies share the index, and read what Analyze derived.
	cp := w
	if in, ok := cp.Instance("i-1"); !ok || in.State != StateStopping {
		t.Errorf("a copy's Instance(i-1) = %s, %v; want stopping, true", in.State, ok)
	}
	var zero World
	if in, ok := zero.Instance("i-1"); ok || !reflect.DeepEqual(in, Instance{}) {
		t.Errorf("zero World: Instance(i-1) = %+v, %v; want zero, false", in, ok)
	}
	for id := range zero.Instances() {
		t.Errorf("zero World yields %s", id)
	}
}

func TestWorldClusterOf(t *testing.T) {
	// ClusterOf is worked out on demand, so it must say exactly what
	// Analyze grouped: the oracle is each cluster's InstanceIDs.
	s := Snapshot{Instances: []Instance{
		inst("i-b1", "blue", StateRunning),
		inst("i-z1", "blue\u200b", StateRunning),    // a look-alike is its own cluster, raw
		inst("i-u1", "", StateStopped),              // no tag
		inst("i-u2", UntaggedCluster, StateRunning), // "(untagged)" literally joins the group
		inst("i-l1", UntaggedCluster+"\u200b", StateRunning),
		inst("i-d1", "blue", StateRunning),
		inst("", "red", StateRunning),   // no ID: in no cluster, "red" never forms
		inst("i-d1", "", StateStopping), // listed again untagged: the later entry wins
		inst("i-d2", "", StateRunning),
		inst("i-d2", "green", StateRunning), // and the other way round
	}, Addresses: []Address{
		eip("eipalloc-1", "3.3.3.1", "i-b1"),
		eip("eipalloc-2", "3.3.3.2", "i-d1"),
		eip("eipalloc-3", "3.3.3.3", "i-gone"),
	}}
	tests := []struct {
		name, tagKey string
		want         map[string]string // ID → cluster; every ID the world holds
	}{
		{"default tag", "", map[string]string{
			"i-b1": "blue", "i-z1": "blue\u200b", "i-u1": UntaggedCluster, "i-u2": UntaggedCluster,
			"i-l1": UntaggedCluster + "\u200b", "i-d1": UntaggedCluster, "i-d2": "green",
		}},
		// Another tag key: the Cluster tag means nothing, so every
		// instance is untagged. A lookup that ignored TagKey fails here.
		{"other tag key", "Team", map[string]string{
			"i-b1": UntaggedCluster, "i-z1": UntaggedCluster, "i-u1": UntaggedCluster, "i-u2": UntaggedCluster,
			"i-l1": UntaggedCluster, "i-d1": UntaggedCluster, "i-d2": UntaggedCluster,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := Analyze(s, tt.tagKey)
			for id, want := range tt.want {
				if got, ok := w.ClusterOf(id); got != want || !ok {
					t.Errorf("ClusterOf(%q) = %q, %v; want %q, true", id, got, ok, want)
				}
			}
			for _, id := range []string{"", "i-gone", "i-B1", "i-b1 "} {
				if got, ok := w.ClusterOf(id); got != "" || ok {
					t.Errorf("ClusterOf(%q) = %q, %v; want \"\", false", id, got, ok)
				}
			}
			grouped := map[string]string{}
			for _, c := range w.Clusters {
				for _, id := range c.InstanceIDs {
					grouped[id] = c.Name
				}
			}
			if !reflect.DeepEqual(grouped, tt.want) {
				t.Errorf("Analyze grouped %q, want %q", grouped, tt.want)
			}
			if n := w.NumInstances(); n != len(tt.want) {
				t.Errorf("NumInstances() = %d, want %d", n, len(tt.want))
			}
			// An address's owner names the cluster ClusterOf gives, and
			// none for an instance the world does not hold.
			for key, o := range w.Owners {
				if got, _ := w.ClusterOf(o.InstanceID); o.Cluster != got {
					t.Errorf("Owners[%s].Cluster = %q, ClusterOf(%q) = %q", key, o.Cluster, o.InstanceID, got)
				}
			}
			if o := w.Owners["eipalloc-2"]; o.Cluster != tt.want["i-d1"] {
				t.Errorf("Owners[eipalloc-2] = %+v, want cluster %q", o, tt.want["i-d1"])
			}
		})
	}

	var zero World
	if got, ok := zero.ClusterOf("i-b1"); got != "" || ok {
		t.Errorf("zero World: ClusterOf(i-b1) = %q, %v; want \"\", false", got, ok)
	}
}

func TestWorldInstancesStopsWhenAsked(t *testing.T) {
	// An iterator that calls yield again after a break makes the
	// runtime panic here.
	w := Analyze(demoSnap(), "")
	n := 0
	for range w.Instances() {
		n++
		break
	}
	if n != 1 {
		t.Errorf("iterated %d times after break, want 1", n)
	}
}

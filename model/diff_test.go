package model

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// ev is an Event without its time, for tables.
type ev struct {
	Kind                   EventKind
	Subject, From, To, Clu string
}

func strip(evs []Event) []ev {
	var out []ev
	for _, e := range evs {
		out = append(out, ev{e.Kind, e.Subject, e.From, e.To, e.Cluster})
	}
	return out
}

func failed(s *Snapshot, sec Section) {
	s.Sections[sec] = SectionResult{Err: errors.New("access denied")}
}

func incomplete(s *Snapshot, sec Section) {
	s.Sections[sec] = SectionResult{Complete: false}
}

func setEIP(s *Snapshot, alloc, instanceID string) {
	for i, a := range s.Addresses {
		if a.AllocationID == alloc {
			s.Addresses[i] = eip(alloc, a.PublicIP, instanceID)
		}
	}
}

func dropEIP(s *Snapshot, alloc string) {
	var keep []Address
	for _, a := range s.Addresses {
		if a.AllocationID != alloc {
			keep = append(keep, a)
		}
	}
	s.Addresses = keep
}

func dropInstance(s *Snapshot, id string) {
	var keep []Instance
	for _, in := range s.Instances {
		if in.ID != id {
			keep = append(keep, in)
		}
	}
	s.Instances = keep
}

func setState(s *Snapshot, id string, st InstanceState) {
	for i := range s.Instances {
		if s.Instances[i].ID == id {
			s.Instances[i].State = st
		}
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name string
		prev func(s *Snapshot) // changes to the demo world before
		next func(s *Snapshot) // changes to the demo world after
		want []ev
	}{
		{name: "nothing changed"},
		{
			name: "first snapshot",
			prev: func(s *Snapshot) { *s = Snapshot{} },
			want: nil,
		},
		{
			name: "go-live moves the EIPs and LIVE from blue to green (S1)",
			next: func(s *Snapshot) { *s = goLive(*s) },
			want: []ev{
				{EventLiveChanged, "blue", LiveYes, LiveNo, "blue"},
				{EventLiveChanged, "green", LiveNo, LiveYes, "green"},
				{EventEIPMoved, "3.3.3.1", "blue/i-b1", "green/i-g1", "green"},
				{EventEIPMoved, "3.3.3.2", "blue/i-b2", "green/i-g2", "green"},
				{EventEIPMoved, "3.3.3.3", "blue/i-b3", "green/i-g3", "green"},
			},
		},
		{
			name: "EIP moved within a cluster",
			next: func(s *Snapshot) { setEIP(s, "eipalloc-1", "i-b2") },
			want: []ev{{EventEIPMoved, "3.3.3.1", "blue/i-b1", "blue/i-b2", "blue"}},
		},
		{
			name: "EIP moved to an instance outside the snapshot",
			next: func(s *Snapshot) { setEIP(s, "eipalloc-1", "i-other") },
			want: []ev{{EventEIPMoved, "3.3.3.1", "blue/i-b1", "i-other", "blue"}},
		},
		{
			name: "EIP moved with its instance re-tagged",
			next: func(s *Snapshot) { s.Instances[0].Tags = TagsOf(map[string]string{DefaultClusterTag: "green"}) },
			want: []ev{
				{EventLiveChanged, "green", LiveNo, LiveYes, "green"},
				{EventEIPMoved, "3.3.3.1", "blue/i-b1", "green/i-b1", "green"},
			},
		},
		{
			name: "new EIP, unassociated and on an instance",
			next: func(s *Snapshot) {
				s.Addresses = append(s.Addresses, eip("eipalloc-7", "3.3.3.7", ""), eip("eipalloc-8", "3.3.3.8", "i-g2"))
			},
			want: []ev{
				{EventLiveChanged, "green", LiveNo, LiveYes, "green"},
				{EventEIPNew, "3.3.3.7", "", "unassociated", ""},
				{EventEIPNew, "3.3.3.8", "", "green/i-g2", "green"},
			},
		},
		{
			name: "EIP released",
			next: func(s *Snapshot) { dropEIP(s, "eipalloc-2"); dropEIP(s, "eipalloc-9") },
			want: []ev{
				{EventEIPReleased, "3.3.3.2", "blue/i-b2", "", "blue"},
				{EventEIPReleased, "3.3.3.9", "unassociated", "", ""},
			},
		},
		{
			name: "all of a cluster's EIPs released",
			next: func(s *Snapshot) { dropEIP(s, "eipalloc-1"); dropEIP(s, "eipalloc-2"); dropEIP(s, "eipalloc-3") },
			want: []ev{
				{EventLiveChanged, "blue", LiveYes, LiveNo, "blue"},
				{EventEIPReleased, "3.3.3.1", "blue/i-b1", "", "blue"},
				{EventEIPReleased, "3.3.3.2", "blue/i-b2", "", "blue"},
				{EventEIPReleased, "3.3.3.3", "blue/i-b3", "", "blue"},
			},
		},
		{
			name: "EIP associated",
			next: func(s *Snapshot) { setEIP(s, "eipalloc-9", "i-g1") },
			want: []ev{
				{EventLiveChanged, "green", LiveNo, LiveYes, "green"},
				{EventEIPAssociated, "3.3.3.9", "unassociated", "green/i-g1", "green"},
			},
		},
		{
			name: "EIP associated with an untagged instance: no liveness event",
			next: func(s *Snapshot) { setEIP(s, "eipalloc-9", "i-u1") },
			want: []ev{{EventEIPAssociated, "3.3.3.9", "unassociated", "(untagged)/i-u1", UntaggedCluster}},
		},
		{
			name: "EIP disassociated",
			next: func(s *Snapshot) { setEIP(s, "eipalloc-3", "") },
			want: []ev{{EventEIPDisassociated, "3.3.3.3", "blue/i-b3", "unassociated", "blue"}},
		},
		{
			name: "instance state changed",
			next: func(s *Snapshot) { setState(s, "i-b1", StateStopping); setState(s, "i-u2", StateRunning) },
			want: []ev{
				{EventInstanceState, "i-b1", "running", "stopping", "blue"},
				{EventInstanceState, "i-u2", "stopped", "running", UntaggedCluster},
			},
		},
		{
			name: "instance appeared",
			next: func(s *Snapshot) { s.Instances = append(s.Instances, inst("i-g4", "green", StatePending)) },
			want: []ev{{EventInstanceAppeared, "i-g4", "", "pending", "green"}},
		},
		{
			name: "instance vanished",
			next: func(s *Snapshot) { dropInstance(s, "i-u2") },
			want: []ev{{EventInstanceVanished, "i-u2", "stopped", "", UntaggedCluster}},
		},
		{
			name: "a new cluster appears",
			next: func(s *Snapshot) {
				s.Instances = append(s.Instances, inst("i-r1", "red", StatePending))
				s.Addresses = append(s.Addresses, eip("eipalloc-5", "3.3.3.5", "i-r1"))
			},
			want: []ev{
				{EventLiveChanged, "red", LiveNo, LiveYes, "red"},
				{EventEIPNew, "3.3.3.5", "", "red/i-r1", "red"},
				{EventInstanceAppeared, "i-r1", "", "pending", "red"},
			},
		},
		{
			name: "status check failed",
			next: func(s *Snapshot) {
				s.Statuses["i-g1"] = InstanceStatus{InstanceID: "i-g1", System: CheckImpaired, Instance: CheckOK}
			},
			want: []ev{{EventStatusFailed, "i-g1", "system ok, instance ok", "system FAILED, instance ok", "green"}},
		},
		{
			name: "status check failed on an instance that had no status",
			next: func(s *Snapshot) { s.Statuses["i-u2"] = InstanceStatus{InstanceID: "i-u2", Instance: CheckImpaired} },
			want: []ev{{EventStatusFailed, "i-u2", "", "system unknown, instance FAILED", UntaggedCluster}},
		},
		{
			name: "status check recovered",
			next: func(s *Snapshot) {
				s.Statuses["i-g3"] = InstanceStatus{InstanceID: "i-g3", System: CheckOK, Instance: CheckOK}
			},
			want: []ev{{EventStatusRecovered, "i-g3", "system ok, instance FAILED", "system ok, instance ok", "green"}},
		},
		{
			name: "still failing is not news",
			next: func(s *Snapshot) {
				s.Statuses["i-g3"] = InstanceStatus{InstanceID: "i-g3", System: CheckImpaired, Instance: CheckImpaired}
			},
		},

		// Failed or incomplete sections are not evidence of anything gone.
		{
			name: "addresses failed after: no release, no LIVE lost",
			next: func(s *Snapshot) { s.Addresses = nil; failed(s, SectionAddresses) },
		},
		{
			name: "addresses incomplete after: no release of the missing page",
			next: func(s *Snapshot) { dropEIP(s, "eipalloc-1"); incomplete(s, SectionAddresses) },
		},
		{
			name: "addresses failed before: no new EIPs, no LIVE gained",
			prev: func(s *Snapshot) { s.Addresses = nil; failed(s, SectionAddresses) },
		},
		{
			name: "addresses section missing before",
			prev: func(s *Snapshot) { s.Addresses = nil; delete(s.Sections, SectionAddresses) },
		},
		{
			name: "instances failed after: no vanish, no false move, no LIVE lost",
			next: func(s *Snapshot) { s.Instances = nil; failed(s, SectionInstances) },
		},
		{
			name: "instances incomplete after, with a real change on a listed instance",
			next: func(s *Snapshot) {
				s.Instances = s.Instances[:2]
				setState(s, "i-b2", StateStopping)
				incomplete(s, SectionInstances)
			},
			want: []ev{{EventInstanceState, "i-b2", "running", "stopping", "blue"}},
		},
		{
			name: "instances failed before: no appearances",
			prev: func(s *Snapshot) { s.Instances = nil; failed(s, SectionInstances) },
		},
		{
			name: "a real move is reported even when instances failed",
			next: func(s *Snapshot) {
				*s = goLive(*s)
				s.Instances = nil
				failed(s, SectionInstances)
			},
			want: []ev{
				{EventEIPMoved, "3.3.3.1", "blue/i-b1", "i-g1", "blue"},
				{EventEIPMoved, "3.3.3.2", "blue/i-b2", "i-g2", "blue"},
				{EventEIPMoved, "3.3.3.3", "blue/i-b3", "i-g3", "blue"},
			},
		},
		{
			name: "status failed before: a failure is not reported as new",
			prev: func(s *Snapshot) { delete(s.Statuses, "i-g1"); failed(s, SectionStatus) },
			next: func(s *Snapshot) {
				s.Statuses["i-g1"] = InstanceStatus{InstanceID: "i-g1", System: CheckImpaired, Instance: CheckOK}
			},
		},

		// Not the same place: nothing to compare.
		{
			name: "another account",
			next: func(s *Snapshot) { *s = goLive(*s); s.Identity.AccountID = "222222222222" },
		},
		{
			name: "another region",
			next: func(s *Snapshot) { *s = goLive(*s); s.Region = "eu-west-1" },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, n := clone(demoSnap()), clone(demoSnap())
			if tc.prev != nil {
				tc.prev(&p)
			}
			if tc.next != nil {
				tc.next(&n)
			}
			evs := Diff(Analyze(p, ""), Analyze(n, ""), t0)
			if got := strip(evs); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Diff =\n%v\nwant\n%v", got, tc.want)
			}
			for _, e := range evs {
				if !e.At.Equal(t0) {
					t.Errorf("event %v stamped %v, want %v", e, e.At, t0)
				}
			}
		})
	}
}

func TestDiffDeterministic(t *testing.T) {
	p := demoSnap()
	n := goLive(demoSnap())
	for i := 10; i < 40; i++ {
		ip := "10.0.0." + string(rune('0'+i/10)) + string(rune('0'+i%10))
		n.Addresses = append(n.Addresses, eip("eipalloc-x"+ip, ip, ""))
	}
	n.Addresses = append(n.Addresses, eip("eipalloc-x2", "10.0.0.2", ""))
	first := Diff(Analyze(p, ""), Analyze(n, ""), t0)
	for range 20 {
		if again := Diff(Analyze(p, ""), Analyze(n, ""), t0); !reflect.DeepEqual(first, again) {
			t.Fatal("Diff order depends on map iteration")
		}
	}
	var news []string
	for _, e := range first {
		if e.Kind == EventEIPNew {
			news = append(news, e.Subject)
		}
	}
	if news[0] != "10.0.0.2" || news[1] != "10.0.0.10" {
		t.Errorf("new EIPs not in numeric order: %v", news[:3])
	}
}

func TestEventString(t *testing.T) {
	tests := []struct {
		e    Event
		want string
	}{
		{Event{Kind: EventEIPMoved, Subject: "3.3.3.3", From: "blue/i-1", To: "green/i-2"}, "EIP 3.3.3.3 moved blue/i-1 → green/i-2"},
		{Event{Kind: EventEIPNew, Subject: "3.3.3.3", To: "unassociated"}, "new EIP 3.3.3.3 (unassociated)"},
		{Event{Kind: EventEIPNew, Subject: "3.3.3.3", To: "green/i-2"}, "new EIP 3.3.3.3 on green/i-2"},
		{Event{Kind: EventEIPReleased, Subject: "3.3.3.3", From: "blue/i-1"}, "EIP 3.3.3.3 released (was on blue/i-1)"},
		{Event{Kind: EventEIPReleased, Subject: "3.3.3.3", From: "unassociated"}, "EIP 3.3.3.3 released"},
		{Event{Kind: EventEIPAssociated, Subject: "3.3.3.3", To: "green/i-2"}, "EIP 3.3.3.3 associated with green/i-2"},
		{Event{Kind: EventEIPDisassociated, Subject: "3.3.3.3", From: "blue/i-1"}, "EIP 3.3.3.3 disassociated from blue/i-1"},
		{Event{Kind: EventInstanceState, Subject: "i-1", From: "running", To: "stopping", Cluster: "blue"}, "instance i-1 in blue running → stopping"},
		{Event{Kind: EventInstanceState, Subject: "i-1", From: "running", To: "stopping"}, "instance i-1 running → stopping"},
		{Event{Kind: EventInstanceAppeared, Subject: "i-9", To: "pending", Cluster: "green"}, "instance i-9 appeared in green (pending)"},
		{Event{Kind: EventInstanceVanished, Subject: "i-9", From: "terminated", Cluster: UntaggedCluster}, "instance i-9 (untagged) vanished (was terminated)"},
		{Event{Kind: EventStatusFailed, Subject: "i-4", To: "system ok, instance FAILED", Cluster: "green"}, "instance i-4 in green: status checks FAILED (system ok, instance FAILED)"},
		{Event{Kind: EventStatusRecovered, Subject: "i-4", To: "system ok, instance ok", Cluster: "green"}, "instance i-4 in green: status checks no longer FAILED (system ok, instance ok)"},
		{Event{Kind: EventLiveChanged, Subject: "green", From: LiveNo, To: LiveYes}, "cluster green is now LIVE"},
		{Event{Kind: EventLiveChanged, Subject: "blue", From: LiveYes, To: LiveNo}, "cluster blue is no longer LIVE"},
	}
	for _, tc := range tests {
		if got := tc.e.String(); got != tc.want {
			t.Errorf("%s: String() = %q, want %q", tc.e.Kind, got, tc.want)
		}
	}
	// Every kind has its own sentence.
	for k := range kindRank {
		if s := (Event{Kind: k, Subject: "x"}).String(); strings.HasPrefix(s, string(k)) {
			t.Errorf("kind %s has no sentence of its own: %q", k, s)
		}
	}
}

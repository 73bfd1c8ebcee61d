package tui

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/airlock-ops/airlock/model"
)

// detailSnapshot is the demo world with what only the detail view shows:
// security groups, an instance profile, a scheduled retirement on the
// bastion and a named subnet.
func detailSnapshot() model.Snapshot {
	s := demoSnapshot()
	s.Instances = append([]model.Instance(nil), s.Instances...)
	for i := range s.Instances {
		in := &s.Instances[i]
		in.SecurityGroups = []model.SecurityGroup{{ID: "sg-0web0000000000001", Name: "acme-web"}}
		if in.Tags.Get("Cluster") != "" {
			in.IAMProfile = "arn:aws:iam::111111111111:instance-profile/acme-web"
		}
	}
	s.Statuses = cloneStatuses(s.Statuses)
	s.Statuses["i-0a000000000000001"] = model.InstanceStatus{
		InstanceID: "i-0a000000000000001", System: model.CheckOK, Instance: model.CheckOK,
		Events: []model.ScheduledEvent{
			{Code: "instance-retirement", Description: "The instance is running on degraded hardware", NotBefore: t0.Add(6 * 24 * time.Hour)},
			{Code: "system-reboot", Description: "[Completed] Scheduled reboot", NotBefore: t0.Add(-30 * 24 * time.Hour)},
		},
	}
	s.Subnets = append([]model.Subnet(nil), s.Subnets...)
	s.Subnets[1].Name = "acme-private-b"
	return s
}

func cloneStatuses(m map[string]model.InstanceStatus) map[string]model.InstanceStatus {
	return maps.Clone(m)
}

// TestGoldenDetail keeps the detail view of each kind of row: an
// instance (enter on it), an Elastic IP (enter), a cluster (d: enter
// drills), an event (d); at 80x24 and 60x24, and scrolled to the end.
func TestGoldenDetail(t *testing.T) {
	cases := []struct {
		name string
		w, h int
		keys []string
	}{
		{"instance", 80, 24, []string{"tab", "tab", "enter"}},
		{"instance-60x24", 60, 24, []string{"tab", "tab", "enter"}},
		{"instance-end", 80, 24, []string{"tab", "tab", "enter", "end"}},
		{"bastion-events", 80, 24, []string{"j", "j", "tab", "tab", "enter"}},
		{"eip", 80, 24, []string{"tab", "enter"}},
		{"cluster", 80, 24, []string{"j", "d"}},
		{"event", 80, 24, []string{"shift+tab", "d"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(t, &staticSource{}, Options{}, tc.w, tc.h)
			hs.deliver(detailSnapshot())
			hs.clock.Advance(5 * time.Second)
			hs.deliver(goLive(detailSnapshot()))
			hs.key(tc.keys...)
			if hs.m.detail == nil {
				t.Fatalf("keys %v opened no detail view:\n%s", tc.keys, hs.screen())
			}
			out := hs.m.View().Content
			assertFits(t, out, tc.w, tc.h)
			if !strings.Contains(strings.SplitN(ansi.Strip(out), "\n", 2)[0], "PRODUCTION") {
				t.Errorf("the banner is not on the detail view:\n%s", ansi.Strip(out))
			}
			golden.RequireEqual(t, ansi.Strip(out))
		})
	}
}

// The detail view scrolls, closes with esc, and the pane keys do not
// move the rows behind it.
func TestDetailScrollsAndCloses(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 16)
	hs.deliver(detailSnapshot())
	hs.key("tab", "tab", "enter")
	first := hs.screen()
	if !strings.Contains(first, "━▶ Instance i-0b1e0000000000001") || !strings.Contains(first, "1-11/") {
		t.Fatalf("detail title or position missing:\n%s", first)
	}
	hs.key("j", "j")
	if got := hs.m.detail.off; got != 2 {
		t.Errorf("j j scrolled to %d, want 2", got)
	}
	hs.key("pgdown", "pgdown", "pgdown")
	if s := hs.screen(); !strings.Contains(s, "Role") || strings.Contains(s, "1-12/") {
		t.Errorf("pgdown did not reach the tags:\n%s", s)
	}
	hs.key("home")
	if hs.m.detail.off != 0 {
		t.Error("home did not scroll to the top")
	}
	hs.key("tab", "s", "/") // pane keys: nothing happens under the view
	if hs.m.focus != paneInstances || hs.m.filtering || hs.m.instances.sortI != 0 {
		t.Errorf("pane keys acted under the detail view: focus %d filtering %v sort %d", hs.m.focus, hs.m.filtering, hs.m.instances.sortI)
	}
	hs.key("esc")
	if hs.m.detail != nil || !strings.Contains(hs.screen(), "━▶ Instances of blue") {
		t.Errorf("esc did not close the detail view:\n%s", hs.screen())
	}
}

// The view follows refreshes: a state change shows; an instance that
// leaves the snapshot keeps its description under a warning.
func TestDetailFollowsRefreshes(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(detailSnapshot())
	hs.key("j", "tab", "tab", "enter") // green-web-3: failing, so first
	if s := hs.screen(); !strings.Contains(s, "i-06ee0000000000003") || !strings.Contains(s, "instance impaired") {
		t.Fatalf("detail of green-web-3 wrong:\n%s", s)
	}
	s := detailSnapshot()
	for i := range s.Instances {
		if s.Instances[i].ID == "i-06ee0000000000003" {
			s.Instances[i].State = model.StateStopped
		}
	}
	hs.deliver(s)
	if got := hs.screen(); !strings.Contains(got, "State             stopped") {
		t.Fatalf("the detail view did not follow the refresh:\n%s", got)
	}
	s.Instances = s.Instances[:5]
	hs.deliver(s)
	got := hs.screen()
	if !strings.Contains(got, "not in the latest snapshot") || !strings.Contains(got, "i-06ee0000000000003") {
		t.Fatalf("a vanished instance should keep its last description under a warning:\n%s", got)
	}
}

// Unknown is not none: a failed section says so in the description.
func TestDetailUnknownIsNotNone(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 100, 40)
	s := detailSnapshot()
	hs.deliver(s)
	s = failed(s, model.SectionStatus, "access denied to ec2:DescribeInstanceStatus")
	s.Statuses = nil
	s = failed(s, model.SectionAddresses, "throttled by ec2:DescribeAddresses")
	s.Addresses = nil
	hs.clock.Advance(5 * time.Second)
	hs.deliver(s)
	hs.key("tab", "tab", "enter")
	got := hs.screen()
	// The last good checks and addresses are carried over: shown, and
	// said to be the last known.
	for _, want := range []string{
		"Status checks     system ok, instance ok",
		"last known: the latest fetch failed (access denied to ec2:DescribeInstanceStatus)",
		"last known: the latest fetch failed (throttled by ec2:DescribeAddresses)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("detail lacks %q:\n%s", want, got)
		}
	}
	hs.key("esc", "tab", "tab", "d")
	if got := hs.screen(); !strings.Contains(got, "LIVE              yes") || !strings.Contains(got, "last known: the latest fetch failed (throttled") {
		t.Errorf("cluster detail should say blue's EIPs are the last known:\n%s", got)
	}

	// A fresh dashboard whose first addresses fetch failed knows nothing.
	fresh := newHarness(t, &staticSource{}, Options{}, 100, 40)
	f := failed(detailSnapshot(), model.SectionAddresses, "throttled by ec2:DescribeAddresses")
	f.Addresses = nil
	fresh.deliver(f)
	fresh.key("tab", "tab", "enter")
	if got := fresh.screen(); !strings.Contains(got, "Elastic IPs       unknown: throttled by ec2:DescribeAddresses") {
		t.Errorf("EIPs of an instance with the addresses section failed should be unknown:\n%s", got)
	}
	fresh.key("esc", "tab", "tab", "d")
	if got := fresh.screen(); !strings.Contains(got, "LIVE              unknown: throttled") {
		t.Errorf("liveness with the addresses section failed should be unknown:\n%s", got)
	}
}

// A cluster's member list is capped: a key press must not build 10,000
// lines.
func TestDetailCapsClusterMembers(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(fleet(5000)) // 500 per cluster
	hs.key("d")
	if n := len(hs.m.detail.lines); n > detailMembers+30 {
		t.Errorf("cluster detail has %d lines, want at most %d members", n, detailMembers)
	}
	hs.key("end")
	if s := hs.screen(); !strings.Contains(s, "… and 300 more: enter on the cluster lists them all") {
		t.Errorf("the cap is not explained:\n%s", s)
	}
}

// Through the real SDK and the sim: the security groups, instance
// profile and scheduled events of DescribeInstances and
// DescribeInstanceStatus reach the detail view.
func TestDetailThroughAWS(t *testing.T) {
	r := newSimRig(t, "acme-prod", Options{})
	r.selectCluster("blue")
	r.key("tab", "tab", "enter")
	got := r.screen()
	for _, want := range []string{"acme-web", "instance-profile/acme-web", "i-01100000000000001", "203.0.113.10", "acme-private-a"} {
		if !strings.Contains(got, want) {
			t.Errorf("blue-web-1 detail lacks %q:\n%s", want, got)
		}
	}
	r.key("esc")
	r.selectCluster(model.UntaggedCluster)
	r.key("tab", "tab")
	r.m.instances.selectID("i-01100000000000007") // the bastion
	r.key("enter")
	got = r.screen()
	// The event whole (code, description, window, how long until), read
	// across the line it wraps at.
	words := strings.Join(strings.Fields(got), " ")
	for _, want := range []string{"acme-bastion", "IAM profile none",
		"Scheduled events instance-retirement: The instance is running on degraded hardware (not before 2026-11-26 12:00 UTC, not after 2026-11-28 12:00 UTC; "} {
		if !strings.Contains(words, want) {
			t.Errorf("bastion detail lacks %q:\n%s", want, got)
		}
	}
	r.key("esc", "shift+tab", "enter")
	got = r.screen()
	for _, want := range []string{"Elastic IP 203.0.113.10", "eipalloc-011", "eipassoc-011", "eni-011"} {
		if !strings.Contains(got, want) {
			t.Errorf("EIP detail lacks %q:\n%s", want, got)
		}
	}
}

// Hostile names reach the detail view made visible, never raw.
func TestDetailHostile(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(hostileSnapshot())
	for i := range 10 {
		hs.key("d")
		out := hs.m.View().Content
		assertFits(t, out, 80, 24)
		assertNoInjectedEscapes(t, out)
		hs.key("esc", "tab", "tab", "enter")
		out = hs.m.View().Content
		assertFits(t, out, 80, 24)
		assertNoInjectedEscapes(t, out)
		hs.key("esc", "tab", "tab", "j")
		if hs.m.focus != paneClusters {
			t.Fatalf("step %d: focus %d", i, hs.m.focus)
		}
	}
}

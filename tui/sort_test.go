package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/airlock-ops/airlock/model"
)

// headerLine is the header row of the pane whose title contains title.
func headerLine(screen, title string) string {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if strings.Contains(l, title) && i+1 < len(lines) {
			return lines[i+1]
		}
	}
	return ""
}

// rowIDs lists the instance IDs in the instances pane, top to bottom.
func rowIDs(hs *harness) []string {
	var ids []string
	for i := range hs.m.instances.len() {
		ids = append(ids, hs.m.instances.ids[hs.m.instances.at(i)])
	}
	return ids
}

// s cycles the focused pane's order; the header marks the column and
// direction; the cursor stays on its row; the order survives refreshes.
func TestSortCyclesTheFocusedPane(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 140, 40)
	s := demoSnapshot()
	// green-web-2 launched last, green-web-3 fails its check.
	for i := range s.Instances {
		if s.Instances[i].ID == "i-06ee0000000000002" {
			s.Instances[i].LaunchTime = t0.Add(-time.Minute)
			s.Instances[i].Name = "a-first-by-name"
		}
	}
	hs.deliver(s)
	hs.key("j", "tab", "tab") // green's instances
	// By default the broken come first (S6): green-web-3 fails its
	// instance check.
	if h := headerLine(hs.screen(), "Instances of green"); !strings.Contains(h, "CHECKS▼") {
		t.Fatalf("the default order is not shown in the header: %q", h)
	}
	if got := strings.Join(rowIDs(hs), " "); got != "i-06ee0000000000003 i-06ee0000000000001 i-06ee0000000000002" {
		t.Fatalf("default order: %s", got)
	}
	// cursor on green-web-3
	for _, step := range []struct {
		header string
		order  []string
	}{
		{"INSTANCE▲", []string{"i-06ee0000000000001", "i-06ee0000000000002", "i-06ee0000000000003"}},
		{"NAME▲", []string{"i-06ee0000000000002", "i-06ee0000000000001", "i-06ee0000000000003"}},
		{"STATE▲", []string{"i-06ee0000000000001", "i-06ee0000000000002", "i-06ee0000000000003"}},
		{"LAUNCHED▼", []string{"i-06ee0000000000002", "i-06ee0000000000001", "i-06ee0000000000003"}},
		{"CHECKS▼", []string{"i-06ee0000000000003", "i-06ee0000000000001", "i-06ee0000000000002"}},
	} {
		hs.key("s")
		screen := hs.screen()
		if h := headerLine(screen, "Instances of green"); !strings.Contains(h, step.header) {
			t.Errorf("after s, header %q lacks %s", h, step.header)
		}
		if got := strings.Join(rowIDs(hs), " "); got != strings.Join(step.order, " ") {
			t.Errorf("%s: rows %s, want %s", step.header, got, strings.Join(step.order, " "))
		}
		if hs.m.instances.selectedID() != "i-06ee0000000000003" {
			t.Errorf("%s: the cursor left its instance for %s", step.header, hs.m.instances.selectedID())
		}
		if !strings.Contains(screen, "sorted by "+step.header) {
			t.Errorf("the footer does not say the order is %s", step.header)
		}
	}
	// The order is kept across a refresh.
	hs.key("s", "s", "s", "s") // LAUNCHED▼
	hs.deliver(s)
	if got := rowIDs(hs)[0]; got != "i-06ee0000000000002" {
		t.Errorf("after a refresh the order by launch is lost: %v", rowIDs(hs))
	}
	hs.key("s") // CHECKS▼
	hs.deliver(s)
	if got := rowIDs(hs)[0]; got != "i-06ee0000000000003" {
		t.Errorf("after a refresh the failing instance is not first: %v", rowIDs(hs))
	}
	// The event feed has one order.
	hs.key("tab", "s")
	if !strings.Contains(hs.screen(), "the event feed is always newest first") {
		t.Error("s on the events pane should say it has one order")
	}
}

func TestSortClustersAndAddresses(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 140, 40)
	s := demoSnapshot()
	s.Instances[0].State = model.StateStopped // blue 2/3 running
	hs.deliver(goLive(s))
	names := func() string {
		var out []string
		for i := range hs.m.clusters.len() {
			out = append(out, hs.m.clusters.clusters[hs.m.clusters.at(i)].Name)
		}
		return strings.Join(out, " ")
	}
	for _, step := range []struct{ header, want string }{
		{"RUN▲", "blue green (untagged)"},
		{"CHECKS▼", "green blue (untagged)"},
		{"NEWEST▼", "green (untagged) blue"},
		{"CLUSTER▲", "blue green (untagged)"},
	} {
		hs.key("s")
		if h := headerLine(hs.screen(), "Clusters"); !strings.Contains(h, step.header) {
			t.Errorf("clusters header %q lacks %s", h, step.header)
		}
		if got := names(); got != step.want {
			t.Errorf("%s: clusters %s, want %s", step.header, got, step.want)
		}
	}
	hs.key("tab", "s")
	var owners []string
	for i := range hs.m.addresses.len() {
		owners = append(owners, hs.m.addresses.owners[hs.m.addresses.at(i)].String())
	}
	if got := strings.Join(owners, " "); got != "green/i-06ee0000000000001 green/i-06ee0000000000002 green/i-06ee0000000000003 unassociated" {
		t.Errorf("by owner: %s", got)
	}
	if h := headerLine(hs.screen(), "Elastic IPs"); !strings.Contains(h, "OWNER▲") {
		t.Errorf("addresses header %q lacks OWNER▲", h)
	}
}

// The goldens keep green's instances sorted worst first, and by launch
// time at 80 columns, where LAUNCHED does not fit: the title names the
// order instead.
func TestGoldenSorted(t *testing.T) {
	for name, n := range map[string]int{"checks": 0, "launched-hidden": 4} {
		t.Run(name, func(t *testing.T) {
			hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
			hs.deliver(demoSnapshot())
			hs.key("j", "tab", "tab")
			for range n {
				hs.key("s")
			}
			assertFits(t, hs.m.View().Content, 80, 24)
			golden.RequireEqual(t, hs.screen())
		})
	}
}

// Sorting happens on the key and the snapshot, not while drawing: a
// frame leaves the order as it found it.
func TestViewDoesNotSort(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(fleet(2000))
	hs.key("tab", "tab", "s", "s", "s")
	before := &hs.m.instances.order[0]
	hs.m.View()
	if &hs.m.instances.order[0] != before {
		t.Error("View rebuilt the sort order")
	}
}

// BenchmarkSortKeystroke is one `s` on the instances pane of a
// 50,000-instance account (5,000 rows in the cluster on screen).
func BenchmarkSortKeystroke(b *testing.B) {
	hs := newHarness(b, &staticSource{}, Options{}, 120, 40)
	hs.deliver(fleet(50_000))
	hs.key("tab", "tab")
	b.ReportAllocs()
	for b.Loop() {
		hs.send(keyPress("s"))
	}
}

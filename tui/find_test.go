package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
)

// openFindAndType opens find with key and types text, running the
// searches as bubbletea would, until the answer to the last is in.
func openFindAndType(t *testing.T, hs *harness, key, text string) {
	t.Helper()
	hs.press(key)
	hs.typeText(text)
	hs.until("the search to answer", func() bool { return hs.m.find != nil && !hs.m.find.pending })
}

// ":find 10.0.2.12" finds green-web-2 from anywhere: its cluster is
// selected (clearing a clusters filter that hid it), its row is under the
// cursor, the instances pane has focus.
func TestFindJumpsToAnInstanceInAnyCluster(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	snap := demoSnapshot()
	for i := range snap.Instances {
		if snap.Instances[i].ID == "i-06ee0000000000002" {
			snap.Instances[i].PrivateIP = "10.0.3.45"
		}
	}
	hs.deliver(snap)
	hs.key("/")
	hs.typeText("blu")
	hs.key("enter") // the clusters pane shows only blue
	openFindAndType(t, hs, ":", "find 10.0.3.45")
	s := hs.screen()
	if !strings.Contains(s, ":find 10.0.3.45") || !strings.Contains(s, "Instances matching 10.0.3.45 (1)") || !strings.Contains(s, "i-06ee0000000000002 green") {
		t.Fatalf("find did not list green-web-2:\n%s", s)
	}
	hs.key("enter")
	if hs.m.find != nil {
		t.Fatal("enter did not close find")
	}
	if hs.m.focus != paneInstances || hs.m.clusters.selectedName() != "green" || hs.m.instances.selectedID() != "i-06ee0000000000002" {
		t.Fatalf("jumped to focus %d, cluster %q, instance %q", hs.m.focus, hs.m.clusters.selectedName(), hs.m.instances.selectedID())
	}
	if s := hs.screen(); !strings.Contains(s, "found i-06ee0000000000002 in green") || strings.Contains(s, "filter: blu") {
		t.Errorf("after the jump the notice or the cleared filter is wrong:\n%s", s)
	}
}

// IDs, names and parts of them match; exact matches come first; q is
// text, not quit; esc closes without moving anything.
func TestFindByNameAndID(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	openFindAndType(t, hs, "f", "green-web")
	if f := hs.m.find; f.total != 3 || f.hits[0].id != "i-06ee0000000000001" {
		t.Fatalf("green-web: %d hits %v", f.total, f.hits)
	}
	hs.typeText("-3")
	hs.until("the new answer", func() bool { return !hs.m.find.pending })
	if f := hs.m.find; f.total != 1 || f.hits[0].id != "i-06ee0000000000003" || !f.hits[0].exact {
		t.Fatalf("green-web-3: %d hits %v", f.total, f.hits)
	}
	if cmd := hs.send(keyPress("q")); cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Fatal("q in find quit the program")
		}
	}
	hs.key("esc")
	if hs.m.find != nil || hs.m.focus != paneClusters {
		t.Error("esc did not close find, or moved the focus")
	}
	// An exact ID comes before the IDs it is part of.
	hs2 := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs2.deliver(demoSnapshot())
	openFindAndType(t, hs2, "f", "i-0b1e0000000000001")
	if f := hs2.m.find; f.total != 1 || !f.hits[0].exact {
		t.Errorf("exact ID: %v", f.hits)
	}
}

// An answer to a query since retyped is dropped.
func TestFindDropsStaleAnswers(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	hs.send(keyPress("f"))
	old := hs.send(keyPress("g")) // search "g"
	hs.send(keyPress("r"))        // search "gr" supersedes it
	var stale tea.Msg
	for _, c := range flatten(old) {
		if m, ok := c().(FoundMsg); ok {
			stale = m
		}
	}
	if stale == nil {
		t.Fatal("typing started no search")
	}
	hs.send(stale)
	if !hs.m.find.pending || hs.m.find.total != 0 {
		t.Errorf("a stale answer was taken: pending %v total %d", hs.m.find.pending, hs.m.find.total)
	}
}

// flatten lists the commands of a batch.
func flatten(cmd tea.Cmd) []tea.Cmd {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Cmd
		for _, c := range b {
			out = append(out, flatten(c)...)
		}
		return out
	}
	return []tea.Cmd{func() tea.Msg { return msg }}
}

// findInstances on a large fleet: EIPs and private IPs match exactly,
// results are capped and counted.
func TestFindInstancesInAFleet(t *testing.T) {
	w := paneWorld(fleet(50_000))
	hits, total := findInstances(w, "10.0.3.45", findLimit)
	if total != 1 || len(hits) != 1 || !hits[0].exact {
		t.Fatalf("10.0.3.45: %d %v", total, hits)
	}
	if in, _ := w.Instance(hits[0].id); in.PrivateIP != "10.0.3.45" {
		t.Fatalf("10.0.3.45: %d %v", total, hits)
	}
	eip := w.Snap.Addresses[7].PublicIP
	hits, _ = findInstances(w, eip, findLimit)
	if len(hits) == 0 || !hits[0].exact || hits[0].id != w.Snap.Addresses[7].InstanceID {
		t.Errorf("EIP %s: %v", eip, hits)
	}
	hits, total = findInstances(w, "svc-03", findLimit)
	if total != 5000 || len(hits) != findLimit {
		t.Errorf("svc-03: %d hits of %d, want %d of 5000", len(hits), total, findLimit)
	}
}

func TestGoldenFind(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {60, 24}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			hs := newHarness(t, &staticSource{}, Options{}, sz[0], sz[1])
			hs.deliver(goLive(demoSnapshot()))
			openFindAndType(t, hs, "f", "10.0.1")
			hs.key("down")
			assertFits(t, hs.m.View().Content, sz[0], sz[1])
			golden.RequireEqual(t, hs.screen())
		})
	}
}

// BenchmarkFind is one search of a 50,000-instance account, the work a
// keystroke in find starts off the UI goroutine.
func BenchmarkFind(b *testing.B) {
	w := paneWorld(fleet(50_000))
	for b.Loop() {
		findInstances(w, "10.0.3.45", findLimit)
	}
}

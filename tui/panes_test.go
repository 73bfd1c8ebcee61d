package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
)

// Each pane is tested on its own: fed a world, drawn at a size, read
// back without styles.

func paneWorld(s model.Snapshot) *model.World {
	w := model.Analyze(s, "")
	return &w
}

func plainLines(s string) []string { return strings.Split(ansi.Strip(s), "\n") }

func TestFitDropsLowValueColumnsFirst(t *testing.T) {
	cols := []column{
		{title: "A", width: 5},
		{title: "B", width: 5, flex: true, want: 10},
		{title: "C", width: 5, drop: 1},
		{title: "D", width: 5, drop: 2},
	}
	names := func(cs []column) string {
		var b strings.Builder
		for _, c := range cs {
			b.WriteString(c.title)
		}
		return b.String()
	}
	for _, tc := range []struct {
		width int
		want  string
	}{{40, "ABCD"}, {28, "ABCD"}, {27, "ABC"}, {21, "AB"}, {11, "AB"}, {3, "AB"}} {
		got := fit(cols, tc.width)
		if names(got) != tc.want {
			t.Errorf("width %d: columns %s, want %s", tc.width, names(got), tc.want)
		}
		total := len(got) - 1
		for _, c := range got {
			total += c.width
		}
		if tc.width >= 11 && total != tc.width {
			t.Errorf("width %d: columns fill %d cells", tc.width, total)
		}
		if got[len(got)-1].src != map[string]int{"D": 3, "C": 2, "B": 1}[string(tc.want[len(tc.want)-1])] {
			t.Errorf("width %d: src not kept", tc.width)
		}
	}
}

func TestClustersPane(t *testing.T) {
	st := newStyles(themes.New(themes.Default, true))
	p := newClustersPane(&st, newRecent())
	p.setRows(5)
	p.setWorld(paneWorld(demoSnapshot()))
	lines := plainLines(p.view(70, 7, true, t0))
	if len(lines) != 7 {
		t.Fatalf("pane drew %d lines, want 7", len(lines))
	}
	for i, want := range []string{
		"━▶ Clusters (3) ━",
		"  CLUSTER",
		"▶ blue ", "  green ", "  (untagged) ",
	} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], want)
		}
	}
	if !strings.Contains(lines[2], "LIVE") || !strings.Contains(lines[2], "3/3") || !strings.Contains(lines[2], "41d") {
		t.Errorf("blue row = %q: want LIVE, 3/3 running, 41d old", lines[2])
	}
	if strings.Contains(lines[3], "LIVE") || !strings.Contains(lines[3], "1 FAILED") || !strings.Contains(lines[3], "12m") {
		t.Errorf("green row = %q: want not live, 1 FAILED, 12m old", lines[3])
	}
	if stateSummary(map[model.InstanceState]int{model.StateStopped: 1, model.StateRunning: 2}) != "2 run 1 stop" {
		t.Error("state summary order")
	}
}

func TestAddressesPaneSortsByIPAndNamesOwners(t *testing.T) {
	st := newStyles(themes.New(themes.Default, true))
	p := newAddressesPane(&st, newRecent())
	p.setRows(10)
	s := demoSnapshot()
	s.Addresses = append(s.Addresses,
		model.Address{AllocationID: "eipalloc-10", PublicIP: "3.3.3.10"},
		model.Address{AllocationID: "eipalloc-11", PublicIP: "3.3.3.11", InstanceID: "i-0elsewhere0000001", AssociationID: "eipassoc-x"},
		model.Address{AllocationID: "eipalloc-12", PublicIP: "3.3.3.12", NetworkInterfaceID: "eni-0nat", AssociationID: "eipassoc-y"},
	)
	p.setWorld(paneWorld(s))
	lines := plainLines(p.view(100, 10, false, t0, "blue"))
	// The gutter holds the cursor marker (▷: the pane is not focused).
	want := []string{
		"▷ 3.3.3.1         blue/i-0b1e0000000000001",
		"  3.3.3.2         blue/",
		"  3.3.3.3         blue/",
		"  3.3.3.9         unassociated",
		"  3.3.3.10        unassociated",
		"  3.3.3.11        i-0elsewhere0000001",
		"  3.3.3.12        eni-0nat",
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[2+i], w) {
			t.Errorf("row %d = %q, want prefix %q", i, lines[2+i], w)
		}
	}
	if !strings.Contains(lines[1], "ALLOCATION") {
		t.Errorf("a 100-column pane should show allocation IDs: %q", lines[1])
	}
	if l := plainLines(p.view(40, 10, false, t0, "")); strings.Contains(l[1], "ALLOCATION") {
		t.Errorf("a 40-column pane should drop allocation IDs: %q", l[1])
	}
}

func TestInstancesPaneChecks(t *testing.T) {
	st := newStyles(themes.New(themes.Default, true))
	p := newInstancesPane(&st, newRecent())
	p.setRows(6)
	s := demoSnapshot()
	set := func(id string, st model.InstanceStatus) { st.InstanceID = id; s.Statuses[id] = st }
	set("i-06ee0000000000001", model.InstanceStatus{System: model.CheckImpaired, Instance: model.CheckOK})
	set("i-06ee0000000000002", model.InstanceStatus{System: model.CheckOK, Instance: model.CheckOK,
		Events: []model.ScheduledEvent{{Code: "instance-retirement", Description: "scheduled", NotBefore: t0.Add(time.Hour)}}})
	set("i-06ee0000000000003", model.InstanceStatus{System: model.CheckImpaired, Instance: model.CheckImpaired})
	w := paneWorld(s)
	p.show(w, "green", t0)
	lines := plainLines(p.view(120, 6, true, t0))
	// The broken first, worst first (S6): both checks, then the host's,
	// then the retirement, with how long until it.
	for i, want := range []string{"FAILED both", "FAILED sys", "retiring in 1h"} {
		if !strings.Contains(lines[2+i], want) {
			t.Errorf("row %d = %q, want %q", i, lines[2+i], want)
		}
	}
	if !strings.Contains(lines[0], "Instances of green (3)") {
		t.Errorf("title = %q", lines[0])
	}
	// Blue's instances show the EIP each holds (S2: these are live).
	p.show(w, "blue", t0)
	if l := plainLines(p.view(120, 6, true, t0)); !strings.Contains(l[2], "3.3.3.1") {
		t.Errorf("blue-web-1 row = %q, want its EIP", l[2])
	}
	// A completed event is not a warning.
	set("i-06ee0000000000002", model.InstanceStatus{System: model.CheckOK, Instance: model.CheckOK,
		Events: []model.ScheduledEvent{{Code: "instance-reboot", Description: "[Completed] reboot"}}})
	p.show(paneWorld(s), "green", t0)
	if l := plainLines(p.view(120, 6, true, t0)); !strings.Contains(l[4], " ok ") || !strings.Contains(l[4], "i-06ee0000000000002") {
		t.Errorf("completed event row = %q, want ok", l[3])
	}
}

func TestEventsPaneNewestFirstAndCapped(t *testing.T) {
	st := newStyles(themes.New(themes.Default, true))
	p := newEventsPane(&st, nil)
	p.setRows(3)
	p.add([]entry{{at: t0, text: "first"}})
	p.add([]entry{{at: t0.Add(time.Second), text: "second"}})
	lines := plainLines(p.view(40, 4, false, t0.Add(time.Minute)))
	if !strings.Contains(lines[1], "14:03:42 UTC second") || !strings.Contains(lines[2], "14:03:41 UTC first") {
		t.Errorf("feed = %q", lines)
	}
	many := make([]entry, feedLimit+10)
	p.add(many)
	if p.total != feedLimit {
		t.Errorf("feed holds %d entries, cap is %d", p.total, feedLimit)
	}
}

// The banner fits any width, always names the environment in words, and
// keeps STALE visible ahead of everything else on its line.
func TestBannerFitsAnyWidth(t *testing.T) {
	st := newStyles(themes.New(themes.Default, true))
	b := newBanner(&st, Options{Region: "eu-west-1"})
	b.identity = model.Identity{AccountID: "111111111111", ARN: "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane.doe@example.com", Alias: strings.Repeat("acme-production-", 4)}
	b.env = model.EnvProduction
	b.interval = 5 * time.Second
	b.fresh = model.Freshness{Stale: true, Paused: true, Age: time.Hour, Reason: "last refresh failed: " + strings.Repeat("x", 200)}
	for w := 1; w <= 200; w++ {
		out := b.view(w)
		lines := strings.Split(out, "\n")
		if len(lines) != bannerRows {
			t.Fatalf("width %d: %d lines", w, len(lines))
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > w {
				t.Fatalf("width %d: line is %d wide: %q", w, ansi.StringWidth(l), ansi.Strip(l))
			}
		}
		plain := plainLines(out)
		if w >= 14 && !strings.HasPrefix(plain[0], " PRODUCTION ") && !strings.HasPrefix(plain[0], " ▲▲ PRODUCTION ▲▲ ") {
			t.Errorf("width %d: no label: %q", w, plain[0])
		}
		if w >= 10 && !strings.HasPrefix(plain[1], " STALE") {
			t.Errorf("width %d: STALE is not first: %q", w, plain[1])
		}
	}
	if got := principal(b.identity.ARN); got != "SSO AdministratorAccess (jane.doe@example.com)" {
		t.Errorf("principal = %q", got)
	}
}

func TestFooterShowsKeysOfTheFocusedPane(t *testing.T) {
	st := newStyles(themes.New(themes.Default, true))
	f := newFooter(&st)
	k := newKeyMap()
	clusters := ansi.Strip(f.view(200, shortKeys(&k, paneClusters, false, false, true, false), "", ""))
	events := ansi.Strip(f.view(200, shortKeys(&k, paneEvents, false, false, true, false), "", ""))
	if !strings.Contains(clusters, "enter instances") || strings.Contains(events, "enter instances") {
		t.Errorf("enter is offered where it does nothing:\n%s\n%s", clusters, events)
	}
	if got := ansi.StringWidth(f.view(30, shortKeys(&k, paneClusters, false, false, true, false), "", "")); got != 30 {
		t.Errorf("footer at 30 columns is %d wide", got)
	}
	if n := ansi.Strip(f.view(40, bindings{}, "", "a refresh is already running")); !strings.HasPrefix(n, "a refresh is already running") {
		t.Errorf("notice = %q", n)
	}
}

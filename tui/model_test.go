package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
)

// focusedTitle is the title of the pane drawn as focused.
func focusedTitle(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(l, "━▶ ") {
			return strings.Fields(strings.TrimPrefix(l, "━▶ "))[0]
		}
		if i := strings.Index(l, "│━▶ "); i >= 0 {
			return strings.Fields(l[i+len("│━▶ "):])[0]
		}
	}
	return ""
}

func TestFocusStartsOnClustersAndTabCycles(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	want := []string{"Clusters", "Elastic", "Instances", "Events", "Clusters"}
	for i, w := range want {
		if got := focusedTitle(hs.screen()); got != w {
			t.Fatalf("after %d tabs focus is on %q, want %q", i, got, w)
		}
		hs.key("tab")
	}
	hs.key("shift+tab", "shift+tab") // back over Clusters to the last pane
	if got := focusedTitle(hs.screen()); got != "Events" {
		t.Errorf("shift+tab from Clusters went to %q, want Events", got)
	}
}

// The instances pane follows the clusters cursor; enter drills into the
// cluster (focus moves to its instances); esc comes back.
func TestDrillIntoCluster(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	if !strings.Contains(hs.screen(), "Instances of blue (3)") {
		t.Fatalf("instances pane does not show the cluster under the cursor:\n%s", hs.screen())
	}
	hs.key("j")
	if !strings.Contains(hs.screen(), "Instances of green (3)") {
		t.Fatalf("instances pane did not follow the cursor to green:\n%s", hs.screen())
	}
	cmd := hs.send(keyPress("enter"))
	if cmd == nil {
		t.Fatal("enter on a cluster returned no command")
	}
	msg := cmd()
	if d, ok := msg.(DrillMsg); !ok || d.Cluster != "green" {
		t.Fatalf("enter produced %#v, want DrillMsg{green}", msg)
	}
	hs.send(msg)
	s := hs.screen()
	if focusedTitle(s) != "Instances" || !strings.Contains(s, "FAILED inst") {
		t.Fatalf("drill did not focus green's instances:\n%s", s)
	}
	hs.key("esc")
	if got := focusedTitle(hs.screen()); got != "Clusters" {
		t.Errorf("esc from instances focused %q, want Clusters", got)
	}
}

func TestFilterNarrowsFocusedPane(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	hs.key("/", "g", "r", "e")
	s := hs.screen()
	if !strings.Contains(s, "Clusters (1 of 3)") || !strings.Contains(s, "Instances of green") {
		t.Fatalf("filter did not narrow clusters to green:\n%s", s)
	}
	// q is text while the prompt is open, not quit.
	if cmd := hs.send(keyPress("q")); cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Fatal("q in the filter prompt quit the program")
		}
	}
	hs.key("backspace", "enter")
	if s := hs.screen(); !strings.Contains(s, "Clusters (1 of 3)") || strings.Contains(s, "esc clear filter") {
		t.Fatalf("enter should keep the filter and close the prompt:\n%s", s)
	}
	hs.key("esc")
	if s := hs.screen(); !strings.Contains(s, "Clusters (3)") {
		t.Fatalf("esc did not clear the filter:\n%s", s)
	}
	// A filter that matches nothing says so.
	hs.key("/", "z", "z")
	if s := hs.screen(); !strings.Contains(s, `no match for "zz"`) {
		t.Fatalf("empty filter result not explained:\n%s", s)
	}
	hs.key("esc")
	// Filters are per pane: the EIP pane filters on owner too.
	hs.key("tab", "/", "u", "n", "a", "enter")
	if s := hs.screen(); !strings.Contains(s, "Elastic IPs (1 of 4)") || !strings.Contains(s, "Clusters (3)") {
		t.Fatalf("EIP filter wrong:\n%s", s)
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
		hs.m.startFetch()
		cmd := hs.send(keyPress(k))
		if cmd == nil {
			t.Fatalf("%s returned no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%s did not quit", k)
		}
		if hs.m.refresh.inFlight {
			t.Errorf("%s left the fetch in flight", k)
		}
	}
	// ctrl+c quits even from the filter prompt.
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.key("/")
	if cmd := hs.send(keyPress("ctrl+c")); cmd == nil {
		t.Fatal("ctrl+c in the filter prompt did nothing")
	} else if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("ctrl+c in the filter prompt did not quit")
	}
}

func TestHelpScreen(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	hs.key("?")
	// The help is longer than the screen: read it a page at a time.
	s := hs.screen()
	for range 20 {
		hs.key("pgdown")
		s += hs.screen()
	}
	for _, want := range []string{"PRODUCTION", "refresh now", "pause", "filter", "LIVE ", "STALE ", "close help"} {
		if !strings.Contains(s, want) {
			t.Errorf("help screen lacks %q:\n%s", want, s)
		}
	}
	hs.key("j", "k") // scroll the help, not the cursor behind it
	hs.key("esc")
	if strings.Contains(hs.screen(), "close help") {
		t.Error("esc did not close help")
	}
	if hs.m.clusters.cur.pos != 0 {
		t.Error("a key pressed on the help screen moved the cursor behind it")
	}
}

func TestMouse(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{Mouse: true}, 80, 24)
	hs.deliver(demoSnapshot())
	l := hs.m.lay
	// The wheel scrolls the pane under the pointer, focused or not.
	hs.send(tea.MouseWheelMsg{X: l.clusters.x + 2, Y: l.clusters.y + 3, Button: tea.MouseWheelDown})
	if !strings.Contains(hs.screen(), "Instances of green") {
		t.Fatalf("wheel over clusters did not move its cursor:\n%s", hs.screen())
	}
	hs.send(tea.MouseWheelMsg{X: l.addresses.x + 2, Y: l.addresses.y + 3, Button: tea.MouseWheelDown})
	if hs.m.addresses.cur.pos != 1 || hs.m.focus != paneClusters {
		t.Errorf("wheel over EIPs: cursor %d focus %d", hs.m.addresses.cur.pos, hs.m.focus)
	}
	// A click focuses the pane and selects the row.
	hs.send(tea.MouseClickMsg{X: l.clusters.x + 2, Y: l.clusters.y + 2 + 2, Button: tea.MouseLeft})
	if hs.m.focus != paneClusters || hs.m.clusters.selectedName() != model.UntaggedCluster {
		t.Errorf("click selected %q in pane %d", hs.m.clusters.selectedName(), hs.m.focus)
	}
	hs.send(tea.MouseClickMsg{X: l.events.x + 2, Y: l.events.y, Button: tea.MouseLeft})
	if hs.m.focus != paneEvents {
		t.Errorf("click on the events title did not focus it")
	}
}

// Every size, including absurd ones, gives a frame of exactly the
// terminal's size; none panics.
func TestResizeNeverBreaksTheFrame(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	hs.deliver(goLive(demoSnapshot()))
	hs.key("j", "enter")
	for w := 0; w <= 130; w += 3 {
		for h := 0; h <= 45; h += 2 {
			hs.send(tea.WindowSizeMsg{Width: w, Height: h})
			out := hs.m.View().Content
			if w == 0 || h == 0 {
				continue
			}
			assertFits(t, out, w, max(h, 1))
			if h >= 2 && !strings.Contains(out, "PRODUCTION") && w >= 12 {
				t.Errorf("%dx%d: banner missing", w, h)
			}
		}
	}
	hs.send(tea.WindowSizeMsg{Width: 39, Height: 30})
	if s := hs.screen(); !strings.Contains(s, "needs 40x14,") || !strings.Contains(s, "39x30") {
		t.Errorf("too-small screen does not say how big it must be:\n%s", s)
	}
}

// The feed is newest first, timestamped, and the rows an event touched
// are highlighted for a few seconds only.
func TestEventsNewestFirstAndHighlightFades(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 120, 40)
	hs.deliver(demoSnapshot())
	hs.clock.Advance(5 * time.Second)
	hs.deliver(goLive(demoSnapshot())) // 14:03:46
	hs.clock.Advance(5 * time.Second)
	back := demoSnapshot()
	st := back.Statuses["i-06ee0000000000003"]
	st.Instance = model.CheckOK
	back = goLive(back)
	back.Statuses["i-06ee0000000000003"] = st
	hs.deliver(back) // 14:03:51: green recovers
	s := hs.screen()
	first := strings.Index(s, "14:03:51")
	second := strings.Index(s, "14:03:46 UTC cluster blue is no longer LIVE")
	if first < 0 || second < 0 || first > second {
		t.Fatalf("feed is not newest first with times:\n%s", s)
	}
	if !hs.m.recent.is(addressKey("3.3.3.1"), hs.clock.Now()) || !hs.m.recent.is(clusterKey("green"), hs.clock.Now()) {
		t.Error("the moved EIP and its cluster are not highlighted")
	}
	lit := hs.m.View().Content
	hs.clock.Advance(highlightFor + time.Second)
	hs.send(ClockMsg{})
	if hs.m.recent.any(hs.clock.Now()) {
		t.Error("highlights did not fade")
	}
	if hs.m.View().Content == lit {
		t.Error("frame unchanged after the highlight faded")
	}
}

func TestWindowTitle(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	if got := hs.m.View().WindowTitle; got != "airlock: account unconfirmed" {
		t.Errorf("title before STS = %q", got)
	}
	hs.deliver(demoSnapshot())
	if got := hs.m.View().WindowTitle; got != "acme-prod PRODUCTION - airlock" {
		t.Errorf("title = %q", got)
	}
	v := hs.m.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeNone {
		t.Errorf("the dashboard should use the alternate screen and leave the mouse to the terminal (mode %v)", v.MouseMode)
	}
	// --mouse: captured, so the wheel and clicks reach the panes.
	mouse := newHarness(t, &staticSource{}, Options{Mouse: true}, 80, 24)
	if v := mouse.m.View(); v.MouseMode != tea.MouseModeCellMotion {
		t.Errorf("with Mouse the dashboard should capture the mouse (mode %v)", v.MouseMode)
	}
}

// The environment comes only from what STS and IAM confirmed, and an
// account without a recognisable name is drawn as unknown.
func TestBannerEnvironments(t *testing.T) {
	cases := map[string]string{
		"acme-prod":    "PRODUCTION",
		"acme-staging": "STAGING",
		"acme-dev":     "DEVELOPMENT",
		"acme":         "UNKNOWN ACCOUNT",
		"":             "UNKNOWN ACCOUNT",
	}
	for alias, label := range cases {
		hs := newHarness(t, &staticSource{}, Options{Profile: "acme-staging"}, 80, 24)
		hs.deliver(demoSnapshotFor(alias, "333333333333"))
		line := strings.Split(hs.screen(), "\n")[0]
		// Production, and unknown (treated as production), carry the
		// danger mark around the word.
		if !strings.Contains(line, " "+label+" ") || !strings.Contains(line, "333333333333") {
			t.Errorf("alias %q: banner %q, want label %s", alias, line, label)
		}
	}
}

func TestBackgroundColourPicksTheme(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	dark := hs.m.View().Content
	hs.send(lightBackground())
	if hs.m.st.theme.Dark || hs.m.View().Content == dark {
		t.Error("a light background did not change the theme")
	}
	mono := newHarness(t, &staticSource{}, Options{Monochrome: true}, 80, 24)
	mono.deliver(demoSnapshot())
	before := mono.m.View().Content
	mono.send(lightBackground())
	if mono.m.View().Content != before {
		t.Error("the monochrome theme changed with the background")
	}
}

// --theme dark and --theme light hold whatever the terminal says; the
// palettes other than the default follow the terminal as auto does.
func TestFixedBackgroundIgnoresTheTerminal(t *testing.T) {
	cases := []struct {
		o             Options
		start, onLite bool // dark at start, dark after a light answer
	}{
		{Options{}, true, false},
		{Options{Background: themes.BackgroundDark}, true, true},
		{Options{Background: themes.BackgroundLight}, false, false},
		{Options{Theme: themes.HighContrast}, true, false},
	}
	for _, tc := range cases {
		hs := newHarness(t, &staticSource{}, tc.o, 80, 24)
		if hs.m.st.theme.Dark != tc.start {
			t.Errorf("%+v: dark at start = %v", tc.o, hs.m.st.theme.Dark)
		}
		hs.send(lightBackground())
		if hs.m.st.theme.Dark != tc.onLite || hs.m.st.theme.Kind != tc.o.Theme {
			t.Errorf("%+v: after a light background, theme %v dark=%v", tc.o, hs.m.st.theme.Kind, hs.m.st.theme.Dark)
		}
	}
}

// The cursor stays on the same cluster when a refresh reorders the list.
func TestSelectionSurvivesRefresh(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	hs.key("j")
	s := demoSnapshot()
	s.Instances = append(s.Instances, model.Instance{ID: "i-0aaa000000000000a", State: model.StateRunning,
		Tags: model.TagsOf(map[string]string{"Cluster": "alpha"}), LaunchTime: t0})
	hs.deliver(s)
	if got := hs.m.clusters.selectedName(); got != "green" {
		t.Errorf("cursor moved to %q after a refresh, want green", got)
	}
}

// The clock tick never fetches; it only ages the screen.
func TestClockDoesNotFetch(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	n := hs.m.refresh.fetches
	for range 11 {
		hs.clock.Advance(time.Second)
		hs.send(ClockMsg{})
	}
	if hs.m.refresh.fetches != n {
		t.Error("the clock started a fetch")
	}
	if !strings.Contains(hs.screen(), "updated 11s ago") || !strings.Contains(hs.screen(), "STALE") {
		t.Errorf("eleven seconds without a refresh at a 5s interval should read as stale:\n%s", hs.screen())
	}
}

// A slow refresh says so; a quick one does not make the banner flicker.
func TestSlowRefreshIsShown(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	hs.m.startFetch()
	hs.send(ClockMsg{})
	if strings.Contains(hs.screen(), "refreshing") {
		t.Error("a refresh that just started is announced")
	}
	hs.clock.Advance(3 * time.Second)
	hs.send(ClockMsg{})
	if !strings.Contains(hs.screen(), "refreshing…") {
		t.Error("a slow refresh is not shown")
	}
}

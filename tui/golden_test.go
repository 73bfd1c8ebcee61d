package tui

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
)

// The goldens are the screens of story S1 five seconds after the go-live:
// green has become LIVE, the feed shows the EIPs moving, the rows that
// changed are highlighted, and the banner says the data is 3s old.
// Refresh them with `go test ./tui/ -run Golden -update` and read the
// .golden files with `cat` in a terminal to see the colours.

var goldenSizes = [][2]int{{80, 24}, {120, 40}, {200, 60}, {60, 30}}

// afterGoLive builds that screen.
func afterGoLive(t testing.TB, o Options, w, h int) *harness {
	hs := newHarness(t, &staticSource{}, o, w, h)
	hs.deliver(demoSnapshot())
	hs.clock.Advance(5 * time.Second)
	hs.deliver(goLive(demoSnapshot()))
	hs.clock.Advance(3 * time.Second)
	hs.send(ClockMsg{})
	return hs
}

// TestGolden keeps the styled screens, per theme and size: the escape
// sequences are part of what is checked (golden quotes them in diffs).
func TestGolden(t *testing.T) {
	themeCases := []struct {
		name string
		o    Options
		dark bool
	}{
		{"dark", Options{}, true},
		{"light", Options{}, false},
		{"monochrome", Options{Monochrome: true}, true},
	}
	for _, tc := range themeCases {
		for _, sz := range goldenSizes {
			t.Run(fmt.Sprintf("%s/%dx%d", tc.name, sz[0], sz[1]), func(t *testing.T) {
				hs := afterGoLive(t, tc.o, sz[0], sz[1])
				if !tc.dark {
					hs.send(lightBackground())
				}
				out := hs.m.View().Content
				assertFits(t, out, sz[0], sz[1])
				golden.RequireEqual(t, out)
			})
		}
	}
}

// TestGoldenText keeps the same screens without styles, for reading in
// review.
func TestGoldenText(t *testing.T) {
	for _, sz := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			hs := afterGoLive(t, Options{}, sz[0], sz[1])
			golden.RequireEqual(t, hs.screen())
		})
	}
}

// TestGoldenScreens keeps the other screens an operator meets.
func TestGoldenScreens(t *testing.T) {
	cases := map[string]func(t *testing.T) *harness{
		// Before STS has answered: no account named, drawn as unknown.
		"unconfirmed": func(t *testing.T) *harness {
			hs := newHarness(t, &staticSource{}, Options{Profile: "acme-prod", Region: "us-east-1"}, 80, 24)
			hs.m.startFetch()
			hs.send(ClockMsg{})
			return hs
		},
		// Paused for a minute, and the last refresh failed: both badges.
		"paused-stale": func(t *testing.T) *harness {
			hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
			hs.deliver(demoSnapshot())
			hs.clock.Advance(5 * time.Second)
			hs.deliver(failed(demoSnapshot(), model.SectionAddresses, "throttled by ec2:DescribeAddresses"))
			hs.key("p")
			hs.clock.Advance(time.Minute)
			hs.send(ClockMsg{})
			return hs
		},
		// A large account: the last refresh took 9 s and the next has run
		// for 3; the data is 18 s old and not stale, and the banner says
		// why it is that old.
		"slow-refresh": func(t *testing.T) *harness {
			hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
			hs.m.startFetch()
			started := hs.clock.Now()
			hs.clock.Advance(9 * time.Second)
			hs.send(FetchedMsg{Gen: hs.m.refresh.fetchGen, Snap: demoSnapshot(), Started: started, Finished: hs.clock.Now()})
			hs.clock.Advance(6 * time.Second)
			hs.m.startFetch()
			hs.clock.Advance(3 * time.Second)
			hs.send(ClockMsg{})
			return hs
		},
		// AWS throttled the refresh (S5): the banner says how often and
		// where, in the warning style, and the refresh slows down.
		"throttled": func(t *testing.T) *harness {
			hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
			hs.deliver(demoSnapshot())
			s := demoSnapshot()
			s.Sections = maps.Clone(s.Sections)
			r := s.Sections[model.SectionInstances]
			r.Throttled = 2
			s.Sections[model.SectionInstances] = r
			s.Stats.Throttled = map[string]int{"ec2:DescribeInstances": 14}
			hs.clock.Advance(5 * time.Second)
			hs.deliver(s)
			return hs
		},
		"throttled-wide": func(t *testing.T) *harness {
			hs := newHarness(t, &staticSource{}, Options{}, 120, 24)
			s := demoSnapshot()
			s.Sections = maps.Clone(s.Sections)
			r := s.Sections[model.SectionAddresses]
			r.Throttled = 1
			s.Sections[model.SectionAddresses] = r
			s.Stats.Throttled = map[string]int{"ec2:DescribeInstances": 12, "ec2:DescribeAddresses": 2}
			hs.deliver(s)
			return hs
		},
		"staging": func(t *testing.T) *harness {
			hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
			hs.deliver(demoSnapshotFor("acme-staging", "222222222222"))
			return hs
		},
		"drilled-into-green": func(t *testing.T) *harness {
			hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
			hs.deliver(demoSnapshot())
			hs.key("j", "enter")
			hs.send(DrillMsg{Cluster: "green"})
			return hs
		},
		"filtering": func(t *testing.T) *harness {
			hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
			hs.deliver(demoSnapshot())
			hs.key("/", "g", "r")
			return hs
		},
		"help": func(t *testing.T) *harness {
			hs := newHarness(t, &staticSource{}, Options{ReadOnly: true}, 80, 24)
			hs.deliver(demoSnapshot())
			hs.key("?")
			return hs
		},
		"too-small": func(t *testing.T) *harness {
			hs := newHarness(t, &staticSource{}, Options{}, 38, 10)
			hs.deliver(demoSnapshot())
			return hs
		},
	}
	for name, build := range cases {
		t.Run(name, func(t *testing.T) {
			hs := build(t)
			out := hs.m.View().Content
			assertFits(t, out, hs.m.lay.w, hs.m.lay.h)
			golden.RequireEqual(t, ansi.Strip(out))
		})
	}
}

// hostileSnapshot is the demo world after someone with tagging rights
// had fun: every string an attacker controls carries a terminal attack.
// Tags (and the Name) stay raw and the alias is sanitised, the way
// awsstate's ingestion does it, so this is what the dashboard really
// receives.
func hostileSnapshot() model.Snapshot {
	attacks := []string{
		"\x1b]52;c;cm0gLXJmIH4=\x07clip",                       // OSC 52: write the clipboard
		"\x1b]8;;https://evil.example\x1b\\docs\x1b]8;;\x1b\\", // OSC 8: hidden link
		"prod\rstaging",            // carriage return overprint
		"\x1b[2J\x1b[Hcleared",     // CSI: clear the screen
		"\u009b2Jc1-csi",           // C1 CSI, as XML can carry it
		"\u202egnigats\u202c",      // bidi override
		"zero\u200bwidth",          // zero-width space
		strings.Repeat("long", 50), // 200 characters
		"生产集群生产集群生产集群生产集群生产集群", // wide CJK
		"emoji🔥cluster",
	}
	s := demoSnapshot()
	s.Instances = nil
	s.Addresses = nil
	s.Statuses = map[string]model.InstanceStatus{}
	for i, a := range attacks {
		id := fmt.Sprintf("i-0ba0000000000000%d", i)
		tags := map[string]string{"Cluster": a, "Name": a + a}
		s.Instances = append(s.Instances, model.Instance{
			ID: id, Name: tags["Name"], State: model.StateRunning, Type: "t3.micro",
			AZ: "us-east-1a", PrivateIP: fmt.Sprintf("10.0.0.%d", i), LaunchTime: t0.Add(-time.Hour), Tags: model.TagsOf(tags),
		})
		s.Addresses = append(s.Addresses, model.Address{
			AllocationID: fmt.Sprintf("eipalloc-0ba000000000000%02d", i), PublicIP: fmt.Sprintf("3.3.4.%d", i),
			AssociationID: fmt.Sprintf("eipassoc-%02d", i), InstanceID: id, Domain: "vpc",
		})
	}
	s.Identity.Alias = model.Sanitize("acme-prod\x1b[31m\u202e")
	return s
}

// TestGoldenHostile: hostile tag values render without breaking the
// layout, at every size, in every theme.
func TestGoldenHostile(t *testing.T) {
	for _, sz := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			hs := newHarness(t, &staticSource{}, Options{}, sz[0], sz[1])
			hs.deliver(demoSnapshot())
			hs.clock.Advance(5 * time.Second)
			hs.deliver(hostileSnapshot()) // events name the hostile clusters too
			for _, k := range []string{"j", "j", "j", "j", "j", "j", "j"} {
				hs.key(k) // walk the cursor over the hostile clusters
				assertFits(t, hs.m.View().Content, sz[0], sz[1])
			}
			out := hs.m.View().Content
			assertNoInjectedEscapes(t, out)
			golden.RequireEqual(t, ansi.Strip(out))
		})
	}
	for k := themes.Default; k <= themes.Monochrome; k++ {
		hs := newHarness(t, &staticSource{}, Options{Theme: k}, 80, 24)
		hs.deliver(hostileSnapshot())
		assertFits(t, hs.m.View().Content, 80, 24)
	}
}

// assertFits checks the frame is exactly h lines, none wider than w:
// anything else scrolls or wraps the terminal and breaks the screen.
func assertFits(t testing.TB, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Errorf("frame has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("line %d is %d cells wide, terminal is %d: %q", i, lw, w, ansi.Strip(l))
		}
	}
}

// assertNoInjectedEscapes checks that the only escape sequences in a
// frame are SGR styles (ESC [ ... m): no OSC, no cursor movement, no
// erase, no C1 controls.
func assertNoInjectedEscapes(t testing.TB, out string) {
	t.Helper()
	for i := 0; i < len(out); i++ {
		if out[i] == '\r' {
			t.Fatalf("carriage return in frame at %d", i)
		}
		if out[i] != 0x1b {
			continue
		}
		j := i + 1
		if j >= len(out) || out[j] != '[' {
			t.Fatalf("non-CSI escape in frame: %q", out[i:min(i+12, len(out))])
		}
		for j++; j < len(out) && (out[j] >= '0' && out[j] <= '9' || out[j] == ';' || out[j] == ':'); j++ {
		}
		if j >= len(out) || out[j] != 'm' {
			t.Fatalf("escape that is not a style in frame: %q", out[i:min(j+1, len(out))])
		}
	}
	for _, r := range out {
		if r >= 0x80 && r <= 0x9f || r == '\u202e' || r == '\u200b' {
			t.Fatalf("control or format character %U in frame", r)
		}
	}
}

// TestGoldenAirlock keeps the airlock's screens at 80x24: the menu on the
// live cluster, the confirmation for green, the refusal after the EIPs
// moved behind a paused screen (S1), and the outcome.
func TestGoldenAirlock(t *testing.T) {
	open := func(t *testing.T, actor *fakeActor, cluster string) *harness {
		hs := newHarness(t, &staticSource{}, Options{Actor: actor}, 80, 24)
		hs.deliver(demoSnapshot())
		hs.m.clusters.selectName(cluster)
		hs.m.syncInstances()
		hs.press("x")
		hs.until("the menu", func() bool { return hs.m.flow != nil && hs.m.flow.stage == stageMenu })
		return hs
	}
	prepare := func(hs *harness, label string) {
		for i, it := range hs.m.flow.items {
			if strings.HasPrefix(it.Label, label) {
				hs.m.flow.cur = i
			}
		}
		hs.press("enter")
		hs.until("the verdict", func() bool { return hs.m.flow.stage == stageConfirm })
	}
	cases := map[string]func(t *testing.T) *harness{
		"menu-live-cluster": func(t *testing.T) *harness {
			return open(t, &fakeActor{facts: factsOf(demoSnapshot())}, "blue")
		},
		"confirm-terminate-green": func(t *testing.T) *harness {
			hs := open(t, &fakeActor{facts: factsOf(demoSnapshot())}, "green")
			prepare(hs, "Terminate cluster green")
			hs.typeText("acme-prod/gr")
			return hs
		},
		"refused-eips-moved": func(t *testing.T) *harness {
			hs := open(t, &fakeActor{facts: factsOf(goLive(demoSnapshot()))}, "blue")
			prepare(hs, "Disassociate the EIPs of blue")
			return hs
		},
		"done": func(t *testing.T) *harness {
			hs := open(t, &fakeActor{facts: factsOf(demoSnapshot())}, "green")
			prepare(hs, "Terminate cluster green")
			hs.typeText("acme-prod/green")
			hs.press("enter")
			hs.until("the outcome", func() bool { return hs.m.flow.stage == stageDone })
			return hs
		},
	}
	for name, build := range cases {
		t.Run(name, func(t *testing.T) {
			hs := build(t)
			out := hs.m.View().Content
			assertFits(t, out, 80, 24)
			golden.RequireEqual(t, ansi.Strip(out))
		})
	}
}

// With NO_COLOR every screen, the airlock's included, must be free of
// colour: only bold, underline and reverse video.
func TestMonochromeScreensHaveNoColour(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{Monochrome: true, Actor: &fakeActor{facts: factsOf(goLive(demoSnapshot()))}}, 100, 30)
	hs.deliver(demoSnapshot())
	hs.clock.Advance(5 * time.Second)
	hs.deliver(goLive(demoSnapshot()))
	screens := map[string]string{"dashboard": hs.m.View().Content}
	hs.key("?")
	screens["help"] = hs.m.View().Content
	hs.key("esc", "/", "g")
	screens["filter"] = hs.m.View().Content
	hs.key("esc")
	hs.m.clusters.selectName("blue") // no longer live after the go-live
	hs.m.syncInstances()
	hs.press("x")
	hs.until("the menu", func() bool { return hs.m.flow != nil && hs.m.flow.stage == stageMenu })
	screens["menu"] = hs.m.View().Content
	hs.press("enter")
	hs.until("the verdict", func() bool { return hs.m.flow.stage == stageConfirm })
	hs.typeText("acme-prod/bl")
	hs.press("enter") // a wrong phrase: the error line too
	hs.settle(50 * time.Millisecond)
	if !strings.Contains(hs.screen(), "not the phrase") {
		t.Fatalf("confirmation:\n%s", hs.screen())
	}
	screens["confirm"] = hs.m.View().Content
	for name, out := range screens {
		if c := firstColour(out); c != "" {
			t.Errorf("%s screen uses colour %q", name, c)
		}
	}
	// The detector itself: the default theme's dashboard is coloured.
	if firstColour(afterGoLive(t, Options{}, 100, 30).m.View().Content) == "" {
		t.Fatal("firstColour finds no colour in the coloured theme")
	}
}

// firstColour returns the first SGR sequence in s that sets a colour.
func firstColour(s string) string {
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return ""
		}
		s = s[i+2:]
		j := strings.IndexByte(s, 'm')
		if j < 0 {
			return ""
		}
		if strings.ContainsAny(s[:j], "[\x1b") {
			continue // not an SGR sequence
		}
		for _, p := range strings.FieldsFunc(s[:j], func(r rune) bool { return r == ';' || r == ':' }) {
			switch n := atoi(p); {
			case n >= 30 && n <= 38, n >= 40 && n <= 48, n >= 90 && n <= 97, n >= 100 && n <= 107:
				return "\x1b[" + s[:j+1]
			}
		}
		s = s[j+1:]
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return -1
		}
		n = n*10 + int(r-'0')
	}
	return n
}

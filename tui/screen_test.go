package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
)

// Reading the screen: what a cut cell keeps, what the cursor keeps, the
// words, the times, the layout at every size, and the menu's picker.

func TestCutKeepsWhatTellsRowsApart(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		mode cutMode
		want string
	}{
		{"i-01100000000000004", 19, cutMiddle, "i-01100000000000004"},
		{"i-01100000000000004", 11, cutMiddle, "i-011…00004"},
		{"i-01100000000000004", 12, cutMiddle, "i-011…000004"},
		{"203.0.113.10", 9, cutMiddle, "203.…3.10"},
		{"blue-web-1", 6, cutEnd, "blue-…"},
		// An owner: the cluster name shortens before the ID does.
		{"production-frontend/i-01100000000000004", 28, cutWords, "product…/i-01100000000000004"},
		{"green/i-01100000000000004", 21, cutWords, "green/i-01100…0000004"},
		// An event: the IDs lose their middles, evenly, the words stay.
		{"EIP 3.3.3.1 moved blue/i-0b1e0000000000001 → green/i-06ee0000000000001", 60, cutWords,
			"EIP 3.3.3.1 moved blue/i-0b1e…0000001 → green/i-06ee…0000001"},
		// Words without digits are not IDs: the line loses its middle.
		{"you: stop cluster green: UnauthorizedOperation: not allowed", 40, cutWords,
			"you: stop cluster g…eration: not allowed"},
	} {
		got := fitText(tc.in, tc.w, tc.mode)
		if got != tc.want {
			t.Errorf("fitText(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
		if w := ansi.StringWidth(got); w > tc.w {
			t.Errorf("fitText(%q, %d) is %d wide", tc.in, tc.w, w)
		}
	}
	// Two IDs that differ only at the end stay different at any width a
	// cell can have, and so do two owners.
	for w := 3; w <= 25; w++ {
		a, b := fitText("i-01100000000000001", w, cutMiddle), fitText("i-01100000000000002", w, cutMiddle)
		if a == b {
			t.Errorf("width %d: %q and the other ID cut to the same text", w, a)
		}
		if w < 9 {
			continue
		}
		a = fitText("a-long-cluster-name/i-01100000000000001", w+6, cutWords)
		b = fitText("a-long-cluster-name/i-01100000000000002", w+6, cutWords)
		if a == b {
			t.Errorf("width %d: owners %q cut to the same text", w+6, a)
		}
	}
}

// In a narrow Elastic IPs pane the owner keeps its instance's tail.
func TestOwnerKeepsItsInstance(t *testing.T) {
	st := newStyles(themes.New(themes.Default, true))
	p := newAddressesPane(&st, newRecent())
	p.setRows(4)
	s := demoSnapshot()
	for i := range s.Instances {
		if s.Instances[i].Tags.Get("Cluster") == "blue" {
			s.Instances[i].Tags = model.TagsOf(map[string]string{"Cluster": "blue-production-frontend-eu"})
		}
	}
	p.setWorld(paneWorld(s))
	lines := plainLines(p.view(40, 6, true, t0, ""))
	for i, ip := range []string{"3.3.3.1", "3.3.3.2", "3.3.3.3"} {
		row := lines[2+i]
		if !strings.Contains(row, ip) || !strings.HasSuffix(strings.TrimSpace(row), "00000"+ip[len(ip)-1:]) || !strings.Contains(row, "/i-0b1e") {
			t.Errorf("row %q lost the instance's tail", row)
		}
	}
}

// LIVE keeps its style on the cursor row (and on a changed row): the
// cursor is a marker and a background, not a repaint of the row.
func TestCursorRowKeepsCellStyles(t *testing.T) {
	for _, kind := range []themes.Kind{themes.Default, themes.Monochrome} {
		hs := newHarness(t, &staticSource{}, Options{Theme: kind}, 100, 30)
		hs.deliver(demoSnapshot()) // blue is LIVE and under the cursor
		ik := &hs.m.st.ink
		row := ""
		for _, l := range strings.Split(hs.m.View().Content, "\n") {
			if strings.Contains(ansi.Strip(l), "▶ blue") {
				row = l
			}
		}
		if row == "" {
			t.Fatalf("%v: no cursor row on blue:\n%s", kind, hs.screen())
		}
		if !strings.HasPrefix(row, ik.Selected.pre) {
			t.Errorf("%v: cursor row does not start on the selection bar: %q", kind, row)
		}
		live := ik.Live.pre
		if kind == themes.Monochrome {
			// Reverse video on a reversed bar would vanish: the cell
			// turns it off to stand out.
			live += noReverse
		}
		if !strings.Contains(row, live+"LIVE"+ik.Live.post+ik.Selected.pre) {
			t.Errorf("%v: LIVE lost its style on the cursor row: %q", kind, row)
		}
		// Off the cursor, LIVE is drawn in its own style too.
		hs.key("j")
		for _, l := range strings.Split(hs.m.View().Content, "\n") {
			if strings.Contains(ansi.Strip(l), "  blue ") && !strings.Contains(l, ik.Live.pre+"LIVE"+ik.Live.post) {
				t.Errorf("%v: LIVE unstyled off the cursor: %q", kind, l)
			}
		}
	}
	// FAILED keeps its style on the cursor row too.
	hs := newHarness(t, &staticSource{}, Options{}, 100, 30)
	hs.deliver(demoSnapshot())
	hs.key("j") // green: 1 FAILED
	ik := &hs.m.st.ink
	if !strings.Contains(hs.m.View().Content, ik.Danger.pre+"1 FAILED"+ik.Danger.post+ik.Selected.pre) {
		t.Error("FAILED lost its style on the cursor row")
	}
}

// Without colour, the selected row and LIVE differ (the marker, the
// word), and production differs from staging by more than its word.
func TestMonochromeBannerShapes(t *testing.T) {
	banner := func(alias string) string {
		hs := newHarness(t, &staticSource{}, Options{Monochrome: true}, 80, 24)
		hs.deliver(demoSnapshotFor(alias, "111111111111"))
		lines := strings.Split(hs.m.View().Content, "\n")
		return lines[0] + "\n" + lines[1]
	}
	prod, stage := banner("acme-prod"), banner("acme-staging")
	if c := firstColour(prod + stage); c != "" {
		t.Fatalf("monochrome banner uses colour %q", c)
	}
	// The same banner but for the word: still different, in the text
	// itself (a shape) and in how it is drawn.
	sameWord := func(s string) string {
		s = strings.ReplaceAll(s, "acme-prod", "acme-x")
		s = strings.ReplaceAll(s, "acme-staging", "acme-x")
		s = strings.ReplaceAll(s, "PRODUCTION", "ENV")
		return strings.ReplaceAll(s, "STAGING", "ENV")
	}
	if ansi.Strip(sameWord(prod)) == ansi.Strip(sameWord(stage)) {
		t.Errorf("without styles, production and staging differ only by the word:\n%s\n%s", ansi.Strip(prod), ansi.Strip(stage))
	}
	if !strings.Contains(ansi.Strip(prod), "▲▲ PRODUCTION ▲▲") {
		t.Errorf("production banner lacks its mark: %q", ansi.Strip(prod))
	}
	// Production is reversed edge to edge on both lines; staging only
	// its label.
	rev := func(line string) int {
		n, on := 0, false
		for _, seg := range splitSGR(line) {
			if seg.sgr != "" {
				// Each SGR here starts from a reset or sets reverse.
				on = strings.Contains(";"+seg.sgr[2:len(seg.sgr)-1]+";", ";7;")
				continue
			}
			if on {
				n += ansi.StringWidth(seg.text)
			}
		}
		return n
	}
	for i, l := range strings.Split(prod, "\n") {
		if got := rev(l); got != 80 {
			t.Errorf("production banner line %d: %d of 80 cells reversed", i, got)
		}
	}
	if got := rev(strings.Split(stage, "\n")[0]); got != len(" STAGING ") {
		t.Errorf("staging banner: %d cells reversed, want only its label", got)
	}

	// The cursor row and LIVE: a marker says which row is selected.
	hs := newHarness(t, &staticSource{}, Options{Monochrome: true}, 80, 24)
	hs.deliver(demoSnapshot())
	if s := hs.screen(); !strings.Contains(s, "▶ blue ") || !strings.Contains(s, "  green ") {
		t.Errorf("cursor marker missing:\n%s", s)
	}
}

type sgrSeg struct{ sgr, text string }

// splitSGR splits a styled line into its SGR sequences and text.
func splitSGR(s string) []sgrSeg {
	var out []sgrSeg
	for s != "" {
		i := strings.Index(s, "\x1b[")
		if i != 0 {
			if i < 0 {
				i = len(s)
			}
			out = append(out, sgrSeg{text: s[:i]})
			s = s[i:]
			continue
		}
		j := strings.IndexByte(s, 'm')
		out = append(out, sgrSeg{sgr: s[:j+1]})
		s = s[j+1:]
	}
	return out
}

// "paused" appears once on the banner, and the footer says p resumes.
func TestPausedSaidOnce(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	hs.key("p")
	hs.clock.Advance(time.Minute)
	hs.send(ClockMsg{})
	lines := strings.Split(hs.screen(), "\n")
	banner := strings.ToLower(lines[0] + lines[1])
	if n := strings.Count(banner, "paused"); n != 1 || !strings.Contains(banner, "stale") {
		t.Errorf("banner says paused %d times (want once, and STALE):\n%s\n%s", n, lines[0], lines[1])
	}
	if footer := lines[len(lines)-1]; !strings.Contains(footer, "p resume") {
		t.Errorf("footer while paused: %q", footer)
	}
	hs.key("p")
	if footer := hs.screen()[strings.LastIndex(hs.screen(), "\n")+1:]; strings.Contains(footer, "resume") {
		t.Errorf("footer after resuming: %q", footer)
	}
}

// At any width the footer keeps ? help and q quit, whatever else goes.
func TestFooterKeepsHelpAndQuit(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{Actor: &fakeActor{facts: factsOf(demoSnapshot())}}, 80, 24)
	hs.deliver(demoSnapshot())
	for w := minWidth; w <= 130; w++ {
		hs.send(tea.WindowSizeMsg{Width: w, Height: 24})
		for range paneCount {
			lines := strings.Split(hs.screen(), "\n")
			footer := lines[len(lines)-1]
			if !strings.Contains(footer, "? help") || !strings.Contains(footer, "q quit") {
				t.Fatalf("%d columns, pane %d: footer %q", w, hs.m.focus, footer)
			}
			hs.key("tab")
		}
	}
	hs.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if s := hs.screen(); !strings.Contains(s, "x actions") {
		t.Errorf("at 80 columns the footer drops the actions key: %q", s[strings.LastIndex(s, "\n")+1:])
	}
}

// Too small for the panes: the message fits the terminal it is on.
func TestTooSmallMessageFits(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	for w := 1; w < minWidth; w++ {
		for h := bannerRows + 1; h <= 20; h++ {
			hs.send(tea.WindowSizeMsg{Width: w, Height: h})
			out := hs.m.View().Content
			assertFits(t, out, w, h)
			body := strings.Join(strings.Split(ansi.Strip(out), "\n")[bannerRows:], " ")
			if w >= 14 && !strings.Contains(body, "40x14") {
				t.Errorf("%dx%d: the size needed is not shown:\n%s", w, h, ansi.Strip(out))
			}
		}
	}
}

// At 200x60 the columns get their natural widths and the rows go to the
// panes that have rows: no 32-cell cluster column for "blue", no empty
// rows under three clusters, and nothing touching the separator.
func TestLayoutAtEverySize(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		hs := afterGoLive(t, Options{}, sz[0], sz[1])
		screen := hs.screen()
		lines := strings.Split(screen, "\n")
		// The top row holds the 4 EIPs and the 3 clusters: title,
		// header, 4 rows.
		if hs.m.lay.clusters.h != 6 {
			t.Errorf("%dx%d: the clusters row is %d lines for 4 rows of data", sz[0], sz[1], hs.m.lay.clusters.h)
		}
		for i, l := range lines {
			j := strings.Index(l, "│")
			if j < 0 {
				continue
			}
			before, after := []rune(l[:j]), []rune(l[j+len("│"):])
			if i > hs.m.lay.top && (len(before) == 0 || before[len(before)-1] != ' ' || len(after) == 0 || after[0] != ' ' && after[0] != '▷' && after[0] != '▶') {
				t.Errorf("%dx%d line %d: a cell touches the separator: %q", sz[0], sz[1], i, l)
			}
		}
		header := lines[hs.m.lay.top+1]
		if k := utf8.RuneCountInString(header[:strings.Index(header, "LIVE")]) - utf8.RuneCountInString(header[:strings.Index(header, "CLUSTER")]); k > len("(untagged) ") {
			t.Errorf("%dx%d: the cluster column is %d cells wide for names of 10: %q", sz[0], sz[1], k, header)
		}
		if sz[0] == 200 {
			for _, col := range hs.m.instances.cols {
				if col.flex && col.most > 40 {
					t.Errorf("the NAME column may grow to %d", col.most)
				}
			}
		}
	}
	// Rows follow the data: a cluster with 40 instances gets the rows.
	s := demoSnapshot()
	for i := range 40 {
		id := fmt.Sprintf("i-0c0000000000000%02d", i)
		s.Instances = append(s.Instances, model.Instance{ID: id, State: model.StateRunning, Tags: model.TagsOf(map[string]string{"Cluster": "big"})})
	}
	hs := newHarness(t, &staticSource{}, Options{}, 200, 60)
	hs.deliver(s)
	hs.m.clusters.selectName("big")
	hs.send(ClockMsg{}) // any message lays the screen out again
	hs.m.syncInstances()
	hs.send(ClockMsg{})
	if got := hs.m.lay.instances.h; got < 40+tableChrome {
		t.Errorf("a 40-instance cluster gets %d lines at 200x60", got)
	}
}

// Event times carry their zone; enter shows an event whole, esc closes.
func TestEventsCarryZoneAndShowWhole(t *testing.T) {
	hs := afterGoLive(t, Options{}, 80, 24)
	s := hs.screen()
	if !strings.Contains(s, "14:03:46 UTC EIP 3.3.3.1 moved") || !strings.Contains(s, "14:03:49 UTC") {
		t.Fatalf("times without their zone, or no clock on the banner:\n%s", s)
	}
	hs.m.focus = paneEvents
	hs.key("j", "j") // the first EIP move
	hs.key("enter")
	s = hs.screen()
	for _, want := range []string{"Event at 2026-", "14:03:46 UTC", "EIP 3.3.3.1 moved blue/i-0b1e0000000000001 → green/i-06ee0000000000001"} {
		if !strings.Contains(s, want) {
			t.Errorf("event shown whole lacks %q:\n%s", want, s)
		}
	}
	hs.key("esc")
	if hs.m.events.open != nil || !strings.Contains(hs.screen(), "── Clusters") {
		t.Errorf("esc did not close the event:\n%s", hs.screen())
	}

	// Another zone (the operator's, with --utc=false), with its name.
	hs = afterGoLive(t, Options{Zone: time.FixedZone("XYZ", 2*3600)}, 80, 24)
	if s := hs.screen(); !strings.Contains(s, "16:03:46 XYZ EIP 3.3.3.1") || !strings.Contains(s, "16:03:49 XYZ") {
		t.Errorf("local times without their zone:\n%s", s)
	}
}

// The filter prompt shows its text and a cursor, nothing else, and never
// what a paste carried to the terminal.
func TestFilterPromptShowsOnlyItsText(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	hs.key("/", "g", "r")
	hs.send(tea.PasteMsg{Content: "\x1b[2Je"})
	out := hs.m.View().Content
	assertNoInjectedEscapes(t, out)
	lines := strings.Split(ansi.Strip(out), "\n")
	footer := lines[len(lines)-1]
	if !strings.HasPrefix(footer, "filter: gr[2Je ") || strings.Contains(footer, "/") || strings.Contains(footer, "…") {
		t.Errorf("filter prompt = %q", footer)
	}
}

// A notice belongs to its screen: it neither follows the operator into
// help nor comes back when help closes.
func TestNoticeClearsWithItsScreen(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 100, 30)
	hs.deliver(demoSnapshot())
	hs.key("x") // no actor: "actions are off"
	if !strings.Contains(hs.screen(), "actions are off") {
		t.Fatalf("no notice:\n%s", hs.screen())
	}
	hs.key("?")
	if strings.Contains(hs.screen(), "actions are off") {
		t.Error("the notice followed the operator into help")
	}
	hs.key("?")
	if strings.Contains(hs.screen(), "actions are off") {
		t.Error("the notice came back when help closed")
	}
}

// Moves to many clusters are one menu line; enter opens a picker of
// destinations that filters as the operator types, and enter there
// checks the move to that destination with AWS.
func TestMenuCollapsesMovesIntoAPicker(t *testing.T) {
	s := demoSnapshot()
	for i := 1; i <= 12; i++ {
		id := fmt.Sprintf("i-0c00000000000%04d", i)
		s.Instances = append(s.Instances, model.Instance{ID: id, State: model.StateRunning,
			Tags: model.TagsOf(map[string]string{"Cluster": fmt.Sprintf("c%02d", i)})})
		s.Statuses[id] = model.InstanceStatus{InstanceID: id, System: model.CheckOK, Instance: model.CheckOK}
	}
	hs := newHarness(t, &staticSource{}, Options{Actor: &fakeActor{facts: factsOf(s)}}, 100, 30)
	hs.deliver(s)
	hs.m.clusters.selectName("blue")
	hs.m.syncInstances()
	hs.press("x")
	hs.until("the menu", func() bool { return hs.m.flow != nil && hs.m.flow.stage == stageMenu })
	screen := hs.screen()
	if n := strings.Count(screen, "Move the EIPs of blue"); n != 1 || !strings.Contains(screen, "to another cluster (13 destinations, 0 available)") {
		t.Fatalf("moves not collapsed (%d lines):\n%s", n, screen)
	}
	hs.m.flow.cur = len(hs.m.flow.items) - 1
	hs.press("enter")
	if hs.m.flow.stage != stagePick || !strings.Contains(hs.screen(), "13 of 13") {
		t.Fatalf("enter did not open the picker:\n%s", hs.screen())
	}
	hs.typeText("c07")
	if !strings.Contains(hs.screen(), "1 of 13") || !strings.Contains(hs.screen(), "▸ c07") {
		t.Fatalf("typing did not filter:\n%s", hs.screen())
	}
	hs.press("enter")
	hs.until("the verdict", func() bool { return hs.m.flow.stage == stageConfirm })
	if got := hs.m.flow.picked.Intent; got.Action != model.ActionMoveEIPs || got.DestCluster != "c07" {
		t.Errorf("prepared %+v, want a move to c07", got)
	}
	if !strings.Contains(hs.screen(), "Move the EIPs of blue to c07") {
		t.Errorf("verdict screen:\n%s", hs.screen())
	}
}

// A refusal because EIPs moved names each move; the confirmation does not
// list them again, unless the refusal had to shorten its list.
func TestRefusalDiffPrintedOnce(t *testing.T) {
	changes := []model.Change{
		{Subject: model.Subject{Kind: model.ChangeEIP, ID: "3.3.3.1"}, Field: "owner", Seen: "blue/i-1", Now: "green/i-4"},
		{Subject: model.Subject{Kind: model.ChangeInstance, ID: "i-2"}, Field: "state", Seen: "running", Now: "stopping"},
	}
	moved := model.Refusal{Rule: model.RuleOwnerChanged, Reason: "EIP 3.3.3.1 was on blue/i-1 when shown at 14:03:41 UTC, is now on green/i-4"}
	got := unsaid(model.Verdict{Refusals: []model.Refusal{moved}, Changes: changes})
	if len(got) != 1 || got[0].Field != "state" {
		t.Errorf("unsaid = %+v, want only the state change", got)
	}
	moved.Reason += "; EIP 3.3.3.2 was on … and 4 more"
	if got := unsaid(model.Verdict{Refusals: []model.Refusal{moved}, Changes: changes}); len(got) != 2 {
		t.Errorf("a shortened refusal hides changes: %+v", got)
	}
	if got := unsaid(model.Verdict{Allowed: true, Changes: changes}); len(got) != 2 {
		t.Errorf("an allowed verdict hides changes: %+v", got)
	}
}

package tui

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
)

// The confirmation screen: what changed stands out (in style, not only
// in words), the verdict, account and prompt never scroll away, the
// checks read as on the dashboard, and the phrase prompt shows what was
// really typed.

// confirmOn opens the airlock on cluster of screen, with AWS reporting
// facts, and prepares the action labelled label.
func confirmOn(t *testing.T, screen model.Snapshot, facts func() model.Facts, cluster, label string, w, h int) (*harness, *fakeActor) {
	t.Helper()
	actor := &fakeActor{facts: facts}
	hs := newHarness(t, &staticSource{}, Options{Actor: actor}, w, h)
	hs.deliver(screen)
	hs.m.clusters.selectName(cluster)
	hs.m.syncInstances()
	hs.press("x")
	hs.until("the menu", func() bool { return hs.m.flow != nil && hs.m.flow.stage == stageMenu })
	prepareFirst(t, hs, label)
	return hs, actor
}

// edited is the facts of s after edit, fetched at t0.
func edited(s model.Snapshot, edit func(*model.Snapshot)) func() model.Facts {
	s.Instances = slices.Clone(s.Instances)
	s.Addresses = slices.Clone(s.Addresses)
	st := make(map[string]model.InstanceStatus, len(s.Statuses))
	for k, v := range s.Statuses {
		st[k] = v
	}
	s.Statuses = st
	edit(&s)
	return factsOf(s)
}

func setInstance(s *model.Snapshot, id string, edit func(*model.Instance)) {
	for i := range s.Instances {
		if s.Instances[i].ID == id {
			edit(&s.Instances[i])
		}
	}
}

// withCluster returns s with cluster grown to n instances, IDs
// prefix+13 digits like the demo's.
func withCluster(s model.Snapshot, cluster, prefix string, n int) model.Snapshot {
	s.Instances = slices.Clone(s.Instances)
	st := make(map[string]model.InstanceStatus, len(s.Statuses)+n)
	for k, v := range s.Statuses {
		st[k] = v
	}
	s.Statuses = st
	for i := 4; i <= n; i++ {
		id := fmt.Sprintf("%s%013d", prefix, i)
		s.Instances = append(s.Instances, model.Instance{
			ID: id, Name: fmt.Sprintf("%s-web-%d", cluster, i), State: model.StateRunning, Type: "m6i.large",
			AZ: "us-east-1a", LaunchTime: t0.Add(-12 * time.Minute), Tags: model.TagsOf(map[string]string{"Cluster": cluster}),
		})
		s.Statuses[id] = model.InstanceStatus{InstanceID: id, System: model.CheckOK, Instance: model.CheckOK}
	}
	return s
}

var factRowRE = regexp.MustCompile(`^ (i-[0-9a-f]{17}|\d+\.\d+\.\d+\.\d+) `)

// factRows maps the ID of each fact row on a styled screen to its styled
// line. The list of changes ("! instance i-…") does not count: it is
// worded, and the point is the row.
func factRows(out string) map[string]string {
	rows := map[string]string{}
	for line := range strings.Lines(out) {
		if m := factRowRE.FindStringSubmatch(ansi.Strip(line)); m != nil {
			rows[m[1]] = line
		}
	}
	return rows
}

// A row whose subject changed since the screen showed it is drawn in the
// theme's Changed style, and no other row is. Stripping the styles would
// hide exactly this, so the test reads the escape sequences.
func TestConfirmHighlightsChangedRows(t *testing.T) {
	cases := []struct {
		name, cluster, label string
		facts                func() model.Facts
		changed              []string
	}{
		{
			name: "an instance stopped since shown", cluster: "green", label: "Terminate cluster green",
			facts: edited(demoSnapshot(), func(s *model.Snapshot) {
				setInstance(s, "i-06ee0000000000002", func(in *model.Instance) { in.State = model.StateStopped })
			}),
			changed: []string{"i-06ee0000000000002"},
		},
		{
			name: "an instance joined the cluster since shown", cluster: "green", label: "Terminate cluster green",
			facts: edited(demoSnapshot(), func(s *model.Snapshot) {
				s.Instances = append(s.Instances, model.Instance{ID: "i-06ee0000000000004", State: model.StatePending,
					Tags: model.TagsOf(map[string]string{"Cluster": "green"}), LaunchTime: t0})
			}),
			changed: []string{"i-06ee0000000000004"},
		},
		{
			name: "one EIP moved to green since shown (S1)", cluster: "blue", label: "Disassociate the EIPs of blue",
			facts: edited(demoSnapshot(), func(s *model.Snapshot) {
				for i := range s.Addresses {
					if s.Addresses[i].PublicIP == "3.3.3.2" {
						s.Addresses[i].InstanceID = "i-06ee0000000000002"
						s.Addresses[i].AssociationID = "eipassoc-06ee000000000002"
					}
				}
			}),
			changed: []string{"3.3.3.2"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs, _ := confirmOn(t, demoSnapshot(), tc.facts, tc.cluster, tc.label, 120, 40)
			changedInk := hs.m.st.ink.Changed.pre
			if changedInk == "" {
				t.Fatal("the theme's Changed style draws nothing")
			}
			rows := factRows(hs.m.View().Content)
			for _, id := range tc.changed {
				if _, ok := rows[id]; !ok {
					t.Fatalf("no fact row for %s:\n%s", id, hs.screen())
				}
			}
			if len(rows) < 3 {
				t.Fatalf("only %d fact rows:\n%s", len(rows), hs.screen())
			}
			for id, line := range rows {
				want := slices.Contains(tc.changed, id)
				if got := strings.Contains(line, changedInk); got != want {
					t.Errorf("row %s drawn changed = %v, want %v: %q", id, got, want, line)
				}
			}
		})
	}
}

// visibleIDs lists the instance IDs of the fact rows on screen, in order.
func visibleIDs(screen string) []string {
	var ids []string
	for line := range strings.Lines(screen) {
		if m := factRowRE.FindStringSubmatch(line); m != nil {
			ids = append(ids, m[1])
		}
	}
	return ids
}

// Terminating a 50-instance cluster at 80x24: the verdict, the account,
// the calls and the prompt stay on screen; the instances scroll under
// them with pgup/pgdn and the wheel, and say how many are shown.
func TestConfirmLargeClusterAt80x24(t *testing.T) {
	screen := withCluster(demoSnapshot(), "green", "i-06ee", 50)
	hs, actor := confirmOn(t, screen, factsOf(screen), "green", "Terminate cluster green", 80, 24)
	mustShow := func(when string) string {
		t.Helper()
		out := hs.m.View().Content
		assertFits(t, out, 80, 24)
		s := ansi.Strip(out)
		for _, want := range []string{
			"terminate cluster green (50 instances)",        // the verdict
			"account acme-prod (111111111111) · PRODUCTION", // who STS says we are
			"cluster green is not LIVE",
			"ec2:TerminateInstances on 50 instances",
			"Type acme-prod/green to terminate", "> ", // the prompt
		} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: screen lacks %q:\n%s", when, want, s)
			}
		}
		if !regexp.MustCompile(`\d+ of 50 shown \(\d+–\d+\)`).MatchString(s) {
			t.Errorf("%s: screen does not say how many instances are shown:\n%s", when, s)
		}
		return s
	}
	first := mustShow("first page")
	page1 := visibleIDs(first)
	if len(page1) < 5 || page1[0] != "i-06ee0000000000001" {
		t.Fatalf("first page shows %v:\n%s", page1, first)
	}
	t.Run("golden-first-page", func(t *testing.T) { golden.RequireEqual(t, first) })

	hs.send(tea.KeyPressMsg{Code: tea.KeyPgDown})
	second := mustShow("after pgdn")
	page2 := visibleIDs(second)
	if len(page2) == 0 || slices.Contains(page1, page2[0]) {
		t.Fatalf("pgdn: first page %v, then %v", page1, page2)
	}
	if !strings.Contains(second, fmt.Sprintf("%d of 50 shown (%d–", len(page2), len(page1)+1)) {
		t.Errorf("after pgdn the count does not follow:\n%s", second)
	}
	t.Run("golden-after-pgdn", func(t *testing.T) { golden.RequireEqual(t, second) })

	for range 20 {
		hs.send(tea.KeyPressMsg{Code: tea.KeyPgDown})
	}
	last := visibleIDs(mustShow("at the end"))
	if last[len(last)-1] != "i-06ee0000000000050" {
		t.Errorf("pgdn to the end shows %v, want it to end at the 50th", last)
	}
	if !strings.Contains(hs.screen(), "of 50 shown") {
		t.Error("the count line went missing at the end")
	}

	hs.send(tea.KeyPressMsg{Code: tea.KeyPgUp})
	for range 20 {
		hs.send(tea.KeyPressMsg{Code: tea.KeyPgUp})
	}
	if got := visibleIDs(mustShow("back at the top")); !slices.Equal(got, page1) {
		t.Errorf("pgup back to the top shows %v, want %v", got, page1)
	}

	hs.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if got := visibleIDs(mustShow("after the wheel")); got[0] != page1[1] {
		t.Errorf("the wheel scrolled to %v, want one row down from %v", got, page1)
	}

	// Scrolling does not take the prompt's keys: the phrase still goes in
	// and runs.
	hs.typeText("acme-prod/green")
	hs.press("enter")
	hs.until("the outcome", func() bool { return hs.m.flow.stage == stageDone })
	if !slices.Equal(actor.typed, []string{"acme-prod/green"}) {
		t.Errorf("Execute got %q", actor.typed)
	}
}

// A refused action on a large live cluster: the refusal stays, the
// instances scroll with the arrows too (there is nothing to type).
func TestConfirmLargeRefusalScrolls(t *testing.T) {
	screen := withCluster(demoSnapshot(), "blue", "i-0b1e", 50)
	hs, _ := confirmOn(t, screen, factsOf(screen), "blue", "Terminate cluster blue", 80, 24)
	s := hs.screen()
	for _, want := range []string{"REFUSED: nothing will run", "cluster blue is LIVE", "account acme-prod", "of 50 shown"} {
		if !strings.Contains(s, want) {
			t.Fatalf("refusal lacks %q:\n%s", want, s)
		}
	}
	before := visibleIDs(s)
	hs.key("down")
	after := visibleIDs(hs.screen())
	if len(before) < 2 || len(after) == 0 || after[0] != before[1] {
		t.Errorf("down scrolled %v to %v", before, after)
	}
	if !strings.Contains(hs.screen(), "REFUSED: nothing will run") {
		t.Errorf("the refusal scrolled away:\n%s", hs.screen())
	}
	hs.key("esc")
	if hs.m.flow != nil {
		t.Error("esc did not close the refusal")
	}
}

// The confirmation's CHECKS say what the dashboard says: "-" for an
// instance whose checks do not apply (stopped, even when an older answer
// said ok), "init" while they run for the first time; never "ok" for
// either.
func TestConfirmChecksUseTheDashboardWords(t *testing.T) {
	facts := edited(demoSnapshot(), func(s *model.Snapshot) {
		setInstance(s, "i-06ee0000000000001", func(in *model.Instance) { in.State = model.StateStopped })
		s.Statuses["i-06ee0000000000002"] = model.InstanceStatus{InstanceID: "i-06ee0000000000002",
			System: model.CheckInitializing, Instance: model.CheckInitializing}
	})
	hs, _ := confirmOn(t, demoSnapshot(), facts, "green", "Terminate cluster green", 120, 40)
	// The dashboard's words for the same statuses, from the function the
	// instances pane draws with.
	ik := &hs.m.st.ink
	ok := model.InstanceStatus{System: model.CheckOK, Instance: model.CheckOK}
	wantWord := map[string]string{
		"i-06ee0000000000001": checksCell(ik, model.StateStopped, ok, true, t0).text,
		"i-06ee0000000000002": checksCell(ik, model.StateRunning, model.InstanceStatus{System: model.CheckInitializing, Instance: model.CheckInitializing}, true, t0).text,
		"i-06ee0000000000003": checksCell(ik, model.StateRunning, model.InstanceStatus{System: model.CheckOK, Instance: model.CheckImpaired}, true, t0).text,
	}
	if wantWord["i-06ee0000000000001"] != "-" || wantWord["i-06ee0000000000002"] != "init" {
		t.Fatalf("the dashboard's words changed: %v", wantWord)
	}
	screen := hs.screen()
	header := ""
	for line := range strings.Lines(screen) {
		if strings.Contains(line, "INSTANCE") && strings.Contains(line, "CHECKS") {
			header = line
		}
	}
	col := strings.Index(header, "CHECKS")
	if col < 0 {
		t.Fatalf("no CHECKS column:\n%s", screen)
	}
	for line := range strings.Lines(screen) {
		m := factRowRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		want, ok := wantWord[m[1]]
		if !ok {
			continue
		}
		got := strings.Fields(string([]rune(line)[col:]))
		if len(got) == 0 || !strings.HasPrefix(strings.Join(got, " "), want) {
			t.Errorf("%s CHECKS = %q, want %q:\n%s", m[1], got, want, line)
		}
		if m[1] != "i-06ee0000000000003" && strings.Contains(string([]rune(line)[col:]), "ok") {
			t.Errorf("%s reads ok:\n%s", m[1], line)
		}
		delete(wantWord, m[1])
	}
	if len(wantWord) > 0 {
		t.Errorf("rows missing: %v\n%s", wantWord, screen)
	}
}

// A pasted phrase with a trailing newline is the phrase; the prompt
// shows invisible characters as ⟨U+XXXX⟩ and, on enter, says where the
// typed text differs. A bidi override pasted in never reaches the
// terminal raw.
func TestPhrasePromptFeedback(t *testing.T) {
	t.Run("a paste with a trailing newline runs", func(t *testing.T) {
		hs, actor := confirmOn(t, demoSnapshot(), factsOf(demoSnapshot()), "green", "Terminate cluster green", 100, 30)
		hs.exec(hs.send(tea.PasteMsg{Content: "acme-prod/green\n"}))
		hs.press("enter")
		hs.until("the outcome", func() bool { return hs.m.flow.stage == stageDone })
		if len(actor.typed) != 1 || model.TrimTyped(actor.typed[0]) != "acme-prod/green" {
			t.Errorf("Execute got %q", actor.typed)
		}
		if !strings.Contains(hs.screen(), ": done") {
			t.Errorf("outcome:\n%s", hs.screen())
		}
	})
	t.Run("a zero-width space is shown and named", func(t *testing.T) {
		hs, actor := confirmOn(t, demoSnapshot(), factsOf(demoSnapshot()), "green", "Terminate cluster green", 140, 40)
		hs.typeText("acme-prod/gre\u200ben")
		s := hs.screen()
		if !strings.Contains(s, "> acme-prod/gre⟨U+200B⟩en") {
			t.Errorf("the input does not show the invisible character:\n%s", s)
		}
		if !strings.Contains(s, "what you typed holds invisible characters: acme-prod/gre⟨U+200B⟩en") {
			t.Errorf("no warning about the invisible character:\n%s", s)
		}
		hs.press("enter")
		hs.settle(50 * time.Millisecond)
		s = hs.screen()
		if !strings.Contains(s, "that is not the phrase: what you typed differs at character 14: typed an invisible ⟨U+200B⟩, expected 'e'") {
			t.Errorf("the mismatch is not explained:\n%s", s)
		}
		if hs.m.flow.stage != stageConfirm || len(actor.typed) != 0 {
			t.Errorf("a wrong phrase went on: stage %d, typed %q", hs.m.flow.stage, actor.typed)
		}
	})
	t.Run("a pasted bidi override is escaped, never raw", func(t *testing.T) {
		hs, _ := confirmOn(t, demoSnapshot(), factsOf(demoSnapshot()), "green", "Terminate cluster green", 140, 40)
		hs.exec(hs.send(tea.PasteMsg{Content: "\u202eacme-prod/green"}))
		out := hs.m.View().Content
		if strings.ContainsRune(out, '\u202e') {
			t.Error("the raw bidi override reaches the terminal")
		}
		if !strings.Contains(ansi.Strip(out), "> ⟨U+202E⟩acme-prod/green") {
			t.Errorf("the prompt does not show the override:\n%s", ansi.Strip(out))
		}
	})
	t.Run("a short phrase says what is missing", func(t *testing.T) {
		hs, _ := confirmOn(t, demoSnapshot(), factsOf(demoSnapshot()), "green", "Terminate cluster green", 140, 40)
		hs.typeText("acme-prod/gr")
		hs.press("enter")
		hs.settle(50 * time.Millisecond)
		if s := hs.screen(); !strings.Contains(s, `what you typed is 3 characters short: "een" is missing`) {
			t.Errorf("the mismatch is not explained:\n%s", s)
		}
	})
}

// S1 with the refresh paused: the go-live moved blue's EIPs to green
// behind the screen. The operator asks to disassociate them; the check
// refuses. Back on the dashboard, the panes show what the check found:
// green LIVE, blue not, the EIPs on green; the feed says so; and the
// screen is still as old (and as paused) as it was.
func TestPausedScreenLearnsFromTheCheck(t *testing.T) {
	moved := func() model.Facts {
		f := factsOf(goLive(demoSnapshot()))()
		f.FetchedAt = t0.Add(90 * time.Second) // the check runs after the screen was fetched
		return f
	}
	actor := &fakeActor{facts: moved}
	hs := newHarness(t, &staticSource{}, Options{Actor: actor}, 120, 40)
	hs.deliver(demoSnapshot())
	hs.key("p")
	hs.clock.Advance(90 * time.Second)
	hs.send(ClockMsg{})
	liveRow := func(cluster string) bool {
		t.Helper()
		for line := range strings.Lines(hs.screen()) {
			if f := strings.Fields(strings.TrimLeft(line, " ▶▷")); len(f) > 1 && f[0] == cluster {
				return f[1] == "LIVE"
			}
		}
		t.Fatalf("no row for %s:\n%s", cluster, hs.screen())
		return false
	}
	if !liveRow("blue") || liveRow("green") {
		t.Fatalf("before: the paused screen should show blue LIVE:\n%s", hs.screen())
	}

	hs.m.clusters.selectName("blue")
	hs.m.syncInstances()
	hs.press("x")
	hs.until("the menu", func() bool { return hs.m.flow != nil && hs.m.flow.stage == stageMenu })
	prepareFirst(t, hs, "Disassociate the EIPs of blue")
	if hs.m.flow.prepared.Verdict.Allowed {
		t.Fatal("disassociating EIPs that moved was allowed")
	}
	hs.key("esc")
	if hs.m.flow != nil {
		t.Fatal("esc did not close the refusal")
	}

	s := hs.screen()
	if liveRow("blue") {
		t.Errorf("after the refusal the dashboard still says blue LIVE:\n%s", s)
	}
	if !liveRow("green") {
		t.Errorf("after the refusal the dashboard does not say green LIVE:\n%s", s)
	}
	for _, want := range []string{"3.3.3.1         green/i-06ee0000000000001", "the screen was out of date", "EIP 3.3.3.1 moved"} {
		if !strings.Contains(s, want) {
			t.Errorf("dashboard lacks %q:\n%s", want, s)
		}
	}
	if !hs.m.refresh.paused || !strings.Contains(s, "PAUSED") {
		t.Errorf("the screen is no longer paused:\n%s", s)
	}
	if !hs.m.snap.FetchedAt.Equal(t0) {
		t.Errorf("the screen's age moved to %v: the rest of it is as old as before", hs.m.snap.FetchedAt)
	}
	// The rows the check changed stand out, like any change.
	styled := hs.m.View().Content
	for line := range strings.Lines(styled) {
		if strings.HasPrefix(ansi.Strip(line), "green ") || strings.HasPrefix(ansi.Strip(line), " green ") {
			if !strings.Contains(line, hs.m.st.ink.Changed.pre) {
				t.Errorf("green's row is not highlighted: %q", line)
			}
		}
	}
}

// Facts from another account (the credentials switched, S3) are never
// put on this account's screen.
func TestCheckInAnotherAccountLeavesTheScreen(t *testing.T) {
	other := func() model.Facts {
		f := factsOf(goLive(demoSnapshot()))()
		f.FetchedAt = t0.Add(time.Minute)
		f.Identity = model.Identity{AccountID: "222222222222", Alias: "acme-staging"}
		return f
	}
	hs, _ := confirmOn(t, demoSnapshot(), other, "blue", "Disassociate the EIPs of blue", 120, 40)
	if hs.m.flow.prepared.Verdict.Allowed {
		t.Fatal("allowed in another account")
	}
	hs.key("esc")
	w := hs.m.world
	if c, _ := w.Cluster("blue"); !c.Live {
		t.Error("the other account's facts were merged: blue is no longer LIVE on this screen")
	}
}

// The words of the CHECKS column, shared by the dashboard and the
// confirmation.
func TestChecksCellWords(t *testing.T) {
	st := newStyles(themes.New(themes.Default, true))
	ik := &st.ink
	ok := model.InstanceStatus{System: model.CheckOK, Instance: model.CheckOK}
	for _, tc := range []struct {
		name  string
		state model.InstanceState
		st    model.InstanceStatus
		have  bool
		want  string
	}{
		{"running, both ok", model.StateRunning, ok, true, "ok"},
		{"running, no answer", model.StateRunning, model.InstanceStatus{}, false, "-"},
		{"initialising", model.StateRunning, model.InstanceStatus{System: model.CheckInitializing, Instance: model.CheckInitializing}, true, "init"},
		{"pending, initialising", model.StatePending, model.InstanceStatus{System: model.CheckInitializing, Instance: model.CheckOK}, true, "init"},
		{"instance check failed", model.StateRunning, model.InstanceStatus{System: model.CheckOK, Instance: model.CheckImpaired}, true, "FAILED inst"},
		{"not applicable", model.StateStopped, model.InstanceStatus{System: model.CheckNotApplicable, Instance: model.CheckNotApplicable}, true, "-"},
		{"stopped, an older answer said ok", model.StateStopped, ok, true, "-"},
		{"terminated, an older answer said ok", model.StateTerminated, ok, true, "-"},
		{"stopping", model.StateStopping, ok, true, "-"},
	} {
		if got := checksCell(ik, tc.state, tc.st, tc.have, t0).text; got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

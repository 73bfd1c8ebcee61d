package tui

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// The airlock's own mechanics, with a fake Actor that judges with the
// real model.Judge (the end-to-end stories run against the simulator in
// airlock_test.go).

func openFlow(t *testing.T, actor *fakeActor, cluster string) *harness {
	t.Helper()
	hs := newHarness(t, &staticSource{}, Options{Actor: actor}, 100, 30)
	hs.deliver(demoSnapshot())
	hs.m.clusters.selectName(cluster)
	hs.m.syncInstances()
	hs.press("x")
	hs.until("the menu", func() bool { return hs.m.flow != nil && hs.m.flow.stage == stageMenu })
	return hs
}

func prepareFirst(t *testing.T, hs *harness, label string) {
	t.Helper()
	for i, it := range hs.m.flow.items {
		if strings.HasPrefix(it.Label, label) {
			hs.m.flow.cur = i
		}
	}
	hs.press("enter")
	hs.until("the verdict", func() bool { return hs.m.flow != nil && hs.m.flow.stage == stageConfirm })
}

// Esc at the phrase prompt cancels: Execute is never called.
func TestEscCancelsConfirmation(t *testing.T) {
	actor := &fakeActor{facts: factsOf(demoSnapshot())}
	hs := openFlow(t, actor, "green")
	prepareFirst(t, hs, "Terminate cluster green")
	hs.typeText("acme-prod/green")
	hs.press("esc")
	hs.until("the flow to close", func() bool { return hs.m.flow == nil })
	hs.settle(50 * time.Millisecond)
	if len(actor.typed) != 0 {
		t.Fatalf("Execute called after esc with %q", actor.typed)
	}
	if !strings.Contains(hs.screen(), "Clusters (3)") {
		t.Errorf("esc did not return to the dashboard:\n%s", hs.screen())
	}
}

// Keys go to the prompt while it is open: q types a q, x types an x.
func TestPromptOwnsTheKeyboard(t *testing.T) {
	actor := &fakeActor{facts: factsOf(demoSnapshot())}
	hs := openFlow(t, actor, "green")
	prepareFirst(t, hs, "Terminate cluster green")
	hs.press("q", "x", "p", "r")
	if hs.m.flow == nil || hs.m.flow.typed != "qxpr" {
		t.Fatalf("prompt did not get the keys: flow %v", hs.m.flow)
	}
	if hs.m.refresh.paused {
		t.Error("p in the prompt paused the refresh")
	}
}

// An action that finishes while a refresh is in flight is followed by
// another refresh: the one in flight may have started before the calls.
func TestRefreshAfterAction(t *testing.T) {
	actor := &fakeActor{facts: factsOf(demoSnapshot())}
	hs := openFlow(t, actor, "green")
	prepareFirst(t, hs, "Terminate cluster green")
	hs.m.startFetch() // a refresh that started before the action ran
	inFlight := hs.m.refresh.fetchGen
	hs.typeText("acme-prod/green")
	hs.press("enter")
	hs.until("the outcome", func() bool { return hs.m.flow.stage == stageDone })
	if hs.m.refresh.fetchGen != inFlight || !hs.m.refresh.again[laneQuick] {
		t.Fatal("the action did not ask for a refresh after the one in flight")
	}
	hs.deliver(demoSnapshot()) // the old refresh lands...
	if !hs.m.refresh.inFlight || hs.m.refresh.fetchGen != inFlight+1 {
		t.Error("...and no new refresh started at once")
	}
	if !strings.Contains(hs.screen(), "done") {
		t.Errorf("outcome:\n%s", hs.screen())
	}
}

// A failure inside Execute is shown as it is, and noted in the feed.
func TestExecuteFailureShown(t *testing.T) {
	actor := &fakeActor{facts: factsOf(demoSnapshot()), execErr: errors.New("UnauthorizedOperation: not allowed to terminate")}
	hs := openFlow(t, actor, "green")
	prepareFirst(t, hs, "Terminate cluster green")
	hs.typeText("acme-prod/green")
	hs.press("enter")
	hs.until("the outcome", func() bool { return hs.m.flow.stage == stageDone })
	if s := hs.screen(); !strings.Contains(s, "✗ UnauthorizedOperation") {
		t.Errorf("failure not shown:\n%s", s)
	}
	hs.press("esc")
	if s := hs.screen(); !strings.Contains(s, "you: terminate cluster green (3 instances)") {
		t.Errorf("feed does not record the failure:\n%s", s)
	}
	// The feed's line is cut to the pane; enter on it shows it whole.
	hs.m.focus = paneEvents
	hs.press("enter")
	if s := hs.screen(); !strings.Contains(s, "you: terminate cluster green (3 instances): UnauthorizedOperation: not allowed to terminate") {
		t.Errorf("the event shown whole lacks the failure:\n%s", s)
	}
}

// The seen state is what the screen showed when x was pressed, and the
// policy names the banner's STS-confirmed account.
func TestMenuRecordsSeenAndPolicy(t *testing.T) {
	hs := openFlow(t, &fakeActor{facts: factsOf(demoSnapshot())}, "blue")
	f := hs.m.flow
	if f.seen.AccountID != "111111111111" || f.seen.Owners == nil || !f.seen.At.Equal(t0) {
		t.Errorf("seen = %+v", f.seen)
	}
	want := model.Policy{BannerAccountID: "111111111111", AccountName: "acme-prod", Env: model.EnvProduction}
	if f.policy.BannerAccountID != want.BannerAccountID || f.policy.AccountName != want.AccountName || f.policy.Env != want.Env {
		t.Errorf("policy = %+v, want %+v", f.policy, want)
	}
	// Without an Actor, x says actions are off.
	hs2 := newHarness(t, &staticSource{}, Options{}, 100, 30)
	hs2.deliver(demoSnapshot())
	hs2.key("x")
	if hs2.m.flow != nil || !strings.Contains(hs2.screen(), "actions are off") {
		t.Errorf("x without an actor:\n%s", hs2.screen())
	}
	// In the events pane there is nothing to act on.
	hs.press("esc", "shift+tab")
	hs.key("x")
	if hs.m.flow != nil || !strings.Contains(hs.screen(), "select a cluster, an instance or an Elastic IP") {
		t.Errorf("x in the events pane:\n%s", hs.screen())
	}
}

// The real client is both a Source and an Actor.
var (
	_ Source = (*awsstate.Client)(nil)
	_ Actor  = (*awsstate.Client)(nil)
)

// openMenuAsync presses x on the selected row and returns the command
// that works the menu out, without running it.
func openMenuAsync(t *testing.T, hs *harness) tea.Cmd {
	t.Helper()
	open := hs.send(keyPress("x"))
	if open == nil {
		t.Fatalf("x returned no command:\n%s", hs.screen())
	}
	build := hs.send(open())
	if build == nil || hs.m.flow == nil || hs.m.flow.stage != stageBuilding {
		t.Fatalf("x did not start working out the menu:\n%s", hs.screen())
	}
	return build
}

// The menu is worked out off the UI goroutine; the keyboard stays live
// meanwhile, and a menu for a flow the operator left (esc, or left and
// opened another) is dropped when it arrives.
func TestMenuForALeftFlowIsDropped(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{Actor: &fakeActor{facts: factsOf(demoSnapshot())}}, 100, 30)
	hs.deliver(demoSnapshot())
	hs.m.clusters.selectName("green")
	hs.m.syncInstances()

	build := openMenuAsync(t, hs)
	if s := hs.screen(); !strings.Contains(s, "Actions on cluster green") || !strings.Contains(s, "working out which actions apply") {
		t.Errorf("while the menu is worked out:\n%s", s)
	}
	hs.key("esc")
	if hs.m.flow != nil {
		t.Fatal("esc did not leave the flow while the menu was worked out")
	}
	hs.send(build())
	if hs.m.flow != nil {
		t.Fatalf("a menu for a flow left with esc was shown:\n%s", hs.screen())
	}

	// Left and opened again on another row: the first answer is not the
	// second flow's.
	first := openMenuAsync(t, hs)
	hs.key("esc")
	hs.m.clusters.selectName("blue")
	hs.m.syncInstances()
	second := openMenuAsync(t, hs)
	hs.send(first())
	if f := hs.m.flow; f == nil || f.stage != stageBuilding || f.items != nil {
		t.Fatalf("the first flow's menu landed in the second:\n%s", hs.screen())
	}
	hs.send(second())
	f := hs.m.flow
	if f == nil || f.stage != stageMenu || len(f.items) == 0 || !strings.HasSuffix(f.items[0].Label, "blue") {
		t.Fatalf("the second flow's menu is not shown:\n%s", hs.screen())
	}
}

// The seen state and the menu are what the screen showed when x was
// pressed, even when a refresh lands (the EIPs moved to green) while the
// menu is being worked out.
func TestMenuSeenIsTheScreenAtX(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{Actor: &fakeActor{facts: factsOf(demoSnapshot())}}, 100, 30)
	hs.deliver(demoSnapshot())
	hs.m.clusters.selectName("blue")
	hs.m.syncInstances()
	shown := hs.m.world
	want := model.SeenOf(shown, hs.m.fresh)

	build := openMenuAsync(t, hs)
	hs.clock.Advance(5 * time.Second)
	hs.deliver(goLive(demoSnapshot()))
	if o := hs.m.world.Owners; reflect.DeepEqual(o, shown.Owners) {
		t.Fatal("the go-live did not move the EIPs on screen; the test proves nothing")
	}
	hs.send(build())
	f := hs.m.flow
	if f == nil || f.stage != stageMenu {
		t.Fatalf("no menu:\n%s", hs.screen())
	}
	if !reflect.DeepEqual(f.seen, want) {
		t.Errorf("seen = %+v\nwant what the screen showed at x: %+v", f.seen, want)
	}
	if want := model.Menu(shown, model.Selection{Cluster: "blue"}, want.Freshness, f.policy); !reflect.DeepEqual(f.items, want) {
		t.Errorf("menu = %+v\nwant the menu of the screen at x: %+v", f.items, want)
	}
}

package tui

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// Ticks that arrive while a fetch is in flight, whether of the current
// generation or an older one, start nothing; neither does `r`.
func TestOverlappingTicksDoNotOverlapFetches(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	if cmd := hs.m.startFetch(); cmd == nil {
		t.Fatal("first fetch did not start")
	}
	gen := hs.m.refresh.tickGen
	for _, g := range []uint64{gen, gen - 1, gen + 1} {
		if cmd := hs.send(RefreshTickMsg{Gen: g}); cmd != nil {
			t.Errorf("tick %d during a fetch returned a command", g)
		}
	}
	hs.key("r")
	if got := hs.m.refresh.fetches; got != 1 {
		t.Fatalf("%d fetches started, want 1", got)
	}
	if !strings.Contains(hs.screen(), "a refresh is already running") {
		t.Error("r during a fetch should say a refresh is already running")
	}

	// The answer schedules exactly one next tick; only that tick starts
	// the next fetch.
	hs.deliver(demoSnapshot())
	next := hs.m.refresh.tickGen
	if cmd := hs.send(RefreshTickMsg{Gen: next - 1}); cmd != nil || hs.m.refresh.inFlight {
		t.Error("a tick of an old generation started a fetch")
	}
	if cmd := hs.send(RefreshTickMsg{Gen: next}); cmd == nil || !hs.m.refresh.inFlight {
		t.Error("the scheduled tick did not start a fetch")
	}
	if got := hs.m.refresh.fetches; got != 2 {
		t.Errorf("%d fetches started, want 2", got)
	}
}

// An answer for a generation nobody waits for any more (the operator
// paused and refreshed by hand meanwhile) is dropped, even when it
// arrives after the newer one would have.
func TestStaleGenerationDropped(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())

	hs.m.startFetch()
	old := hs.m.refresh.fetchGen
	hs.key("p") // abandons the fetch in flight
	hs.key("r") // a new one, by hand
	current := hs.m.refresh.fetchGen
	if current == old {
		t.Fatal("refreshing by hand did not start a new generation")
	}
	// The slow old answer says the EIPs moved; it must not be shown.
	hs.send(FetchedMsg{Gen: old, Snap: goLive(demoSnapshot()), Started: t0, Finished: t0})
	if strings.Contains(hs.screen(), "green/i-06ee") {
		t.Fatal("an answer of an abandoned generation reached the screen")
	}
	if !hs.m.refresh.inFlight {
		t.Fatal("the dropped answer ended the current fetch")
	}
	hs.send(FetchedMsg{Gen: current, Snap: goLive(demoSnapshot()), Started: t0, Finished: t0})
	if !strings.Contains(hs.screen(), "green/i-06ee") {
		t.Fatal("the current answer was not shown")
	}
}

// Pausing cancels the fetch in flight, stops ticks, and says PAUSED;
// resuming fetches at once.
func TestPauseStopsFetching(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	ctxs := make(chan context.Context, 1)
	hs.m.src = sourceFunc(func(ctx context.Context) model.Snapshot { ctxs <- ctx; return demoSnapshot() })
	cmd := hs.m.startFetch()
	go cmd()
	ctx := <-ctxs

	hs.key("p")
	if ctx.Err() == nil {
		t.Error("pausing did not cancel the fetch in flight")
	}
	if hs.m.refresh.inFlight {
		t.Error("still in flight after pause")
	}
	for g := hs.m.refresh.tickGen - 2; g <= hs.m.refresh.tickGen+1; g++ {
		if cmd := hs.send(RefreshTickMsg{Gen: g}); cmd != nil {
			t.Errorf("tick %d while paused returned a command", g)
		}
	}
	if hs.m.refresh.fetches != 2 {
		t.Errorf("%d fetches, want 2", hs.m.refresh.fetches)
	}
	if !strings.Contains(hs.screen(), "PAUSED") {
		t.Error("banner does not say PAUSED")
	}
	// Paused for longer than two intervals: the data is stale too.
	hs.clock.Advance(11 * time.Second)
	hs.send(ClockMsg{})
	if s := hs.screen(); !strings.Contains(s, "PAUSED") || !strings.Contains(s, "STALE") {
		t.Errorf("paused and old should say PAUSED and STALE:\n%s", s)
	}

	if cmd := hs.send(keyPress("p")); cmd == nil || !hs.m.refresh.inFlight {
		t.Error("resuming did not refresh at once")
	}
	if strings.Contains(hs.screen(), "PAUSED") {
		t.Error("banner still says PAUSED after resuming")
	}
}

// A refresh that fails marks the screen STALE and keeps the last good
// data: an EIP pane that went blank (or a feed saying the EIPs were
// released) would be worse than old data marked old.
func TestFailureMarksStaleKeepingData(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	before := hs.screen()
	if strings.Contains(before, "STALE") {
		t.Fatalf("fresh data shown as stale:\n%s", before)
	}
	hs.clock.Advance(5 * time.Second)
	hs.deliver(failed(demoSnapshot(), model.SectionAddresses, "throttled by ec2:DescribeAddresses"))
	after := hs.screen()
	if !strings.Contains(after, "STALE") || !strings.Contains(after, "throttled") {
		t.Errorf("a failed refresh is not marked stale with its reason:\n%s", after)
	}
	for _, ip := range []string{"3.3.3.1", "3.3.3.2", "3.3.3.3", "3.3.3.9"} {
		if !strings.Contains(after, ip+"         blue/") && ip != "3.3.3.9" {
			t.Errorf("EIP %s lost its owner after a failed refresh:\n%s", ip, after)
		}
		if !strings.Contains(after, ip) {
			t.Errorf("EIP %s vanished after a failed refresh", ip)
		}
	}
	if strings.Contains(after, "released") || hs.m.events.len() != 0 {
		t.Errorf("a failed section produced events:\n%s", after)
	}
	// Backed off: the next refresh waits longer.
	if !strings.Contains(after, "retrying 10s") {
		t.Errorf("banner does not say the refresh backs off:\n%s", after)
	}
	// A good refresh clears it.
	hs.deliver(demoSnapshot())
	if s := hs.screen(); strings.Contains(s, "STALE") || strings.Contains(s, "retrying") {
		t.Errorf("a good refresh did not clear STALE:\n%s", s)
	}
}

// A failed identity section on the very first refresh leaves the account
// unconfirmed, with the reason; no account is ever named.
func TestIdentityFailureNeverNamesAnAccount(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{Profile: "acme-prod"}, 80, 24)
	s := failed(demoSnapshot(), model.SectionIdentity, "expired credentials: run aws sso login")
	hs.deliver(s)
	screen := hs.screen()
	for _, leak := range []string{"111111111111", "acme-prod 1", "PRODUCTION"} {
		if strings.Contains(screen, leak) {
			t.Errorf("unconfirmed screen shows %q:\n%s", leak, screen)
		}
	}
	if !strings.Contains(screen, "ACCOUNT UNCONFIRMED") || !strings.Contains(screen, "expired credentials") {
		t.Errorf("unconfirmed banner does not say so and why:\n%s", screen)
	}
	if title := hs.m.View().WindowTitle; strings.Contains(title, "acme") {
		t.Errorf("window title names an unconfirmed account: %q", title)
	}
}

// Different credentials answering (another account) reset the feed and
// say so, rather than diffing two accounts into nonsense.
func TestAccountSwitchIsAnnounced(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 120, 40)
	hs.deliver(demoSnapshot())
	hs.deliver(goLive(demoSnapshot()))
	hs.deliver(demoSnapshotFor("acme-staging", "222222222222"))
	s := hs.screen()
	if !strings.Contains(s, "ACCOUNT CHANGED: now acme-staging (222222222222), was acme-prod (111111111111)") {
		t.Errorf("account switch not announced:\n%s", s)
	}
	if strings.Contains(s, "moved") || !strings.Contains(s, "STAGING") {
		t.Errorf("feed or banner still about the old account:\n%s", s)
	}
}

// sourceFunc adapts a function to Source.
type sourceFunc func(context.Context) model.Snapshot

func (f sourceFunc) Fetch(ctx context.Context) model.Snapshot { return f(ctx) }

// countingSource records how many fetches overlap.
type countingSource struct {
	delay   time.Duration
	active  atomic.Int32
	maxSeen atomic.Int32
	calls   atomic.Int32
	mu      sync.Mutex
	snap    model.Snapshot
}

func (s *countingSource) Fetch(ctx context.Context) model.Snapshot {
	n := s.active.Add(1)
	defer s.active.Add(-1)
	for {
		m := s.maxSeen.Load()
		if n <= m || s.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	s.calls.Add(1)
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snap
}

// The whole program, real goroutines and timers: a refresh interval
// shorter than a fetch, keys hammered meanwhile, and still never two
// fetches at once. Quitting returns only after the fetch in flight has.
func TestProgramNeverOverlapsFetches(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the program for a second")
	}
	src := &countingSource{delay: 30 * time.Millisecond, snap: demoSnapshot()}
	in := &keyFeed{keys: make(chan string, 64)}
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), src, Options{Refresh: 10 * time.Millisecond},
			tea.WithInput(in), tea.WithOutput(&bytes.Buffer{}), tea.WithWindowSize(80, 24),
			tea.WithoutSignals())
	}()
	for range 20 {
		in.keys <- "r"
		time.Sleep(15 * time.Millisecond)
	}
	in.keys <- "p"
	in.keys <- "p"
	time.Sleep(50 * time.Millisecond)
	in.keys <- "q"
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the program did not quit")
	}
	if got := src.maxSeen.Load(); got != 1 {
		t.Errorf("%d fetches overlapped", got)
	}
	if src.calls.Load() < 3 {
		t.Errorf("only %d fetches in ~400ms at a 10ms interval", src.calls.Load())
	}
	if a := src.active.Load(); a != 0 {
		t.Errorf("%d fetches still running after Run returned", a)
	}
}

// Cancelling Run's context ends the program and the fetch in flight,
// and Run returns only once that fetch has returned.
func TestRunCancelWaitsForFetch(t *testing.T) {
	started := make(chan struct{})
	var returned atomic.Bool
	src := sourceFunc(func(ctx context.Context) model.Snapshot {
		close(started)
		<-ctx.Done()
		time.Sleep(20 * time.Millisecond) // a slow unwind
		returned.Store(true)
		return model.Snapshot{}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, src, Options{}, tea.WithInput(&keyFeed{keys: make(chan string)}),
			tea.WithOutput(&bytes.Buffer{}), tea.WithWindowSize(80, 24), tea.WithoutSignals())
	}()
	<-started
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if !returned.Load() {
		t.Error("Run returned before the fetch in flight did")
	}
}

// keyFeed is a terminal input that types the keys it is sent.
type keyFeed struct{ keys chan string }

func (k *keyFeed) Read(p []byte) (int, error) {
	s, ok := <-k.keys
	if !ok {
		return 0, nil
	}
	return copy(p, s), nil
}

// An answer derived against a screen that has since taken in another
// snapshot is derived again in Update: its events must be the difference
// from what the screen shows now, not from what it showed before.
func TestDerivedAnswerWithStaleBasisIsRederived(t *testing.T) {
	h := newHarness(t, &staticSource{}, Options{}, 120, 40)
	before := demoSnapshot()
	h.deliver(before)
	stale := h.m.basis() // taken while blue holds the EIPs

	after := goLive(before)
	h.deliver(after) // the screen now shows green LIVE

	now := h.clock.Now()
	d := derive(stale, after, now) // would report the move again
	if len(d.events) == 0 {
		t.Fatal("test setup: the stale derivation has no events to wrongly repeat")
	}
	h.m.startFetch()
	feed := len(h.m.events.entries)
	h.send(FetchedMsg{Gen: h.m.refresh.fetchGen, Snap: after, Started: now, Finished: now, derived: &d})
	if got := len(h.m.events.entries) - feed; got != 0 {
		t.Errorf("feed grew by %d entries; the same snapshot again is no change", got)
	}
}

// A 50,000-instance account: every refresh succeeds but takes 8 to 10 s,
// longer than the 5 s interval. Driven through Update second by second,
// the loop never shows STALE (it did in 52 of 60 samples when staleness
// was two intervals), the banner says how long a refresh takes, and
// actions are not refused as stale. When a refresh then hangs, the
// screen turns STALE well before the fetch's 30 s timeout.
func TestSlowHealthyRefreshLoopIsNeverStale(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{Refresh: 5 * time.Second}, 120, 30)
	snap := demoSnapshot()
	if hs.m.startFetch() == nil {
		t.Fatal("the first fetch did not start")
	}
	// wait advances the clock a second at a time, as the heartbeat does,
	// checking the banner at each step.
	wait := func(d time.Duration, check func(at time.Duration)) {
		for at := time.Duration(0); at < d; at += time.Second {
			hs.clock.Advance(time.Second)
			hs.send(ClockMsg{})
			check(at + time.Second)
		}
	}
	notStale := func(cycle int) func(time.Duration) {
		return func(at time.Duration) {
			if s := hs.screen(); strings.Contains(s, "STALE") || hs.m.fresh.Stale {
				t.Fatalf("cycle %d, %s into the refresh: STALE on a healthy account:\n%s", cycle, at, s)
			}
		}
	}
	for cycle, took := range []time.Duration{9, 8, 10, 9, 10, 8, 10, 10} {
		took *= time.Second
		started := hs.clock.Now()
		wait(took, notStale(cycle))
		cmd := hs.send(FetchedMsg{Gen: hs.m.refresh.fetchGen, Snap: snap, Started: started, Finished: hs.clock.Now()})
		if cmd == nil {
			t.Fatalf("cycle %d: the answer scheduled no next refresh", cycle)
		}
		if s := hs.screen(); !strings.Contains(s, "refresh takes "+took.String()) {
			t.Errorf("cycle %d: the banner does not say the refresh takes %s:\n%s", cycle, took, s)
		}
		// The longest jitter: 10% over the interval.
		wait(5500*time.Millisecond, notStale(cycle))
		if hs.send(RefreshTickMsg{Gen: hs.m.refresh.tickGen}) == nil || !hs.m.refresh.inFlight {
			t.Fatalf("cycle %d: the tick did not start the next refresh", cycle)
		}
	}

	// The next refresh never answers.
	hung := time.Duration(0)
	wait(30*time.Second, func(at time.Duration) {
		if hung == 0 && hs.m.fresh.Stale {
			hung = at
		}
	})
	if hung == 0 || hung > 20*time.Second {
		t.Errorf("a hung refresh turned the screen stale after %s, want within 20s", hung)
	}
	if s := hs.screen(); !strings.Contains(s, "STALE") {
		t.Errorf("a hung refresh is not shown as STALE:\n%s", s)
	}
}

// A quick account does not mention how long its refresh takes.
func TestQuickRefreshDurationNotShown(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 120, 30)
	hs.m.startFetch()
	started := hs.clock.Now()
	hs.clock.Advance(300 * time.Millisecond)
	hs.send(FetchedMsg{Gen: hs.m.refresh.fetchGen, Snap: demoSnapshot(), Started: started, Finished: hs.clock.Now()})
	if s := hs.screen(); strings.Contains(s, "refresh takes") {
		t.Errorf("a 300ms refresh is announced:\n%s", s)
	}
}

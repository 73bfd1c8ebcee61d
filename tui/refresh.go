package tui

import (
	"context"
	"maps"
	"math/rand/v2"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// refresher is the refresh loop's state. It lives inside the root model
// and is only touched from Update, so it needs no locks. The rules, after
// k9s's table model and gh-dash's tagged fetches:
//
//   - at most one fetch is in flight; a tick or an `r` that arrives
//     during one is dropped, and the fetch's answer schedules the next tick;
//   - every fetch and every tick carries a generation; an answer or a tick
//     of an older generation is ignored, so pausing or refreshing by hand
//     can never let an older answer land on top of a newer one;
//   - pausing cancels the fetch in flight and stops the ticks;
//   - consecutive failures back off (2x, 4x, 8x the interval) so a
//     throttled account is not hammered harder (INCIDENTS.md S5).
type refresher struct {
	interval time.Duration
	timeout  time.Duration

	tickGen  uint64 // the only tick generation that may start a fetch
	fetchGen uint64 // the generation of the latest fetch started
	inFlight bool
	started  time.Time          // when the fetch in flight began
	cancel   context.CancelFunc // cancels the fetch in flight

	paused   bool
	failures int // consecutive failed refreshes

	fetches int // fetches started, for tests and the status line
}

// jitter spreads refreshes by ±10% so many consoles open on one account
// do not call AWS in lockstep.
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return d
	}
	spread := int64(d) / 5
	if spread == 0 {
		return d
	}
	return d - time.Duration(spread/2) + time.Duration(rand.Int64N(spread+1))
}

// next is the delay before the next automatic refresh.
func (r *refresher) next() time.Duration {
	d := r.interval
	for i := 0; i < r.failures && i < 3; i++ {
		d *= 2
	}
	return d
}

// start begins a fetch and returns its command. It invalidates any
// pending tick: the fetch's answer schedules the next one.
func (r *refresher) start(base context.Context, src Source, now func() time.Time, g *gate, b basis) tea.Cmd {
	if r.inFlight {
		return nil
	}
	r.fetchGen++
	r.tickGen++
	r.inFlight = true
	r.started = now()
	r.fetches++
	ctx, cancel := context.WithCancel(base)
	r.cancel = cancel
	return fetchCmd(ctx, src, r.fetchGen, r.timeout, now, g, &b)
}

// accept reports whether an answer is the one being waited for and, if
// so, marks the fetch finished.
func (r *refresher) accept(gen uint64) bool {
	if !r.inFlight || gen != r.fetchGen {
		return false
	}
	r.inFlight = false
	if r.cancel != nil {
		r.cancel() // release the context's resources
		r.cancel = nil
	}
	return true
}

// schedule returns the tick for the next automatic refresh, or nil when
// paused.
func (r *refresher) schedule() tea.Cmd {
	if r.paused {
		return nil
	}
	r.tickGen++
	return RefreshTickCmd(r.tickGen, jitter(r.next()))
}

// tick reports whether a tick may start a fetch now.
func (r *refresher) tick(gen uint64) bool {
	return gen == r.tickGen && !r.paused && !r.inFlight
}

// pause stops automatic refreshes and abandons the fetch in flight; its
// answer, if it still comes, is dropped because nothing is in flight.
func (r *refresher) pause() {
	r.paused = true
	r.tickGen++
	r.abandon()
}

// abandon cancels the fetch in flight, if any.
func (r *refresher) abandon() {
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
	r.inFlight = false
}

// basis is what an answer is derived against: the snapshot and world on
// screen when its fetch started, and the count of snapshots the screen
// had taken in by then (seq), which tells apply whether it still holds.
type basis struct {
	seq    uint64
	have   bool
	snap   model.Snapshot
	world  model.World
	tagKey string
}

// derived is an answer taken in against a basis: failed sections carried
// over, the world analysed, the events diffed.
type derived struct {
	basisSeq uint64
	snap     model.Snapshot
	world    model.World
	events   []model.Event
	switched bool // another account answered: no diff, start over
}

// derive does the work proportional to the account's size that a new
// snapshot needs (model.Analyze and model.Diff). It is pure, so it runs
// in the fetch's goroutine and a 50,000-instance answer does not stall
// the keyboard; apply redoes it only if the basis went stale.
func derive(b basis, next model.Snapshot, at time.Time) derived {
	prevID, nextID := b.snap.Identity, next.Identity
	d := derived{basisSeq: b.seq}
	d.switched = b.have && prevID.Confirmed() && nextID.Confirmed() && prevID.AccountID != nextID.AccountID
	if b.have && !d.switched {
		next = carryOver(b.snap, next)
		next = model.TrackShortfall(b.snap, next)
	}
	d.snap = next
	d.world = model.Analyze(next, b.tagKey)
	if b.have && !d.switched {
		d.events = model.Diff(b.world, d.world, at)
	}
	return d
}

// essential are the sections without which the screen must not be
// trusted: who we are, what runs, and where the EIPs point.
var essential = []model.Section{model.SectionIdentity, model.SectionInstances, model.SectionAddresses}

// refreshError is why a snapshot cannot be trusted as current, or nil.
func refreshError(s model.Snapshot) error {
	for _, sec := range essential {
		res, ok := s.Sections[sec]
		switch {
		case !ok:
			return sectionError{sec, nil}
		case res.Err != nil || !res.Complete:
			return sectionError{sec, res.Err}
		}
	}
	return nil
}

type sectionError struct {
	sec model.Section
	err error
}

func (e sectionError) Error() string {
	if e.err == nil {
		return string(e.sec) + " incomplete"
	}
	return e.err.Error()
}

func (e sectionError) Unwrap() error { return e.err }

// complete reports whether a section of s was fetched in full.
func complete(s model.Snapshot, sec model.Section) bool {
	res, ok := s.Sections[sec]
	return ok && res.Err == nil && res.Complete
}

// carryOver keeps the last good data of every section that failed in
// next, so one throttled call does not blank a pane (or, worse, make the
// EIPs look released). next.Sections still records the failure, which is
// what tells model.Diff not to report anything as gone and the banner to
// say the screen is stale; a section whose carried data was whole is
// marked Carried, so the panes show it as known (old, not unknown). An
// alias IAM would not give this time keeps the name it gave before, for
// the same account.
func carryOver(prev, next model.Snapshot) model.Snapshot {
	cloned := false
	carried := func(sec model.Section) {
		if !prev.Known(sec) {
			return // what is kept was partial: still unknown
		}
		if !cloned {
			next.Sections = maps.Clone(next.Sections) // msg.Snap keeps its own
			if next.Sections == nil {
				next.Sections = map[model.Section]model.SectionResult{}
			}
			cloned = true
		}
		r := next.Sections[sec]
		r.Carried = true
		next.Sections[sec] = r
	}
	if !complete(next, model.SectionIdentity) && prev.Identity.Confirmed() {
		next.Identity = prev.Identity
		carried(model.SectionIdentity)
	}
	if id, was := next.Identity, prev.Identity; !id.AliasKnown() && was.AliasKnown() && id.AccountID == was.AccountID {
		next.Identity.Alias, next.Identity.AliasError = was.Alias, ""
	}
	if !complete(next, model.SectionInstances) && (prev.Instances != nil || prev.Known(model.SectionInstances)) {
		next.Instances = prev.Instances
		carried(model.SectionInstances)
	}
	if !complete(next, model.SectionAddresses) && (prev.Addresses != nil || prev.Known(model.SectionAddresses)) {
		next.Addresses = prev.Addresses
		carried(model.SectionAddresses)
	}
	if !complete(next, model.SectionSubnets) && (prev.Subnets != nil || prev.Known(model.SectionSubnets)) {
		next.Subnets = prev.Subnets
		carried(model.SectionSubnets)
	}
	if !complete(next, model.SectionStatus) && (prev.Statuses != nil || prev.Known(model.SectionStatus)) {
		next.Statuses = prev.Statuses
		carried(model.SectionStatus)
	}
	carryCapacity(prev, &next, carried)
	return next
}

// gate lets Run wait for fetches still running when the program ends, so
// that no goroutine outlives it. A fetch enters the gate before calling
// AWS; once Run has closed the gate, new fetches do not start and close
// waits for the ones inside. The mutex makes every Add happen before the
// Wait, as sync.WaitGroup requires.
type gate struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
	// slot admits one fetch to the source at a time. The refresher never
	// starts a fetch while one is in flight, but a fetch abandoned by
	// pause can still be unwinding when the next one starts; AWS must
	// never see two refreshes at once (a throttled account, S5).
	slot chan struct{}
}

// acquire waits for the source to be free, or for ctx to end (the fetch
// was abandoned while waiting); it reports whether the fetch may go on.
func (g *gate) acquire(ctx context.Context) bool {
	if g == nil {
		return true
	}
	g.mu.Lock()
	if g.slot == nil {
		g.slot = make(chan struct{}, 1)
	}
	slot := g.slot
	g.mu.Unlock()
	select {
	case slot <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// release frees the source for the next fetch.
func (g *gate) release() {
	if g != nil {
		<-g.slot
	}
}

func (g *gate) enter() bool {
	if g == nil {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.wg.Add(1)
	return true
}

func (g *gate) leave() {
	if g != nil {
		g.wg.Done()
	}
}

// close refuses new fetches and waits for those running to return.
func (g *gate) close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.wg.Wait()
}

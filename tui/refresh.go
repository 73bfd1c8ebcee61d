package tui

import (
	"context"
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// refresher is the refresh loop's state. It lives inside the root model
// and is only touched from Update, so it needs no locks. The rules, after
// k9s's table model and gh-dash's tagged fetches:
//
//   - at most one fetch is in flight per lane; a tick or an `r` that
//     arrives during the quick lane's fetch is dropped, and the fetch's
//     answer schedules the next tick;
//   - every fetch and every tick carries a generation; an answer or a tick
//     of an older generation is ignored, so pausing or refreshing by hand
//     can never let an older answer land on top of a newer one;
//   - pausing cancels the fetches in flight and stops the ticks;
//   - consecutive failures back off (2x, 4x, 8x the interval), and so
//     does throttling: while AWS throttled a call in the last minute the
//     next refresh waits longer, never retries harder (INCIDENTS.md S5).
//
// With a PlanSource each section is fetched at its own cadence
// (model.Cadence) in one of three lanes, so nothing waits for what is
// slower than itself: the quick lane fetches the identity and the Elastic
// IPs at every tick; the fleet lane, started alongside it when any of the
// instance list, the status checks and the subnets is due, fetches those
// (and the capacity sections that ride along); the services lane fetches
// ECS, whose calls are paced (awsstate) so that 2,000 services take most
// of a minute, when it is due. Each lane has at most one fetch in
// flight. A plain Source has only the quick lane, fetching everything.
type refresher struct {
	interval time.Duration
	timeout  time.Duration
	planned  bool // the source fetches by plan: three lanes, a cadence per section

	tickGen uint64 // the only tick generation that may start a fetch
	lastGen uint64 // the last generation given to a fetch of any lane

	// The quick lane's fetch.
	fetchGen uint64 // the generation of its latest fetch
	inFlight bool
	started  time.Time          // when the fetch in flight began
	cancel   context.CancelFunc // cancels the fetch in flight
	asked    []model.Section    // what it was asked for

	slow     lane // the fleet lane's fetch (planned only)
	services lane // the services lane's fetch (planned only)

	// again marks the lanes to fetch whole once more as soon as they
	// are free: an action ran, or another account answered, while their
	// fetch in flight (if any) may predate it.
	again [laneCount]bool

	paused    bool
	failures  int // consecutive failed answers of the quick lane
	throttled int // how far throttling has slowed the loop: 0 to 3 doublings

	sections map[model.Section]*sectionClock

	fetches int           // refreshes started, for tests and the status line
	delay   time.Duration // the last scheduled tick's delay, for tests
}

// lane is one fetch that may be in flight beside the quick lane's.
type lane struct {
	gen      uint64
	inFlight bool
	started  time.Time
	cancel   context.CancelFunc
	asked    []model.Section
}

// laneID tells the lanes apart (the gate has a slot for each).
type laneID int

const (
	laneQuick laneID = iota
	laneSlow
	laneServices
	laneCount
)

// sectionClock is what the loop knows about the fetches of one section.
type sectionClock struct {
	lastStart time.Time     // when its last fetch started, whatever came of it
	lastOK    time.Time     // when the last fetch that got it whole started
	took      time.Duration // how long that fetch took, until its answer was taken in
	err       error         // why its last fetch failed; nil if it succeeded
	fails     int           // consecutive failed fetches
	cost      model.Cost    // what its last complete fetch cost
}

// quickSections are fetched at every tick; slowSections when due.
var (
	quickSections = []model.Section{model.SectionIdentity, model.SectionAddresses}
	slowSections  = []model.Section{model.SectionInstances, model.SectionStatus, model.SectionSubnets}
	// rideAlong sections go in the fleet lane when it runs anyway, each
	// when due by its own cadence (launch data every 60 s): they never
	// start a fetch of their own, so the capacity page costs nothing
	// between the fleet's.
	rideAlong = []model.Section{model.SectionGroups, model.SectionActivities, model.SectionLaunch}
	// serviceSections have a lane of their own: the ECS fetch is paced,
	// and the instance list must not wait for it.
	serviceSections = []model.Section{model.SectionECS}
)

// essential are the sections without which the screen must not be
// trusted: who we are, where the EIPs point, and what runs. Staleness is
// judged on them, each against its own cadence, in this order.
var essential = []model.Section{model.SectionIdentity, model.SectionAddresses, model.SectionInstances}

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

// next is the delay before the next automatic refresh: the interval,
// doubled for each consecutive failure and each step of throttling, up to
// eight times.
func (r *refresher) next() time.Duration {
	if r.expired() != nil {
		return max(expiredEvery, r.interval)
	}
	return r.interval << min(r.failures+r.throttled, 3)
}

// expiredEvery is how often the credentials are checked while they have
// expired: nothing else is fetched, since every call would be refused
// the same way, and a console left open overnight must not hammer STS.
const expiredEvery = 30 * time.Second

// expired returns why the last identity check said the credentials have
// expired (awsstate.KindExpiredCredentials, or an MFA session that
// needs a new code), or nil. It is the latest check by start time, so
// an older answer that landed late cannot end the state.
func (r *refresher) expired() error {
	c := r.sections[model.SectionIdentity]
	if c == nil || c.err == nil {
		return nil
	}
	if awsstate.KindOf(c.err) == awsstate.KindExpiredCredentials || errors.Is(c.err, awsstate.ErrMFASessionExpired) {
		return c.err
	}
	return nil
}

// cadence is how often section sec is fetched now: its cadence by its
// cost (model.Cadence), slowed as the loop is while AWS throttles, but
// never beyond model.MaxCadence for that.
func (r *refresher) cadence(sec model.Section) time.Duration {
	every := r.interval
	if r.planned {
		var cost model.Cost
		if c := r.sections[sec]; c != nil {
			cost = c.cost
		}
		every = model.Cadence(sec, r.interval, cost)
	}
	return max(every, min(every<<min(r.throttled, 3), model.MaxCadence))
}

// due lists the slow sections to fetch in a refresh starting at now: each
// never fetched, or falling due within a fifth of an interval (so the
// jitter never makes a section due every interval skip a refresh; see
// model.SectionMaxAge for how late one can be). A section whose
// last fetch failed is retried sooner than its cadence, after the
// interval doubled for each failure in a row, up to eight times.
func (r *refresher) due(now time.Time, force bool) []model.Section {
	out := r.dueOf(slowSections, now, force)
	if len(out) > 0 {
		out = append(out, r.dueOf(rideAlong, now, force)...)
	}
	return out
}

// dueOf is the sections of secs due at now (see due).
func (r *refresher) dueOf(secs []model.Section, now time.Time, force bool) []model.Section {
	var out []model.Section
	for _, sec := range secs {
		c := r.sections[sec]
		if force || c == nil || c.lastStart.IsZero() {
			out = append(out, sec)
			continue
		}
		every := r.cadence(sec)
		if c.err != nil {
			every = min(every, r.interval<<min(c.fails, 3))
		}
		if !now.Add(r.interval / 5).Before(c.lastStart.Add(every)) {
			out = append(out, sec)
		}
	}
	return out
}

// busy reports whether a fetch of any lane is in flight.
func (r *refresher) busy() bool { return r.inFlight || r.slow.inFlight || r.services.inFlight }

// start begins a refresh and returns its command: the quick lane's fetch
// and, with a PlanSource, each other lane's whose sections are due (all
// of them when force) and whose last fetch has answered. It invalidates
// any pending tick: the quick fetch's answer schedules the next one.
// Nothing starts while the quick lane's fetch is in flight.
func (r *refresher) start(base context.Context, src Source, now func() time.Time, g *gate, b basis, force bool) tea.Cmd {
	if r.inFlight {
		return nil
	}
	ps, planned := src.(PlanSource)
	r.planned = planned
	r.tickGen++
	r.fetches++
	r.again[laneQuick] = false
	at := now()
	if !planned {
		r.asked = nil // everything
		ctx := r.begin(base, &r.fetchGen, &r.inFlight, &r.started, &r.cancel, at)
		return fetchCmd(ctx, src.Fetch, laneQuick, r.fetchGen, r.timeout, now, g, &b)
	}

	// The EIPs' holders missing from the instance list on screen are
	// fetched by ID; the world is never changed once derived, so the
	// fetch's goroutine may read it.
	var known func(string) bool
	if b.have && b.snap.Known(model.SectionInstances) {
		w := b.world
		known = func(id string) bool { _, ok := w.Instance(id); return ok }
	}
	r.asked = quickSections
	plan := awsstate.Plan{Sections: quickSections, Known: known}
	expired := r.expired() != nil
	if expired {
		// Only the check that tells when valid credentials are back.
		r.asked = []model.Section{model.SectionIdentity}
		plan = awsstate.Plan{Sections: r.asked, CheckOnly: true}
	}
	ctx := r.begin(base, &r.fetchGen, &r.inFlight, &r.started, &r.cancel, at)
	cmds := []tea.Cmd{fetchCmd(ctx, func(ctx context.Context) model.Snapshot { return ps.FetchPlan(ctx, plan) },
		laneQuick, r.fetchGen, r.timeout, now, g, &b)}
	if expired {
		return tea.Batch(cmds...)
	}
	if !r.slow.inFlight {
		if due := r.due(at, force || r.again[laneSlow]); len(due) > 0 {
			cmds = append(cmds, r.startLane(base, ps, laneSlow, due, len(b.snap.Instances), now, g, at))
		}
	}
	if !r.services.inFlight {
		if due := r.dueOf(serviceSections, at, force || r.again[laneServices]); len(due) > 0 {
			cmds = append(cmds, r.startLane(base, ps, laneServices, due, 0, now, g, at))
		}
	}
	return tea.Batch(cmds...)
}

// fetchAgain asks for every lane to be fetched whole once more, each as
// soon as its fetch in flight (which may predate what changed) has
// answered.
func (r *refresher) fetchAgain() {
	for l := range r.again {
		r.again[l] = true
	}
}

// startAgain reports whether a refresh should start now for fetchAgain:
// a lane is waiting for it and free, and so is the quick lane, which
// starts every refresh.
func (r *refresher) startAgain() bool {
	if r.inFlight {
		return false
	}
	if r.again[laneQuick] {
		return true
	}
	for _, l := range []laneID{laneSlow, laneServices} {
		if r.again[l] && !r.lane(l).inFlight {
			return true
		}
	}
	return false
}

// startLane starts lane l's fetch of the sections due, expecting about
// expect instances, and returns its command.
func (r *refresher) startLane(base context.Context, ps PlanSource, l laneID, due []model.Section, expect int, now func() time.Time, g *gate, at time.Time) tea.Cmd {
	// The identity too, so the answer says which account it is of:
	// credentials can change while a large list is fetched (S3), and
	// derive must not merge two accounts.
	due = append([]model.Section{model.SectionIdentity}, due...)
	s := r.lane(l)
	s.asked = due
	r.again[l] = false
	ctx := r.begin(base, &s.gen, &s.inFlight, &s.started, &s.cancel, at)
	plan := awsstate.Plan{Sections: due, Expect: expect}
	timeout := r.timeout
	if l == laneServices {
		// The ECS fetch is paced to a quarter of ECS's refill, so it
		// takes as long as its calls need: 44 s for 2,000 services,
		// 220 s for 10,000. A deadline for the whole fetch would cut
		// every large account's ECS short, forever; each call still has
		// its own (awsstate.Options.CallTimeout), and pausing, switching
		// or quitting cancels the fetch.
		timeout = 0
	}
	// Not derived against the basis: the quick lane's answers land while
	// a large list is fetched, so it would be stale by then, and holding
	// it would keep a whole old world in memory for nothing. The answer
	// is derived when it lands (fetched).
	return fetchCmd(ctx, func(ctx context.Context) model.Snapshot { return ps.FetchPlan(ctx, plan) },
		l, s.gen, timeout, now, g, nil)
}

// lane is the state of lane l's fetch (not the quick lane's).
func (r *refresher) lane(l laneID) *lane {
	if l == laneServices {
		return &r.services
	}
	return &r.slow
}

// begin marks a lane's fetch as started with a new generation and returns
// its context.
func (r *refresher) begin(base context.Context, gen *uint64, inFlight *bool, started *time.Time, cancel *context.CancelFunc, at time.Time) context.Context {
	r.lastGen++
	*gen, *inFlight, *started = r.lastGen, true, at
	ctx, c := context.WithCancel(base)
	*cancel = c
	return ctx
}

// accept reports whether an answer is one being waited for and, if so,
// which lane's and what it was asked for (nil: everything), and marks
// that fetch finished.
func (r *refresher) accept(gen uint64) (laneID, []model.Section, bool) {
	switch {
	case r.inFlight && gen == r.fetchGen:
		r.inFlight = false
		if r.cancel != nil {
			r.cancel() // release the context's resources
			r.cancel = nil
		}
		return laneQuick, r.asked, true
	}
	for _, l := range []laneID{laneSlow, laneServices} {
		if s := r.lane(l); s.inFlight && gen == s.gen {
			s.inFlight = false
			if s.cancel != nil {
				s.cancel()
				s.cancel = nil
			}
			return l, s.asked, true
		}
	}
	return 0, nil, false
}

// record takes in what an answer says about each section it was asked
// for (nil: every section), started at started and taken in at done, and
// about throttling. A section asked for and missing from the answer
// failed; the Elastic IPs' holders fetched by ID count with the Elastic
// IPs, since where the EIPs point is unknown without them.
func (r *refresher) record(snap model.Snapshot, asked []model.Section, started, done time.Time) {
	if r.sections == nil {
		r.sections = map[model.Section]*sectionClock{}
	}
	if asked == nil {
		asked = append(append([]model.Section(nil), quickSections...), slowSections...)
	}
	for _, sec := range asked {
		c := r.sections[sec]
		if c == nil {
			c = &sectionClock{}
			r.sections[sec] = c
		}
		if started.Before(c.lastStart) {
			// Both lanes fetch the identity: a slow answer that started
			// before the quick one that already landed says nothing newer.
			continue
		}
		c.lastStart = started
		res, ok := snap.Sections[sec]
		if h, fetched := snap.Sections[model.SectionHolders]; sec == model.SectionAddresses && fetched && (h.Err != nil || !h.Complete) {
			res.Err, res.Complete = h.Err, false
		}
		switch {
		case !ok:
			c.err, c.fails = sectionError{sec, nil}, c.fails+1
		case res.Err != nil || !res.Complete:
			c.err, c.fails = sectionError{sec, res.Err}, c.fails+1
		default:
			c.err, c.fails = nil, 0
			c.lastOK, c.took = started, max(done.Sub(started), 0)
			c.cost = model.Cost{Pages: res.Calls, Decode: res.Decode}
		}
	}

	throttledNow := false
	for _, res := range snap.Sections {
		throttledNow = throttledNow || res.Throttled > 0
	}
	switch {
	case throttledNow:
		r.throttled = min(r.throttled+1, 3)
	case len(snap.Stats.Throttled) == 0:
		r.throttled = 0 // a whole minute without throttling
	}
}

// forget drops what the loop knows of every section but those fetched:
// another account answered, and the rest was of the one before.
func (r *refresher) forget(fetched map[model.Section]model.SectionResult) {
	for sec := range r.sections {
		if _, ok := fetched[sec]; !ok {
			delete(r.sections, sec)
		}
	}
}

// failed reports whether any section the answer was asked for failed.
func (r *refresher) failed(asked []model.Section) bool {
	if asked == nil {
		asked = essential
	}
	for _, sec := range asked {
		if c := r.sections[sec]; c != nil && c.err != nil && slices.Contains(essential, sec) {
			return true
		}
	}
	return false
}

// freshness is what model.Assess needs to judge the screen at now.
func (r *refresher) freshness() model.Refresh {
	out := model.Refresh{Interval: r.interval, Paused: r.paused}
	for _, sec := range essential {
		sr := model.SectionRefresh{Section: sec, Cadence: r.cadence(sec)}
		if c := r.sections[sec]; c != nil {
			sr.LastSuccess, sr.LastTook, sr.LastErr = c.lastOK, c.took, c.err
		}
		out.Sections = append(out.Sections, sr)
	}
	return out
}

// schedule returns the tick for the next automatic refresh, or nil when
// paused.
func (r *refresher) schedule() tea.Cmd {
	if r.paused {
		return nil
	}
	r.tickGen++
	r.delay = jitter(r.next())
	if r.expired() != nil {
		// At most one check per expiredEvery, as promised: no jitter
		// below it.
		r.delay = r.next()
	}
	return RefreshTickCmd(r.tickGen, r.delay)
}

// tick reports whether a tick may start a fetch now.
func (r *refresher) tick(gen uint64) bool {
	return gen == r.tickGen && !r.paused && !r.inFlight
}

// pause stops automatic refreshes and abandons the fetches in flight;
// their answers, if they still come, are dropped because nothing is in
// flight.
func (r *refresher) pause() {
	r.paused = true
	r.tickGen++
	r.abandon()
}

// abandon cancels the fetches in flight, if any.
func (r *refresher) abandon() {
	for _, c := range []*context.CancelFunc{&r.cancel, &r.slow.cancel, &r.services.cancel} {
		if *c != nil {
			(*c)()
			*c = nil
		}
	}
	r.inFlight, r.slow.inFlight, r.services.inFlight = false, false, false
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

// carryOver builds the screen's next snapshot from the one on screen
// (prev) and an answer (next) that may hold only some sections:
//
//   - a section next did not fetch (not due this time) keeps its last
//     result and data, with the time of the fetch they came from
//     (SectionResult.FetchedAt);
//   - a section next failed keeps its last good data, so one throttled
//     call does not blank a pane (or, worse, make the EIPs look
//     released). next.Sections still records the failure, which is what
//     tells model.Diff not to report anything as gone and the banner to
//     say the screen is stale; a section whose kept data was whole is
//     marked Carried, so the panes show it as known (old, not unknown);
//   - the Elastic IPs' holders fetched by ID (an answer that did not
//     fetch the instance list) join the kept instance list, so an EIP
//     moved onto an instance launched since names its cluster at once.
//
// An alias IAM would not give this time keeps the name it gave before,
// for the same account.
func carryOver(prev, next model.Snapshot) model.Snapshot {
	fetched := next.Sections
	next.Sections = make(map[model.Section]model.SectionResult, len(prev.Sections)+len(fetched))
	maps.Copy(next.Sections, fetched) // msg.Snap keeps its own
	_, listFetched := fetched[model.SectionInstances]
	var holders []model.Instance
	if _, ok := fetched[model.SectionHolders]; ok && !listFetched {
		holders = next.Instances
		next.Instances = nil
	}

	for sec, r := range prev.Sections {
		if _, ok := fetched[sec]; ok || sec == model.SectionHolders {
			continue // holders live on in the instance list they joined
		}
		next.Sections[sec] = r
		takeSection(&next, prev, sec)
	}
	for sec := range fetched {
		if complete(next, sec) || !prev.Known(sec) && !hasData(prev, sec) {
			continue
		}
		takeSection(&next, prev, sec)
		if prev.Known(sec) {
			r := next.Sections[sec]
			r.Carried = true
			r.FetchedAt = prev.Sections[sec].FetchedAt
			next.Sections[sec] = r
		}
	}
	if id, was := next.Identity, prev.Identity; !id.AliasKnown() && was.AliasKnown() && id.AccountID == was.AccountID {
		next.Identity.Alias, next.Identity.AliasError = was.Alias, ""
	}
	if len(holders) > 0 {
		next.Instances = withHolders(next.Instances, holders)
	}
	return next
}

// takeSection copies section sec's data from prev into next.
func takeSection(next *model.Snapshot, prev model.Snapshot, sec model.Section) {
	switch sec {
	case model.SectionIdentity:
		if prev.Identity.Confirmed() {
			next.Identity = prev.Identity
		}
	case model.SectionInstances:
		next.Instances = prev.Instances
	case model.SectionAddresses:
		next.Addresses = prev.Addresses
	case model.SectionSubnets:
		next.Subnets = prev.Subnets
	case model.SectionStatus:
		next.Statuses = prev.Statuses
	case model.SectionGroups:
		next.Groups = prev.Groups
	case model.SectionActivities:
		next.Activities, next.ActivitiesAll = prev.Activities, prev.ActivitiesAll
	case model.SectionLaunch:
		next.Launch = prev.Launch
	case model.SectionECS:
		next.ECS = prev.ECS
	}
}

// hasData reports whether prev holds some of section sec, whole or not.
func hasData(prev model.Snapshot, sec model.Section) bool {
	switch sec {
	case model.SectionIdentity:
		return prev.Identity.Confirmed()
	case model.SectionInstances:
		return prev.Instances != nil
	case model.SectionAddresses:
		return prev.Addresses != nil
	case model.SectionSubnets:
		return prev.Subnets != nil
	case model.SectionStatus:
		return prev.Statuses != nil
	case model.SectionGroups:
		return prev.Groups != nil
	case model.SectionActivities:
		return prev.Activities != nil
	case model.SectionLaunch:
		return prev.Launch != nil
	case model.SectionECS:
		return prev.ECS.Clusters != nil
	}
	return false
}

// withHolders adds to list the holders it lacks. list is shared with the
// snapshot it came from, which is never changed: the result is a new
// slice whenever anything is added.
func withHolders(list, holders []model.Instance) []model.Instance {
	missing := make(map[string]bool, len(holders))
	for _, h := range holders {
		missing[h.ID] = true
	}
	for _, in := range list {
		delete(missing, in.ID)
	}
	if len(missing) == 0 {
		return list
	}
	list = slices.Clip(list)
	for _, h := range holders {
		if missing[h.ID] {
			list = append(list, h)
			delete(missing, h.ID)
		}
	}
	return list
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
	// slots admit one fetch per lane to the source at a time. The
	// refresher never starts a lane's fetch while one is in flight, but a
	// fetch abandoned by pause can still be unwinding when the next one
	// starts; AWS must never see two refreshes of a lane at once (a
	// throttled account, S5).
	slots [laneCount]chan struct{}
}

// acquire waits for lane l of the source to be free, or for ctx to end
// (the fetch was abandoned while waiting); it reports whether the fetch
// may go on.
func (g *gate) acquire(ctx context.Context, l laneID) bool {
	if g == nil {
		return true
	}
	g.mu.Lock()
	if g.slots[l] == nil {
		g.slots[l] = make(chan struct{}, 1)
	}
	slot := g.slots[l]
	g.mu.Unlock()
	select {
	case slot <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// release frees lane l of the source for the next fetch.
func (g *gate) release(l laneID) {
	if g != nil {
		g.mu.Lock()
		slot := g.slots[l]
		g.mu.Unlock()
		<-slot
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

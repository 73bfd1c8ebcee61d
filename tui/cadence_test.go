package tui

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// planSource answers plans from a world it holds, as awsstate.Client
// does: only the sections asked for, each with what it cost, and the
// EIPs' holders Known lacks by ID when the instance list is not asked
// for. It records every plan.
type planSource struct {
	mu        sync.Mutex
	world     model.Snapshot
	costs     map[model.Section]model.SectionResult // Calls, Decode, Throttled per section
	fail      map[model.Section]error
	throttled map[string]int // Stats.Throttled of every answer
	plans     [][]model.Section
	now       func() time.Time // stamps each answer's sections
	delay     time.Duration    // each fetch takes this long, or fails when its context ends first
	ecsDelay  time.Duration    // a fetch of ECS takes at least this long

	// Fetches in flight now and at most, by lane (quick: asked for the
	// EIPs; services: asked for ECS).
	active, most [laneCount]int
}

func (p *planSource) Fetch(ctx context.Context) model.Snapshot {
	return p.FetchPlan(ctx, awsstate.Plan{})
}

func (p *planSource) FetchPlan(ctx context.Context, plan awsstate.Plan) model.Snapshot {
	lane := laneSlow
	switch {
	case slices.Contains(plan.Sections, model.SectionAddresses) || len(plan.Sections) == 0:
		lane = laneQuick
	case slices.Contains(plan.Sections, model.SectionECS):
		lane = laneServices
	}
	p.mu.Lock()
	p.active[lane]++
	p.most[lane] = max(p.most[lane], p.active[lane])
	delay := p.delay
	p.mu.Unlock()
	if lane == laneServices {
		delay = max(delay, p.ecsDelay)
	}
	var ctxErr error // the fetch's context ended first: every section fails
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			ctxErr = ctx.Err()
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.active[lane]--
	due := plan.Sections
	if len(due) == 0 {
		due = awsstate.AllSections()
	}
	p.plans = append(p.plans, slices.Clone(due))
	w := p.world
	at := t0
	if p.now != nil {
		at = p.now()
	}
	out := model.Snapshot{Region: w.Region, FetchedAt: at, Sections: map[model.Section]model.SectionResult{},
		Stats: model.FetchStats{Throttled: maps.Clone(p.throttled)}}
	for _, sec := range due {
		r, ok := p.costs[sec]
		if !ok && sec == model.SectionECS {
			// Unless a test says otherwise, ECS is as costly as it may
			// be (model.MaxCadence): fetched at the first refresh, then
			// out of the way of the tests about the other lanes.
			r.Calls = int(model.MaxCadence / model.PageBudget)
		}
		r.Complete, r.Err, r.FetchedAt = true, nil, at
		if err := cmp.Or(ctxErr, p.fail[sec]); err != nil {
			r.Complete, r.Err = false, err
			out.Sections[sec] = r
			continue
		}
		out.Sections[sec] = r
		switch sec {
		case model.SectionIdentity:
			out.Identity = w.Identity
		case model.SectionInstances:
			out.Instances = w.Instances
		case model.SectionAddresses:
			out.Addresses = w.Addresses
		case model.SectionSubnets:
			out.Subnets = w.Subnets
		case model.SectionStatus:
			out.Statuses = w.Statuses
		}
	}
	if slices.Contains(due, model.SectionAddresses) && !slices.Contains(due, model.SectionInstances) && plan.Known != nil {
		var holders []model.Instance
		for _, a := range w.Addresses {
			if a.InstanceID == "" || plan.Known(a.InstanceID) {
				continue
			}
			for _, in := range w.Instances {
				if in.ID == a.InstanceID {
					holders = append(holders, in)
				}
			}
		}
		if len(holders) > 0 {
			out.Instances = holders
			out.Sections[model.SectionHolders] = model.SectionResult{Complete: true, Calls: 1, FetchedAt: at}
		}
	}
	return out
}

func (p *planSource) lastPlans(n int) [][]model.Section {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.plans[len(p.plans)-n:])
}

// runRefresh runs the fetches cmd started (one per lane, quick first)
// and hands their answers to the model; it returns how many there were.
func (h *harness) runRefresh(cmd tea.Cmd) int {
	h.t.Helper()
	if cmd == nil {
		h.t.Fatal("no refresh started")
	}
	msg := cmd()
	msgs := []tea.Msg{msg}
	if b, ok := msg.(tea.BatchMsg); ok {
		msgs = msgs[:0]
		for _, c := range b {
			msgs = append(msgs, c())
		}
	}
	for _, m := range msgs {
		h.send(m)
	}
	return len(msgs)
}

// tick advances the clock by d and sends the tick the last answer
// scheduled, running the refresh it starts.
func (h *harness) tick(d time.Duration) int {
	h.t.Helper()
	h.clock.Advance(d)
	return h.runRefresh(h.send(RefreshTickMsg{Gen: h.m.refresh.tickGen}))
}

var (
	quickPlan = []model.Section{model.SectionIdentity, model.SectionAddresses}
	slowPlan  = []model.Section{model.SectionIdentity, model.SectionInstances, model.SectionStatus, model.SectionSubnets,
		model.SectionGroups, model.SectionActivities, model.SectionLaunch}
	servicesPlan = []model.Section{model.SectionIdentity, model.SectionECS}
)

// A large fleet's list is fetched at its cadence, the EIPs at every
// tick, and the screen is never stale in between.
func TestPlannedRefreshFetchesEachSectionAtItsCadence(t *testing.T) {
	src := &planSource{world: demoSnapshot(), costs: map[model.Section]model.SectionResult{
		// 50 pages: within a quarter of EC2's refill, every 10 s.
		model.SectionInstances: {Calls: 50},
		model.SectionStatus:    {Calls: 10},
		model.SectionSubnets:   {Calls: 1},
	}}
	hs := newHarness(t, src, Options{Refresh: 5 * time.Second}, 120, 30)
	if n := hs.runRefresh(hs.m.startFetch()); n != 3 {
		t.Fatalf("the first refresh ran %d fetches, want all three lanes", n)
	}
	if got := src.lastPlans(3); !slices.Equal(got[0], quickPlan) || !slices.Equal(got[1], slowPlan) || !slices.Equal(got[2], servicesPlan) {
		t.Fatalf("first plans = %v, want %v, %v, %v", got, quickPlan, slowPlan, servicesPlan)
	}
	if !hs.m.refresh.planned || hs.m.refresh.cadence(model.SectionInstances) != 10*time.Second {
		t.Fatalf("instance cadence = %s, want 10s (50 pages)", hs.m.refresh.cadence(model.SectionInstances))
	}

	var got [][]model.Section
	for i := range 12 {
		n := hs.tick(5500 * time.Millisecond)
		plans := src.lastPlans(n)
		got = append(got, plans[1:]...)
		if !slices.Equal(plans[0], quickPlan) {
			t.Fatalf("tick %d: quick plan = %v", i, plans[0])
		}
		if s := hs.screen(); strings.Contains(s, "STALE") || hs.m.fresh.Stale {
			t.Fatalf("tick %d: stale on a healthy account: %s\n%s", i, hs.m.fresh.Reason, s)
		}
	}
	// 66 s of ticks: the list every other tick (11 s), status checks
	// and subnets once (60 s: EC2 renews status checks once a minute).
	count := map[model.Section]int{}
	for _, p := range got {
		for _, sec := range p {
			count[sec]++
		}
	}
	if count[model.SectionInstances] != 6 || count[model.SectionStatus] != 1 || count[model.SectionSubnets] != 1 {
		t.Errorf("slow fetches in 12 ticks: %v, want 6 instance lists, 1 status check, 1 subnet list", count)
	}
	if s := hs.screen(); !strings.Contains(s, "every 5s, instances every 10s") {
		t.Errorf("the banner does not say how often the list is fetched:\n%s", s)
	}
}

// When the slow lane's fetch of the list fails, the screen is stale at
// once; when it hangs, soon after its answer was due, long before its
// next cadence; the EIPs keep refreshing meanwhile.
func TestPlannedSlowSectionFailsOrHangs(t *testing.T) {
	src := &planSource{world: demoSnapshot(), costs: map[model.Section]model.SectionResult{
		model.SectionInstances: {Calls: 3, Decode: 600 * time.Millisecond}, // 40 s
		model.SectionStatus:    {Calls: 3, Decode: 600 * time.Millisecond},
	}}
	hs := newHarness(t, src, Options{Refresh: 5 * time.Second}, 120, 30)
	hs.runRefresh(hs.m.startFetch())
	if every := hs.m.refresh.cadence(model.SectionInstances); every != 40*time.Second {
		t.Fatalf("cadence = %s, want 40s", every)
	}
	for range 7 {
		hs.tick(5500 * time.Millisecond) // 38.5 s: the list not due yet
	}
	src.mu.Lock()
	src.fail = map[model.Section]error{model.SectionInstances: errors.New("throttled: ec2:DescribeInstances")}
	src.mu.Unlock()
	if n := hs.tick(5500 * time.Millisecond); n != 2 {
		t.Fatalf("the list was due at 44 s, but %d fetches ran", n)
	}
	if !hs.m.fresh.Stale || !strings.Contains(hs.screen(), "STALE: last refresh failed: throttled") {
		t.Fatalf("a failed list fetch is not STALE at once:\n%s", hs.screen())
	}
	// It is retried sooner than its cadence: after 10 s.
	src.mu.Lock()
	src.fail = nil
	src.mu.Unlock()
	if n := hs.tick(5500 * time.Millisecond); n != 1 {
		t.Errorf("the failed list was retried %d-lane after 5.5 s, want only the quick lane", n)
	}
	if n := hs.tick(5500 * time.Millisecond); n != 2 {
		t.Errorf("the failed list was not retried 11 s after it failed")
	}
	if hs.m.fresh.Stale {
		t.Errorf("stale after the list came back: %s", hs.m.fresh.Reason)
	}

	// The next fetch of the list hangs: the slow lane's answer never
	// comes, the quick lane goes on.
	for {
		hs.clock.Advance(5500 * time.Millisecond)
		msg := hs.send(RefreshTickMsg{Gen: hs.m.refresh.tickGen})()
		b, ok := msg.(tea.BatchMsg)
		if !ok {
			hs.send(msg)
			continue
		}
		hs.send(b[0]())
		if slices.Contains(hs.m.refresh.slow.asked, model.SectionInstances) {
			break // this fetch of the list never answers
		}
		hs.send(b[1]())
	}
	hungAt := hs.clock.Now()
	var staleAfter time.Duration
	for hs.clock.Now().Sub(hungAt) < 2*time.Minute && staleAfter == 0 {
		hs.tick(5500 * time.Millisecond)
		if hs.m.fresh.Stale {
			staleAfter = hs.clock.Now().Sub(hungAt)
		}
	}
	// Due 40 s after its last start, answered in no time: STALE within
	// two intervals of that, not a cadence later.
	if staleAfter == 0 || staleAfter > 16500*time.Millisecond {
		t.Errorf("a hung list fetch turned the screen stale %s after it started, want within 16.5 s", staleAfter)
	}
	if s := hs.screen(); !strings.Contains(s, "the instance list is") {
		t.Errorf("the banner does not say the list is old:\n%s", s)
	}
}

// An EIP moved onto an instance the list on screen lacks is resolved by
// ID with the EIPs: the new holder's cluster is LIVE at once, without
// waiting for the list.
func TestPlannedNewHolderShowsLiveAtOnce(t *testing.T) {
	world := demoSnapshot()
	src := &planSource{world: world, costs: map[model.Section]model.SectionResult{
		model.SectionInstances: {Calls: 3, Decode: 600 * time.Millisecond}, // 40 s
		model.SectionStatus:    {Calls: 3, Decode: 600 * time.Millisecond},
	}}
	hs := newHarness(t, src, Options{Refresh: 5 * time.Second}, 120, 30)
	src.now = hs.clock.Now
	listAt := hs.clock.Now()
	hs.runRefresh(hs.m.startFetch())

	// A new cluster launched, and the first EIP moved onto it.
	world = goLive(world)
	teal := model.Instance{ID: "i-07ea1000000000001", Name: "teal-1", State: model.StateRunning, AZ: "us-east-1a",
		Tags: model.TagsOf(map[string]string{"Cluster": "teal"})}
	world.Instances = append(slices.Clone(world.Instances), teal)
	world.Addresses = slices.Clone(world.Addresses)
	world.Addresses[0].InstanceID = teal.ID
	src.mu.Lock()
	src.world = world
	src.mu.Unlock()

	if n := hs.tick(5500 * time.Millisecond); n != 1 {
		t.Fatalf("%d fetches, want only the quick lane (the list is not due)", n)
	}
	c, ok := hs.m.world.Cluster("teal")
	if !ok || !c.Live || c.Liveness != model.IsLive {
		t.Fatalf("teal = %+v (found %v), want LIVE from its holder fetched by ID", c, ok)
	}
	if hs.m.fresh.Stale {
		t.Errorf("stale: %s", hs.m.fresh.Reason)
	}
	// The kept list is the one from before, plus the holder: the other
	// clusters are as they were.
	if got := len(hs.m.snap.Instances); got != len(demoSnapshot().Instances)+1 {
		t.Errorf("%d instances on screen, want the kept %d and the holder", got, len(demoSnapshot().Instances))
	}
	if r := hs.m.snap.Sections[model.SectionInstances]; !r.FetchedAt.Equal(listAt) || r.Carried {
		t.Errorf("instance section = %+v, want kept whole with its own fetch time", r)
	}
	// The holder is known now: the next quick refresh asks for nothing by ID.
	hs.tick(5500 * time.Millisecond)
	if _, ok := hs.m.snap.Sections[model.SectionHolders]; ok {
		t.Error("the holder was fetched by ID again although the screen has it")
	}
}

// Throttling is on the banner, in words an operator can act on, and the
// next refresh waits longer (never sooner); a quiet minute ends it.
func TestThrottlingShownAndBackedOff(t *testing.T) {
	src := &planSource{world: demoSnapshot(), costs: map[model.Section]model.SectionResult{}}
	hs := newHarness(t, src, Options{Refresh: 5 * time.Second}, 160, 30)
	hs.runRefresh(hs.m.startFetch())
	if d := hs.m.refresh.delay; d < 4500*time.Millisecond || d > 5500*time.Millisecond {
		t.Fatalf("unthrottled delay = %s, want 5s ±10%%", d)
	}

	src.mu.Lock()
	src.costs[model.SectionAddresses] = model.SectionResult{Calls: 3, Throttled: 2}
	src.throttled = map[string]int{"ec2:DescribeInstances": 12, "ec2:DescribeAddresses": 2}
	src.mu.Unlock()
	hs.tick(5 * time.Second)

	s := hs.screen()
	if !strings.Contains(s, "THROTTLED 14× in the last minute (ec2:DescribeInstances, ec2:DescribeAddresses), backing off") {
		t.Errorf("the banner does not say throttled:\n%s", s)
	}
	if d := hs.m.refresh.delay; d < 9*time.Second || d > 11*time.Second {
		t.Errorf("throttled once: next refresh in %s, want 10s ±10%%", d)
	}
	if !strings.Contains(s, "every 10s") {
		t.Errorf("the banner does not say the slower interval:\n%s", s)
	}
	// The badge is in the warning style (PAUSED's), not the bar's.
	if styled := hs.m.View().Content; !strings.Contains(styled, hs.m.st.ink.Paused.pre+" THROTTLED 14×") {
		t.Error("THROTTLED is not drawn in the warning style")
	}
	hs.tick(10 * time.Second)
	if d := hs.m.refresh.delay; d < 18*time.Second || d > 22*time.Second {
		t.Errorf("throttled twice: next refresh in %s, want 20s ±10%%", d)
	}
	if hs.m.fresh.Stale {
		t.Errorf("a throttled account answering at its slower pace is stale: %s", hs.m.fresh.Reason)
	}

	// Still within the minute, nothing new throttled: stays slow.
	src.mu.Lock()
	src.costs[model.SectionAddresses] = model.SectionResult{Calls: 1}
	src.mu.Unlock()
	hs.tick(20 * time.Second)
	if d := hs.m.refresh.delay; d < 18*time.Second {
		t.Errorf("throttled a moment ago: next refresh in %s, want it still slow", d)
	}
	// A whole minute without throttling.
	src.mu.Lock()
	src.throttled = nil
	src.mu.Unlock()
	hs.tick(20 * time.Second)
	if d := hs.m.refresh.delay; d > 5500*time.Millisecond {
		t.Errorf("a quiet minute later: next refresh in %s, want 5s again", d)
	}
	if strings.Contains(hs.screen(), "THROTTLED") {
		t.Errorf("still says THROTTLED after a quiet minute:\n%s", hs.screen())
	}
}

// At 80 columns the throttle badge keeps its count and gives up the API
// names first.
func TestThrottleBadgeNarrow(t *testing.T) {
	b := &banner{throttled: map[string]int{"ec2:DescribeInstances": 9, "sts:GetCallerIdentity": 5}}
	for _, tc := range []struct {
		w    int
		want string
	}{
		{140, " THROTTLED 14× in the last minute (ec2:DescribeInstances, sts:GetCallerIdentity), backing off "},
		{110, " THROTTLED 14× in 1m (ec2:DescribeInstances, sts:GetCallerIdentity), backing off "},
		{85, " THROTTLED 14× in 1m (ec2:DescribeInstances, …), backing off "},
		{80, " THROTTLED 14× in the last minute, backing off "},
		{60, " THROTTLED 14×, backing off "},
		{40, " THROTTLED 14× "},
	} {
		if got := b.throttleBadge(tc.w); got != tc.want {
			t.Errorf("width %d: %q, want %q", tc.w, got, tc.want)
		}
	}
	if got := (&banner{}).throttleBadge(120); got != "" {
		t.Errorf("no throttling: %q", got)
	}
}

// Through the real client and the sim: after the first refresh, a
// refresh with nothing slow due costs three calls (STS, IAM,
// DescribeAddresses); an EIP moved onto a new instance costs one more,
// the holder by ID; and throttling the sim answers shows on the banner.
func TestPlannedRefreshThroughSim(t *testing.T) {
	r := newSimRig(t, "acme-prod", Options{Refresh: 5 * time.Second})
	if !r.m.refresh.planned {
		t.Fatal("the real client is not fetching by plan")
	}
	// Make the list costly enough to be on a long cadence.
	r.m.refresh.sections[model.SectionInstances].cost = model.Cost{Pages: 100}
	r.m.refresh.sections[model.SectionStatus].cost = model.Cost{Pages: 100}
	r.m.refresh.sections[model.SectionECS].cost = model.Cost{Pages: 100}
	r.sim.ResetStats()
	r.clock.Advance(5 * time.Second)
	r.fetch()
	want := map[string]int{"sts:GetCallerIdentity": 1, "iam:ListAccountAliases": 1, "ec2:DescribeAddresses": 1}
	if got := r.sim.Stats(); !maps.Equal(got, want) {
		t.Errorf("a quick refresh called %v, want %v", got, want)
	}

	r.sim.Update(sim.ProdAccountID, "us-east-1", func(reg *sim.Region) {
		src := *reg.Instances["i-01100000000000004"] // green-web-1
		src.ID = "i-011000000000000ff"
		src.Tags = map[string]string{"Name": "teal-1", "Cluster": "teal"}
		reg.Instances[src.ID] = &src
		if _, err := reg.Associate("eipalloc-01100000000000001", src.ID); err != nil {
			t.Fatal(err)
		}
	})
	r.sim.ResetStats()
	r.clock.Advance(5 * time.Second)
	r.fetch()
	if got := r.sim.Stats()["ec2:DescribeInstances"]; got != 1 {
		t.Errorf("DescribeInstances calls = %d, want 1 (the new holder by ID)", got)
	}
	if c, ok := r.m.world.Cluster("teal"); !ok || !c.Live {
		t.Errorf("teal = %+v (found %v), want LIVE at once", c, ok)
	}

	r.sim.Inject(sim.Fault{Action: "ec2:DescribeAddresses", Kind: sim.FaultThrottle, Times: 2})
	r.clock.Advance(5 * time.Second)
	r.fetch()
	if s := r.screen(); !strings.Contains(s, "THROTTLED 2×") || !strings.Contains(s, "ec2:DescribeAddresses") {
		t.Errorf("sim throttling not on the banner:\n%s", s)
	}
	if r.m.refresh.next() != 10*time.Second {
		t.Errorf("next refresh in %s, want 10s while throttled", r.m.refresh.next())
	}
}

// The whole program, real goroutines and timers, with a source that
// fetches by plan: every lane runs, never two fetches of one lane at
// once, the slow lane's answers (derived off the Update loop) reach the
// screen, and nothing is left running when Run returns.
func TestProgramWithLanes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the program for half a second")
	}
	src := &planSource{world: demoSnapshot(), delay: 20 * time.Millisecond, costs: map[model.Section]model.SectionResult{
		model.SectionInstances: {Calls: 1},
		model.SectionECS:       {Calls: 1},
	}}
	in := &keyFeed{keys: make(chan string, 64)}
	done := make(chan error, 1)
	var out bytes.Buffer // written by the program until Run returns
	go func() {
		done <- run(context.Background(), src, Options{Refresh: 10 * time.Millisecond},
			tea.WithInput(in), tea.WithOutput(&out), tea.WithWindowSize(100, 30), tea.WithoutSignals())
	}()
	for range 10 {
		in.keys <- "r"
		time.Sleep(30 * time.Millisecond)
	}
	in.keys <- "q"
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the program did not quit")
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	if src.most != [laneCount]int{1, 1, 1} {
		t.Errorf("most fetches at once per lane = %v, want one each", src.most)
	}
	if src.active != [laneCount]int{} {
		t.Errorf("fetches still running after Run returned: %v", src.active)
	}
	slow := 0
	for _, p := range src.plans {
		if slices.Contains(p, model.SectionInstances) {
			slow++
		}
	}
	if slow < 2 || len(src.plans)-slow < 2 {
		t.Errorf("%d slow and %d quick fetches, want both lanes to run", slow, len(src.plans)-slow)
	}
	// The clusters come from the instance list, which only the slow lane
	// fetches.
	if !strings.Contains(out.String(), "blue-web-1") {
		t.Errorf("the slow lane's answers did not reach the screen: %q", ansi.Strip(out.String()))
	}
}

// Credentials change while a large list is being fetched (S3): the quick
// lane's answer is of the new account. What the screen knew of the old
// account's other sections is forgotten, not carried into the new one;
// the slow fetch in flight (of either account) is abandoned and its
// answer dropped; everything is fetched again at once.
func TestPlannedAccountSwitchMergesNothing(t *testing.T) {
	prod := demoSnapshot()
	prod.Instances = append(slices.Clone(prod.Instances), model.Instance{ID: "i-0d00000000000000d", Name: "prod-db-1",
		State: model.StateRunning, Tags: model.TagsOf(map[string]string{"Cluster": "proddb"})})
	src := &planSource{world: prod, costs: map[model.Section]model.SectionResult{
		model.SectionInstances: {Calls: 3, Decode: 600 * time.Millisecond}, // 40 s
		model.SectionStatus:    {Calls: 3, Decode: 600 * time.Millisecond},
	}}
	hs := newHarness(t, src, Options{Refresh: 5 * time.Second}, 120, 30)
	hs.runRefresh(hs.m.startFetch())
	if !strings.Contains(hs.screen(), "proddb") {
		t.Fatalf("test setup: prod's cluster not on screen:\n%s", hs.screen())
	}

	// A refresh with the slow lane due, fetched while prod's
	// credentials were still in use; its answer is late.
	hs.clock.Advance(41 * time.Second)
	b, ok := hs.send(keyPress("r"))().(tea.BatchMsg)
	if !ok || len(b) != 3 {
		t.Fatalf("r did not start all three lanes")
	}
	lateSlow, lateServices := b[1](), b[2]()
	src.mu.Lock()
	src.world = demoSnapshotFor("acme-staging", "222222222222")
	src.mu.Unlock()
	again := hs.send(b[0]()) // the quick lane: staging answers

	s := hs.screen()
	if !strings.Contains(s, "ACCOUNT CHANGED") || strings.Contains(s, "proddb") {
		t.Fatalf("after the switch, prod's cluster is still on screen or the switch is not said:\n%s", s)
	}
	if hs.m.fresh.Stale || !hs.m.banner.never {
		t.Errorf("the new account's list is awaited, not stale: stale=%v (%s), never=%v", hs.m.fresh.Stale, hs.m.fresh.Reason, hs.m.banner.never)
	}
	if _, ok := hs.m.refresh.sections[model.SectionInstances]; ok {
		t.Error("the refresher still knows prod's instance list")
	}
	hs.send(lateSlow) // prod's list, late: dropped
	hs.send(lateServices)
	if s := hs.screen(); strings.Contains(s, "proddb") {
		t.Fatalf("a slow answer from before the switch reached the screen:\n%s", s)
	}
	// Everything is fetched again at once, of staging.
	if n := hs.runRefresh(again); n != 3 {
		t.Fatalf("%d fetches after the switch, want all three lanes", n)
	}
	if s := hs.screen(); strings.Contains(s, "proddb") || !strings.Contains(s, "blue") || hs.m.banner.never {
		t.Errorf("staging's list is not on screen:\n%s", s)
	}
}

// Both lanes fetch the identity. A slow answer that started before the
// quick answer already on screen does not make the identity (or the age
// on the banner) look older than it is.
func TestSlowAnswerDoesNotAgeTheQuickSections(t *testing.T) {
	src := &planSource{world: demoSnapshot(), costs: map[model.Section]model.SectionResult{
		model.SectionInstances: {Calls: 30}, // 6 s: fetched at every other tick
		model.SectionStatus:    {Calls: 30},
	}}
	hs := newHarness(t, src, Options{Refresh: 5 * time.Second}, 120, 30)
	hs.runRefresh(hs.m.startFetch())

	hs.clock.Advance(5500 * time.Millisecond)
	b, ok := hs.send(RefreshTickMsg{Gen: hs.m.refresh.tickGen})().(tea.BatchMsg)
	if !ok || len(b) != 2 {
		t.Fatal("the tick did not start both lanes")
	}
	slow := b[1]() // a long fetch: its answer comes later
	hs.send(b[0]())
	hs.clock.Advance(5500 * time.Millisecond)
	quickAt := hs.clock.Now()
	hs.runRefresh(hs.send(RefreshTickMsg{Gen: hs.m.refresh.tickGen})) // the quick lane only
	hs.clock.Advance(2 * time.Second)
	late := slow.(FetchedMsg)
	late.Finished = hs.clock.Now()
	hs.send(late)
	if got, want := hs.m.fresh.Age, hs.clock.Now().Sub(quickAt); got != want {
		t.Errorf("age after a late slow answer = %s, want %s (the last quick refresh)", got, want)
	}
	if c := hs.m.refresh.sections[model.SectionIdentity]; !c.lastOK.Equal(quickAt) {
		t.Errorf("identity last fetched %s, want %s", c.lastOK, quickAt)
	}
}

// Throttling slows each section down, the slow ones no further than
// model.MaxCadence.
func TestThrottledCadence(t *testing.T) {
	r := refresher{interval: 5 * time.Second, planned: true, throttled: 3, sections: map[model.Section]*sectionClock{
		model.SectionInstances: {cost: model.Cost{Pages: 50, Decode: 2400 * time.Millisecond}}, // 160 s
		model.SectionGroups:    {cost: model.Cost{Pages: 50}},                                  // 10 s
	}}
	for sec, want := range map[model.Section]time.Duration{
		model.SectionAddresses: 40 * time.Second,
		model.SectionGroups:    80 * time.Second,
		model.SectionInstances: model.MaxCadence,
	} {
		if got := r.cadence(sec); got != want {
			t.Errorf("%s: throttled cadence %s, want %s", sec, got, want)
		}
	}
	r.sections[model.SectionInstances].cost.Decode = 10 * time.Minute // beyond the cap already
	if got := r.cadence(model.SectionInstances); got != model.MaxCadence {
		t.Errorf("capped cadence throttled = %s, want %s", got, model.MaxCadence)
	}
}

// ECS has a lane of its own: while its paced fetch runs (2,000 services
// take most of a minute), the instance list is fetched at its cadence
// and no second ECS fetch starts. After an action, the lanes that are
// free are fetched again at once; ECS is, as soon as its answer is in.
func TestFleetDoesNotWaitForServices(t *testing.T) {
	src := &planSource{world: demoSnapshot(), costs: map[model.Section]model.SectionResult{
		model.SectionInstances: {Calls: 50}, // every 10 s
		model.SectionECS:       {Calls: 5},  // due at every tick
	}}
	hs := newHarness(t, src, Options{Refresh: 5 * time.Second}, 120, 30)
	src.now = hs.clock.Now
	b, ok := hs.m.startFetch()().(tea.BatchMsg)
	if !ok || len(b) != 3 || !hs.m.refresh.services.inFlight {
		t.Fatal("the first refresh did not start all three lanes")
	}
	held := b[2] // the ECS fetch: it answers last (the harness runs it late)
	hs.send(b[0]())
	hs.send(b[1]())

	lists := 0
	for i := range 6 {
		n := hs.tick(5500 * time.Millisecond)
		for _, p := range src.lastPlans(n) {
			if slices.Contains(p, model.SectionECS) {
				t.Fatalf("tick %d: an ECS fetch started while one is in flight", i)
			}
			if slices.Contains(p, model.SectionInstances) {
				lists++
			}
		}
		if hs.m.fresh.Stale {
			t.Fatalf("tick %d: stale while ECS is fetched: %s", i, hs.m.fresh.Reason)
		}
	}
	if lists != 3 {
		t.Errorf("the list was fetched %d times in 33 s while ECS was, want 3 (every 10 s)", lists)
	}

	// An action ends: the quick and fleet lanes are fetched at once,
	// ECS not yet (its fetch in flight may predate the action).
	cmd := hs.m.refreshAfterAction()
	if cmd == nil {
		t.Fatal("no refresh after the action")
	}
	if n := hs.runRefresh(cmd); n != 2 {
		t.Fatalf("%d fetches after the action, want the quick and fleet lanes", n)
	}
	if got := src.lastPlans(2); !slices.Contains(got[1], model.SectionInstances) {
		t.Errorf("plans after the action = %v, want the list fetched whole", got)
	}
	// The held ECS answer lands: ECS is fetched again at once.
	again := hs.send(held())
	if c := hs.m.refresh.sections[model.SectionECS]; c == nil || !c.lastOK.Equal(hs.clock.Now()) {
		t.Fatalf("the held ECS answer was not taken in: %+v", c)
	}
	if again == nil {
		t.Fatal("no refresh after the held ECS answer, though an action asked for one")
	}
	hs.runRefresh(again)
	if got := src.lastPlans(1)[0]; !slices.Equal(got, servicesPlan) {
		t.Errorf("last plan = %v, want ECS fetched again (%v)", got, servicesPlan)
	}
	if hs.m.refresh.again != [laneCount]bool{} {
		t.Errorf("lanes still waiting to be fetched again: %v", hs.m.refresh.again)
	}
}

// The ECS fetch is paced to its budget and takes as long as its calls
// need (44 s for 2,000 services): the refresh's deadline, meant for a
// hung call, must not cut it short, or a large account's ECS would never
// be whole. The other lanes keep their deadline.
func TestServicesLaneOutlivesTheFetchTimeout(t *testing.T) {
	src := &planSource{world: demoSnapshot(), ecsDelay: 80 * time.Millisecond}
	hs := newHarness(t, src, Options{Refresh: 5 * time.Second, FetchTimeout: 20 * time.Millisecond}, 120, 30)
	if n := hs.runRefresh(hs.m.startFetch()); n != 3 {
		t.Fatalf("%d fetches, want all three lanes", n)
	}
	c := hs.m.refresh.sections[model.SectionECS]
	if c == nil || c.err != nil || c.lastOK.IsZero() {
		t.Fatalf("ECS after a fetch longer than the refresh deadline: %+v, want whole", c)
	}

	// The fleet lane still has its deadline: a hung list fails.
	src.mu.Lock()
	src.delay = 200 * time.Millisecond
	src.mu.Unlock()
	hs.runRefresh(hs.m.refreshAll())
	if c := hs.m.refresh.sections[model.SectionInstances]; c == nil || c.err == nil {
		t.Errorf("a list fetch past the deadline did not fail: %+v", c)
	}
}

package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// This file holds the messages that cross panes or come back from work
// done outside the event loop. A pane's private messages stay in the pane.
//
// Every command here captures plain values (a context, a generation
// number, the Source interface) and never the Model: the closure runs on
// another goroutine while Update keeps mutating the model.

// FetchedMsg carries the answer of one refresh. Gen is the generation the
// refresh was started for; the root model drops an answer whose Gen is not
// the refresh it is waiting for (it was paused, superseded or cancelled),
// so a slow answer can never overwrite newer data.
type FetchedMsg struct {
	Gen      uint64
	Snap     model.Snapshot
	Started  time.Time // when the fetch began, by the model's clock
	Finished time.Time

	// derived is Snap already taken in against the screen as it was when
	// the fetch started; nil when built by hand (tests), and then Update
	// derives it itself.
	derived *derived
}

// FetchCmd fetches one snapshot from src under ctx, bounded by timeout,
// and reports it as a FetchedMsg tagged with gen. now is the model's
// clock. g, when not nil, lets Run wait for the fetch to return before it
// does, so no fetch outlives the program.
func FetchCmd(ctx context.Context, src Source, gen uint64, timeout time.Duration, now func() time.Time, g *gate) tea.Cmd {
	return fetchCmd(ctx, src.Fetch, laneQuick, gen, timeout, now, g, nil)
}

// fetchCmd is FetchCmd for one lane of the refresh loop (the gate admits
// one fetch per lane at a time), fetching with fetch, that also derives
// the answer against b (when not nil) before reporting it, off the
// Update loop.
func fetchCmd(ctx context.Context, fetch func(context.Context) model.Snapshot, l laneID, gen uint64, timeout time.Duration, now func() time.Time, g *gate, b *basis) tea.Cmd {
	return func() tea.Msg {
		if !g.enter() {
			return nil // the program is shutting down
		}
		defer g.leave()
		if !g.acquire(ctx, l) {
			return nil // abandoned while an earlier fetch was unwinding
		}
		defer g.release(l)
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		started := now()
		snap := fetch(ctx)
		msg := FetchedMsg{Gen: gen, Snap: snap, Started: started, Finished: now()}
		if b != nil {
			d := derive(*b, snap, msg.Finished)
			msg.derived = &d
		}
		return msg
	}
}

// rederivedMsg is an answer derived again, off the Update loop, because
// the screen took in another answer (of the other lane) while it was
// being fetched.
type rederivedMsg struct{ FetchedMsg }

// rederiveCmd derives msg's snapshot again against b.
func rederiveCmd(b basis, msg FetchedMsg, g *gate) tea.Cmd {
	return func() tea.Msg {
		if !g.enter() {
			return nil
		}
		defer g.leave()
		d := derive(b, msg.Snap, msg.Finished)
		msg.derived = &d
		return rederivedMsg{msg}
	}
}

// RefreshTickMsg asks for an automatic refresh. Gen identifies the tick:
// pausing, refreshing by hand or finishing a refresh starts a new
// generation, and a tick of an older one is ignored, so ticks never pile
// up into overlapping fetches.
type RefreshTickMsg struct{ Gen uint64 }

// RefreshTickCmd sends a RefreshTickMsg for gen after d.
func RefreshTickCmd(gen uint64, d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return RefreshTickMsg{Gen: gen} })
}

// ClockMsg is the once-a-second heartbeat that ages the banner ("updated
// 3s ago"), turns a screen stale when refreshes stop arriving, and fades
// the highlight of rows that just changed. It is the only work airlock
// does between refreshes.
type ClockMsg struct{}

// ClockCmd sends a ClockMsg on the next whole second of the wall clock,
// so the age in the banner ticks evenly.
func ClockCmd() tea.Cmd {
	return tea.Every(time.Second, func(time.Time) tea.Msg { return ClockMsg{} })
}

// DrillMsg moves the operator from the clusters pane into the instances
// of one cluster.
type DrillMsg struct{ Cluster string }

// DrillCmd sends a DrillMsg for the named cluster.
func DrillCmd(cluster string) tea.Cmd {
	return func() tea.Msg { return DrillMsg{Cluster: cluster} }
}

// ActionMenuMsg opens the action menu on a row: the airlock's first
// step. Target names the row for the menu's title ("cluster blue").
type ActionMenuMsg struct {
	Selection model.Selection
	Target    string
}

// ActionMenuCmd sends an ActionMenuMsg.
func ActionMenuCmd(sel model.Selection, target string) tea.Cmd {
	return func() tea.Msg { return ActionMenuMsg{Selection: sel, Target: target} }
}

// MenuBuiltMsg carries the action menu worked out for flow Gen, and what
// the screen showed when it was opened (the basis every action picked
// from it is judged against).
type MenuBuiltMsg struct {
	Gen   uint64
	Seen  model.Seen
	Items []model.MenuItem
}

// MenuCmd works out the action menu on sel in world w, with the
// freshness f and policy p of the screen when it was opened. It is pure
// work proportional to the account, so it runs as a command, off the
// Update loop. w is shared, not copied: worlds are never changed once
// derived.
func MenuCmd(gen uint64, w model.World, sel model.Selection, f model.Freshness, p model.Policy, g *gate) tea.Cmd {
	return func() tea.Msg {
		if !g.enter() {
			return nil // the program is shutting down
		}
		defer g.leave()
		return MenuBuiltMsg{Gen: gen, Seen: model.SeenOf(w, f), Items: model.Menu(w, sel, f, p)}
	}
}

// PreparedMsg carries the verdict on an action, judged against facts
// fetched for it a moment ago. Gen is the flow it belongs to.
type PreparedMsg struct {
	Gen      uint64
	Prepared awsstate.Prepared
	Err      error // the facts could not be fetched; nothing was judged

	// facts is the verdict laid out for the confirmation, and learned
	// the screen with its facts merged in (see learn); both worked out
	// off the Update loop, nil when built by hand (tests) or when there
	// is nothing to learn.
	facts   *factView
	learned *derived
}

// PrepareCmd asks actor for a verdict on in, as the screen showed it
// (seen), under policy p.
func PrepareCmd(ctx context.Context, actor Actor, gen uint64, in model.Intent, seen model.Seen, p model.Policy, g *gate) tea.Cmd {
	return prepareCmd(ctx, actor, gen, in, seen, p, g, nil)
}

// prepareCmd is PrepareCmd that also lays the verdict out and, when b is
// not nil, works out what its facts change on the screen b describes.
func prepareCmd(ctx context.Context, actor Actor, gen uint64, in model.Intent, seen model.Seen, p model.Policy, g *gate, b *basis) tea.Cmd {
	return func() tea.Msg {
		if !g.enter() {
			return nil
		}
		defer g.leave()
		prep, err := actor.Prepare(ctx, in, seen, p)
		msg := PreparedMsg{Gen: gen, Prepared: prep, Err: err}
		if err == nil {
			msg.facts = newFactView(prep.Verdict, seen)
			if b != nil {
				if d, ok := learn(*b, prep.Verdict); ok {
					msg.learned = &d
				}
			}
		}
		return msg
	}
}

// ConfirmedMsg says the operator typed the phrase of flow Gen exactly.
type ConfirmedMsg struct{ Gen uint64 }

// ConfirmedCmd sends a ConfirmedMsg; the phrase form submits with it.
func ConfirmedCmd(gen uint64) tea.Cmd {
	return func() tea.Msg { return ConfirmedMsg{Gen: gen} }
}

// CancelledMsg says the operator left the confirmation of flow Gen.
type CancelledMsg struct{ Gen uint64 }

// CancelledCmd sends a CancelledMsg; the phrase form cancels with it.
func CancelledCmd(gen uint64) tea.Cmd {
	return func() tea.Msg { return CancelledMsg{Gen: gen} }
}

// ExecutedMsg carries what Execute did for flow Gen.
type ExecutedMsg struct {
	Gen     uint64
	Outcome awsstate.Outcome
	Err     error // nil only when everything planned was done

	// learned is the screen with the last check's facts merged in, when
	// that check refused and nothing ran (see learn); nil otherwise.
	learned *derived
}

// ExecuteCmd runs a prepared action with the phrase the operator typed.
func ExecuteCmd(ctx context.Context, actor Actor, gen uint64, p awsstate.Prepared, typed string, g *gate) tea.Cmd {
	return executeCmd(ctx, actor, gen, p, typed, g, nil)
}

// executeCmd is ExecuteCmd that, when the last check refused and b is
// not nil, also works out what its facts change on the screen b
// describes.
func executeCmd(ctx context.Context, actor Actor, gen uint64, p awsstate.Prepared, typed string, g *gate, b *basis) tea.Cmd {
	return func() tea.Msg {
		if !g.enter() {
			return nil
		}
		defer g.leave()
		out, err := actor.Execute(ctx, p, typed)
		msg := ExecutedMsg{Gen: gen, Outcome: out, Err: err}
		if b != nil && learnsFrom(out, err) {
			if d, ok := learn(*b, out.Verdict); ok {
				msg.learned = &d
			}
		}
		return msg
	}
}

// StorageMsg carries the storage fetched for the detail view of
// generation Gen, about Key ("instance i-…", "cluster blue"); At is when
// it arrived, by the model's clock (the time a snapshot's progress is
// observed at). The root model drops it when the view has closed or
// describes something else.
type StorageMsg struct {
	Gen     uint64
	Key     string
	Storage model.Storage
	Err     error
	At      time.Time
}

// StorageCmd fetches the storage of the instances ids through s, bounded
// by storageTimeout, and reports it as a StorageMsg tagged with gen and
// key. now is the model's clock.
func StorageCmd(ctx context.Context, s Storer, gen uint64, key string, ids []string, now func() time.Time, g *gate) tea.Cmd {
	return func() tea.Msg {
		if !g.enter() {
			return nil // the program is shutting down
		}
		defer g.leave()
		ctx, cancel := context.WithTimeout(ctx, storageTimeout)
		defer cancel()
		st, err := s.StorageOf(ctx, ids)
		return StorageMsg{Gen: gen, Key: key, Storage: st, Err: err, At: now()}
	}
}

// StorageTickMsg asks the detail view of generation Gen to fetch its
// storage again.
type StorageTickMsg struct{ Gen uint64 }

// StorageTickCmd sends a StorageTickMsg for gen after d.
func StorageTickCmd(gen uint64, d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return StorageTickMsg{Gen: gen} })
}

// FoundMsg carries the answer of search Gen (the find prompt): at most
// findLimit matching instances, and how many there are in all.
type FoundMsg struct {
	Gen   uint64
	Query string
	Hits  []findHit
	Total int
}

// FindCmd searches world w for the instances that q (lower-cased, as
// findQuery makes it) names. It reads every instance, so it runs as a
// command, off the Update loop; w must not change while it runs (worlds
// never do once derived).
func FindCmd(gen uint64, w *model.World, q string, g *gate) tea.Cmd {
	return func() tea.Msg {
		if !g.enter() {
			return nil // the program is shutting down
		}
		defer g.leave()
		hits, total := findInstances(w, q, findLimit)
		return FoundMsg{Gen: gen, Query: q, Hits: hits, Total: total}
	}
}

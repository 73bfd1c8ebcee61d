package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

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
}

// FetchCmd fetches one snapshot from src under ctx, bounded by timeout,
// and reports it as a FetchedMsg tagged with gen. now is the model's
// clock. g, when not nil, lets Run wait for the fetch to return before it
// does, so no fetch outlives the program.
func FetchCmd(ctx context.Context, src Source, gen uint64, timeout time.Duration, now func() time.Time, g *gate) tea.Cmd {
	return func() tea.Msg {
		if !g.enter() {
			return nil // the program is shutting down
		}
		defer g.leave()
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		started := now()
		snap := src.Fetch(ctx)
		return FetchedMsg{Gen: gen, Snap: snap, Started: started, Finished: now()}
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

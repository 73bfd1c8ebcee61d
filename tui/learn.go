package tui

import (
	"errors"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// What a check learns goes on the screen. Prepare and Execute fetch the
// targets fresh; when that shows the screen wrong (the EIPs are on green
// now, an instance is gone), the panes take the fresh facts in at once,
// paused or not, and the feed says what changed. S1's operator, refused
// because the go-live moved the EIPs, must not go back to a screen that
// still says blue is LIVE.
//
// The merge is model.Snapshot.WithFacts: the screen's snapshot with the
// fetched instances, addresses and checks put in place of its own, its
// age unchanged (the rest is as old as it was, and a paused screen stays
// paused). Like a refresh's answer, it is worked out off the Update loop
// against the screen as it was (a basis) and taken in only if the
// screen has not changed since.

// learn merges the facts of v into the screen described by b: the new
// snapshot, its world, and the events between the screen and it. ok is
// false when there is nothing to merge (see WithFacts) or no screen yet.
func learn(b basis, v model.Verdict) (derived, bool) {
	if !b.have {
		return derived{}, false
	}
	next, ok := b.snap.WithFacts(v)
	if !ok {
		return derived{}, false
	}
	d := derived{basisSeq: b.seq, snap: next, world: model.Analyze(next, b.tagKey)}
	d.events = model.Diff(b.world, d.world, v.Facts.FetchedAt)
	return d, true
}

// learnsFrom reports whether an Execute's verdict holds facts worth
// taking in: only when nothing ran. After calls were made the facts are
// from before them, and the refresh that follows shows what they did.
func learnsFrom(out awsstate.Outcome, err error) bool {
	return err != nil && errors.Is(err, awsstate.ErrRefused) && len(out.Calls) == 0
}

// learnFacts takes in what a check fetched (d, worked out off the loop,
// or v again here when the screen changed meanwhile or nobody worked it
// out) and tells the feed what it changed.
func (m *Model) learnFacts(v model.Verdict, d *derived, label string) {
	if d == nil || d.basisSeq != m.applied {
		nd, ok := learn(m.basis(), v)
		if !ok {
			return
		}
		d = &nd
	}
	m.applied++
	if len(d.events) > 0 {
		es := make([]entry, 0, len(d.events)+1)
		es = append(es, entry{at: m.now, tone: toneWarn,
			text: "checked with AWS (" + label + "): the screen was out of date, now updated:"})
		for _, e := range d.events {
			es = append(es, entryOf(e))
			m.recent.markEvent(e, m.now)
		}
		m.events.add(es)
	}
	m.snap, m.world = d.snap, d.world
	m.clusters.setWorld(&m.world)
	m.addresses.setWorld(&m.world)
	m.syncInstances()
}

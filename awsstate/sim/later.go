package sim

import (
	"sync"
	"time"
)

// deferredWork holds world changes an action started that complete
// Options.StateDelay later: an ECS service reaching its steady state after
// UpdateService, a deleted service draining and then disappearing. Like the
// instance transitions they run at the start of the first API call at or
// after their due time, under the write lock, so no goroutine or timer
// outlives a call. Work added while a batch runs waits for the next call,
// which is what lets a chain of steps (DRAINING, INACTIVE, gone) show each
// step to at least one call even with a zero StateDelay.
type deferredWork struct {
	mu   sync.Mutex
	list []deferred
}

type deferred struct {
	due             time.Time
	account, region string
	fn              func(r *Region, now time.Time)
	// untilSeen holds the work back until one API call has been served
	// with it due: for changes made outside any call (the control API),
	// so that a call still sees the state they left.
	untilSeen bool
}

func (d *deferredWork) add(w deferred) {
	d.mu.Lock()
	d.list = append(d.list, w)
	d.mu.Unlock()
}

func (d *deferredWork) clear() {
	d.mu.Lock()
	d.list = nil
	d.mu.Unlock()
}

// takeDue removes and returns the work due at now, in the order added.
func (d *deferredWork) takeDue(now time.Time) []deferred {
	d.mu.Lock()
	defer d.mu.Unlock()
	var due, rest []deferred
	for _, w := range d.list {
		switch {
		case now.Before(w.due):
			rest = append(rest, w)
		case w.untilSeen:
			w.untilSeen = false
			rest = append(rest, w)
		default:
			due = append(due, w)
		}
	}
	d.list = rest
	return due
}

// after schedules fn on the region Options.StateDelay from now. fn gets
// the region as it is then (a Reset discards pending work) and the world
// time; it must check that what it changes is still what it expects, since
// a test's Update may have changed the world meanwhile.
func (s *Server) after(r *Region, fn func(r *Region, now time.Time)) {
	s.deferred.add(deferred{due: s.now().Add(s.opts.StateDelay), account: r.AccountID, region: r.Name, fn: fn})
}

// runDeferred runs the work that is due.
func (s *Server) runDeferred() {
	due := s.deferred.takeDue(s.now())
	if len(due) == 0 {
		return
	}
	now := s.worldNow()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range due {
		a, ok := s.w.accounts[w.account]
		if !ok {
			continue
		}
		r, ok := a.regions[w.region]
		if !ok {
			continue
		}
		w.fn(r, now)
		r.touch()
	}
}

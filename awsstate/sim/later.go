package sim

import (
	"sync"
	"time"
)

// deferredWork holds world changes an action started that complete
// Options.StateDelay later: an instance leaving stopping or shutting-down,
// an ECS service reaching its steady state after UpdateService, a deleted
// service draining and then disappearing. They run at the start of the
// first API call at or after their due time, under the write lock, so no
// goroutine or timer outlives a call. Work added while a batch runs waits
// for the next call, which is what lets a chain of steps (DRAINING,
// INACTIVE, gone) show each step to at least one call even with a zero
// StateDelay.
//
// The Server keeps two queues of it, run apart in each call: instance
// transitions (pending) before Auto Scaling's retries, which count the
// members that are still live, and the rest (deferred) after them.
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

// later is fn as work on the region due Options.StateDelay from now. fn
// gets the region as it is then (a Reset discards pending work) and the
// world time; it must check that what it changes is still what it
// expects, since a test's Update may have changed the world meanwhile.
func (s *Server) later(r *Region, fn func(r *Region, now time.Time)) deferred {
	return deferred{due: s.now().Add(s.opts.StateDelay), account: r.AccountID, region: r.Name, fn: fn}
}

// after schedules fn on the region Options.StateDelay from now (see later).
func (s *Server) after(r *Region, fn func(r *Region, now time.Time)) {
	s.deferred.add(s.later(r, fn))
}

// runDue runs the work of q that is due. Work for an account or region
// that no longer exists (a Reset replaced the world) is dropped.
func (s *Server) runDue(q *deferredWork) {
	due := q.takeDue(s.now())
	if len(due) == 0 {
		return
	}
	now := s.worldNow()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range due {
		if r := s.w.existingRegion(w.account, w.region); r != nil {
			w.fn(r, now)
			r.touch()
		}
	}
}

package sim

import (
	"sync"
	"time"
)

// transitions holds the instance state changes an action started and that
// finish later: stopping → stopped, shutting-down → terminated. They settle
// at the start of the first API call at or after their due time
// (Options.StateDelay after the action), so no goroutine or timer outlives
// a call, and with a zero delay the next call already sees the final state.
type transitions struct {
	mu   sync.Mutex
	list []transition
}

type transition struct {
	account, region, instance string
	from, to                  InstanceState
	due                       time.Time
}

func (t *transitions) add(tr transition) {
	t.mu.Lock()
	t.list = append(t.list, tr)
	t.mu.Unlock()
}

func (t *transitions) clear() {
	t.mu.Lock()
	t.list = nil
	t.mu.Unlock()
}

// takeDue removes and returns the transitions due at now.
func (t *transitions) takeDue(now time.Time) []transition {
	t.mu.Lock()
	defer t.mu.Unlock()
	var due, rest []transition
	for _, tr := range t.list {
		if now.Before(tr.due) {
			rest = append(rest, tr)
		} else {
			due = append(due, tr)
		}
	}
	t.list = rest
	return due
}

// settle applies the due transitions. One is skipped when the instance is
// no longer in the state it left from (a Reset or a test's Update changed
// it meanwhile): the world as changed wins.
func (s *Server) settle() {
	due := s.pending.takeDue(s.now())
	if len(due) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tr := range due {
		a, ok := s.w.accounts[tr.account]
		if !ok {
			continue
		}
		r, ok := a.regions[tr.region]
		if !ok {
			continue
		}
		if in, ok := r.Instances[tr.instance]; ok && in.State == tr.from {
			in.State = tr.to
			r.touch()
		}
	}
}

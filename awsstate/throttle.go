package awsstate

import (
	"sync"
	"time"
)

// throttleWindow is how far back the throttle counts reach: the banner
// and airlock status say "in the last minute".
const throttleWindow = time.Minute

// maxThrottleEvents bounds the log: more throttled calls than this in a
// minute would take a client retrying far harder than airlock does.
const maxThrottleEvents = 10_000

// throttleLog remembers the calls AWS throttled in the last minute, per
// API. It is safe for concurrent use.
type throttleLog struct {
	mu     sync.Mutex
	events []throttleEvent // oldest first
}

type throttleEvent struct {
	at  time.Time
	api string
	n   int
}

// add records n throttled attempts of one call to api at at.
func (l *throttleLog) add(api string, n int, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(at)
	if len(l.events) >= maxThrottleEvents {
		l.events = l.events[1:]
	}
	l.events = append(l.events, throttleEvent{at: at, api: api, n: n})
}

// counts returns the throttled attempts per API in the minute before
// now; nil when there were none.
func (l *throttleLog) counts(now time.Time) map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
	if len(l.events) == 0 {
		return nil
	}
	out := map[string]int{}
	for _, e := range l.events {
		out[e.api] += e.n
	}
	return out
}

// prune drops what is older than the window; callers hold l.mu.
func (l *throttleLog) prune(now time.Time) {
	cut := now.Add(-throttleWindow)
	i := 0
	for i < len(l.events) && !l.events[i].at.After(cut) {
		i++
	}
	if i > 0 {
		l.events = append(l.events[:0], l.events[i:]...)
	}
}

package tui

import (
	"strings"
	"time"

	"github.com/airlock-ops/airlock/model"
)

// highlightFor is how long a row that just changed stays highlighted:
// long enough to be seen after glancing back at the pane, short enough
// that the next change stands out again.
const highlightFor = 10 * time.Second

// recent remembers what changed and when, so every pane can highlight
// the rows an event touched (the cluster, the EIP, the instance). The
// root model fills it from model.Diff in Update; panes only read it.
type recent struct {
	at map[string]time.Time
}

func newRecent() *recent { return &recent{at: map[string]time.Time{}} }

// Keys are namespaced: a cluster may be named like an instance ID.
func clusterKey(name string) string { return "c/" + name }
func addressKey(ip string) string   { return "a/" + ip }
func instanceKey(id string) string  { return "i/" + id }

func (r *recent) mark(key string, t time.Time) {
	if key != "" {
		r.at[key] = t
	}
}

// is reports whether key changed less than highlightFor before now.
func (r *recent) is(key string, now time.Time) bool {
	t, ok := r.at[key]
	return ok && now.Sub(t) < highlightFor
}

// any reports whether some row is still highlighted, so the root model
// knows whether the clock must keep redrawing for a highlight to fade.
func (r *recent) any(now time.Time) bool {
	for _, t := range r.at {
		if now.Sub(t) < highlightFor {
			return true
		}
	}
	return false
}

// prune forgets what is no longer highlighted, so the map stays as small
// as the last few seconds of events.
func (r *recent) prune(now time.Time) {
	for k, t := range r.at {
		if now.Sub(t) >= highlightFor {
			delete(r.at, k)
		}
	}
}

// markEvent highlights everything an event is about. The subject of an
// event is a public IP, an instance ID or a cluster name depending on its
// kind; marking it under every namespace it could be costs nothing and
// needs no table of kinds.
func (r *recent) markEvent(e model.Event, at time.Time) {
	r.mark(clusterKey(e.Cluster), at)
	r.mark(addressKey(e.Subject), at)
	r.mark(instanceKey(e.Subject), at)
	r.mark(clusterKey(e.Subject), at)
	// An EIP that moved concerns both ends: "blue/i-1" → "green/i-2".
	for _, owner := range []string{e.From, e.To} {
		if c, id, ok := strings.Cut(owner, "/"); ok {
			r.mark(clusterKey(c), at)
			r.mark(instanceKey(id), at)
		}
	}
}

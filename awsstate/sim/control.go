package sim

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// The control API lets tests, benchmarks and the demo read the sim's
// counters and change its world from outside the process, over the same
// endpoint the SDK uses:
//
//	GET  /_sim/stats[?account=ID]  {"calls":{"ec2:DescribeInstances":3,...}}
//	POST /_sim/stats/reset         zero the counters
//	POST /_sim/reset               back to the scenario's initial world
//	POST /_sim/go-live[?account=ID]
//	                               move the EIPs from blue to green
//	                               (default: acme-prod); {"moves":[...]}
//	POST /_sim/throttling?on=true|false
//	                               EC2 token-bucket throttling on or off
//
// Errors come back as {"error":"..."} with a 4xx status.

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	q := r.URL.Query()
	route := r.Method + " " + path
	switch route {
	case "GET /_sim", "GET /_sim/":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(controlHelp))
	case "GET /_sim/stats":
		calls := s.Stats()
		if id := q.Get("account"); id != "" {
			calls = s.AccountStats(id)
		}
		writeJSON(w, http.StatusOK, map[string]any{"calls": calls})
	case "POST /_sim/stats/reset":
		s.ResetStats()
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	case "POST /_sim/reset":
		s.Reset()
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	case "POST /_sim/go-live":
		id := q.Get("account")
		if id == "" {
			id = ProdAccountID
		}
		moves, err := s.MoveEIPs(id, "us-east-1", "blue", "green")
		if err != nil {
			writeJSON(w, http.StatusConflict, map[string]any{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"moves": moves})
	case "POST /_sim/throttling":
		on := q.Get("on")
		if on != "true" && on != "false" {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "on must be true or false"})
			return
		}
		s.EnableThrottling(on == "true")
		writeJSON(w, http.StatusOK, map[string]any{"throttling": on == "true"})
	default:
		known := map[string]bool{"/_sim/stats": true, "/_sim/stats/reset": true, "/_sim/reset": true, "/_sim/go-live": true, "/_sim/throttling": true}
		if known[path] {
			writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": "method " + r.Method + " not allowed on " + path})
			return
		}
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "no control endpoint " + path + "; GET /_sim/ lists them"})
	}
}

const controlHelp = `airlock simulated AWS: control endpoints
GET  /_sim/stats[?account=ID]        call counters keyed service:Action
POST /_sim/stats/reset               zero the counters
POST /_sim/reset                     back to the scenario's initial world
POST /_sim/go-live[?account=ID]      move the EIPs from blue to green (default acme-prod)
POST /_sim/throttling?on=true|false  EC2 token-bucket throttling
`

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// stats counts calls per account and "service:Action".
type stats struct {
	mu    sync.Mutex
	calls map[statKey]int
}

type statKey struct{ account, name string }

func (st *stats) add(account, name string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.calls == nil {
		st.calls = map[statKey]int{}
	}
	st.calls[statKey{account, name}]++
}

// snapshot sums the counters of one account, or of all when account is
// nil.
func (st *stats) snapshot(account *string) map[string]int {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := map[string]int{}
	for k, n := range st.calls {
		if account == nil || *account == k.account {
			out[k.name] += n
		}
	}
	return out
}

// Stats returns the number of calls per "service:Action" across all
// accounts ("ec2:DescribeInstances" → 3). Every request that named a
// known action counts, whatever became of it: rejected credentials,
// injected faults, throttling and retries included. The map is a copy.
func (s *Server) Stats() map[string]int { return s.stats.snapshot(nil) }

// AccountStats is Stats for the calls made with one account's access keys.
func (s *Server) AccountStats(accountID string) map[string]int {
	return s.stats.snapshot(&accountID)
}

// ResetStats zeroes every counter.
func (s *Server) ResetStats() {
	s.stats.mu.Lock()
	s.stats.calls = nil
	s.stats.mu.Unlock()
}

// hooks are the functions OnCall registered, run right before an action is
// served.
type hooks struct {
	mu     sync.Mutex
	nextID int
	list   []hook
}

type hook struct {
	id     int
	action string
	fn     func()
}

// OnCall runs fn right before every call of action is served: after
// authentication, faults and throttling let it through, before the
// handler reads or changes the world. action is "ec2:TerminateInstances",
// a bare action name, or "" for every call. fn runs on the request's
// goroutine without the server lock, so it may call Update, GoLive or
// Inject; it may also remove itself. This is how a test changes the world
// between a client's last check and its call.
func (s *Server) OnCall(action string, fn func()) (remove func()) {
	h := &s.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	h.nextID++
	id := h.nextID
	h.list = append(h.list, hook{id: id, action: action, fn: fn})
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		for i, x := range h.list {
			if x.id == id {
				h.list = append(h.list[:i:i], h.list[i+1:]...)
				return
			}
		}
	}
}

func (h *hooks) run(name string) {
	_, bare, _ := strings.Cut(name, ":")
	h.mu.Lock()
	var fns []func()
	for _, x := range h.list {
		if x.action == "" || x.action == name || x.action == bare {
			fns = append(fns, x.fn)
		}
	}
	h.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

package sim

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
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
//	GET  /_sim/faults              the active faults and the throttle setting
//	POST /_sim/faults              inject a fault: fields as query or form
//	                               parameters, a JSON object, or spec=SPEC;
//	                               answers 201 {"id":N,"fault":{...}}
//	DELETE /_sim/faults            remove every fault
//	DELETE /_sim/faults/ID         remove one fault
//	GET  /_sim/bursts              the periodic throttling pattern
//	POST /_sim/bursts?every=60s&for=15s[&service=ec2]
//	                               throttle every call to the service for
//	                               the last 15 s of every 60 s
//	DELETE /_sim/bursts            no more bursts
//	GET  /_sim/clock               {"worldTime":"..."}: time inside the world
//	POST /_sim/clock?advance=2h    move it forward (snapshot progress,
//	                               timestamps of what happens next)
//	POST /_sim/ecs/delete-service?cluster=NAME&service=NAME[&account=ID][&region=R]
//	                               delete an ECS service as another
//	                               engineer's console would (forced;
//	                               default acme-prod, us-east-1)
//
// Errors come back as {"error":"..."} with a 4xx status.

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	q := r.URL.Query()
	if idText, ok := strings.CutPrefix(path, "/_sim/faults/"); ok {
		s.serveFault(w, r, idText)
		return
	}
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
	case "GET /_sim/bursts":
		writeJSON(w, http.StatusOK, map[string]any{"bursts": burstsJSON(s.CurrentBursts())})
	case "POST /_sim/bursts":
		s.postBursts(w, r)
	case "DELETE /_sim/bursts":
		s.SetBursts(Bursts{})
		writeJSON(w, http.StatusOK, map[string]any{"bursts": burstsJSON(Bursts{})})
	case "GET /_sim/clock":
		writeJSON(w, http.StatusOK, map[string]any{"worldTime": s.WorldTime().UTC().Format(time.RFC3339)})
	case "POST /_sim/clock":
		s.postClock(w, r)
	case "POST /_sim/ecs/delete-service":
		s.postDeleteService(w, r)
	case "GET /_sim/faults":
		s.listFaults(w)
	case "POST /_sim/faults":
		s.postFault(w, r)
	case "DELETE /_sim/faults":
		n := len(s.faults.snapshot())
		s.ClearFaults()
		writeJSON(w, http.StatusOK, map[string]any{"cleared": n})
	default:
		known := map[string]bool{"/_sim/stats": true, "/_sim/stats/reset": true, "/_sim/reset": true, "/_sim/go-live": true, "/_sim/throttling": true, "/_sim/faults": true, "/_sim/bursts": true, "/_sim/ecs/delete-service": true, "/_sim/clock": true}
		if known[path] {
			writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": "method " + r.Method + " not allowed on " + path})
			return
		}
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "no control endpoint " + path + "; GET /_sim/ lists them"})
	}
}

// controlHelp is what GET /_sim/ answers.
var controlHelp = `airlock simulated AWS: control endpoints
GET  /_sim/stats[?account=ID]        call counters keyed service:Action
POST /_sim/stats/reset               zero the counters
POST /_sim/reset                     back to the scenario's initial world
POST /_sim/go-live[?account=ID]      move the EIPs from blue to green (default acme-prod)
POST /_sim/throttling?on=true|false  EC2 token-bucket throttling
GET  /_sim/faults                    active faults and the throttle setting
POST /_sim/faults                    inject one: kind=KIND [account=ID] [action=ACTION]
                                     [times=N] [page=N] [latency=DURATION]
                                     as query, form or JSON fields, or spec=KIND,key=value,...
DELETE /_sim/faults                  remove every fault
DELETE /_sim/faults/ID               remove one
GET  /_sim/bursts                    the periodic throttling pattern
POST /_sim/bursts?every=60s&for=15s[&service=ec2]
                                     throttle the service for the last 15 s of every 60 s
DELETE /_sim/bursts                  no more bursts
GET  /_sim/clock                     time inside the world
POST /_sim/clock?advance=2h          move it forward (snapshot progress, new timestamps)
POST /_sim/ecs/delete-service?cluster=NAME&service=NAME[&account=ID][&region=R]
                                     delete an ECS service as another console would
                                     (forced; default acme-prod, us-east-1)
Fault kinds: ` + kindList() + `
'go doc github.com/airlock-ops/airlock/awsstate/sim' has the details.
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

// listFaults answers GET /_sim/faults. Throttling is listed with the faults
// because it makes calls fail too, although it is switched on its own.
func (s *Server) listFaults(w http.ResponseWriter) {
	list := []faultDoc{}
	for _, f := range s.faults.snapshot() {
		list = append(list, newFaultDoc(f))
	}
	writeJSON(w, http.StatusOK, map[string]any{"faults": list, "throttling": s.throttle.on.Load()})
}

// faultDoc is one fault as the control API shows it; spec is the same
// fault as airlock sim --fault and spec= take it.
type faultDoc struct {
	ID      int    `json:"id"`
	Spec    string `json:"spec"`
	Kind    string `json:"kind"`
	Account string `json:"account,omitempty"`
	Action  string `json:"action,omitempty"`
	Times   int    `json:"times,omitempty"`
	Left    *int   `json:"left,omitempty"` // calls still to hit, when Times > 0
	Page    int    `json:"page,omitempty"`
	Latency string `json:"latency,omitempty"`
}

func newFaultDoc(f activeFault) faultDoc {
	d := faultDoc{ID: f.id, Spec: f.String(), Kind: f.Kind.String(), Account: f.Account,
		Action: f.Action, Times: f.Times, Page: f.Page}
	if f.left >= 0 {
		left := f.left
		d.Left = &left
	}
	if f.Kind == FaultLatency {
		d.Latency = f.Latency.String()
	}
	return d
}

// postFault answers POST /_sim/faults.
func (s *Server) postFault(w http.ResponseWriter, r *http.Request) {
	f, err := faultFromRequest(w, r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
		return
	}
	id, err := s.injectChecked(f)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "fault": newFaultDoc(activeFault{Fault: f, id: id, left: leftOf(f)})})
}

func leftOf(f Fault) int {
	if f.Times > 0 {
		return f.Times
	}
	return -1
}

// faultFromRequest reads a fault from the query string together with a
// form or JSON body. A lone spec field is a whole fault spec.
func faultFromRequest(w http.ResponseWriter, r *http.Request) (Fault, error) {
	var pairs [][2]string
	add := func(v url.Values) {
		for _, k := range slices.Sorted(maps.Keys(v)) {
			for _, x := range v[k] {
				pairs = append(pairs, [2]string{k, x})
			}
		}
	}
	add(r.URL.Query())
	if r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
		if err != nil {
			return Fault{}, fmt.Errorf("reading the body: %v", err)
		}
		if len(strings.TrimSpace(string(body))) > 0 {
			ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			switch ct {
			case "application/json":
				fields, err := jsonFields(body)
				if err != nil {
					return Fault{}, err
				}
				pairs = append(pairs, fields...)
			case "application/x-www-form-urlencoded", "":
				form, err := url.ParseQuery(string(body))
				if err != nil {
					return Fault{}, fmt.Errorf("the body is not a form (expected key=value&...): %v", err)
				}
				add(form)
			default:
				return Fault{}, fmt.Errorf("content type %s is not supported (expected application/json or application/x-www-form-urlencoded)", ct)
			}
		}
	}
	if len(pairs) == 1 && pairs[0][0] == "spec" {
		return ParseFault(pairs[0][1])
	}
	for _, p := range pairs {
		if p[0] == "spec" {
			return Fault{}, fmt.Errorf("spec must come alone (expected either spec=SPEC or separate fields)")
		}
	}
	if len(pairs) == 0 {
		return Fault{}, fmt.Errorf("no fault given (expected kind=KIND and optional fields, or spec=SPEC; kinds: %s)", kindList())
	}
	return faultFromFields(pairs)
}

// jsonFields reads a flat JSON object whose values are strings or numbers.
func jsonFields(body []byte) ([][2]string, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, fmt.Errorf("the body is not a JSON object (expected {\"kind\":\"...\", ...}): %v", err)
	}
	var pairs [][2]string
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		switch v := obj[k].(type) {
		case string:
			pairs = append(pairs, [2]string{k, v})
		case json.Number:
			pairs = append(pairs, [2]string{k, v.String()})
		default:
			return nil, fmt.Errorf("%s: expected a string or a number, got %s", k, jsonType(v))
		}
	}
	return pairs, nil
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	default:
		return "an object"
	}
}

// serveFault answers /_sim/faults/ID.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, idText string) {
	if r.Method != http.MethodDelete {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": "method " + r.Method + " not allowed on /_sim/faults/ID (expected DELETE)"})
		return
	}
	id, err := strconv.Atoi(idText)
	if err != nil || id < 1 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf("fault ID %q is not a number (expected the id POST /_sim/faults returned)", idText)})
		return
	}
	if !s.faults.removeID(id) {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": fmt.Sprintf("no active fault %d (used up, removed, or never injected; GET /_sim/faults lists them)", id)})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"removed": id})
}

// burstsJSON shows a pattern with readable durations.
func burstsJSON(b Bursts) map[string]any {
	if b.Every == 0 {
		return map[string]any{"on": false}
	}
	return map[string]any{"on": true, "every": b.Every.String(), "for": b.For.String(), "service": b.Service}
}

// postBursts installs a pattern from query or form fields every, for and
// service (default ec2).
func (s *Server) postBursts(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "cannot read the form: " + err.Error()})
		return
	}
	b := Bursts{Service: cmp.Or(r.Form.Get("service"), "ec2")}
	for _, f := range []struct {
		name string
		d    *time.Duration
	}{{"every", &b.Every}, {"for", &b.For}} {
		v := r.Form.Get(f.name)
		d, err := time.ParseDuration(v)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf("%s must be a Go duration such as 60s, got %q", f.name, v)})
			return
		}
		*f.d = d
	}
	if err := s.SetBursts(b); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"bursts": burstsJSON(b)})
}

// postDeleteService answers POST /_sim/ecs/delete-service: cluster and
// service are required, account (default acme-prod) and region (default
// us-east-1) optional, as query or form fields. 200 with the service as it
// is now (DRAINING) and how many tasks ran before; 404 for an unknown
// cluster or service; 409 for one already being deleted.
func (s *Server) postDeleteService(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "cannot read the form: " + err.Error()})
		return
	}
	cluster, service := r.Form.Get("cluster"), r.Form.Get("service")
	if cluster == "" || service == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "cluster and service are required (expected ?cluster=NAME&service=NAME)"})
		return
	}
	account := cmp.Or(r.Form.Get("account"), ProdAccountID)
	region := cmp.Or(r.Form.Get("region"), "us-east-1")
	snap, err := s.DeleteECSService(account, region, cluster, service)
	switch {
	case errors.Is(err, ErrNotActive):
		writeJSON(w, http.StatusConflict, map[string]any{"error": err.Error()})
	case err != nil:
		writeJSON(w, http.StatusNotFound, map[string]any{"error": err.Error()})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"service": snap})
	}
}

// postClock answers POST /_sim/clock?advance=DURATION with the new world
// time.
func (s *Server) postClock(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "cannot read the form: " + err.Error()})
		return
	}
	v := r.Form.Get("advance")
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf("advance must be a positive Go duration such as 2h or 90m, got %q", v)})
		return
	}
	if err := s.Advance(d); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"worldTime": s.WorldTime().UTC().Format(time.RFC3339)})
}

package sim

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// FaultKind selects what an injected Fault does to the calls it matches.
type FaultKind int

// The fault kinds. Error faults answer in the protocol of the service
// called, with the code AWS uses there:
//
//	kind                 EC2                              STS, IAM
//	FaultThrottle        503 RequestLimitExceeded         400 Throttling
//	FaultAccessDenied    403 UnauthorizedOperation        403 AccessDenied
//	FaultExpiredToken    400 RequestExpired               403 ExpiredToken
//	FaultInternalError   500 InternalError                500 InternalFailure
//	FaultPageError       500 InternalError, on page Page  (same, page 1 only)
//
// EC2 reports expired temporary credentials as RequestExpired ("Request has
// expired."), not ExpiredToken: see aws/aws-sdk-go-v2#1674 (expired SSO
// credentials against EC2) and jenkinsci/ec2-plugin#1008, which handles both
// codes for that reason. STS and IAM say ExpiredToken. A client that
// explains expired credentials must recognise both.
//
// The SDK's standard retryer retries throttling, 5xx and dropped
// connections by itself (up to 3 attempts); use Times to let a retry
// succeed.
const (
	// FaultLatency delays the call by Fault.Latency, then lets it through.
	FaultLatency FaultKind = iota + 1
	FaultThrottle
	FaultAccessDenied
	FaultExpiredToken
	// FaultDropConnection closes the TCP connection without answering.
	FaultDropConnection
	// FaultPageError fails the request for page Fault.Page (1-based) of a
	// paginated listing; Page 0 fails every page.
	FaultPageError
	FaultInternalError
)

var faultNames = map[FaultKind]string{
	FaultLatency:        "latency",
	FaultThrottle:       "throttle",
	FaultAccessDenied:   "access-denied",
	FaultExpiredToken:   "expired-token",
	FaultDropConnection: "drop-connection",
	FaultPageError:      "page-error",
	FaultInternalError:  "internal-error",
}

func (k FaultKind) String() string {
	if n, ok := faultNames[k]; ok {
		return n
	}
	return "unknown"
}

// Fault describes calls to disturb and how.
type Fault struct {
	Account string // account ID; "" matches every account
	// Action is "service:Action" ("ec2:DescribeSubnets"), a bare action name
	// (any service), or "" for every call.
	Action  string
	Kind    FaultKind
	Times   int           // how many matching calls it hits; 0 = all of them
	Page    int           // FaultPageError: the page to fail (1-based); 0 = every page
	Latency time.Duration // FaultLatency: the delay
}

// Inject adds a fault. Faults apply in the order injected: every matching
// latency fault adds its delay, then the first matching error fault
// answers. remove takes the fault out (safe to call more than once).
func (s *Server) Inject(f Fault) (remove func()) {
	return s.faults.add(f)
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() { s.faults.clear() }

type faultSet struct {
	mu     sync.Mutex
	nextID int
	list   []*activeFault
}

type activeFault struct {
	Fault
	id   int
	left int // calls still to hit; -1 = unlimited
}

func (fs *faultSet) add(f Fault) func() {
	id := fs.addID(f)
	return func() { fs.removeID(id) }
}

// addID adds a fault and returns its ID, unique for the server's life.
func (fs *faultSet) addID(f Fault) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.nextID++
	af := &activeFault{Fault: f, id: fs.nextID, left: -1}
	if f.Times > 0 {
		af.left = f.Times
	}
	fs.list = append(fs.list, af)
	return af.id
}

// removeID removes a fault and reports whether it was still there (a
// fault with Times goes by itself once used up).
func (fs *faultSet) removeID(id int) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.remove(id)
}

// snapshot copies the active faults, in the order they apply.
func (fs *faultSet) snapshot() []activeFault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]activeFault, len(fs.list))
	for i, f := range fs.list {
		out[i] = *f
	}
	return out
}

func (fs *faultSet) clear() {
	fs.mu.Lock()
	fs.list = nil
	fs.mu.Unlock()
}

// remove drops a fault by ID; callers hold fs.mu.
func (fs *faultSet) remove(id int) bool {
	for i, f := range fs.list {
		if f.id == id {
			fs.list = append(fs.list[:i:i], fs.list[i+1:]...)
			return true
		}
	}
	return false
}

func (f *activeFault) matches(c *call, page int) bool {
	if f.Account != "" && f.Account != c.acct.ID {
		return false
	}
	if f.Action != "" && f.Action != c.name() && f.Action != c.action {
		return false
	}
	if f.Kind == FaultPageError && f.Page != 0 && f.Page != page {
		return false
	}
	return true
}

// apply runs the faults that match the call: it sleeps for the latency
// faults and returns the first error fault's error. When the connection was
// dropped or the client left during the delay, it sets c.answered.
func (fs *faultSet) apply(c *call, page int) error {
	var delay time.Duration
	var hit *activeFault
	fs.mu.Lock()
	for _, f := range append([]*activeFault(nil), fs.list...) {
		if !f.matches(c, page) || (f.Kind != FaultLatency && hit != nil) {
			continue
		}
		if f.Kind == FaultLatency {
			delay += f.Latency
		} else {
			hit = f
		}
		if f.left > 0 {
			if f.left--; f.left == 0 {
				fs.remove(f.id)
			}
		}
	}
	fs.mu.Unlock()

	if !sleep(c.r.Context(), delay) {
		c.answered = true
		return nil
	}
	if hit == nil {
		return nil
	}
	switch hit.Kind {
	case FaultThrottle:
		return errThrottled(c)
	case FaultAccessDenied:
		return errAccessDenied(c)
	case FaultExpiredToken:
		if c.proto == protoEC2 {
			return badRequest("RequestExpired", "Request has expired.")
		}
		return newError(http.StatusForbidden, "ExpiredToken", "The security token included in the request is expired")
	case FaultDropConnection:
		dropConnection(c)
		return nil
	case FaultPageError, FaultInternalError:
		return errInternal(c)
	}
	return nil
}

// errThrottled is what a throttled call gets, from the bucket or a fault.
// EC2 documents RequestLimitExceeded with HTTP 503 ("Request throttling for
// the Amazon EC2 API"); the query services say Throttling, "Rate exceeded".
func errThrottled(c *call) *apiError {
	if c.proto == protoEC2 {
		return newError(http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded.")
	}
	return badRequest("Throttling", "Rate exceeded")
}

// errAccessDenied names the caller and the action, as IAM's implicit deny
// does, so an operator can tell which permission is missing.
func errAccessDenied(c *call) *apiError {
	perm := c.service + ":" + c.action
	if c.proto == protoEC2 {
		return newError(http.StatusForbidden, "UnauthorizedOperation",
			"You are not authorized to perform this operation. User: %s is not authorized to perform: %s because no identity-based policy allows the %s action",
			c.acct.arn(), perm, perm)
	}
	return newError(http.StatusForbidden, "AccessDenied",
		"User: %s is not authorized to perform: %s on resource: * because no identity-based policy allows the %s action",
		c.acct.arn(), perm, perm)
}

func errInternal(c *call) *apiError {
	if c.proto == protoEC2 {
		return newError(http.StatusInternalServerError, "InternalError", "An internal error has occurred")
	}
	return newError(http.StatusInternalServerError, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.")
}

// dropConnection closes the client's TCP connection without a response,
// like a load balancer reset mid-request. Where the connection cannot be
// taken over (HTTP/2), aborting the handler has the same effect on the
// client: net/http resets the stream and logs nothing for ErrAbortHandler.
func dropConnection(c *call) {
	c.answered = true
	if hj, ok := c.w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// throttle is EC2's request rate limiting: a token bucket per account,
// region and action. Sizes from "Request throttling for the Amazon EC2 API"
// (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html):
// non-mutating actions (Describe*) hold 100 tokens and refill 20 per second;
// mutating actions hold 50 and refill 5 per second. Each call costs one
// token; an empty bucket answers RequestLimitExceeded. Only EC2 is
// throttled; STS and IAM limits are far from anything airlock does.
type throttle struct {
	on      atomic.Bool
	mu      sync.Mutex
	buckets map[bucketKey]*bucket
}

type bucketKey struct{ account, region, action string }

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

const (
	readBurst, readRefill   = 100, 20
	writeBurst, writeRefill = 50, 5
)

// EnableThrottling turns EC2's token-bucket throttling on or off. Turning
// it on starts every bucket full.
func (s *Server) EnableThrottling(on bool) {
	s.throttle.mu.Lock()
	s.throttle.buckets = nil
	s.throttle.mu.Unlock()
	s.throttle.on.Store(on)
}

// take spends a token for one call and reports whether there was one.
func (t *throttle) take(account, region, action string, mutating bool, now time.Time) bool {
	if !t.on.Load() {
		return true
	}
	burst, refill := float64(readBurst), float64(readRefill)
	if mutating {
		burst, refill = writeBurst, writeRefill
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.buckets == nil {
		t.buckets = map[bucketKey]*bucket{}
	}
	k := bucketKey{account, region, action}
	b, ok := t.buckets[k]
	if !ok {
		b = &bucket{tokens: burst, at: now}
		t.buckets[k] = b
	}
	if elapsed := now.Sub(b.at).Seconds(); elapsed > 0 {
		b.tokens = min(burst, b.tokens+elapsed*refill)
		b.at = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

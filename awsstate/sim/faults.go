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
//	kind                EC2                        STS, IAM, Auto Scaling  ECS (JSON 1.1)
//	FaultThrottle       503 RequestLimitExceeded   400 Throttling          400 ThrottlingException
//	FaultAccessDenied   403 UnauthorizedOperation  403 AccessDenied        400 AccessDeniedException
//	FaultExpiredToken   400 RequestExpired         403 ExpiredToken        400 ExpiredTokenException
//	FaultInternalError  500 InternalError          500 InternalFailure     500 ServerException
//	FaultPageError      the internal error, on page Page of a listing (any page of a paginated one)
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
		return c.proto.throttled()
	case FaultAccessDenied:
		// Named as IAM's implicit deny does, so an operator can tell which
		// permission is missing.
		return c.proto.accessDenied(c.acct.arn(), c.service+":"+c.action)
	case FaultExpiredToken:
		return c.proto.expiredToken()
	case FaultDropConnection:
		dropConnection(c)
		return nil
	case FaultPageError, FaultInternalError:
		return c.proto.internal()
	}
	return nil
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

// throttle is AWS's request rate limiting: token buckets per account,
// region and bucket, where each service decides which bucket a call draws
// from and its size (service.limits). Each call costs one token; an empty
// bucket answers the protocol's throttling error.
type throttle struct {
	on      atomic.Bool
	mu      sync.Mutex
	buckets map[bucketKey]*bucket
}

// bucketKey names one bucket; name is "service:bucket".
type bucketKey struct{ account, region, name string }

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// rateLimit is a bucket's size: how many tokens it holds when full and
// how many it gains per second.
type rateLimit struct{ burst, refill float64 }

// EC2's buckets, from "Request throttling for the Amazon EC2 API"
// (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html):
// each non-mutating action (Describe*) has its own bucket of 100 tokens
// refilling 20 per second; each mutating action 50 and 5.
var (
	ec2ReadLimit  = rateLimit{burst: 100, refill: 20}
	ec2WriteLimit = rateLimit{burst: 50, refill: 5}
)

func ec2Limits(action string, mutating bool) (string, rateLimit) {
	if mutating {
		return action, ec2WriteLimit
	}
	return action, ec2ReadLimit
}

// sharedLimits is the model for Auto Scaling and ECS, which do not publish
// their bucket sizes: every Describe/List call of the service draws from
// one shared bucket (about 20 calls per second sustained, the figure the
// capacity issue plans with), and each mutating action has its own smaller
// one. It is a model, not a measurement.
func sharedLimits(action string, mutating bool) (string, rateLimit) {
	if mutating {
		return action, rateLimit{burst: 20, refill: 2}
	}
	return "reads", rateLimit{burst: 40, refill: 20}
}

// EnableThrottling turns the token-bucket throttling of every service on
// or off. Turning it on starts every bucket full.
func (s *Server) EnableThrottling(on bool) {
	s.throttle.mu.Lock()
	s.throttle.buckets = nil
	s.throttle.mu.Unlock()
	s.throttle.on.Store(on)
}

// take spends a token from bucket k and reports whether there was one.
func (t *throttle) take(k bucketKey, l rateLimit, now time.Time) bool {
	if !t.on.Load() {
		return true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.buckets == nil {
		t.buckets = map[bucketKey]*bucket{}
	}
	b, ok := t.buckets[k]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		t.buckets[k] = b
	}
	if elapsed := now.Sub(b.at).Seconds(); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed*l.refill)
		b.at = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

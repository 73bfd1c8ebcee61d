package sim

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a Server.
type Options struct {
	// Scenario names the initial world; "" means "demo". See Scenarios.
	Scenario string
	// Instances > 0 replaces us-east-1 of both demo accounts with a
	// generated fleet of that many instances (see the package doc).
	Instances int
	// Latency is added to every API call (not to /_sim/ control calls).
	Latency time.Duration
	// Seed drives the random choices of generated worlds; the same seed
	// gives the same world.
	Seed int64
	// Epoch anchors every timestamp in the world (launch times, status
	// events). Zero means DemoEpoch, which keeps tests and golden files
	// stable; the live demo may pass time.Now() so ages read naturally.
	Epoch time.Time
	// StateDelay is how long the transitional states (pending, stopping,
	// shutting-down) last after an action before settling. Zero settles them
	// on the next API call, which suits tests.
	StateDelay time.Duration
	// CredentialLifetime, when positive, is how long every AssumeRole
	// session lasts, whatever DurationSeconds asked for (which is still
	// validated), so a test can watch credentials expire in seconds. The
	// Expiration returned says so truthfully.
	CredentialLifetime time.Duration
}

// Server is the simulated AWS: an http.Handler serving EC2, STS and IAM on
// one endpoint, plus the /_sim/ control API. It is safe for concurrent use.
type Server struct {
	opts  Options
	build func() *world // the scenario, for New and Reset

	mu sync.RWMutex // guards w
	w  *world

	faults   faultSet
	throttle throttle
	stats    stats
	hooks    hooks
	pending  transitions
	sessions sessions // temporary credentials from AssumeRole (sessions.go)

	reqSeq atomic.Uint64
	// now is the clock for the throttle buckets and state transitions;
	// tests in this package replace it.
	now func() time.Time
}

// New builds a server with the world opts describe.
func New(o Options) (*Server, error) {
	if o.Epoch.IsZero() {
		o.Epoch = DemoEpoch
	}
	if o.Instances < 0 {
		return nil, fmt.Errorf("sim: Instances must not be negative, got %d", o.Instances)
	}
	build, err := scenario(o)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: o, build: build, now: time.Now}
	s.w = build()
	return s, nil
}

// Reset puts the world back to the scenario's initial state. Faults, the
// throttle setting, hooks and call counters are left alone: they belong to
// the test, not to the world.
func (s *Server) Reset() {
	w := s.build()
	s.mu.Lock()
	s.w = w
	s.mu.Unlock()
	s.pending.clear()
}

// service describes one simulated AWS service.
type service struct {
	proto   protocol
	ns      string // XML namespace of responses and query-protocol errors
	actions map[string]action
}

// action is one API operation. Handlers return the response document or an
// error; they take the server lock themselves (reads RLock, writes Lock).
type action struct {
	fn func(s *Server, c *call) (any, error)
	// mutating selects EC2's smaller throttle bucket.
	mutating bool
}

// services is the routing table: SigV4 signing name → service → action.
var services = map[string]service{
	"ec2": {proto: protoEC2, ns: ec2NS, actions: map[string]action{
		"DescribeInstances":         {fn: (*Server).describeInstances},
		"DescribeAddresses":         {fn: (*Server).describeAddresses},
		"DescribeSubnets":           {fn: (*Server).describeSubnets},
		"DescribeInstanceStatus":    {fn: (*Server).describeInstanceStatus},
		"DescribeInstanceAttribute": {fn: (*Server).describeInstanceAttribute},
		"TerminateInstances":        {fn: (*Server).terminateInstances, mutating: true},
		"StopInstances":             {fn: (*Server).stopInstances, mutating: true},
		"AssociateAddress":          {fn: (*Server).associateAddress, mutating: true},
		"DisassociateAddress":       {fn: (*Server).disassociateAddress, mutating: true},
		"ReleaseAddress":            {fn: (*Server).releaseAddress, mutating: true},
	}},
	"sts": {proto: protoQuery, ns: stsNS, actions: map[string]action{
		"GetCallerIdentity": {fn: (*Server).getCallerIdentity},
		"AssumeRole":        {fn: (*Server).assumeRole},
	}},
	"iam": {proto: protoQuery, ns: iamNS, actions: map[string]action{
		"ListAccountAliases": {fn: (*Server).listAccountAliases},
	}},
}

// call is one API request on its way through the server.
type call struct {
	w         http.ResponseWriter
	r         *http.Request
	requestID string

	service string // SigV4 signing name: ec2, sts, iam
	action  string
	region  string
	key     string // access key ID
	p       params
	proto   protocol
	ns      string

	acct *account // resolved from key; nil until then
	// answered is set when the response was already dealt with (connection
	// dropped, client gone) and nothing more may be written.
	answered bool
}

// name is the call's counter and fault key, "ec2:DescribeInstances".
func (c *call) name() string { return c.service + ":" + c.action }

// ServeHTTP serves the AWS APIs and, under /_sim/, the control API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_sim" || strings.HasPrefix(r.URL.Path, "/_sim/") {
		s.serveControl(w, r)
		return
	}
	c := &call{w: w, r: r, requestID: s.newRequestID(), proto: protoQuery, ns: stsNS}
	out, err := s.serveAPI(c)
	switch {
	case c.answered:
	case err != nil:
		writeError(w, c.proto, c.ns, c.requestID, err)
	default:
		writeXML(w, http.StatusOK, c.requestID, out)
	}
}

// maxBody bounds a request body; the largest real request (1000 instance
// IDs) is far below it.
const maxBody = 1 << 20

// serveAPI routes one request: credential scope → service and account,
// Action → handler, then latency, faults, throttle and hooks, in the order
// AWS would reject a request (authentication before authorisation before
// rate limits).
func (s *Server) serveAPI(c *call) (any, error) {
	sc, scoped := credentialScope(c.r)
	c.service, c.region, c.key = sc.service, sc.region, sc.key
	svc, known := services[c.service]
	if known {
		c.proto, c.ns = svc.proto, svc.ns
	}

	form, err := readForm(c.w, c.r)
	if err != nil {
		return nil, badRequest("MalformedQueryString", "The request could not be parsed: %v", err)
	}
	c.p = params(form)
	c.action = c.p.str("Action")

	if !scoped {
		return nil, newError(http.StatusUnauthorized, "MissingAuthenticationToken",
			"Request is missing Authentication Token")
	}
	if !known {
		return nil, badRequest("InvalidAction", "The simulated AWS does not serve the service %q (only ec2, sts, iam).", c.service)
	}
	if c.action == "" {
		return nil, badRequest("MissingAction", "The request must contain the parameter Action")
	}
	act, ok := svc.actions[c.action]
	if !ok {
		return nil, badRequest("InvalidAction", "The action %s is not valid for this web service.", c.action)
	}

	s.mu.RLock()
	if id, ok := s.w.keys[c.key]; ok {
		c.acct = s.w.accounts[id]
	}
	s.mu.RUnlock()
	if c.acct == nil {
		c.acct = s.sessionAccount(c.key) // temporary credentials (sessions.go)
	}
	// Counted from here on: the request reached an action, whatever happens
	// to it next.
	s.stats.add(c.acctID(), c.name())

	if c.acct == nil {
		return nil, errUnknownKey(c)
	}
	if err := s.checkSession(c); err != nil {
		return nil, err
	}
	if !validRegion.MatchString(c.region) {
		return nil, authFailure(c, "Credential should be scoped to a valid region. ")
	}

	if !sleep(c.r.Context(), s.opts.Latency) {
		c.answered = true // the client has gone; there is nobody to answer
		return nil, nil
	}
	if err := s.faults.apply(c, pageNumber(c.action, c.p.str("NextToken"))); err != nil || c.answered {
		return nil, err
	}
	if c.service == "ec2" && !s.throttle.take(c.acct.ID, c.region, c.action, act.mutating, s.now()) {
		return nil, errThrottled(c)
	}
	if c.service == "ec2" {
		dry, err := c.p.boolean("DryRun")
		if err != nil {
			return nil, err
		}
		if dry {
			return nil, dryRun()
		}
	}
	s.hooks.run(c.name())
	s.settle()
	return act.fn(s, c)
}

func (c *call) acctID() string {
	if c.acct == nil {
		return ""
	}
	return c.acct.ID
}

// readForm returns the query parameters of the URL and the form-encoded
// body together, as the query protocol allows either. It reads the body
// through a MaxBytesReader without installing it as r.Body: net/http can
// then see that the body was read to the end and keep the connection
// alive. (With r.Body replaced by a type it does not know, the server
// cannot tell, closes the connection after every response, and the SDK,
// which stops reading at the end of the XML document, races the close.)
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	form := r.URL.Query()
	if r.Body == nil || r.Body == http.NoBody {
		return form, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return nil, err
	}
	posted, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	for k, v := range posted {
		form[k] = append(form[k], v...)
	}
	return form, nil
}

// validRegion accepts names shaped like AWS regions (us-east-1,
// us-gov-west-1, ap-southeast-4): the sim serves any of them, empty when the
// account has nothing there, but rejects garbage the way AWS rejects a
// credential scope it does not know.
var validRegion = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// scope is the SigV4 credential scope: AKID/date/region/service/aws4_request.
type scope struct {
	key, date, region, service string
}

// credentialScope reads the scope from the Authorization header or, for
// presigned requests, from X-Amz-Credential. Signatures are not checked:
// the sim trusts whoever holds a known access key ID.
func credentialScope(r *http.Request) (scope, bool) {
	var cred string
	if h := r.Header.Get("Authorization"); h != "" {
		_, rest, ok := strings.Cut(h, "Credential=")
		if !ok {
			return scope{}, false
		}
		cred, _, _ = strings.Cut(rest, ",")
		cred = strings.TrimSpace(cred)
	} else {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || parts[0] == "" {
		return scope{}, false
	}
	return scope{key: parts[0], date: parts[1], region: parts[2], service: parts[3]}, true
}

// errUnknownKey is each protocol's answer to an access key AWS has never
// issued.
func errUnknownKey(c *call) *apiError {
	if c.proto == protoEC2 {
		return authFailure(c, "AWS was not able to validate the provided access credentials")
	}
	return newError(http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
}

func authFailure(c *call, msg string) *apiError {
	if c.proto == protoEC2 {
		return newError(http.StatusUnauthorized, "AuthFailure", "%s", msg)
	}
	return newError(http.StatusForbidden, "SignatureDoesNotMatch", "%s", msg)
}

// newRequestID returns a UUID-shaped request ID, unique per server and
// increasing, so logs and audit records can be matched to sim calls.
func (s *Server) newRequestID() string {
	n := s.reqSeq.Add(1)
	return fmt.Sprintf("51a00000-0000-4000-8000-%012x", n)
}

// sleep waits d or until ctx is done; it reports whether the full time
// passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// region returns the caller's region. It looks the account up again rather
// than trusting c.acct, because a Reset may have replaced the world since
// the call was routed. A region the account has never used is served as an
// empty one (not stored: a failed or read-only call leaves no trace).
// Callers hold s.mu.
func (s *Server) region(c *call) *Region {
	if a, ok := s.w.accounts[c.acct.ID]; ok {
		if r, ok := a.regions[c.region]; ok {
			return r
		}
	}
	return newRegion(c.region, c.acct.ID, "00")
}

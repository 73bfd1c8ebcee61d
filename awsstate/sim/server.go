package sim

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
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
	// Services > 0 replaces the ECS side of us-east-1 in both demo
	// accounts with that many generated services in clusters of 100
	// (2,000 services: 20 clusters). Zero means one service per five
	// generated instances, or the demo's own when Instances is zero.
	Services int
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

// Server is the simulated AWS: an http.Handler serving EC2, Auto Scaling,
// STS and IAM (and ECS's protocol) on one endpoint, plus the /_sim/ control
// API. It is safe for concurrent use.
type Server struct {
	opts  Options
	build func() *world // the scenario, for New and Reset

	mu sync.RWMutex // guards w
	w  *world

	faults   faultSet
	throttle throttle
	stats    stats
	hooks    hooks
	pending  deferredWork // instance transitions (startTransition)
	sessions sessions     // temporary credentials from AssumeRole (sessions.go)
	retries  retries
	deferred deferredWork
	bursts   burstState
	// started is when the server was built, on its own clock: world time
	// (worldNow) runs from Options.Epoch at that instant, plus skew
	// (nanoseconds Advance added; Reset keeps it, time does not go back).
	started time.Time
	skew    atomic.Int64

	// services is the routing table, services unless a test adds one.
	services map[string]service

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
	if o.Services < 0 {
		return nil, fmt.Errorf("sim: Services must not be negative, got %d", o.Services)
	}
	build, err := scenario(o)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: o, build: build, now: time.Now, services: services}
	s.started = s.now()
	s.bursts.b = scenarios[cmp.Or(o.Scenario, "demo")].bursts
	s.w = build()
	s.scheduleShortGroups()
	return s, nil
}

// Reset puts the world back to the scenario's initial state, and
// reschedules the retries of groups that start short. Faults, the throttle
// setting, bursts, hooks and call counters are left alone: they belong to
// the test, not to the world.
func (s *Server) Reset() {
	w := s.build()
	s.mu.Lock()
	s.w = w
	s.mu.Unlock()
	s.pending.clear()
	s.retries.clear()
	s.deferred.clear()
	s.scheduleShortGroups()
}

// service describes one simulated AWS service.
type service struct {
	proto   protocol
	ns      string // XML namespace of query-protocol errors
	actions map[string]action
	// limits is the service's rate limiting when throttling is on: the
	// bucket a call draws from and its size; nil means never throttled.
	limits func(action string, mutating bool) (bucket string, l rateLimit)
	// dryRun: the service honours DryRun=true (EC2).
	dryRun bool
}

// action is one API operation. Handlers return the response document or an
// error; they take the server lock themselves (reads RLock, writes Lock).
type action struct {
	fn func(s *Server, c *call) (any, error)
	// mutating selects the smaller throttle bucket.
	mutating bool
}

// services is the routing table: SigV4 signing name → service → action.
// Adding an API is a handler and a row here.
var services = map[string]service{
	"ec2": {proto: ec2Query{}, ns: ec2NS, limits: ec2Limits, dryRun: true, actions: map[string]action{
		"DescribeInstances":              {fn: (*Server).describeInstances},
		"DescribeAddresses":              {fn: (*Server).describeAddresses},
		"DescribeSubnets":                {fn: (*Server).describeSubnets},
		"DescribeInstanceStatus":         {fn: (*Server).describeInstanceStatus},
		"DescribeInstanceAttribute":      {fn: (*Server).describeInstanceAttribute},
		"DescribeImages":                 {fn: (*Server).describeImages},
		"DescribeSecurityGroups":         {fn: (*Server).describeSecurityGroups},
		"DescribeLaunchTemplates":        {fn: (*Server).describeLaunchTemplates},
		"DescribeLaunchTemplateVersions": {fn: (*Server).describeLaunchTemplateVersions},
		"DescribeInstanceTypeOfferings":  {fn: (*Server).describeInstanceTypeOfferings},
		"DescribeVolumes":                {fn: (*Server).describeVolumes},
		"DescribeSnapshots":              {fn: (*Server).describeSnapshots},
		"TerminateInstances":             {fn: (*Server).terminateInstances, mutating: true},
		"StopInstances":                  {fn: (*Server).stopInstances, mutating: true},
		"AssociateAddress":               {fn: (*Server).associateAddress, mutating: true},
		"DisassociateAddress":            {fn: (*Server).disassociateAddress, mutating: true},
		"ReleaseAddress":                 {fn: (*Server).releaseAddress, mutating: true},
	}},
	"autoscaling": autoscalingService,
	"sts": {proto: awsQuery{}, ns: stsNS, actions: map[string]action{
		"GetCallerIdentity": {fn: (*Server).getCallerIdentity},
		"AssumeRole":        {fn: (*Server).assumeRole},
	}},
	"iam": {proto: awsQuery{}, ns: iamNS, actions: map[string]action{
		"ListAccountAliases": {fn: (*Server).listAccountAliases},
	}},
	// ECS speaks JSON 1.1 (ecs.go).
	"ecs": ecsService,
}

// ecsProtocol is ECS's dialect: JSON 1.1 under the target prefix of its
// 2014-11-13 API, ServerException for its own failures.
var ecsProtocol = awsJSON11{target: "AmazonEC2ContainerServiceV20141113", internalCode: "ServerException"}

// call is one API request on its way through the server.
type call struct {
	w         http.ResponseWriter
	r         *http.Request
	requestID string

	service string // SigV4 signing name: ec2, sts, iam, autoscaling, ecs
	action  string
	region  string
	key     string // access key ID
	p       params // query protocols: the form parameters
	body    []byte // JSON protocols: the request body
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
	// Until the service is known, answer as STS would: the generic query
	// dialect is what a client that sent garbage most likely reads.
	c := &call{w: w, r: r, requestID: s.newRequestID(), proto: awsQuery{}, ns: stsNS}
	out, err := s.serveAPI(c)
	switch {
	case c.answered:
	case err != nil:
		e, ok := err.(*apiError)
		if !ok {
			// Only the sim's own bugs get here.
			e = c.proto.internal()
			e.message = "sim: " + err.Error()
		}
		c.proto.encodeError(w, c, e)
	default:
		c.proto.encode(w, c, out)
	}
}

// serveAPI routes one request: credential scope → service and account,
// action → handler, then latency, faults, throttle and hooks, in the order
// AWS would reject a request (authentication before authorisation before
// rate limits).
func (s *Server) serveAPI(c *call) (any, error) {
	sc, scoped := credentialScope(c.r)
	c.service, c.region, c.key = sc.service, sc.region, sc.key
	svc, known := s.services[c.service]
	if known {
		c.proto, c.ns = svc.proto, svc.ns
	}

	req, err := c.proto.decode(c.w, c.r)
	c.action, c.p, c.body = req.action, req.form, req.body
	if err != nil {
		return nil, err
	}

	if !scoped {
		return nil, newError(http.StatusUnauthorized, "MissingAuthenticationToken",
			"Request is missing Authentication Token")
	}
	if !known {
		return nil, badRequest("InvalidAction", "The simulated AWS does not serve the service %q (only %s).", c.service, strings.Join(serviceNames(s.services), ", "))
	}
	if c.action == "" {
		return nil, c.proto.missingAction()
	}
	act, ok := svc.actions[c.action]
	if !ok {
		return nil, c.proto.unknownAction(c.action)
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
		return nil, c.proto.unknownKey()
	}
	if err := s.checkSession(c); err != nil {
		return nil, err
	}
	if !validRegion.MatchString(c.region) {
		return nil, c.proto.badScope("Credential should be scoped to a valid region. ")
	}

	if !sleep(c.r.Context(), s.opts.Latency) {
		c.answered = true // the client has gone; there is nobody to answer
		return nil, nil
	}
	if err := s.faults.apply(c, pageNumber(c.action, req.token)); err != nil || c.answered {
		return nil, err
	}
	if svc.limits != nil {
		bucket, l := svc.limits(c.action, act.mutating)
		if !s.throttle.take(bucketKey{c.acct.ID, c.region, c.service + ":" + bucket}, l, s.now()) {
			return nil, c.proto.throttled()
		}
	}
	if s.inBurst(c.service) {
		return nil, c.proto.throttled()
	}
	if svc.dryRun {
		dry, err := c.p.boolean("DryRun")
		if err != nil {
			return nil, err
		}
		if dry {
			return nil, dryRun()
		}
	}
	s.hooks.run(c.name())
	// Instances settle before groups retry, so a retry counts the members
	// that are really live (later.go).
	s.runDue(&s.pending)
	s.settleScaling()
	s.runDue(&s.deferred)
	return act.fn(s, c)
}

// serviceNames lists the signing names served, sorted, for error messages.
func serviceNames(m map[string]service) []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (c *call) acctID() string {
	if c.acct == nil {
		return ""
	}
	return c.acct.ID
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

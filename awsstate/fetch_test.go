package awsstate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

var allSections = []model.Section{
	model.SectionIdentity, model.SectionInstances, model.SectionAddresses,
	model.SectionSubnets, model.SectionStatus,
}

func TestFetchDemoWorld(t *testing.T) {
	_, url := startSim(t, sim.Options{})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	c.ecsPace = nil // tests count calls, not seconds

	snap := c.Fetch(context.Background())

	for _, s := range allSections {
		r, ok := snap.Sections[s]
		if !ok || !r.Complete || r.Err != nil || r.Calls == 0 {
			t.Errorf("section %s = %+v, present %v; want complete with calls", s, r, ok)
		}
	}
	want := model.Identity{
		AccountID: sim.ProdAccountID,
		ARN:       "arn:aws:iam::" + sim.ProdAccountID + ":user/oncall",
		Alias:     "acme-prod",
	}
	if got := snap.Identity; got.AccountID != want.AccountID || got.ARN != want.ARN || got.Alias != want.Alias {
		t.Errorf("identity = %+v, want %+v", got, want)
	}
	if snap.Region != "us-east-1" || c.Region() != "us-east-1" {
		t.Errorf("region = %q / %q, want us-east-1", snap.Region, c.Region())
	}
	// The demo world: blue (3) + green (3) + 2 untagged instances; three
	// EIPs on blue and one unassociated; subnets in three AZs.
	if len(snap.Instances) != 8 {
		t.Errorf("instances = %d, want 8", len(snap.Instances))
	}
	onBlue, free := 0, 0
	byID := map[string]model.Instance{}
	for _, i := range snap.Instances {
		byID[i.ID] = i
	}
	for _, a := range snap.Addresses {
		switch {
		case !a.Associated():
			free++
		case byID[a.InstanceID].Tags.Get("Cluster") == "blue":
			onBlue++
		}
	}
	if onBlue != 3 || free != 1 {
		t.Errorf("EIPs on blue = %d, unassociated = %d; want 3 and 1 (%+v)", onBlue, free, snap.Addresses)
	}
	// What only the detail view shows: security groups and the
	// instance profile, read from DescribeInstances.
	blue1 := byID["i-01100000000000001"]
	if g := blue1.SecurityGroups; len(g) != 1 || g[0].Name != "acme-web" || !strings.HasPrefix(g[0].ID, "sg-") {
		t.Errorf("blue-web-1 security groups = %+v, want acme-web", g)
	}
	if blue1.IAMProfile != "arn:aws:iam::"+sim.ProdAccountID+":instance-profile/acme-web" {
		t.Errorf("blue-web-1 instance profile = %q", blue1.IAMProfile)
	}
	if p := byID["i-01100000000000007"].IAMProfile; p != "" {
		t.Errorf("the bastion has no instance profile, got %q", p)
	}
	azs := map[string]bool{}
	for _, s := range snap.Subnets {
		azs[s.AZ] = true
	}
	if len(azs) != 3 {
		t.Errorf("subnet AZs = %v, want 3", azs)
	}
	failed := 0
	for _, st := range snap.Statuses {
		if st.Failed() {
			failed++
		}
	}
	if len(snap.Statuses) != 8 || failed != 1 {
		t.Errorf("statuses = %d with %d failed, want 8 with 1 (green is partly failed)", len(snap.Statuses), failed)
	}

	sum := 0
	for _, r := range snap.Sections {
		sum += r.Calls
	}
	if snap.Stats.APICalls != sum || snap.Stats.Duration <= 0 {
		t.Errorf("stats = %+v, want APICalls = %d (the sections' sum) and a duration", snap.Stats, sum)
	}
}

// A refresh costs pages, not items: 2,500 instances in ceil(2500/1000)
// calls, because every page asks for the API's maximum.
func TestFetchPaginatesWithLargestPages(t *testing.T) {
	s, url := startSim(t, sim.Options{Instances: 2500, Seed: 1})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	c.ecsPace = nil // tests count calls, not seconds

	snap := c.Fetch(context.Background())

	r := snap.Sections[model.SectionInstances]
	if !r.Complete || r.Err != nil {
		t.Fatalf("instances section = %+v, want complete", r)
	}
	if len(snap.Instances) != 2500 {
		t.Errorf("instances = %d, want 2500", len(snap.Instances))
	}
	seen := map[string]bool{}
	for _, i := range snap.Instances {
		if seen[i.ID] {
			t.Fatalf("instance %s returned twice", i.ID)
		}
		seen[i.ID] = true
	}
	if got := s.Stats()["ec2:DescribeInstances"]; got != 3 {
		t.Errorf("sim saw %d DescribeInstances calls, want 3", got)
	}
	if r.Calls != 3 {
		t.Errorf("section counted %d calls, want 3", r.Calls)
	}
	if got := s.Stats()["ec2:DescribeInstanceStatus"]; got != 3 {
		t.Errorf("sim saw %d DescribeInstanceStatus calls, want 3", got)
	}
	if len(snap.Statuses) != 2500 {
		t.Errorf("statuses = %d, want 2500", len(snap.Statuses))
	}
}

func TestFetchRetriesThrottling(t *testing.T) {
	s, url := startSim(t, sim.Options{})
	s.Inject(sim.Fault{Action: "ec2:DescribeInstances", Kind: sim.FaultThrottle, Times: 2})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	c.ecsPace = nil // tests count calls, not seconds

	snap := c.Fetch(context.Background())

	r := snap.Sections[model.SectionInstances]
	if !r.Complete || r.Err != nil || len(snap.Instances) != 8 {
		t.Fatalf("instances section = %+v with %d instances, want complete with 8", r, len(snap.Instances))
	}
	if r.Calls != 3 {
		t.Errorf("section counted %d calls, want 3 (two throttled attempts and the good one)", r.Calls)
	}
	if got := s.Stats()["ec2:DescribeInstances"]; got != 3 {
		t.Errorf("sim saw %d DescribeInstances calls, want 3", got)
	}
}

func TestFetchThrottledBeyondRetries(t *testing.T) {
	s, url := startSim(t, sim.Options{})
	s.Inject(sim.Fault{Action: "ec2:DescribeSubnets", Kind: sim.FaultThrottle})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	c.ecsPace = nil // tests count calls, not seconds

	r := c.Fetch(context.Background()).Sections[model.SectionSubnets]

	if r.Complete || KindOf(r.Err) != KindThrottled {
		t.Fatalf("subnets section = %+v, want throttled", r)
	}
	if r.Calls != maxAttempts {
		t.Errorf("calls = %d, want %d", r.Calls, maxAttempts)
	}
	if !strings.Contains(r.Err.Error(), "ec2:DescribeSubnets") {
		t.Errorf("error %q does not name the call", r.Err)
	}
}

func TestFetchAccessDeniedOnOneSection(t *testing.T) {
	s, url := startSim(t, sim.Options{})
	s.Inject(sim.Fault{Action: "ec2:DescribeSubnets", Kind: sim.FaultAccessDenied})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	c.ecsPace = nil // tests count calls, not seconds

	snap := c.Fetch(context.Background())

	sub := snap.Sections[model.SectionSubnets]
	if sub.Complete || KindOf(sub.Err) != KindAccessDenied {
		t.Fatalf("subnets section = %+v, want access denied", sub)
	}
	if msg := sub.Err.Error(); !strings.HasPrefix(msg, "access denied: ec2:DescribeSubnets (") {
		t.Errorf("subnets error = %q, want it to name the denied permission", msg)
	}
	if len(snap.Subnets) != 0 {
		t.Errorf("subnets = %v, want none", snap.Subnets)
	}
	for _, sec := range []model.Section{model.SectionIdentity, model.SectionInstances, model.SectionAddresses, model.SectionStatus} {
		if r := snap.Sections[sec]; !r.Complete || r.Err != nil {
			t.Errorf("section %s = %+v, want complete despite the denial elsewhere", sec, r)
		}
	}
	if len(snap.Instances) != 8 || len(snap.Addresses) != 4 {
		t.Errorf("instances = %d, addresses = %d; want 8 and 4", len(snap.Instances), len(snap.Addresses))
	}
}

// A failure on a middle page must not pass for the whole region: the
// section is incomplete, whatever arrived before the failure.
func TestFetchPageErrorMarksSectionIncomplete(t *testing.T) {
	s, url := startSim(t, sim.Options{Instances: 2500, Seed: 1})
	s.Inject(sim.Fault{Action: "ec2:DescribeInstances", Kind: sim.FaultPageError, Page: 2})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	c.ecsPace = nil // tests count calls, not seconds

	snap := c.Fetch(context.Background())

	r := snap.Sections[model.SectionInstances]
	if r.Complete || r.Err == nil {
		t.Fatalf("instances section = %+v, want incomplete with an error", r)
	}
	if len(snap.Instances) >= 2500 {
		t.Errorf("instances = %d, want only the pages before the failure", len(snap.Instances))
	}
	if st := snap.Sections[model.SectionStatus]; !st.Complete {
		t.Errorf("status section = %+v, want complete (the fault was on instances only)", st)
	}
}

func TestFetchExpiredToken(t *testing.T) {
	s, url := startSim(t, sim.Options{})
	s.Inject(sim.Fault{Kind: sim.FaultExpiredToken})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	c.ecsPace = nil // tests count calls, not seconds

	snap := c.Fetch(context.Background())

	if snap.Identity.Confirmed() {
		t.Errorf("identity = %+v, want unconfirmed", snap.Identity)
	}
	for _, sec := range allSections {
		r := snap.Sections[sec]
		if r.Complete || KindOf(r.Err) != KindExpiredCredentials {
			t.Errorf("section %s = %+v, want expired credentials", sec, r)
		}
	}
	if msg := Explain(snap.Sections[model.SectionIdentity].Err); !strings.HasPrefix(msg, "expired AWS credentials") {
		t.Errorf("Explain = %q, want it to say the credentials expired", msg)
	}
}

func TestFetchUnknownAccessKey(t *testing.T) {
	_, url := startSim(t, sim.Options{})
	c := clientFor(t, url, "AKIANOBODY0000000000", Options{})

	r := c.Fetch(context.Background()).Sections[model.SectionIdentity]

	if KindOf(r.Err) != KindInvalidCredentials {
		t.Errorf("identity section = %+v, want rejected credentials", r)
	}
}

// rawIdentity matches the paths of the strings a Snapshot keeps raw:
// instance and address tags and the instance Name taken from them, and
// the names of ECS clusters and services.
var rawIdentity = regexp.MustCompile(`^snap\.(Instances\[\d+\]\.(Name|Tags\[\d+\]\.(Key|Value))|Addresses\[\d+\]\.Tags\[\d+\]\.(Key|Value)|ECS\.Clusters\[\d+\]\.Name|ECS\.Services\[\d+\]\.(Name|Cluster))$`)

// Tag values are attacker-controlled; nothing that can act on a terminal
// may survive the trip into a Snapshot, whichever field it arrives in,
// except the tags (and the Name), which are identity and arrive raw: for
// them, their Display form must be safe.
func TestFetchSanitisesHostileStrings(t *testing.T) {
	_, url := startSim(t, sim.Options{Scenario: "hostile"})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	c.ecsPace = nil // tests count calls, not seconds

	snap := c.Fetch(context.Background())

	if len(snap.Instances) == 0 {
		t.Fatalf("hostile scenario returned no instances: %+v", snap.Sections)
	}
	n, raw := 0, 0
	walkStrings(reflect.ValueOf(snap), "snap", func(path, s string) {
		n++
		if rawIdentity.MatchString(path) {
			raw++
			s = model.Display(s)
		}
		if bad, ok := unsafeRune(s); ok {
			t.Errorf("%s = %q holds %U", path, s, bad)
		}
		if len([]rune(s)) > model.MaxTextRunes {
			t.Errorf("%s is %d runes long, want at most %d", path, len([]rune(s)), model.MaxTextRunes)
		}
	})
	for sec, r := range snap.Sections {
		if r.Err != nil {
			if bad, ok := unsafeRune(r.Err.Error()); ok {
				t.Errorf("section %s error holds %U", sec, bad)
			}
		}
	}
	if n < 10 || raw < 10 {
		t.Errorf("walked only %d strings, %d of them raw tags", n, raw)
	}
	// The look-alike of blue arrives as it was tagged, not merged into blue.
	var lookalike []string
	for _, in := range snap.Instances {
		if in.Tags.Get("Cluster") == sim.HostileZeroWidth {
			lookalike = append(lookalike, in.ID)
			if in.Name != sim.HostileIsolates {
				t.Errorf("look-alike's Name = %q, want it raw %q", in.Name, sim.HostileIsolates)
			}
		}
	}
	if len(lookalike) != 1 {
		t.Errorf("instances tagged %q = %v, want exactly one, raw", sim.HostileZeroWidth, lookalike)
	}
	// The hostile security group name arrived, sanitised (checked by the
	// walk above), not dropped.
	hostileGroups := 0
	for _, in := range snap.Instances {
		for _, g := range in.SecurityGroups {
			if strings.Contains(g.Name, "PWNED") {
				hostileGroups++
			}
		}
	}
	if hostileGroups == 0 {
		t.Error("no instance carries the hostile security group; the sanitiser was not exercised on it")
	}
}

// unsafeRune finds a rune that could act on a terminal: C0 controls, DEL,
// C1 controls, bidi embeddings, overrides and isolates.
func unsafeRune(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return r, true
		}
	}
	return 0, false
}

// walkStrings calls fn for every string reachable from v (struct fields,
// slices, map keys and values), so new fields are checked without the test
// having to know them.
func walkStrings(v reflect.Value, path string, fn func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		fn(path, v.String())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkStrings(v.Field(i), path+"."+v.Type().Field(i).Name, fn)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			p := fmt.Sprintf("%s[%v]", path, it.Key())
			walkStrings(it.Key(), p+"(key)", fn)
			walkStrings(it.Value(), p, fn)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, fn)
		}
	}
}

// A closed port answers at once; airlock must say so at once, not after a
// round of retries.
func TestFetchUnreachableEndpointFailsFast(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	// The production retryer, so the test shows that it does not retry.
	c := New(configFor(t, url, sim.ProdAccessKey, Options{},
		withProductionRetryer()), withEndpoint(Options{}, url))

	snap := c.Fetch(context.Background())

	for _, sec := range allSections {
		r := snap.Sections[sec]
		if r.Complete || KindOf(r.Err) != KindUnreachable {
			t.Errorf("section %s = %+v, want unreachable", sec, r)
		}
	}
	if r := snap.Sections[model.SectionInstances]; r.Calls != 1 {
		t.Errorf("instances calls = %d, want 1 (a refused connection is not retried)", r.Calls)
	}
	msg := Explain(snap.Sections[model.SectionIdentity].Err)
	if !strings.Contains(msg, "connection refused") || !strings.Contains(msg, l.Addr().String()) {
		t.Errorf("Explain = %q, want the address and \"connection refused\"", msg)
	}
}

// A server that accepts the connection and never answers is the worst
// case: only the per-call timeout ends the wait.
func TestFetchHangingServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release) // before Close, which waits for handlers
	c := clientFor(t, srv.URL, sim.ProdAccessKey, Options{CallTimeout: 200 * time.Millisecond})

	start := time.Now()
	snap := c.Fetch(context.Background())
	elapsed := time.Since(start)

	for _, sec := range allSections {
		if r := snap.Sections[sec]; r.Complete || KindOf(r.Err) != KindTimeout {
			t.Errorf("section %s = %+v, want a timeout", sec, r)
		}
	}
	// Generous: the point is that Fetch returned at all, bounded by the
	// call timeout rather than by the server.
	if elapsed > 5*time.Second {
		t.Errorf("Fetch took %v with a 200ms call timeout", elapsed)
	}
	if msg := Explain(snap.Sections[model.SectionInstances].Err); !strings.HasPrefix(msg, "timed out: ec2:DescribeInstances") {
		t.Errorf("Explain = %q", msg)
	}
}

func TestFetchHonoursCallerCancel(t *testing.T) {
	_, url := startSim(t, sim.Options{})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	c.ecsPace = nil // tests count calls, not seconds
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	snap := c.Fetch(ctx)

	r := snap.Sections[model.SectionInstances]
	if r.Complete || KindOf(r.Err) != KindCanceled || !errors.Is(r.Err, context.Canceled) {
		t.Errorf("instances section = %+v, want canceled", r)
	}
}

package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

func (e *env) control(t *testing.T, method, path string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, e.url+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode, body
}

func TestControlEndpoints(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	for range 3 {
		if _, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{}); err != nil {
			t.Fatal(err)
		}
	}
	e.sts(StagingAccessKey).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})

	code, body := e.control(t, "GET", "/_sim/stats")
	calls, _ := body["calls"].(map[string]any)
	if code != 200 || calls["ec2:DescribeInstances"] != 3.0 || calls["sts:GetCallerIdentity"] != 1.0 {
		t.Fatalf("stats: %d %v", code, body)
	}
	_, body = e.control(t, "GET", "/_sim/stats?account="+StagingAccountID)
	if calls := body["calls"].(map[string]any); len(calls) != 1 || calls["sts:GetCallerIdentity"] != 1.0 {
		t.Errorf("staging stats: %v", body)
	}
	if got := e.s.AccountStats(ProdAccountID)["ec2:DescribeInstances"]; got != 3 {
		t.Errorf("AccountStats: %d", got)
	}

	if code, _ := e.control(t, "POST", "/_sim/stats/reset"); code != 200 {
		t.Errorf("stats/reset: %d", code)
	}
	if len(e.s.Stats()) != 0 {
		t.Errorf("after reset: %v", e.s.Stats())
	}

	code, body = e.control(t, "POST", "/_sim/go-live")
	if moves, _ := body["moves"].([]any); code != 200 || len(moves) != 3 {
		t.Fatalf("go-live: %d %v", code, body)
	}
	out, _ := c.DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{AllocationIds: []string{"eipalloc-01100000000000001"}})
	if aws.ToString(out.Addresses[0].InstanceId) != "i-01100000000000004" {
		t.Errorf("go-live did not move the first EIP to green-web-1: %+v", out.Addresses[0])
	}
	if code, body := e.control(t, "POST", "/_sim/go-live"); code != http.StatusConflict || body["error"] == nil {
		t.Errorf("second go-live: %d %v", code, body)
	}
	if code, _ := e.control(t, "POST", "/_sim/go-live?account="+StagingAccountID); code != 200 {
		t.Errorf("staging go-live: %d", code)
	}

	if code, _ := e.control(t, "POST", "/_sim/reset"); code != 200 {
		t.Errorf("reset: %d", code)
	}
	out, _ = c.DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{AllocationIds: []string{"eipalloc-01100000000000001"}})
	if aws.ToString(out.Addresses[0].InstanceId) != "i-01100000000000001" {
		t.Errorf("reset did not restore blue: %+v", out.Addresses[0])
	}

	if code, _ := e.control(t, "POST", "/_sim/throttling?on=true"); code != 200 || !e.s.throttle.on.Load() {
		t.Errorf("throttling on: %d", code)
	}
	if code, _ := e.control(t, "POST", "/_sim/throttling?on=maybe"); code != 400 {
		t.Errorf("throttling maybe: %d", code)
	}
	if code, _ := e.control(t, "GET", "/_sim/reset"); code != http.StatusMethodNotAllowed {
		t.Errorf("GET reset: %d", code)
	}
	if code, _ := e.control(t, "GET", "/_sim/nothing"); code != http.StatusNotFound {
		t.Errorf("unknown endpoint: %d", code)
	}
	if code, _ := e.control(t, "GET", "/_sim/"); code != 200 {
		t.Errorf("index: %d", code)
	}
}

// TestOnCallRunsBeforeTheAction changes the world from a hook: the call
// that triggered it already sees the change.
func TestOnCallRunsBeforeTheAction(t *testing.T) {
	e := newEnv(t, Options{})
	var runs int
	remove := e.s.OnCall("ec2:DescribeAddresses", func() {
		runs++
		if err := e.s.GoLive(ProdAccountID); err != nil {
			t.Error(err)
		}
	})
	out, err := e.prod().DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{AllocationIds: []string{"eipalloc-01100000000000001"}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Addresses[0].InstanceId) != "i-01100000000000004" {
		t.Errorf("the hook's change is not visible to the call: %+v", out.Addresses[0])
	}
	remove()
	e.prod().DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{})
	e.prod().DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{})
	if runs != 1 {
		t.Errorf("hook ran %d times, want 1", runs)
	}

	// Faulted calls are not served, so their hooks do not run.
	e.s.Inject(Fault{Kind: FaultAccessDenied, Times: 1})
	e.s.OnCall("DescribeSubnets", func() { runs++ })
	e.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{}, noRetry)
	if runs != 1 {
		t.Errorf("hook ran for a denied call")
	}
	e.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{})
	if runs != 2 {
		t.Errorf("bare action name did not match")
	}
}

// TestConcurrentUse hammers the server from many goroutines while the
// world, faults and counters change; run with -race.
func TestConcurrentUse(t *testing.T) {
	e := newEnv(t, Options{Instances: 200})
	c := e.prod()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 5 {
				switch i % 4 {
				case 0:
					p := ec2.NewDescribeInstancesPaginator(c, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(50)})
					for p.HasMorePages() {
						if _, err := p.NextPage(ctx(t)); err != nil {
							t.Error(err)
							return
						}
					}
				case 1:
					c.DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{})
				case 2:
					e.s.Update(ProdAccountID, "us-east-1", func(r *Region) {
						for _, in := range r.Tagged(clusterTag, "c002") {
							in.Tags["Seen"] = "yes"
						}
					})
					e.s.Stats()
				case 3:
					remove := e.s.Inject(Fault{Kind: FaultLatency, Latency: 1})
					c.DescribeInstanceStatus(ctx(t), &ec2.DescribeInstanceStatusInput{})
					remove()
					e.s.MoveEIPs(ProdAccountID, "us-east-1", "blue", "green")
					e.s.MoveEIPs(ProdAccountID, "us-east-1", "green", "blue")
				}
			}
		})
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		e.s.Reset()
		e.s.ResetStats()
	}()
	wg.Wait()
}

// controlSend is control with a request body of the given content type.
func (e *env) controlSend(t *testing.T, method, path, contentType, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: the answer is not JSON: %v", method, path, err)
	}
	return resp.StatusCode, out
}

// TestFaultsOverHTTP injects every fault kind through POST /_sim/faults,
// in each of the encodings the endpoint takes, and sees it through the
// SDK; then removes it over HTTP and sees the call succeed again.
func TestFaultsOverHTTP(t *testing.T) {
	const form = "application/x-www-form-urlencoded"
	describeSubnets := func(e *env) error {
		_, err := e.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{}, noRetry)
		return err
	}
	tests := []struct {
		name              string
		path, ctype, body string
		spec              string           // as GET /_sim/faults shows it
		call              func(*env) error // a call the fault hits
		check             func(*testing.T, error, time.Duration)
	}{
		{
			name: "access-denied per action, query parameters",
			path: "/_sim/faults?kind=access-denied&action=ec2:TerminateInstances",
			spec: "access-denied,action=ec2:TerminateInstances",
			call: func(e *env) error {
				if err := describeSubnets(e); err != nil {
					return fmt.Errorf("another action was denied: %w", err)
				}
				_, err := e.prod().TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{"i-01100000000000001"}}, noRetry)
				return err
			},
			check: code("UnauthorizedOperation"),
		},
		{
			name: "expired credentials on STS, form body",
			path: "/_sim/faults", ctype: form, body: "kind=expired-token&action=sts:GetCallerIdentity",
			spec: "expired-token,action=sts:GetCallerIdentity",
			call: func(e *env) error {
				_, err := e.sts(ProdAccessKey).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
				return err
			},
			check: code("ExpiredToken"),
		},
		{
			name: "expired credentials on EC2, JSON body",
			path: "/_sim/faults", ctype: "application/json", body: `{"kind":"expired-token","account":"111111111111"}`,
			spec: "expired-token,account=111111111111",
			call: describeSubnets, check: code("RequestExpired"),
		},
		{
			name: "throttling per action, spec",
			path: "/_sim/faults", ctype: form, body: "spec=throttle,action=DescribeSubnets",
			spec: "throttle,action=DescribeSubnets",
			call: describeSubnets, check: code("RequestLimitExceeded"),
		},
		{
			name: "internal error, JSON with a number",
			path: "/_sim/faults", ctype: "application/json", body: `{"kind":"internal-error","times":5}`,
			spec: "internal-error,times=5",
			call: describeSubnets, check: code("InternalError"),
		},
		{
			name: "error on page 2",
			path: "/_sim/faults?kind=page-error&action=ec2:DescribeInstances&page=2",
			spec: "page-error,action=ec2:DescribeInstances,page=2",
			call: func(e *env) error {
				p := ec2.NewDescribeInstancesPaginator(e.prod(), &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)})
				if _, err := p.NextPage(ctx(t), noRetry); err != nil {
					return fmt.Errorf("page 1 failed: %w", err)
				}
				_, err := p.NextPage(ctx(t), noRetry)
				return err
			},
			check: code("InternalError"),
		},
		{
			name: "dropped connection",
			path: "/_sim/faults?kind=drop-connection&action=DescribeSubnets",
			spec: "drop-connection,action=DescribeSubnets",
			call: describeSubnets,
			check: func(t *testing.T, err error, _ time.Duration) {
				var ae smithy.APIError
				if err == nil || errors.As(err, &ae) {
					t.Errorf("want a transport error from a dropped connection, got %v", err)
				}
			},
		},
		{
			name: "latency",
			path: "/_sim/faults", ctype: form, body: "kind=latency&latency=150ms&action=DescribeSubnets",
			spec: "latency,action=DescribeSubnets,latency=150ms",
			call: describeSubnets,
			check: func(t *testing.T, err error, took time.Duration) {
				if err != nil || took < 150*time.Millisecond {
					t.Errorf("want success after at least 150ms, got %v after %v", err, took)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Options{})
			code, body := e.controlSend(t, "POST", tt.path, tt.ctype, tt.body)
			if code != http.StatusCreated {
				t.Fatalf("POST: %d %v", code, body)
			}
			id := body["id"].(float64)

			_, list := e.control(t, "GET", "/_sim/faults")
			faults := list["faults"].([]any)
			if len(faults) != 1 || faults[0].(map[string]any)["spec"] != tt.spec {
				t.Errorf("GET /_sim/faults: %v, want one fault %s", list, tt.spec)
			}

			start := time.Now()
			err := tt.call(e)
			tt.check(t, err, time.Since(start))

			if code, body := e.control(t, "DELETE", fmt.Sprintf("/_sim/faults/%d", int(id))); code != 200 {
				t.Fatalf("DELETE one: %d %v", code, body)
			}
			if err := tt.call(e); err != nil {
				t.Errorf("after DELETE /_sim/faults/%d: %v", int(id), err)
			}
		})
	}
}

func code(want string) func(*testing.T, error, time.Duration) {
	return func(t *testing.T, err error, _ time.Duration) {
		t.Helper()
		wantCode(t, err, want)
	}
}

func TestClearFaultsOverHTTP(t *testing.T) {
	e := newEnv(t, Options{})
	for _, spec := range []string{"access-denied,action=DescribeSubnets", "throttle", "latency,latency=1ms,times=2"} {
		if code, body := e.controlSend(t, "POST", "/_sim/faults", "application/x-www-form-urlencoded", "spec="+spec); code != 201 {
			t.Fatalf("POST %s: %d %v", spec, code, body)
		}
	}
	_, body := e.control(t, "GET", "/_sim/faults")
	faults := body["faults"].([]any)
	if len(faults) != 3 || faults[2].(map[string]any)["left"] != 2.0 {
		t.Fatalf("listed: %v", body)
	}
	if code, body := e.control(t, "DELETE", "/_sim/faults"); code != 200 || body["cleared"] != 3.0 {
		t.Fatalf("DELETE all: %d %v", code, body)
	}
	if _, err := e.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{}, noRetry); err != nil {
		t.Errorf("after DELETE /_sim/faults: %v", err)
	}
	if _, body := e.control(t, "GET", "/_sim/faults"); len(body["faults"].([]any)) != 0 || body["throttling"] != false {
		t.Errorf("after clearing: %v", body)
	}

	// A fault with times goes by itself once used up; deleting it then is
	// a 404 that says why.
	_, body = e.controlSend(t, "POST", "/_sim/faults?kind=throttle&times=1", "", "")
	if _, err := e.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{}); err != nil {
		t.Fatalf("the retry after one throttle should pass: %v", err)
	}
	code, body := e.control(t, "DELETE", fmt.Sprintf("/_sim/faults/%d", int(body["id"].(float64))))
	if code != http.StatusNotFound || !strings.Contains(body["error"].(string), "used up") {
		t.Errorf("DELETE a used-up fault: %d %v", code, body)
	}

	// The token bucket is listed with the faults.
	e.control(t, "POST", "/_sim/throttling?on=true")
	if _, body := e.control(t, "GET", "/_sim/faults"); body["throttling"] != true {
		t.Errorf("throttling not listed: %v", body)
	}
}

// TestFaultControlErrors: every mistake is a 4xx whose message names the
// parameter and what was expected.
func TestFaultControlErrors(t *testing.T) {
	e := newEnv(t, Options{})
	tests := []struct {
		method, path, ctype, body string
		status                    int
		want                      []string
	}{
		{"POST", "/_sim/faults", "", "", 400, []string{"no fault given", "kind=KIND"}},
		{"POST", "/_sim/faults?kind=nope", "", "", 400, []string{`kind "nope"`, "access-denied"}},
		{"POST", "/_sim/faults?action=DescribeSubnets", "", "", 400, []string{"missing kind", "expected one of"}},
		{"POST", "/_sim/faults?kind=throttle&action=ec2:DescribeInstance", "", "", 400, []string{`action "ec2:DescribeInstance"`, "ec2:DescribeInstances"}},
		{"POST", "/_sim/faults?kind=throttle&account=1111", "", "", 400, []string{`account "1111"`, "12 digits"}},
		{"POST", "/_sim/faults?kind=throttle&account=333333333333", "", "", 400, []string{"account 333333333333", "111111111111, 222222222222"}},
		{"POST", "/_sim/faults?kind=throttle&times=-1", "", "", 400, []string{`times "-1"`, "≥ 0"}},
		{"POST", "/_sim/faults?kind=page-error&page=0", "", "", 400, []string{`page "0"`, "≥ 1"}},
		{"POST", "/_sim/faults?kind=throttle&page=2", "", "", 400, []string{"page applies only to kind page-error"}},
		{"POST", "/_sim/faults?kind=latency", "", "", 400, []string{"latency=DURATION"}},
		{"POST", "/_sim/faults?kind=latency&latency=fast", "", "", 400, []string{`latency "fast"`, "positive duration"}},
		{"POST", "/_sim/faults?kind=throttle&latency=1s", "", "", 400, []string{"latency applies only to kind latency"}},
		{"POST", "/_sim/faults?kind=throttle&acton=DescribeSubnets", "", "", 400, []string{`unknown field "acton"`, "action"}},
		{"POST", "/_sim/faults?kind=throttle&kind=latency", "", "", 400, []string{"kind given twice"}},
		{"POST", "/_sim/faults", "application/json", `{"kind":"throttle","times":true}`, 400, []string{"times: expected a string or a number, got a boolean"}},
		{"POST", "/_sim/faults", "application/json", `[1]`, 400, []string{"not a JSON object"}},
		{"POST", "/_sim/faults", "text/plain", "throttle", 400, []string{"content type text/plain", "application/json"}},
		{"POST", "/_sim/faults?spec=throttle&times=1", "", "", 400, []string{"spec must come alone"}},
		{"POST", "/_sim/faults?spec=throttle,times", "", "", 400, []string{`"times" is not key=value`}},
		{"DELETE", "/_sim/faults/abc", "", "", 400, []string{`fault ID "abc"`}},
		{"DELETE", "/_sim/faults/999", "", "", 404, []string{"no active fault 999"}},
		{"GET", "/_sim/faults/1", "", "", 405, []string{"expected DELETE"}},
		{"PUT", "/_sim/faults", "", "", 405, []string{"method PUT not allowed"}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+" "+tt.body, func(t *testing.T) {
			code, body := e.controlSend(t, tt.method, tt.path, tt.ctype, tt.body)
			msg, _ := body["error"].(string)
			if code != tt.status {
				t.Errorf("status %d, want %d (%v)", code, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
		})
	}
	if n := len(e.s.faults.snapshot()); n != 0 {
		t.Errorf("%d faults injected by bad requests", n)
	}
}

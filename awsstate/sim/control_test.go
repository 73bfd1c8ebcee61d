package sim

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
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

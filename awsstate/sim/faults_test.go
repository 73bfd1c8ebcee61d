package sim

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func TestFaultCodesPerProtocol(t *testing.T) {
	for _, tc := range []struct {
		kind               FaultKind
		ec2Code, queryCode string
		ec2Status          int
	}{
		{FaultThrottle, "RequestLimitExceeded", "Throttling", 503},
		{FaultAccessDenied, "UnauthorizedOperation", "AccessDenied", 403},
		{FaultExpiredToken, "RequestExpired", "ExpiredToken", 400},
		{FaultInternalError, "InternalError", "InternalFailure", 500},
		{FaultPageError, "InternalError", "InternalFailure", 500},
	} {
		t.Run(tc.kind.String(), func(t *testing.T) {
			e := newEnv(t, Options{})
			e.s.Inject(Fault{Kind: tc.kind})
			_, err := e.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{}, noRetry)
			wantCode(t, err, tc.ec2Code)
			var re *smithyhttp.ResponseError
			if !errors.As(err, &re) || re.HTTPStatusCode() != tc.ec2Status {
				t.Errorf("HTTP status %v, want %d", err, tc.ec2Status)
			}
			_, err = e.sts(ProdAccessKey).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{}, func(o *sts.Options) { o.RetryMaxAttempts = 1 })
			wantCode(t, err, tc.queryCode)
			_, err = e.iam(ProdAccessKey).ListAccountAliases(ctx(t), &iam.ListAccountAliasesInput{}, func(o *iam.Options) { o.RetryMaxAttempts = 1 })
			wantCode(t, err, tc.queryCode)
		})
	}
}

// The SDK's standard retryer must see throttling, 5xx and dropped
// connections as retryable: with Times below the attempt limit, the call
// succeeds and the counters show every attempt.
func TestRetryableFaultsAreRetriedBySDK(t *testing.T) {
	for _, kind := range []FaultKind{FaultThrottle, FaultInternalError, FaultDropConnection} {
		t.Run(kind.String(), func(t *testing.T) {
			e := newEnv(t, Options{})
			e.s.Inject(Fault{Action: "ec2:DescribeInstances", Kind: kind, Times: 2})
			out, err := e.prod().DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{})
			if err != nil {
				t.Fatalf("after two %s faults the third attempt should succeed: %v", kind, err)
			}
			if len(instances(out)) != 8 {
				t.Errorf("%d instances", len(instances(out)))
			}
			if got := e.s.Stats()["ec2:DescribeInstances"]; got != 3 {
				t.Errorf("%d calls counted, want 3", got)
			}
		})
	}
}

func TestAccessDeniedIsNotRetried(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.Inject(Fault{Action: "ec2:DescribeSubnets", Kind: FaultAccessDenied})
	_, err := e.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{})
	wantCode(t, err, "UnauthorizedOperation")
	if got := e.s.Stats()["ec2:DescribeSubnets"]; got != 1 {
		t.Errorf("%d calls, want 1", got)
	}
	// Other actions are untouched.
	if _, err := e.prod().DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{}); err != nil {
		t.Error(err)
	}
}

func TestFaultScope(t *testing.T) {
	e := newEnv(t, Options{})
	remove := e.s.Inject(Fault{Account: StagingAccountID, Action: "DescribeAddresses", Kind: FaultAccessDenied})
	if _, err := e.prod().DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{}); err != nil {
		t.Errorf("prod hit by a staging fault: %v", err)
	}
	_, err := e.ec2(StagingAccessKey).DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{})
	wantCode(t, err, "UnauthorizedOperation")
	remove()
	remove() // idempotent
	if _, err := e.ec2(StagingAccessKey).DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{}); err != nil {
		t.Errorf("after remove: %v", err)
	}
	e.s.Inject(Fault{Kind: FaultAccessDenied})
	e.s.ClearFaults()
	if _, err := e.prod().DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{}); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
}

func TestPageFault(t *testing.T) {
	e := newEnv(t, Options{Instances: 30})
	e.s.Inject(Fault{Action: "ec2:DescribeInstances", Kind: FaultPageError, Page: 2})
	c := e.prod()
	p := ec2.NewDescribeInstancesPaginator(c, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(10)})
	if _, err := p.NextPage(ctx(t), noRetry); err != nil {
		t.Fatalf("page 1: %v", err)
	}
	_, err := p.NextPage(ctx(t), noRetry)
	wantCode(t, err, "InternalError")
	// Page 1 again is fine: the fault is about page 2 only.
	if _, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{MaxResults: aws.Int32(10)}, noRetry); err != nil {
		t.Errorf("page 1 again: %v", err)
	}
}

func TestLatency(t *testing.T) {
	e := newEnv(t, Options{Latency: 30 * time.Millisecond})
	e.s.Inject(Fault{Action: "ec2:DescribeSubnets", Kind: FaultLatency, Latency: 40 * time.Millisecond, Times: 1})
	start := time.Now()
	if _, err := e.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 70*time.Millisecond {
		t.Errorf("call took %v, want at least 30ms + 40ms", d)
	}

	// A client that gives up is not kept waiting.
	e.s.Inject(Fault{Kind: FaultLatency, Latency: time.Hour})
	c, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err := e.prod().DescribeSubnets(c, &ec2.DescribeSubnetsInput{}, noRetry)
	if err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("cancelled call: %v after %v", err, time.Since(start))
	}
}

// TestThrottleBucket drains the DescribeInstances bucket with a frozen
// clock: exactly 100 calls pass, the next is RequestLimitExceeded, other
// actions and accounts have their own buckets, and a second refills 20.
func TestThrottleBucket(t *testing.T) {
	e := newEnv(t, Options{Scenario: "empty"})
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	e.s.now = func() time.Time { return now }
	e.s.EnableThrottling(true)
	c := e.prod()
	call := func() error {
		_, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{}, noRetry)
		return err
	}
	for i := range 100 {
		if err := call(); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	wantCode(t, call(), "RequestLimitExceeded")
	if _, err := c.DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{}, noRetry); err != nil {
		t.Errorf("another action shares the bucket: %v", err)
	}
	if _, err := e.ec2(StagingAccessKey).DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{}, noRetry); err != nil {
		t.Errorf("another account shares the bucket: %v", err)
	}
	if _, err := e.sts(ProdAccessKey).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("STS is throttled: %v", err)
	}

	now = now.Add(time.Second)
	for i := range 20 {
		if err := call(); err != nil {
			t.Fatalf("refilled call %d: %v", i+1, err)
		}
	}
	wantCode(t, call(), "RequestLimitExceeded")

	e.s.EnableThrottling(false)
	if err := call(); err != nil {
		t.Errorf("throttling off: %v", err)
	}
}

func TestThrottleBucketUnit(t *testing.T) {
	var th throttle
	th.on.Store(true)
	t0 := time.Unix(0, 0)
	n := 0
	term := bucketKey{"a", "r", "ec2:TerminateInstances"}
	for th.take(term, ec2WriteLimit, t0) {
		n++
	}
	if n != 50 {
		t.Errorf("mutating burst %d, want 50", n)
	}
	if !th.take(term, ec2WriteLimit, t0.Add(200*time.Millisecond)) {
		t.Error("mutating bucket did not refill one token in 200ms at 5/s")
	}
	if th.take(term, ec2WriteLimit, t0.Add(200*time.Millisecond)) {
		t.Error("mutating bucket refilled too much")
	}
	// Refill never exceeds the burst.
	n = 0
	for th.take(bucketKey{"a", "r", "ec2:DescribeInstances"}, ec2ReadLimit, t0.Add(time.Hour)) {
		n++
	}
	if n != 100 {
		t.Errorf("read burst after an hour idle: %d, want 100", n)
	}
}

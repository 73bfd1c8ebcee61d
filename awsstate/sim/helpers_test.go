package sim

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// The tests talk to the sim through the real SDK over HTTP, so request
// serialisation, response parsing, error decoding and the standard
// retryer are all exercised as airlock will exercise them.

type env struct {
	t   *testing.T
	s   *Server
	url string
}

func newEnv(t *testing.T, o Options) *env {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatalf("New(%+v): %v", o, err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &env{t: t, s: s, url: ts.URL}
}

// cfg is an SDK config for the access key in region, retrying like the
// SDK's standard retryer (3 attempts) but without backoff delays or the
// client-side retry quota, so tests stay fast and deterministic.
func (e *env) cfg(key, region string) aws.Config {
	return aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider(key, DemoSecretKey, ""),
		BaseEndpoint: aws.String(e.url),
		HTTPClient:   HTTPClient(),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxBackoff = time.Millisecond
				o.RateLimiter = ratelimit.None
			})
		},
	}
}

func (e *env) ec2(key string) *ec2.Client { return ec2.NewFromConfig(e.cfg(key, "us-east-1")) }
func (e *env) prod() *ec2.Client          { return e.ec2(ProdAccessKey) }
func (e *env) sts(key string) *sts.Client { return sts.NewFromConfig(e.cfg(key, "us-east-1")) }
func (e *env) iam(key string) *iam.Client { return iam.NewFromConfig(e.cfg(key, "us-east-1")) }

// noRetry makes a client give up after the first attempt.
func noRetry(o *ec2.Options) { o.RetryMaxAttempts = 1 }

// post sends a raw signed-looking query request, for what the SDK cannot
// produce (malformed input).
func (e *env) post(t *testing.T, auth string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.url+"/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func authHeader(key, region, service string) string {
	return "AWS4-HMAC-SHA256 Credential=" + key + "/20261122/" + region + "/" + service +
		"/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
}

// wantCode asserts err is an API error with the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want API error %s, got %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("want error code %s, got %s (%s)", code, ae.ErrorCode(), ae.ErrorMessage())
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func tagFilter(key string, values ...string) []ec2types.Filter {
	return []ec2types.Filter{{Name: aws.String("tag:" + key), Values: values}}
}

func f(name string, values ...string) ec2types.Filter {
	return ec2types.Filter{Name: aws.String(name), Values: values}
}

// instances flattens DescribeInstances output.
func instances(out *ec2.DescribeInstancesOutput) []ec2types.Instance {
	var list []ec2types.Instance
	for _, r := range out.Reservations {
		list = append(list, r.Instances...)
	}
	return list
}

func tagValue(tags []ec2types.Tag, key string) string {
	for _, t := range tags {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

package awsstate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
)

// Options says which account, region and endpoint to talk to, and how
// patiently.
type Options struct {
	// Profile is the shared config profile (--profile). "" leaves the
	// choice to the SDK: AWS_PROFILE, then "default".
	Profile string
	// Region overrides the profile's region and AWS_REGION (--region).
	Region string
	// Endpoint is the base URL of every service, for the simulator. It
	// behaves like AWS_ENDPOINT_URL (which the SDK honours by itself) and
	// wins over it.
	Endpoint string
	// CallTimeout bounds one API call, retries included. 0 means
	// DefaultCallTimeout.
	CallTimeout time.Duration
	// ClusterTag is the tag key that groups instances into clusters.
	// "" means model.DefaultClusterTag.
	ClusterTag string
	// AuditLog is the path of the audit log Execute appends to. "" means
	// DefaultAuditLogPath().
	AuditLog string
	// MFA asks for the code of a profile with mfa_serial. LoadConfig calls
	// it (at most once per device) and assumes the role before it returns;
	// nil makes such a profile an error that says so (MFAError).
	MFA MFAFunc
}

// DefaultCallTimeout bounds an API call when Options.CallTimeout is zero.
// Long enough for a slow page of 1,000 instances and a retry or two, short
// enough that a dead endpoint shows up on the screen within one glance.
const DefaultCallTimeout = 10 * time.Second

// Transport limits. Each bounds one stage of one attempt, so a network that
// swallows packets fails that attempt instead of holding a refresh forever;
// the per-call timeout (Options.CallTimeout) bounds the whole call on top.
const (
	dialTimeout           = 5 * time.Second
	tlsHandshakeTimeout   = 5 * time.Second
	responseHeaderTimeout = 10 * time.Second
)

// Retry policy. The SDK's standard retryer already knows which errors are
// worth another attempt (throttling, 5xx, resets); airlock only shortens
// the wait, because a console that blocks for 20 s on a backoff looks
// frozen, and the refresh loop is itself the slower, outer retry.
const (
	maxAttempts = 3
	maxBackoff  = 2 * time.Second
)

// ErrNoRegion is returned by LoadConfig when neither the flags, the
// environment nor the profile name a region.
var ErrNoRegion = errors.New("no AWS region: pass --region, set AWS_REGION, or set region in the profile")

// regionPattern is the shape of every AWS region name (us-east-1,
// us-gov-west-1, ap-southeast-2, eusc-de-east-1). It catches typos such as
// "us-east" before they become a DNS failure on a made-up host name.
var regionPattern = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-[0-9]+$`)

// LoadConfig resolves credentials and region the way the AWS CLI does (the
// default chain, --profile, --region, AWS_ENDPOINT_URL) and returns a
// config whose HTTP client and retryer cannot hang. Errors are phrased for
// an operator (see Explain).
//
// Assume-role profiles call STS at the endpoint every other client uses
// (Options.Endpoint, AWS_ENDPOINT_URL, endpoint_url; the SDK alone would
// miss the last two), within the call timeout. A profile with mfa_serial gets its code from Options.MFA and
// its role assumed here, before LoadConfig returns: the operator types
// the code while nothing else waits on it, a wrong code is LoadConfig's
// error, and when that session expires the SDK's refresh fails with an
// MFAError (Expired) instead of asking in the middle of a refresh.
func LoadConfig(ctx context.Context, o Options) (aws.Config, error) {
	return loadConfig(ctx, o)
}

// loadConfig is LoadConfig with extra load options appended last, so tests
// can substitute static credentials or a quicker backoff while exercising
// everything else.
func loadConfig(ctx context.Context, o Options, extra ...func(*config.LoadOptions) error) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(newHTTPClient()),
		config.WithRetryer(func() aws.Retryer { return newRetryer(nil) }),
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	if o.Endpoint != "" {
		// On the config, not only on our clients: credential providers
		// that call STS themselves (SSO, web identity) must reach the
		// same endpoint, exactly as with AWS_ENDPOINT_URL. Assume-role
		// needs more (credentialHooks.setEndpoint).
		opts = append(opts, config.WithBaseEndpoint(o.Endpoint))
	}
	hooks := newCredentialHooks(o)
	opts = append(opts, config.WithAssumeRoleCredentialOptions(hooks.assumeRole))
	opts = append(opts, extra...)

	if err := checkEndpoints(o); err != nil {
		return aws.Config{}, err
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, explained(withRenewal(o.Profile, err))
	}
	hooks.setEndpoint(cfg)
	if err := checkProfileEndpoint(o, cfg); err != nil {
		return aws.Config{}, err
	}
	// Wrapped only now: the loader needs the BuildableClient itself to add
	// a custom CA bundle (AWS_CA_BUNDLE, ca_bundle in the profile).
	cfg.HTTPClient = bodyWithoutWriteTo{cfg.HTTPClient}
	if err := checkRegion(cfg.Region); err != nil {
		return aws.Config{}, err
	}
	if hooks.needsMFA() {
		if err := hooks.assumeWithPrompt(ctx, cfg.Credentials); err != nil {
			return aws.Config{}, explained(withRenewal(o.Profile, err))
		}
	}
	return cfg, nil
}

// endpointEnv are the variables the SDK takes endpoints from, for the
// services airlock calls: AWS_ENDPOINT_URL for all, and
// AWS_ENDPOINT_URL_<service ID> for one, which wins (config/env_config.go,
// GetServiceBaseEndpoint; service/ec2/endpoints.go, resolveBaseEndpoint).
var endpointEnv = []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_IAM"}

// checkEndpoints refuses a malformed endpoint before anything uses it, and
// names where it came from: otherwise the first sign is a refresh failing
// with "unsupported protocol scheme" on every call, after the terminal is
// taken. Options.Endpoint wins over the environment on every client (see
// New), so the variables are checked only without it, and not at all when
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS tells the SDK to ignore them.
func checkEndpoints(o Options) error {
	if o.Endpoint != "" {
		if err := CheckEndpoint(o.Endpoint); err != nil {
			return &Error{Kind: KindInvalidEndpoint, msg: "endpoint " + err.Error()}
		}
		return nil
	}
	if strings.EqualFold(os.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		return nil
	}
	for _, name := range endpointEnv {
		if v := os.Getenv(name); v != "" {
			if err := CheckEndpoint(v); err != nil {
				return &Error{Kind: KindInvalidEndpoint, msg: name + " " + err.Error()}
			}
		}
	}
	return nil
}

// checkProfileEndpoint checks an endpoint the SDK found in the shared
// config (endpoint_url in the profile): when neither Options.Endpoint nor
// AWS_ENDPOINT_URL set one, that is where cfg.BaseEndpoint came from.
func checkProfileEndpoint(o Options, cfg aws.Config) error {
	if o.Endpoint != "" || os.Getenv("AWS_ENDPOINT_URL") != "" || cfg.BaseEndpoint == nil {
		return nil
	}
	if err := CheckEndpoint(*cfg.BaseEndpoint); err != nil {
		profile := o.Profile
		if profile == "" {
			profile = os.Getenv("AWS_PROFILE")
		}
		if profile == "" {
			profile = "default"
		}
		return &Error{Kind: KindInvalidEndpoint, msg: fmt.Sprintf("endpoint_url of profile %q %v", profile, err)}
	}
	return nil
}

// CheckEndpoint reports whether raw can be an endpoint for the SDK: an
// absolute http or https URL with a host. The error quotes the value and
// says what was expected; the caller puts the source in front of it
// ("--endpoint", "AWS_ENDPOINT_URL").
func CheckEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("%q is not an endpoint URL (expected http:// or https:// and a host, e.g. http://127.0.0.1:4566)", raw)
	}
	return nil
}

// checkRegion refuses an empty or malformed region up front; the SDK
// would otherwise fail later, on every call, with a less helpful message.
func checkRegion(region string) error {
	if region == "" {
		return &Error{Kind: KindNoRegion, msg: ErrNoRegion.Error(), err: ErrNoRegion}
	}
	if !regionPattern.MatchString(region) {
		return &Error{Kind: KindInvalidRegion, msg: fmt.Sprintf("invalid AWS region %q (expected a name like us-east-1)", region)}
	}
	return nil
}

// newHTTPClient returns the SDK's buildable client with every stage of a
// connection bounded. LoadConfig then wraps it in bodyWithoutWriteTo.
func newHTTPClient() *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) {
			d.Timeout = dialTimeout
		}).
		WithTransportOptions(func(t *http.Transport) {
			t.TLSHandshakeTimeout = tlsHandshakeTimeout
			t.ResponseHeaderTimeout = responseHeaderTimeout
		})
}

// newRetryer is the SDK's standard retryer (throttling and transient
// errors, exponential backoff with jitter) with airlock's shorter waits and
// one exception: an endpoint that refuses connections or does not resolve
// is not retried. Those failures do not heal in a second, and retrying
// them only delays the clear "cannot reach" line the operator needs.
//
// backoff, when non-nil, replaces the jittered delay (tests use it to stay
// fast; production passes nil).
func newRetryer(backoff retry.BackoffDelayer) aws.Retryer {
	return retry.NewStandard(func(so *retry.StandardOptions) {
		so.MaxAttempts = maxAttempts
		so.MaxBackoff = maxBackoff
		if backoff != nil {
			so.Backoff = backoff
		}
		so.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(unreachableIsFinal)}, so.Retryables...)
	})
}

// unreachableIsFinal vetoes retries of refused connections and unknown
// host names; it has no opinion on anything else.
func unreachableIsFinal(err error) aws.Ternary {
	var dns *net.DNSError
	if errors.Is(err, syscall.ECONNREFUSED) || (errors.As(err, &dns) && dns.IsNotFound) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}

// bodyWithoutWriteTo hands net/http request bodies that only Read and
// Close. The SDK wraps each body in a reader whose WriteTo returns io.EOF
// once the SDK has closed it, and it closes it as soon as the response
// arrives; net/http, still checking the body it sent for trailing bytes
// (io.Copy prefers WriteTo), takes that EOF as a write error and closes
// the connection under the response, and the SDK then retries a call that
// had succeeded. A fast endpoint (the simulator, a VPC endpoint) makes
// this likely; for AssociateAddress or TerminateInstances a silent second
// attempt is not something to leave to chance. The simulator's
// HTTPClient documents the same trace in detail.
type bodyWithoutWriteTo struct{ next aws.HTTPClient }

func (c bodyWithoutWriteTo) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		r2 := *r
		r2.Body = readCloser{r.Body}
		r = &r2
	}
	return c.next.Do(r)
}

// readCloser exposes only Read and Close of the body it wraps.
type readCloser struct{ rc io.ReadCloser }

func (b readCloser) Read(p []byte) (int, error) { return b.rc.Read(p) }
func (b readCloser) Close() error               { return b.rc.Close() }

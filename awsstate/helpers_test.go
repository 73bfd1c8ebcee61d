package awsstate

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/airlock-ops/airlock/awsstate/sim"
)

// TestMain keeps the developer's own AWS setup out of the tests: no
// profile, keys, region or endpoint from the environment, no shared files,
// and no probing of the EC2 instance metadata service.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		for i := range kv {
			if kv[i] == '=' {
				if k := kv[:i]; len(k) > 4 && k[:4] == "AWS_" {
					os.Unsetenv(k)
				}
				break
			}
		}
	}
	nowhere := filepath.Join(os.TempDir(), "airlock-test-no-such-aws-file")
	os.Setenv("AWS_CONFIG_FILE", nowhere)
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", nowhere)
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	os.Exit(m.Run())
}

// quickBackoff replaces the jittered retry delay so retry tests take
// milliseconds; which errors are retried is still the production policy.
var quickBackoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) {
	return 5 * time.Millisecond, nil
})

// startSim serves a simulated AWS over real HTTP.
func startSim(tb testing.TB, o sim.Options) (*sim.Server, string) {
	tb.Helper()
	s, err := sim.New(o)
	if err != nil {
		tb.Fatalf("sim.New: %v", err)
	}
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	return s, srv.URL
}

// clientFor builds a Client the way the program does (LoadConfig, New),
// with static credentials for accessKey and a quick retry backoff.
func clientFor(tb testing.TB, endpoint, accessKey string, o Options, extra ...func(*config.LoadOptions) error) *Client {
	tb.Helper()
	return New(configFor(tb, endpoint, accessKey, o, extra...), withEndpoint(o, endpoint))
}

func configFor(tb testing.TB, endpoint, accessKey string, o Options, extra ...func(*config.LoadOptions) error) aws.Config {
	tb.Helper()
	o = withEndpoint(o, endpoint)
	opts := []func(*config.LoadOptions) error{
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(accessKey, sim.DemoSecretKey, "")),
		config.WithRetryer(func() aws.Retryer { return newRetryer(quickBackoff) }),
	}
	cfg, err := loadConfig(context.Background(), o, append(opts, extra...)...)
	if err != nil {
		tb.Fatalf("loadConfig: %v", err)
	}
	return cfg
}

func withEndpoint(o Options, endpoint string) Options {
	o.Endpoint = endpoint
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	return o
}

// withProductionRetryer restores the retryer LoadConfig installs, for tests
// about what is and is not retried.
func withProductionRetryer() func(*config.LoadOptions) error {
	return config.WithRetryer(func() aws.Retryer { return newRetryer(nil) })
}

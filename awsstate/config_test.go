package awsstate

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

func TestLoadConfigUnknownProfile(t *testing.T) {
	_, err := LoadConfig(context.Background(), Options{Profile: "acme-prdo", Region: "us-east-1"})

	if KindOf(err) != KindUnknownProfile {
		t.Fatalf("err = %v, want unknown profile", err)
	}
	if want := `unknown AWS profile "acme-prdo"`; !strings.HasPrefix(Explain(err), want) {
		t.Errorf("Explain = %q, want prefix %q", Explain(err), want)
	}
}

func TestLoadConfigRegion(t *testing.T) {
	_, err := LoadConfig(context.Background(), Options{})
	if !errors.Is(err, ErrNoRegion) || KindOf(err) != KindNoRegion {
		t.Errorf("no region: err = %v, want ErrNoRegion", err)
	}

	_, err = LoadConfig(context.Background(), Options{Region: "us-east"})
	if KindOf(err) != KindInvalidRegion || !strings.Contains(Explain(err), `"us-east"`) {
		t.Errorf("bad region: err = %v, want invalid region naming it", err)
	}

	for _, r := range []string{"us-east-1", "eu-west-1", "us-gov-west-1", "ap-southeast-2", "cn-north-1"} {
		if _, err := LoadConfig(context.Background(), Options{Region: r}); err != nil {
			t.Errorf("region %s: %v", r, err)
		}
	}
}

// A profile from the shared files picks the account (by its keys) and the
// endpoint, exactly as for the AWS CLI.
func TestLoadConfigProfileFromSharedFiles(t *testing.T) {
	_, url := startSim(t, sim.Options{})
	dir := t.TempDir()
	if err := sim.WriteAWSConfig(dir, url); err != nil {
		t.Fatal(err)
	}
	files := []func(*config.LoadOptions) error{
		config.WithSharedConfigFiles([]string{filepath.Join(dir, "config")}),
		config.WithSharedCredentialsFiles([]string{filepath.Join(dir, "credentials")}),
	}

	for profile, account := range map[string]string{"acme-staging": sim.StagingAccountID, "acme-prod": sim.ProdAccountID} {
		o := Options{Profile: profile, Region: "us-east-1"}
		cfg, err := loadConfig(context.Background(), o, files...)
		if err != nil {
			t.Fatalf("%s: %v", profile, err)
		}
		snap := New(cfg, o).Fetch(context.Background())
		if snap.Identity.AccountID != account {
			t.Errorf("%s: account = %q (%v), want %s", profile, snap.Identity.AccountID,
				snap.Sections[model.SectionIdentity].Err, account)
		}
	}
}

func TestLoadConfigHonoursEnvironment(t *testing.T) {
	_, url := startSim(t, sim.Options{})
	t.Setenv("AWS_ENDPOINT_URL", url)
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", sim.StagingAccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", sim.DemoSecretKey)

	cfg, err := LoadConfig(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := New(cfg, Options{})
	snap := c.Fetch(context.Background())

	if snap.Identity.AccountID != sim.StagingAccountID || c.Region() != "us-east-1" {
		t.Errorf("account %q in %q (%v), want %s in us-east-1", snap.Identity.AccountID, c.Region(),
			snap.Sections[model.SectionIdentity].Err, sim.StagingAccountID)
	}
}

func TestFetchWithoutCredentials(t *testing.T) {
	_, url := startSim(t, sim.Options{})
	o := Options{Region: "us-east-1", Endpoint: url}
	cfg, err := LoadConfig(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}

	r := New(cfg, o).Fetch(context.Background()).Sections[model.SectionIdentity]

	if KindOf(r.Err) != KindMissingCredentials || !strings.HasPrefix(Explain(r.Err), "no AWS credentials found") {
		t.Errorf("identity section = %+v, want missing credentials", r)
	}
}

// A custom CA bundle (AWS_CA_BUNDLE, as behind a corporate TLS proxy) must
// keep working: the SDK adds it to the HTTP client while loading, which is
// why LoadConfig wraps the client only afterwards. The sim is served over
// TLS with a certificate only that bundle trusts.
func TestLoadConfigHonoursCABundle(t *testing.T) {
	s, err := sim.New(sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(s)
	t.Cleanup(ts.Close)
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
	if err := os.WriteFile(bundle, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CA_BUNDLE", bundle)
	t.Setenv("AWS_ENDPOINT_URL", ts.URL)
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", sim.ProdAccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", sim.DemoSecretKey)

	cfg, err := LoadConfig(context.Background(), Options{})
	if err != nil {
		t.Fatalf("LoadConfig with AWS_CA_BUNDLE: %v", err)
	}
	snap := New(cfg, Options{}).Fetch(context.Background())
	if snap.Identity.AccountID != sim.ProdAccountID {
		t.Errorf("identity over TLS = %q (%v), want %s", snap.Identity.AccountID,
			snap.Sections[model.SectionIdentity].Err, sim.ProdAccountID)
	}
}

// A malformed endpoint fails LoadConfig, before any call, with the value
// and where it came from; one that the SDK would not use does not.
func TestLoadConfigRefusesMalformedEndpoint(t *testing.T) {
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "config")
	if err := os.WriteFile(cfgFile, []byte("[profile typo]\nregion = us-east-1\nendpoint_url = localhost:4566\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		o       Options
		wantErr string // "" for no error
	}{
		{"AWS_ENDPOINT_URL", map[string]string{"AWS_ENDPOINT_URL": "not a url"}, Options{},
			`AWS_ENDPOINT_URL "not a url" is not an endpoint URL (expected http:// or https:// and a host`},
		{"AWS_ENDPOINT_URL_EC2", map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL_EC2": "ftp://x"}, Options{},
			`AWS_ENDPOINT_URL_EC2 "ftp://x" is not an endpoint URL`},
		{"AWS_ENDPOINT_URL_STS", map[string]string{"AWS_ENDPOINT_URL_STS": "https://"}, Options{},
			`AWS_ENDPOINT_URL_STS "https://"`},
		{"AWS_ENDPOINT_URL_IAM", map[string]string{"AWS_ENDPOINT_URL_IAM": "127.0.0.1:4566"}, Options{},
			`AWS_ENDPOINT_URL_IAM "127.0.0.1:4566"`},
		{"Options.Endpoint", nil, Options{Endpoint: "not a url"}, `endpoint "not a url" is not an endpoint URL`},
		{"profile endpoint_url", nil, Options{Profile: "typo"}, `endpoint_url of profile "typo" "localhost:4566" is not an endpoint URL`},
		{"ignored by the SDK", map[string]string{"AWS_ENDPOINT_URL": "not a url", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, Options{}, ""},
		{"overridden by Options.Endpoint", map[string]string{"AWS_ENDPOINT_URL_EC2": "not a url"}, Options{Endpoint: "http://127.0.0.1:4566"}, ""},
		{"good ones", map[string]string{"AWS_ENDPOINT_URL": "https://vpce-1.ec2.us-east-1.vpce.amazonaws.com", "AWS_ENDPOINT_URL_STS": "http://[::1]:4566/"}, Options{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range append(slices.Clone(endpointEnv), "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_PROFILE") {
				t.Setenv(k, "")
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			tt.o.Region = "us-east-1"
			_, err := loadConfig(context.Background(), tt.o, config.WithSharedConfigFiles([]string{cfgFile}))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("want no error, got %v", err)
				}
				return
			}
			if KindOf(err) != KindInvalidEndpoint || !strings.Contains(Explain(err), tt.wantErr) {
				t.Errorf("got %v (kind %v), want KindInvalidEndpoint and %q", err, KindOf(err), tt.wantErr)
			}
		})
	}
}

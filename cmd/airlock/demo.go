package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/tui"
)

// demoProfiles maps the demo's profiles to their simulated accounts: two
// with keys, and two that assume a role in acme-prod (the second asks for
// an MFA code: 123456).
var demoProfiles = map[string]string{
	sim.ProdAlias:        sim.ProdAccountID,
	sim.StagingAlias:     sim.StagingAccountID,
	sim.ProdAdminProfile: sim.ProdAccountID,
	sim.ProdMFAProfile:   sim.ProdAccountID,
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var df dashboardFlags
	fs := newFlagSet("demo", "airlock demo [--config FILE] [--profile acme-prod|acme-staging|acme-prod-admin|acme-prod-mfa] [--go-live-after 45s] [--refresh 5s] [--read-only] [--theme auto] [--present] [--redact]", stderr)
	df.register(fs)
	fs.Lookup("audit-log").Usage = "append the audit log to `file` (default $XDG_STATE_HOME/airlock/demo-audit.log, apart from real actions)"
	profile := fs.String("profile", "acme-prod", "demo `profile`: acme-prod, acme-staging, or acme-prod-admin and acme-prod-mfa (roles in acme-prod; MFA code "+sim.MFACode+")")
	region := fs.String("region", "us-east-1", "demo `region`: us-east-1 or eu-west-1")
	goLiveAfter := fs.Duration("go-live-after", 45*time.Second, "move the EIPs from blue to green after this `duration`, as a deploy would (0 disables)")
	scenario := fs.String("scenario", "demo", "simulated `world`: demo, hostile, s4 (a group SHORT on a broken launch template), s5 (full subnets, throttling), ...")
	simListen := fs.String("sim-listen", "127.0.0.1:0", "serve the demo's simulated AWS on this `address`, to watch its /_sim/stats or change its world")
	if err := parse(fs, args); err != nil {
		return err
	}
	// A --config is read before the simulated AWS starts, so a mistake in
	// it is said at once; without one the demo ships its own, below.
	var conf model.Config
	if df.config != "" {
		c, err := loadConfig(df.config)
		if err != nil {
			return reportConfigError(stderr, err)
		}
		conf = c
		df.applyConfig(conf, setFlags(fs), false)
	}
	if err := df.validate(); err != nil {
		return err
	}
	account, ok := demoProfiles[*profile]
	if !ok {
		return usageError{fmt.Sprintf("--profile %q is not a demo profile; use acme-prod, acme-staging, acme-prod-admin or acme-prod-mfa", *profile)}
	}
	if *goLiveAfter < 0 {
		return usageError{fmt.Sprintf("--go-live-after must not be negative, got %s", *goLiveAfter)}
	}

	topts, err := df.tuiOptions(setFlags(fs))
	if err != nil {
		return err
	}
	// Epoch now: launch times and event ages read naturally ("launched 2h
	// ago"); StateDelay lets a terminate visibly pass through
	// shutting-down, as it does on AWS.
	srv, err := sim.New(sim.Options{Scenario: *scenario, Epoch: time.Now(), StateDelay: 3 * time.Second})
	if err != nil {
		return usageError{err.Error()}
	}
	ln, err := net.Listen("tcp", *simListen)
	if err != nil {
		return fmt.Errorf("cannot start the simulated AWS on %s: %w", *simListen, err)
	}
	endpoint := "http://" + ln.Addr().String()

	simCtx, stopSim := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- serveUntilDone(simCtx, ln, srv) }()
	defer func() { stopSim(); <-served }()

	// The demo reaches the sim the way a user reaches AWS: through a shared
	// config file and a named profile, so the real credential chain runs.
	dir, err := os.MkdirTemp("", "airlock-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := sim.WriteAWSConfig(dir, endpoint); err != nil {
		return err
	}
	isolateFromRealAWS(dir)
	if df.config == "" {
		// The demo knows its accounts as a team's configuration would, so
		// the banner shows an environment the file decided.
		p := filepath.Join(dir, "airlock.toml")
		if err := os.WriteFile(p, []byte(demoConfig()), 0o600); err != nil {
			return err
		}
		if conf, err = loadConfig(p); err != nil {
			return fmt.Errorf("the demo's own configuration: %w", err)
		}
	}
	// The demo's world is tagged with the default key and its actions
	// have their own log, whatever a --config says about real accounts.
	conf = conf.WithClusterTag(model.DefaultClusterTag)

	opts := awsstate.Options{Profile: *profile, Region: *region, Endpoint: endpoint, CallTimeout: 5 * time.Second, AuditLog: df.auditLog}
	if opts.AuditLog == "" {
		// Demo actions go to their own log, never mixed with real ones.
		p, err := awsstate.DefaultAuditLogPath()
		if err != nil {
			return err
		}
		opts.AuditLog = filepath.Join(filepath.Dir(p), "demo-audit.log")
	}
	opts.MFA = terminalMFA(os.Stdin, os.Stderr)
	client, err := awsstate.NewConnector(opts)(ctx, *profile, *region)
	if err != nil {
		return fmt.Errorf("%s", awsstate.Explain(err))
	}

	if *goLiveAfter > 0 {
		t := time.AfterFunc(*goLiveAfter, func() { _ = srv.GoLive(account) })
		defer t.Stop()
	}

	topts.Profile = *profile
	topts.Region = *region
	conf.Defaults.AuditLog = opts.AuditLog
	topts.Config = conf
	topts.Connect = connector(opts)
	return tui.Run(ctx, client, topts)
}

// demoConfig is the configuration the demo runs with unless --config
// names another: its two accounts, by the simulated IDs.
func demoConfig() string {
	return fmt.Sprintf(`# airlock demo: the simulated accounts, as a team would describe its own.
[accounts.%s]
name = %q
environment = "production"

[accounts.%s]
name = %q
environment = "staging"
`, sim.ProdAccountID, sim.ProdAlias, sim.StagingAccountID, sim.StagingAlias)
}

// isolateFromRealAWS points the SDK's shared files at the demo's and drops
// any real credentials or endpoints from the environment, so nothing the
// demo does can reach a real account.
func isolateFromRealAWS(dir string) {
	for _, k := range []string{
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_IAM",
		"AWS_ENDPOINT_URL_AUTO_SCALING", "AWS_ENDPOINT_URL_ECS",
	} {
		os.Unsetenv(k)
	}
	os.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

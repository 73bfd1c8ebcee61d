package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/airlock-ops/airlock/awsstate/sim"
)

func runSim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sim", "airlock sim --listen 127.0.0.1:PORT [--scenario NAME] [--instances N] [--services N] [--latency D] [--fault SPEC]... [--throttling] [--credential-lifetime D] [--write-aws-config DIR]", stderr)
	listen := fs.String("listen", "127.0.0.1:4566", "serve on this `address` (port 0 picks a free one)")
	scenario := fs.String("scenario", "demo", "simulated `world`: demo, hostile, ...")
	instances := fs.Int("instances", 0, "generate a world of `N` instances instead of the scenario")
	services := fs.Int("services", 0, "generate `N` ECS services in clusters of 100 (default: one per five --instances, or the scenario's)")
	latency := fs.Duration("latency", 0, "add this `delay` to every API call")
	writeConfig := fs.String("write-aws-config", "", "write AWS config and credentials files for the sim's profiles into `dir`")
	var faults []string
	fs.Func("fault", "inject a fault from the start, e.g. access-denied,action=ec2:TerminateInstances (repeatable; `SPEC` as for POST /_sim/faults, see 'go doc github.com/airlock-ops/airlock/awsstate/sim')",
		func(spec string) error { faults = append(faults, spec); return nil })
	lifetime := fs.Duration("credential-lifetime", 0, "make every AssumeRole session last this `duration`, whatever DurationSeconds asks (0: as asked, 1h by default), to watch credentials expire")
	throttling := fs.Bool("throttling", false, "turn on EC2's token-bucket throttling (100 tokens and 20/s per Describe action, 50 and 5/s per mutating one)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *instances < 0 {
		return usageError{fmt.Sprintf("--instances must not be negative, got %d", *instances)}
	}
	if *services < 0 {
		return usageError{fmt.Sprintf("--services must not be negative, got %d", *services)}
	}
	if *latency < 0 {
		return usageError{fmt.Sprintf("--latency must not be negative, got %s", *latency)}
	}
	if *lifetime < 0 {
		return usageError{fmt.Sprintf("--credential-lifetime must not be negative, got %s", *lifetime)}
	}

	srv, err := sim.New(sim.Options{Scenario: *scenario, Instances: *instances, Services: *services, Latency: *latency, CredentialLifetime: *lifetime})
	if err != nil {
		return usageError{err.Error()}
	}
	// The same parser as POST /_sim/faults, so a spec that works in a
	// script's curl works here, with the same message when it does not.
	for _, spec := range faults {
		if _, err := srv.InjectSpec(spec); err != nil {
			return usageError{fmt.Sprintf("--fault %q: %v", spec, err)}
		}
	}
	srv.EnableThrottling(*throttling)
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", *listen, err)
	}
	endpoint := "http://" + ln.Addr().String()

	if *writeConfig != "" {
		if err := sim.WriteAWSConfig(*writeConfig, endpoint); err != nil {
			ln.Close()
			return fmt.Errorf("writing AWS config into %s: %w", *writeConfig, err)
		}
	}
	printSimBanner(stdout, endpoint, *writeConfig)
	for _, spec := range faults {
		fmt.Fprintf(stdout, "Fault: %s\n", spec)
	}
	if *throttling {
		fmt.Fprintf(stdout, "Throttling: on\n")
	}
	if b := srv.CurrentBursts(); b.Every > 0 {
		fmt.Fprintf(stdout, "Throttling bursts: %s for the last %s of every %s (stop: curl -X DELETE %s/_sim/bursts)\n", b.Service, b.For, b.Every, endpoint)
	}

	return serveUntilDone(ctx, ln, srv)
}

// printSimBanner tells the operator how to point tools at the sim. The first
// line is machine-readable ("endpoint: URL") so scripts and tests can read it.
func printSimBanner(w io.Writer, endpoint, configDir string) {
	fmt.Fprintf(w, "endpoint: %s\n\n", endpoint)
	fmt.Fprintf(w, "Simulated AWS: accounts acme-prod (%s, key %s) and acme-staging (%s, key %s).\n",
		sim.ProdAccountID, sim.ProdAccessKey, sim.StagingAccountID, sim.StagingAccessKey)
	if configDir != "" {
		abs, err := filepath.Abs(configDir)
		if err != nil {
			abs = configDir
		}
		fmt.Fprintf(w, "\nUse it with the written profiles:\n")
		fmt.Fprintf(w, "  export AWS_CONFIG_FILE=%s AWS_SHARED_CREDENTIALS_FILE=%s\n",
			filepath.Join(abs, "config"), filepath.Join(abs, "credentials"))
		fmt.Fprintf(w, "  airlock status --profile acme-prod\n")
		fmt.Fprintf(w, "  airlock --profile %s   (assumes role %s; %s asks for MFA code %s)\n", sim.ProdAdminProfile, sim.AdminRole, sim.ProdMFAProfile, sim.MFACode)
		fmt.Fprintf(w, "  aws ec2 describe-instances --profile acme-staging\n")
	} else {
		fmt.Fprintf(w, "\nPoint any AWS SDK or CLI at it:\n")
		fmt.Fprintf(w, "  export AWS_ENDPOINT_URL=%s AWS_REGION=us-east-1\n", endpoint)
		fmt.Fprintf(w, "  export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s\n", sim.ProdAccessKey, sim.DemoSecretKey)
		fmt.Fprintf(w, "  airlock status\n")
		fmt.Fprintf(w, "(or pass --write-aws-config DIR for ready-made profiles)\n")
	}
	fmt.Fprintf(w, "\nControl: GET %[1]s/_sim/stats, POST %[1]s/_sim/go-live, POST %[1]s/_sim/reset,\n", endpoint)
	fmt.Fprintf(w, "  GET/POST/DELETE %[1]s/_sim/faults (GET %[1]s/_sim/ lists them all)\n", endpoint)
	fmt.Fprintf(w, "Ctrl-C stops it.\n")
}

// serveUntilDone serves h on ln until ctx is cancelled, then shuts down,
// waiting briefly for calls in flight.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Close, not Shutdown: a call still being served (a fault holding it
	// for seconds) must not hold up a program asked to stop, and the
	// simulator has nothing to finish on its clients' behalf.
	_ = hs.Close()
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/tui"
)

// runDashboard opens the console against real AWS with the default
// credential chain, or the profile and region given.
func runDashboard(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var af awsFlags
	var df dashboardFlags
	fs := newFlagSet("airlock", "airlock [--config FILE] [--profile P] [--region R] [--refresh 5s] [--read-only] [--audit-log FILE]", stderr)
	af.register(fs)
	df.register(fs)
	flagsOnly := fs.Usage
	fs.Usage = func() {
		flagsOnly()
		fmt.Fprint(stderr, "\nThis is the dashboard; 'airlock help' lists the other commands (demo, status, sim).\n")
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	// The file is read before anything else happens, so a mistake in it
	// is said on a terminal that is still the shell's.
	conf, err := loadConfig(df.config)
	if err != nil {
		return reportConfigError(stderr, err)
	}
	set := setFlags(fs)
	df.applyConfig(conf, set, true)
	conf = af.applyConfig(conf, set)
	if err := af.validate(); err != nil {
		return err
	}
	if err := df.validate(); err != nil {
		return err
	}
	topts, err := df.tuiOptions()
	if err != nil {
		return err
	}
	opts := af.options()
	opts.AuditLog = df.auditLog
	cfg, err := awsstate.LoadConfig(ctx, opts)
	if err != nil {
		return fmt.Errorf("%s", awsstate.Explain(err))
	}
	client := awsstate.New(cfg, opts)
	if os.Getenv("GOGC") == "" {
		stop := tuneGC(ctx)
		defer stop()
	}
	topts.ClusterTag = af.clusterTag
	topts.Profile = af.profile
	topts.Region = client.Region()
	topts.Config = conf
	return tui.Run(ctx, client, topts)
}

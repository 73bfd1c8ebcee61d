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
	fs := newFlagSet("airlock", "airlock [--config FILE] [--profile P] [--region R] [--refresh 5s] [--read-only] [--audit-log FILE] [--theme auto] [--present] [--redact]", stderr)
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
	topts, err := df.tuiOptions(set)
	if err != nil {
		return err
	}
	opts := af.options()
	opts.AuditLog = df.auditLog
	// A profile with mfa_serial asks for its code here, on the terminal,
	// before the dashboard takes it.
	opts.MFA = terminalMFA(os.Stdin, os.Stderr)
	client, err := awsstate.NewConnector(opts)(ctx, af.profile, af.region)
	if err != nil {
		return fmt.Errorf("%s", awsstate.Explain(err))
	}
	if os.Getenv("GOGC") == "" {
		stop := tuneGC(ctx, gcFirstLoad)
		defer stop()
	}
	topts.ClusterTag = af.clusterTag
	topts.Profile = af.profile
	topts.Region = client.Region()
	topts.Config = conf
	topts.Connect = connector(opts)
	return tui.Run(ctx, client, topts)
}

// connector is the dashboard's way to switch profile or region: the same
// options as the first client, with the dashboard's own MFA input, since
// a prompt on the terminal would fight the dashboard for it.
func connector(opts awsstate.Options) func(context.Context, string, string, awsstate.MFAFunc) (tui.Source, error) {
	return func(ctx context.Context, profile, region string, mfa awsstate.MFAFunc) (tui.Source, error) {
		o := opts
		o.MFA = mfa
		c, err := awsstate.NewConnector(o)(ctx, profile, region)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// Command airlock is a terminal operations console for AWS.
//
// It keeps the state that matters during deploys and incidents on screen
// and fresh (which account you are in, which cluster is live, where every
// Elastic IP points) and lets a destructive action through only after the
// operator has typed a confirmation phrase against state fetched again that
// very moment.
//
// Usage:
//
//	airlock [flags]            the dashboard, against real AWS
//	airlock demo [flags]       the dashboard against a simulated AWS (no account needed)
//	airlock status [--json]    fetch once and print (exit 3 when incomplete)
//	airlock status --line      one line for tmux's status-right
//	airlock preflight [--json] would each Auto Scaling group's launch succeed (exit 1 when not)
//	airlock sim --listen ADDR  serve the simulated AWS for any SDK or CLI
//	airlock config check       check the configuration file and show its accounts
//	airlock version            the module version and VCS revision (also --version)
//
// Run "airlock help" or "airlock CMD -h" for the flags of each.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// usageError marks a mistake in the command line: exit status 2 and the
// usage text, as the flag package does.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitError carries a non-zero exit status whose message was already
// printed (for example by status, which prints its own report).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// command is one subcommand: its name, a one-line summary for help, and
// the function that runs it with the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"demo", "open the dashboard against a simulated AWS (no account needed)", runDemo},
		{"status", "fetch the account's state once and print it (text, --json, or --line for tmux)", runStatus},
		{"preflight", "check that each Auto Scaling group could launch now (exit 1 when not; --json)", runPreflight},
		{"sim", "serve the simulated AWS over HTTP for any AWS SDK or CLI", runSim},
		{"config", "check the configuration file (check), print an example (example), or where it goes (path)", runConfig},
		{"version", "print airlock's version and VCS revision (also --version)", runVersion},
	}
}

func main() {
	ctx, stop := onSignal(context.Background())
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// endingSignals end airlock: Ctrl-C delivered as a signal, kill, and a
// hang-up (the tmux pane closed, the SSH connection dropped).
var endingSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// signalled is the cause of a context ended by a signal.
type signalled struct{ os.Signal }

func (s signalled) Error() string { return "received " + s.String() }

// onSignal is the one owner of the ending signals: the first cancels ctx
// with the signal as its cause, and everything winds down from that (the
// dashboard restores the terminal, records the outcome of an action in
// flight, and returns). The dashboard's bubbletea program does not catch
// signals itself: two owners of one signal deadlocked it. A second
// signal exits at once, for a program that did not wind down.
func onSignal(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, endingSignals...)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			cancel(signalled{sig})
		case <-done:
			return
		}
		select {
		case sig := <-sigs:
			os.Exit(128 + int(sig.(syscall.Signal)))
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

// run is main without the process: it returns the exit status, which keeps
// every path testable and guarantees deferred cleanups run before exit.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout, stderr)
	var ue usageError
	var ee exitError
	var sig signalled
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(context.Cause(ctx), &sig):
		// Asked to stop: the shell's convention is 128 + the signal's
		// number, and nothing more to say than which signal.
		fmt.Fprintf(stderr, "airlock: stopped: %s\n", sig)
		return 128 + int(sig.Signal.(syscall.Signal))
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "airlock: %s\nRun 'airlock help' for usage.\n", ue.msg)
		return 2
	default:
		fmt.Fprintf(stderr, "airlock: %s\n", err)
		return 1
	}
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch name := args[0]; name {
		case "--version", "-version":
			// The dashboard owns the bare flags, but --version is what
			// every tool answers; it takes no other flag.
			return runVersion(ctx, args[1:], stdout, stderr)
		case "help":
			// -h, -help and --help are the dashboard's own flag (it is
			// what runs without a command), so they show its flags below.
			printHelp(stdout)
			return nil
		default:
			for _, c := range commands() {
				if c.name == name {
					return c.run(ctx, args[1:], stdout, stderr)
				}
			}
			if name != "" && name[0] != '-' {
				return usageError{fmt.Sprintf("unknown command %q", name)}
			}
		}
	}
	return runDashboard(ctx, args, stdout, stderr)
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `airlock: a terminal operations console for AWS.

Usage:
  airlock [flags]          open the dashboard against AWS (default credential chain)
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  airlock %-16s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'airlock CMD -h' for the flags of a command, 'airlock -h' for the dashboard's.
`)
}

package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
	"github.com/airlock-ops/airlock/tui"
)

// awsFlags are the flags every command that talks to AWS shares.
type awsFlags struct {
	profile     string
	region      string
	endpoint    string
	clusterTag  string
	callTimeout time.Duration
}

func (f *awsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.profile, "profile", "", "AWS shared config `profile` (default: $AWS_PROFILE or the default chain)")
	fs.StringVar(&f.region, "region", "", "AWS `region` (default: the profile's or $AWS_REGION)")
	fs.StringVar(&f.endpoint, "endpoint", "", "send every AWS call to this `URL` (default: $AWS_ENDPOINT_URL, or AWS itself)")
	fs.StringVar(&f.clusterTag, "cluster-tag", model.DefaultClusterTag, "tag `key` that groups instances into clusters")
	fs.DurationVar(&f.callTimeout, "call-timeout", 10*time.Second, "give up on one AWS call after this `duration`")
}

func (f *awsFlags) options() awsstate.Options {
	return awsstate.Options{
		Profile:     f.profile,
		Region:      f.region,
		Endpoint:    f.endpoint,
		CallTimeout: f.callTimeout,
		ClusterTag:  f.clusterTag,
	}
}

func (f *awsFlags) validate() error {
	if f.callTimeout <= 0 {
		return usageError{fmt.Sprintf("--call-timeout must be positive, got %s", f.callTimeout)}
	}
	if f.clusterTag == "" {
		return usageError{"--cluster-tag must not be empty"}
	}
	if f.endpoint != "" {
		if err := awsstate.CheckEndpoint(f.endpoint); err != nil {
			return usageError{"--endpoint " + err.Error()}
		}
	}
	return nil
}

// applyConfig takes the cluster tag from the configuration unless
// --cluster-tag was given, and returns the configuration to use: a flag
// typed for this run wins over the file, for every account alike.
func (f *awsFlags) applyConfig(cfg model.Config, set map[string]bool) model.Config {
	if set["cluster-tag"] {
		return cfg.WithClusterTag(f.clusterTag)
	}
	// Until the account is confirmed only the file's default can apply;
	// model.Config.ClusterTagFor gives an account's own tag once it is.
	f.clusterTag = cfg.ClusterTagFor("")
	return cfg
}

// defaultRefresh is the dashboard's refresh interval without a flag or a
// configured default.
const defaultRefresh = 5 * time.Second

// dashboardFlags are the flags of the interactive console (airlock, airlock demo).
type dashboardFlags struct {
	refresh  time.Duration
	readOnly bool
	auditLog string
	theme    string
	config   string
	mouse    bool
	utc      bool
	present  bool
	redact   bool
}

func (f *dashboardFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "read the configuration from `file` (default: "+configPathHelp+", if it exists)")
	fs.DurationVar(&f.refresh, "refresh", defaultRefresh, "refresh the screen every `duration` (jittered)")
	fs.BoolVar(&f.readOnly, "read-only", false, "refuse every destructive action")
	fs.StringVar(&f.auditLog, "audit-log", "", "append the audit log to `file` (default $XDG_STATE_HOME/airlock/audit.log)")
	fs.BoolVar(&f.mouse, "mouse", false, "capture the mouse (wheel scrolls, click selects); off by default so the terminal can select and copy text")
	fs.StringVar(&f.theme, "theme", "auto", "colour `theme`: auto (dark or light, as the terminal's background is; dark when it does not say), dark, light, high-contrast, colorblind or monochrome; the last three follow the background as auto does; NO_COLOR gives monochrome; without the flag, [defaults] theme of the configuration")
	// UTC by default: the audit log and `airlock status` write UTC, and
	// so do AWS's own consoles and CloudTrail; times pasted into an
	// incident channel read across zones are unambiguous. Either way
	// every time on screen carries its zone.
	fs.BoolVar(&f.utc, "utc", true, "show times in UTC; --utc=false shows local time, with its zone")
	fs.BoolVar(&f.present, "present", false, "draw for a shared screen: the environment in large letters, fewer columns, wider gaps, and the high-contrast theme unless --theme is given")
	fs.BoolVar(&f.redact, "redact", false, "mask account IDs, public IPs, ARNs and the caller's name on screen (1111••••1111, 203.0.•.•) for screen shares and screenshots; the audit log keeps the real values")
}

// tuiOptions returns the dashboard's options from these flags (set: the
// flags given, from setFlags); account and region come from the caller.
// --present draws in the high-contrast theme unless --theme chose one
// for this run: the configuration's theme is the everyday look, and a
// shared screen is not everyday.
func (f *dashboardFlags) tuiOptions(set map[string]bool) (tui.Options, error) {
	name := f.theme
	if f.present && !set["theme"] {
		name = themes.HighContrast.String()
	}
	choice, err := themes.Parse(name)
	if err != nil {
		return tui.Options{}, usageError{"--theme: " + err.Error()}
	}
	return tui.Options{
		Refresh:    f.refresh,
		ReadOnly:   f.readOnly,
		Mouse:      f.mouse,
		Theme:      choice.Kind,
		Background: choice.Background,
		Zone:       f.zone(),
		Monochrome: monochrome() || choice.Kind == themes.Monochrome,
		Present:    f.present,
		Redact:     f.redact,
	}, nil
}

// applyConfig takes the configuration's defaults for the flags that were
// not given (set: the flags that were, from setFlags). The audit log's
// default is taken only when withAuditLog: the demo keeps its own log,
// apart from real actions.
func (f *dashboardFlags) applyConfig(cfg model.Config, set map[string]bool, withAuditLog bool) {
	d := cfg.Defaults
	if !set["refresh"] && d.Refresh > 0 {
		f.refresh = d.Refresh
	}
	if !set["theme"] && d.Theme != "" {
		f.theme = d.Theme
	}
	if withAuditLog && !set["audit-log"] && d.AuditLog != "" {
		f.auditLog = d.AuditLog
	}
}

// setFlags returns the names of the flags given on the command line, so
// a configured default replaces only a flag's built-in default.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	return set
}

func (f *dashboardFlags) validate() error {
	if f.refresh < model.MinRefresh {
		return usageError{fmt.Sprintf("--refresh must be at least %s, got %s", model.MinRefresh, f.refresh)}
	}
	return nil
}

// zone is where the dashboard shows times: nil (UTC) unless --utc=false.
func (f *dashboardFlags) zone() *time.Location {
	if f.utc {
		return nil
	}
	return time.Local
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its usage to w.
func newFlagSet(name, synopsis string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and rejects stray positional arguments, which are
// always a mistake here (a typo like "airlock status jsn").
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		// The flag package has already printed the problem and the usage.
		return exitError{code: 2}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}

// monochrome reports whether the terminal asked for no colour
// (https://no-color.org) or cannot show any.
func monochrome() bool {
	return os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb"
}

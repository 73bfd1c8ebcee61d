package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/airlock-ops/airlock/model"
)

// runConfig is `airlock config check|example|path`: the configuration
// file, checked, shown by example, and located, without opening the
// dashboard.
func runConfig(_ context.Context, args []string, stdout, stderr io.Writer) error {
	const synopsis = "airlock config check [--config PATH] | airlock config example | airlock config path"
	if len(args) == 0 {
		return usageError{"config: expected check, example or path (" + synopsis + ")"}
	}
	switch args[0] {
	case "check":
		fs := newFlagSet("config check", "airlock config check [--config PATH]", stderr)
		path := fs.String("config", "", "check this `file` (default: "+configPathHelp+")")
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		return configCheck(*path, stdout, stderr)
	case "example":
		if err := parse(newFlagSet("config example", "airlock config example", stderr), args[1:]); err != nil {
			return err
		}
		_, err := io.WriteString(stdout, exampleConfig)
		return err
	case "path":
		if err := parse(newFlagSet("config path", "airlock config path", stderr), args[1:]); err != nil {
			return err
		}
		p, err := configPath()
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, p)
		return nil
	case "-h", "-help", "--help":
		fmt.Fprintf(stderr, "Usage: %s\n\n"+
			"  check    validate the file and show its accounts as airlock will (exit status 2 if it is wrong)\n"+
			"  example  print a commented example file\n"+
			"  path     print where airlock looks for the file without --config\n", synopsis)
		return nil
	}
	return usageError{fmt.Sprintf("config: unknown command %q: expected check, example or path", args[0])}
}

// configPathHelp is the default location in words, for flag help.
const configPathHelp = "$XDG_CONFIG_HOME/airlock/config.toml, else ~/.config/airlock/config.toml"

func configCheck(path string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(path)
	if err != nil {
		return reportConfigError(stderr, err)
	}
	if cfg.Path == "" {
		where, _ := configPath()
		fmt.Fprintf(stdout, "No configuration file at %s: airlock runs with its built-in defaults,\n"+
			"and places each account by its IAM alias.\n", where)
		return nil
	}
	writeConfig(stdout, cfg)
	return nil
}

// writeConfig shows a configuration as airlock will use it: each account
// as the banner will name and colour it, then the defaults.
func writeConfig(w io.Writer, cfg model.Config) {
	accounts := cfg.SortedAccounts()
	fmt.Fprintf(w, "%s: OK, %d %s\n\n", cfg.Path, len(accounts), plural(len(accounts), "account", "accounts"))
	if len(accounts) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ACCOUNT\tID\tENVIRONMENT\tCOLOR\tREAD-ONLY\tPROTECTED CLUSTERS\tCLUSTER TAG")
		for _, a := range accounts {
			name := a.Name
			if name == "" {
				name = "(IAM alias)"
			}
			prot := "-"
			if len(a.ProtectedClusters) > 0 {
				shown := make([]string, len(a.ProtectedClusters))
				for i, c := range a.ProtectedClusters {
					shown[i] = model.Display(c)
				}
				prot = strings.Join(shown, ", ")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, a.ID, a.Env.Label(),
				cmp.Or(a.Color, "theme"), yesNo(a.ReadOnly), prot, model.Display(cfg.ClusterTagFor(a.ID)))
		}
		tw.Flush()
		fmt.Fprintf(w, "\nAny other account is %s: treated as production (the phrase names the account).\n", model.EnvUnknown.Label())
	} else {
		fmt.Fprintf(w, "No accounts listed: each account is placed by its IAM alias (prod, stag, dev),\n"+
			"else it is %s, treated as production.\n", model.EnvUnknown.Label())
	}

	d := cfg.Defaults
	zone := "the machine's local time"
	if d.TimeZone != nil {
		zone = d.TimeZone.String()
	}
	refresh := defaultRefresh.String() + " (built in)"
	if d.Refresh > 0 {
		refresh = d.Refresh.String()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "\nDefaults (a flag given on the command line wins):")
	fmt.Fprintf(tw, "  cluster tag\t%s\n", cmp.Or(model.Display(d.ClusterTag), model.DefaultClusterTag+" (built in)"))
	fmt.Fprintf(tw, "  refresh\t%s\n", refresh)
	fmt.Fprintf(tw, "  theme\t%s\n", cmp.Or(d.Theme, "auto (built in)"))
	fmt.Fprintf(tw, "  audit log\t%s\n", cmp.Or(d.AuditLog, "$XDG_STATE_HOME/airlock/audit.log (built in)"))
	fmt.Fprintf(tw, "  time zone\t%s\n", zone)
	tw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// exampleConfig is what `airlock config example` prints; a test runs it
// through `config check`.
const exampleConfig = `# airlock configuration. 'airlock config path' says where airlock looks for
# it; 'airlock config check' checks it and shows the accounts as airlock will.
# A key airlock does not know is an error, never ignored.

[defaults]
# The tag whose value names an instance's cluster.
cluster_tag = "Cluster"
# Time between refreshes (jittered); at least 1s.
refresh = "5s"
# auto (dark or light, as the terminal's background is), dark, light,
# high-contrast, colorblind or monochrome (NO_COLOR gives monochrome).
theme = "auto"
# Every action is recorded here, intent before and outcome after.
audit_log = "~/.local/state/airlock/audit.log"
# Times on screen are shown in this IANA time zone (default: the machine's).
time_zone = "UTC"

# One table per account, named by its 12-digit account ID. Once any account
# is listed, an account that is not is UNKNOWN and treated as production:
# the banner says so and the phrase to type names the account.
[accounts.111122223333]
name = "acme-prod"                # on the banner, and typed before the target in production
environment = "production"        # production, staging, development or sandbox
protected_clusters = ["payments"] # never stopped or terminated, no EIP moved, through airlock

[accounts.444455556666]
name = "acme-staging"
environment = "staging"
color = "#FFB000"                 # the banner's colour: "#RRGGBB", "#RGB" or "0" to "255"

[accounts.777788889999]
name = "acme-audit"
environment = "production"
read_only = true                  # airlock changes nothing in this account
cluster_tag = "Service"           # this account names its clusters with another tag
`

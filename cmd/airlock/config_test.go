package main

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// Every kind of bad input names the file, the line and column of the
// mistake, what is there and what was expected.
func TestParseConfigRejects(t *testing.T) {
	const envs = `"production", "staging", "development" or "sandbox"`
	const acctKeys = "name, environment, color, read_only, protected_clusters, cluster_tag"
	tests := []struct {
		name, doc string
		want      []string
	}{
		{
			"a typo in an environment's value does not make production anything else",
			"[accounts.111111111111]\nname = \"acme-prod\"\nenvironment = \"prodution\"\n",
			[]string{`c.toml:3:15: accounts.111111111111.environment: unknown environment "prodution": expected ` + envs},
		},
		{
			"an abbreviation is not an environment",
			"[accounts.111111111111]\nenvironment = \"dev\"\n",
			[]string{`c.toml:2:15: accounts.111111111111.environment: unknown environment "dev": expected ` + envs},
		},
		{
			"unknown is not an environment a file can give",
			"[accounts.111111111111]\nenvironment = \"unknown\"\n",
			[]string{`c.toml:2:15: accounts.111111111111.environment: unknown environment "unknown": expected ` + envs},
		},
		{
			"a typo in a key is an unknown key, with the likely one",
			"[accounts.111111111111]\nname = \"acme-prod\"\nenviroment = \"production\"\n",
			[]string{`c.toml:3:1: unknown key "enviroment" in [accounts.111111111111]; expected one of: ` + acctKeys + ` (did you mean "environment"?)`},
		},
		{
			"every unknown key at once",
			"[defaults]\nrefreh = \"5s\"\nzone = \"UTC\"\n",
			[]string{
				`c.toml:2:1: unknown key "refreh" in [defaults]; expected one of: cluster_tag, refresh, theme, audit_log, time_zone (did you mean "refresh"?)`,
				`c.toml:3:1: unknown key "zone" in [defaults]; expected one of: cluster_tag, refresh, theme, audit_log, time_zone`,
			},
		},
		{
			"British spelling of color",
			"[accounts.111111111111]\nenvironment = \"staging\"\ncolour = \"#fff\"\n",
			[]string{`c.toml:3:1: unknown key "colour" in [accounts.111111111111]; expected one of: ` + acctKeys + ` (did you mean "color"?)`},
		},
		{
			"an unknown table at the top",
			"[account.111111111111]\nenvironment = \"production\"\n",
			[]string{`c.toml:1:2: unknown key "account" at the top level; expected one of: defaults, accounts (did you mean "accounts"?)`},
		},
		{
			"a table inside an account",
			"[accounts.111111111111.tags.x]\n",
			[]string{`c.toml:1:2: unknown key "tags" in [accounts.111111111111]; expected one of: ` + acctKeys},
		},
		{
			"an account is required to say its environment",
			"[accounts.111111111111]\nname = \"acme-prod\"\n",
			[]string{`c.toml:1:11: [accounts.111111111111] has no environment: expected environment = ` + envs},
		},
		{
			"an account ID that is not 12 digits",
			"\n[accounts.11111111111]\nenvironment = \"production\"\n",
			[]string{`c.toml:2:11: [accounts.11111111111]: account ID "11111111111" is not 12 digits: expected the 12-digit ID as the table's name, such as [accounts.111122223333]`},
		},
		{
			"an account ID with spaces, quoted",
			"[accounts.\"1111 1111 1111\"]\nenvironment = \"production\"\n",
			[]string{`c.toml:1:11: [accounts."1111 1111 1111"]: account ID "1111 1111 1111" is not 12 digits: expected the 12-digit ID as the table's name, such as [accounts.111122223333]`},
		},
		{
			"an invalid colour is named",
			"[accounts.111111111111]\nenvironment = \"production\"\ncolor = \"#ffgg00\"\n",
			[]string{`c.toml:3:9: accounts.111111111111.color: "#ffgg00" is not a colour: expected "#RRGGBB", "#RGB" or an ANSI colour number 0-255`},
		},
		{
			"a colour name is not a colour",
			"[accounts.111111111111]\nenvironment = \"production\"\ncolor = \"red\"\n",
			[]string{`c.toml:3:9: accounts.111111111111.color: "red" is not a colour: expected "#RRGGBB", "#RGB" or an ANSI colour number 0-255`},
		},
		{
			"wrong type: a string for a boolean",
			"[accounts.111111111111]\nenvironment = \"production\"\nread_only = \"yes\"\n",
			[]string{`c.toml:3:13: accounts.111111111111.read_only: expected true or false, got a string`},
		},
		{
			"wrong type: a number for a duration",
			"[defaults]\nrefresh = 5\n",
			[]string{`c.toml:2:11: defaults.refresh: expected a duration string, such as "5s", got an integer`},
		},
		{
			"wrong type: a string for an array",
			"[accounts.111111111111]\nenvironment = \"production\"\nprotected_clusters = \"blue\"\n",
			[]string{`c.toml:3:22: accounts.111111111111.protected_clusters: expected an array of cluster names, such as ["blue", "green"], got a string`},
		},
		{
			"wrong type: a number in the array",
			"[accounts.111111111111]\nenvironment = \"production\"\nprotected_clusters = [\"blue\", 7]\n",
			[]string{`c.toml:3:31: accounts.111111111111.protected_clusters: expected an array of cluster names, such as ["blue", "green"], got an integer`},
		},
		{
			"wrong type: an account that is not a table",
			"[accounts]\n111111111111 = \"production\"\n",
			[]string{`c.toml:2:16: accounts.111111111111: expected a table of the account's settings ([accounts.111111111111]), got a string`},
		},
		{
			"wrong type: an array of tables",
			"[[accounts]]\nname = \"x\"\n",
			[]string{`c.toml:1:3: accounts: expected a table of accounts keyed by 12-digit account ID ([accounts.111122223333]), got an array of tables ([[accounts]])`},
		},
		{
			"an empty protected cluster",
			"[accounts.111111111111]\nenvironment = \"production\"\nprotected_clusters = [\"blue\", \"\"]\n",
			[]string{`c.toml:3:31: accounts.111111111111.protected_clusters[1]: protected cluster name is empty`},
		},
		{
			"two accounts under one name",
			"[accounts.111111111111]\nenvironment = \"production\"\nname = \"acme\"\n[accounts.222222222222]\nenvironment = \"staging\"\nname = \"ACME\"\n",
			[]string{`c.toml:6:8: accounts.222222222222.name: "ACME" is also the name of account 111111111111; each account needs its own name`},
		},
		{
			"an empty name",
			"[accounts.111111111111]\nenvironment = \"production\"\nname = \"\"\n",
			[]string{`c.toml:3:8: accounts.111111111111.name: name is empty; leave it out to use the IAM alias`},
		},
		{
			"a name with a control character",
			"[accounts.111111111111]\nenvironment = \"production\"\nname = \"acme\\u001b[2J\"\n",
			[]string{`c.toml:3:8: accounts.111111111111.name: name acme⟨U+001B⟩[2J holds invisible or control characters`},
		},
		{
			"every bad default, top to bottom",
			"[defaults]\ncluster_tag = \"\"\nrefresh = \"500ms\"\ntheme = \"solarized\"\naudit_log = \"audit.log\"\ntime_zone = \"Mars/Olympus\"\n",
			[]string{
				`c.toml:2:15: defaults.cluster_tag: cluster tag key is empty`,
				`c.toml:3:11: defaults.refresh: refresh interval 500ms is shorter than 1s`,
				`c.toml:4:9: defaults.theme: unknown theme "solarized" (want one of auto, dark, light, high-contrast, colorblind, monochrome)`,
				`c.toml:5:13: defaults.audit_log: path "audit.log" is relative: expected an absolute path or one starting with "~/"`,
				`c.toml:6:13: defaults.time_zone: "Mars/Olympus" is not an IANA time zone: expected a name such as "Europe/Paris", "America/New_York" or "UTC"`,
			},
		},
		{
			"a duration without a unit",
			"[defaults]\nrefresh = \"5\"\n",
			[]string{`c.toml:2:11: defaults.refresh: "5" is not a duration: expected a number and a unit, such as "5s" or "1m30s"`},
		},
		{
			"Local is not a zone name",
			"[defaults]\ntime_zone = \"Local\"\n",
			[]string{`c.toml:2:13: defaults.time_zone: "Local" is not an IANA time zone: expected a name such as "Europe/Paris", "America/New_York" or "UTC"`},
		},
		{
			"errors in an inline table are placed inside it, in characters",
			"accounts = { 111111111111 = { name = \"né\", environment = \"qa\" } }\n",
			// Column 58 in characters; "é" makes it byte 59.
			[]string{`c.toml:1:58: accounts.111111111111.environment: unknown environment "qa": expected ` + envs},
		},
		{
			"a syntax error",
			"[defaults]\nrefresh = \n",
			[]string{`c.toml:2:11: invalid TOML: unexpected character U+000A at start of value`},
		},
		{
			"a table defined twice",
			"[accounts.111111111111]\nenvironment = \"production\"\n[accounts.111111111111]\n",
			[]string{`c.toml:3:2: invalid TOML: table 111111111111 already exists`},
		},
		{
			"not UTF-8",
			"[defaults]\ntheme = \"\xff\"\n",
			[]string{`c.toml: the file is not UTF-8 text`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseConfig("c.toml", []byte(tc.doc))
			if err == nil {
				t.Fatalf("accepted: %+v", cfg)
			}
			if got := strings.Split(err.Error(), "\n"); !slices.Equal(got, tc.want) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if !reflect.DeepEqual(cfg, model.Config{}) {
				t.Errorf("a rejected file still gave a configuration: %+v", cfg)
			}
		})
	}
}

func TestParseConfigAccepts(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, doc string
		want      model.Config
	}{
		{"empty", "", model.Config{Path: "c.toml"}},
		{"comments only", "# nothing yet\n", model.Config{Path: "c.toml"}},
		{
			"defaults",
			"[defaults]\ncluster_tag = \"Service\"\nrefresh = \"1m30s\"\ntheme = \"colorblind\"\naudit_log = \"~/logs/airlock.log\"\ntime_zone = \"Europe/Paris\"\n",
			model.Config{Path: "c.toml", Defaults: model.Defaults{ClusterTag: "Service", Refresh: 90 * time.Second,
				Theme: "colorblind", AuditLog: filepath.Join(home, "logs", "airlock.log"), TimeZone: paris}},
		},
		{
			"an account with every setting",
			"[accounts.012345678901]\nname = \"acme-prod\"\nenvironment = \"production\"\ncolor = \"#b00020\"\nread_only = true\n" +
				"protected_clusters = [\"blue\", \"blue\\u200b\"]\ncluster_tag = \"Cluster\"\n",
			model.Config{Path: "c.toml", Accounts: map[string]model.Account{"012345678901": {
				ID: "012345678901", Name: "acme-prod", Env: model.EnvProduction, Color: "#b00020", ReadOnly: true,
				ProtectedClusters: []string{"blue", "blue\u200b"}, ClusterTag: "Cluster"}}},
		},
		{
			"dotted keys, inline tables and a byte order mark",
			"\ufeffaccounts.111111111111.environment = \"sandbox\"\naccounts.222222222222 = { environment = \"development\", color = \"255\" }\n",
			model.Config{Path: "c.toml", Accounts: map[string]model.Account{
				"111111111111": {ID: "111111111111", Env: model.EnvSandbox},
				"222222222222": {ID: "222222222222", Env: model.EnvDevelopment, Color: "255"},
			}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseConfig("c.toml", []byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// The messages' "expected ..." come from keysAt; a key added to the
// file's structs without its description would go unexplained.
func TestConfigSchemaMatchesStructs(t *testing.T) {
	tags := func(v any) []string {
		var out []string
		ty := reflect.TypeOf(v)
		for i := range ty.NumField() {
			out = append(out, ty.Field(i).Tag.Get("toml"))
		}
		return out
	}
	names := func(ks []keySpec) []string {
		var out []string
		for _, k := range ks {
			out = append(out, k.name)
		}
		return out
	}
	for _, tc := range []struct {
		v    any
		keys []keySpec
	}{{fileConfig{}, rootKeys}, {fileDefaults{}, defaultsKeys}, {fileAccount{}, accountKeys}} {
		if got, want := names(tc.keys), tags(tc.v); !slices.Equal(got, want) {
			t.Errorf("%T: described keys %v, struct keys %v", tc.v, got, want)
		}
	}
}

// `airlock config check` shows the accounts as airlock will: names,
// environment words, colours, protections and tag keys resolved.
func TestConfigCheck(t *testing.T) {
	var stdout, stderr strings.Builder
	code := run(context.Background(), []string{"config", "check", "--config", "testdata/config/acme.toml"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit status %d; stderr: %s", code, stderr.String())
	}
	golden.RequireEqual(t, stdout.String())
}

// A bad file ends the command with status 2 and the problem, before the
// dashboard (or the demo's simulated AWS) starts: no terminal is taken.
func TestBadConfigExitsTwo(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte("[accounts.111111111111]\nenvironment = \"prod\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	want := "airlock: " + bad + `:2:15: accounts.111111111111.environment: unknown environment "prod": expected "production", "staging", "development" or "sandbox"` + "\n"
	missing := filepath.Join(t.TempDir(), "nope.toml")
	for _, args := range [][]string{
		{"config", "check", "--config", bad},
		{"--config", bad},
		{"--config", bad, "--profile", "x", "--endpoint", "http://127.0.0.1:1"},
		{"demo", "--config", bad},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr strings.Builder
			if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if stderr.String() != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout: %q", stdout.String())
			}
		})
	}
	t.Run("a --config that is not there", func(t *testing.T) {
		var stdout, stderr strings.Builder
		if code := run(context.Background(), []string{"--config", missing}, &stdout, &stderr); code != 2 {
			t.Errorf("exit status %d, want 2", code)
		}
		if !strings.Contains(stderr.String(), "cannot read the configuration: open "+missing) {
			t.Errorf("stderr: %s", stderr.String())
		}
	})
}

func TestConfigExamplePassesCheck(t *testing.T) {
	var stdout, stderr strings.Builder
	if code := run(context.Background(), []string{"config", "example"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr.String())
	}
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(stdout.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"config", "check", "--config", p}, &stdout, &stderr); code != 0 {
		t.Fatalf("the example fails its own check (%d): %s", code, stderr.String())
	}
	cfg, err := loadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Accounts) != 3 || cfg.Defaults.TimeZone == nil || cfg.Defaults.Refresh != 5*time.Second {
		t.Errorf("the example does not show every setting: %+v", cfg)
	}
}

func TestConfigPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, tc := range []struct{ xdg, want string }{
		{"/etc/xdg-home", "/etc/xdg-home/airlock/config.toml"},
		{"", filepath.Join(home, ".config", "airlock", "config.toml")},
		// The XDG specification: a relative path is invalid, ignored.
		{"relative/dir", filepath.Join(home, ".config", "airlock", "config.toml")},
	} {
		t.Setenv("XDG_CONFIG_HOME", tc.xdg)
		var stdout, stderr strings.Builder
		if code := run(context.Background(), []string{"config", "path"}, &stdout, &stderr); code != 0 {
			t.Fatalf("exit status %d: %s", code, stderr.String())
		}
		if got := strings.TrimSpace(stdout.String()); got != tc.want {
			t.Errorf("XDG_CONFIG_HOME=%q: config path = %q, want %q", tc.xdg, got, tc.want)
		}
	}
}

// Without --config, no file is no configuration; a file that is there
// counts, and one that cannot be read is an error, not an absence.
func TestLoadConfigDefaultPath(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	cfg, err := loadConfig("")
	if err != nil || !reflect.DeepEqual(cfg, model.Config{}) {
		t.Fatalf("no file: %+v, %v; want the zero configuration", cfg, err)
	}
	var stdout, stderr strings.Builder
	if code := run(context.Background(), []string{"config", "check"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "No configuration file at "+xdg) {
		t.Errorf("config check without a file: %d, %q", code, stdout.String())
	}

	p := filepath.Join(xdg, "airlock", "config.toml")
	if err := os.MkdirAll(p, 0o700); err != nil { // a directory where the file should be
		t.Fatal(err)
	}
	if _, err := loadConfig(""); err == nil || !strings.Contains(err.Error(), "cannot read the configuration") {
		t.Errorf("a directory at the path: %v", err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("[accounts.111111111111]\nenvironment = \"staging\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err = loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Path != p || cfg.Accounts["111111111111"].Env != model.EnvStaging {
		t.Errorf("the file at the default path was not read: %+v", cfg)
	}
}

// A flag typed for this run wins over the file; the file's defaults
// replace only the built-in ones.
func TestFlagsWinOverConfig(t *testing.T) {
	conf := model.Config{
		Defaults: model.Defaults{ClusterTag: "Service", Refresh: 30 * time.Second, Theme: "colorblind", AuditLog: "/var/log/airlock.log"},
		Accounts: map[string]model.Account{"111111111111": {ID: "111111111111", Env: model.EnvProduction, ClusterTag: "Cluster"}},
	}
	tests := []struct {
		args       []string
		refresh    time.Duration
		theme      string
		auditLog   string
		tag        string // the flag's value after the config applied
		accountTag string // what the account's clusters are grouped by
	}{
		{nil, 30 * time.Second, "colorblind", "/var/log/airlock.log", "Service", "Cluster"},
		{[]string{"--refresh", "5s"}, 5 * time.Second, "colorblind", "/var/log/airlock.log", "Service", "Cluster"},
		{[]string{"--theme", "default", "--audit-log", "/tmp/a.log"}, 30 * time.Second, "default", "/tmp/a.log", "Service", "Cluster"},
		// Given explicitly, even with its built-in value, a flag wins.
		{[]string{"--cluster-tag", "Cluster"}, 30 * time.Second, "colorblind", "/var/log/airlock.log", "Cluster", "Cluster"},
		{[]string{"--cluster-tag", "Role"}, 30 * time.Second, "colorblind", "/var/log/airlock.log", "Role", "Role"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var af awsFlags
			var df dashboardFlags
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			af.register(fs)
			df.register(fs)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			set := setFlags(fs)
			df.applyConfig(conf, set, true)
			got := af.applyConfig(conf, set)
			if df.refresh != tc.refresh || df.theme != tc.theme || df.auditLog != tc.auditLog || af.clusterTag != tc.tag {
				t.Errorf("refresh %s theme %s audit %s tag %s; want %s %s %s %s",
					df.refresh, df.theme, df.auditLog, af.clusterTag, tc.refresh, tc.theme, tc.auditLog, tc.tag)
			}
			if at := got.ClusterTagFor("111111111111"); at != tc.accountTag {
				t.Errorf("the account's tag is %q, want %q", at, tc.accountTag)
			}
		})
	}
	t.Run("the demo keeps its own audit log", func(t *testing.T) {
		var df dashboardFlags
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		df.register(fs)
		df.applyConfig(conf, setFlags(fs), false)
		if df.auditLog != "" || df.refresh != 30*time.Second {
			t.Errorf("audit %q refresh %s", df.auditLog, df.refresh)
		}
	})
}

// The demo's own configuration knows both of its accounts, so its banner
// shows an environment the file decided.
func TestDemoConfig(t *testing.T) {
	cfg, err := parseConfig("demo", []byte(demoConfig()))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id    model.Identity
		env   model.Environment
		src   model.EnvSource
		named string
	}{
		{model.Identity{AccountID: sim.ProdAccountID, Alias: sim.ProdAlias}, model.EnvProduction, model.SourceConfig, "acme-prod"},
		{model.Identity{AccountID: sim.StagingAccountID, Alias: sim.StagingAlias}, model.EnvStaging, model.SourceConfig, "acme-staging"},
		{model.Identity{AccountID: "999999999999", Alias: "acme-dev"}, model.EnvUnknown, model.SourceUnknown, "acme-dev"},
	} {
		env, src := cfg.EnvironmentOf(tc.id)
		if env != tc.env || src != tc.src || cfg.AccountName(tc.id) != tc.named {
			t.Errorf("%s: %s (%s) named %q; want %s (%s) named %q", tc.id.AccountID, env, src, cfg.AccountName(tc.id), tc.env, tc.src, tc.named)
		}
	}
}

func TestConfigCommandLine(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		code     int
		inStderr string
	}{
		{[]string{"config"}, 2, "config: expected check, example or path"},
		{[]string{"config", "chek"}, 2, `config: unknown command "chek": expected check, example or path`},
		{[]string{"config", "example", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"config", "check", "--nope"}, 2, "flag provided but not defined: -nope"},
		{[]string{"config", "-h"}, 0, "print where airlock looks"},
		{[]string{"config", "check", "-h"}, 0, "-config file"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr strings.Builder
			if code := run(context.Background(), tc.args, &stdout, &stderr); code != tc.code {
				t.Errorf("exit status %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.inStderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.inStderr, stderr.String())
			}
		})
	}
}

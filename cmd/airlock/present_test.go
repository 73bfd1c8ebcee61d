package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/airlock-ops/airlock/themes"
)

// demoSecrets are what `status --redact` must never print of the sim's
// demo world: both accounts' IDs, the Elastic IPs and the instances'
// public addresses of both accounts (203.0.113.0/24, 198.51.100.0/24,
// 192.0.2.0/24, documentation ranges that stand for public addresses),
// and the caller's user name.
var demoSecrets = []string{"111111111111", "222222222222", "203.0.113.", "198.51.100.", "192.0.2.", "user/oncall"}

// TestStatusRedact runs the built binary against the sim as a user would
// before pasting into a shared channel: in every format, with --redact
// nothing of demoSecrets is printed and the masks are; without it, the
// same run prints them (so the check can fail).
func TestStatusRedact(t *testing.T) {
	sim := startSim(t)
	formats := map[string][]string{
		"text": {"status"},
		"json": {"status", "--json"},
		"line": {"status", "--line"},
		"tmux": {"status", "--line", "--format", "tmux"},
	}
	for name, args := range formats {
		for _, profile := range []string{"acme-prod", "acme-staging"} {
			env := append(sim.env(), "XDG_STATE_HOME="+t.TempDir())
			plain, _, code := runAirlock(t, env, append(args, "--profile", profile)...)
			if code != 0 {
				t.Fatalf("%s %s: exit %d", name, profile, code)
			}
			masked, stderr, code := runAirlock(t, env, append(args, "--profile", profile, "--redact")...)
			if code != 0 {
				t.Fatalf("%s %s --redact: exit %d: %s", name, profile, code, stderr)
			}
			leaked := 0
			for _, s := range demoSecrets {
				if strings.Contains(masked, s) {
					t.Errorf("%s %s --redact prints %s:\n%s", name, profile, s, masked)
				}
				if strings.Contains(plain, s) {
					leaked++
				}
			}
			if leaked == 0 {
				t.Errorf("%s %s without --redact prints none of the secrets: the check cannot fail:\n%s", name, profile, plain)
			}
			if !strings.Contains(masked, "••••") {
				t.Errorf("%s %s --redact shows no masked account ID:\n%s", name, profile, masked)
			}
			if name == "json" {
				var doc statusDoc
				if err := json.Unmarshal([]byte(masked), &doc); err != nil {
					t.Fatalf("status --json --redact is not JSON: %v\n%s", err, masked)
				}
				if !doc.Redacted || !strings.HasSuffix(doc.Account.ARN, ":user/on•••") || len(doc.Clusters) == 0 {
					t.Errorf("redacted JSON: redacted=%v arn=%q clusters=%d", doc.Redacted, doc.Account.ARN, len(doc.Clusters))
				}
				if strings.Contains(plain, `"redacted"`) {
					t.Error("JSON without --redact carries a redacted field")
				}
			}
		}
	}
}

// The text tables stay aligned on what is printed: masking happens
// before the columns are laid out.
func TestStatusTextRedactedIsAligned(t *testing.T) {
	sim := startSim(t)
	out, _, code := runAirlock(t, sim.env(), "status", "--redact", "--profile", "acme-prod")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var header, row string
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "ELASTIC IP"):
			header = l
		case header != "" && row == "" && strings.HasPrefix(l, "203.0.•.•"):
			row = l
		}
	}
	col := strings.Index(header, "ALLOCATION") // the header is ASCII: bytes are columns
	r := []rune(row)
	if header == "" || len(r) <= col || !strings.HasPrefix(string(r[col:]), "eipalloc-") {
		t.Errorf("the allocation column does not line up under its title:\n%s\n%s", header, row)
	}
}

// --present picks the high-contrast theme unless --theme is given, even
// over the configuration's theme; --redact reaches the dashboard.
func TestDashboardPresentAndRedactFlags(t *testing.T) {
	cases := []struct {
		args      []string
		confTheme string
		kind      themes.Kind
		bg        themes.Background
		present   bool
		redact    bool
	}{
		{nil, "", themes.Default, themes.BackgroundAuto, false, false},
		{[]string{"--theme", "light"}, "", themes.Default, themes.BackgroundLight, false, false},
		{nil, "dark", themes.Default, themes.BackgroundDark, false, false},
		{[]string{"--present"}, "", themes.HighContrast, themes.BackgroundAuto, true, false},
		{[]string{"--present"}, "colorblind", themes.HighContrast, themes.BackgroundAuto, true, false},
		{[]string{"--present", "--theme", "colorblind"}, "", themes.ColorBlind, themes.BackgroundAuto, true, false},
		{[]string{"--redact"}, "", themes.Default, themes.BackgroundAuto, false, true},
	}
	for _, tc := range cases {
		t.Setenv("NO_COLOR", "")
		t.Setenv("TERM", "xterm-256color")
		var df dashboardFlags
		fs := newFlagSet("airlock", "", &strings.Builder{})
		df.register(fs)
		if err := parse(fs, tc.args); err != nil {
			t.Fatal(err)
		}
		set := setFlags(fs)
		if tc.confTheme != "" && !set["theme"] {
			df.theme = tc.confTheme // as applyConfig does
		}
		o, err := df.tuiOptions(set)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if o.Theme != tc.kind || o.Background != tc.bg || o.Present != tc.present || o.Redact != tc.redact {
			t.Errorf("%v (config theme %q): theme %v/%v present %v redact %v; want %v/%v %v %v",
				tc.args, tc.confTheme, o.Theme, o.Background, o.Present, o.Redact, tc.kind, tc.bg, tc.present, tc.redact)
		}
	}
}

package model

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	prodID    = "111111111111"
	stagingID = "222222222222"
	strayID   = "333333333333"
)

// acmeConfig knows the demo's two accounts: production protects its
// cluster "blue" and uses its own tag key; staging is read-only.
func acmeConfig() Config {
	return Config{
		Path:     "/home/oncall/.config/airlock/config.toml",
		Defaults: Defaults{ClusterTag: "Service"},
		Accounts: map[string]Account{
			prodID:    {ID: prodID, Name: "Acme Production", Env: EnvProduction, ProtectedClusters: []string{"blue"}, ClusterTag: "Cluster"},
			stagingID: {ID: stagingID, Name: "acme-staging", Env: EnvStaging, ReadOnly: true},
		},
	}
}

func confirmed(accountID, alias string) Identity {
	return Identity{AccountID: accountID, ARN: "arn:aws:iam::" + accountID + ":user/oncall", Alias: alias}
}

func TestEnvironmentOf(t *testing.T) {
	defaultsOnly := Config{Path: "/etc/airlock.toml", Defaults: Defaults{ClusterTag: "Service"}}
	sandbox := Config{Accounts: map[string]Account{strayID: {ID: strayID, Env: EnvSandbox}}}
	tests := []struct {
		name string
		cfg  Config
		id   Identity
		env  Environment
		src  EnvSource
	}{
		{"unconfirmed, no config", Config{}, Identity{Alias: "acme-dev"}, EnvUnknown, SourceUnconfirmed},
		{"unconfirmed, configured ID not yet confirmed", acmeConfig(), Identity{}, EnvUnknown, SourceUnconfirmed},
		{"no config: the alias decides", Config{}, confirmed(stagingID, "acme-staging"), EnvStaging, SourceAlias},
		{"no config: an alias no rule places", Config{}, confirmed(stagingID, "acme"), EnvUnknown, SourceUnknown},
		{"no config, no alias", Config{}, confirmed(stagingID, ""), EnvUnknown, SourceUnknown},
		{"a file of defaults only names no account: the alias decides", defaultsOnly, confirmed(prodID, "acme-dev"), EnvDevelopment, SourceAlias},
		{"configured: the config decides", acmeConfig(), confirmed(stagingID, "acme-staging"), EnvStaging, SourceConfig},
		// The file is what the team wrote down; an alias can be anything.
		{"configured production with a dev-sounding alias", acmeConfig(), confirmed(prodID, "acme-dev"), EnvProduction, SourceConfig},
		{"configured staging with a prod-sounding alias", acmeConfig(), confirmed(stagingID, "acme-prod"), EnvStaging, SourceConfig},
		{"sandbox only from the config", sandbox, confirmed(strayID, "x"), EnvSandbox, SourceConfig},
		// S3: a file that lists accounts and not this one: unknown, even
		// though the alias says development.
		{"not in a config that names accounts", acmeConfig(), confirmed(strayID, "acme-dev"), EnvUnknown, SourceUnknown},
		{"not in a config that names accounts, prod alias", acmeConfig(), confirmed(strayID, "acme-prod"), EnvUnknown, SourceUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env, src := tc.cfg.EnvironmentOf(tc.id)
			if env != tc.env || src != tc.src {
				t.Errorf("EnvironmentOf(%+v) = %q, %q; want %q, %q", tc.id, env, src, tc.env, tc.src)
			}
			if env != EnvSandbox && env != EnvStaging && env != EnvDevelopment && !env.Strict() {
				t.Errorf("%q is not strict", env)
			}
		})
	}
}

func TestAccountName(t *testing.T) {
	tests := []struct {
		cfg  Config
		id   Identity
		want string
	}{
		{acmeConfig(), confirmed(prodID, "acme-prod"), "Acme Production"},
		{acmeConfig(), confirmed(strayID, "acme-other"), "acme-other"},
		{acmeConfig(), confirmed(strayID, ""), strayID},
		{Config{}, confirmed(prodID, "acme-prod"), "acme-prod"},
		{acmeConfig(), Identity{Alias: "acme-prod"}, ""},
	}
	for _, tc := range tests {
		if got := tc.cfg.AccountName(tc.id); got != tc.want {
			t.Errorf("AccountName(%+v) = %q, want %q", tc.id, got, tc.want)
		}
	}
}

func TestPolicyFor(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		id   Identity
		s    Session
		want Policy
	}{
		{
			name: "no config, confirmed: what the tui assembled before",
			cfg:  Config{},
			id:   confirmed(prodID, "acme-prod"),
			s:    Session{ReadOnly: true, AuditLog: "disk full"},
			want: Policy{BannerAccountID: prodID, AccountName: "acme-prod", Env: EnvProduction, ReadOnly: true, AuditLog: "disk full"},
		},
		{
			name: "no config, no alias: named by ID, unknown",
			cfg:  Config{},
			id:   confirmed(prodID, ""),
			want: Policy{BannerAccountID: prodID, AccountName: prodID, Env: EnvUnknown},
		},
		{
			name: "a redacted screen: phrases must not need what it masks",
			cfg:  Config{},
			id:   confirmed(prodID, "acme-prod"),
			s:    Session{Redact: true},
			want: Policy{BannerAccountID: prodID, AccountName: "acme-prod", Env: EnvProduction, Redacted: true},
		},
		{
			name: "unconfirmed: no banner account, so nothing runs; read-only accounts still listed",
			cfg:  acmeConfig(),
			id:   Identity{},
			s:    Session{ProtectedClusters: []string{"db"}},
			want: Policy{Env: EnvUnknown, ProtectedAccounts: []string{stagingID}, ProtectedClusters: []string{"db"}},
		},
		{
			name: "configured production: its name, its protected clusters",
			cfg:  acmeConfig(),
			id:   confirmed(prodID, "acme-prod"),
			s:    Session{ProtectedAccounts: []string{"legacy"}, ProtectedClusters: []string{"db"}},
			want: Policy{BannerAccountID: prodID, AccountName: "Acme Production", Env: EnvProduction,
				ProtectedAccounts: []string{"legacy", stagingID}, ProtectedClusters: []string{"db", "blue"}},
		},
		{
			name: "configured read-only staging: protected, the session flag untouched",
			cfg:  acmeConfig(),
			id:   confirmed(stagingID, "acme-staging"),
			want: Policy{BannerAccountID: stagingID, AccountName: "acme-staging", Env: EnvStaging,
				ProtectedAccounts: []string{stagingID}},
		},
		{
			name: "an account the config does not name: unknown, named by alias, no one else's clusters",
			cfg:  acmeConfig(),
			id:   confirmed(strayID, "acme-dev"),
			want: Policy{BannerAccountID: strayID, AccountName: "acme-dev", Env: EnvUnknown, ProtectedAccounts: []string{stagingID}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.cfg.PolicyFor(tc.id, tc.s)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("PolicyFor =\n %+v\nwant\n %+v", got, tc.want)
			}
		})
	}
}

// TestPolicyForDoesNotAlias: appending the configuration's lists to the
// session's must not write into the session's backing arrays.
func TestPolicyForDoesNotAlias(t *testing.T) {
	clusters := make([]string, 1, 4)
	clusters[0] = "db"
	s := Session{ProtectedClusters: clusters}
	acmeConfig().PolicyFor(confirmed(prodID, ""), s)
	if got := clusters[:2]; got[1] != "" {
		t.Errorf("PolicyFor wrote into the session's slice: %q", got)
	}
}

// TestUnknownAccountActsAsProduction: the airlock itself, judged with the
// policies PolicyFor builds. An account the file does not name asks for
// the account's name in the phrase, as production does; a configured
// staging account does not; the configuration's protections refuse.
func TestUnknownAccountActsAsProduction(t *testing.T) {
	// The demo world, as seen from three accounts with identical names
	// (S3): the snapshot's identity is swapped for each.
	judge := func(cfg Config, id Identity, in Intent) Verdict {
		s := clone(demoSnap())
		s.Identity = id
		return Judge(in, SeenOf(Analyze(s, ""), fresh), factsOf(s), cfg.PolicyFor(id, Session{}))
	}
	green := Intent{Action: ActionTerminate, Cluster: "green"}
	blueEIP := Intent{Action: ActionDisassociate, AllocationIDs: []string{"eipalloc-1"}}

	cfg := acmeConfig()
	cfg.Accounts[stagingID] = Account{ID: stagingID, Name: "acme-staging", Env: EnvStaging}
	tests := []struct {
		name   string
		cfg    Config
		id     Identity
		in     Intent
		phrase string
		rule   Rule
	}{
		{"unknown account, dev alias: the phrase names the account", cfg, confirmed(strayID, "acme-dev"), green, "acme-dev/green", ""},
		{"unknown account, no alias: named by ID", cfg, confirmed(strayID, ""), green, strayID + "/green", ""},
		{"configured staging: the cluster alone", cfg, confirmed(stagingID, "acme-prod"), green, "green", ""},
		{"configured production: its configured name", cfg, confirmed(prodID, "acme-prod"), green, "Acme Production/green", ""},
		{"no config, staging alias: the cluster alone", Config{}, confirmed(stagingID, "acme-staging"), green, "green", ""},
		{"protected cluster blue in production", cfg, confirmed(prodID, "acme-prod"), blueEIP, "", RuleProtectedCluster},
		{"blue is not protected in an account that did not list it", cfg, confirmed(stagingID, "acme-staging"), blueEIP, "3.3.3.1", ""},
		{"read-only account", acmeConfig(), confirmed(stagingID, "acme-staging"), green, "", RuleProtectedAccount},
		{"unconfirmed identity", cfg, Identity{}, green, "", RuleWrongAccount},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := judge(tc.cfg, tc.id, tc.in)
			if tc.rule == "" {
				if !v.Allowed || v.Phrase != tc.phrase {
					t.Fatalf("allowed %v, phrase %q; want allowed, phrase %q (refusals %v)", v.Allowed, v.Phrase, tc.phrase, v.Refusals)
				}
				return
			}
			if v.Allowed {
				t.Fatalf("allowed, want refused by %s", tc.rule)
			}
			var rules []Rule
			for _, r := range v.Refusals {
				rules = append(rules, r.Rule)
			}
			if !strings.Contains(strings.Join(ruleStrings(rules), ","), string(tc.rule)) {
				t.Errorf("refused by %v, want %s among them", rules, tc.rule)
			}
		})
	}
}

func ruleStrings(rs []Rule) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

func TestClusterTagFor(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		id   string
		want string
	}{
		{"no config", Config{}, prodID, DefaultClusterTag},
		{"no config, no account yet", Config{}, "", DefaultClusterTag},
		{"the account's own", acmeConfig(), prodID, "Cluster"},
		{"the file's default", acmeConfig(), stagingID, "Service"},
		{"an account the file does not name: the file's default", acmeConfig(), strayID, "Service"},
		{"unconfirmed: the file's default", acmeConfig(), "", "Service"},
		{"a flag wins over the account", acmeConfig().WithClusterTag("Role"), prodID, "Role"},
		{"a flag wins over the default", acmeConfig().WithClusterTag("Role"), stagingID, "Role"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cfg.ClusterTagFor(tc.id); got != tc.want {
				t.Errorf("ClusterTagFor(%q) = %q, want %q", tc.id, got, tc.want)
			}
		})
	}
}

func TestWithClusterTagLeavesTheOriginal(t *testing.T) {
	cfg := acmeConfig()
	cfg.WithClusterTag("Role")
	if got := cfg.ClusterTagFor(prodID); got != "Cluster" {
		t.Errorf("the original's tag became %q", got)
	}
}

func TestSortedAccounts(t *testing.T) {
	cfg := Config{Accounts: map[string]Account{
		"333333333333": {ID: "333333333333", Name: "b"},
		"222222222222": {ID: "222222222222", Name: "a"},
		"111111111111": {ID: "111111111111", Name: "b"},
		"444444444444": {ID: "444444444444"},
	}}
	var got []string
	for _, a := range cfg.SortedAccounts() {
		got = append(got, a.ID)
	}
	want := []string{"444444444444", "222222222222", "111111111111", "333333333333"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SortedAccounts = %v, want %v", got, want)
	}
}

func TestCheckAccountID(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"111111111111", true},
		{"012345678901", true},
		{"11111111111", false},
		{"1111111111111", false},
		{"11111111111a", false},
		{"1111-1111-1111", false},
		{"１１１１１１１１１１１１", false}, // fullwidth digits
		{"", false},
	} {
		err := CheckAccountID(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("CheckAccountID(%q) = %v, want ok=%v", tc.in, err, tc.ok)
		}
		if err != nil && err.Error() != `account ID "`+tc.in+`" is not 12 digits` {
			t.Errorf("CheckAccountID(%q) says %q", tc.in, err)
		}
	}
}

func TestCheckColor(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"#B00020", true},
		{"#b00020", true},
		{"#F00", true},
		{"0", true},
		{"255", true},
		{"#B0002", false},
		{"#GG0000", false},
		{"B00020", false},
		{"256", false},
		{"-1", false},
		{"007", false},
		{"red", false},
		{"", false},
	} {
		err := CheckColor(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("CheckColor(%q) = %v, want ok=%v", tc.in, err, tc.ok)
		}
		if err != nil && !strings.HasPrefix(err.Error(), `"`+tc.in+`" is not a colour: expected "#RRGGBB", "#RGB" or an ANSI colour number 0-255`) {
			t.Errorf("CheckColor(%q) says %q", tc.in, err)
		}
	}
}

func TestCheckAccountName(t *testing.T) {
	for _, tc := range []struct {
		in, err string
	}{
		{"acme-prod", ""},
		{"Acme Production", ""},
		{"né", ""},
		{"", "name is empty; leave it out to use the IAM alias"},
		{" acme", `name " acme" starts or ends with a space`},
		{"acme\u200b", `name acme⟨U+200B⟩ holds invisible or control characters`},
		{"acme\x1b[31m", `name acme⟨U+001B⟩[31m holds invisible or control characters`},
		{strings.Repeat("a", 41), `name "` + strings.Repeat("a", 41) + `" is longer than 40 characters`},
	} {
		got := ""
		if err := CheckAccountName(tc.in); err != nil {
			got = err.Error()
		}
		if got != tc.err {
			t.Errorf("CheckAccountName(%q) = %q, want %q", tc.in, got, tc.err)
		}
	}
}

func TestCheckClusterTag(t *testing.T) {
	for _, tc := range []struct {
		in, err string
	}{
		{"Cluster", ""},
		{"aws:autoscaling:groupName", ""},
		{"team cluster", ""},
		{"", "cluster tag key is empty"},
		{"  ", "cluster tag key is empty"},
		{"Clu\u200bster", "cluster tag key Clu⟨U+200B⟩ster holds invisible or control characters"},
		{strings.Repeat("k", 129), "cluster tag key is longer than 128 characters (EC2's limit)"},
	} {
		got := ""
		if err := CheckClusterTag(tc.in); err != nil {
			got = err.Error()
		}
		if got != tc.err {
			t.Errorf("CheckClusterTag(%q) = %q, want %q", tc.in, got, tc.err)
		}
	}
}

func TestCheckRefreshAndProtectedCluster(t *testing.T) {
	if err := CheckRefresh(time.Second); err != nil {
		t.Errorf("CheckRefresh(1s) = %v", err)
	}
	if err := CheckRefresh(500 * time.Millisecond); err == nil || err.Error() != "refresh interval 500ms is shorter than 1s" {
		t.Errorf("CheckRefresh(500ms) = %v", err)
	}
	if err := CheckProtectedCluster(""); err == nil {
		t.Error("an empty protected cluster name passed")
	}
	if err := CheckProtectedCluster("blue\u200b"); err != nil {
		t.Errorf("a raw tag value was refused: %v", err)
	}
}

func TestEnvironmentWords(t *testing.T) {
	if got, want := EnvironmentWords(), `"production", "staging", "development" or "sandbox"`; got != want {
		t.Errorf("EnvironmentWords() = %s, want %s", got, want)
	}
}

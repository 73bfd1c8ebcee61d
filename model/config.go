package model

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Config is what the operator's configuration file says: the accounts
// airlock knows, by ID, and the defaults of a session. The zero value is
// a session without a file: no account known, every default built in.
//
// cmd/airlock reads the file and builds a Config, checking each field with
// the functions below (ParseEnvironment, CheckAccountID, CheckColor,
// CheckAccountName, CheckClusterTag, CheckRefresh); this package decides
// what a Config means for the banner and the airlock.
type Config struct {
	// Path is the file the configuration was read from, "" when airlock
	// runs without one. The banner and `config check` name it.
	Path     string
	Defaults Defaults
	// Accounts by 12-digit account ID (Account.ID is the same ID).
	Accounts map[string]Account
}

// Defaults are what a session uses when neither a flag nor the account
// says otherwise. A zero field means the built-in default.
type Defaults struct {
	ClusterTag string        // "" → DefaultClusterTag
	Refresh    time.Duration // 0 → the dashboard's built-in interval
	Theme      string        // a palette name as themes.ParseKind reads it; "" → built in
	AuditLog   string        // "" → the built-in path
	// TimeZone is the zone times are shown in; nil → the machine's
	// local time. Its String is the IANA name from the file.
	TimeZone *time.Location
}

// Account is one account the configuration knows.
type Account struct {
	ID   string // 12 digits
	Name string // display name; "" → the IAM alias
	Env  Environment
	// Color overrides the banner colour of Env: "#RRGGBB", "#RGB" or an
	// ANSI colour number "0" to "255". "" → the theme's colour.
	Color string
	// ReadOnly: airlock changes nothing in this account, whoever runs it
	// and however (RuleProtectedAccount).
	ReadOnly bool
	// ProtectedClusters are never terminated, stopped, or have an EIP
	// taken from or put on them (RuleProtectedCluster). Names are tag
	// values, raw.
	ProtectedClusters []string
	ClusterTag        string // "" → Defaults.ClusterTag
}

// EnvSource says what decided an account's environment, so the banner can
// say it: "PRODUCTION (config)" is a fact the team wrote down,
// "PRODUCTION (alias)" a guess from a name.
type EnvSource string

// The sources of an environment.
const (
	// SourceConfig: the configuration names the account.
	SourceConfig EnvSource = "config"
	// SourceAlias: no configuration names any account, and the IAM alias
	// placed it (ClassifyEnvironment).
	SourceAlias EnvSource = "alias"
	// SourceUnconfirmed: STS has not confirmed the account; nothing about
	// it is known yet.
	SourceUnconfirmed EnvSource = "unconfirmed"
	// SourceUnknown: the account is confirmed but nothing places it: the
	// configuration names accounts and not this one, or no configuration
	// names any and the alias matches no rule.
	SourceUnknown EnvSource = "unknown"
)

// Account returns the configured account with this ID, if any.
func (c Config) Account(accountID string) (Account, bool) {
	a, ok := c.Accounts[accountID]
	return a, ok && accountID != ""
}

// KnowsAccounts reports whether the configuration names any account.
// Once it does, it is the only authority on environments: an account it
// leaves out is unknown, not guessed from its alias.
func (c Config) KnowsAccounts() bool { return len(c.Accounts) > 0 }

// EnvironmentOf places the account of identity id, and says what placed
// it (story S3):
//
//   - An identity STS has not confirmed is EnvUnknown (SourceUnconfirmed):
//     a profile named "staging" can hold production credentials.
//   - An account the configuration names has the environment it gives
//     (SourceConfig), whatever its alias says.
//   - When the configuration names accounts but not this one, it is
//     EnvUnknown (SourceUnknown), treated as production everywhere: a team
//     that listed its accounts did not list this one, and its alias is
//     not evidence enough to relax.
//   - Only when no configuration names any account (no file, or a file
//     of defaults only) does the IAM alias decide (ClassifyEnvironment,
//     SourceAlias); an alias it cannot place is EnvUnknown (SourceUnknown).
func (c Config) EnvironmentOf(id Identity) (Environment, EnvSource) {
	if !id.Confirmed() {
		return EnvUnknown, SourceUnconfirmed
	}
	if a, ok := c.Account(id.AccountID); ok {
		return a.Env, SourceConfig
	}
	if c.KnowsAccounts() {
		return EnvUnknown, SourceUnknown
	}
	if e := ClassifyEnvironment(id.Alias); e != EnvUnknown {
		return e, SourceAlias
	}
	return EnvUnknown, SourceUnknown
}

// AccountName is how the account of a confirmed identity is named on the
// banner and in the production phrase: the configured name, else the IAM
// alias, else the account ID. "" for an unconfirmed identity.
func (c Config) AccountName(id Identity) string {
	if !id.Confirmed() {
		return ""
	}
	a, _ := c.Account(id.AccountID)
	return cmp.Or(a.Name, id.Alias, id.AccountID)
}

// Session is what the running session (its flags and its state) adds to
// the configuration when judging an action.
type Session struct {
	ReadOnly bool // --read-only
	// AuditLog is why the audit log cannot be written now, "" when it can
	// (Policy.AuditLog).
	AuditLog string
	// ProtectedAccounts (IDs or names) and ProtectedClusters given to the
	// session besides those of the configuration.
	ProtectedAccounts []string
	ProtectedClusters []string
	// Redact is --redact: the screen masks public IPs (Policy.Redacted).
	Redact bool
}

// PolicyFor is the policy for acting as identity id (the identity the
// banner shows) in session s: the one place a Policy is assembled.
//
//   - BannerAccountID and AccountName only for an identity STS confirmed;
//     otherwise nothing may run (RuleWrongAccount).
//   - Env from EnvironmentOf: unknown and unconfirmed accounts are strict.
//   - ReadOnly is the session's flag. An account the configuration marks
//     read_only is a protected account instead, so its refusal says the
//     configuration decided, not a flag that a restart would lift. Every
//     read_only account is listed, not only this one: the rule compares
//     with the identity fetched at the moment of acting too.
//   - ProtectedClusters: the session's and those the configuration gives
//     this account. A cluster name is protected in the account that lists
//     it only: "blue" in production says nothing about staging's "blue".
func (c Config) PolicyFor(id Identity, s Session) Policy {
	env, _ := c.EnvironmentOf(id)
	p := Policy{
		Env:      env,
		ReadOnly: s.ReadOnly,
		AuditLog: s.AuditLog,
		Redacted: s.Redact,
	}
	p.ProtectedAccounts = slices.Clone(s.ProtectedAccounts)
	for _, a := range c.sortedAccounts() {
		if a.ReadOnly {
			p.ProtectedAccounts = append(p.ProtectedAccounts, a.ID)
		}
	}
	p.ProtectedClusters = slices.Clone(s.ProtectedClusters)
	if id.Confirmed() {
		p.BannerAccountID = id.AccountID
		p.AccountName = c.AccountName(id)
		if a, ok := c.Account(id.AccountID); ok {
			p.ProtectedClusters = append(p.ProtectedClusters, a.ProtectedClusters...)
		}
	}
	return p
}

// ClusterTagFor is the tag key that groups the instances of an account
// into clusters: the account's own, else the configuration's default,
// else DefaultClusterTag. It is the one answer to "which tag key": the
// screen and the airlock must group by the same key, or a cluster shown
// is not the cluster acted on.
func (c Config) ClusterTagFor(accountID string) string {
	a, _ := c.Account(accountID)
	return cmp.Or(a.ClusterTag, c.Defaults.ClusterTag, DefaultClusterTag)
}

// WithClusterTag returns the configuration with tag as the cluster tag of
// every account, for a --cluster-tag given on the command line: a flag
// typed for this run wins over the file, for every account alike.
func (c Config) WithClusterTag(tag string) Config {
	c.Defaults.ClusterTag = tag
	if len(c.Accounts) > 0 {
		accounts := make(map[string]Account, len(c.Accounts))
		for id, a := range c.Accounts {
			a.ClusterTag = ""
			accounts[id] = a
		}
		c.Accounts = accounts
	}
	return c
}

// SortedAccounts returns the configured accounts ordered by name, then
// ID, as `config check` and a profile list show them.
func (c Config) SortedAccounts() []Account {
	as := c.sortedAccounts()
	slices.SortStableFunc(as, func(a, b Account) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return as
}

func (c Config) sortedAccounts() []Account {
	as := make([]Account, 0, len(c.Accounts))
	for _, a := range c.Accounts {
		as = append(as, a)
	}
	slices.SortFunc(as, func(a, b Account) int { return cmp.Compare(a.ID, b.ID) })
	return as
}

// CheckAccountID accepts an AWS account ID: exactly 12 ASCII digits
// (leading zeros are part of it, so it is a string, never a number).
func CheckAccountID(s string) error {
	if len(s) != 12 || strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		return fmt.Errorf("account ID %q is not 12 digits", s)
	}
	return nil
}

// CheckColor accepts a colour override: "#RRGGBB", "#RGB" (hex digits of
// either case) or an ANSI colour number from "0" to "255".
func CheckColor(s string) error {
	bad := fmt.Errorf("%q is not a colour: expected \"#RRGGBB\", \"#RGB\" or an ANSI colour number 0-255", s)
	if hex, ok := strings.CutPrefix(s, "#"); ok {
		if (len(hex) != 6 && len(hex) != 3) || strings.ContainsFunc(hex, func(r rune) bool { return !isHex(r) }) {
			return bad
		}
		return nil
	}
	if n, err := strconv.Atoi(s); err != nil || n < 0 || n > 255 || strconv.Itoa(n) != s {
		return bad
	}
	return nil
}

func isHex(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F')
}

// maxNameLen bounds a configured display name: it sits in the banner
// beside the ID, region and identity at 80 columns.
const maxNameLen = 40

// CheckAccountName accepts a display name: not empty, at most 40
// characters, no surrounding space, and nothing a terminal would hide or
// act on (the name prefixes the production phrase, which the operator
// types exactly as shown).
func CheckAccountName(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("name is empty; leave it out to use the IAM alias")
	case len([]rune(s)) > maxNameLen:
		return fmt.Errorf("name %q is longer than %d characters", s, maxNameLen)
	case strings.TrimSpace(s) != s:
		return fmt.Errorf("name %q starts or ends with a space", s)
	case Display(s) != s || Sanitize(s) != s:
		return fmt.Errorf("name %s holds invisible or control characters", Display(s))
	}
	return nil
}

// CheckClusterTag accepts a cluster tag key: not empty, at most 128
// characters (EC2's limit for a tag key), nothing invisible or control.
func CheckClusterTag(s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return fmt.Errorf("cluster tag key is empty")
	case len([]rune(s)) > 128:
		return fmt.Errorf("cluster tag key is longer than 128 characters (EC2's limit)")
	case strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) || Display(s) != s:
		return fmt.Errorf("cluster tag key %s holds invisible or control characters", Display(s))
	}
	return nil
}

// CheckProtectedCluster accepts a protected cluster's name: any tag value
// but the empty one, which would name the untagged group (not a cluster).
func CheckProtectedCluster(s string) error {
	if s == "" {
		return fmt.Errorf("protected cluster name is empty")
	}
	return nil
}

// MinRefresh is the shortest refresh interval airlock accepts, from a
// flag or the configuration: faster spends the account's API throttle
// budget for no one's benefit.
const MinRefresh = time.Second

// CheckRefresh accepts a refresh interval of at least MinRefresh.
func CheckRefresh(d time.Duration) error {
	if d < MinRefresh {
		return fmt.Errorf("refresh interval %s is shorter than %s", d, MinRefresh)
	}
	return nil
}

// EnvironmentWords lists the environments a configuration may give, for
// an error message: "production, staging, development or sandbox".
func EnvironmentWords() string {
	ws := make([]string, len(ConfigEnvironments))
	for i, e := range ConfigEnvironments {
		ws[i] = strconv.Quote(string(e))
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}

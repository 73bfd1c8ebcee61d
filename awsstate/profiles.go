package awsstate

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
)

// Profile is one profile of the shared AWS config and credentials files,
// as the profile switcher lists it. The values are the operator's own
// files, read by the SDK's own loader; they are raw (sanitise for display).
type Profile struct {
	Name   string
	Region string // "" when the profile names none

	// Assume-role profiles.
	RoleARN       string
	SourceProfile string
	MFASerial     string // set: switching to it asks for an MFA code

	// IAM Identity Center (SSO) profiles: sso_session, or the legacy
	// sso_start_url, with the account and role they sign in to.
	SSOSession   string
	SSOStartURL  string
	SSOAccountID string
	SSORoleName  string

	// CredentialProcess is the command the SDK runs for credentials.
	CredentialProcess string

	// AccountID is the account the files say the profile reaches (the
	// account of role_arn, or sso_account_id), to place the profile in
	// the configuration before switching. It is a claim, not an identity:
	// the banner still waits for STS. "" when only STS can tell.
	AccountID string

	// Err is why the SDK could not load the profile (a source_profile
	// that does not exist, a half-written SSO block); nil when it could.
	// Such a profile is listed anyway, so the operator sees it and why.
	Err error
}

// SharedConfigFile is the shared config file the SDK reads: AWS_CONFIG_FILE,
// else ~/.aws/config.
func SharedConfigFile() string {
	if f := os.Getenv("AWS_CONFIG_FILE"); f != "" {
		return f
	}
	return config.DefaultSharedConfigFilename()
}

// SharedCredentialsFile is the shared credentials file the SDK reads:
// AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials.
func SharedCredentialsFile() string {
	if f := os.Getenv("AWS_SHARED_CREDENTIALS_FILE"); f != "" {
		return f
	}
	return config.DefaultSharedCredentialsFilename()
}

// Profiles lists the profiles of the shared config and credentials files
// (SharedConfigFile, SharedCredentialsFile), sorted by name. A missing file
// is no profiles, as for the SDK; a file that exists but cannot be read is
// an error naming it. Each profile is loaded by the SDK
// (config.LoadSharedConfigProfile), so what is listed is what a switch
// would use.
func Profiles(ctx context.Context) ([]Profile, error) {
	cfgFile, credFile := SharedConfigFile(), SharedCredentialsFile()
	names := map[string]bool{}
	for _, f := range []struct {
		path     string
		isConfig bool
	}{{cfgFile, true}, {credFile, false}} {
		text, err := os.ReadFile(f.path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read the AWS shared %s file: %w", map[bool]string{true: "config", false: "credentials"}[f.isConfig], err)
		}
		for _, n := range profileNames(text, f.isConfig) {
			names[n] = true
		}
	}

	out := make([]Profile, 0, len(names))
	for name := range names {
		sc, err := config.LoadSharedConfigProfile(ctx, name, func(o *config.LoadSharedConfigOptions) {
			o.ConfigFiles = []string{cfgFile}
			o.CredentialsFiles = []string{credFile}
		})
		p := Profile{Name: name}
		if err != nil {
			p.Err = fmt.Errorf("profile %q: %s", name, oneLine(err))
		} else {
			p.Region = sc.Region
			p.RoleARN = sc.RoleARN
			p.SourceProfile = sc.SourceProfileName
			p.MFASerial = sc.MFASerial
			p.SSOSession = sc.SSOSessionName
			p.SSOStartURL = sc.SSOStartURL
			if sc.SSOSession != nil && p.SSOStartURL == "" {
				p.SSOStartURL = sc.SSOSession.SSOStartURL
			}
			p.SSOAccountID = sc.SSOAccountID
			p.SSORoleName = sc.SSORoleName
			p.CredentialProcess = sc.CredentialProcess
			p.AccountID = claimedAccount(p)
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Profile) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

var roleAccount = regexp.MustCompile(`^arn:aws[a-z-]*:iam::([0-9]{12}):role/`)

// claimedAccount is the account the files name for the profile.
func claimedAccount(p Profile) string {
	if m := roleAccount.FindStringSubmatch(p.RoleARN); m != nil {
		return m[1]
	}
	if p.RoleARN == "" && len(p.SSOAccountID) == 12 {
		return p.SSOAccountID
	}
	return ""
}

// profileNames returns the profile names the sections of one file define,
// by the SDK's rules (config/internal/ini and config/shared_config.go,
// processConfigSections and processCredentialsSections, v1.33): a header
// is a line whose text before any # or ; is "[...]", the inside trimmed;
// in the config file "[profile NAME]" and "[default]" are profiles, and
// other sections ("sso-session X", "services X", a bare "[name]") are not;
// in the credentials file every section is a profile except one that
// starts with "profile ". The SDK's ini package is internal, hence this
// copy of its header rules; the values are left to the SDK.
func profileNames(text []byte, isConfig bool) []string {
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if t := strings.TrimLeft(line, " \t"); strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";") {
			continue
		}
		line, _, _ = strings.Cut(line, "#")
		line, _, _ = strings.Cut(line, ";")
		line = strings.TrimSpace(line)
		if len(line) < 2 || line[0] != '[' || line[len(line)-1] != ']' {
			continue
		}
		section := sectionName(strings.TrimSpace(line[1 : len(line)-1]))
		if section == "" {
			continue
		}
		if isConfig {
			if name, ok := strings.CutPrefix(section, "profile "); ok {
				names = append(names, name)
			} else if strings.EqualFold(section, "default") {
				names = append(names, section)
			}
		} else if !strings.HasPrefix(section, "profile ") {
			names = append(names, section)
		}
	}
	return names
}

// sectionName joins a header's "type name" with one space, as the SDK's
// splitProfile and handleProfile do: "profile   prod" is "profile prod".
func sectionName(s string) string {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s
	}
	typ, name := s[:i], strings.TrimLeft(s[i:], " \t")
	return typ + " " + name
}

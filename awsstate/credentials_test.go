package awsstate

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// simProfiles serves a sim and points the shared files at its profiles
// (sim.WriteAWSConfig), as `airlock demo` and `airlock sim
// --write-aws-config` do.
func simProfiles(t *testing.T, o sim.Options) (*sim.Server, string) {
	t.Helper()
	s, url := startSim(t, o)
	dir := t.TempDir()
	if err := sim.WriteAWSConfig(dir, url); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	return s, url
}

// writeFiles points the shared files at the given texts.
func writeFiles(t *testing.T, configText, credentialsText string) {
	t.Helper()
	dir := t.TempDir()
	cfg, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	if err := os.WriteFile(cfg, []byte(configText), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte(credentialsText), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
}

func tctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// mfaAnswer is an MFAFunc that answers code and records what it was asked.
type mfaAnswer struct {
	code string
	err  error

	mu    sync.Mutex
	asked []string // "profile serial"
}

func (m *mfaAnswer) ask(_ context.Context, profile, serial string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.asked = append(m.asked, profile+" "+serial)
	return m.code, m.err
}

func TestConnectorAssumeRoleActsInTheRolesAccount(t *testing.T) {
	simProfiles(t, sim.Options{})
	connect := NewConnector(Options{})

	c, err := connect(tctx(t), sim.ProdAdminProfile, "")
	if err != nil {
		t.Fatal(err)
	}
	snap := c.Fetch(tctx(t))
	if snap.Identity.AccountID != sim.ProdAccountID || snap.Identity.ARN != "arn:aws:sts::111111111111:assumed-role/admin/oncall" {
		t.Fatalf("identity %+v (%v), want the admin role in acme-prod", snap.Identity, snap.Sections[model.SectionIdentity].Err)
	}
	if snap.Region != "us-east-1" || len(snap.Addresses) == 0 || snap.Addresses[0].PublicIP != "203.0.113.10" {
		t.Errorf("region %s, addresses %v: want acme-prod's us-east-1", snap.Region, snap.Addresses)
	}
	if c.Profile() != sim.ProdAdminProfile {
		t.Errorf("Profile() = %q", c.Profile())
	}

	info, err := c.Credentials(tctx(t))
	if err != nil {
		t.Fatal(err)
	}
	// The SDK asks for 15 minutes (stscreds.DefaultDuration) unless the
	// profile sets duration_seconds; the sim honours it.
	left := time.Until(info.Expires)
	if !info.CanExpire || !info.Temporary || left < 14*time.Minute || left > 15*time.Minute {
		t.Errorf("credentials %+v (expire in %s), want temporary, expiring in 15 minutes", info, left)
	}
	if info.Source != "AssumeRoleProvider" {
		t.Errorf("source %q", info.Source)
	}
}

func TestConnectorSwitchesAccountsAndRegions(t *testing.T) {
	simProfiles(t, sim.Options{})
	connect := NewConnector(Options{})
	staging, err := connect(tctx(t), sim.StagingAlias, "")
	if err != nil {
		t.Fatal(err)
	}
	prod, err := connect(tctx(t), sim.ProdAlias, "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	s, p := staging.Fetch(tctx(t)), prod.Fetch(tctx(t))
	if s.Identity.AccountID != sim.StagingAccountID || s.Identity.Alias != sim.StagingAlias || s.Region != "us-east-1" {
		t.Errorf("staging client: %+v in %s", s.Identity, s.Region)
	}
	if p.Identity.AccountID != sim.ProdAccountID || p.Region != "eu-west-1" || prod.Region() != "eu-west-1" {
		t.Errorf("prod client: %+v in %s", p.Identity, p.Region)
	}
	// eu-west-1 holds cluster "api", us-east-1 blue and green.
	if len(p.Instances) != 2 || p.Instances[0].Tags.Get("Cluster") != "api" {
		t.Errorf("eu-west-1 instances: %v", p.Instances)
	}
	// The staging client is untouched by the second connection.
	if again := staging.Fetch(tctx(t)); again.Identity.AccountID != sim.StagingAccountID {
		t.Errorf("staging after connecting prod: %+v", again.Identity)
	}

	_, err = connect(tctx(t), "nobody", "")
	if KindOf(err) != KindUnknownProfile {
		t.Errorf("unknown profile: %v", err)
	}
}

func TestConnectorMFA(t *testing.T) {
	simProfiles(t, sim.Options{})
	serial := sim.MFASerial(sim.ProdAccountID)

	right := &mfaAnswer{code: sim.MFACode}
	c, err := NewConnector(Options{MFA: right.ask})(tctx(t), sim.ProdMFAProfile, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{sim.ProdMFAProfile + " " + serial}; strings.Join(right.asked, ",") != strings.Join(want, ",") {
		t.Errorf("asked %v, want %v", right.asked, want)
	}
	snap := c.Fetch(tctx(t))
	if snap.Identity.ARN != "arn:aws:sts::111111111111:assumed-role/admin-mfa/oncall" {
		t.Errorf("identity %+v (%v)", snap.Identity, snap.Sections[model.SectionIdentity].Err)
	}
	if len(right.asked) != 1 {
		t.Errorf("asked %d times, want once (the code is used once, at connection)", len(right.asked))
	}

	for _, tc := range []struct {
		name string
		mfa  MFAFunc
		kind Kind
		want string
	}{
		{"wrong code", (&mfaAnswer{code: "000000"}).ask, KindAccessDenied,
			"access denied: sts:AssumeRole (AccessDenied: MultiFactorAuthentication failed with invalid MFA one time pass code."},
		{"nobody to ask", nil, KindMissingCredentials,
			"profile acme-prod-mfa needs an MFA code (arn:aws:iam::111111111111:mfa/oncall) and nothing here can ask for one"},
		{"the prompt fails", (&mfaAnswer{err: errors.New("standard input is not a terminal")}).ask, KindMissingCredentials,
			"profile acme-prod-mfa needs an MFA code (arn:aws:iam::111111111111:mfa/oncall): standard input is not a terminal"},
		{"the prompt is cancelled", (&mfaAnswer{err: context.Canceled}).ask, KindCanceled, "MFA prompt canceled"},
	} {
		_, err := NewConnector(Options{MFA: tc.mfa})(tctx(t), sim.ProdMFAProfile, "")
		if KindOf(err) != tc.kind || !strings.Contains(Explain(err), tc.want) {
			t.Errorf("%s: %v (kind %v), want kind %v and %q", tc.name, Explain(err), KindOf(err), tc.kind, tc.want)
		}
	}
}

// When the session opened with an MFA code expires, the next refresh fails
// as expired credentials with the way to a new code; airlock does not ask
// in the middle of a refresh.
func TestMFASessionExpires(t *testing.T) {
	simProfiles(t, sim.Options{CredentialLifetime: time.Second})
	ask := &mfaAnswer{code: sim.MFACode}
	c, err := NewConnector(Options{MFA: ask.ask})(tctx(t), sim.ProdMFAProfile, "")
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.Credentials(tctx(t))
	if err != nil || !info.CanExpire {
		t.Fatalf("credentials %+v, %v", info, err)
	}
	time.Sleep(time.Until(info.Expires) + 50*time.Millisecond)

	snap := c.Fetch(tctx(t))
	for _, sec := range allSections {
		if r := snap.Sections[sec]; KindOf(r.Err) != KindExpiredCredentials {
			t.Errorf("section %s: %v, want expired credentials", sec, r.Err)
		}
	}
	err = snap.Sections[model.SectionIdentity].Err
	want := "the MFA session of profile acme-prod-mfa has expired: a new MFA code is needed: run airlock --profile acme-prod-mfa"
	if Explain(err) != want {
		t.Errorf("Explain = %q, want %q", Explain(err), want)
	}
	if got := ExpiredCommand(c.Profile(), err); got != "airlock --profile acme-prod-mfa" {
		t.Errorf("ExpiredCommand = %q", got)
	}
	if !errors.Is(err, ErrMFASessionExpired) {
		t.Error("the error does not match ErrMFASessionExpired")
	}
	if _, err := c.Credentials(tctx(t)); KindOf(err) != KindExpiredCredentials {
		t.Errorf("Credentials after expiry: %v", err)
	}
	if len(ask.asked) != 1 {
		t.Errorf("asked %d times, want once", len(ask.asked))
	}
}

// Temporary credentials from the environment (aws-vault exec, granted,
// an exported session) that expire mid-session: every section says so,
// with what to do, and the SDK cannot know the expiry in advance.
func TestExpiredCredentialsMidSession(t *testing.T) {
	_, url := startSim(t, sim.Options{CredentialLifetime: time.Second})
	stsc := sts.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider(sim.ProdAccessKey, sim.DemoSecretKey, "")})
	out, err := stsc.AssumeRole(tctx(t), &sts.AssumeRoleInput{RoleArn: aws.String(sim.RoleARN(sim.ProdAccountID, sim.AdminRole)), RoleSessionName: aws.String("env")})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", aws.ToString(out.Credentials.AccessKeyId))
	t.Setenv("AWS_SECRET_ACCESS_KEY", aws.ToString(out.Credentials.SecretAccessKey))
	t.Setenv("AWS_SESSION_TOKEN", aws.ToString(out.Credentials.SessionToken))

	c, err := NewConnector(Options{Endpoint: url})(tctx(t), "", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if snap := c.Fetch(tctx(t)); snap.Identity.ARN != "arn:aws:sts::111111111111:assumed-role/admin/env" {
		t.Fatalf("identity %+v (%v)", snap.Identity, snap.Sections[model.SectionIdentity].Err)
	}
	info, err := c.Credentials(tctx(t))
	if err != nil || !info.Temporary || info.CanExpire {
		t.Errorf("credentials %+v, %v: want temporary with an unknown expiry", info, err)
	}

	time.Sleep(time.Until(aws.ToTime(out.Credentials.Expiration)) + 50*time.Millisecond)
	snap := c.Fetch(tctx(t))
	for _, sec := range allSections {
		if r := snap.Sections[sec]; KindOf(r.Err) != KindExpiredCredentials {
			t.Errorf("section %s: %v, want expired credentials", sec, r.Err)
		}
	}
	const how = "export fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, then restart airlock"
	if got := Explain(snap.Sections[model.SectionIdentity].Err); got != "expired AWS credentials (ExpiredToken): "+how {
		t.Errorf("identity: %q", got)
	}
	if got := Explain(snap.Sections[model.SectionAddresses].Err); got != "expired AWS credentials (RequestExpired): "+how {
		t.Errorf("addresses: %q", got)
	}
	if got := ExpiredCommand(c.Profile(), snap.Sections[model.SectionIdentity].Err); got != how {
		t.Errorf("ExpiredCommand = %q", got)
	}
}

// The sim's expired-credentials fault on a profile that signs in with SSO:
// the message names the login to run.
func TestExpiredTokenOnSSOProfile(t *testing.T) {
	s, url := startSim(t, sim.Options{})
	writeFiles(t, "[profile work]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Admin\nregion = us-east-1\n\n"+
		"[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n", "")
	s.Inject(sim.Fault{Kind: sim.FaultExpiredToken})
	// The SSO sign-in itself cannot be simulated here; static keys stand
	// in for what it would have returned.
	c := clientFor(t, url, sim.ProdAccessKey, Options{Profile: "work"})
	err := c.Fetch(tctx(t)).Sections[model.SectionInstances].Err
	if got := Explain(err); got != "expired AWS credentials (RequestExpired): run aws sso login --profile work" {
		t.Errorf("Explain = %q", got)
	}
	if got := ExpiredCommand("work", err); got != "aws sso login --profile work" {
		t.Errorf("ExpiredCommand = %q", got)
	}
}

// An SSO profile whose cached sign-in has expired fails on the first call,
// through the SDK's own SSO provider, with the login to run.
func TestSSOSessionExpired(t *testing.T) {
	_, url := startSim(t, sim.Options{})
	home := t.TempDir()
	t.Setenv("HOME", home)
	const startURL = "https://corp.awsapps.com/start"
	writeFiles(t, "[profile legacy]\nsso_start_url = "+startURL+"\nsso_region = us-east-1\nsso_account_id = 111111111111\nsso_role_name = Admin\nregion = us-east-1\n", "")
	// The SDK's cache file for a legacy SSO profile: sha1 of the start URL
	// (credentials/ssocreds/sso_cached_token.go).
	sum := sha1.Sum([]byte(startURL))
	cache := filepath.Join(home, ".aws", "sso", "cache")
	if err := os.MkdirAll(cache, 0o700); err != nil {
		t.Fatal(err)
	}
	token := `{"accessToken":"expired","expiresAt":"2020-01-01T00:00:00Z","region":"us-east-1","startUrl":"` + startURL + `"}`
	if err := os.WriteFile(filepath.Join(cache, hex.EncodeToString(sum[:])+".json"), []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}

	c, err := NewConnector(Options{Endpoint: url})(tctx(t), "legacy", "")
	if err != nil {
		t.Fatal(err)
	}
	err = c.Fetch(tctx(t)).Sections[model.SectionIdentity].Err
	if KindOf(err) != KindExpiredCredentials || Explain(err) != "the AWS SSO session has expired: run aws sso login --profile legacy" {
		t.Errorf("%v: %q", KindOf(err), Explain(err))
	}
	if _, err := c.Credentials(tctx(t)); Explain(err) != "the AWS SSO session has expired: run aws sso login --profile legacy" {
		t.Errorf("Credentials: %q", Explain(err))
	}
}

func TestExpiredCommand(t *testing.T) {
	writeFiles(t, `
[profile sso]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
[profile role-over-sso]
role_arn = arn:aws:iam::222222222222:role/admin
source_profile = sso
[profile mfa]
role_arn = arn:aws:iam::222222222222:role/admin
source_profile = keys
mfa_serial = arn:aws:iam::111111111111:mfa/me
[profile process]
credential_process = /usr/local/bin/get-creds
[profile session]
`, `
[keys]
aws_access_key_id = AKIAEXAMPLE000000000
aws_secret_access_key = secret
[session]
aws_access_key_id = ASIAEXAMPLE000000000
aws_secret_access_key = secret
aws_session_token = token
`)
	expired := errors.New("ExpiredToken")
	for _, tc := range []struct{ profile, want string }{
		{"sso", "aws sso login --profile sso"},
		{"role-over-sso", "aws sso login --profile sso"},
		{"mfa", "airlock --profile mfa"},
		{"process", "renew what the credential_process of profile process reads: it returned expired credentials"},
		{"session", "put fresh credentials in profile session of the shared credentials file"},
		{"keys", genericRenewal},
		{"missing", genericRenewal},
	} {
		if got := ExpiredCommand(tc.profile, expired); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.profile, got, tc.want)
		}
	}
	t.Setenv("AWS_PROFILE", "sso")
	if got := ExpiredCommand("", expired); got != "aws sso login --profile sso" {
		t.Errorf("AWS_PROFILE=sso: %q", got)
	}
}

// Assume-role goes to the endpoint every other client uses, even when the
// profile names none: --endpoint, then AWS_ENDPOINT_URL.
func TestAssumeRoleUsesTheEndpoint(t *testing.T) {
	_, url := startSim(t, sim.Options{})
	writeFiles(t, "[profile admin]\nrole_arn = "+sim.RoleARN(sim.StagingAccountID, sim.AdminRole)+"\nsource_profile = keys\nregion = us-east-1\n",
		"[keys]\naws_access_key_id = "+sim.ProdAccessKey+"\naws_secret_access_key = "+sim.DemoSecretKey+"\n")
	check := func(name string, o Options) {
		t.Helper()
		c, err := NewConnector(o)(tctx(t), "admin", "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if id := c.Fetch(tctx(t)).Identity; id.AccountID != sim.StagingAccountID {
			t.Errorf("%s: identity %+v", name, id)
		}
	}
	check("--endpoint", Options{Endpoint: url})
	t.Setenv("AWS_ENDPOINT_URL", url)
	check("AWS_ENDPOINT_URL", Options{})
}

// credential_process goes through the SDK untouched.
func TestCredentialProcessProfile(t *testing.T) {
	_, url := startSim(t, sim.Options{})
	script := filepath.Join(t.TempDir(), "creds.sh")
	body := "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"" + sim.StagingAccessKey + "\", \"SecretAccessKey\": \"" + sim.DemoSecretKey + "\"}'\n"
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, "[profile proc]\ncredential_process = "+script+"\nregion = us-east-1\n", "")
	c, err := NewConnector(Options{Endpoint: url})(tctx(t), "proc", "")
	if err != nil {
		t.Fatal(err)
	}
	if id := c.Fetch(tctx(t)).Identity; id.AccountID != sim.StagingAccountID {
		t.Errorf("identity %+v", id)
	}
	info, err := c.Credentials(tctx(t))
	if err != nil || info.Temporary || info.CanExpire {
		t.Errorf("credentials %+v, %v: want long-term", info, err)
	}
}

// The identity section says when the credentials that answered expire
// (the banner's countdown), zero for keys that cannot; a CheckOnly plan
// asks STS alone, and says the alias was not asked rather than "none".
func TestIdentityCarriesCredentialsExpiry(t *testing.T) {
	s, _ := simProfiles(t, sim.Options{})
	connect := NewConnector(Options{})

	c, err := connect(tctx(t), sim.ProdAdminProfile, "")
	if err != nil {
		t.Fatal(err)
	}
	snap := c.FetchPlan(tctx(t), Plan{Sections: []model.Section{model.SectionIdentity}})
	if left := time.Until(snap.Identity.CredentialsExpire); left < 14*time.Minute || left > 15*time.Minute {
		t.Errorf("assume-role credentials expire in %s (%v), want about 15 minutes", left, snap.Identity.CredentialsExpire)
	}

	static, err := connect(tctx(t), "acme-prod", "")
	if err != nil {
		t.Fatal(err)
	}
	s.ResetStats()
	snap = static.FetchPlan(tctx(t), Plan{Sections: []model.Section{model.SectionIdentity}, CheckOnly: true})
	if err := snap.Sections[model.SectionIdentity].Err; err != nil || snap.Identity.AccountID != sim.ProdAccountID {
		t.Fatalf("identity %+v, %v", snap.Identity, err)
	}
	if !snap.Identity.CredentialsExpire.IsZero() {
		t.Errorf("static keys expire at %v, want zero", snap.Identity.CredentialsExpire)
	}
	if snap.Identity.AliasKnown() || snap.Identity.AliasError != "not asked" {
		t.Errorf("alias %q, error %q: want not asked", snap.Identity.Alias, snap.Identity.AliasError)
	}
	if got := s.Stats(); got["sts:GetCallerIdentity"] != 1 || len(got) != 1 {
		t.Errorf("calls %v, want one sts:GetCallerIdentity", got)
	}
}

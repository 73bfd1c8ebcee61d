package sim

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// withClock makes the server's clock a test clock (autoscaling_test.go)
// starting now.
func withClock(e *env) *clock {
	c := &clock{t: time.Now()}
	e.s.now = c.now
	return c
}

// sessionCfg is an SDK config with the temporary credentials creds.
func (e *env) sessionCfg(creds *ststypes.Credentials) aws.Config {
	cfg := e.cfg("", "us-east-1")
	cfg.Credentials = credentials.NewStaticCredentialsProvider(
		aws.ToString(creds.AccessKeyId), aws.ToString(creds.SecretAccessKey), aws.ToString(creds.SessionToken))
	return cfg
}

func assume(t *testing.T, e *env, key string, in *sts.AssumeRoleInput) (*sts.AssumeRoleOutput, error) {
	t.Helper()
	if in.RoleSessionName == nil {
		in.RoleSessionName = aws.String("oncall")
	}
	return e.sts(key).AssumeRole(ctx(t), in)
}

func TestAssumeRoleActsInTheRolesAccount(t *testing.T) {
	e := newEnv(t, Options{})
	clk := withClock(e)
	// Staging's user assumes prod's role: the credentials must reach prod.
	out, err := assume(t, e, StagingAccessKey, &sts.AssumeRoleInput{RoleArn: aws.String(RoleARN(ProdAccountID, AdminRole))})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	if k := aws.ToString(c.AccessKeyId); !strings.HasPrefix(k, "ASIA") || len(k) != 20 {
		t.Errorf("access key %q, want ASIA and 20 characters", k)
	}
	if aws.ToString(c.SecretAccessKey) == "" || aws.ToString(c.SessionToken) == "" {
		t.Error("empty secret or session token")
	}
	// Default DurationSeconds is 3600 (STS API reference).
	if got := aws.ToTime(c.Expiration).Sub(clk.now()); got < time.Hour-time.Second || got > time.Hour {
		t.Errorf("expires in %s, want 1h", got)
	}
	wantARN := "arn:aws:sts::" + ProdAccountID + ":assumed-role/admin/oncall"
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != wantARN {
		t.Errorf("AssumedRoleUser.Arn %s, want %s", got, wantARN)
	}
	if id := aws.ToString(out.AssumedRoleUser.AssumedRoleId); !strings.HasPrefix(id, "AROA") || !strings.HasSuffix(id, ":oncall") {
		t.Errorf("AssumedRoleId %q", id)
	}

	cfg := e.sessionCfg(c)
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Account) != ProdAccountID || aws.ToString(id.Arn) != wantARN ||
		aws.ToString(id.UserId) != aws.ToString(out.AssumedRoleUser.AssumedRoleId) {
		t.Errorf("caller identity %s %s %s, want %s %s", aws.ToString(id.Account), aws.ToString(id.Arn), aws.ToString(id.UserId), ProdAccountID, wantARN)
	}
	al, err := iam.NewFromConfig(cfg).ListAccountAliases(ctx(t), &iam.ListAccountAliasesInput{})
	if err != nil || len(al.AccountAliases) != 1 || al.AccountAliases[0] != ProdAlias {
		t.Errorf("aliases %v, %v; want [%s]", al, err, ProdAlias)
	}
	addrs, err := ec2.NewFromConfig(cfg).DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(addrs.Addresses) == 0 || aws.ToString(addrs.Addresses[0].PublicIp) != "203.0.113.10" {
		t.Errorf("addresses are not prod's: %v", addrs.Addresses)
	}
	if got := e.s.Stats()["ec2:DescribeAddresses"]; got != 1 {
		t.Errorf("counted %d DescribeAddresses, want 1", got)
	}

	// A Reset does not log anybody out.
	e.s.Reset()
	if _, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("after Reset: %v", err)
	}

	// Expired: each protocol's own code, as FaultExpiredToken.
	clk.add(time.Hour)
	_, err = sts.NewFromConfig(cfg).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	wantCode(t, err, "ExpiredToken")
	_, err = iam.NewFromConfig(cfg).ListAccountAliases(ctx(t), &iam.ListAccountAliasesInput{})
	wantCode(t, err, "ExpiredToken")
	_, err = ec2.NewFromConfig(cfg).DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{})
	wantCode(t, err, "RequestExpired")
}

func TestAssumeRoleDurationSeconds(t *testing.T) {
	e := newEnv(t, Options{})
	clk := withClock(e)
	admin, mfa := RoleARN(ProdAccountID, AdminRole), RoleARN(ProdAccountID, AdminMFARole)
	for _, tc := range []struct {
		name     string
		role     string
		seconds  int32
		mfa      bool
		wantCode string
		want     time.Duration
	}{
		{"minimum", admin, 900, false, "", 15 * time.Minute},
		{"twelve hours on a 12 h role", admin, 43200, false, "", 12 * time.Hour},
		{"below the minimum", admin, 899, false, "ValidationError", 0},
		{"above the API's maximum", admin, 43201, false, "ValidationError", 0},
		{"above the role's maximum", mfa, 7200, true, "ValidationError", 0},
		{"the role's maximum", mfa, 3600, true, "", time.Hour},
	} {
		in := &sts.AssumeRoleInput{RoleArn: aws.String(tc.role), DurationSeconds: aws.Int32(tc.seconds)}
		if tc.mfa {
			in.SerialNumber, in.TokenCode = aws.String(MFASerial(ProdAccountID)), aws.String(MFACode)
		}
		out, err := assume(t, e, ProdAccessKey, in)
		if tc.wantCode != "" {
			wantCode(t, err, tc.wantCode)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := aws.ToTime(out.Credentials.Expiration).Sub(clk.now()); got < tc.want-time.Second || got > tc.want {
			t.Errorf("%s: expires in %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestAssumeRoleMFA(t *testing.T) {
	e := newEnv(t, Options{})
	role := aws.String(RoleARN(ProdAccountID, AdminMFARole))
	serial := aws.String(MFASerial(ProdAccountID))
	for _, tc := range []struct {
		name         string
		in           sts.AssumeRoleInput
		key          string
		wantCode     string
		wantInMessge string
	}{
		{"no MFA", sts.AssumeRoleInput{RoleArn: role}, ProdAccessKey, "AccessDenied",
			"User: arn:aws:iam::111111111111:user/oncall is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/admin-mfa"},
		{"serial without code", sts.AssumeRoleInput{RoleArn: role, SerialNumber: serial}, ProdAccessKey, "AccessDenied",
			"must provide both MFA serial number and one time pass code"},
		{"wrong code", sts.AssumeRoleInput{RoleArn: role, SerialNumber: serial, TokenCode: aws.String("654321")}, ProdAccessKey, "AccessDenied",
			"MultiFactorAuthentication failed with invalid MFA one time pass code"},
		{"someone else's device", sts.AssumeRoleInput{RoleArn: role, SerialNumber: aws.String(MFASerial(StagingAccountID)), TokenCode: aws.String(MFACode)},
			ProdAccessKey, "AccessDenied", "unable to validate MFA code"},
		{"code not six digits", sts.AssumeRoleInput{RoleArn: role, SerialNumber: serial, TokenCode: aws.String("12345a")}, ProdAccessKey, "ValidationError", "tokenCode"},
		{"unknown role", sts.AssumeRoleInput{RoleArn: aws.String(RoleARN(ProdAccountID, "nope"))}, ProdAccessKey, "AccessDenied",
			"is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/nope"},
		{"unknown account", sts.AssumeRoleInput{RoleArn: aws.String(RoleARN("999999999999", AdminRole))}, ProdAccessKey, "AccessDenied", "sts:AssumeRole"},
		{"right code", sts.AssumeRoleInput{RoleArn: role, SerialNumber: serial, TokenCode: aws.String(MFACode)}, ProdAccessKey, "", ""},
		{"staging's user with its own device", sts.AssumeRoleInput{RoleArn: role, SerialNumber: aws.String(MFASerial(StagingAccountID)), TokenCode: aws.String(MFACode)},
			StagingAccessKey, "", ""},
	} {
		in := tc.in
		out, err := assume(t, e, tc.key, &in)
		if tc.wantCode == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			} else if got := aws.ToString(out.AssumedRoleUser.Arn); !strings.HasSuffix(got, ":assumed-role/admin-mfa/oncall") {
				t.Errorf("%s: ARN %s", tc.name, got)
			}
			continue
		}
		wantCode(t, err, tc.wantCode)
		if err != nil && !strings.Contains(err.Error(), tc.wantInMessge) {
			t.Errorf("%s: %v, want it to say %q", tc.name, err, tc.wantInMessge)
		}
	}
}

// Role chaining: a role session may assume another role (for an hour at
// most) but has no MFA device of its own.
func TestAssumeRoleChained(t *testing.T) {
	e := newEnv(t, Options{})
	first, err := assume(t, e, ProdAccessKey, &sts.AssumeRoleInput{RoleArn: aws.String(RoleARN(ProdAccountID, AdminRole))})
	if err != nil {
		t.Fatal(err)
	}
	chained := sts.NewFromConfig(e.sessionCfg(first.Credentials))
	_, err = chained.AssumeRole(ctx(t), &sts.AssumeRoleInput{RoleArn: aws.String(RoleARN(StagingAccountID, AdminRole)),
		RoleSessionName: aws.String("hop"), DurationSeconds: aws.Int32(7200)})
	wantCode(t, err, "ValidationError")
	out, err := chained.AssumeRole(ctx(t), &sts.AssumeRoleInput{RoleArn: aws.String(RoleARN(StagingAccountID, AdminRole)), RoleSessionName: aws.String("hop")})
	if err != nil {
		t.Fatal(err)
	}
	id, err := sts.NewFromConfig(e.sessionCfg(out.Credentials)).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Arn) != "arn:aws:sts::222222222222:assumed-role/admin/hop" {
		t.Errorf("chained identity %v, %v", id, err)
	}
	_, err = chained.AssumeRole(ctx(t), &sts.AssumeRoleInput{RoleArn: aws.String(RoleARN(ProdAccountID, AdminMFARole)), RoleSessionName: aws.String("hop"),
		SerialNumber: aws.String(MFASerial(ProdAccountID)), TokenCode: aws.String(MFACode)})
	wantCode(t, err, "AccessDenied")
}

// A temporary key without its session token is not accepted, as in AWS.
func TestSessionKeyNeedsItsToken(t *testing.T) {
	e := newEnv(t, Options{})
	out, err := assume(t, e, ProdAccessKey, &sts.AssumeRoleInput{RoleArn: aws.String(RoleARN(ProdAccountID, AdminRole))})
	if err != nil {
		t.Fatal(err)
	}
	key := aws.ToString(out.Credentials.AccessKeyId)
	_, err = e.sts(key).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	wantCode(t, err, "InvalidClientTokenId")
	_, err = e.ec2(key).DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{})
	wantCode(t, err, "AuthFailure")
}

// CredentialLifetime shortens every session and the Expiration says so.
func TestCredentialLifetime(t *testing.T) {
	e := newEnv(t, Options{CredentialLifetime: 2 * time.Second})
	clk := withClock(e)
	out, err := assume(t, e, ProdAccessKey, &sts.AssumeRoleInput{RoleArn: aws.String(RoleARN(ProdAccountID, AdminRole)), DurationSeconds: aws.Int32(3600)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToTime(out.Credentials.Expiration).Sub(clk.now()); got > 2*time.Second || got < time.Second {
		t.Errorf("expires in %s, want 2s", got)
	}
	cfg := e.sessionCfg(out.Credentials)
	if _, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	clk.add(2 * time.Second)
	_, err = sts.NewFromConfig(cfg).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	wantCode(t, err, "ExpiredToken")
}

// The wire document as the STS API reference shows it.
func TestAssumeRoleWireShape(t *testing.T) {
	e := newEnv(t, Options{})
	resp, body := e.post(t, "AWS4-HMAC-SHA256 Credential="+ProdAccessKey+"/20261120/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=x",
		url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {RoleARN(ProdAccountID, AdminRole)}, "RoleSessionName": {"oncall"}})
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">`,
		"<AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::111111111111:assumed-role/admin/oncall</Arn><AssumedRoleId>AROA",
		"<Credentials><AccessKeyId>ASIA", "<SecretAccessKey>", "<SessionToken>", "<Expiration>",
		"<ResponseMetadata><RequestId>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %s:\n%s", want, body)
		}
	}
}

// The written role profiles work through the SDK's own assume-role
// provider, and the long-term profiles before them are unchanged.
func TestWriteAWSConfigRoleProfiles(t *testing.T) {
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
		"AWS_ENDPOINT_URL_STS", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"} {
		t.Setenv(v, "")
	}
	e := newEnv(t, Options{})
	dir := t.TempDir()
	if err := WriteAWSConfig(dir, e.url); err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join(dir, "config"))
	if err != nil {
		t.Fatal(err)
	}
	before := "[profile acme-prod]\nregion = us-east-1\noutput = json\nendpoint_url = " + e.url + "\n\n" +
		"[profile acme-staging]\nregion = us-east-1\noutput = json\nendpoint_url = " + e.url + "\n\n"
	if !strings.HasPrefix(string(text), before) {
		t.Errorf("the long-term profiles changed:\n%s", text)
	}

	load := func(profile string, code *string) aws.Config {
		opts := []func(*config.LoadOptions) error{
			config.WithSharedConfigProfile(profile),
			config.WithSharedConfigFiles([]string{filepath.Join(dir, "config")}),
			config.WithSharedCredentialsFiles([]string{filepath.Join(dir, "credentials")}),
		}
		if code != nil {
			opts = append(opts, config.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
				o.TokenProvider = func() (string, error) { return *code, nil }
			}))
		}
		cfg, err := config.LoadDefaultConfig(context.Background(), opts...)
		if err != nil {
			t.Fatalf("%s: %v", profile, err)
		}
		return cfg
	}
	for _, tc := range []struct {
		profile, role string
		code          *string
	}{
		{ProdAdminProfile, AdminRole, nil},
		{ProdMFAProfile, AdminMFARole, aws.String(MFACode)},
	} {
		id, err := sts.NewFromConfig(load(tc.profile, tc.code)).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatalf("%s: %v", tc.profile, err)
		}
		if want := "arn:aws:sts::" + ProdAccountID + ":assumed-role/" + tc.role + "/oncall"; aws.ToString(id.Arn) != want {
			t.Errorf("%s: %s, want %s", tc.profile, aws.ToString(id.Arn), want)
		}
	}
	_, err = sts.NewFromConfig(load(ProdMFAProfile, aws.String("000000"))).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	wantCode(t, err, "AccessDenied")
}

package awsstate

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/airlock-ops/airlock/awsstate/sim"
)

func TestProfilesOfTheSimsFiles(t *testing.T) {
	simProfiles(t, sim.Options{})
	got, err := Profiles(tctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	byName := map[string]Profile{}
	for _, p := range got {
		names = append(names, p.Name)
		byName[p.Name] = p
		if p.Err != nil {
			t.Errorf("%s: %v", p.Name, p.Err)
		}
	}
	if want := []string{"acme-prod", "acme-prod-admin", "acme-prod-mfa", "acme-staging"}; !slices.Equal(names, want) {
		t.Fatalf("profiles %v, want %v", names, want)
	}
	if p := byName["acme-staging"]; p.Region != "us-east-1" || p.RoleARN != "" || p.AccountID != "" {
		t.Errorf("acme-staging: %+v (its account is known only to STS)", p)
	}
	admin := byName["acme-prod-admin"]
	if admin.RoleARN != "arn:aws:iam::111111111111:role/admin" || admin.SourceProfile != "acme-prod" || admin.MFASerial != "" || admin.AccountID != sim.ProdAccountID {
		t.Errorf("acme-prod-admin: %+v", admin)
	}
	if p := byName["acme-prod-mfa"]; p.MFASerial != "arn:aws:iam::111111111111:mfa/oncall" || p.AccountID != sim.ProdAccountID {
		t.Errorf("acme-prod-mfa: %+v", p)
	}
}

// The header rules are the SDK's: what it would load by name is listed,
// and what it ignores is not.
func TestProfilesHonourTheSDKsRules(t *testing.T) {
	writeFiles(t, `# a comment [profile commented]
; [profile also-commented]
[default]
region = eu-west-1
[profile   spaced ]   # trailing comment
region = us-west-2
[profile sso]
sso_session = corp
sso_account_id = 333333333333
sso_role_name = ReadOnly
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
[services local]
sts =
  endpoint_url = http://localhost:4566
[bare]
region = us-east-1
[profile broken]
role_arn = arn:aws:iam::444444444444:role/x
source_profile = nowhere
[profile proc]
credential_process = /bin/get-creds --account prod
`, `[only-in-credentials]
aws_access_key_id = AKIAEXAMPLE000000000
aws_secret_access_key = secret
[profile ignored-in-credentials]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = secret
[default]
aws_access_key_id = AKIAEXAMPLE000000002
aws_secret_access_key = secret
`)
	got, err := Profiles(tctx(t))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Profile{}
	var names []string
	for _, p := range got {
		names = append(names, p.Name)
		byName[p.Name] = p
	}
	if want := []string{"broken", "default", "only-in-credentials", "proc", "spaced", "sso"}; !slices.Equal(names, want) {
		t.Fatalf("profiles %v, want %v", names, want)
	}
	if p := byName["default"]; p.Region != "eu-west-1" {
		t.Errorf("default: %+v", p)
	}
	if p := byName["spaced"]; p.Region != "us-west-2" {
		t.Errorf("spaced: %+v", p)
	}
	sso := byName["sso"]
	if sso.SSOSession != "corp" || sso.SSOStartURL != "https://corp.awsapps.com/start" || sso.SSOAccountID != "333333333333" ||
		sso.SSORoleName != "ReadOnly" || sso.AccountID != "333333333333" || sso.Err != nil {
		t.Errorf("sso: %+v", sso)
	}
	if p := byName["broken"]; p.Err == nil || !strings.Contains(p.Err.Error(), `profile "broken"`) {
		t.Errorf("broken: %+v, want an error naming it", p)
	}
	if p := byName["proc"]; p.CredentialProcess != "/bin/get-creds --account prod" {
		t.Errorf("proc: %+v", p)
	}
}

func TestProfilesFiles(t *testing.T) {
	// Missing files are no profiles, as for the SDK.
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	if got, err := Profiles(tctx(t)); err != nil || len(got) != 0 {
		t.Errorf("no files: %v, %v", got, err)
	}
	// A file that is there but unreadable is an error naming it.
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir)
	if _, err := Profiles(tctx(t)); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("a directory as the config file: %v", err)
	}
}

func TestRegions(t *testing.T) {
	aws, err := Regions("aws")
	if err != nil || !slices.Contains(aws, "us-east-1") || !slices.Contains(aws, "eu-west-1") || slices.Contains(aws, "cn-north-1") {
		t.Errorf("aws: %v, %v", aws, err)
	}
	if !slices.IsSorted(aws) {
		t.Errorf("aws regions not sorted: %v", aws)
	}
	if _, err := Regions("aws-moon"); err == nil || !strings.Contains(err.Error(), `"aws-moon"`) || !strings.Contains(err.Error(), "aws-us-gov") {
		t.Errorf("unknown partition: %v", err)
	}
	for region, want := range map[string]string{
		"us-east-1": "aws", "us-gov-west-1": "aws-us-gov", "cn-northwest-1": "aws-cn", "eusc-de-east-1": "aws-eusc",
		"us-isob-east-1": "aws-iso-b", "ap-newplace-9": "aws", "cn-future-3": "aws-cn", "": "aws",
	} {
		if got := PartitionOf(region); got != want {
			t.Errorf("PartitionOf(%q) = %s, want %s", region, got, want)
		}
	}
	// Every listed region is one LoadConfig accepts.
	for _, p := range Partitions() {
		rs, _ := Regions(p)
		for _, r := range rs {
			if err := checkRegion(r); err != nil {
				t.Errorf("%s: %v", r, err)
			}
		}
	}
}

// The static list is the SDK's: an SDK upgrade that adds a region fails
// here until regions.go has it too.
func TestRegionsMatchTheSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-sdk-go-v2").Output()
	if err != nil {
		t.Skipf("cannot locate the SDK module (go list: %v); the comparison needs the module cache", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "internal", "endpoints", "awsrulesfn", "partitions.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Partitions []struct {
			ID          string                     `json:"id"`
			RegionRegex string                     `json:"regionRegex"`
			Regions     map[string]json.RawMessage `json:"regions"`
		} `json:"partitions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range doc.Partitions {
		ids = append(ids, p.ID)
		var want []string
		for r := range p.Regions {
			if !strings.HasPrefix(r, "aws") {
				want = append(want, r)
			}
		}
		slices.Sort(want)
		got, err := Regions(p.ID)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: regions.go has %v, the SDK %v", p.ID, got, want)
		}
		for _, ours := range partitions {
			if ours.id == p.ID && ours.pattern.String() != p.RegionRegex {
				t.Errorf("%s: pattern %s, the SDK %s", p.ID, ours.pattern, p.RegionRegex)
			}
		}
	}
	if !slices.Equal(ids, Partitions()) {
		t.Errorf("partitions %v, the SDK %v", Partitions(), ids)
	}
}

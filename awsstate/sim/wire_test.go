package sim

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestMalformedRequests sends what no SDK would: each gets the real error
// envelope and code, never a panic or a bare 500.
func TestMalformedRequests(t *testing.T) {
	e := newEnv(t, Options{})
	ec2Auth := authHeader(ProdAccessKey, "us-east-1", "ec2")
	form := func(kv ...string) url.Values {
		v := url.Values{"Version": {"2016-11-15"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	for _, tc := range []struct {
		name, auth string
		form       url.Values
		status     int
		code, root string
	}{
		{"no auth", "", form("Action", "DescribeInstances"), 401, "MissingAuthenticationToken", "<ErrorResponse"},
		{"bad scope", "AWS4-HMAC-SHA256 Credential=AKIA/only/three", form("Action", "DescribeInstances"), 401, "MissingAuthenticationToken", "<ErrorResponse"},
		{"no action", ec2Auth, form(), 400, "MissingAction", "<Response>"},
		{"unknown action", ec2Auth, form("Action", "LaunchMissiles"), 400, "InvalidAction", "<Response>"},
		{"unknown service", authHeader(ProdAccessKey, "us-east-1", "s3"), form("Action", "ListBuckets"), 400, "InvalidAction", "<ErrorResponse"},
		{"unknown STS action", authHeader(ProdAccessKey, "us-east-1", "sts"), form("Action", "GetSessionToken"), 400, "InvalidAction", "<ErrorResponse"},
		{"filter without name", ec2Auth, form("Action", "DescribeInstances", "Filter.1.Value.1", "x"), 400, "MissingParameter", "<Response>"},
		{"filter without values", ec2Auth, form("Action", "DescribeInstances", "Filter.1.Name", "tag:Cluster"), 400, "InvalidParameterValue", "<Response>"},
		{"bad index", ec2Auth, form("Action", "DescribeInstances", "InstanceId.x", "i-01100000000000001"), 400, "InvalidParameter", "<Response>"},
		{"zero index", ec2Auth, form("Action", "DescribeInstances", "Filter.0.Name", "tag:Cluster"), 400, "InvalidParameter", "<Response>"},
		{"MaxResults not a number", ec2Auth, form("Action", "DescribeInstances", "MaxResults", "lots"), 400, "InvalidParameterValue", "<Response>"},
		{"bad boolean", ec2Auth, form("Action", "DescribeInstanceStatus", "IncludeAllInstances", "yes"), 400, "InvalidParameterValue", "<Response>"},
		{"terminate nothing", ec2Auth, form("Action", "TerminateInstances"), 400, "MissingParameter", "<Response>"},
		{"attribute missing", ec2Auth, form("Action", "DescribeInstanceAttribute", "InstanceId", "i-01100000000000001"), 400, "MissingParameter", "<Response>"},
		{"release nothing", ec2Auth, form("Action", "ReleaseAddress"), 400, "MissingParameter", "<Response>"},
		{"malformed association", ec2Auth, form("Action", "DisassociateAddress", "AssociationId", "assoc-1"), 400, "InvalidAssociationID.Malformed", "<Response>"},
		{"instance and interface", ec2Auth, form("Action", "AssociateAddress", "AllocationId", "eipalloc-01100000000000004", "InstanceId", "i-01100000000000004", "NetworkInterfaceId", "eni-01100000000000004"), 400, "InvalidParameterCombination", "<Response>"},
		{"dry run", ec2Auth, form("Action", "DescribeInstances", "DryRun", "true"), 412, "DryRunOperation", "<Response>"},
	} {
		resp, body := e.post(t, tc.auth, tc.form)
		if resp.StatusCode != tc.status || !strings.Contains(body, "<Code>"+tc.code+"</Code>") || !strings.Contains(body, tc.root) {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
		if !strings.Contains(body, "51a00000-") {
			t.Errorf("%s: no request ID in %s", tc.name, body)
		}
	}
	// A body over the limit is refused, not buffered.
	big := form("Action", "DescribeInstances", "Padding", strings.Repeat("x", maxBody))
	if resp, body := e.post(t, ec2Auth, big); resp.StatusCode != 400 || !strings.Contains(body, "MalformedQueryString") {
		t.Errorf("oversized body: %d %s", resp.StatusCode, body[:min(200, len(body))])
	}
}

func TestResponseEnvelope(t *testing.T) {
	e := newEnv(t, Options{})
	resp, body := e.post(t, authHeader(ProdAccessKey, "us-east-1", "ec2"), url.Values{"Action": {"DescribeAddresses"}})
	if resp.StatusCode != 200 || !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) ||
		!strings.Contains(body, `<DescribeAddressesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">`) ||
		resp.Header.Get("x-amzn-RequestId") == "" {
		t.Errorf("EC2 envelope: %v %s", resp.Header, body)
	}
	_, body = e.post(t, authHeader(ProdAccessKey, "us-east-1", "sts"), url.Values{"Action": {"GetCallerIdentity"}})
	if !strings.Contains(body, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">`) ||
		!strings.Contains(body, "<ResponseMetadata><RequestId>") {
		t.Errorf("STS envelope: %s", body)
	}
	// An empty listing still carries its set element.
	_, body = e.post(t, authHeader(ProdAccessKey, "us-east-1", "ec2"), url.Values{"Action": {"DescribeInstances"}, "Filter.1.Name": {"tag:Cluster"}, "Filter.1.Value.1": {"none"}})
	if !strings.Contains(body, "<reservationSet></reservationSet>") {
		t.Errorf("empty reservationSet missing: %s", body)
	}
}

// TestHostileTagsArriveIntact checks that every hostile payload survives
// the XML round trip through the SDK unchanged, so airlock's sanitiser sees
// exactly what an attacker would have planted.
func TestHostileTagsArriveIntact(t *testing.T) {
	e := newEnv(t, Options{Scenario: "hostile"})
	out, err := e.prod().DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, in := range instances(out) {
		for _, tag := range in.Tags {
			got[aws.ToString(tag.Value)] = true
		}
	}
	for _, want := range []string{HostileCSI, HostileOSC52, HostileOSC8, HostileRLO, HostileZeroWidth,
		HostileIsolates, HostileInvisible, HostileWide, HostileC1, HostileLong} {
		if !got[want] {
			t.Errorf("payload %q did not arrive intact", want)
		}
	}
	if utf8.RuneCountInString(HostileLong) != 200 {
		t.Errorf("HostileLong has %d runes", utf8.RuneCountInString(HostileLong))
	}
	// The stories still play in the hostile world.
	if err := e.s.GoLive(ProdAccountID); err != nil {
		t.Error(err)
	}
	addrs, err := e.prod().DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{Filters: tagFilter("Name", HostileCSI)})
	if err != nil || len(addrs.Addresses) != 1 || addrs.Addresses[0].InstanceId == nil {
		t.Errorf("hostile EIP: %v %v", addrs, err)
	}
}

// TestXMLCannotCarryC0 plants ESC and CR, which XML 1.0 cannot carry:
// the response stays a valid document the SDK decodes (the characters
// arrive as U+FFFD).
func TestXMLCannotCarryC0(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.Update(ProdAccountID, "us-east-1", func(r *Region) {
		r.Instances["i-01100000000000001"].Tags["Name"] = "\x1b[2J\r\x07evil"
	})
	out, err := e.prod().DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: []string{"i-01100000000000001"}})
	if err != nil {
		t.Fatal(err)
	}
	name := tagValue(instances(out)[0].Tags, "Name")
	if strings.ContainsAny(name, "\x1b\x07") || !strings.HasSuffix(name, "evil") {
		t.Errorf("name %q", name)
	}
}

func TestWriteAWSConfig(t *testing.T) {
	// Whatever the machine's environment says must not override the files.
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
		"AWS_ENDPOINT_URL_STS", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"} {
		t.Setenv(v, "")
	}
	e := newEnv(t, Options{})
	dir := filepath.Join(t.TempDir(), "aws")
	if err := WriteAWSConfig(dir, e.url); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"config", "credentials"} {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", f, fi, err)
		}
	}
	for profile, account := range map[string]string{"acme-prod": ProdAccountID, "acme-staging": StagingAccountID} {
		cfg, err := config.LoadDefaultConfig(context.Background(),
			config.WithSharedConfigProfile(profile),
			config.WithSharedConfigFiles([]string{filepath.Join(dir, "config")}),
			config.WithSharedCredentialsFiles([]string{filepath.Join(dir, "credentials")}),
		)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Region != "us-east-1" {
			t.Errorf("%s: region %s", profile, cfg.Region)
		}
		id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatalf("%s: %v", profile, err)
		}
		if aws.ToString(id.Account) != account {
			t.Errorf("%s reached %s, want %s", profile, aws.ToString(id.Account), account)
		}
	}
	if err := WriteAWSConfig(dir, ""); err == nil {
		t.Error("empty endpoint accepted")
	}
}

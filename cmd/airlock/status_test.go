package main

import (
	"encoding/json"
	"maps"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStatusJSONAgainstSim runs the built binary twice, as a user would:
// "airlock sim" in one process and "airlock status --json" in another,
// through the profiles the sim wrote.
func TestStatusJSONAgainstSim(t *testing.T) {
	sim := startSim(t)

	doc := statusOf(t, sim, "acme-prod")
	if doc.Account.ID != "111111111111" || doc.Account.Alias != "acme-prod" {
		t.Errorf("account = %+v, want 111111111111 acme-prod", doc.Account)
	}
	if doc.Account.Environment != "production" {
		t.Errorf("environment = %q, want production", doc.Account.Environment)
	}
	if doc.Region != "us-east-1" {
		t.Errorf("region = %q, want us-east-1", doc.Region)
	}
	if doc.Stats.APICalls <= 0 {
		t.Errorf("stats.api_calls = %d, want > 0", doc.Stats.APICalls)
	}
	for name, s := range doc.Sections {
		if !s.Complete || s.Error != nil {
			t.Errorf("section %s: complete=%v error=%v, want complete", name, s.Complete, s.Error)
		}
	}
	if got := liveClusters(doc); got != "blue" {
		t.Errorf("live clusters = %q, want blue", got)
	}
	assertEachInstanceOnce(t, doc)
	for _, a := range doc.Addresses {
		if a.InstanceID != "" && a.Cluster != "blue" {
			t.Errorf("EIP %s on %s in cluster %q, want blue before the go-live", a.PublicIP, a.InstanceID, a.Cluster)
		}
	}

	// The deploy script moves the EIPs; the next fetch must say so.
	sim.post(t, "/_sim/go-live")
	doc = statusOf(t, sim, "acme-prod")
	if got := liveClusters(doc); got != "green" {
		t.Errorf("after go-live, live clusters = %q, want green", got)
	}

	// Staging has identically named things in another account (story S3).
	doc = statusOf(t, sim, "acme-staging")
	if doc.Account.ID != "222222222222" || doc.Account.Environment != "staging" {
		t.Errorf("staging account = %+v", doc.Account)
	}
	if got := liveClusters(doc); got != "blue" {
		t.Errorf("staging live clusters = %q, want blue (the go-live was prod's)", got)
	}
}

func statusOf(t *testing.T, sim simProcess, profile string) statusDoc {
	t.Helper()
	return statusWithCode(t, sim, profile, statusComplete)
}

// statusWithCode is statusOf for a run that must end with exit status
// want: the JSON is printed whatever the status, short of 1.
func statusWithCode(t *testing.T, sim simProcess, profile string, want int) statusDoc {
	t.Helper()
	stdout, stderr, code := runAirlock(t, sim.env(), "status", "--json", "--profile", profile)
	if code != want {
		t.Fatalf("airlock status exited %d, want %d: %s", code, want, stderr)
	}
	var doc statusDoc
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("status --json is not JSON: %v\n%s", err, stdout)
	}
	return doc
}

func liveClusters(doc statusDoc) string {
	var live []string
	for _, c := range doc.Clusters {
		if c.Live != nil && *c.Live {
			live = append(live, c.Name)
		}
	}
	return strings.Join(live, ",")
}

func assertEachInstanceOnce(t *testing.T, doc statusDoc) {
	t.Helper()
	seen := map[string]string{}
	untagged := false
	for _, c := range doc.Clusters {
		untagged = untagged || c.Untagged
		for _, in := range c.Instances {
			if prev, dup := seen[in.ID]; dup {
				t.Errorf("instance %s in both %s and %s", in.ID, prev, c.Name)
			}
			seen[in.ID] = c.Name
		}
	}
	if len(seen) == 0 {
		t.Error("no instances in any cluster")
	}
	if !untagged {
		t.Error("the demo's untagged instances are not in an untagged group")
	}
}

// The SDK retries throttled calls; status --json says how many AWS
// throttled, per API, as counted from the retries, and {} when none.
func TestStatusJSONCountsThrottling(t *testing.T) {
	sim := startSim(t, "--fault", "throttle,action=ec2:DescribeAddresses,times=2")

	stdout, stderr, code := runAirlock(t, sim.env(), "status", "--json", "--profile", "acme-prod")
	if code != statusComplete {
		t.Fatalf("exit %d, want %d (the retries succeed): %s", code, statusComplete, stderr)
	}
	var doc statusDoc
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"ec2:DescribeAddresses": 2}; !maps.Equal(doc.Stats.Throttled, want) {
		t.Errorf("stats.throttled = %v, want %v", doc.Stats.Throttled, want)
	}

	stdout, _, _ = runAirlock(t, sim.env(), "status", "--json", "--profile", "acme-staging")
	var raw struct {
		Stats map[string]json.RawMessage `json:"stats"`
	}
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatal(err)
	}
	if got := string(raw.Stats["throttled"]); got != "{}" {
		t.Errorf("stats.throttled without throttling = %s, want {}", got)
	}
}

// TestStatusErrors checks that every way of getting the setup wrong ends in
// one clear line and a non-zero status, never a stack trace or a hang.
func TestStatusErrors(t *testing.T) {
	sim := startSim(t)
	closed := closedPort(t)

	tests := []struct {
		name string
		env  []string
		args []string
		want string // substring of stderr
	}{
		{"unknown profile", sim.env(), []string{"status", "--profile", "nope"}, "nope"},
		{"no credentials", cleanEnv("AWS_REGION=us-east-1", "AWS_CONFIG_FILE=/nonexistent", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent"),
			[]string{"status", "--endpoint", sim.endpoint}, "credentials"},
		{"unreachable endpoint", sim.env(), []string{"status", "--profile", "acme-prod", "--endpoint", "http://" + closed, "--call-timeout", "2s"}, "reach"},
		{"stray argument", sim.env(), []string{"status", "jsn"}, `unexpected argument "jsn"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := runAirlock(t, tt.env, tt.args...)
			if code == 0 {
				t.Fatalf("exit status 0, want non-zero; stderr: %s", stderr)
			}
			if !strings.Contains(strings.ToLower(stderr), strings.ToLower(tt.want)) {
				t.Errorf("stderr = %q, want it to mention %q", stderr, tt.want)
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
				t.Errorf("stderr has a stack trace: %s", stderr)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 2 {
				t.Errorf("stderr has %d lines, want a short explanation:\n%s", n+1, stderr)
			}
		})
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// In the hostile scenario an instance tagged Cluster=blue\u200b looks like
// blue. "airlock status" counts it apart, in both forms: blue keeps its
// own instances, the look-alike is its own entry in its escaped display
// form, each names the other as a look-alike, and nothing printed carries
// the invisible character itself.
func TestStatusCountsTheLookAlikeApart(t *testing.T) {
	sim := startSim(t, "--scenario", "hostile")

	doc := statusOf(t, sim, "acme-prod")
	assertEachInstanceOnce(t, doc)
	byName := map[string]clusterDoc{}
	for _, c := range doc.Clusters {
		byName[c.Name] = c
	}
	blue, lookalike := byName["blue"], byName["blue⟨U+200B⟩"]
	if len(blue.Instances) != 3 || blue.Live == nil || !*blue.Live || blue.Escaped {
		t.Errorf("blue = %d instances, live %v, escaped %v; want its own 3, LIVE, unescaped", len(blue.Instances), blue.Live, blue.Escaped)
	}
	if len(lookalike.Instances) != 1 || lookalike.Live == nil || *lookalike.Live || !lookalike.Escaped {
		t.Errorf("blue⟨U+200B⟩ = %+v; want one instance, not LIVE, escaped", lookalike)
	}
	if strings.Join(blue.LookAlikes, ",") != "blue⟨U+200B⟩" || strings.Join(lookalike.LookAlikes, ",") != "blue" {
		t.Errorf("look_alikes: blue %q, blue⟨U+200B⟩ %q; want each other", blue.LookAlikes, lookalike.LookAlikes)
	}
	if in := lookalike.Instances; len(in) == 1 && (in[0].Name != "blue-web-1⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩" || !in[0].NameEscaped) {
		t.Errorf("look-alike's instance name = %q (escaped %v), want blue-web-1⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩", in[0].Name, in[0].NameEscaped)
	}

	stdout, stderr, code := runAirlock(t, sim.env(), "status", "--profile", "acme-prod")
	if code != 0 {
		t.Fatalf("airlock status exited %d: %s", code, stderr)
	}
	jsonOut, _, _ := runAirlock(t, sim.env(), "status", "--json", "--profile", "acme-prod")
	for name, out := range map[string]string{"text": stdout, "json": jsonOut} {
		for _, r := range out {
			if r >= 0x80 && r <= 0x9f || r == 0x1b || r >= 0x200b && r <= 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
				t.Errorf("%s output holds %U", name, r)
				break
			}
		}
	}
	for _, want := range []string{"≈ blue ", "≈ blue⟨U+200B⟩ ", "look alike: blue, blue⟨U+200B⟩"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status text lacks %q:\n%s", want, stdout)
		}
	}
}

// With a configuration, status places accounts as the dashboard does:
// by the file, and an account it does not name is unknown (production).
func TestStatusUsesTheConfiguration(t *testing.T) {
	sim := startSim(t)
	conf := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(conf, []byte("[accounts.222222222222]\nname = \"shop-staging\"\nenvironment = \"staging\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		profile, name, env, source string
	}{
		{"acme-staging", "shop-staging", "staging", "config"},
		{"acme-prod", "acme-prod", "unknown", "unknown"},
	} {
		stdout, stderr, code := runAirlock(t, sim.env(), "status", "--json", "--config", conf, "--profile", tt.profile)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tt.profile, code, stderr)
		}
		var doc statusDoc
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatal(err)
		}
		if a := doc.Account; a.Name != tt.name || a.Environment != tt.env || a.EnvSource != tt.source {
			t.Errorf("%s: account = %+v, want name %s, environment %s from %s", tt.profile, a, tt.name, tt.env, tt.source)
		}
	}
	line, _, _ := runAirlock(t, sim.env(), "status", "--line", "--config", conf, "--profile", "acme-staging")
	if !strings.HasPrefix(line, "STAGING shop-staging 222222222222 ") {
		t.Errorf("status --line = %q, want the configured name and environment", line)
	}
}

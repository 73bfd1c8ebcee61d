package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-ops/airlock/model"
)

// "airlock status" ends 0 when complete, 3 when a section failed (the
// JSON still printed, with the section's error) and 1 when it could not
// start. What failed is unknown, never empty: a script reading
// "clusters": [] or "live": false would conclude there is nothing, or
// nothing live (issue 8).
func TestStatusExitCodes(t *testing.T) {
	sim := startSim(t)

	t.Run("complete", func(t *testing.T) {
		doc := statusWithCode(t, sim, "acme-prod", statusComplete)
		if !doc.Complete {
			t.Error("complete = false on a complete fetch")
		}
		for _, c := range doc.Clusters {
			if c.Live == nil || c.LiveUnknown != "" {
				t.Errorf("cluster %s: live %v (%q), want known", c.Name, c.Live, c.LiveUnknown)
			}
		}
		if _, _, code := runAirlock(t, sim.env(), "status", "--profile", "acme-prod"); code != statusComplete {
			t.Errorf("text: exit status %d, want 0", code)
		}
	})

	t.Run("addresses denied", func(t *testing.T) {
		sim.post(t, "/_sim/faults?kind=access-denied&action=ec2:DescribeAddresses")
		t.Cleanup(func() { sim.delete(t, "/_sim/faults") })

		stdout, stderr, code := runAirlock(t, sim.env(), "status", "--json", "--profile", "acme-prod")
		if code != statusIncomplete {
			t.Fatalf("exit status %d, want %d; stderr %s", code, statusIncomplete, stderr)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, stdout)
		}
		if string(raw["addresses"]) != "null" {
			t.Errorf(`"addresses" = %s, want null (unknown, not none)`, raw["addresses"])
		}
		var doc statusDoc
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatal(err)
		}
		addrs := doc.Sections["addresses"]
		if doc.Complete || addrs.Error == nil || !strings.Contains(*addrs.Error, "ec2:DescribeAddresses") {
			t.Errorf("complete %v, addresses section %+v; want incomplete with the denial", doc.Complete, addrs)
		}
		if len(doc.Clusters) != 3 {
			t.Fatalf("clusters = %d, want the demo's 3 (instances were fetched)", len(doc.Clusters))
		}
		for _, c := range doc.Clusters {
			if c.Live != nil || !strings.Contains(c.LiveUnknown, "ec2:DescribeAddresses") || c.EIPs != nil {
				t.Errorf("cluster %s: live %v (%q), eips %v; want null with the reason, eips null", c.Name, c.Live, c.LiveUnknown, c.EIPs)
			}
		}
		if !strings.Contains(stderr, "incomplete") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("stderr = %q, want one line saying it is incomplete", stderr)
		}

		text, _, code := runAirlock(t, sim.env(), "status", "--profile", "acme-prod")
		if code != statusIncomplete {
			t.Errorf("text: exit status %d, want %d", code, statusIncomplete)
		}
		for _, want := range []string{"? liveness unknown: Elastic IPs unknown: access denied: ec2:DescribeAddresses",
			"Elastic IPs unknown: access denied", "INCOMPLETE"} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q:\n%s", want, text)
			}
		}
		if !hasLine(text, `^blue\s+\?\s+3 running`) {
			t.Errorf("blue's LIVE is not ?:\n%s", text)
		}
	})

	// The text prints the clusters, their checks and the Elastic IPs:
	// it does not wait for ECS's paced calls, and a section it does not
	// print cannot make it incomplete. --json fetches and reports it.
	t.Run("ECS denied", func(t *testing.T) {
		sim.post(t, "/_sim/faults?kind=access-denied&action=ecs:ListClusters")
		t.Cleanup(func() { sim.delete(t, "/_sim/faults") })
		sim.post(t, "/_sim/stats/reset")
		text, stderr, code := runAirlock(t, sim.env(), "status", "--profile", "acme-prod")
		if code != statusComplete || !hasLine(text, `^blue\s+LIVE\s+3 running`) {
			t.Errorf("text: exit %d (stderr %q), want 0 with blue LIVE:\n%s", code, stderr, text)
		}
		for api := range sim.calls(t, "111111111111") {
			if strings.HasPrefix(api, "ecs:") || strings.HasPrefix(api, "autoscaling:") {
				t.Errorf("the text status called %s, which it does not print", api)
			}
		}
		statusWithCode(t, sim, "acme-prod", statusIncomplete)
	})

	t.Run("alias denied", func(t *testing.T) {
		sim.post(t, "/_sim/faults?kind=access-denied&action=iam:ListAccountAliases")
		t.Cleanup(func() { sim.delete(t, "/_sim/faults") })

		doc := statusWithCode(t, sim, "acme-prod", statusIncomplete)
		if doc.Account.Alias != "" || doc.Account.AliasError != "AccessDenied" || doc.Account.Environment != "unknown" || !doc.Account.Confirmed {
			t.Errorf("account = %+v; want confirmed, alias unread (AccessDenied), environment unknown", doc.Account)
		}
		text, _, code := runAirlock(t, sim.env(), "status", "--profile", "acme-prod")
		if code != statusIncomplete || !strings.Contains(text, "alias unreadable: AccessDenied (111111111111)") || strings.Contains(text, "(no alias)") {
			t.Errorf("text: exit %d, want %d and the alias unreadable:\n%s", code, statusIncomplete, text)
		}
	})

	t.Run("expired credentials", func(t *testing.T) {
		sim.post(t, "/_sim/faults?kind=expired-token")
		t.Cleanup(func() { sim.delete(t, "/_sim/faults") })

		for _, args := range [][]string{{"status", "--json"}, {"status"}, {"status", "--line"}} {
			_, stderr, code := runAirlock(t, append(sim.env(), "XDG_STATE_HOME="+t.TempDir()), append(args, "--profile", "acme-prod")...)
			if code != statusCouldNot || !strings.Contains(stderr, "cannot confirm the account") {
				t.Errorf("%v: exit %d, stderr %q; want 1 and why", args, code, stderr)
			}
		}
	})
}

// TestStatusLineAgainstSim runs "airlock status --line" as tmux would,
// before and after the go-live, and counts its calls on the sim.
func TestStatusLineAgainstSim(t *testing.T) {
	sim := startSim(t)
	env := append(sim.env(), "XDG_STATE_HOME="+t.TempDir())
	line := func(t *testing.T, want int, args ...string) string {
		t.Helper()
		stdout, stderr, code := runAirlock(t, env, append([]string{"status", "--line"}, args...)...)
		if code != want {
			t.Fatalf("status --line %v: exit %d, want %d; stderr %s", args, code, want, stderr)
		}
		if strings.Count(stdout, "\n") != 1 {
			t.Errorf("status --line printed %q, want one line", stdout)
		}
		return strings.TrimSuffix(stdout, "\n")
	}

	sim.post(t, "/_sim/stats/reset")
	if got, want := line(t, 0, "--profile", "acme-prod"), "PRODUCTION acme-prod 111111111111 us-east-1 LIVE blue 0s"; got != want {
		t.Errorf("before the go-live:\n got %q\nwant %q", got, want)
	}
	// One refresh's identity, one DescribeAddresses and the three holders
	// by ID: nothing else, whatever the fleet.
	calls := sim.calls(t, "111111111111")
	want := map[string]int{"sts:GetCallerIdentity": 1, "iam:ListAccountAliases": 1, "ec2:DescribeAddresses": 1, "ec2:DescribeInstances": 1}
	if len(calls) != len(want) {
		t.Errorf("calls = %v, want %v", calls, want)
	}
	for k, n := range want {
		if calls[k] != n {
			t.Errorf("calls[%s] = %d, want %d (all: %v)", k, calls[k], n, calls)
		}
	}

	sim.post(t, "/_sim/go-live")
	if got, want := line(t, 0, "--profile", "acme-prod"), "PRODUCTION acme-prod 111111111111 us-east-1 LIVE green 0s"; got != want {
		t.Errorf("after the go-live:\n got %q\nwant %q", got, want)
	}
	if got, want := line(t, 0, "--profile", "acme-staging"), "STAGING acme-staging 222222222222 us-east-1 LIVE blue 0s"; got != want {
		t.Errorf("staging:\n got %q\nwant %q", got, want)
	}

	// tmux colour codes in each environment's colour, from the theme.
	prod, stag := line(t, 0, "--profile", "acme-prod", "--format", "tmux"), line(t, 0, "--profile", "acme-staging", "--format", "tmux")
	for _, tc := range []struct{ out, env string }{{prod, "production"}, {stag, "staging"}} {
		want := envStyleFor(tc.env)
		if !strings.HasPrefix(tc.out, want+" ") || !strings.HasSuffix(tc.out, "#[default]") {
			t.Errorf("%s tmux line %q, want it to start with %q and end with #[default]", tc.env, tc.out, want)
		}
	}
	if !strings.Contains(prod, "LIVE green") || envStyleFor("production") == envStyleFor("staging") {
		t.Errorf("tmux lines: %q / %q", prod, stag)
	}

	// The addresses fail: the last complete answer, STALE, with its age;
	// and without one, "?", never "none".
	sim.post(t, "/_sim/faults?kind=access-denied&action=ec2:DescribeAddresses")
	if got := line(t, statusIncomplete, "--profile", "acme-prod"); !strings.HasPrefix(got, "PRODUCTION acme-prod 111111111111 us-east-1 LIVE green STALE ") {
		t.Errorf("addresses denied after a good answer: %q, want the last LIVE cluster, STALE", got)
	}
	env = append(sim.env(), "XDG_STATE_HOME="+t.TempDir())
	if got, want := line(t, statusIncomplete, "--profile", "acme-prod"), "PRODUCTION acme-prod 111111111111 us-east-1 LIVE ? 0s"; got != want {
		t.Errorf("addresses denied, nothing earlier:\n got %q\nwant %q", got, want)
	}
}

// envStyleFor is the tmux style the line opens with in an environment.
func envStyleFor(env string) string {
	l := statusLine{AccountID: "111111111111", Alias: "acme-" + env[:4], liveKnown: true, Live: []string{}}
	out := l.tmux(l.FetchedAt, false)
	return out[:strings.Index(out, " ")]
}

// The line's cache lives under the state directory, one file per profile.
func TestStatusLineCacheLocation(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	a := lineCachePath(awsFlags{profile: "acme-prod", clusterTag: "Cluster"})
	b := lineCachePath(awsFlags{profile: "acme-staging", clusterTag: "Cluster"})
	if filepath.Dir(a) != "/state/airlock/status-line" || a == b {
		t.Errorf("cache paths %q and %q; want two files under /state/airlock/status-line", a, b)
	}
}

// A terminated cluster has nothing running and nothing to check: it
// reads "3 terminated" with checks "-", never "ok"; and with the status
// checks not fetched, a running cluster's checks are "?", not "ok".
func TestStatusTextSaysWhatIsNotRunningOrUnknown(t *testing.T) {
	s := glance(func(s *model.Snapshot) {
		s.Instances = nil
		for i, st := range []model.InstanceState{model.StateTerminated, model.StateTerminated, model.StateTerminated} {
			s.Instances = append(s.Instances, model.Instance{ID: fmt.Sprintf("i-o%d", i), State: st, Tags: model.TagsOf(map[string]string{"Cluster": "old"})})
		}
		s.Instances = append(s.Instances, model.Instance{ID: "i-b1", State: model.StateRunning, Tags: model.TagsOf(map[string]string{"Cluster": "blue"})})
		delete(s.Sections, model.SectionHolders)
		s.Sections[model.SectionInstances] = model.SectionResult{Complete: true}
		s.Sections[model.SectionStatus] = model.SectionResult{Err: errors.New("throttled: ec2:DescribeInstanceStatus")}
	})
	var out strings.Builder
	writeStatusText(&out, model.Analyze(s, ""), model.Config{}, false)
	text := out.String()
	if !hasLine(text, `^old\s+3 terminated\s+-\s+-$`) {
		t.Errorf("the terminated cluster does not read 3 terminated, checks -:\n%s", text)
	}
	if !hasLine(text, `^blue\s+LIVE\s+1 running\s+\?\s+3\.3\.3\.1$`) || !strings.Contains(text, "? checks unknown: throttled") {
		t.Errorf("blue's checks are not unknown:\n%s", text)
	}

	doc := statusJSON(model.Analyze(s, ""), model.Config{})
	checks := map[string]string{}
	for _, c := range doc.Clusters {
		checks[c.Name] = c.Checks
	}
	if checks["old"] != "not running" || checks["blue"] != "unknown" || doc.Complete {
		t.Errorf("JSON checks = %v, complete %v; want old not running, blue unknown, incomplete", checks, doc.Complete)
	}
}

// BenchmarkStatusLine runs "airlock status --line --format tmux" against
// the demo world as tmux would: a whole process, config loading
// included. The goal is well under 2 s a run.
func BenchmarkStatusLine(b *testing.B) {
	sim := startSim(b)
	env := append(sim.env(), "XDG_STATE_HOME="+b.TempDir())
	for b.Loop() {
		cmd := exec.Command(airlockBin, "status", "--line", "--format", "tmux", "--profile", "acme-prod")
		cmd.Env = env
		if out, err := cmd.Output(); err != nil || !strings.Contains(string(out), "LIVE blue") {
			b.Fatalf("status --line: %v: %s", err, out)
		}
	}
}

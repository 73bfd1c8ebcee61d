package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func preflightDocOf(t *testing.T, stdout string) preflightDoc {
	t.Helper()
	var doc preflightDoc
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	return doc
}

// Story S4 as a deploy pipeline sees it: against the s4 world, `airlock
// preflight --json` names the missing AMI and the missing security group
// and ends 1; on the demo world every check passes and it ends 0.
func TestPreflightS4(t *testing.T) {
	sim := startSim(t, "--scenario", "s4")
	stdout, stderr, code := runAirlock(t, sim.env(), "preflight", "--json", "--profile", "acme-prod")
	if code != preflightFailed {
		t.Fatalf("exit status %d, want %d; stderr %s", code, preflightFailed, stderr)
	}
	doc := preflightDocOf(t, stdout)
	if doc.OK {
		t.Error(`"ok": true on s4`)
	}
	var up *preflightGroupDoc
	for i := range doc.Groups {
		if doc.Groups[i].Name == "uploader" {
			up = &doc.Groups[i]
		}
	}
	if up == nil || up.OK {
		t.Fatalf("groups = %+v, want uploader failing", doc.Groups)
	}
	failed := map[string]string{}
	for _, c := range up.Checks {
		if !c.OK {
			failed[c.Check] = c.Detail
		}
	}
	if d := failed["image"]; !strings.Contains(d, "ami-0deadbeef00000000") || !strings.Contains(d, "does not exist") {
		t.Errorf("image check = %q, want it to name ami-0deadbeef00000000", d)
	}
	if d := failed["security-group"]; !strings.Contains(d, "uploader-prod") || !strings.Contains(d, "does not exist") {
		t.Errorf("security-group check = %q, want it to name uploader-prod", d)
	}
	if len(failed) != 2 {
		t.Errorf("failed checks = %v, want image and security-group only", failed)
	}

	// --group narrows it; the text names the same things.
	text, _, code := runAirlock(t, sim.env(), "preflight", "--group", "uploader", "--profile", "acme-prod")
	if code != preflightFailed || !strings.Contains(text, "ami-0deadbeef00000000") || !strings.Contains(text, "uploader-prod") ||
		!strings.Contains(text, "FAILED") {
		t.Errorf("text (exit %d):\n%s", code, text)
	}
	// A group that does not exist is an error naming it.
	_, stderr, code = runAirlock(t, sim.env(), "preflight", "--group", "nope", "--profile", "acme-prod")
	if code != preflightFailed || !strings.Contains(stderr, `"nope"`) {
		t.Errorf("--group nope: exit %d, stderr %q", code, stderr)
	}
}

func TestPreflightDemoPasses(t *testing.T) {
	sim := startSim(t)
	stdout, stderr, code := runAirlock(t, sim.env(), "preflight", "--json", "--profile", "acme-prod")
	if code != preflightPassed {
		t.Fatalf("exit status %d, want 0; stderr %s\n%s", code, stderr, stdout)
	}
	doc := preflightDocOf(t, stdout)
	if !doc.OK || len(doc.Groups) != 2 {
		t.Errorf("ok %v, groups %d; want ok, blue and green", doc.OK, len(doc.Groups))
	}
	for _, g := range doc.Groups {
		if len(g.Checks) != 4 {
			t.Errorf("group %s has %d checks, want 4", g.Name, len(g.Checks))
		}
	}
}

// A check that could not run is neither passed nor failed: exit 3, and
// the JSON says why.
func TestPreflightUnknown(t *testing.T) {
	sim := startSim(t)
	sim.post(t, "/_sim/faults?kind=access-denied&action=ec2:DescribeImages")
	stdout, _, code := runAirlock(t, sim.env(), "preflight", "--json", "--profile", "acme-prod")
	if code != preflightUnknown {
		t.Fatalf("exit status %d, want %d\n%s", code, preflightUnknown, stdout)
	}
	doc := preflightDocOf(t, stdout)
	for _, g := range doc.Groups {
		for _, c := range g.Checks {
			if c.Check == "image" && (c.OK || !strings.Contains(c.Unknown, "ec2:DescribeImages")) {
				t.Errorf("%s image check = %+v, want unknown naming the denial", g.Name, c)
			}
		}
	}
	// The groups themselves denied: nothing could be checked.
	sim.post(t, "/_sim/faults?kind=access-denied&action=autoscaling:DescribeAutoScalingGroups")
	if _, stderr, code := runAirlock(t, sim.env(), "preflight", "--profile", "acme-prod"); code != preflightUnknown ||
		!strings.Contains(stderr, "DescribeAutoScalingGroups") {
		t.Errorf("groups denied: exit %d, stderr %q", code, stderr)
	}
}

// status --json carries the groups and the subnets' capacity (S4, S5).
func TestStatusJSONCapacity(t *testing.T) {
	sim := startSim(t, "--scenario", "s5")
	stdout, stderr, code := runAirlock(t, sim.env(), "status", "--json", "--profile", "acme-prod")
	if code != statusComplete {
		t.Fatalf("exit status %d; stderr %s", code, stderr)
	}
	var doc statusDoc
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var rebuild *groupDoc
	for i := range doc.Groups {
		if doc.Groups[i].Name == "rebuild" {
			rebuild = &doc.Groups[i]
		}
	}
	if rebuild == nil || !rebuild.Short || rebuild.Desired != 6 || rebuild.LastFailure == nil ||
		!strings.Contains(*rebuild.LastFailure, "not enough free addresses") {
		t.Errorf("rebuild = %+v, want short with the subnet's failure", rebuild)
	}
	low := map[string]bool{}
	for _, s := range doc.Subnets {
		low[s.AZ] = s.Low
		if s.Total != 251 || s.Free != s.AvailableIPs {
			t.Errorf("subnet %+v: want total 251, free = available_ips", s)
		}
	}
	if !low["us-east-1a"] || low["us-east-1b"] || !low["us-east-1c"] {
		t.Errorf("low = %v, want us-east-1a and us-east-1c", low)
	}
	var raw map[string]json.RawMessage
	_ = json.Unmarshal([]byte(stdout), &raw)
	if !strings.Contains(string(raw["groups"]), `"last_failure": null`) {
		t.Errorf(`groups without a failure should say "last_failure": null: %s`, raw["groups"])
	}
}

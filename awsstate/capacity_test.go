package awsstate

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// fetchScenario fetches a snapshot of scenario's production account the
// way the dashboard does, and fails the test on any incomplete section.
func fetchScenario(t *testing.T, scenario string) (*sim.Server, model.World) {
	t.Helper()
	s, url := startSim(t, sim.Options{Scenario: scenario})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	snap := c.Fetch(context.Background())
	for sec, res := range snap.Sections {
		if !res.Complete || res.Err != nil {
			t.Fatalf("section %s: complete %v, %v", sec, res.Complete, res.Err)
		}
	}
	return s, model.Analyze(snap, "")
}

func checkOf(p model.GroupPreflight, name model.CheckName) model.Check {
	for _, c := range p.Checks {
		if c.Name == name {
			return c
		}
	}
	return model.Check{}
}

// The demo world: blue and green are groups at size, and every preflight
// check passes.
func TestFetchCapacityDemo(t *testing.T) {
	_, w := fetchScenario(t, "demo")
	var names []string
	for _, g := range w.Groups {
		names = append(names, g.Name)
		if g.Short || g.InService != 3 || g.Desired != 3 || g.LastFailure != nil {
			t.Errorf("group %s: short %v, %d of %d, last failure %v; want 3 of 3, no failure", g.Name, g.Short, g.InService, g.Desired, g.LastFailure)
		}
	}
	if !slices.Equal(names, []string{"blue", "green"}) {
		t.Fatalf("groups = %v, want blue, green", names)
	}
	blue, _ := w.Group("blue")
	if blue.Template() != "acme-web $Default" || len(blue.Subnets) != 3 {
		t.Errorf("blue: template %q, subnets %v", blue.Template(), blue.Subnets)
	}
	if c, _ := w.Cluster("green"); !slices.Equal(c.Groups, []string{"green"}) {
		t.Errorf("cluster green shows groups %v, want green", c.Groups)
	}
	if w.Snap.Launch == nil {
		t.Fatal("no launch facts")
	}
	for _, p := range model.Preflight(*w.Snap.Launch) {
		if !p.OK() {
			t.Errorf("preflight of %s: %+v", p.Group, p.Checks)
		}
	}
}

// Story S4: uploader wants 6 and has 2; its latest activity failed on the
// missing AMI, and the preflight names the AMI and the security group.
func TestFetchCapacityS4(t *testing.T) {
	_, w := fetchScenario(t, "s4")
	g, ok := w.Group("uploader")
	if !ok {
		t.Fatal("no group uploader")
	}
	if !g.Short || g.Desired != 6 || g.InService != 2 {
		t.Errorf("uploader: short %v, %d of %d; want SHORT, 2 of 6", g.Short, g.InService, g.Desired)
	}
	if g.LastFailure == nil || !strings.Contains(g.LastFailure.Message, "The image id '["+sim.MissingAMI+"]' does not exist") {
		t.Errorf("last failure = %+v, want the missing image's message verbatim", g.LastFailure)
	}
	if g.Template() != "uploader $Latest" {
		t.Errorf("template = %q", g.Template())
	}
	p := model.PreflightGroup(*w.Snap.Launch, g.Group)
	if c := checkOf(p, model.CheckImage); !c.Failed() || !strings.Contains(c.Detail, sim.MissingAMI) {
		t.Errorf("image check = %+v, want failed naming %s", c, sim.MissingAMI)
	}
	if c := checkOf(p, model.CheckSecurityGroup); !c.Failed() || !strings.Contains(c.Detail, sim.MissingSecurityGroup) {
		t.Errorf("security group check = %+v, want failed naming %s", c, sim.MissingSecurityGroup)
	}
	if c := checkOf(p, model.CheckInstanceType); !c.OK {
		t.Errorf("instance type check = %+v, want ok", c)
	}
}

// Story S5: group rebuild is short because its subnet is full; the
// subnets of us-east-1a and c are low.
func TestFetchCapacityS5(t *testing.T) {
	_, w := fetchScenario(t, "s5")
	g, ok := w.Group("rebuild")
	if !ok {
		t.Fatal("no group rebuild")
	}
	if !g.Short || g.LastFailure == nil || !strings.Contains(g.LastFailure.Message, "not enough free addresses") {
		t.Errorf("rebuild: short %v, last failure %+v", g.Short, g.LastFailure)
	}
	p := model.PreflightGroup(*w.Snap.Launch, g.Group)
	if c := checkOf(p, model.CheckSubnetCapacity); !c.Failed() {
		t.Errorf("subnet check = %+v, want failed", c)
	}
	low := map[string]bool{}
	for _, u := range model.SubnetUses(w, model.DefaultLowSubnet) {
		low[u.AZ] = u.Low
		if u.Total != 251 {
			t.Errorf("subnet %s total = %d, want 251 (a /24 less AWS's five)", u.ID, u.Total)
		}
	}
	if !low["us-east-1a"] || low["us-east-1b"] || !low["us-east-1c"] {
		t.Errorf("low subnets by zone = %v, want a and c", low)
	}
}

// The whole preflight of S4 through the exported entry point: a group
// named that does not exist is an error naming it.
func TestPreflightByName(t *testing.T) {
	_, url := startSim(t, sim.Options{Scenario: "s4"})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	res, _, partErr, err := c.Preflight(context.Background(), "uploader")
	if err != nil || partErr != nil || len(res) != 1 || !res[0].Failed() {
		t.Fatalf("Preflight(uploader) = %+v, %v, %v; want one failed group", res, partErr, err)
	}
	if _, _, _, err := c.Preflight(context.Background(), "nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Preflight(nope) error = %v, want one naming the group", err)
	}
}

// A launch preflight costs a handful of calls, not one per group.
func TestLaunchFactsCalls(t *testing.T) {
	s, url := startSim(t, sim.Options{Instances: 2500, Seed: 1})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	s.ResetStats()
	f, err := c.launchFacts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Groups) < 10 {
		t.Fatalf("groups = %d, want the generated fleet's", len(f.Groups))
	}
	total := 0
	for action, n := range s.Stats() {
		total += n
		if n > 2 {
			t.Errorf("%s called %d times", action, n)
		}
	}
	if total > 8 {
		t.Errorf("%d calls for %d groups, want at most 8: %v", total, len(f.Groups), s.Stats())
	}
	for _, p := range model.Preflight(f) {
		if !p.OK() {
			t.Errorf("preflight of %s: %+v", p.Group, p.Problems())
		}
	}
}

// Stopping a member of a group is refused through the real calls; so is
// it when the group cannot be read; terminating one warns.
func TestPrepareGroupMember(t *testing.T) {
	r := newRig(t)
	w, seen, p := r.screen()
	green, _ := w.Cluster("green")
	id := green.InstanceIDs[0]

	v := r.prepare(model.Intent{Action: model.ActionStop, InstanceIDs: []string{id}}).Verdict
	if v.Allowed || len(v.Refusals) != 1 || v.Refusals[0].Rule != model.RuleGroupMember {
		t.Errorf("stop a member: %+v, want refused by %s", v.Refusals, model.RuleGroupMember)
	}

	v = r.prepare(model.Intent{Action: model.ActionTerminate, InstanceIDs: []string{id}}).Verdict
	want := "instance " + id + " is in Auto Scaling group green (desired 3): the group will launch a replacement"
	if !v.Allowed || !slices.Contains(v.Warnings, want) {
		t.Errorf("terminate a member: allowed %v, warnings %q; want allowed with %q", v.Allowed, v.Warnings, want)
	}

	defer r.sim.Inject(sim.Fault{Kind: sim.FaultAccessDenied, Action: "autoscaling:DescribeAutoScalingGroups"})()
	v = r.prepareSeen(model.Intent{Action: model.ActionStop, InstanceIDs: []string{id}}, seen, p).Verdict
	if v.Allowed || len(v.Refusals) != 1 || !strings.Contains(v.Refusals[0].Reason, "could not be read") {
		t.Errorf("stop with the group unreadable: %+v, want refused", v.Refusals)
	}
}

package awsstate

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// The guarded capacity actions through the sim, one story each: done
// after the exact phrase; and nothing runs when the desired count changed
// between the confirmation and the call.

// groupScreen is the screen showing the demo's Auto Scaling groups, as
// the page that lists them records them.
func (r *rig) groupScreen(names ...string) (model.Seen, model.Policy) {
	r.t.Helper()
	_, seen, p := r.screen()
	var gs []model.ScaleGroup
	for _, n := range names {
		g, err := r.c.scaleGroupNow(context.Background(), n)
		if err != nil || len(g) != 1 {
			r.t.Fatalf("group %s: %v %v", n, g, err)
		}
		gs = append(gs, g...)
	}
	seen.ScaleGroups = model.ScaleGroupsSeen(gs)
	return seen, p
}

func (r *rig) group(name string) model.ScaleGroup {
	r.t.Helper()
	g, err := r.c.scaleGroupNow(context.Background(), name)
	if err != nil || len(g) != 1 {
		r.t.Fatalf("group %s: %v %v", name, g, err)
	}
	return g[0]
}

func (r *rig) service(cluster, name string) model.Service {
	r.t.Helper()
	s, err := r.c.serviceNow(context.Background(), cluster, name)
	if err != nil || len(s) != 1 {
		r.t.Fatalf("service %s/%s: %v %v", cluster, name, s, err)
	}
	return s[0]
}

// setServiceDesired changes a service's desired count as a deployer
// would, keeping the sim's sums.
func setServiceDesired(reg *sim.Region, cluster, name string, n int) {
	svc := reg.ECSClusters[cluster].Services[name]
	svc.Desired = n
	p := svc.Deployments[0]
	p.Desired, p.Pending = n, max(0, n-p.Running)
	svc.Pending = 0
	for _, d := range svc.Deployments {
		svc.Pending += d.Pending
	}
}

func n(v int) *int { return &v }

// refusedBy checks an Execute that did nothing because of rule.
func refusedBy(t *testing.T, out Outcome, err error, rule model.Rule) {
	t.Helper()
	if !errors.Is(err, ErrRefused) && KindOf(err) != KindRefused {
		t.Fatalf("Execute = %v, want a refusal", err)
	}
	if len(out.Calls) != 0 || out.Done {
		t.Errorf("calls made: %+v", out.Calls)
	}
	got := rules(out.Verdict)
	var st *stoppedError
	if errors.As(err, &st) {
		got = append(got, st.Refusal.Rule)
	}
	if !slices.Contains(got, rule) {
		t.Errorf("refused by %v (%v), want %s", got, err, rule)
	}
}

func TestSetDesiredCapacity(t *testing.T) {
	r := newRig(t)
	seen, p := r.groupScreen("green")
	in := model.Intent{Action: model.ActionSetDesired, Group: "green", Desired: n(0)}
	prep := r.prepareSeen(in, seen, p)
	if !prep.Verdict.Allowed || prep.Verdict.Phrase != "acme-prod/green" {
		t.Fatalf("verdict = %+v", prep.Verdict)
	}

	out, err := r.c.Execute(context.Background(), prep, "acme-prod/green")
	if err != nil || !out.Done {
		t.Fatalf("Execute = %+v, %v", out, err)
	}
	if got := r.group("green").Desired; got != 0 || r.calls("autoscaling:SetDesiredCapacity") != 1 {
		t.Errorf("green wants %d after %d calls", got, r.calls("autoscaling:SetDesiredCapacity"))
	}
	recs := r.records()
	if len(recs) != 2 || recs[1].Result != resultDone || len(recs[0].Plan) != 1 ||
		recs[0].Plan[0].API != model.APISetDesired || recs[0].Plan[0].LastLook != "CheckGroup: exists, desired still 3" ||
		recs[0].Targets.Group != "green" || recs[0].Targets.Desired == nil || *recs[0].Targets.Desired != 0 {
		t.Errorf("audit = %+v", recs)
	}
}

// Between the confirmation and the call a scaling policy raised green to
// 5: nothing runs.
func TestSetDesiredRefusedWhenDesiredChangedSinceConfirmed(t *testing.T) {
	r := newRig(t)
	seen, p := r.groupScreen("green")
	prep := r.prepareSeen(model.Intent{Action: model.ActionSetDesired, Group: "green", Desired: n(0)}, seen, p)
	r.update(func(reg *sim.Region) { reg.Groups["green"].Desired = 5 })

	out, err := r.c.Execute(context.Background(), prep, "acme-prod/green")

	refusedBy(t, out, err, model.RuleDesiredChanged)
	if r.calls("autoscaling:SetDesiredCapacity") != 0 {
		t.Error("SetDesiredCapacity was called")
	}
	if recs := r.records(); len(recs) != 2 || recs[1].Result != resultRefused {
		t.Errorf("audit = %+v", recs)
	}
}

// The last look: the desired count changes after the check right before
// the calls, in the one round trip left; the re-read before the call
// catches it.
func TestSetDesiredLastLook(t *testing.T) {
	r := newRig(t)
	seen, p := r.groupScreen("green")
	prep := r.prepareSeen(model.Intent{Action: model.ActionSetDesired, Group: "green", Desired: n(0)}, seen, p)
	r.c.hooks = &testHooks{afterJudge: func() { r.update(func(reg *sim.Region) { reg.Groups["green"].Desired = 4 }) }}

	out, err := r.c.Execute(context.Background(), prep, "acme-prod/green")

	refusedBy(t, out, err, model.RuleDesiredChanged)
	if r.calls("autoscaling:SetDesiredCapacity") != 0 {
		t.Error("SetDesiredCapacity was called")
	}
}

func TestSuspendAndResumeProcesses(t *testing.T) {
	r := newRig(t)
	seen, p := r.groupScreen("green")
	prep := r.prepareSeen(model.Intent{Action: model.ActionSuspend, Group: "green", Processes: []string{model.ProcessLaunch, model.ProcessTerminate}}, seen, p)
	if out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase); err != nil || !out.Done {
		t.Fatalf("suspend: %+v, %v", out, err)
	}
	if got := r.group("green").Suspended; !slices.Equal(got, []string{"Launch", "Terminate"}) {
		t.Errorf("suspended = %v", got)
	}

	seen, p = r.groupScreen("green")
	prep = r.prepareSeen(model.Intent{Action: model.ActionResume, Group: "green", Processes: []string{model.ProcessLaunch}}, seen, p)
	if out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase); err != nil || !out.Done {
		t.Fatalf("resume: %+v, %v", out, err)
	}
	if got := r.group("green").Suspended; !slices.Equal(got, []string{"Terminate"}) {
		t.Errorf("suspended = %v", got)
	}
}

// The group the operator confirmed suspending is not the group it is
// now: its desired count moved. Nothing runs.
func TestSuspendRefusedWhenDesiredChangedSinceConfirmed(t *testing.T) {
	r := newRig(t)
	seen, p := r.groupScreen("green")
	prep := r.prepareSeen(model.Intent{Action: model.ActionSuspend, Group: "green", Processes: []string{model.ProcessLaunch}}, seen, p)
	r.update(func(reg *sim.Region) { reg.Groups["green"].Desired = 5 })

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	refusedBy(t, out, err, model.RuleChanged)
	if r.calls("autoscaling:SuspendProcesses") != 0 {
		t.Error("SuspendProcesses was called")
	}
}

func TestScaleService(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "s7"})
	_, seen, p := r.screen()
	in := model.Intent{Action: model.ActionScaleService, ECSCluster: sim.S7ClusterName, Service: sim.S7ServiceName, Desired: n(0)}
	prep := r.prepareSeen(in, seen, p)
	if prep.Verdict.Phrase != "acme-prod/prod-ecs/deployer-api" {
		t.Fatalf("verdict = %+v", prep.Verdict)
	}
	if out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase); err != nil || !out.Done {
		t.Fatalf("Execute = %+v, %v", out, err)
	}
	if got := r.service(sim.S7ClusterName, sim.S7ServiceName).Desired; got != 0 {
		t.Errorf("deployer-api wants %d", got)
	}
}

// S7's deployer raised deployer-api to 6 while the operator typed: the
// scale-down they confirmed was from 4. Nothing runs.
func TestScaleServiceRefusedWhenDesiredChangedSinceConfirmed(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "s7"})
	_, seen, p := r.screen()
	prep := r.prepareSeen(model.Intent{Action: model.ActionScaleService, ECSCluster: sim.S7ClusterName, Service: sim.S7ServiceName, Desired: n(0)}, seen, p)
	r.update(func(reg *sim.Region) { setServiceDesired(reg, sim.S7ClusterName, sim.S7ServiceName, 6) })

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	refusedBy(t, out, err, model.RuleDesiredChanged)
	if r.calls("ecs:UpdateService") != 0 {
		t.Error("UpdateService was called")
	}
}

// Deleting a service that runs tasks is refused before any phrase; one at
// zero is deleted, not forced, and goes DRAINING.
func TestDeleteService(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "s7"})
	_, seen, p := r.screen()
	busy := r.prepareSeen(model.Intent{Action: model.ActionDeleteService, ECSCluster: sim.S7ClusterName, Service: sim.S7ServiceName}, seen, p)
	if busy.Verdict.Allowed || !slices.Contains(rules(busy.Verdict), model.RuleRunningTasks) ||
		!strings.Contains(busy.Verdict.Refusals[0].Fix, "scale it to 0 first") {
		t.Fatalf("deleting deployer-api: %+v", busy.Verdict)
	}

	prep := r.prepareSeen(model.Intent{Action: model.ActionDeleteService, ECSCluster: sim.S7ClusterName, Service: "scheduler"}, seen, p)
	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)
	if err != nil || !out.Done || r.calls("ecs:DeleteService") != 1 {
		t.Fatalf("Execute = %+v, %v", out, err)
	}
	// With the sim's zero StateDelay the next call may already see it
	// INACTIVE.
	if got := r.service(sim.S7ClusterName, "scheduler").Status; got == model.ECSActive {
		t.Errorf("scheduler is %s, want DRAINING or INACTIVE", got)
	}
}

// Someone scaled scheduler up again between the confirmation and the
// call: it is not deleted.
func TestDeleteServiceRefusedWhenDesiredChangedSinceConfirmed(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "s7"})
	_, seen, p := r.screen()
	prep := r.prepareSeen(model.Intent{Action: model.ActionDeleteService, ECSCluster: sim.S7ClusterName, Service: "scheduler"}, seen, p)
	r.update(func(reg *sim.Region) { setServiceDesired(reg, sim.S7ClusterName, "scheduler", 2) })

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	refusedBy(t, out, err, model.RuleRunningTasks)
	if r.calls("ecs:DeleteService") != 0 {
		t.Error("DeleteService was called")
	}
}

func TestForceNewDeployment(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "s7"})
	_, seen, p := r.screen()
	before, _ := r.service(sim.S7ClusterName, "payments").Primary()
	prep := r.prepareSeen(model.Intent{Action: model.ActionRedeploy, ECSCluster: sim.S7ClusterName, Service: "payments"}, seen, p)
	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)
	if err != nil || !out.Done {
		t.Fatalf("Execute = %+v, %v", out, err)
	}
	if now, _ := r.service(sim.S7ClusterName, "payments").Primary(); now.ID == before.ID {
		t.Errorf("payments is still on deployment %s: no new deployment", now.ID)
	}
}

func TestForceNewDeploymentRefusedWhenDesiredChangedSinceConfirmed(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "s7"})
	_, seen, p := r.screen()
	prep := r.prepareSeen(model.Intent{Action: model.ActionRedeploy, ECSCluster: sim.S7ClusterName, Service: "payments"}, seen, p)
	r.update(func(reg *sim.Region) { setServiceDesired(reg, sim.S7ClusterName, "payments", 3) })

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	refusedBy(t, out, err, model.RuleDesiredChanged)
	if r.calls("ecs:UpdateService") != 0 {
		t.Error("UpdateService was called")
	}
}

// The service deleted by another console after the last check: the
// re-read right before the call finds it draining, and nothing is called.
func TestScaleServiceLastLookFindsItDeleted(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "s7"})
	_, seen, p := r.screen()
	prep := r.prepareSeen(model.Intent{Action: model.ActionScaleService, ECSCluster: sim.S7ClusterName, Service: sim.S7ServiceName, Desired: n(2)}, seen, p)
	r.c.hooks = &testHooks{afterJudge: func() {
		if _, err := r.sim.DeleteECSService(sim.ProdAccountID, "us-east-1", sim.S7ClusterName, sim.S7ServiceName); err != nil {
			t.Error(err)
		}
	}}

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	refusedBy(t, out, err, model.RuleGone)
	if r.calls("ecs:UpdateService") != 0 {
		t.Error("UpdateService was called")
	}
}

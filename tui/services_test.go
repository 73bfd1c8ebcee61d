package tui

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// deleteThroughControl deletes a service the way another engineer's
// console would: the sim's /_sim/ control, over HTTP.
func deleteThroughControl(t *testing.T, url, cluster, service string) {
	t.Helper()
	resp, err := http.Post(url+"/_sim/ecs/delete-service?cluster="+cluster+"&service="+service, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("delete-service: %s", resp.Status)
	}
}

// cursorOnService moves the Services page's cursor to a service.
func cursorOnService(t *testing.T, r *simRig, cluster, name string) {
	t.Helper()
	p := r.m.pages[pageKeyIndex("4")-1].(*servicesPage)
	for i := range p.items {
		if s := p.items[i].svc; s != nil && s.Cluster == cluster && s.Name == name {
			p.cur.to(i, p.rows)
			return
		}
	}
	t.Fatalf("service %s/%s not on the page:\n%s", cluster, name, r.screen())
}

// refreshAt runs a refresh d after the last one, by the dashboard's clock.
func (r *simRig) refreshAt(d time.Duration) {
	r.clock.Advance(d)
	r.m.now = r.clock.Now()
	r.fetchAll()
}

// Story S7 on the Services page, through awsstate: deployer-api 4/4
// running, ledger-sync's rollout FAILED in the alarm colour; another
// console deletes deployer-api; after one refresh it is still listed,
// as vanished, greyed, with what it was, and the page bar says so on
// every page, beside the feed's event. Acknowledged, it goes.
func TestStoryS7ServicesPage(t *testing.T) {
	r, url := scenarioRig(t, "s7", sim.DemoEpoch.Add(2*time.Minute), 120, 40)
	if bar := r.screen(); !strings.Contains(bar, "4 Services ▲ 1 FAILED") {
		t.Errorf("page bar:\n%s", bar)
	}
	r.key("4")
	cursorOnService(t, r, sim.S7ClusterName, "ledger-sync")
	s := r.screen()
	for _, want := range []string{"prod-ecs", "deployer-api", "FARGATE", ":42", "COMPLETED", "ledger-sync", "FAILED",
		"deployment PRIMARY ledger-sync:9: 0/2 running, 6 failed, rollout FAILED", "events, newest first:"} {
		if !strings.Contains(s, want) {
			t.Errorf("Services page lacks %q:\n%s", want, s)
		}
	}
	if styled := r.m.View().Content; !strings.Contains(styled, r.m.st.ink.Danger.render(model.RolloutFailed)) {
		t.Error("FAILED is not drawn in the Danger ink")
	}

	deleteThroughControl(t, url, sim.S7ClusterName, sim.S7ServiceName)
	r.refreshAt(5 * time.Second)
	cursorOnService(t, r, sim.S7ClusterName, sim.S7ServiceName)
	s = flat(r.screen())
	for _, want := range []string{"4 Services ▲ 1 FAILED, 1 vanished", "deployer-api vanished 4 4",
		"VANISHED 12:02:05 UTC (just now): ECS no longer lists it; it was 4/4 running"} {
		if !strings.Contains(s, want) {
			t.Errorf("after the deletion the page lacks %q:\n%s", want, r.screen())
		}
	}
	r.key("1")
	if s := flat(r.screen()); !strings.Contains(s, "service deployer-api in cluster prod-ecs vanished (was 4/4 running)") ||
		!strings.Contains(s, "4 Services ▲ 1 FAILED, 1 vanished") {
		t.Errorf("Fleet: the feed or the page bar does not say it:\n%s", r.screen())
	}
	// x on the vanished row offers nothing; a acknowledges it.
	r.key("4")
	r.key("x")
	if r.m.flow != nil || !strings.Contains(r.screen(), "vanished: there is nothing to act on") {
		t.Errorf("x on a vanished service:\n%s", r.screen())
	}
	r.key("a")
	p := r.m.pages[pageKeyIndex("4")-1].(*servicesPage)
	for _, it := range p.items {
		if it.svc != nil && it.svc.Name == sim.S7ServiceName {
			t.Errorf("acknowledged, the service is still listed:\n%s", r.screen())
		}
	}
	if strings.Contains(r.screen(), "1 vanished") {
		t.Errorf("acknowledged, the page bar still says it:\n%s", r.screen())
	}
}

// A vanished service goes by itself after vanishFor; one the operator
// has not acknowledged stays until then, refresh after refresh.
func TestVanishedServiceExpires(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 100, 30)
	s := demoSnapshot()
	s.Sections[model.SectionECS] = model.SectionResult{Complete: true}
	s.ECS = model.ECSState{Clusters: []model.ECSCluster{{Name: "prod-ecs", Status: model.ECSActive, ActiveServices: 1}},
		Services: []model.Service{{Name: "api", Cluster: "prod-ecs", Status: model.ECSActive, Desired: 2, Running: 2}}}
	hs.deliver(s)
	gone := s
	gone.ECS = model.ECSState{Clusters: s.ECS.Clusters}
	for _, d := range []time.Duration{5 * time.Second, time.Minute, vanishFor - 2*time.Minute} {
		hs.clock.Advance(d)
		hs.deliver(gone)
		if !strings.Contains(hs.screen(), "4 Services ▲ 1 vanished") {
			t.Fatalf("%v after: the vanished service is no longer said:\n%s", d, hs.screen())
		}
	}
	hs.clock.Advance(2 * time.Minute)
	hs.deliver(gone)
	if strings.Contains(hs.screen(), "▲ 1 vanished") {
		t.Errorf("still vanished after %v:\n%s", vanishFor, hs.screen())
	}
}

// The ECS section failed: the page says unknown, never "no clusters";
// once it has known the services it keeps them under the warning.
func TestServicesPageUnknown(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 100, 30)
	s := demoSnapshot()
	s.Sections[model.SectionECS] = model.SectionResult{Err: fmt.Errorf("ThrottlingException: Rate exceeded")}
	hs.deliver(s)
	hs.key("4")
	if sc := hs.screen(); !strings.Contains(sc, "ECS unknown: ThrottlingException: Rate exceeded") || strings.Contains(sc, "no ECS clusters") {
		t.Errorf("failed section:\n%s", sc)
	}
	ok := demoSnapshot()
	ok.Sections[model.SectionECS] = model.SectionResult{Complete: true}
	ok.ECS = model.ECSState{Clusters: []model.ECSCluster{{Name: "prod-ecs", Status: model.ECSActive, ActiveServices: 1}},
		Services: []model.Service{{Name: "api", Cluster: "prod-ecs", Status: model.ECSActive, Desired: 2, Running: 2}}}
	hs.deliver(ok)
	hs.deliver(s)
	if sc := flat(hs.screen()); !strings.Contains(sc, "incomplete") || !strings.Contains(sc, "api ACTIVE 2 2") ||
		!strings.Contains(sc, "ECS unknown: ThrottlingException: Rate exceeded; this is what the refresh of 14:03:41 UTC listed") {
		t.Errorf("failed after a good one:\n%s", hs.screen())
	}
	if strings.Contains(hs.screen(), "vanished") {
		t.Error("a failed section made services vanish")
	}
}

// Goldens of S7's Services page at 80x24 and 120x40, through awsstate:
// before deployer-api is deleted through the sim's control, and after
// one refresh, the cursor on it.
func TestGoldenS7(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			r, url := scenarioRig(t, "s7", sim.DemoEpoch.Add(2*time.Minute), sz[0], sz[1])
			shot := func(name string) {
				t.Helper()
				out := r.m.View().Content
				assertFits(t, out, sz[0], sz[1])
				assertNoInjectedEscapes(t, out)
				t.Run(name, func(t *testing.T) { golden.RequireEqual(t, r.screen()) })
			}
			r.key("4")
			cursorOnService(t, r, sim.S7ClusterName, sim.S7ServiceName)
			shot("before")
			deleteThroughControl(t, url, sim.S7ClusterName, sim.S7ServiceName)
			r.refreshAt(5 * time.Second)
			cursorOnService(t, r, sim.S7ClusterName, sim.S7ServiceName)
			shot("after")
		})
	}
}

// scaleDeployer walks the airlock on the Services page up to the
// confirmation of scaling deployer-api to n: x, the scale item, the
// number (after a refused one), enter.
func scaleDeployer(t *testing.T, r *simRig, n string) {
	t.Helper()
	r.key("4")
	cursorOnService(t, r, sim.S7ClusterName, sim.S7ServiceName)
	r.openMenu()
	for _, want := range []string{"Actions on service deployer-api in prod-ecs", "Scale service deployer-api in prod-ecs (now 4/4 running)",
		"Delete service deployer-api in prod-ecs", "scale it to 0 first", "Force a new deployment"} {
		if !strings.Contains(flat(r.screen()), want) {
			t.Errorf("menu lacks %q:\n%s", want, r.screen())
		}
	}
	if it := r.pick("Delete service deployer-api"); it.Available {
		t.Error("deleting a service running 4 tasks is available")
	}
	r.pick("Scale service deployer-api")
	r.press("enter")
	if r.stage() != stageCount {
		t.Fatalf("enter on scale did not ask for the number:\n%s", r.screen())
	}
	r.typeText("x")
	r.press("enter")
	if r.stage() != stageCount || !strings.Contains(r.screen(), "type the new desired count first") {
		t.Fatalf("an empty number was taken:\n%s", r.screen())
	}
	r.typeText(n)
	r.press("enter")
	r.until("the verdict", func() bool { return r.stage() == stageConfirm })
}

// Scaling a service through the sim: the menu, the number, the
// confirmation with the plan's line, the phrase, one UpdateService, and
// the page shows the new count after the refresh that follows.
func TestStoryS7ScaleService(t *testing.T) {
	r, _ := scenarioRig(t, "s7", sim.DemoEpoch.Add(2*time.Minute), 120, 40)
	scaleDeployer(t, r, "2")
	s := flat(r.screen())
	for _, want := range []string{"ecs:UpdateService", "service deployer-api in prod-ecs: desired count 4 → 2",
		"Type acme-prod/prod-ecs/deployer-api to"} {
		if !strings.Contains(s, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, r.screen())
		}
	}
	if strings.Contains(s, "PUBLIC IP") {
		t.Errorf("the confirmation of a service action lists Elastic IPs (none, which reads as \"holds none\"):\n%s", r.screen())
	}
	r.typeText("acme-prod/prod-ecs/deployer-api")
	r.press("enter")
	r.until("the outcome", func() bool { return r.stage() == stageDone })
	if n := r.calls("ecs:UpdateService"); n != 1 {
		t.Fatalf("%d UpdateService calls, want 1:\n%s", n, r.screen())
	}
	r.until("the refresh after the action", func() bool { return !r.m.refresh.busy() })
	r.press("esc")
	p := r.m.pages[pageKeyIndex("4")-1].(*servicesPage)
	if svc, ok := p.state.Service(model.ServiceKey(sim.S7ClusterName, sim.S7ServiceName)); !ok || svc.Desired != 2 {
		t.Errorf("after the refresh deployer-api wants %d (listed %v)", svc.Desired, ok)
	}
	if data, err := os.ReadFile(r.audit); err != nil || !strings.Contains(string(data), "ecs:UpdateService") {
		t.Errorf("audit log: %v\n%s", err, data)
	}
}

// A deployer changes deployer-api's desired count while the operator
// types the phrase: the check right before the call refuses, says so,
// and nothing runs.
func TestStoryS7ScaleRefusedWhenDesiredChanged(t *testing.T) {
	r, _ := scenarioRig(t, "s7", sim.DemoEpoch.Add(2*time.Minute), 120, 40)
	scaleDeployer(t, r, "0")
	if r.m.flow.form == nil {
		t.Fatalf("scaling to 0 offers no phrase:\n%s", r.screen())
	}
	r.sim.Update(sim.ProdAccountID, "us-east-1", func(reg *sim.Region) {
		svc := reg.ECSClusters[sim.S7ClusterName].Services[sim.S7ServiceName]
		svc.Desired = 6
		svc.Deployments[0].Desired, svc.Deployments[0].Pending = 6, 2
		svc.Pending = 2
	})
	r.typeText("acme-prod/prod-ecs/deployer-api")
	r.press("enter")
	r.until("the outcome", func() bool { return r.stage() == stageDone })
	if s := r.screen(); !strings.Contains(s, "nothing was done") {
		t.Errorf("outcome:\n%s", s)
	}
	if n := r.calls("ecs:UpdateService"); n != 0 {
		t.Errorf("%d UpdateService calls after the desired count changed", n)
	}
}

// x on a group row of the Capacity page: set the desired capacity (the
// number asked, checked against the group's limits before anything is
// fetched), suspend or resume Launch and Terminate.
func TestCapacityGroupMenu(t *testing.T) {
	r, _ := scenarioRig(t, "s4", sim.DemoEpoch.Add(2*time.Minute), 100, 32)
	r.key("2")
	r.openMenu()
	s := flat(r.screen())
	for _, want := range []string{"Actions on group uploader", "Set the desired capacity of group uploader (now 6; min 2, max 12)",
		"Suspend Launch in group uploader", "Suspend Terminate in group uploader", "enter asks for the new desired capacity"} {
		if !strings.Contains(s, want) {
			t.Errorf("group menu lacks %q:\n%s", want, r.screen())
		}
	}
	r.pick("Set the desired capacity")
	r.press("enter")
	r.typeText("13")
	r.press("enter")
	if r.stage() != stageCount || !strings.Contains(r.screen(), "desired capacity must be from 2 to 12, not 13") {
		t.Fatalf("a number outside the limits was taken:\n%s", r.screen())
	}
	r.press("backspace", "backspace")
	r.typeText("8")
	r.press("enter")
	r.until("the verdict", func() bool { return r.stage() == stageConfirm })
	if s := flat(r.screen()); !strings.Contains(s, "autoscaling:SetDesiredCapacity") || !strings.Contains(s, "desired capacity 6 → 8") {
		t.Errorf("confirmation:\n%s", r.screen())
	}
	if n := r.calls("autoscaling:SetDesiredCapacity"); n != 0 {
		t.Errorf("%d SetDesiredCapacity calls before the phrase", n)
	}
}

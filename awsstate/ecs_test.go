package awsstate

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// newRigWith is newRig on another scenario or fleet.
func newRigWith(t *testing.T, o sim.Options) *rig {
	t.Helper()
	r := &rig{t: t}
	r.sim, r.url = startSim(t, o)
	r.key.Store(sim.ProdAccessKey)
	r.log = filepath.Join(t.TempDir(), "state", "airlock", "audit.log")
	r.c = New(configFor(t, r.url, sim.ProdAccessKey, Options{}, config.WithCredentialsProvider(r.credentials())),
		withEndpoint(Options{AuditLog: r.log}, r.url))
	r.c.ecsPace = nil // tests count calls, not seconds
	return r
}

// S7: the deployer cluster, as a refresh reads it.
func TestFetchECS(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "s7"})
	snap := r.c.Fetch(context.Background())
	if !snap.Known(model.SectionECS) {
		t.Fatalf("ECS section: %+v", snap.Sections[model.SectionECS])
	}
	var got []string
	for _, s := range snap.ECS.ServicesIn(sim.S7ClusterName) {
		got = append(got, model.ServiceLine(s))
	}
	want := []string{
		"deployer-api  4/4 running  FARGATE  :42  COMPLETED",
		"ledger-sync  2/2 running  FARGATE  :9  FAILED",
		"payments  2/2 running  FARGATE  :117  COMPLETED",
		"scheduler  0/0 running  FARGATE  :3  COMPLETED",
	}
	if !slices.Equal(got, want) {
		t.Errorf("services of prod-ecs =\n%q\nwant\n%q", got, want)
	}
	ledger, _ := snap.ECS.Service(model.ServiceKey(sim.S7ClusterName, "ledger-sync"))
	if len(ledger.Deployments) != 2 || ledger.Deployments[1].TaskDefinition != "ledger-sync:8" || ledger.Deployments[1].Running != 2 {
		t.Errorf("ledger-sync deployments = %+v, want :9 failed and :8 still running 2", ledger.Deployments)
	}
	if len(ledger.Events) == 0 || ledger.Events[0].At.Before(ledger.Events[len(ledger.Events)-1].At) {
		t.Errorf("ledger-sync events not newest first: %+v", ledger.Events)
	}
}

// S7: another engineer's console deletes deployer-api; the next refresh
// reports it vanished, with what it was running.
func TestECSServiceVanishesBetweenRefreshes(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "s7"})
	ctx := context.Background()
	before := model.Analyze(r.c.Fetch(ctx), "")
	if _, err := r.sim.DeleteECSService(sim.ProdAccountID, "us-east-1", sim.S7ClusterName, sim.S7ServiceName); err != nil {
		t.Fatal(err)
	}
	after := model.Analyze(r.c.Fetch(ctx), "")

	var got []string
	for _, e := range model.Diff(before, after, time.Now()) {
		got = append(got, e.String())
	}
	want := []string{"service deployer-api in cluster prod-ecs vanished (was 4/4 running)"}
	if !slices.Equal(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
}

// A refresh whose ECS calls fail is not a refresh in which every service
// vanished.
func TestECSFailureIsNotAVanishing(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "s7"})
	ctx := context.Background()
	before := model.Analyze(r.c.Fetch(ctx), "")
	r.sim.Inject(sim.Fault{Action: "ecs:ListServices", Kind: sim.FaultAccessDenied})
	snap := r.c.Fetch(ctx)
	if snap.Known(model.SectionECS) || KindOf(snap.Sections[model.SectionECS].Err) != KindAccessDenied {
		t.Fatalf("ECS section = %+v, want access denied", snap.Sections[model.SectionECS])
	}
	if evs := model.Diff(before, model.Analyze(snap, ""), time.Now()); len(evs) != 0 {
		t.Errorf("events after a failed ECS refresh: %v", evs)
	}
}

// ECS names are identity (raw); everything else ECS says is sanitised,
// and JSON carries ESC itself.
func TestECSHostileStrings(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "hostile"})
	st, res := r.c.ECS(context.Background())
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	raw := 0
	for _, s := range st.Services {
		if strings.ContainsRune(s.Name, '\x1b') || strings.ContainsRune(s.Cluster, '\x1b') {
			raw++
			if strings.ContainsRune(s.String(), '\x1b') {
				t.Errorf("shown as %q", s.String())
			}
		}
		for _, e := range s.Events {
			if strings.ContainsAny(e.Message, "\x1b\r") {
				t.Errorf("event message %q", e.Message)
			}
		}
		if strings.ContainsRune(s.ARN, '\x1b') {
			t.Errorf("ARN %q", s.ARN)
		}
	}
	if raw == 0 {
		t.Error("the hostile scenario's ECS names arrived without their escapes: identity must stay raw")
	}
}

// The budget (DESIGN.md): 2,000 services in 20 clusters cost 222 ECS
// calls a refresh, as model.ECSCalls says, and at model.ECSMinInterval
// that is a quarter of ECS's refill.
func TestECSCallsPerRefresh(t *testing.T) {
	r := newRigWith(t, sim.Options{Services: 2000})
	r.sim.ResetStats()
	st, res := r.c.ECS(context.Background())
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if len(st.Services) != 2000 || len(st.Clusters) != 20 {
		t.Fatalf("read %d services in %d clusters", len(st.Services), len(st.Clusters))
	}
	calls := 0
	for k, n := range r.sim.AccountStats(sim.ProdAccountID) {
		if strings.HasPrefix(k, "ecs:") {
			calls += n
		}
	}
	if want := st.CallsToRefresh(); calls != want || want != 222 || res.Calls != calls {
		t.Errorf("ECS calls = %d (section counted %d), model says %d, want 222", calls, res.Calls, want)
	}
	perMinute := float64(calls) / model.ECSMinInterval(calls).Minutes()
	if budget := 60.0 * model.ECSRefillPerSecond / model.ECSBudgetShare; perMinute > budget+1e-6 {
		t.Errorf("%.0f ECS calls a minute, budget %.0f", perMinute, budget)
	}
}

// The pacer spaces calls after its burst, and gives up with its context.
func TestPacer(t *testing.T) {
	p := newPacer(20*time.Millisecond, 2)
	start := time.Now()
	for range 5 {
		if err := p.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// Two from the burst, three spaced: at least 60 ms.
	if d := time.Since(start); d < 55*time.Millisecond {
		t.Errorf("5 calls took %v, want at least ~60ms", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	slow := newPacer(time.Hour, 1)
	_ = slow.wait(context.Background())
	if err := slow.wait(ctx); err == nil {
		t.Error("wait outlived its context")
	}
	var none *pacer
	if err := none.wait(context.Background()); err != nil {
		t.Error(err)
	}
}

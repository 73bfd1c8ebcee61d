package model

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestECSCalls(t *testing.T) {
	twenty := make([]int, 20)
	for i := range twenty {
		twenty[i] = 100
	}
	for _, tc := range []struct {
		name string
		per  []int
		want int
	}{
		{"no cluster: one ListClusters", nil, 1},
		{"an empty cluster still lists its services once", []int{0}, 1 + 1 + 1},
		{"the demo: 2 services in one cluster", []int{2}, 1 + 1 + 1 + 1},
		{"s7: 4 services", []int{4}, 4},
		{"101 services", []int{101}, 1 + 1 + 2 + 11},
		{"2,000 services in 20 clusters", twenty, 1 + 1 + 20 + 200},
		{"150 clusters: two pages of clusters, two describe batches", make([]int, 150), 2 + 2 + 150},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ECSCalls(tc.per); got != tc.want {
				t.Errorf("ECSCalls = %d, want %d", got, tc.want)
			}
		})
	}
	// 2,000 services at a quarter of the refill: one refresh every 44.4 s
	// at most, 300 calls a minute.
	if got := ECSMinInterval(222); got != 44400*time.Millisecond {
		t.Errorf("ECSMinInterval(222) = %v", got)
	}
	if perMinute := float64(222) / ECSMinInterval(222).Minutes(); perMinute > 60*ECSRefillPerSecond/ECSBudgetShare+1e-9 {
		t.Errorf("%.1f calls a minute, over the budget", perMinute)
	}
	st := ECSState{Clusters: []ECSCluster{{Name: "a"}, {Name: "b"}}, Services: []Service{svc("a", "x", 1, 1, 0, ""), svc("a", "y", 1, 1, 0, "")}}
	if got, want := st.CallsToRefresh(), ECSCalls([]int{2, 0}); got != want {
		t.Errorf("CallsToRefresh = %d, want %d", got, want)
	}
}

func TestServiceWords(t *testing.T) {
	s := svc("acme-ecs", "worker", 4, 3, 1, RolloutInProgress)
	s.TaskDefinition = TaskDefinitionOf("arn:aws:ecs:us-east-1:111111111111:task-definition/worker:8")
	if s.Counts() != "3/4 running, 1 pending" || s.Revision() != "8" || s.Rollout() != RolloutInProgress || !s.Short() {
		t.Errorf("counts %q revision %q rollout %q short %v", s.Counts(), s.Revision(), s.Rollout(), s.Short())
	}
	if got, want := ServiceLine(s), "worker  3/4 running, 1 pending  FARGATE  :8  IN_PROGRESS"; got != want {
		t.Errorf("ServiceLine = %q, want %q", got, want)
	}
	hostile := svc("c\x1b[2J", "api\u200b", 1, 1, 0, "")
	if got := hostile.String(); got != "api⟨U+200B⟩ in c⟨U+001B⟩[2J" {
		t.Errorf("String = %q: names are shown through Display", got)
	}
	if hostile.Key() != "c\x1b[2J/api\u200b" {
		t.Errorf("Key = %q: identity is raw", hostile.Key())
	}
}

func ecsSnap(services ...Service) Snapshot {
	s := demoSnap()
	s.Sections[SectionECS] = SectionResult{Complete: true}
	clusters := map[string]bool{}
	for _, sv := range services {
		clusters[sv.Cluster] = true
	}
	for _, c := range keys(clusters) {
		s.ECS.Clusters = append(s.ECS.Clusters, ECSCluster{Name: c, Status: ECSActive, ActiveServices: len(ECSState{Services: services}.ServicesIn(c))})
	}
	s.ECS.Services = services
	return s
}

// S7: a service that disappears between two refreshes is an event, and
// so is one that starts draining; a failed ECS section is not a
// disappearance.
func TestDiffECS(t *testing.T) {
	deployer := svc("prod-ecs", "deployer-api", 4, 4, 0, RolloutCompleted)
	payments := svc("prod-ecs", "payments", 2, 2, 0, RolloutCompleted)
	ledger := svc("prod-ecs", "ledger-sync", 2, 2, 0, RolloutInProgress)
	worker := svc("acme-ecs", "worker", 4, 4, 0, RolloutCompleted)
	failed := ledger
	failed.Deployments = []Deployment{{Status: "PRIMARY", TaskDefinition: "ledger-sync:9", RolloutState: RolloutFailed, RolloutReason: "ECS deployment circuit breaker: tasks failed to start."}}
	draining := payments
	draining.Status = ECSDraining

	for _, tc := range []struct {
		name       string
		prev, next Snapshot
		want       []string
	}{
		{"nothing happened", ecsSnap(deployer, payments), ecsSnap(deployer, payments), nil},
		{"deployer-api vanished", ecsSnap(deployer, payments), ecsSnap(payments),
			[]string{"service deployer-api in cluster prod-ecs vanished (was 4/4 running)"}},
		{"payments is draining, ledger-sync's rollout failed", ecsSnap(payments, ledger), ecsSnap(draining, failed), []string{
			"service payments in cluster prod-ecs is DRAINING (was ACTIVE)",
			"service ledger-sync in cluster prod-ecs: deployment of ledger-sync:9 FAILED (ECS deployment circuit breaker: tasks failed to start.)",
		}},
		{"a cluster vanished: one event, not one per service", ecsSnap(deployer, payments, worker), ecsSnap(worker),
			[]string{"ECS cluster prod-ecs vanished (was ACTIVE, 2 services)"}},
		{"the ECS section failed: nothing vanished", ecsSnap(deployer, payments), func() Snapshot {
			s := ecsSnap()
			s.Sections[SectionECS] = SectionResult{Err: errors.New("ThrottlingException")}
			return s
		}(), nil},
		{"carried over after a failure: known, and the same", ecsSnap(deployer), func() Snapshot {
			s := ecsSnap(deployer)
			s.Sections[SectionECS] = SectionResult{Err: errors.New("ThrottlingException"), Carried: true}
			return s
		}(), nil},
		{"not fetched this refresh (its own cadence)", ecsSnap(deployer), func() Snapshot {
			s := ecsSnap()
			delete(s.Sections, SectionECS)
			return s
		}(), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, e := range Diff(Analyze(tc.prev, ""), Analyze(tc.next, ""), t0) {
				got = append(got, e.String())
				if e.Cluster != "" {
					t.Errorf("%s: an ECS event highlights EC2 cluster %q", e, e.Cluster)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Diff =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// The screen records the services it showed, so Judge can tell what the
// operator saw.
func TestSeenOfRecordsServices(t *testing.T) {
	s := ecsSnap(svc("prod-ecs", "deployer-api", 4, 4, 0, ""))
	seen := SeenOf(Analyze(s, ""), fresh)
	if got := seen.Services["prod-ecs/deployer-api"]; got.Desired != 4 {
		t.Errorf("Seen.Services = %v", seen.Services)
	}
}

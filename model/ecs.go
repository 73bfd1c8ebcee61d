package model

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Containers (story S7): a container service vanished underneath its
// deployer and nobody noticed. ECS services show desired, running and
// pending counts, their deployments' rollout, their latest events; a
// service or cluster that disappears or starts draining between two
// refreshes is an event (Diff), never a silent absence.
//
// Names are identity: a service is acted on by its cluster's and its own
// name exactly as ECS holds them, so those stay raw and are shown through
// Display, like tags. Everything else from ECS (statuses, messages, task
// definitions) is sanitised at ingestion. ECS speaks JSON, which carries
// ESC itself, so a service event can hold a whole escape sequence.

// SectionECS is the ECS clusters and services of the region (ECSState).
// It is costly in a large account (a ListServices page of 100 and a
// DescribeServices call per 10 services) and refreshes at its own
// cadence (ECSCalls, ECSMinInterval).
const SectionECS Section = "ecs"

// ECS statuses of clusters and services.
const (
	ECSActive   = "ACTIVE"
	ECSDraining = "DRAINING" // being deleted: no longer listed, still described
	ECSInactive = "INACTIVE" // deleted
)

// Rollout states of an ECS deployment.
const (
	RolloutInProgress = "IN_PROGRESS"
	RolloutCompleted  = "COMPLETED"
	RolloutFailed     = "FAILED"
)

// ECSState is what a refresh learned about ECS in the region.
type ECSState struct {
	Clusters []ECSCluster // by name
	Services []Service    // by cluster, then name
}

// ECSCluster is one ECS cluster.
type ECSCluster struct {
	ARN    string
	Name   string // raw: identity; show with Display
	Status string // ACTIVE, INACTIVE, ...
	// Counts as ECS reports them on the cluster.
	ActiveServices, RunningTasks, PendingTasks, ContainerInstances int
}

// Service is one ECS service.
type Service struct {
	ARN     string
	Name    string // raw: identity; show with Display
	Cluster string // its cluster's name, raw
	Status  string // ACTIVE, DRAINING, INACTIVE

	Desired, Running, Pending int
	LaunchType                string // FARGATE, EC2, EXTERNAL; "" when ECS gives none (a capacity provider strategy)
	// TaskDefinition is "family:revision", taken from the ARN ECS gives.
	TaskDefinition string
	CreatedAt      time.Time
	// Deployments, the PRIMARY one first, as ECS lists them.
	Deployments []Deployment
	// Events, newest first: the latest MaxServiceEvents of them.
	Events []ServiceEvent
}

// Deployment is one deployment of a service.
type Deployment struct {
	ID                                string
	Status                            string // PRIMARY, ACTIVE (older, still running), INACTIVE
	TaskDefinition                    string // family:revision
	Desired, Running, Pending, Failed int
	RolloutState                      string // IN_PROGRESS, COMPLETED, FAILED; "" when not reported
	RolloutReason                     string
	CreatedAt, UpdatedAt              time.Time
}

// ServiceEvent is one entry of a service's event log (sanitised).
type ServiceEvent struct {
	ID      string
	At      time.Time
	Message string
}

// MaxServiceEvents is how many of a service's events a snapshot keeps:
// enough to read what just happened, few enough that 10,000 services do
// not carry a million messages (ECS returns up to 100 each).
const MaxServiceEvents = 10

// ServiceKey identifies a service across refreshes: its cluster's name
// and its own, raw, joined by a slash (which ECS does not allow in
// either name).
func ServiceKey(cluster, name string) string { return cluster + "/" + name }

// Key is the service's ServiceKey.
func (s Service) Key() string { return ServiceKey(s.Cluster, s.Name) }

// String names the service for a person: "deployer-api in prod-ecs".
func (s Service) String() string { return Display(s.Name) + " in " + Display(s.Cluster) }

// Counts is "4/4 running", with pending tasks when there are any:
// "3/4 running, 1 pending".
func (s Service) Counts() string {
	out := fmt.Sprintf("%d/%d running", s.Running, s.Desired)
	if s.Pending > 0 {
		out += fmt.Sprintf(", %d pending", s.Pending)
	}
	return out
}

// Primary returns the deployment ECS is rolling to (PRIMARY), and false
// when it lists none.
func (s Service) Primary() (Deployment, bool) {
	for _, d := range s.Deployments {
		if d.Status == "PRIMARY" {
			return d, true
		}
	}
	return Deployment{}, false
}

// Rollout is the primary deployment's rollout state: IN_PROGRESS,
// COMPLETED or FAILED, or "" when ECS does not report one (a service
// with an external deployment controller).
func (s Service) Rollout() string {
	d, _ := s.Primary()
	return d.RolloutState
}

// Revision is the task definition's revision number ("42" of
// "deployer-api:42"), or "" when it has none.
func (s Service) Revision() string {
	_, rev, ok := strings.Cut(s.TaskDefinition, ":")
	if !ok {
		return ""
	}
	return rev
}

// Short reports whether fewer tasks run than the service wants.
func (s Service) Short() bool { return s.Running < s.Desired }

// TaskDefinitionOf is "family:revision" of a task definition ARN
// ("arn:aws:ecs:us-east-1:1:task-definition/deployer-api:42"), or ref
// itself when it is not an ARN.
func TaskDefinitionOf(ref string) string {
	if i := strings.LastIndex(ref, "task-definition/"); i >= 0 {
		return ref[i+len("task-definition/"):]
	}
	return ref
}

// ServicesIn returns the services of ECS cluster name, by name.
func (e ECSState) ServicesIn(name string) []Service {
	var out []Service
	for _, s := range e.Services {
		if s.Cluster == name {
			out = append(out, s)
		}
	}
	return out
}

// Service returns the service with ServiceKey key.
func (e ECSState) Service(key string) (Service, bool) {
	for _, s := range e.Services {
		if s.Key() == key {
			return s, true
		}
	}
	return Service{}, false
}

// SortECS puts clusters and services in their canonical order: clusters
// by name, services by cluster then name.
func SortECS(e *ECSState) {
	slices.SortFunc(e.Clusters, func(a, b ECSCluster) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(e.Services, func(a, b Service) int {
		return cmp.Or(cmp.Compare(a.Cluster, b.Cluster), cmp.Compare(a.Name, b.Name))
	})
}

// ECS page and batch sizes: ListClusters and ListServices return at most
// 100 ARNs a page, DescribeClusters takes 100 names, DescribeServices 10
// (ECS API reference).
const (
	ECSListPage        = 100
	ECSDescribeCluster = 100
	ECSDescribeService = 10
)

// ECSCalls is what one refresh of the ECS section costs, given the
// services per cluster: ListClusters pages, DescribeClusters batches, and
// per cluster its ListServices pages (at least one, to learn it is
// empty) and DescribeServices batches. 2,000 services in 20 clusters
// cost 1 + 1 + 20 + 200 = 222 calls.
func ECSCalls(servicesPerCluster []int) int {
	n := len(servicesPerCluster)
	calls := max(1, ceilDiv(n, ECSListPage)) + ceilDiv(n, ECSDescribeCluster)
	for _, s := range servicesPerCluster {
		calls += max(1, ceilDiv(s, ECSListPage)) + ceilDiv(s, ECSDescribeService)
	}
	return calls
}

// CallsToRefresh is ECSCalls for the account e describes.
func (e ECSState) CallsToRefresh() int {
	per := make(map[string]int, len(e.Clusters))
	for _, c := range e.Clusters {
		per[c.Name] = 0
	}
	for _, s := range e.Services {
		per[s.Cluster]++
	}
	counts := make([]int, 0, len(per))
	for _, n := range per {
		counts = append(counts, n)
	}
	return ECSCalls(counts)
}

// The ECS budget: ECS's List* and Describe* calls share a bucket that
// refills at about 20 a second, and airlock spends at most a quarter of
// any API's refill (DESIGN.md, Budgets), so the deployers and consoles
// sharing the account keep the rest.
const (
	ECSRefillPerSecond = 20
	ECSBudgetShare     = 4
)

// ECSMinInterval is the shortest cycle at which a refresh of calls ECS
// calls stays within the budget: 222 calls (2,000 services) every 44.4 s,
// the demo's 4 calls every 0.8 s (the dashboard's own interval is then
// the longer one).
func ECSMinInterval(calls int) time.Duration {
	perSecond := float64(ECSRefillPerSecond) / ECSBudgetShare
	return time.Duration(float64(calls) / perSecond * float64(time.Second))
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// Events between two refreshes (Diff). A service or cluster that was
// ACTIVE and is now DRAINING or INACTIVE, or is gone from the listing,
// is reported; ECS stops listing a service the moment it is deleted
// (ListServices shows only ACTIVE ones), so "vanished" is usually the
// first and only sign of another console's DeleteService.
const (
	EventServiceVanished  EventKind = "service-vanished"
	EventServiceStatus    EventKind = "service-status" // ACTIVE → DRAINING or INACTIVE
	EventRolloutFailed    EventKind = "rollout-failed"
	EventECSClusterGone   EventKind = "ecs-cluster-vanished"
	EventECSClusterStatus EventKind = "ecs-cluster-status"
)

// ecsEventString is Event.String for the ECS events.
func ecsEventString(e Event) (string, bool) {
	svc := "service " + Display(e.Subject) + " in cluster " + Display(e.ECSCluster)
	switch e.Kind {
	case EventServiceVanished:
		return fmt.Sprintf("%s vanished (was %s)", svc, e.From), true
	case EventServiceStatus:
		return fmt.Sprintf("%s is %s (was %s)", svc, e.To, e.From), true
	case EventRolloutFailed:
		return fmt.Sprintf("%s: deployment of %s FAILED (%s)", svc, e.To, e.From), true
	case EventECSClusterGone:
		return fmt.Sprintf("ECS cluster %s vanished (was %s)", Display(e.Subject), e.From), true
	case EventECSClusterStatus:
		return fmt.Sprintf("ECS cluster %s is %s (was %s)", Display(e.Subject), e.To, e.From), true
	}
	return "", false
}

// diffECS reports what happened to ECS between two refreshes, only when
// the ECS section is known on both sides: a section that failed (or was
// not due this refresh and not carried over) says nothing about services
// being gone.
func diffECS(evs []Event, prev, next World) []Event {
	if !prev.Snap.Known(SectionECS) || !next.Snap.Known(SectionECS) {
		return evs
	}
	p, n := prev.Snap.ECS, next.Snap.ECS

	nowCl := make(map[string]ECSCluster, len(n.Clusters))
	for _, c := range n.Clusters {
		nowCl[c.Name] = c
	}
	gone := map[string]bool{} // clusters gone: their services are not reported one by one
	for _, was := range p.Clusters {
		now, ok := nowCl[was.Name]
		switch {
		case !ok:
			gone[was.Name] = true
			evs = append(evs, Event{Kind: EventECSClusterGone, Subject: was.Name, ECSCluster: was.Name,
				From: fmt.Sprintf("%s, %d %s", was.Status, was.ActiveServices, plural(was.ActiveServices, "service", "services"))})
		case was.Status == ECSActive && now.Status != ECSActive:
			gone[was.Name] = true
			evs = append(evs, Event{Kind: EventECSClusterStatus, Subject: was.Name, ECSCluster: was.Name, From: was.Status, To: now.Status})
		}
	}

	nowSvc := make(map[string]Service, len(n.Services))
	for _, s := range n.Services {
		nowSvc[s.Key()] = s
	}
	for _, was := range p.Services {
		if gone[was.Cluster] {
			continue
		}
		now, ok := nowSvc[was.Key()]
		ev := Event{Subject: was.Name, ECSCluster: was.Cluster}
		switch {
		case !ok && was.Status == ECSActive:
			ev.Kind, ev.From = EventServiceVanished, was.Counts()
		case ok && now.Status != was.Status && now.Status != ECSActive:
			ev.Kind, ev.From, ev.To = EventServiceStatus, was.Status, now.Status
		case ok && now.Rollout() == RolloutFailed && was.Rollout() != RolloutFailed:
			d, _ := now.Primary()
			ev.Kind, ev.From, ev.To = EventRolloutFailed, cmp.Or(d.RolloutReason, "no reason given"), d.TaskDefinition
		default:
			continue
		}
		evs = append(evs, ev)
	}
	return evs
}

// ServiceLine is a service's one-line summary for a list or a status
// line: "deployer-api  4/4 running  FARGATE  :42  COMPLETED".
func ServiceLine(s Service) string {
	parts := []string{Display(s.Name), s.Counts()}
	if s.Status != ECSActive {
		parts = append(parts, s.Status)
	}
	if s.LaunchType != "" {
		parts = append(parts, s.LaunchType)
	}
	if r := s.Revision(); r != "" {
		parts = append(parts, ":"+r)
	}
	if r := s.Rollout(); r != "" {
		parts = append(parts, r)
	}
	return strings.Join(parts, "  ")
}

// itoa is strconv.Itoa, short for the sentences here.
func itoa(n int) string { return strconv.Itoa(n) }

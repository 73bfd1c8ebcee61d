package model

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// scaleWorld is the capacity side of an account as one moment saw it:
// the Auto Scaling groups, the ECS services and the Elastic IPs.
type scaleWorld struct {
	groups    map[string]ScaleGroup
	services  []Service
	addresses []Address
}

func newScaleWorld() scaleWorld {
	return scaleWorld{
		groups: map[string]ScaleGroup{
			"blue":  {Name: "blue", Desired: 3, Min: 0, Max: 6, Instances: []string{"i-b1", "i-b2", "i-b3"}, Cluster: "blue"},
			"green": {Name: "green", Desired: 3, Min: 0, Max: 6, Instances: []string{"i-g1", "i-g2", "i-g3"}, Cluster: "green"},
			"batch": {Name: "batch", Desired: 2, Min: 2, Max: 4, Instances: []string{"i-x1", "i-x2"}, Suspended: []string{ProcessLaunch}},
		},
		services: []Service{
			svc("prod-ecs", "deployer-api", 4, 4, 0, RolloutCompleted),
			svc("prod-ecs", "ledger-sync", 2, 2, 0, RolloutFailed),
			svc("prod-ecs", "scheduler", 0, 0, 0, RolloutCompleted),
			svc("prod-ecs", "draining-down", 0, 1, 0, RolloutCompleted),
			svc("acme-ecs", "worker", 4, 3, 1, RolloutInProgress),
		},
		addresses: []Address{eip("eipalloc-1", "3.3.3.1", "i-b1"), eip("eipalloc-2", "3.3.3.2", "i-b2")},
	}
}

func svc(cluster, name string, desired, running, pending int, rollout string) Service {
	return Service{
		ARN: "arn:aws:ecs:us-east-1:111111111111:service/" + cluster + "/" + name, Name: name, Cluster: cluster,
		Status: ECSActive, Desired: desired, Running: running, Pending: pending, LaunchType: "FARGATE",
		TaskDefinition: name + ":7",
		Deployments:    []Deployment{{ID: "ecs-svc/1", Status: "PRIMARY", TaskDefinition: name + ":7", Desired: desired, Running: running, Pending: pending, RolloutState: rollout}},
	}
}

func (w *scaleWorld) service(key string, f func(s *Service)) {
	for i := range w.services {
		if w.services[i].Key() == key {
			f(&w.services[i])
		}
	}
}

func (w scaleWorld) clone() scaleWorld {
	out := scaleWorld{groups: map[string]ScaleGroup{}, services: slices.Clone(w.services), addresses: slices.Clone(w.addresses)}
	for k, g := range w.groups {
		out.groups[k] = g
	}
	return out
}

func (w scaleWorld) seen() Seen {
	snap := demoSnap()
	snap.ECS = ECSState{Services: w.services}
	s := SeenOf(Analyze(snap, ""), fresh)
	gs := make([]ScaleGroup, 0, len(w.groups))
	for _, g := range w.groups {
		gs = append(gs, g)
	}
	s.ScaleGroups = ScaleGroupsSeen(gs)
	return s
}

func (w scaleWorld) facts() Facts {
	id := demoSnap().Identity
	return Facts{
		Identity: id, Region: "us-east-1", FetchedAt: t0.Add(time.Minute), ClusterTag: DefaultClusterTag,
		Addresses: w.addresses, ScaleGroups: w.groups, Services: servicesByKey(w.services),
	}
}

func desired(n int) *int { return &n }

type scaleCase struct {
	name   string
	in     Intent
	shown  func(w *scaleWorld) // the world the screen showed (newScaleWorld if nil)
	now    func(w *scaleWorld) // what changed since
	policy func(p *Policy)

	rules    []Rule   // exact, in order; none: allowed
	reason   string   // the first refusal's reason, when given
	warnings []string // each must be a substring of one warning
	steps    []string // when allowed: "API detail | last look" per step
	summary  string
}

var scaleCases = []scaleCase{
	// Auto Scaling: desired capacity.
	{
		name:     "scale green to zero",
		in:       Intent{Action: ActionSetDesired, Group: "green", Desired: desired(0)},
		warnings: []string{"group green terminates all its instances (3 now)"},
		steps:    []string{"autoscaling:SetDesiredCapacity group green: desired capacity 3 → 0 | CheckGroup: exists, desired still 3"},
		summary:  "set the desired capacity of Auto Scaling group green from 3 to 0",
	},
	{
		name:     "scale up",
		in:       Intent{Action: ActionSetDesired, Group: "green", Desired: desired(5)},
		steps:    []string{"autoscaling:SetDesiredCapacity group green: desired capacity 3 → 5 | CheckGroup: exists, desired still 3"},
		warnings: []string{"group green launches 2 instances"},
		summary:  "set the desired capacity of Auto Scaling group green from 3 to 5",
	},
	{
		name:    "the desired capacity changed since it was shown",
		in:      Intent{Action: ActionSetDesired, Group: "green", Desired: desired(0)},
		now:     func(w *scaleWorld) { g := w.groups["green"]; g.Desired = 5; w.groups["green"] = g },
		rules:   []Rule{RuleDesiredChanged},
		reason:  "group green wanted 3 instances when shown at 12:03:41 UTC, wants 5 now",
		summary: "set the desired capacity of Auto Scaling group green from 5 to 0",
	},
	{
		name:    "the live group to zero: its instances hold EIPs",
		in:      Intent{Action: ActionSetDesired, Group: "blue", Desired: desired(0)},
		rules:   []Rule{RuleHoldsEIP},
		reason:  "group blue is LIVE: i-b1 holds EIP 3.3.3.1, i-b2 holds EIP 3.3.3.2; scaling it to 0 terminates every member",
		summary: "set the desired capacity of Auto Scaling group blue from 3 to 0",
	},
	{
		name:     "the live group scaled in, not to zero: a warning",
		in:       Intent{Action: ActionSetDesired, Group: "blue", Desired: desired(2)},
		warnings: []string{"group blue is LIVE (i-b1 holds EIP 3.3.3.1, i-b2 holds EIP 3.3.3.2): AWS picks the 1 instances to terminate"},
		steps:    []string{"autoscaling:SetDesiredCapacity group blue: desired capacity 3 → 2 | CheckGroup: exists, desired still 3"},
		summary:  "set the desired capacity of Auto Scaling group blue from 3 to 2",
	},
	{
		name:    "below the group's minimum",
		in:      Intent{Action: ActionSetDesired, Group: "batch", Desired: desired(0)},
		rules:   []Rule{RuleGroupLimits},
		reason:  "group batch takes a desired capacity from 2 to 4, not 0",
		summary: "set the desired capacity of Auto Scaling group batch from 2 to 0",
	},
	{
		name:    "already at that capacity",
		in:      Intent{Action: ActionSetDesired, Group: "green", Desired: desired(3)},
		rules:   []Rule{RuleNothingToDo},
		summary: "set the desired capacity of Auto Scaling group green from 3 to 3",
	},
	{
		name:    "no desired capacity given is not zero",
		in:      Intent{Action: ActionSetDesired, Group: "green"},
		rules:   []Rule{RuleIntent},
		summary: "set-desired of Auto Scaling group green",
	},
	{
		name:    "a group the screen did not show",
		in:      Intent{Action: ActionSetDesired, Group: "green", Desired: desired(0)},
		shown:   func(w *scaleWorld) { delete(w.groups, "green") },
		rules:   []Rule{RuleNotShown},
		summary: "set-desired of Auto Scaling group green",
	},
	{
		name:    "a group deleted since",
		in:      Intent{Action: ActionSetDesired, Group: "green", Desired: desired(0)},
		now:     func(w *scaleWorld) { delete(w.groups, "green") },
		rules:   []Rule{RuleGone},
		summary: "set-desired of Auto Scaling group green",
	},
	{
		name:    "a protected cluster's group, by its cluster tag",
		in:      Intent{Action: ActionSetDesired, Group: "green", Desired: desired(0)},
		policy:  func(p *Policy) { p.ProtectedClusters = []string{"green"} },
		rules:   []Rule{RuleProtectedCluster},
		summary: "set the desired capacity of Auto Scaling group green from 3 to 0",
	},
	{
		name:    "read-only",
		in:      Intent{Action: ActionSetDesired, Group: "green", Desired: desired(0)},
		policy:  func(p *Policy) { p.ReadOnly = true },
		rules:   []Rule{RuleReadOnly},
		summary: "set the desired capacity of Auto Scaling group green from 3 to 0",
	},
	{
		name:    "a protected account",
		in:      Intent{Action: ActionSetDesired, Group: "green", Desired: desired(0)},
		policy:  func(p *Policy) { p.ProtectedAccounts = []string{"acme-prod"} },
		rules:   []Rule{RuleProtectedAccount},
		summary: "set the desired capacity of Auto Scaling group green from 3 to 0",
	},

	// Auto Scaling: processes.
	{
		name:     "suspend Launch and Terminate",
		in:       Intent{Action: ActionSuspend, Group: "green", Processes: []string{ProcessTerminate, ProcessLaunch}},
		warnings: []string{"while Launch is suspended, group green launches nothing", "while Terminate is suspended"},
		steps:    []string{"autoscaling:SuspendProcesses group green: Launch, Terminate | CheckGroup: exists"},
		summary:  "suspend Launch, Terminate of Auto Scaling group green",
	},
	{
		name:    "suspend what is suspended",
		in:      Intent{Action: ActionSuspend, Group: "batch", Processes: []string{ProcessLaunch}},
		rules:   []Rule{RuleNothingToDo},
		reason:  "Launch is already suspended in group batch",
		summary: "suspend-processes of Auto Scaling group batch",
	},
	{
		name:     "resume Launch",
		in:       Intent{Action: ActionResume, Group: "batch", Processes: []string{ProcessLaunch, ProcessTerminate}},
		warnings: []string{"group batch acts again at once"},
		steps:    []string{"autoscaling:ResumeProcesses group batch: Launch | CheckGroup: exists"},
		summary:  "resume Launch of Auto Scaling group batch",
	},
	{
		name:    "processes airlock does not touch",
		in:      Intent{Action: ActionSuspend, Group: "green", Processes: []string{"HealthCheck"}},
		rules:   []Rule{RuleIntent},
		reason:  "airlock suspends and resumes only Launch and Terminate, got HealthCheck",
		summary: "suspend-processes of Auto Scaling group green",
	},

	// ECS: scale.
	{
		name:     "scale a service to zero",
		in:       Intent{Action: ActionScaleService, ECSCluster: "prod-ecs", Service: "deployer-api", Desired: desired(0)},
		warnings: []string{"every task of service deployer-api in prod-ecs stops (4/4 running now)"},
		steps:    []string{"ecs:UpdateService service deployer-api in prod-ecs: desired count 4 → 0 | CheckService: ACTIVE, desired still 4"},
		summary:  "scale service deployer-api in prod-ecs from 4 to 0 tasks",
	},
	{
		name:    "a service whose desired count changed since it was shown",
		in:      Intent{Action: ActionScaleService, ECSCluster: "prod-ecs", Service: "deployer-api", Desired: desired(0)},
		now:     func(w *scaleWorld) { w.service("prod-ecs/deployer-api", func(s *Service) { s.Desired = 6 }) },
		rules:   []Rule{RuleDesiredChanged},
		reason:  "service deployer-api in prod-ecs wanted 4 tasks when shown at 12:03:41 UTC, wants 6 now",
		summary: "scale service deployer-api in prod-ecs from 6 to 0 tasks",
	},
	{
		name:    "a service deleted by another console (S7)",
		in:      Intent{Action: ActionScaleService, ECSCluster: "prod-ecs", Service: "deployer-api", Desired: desired(2)},
		now:     func(w *scaleWorld) { w.service("prod-ecs/deployer-api", func(s *Service) { s.Status = ECSDraining }) },
		rules:   []Rule{RuleGone},
		reason:  "service deployer-api in prod-ecs is DRAINING: it is being deleted, or was",
		summary: "scale-service service deployer-api in prod-ecs",
	},
	{
		name:    "a protected ECS cluster",
		in:      Intent{Action: ActionScaleService, ECSCluster: "prod-ecs", Service: "deployer-api", Desired: desired(0)},
		policy:  func(p *Policy) { p.ProtectedClusters = []string{"prod-ecs"} },
		rules:   []Rule{RuleProtectedCluster},
		summary: "scale service deployer-api in prod-ecs from 4 to 0 tasks",
	},
	{
		name:    "a service not shown",
		in:      Intent{Action: ActionScaleService, ECSCluster: "prod-ecs", Service: "ghost", Desired: desired(0)},
		rules:   []Rule{RuleNotShown},
		summary: "scale-service service ghost in prod-ecs",
	},

	// ECS: delete.
	{
		name:     "delete a service scaled to zero",
		in:       Intent{Action: ActionDeleteService, ECSCluster: "prod-ecs", Service: "scheduler"},
		warnings: []string{"ECS stops listing service scheduler in prod-ecs at once"},
		steps:    []string{"ecs:DeleteService service scheduler in prod-ecs (not forced) | CheckService: ACTIVE, desired 0, no task running or pending"},
		summary:  "delete service scheduler in prod-ecs",
	},
	{
		name:    "delete a service with running tasks",
		in:      Intent{Action: ActionDeleteService, ECSCluster: "prod-ecs", Service: "deployer-api"},
		rules:   []Rule{RuleRunningTasks},
		reason:  "service deployer-api in prod-ecs still wants 4 tasks and runs 4/4 running",
		summary: "delete service deployer-api in prod-ecs",
	},
	{
		name:    "delete a service at desired 0 whose tasks still run",
		in:      Intent{Action: ActionDeleteService, ECSCluster: "prod-ecs", Service: "draining-down"},
		rules:   []Rule{RuleRunningTasks},
		summary: "delete service draining-down in prod-ecs",
	},
	{
		name:    "delete under --read-only",
		in:      Intent{Action: ActionDeleteService, ECSCluster: "prod-ecs", Service: "scheduler"},
		policy:  func(p *Policy) { p.ReadOnly = true },
		rules:   []Rule{RuleReadOnly},
		summary: "delete service scheduler in prod-ecs",
	},

	// ECS: force a new deployment.
	{
		name:     "force a new deployment during a rollout",
		in:       Intent{Action: ActionRedeploy, ECSCluster: "acme-ecs", Service: "worker"},
		warnings: []string{"a deployment of service worker in acme-ecs is already IN_PROGRESS", "every running task of service worker in acme-ecs is replaced"},
		steps:    []string{"ecs:UpdateService service worker in acme-ecs: force a new deployment | CheckService: ACTIVE, desired still 4"},
		summary:  "force a new deployment of service worker in acme-ecs",
	},
	{
		name:    "force a deployment of a service at zero",
		in:      Intent{Action: ActionRedeploy, ECSCluster: "prod-ecs", Service: "scheduler"},
		rules:   []Rule{RuleNothingToDo},
		summary: "force a new deployment of service scheduler in prod-ecs",
	},
}

func judgeScale(tc scaleCase) (Verdict, Seen) {
	shown := newScaleWorld()
	if tc.shown != nil {
		tc.shown(&shown)
	}
	now := shown.clone()
	if tc.now != nil {
		tc.now(&now)
	}
	p := prodPolicy()
	if tc.policy != nil {
		tc.policy(&p)
	}
	seen := shown.seen()
	return Judge(tc.in, seen, now.facts(), p), seen
}

func TestJudgeScaling(t *testing.T) {
	for _, tc := range scaleCases {
		t.Run(tc.name, func(t *testing.T) {
			v, _ := judgeScale(tc)
			if got := rules(v); !slices.Equal(got, tc.rules) {
				t.Fatalf("rules = %v, want %v (%v)", got, tc.rules, v.Refusals)
			}
			if tc.reason != "" && v.Refusals[0].Reason != tc.reason {
				t.Errorf("reason = %q\nwant     %q", v.Refusals[0].Reason, tc.reason)
			}
			if len(tc.rules) > 0 && (v.Phrase != "" || !v.Plan.Empty()) {
				t.Errorf("refused, yet phrase %q and plan %+v", v.Phrase, v.Plan)
			}
			for _, w := range tc.warnings {
				if !slices.ContainsFunc(v.Warnings, func(s string) bool { return strings.Contains(s, w) }) {
					t.Errorf("no warning contains %q: %q", w, v.Warnings)
				}
			}
			var steps []string
			for _, st := range v.Plan.Steps(0) {
				steps = append(steps, st.API+" "+st.Detail+" | "+st.LastLook)
			}
			if !slices.Equal(steps, tc.steps) {
				t.Errorf("steps =\n%q\nwant\n%q", steps, tc.steps)
			}
			if v.Summary != tc.summary {
				t.Errorf("Summary = %q, want %q", v.Summary, tc.summary)
			}
			if v.Allowed && !strings.HasPrefix(v.Phrase, "acme-prod/") {
				t.Errorf("Phrase = %q: production wants the account's name first", v.Phrase)
			}
		})
	}
}

func rules(v Verdict) []Rule {
	var out []Rule
	for _, r := range v.Refusals {
		out = append(out, r.Rule)
	}
	return out
}

// The phrase names the service as cluster/service, and the group by its
// name, each in display form.
func TestScalingPhrase(t *testing.T) {
	v, _ := judgeScale(scaleCases[0])
	if v.Phrase != "acme-prod/green" {
		t.Errorf("group phrase = %q", v.Phrase)
	}
	v, _ = judgeScale(scaleCase{in: Intent{Action: ActionDeleteService, ECSCluster: "prod-ecs", Service: "scheduler"}})
	if v.Phrase != "acme-prod/prod-ecs/scheduler" {
		t.Errorf("service phrase = %q", v.Phrase)
	}
}

// Right before the call the target is judged again against what the
// operator confirmed: a desired count that moved in between refuses.
func TestScalingRecheck(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    Intent
		then  func(w *scaleWorld)
		rules []Rule
	}{
		{"nothing changed", Intent{Action: ActionSetDesired, Group: "green", Desired: desired(0)}, nil, nil},
		{"the group's desired changed", Intent{Action: ActionSetDesired, Group: "green", Desired: desired(0)},
			func(w *scaleWorld) { g := w.groups["green"]; g.Desired = 4; w.groups["green"] = g },
			[]Rule{RuleDesiredChanged, RuleChanged}},
		{"the group's processes changed", Intent{Action: ActionSuspend, Group: "green", Processes: []string{ProcessLaunch}},
			func(w *scaleWorld) {
				g := w.groups["green"]
				g.Suspended = []string{"AZRebalance"}
				w.groups["green"] = g
			},
			[]Rule{RuleChanged}},
		{"the service's desired changed", Intent{Action: ActionScaleService, ECSCluster: "prod-ecs", Service: "deployer-api", Desired: desired(0)},
			func(w *scaleWorld) { w.service("prod-ecs/deployer-api", func(s *Service) { s.Desired = 2 }) },
			[]Rule{RuleDesiredChanged, RuleChanged}},
		{"a task started before the deletion", Intent{Action: ActionDeleteService, ECSCluster: "prod-ecs", Service: "scheduler"},
			func(w *scaleWorld) { w.service("prod-ecs/scheduler", func(s *Service) { s.Pending = 1 }) },
			[]Rule{RuleRunningTasks}},
		{"the service was deleted meanwhile", Intent{Action: ActionRedeploy, ECSCluster: "prod-ecs", Service: "deployer-api"},
			func(w *scaleWorld) { w.services = w.services[1:] },
			[]Rule{RuleGone, RuleChanged}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newScaleWorld()
			p := prodPolicy()
			v := Judge(tc.in, w.seen(), w.facts(), p)
			if !v.Allowed {
				t.Fatalf("prepare refused: %v", v.Refusals)
			}
			later := w.clone()
			if tc.then != nil {
				tc.then(&later)
			}
			v2 := Judge(tc.in, v.Seen(), later.facts(), p)
			if got := rules(v2); !slices.Equal(got, tc.rules) {
				t.Fatalf("recheck rules = %v, want %v (%v)", got, tc.rules, v2.Refusals)
			}
			if tc.rules == nil && !v2.Plan.Equal(v.Plan) {
				t.Errorf("plan changed: %+v → %+v", v.Plan, v2.Plan)
			}
		})
	}
}

func TestCheckGroupAndService(t *testing.T) {
	g := newScaleWorld().groups["green"]
	set := GroupChange{API: APISetDesired, Group: "green", Desired: 0, WasDesired: 3}
	scale := ServiceChange{API: APIUpdateService, Cluster: "prod-ecs", Service: "deployer-api", Desired: desired(0), WasDesired: 4}
	del := ServiceChange{API: APIDeleteService, Cluster: "prod-ecs", Service: "scheduler", WasDesired: 0}
	moved := g
	moved.Desired = 5
	busy := svc("prod-ecs", "scheduler", 0, 1, 0, RolloutCompleted)
	draining := svc("prod-ecs", "deployer-api", 4, 4, 0, RolloutCompleted)
	draining.Status = ECSDraining
	for _, tc := range []struct {
		name string
		got  *Refusal
		rule Rule // "" for none
	}{
		{"group as judged", CheckGroup(set, []ScaleGroup{g}), ""},
		{"group gone", CheckGroup(set, nil), RuleGone},
		{"group desired moved", CheckGroup(set, []ScaleGroup{moved}), RuleDesiredChanged},
		{"suspend ignores desired", CheckGroup(GroupChange{API: APISuspend, Group: "green", WasDesired: 3}, []ScaleGroup{moved}), ""},
		{"service as judged", CheckService(scale, []Service{svc("prod-ecs", "deployer-api", 4, 4, 0, "")}), ""},
		{"service gone", CheckService(scale, nil), RuleGone},
		{"service draining", CheckService(scale, []Service{draining}), RuleGone},
		{"service desired moved", CheckService(scale, []Service{svc("prod-ecs", "deployer-api", 6, 4, 0, "")}), RuleDesiredChanged},
		{"delete with a task running", CheckService(del, []Service{busy}), RuleRunningTasks},
		{"delete at zero", CheckService(del, []Service{svc("prod-ecs", "scheduler", 0, 0, 0, "")}), ""},
		{"a service of the same name in another cluster", CheckService(del, []Service{svc("other", "scheduler", 0, 0, 0, "")}), RuleGone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			switch {
			case tc.rule == "" && tc.got != nil:
				t.Errorf("refused: %v", *tc.got)
			case tc.rule != "" && (tc.got == nil || tc.got.Rule != tc.rule):
				t.Errorf("got %v, want %s", tc.got, tc.rule)
			}
		})
	}
}

// Each new rule refuses in some case above.
func TestEveryScalingRuleIsTested(t *testing.T) {
	tested := map[Rule]bool{}
	for _, tc := range scaleCases {
		for _, r := range tc.rules {
			tested[r] = true
		}
	}
	for _, r := range []Rule{RuleDesiredChanged, RuleRunningTasks, RuleGroupLimits, RuleReadOnly, RuleProtectedAccount,
		RuleProtectedCluster, RuleNotShown, RuleGone, RuleNothingToDo, RuleHoldsEIP, RuleIntent} {
		if !tested[r] {
			t.Errorf("no scaling case refuses by %s", r)
		}
	}
}

// The capacity page's groups are what the screen showed: SeenOf records
// them, with the cluster their members are in.
func TestSeenOfRecordsGroups(t *testing.T) {
	s := demoSnap()
	s.Groups = []Group{{Name: "green-asg", Desired: 3, Min: 0, Max: 6, Suspended: []string{ProcessLaunch},
		Members: []GroupMember{{InstanceID: "i-g2"}, {InstanceID: "i-g1"}, {InstanceID: "i-g3"}}}}
	g, ok := SeenOf(Analyze(s, ""), fresh).ScaleGroups["green-asg"]
	if !ok || g.Desired != 3 || g.Cluster != "green" || !slices.Equal(g.Instances, []string{"i-g1", "i-g2", "i-g3"}) || !g.Suspends(ProcessLaunch) {
		t.Errorf("ScaleGroups[green-asg] = %+v, %v", g, ok)
	}
	// Judged against it: a protected cluster's group is refused by the
	// cluster its members are in, as shown.
	f := newScaleWorld().facts()
	f.ScaleGroups = map[string]ScaleGroup{"green-asg": {Name: "green-asg", Desired: 3, Max: 6}}
	p := prodPolicy()
	p.ProtectedClusters = []string{"green"}
	v := Judge(Intent{Action: ActionSetDesired, Group: "green-asg", Desired: desired(0)}, SeenOf(Analyze(s, ""), fresh), f, p)
	if got := rules(v); !slices.Equal(got, []Rule{RuleProtectedCluster}) {
		t.Errorf("rules = %v", got)
	}
}

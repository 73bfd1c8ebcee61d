package model

import (
	"fmt"
	"slices"
	"strings"
)

// The guarded actions on capacity: an Auto Scaling group's desired
// capacity and its Launch and Terminate processes, an ECS service's
// desired count, its deletion and a forced new deployment. They go
// through the same airlock as the others (Judge, the typed phrase, the
// check right before the call, the audit log), and refuse for the same
// session-wide reasons (read-only, the audit log, a protected account,
// the wrong account, a stale screen), plus:
//
// RuleDesiredChanged. The operator chose a new desired count looking at
// the old one ("3 → 0"); if it is not that any more (a scaling policy, a
// deployer, another console), the number they typed against is wrong and
// so may be their decision. Refused, with both numbers.
//
// RuleRunningTasks (S3, S7). A service is deleted only once it wants no
// task and runs none. AWS would refuse a non-forced DeleteService while
// desired > 0 anyway; airlock also waits for running and pending tasks to
// stop, so a deletion never takes live tasks with it. It asks for the
// scale-down first, as an action of its own, and never forces.
//
// RuleGroupLimits. A desired capacity outside the group's minimum and
// maximum is refused by AWS; airlock says so before a phrase is typed,
// and does not change the limits itself.
//
// RuleProtectedCluster applies to a group by its name and by its
// cluster tag, and to an ECS cluster by its name. RuleHoldsEIP (S2)
// refuses scaling a group to zero while its instances hold Elastic IPs.

// More rules (the package documentation and the comment above explain
// them).
const (
	RuleDesiredChanged Rule = "desired-changed"
	RuleRunningTasks   Rule = "running-tasks"
	RuleGroupLimits    Rule = "outside-group-limits"
)

// ProcessTerminate is the other Auto Scaling process airlock suspends
// and resumes, with ProcessLaunch (capacity.go). The others
// (AZRebalance, HealthCheck, ...) are left to the console: these two are
// what stops a group from launching or terminating while an incident is
// handled.
const ProcessTerminate = "Terminate"

// ScaleGroup is what the airlock needs of an Auto Scaling group to
// change its desired capacity or processes: read fresh by name for a
// judgement, and as the screen showed it (Seen.ScaleGroups).
type ScaleGroup struct {
	Name              string // raw
	Desired, Min, Max int
	Instances         []string // member instance IDs
	Suspended         []string // suspended processes, sorted
	Cluster           string   // the cluster tag's raw value on the group, "" when none
}

// Suspends reports whether process p is suspended.
func (g ScaleGroup) Suspends(p string) bool { return slices.Contains(g.Suspended, p) }

// ScaleGroupOf is what the airlock needs of group g, with the cluster of
// its members in w when they all share one.
func ScaleGroupOf(g Group, w World) ScaleGroup {
	sg := ScaleGroup{Name: g.Name, Desired: g.Desired, Min: g.Min, Max: g.Max, Suspended: slices.Clone(g.Suspended)}
	clusters := map[string]bool{}
	for _, m := range g.Members {
		sg.Instances = append(sg.Instances, m.InstanceID)
		if c, ok := w.ClusterOf(m.InstanceID); ok {
			clusters[c] = true
		}
	}
	slices.Sort(sg.Instances)
	if len(clusters) == 1 {
		sg.Cluster = keys(clusters)[0]
	}
	return sg
}

// scaleGroupsOf is the groups of w as the screen shows them; nil when the
// snapshot has none.
func scaleGroupsOf(w World) map[string]ScaleGroup {
	if len(w.Snap.Groups) == 0 {
		return nil
	}
	m := make(map[string]ScaleGroup, len(w.Snap.Groups))
	for _, g := range w.Snap.Groups {
		m[g.Name] = ScaleGroupOf(g, w)
	}
	return m
}

// ScaleGroupsSeen indexes groups by name, for Seen.ScaleGroups.
func ScaleGroupsSeen(gs []ScaleGroup) map[string]ScaleGroup {
	m := make(map[string]ScaleGroup, len(gs))
	for _, g := range gs {
		m[g.Name] = g
	}
	return m
}

// GroupChange is one Auto Scaling call of a plan.
type GroupChange struct {
	API       string // APISetDesired, APISuspend or APIResume
	Group     string // raw name
	Desired   int    // SetDesiredCapacity: the new desired capacity
	Processes []string
	// WasDesired is the desired capacity judged; SetDesiredCapacity is
	// called only while it is still that (CheckGroup).
	WasDesired int
}

func (c GroupChange) equal(d GroupChange) bool {
	return c.API == d.API && c.Group == d.Group && c.Desired == d.Desired &&
		c.WasDesired == d.WasDesired && slices.Equal(c.Processes, d.Processes)
}

func (c GroupChange) step() Step {
	st := Step{API: c.API, Targets: []string{c.Group}, Group: &c}
	switch c.API {
	case APISetDesired:
		st.Detail = fmt.Sprintf("group %s: desired capacity %d → %d", Display(c.Group), c.WasDesired, c.Desired)
		st.LastLook = fmt.Sprintf("CheckGroup: exists, desired still %d", c.WasDesired)
	default:
		st.Detail = fmt.Sprintf("group %s: %s", Display(c.Group), strings.Join(c.Processes, ", "))
		st.LastLook = "CheckGroup: exists"
	}
	return st
}

// ServiceChange is one ECS call of a plan.
type ServiceChange struct {
	API     string // APIUpdateService or APIDeleteService
	Cluster string // raw
	Service string // raw
	// Desired is UpdateService's new desired count; nil leaves it.
	Desired *int
	// ForceNewDeployment is UpdateService's forceNewDeployment.
	ForceNewDeployment bool
	// WasDesired is the desired count judged; the call is made only
	// while the service is ACTIVE and still wants that many (CheckService),
	// and a deletion only while it also runs nothing.
	WasDesired int
}

func (c ServiceChange) equal(d ServiceChange) bool {
	return c.API == d.API && c.Cluster == d.Cluster && c.Service == d.Service &&
		c.ForceNewDeployment == d.ForceNewDeployment && c.WasDesired == d.WasDesired &&
		(c.Desired == nil) == (d.Desired == nil) && (c.Desired == nil || *c.Desired == *d.Desired)
}

func (c ServiceChange) step() Step {
	svc := "service " + Display(c.Service) + " in " + Display(c.Cluster)
	st := Step{API: c.API, Targets: []string{c.Cluster, c.Service}, Service: &c,
		LastLook: fmt.Sprintf("CheckService: ACTIVE, desired still %d", c.WasDesired)}
	switch {
	case c.API == APIDeleteService:
		st.Detail = svc + " (not forced)"
		st.LastLook = "CheckService: ACTIVE, desired 0, no task running or pending"
	case c.Desired != nil:
		st.Detail = fmt.Sprintf("%s: desired count %d → %d", svc, c.WasDesired, *c.Desired)
	case c.ForceNewDeployment:
		st.Detail = svc + ": force a new deployment"
	}
	return st
}

// CheckGroup judges a group read immediately before its call: found is
// what DescribeAutoScalingGroups returns for the group now. It must
// exist, and for SetDesiredCapacity still want what was judged: the API
// has no "only if desired is still N" of its own.
func CheckGroup(c GroupChange, found []ScaleGroup) *Refusal {
	if len(found) != 1 || found[0].Name != c.Group {
		return &Refusal{Rule: RuleGone, Reason: fmt.Sprintf("Auto Scaling group %s is gone; %s was not called", Display(c.Group), c.API)}
	}
	if g := found[0]; c.API == APISetDesired && g.Desired != c.WasDesired {
		return &Refusal{Rule: RuleDesiredChanged,
			Reason: fmt.Sprintf("group %s wants %d now, not %d as checked; %s was not called", Display(c.Group), g.Desired, c.WasDesired, c.API),
			Fix:    "something else is scaling it; look at the refreshed screen"}
	}
	return nil
}

// CheckService judges a service read immediately before its call: found
// is what DescribeServices returns for it now. It must be ACTIVE and want
// the desired count judged; a deletion also needs nothing running or
// pending.
func CheckService(c ServiceChange, found []Service) *Refusal {
	svc := "service " + Display(c.Service) + " in " + Display(c.Cluster)
	if len(found) != 1 || found[0].Name != c.Service || found[0].Cluster != c.Cluster {
		return &Refusal{Rule: RuleGone, Reason: fmt.Sprintf("%s is gone; %s was not called", svc, c.API)}
	}
	s := found[0]
	switch {
	case s.Status != ECSActive:
		return &Refusal{Rule: RuleGone, Reason: fmt.Sprintf("%s is %s now; %s was not called", svc, s.Status, c.API),
			Fix: "someone else is deleting it; look at the refreshed screen"}
	case s.Desired != c.WasDesired:
		return &Refusal{Rule: RuleDesiredChanged,
			Reason: fmt.Sprintf("%s wants %d tasks now, not %d as checked; %s was not called", svc, s.Desired, c.WasDesired, c.API),
			Fix:    "something else is scaling it; look at the refreshed screen"}
	case c.API == APIDeleteService && (s.Running > 0 || s.Pending > 0):
		return &Refusal{Rule: RuleRunningTasks,
			Reason: fmt.Sprintf("%s runs %s now; %s was not called", svc, s.Counts(), c.API),
			Fix:    "wait for its tasks to stop"}
	}
	return nil
}

// servicesByKey indexes services by ServiceKey; nil for none.
func servicesByKey(ss []Service) map[string]Service {
	if len(ss) == 0 {
		return nil
	}
	m := make(map[string]Service, len(ss))
	for _, s := range ss {
		m[s.Key()] = s
	}
	return m
}

// judgeGroup applies the rules for an Auto Scaling group's desired
// capacity and processes.
func (j *judgement) judgeGroup() {
	in := j.in
	name := in.Group
	if name == "" {
		j.refuse(RuleIntent, fmt.Sprintf("%s needs an Auto Scaling group", in.Action), "")
		return
	}
	j.v.Target = Display(name)
	j.v.Summary = fmt.Sprintf("%s of Auto Scaling group %s", in.Action, Display(name))
	switch in.Action {
	case ActionSetDesired:
		if in.Desired == nil || *in.Desired < 0 {
			j.refuse(RuleIntent, "a new desired capacity (0 or more) is needed", "")
			return
		}
	default:
		if len(in.Processes) == 0 || slices.ContainsFunc(in.Processes, func(p string) bool {
			return p != ProcessLaunch && p != ProcessTerminate
		}) {
			j.refuse(RuleIntent, fmt.Sprintf("airlock suspends and resumes only %s and %s, got %s",
				ProcessLaunch, ProcessTerminate, orNone(displayAll(in.Processes))), "")
			return
		}
	}

	shown, wasShown := j.seen.ScaleGroups[name]
	now, exists := j.fresh.ScaleGroups[name]
	j.checkProtectedClusters(name, shown.Cluster, now.Cluster)
	switch {
	case !wasShown:
		j.refuse(RuleNotShown, fmt.Sprintf("Auto Scaling group %s was not on the screen", Display(name)),
			"airlock acts only on what was shown; refresh and choose again")
		return
	case !exists:
		j.change(Subject{ChangeGroup, name}, "exists", "desired "+itoa(shown.Desired), "gone")
		j.refuse(RuleGone, fmt.Sprintf("Auto Scaling group %s no longer exists", Display(name)), "refresh and choose again")
		return
	}
	if shown.Desired != now.Desired {
		j.change(Subject{ChangeGroup, name}, "desired", itoa(shown.Desired), itoa(now.Desired))
		if in.Action == ActionSetDesired {
			j.refuse(RuleDesiredChanged,
				fmt.Sprintf("group %s wanted %d instances %s, wants %d now", Display(name), shown.Desired, j.shownAt(), now.Desired),
				"look at the refreshed screen and choose again; something else (a scaling policy, a deploy) is changing it")
		}
	}
	if was, is := strings.Join(shown.Suspended, ", "), strings.Join(now.Suspended, ", "); was != is {
		j.change(Subject{ChangeGroup, name}, "suspended", orNone(shown.Suspended), orNone(now.Suspended))
	}

	if in.Action == ActionSetDesired {
		j.judgeDesired(now, *in.Desired)
		return
	}
	var todo []string
	for _, p := range uniqueSorted(in.Processes) {
		if now.Suspends(p) != (in.Action == ActionSuspend) {
			todo = append(todo, p)
		}
	}
	if len(todo) == 0 {
		state := "suspended"
		if in.Action == ActionResume {
			state = "not suspended"
		}
		j.refuse(RuleNothingToDo, fmt.Sprintf("%s %s already %s in group %s", list(in.Processes), plural(len(in.Processes), "is", "are"), state, Display(name)), "")
		return
	}
	api := APISuspend
	if in.Action == ActionResume {
		api = APIResume
	}
	j.v.Summary = fmt.Sprintf("%s %s of Auto Scaling group %s", strings.TrimSuffix(string(in.Action), "-processes"), list(todo), Display(name))
	if in.Action == ActionSuspend {
		if slices.Contains(todo, ProcessLaunch) {
			j.warn("while Launch is suspended, group %s launches nothing: not to reach its desired %d, not to replace an unhealthy instance", Display(name), now.Desired)
		}
		if slices.Contains(todo, ProcessTerminate) {
			j.warn("while Terminate is suspended, group %s neither scales in nor terminates unhealthy instances", Display(name))
		}
	} else {
		j.warn("group %s acts again at once: it launches or terminates instances to reach its desired %d (%d members now)", Display(name), now.Desired, len(now.Instances))
	}
	j.plan.Groups = append(j.plan.Groups, GroupChange{API: api, Group: name, Processes: todo, WasDesired: now.Desired})
}

// judgeDesired applies the rules for a new desired capacity of group g.
func (j *judgement) judgeDesired(g ScaleGroup, want int) {
	name := Display(g.Name)
	j.v.Summary = fmt.Sprintf("set the desired capacity of Auto Scaling group %s from %d to %d", name, g.Desired, want)
	if want < g.Min || want > g.Max {
		j.refuse(RuleGroupLimits, fmt.Sprintf("group %s takes a desired capacity from %d to %d, not %d", name, g.Min, g.Max, want),
			"change the group's minimum or maximum first, in the console or CLI; airlock does not change them")
	}
	if want == g.Desired {
		j.refuse(RuleNothingToDo, fmt.Sprintf("group %s already wants %d", name, want), "")
	}
	// Scaling in terminates members AWS chooses (the termination
	// policy): any of them may be what an Elastic IP points at.
	var held []string
	for _, id := range g.Instances {
		for _, a := range j.now.EIPsOf[id] {
			held = append(held, fmt.Sprintf("%s holds EIP %s", id, a.PublicIP))
		}
	}
	switch {
	case want < g.Desired && want == 0 && len(held) > 0:
		j.refuse(RuleHoldsEIP, fmt.Sprintf("group %s is LIVE: %s; scaling it to 0 terminates every member", name, list(held)),
			"move the EIPs to another cluster or disassociate them first")
	case want < g.Desired && len(held) > 0:
		j.warn("group %s is LIVE (%s): AWS picks the %d instances to terminate by its termination policy, and may pick those", name, list(held), g.Desired-want)
	}
	switch {
	case want == 0:
		j.warn("group %s terminates all its instances (%d now) and launches none until its desired capacity is raised", name, len(g.Instances))
	case want < g.Desired:
		j.warn("group %s terminates %d of its instances", name, g.Desired-want)
	case want > g.Desired:
		j.warn("group %s launches %d instances (unless its Launch process is suspended)", name, want-g.Desired)
	}
	j.plan.Groups = append(j.plan.Groups, GroupChange{API: APISetDesired, Group: g.Name, Desired: want, WasDesired: g.Desired})
}

// judgeService applies the rules for an ECS service's desired count, its
// deletion, and a forced new deployment.
func (j *judgement) judgeService() {
	in := j.in
	if in.ECSCluster == "" || in.Service == "" {
		j.refuse(RuleIntent, fmt.Sprintf("%s needs an ECS cluster and a service", in.Action), "")
		return
	}
	key := ServiceKey(in.ECSCluster, in.Service)
	svc := "service " + Display(in.Service) + " in " + Display(in.ECSCluster)
	j.v.Target = Display(in.ECSCluster) + "/" + Display(in.Service)
	j.v.Summary = string(in.Action) + " " + svc
	if in.Action == ActionScaleService && (in.Desired == nil || *in.Desired < 0) {
		j.refuse(RuleIntent, "a new desired count (0 or more) is needed", "")
		return
	}
	j.checkProtectedClusters(in.ECSCluster)

	shown, wasShown := j.seen.Services[key]
	now, exists := j.fresh.Services[key]
	switch {
	case !wasShown:
		j.refuse(RuleNotShown, svc+" was not on the screen", "airlock acts only on what was shown; refresh and choose again")
		return
	case !exists:
		j.change(Subject{ChangeService, key}, "exists", shown.Status, "gone")
		j.refuse(RuleGone, svc+" no longer exists", "refresh; someone may have deleted it")
		return
	case now.Status != ECSActive:
		j.change(Subject{ChangeService, key}, "status", shown.Status, now.Status)
		j.refuse(RuleGone, fmt.Sprintf("%s is %s: it is being deleted, or was", svc, now.Status), "refresh; someone may have deleted it")
		return
	}
	if shown.Status != now.Status {
		j.change(Subject{ChangeService, key}, "status", shown.Status, now.Status)
	}
	if shown.Desired != now.Desired {
		j.change(Subject{ChangeService, key}, "desired", itoa(shown.Desired), itoa(now.Desired))
		j.refuse(RuleDesiredChanged,
			fmt.Sprintf("%s wanted %d tasks %s, wants %d now", svc, shown.Desired, j.shownAt(), now.Desired),
			"look at the refreshed screen and choose again; something else (a deployer, autoscaling) is changing it")
	}
	if j.seen.Confirmed && shown.Running != now.Running && in.Action == ActionDeleteService {
		j.change(Subject{ChangeService, key}, "running", itoa(shown.Running), itoa(now.Running))
	}

	change := ServiceChange{API: APIUpdateService, Cluster: in.ECSCluster, Service: in.Service, WasDesired: now.Desired}
	switch in.Action {
	case ActionScaleService:
		want := *in.Desired
		j.v.Summary = fmt.Sprintf("scale %s from %d to %d tasks", svc, now.Desired, want)
		if want == now.Desired {
			j.refuse(RuleNothingToDo, fmt.Sprintf("%s already wants %d", svc, want), "")
		}
		switch {
		case want == 0:
			j.warn("every task of %s stops (%s now); the service stays, at 0, until scaled up", svc, now.Counts())
		case want < now.Desired:
			j.warn("%d of the tasks of %s stop", now.Desired-want, svc)
		}
		change.Desired = &want
	case ActionDeleteService:
		j.v.Summary = "delete " + svc
		if now.Desired > 0 || now.Running > 0 || now.Pending > 0 {
			j.refuse(RuleRunningTasks,
				fmt.Sprintf("%s still wants %d tasks and runs %s", svc, now.Desired, now.Counts()),
				"scale it to 0 first, then delete it once its tasks have stopped; airlock never forces a deletion")
		}
		j.warn("ECS stops listing %s at once; whatever deploys or updates it (a pipeline, a deployer) fails from then on", svc)
		change.API = APIDeleteService
	case ActionRedeploy:
		j.v.Summary = "force a new deployment of " + svc
		if now.Desired == 0 {
			j.refuse(RuleNothingToDo, svc+" wants no task: a new deployment would start none", "")
		}
		if now.Rollout() == RolloutInProgress {
			j.warn("a deployment of %s is already IN_PROGRESS; a new one replaces it", svc)
		}
		j.warn("every running task of %s is replaced (%s now)", svc, now.Counts())
		change.ForceNewDeployment = true
	}
	j.plan.Services = append(j.plan.Services, change)
}

func displayAll(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = Display(s)
	}
	return out
}

// The subjects of changes to groups and services.
const (
	ChangeGroup   ChangeKind = "Auto Scaling group" // ID: the group's raw name
	ChangeService ChangeKind = "service"            // ID: the ServiceKey
)

// Precondition is what the last look before the step expects, for a
// person: "ACTIVE, desired still 4" of "CheckService: ACTIVE, desired
// still 4"; "" when the step names none.
func (s Step) Precondition() string {
	_, expect, ok := strings.Cut(s.LastLook, ": ")
	if !ok {
		return ""
	}
	return expect
}

package model

import "fmt"

// The action menu of an Auto Scaling group (the Capacity page) and of an
// ECS service (the Services page): the guarded actions of
// rules_scaling.go, judged against the world on screen like every other
// menu item, so a refusal the screen can already show (read-only, a
// protected cluster, a service still running tasks) is in the menu before
// anything is prepared.

// CountAsk is the number an item needs before it can be prepared: a new
// desired capacity or count, typed by the operator (0 included). Until
// then the item's Intent has no Desired, and its refusals are those that
// hold whatever the number (read-only, stale, protected, not shown);
// those that depend on it (outside the group's limits, scaling a LIVE
// group to zero, no change) come from the Prepare that follows.
type CountAsk struct {
	// Verb says what the number does, for the menu and the prompt:
	// "Set the desired capacity of group green".
	Verb string
	// What names the number: "desired capacity", "desired count".
	What    string
	Current int
	// Min and Max are the limits the target takes: a group's minimum
	// and maximum size. Max < 0 when the target has none of its own (an
	// ECS service); the prompt still refuses more than MaxCount.
	Min, Max int
}

// MaxCount is the largest number the prompt takes: more tasks or
// instances than any group or service airlock has to scale, and small
// enough that a digit typed twice is not a fleet of thousands.
const MaxCount = 1000

// Limits says what the prompt takes: "0 to 6" of a group, "0 to 1000"
// of a service.
func (c CountAsk) Limits() string {
	hi := c.Max
	if hi < 0 {
		hi = MaxCount
	}
	return fmt.Sprintf("%d to %d", c.Min, hi)
}

// Check says why n cannot be prepared ("" when it can): outside the
// limits the target takes. AWS and Judge refuse it too (RuleGroupLimits);
// the prompt says so before anything is fetched.
func (c CountAsk) Check(n int) string {
	hi := c.Max
	if hi < 0 {
		hi = MaxCount
	}
	if n < c.Min || n > hi {
		return fmt.Sprintf("%s must be from %s, not %d", c.What, c.Limits(), n)
	}
	return ""
}

// WithCount is the item with the operator's number n: its Intent carries
// Desired, its label says the change ("… from 3 to 0"), and it no longer
// asks.
func (it MenuItem) WithCount(n int) MenuItem {
	if it.Count == nil {
		return it
	}
	out := it
	out.Intent.Desired = &n
	out.Label = fmt.Sprintf("%s from %d to %d", it.Count.Verb, it.Count.Current, n)
	out.Count = nil
	return out
}

// groupMenu lists the actions on Auto Scaling group name: set its desired
// capacity, and suspend or resume each of Launch and Terminate (whichever
// it is not already).
func groupMenu(w World, name string, add func(string, Intent), addCount func(string, Intent, CountAsk)) {
	shown := Display(name)
	var sg ScaleGroup
	for _, g := range w.Snap.Groups {
		if g.Name == name {
			sg = ScaleGroupOf(g, w)
		}
	}
	verb := "Set the desired capacity of group " + shown
	addCount(fmt.Sprintf("%s (now %d; min %d, max %d)", verb, sg.Desired, sg.Min, sg.Max),
		Intent{Action: ActionSetDesired, Group: name},
		CountAsk{Verb: verb, What: "desired capacity", Current: sg.Desired, Min: sg.Min, Max: sg.Max})
	for _, p := range []string{ProcessLaunch, ProcessTerminate} {
		if sg.Suspends(p) {
			add(fmt.Sprintf("Resume %s in group %s", p, shown), Intent{Action: ActionResume, Group: name, Processes: []string{p}})
		} else {
			add(fmt.Sprintf("Suspend %s in group %s", p, shown), Intent{Action: ActionSuspend, Group: name, Processes: []string{p}})
		}
	}
}

// serviceMenu lists the actions on an ECS service: scale it, delete it
// (refused while it wants or runs tasks: scale it to 0 first), force a
// new deployment.
func serviceMenu(w World, cluster, service string, add func(string, Intent), addCount func(string, Intent, CountAsk)) {
	svc, _ := w.Snap.ECS.Service(ServiceKey(cluster, service))
	name := "service " + Display(service) + " in " + Display(cluster)
	verb := "Scale " + name
	addCount(fmt.Sprintf("%s (now %s)", verb, svc.Counts()),
		Intent{Action: ActionScaleService, ECSCluster: cluster, Service: service},
		CountAsk{Verb: verb, What: "desired count", Current: svc.Desired, Min: 0, Max: -1})
	add("Delete "+name, Intent{Action: ActionDeleteService, ECSCluster: cluster, Service: service})
	add("Force a new deployment of "+name, Intent{Action: ActionRedeploy, ECSCluster: cluster, Service: service})
}

// judgeCount judges an item that asks for a number before the number is
// known: as if the operator had typed the current one, keeping every
// refusal but the "nothing to do" that number makes. What the real
// number adds (limits, a LIVE group to zero) is for Prepare.
func judgeCount(judgeIt func(Intent) Verdict, in Intent, ask CountAsk) MenuItem {
	cur := ask.Current
	probe := in
	probe.Desired = &cur
	v := judgeIt(probe)
	it := MenuItem{Intent: in, Count: &ask}
	for _, r := range v.Refusals {
		if r.Rule != RuleNothingToDo {
			it.Refusals = append(it.Refusals, r)
		}
	}
	it.Available = len(it.Refusals) == 0
	return it
}

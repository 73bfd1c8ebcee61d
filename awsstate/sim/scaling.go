package sim

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"
)

// The simulated Auto Scaling: a group whose desired capacity differs from
// its live members launches or terminates instances at once, recording one
// activity per instance as AWS does. A launch that cannot happen (the
// image or a security group is missing, the type is not offered, the
// subnets are full) records a failed activity with AWS's status message and
// is retried later with a growing interval, so a short group keeps
// producing failed activities the way a real one does. Instances go through
// pending to running over Options.StateDelay.
//
// What is not simulated: health-check replacement (an instance terminated
// or stopped through EC2 is not replaced until the group's capacity is next
// changed or a retry is due), cooldowns, lifecycle hooks, warm pools,
// instance refresh. Scale-in terminates the newest members first, not by
// AWS's default policy (zone balance, then oldest template).

// worldNow is the time inside the world: the epoch plus how long the
// server has been running, plus whatever Advance added. Activities are
// stamped with it, so that they fall after the scenario's history whatever
// the wall clock says.
func (s *Server) worldNow() time.Time {
	d := s.now().Sub(s.started)
	if d < 0 {
		d = 0
	}
	return s.opts.Epoch.Add(d + time.Duration(s.skew.Load()))
}

// Advance moves time inside the world forward by d: snapshots progress,
// and the timestamps of what happens next (activities, ECS events,
// launches) jump with it, as if the session had run that much longer.
// What is scheduled on the server's own clock (state transitions, launch
// retries, ECS settling, bursts) is not hurried. d must not be negative:
// the world's time never goes back.
func (s *Server) Advance(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("sim: cannot move the world's clock back (advance by %s)", d)
	}
	s.skew.Add(int64(d))
	return nil
}

// WorldTime is the time inside the world now.
func (s *Server) WorldTime() time.Time { return s.worldNow() }

// causeTime is the timestamp format inside an activity's Cause
// ("At 2017-05-15T06:35:52Z a user request ...").
func causeTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// joinCause joins the sentences of a Cause with two spaces, as AWS does.
func joinCause(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "  ")
}

// The retry interval of a failing group: launchRetry after the first
// failure, doubling up to launchRetryMax. AWS does not document its
// intervals; these keep a short group's activity list growing at a pace a
// demo can watch without flooding it.
const (
	launchRetry    = 10 * time.Second
	launchRetryMax = 5 * time.Minute
)

// groupKey names one group in the world.
type groupKey struct{ account, region, group string }

// retries holds the due times of the groups that must try to launch again.
// Like instance transitions, they are acted on at the start of the first
// API call at or after their time, so no goroutine or timer outlives a
// call.
type retries struct {
	mu       sync.Mutex
	due      map[groupKey]time.Time
	failures map[groupKey]int
}

// schedule makes the group retry after its backoff; failed says whether
// the attempt that leads here failed (it grows the backoff) or the group
// is merely short.
func (rt *retries) schedule(k groupKey, now time.Time, failed bool) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.due == nil {
		rt.due, rt.failures = map[groupKey]time.Time{}, map[groupKey]int{}
	}
	if failed {
		rt.failures[k]++
	}
	wait := launchRetry
	for i := 1; i < rt.failures[k] && wait < launchRetryMax; i++ {
		wait *= 2
	}
	rt.due[k] = now.Add(min(wait, launchRetryMax))
}

// succeeded forgets the group's failures and any pending retry.
func (rt *retries) succeeded(k groupKey) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	delete(rt.due, k)
	delete(rt.failures, k)
}

func (rt *retries) clear() {
	rt.mu.Lock()
	rt.due, rt.failures = nil, nil
	rt.mu.Unlock()
}

// takeDue removes and returns the groups due at now, in a stable order.
func (rt *retries) takeDue(now time.Time) []groupKey {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	var out []groupKey
	for k, t := range rt.due {
		if !now.Before(t) {
			out = append(out, k)
			delete(rt.due, k)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.account+a.region+a.group < b.account+b.region+b.group
	})
	return out
}

// settleScaling lets the groups whose retry is due try again.
func (s *Server) settleScaling() {
	due := s.retries.takeDue(s.now())
	if len(due) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range due {
		if r := s.w.existingRegion(k.account, k.region); r != nil {
			if g := r.Groups[k.group]; g != nil {
				s.reconcile(r, g, "")
			}
		}
	}
}

// scheduleShortGroups queues a retry for every group that starts short,
// so a scenario's failing group keeps failing once the server runs.
func (s *Server) scheduleShortGroups() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.now()
	for _, a := range s.w.accounts {
		for _, r := range a.regions {
			for _, g := range r.Groups {
				if _, _, live := r.members(g); live < g.Desired && !g.suspended("Launch") {
					s.retries.schedule(groupKey{r.AccountID, r.Name, g.Name}, now, false)
				}
			}
		}
	}
}

// reconcile brings the group towards its desired capacity; why is the
// first sentence of the activities' Cause ("" for a retry). Callers hold
// the write lock.
func (s *Server) reconcile(r *Region, g *Group, why string) {
	_, _, live := r.members(g)
	switch {
	case live < g.Desired && !g.suspended("Launch"):
		s.launch(r, g, live, why)
	case live > g.Desired && !g.suspended("Terminate"):
		s.shrink(r, g, live, why)
	default:
		s.retries.succeeded(groupKey{r.AccountID, r.Name, g.Name})
	}
	r.touch()
}

func (s *Server) launch(r *Region, g *Group, live int, why string) {
	now := s.worldNow()
	key := groupKey{r.AccountID, r.Name, g.Name}
	cause := joinCause(why, fmt.Sprintf("At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from %d to %d.",
		causeTime(now), live, g.Desired))
	sp, problem := r.spec(g)
	for live < g.Desired {
		var sn *Subnet
		if problem == "" {
			sn, problem = r.pickSubnet(g, sp)
		}
		if sn == nil {
			details := ""
			if len(g.SubnetIDs) > 0 {
				if first := r.Subnets[g.SubnetIDs[0]]; first != nil {
					details = activityDetails(first)
				}
			}
			r.AddActivity(Activity{
				Group:         g.Name,
				Description:   "Launching a new EC2 instance.  Status Reason: " + problem,
				Cause:         cause,
				StartTime:     now,
				EndTime:       now,
				StatusCode:    "Failed",
				StatusMessage: problem,
				Progress:      100,
				Details:       details,
			})
			s.retries.schedule(key, s.now(), true)
			return
		}
		in := r.launchInstance(g, sp, sn, now)
		s.startTransition(r, in, StateRunning)
		r.AddActivity(Activity{
			Group:       g.Name,
			Description: "Launching a new EC2 instance: " + in.ID,
			Cause:       cause,
			StartTime:   now,
			EndTime:     now,
			StatusCode:  "Successful",
			Progress:    100,
			Details:     activityDetails(sn),
		})
		live++
	}
	s.retries.succeeded(key)
}

// activityDetails is an activity's Details: a JSON object naming the subnet
// and zone.
func activityDetails(sn *Subnet) string {
	b, _ := json.Marshal(map[string]string{"Subnet ID": sn.ID, "Availability Zone": sn.AZ})
	return string(b)
}

// pickSubnet chooses where the next instance goes: the group's subnet with
// the fewest members (zone balance) where a launch would succeed. When none
// would, it returns the first subnet's problem.
func (r *Region) pickSubnet(g *Group, sp launchSpec) (*Subnet, string) {
	count := map[string]int{}
	for _, id := range g.Instances {
		if in := r.Instances[id]; in != nil && in.State != StateTerminated {
			count[in.SubnetID]++
		}
	}
	var candidates []*Subnet
	for _, id := range g.SubnetIDs {
		if sn := r.Subnets[id]; sn != nil {
			candidates = append(candidates, sn)
		}
	}
	if len(candidates) == 0 {
		return nil, "No subnets are available for this group. Launching EC2 instance failed."
	}
	sort.SliceStable(candidates, func(i, j int) bool { return count[candidates[i].ID] < count[candidates[j].ID] })
	first := ""
	for _, sn := range candidates {
		p := r.launchProblem(sp, sn)
		if p == "" {
			return sn, ""
		}
		if first == "" {
			first = p
		}
	}
	return nil, first
}

// launchInstance creates a pending member in sn, with the group's tags,
// the tags EC2 puts on instances launched from a template, and a private
// address the subnet had free.
func (r *Region) launchInstance(g *Group, sp launchSpec, sn *Subnet, now time.Time) *Instance {
	tags := map[string]string{groupTag: g.Name}
	for k, v := range g.Tags {
		tags[k] = v
	}
	if g.LaunchTemplateID != "" {
		tags["aws:ec2launchtemplate:id"] = g.LaunchTemplateID
		tags[templateVersionTag] = fmt.Sprint(sp.version)
	}
	in := &Instance{
		ID:            r.newID("i"),
		ReservationID: r.newID("r"),
		ImageID:       sp.imageID,
		Type:          sp.instanceType,
		State:         StatePending,
		LaunchTime:    now,
		AZ:            sn.AZ,
		SubnetID:      sn.ID,
		VPCID:         sn.VPCID,
		PrivateIP:     r.freeIP(sn),
		Tags:          tags,
	}
	r.Instances[in.ID] = in
	r.rootVolume(in)
	g.Instances = append(g.Instances, in.ID)
	sn.AvailableIPs--
	r.touch()
	return in
}

// freeIP returns the lowest host address of the subnet no instance holds,
// after the four AWS reserves at the start.
func (r *Region) freeIP(sn *Subnet) string {
	prefix, err := netip.ParsePrefix(sn.CIDR)
	if err != nil {
		return ""
	}
	used := map[string]bool{}
	for _, in := range r.Instances {
		if in.SubnetID == sn.ID && in.State != StateTerminated {
			used[in.PrivateIP] = true
		}
	}
	a := prefix.Masked().Addr()
	for range 4 {
		a = a.Next()
	}
	for ; prefix.Contains(a); a = a.Next() {
		if !used[a.String()] {
			return a.String()
		}
	}
	return ""
}

// shrink terminates the newest members until the group is at its desired
// capacity, one activity each, releasing their addresses in the subnet.
func (s *Server) shrink(r *Region, g *Group, live int, why string) {
	now := s.worldNow()
	taken := fmt.Sprintf("At %s an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from %d to %d.",
		causeTime(now), live, g.Desired)
	for i := len(g.Instances) - 1; i >= 0 && live > g.Desired; i-- {
		id := g.Instances[i]
		in := r.Instances[id]
		if in == nil || g.Standby[id] || in.State == StateShuttingDown || in.State == StateTerminated {
			continue
		}
		in.State = StateShuttingDown
		in.StateReason = "Client.UserInitiatedShutdown: User initiated shutdown"
		s.startTransition(r, in, StateTerminated)
		for _, a := range r.AddressesOn(id) {
			r.Disassociate(a.AllocationID)
		}
		details := ""
		if sn := r.Subnets[in.SubnetID]; sn != nil {
			sn.AvailableIPs++
			details = activityDetails(sn)
		}
		r.AddActivity(Activity{
			Group:       g.Name,
			Description: "Terminating EC2 instance: " + id,
			Cause:       joinCause(why, taken, fmt.Sprintf("At %s instance %s was selected for termination.", causeTime(now), id)),
			StartTime:   now,
			EndTime:     now,
			StatusCode:  "Successful",
			Progress:    100,
			Details:     details,
		})
		live--
	}
	s.retries.succeeded(groupKey{r.AccountID, r.Name, g.Name})
}

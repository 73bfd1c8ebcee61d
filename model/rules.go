package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// This file holds the safety rules, one method each, in the order Judge
// applies them. The package documentation explains why each exists.

// checkReadOnly: a session opened to watch (--read-only) cannot act,
// however it is driven.
func (j *judgement) checkReadOnly() {
	if j.p.ReadOnly {
		j.refuse(RuleReadOnly, "airlock is in read-only mode", "restart it without --read-only to act")
	}
}

// checkAuditLog: every action airlock takes is recorded, intent before
// the first call and outcome after the last. When the session knows the
// log cannot be written (it failed its check at startup, or a write
// failed or stalled since), the operator hears so before typing a phrase
// rather than after.
func (j *judgement) checkAuditLog() {
	if j.p.AuditLog != "" {
		j.refuse(RuleAuditLog, "the audit log cannot be written: "+Sanitize(j.p.AuditLog),
			"fix the audit log, or start airlock with another --audit-log; nothing runs unrecorded")
	}
}

// checkProtectedAccount: accounts listed in the configuration are never
// changed from airlock, whatever the action.
func (j *judgement) checkProtectedAccount() {
	names := []string{j.p.BannerAccountID, j.p.AccountName, j.fresh.Identity.AccountID, j.fresh.Identity.Alias}
	for _, prot := range j.p.ProtectedAccounts {
		for _, n := range names {
			if n != "" && strings.EqualFold(n, prot) {
				j.refuse(RuleProtectedAccount,
					fmt.Sprintf("account %s is protected in the configuration", accountName(j.p.AccountName, j.p.BannerAccountID)),
					"airlock changes nothing in a protected account")
				return
			}
		}
	}
}

// checkAccount (story S3): the caller, asked again now, must be the
// account the banner shows, and the screen's data must have come from it.
// Credentials change underneath a running program (a new SSO login, a
// profile switched in another pane); the banner is what the operator
// believes, so that is what must be true.
func (j *judgement) checkAccount() {
	banner := accountName(j.p.AccountName, j.p.BannerAccountID)
	caller := j.fresh.Identity
	switch {
	case j.p.BannerAccountID == "":
		j.refuse(RuleWrongAccount, "the banner's account has not been confirmed by STS",
			"wait for a refresh to confirm the account")
	case !caller.Confirmed():
		j.refuse(RuleWrongAccount, "STS did not confirm the caller's account just now",
			"check the credentials, refresh, and try again")
	case caller.AccountID != j.p.BannerAccountID:
		j.change(Subject{Kind: ChangeAccount}, "ID", j.p.BannerAccountID, caller.AccountID)
		j.refuse(RuleWrongAccount,
			fmt.Sprintf("the credentials now act in account %s, but the banner shows %s",
				accountName(caller.Alias, caller.AccountID), banner),
			fmt.Sprintf("switch back to the credentials for %s, or restart airlock with the other account's so the banner shows it", banner))
	}
	if s := j.seen.AccountID; s != "" && j.p.BannerAccountID != "" && s != j.p.BannerAccountID {
		j.refuse(RuleWrongAccount,
			fmt.Sprintf("the screen's data came from account %s, not the banner's %s", s, banner),
			"refresh so the screen and the banner agree")
	}
}

// checkFreshness (story S1): an action is chosen from what the screen
// shows, so the screen must be current. Stale means older than the
// refresh cycle allows (see Assess), paused long enough to be, or from
// before a failed refresh. Fresh facts are fetched in every case; this
// rule is about the picture in the operator's head, which the fetch
// cannot update.
func (j *judgement) checkFreshness() {
	if j.fresh.FetchedAt.IsZero() {
		j.refuse(RuleStale, "the targets were not fetched again before judging",
			"airlock judges only against facts fetched for the action")
	}
	if j.seen.Confirmed || !j.seen.Freshness.Stale {
		return
	}
	fix := "refresh and look at the screen again before acting"
	if j.seen.Freshness.Paused {
		fix = "resume auto-refresh and look at the screen again before acting"
	}
	reason := "the screen's data is stale"
	if r := j.seen.Freshness.Reason; r != "" {
		reason += ": " + r
	}
	j.refuse(RuleStale, reason, fix)
}

// checkProtectedClusters: clusters listed in the configuration are never
// changed: not stopped, not terminated, no EIP taken from or put on them.
func (j *judgement) checkProtectedClusters(names ...string) {
	var hit []string
	for _, n := range uniqueSorted(names) {
		if n != "" && slices.Contains(j.p.ProtectedClusters, n) {
			hit = append(hit, Display(n))
		}
	}
	if len(hit) > 0 {
		j.refuse(RuleProtectedCluster,
			fmt.Sprintf("cluster %s %s protected in the configuration", list(hit), plural(len(hit), "is", "are")),
			"airlock changes nothing in a protected cluster")
	}
}

// checkLookAlike: an action on a cluster is chosen, and confirmed, by the
// cluster's name. When another cluster on the screen (or in the fresh
// facts) looks the same once invisible characters are gone ("blue" and
// "blue\u200b"), the operator cannot be sure which one they picked or
// which one the phrase names, and whoever can tag an instance can make
// one on purpose. Both are refused until one is re-tagged; the
// instances stay reachable one at a time, by ID.
func (j *judgement) checkLookAlike(names ...string) {
	for _, n := range uniqueSorted(names) {
		if n == "" {
			continue
		}
		alike := append([]string{n}, j.seen.LookAlikes[n]...)
		if c, ok := j.now.Cluster(n); ok {
			alike = append(alike, c.LookAlikes...)
		}
		alike = uniqueSorted(alike)
		if len(alike) < 2 {
			continue
		}
		shown := make([]string, len(alike))
		for i, a := range alike {
			shown[i] = Display(a)
		}
		count, names := "two", shown[0]+" and "+shown[1]
		if len(alike) > 2 {
			count = fmt.Sprint(len(alike))
			names = list(shown[:len(shown)-1]) + " and " + shown[len(shown)-1]
		}
		j.refuse(RuleLookAlike,
			fmt.Sprintf("%s clusters look like %s: %s", count, Display(LookAlikeKey(n)), names),
			"re-tag one of them so the names differ visibly; airlock acts by name only on a cluster that cannot be mistaken for another")
	}
}

// checkConfirmed: the check right before execution. The operator typed
// the phrase against particular facts and a particular plan; if either
// differs now, nothing runs and the new facts are shown instead.
func (j *judgement) checkConfirmed() {
	if !j.seen.Confirmed {
		return
	}
	switch {
	case len(j.v.Changes) > 0:
		var cs []string
		for _, c := range j.v.Changes {
			cs = append(cs, c.String())
		}
		j.refuse(RuleChanged, "the facts changed since you confirmed: "+sentences(cs),
			"nothing was done; look at the new facts and confirm again")
	case !j.plan.Equal(j.seen.Plan):
		j.refuse(RuleChanged, "the calls airlock would make are no longer the ones you confirmed",
			"nothing was done; look at the new facts and confirm again")
	}
}

// judgeInstances applies the rules for terminate and stop.
func (j *judgement) judgeInstances() {
	in := j.in
	verb := string(in.Action)
	switch {
	case in.ClusterWide() && in.Cluster == UntaggedCluster:
		j.refuse(RuleIntent, "the untagged group is not a cluster", "act on its instances one at a time")
		return
	case in.ClusterWide():
		j.v.Target = Display(in.Cluster)
		j.checkLookAlike(in.Cluster)
	case len(in.InstanceIDs) == 1:
		j.v.Target = in.InstanceIDs[0]
	default:
		j.refuse(RuleIntent, fmt.Sprintf("%s needs one instance or a whole cluster", verb), "")
		return
	}

	// The instances the operator saw: those named, and for a cluster
	// every member the screen showed.
	shown := append([]string(nil), in.InstanceIDs...)
	if in.ClusterWide() {
		for id, c := range j.seen.Clusters {
			if c == in.Cluster {
				shown = append(shown, id)
			}
		}
	}
	shown = uniqueSorted(shown)

	touched := []string{in.Cluster}
	for _, id := range shown {
		touched = append(touched, j.seen.Clusters[id], j.now.clusterName(id))
	}
	j.checkProtectedClusters(touched...)

	var notShown, gone, moved, targets []string
	for _, id := range shown {
		was, wasShown := j.seen.States[id]
		if !wasShown {
			notShown = append(notShown, id)
			continue
		}
		fi, exists := j.now.Instance(id)
		if !exists {
			gone = append(gone, id)
			j.change(Subject{ChangeInstance, id}, "exists", string(was), "gone")
			continue
		}
		if was != fi.State {
			j.change(Subject{ChangeInstance, id}, "state", string(was), string(fi.State))
		}
		// An instance re-tagged into another cluster is no longer the one
		// the operator meant, exactly as an EIP that moved is not (S1).
		wasIn, nowIn := j.seen.Clusters[id], j.now.clusterName(id)
		if in.ClusterWide() {
			wasIn = in.Cluster
		}
		if wasIn != "" && wasIn != nowIn {
			j.change(Subject{ChangeInstance, id}, "cluster", Display(wasIn), Display(nowIn))
			moved = append(moved, fmt.Sprintf("instance %s was in %s %s, is now in %s", id, Display(wasIn), j.shownAt(), Display(nowIn)))
			continue
		}
		j.heldChange(id)
		targets = append(targets, id)
	}
	// Members that joined the cluster since the screen was drawn are part
	// of "the cluster" now; they are shown as changes, and the second
	// check refuses if any more join.
	if in.ClusterWide() {
		wasShown := set(shown)
		for _, m := range j.now.InstancesIn(in.Cluster) {
			if !wasShown[m.ID] {
				j.change(Subject{ChangeCluster, in.Cluster}, "members", "", "+"+m.ID+" ("+string(m.State)+")")
				targets = append(targets, m.ID)
			}
		}
		sort.Strings(targets)
	}

	if len(notShown) > 0 {
		j.refuse(RuleNotShown, fmt.Sprintf("%s %s not on the screen", instances(notShown), plural(len(notShown), "was", "were")),
			"airlock acts only on what was shown; refresh and choose again")
	}
	if len(gone) > 0 {
		j.refuse(RuleGone, fmt.Sprintf("%s no longer %s", instances(gone), plural(len(gone), "exists", "exist")),
			"refresh and choose again")
	}
	if len(moved) > 0 {
		j.refuse(RuleOwnerChanged, sentences(moved), "look at the refreshed screen and choose again")
	}

	// Instances already where the action would put them need nothing.
	var act, done []string
	for _, id := range targets {
		if now, _ := j.now.Instance(id); finished(in.Action, now.State) {
			done = append(done, id+" "+string(now.State))
		} else {
			act = append(act, id)
		}
	}
	if len(act) == 0 && len(done) > 0 {
		j.refuse(RuleNothingToDo, fmt.Sprintf("nothing to %s: %s", verb, list(done)), "")
	}
	if len(targets) == 0 && len(shown) == 0 {
		j.refuse(RuleGone, fmt.Sprintf("cluster %s has no instances", Display(in.Cluster)), "refresh and choose again")
	}

	j.checkHoldsEIP(act)
	j.checkAPIProtection(act)
	j.checkGroupMembers(act)
	j.warnLiveNeighbours(act)
	if in.Action == ActionTerminate {
		j.warnStorage(act) // storage.go
	}

	noun := "instance " + j.v.Target
	if in.ClusterWide() {
		n := len(act)
		if n == 0 {
			n = max(len(targets), len(shown)) // refused: say what was asked
		}
		noun = fmt.Sprintf("cluster %s (%d %s)", Display(in.Cluster), n, plural(n, "instance", "instances"))
	}
	j.v.Summary = verb + " " + noun
	if in.Action == ActionTerminate {
		j.plan.Terminate = act
	} else {
		j.plan.Stop = act
	}
}

// checkHoldsEIP (story S2): an instance that holds an Elastic IP is what
// the public address points at: its cluster is LIVE. Stopping or
// terminating it takes the site down, whatever the operator believed
// they selected. The EIPs have to go elsewhere first, deliberately, as
// their own action.
func (j *judgement) checkHoldsEIP(ids []string) {
	var holds []string
	clusters := map[string]bool{}
	for _, id := range ids {
		for _, a := range j.now.EIPsOf[id] {
			holds = append(holds, fmt.Sprintf("%s holds EIP %s", id, a.PublicIP))
			if c := j.now.clusterName(id); c != "" && c != UntaggedCluster {
				clusters[Display(c)] = true
			}
		}
	}
	if len(holds) == 0 {
		return
	}
	verb := "terminating"
	if j.in.Action == ActionStop {
		verb = "stopping"
	}
	reason := list(holds)
	if len(clusters) > 0 {
		reason = fmt.Sprintf("cluster %s %s LIVE: %s", list(keys(clusters)), plural(len(clusters), "is", "are"), reason)
	}
	reason += fmt.Sprintf("; %s would take %s off the site", verb, plural(len(holds), "that address", "those addresses"))
	j.refuse(RuleHoldsEIP, reason, "move the EIPs to another cluster or disassociate them first")
}

// checkAPIProtection: termination or stop protection is someone's
// deliberate "not this one". airlock honours it and never turns it off.
// An attribute that could not be read is not "off": the operator would
// be asked to confirm a plan whose one safety catch nobody looked at, so
// it refuses, saying why it could not be read.
func (j *judgement) checkAPIProtection(ids []string) {
	attr, what := "DisableApiTermination", "termination"
	if j.in.Action == ActionStop {
		attr, what = "DisableApiStop", "stop"
	}
	var on []string
	for _, id := range ids {
		pr := j.fresh.Protection[id]
		if j.in.Action == ActionTerminate && pr.Termination || j.in.Action == ActionStop && pr.Stop {
			on = append(on, id)
		}
	}
	unread := map[string][]string{} // why → instances
	for _, id := range ids {
		if why, ok := j.fresh.ProtectionUnread[id]; ok {
			unread[why] = append(unread[why], id)
		}
	}
	for _, why := range keys(unread) {
		j.refuse(RuleAPIProtection,
			fmt.Sprintf("could not read %s protection (%s) of %s: %s", what, attr, list(unread[why]), Display(why)),
			"grant ec2:DescribeInstanceAttribute, or act on fewer instances at a time")
	}
	if len(on) > 0 {
		j.refuse(RuleAPIProtection,
			fmt.Sprintf("%s protection (%s) is on for %s", what, attr, list(on)),
			fmt.Sprintf("airlock does not turn it off; if %s really must go, turn %s off in the console or CLI first",
				plural(len(on), "the instance", "they"), attr))
	}
}

// checkGroupMembers (S4): an instance in an Auto Scaling group is the
// group's to keep. Stopped behind its back, the group's health check
// finds it stopped and replaces it: the stop becomes a terminate plus a
// launch, which is not what the operator asked for (and, with a broken
// launch template, a launch that fails and leaves the group short). So
// stopping a member is refused unless the group will not act on it: the
// member is in Standby, or the group has suspended Launch, HealthCheck
// or ReplaceUnhealthy. Terminating a member is what a group handles, but
// the confirmation says a replacement will be launched (or will not be,
// and why). A member whose group could not be read is refused for stop
// and warned about for terminate: unknown is not "not replaced".
func (j *judgement) checkGroupMembers(ids []string) {
	byGroup := map[string][]string{}
	for _, id := range ids {
		in, _ := j.now.Instance(id)
		if g := groupOf(in); g != "" {
			byGroup[g] = append(byGroup[g], id)
		}
	}
	stop := j.in.Action == ActionStop
	for _, name := range keys(byGroup) {
		ids := byGroup[name]
		g, ok := j.fresh.Groups[name]
		if !ok {
			why := j.fresh.GroupsUnread[name]
			if why == "" {
				why = "not read"
			}
			what := fmt.Sprintf("%s %s in Auto Scaling group %s, which could not be read (%s)",
				instances(ids), plural(len(ids), "is", "are"), Display(name), Display(why))
			if stop {
				j.refuse(RuleGroupMember, what+": airlock cannot tell whether the group would replace "+plural(len(ids), "it", "them"),
					"grant autoscaling:DescribeAutoScalingGroups and try again")
			} else {
				j.warn("%s; the group may launch %s", what, plural(len(ids), "a replacement", "replacements"))
			}
			continue
		}
		var replaced, kept []string
		for _, id := range ids {
			m, member := g.Member(id)
			if !member {
				continue // detached: the tag stays, the group no longer counts it
			}
			if r, why := g.Replaces(m); r {
				replaced = append(replaced, id)
			} else {
				kept = append(kept, id+" ("+why+")")
			}
		}
		if len(replaced) > 0 && stop {
			j.refuse(RuleGroupMember,
				fmt.Sprintf("%s %s in Auto Scaling group %s (desired %d): AWS would find %s stopped and replace %s",
					instances(replaced), plural(len(replaced), "is", "are"), Display(name), g.Desired,
					plural(len(replaced), "it", "them"), plural(len(replaced), "it", "them")),
				"put the instances in Standby, or suspend the group's HealthCheck or Launch process, first; or terminate instead")
		}
		if len(replaced) > 0 && !stop {
			j.warn("%s %s in Auto Scaling group %s (desired %d): the group will launch %s",
				instances(replaced), plural(len(replaced), "is", "are"), Display(name), g.Desired,
				plural(len(replaced), "a replacement", "replacements"))
		}
		if len(kept) > 0 {
			j.warn("Auto Scaling group %s will not replace %s", Display(name), list(kept))
		}
	}
}

// warnLiveNeighbours: instances that hold no EIP may still belong to the
// live cluster (its other instances hold them); the confirmation says so.
// When any of them holds an EIP, checkHoldsEIP has refused already.
func (j *judgement) warnLiveNeighbours(ids []string) {
	clusters := map[string]bool{}
	for _, id := range ids {
		if len(j.now.EIPsOf[id]) > 0 {
			return
		}
		clusters[j.now.clusterName(id)] = true
	}
	for _, name := range keys(clusters) {
		if c, ok := j.now.Cluster(name); ok && c.Live && !c.Untagged {
			j.warn("cluster %s is LIVE (it holds %s); the instances chosen hold none of its EIPs", Display(name), list(c.EIPs))
		}
	}
}

// heldChange records a difference in the EIPs an instance holds.
func (j *judgement) heldChange(id string) {
	if j.seenHeld == nil {
		j.seenHeld = make(map[string][]string)
		for key, o := range j.seen.Owners {
			if o.InstanceID != "" {
				j.seenHeld[o.InstanceID] = append(j.seenHeld[o.InstanceID], j.ipOf(key))
			}
		}
	}
	was := j.seenHeld[id]
	var now []string
	for _, a := range j.now.EIPsOf[id] {
		now = append(now, a.PublicIP)
	}
	sort.Slice(was, func(a, b int) bool { return compareIP(was[a], was[b]) < 0 })
	if !slices.Equal(was, now) {
		j.change(Subject{ChangeInstance, id}, "EIPs", orNone(was), orNone(now))
	}
}

// judgeAddresses applies the rules for disassociate and release.
func (j *judgement) judgeAddresses() {
	in := j.in
	verb := string(in.Action)
	switch {
	case in.ClusterWide() && in.Cluster == UntaggedCluster:
		j.refuse(RuleIntent, "the untagged group is not a cluster", "act on its EIPs one at a time")
		return
	case in.ClusterWide():
		j.v.Target = Display(in.Cluster)
		j.checkLookAlike(in.Cluster)
	case len(in.AllocationIDs) == 1 && j.p.Redacted && !IsPublicIP(in.AllocationIDs[0]):
		// The address is masked on screen: a phrase the operator cannot
		// read there cannot be typed. Its allocation ID names it as
		// surely, and is what Execute acts on anyway.
		j.v.Target = in.AllocationIDs[0]
	case len(in.AllocationIDs) == 1:
		j.v.Target = j.ipOf(in.AllocationIDs[0])
	default:
		j.refuse(RuleIntent, fmt.Sprintf("%s needs one EIP or a cluster's EIPs", verb), "")
		return
	}

	shown := j.shownAddresses()
	touched := []string{in.Cluster}
	for _, key := range shown {
		touched = append(touched, j.seen.Owners[key].Cluster, j.now.Owners[key].Cluster)
	}
	j.checkProtectedClusters(touched...)

	targets := j.checkAddresses(shown)
	if in.ClusterWide() {
		targets = append(targets, j.joinedAddresses(shown)...)
		targets = j.sortedByIP(targets)
	}

	if len(targets) == 0 && len(j.v.Refusals) == 0 {
		j.refuse(RuleNothingToDo, fmt.Sprintf("cluster %s holds no EIPs", Display(in.Cluster)), "")
	}

	var idle, associated, ips []string
	liveHit := map[string][]string{}
	for _, key := range targets {
		a, ip, owner := j.addrs[key], j.ipOf(key), j.now.Owners[key]
		ips = append(ips, ip)
		switch in.Action {
		case ActionDisassociate:
			if !a.Associated() || a.AssociationID == "" {
				idle = append(idle, ip)
				continue
			}
			j.plan.Disassociate = append(j.plan.Disassociate, a.AssociationID)
			if c, ok := j.now.Cluster(owner.Cluster); ok && c.Live && !c.Untagged {
				liveHit[c.Name] = append(liveHit[c.Name], ip)
			}
		case ActionRelease:
			if a.Associated() {
				associated = append(associated, fmt.Sprintf("EIP %s is associated with %s now", ip, owner))
				continue
			}
			j.plan.Release = append(j.plan.Release, key)
		}
	}
	if len(idle) > 0 {
		if len(j.plan.Disassociate) == 0 {
			j.refuse(RuleNothingToDo, fmt.Sprintf("nothing to disassociate: %s %s not associated with anything",
				eips(idle), plural(len(idle), "is", "are")), "")
		} else {
			j.warn("%s %s not associated and left as %s", eips(idle), plural(len(idle), "is", "are"), plural(len(idle), "it is", "they are"))
		}
	}
	// Releasing: AWS's ReleaseAddress in a default VPC silently detaches an
	// associated address first, so this check is the only guard there.
	if len(associated) > 0 {
		n := len(associated)
		j.refuse(RuleAssociated,
			fmt.Sprintf("%s; releasing would detach %s and give %s away",
				sentences(associated), plural(n, "it", "them"), plural(n, "the address", "the addresses")),
			fmt.Sprintf("disassociate %s first, if %s no longer needed", plural(n, "it", "them"), plural(n, "it really is", "they really are")))
	}
	for _, name := range keys(liveHit) {
		c, _ := j.now.Cluster(name)
		j.warn("cluster %s is LIVE: traffic to %s stops", Display(name), list(liveHit[name]))
		if len(liveHit[name]) == len(c.EIPs) {
			j.warn("cluster %s will no longer be LIVE", Display(name))
		}
	}
	if in.Action == ActionRelease && len(j.plan.Release) > 0 {
		j.warn("a released address can be handed to another AWS customer; DNS records still pointing at it would reach them")
	}

	j.v.Summary = fmt.Sprintf("%s %s", verb, eips(ips))
	if in.ClusterWide() {
		n := len(ips)
		if n == 0 {
			n = len(shown) // refused: say what was asked
		}
		j.v.Summary = fmt.Sprintf("%s %d %s of cluster %s", verb, n, plural(n, "EIP", "EIPs"), Display(in.Cluster))
	} else if len(ips) == 0 {
		j.v.Summary = fmt.Sprintf("%s EIP %s", verb, j.ipOf(in.AllocationIDs[0]))
	}
}

// shownAddresses returns the address keys the operator acted on: those
// named, and for a cluster every EIP the screen showed on it.
func (j *judgement) shownAddresses() []string {
	shown := append([]string(nil), j.in.AllocationIDs...)
	if j.in.ClusterWide() {
		for key, o := range j.seen.Owners {
			if o.Cluster == j.in.Cluster {
				shown = append(shown, key)
			}
		}
	}
	return j.sortedByIP(uniqueSorted(shown))
}

// checkAddresses applies the rules every EIP target must pass (shown,
// still there, still where it was shown) and returns those that do.
func (j *judgement) checkAddresses(shown []string) []string {
	var notShown, gone, moved, ok []string
	for _, key := range shown {
		ip := j.ipOf(key)
		was, wasShown := j.seen.Owners[key]
		if !wasShown {
			notShown = append(notShown, ip)
			continue
		}
		if _, exists := j.addrs[key]; !exists {
			gone = append(gone, ip)
			j.change(Subject{ChangeEIP, ip}, "exists", was.String(), "gone")
			continue
		}
		// Story S1: the console believed the EIPs were still on the old
		// cluster. Ownership is compared with what the operator saw, not
		// just checked against a rule, so a go-live that happened while
		// they looked stops them.
		if now := j.now.Owners[key]; !sameHolder(was, now) {
			j.change(Subject{ChangeEIP, ip}, "owner", was.String(), now.String())
			moved = append(moved, fmt.Sprintf("EIP %s was %s %s, is now %s", ip, on(was), j.shownAt(), on(now)))
			continue
		}
		ok = append(ok, key)
	}
	if len(notShown) > 0 {
		j.refuse(RuleNotShown, fmt.Sprintf("%s %s not on the screen", eips(notShown), plural(len(notShown), "was", "were")),
			"airlock acts only on what was shown; refresh and choose again")
	}
	if len(gone) > 0 {
		j.refuse(RuleGone, fmt.Sprintf("%s no longer %s in this account", eips(gone), plural(len(gone), "exists", "exist")),
			"refresh; it may have been released")
	}
	if len(moved) > 0 {
		j.refuse(RuleOwnerChanged, sentences(moved),
			"look at the refreshed screen and choose again; airlock acts only on EIPs that are where you saw them")
	}
	return ok
}

// joinedAddresses returns EIPs that the cluster holds now but did not
// hold on screen; they are part of "the cluster's EIPs" and shown as
// changes.
func (j *judgement) joinedAddresses(shown []string) []string {
	var out []string
	wasShown := set(shown)
	for _, a := range j.now.AddressesOf(j.in.Cluster) {
		key := AddressKey(a)
		if !wasShown[key] {
			j.change(Subject{ChangeCluster, j.in.Cluster}, "EIPs", "", "+"+a.PublicIP)
			out = append(out, key)
		}
	}
	return out
}

// judgeMove applies the rules for moving EIPs from one cluster to another.
func (j *judgement) judgeMove() {
	src, dst := j.in.Cluster, j.in.DestCluster
	switch {
	case src == "" || dst == "":
		j.refuse(RuleIntent, "a move needs a source and a destination cluster", "")
		return
	case src == dst:
		j.refuse(RuleIntent, fmt.Sprintf("source and destination are both %s", Display(src)), "choose another destination")
		return
	case src == UntaggedCluster || dst == UntaggedCluster:
		j.refuse(RuleIntent, "the untagged group is not a cluster; EIPs move between clusters", "")
		return
	}
	j.v.Target = Display(src) + "->" + Display(dst)
	j.checkProtectedClusters(src, dst)
	j.checkLookAlike(src, dst)

	shown := j.shownAddresses()
	targets := j.checkAddresses(shown)
	targets = j.sortedByIP(append(targets, j.joinedAddresses(shown)...))

	var moving []Address
	for _, key := range targets {
		if a := j.addrs[key]; a.InstanceID != "" {
			moving = append(moving, a)
		}
	}
	n := len(moving)
	if n == 0 {
		n = len(shown) // refused: say what was asked
	}
	j.v.Summary = fmt.Sprintf("move %d %s from %s to %s", n, plural(n, "EIP", "EIPs"), Display(src), Display(dst))
	if len(moving) == 0 {
		if len(j.v.Refusals) == 0 {
			j.refuse(RuleNothingToDo, fmt.Sprintf("cluster %s holds no EIPs", Display(src)), "")
		}
		return
	}

	fit, unfit := j.destinations(dst)
	if len(fit) < len(moving) {
		reason := fmt.Sprintf("cluster %s can take %d of the %d EIPs", Display(dst), len(fit), len(moving))
		if len(fit) > 0 {
			reason += fmt.Sprintf(": %s %s running with passing status checks and no EIP", list(fit), plural(len(fit), "is", "are"))
		}
		if len(unfit) > 0 {
			reason += "; " + list(unfit)
		}
		j.refuse(RuleDestination, reason,
			fmt.Sprintf("start more instances in %s or wait for their status checks to pass; airlock moves every EIP or none", Display(dst)))
		return
	}
	// One EIP per instance: associating a second address with an
	// instance's primary IP would silently replace the first.
	for i, a := range moving {
		j.plan.Moves = append(j.plan.Moves, Move{
			AllocationID: AddressKey(a), PublicIP: a.PublicIP,
			FromInstance: a.InstanceID, ToInstance: fit[i], FromAssociation: a.AssociationID,
		})
	}
	var ips []string
	for _, a := range moving {
		ips = append(ips, a.PublicIP)
	}
	j.warn("LIVE moves from %s to %s: traffic to %s goes to %s's instances", Display(src), Display(dst), list(ips), Display(dst))
}

// destinations sorts the destination cluster's instances into those that
// can take an EIP (running, both status checks ok, holding no EIP yet),
// by ID, and the reasons the others cannot.
func (j *judgement) destinations(dst string) (fit, unfit []string) {
	members := j.now.InstancesIn(dst)
	if len(members) == 0 {
		return nil, []string{fmt.Sprintf("cluster %s has no instances", Display(dst))}
	}
	for _, in := range members {
		st, known := j.now.Snap.Statuses[in.ID]
		switch {
		case in.State != StateRunning:
			unfit = append(unfit, fmt.Sprintf("%s is %s", in.ID, in.State))
		case !known:
			unfit = append(unfit, in.ID+" status checks unknown")
		case !st.Passing():
			unfit = append(unfit, in.ID+" "+describeChecks(st, true))
		case len(j.now.EIPsOf[in.ID]) > 0:
			unfit = append(unfit, fmt.Sprintf("%s already holds EIP %s", in.ID, j.now.EIPsOf[in.ID][0].PublicIP))
		default:
			fit = append(fit, in.ID)
		}
	}
	return fit, unfit
}

// finished reports whether an instance in state s needs nothing from
// action a: it is already terminated (or going), or already stopped.
func finished(a ActionKind, s InstanceState) bool {
	switch s {
	case StateTerminated, StateShuttingDown:
		return true
	case StateStopped, StateStopping:
		return a == ActionStop
	}
	return false
}

// on says where an owner holds an address: "on blue/i-b3", "unassociated".
func on(o Owner) string {
	if !o.Associated() {
		return "unassociated"
	}
	return "on " + o.String()
}

// maxListed is how many items a reason names before "and N more": enough
// to recognise, short enough for one screen.
const maxListed = 6

// list joins items for a sentence, naming at most maxListed.
func list(items []string) string { return join(items, ", ") }

// sentences joins clauses that have commas of their own.
func sentences(items []string) string { return join(items, "; ") }

func join(items []string, sep string) string {
	if len(items) > maxListed {
		return strings.Join(items[:maxListed], sep) + fmt.Sprintf(" and %d more", len(items)-maxListed)
	}
	return strings.Join(items, sep)
}

func instances(ids []string) string { return plural(len(ids), "instance ", "instances ") + list(ids) }

func eips(ips []string) string { return plural(len(ips), "EIP ", "EIPs ") + list(ips) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func orNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}

func uniqueSorted(items []string) []string {
	out := append([]string(nil), items...)
	sort.Strings(out)
	return slices.Compact(out)
}

func set(items []string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// accountName names an account for a sentence: "acme-prod (111111111111)".
func accountName(name, id string) string {
	switch {
	case name != "" && id != "" && name != id:
		return name + " (" + id + ")"
	case id != "":
		return id
	case name != "":
		return name
	}
	return "(unconfirmed)"
}

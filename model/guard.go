package model

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Policy is what the configuration and the session say about acting in
// this account, independent of any one action.
type Policy struct {
	// BannerAccountID is the account the banner shows, confirmed by STS
	// when the screen was built. "" means the banner is unconfirmed, and
	// nothing may run.
	BannerAccountID string
	// AccountName is the account's alias or configured name; in a strict
	// environment it prefixes the confirmation phrase.
	AccountName string
	Env         Environment
	ReadOnly    bool // --read-only: every action is refused
	// AuditLog is why the audit log cannot be written now, or "" when
	// the session has checked that it can. An action that cannot be
	// recorded does not run (RuleAuditLog).
	AuditLog string
	// ProtectedAccounts lists account IDs or names in which airlock
	// changes nothing; ProtectedClusters, clusters it never changes.
	ProtectedAccounts []string
	ProtectedClusters []string
	// Redacted says the screen masks public IPs (--redact), so no phrase
	// may need one: an EIP's phrase names its allocation ID, which the
	// screen shows whole, instead of its address, which it does not.
	Redacted bool
}

// Seen is what the operator was looking at when they asked: the basis
// their decision was made on. Judge compares it with Facts and refuses
// where the world has moved underneath them.
//
// The tui builds it with SeenOf when the action is picked. For the check
// right before execution, Verdict.Seen turns the facts of the confirmed
// verdict into a Seen with Confirmed set.
type Seen struct {
	At        time.Time                // when the data shown was fetched
	AccountID string                   // the account the data came from
	Owners    map[string]Owner         // AddressKey → owner, as shown
	PublicIPs map[string]string        // AddressKey → public IP, as shown
	States    map[string]InstanceState // instance ID → state, as shown
	Clusters  map[string]string        // instance ID → cluster, as shown
	// LookAlikes is cluster → the other clusters on the screen that look
	// like it (Cluster.LookAlikes), for the clusters that have any.
	LookAlikes map[string][]string
	Freshness  Freshness // of the screen at the time
	// Services are the ECS services shown, by ServiceKey; ScaleGroups
	// the Auto Scaling groups shown, by name (from the snapshot's
	// groups; ScaleGroupsSeen for a screen that shows others).
	Services    map[string]Service
	ScaleGroups map[string]ScaleGroup

	// Confirmed marks the facts the operator typed the phrase against.
	// Then any difference at all refuses, and so does a plan that differs
	// from Plan: the operator agreed to that plan and no other.
	Confirmed bool
	Plan      Plan
}

// SeenOf records what the screen shows of world w, with its freshness.
func SeenOf(w World, f Freshness) Seen {
	states := make(map[string]InstanceState, w.NumInstances())
	// Seen keeps its own: the world works clusters out on demand (ClusterOf).
	clusters := make(map[string]string, w.NumInstances())
	for id, in := range w.Instances() {
		states[id] = in.State
		clusters[id] = ClusterName(in, w.TagKey) // what ClusterOf says: in is the entry it reads
	}
	ips := make(map[string]string, len(w.Snap.Addresses))
	for _, a := range w.Snap.Addresses {
		ips[AddressKey(a)] = a.PublicIP
	}
	var alike map[string][]string
	for _, c := range w.Clusters {
		if len(c.LookAlikes) > 0 {
			if alike == nil {
				alike = map[string][]string{}
			}
			alike[c.Name] = c.LookAlikes
		}
	}
	return Seen{
		At:         w.Snap.FetchedAt,
		AccountID:  w.Snap.Identity.AccountID,
		Owners:     w.Owners,
		PublicIPs:  ips,
		States:     states,
		Clusters:   clusters,
		LookAlikes: alike,
		Freshness:  f,
		Services:   servicesByKey(w.Snap.ECS.Services),
		// The groups the capacity page shows (capacity.go).
		ScaleGroups: scaleGroupsOf(w),
	}
}

// Protection is an instance's API protection attributes.
type Protection struct {
	Termination bool // DisableApiTermination
	Stop        bool // DisableApiStop
}

// Facts is the state of the targets fetched fresh, by ID, for one
// judgement (awsstate.Prepare fetches it, and again right before
// Execute). What Judge needs in it:
//
//   - Identity: the caller, from STS, now.
//   - Instances: every target instance by ID; for a cluster action also
//     the cluster's current members (by tag), so an instance that joined
//     since the screen was drawn is seen; for EIP actions the instances
//     the EIPs are on, so their clusters are known.
//   - Addresses: every address on those instances and every target
//     address. DescribeAddresses is not paginated; fetching all of them
//     in one call is simplest and also answers "does this instance hold
//     an EIP".
//   - Statuses: status checks of destination instances (moves).
//   - Protection: per target instance, as read from AWS. An instance in
//     neither map was not looked at (the action menu judges from the
//     screen, which has no attributes).
//   - ProtectionUnread: target instances whose protection attribute
//     could not be read, with why (AccessDenied, the per-check cap).
//     Unknown is not "off": Judge refuses them.
//   - DestInstances: for moves, the destination cluster's members by tag.
type Facts struct {
	Identity   Identity
	Region     string
	FetchedAt  time.Time
	ClusterTag string
	Instances  []Instance
	Addresses  []Address
	Statuses   map[string]InstanceStatus
	Protection map[string]Protection
	// ProtectionUnread: instance ID → why its protection was not read.
	ProtectionUnread map[string]string
	DestInstances    []Instance
	// Groups are the Auto Scaling groups of the target instances (by
	// their GroupTag), by raw name, read fresh; GroupsUnread, group name
	// → why it could not be read. A member of a group in neither is
	// treated as unreadable: unknown is not "not replaced".
	Groups       map[string]Group
	GroupsUnread map[string]string

	// Storage of the targets of a termination: their volumes and the
	// account's own snapshots of them; StorageUnread says why they could
	// not be read ("" when they were). Only warnings come of them.
	Volumes       []Volume
	Snapshots     []EBSSnapshot
	StorageUnread string
	// The target of a group or service action, read fresh by name:
	// ScaleGroups by group name, Services by ServiceKey. A target in
	// neither does not exist now.
	ScaleGroups map[string]ScaleGroup
	Services    map[string]Service
}

// FactsOf returns world w as if its data had just been fetched fresh. The
// action menu judges with it, so every refusal that can be seen from the
// screen is shown before anything is prepared.
func FactsOf(w World) Facts {
	f := Facts{
		Identity:   w.Snap.Identity,
		Region:     w.Snap.Region,
		FetchedAt:  w.Snap.FetchedAt,
		ClusterTag: w.TagKey,
		Instances:  w.Snap.Instances,
		Addresses:  w.Snap.Addresses,
		Statuses:   w.Snap.Statuses,
		// The groups and services as shown are the groups and services
		// "fetched": a menu item on one is judged as Prepare would.
		ScaleGroups: scaleGroupsOf(w),
		Services:    servicesByKey(w.Snap.ECS.Services),
	}
	if w.Snap.Known(SectionGroups) {
		f.Groups = make(map[string]Group, len(w.Snap.Groups))
		for _, g := range w.Snap.Groups {
			f.Groups[g.Name] = g
		}
	} else if _, fetched := w.Snap.Sections[SectionGroups]; fetched {
		f.GroupsUnread = map[string]string{}
		for _, c := range w.Clusters {
			for _, g := range c.Groups {
				f.GroupsUnread[g] = w.Snap.Unknown(SectionGroups)
			}
		}
	}
	return f
}

// world analyses the facts as Analyze does a snapshot, so that ownership
// and clusters mean the same thing on screen and in the guard.
func (f Facts) world() World {
	instances := f.Instances
	if len(f.DestInstances) > 0 {
		instances = append(append([]Instance(nil), f.Instances...), f.DestInstances...)
	}
	return Analyze(Snapshot{
		Region:    f.Region,
		FetchedAt: f.FetchedAt,
		Identity:  f.Identity,
		Instances: instances,
		Addresses: f.Addresses,
		Statuses:  f.Statuses,
	}, f.ClusterTag)
}

// Rule names a safety rule. Each refusal carries the rule it applies, so
// tests, the audit log and the screen can tell them apart.
type Rule string

// The rules. The package documentation explains each and the incident it
// comes from.
const (
	RuleReadOnly         Rule = "read-only"
	RuleAuditLog         Rule = "audit-log"
	RuleProtectedAccount Rule = "protected-account"
	RuleProtectedCluster Rule = "protected-cluster"
	RuleLookAlike        Rule = "look-alike"     // a cluster named like another
	RuleWrongAccount     Rule = "wrong-account"  // S3
	RuleStale            Rule = "stale-screen"   // S1
	RuleIntent           Rule = "unclear-target" // not an intent Judge accepts
	RuleNotShown         Rule = "not-shown"      // a target the screen did not show
	RuleGone             Rule = "target-gone"
	RuleOwnerChanged     Rule = "owner-changed" // S1
	RuleNothingToDo      Rule = "nothing-to-do"
	RuleHoldsEIP         Rule = "holds-eip" // S2
	RuleAssociated       Rule = "associated-now"
	RuleAPIProtection    Rule = "api-protection"
	RuleDestination      Rule = "destination-unfit"
	RuleChanged          Rule = "changed-since-confirmed"
	RuleCheckAged        Rule = "check-too-old" // the last look before a call, see CheckAge
	RuleGroupMember      Rule = "group-member"  // S4: an Auto Scaling group would replace it
)

// Refusal is one reason an action may not run.
type Refusal struct {
	Rule   Rule
	Reason string // what is wrong, naming the specifics
	Fix    string // what would have to happen first
}

// String is the reason and the fix in one line.
func (r Refusal) String() string {
	if r.Fix == "" {
		return r.Reason
	}
	return r.Reason + "; " + r.Fix
}

// ChangeKind is the kind of thing a Change is about.
type ChangeKind string

// The kinds of subject a Change can have.
const (
	ChangeAccount  ChangeKind = "account"  // the caller's account (ID: "")
	ChangeCluster  ChangeKind = "cluster"  // ID: the raw cluster name
	ChangeInstance ChangeKind = "instance" // ID: the instance ID
	ChangeEIP      ChangeKind = "EIP"      // ID: the public IP
)

// Subject is what a Change is about, typed, so a screen can find the row
// it concerns by kind and ID instead of parsing a description. ID is the
// raw identity: a cluster's tag value as AWS holds it, an instance ID, an
// EIP's public IP (which never changes for an allocation, and is what
// the operator reads on every screen).
type Subject struct {
	Kind ChangeKind
	ID   string
}

// String names the subject for a person: "EIP 3.3.3.3", "instance
// i-0abc", "cluster blue⟨U+200B⟩" (through Display), "account".
func (s Subject) String() string {
	switch {
	case s.ID == "":
		return string(s.Kind)
	case s.Kind == ChangeCluster, s.Kind == ChangeGroup, s.Kind == ChangeService:
		return string(s.Kind) + " " + Display(s.ID)
	}
	return string(s.Kind) + " " + s.ID
}

// Change is one way the fresh facts differ from what was seen, for the
// confirmation screen to highlight.
type Change struct {
	Subject Subject
	Field   string // "owner", "state", "cluster", "EIPs", "members", "exists", "ID"
	Seen    string // "" when the subject had nothing there (a member that joined)
	Now     string
}

// String describes the change: "EIP 3.3.3.3 owner: blue/i-b3 → green/i-g3",
// or, for something that was not there, "cluster green members: +i-g4
// (pending)".
func (c Change) String() string {
	if c.Seen == "" {
		return fmt.Sprintf("%s %s: %s", c.Subject, c.Field, c.Now)
	}
	return fmt.Sprintf("%s %s: %s → %s", c.Subject, c.Field, c.Seen, c.Now)
}

// Verdict is Judge's answer.
type Verdict struct {
	Allowed  bool
	Refusals []Refusal // why not; empty when allowed
	// Warnings are true and alarming but not refusals ("blue is LIVE:
	// traffic to 3.3.3.1 stops"); the confirmation shows them loudly.
	// Only an allowed verdict has them.
	Warnings []string
	Changes  []Change // every difference between Seen and Facts
	Summary  string   // the action in words: "terminate cluster green (3 instances)"
	Target   string   // what the phrase names: cluster, instance ID, public IP (allocation ID when Redacted), "src->dst"
	Phrase   string   // what the operator must type; "" unless allowed
	Plan     Plan     // what Execute may do; empty unless allowed
	Intent   Intent
	Facts    Facts // the fresh facts judged, for the confirmation screen and the audit log
}

// Seen returns the facts of v as the operator confirmed them, for the
// second Judge right before execution:
//
//	v := Judge(in, SeenOf(world, freshness), prepared, policy) // prepare
//	// ... the operator types v.Phrase ...
//	v2 := Judge(in, v.Seen(), fetchedAgain, policy)          // execute
//
// The second verdict refuses if anything differs from what the
// confirmation screen showed, or if its plan is not v.Plan.
func (v Verdict) Seen() Seen {
	s := SeenOf(v.Facts.world(), Freshness{})
	s.Services, s.ScaleGroups = v.Facts.Services, v.Facts.ScaleGroups
	s.Confirmed = true
	s.Plan = v.Plan
	return s
}

// Judge decides whether intent in may run, given what the operator saw,
// the facts fetched fresh for it, and the policy. It is pure: the same
// arguments give the same verdict, and it is safe to call as often as
// needed. Every rule is applied, so a refusal lists every reason at once.
func Judge(in Intent, seen Seen, fresh Facts, p Policy) Verdict {
	return judge(in, seen, fresh, p, fresh.world(), addressIndex(fresh.Addresses))
}

// judge is Judge with the fresh facts already analysed into now and
// their addresses indexed by AddressKey, so the menu can judge many
// intents (a move to each of a thousand clusters) against one World
// without analysing or indexing it again for each. addrs is only read.
func judge(in Intent, seen Seen, fresh Facts, p Policy, now World, addrs map[string]Address) Verdict {
	j := &judgement{in: in, seen: seen, fresh: fresh, p: p, now: now, addrs: addrs}
	j.v = Verdict{Intent: in, Facts: fresh, Summary: string(in.Action)}

	j.checkReadOnly()
	j.checkAuditLog()
	j.checkProtectedAccount()
	j.checkAccount()
	j.checkFreshness()
	switch in.Action {
	case ActionTerminate, ActionStop:
		j.judgeInstances()
	case ActionDisassociate, ActionRelease:
		j.judgeAddresses()
	case ActionMoveEIPs:
		j.judgeMove()
	case ActionSetDesired, ActionSuspend, ActionResume:
		j.judgeGroup()
	case ActionScaleService, ActionDeleteService, ActionRedeploy:
		j.judgeService()
	default:
		j.refuse(RuleIntent, fmt.Sprintf("airlock has no action %q", in.Action), "")
	}
	j.checkConfirmed()
	if len(j.v.Refusals) == 0 && j.plan.Empty() {
		// Every path above refuses when it plans nothing; this is the
		// backstop that keeps "allowed" from ever meaning "do nothing".
		j.refuse(RuleNothingToDo, "there is nothing to do", "")
	}

	v := j.v
	if len(v.Refusals) == 0 {
		v.Allowed = true
		v.Plan = j.plan
		v.Phrase = Phrase(v.Target, p)
	} else {
		v.Warnings = nil // about running it; the refusals say why it won't
	}
	return v
}

// addressIndex maps each address's AddressKey to it.
func addressIndex(as []Address) map[string]Address {
	m := make(map[string]Address, len(as))
	for _, a := range as {
		m[AddressKey(a)] = a
	}
	return m
}

// judgement is the state of one Judge call: the inputs, the fresh facts
// analysed, and the verdict and plan being built.
type judgement struct {
	in    Intent
	seen  Seen
	fresh Facts
	p     Policy
	now   World              // fresh facts, analysed
	addrs map[string]Address // fresh addresses by AddressKey
	// seenHeld is instance ID → public IPs it held on screen, built on
	// first use.
	seenHeld map[string][]string
	v        Verdict
	plan     Plan
}

func (j *judgement) refuse(rule Rule, reason, fix string) {
	r := Refusal{Rule: rule, Reason: reason, Fix: fix}
	// Two checks can reach the same verdict (both ends of a move look
	// like the same other cluster): saying it twice reads as two facts.
	if slices.Contains(j.v.Refusals, r) {
		return
	}
	j.v.Refusals = append(j.v.Refusals, r)
}

func (j *judgement) change(subject Subject, field, seen, now string) {
	j.v.Changes = append(j.v.Changes, Change{Subject: subject, Field: field, Seen: seen, Now: now})
}

func (j *judgement) warn(format string, args ...any) {
	j.v.Warnings = append(j.v.Warnings, fmt.Sprintf(format, args...))
}

// shownAt is how refusals refer to the moment the operator's picture was
// taken: "when shown at 12:03:41 UTC". UTC, as the audit log that
// records the refusal and `airlock status` write times, and with its
// zone, so a refusal pasted into a channel is not misread.
func (j *judgement) shownAt() string {
	if j.seen.At.IsZero() {
		return "when shown"
	}
	return "when shown at " + j.seen.At.UTC().Format("15:04:05") + " UTC"
}

// ipOf names an address by its public IP, which never changes for an
// allocation: from the fresh facts, else from the screen, else its key.
func (j *judgement) ipOf(key string) string {
	if a, ok := j.addrs[key]; ok && a.PublicIP != "" {
		return a.PublicIP
	}
	if ip := j.seen.PublicIPs[key]; ip != "" {
		return ip
	}
	return key
}

// sortedByIP returns address keys ordered by their public IPs.
func (j *judgement) sortedByIP(keys []string) []string {
	out := append([]string(nil), keys...)
	sort.SliceStable(out, func(a, b int) bool { return compareIP(j.ipOf(out[a]), j.ipOf(out[b])) < 0 })
	return out
}

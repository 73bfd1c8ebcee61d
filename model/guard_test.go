package model

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// prodPolicy is the policy of the demo's production account.
func prodPolicy() Policy {
	return Policy{BannerAccountID: "111111111111", AccountName: "acme-prod", Env: EnvProduction}
}

// factsOf returns s as facts fetched a minute after the screen's data.
func factsOf(s Snapshot) Facts {
	f := FactsOf(Analyze(s, ""))
	f.FetchedAt = t0.Add(time.Minute)
	return f
}

// fitGreen makes green's third instance pass its checks, so green can
// take blue's three EIPs.
func fitGreen(s *Snapshot) {
	s.Statuses["i-g3"] = InstanceStatus{InstanceID: "i-g3", System: CheckOK, Instance: CheckOK}
}

func addInstance(s *Snapshot, in Instance) {
	s.Instances = append(s.Instances, in)
	s.Statuses[in.ID] = InstanceStatus{InstanceID: in.ID, System: CheckOK, Instance: CheckOK}
}

func retag(s *Snapshot, id, cluster string) {
	for i := range s.Instances {
		if s.Instances[i].ID == id {
			s.Instances[i].Tags = TagsOf(map[string]string{DefaultClusterTag: cluster})
		}
	}
}

var fresh = Freshness{Age: 2 * time.Second}

const (
	fixLive       = "move the EIPs to another cluster or disassociate them first"
	fixRefresh    = "refresh and choose again"
	fixLookAgain  = "look at the refreshed screen and choose again"
	fixEIPsMoved  = "look at the refreshed screen and choose again; airlock acts only on EIPs that are where you saw them"
	fixShown      = "airlock acts only on what was shown; refresh and choose again"
	fixProtected  = "airlock changes nothing in a protected cluster"
	fixReleaseDNS = "a released address can be handed to another AWS customer; DNS records still pointing at it would reach them"
)

type guardCase struct {
	name   string
	in     Intent
	screen func(s *Snapshot) // the world as the screen showed it (demo world if nil)
	now    func(s *Snapshot) // the world now (the screen's, if nil)
	facts  func(f *Facts)    // facts only Prepare knows (protection, identity)
	policy func(p *Policy)
	fresh  *Freshness // the screen's freshness (fresh if nil)

	refusals []Refusal // exact; a zero Fix is not compared
	phrase   string
	plan     Plan
	changes  []Change
	warnings []string
	summary  string
}

var (
	green    = Intent{Action: ActionTerminate, Cluster: "green", InstanceIDs: []string{"i-g1", "i-g2", "i-g3"}}
	blue     = Intent{Action: ActionTerminate, Cluster: "blue", InstanceIDs: []string{"i-b1", "i-b2", "i-b3"}}
	blueEIPs = []string{"eipalloc-1", "eipalloc-2", "eipalloc-3"}
)

func with(in Intent, f func(*Intent)) Intent {
	in.InstanceIDs = append([]string(nil), in.InstanceIDs...)
	in.AllocationIDs = append([]string(nil), in.AllocationIDs...)
	f(&in)
	return in
}

const fixLookAlike = "re-tag one of them so the names differ visibly; airlock acts by name only on a cluster that cannot be mistaken for another"

var guardCases = []guardCase{
	// Instances: terminate and stop.
	{
		name:    "terminate the half-started cluster (S2): allowed, phrase with the account",
		in:      green,
		phrase:  "acme-prod/green",
		plan:    Plan{Terminate: []string{"i-g1", "i-g2", "i-g3"}},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name:    "terminate in staging: the phrase is the cluster alone (S3)",
		in:      green,
		policy:  func(p *Policy) { p.Env = EnvStaging },
		phrase:  "green",
		plan:    Plan{Terminate: []string{"i-g1", "i-g2", "i-g3"}},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name: "terminate the live cluster (S2): refused, naming the EIPs",
		in:   blue,
		refusals: []Refusal{{RuleHoldsEIP, "cluster blue is LIVE: i-b1 holds EIP 3.3.3.1, i-b2 holds EIP 3.3.3.2, " +
			"i-b3 holds EIP 3.3.3.3; terminating would take those addresses off the site", fixLive}},
		summary: "terminate cluster blue (3 instances)",
	},
	{
		name: "stop one instance of the live cluster",
		in:   Intent{Action: ActionStop, InstanceIDs: []string{"i-b2"}},
		refusals: []Refusal{{RuleHoldsEIP,
			"cluster blue is LIVE: i-b2 holds EIP 3.3.3.2; stopping would take that address off the site", fixLive}},
		summary: "stop instance i-b2",
	},
	{
		name:   "terminate an untagged instance that holds an EIP",
		in:     Intent{Action: ActionTerminate, InstanceIDs: []string{"i-u1"}},
		screen: func(s *Snapshot) { setEIP(s, "eipalloc-9", "i-u1") },
		refusals: []Refusal{{RuleHoldsEIP,
			"i-u1 holds EIP 3.3.3.9; terminating would take that address off the site", fixLive}},
		summary: "terminate instance i-u1",
	},
	{
		name:     "terminate an instance of the live cluster that holds no EIP: allowed, with a warning",
		in:       Intent{Action: ActionTerminate, InstanceIDs: []string{"i-b4"}},
		screen:   func(s *Snapshot) { addInstance(s, inst("i-b4", "blue", StateRunning)) },
		phrase:   "acme-prod/i-b4",
		plan:     Plan{Terminate: []string{"i-b4"}},
		warnings: []string{"cluster blue is LIVE (it holds 3.3.3.1, 3.3.3.2, 3.3.3.3); the instances chosen hold none of its EIPs"},
		summary:  "terminate instance i-b4",
	},
	{
		name: "the cluster went live since shown: its instances hold EIPs now",
		in:   green,
		now:  func(s *Snapshot) { *s = goLive(*s) },
		refusals: []Refusal{{RuleHoldsEIP, "cluster green is LIVE: i-g1 holds EIP 3.3.3.1, i-g2 holds EIP 3.3.3.2, " +
			"i-g3 holds EIP 3.3.3.3; terminating would take those addresses off the site", fixLive}},
		changes: []Change{
			{Subject{ChangeInstance, "i-g1"}, "EIPs", "none", "3.3.3.1"},
			{Subject{ChangeInstance, "i-g2"}, "EIPs", "none", "3.3.3.2"},
			{Subject{ChangeInstance, "i-g3"}, "EIPs", "none", "3.3.3.3"},
		},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name:    "a member joined the cluster since shown: it is part of the plan, and shown",
		in:      green,
		now:     func(s *Snapshot) { addInstance(s, inst("i-g4", "green", StatePending)) },
		phrase:  "acme-prod/green",
		plan:    Plan{Terminate: []string{"i-g1", "i-g2", "i-g3", "i-g4"}},
		changes: []Change{{Subject{ChangeCluster, "green"}, "members", "", "+i-g4 (pending)"}},
		summary: "terminate cluster green (4 instances)",
	},
	{
		name:    "a state changed since shown: shown, not refused",
		in:      green,
		now:     func(s *Snapshot) { setState(s, "i-g1", StateStopped) },
		phrase:  "acme-prod/green",
		plan:    Plan{Terminate: []string{"i-g1", "i-g2", "i-g3"}},
		changes: []Change{{Subject{ChangeInstance, "i-g1"}, "state", "running", "stopped"}},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name:    "stop a cluster: instances already stopped are left out",
		in:      with(green, func(in *Intent) { in.Action = ActionStop }),
		now:     func(s *Snapshot) { setState(s, "i-g1", StateStopped) },
		phrase:  "acme-prod/green",
		plan:    Plan{Stop: []string{"i-g2", "i-g3"}},
		changes: []Change{{Subject{ChangeInstance, "i-g1"}, "state", "running", "stopped"}},
		summary: "stop cluster green (2 instances)",
	},
	{
		name:     "nothing to stop",
		in:       Intent{Action: ActionStop, InstanceIDs: []string{"i-u2"}},
		refusals: []Refusal{{RuleNothingToDo, "nothing to stop: i-u2 stopped", ""}},
		summary:  "stop instance i-u2",
	},
	{
		name:     "nothing to terminate",
		in:       Intent{Action: ActionTerminate, InstanceIDs: []string{"i-g1"}},
		now:      func(s *Snapshot) { setState(s, "i-g1", StateShuttingDown) },
		refusals: []Refusal{{RuleNothingToDo, "nothing to terminate: i-g1 shutting-down", ""}},
		changes:  []Change{{Subject{ChangeInstance, "i-g1"}, "state", "running", "shutting-down"}},
		summary:  "terminate instance i-g1",
	},
	{
		name:     "a stopped instance may be terminated",
		in:       Intent{Action: ActionTerminate, InstanceIDs: []string{"i-u2"}},
		phrase:   "acme-prod/i-u2",
		plan:     Plan{Terminate: []string{"i-u2"}},
		summary:  "terminate instance i-u2",
		warnings: nil,
	},
	{
		name:     "the instance no longer exists",
		in:       Intent{Action: ActionTerminate, InstanceIDs: []string{"i-g2"}},
		now:      func(s *Snapshot) { dropInstance(s, "i-g2") },
		refusals: []Refusal{{RuleGone, "instance i-g2 no longer exists", fixRefresh}},
		changes:  []Change{{Subject{ChangeInstance, "i-g2"}, "exists", "running", "gone"}},
		summary:  "terminate instance i-g2",
	},
	{
		name:     "a member of the cluster no longer exists",
		in:       green,
		now:      func(s *Snapshot) { dropInstance(s, "i-g2") },
		refusals: []Refusal{{RuleGone, "instance i-g2 no longer exists", fixRefresh}},
		changes:  []Change{{Subject{ChangeInstance, "i-g2"}, "exists", "running", "gone"}},
		summary:  "terminate cluster green (2 instances)",
	},
	{
		name:     "a member was re-tagged into another cluster",
		in:       green,
		now:      func(s *Snapshot) { retag(s, "i-g1", "blue") },
		refusals: []Refusal{{RuleOwnerChanged, "instance i-g1 was in green when shown at 12:03:41 UTC, is now in blue", fixLookAgain}},
		changes:  []Change{{Subject{ChangeInstance, "i-g1"}, "cluster", "green", "blue"}},
		summary:  "terminate cluster green (2 instances)",
	},
	{
		name: "termination protection",
		in:   green,
		facts: func(f *Facts) {
			f.Protection = map[string]Protection{"i-g2": {Termination: true}, "i-g3": {Stop: true}}
		},
		refusals: []Refusal{{RuleAPIProtection, "termination protection (DisableApiTermination) is on for i-g2",
			"airlock does not turn it off; if the instance really must go, turn DisableApiTermination off in the console or CLI first"}},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name: "stop protection",
		in:   with(green, func(in *Intent) { in.Action = ActionStop }),
		facts: func(f *Facts) {
			f.Protection = map[string]Protection{"i-g1": {Stop: true}, "i-g2": {Termination: true}, "i-g3": {Stop: true}}
		},
		refusals: []Refusal{{RuleAPIProtection, "stop protection (DisableApiStop) is on for i-g1, i-g3",
			"airlock does not turn it off; if they really must go, turn DisableApiStop off in the console or CLI first"}},
		summary: "stop cluster green (3 instances)",
	},
	{
		name: "protection that could not be read is not off",
		in:   green,
		facts: func(f *Facts) {
			f.Protection = map[string]Protection{"i-g1": {}}
			f.ProtectionUnread = map[string]string{"i-g2": "AccessDenied", "i-g3": "AccessDenied"}
		},
		refusals: []Refusal{{RuleAPIProtection, "could not read termination protection (DisableApiTermination) of i-g2, i-g3: AccessDenied",
			"grant ec2:DescribeInstanceAttribute, or act on fewer instances at a time"}},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name:     "terminate the untagged group",
		in:       Intent{Action: ActionTerminate, Cluster: UntaggedCluster, InstanceIDs: []string{"i-u1", "i-u2"}},
		refusals: []Refusal{{RuleIntent, "the untagged group is not a cluster", "act on its instances one at a time"}},
		summary:  "terminate",
	},
	{
		name:     "two instances without a cluster",
		in:       Intent{Action: ActionTerminate, InstanceIDs: []string{"i-g1", "i-g2"}},
		refusals: []Refusal{{RuleIntent, "terminate needs one instance or a whole cluster", ""}},
		summary:  "terminate",
	},
	{
		name:     "an instance the screen did not show",
		in:       Intent{Action: ActionTerminate, InstanceIDs: []string{"i-zz"}},
		now:      func(s *Snapshot) { addInstance(s, inst("i-zz", "", StateRunning)) },
		refusals: []Refusal{{RuleNotShown, "instance i-zz was not on the screen", fixShown}},
		summary:  "terminate instance i-zz",
	},

	// Policy, identity, freshness.
	{
		name:     "read-only mode",
		in:       green,
		policy:   func(p *Policy) { p.ReadOnly = true },
		refusals: []Refusal{{RuleReadOnly, "airlock is in read-only mode", "restart it without --read-only to act"}},
		summary:  "terminate cluster green (3 instances)",
	},
	{
		name:   "an audit log that cannot be written",
		in:     green,
		policy: func(p *Policy) { p.AuditLog = "open /var/log/airlock/audit.log: permission denied" },
		refusals: []Refusal{{RuleAuditLog, "the audit log cannot be written: open /var/log/airlock/audit.log: permission denied",
			"fix the audit log, or start airlock with another --audit-log; nothing runs unrecorded"}},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name:   "protected account, by name in any case",
		in:     green,
		policy: func(p *Policy) { p.ProtectedAccounts = []string{"ACME-PROD"} },
		refusals: []Refusal{{RuleProtectedAccount, "account acme-prod (111111111111) is protected in the configuration",
			"airlock changes nothing in a protected account"}},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name:     "protected account, by ID",
		in:       green,
		policy:   func(p *Policy) { p.ProtectedAccounts = []string{"999999999999", "111111111111"} },
		refusals: []Refusal{{RuleProtectedAccount, "account acme-prod (111111111111) is protected in the configuration", ""}},
		summary:  "terminate cluster green (3 instances)",
	},
	{
		name:     "protected cluster",
		in:       green,
		policy:   func(p *Policy) { p.ProtectedClusters = []string{"green"} },
		refusals: []Refusal{{RuleProtectedCluster, "cluster green is protected in the configuration", fixProtected}},
		summary:  "terminate cluster green (3 instances)",
	},
	{
		name:  "the credentials act in another account now (S3)",
		in:    green,
		facts: func(f *Facts) { f.Identity = Identity{AccountID: "222222222222", Alias: "acme-staging"} },
		refusals: []Refusal{{RuleWrongAccount,
			"the credentials now act in account acme-staging (222222222222), but the banner shows acme-prod (111111111111)",
			"switch back to the credentials for acme-prod (111111111111), or restart airlock with the other account's so the banner shows it"}},
		changes: []Change{{Subject{Kind: ChangeAccount}, "ID", "111111111111", "222222222222"}},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name:     "the banner's account was never confirmed",
		in:       green,
		policy:   func(p *Policy) { p.BannerAccountID = "" },
		refusals: []Refusal{{RuleWrongAccount, "the banner's account has not been confirmed by STS", ""}},
		summary:  "terminate cluster green (3 instances)",
	},
	{
		name:     "STS did not answer now",
		in:       green,
		facts:    func(f *Facts) { f.Identity = Identity{} },
		refusals: []Refusal{{RuleWrongAccount, "STS did not confirm the caller's account just now", ""}},
		summary:  "terminate cluster green (3 instances)",
	},
	{
		name:     "the screen's data came from another account",
		in:       green,
		screen:   func(s *Snapshot) { s.Identity.AccountID = "222222222222" },
		now:      func(s *Snapshot) { s.Identity.AccountID = "111111111111" },
		refusals: []Refusal{{RuleWrongAccount, "the screen's data came from account 222222222222, not the banner's acme-prod (111111111111)", ""}},
		summary:  "terminate cluster green (3 instances)",
	},
	{
		name:  "stale screen",
		in:    green,
		fresh: &Freshness{Stale: true, Age: 11 * time.Second, Reason: "data is 11s old (refresh every 5s)"},
		refusals: []Refusal{{RuleStale, "the screen's data is stale: data is 11s old (refresh every 5s)",
			"refresh and look at the screen again before acting"}},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name:  "paused and old",
		in:    green,
		fresh: &Freshness{Stale: true, Paused: true, Age: 90 * time.Second, Reason: "paused; data is 1m30s old"},
		refusals: []Refusal{{RuleStale, "the screen's data is stale: paused; data is 1m30s old",
			"resume auto-refresh and look at the screen again before acting"}},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name:     "the last refresh failed",
		in:       green,
		fresh:    &Freshness{Stale: true, Age: time.Second, Reason: "last refresh failed: access denied"},
		refusals: []Refusal{{RuleStale, "the screen's data is stale: last refresh failed: access denied", ""}},
		summary:  "terminate cluster green (3 instances)",
	},
	{
		name:     "paused but recent is fine",
		in:       green,
		fresh:    &Freshness{Paused: true, Age: 3 * time.Second},
		phrase:   "acme-prod/green",
		plan:     Plan{Terminate: []string{"i-g1", "i-g2", "i-g3"}},
		summary:  "terminate cluster green (3 instances)",
		refusals: nil,
	},
	{
		name:     "no fresh facts",
		in:       green,
		facts:    func(f *Facts) { f.FetchedAt = time.Time{} },
		refusals: []Refusal{{RuleStale, "the targets were not fetched again before judging", ""}},
		summary:  "terminate cluster green (3 instances)",
	},
	{
		name:   "every reason at once",
		in:     blue,
		policy: func(p *Policy) { p.ReadOnly = true },
		fresh:  &Freshness{Stale: true, Reason: "no data fetched yet"},
		refusals: []Refusal{
			{RuleReadOnly, "airlock is in read-only mode", ""},
			{RuleStale, "the screen's data is stale: no data fetched yet", ""},
			{RuleHoldsEIP, "cluster blue is LIVE: i-b1 holds EIP 3.3.3.1, i-b2 holds EIP 3.3.3.2, " +
				"i-b3 holds EIP 3.3.3.3; terminating would take those addresses off the site", ""},
		},
		summary: "terminate cluster blue (3 instances)",
	},

	// EIPs: disassociate and release.
	{
		name:     "disassociate an EIP of the live cluster: allowed, with a warning",
		in:       Intent{Action: ActionDisassociate, AllocationIDs: []string{"eipalloc-1"}},
		phrase:   "acme-prod/3.3.3.1",
		plan:     Plan{Disassociate: []string{"eipassoc-1-i-b1"}},
		warnings: []string{"cluster blue is LIVE: traffic to 3.3.3.1 stops"},
		summary:  "disassociate EIP 3.3.3.1",
	},
	{
		name:   "disassociate every EIP of the live cluster",
		in:     Intent{Action: ActionDisassociate, Cluster: "blue", AllocationIDs: blueEIPs},
		phrase: "acme-prod/blue",
		plan:   Plan{Disassociate: []string{"eipassoc-1-i-b1", "eipassoc-2-i-b2", "eipassoc-3-i-b3"}},
		warnings: []string{
			"cluster blue is LIVE: traffic to 3.3.3.1, 3.3.3.2, 3.3.3.3 stops",
			"cluster blue will no longer be LIVE",
		},
		summary: "disassociate 3 EIPs of cluster blue",
	},
	{
		name:     "disassociate an EIP that is not associated",
		in:       Intent{Action: ActionDisassociate, AllocationIDs: []string{"eipalloc-9"}},
		refusals: []Refusal{{RuleNothingToDo, "nothing to disassociate: EIP 3.3.3.9 is not associated with anything", ""}},
		summary:  "disassociate EIP 3.3.3.9",
	},
	{
		name:     "release an unassociated EIP",
		in:       Intent{Action: ActionRelease, AllocationIDs: []string{"eipalloc-9"}},
		phrase:   "acme-prod/3.3.3.9",
		plan:     Plan{Release: []string{"eipalloc-9"}},
		warnings: []string{fixReleaseDNS},
		summary:  "release EIP 3.3.3.9",
	},
	{
		// The screen masks the address (--redact): the phrase must be
		// something the operator can read there.
		name:     "release an unassociated EIP on a redacted screen names its allocation ID",
		in:       Intent{Action: ActionRelease, AllocationIDs: []string{"eipalloc-9"}},
		policy:   func(p *Policy) { p.Redacted = true },
		phrase:   "acme-prod/eipalloc-9",
		plan:     Plan{Release: []string{"eipalloc-9"}},
		warnings: []string{fixReleaseDNS},
		summary:  "release EIP 3.3.3.9",
	},
	{
		name:     "a cluster's EIPs on a redacted screen are still named by the cluster",
		in:       Intent{Action: ActionDisassociate, Cluster: "blue", AllocationIDs: blueEIPs},
		policy:   func(p *Policy) { p.Redacted = true },
		phrase:   "acme-prod/blue",
		plan:     Plan{Disassociate: []string{"eipassoc-1-i-b1", "eipassoc-2-i-b2", "eipassoc-3-i-b3"}},
		warnings: []string{"cluster blue is LIVE: traffic to 3.3.3.1, 3.3.3.2, 3.3.3.3 stops", "cluster blue will no longer be LIVE"},
		summary:  "disassociate 3 EIPs of cluster blue",
	},
	{
		name: "release an EIP that is associated",
		in:   Intent{Action: ActionRelease, AllocationIDs: []string{"eipalloc-1"}},
		refusals: []Refusal{{RuleAssociated,
			"EIP 3.3.3.1 is associated with blue/i-b1 now; releasing would detach it and give the address away",
			"disassociate it first, if it really is no longer needed"}},
		summary: "release EIP 3.3.3.1",
	},
	{
		name: "release the EIPs of the live cluster",
		in:   Intent{Action: ActionRelease, Cluster: "blue", AllocationIDs: blueEIPs},
		refusals: []Refusal{{RuleAssociated,
			"EIP 3.3.3.1 is associated with blue/i-b1 now; EIP 3.3.3.2 is associated with blue/i-b2 now; " +
				"EIP 3.3.3.3 is associated with blue/i-b3 now; releasing would detach them and give the addresses away",
			"disassociate them first, if they really are no longer needed"}},
		summary: "release 3 EIPs of cluster blue",
	},
	{
		name: "S1: release blue's EIPs after the go-live moved them to green",
		in:   Intent{Action: ActionRelease, Cluster: "blue", AllocationIDs: blueEIPs},
		now:  func(s *Snapshot) { *s = goLive(*s) },
		refusals: []Refusal{{RuleOwnerChanged,
			"EIP 3.3.3.1 was on blue/i-b1 when shown at 12:03:41 UTC, is now on green/i-g1; " +
				"EIP 3.3.3.2 was on blue/i-b2 when shown at 12:03:41 UTC, is now on green/i-g2; " +
				"EIP 3.3.3.3 was on blue/i-b3 when shown at 12:03:41 UTC, is now on green/i-g3", fixEIPsMoved}},
		changes: []Change{
			{Subject{ChangeEIP, "3.3.3.1"}, "owner", "blue/i-b1", "green/i-g1"},
			{Subject{ChangeEIP, "3.3.3.2"}, "owner", "blue/i-b2", "green/i-g2"},
			{Subject{ChangeEIP, "3.3.3.3"}, "owner", "blue/i-b3", "green/i-g3"},
		},
		summary: "release 3 EIPs of cluster blue",
	},
	{
		name:  "S1 with refresh paused: stale and moved",
		in:    Intent{Action: ActionDisassociate, AllocationIDs: []string{"eipalloc-3"}},
		now:   func(s *Snapshot) { *s = goLive(*s) },
		fresh: &Freshness{Stale: true, Paused: true, Reason: "paused; data is 1m0s old"},
		refusals: []Refusal{
			{RuleStale, "the screen's data is stale: paused; data is 1m0s old", ""},
			{RuleOwnerChanged, "EIP 3.3.3.3 was on blue/i-b3 when shown at 12:03:41 UTC, is now on green/i-g3", ""},
		},
		changes: []Change{{Subject{ChangeEIP, "3.3.3.3"}, "owner", "blue/i-b3", "green/i-g3"}},
		summary: "disassociate EIP 3.3.3.3",
	},
	{
		name:     "release an EIP that was associated since shown",
		in:       Intent{Action: ActionRelease, AllocationIDs: []string{"eipalloc-9"}},
		now:      func(s *Snapshot) { setEIP(s, "eipalloc-9", "i-g1") },
		refusals: []Refusal{{RuleOwnerChanged, "EIP 3.3.3.9 was unassociated when shown at 12:03:41 UTC, is now on green/i-g1", fixEIPsMoved}},
		changes:  []Change{{Subject{ChangeEIP, "3.3.3.9"}, "owner", "unassociated", "green/i-g1"}},
		summary:  "release EIP 3.3.3.9",
	},
	{
		name: "the EIP's holder is known only by ID now: not a change",
		in:   Intent{Action: ActionDisassociate, AllocationIDs: []string{"eipalloc-1"}},
		now: func(s *Snapshot) {
			dropInstance(s, "i-b1") // Prepare did not fetch the holder
		},
		phrase:  "acme-prod/3.3.3.1",
		plan:    Plan{Disassociate: []string{"eipassoc-1-i-b1"}},
		summary: "disassociate EIP 3.3.3.1",
	},
	{
		name:     "the EIP no longer exists",
		in:       Intent{Action: ActionRelease, AllocationIDs: []string{"eipalloc-9"}},
		now:      func(s *Snapshot) { dropEIP(s, "eipalloc-9") },
		refusals: []Refusal{{RuleGone, "EIP 3.3.3.9 no longer exists in this account", "refresh; it may have been released"}},
		changes:  []Change{{Subject{ChangeEIP, "3.3.3.9"}, "exists", "unassociated", "gone"}},
		summary:  "release EIP 3.3.3.9",
	},
	{
		name:     "an EIP the screen did not show",
		in:       Intent{Action: ActionRelease, AllocationIDs: []string{"eipalloc-77"}},
		refusals: []Refusal{{RuleNotShown, "EIP eipalloc-77 was not on the screen", fixShown}},
		summary:  "release EIP eipalloc-77",
	},
	{
		name:     "an EIP on a protected cluster",
		in:       Intent{Action: ActionDisassociate, AllocationIDs: []string{"eipalloc-1"}},
		policy:   func(p *Policy) { p.ProtectedClusters = []string{"blue"} },
		refusals: []Refusal{{RuleProtectedCluster, "cluster blue is protected in the configuration", fixProtected}},
		summary:  "disassociate EIP 3.3.3.1",
	},
	{
		name:     "the EIPs of the untagged group",
		in:       Intent{Action: ActionRelease, Cluster: UntaggedCluster},
		refusals: []Refusal{{RuleIntent, "the untagged group is not a cluster", "act on its EIPs one at a time"}},
		summary:  "release",
	},
	{
		name:     "two EIPs without a cluster",
		in:       Intent{Action: ActionDisassociate, AllocationIDs: []string{"eipalloc-1", "eipalloc-2"}},
		refusals: []Refusal{{RuleIntent, "disassociate needs one EIP or a cluster's EIPs", ""}},
		summary:  "disassociate",
	},
	{
		name:     "the EIPs of a cluster that holds none",
		in:       Intent{Action: ActionRelease, Cluster: "green"},
		refusals: []Refusal{{RuleNothingToDo, "cluster green holds no EIPs", ""}},
		summary:  "release 0 EIPs of cluster green",
	},

	// Moves.
	{
		name:   "move blue's EIPs to green when green is fit",
		in:     Intent{Action: ActionMoveEIPs, Cluster: "blue", DestCluster: "green", AllocationIDs: blueEIPs},
		screen: fitGreen,
		phrase: "acme-prod/blue->green",
		plan: Plan{Moves: []Move{
			{"eipalloc-1", "3.3.3.1", "i-b1", "i-g1", "eipassoc-1-i-b1"},
			{"eipalloc-2", "3.3.3.2", "i-b2", "i-g2", "eipassoc-2-i-b2"},
			{"eipalloc-3", "3.3.3.3", "i-b3", "i-g3", "eipassoc-3-i-b3"},
		}},
		warnings: []string{"LIVE moves from blue to green: traffic to 3.3.3.1, 3.3.3.2, 3.3.3.3 goes to green's instances"},
		summary:  "move 3 EIPs from blue to green",
	},
	{
		name: "move onto a partly failed cluster (S2's green)",
		in:   Intent{Action: ActionMoveEIPs, Cluster: "blue", DestCluster: "green", AllocationIDs: blueEIPs},
		refusals: []Refusal{{RuleDestination,
			"cluster green can take 2 of the 3 EIPs: i-g1, i-g2 are running with passing status checks and no EIP; " +
				"i-g3 system ok, instance FAILED",
			"start more instances in green or wait for their status checks to pass; airlock moves every EIP or none"}},
		summary: "move 3 EIPs from blue to green",
	},
	{
		name: "move onto pending, unchecked and occupied instances",
		in:   Intent{Action: ActionMoveEIPs, Cluster: "blue", DestCluster: "green", AllocationIDs: blueEIPs},
		screen: func(s *Snapshot) {
			fitGreen(s)
			setState(s, "i-g1", StatePending)
			delete(s.Statuses, "i-g2")
			setEIP(s, "eipalloc-9", "i-g3")
		},
		refusals: []Refusal{{RuleDestination,
			"cluster green can take 0 of the 3 EIPs; i-g1 is pending, i-g2 status checks unknown, i-g3 already holds EIP 3.3.3.9", ""}},
		summary: "move 3 EIPs from blue to green",
	},
	{
		name:     "move to a cluster with no instances",
		in:       Intent{Action: ActionMoveEIPs, Cluster: "blue", DestCluster: "red", AllocationIDs: blueEIPs},
		refusals: []Refusal{{RuleDestination, "cluster red can take 0 of the 3 EIPs; cluster red has no instances", ""}},
		summary:  "move 3 EIPs from blue to red",
	},
	{
		name:     "move from a cluster that holds no EIPs",
		in:       Intent{Action: ActionMoveEIPs, Cluster: "green", DestCluster: "blue"},
		refusals: []Refusal{{RuleNothingToDo, "cluster green holds no EIPs", ""}},
		summary:  "move 0 EIPs from green to blue",
	},
	{
		name:   "move after the EIPs already moved",
		in:     Intent{Action: ActionMoveEIPs, Cluster: "blue", DestCluster: "green", AllocationIDs: blueEIPs},
		screen: fitGreen,
		now:    func(s *Snapshot) { *s = goLive(*s) },
		refusals: []Refusal{{RuleOwnerChanged,
			"EIP 3.3.3.1 was on blue/i-b1 when shown at 12:03:41 UTC, is now on green/i-g1; " +
				"EIP 3.3.3.2 was on blue/i-b2 when shown at 12:03:41 UTC, is now on green/i-g2; " +
				"EIP 3.3.3.3 was on blue/i-b3 when shown at 12:03:41 UTC, is now on green/i-g3", ""}},
		changes: []Change{
			{Subject{ChangeEIP, "3.3.3.1"}, "owner", "blue/i-b1", "green/i-g1"},
			{Subject{ChangeEIP, "3.3.3.2"}, "owner", "blue/i-b2", "green/i-g2"},
			{Subject{ChangeEIP, "3.3.3.3"}, "owner", "blue/i-b3", "green/i-g3"},
		},
		summary: "move 3 EIPs from blue to green",
	},
	{
		name:     "move to a protected cluster",
		in:       Intent{Action: ActionMoveEIPs, Cluster: "blue", DestCluster: "green", AllocationIDs: blueEIPs},
		screen:   fitGreen,
		policy:   func(p *Policy) { p.ProtectedClusters = []string{"green"} },
		refusals: []Refusal{{RuleProtectedCluster, "cluster green is protected in the configuration", fixProtected}},
		summary:  "move 3 EIPs from blue to green",
	},
	{
		name:     "move to itself",
		in:       Intent{Action: ActionMoveEIPs, Cluster: "blue", DestCluster: "blue"},
		refusals: []Refusal{{RuleIntent, "source and destination are both blue", "choose another destination"}},
		summary:  "move-eips",
	},
	{
		name:     "move without a destination",
		in:       Intent{Action: ActionMoveEIPs, Cluster: "blue"},
		refusals: []Refusal{{RuleIntent, "a move needs a source and a destination cluster", ""}},
		summary:  "move-eips",
	},
	{
		name:     "move from the untagged group",
		in:       Intent{Action: ActionMoveEIPs, Cluster: UntaggedCluster, DestCluster: "green"},
		refusals: []Refusal{{RuleIntent, "the untagged group is not a cluster; EIPs move between clusters", ""}},
		summary:  "move-eips",
	},
	{
		name:     "an action airlock does not have",
		in:       Intent{Action: "reboot", InstanceIDs: []string{"i-g1"}},
		refusals: []Refusal{{RuleIntent, `airlock has no action "reboot"`, ""}},
		summary:  "reboot",
	},
	// Look-alike names: raw identity, refused by name.
	{
		name:   "terminate a cluster with a zero-width look-alike on screen: refused",
		in:     green,
		screen: func(s *Snapshot) { addInstance(s, inst("i-z1", "green\u200b", StateRunning)) },
		refusals: []Refusal{{RuleLookAlike,
			"two clusters look like green: green and green⟨U+200B⟩", fixLookAlike}},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name:   "terminate the zero-width look-alike itself: refused by the same rule",
		in:     Intent{Action: ActionTerminate, Cluster: "green\u200b", InstanceIDs: []string{"i-z1"}},
		screen: func(s *Snapshot) { addInstance(s, inst("i-z1", "green\u200b", StateRunning)) },
		refusals: []Refusal{{RuleLookAlike,
			"two clusters look like green: green and green⟨U+200B⟩", fixLookAlike}},
		summary: "terminate cluster green⟨U+200B⟩ (1 instance)",
	},
	{
		name: "move blue's EIPs to green beside a bidi look-alike of green: refused",
		in:   Intent{Action: ActionMoveEIPs, Cluster: "blue", DestCluster: "green", AllocationIDs: blueEIPs},
		screen: func(s *Snapshot) {
			fitGreen(s)
			addInstance(s, inst("i-z1", "green\u202c", StateRunning))
		},
		refusals: []Refusal{{RuleLookAlike,
			"two clusters look like green: green and green⟨U+202C⟩", fixLookAlike}},
		summary: "move 3 EIPs from blue to green",
	},
	{
		name: "disassociate blue's EIPs beside two look-alikes: refused, naming all three",
		in:   Intent{Action: ActionDisassociate, Cluster: "blue", AllocationIDs: blueEIPs},
		screen: func(s *Snapshot) {
			addInstance(s, inst("i-z1", "blue\u200b", StateRunning))
			addInstance(s, inst("i-z2", "\u2066blue", StateRunning))
		},
		refusals: []Refusal{{RuleLookAlike,
			"3 clusters look like blue: blue, blue⟨U+200B⟩ and ⟨U+2066⟩blue", fixLookAlike}},
		summary: "disassociate 3 EIPs of cluster blue",
	},
	{
		name:    "a look-alike's instance alone, by ID: allowed (the ID is not a look-alike)",
		in:      Intent{Action: ActionTerminate, InstanceIDs: []string{"i-z1"}},
		screen:  func(s *Snapshot) { addInstance(s, inst("i-z1", "green\u200b", StateRunning)) },
		phrase:  "acme-prod/i-z1",
		plan:    Plan{Terminate: []string{"i-z1"}},
		summary: "terminate instance i-z1",
	},
	{
		name:    "ASCII case stays distinct: Green beside green is neither merged nor refused",
		in:      green,
		screen:  func(s *Snapshot) { addInstance(s, inst("i-G1", "Green", StateRunning)) },
		phrase:  "acme-prod/green",
		plan:    Plan{Terminate: []string{"i-g1", "i-g2", "i-g3"}},
		summary: "terminate cluster green (3 instances)",
	},
	{
		name: "a look-alike tagged since the screen was drawn is not a member, and is refused",
		in:   green,
		now:  func(s *Snapshot) { addInstance(s, inst("i-z1", "green\u200b", StateRunning)) },
		refusals: []Refusal{{RuleLookAlike,
			"two clusters look like green: green and green⟨U+200B⟩", fixLookAlike}},
		summary: "terminate cluster green (3 instances)",
	},
}

// judgeCase runs one case: the screen's world, the world now, Judge.
func judgeCase(tc guardCase) Verdict {
	shown := clone(demoSnap())
	if tc.screen != nil {
		tc.screen(&shown)
	}
	now := clone(shown)
	if tc.now != nil {
		tc.now(&now)
	}
	f := fresh
	if tc.fresh != nil {
		f = *tc.fresh
	}
	facts := factsOf(now)
	if tc.facts != nil {
		tc.facts(&facts)
	}
	p := prodPolicy()
	if tc.policy != nil {
		tc.policy(&p)
	}
	return Judge(tc.in, SeenOf(Analyze(shown, ""), f), facts, p)
}

func TestJudge(t *testing.T) {
	for _, tc := range guardCases {
		t.Run(tc.name, func(t *testing.T) {
			v := judgeCase(tc)
			checkVerdict(t, v, tc)
		})
	}
}

func checkVerdict(t *testing.T, v Verdict, tc guardCase) {
	t.Helper()
	if len(tc.refusals) == 0 {
		if !v.Allowed {
			t.Fatalf("refused, want allowed: %v", v.Refusals)
		}
		if v.Phrase != tc.phrase {
			t.Errorf("Phrase = %q, want %q", v.Phrase, tc.phrase)
		}
		if !v.Plan.Equal(tc.plan) {
			t.Errorf("Plan = %+v, want %+v", v.Plan, tc.plan)
		}
	} else {
		if v.Allowed {
			t.Fatalf("allowed, want refused by %v", tc.refusals)
		}
		if v.Phrase != "" || !v.Plan.Empty() {
			t.Errorf("refused verdict carries phrase %q and plan %+v", v.Phrase, v.Plan)
		}
		if len(v.Refusals) != len(tc.refusals) {
			t.Fatalf("refusals =\n%v\nwant\n%v", v.Refusals, tc.refusals)
		}
		for i, want := range tc.refusals {
			got := v.Refusals[i]
			if got.Rule != want.Rule || got.Reason != want.Reason || want.Fix != "" && got.Fix != want.Fix {
				t.Errorf("refusal %d =\n%#v\nwant\n%#v", i, got, want)
			}
			if got.Reason == "" {
				t.Errorf("refusal %d has no reason", i)
			}
		}
	}
	if len(v.Changes) != 0 || len(tc.changes) != 0 {
		if !reflect.DeepEqual(v.Changes, tc.changes) {
			t.Errorf("Changes =\n%v\nwant\n%v", v.Changes, tc.changes)
		}
	}
	if len(v.Warnings) != 0 || len(tc.warnings) != 0 {
		if !reflect.DeepEqual(v.Warnings, tc.warnings) {
			t.Errorf("Warnings =\n%q\nwant\n%q", v.Warnings, tc.warnings)
		}
	}
	if v.Summary != tc.summary {
		t.Errorf("Summary = %q, want %q", v.Summary, tc.summary)
	}
}

// Every rule has at least one case above that refuses by it.
func TestEveryRuleIsTested(t *testing.T) {
	tested := map[Rule]bool{}
	for _, tc := range guardCases {
		for _, r := range tc.refusals {
			tested[r.Rule] = true
		}
	}
	for _, tc := range recheckCases {
		for _, r := range tc.rules {
			tested[r] = true
		}
	}
	for _, tc := range lastLookCases {
		tested[tc.rule] = true
	}
	for _, r := range []Rule{RuleReadOnly, RuleAuditLog, RuleProtectedAccount, RuleWrongAccount, RuleStale, RuleIntent, RuleLookAlike,
		RuleNotShown, RuleProtectedCluster, RuleGone, RuleOwnerChanged, RuleNothingToDo, RuleHoldsEIP,
		RuleAssociated, RuleAPIProtection, RuleDestination, RuleChanged, RuleCheckAged, RuleGroupMember} {
		if !tested[r] {
			t.Errorf("no case refuses by %s", r)
		}
	}
}

// The second Judge, right before execution, compares the world with what
// the confirmation showed, and refuses on any difference.
var recheckCases = []struct {
	name   string
	in     Intent
	screen func(s *Snapshot)
	then   func(s *Snapshot) // between prepare and execute
	facts  func(f *Facts)
	rules  []Rule
	reason string // of the last refusal, when given
}{
	{
		name: "nothing changed",
		in:   green,
	},
	{
		name:   "an instance gained an EIP between prepare and execute",
		in:     green,
		then:   func(s *Snapshot) { setEIP(s, "eipalloc-9", "i-g2") },
		rules:  []Rule{RuleHoldsEIP, RuleChanged},
		reason: "the facts changed since you confirmed: instance i-g2 EIPs: none → 3.3.3.9",
	},
	{
		name:   "an EIP was associated between prepare and execute of its release",
		in:     Intent{Action: ActionRelease, AllocationIDs: []string{"eipalloc-9"}},
		then:   func(s *Snapshot) { setEIP(s, "eipalloc-9", "i-g1") },
		rules:  []Rule{RuleOwnerChanged, RuleChanged},
		reason: "the facts changed since you confirmed: EIP 3.3.3.9 owner: unassociated → green/i-g1",
	},
	{
		name:  "the credentials switched to another account",
		in:    green,
		facts: func(f *Facts) { f.Identity = Identity{AccountID: "222222222222", Alias: "acme-staging"} },
		rules: []Rule{RuleWrongAccount, RuleChanged},
	},
	{
		name:   "an instance changed state",
		in:     green,
		then:   func(s *Snapshot) { setState(s, "i-g1", StateStopping) },
		rules:  []Rule{RuleChanged},
		reason: "the facts changed since you confirmed: instance i-g1 state: running → stopping",
	},
	{
		name:   "a member joined the cluster",
		in:     green,
		then:   func(s *Snapshot) { addInstance(s, inst("i-g4", "green", StatePending)) },
		rules:  []Rule{RuleChanged},
		reason: "the facts changed since you confirmed: cluster green members: +i-g4 (pending)",
	},
	{
		name: "the EIP was re-associated to the same instance (new association ID)",
		in:   Intent{Action: ActionDisassociate, AllocationIDs: []string{"eipalloc-1"}},
		then: func(s *Snapshot) {
			for i := range s.Addresses {
				if s.Addresses[i].AllocationID == "eipalloc-1" {
					s.Addresses[i].AssociationID = "eipassoc-new"
				}
			}
		},
		rules:  []Rule{RuleChanged},
		reason: "the calls airlock would make are no longer the ones you confirmed",
	},
	{
		name: "a destination instance failed its checks during the move's confirmation",
		in:   Intent{Action: ActionMoveEIPs, Cluster: "blue", DestCluster: "green", AllocationIDs: blueEIPs},
		screen: func(s *Snapshot) {
			fitGreen(s)
			addInstance(s, inst("i-g4", "green", StateRunning))
		},
		then: func(s *Snapshot) {
			s.Statuses["i-g2"] = InstanceStatus{InstanceID: "i-g2", System: CheckImpaired, Instance: CheckOK}
		},
		rules:  []Rule{RuleChanged},
		reason: "the calls airlock would make are no longer the ones you confirmed",
	},
}

func TestJudgeTwice(t *testing.T) {
	for _, tc := range recheckCases {
		t.Run(tc.name, func(t *testing.T) {
			shown := clone(demoSnap())
			if tc.screen != nil {
				tc.screen(&shown)
			}
			p := prodPolicy()
			first := Judge(tc.in, SeenOf(Analyze(shown, ""), fresh), factsOf(shown), p)
			if !first.Allowed {
				t.Fatalf("prepare refused: %v", first.Refusals)
			}
			if !first.Accepts(first.Phrase) {
				t.Fatalf("the first verdict does not accept its own phrase %q", first.Phrase)
			}

			now := clone(shown)
			if tc.then != nil {
				tc.then(&now)
			}
			facts := factsOf(now)
			facts.FetchedAt = t0.Add(2 * time.Minute)
			if tc.facts != nil {
				tc.facts(&facts)
			}
			second := Judge(tc.in, first.Seen(), facts, p)

			if len(tc.rules) == 0 {
				if !second.Allowed {
					t.Fatalf("execute refused: %v", second.Refusals)
				}
				if !second.Plan.Equal(first.Plan) || second.Phrase != first.Phrase {
					t.Errorf("second verdict %q %+v differs from the first %q %+v",
						second.Phrase, second.Plan, first.Phrase, first.Plan)
				}
				return
			}
			if second.Allowed || !second.Plan.Empty() {
				t.Fatalf("execute allowed with plan %+v, want refused by %v", second.Plan, tc.rules)
			}
			var rules []Rule
			for _, r := range second.Refusals {
				rules = append(rules, r.Rule)
			}
			if !reflect.DeepEqual(rules, tc.rules) {
				t.Errorf("rules = %v, want %v (%v)", rules, tc.rules, second.Refusals)
			}
			if last := second.Refusals[len(second.Refusals)-1]; tc.reason != "" && last.Reason != tc.reason {
				t.Errorf("reason = %q, want %q", last.Reason, tc.reason)
			}
		})
	}
}

func TestRecheckIgnoresTheScreensStaleness(t *testing.T) {
	// The second Judge's Seen is the confirmation's fresh facts; a screen
	// that went stale while the operator typed does not matter then.
	shown := demoSnap()
	first := Judge(green, SeenOf(Analyze(shown, ""), fresh), factsOf(shown), prodPolicy())
	seen := first.Seen()
	if seen.Freshness.Stale || !seen.Confirmed || !seen.Plan.Equal(first.Plan) {
		t.Fatalf("Seen() = %+v", seen)
	}
	if !seen.At.Equal(first.Facts.FetchedAt) {
		t.Errorf("Seen().At = %v, want the facts' %v", seen.At, first.Facts.FetchedAt)
	}
}

func TestJudgeIsPure(t *testing.T) {
	for _, tc := range guardCases {
		a, b := judgeCase(tc), judgeCase(tc)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: two Judge calls on the same input differ", tc.name)
		}
	}
}

func TestPhrase(t *testing.T) {
	tests := []struct {
		target string
		p      Policy
		want   string
	}{
		{"green", Policy{AccountName: "acme-staging", Env: EnvStaging}, "green"},
		{"green", Policy{AccountName: "acme-dev", Env: EnvDevelopment}, "green"},
		{"green", Policy{AccountName: "acme-prod", Env: EnvProduction}, "acme-prod/green"},
		{"green", Policy{AccountName: "sandbox", Env: EnvUnknown}, "sandbox/green"},
		{"i-0abc", Policy{BannerAccountID: "333333333333", Env: EnvUnknown}, "333333333333/i-0abc"},
		{"3.3.3.3", Policy{AccountName: "acme-prod", BannerAccountID: "111111111111", Env: EnvProduction}, "acme-prod/3.3.3.3"},
		{"blue->green", Policy{Env: EnvStaging}, "blue->green"},
		{"green", Policy{}, "unconfirmed-account/green"},
	}
	for _, tc := range tests {
		if got := Phrase(tc.target, tc.p); got != tc.want {
			t.Errorf("Phrase(%q, %+v) = %q, want %q", tc.target, tc.p, got, tc.want)
		}
	}
}

func TestPlan(t *testing.T) {
	if !(Plan{}).Empty() {
		t.Error("zero Plan is not empty")
	}
	a := Plan{Moves: []Move{{AllocationID: "eipalloc-1", ToInstance: "i-g1"}}}
	b := Plan{Moves: []Move{{AllocationID: "eipalloc-1", ToInstance: "i-g2"}}}
	if a.Empty() || a.Equal(b) || !a.Equal(a) {
		t.Error("Plan.Equal/Empty wrong for moves")
	}
	if got := (Move{PublicIP: "3.3.3.1", FromInstance: "i-b1", ToInstance: "i-g1"}).String(); got != "3.3.3.1 i-b1 → i-g1" {
		t.Errorf("Move.String() = %q", got)
	}
}

func TestRefusalAndChangeString(t *testing.T) {
	r := Refusal{Rule: RuleReadOnly, Reason: "airlock is in read-only mode", Fix: "restart it without --read-only to act"}
	if got := r.String(); got != "airlock is in read-only mode; restart it without --read-only to act" {
		t.Errorf("Refusal.String() = %q", got)
	}
	for _, tc := range []struct {
		c    Change
		want string
	}{
		{Change{Subject{ChangeEIP, "3.3.3.3"}, "owner", "blue/i-b3", "green/i-g3"}, "EIP 3.3.3.3 owner: blue/i-b3 → green/i-g3"},
		{Change{Subject{ChangeInstance, "i-0abc"}, "state", "running", "stopped"}, "instance i-0abc state: running → stopped"},
		{Change{Subject{Kind: ChangeAccount}, "ID", "111111111111", "222222222222"}, "account ID: 111111111111 → 222222222222"},
		// Nothing was there: no arrow from an empty value.
		{Change{Subject{ChangeCluster, "green"}, "members", "", "+i-g4 (pending)"}, "cluster green members: +i-g4 (pending)"},
		// The subject's ID is raw; the description shows it visibly.
		{Change{Subject{ChangeCluster, "blue\u200b"}, "EIPs", "", "+3.3.3.4"}, "cluster blue⟨U+200B⟩ EIPs: +3.3.3.4"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("Change.String() = %q, want %q", got, tc.want)
		}
	}
}

func TestListCapsLongReasons(t *testing.T) {
	var ids []string
	for i := range 10 {
		ids = append(ids, "i-"+string(rune('a'+i)))
	}
	if got := list(ids); got != "i-a, i-b, i-c, i-d, i-e, i-f and 4 more" {
		t.Errorf("list = %q", got)
	}
	if got := sentences(ids[:2]); got != "i-a; i-b" {
		t.Errorf("sentences = %q", got)
	}
	if !strings.HasSuffix(sentences(ids), "; i-f and 4 more") {
		t.Errorf("sentences = %q", sentences(ids))
	}
}

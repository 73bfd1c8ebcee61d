package awsstate

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// S2: the live cluster holds the EIPs; terminating it is refused before
// any phrase is asked for, with the EIPs named.
func TestPrepareRefusesTerminatingTheLiveCluster(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()

	v := r.prepare(clusterIntent(w, model.ActionTerminate, "blue")).Verdict

	if v.Allowed || !slices.Contains(rules(v), model.RuleHoldsEIP) {
		t.Fatalf("verdict = %+v, want refused: holds EIP", v)
	}
	if v.Phrase != "" || !v.Plan.Empty() {
		t.Errorf("a refused verdict carries phrase %q and plan %+v", v.Phrase, v.Plan)
	}
	if n := r.calls("ec2:TerminateInstances"); n != 0 {
		t.Errorf("TerminateInstances called %d times", n)
	}
}

// Termination protection is read fresh from the instance and honoured.
func TestPrepareRefusesProtectedInstance(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	var bastion string
	for id, in := range w.Instances() {
		if in.Name == "bastion" {
			bastion = id
		}
	}

	v := r.prepare(model.Intent{Action: model.ActionTerminate, InstanceIDs: []string{bastion}}).Verdict

	if v.Allowed || !slices.Contains(rules(v), model.RuleAPIProtection) {
		t.Fatalf("verdict = %+v, want refused: API protection", v)
	}
	if n := r.calls("ec2:DescribeInstanceAttribute"); n != 1 {
		t.Errorf("DescribeInstanceAttribute called %d times, want 1", n)
	}
}

// S2, the other half: the new cluster may go, after the exact phrase, and
// exactly its instances go.
func TestExecuteTerminatesOnlyAfterTheExactPhrase(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "green"))
	v := prep.Verdict
	if !v.Allowed || v.Phrase != "acme-prod/green" {
		t.Fatalf("verdict = %+v, want allowed with phrase acme-prod/green", v)
	}

	for _, typed := range []string{"", "green", "acme-prod/Green", "acme-prod/green\u200b", "acme-prod/ green", "y"} {
		_, err := r.c.Execute(context.Background(), prep, typed)
		if !errors.Is(err, ErrPhraseMismatch) || KindOf(err) != KindRefused {
			t.Errorf("Execute(%q) = %v, want a phrase mismatch", typed, err)
		}
	}
	if n := r.calls("ec2:TerminateInstances"); n != 0 {
		t.Fatalf("TerminateInstances called %d times after wrong phrases", n)
	}

	out, err := r.c.Execute(context.Background(), prep, "acme-prod/green")
	if err != nil || !out.Done {
		t.Fatalf("Execute = %+v, %v; want done", out, err)
	}
	green, _ := w.Cluster("green")
	if len(out.Calls) != 1 || out.Calls[0].Action != "ec2:TerminateInstances" ||
		!slices.Equal(out.Calls[0].Targets, green.InstanceIDs) || out.Calls[0].RequestID == "" {
		t.Errorf("calls = %+v, want one TerminateInstances of %v with a request ID", out.Calls, green.InstanceIDs)
	}
	r.update(func(reg *sim.Region) {
		for _, in := range reg.Instances {
			gone := in.State == sim.StateShuttingDown || in.State == sim.StateTerminated
			if gone != (in.Tags["Cluster"] == "green") {
				t.Errorf("instance %s (%s) is %s", in.ID, in.Tags["Cluster"], in.State)
			}
		}
	})

	recs := r.records()
	if len(recs) != 2 || recs[0].Event != auditIntent || recs[1].Event != auditOutcome || recs[0].ID != recs[1].ID {
		t.Fatalf("audit records = %+v, want intent then outcome with one ID", recs)
	}
	if got := recs[1]; got.Result != resultDone || len(got.Calls) != 1 || got.Calls[0].RequestID != out.Calls[0].RequestID {
		t.Errorf("outcome record = %+v", got)
	}
}

// S2 as a race: an instance of the cluster gains an EIP after the
// confirmation screen was built. The check right before the call sees it.
func TestExecuteDoesNotTerminateAnInstanceThatGainedAnEIP(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "green"))
	if !prep.Verdict.Allowed {
		t.Fatalf("prepare: %+v", prep.Verdict.Refusals)
	}
	spare := spareEIP(t, w)
	green, _ := w.Cluster("green")
	r.update(func(reg *sim.Region) {
		if _, err := reg.Associate(spare.AllocationID, green.InstanceIDs[0]); err != nil {
			t.Fatal(err)
		}
	})

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if !errors.Is(err, ErrRefused) || out.Done || len(out.Calls) != 0 {
		t.Fatalf("Execute = %+v, %v; want refused with no calls", out, err)
	}
	if got := rules(out.Verdict); !slices.Contains(got, model.RuleHoldsEIP) || !slices.Contains(got, model.RuleChanged) {
		t.Errorf("refusals = %v, want holds-eip and changed-since-confirmed", got)
	}
	if !strings.Contains(err.Error(), spare.PublicIP) {
		t.Errorf("error %q does not name the EIP", err)
	}
	if n := r.calls("ec2:TerminateInstances"); n != 0 {
		t.Errorf("TerminateInstances called %d times", n)
	}
	if recs := r.records(); len(recs) != 2 || recs[0].Event != auditIntent || recs[1].Event != auditOutcome ||
		recs[1].ID != recs[0].ID || recs[1].Result != resultRefused || len(recs[1].Refusals) == 0 {
		t.Errorf("audit records = %+v, want the intent and a refused outcome", recs)
	}
}

// S1 as a race: an unassociated EIP, confirmed for release, is put to use
// before the call. It must not be released.
func TestExecuteDoesNotReleaseAnEIPReassociatedAfterPrepare(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	spare := spareEIP(t, w)
	prep := r.prepare(model.Intent{Action: model.ActionRelease, AllocationIDs: []string{spare.AllocationID}})
	if !prep.Verdict.Allowed || prep.Verdict.Phrase != "acme-prod/"+spare.PublicIP {
		t.Fatalf("prepare: %+v", prep.Verdict)
	}
	green, _ := w.Cluster("green")
	r.update(func(reg *sim.Region) { reg.Associate(spare.AllocationID, green.InstanceIDs[0]) })

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if !errors.Is(err, ErrRefused) || len(out.Calls) != 0 {
		t.Fatalf("Execute = %+v, %v; want refused", out, err)
	}
	if n := r.calls("ec2:ReleaseAddress"); n != 0 {
		t.Errorf("ReleaseAddress called %d times", n)
	}
	var changes []string
	for _, c := range out.Verdict.Changes {
		changes = append(changes, c.String())
	}
	if !slices.ContainsFunc(changes, func(s string) bool { return strings.Contains(s, "green/"+green.InstanceIDs[0]) }) {
		t.Errorf("changes = %v, want the EIP's new owner", changes)
	}
}

// The same race, one step later: the address is put to use after the
// re-check, just before the release. The last look catches it.
func TestExecuteLooksAtTheAddressRightBeforeReleasing(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	spare := spareEIP(t, w)
	prep := r.prepare(model.Intent{Action: model.ActionRelease, AllocationIDs: []string{spare.AllocationID}})
	green, _ := w.Cluster("green")
	// Execute's re-check reads every address once; the second read is the
	// look right before ReleaseAddress. Associate just before it is served.
	var n atomic.Int32
	defer r.sim.OnCall("ec2:DescribeAddresses", func() {
		if n.Add(1) == 2 {
			r.update(func(reg *sim.Region) { reg.Associate(spare.AllocationID, green.InstanceIDs[0]) })
		}
	})()

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if !errors.Is(err, ErrRefused) || out.Done || len(out.Calls) != 0 {
		t.Fatalf("Execute = %+v, %v; want stopped before the call", out, err)
	}
	if n := r.calls("ec2:ReleaseAddress"); n != 0 {
		t.Errorf("ReleaseAddress called %d times", n)
	}
	if recs := r.records(); len(recs) != 2 || recs[1].Result != resultFailed || !strings.Contains(recs[1].Error, "not released") ||
		len(recs[1].Refusals) != 1 || !strings.HasPrefix(recs[1].Refusals[0], string(model.RuleAssociated)+": ") {
		t.Errorf("audit records = %+v, want intent and a failed outcome", recs)
	}
}

// And in the instant between the last look and the call, AWS's own
// condition holds in a non-default VPC: an address in use is not released.
func TestExecuteReleaseOfAnAddressInUseFailsInANonDefaultVPC(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	spare := spareEIP(t, w)
	prep := r.prepare(model.Intent{Action: model.ActionRelease, AllocationIDs: []string{spare.AllocationID}})
	green, _ := w.Cluster("green")
	defer r.sim.OnCall("ec2:ReleaseAddress", func() {
		r.update(func(reg *sim.Region) { reg.Associate(spare.AllocationID, green.InstanceIDs[0]) })
	})()

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if err == nil || out.Done || len(out.Calls) != 1 || out.Calls[0].Err == "" || out.Calls[0].RequestID == "" {
		t.Fatalf("Execute = %+v, %v; want the call to fail with a request ID", out, err)
	}
	r.update(func(reg *sim.Region) {
		if a := reg.Addresses[spare.AllocationID]; a == nil || a.InstanceID != green.InstanceIDs[0] {
			t.Errorf("address = %+v, want still allocated, on %s", a, green.InstanceIDs[0])
		}
	})
}

// Disassociation names the association, so an EIP moved after the check
// fails with NotFound instead of being detached from its new owner.
func TestExecuteDisassociatesByAssociationID(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	eip := w.AddressesOf("blue")[0]
	prep := r.prepare(model.Intent{Action: model.ActionDisassociate, AllocationIDs: []string{eip.AllocationID}})
	if !prep.Verdict.Allowed || !slices.Equal(prep.Verdict.Plan.Disassociate, []string{eip.AssociationID}) {
		t.Fatalf("prepare: %+v", prep.Verdict)
	}
	green, _ := w.Cluster("green")
	defer r.sim.OnCall("ec2:DisassociateAddress", func() {
		r.update(func(reg *sim.Region) { reg.Associate(eip.AllocationID, green.InstanceIDs[0]) })
	})()

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if KindOf(err) != KindNotFound || out.Done || len(out.Calls) != 1 {
		t.Fatalf("Execute = %+v, %v; want InvalidAssociationID.NotFound", out, err)
	}
	if !strings.Contains(out.Calls[0].Err, "InvalidAssociationID.NotFound") {
		t.Errorf("call error = %q", out.Calls[0].Err)
	}
	r.update(func(reg *sim.Region) {
		if a := reg.Addresses[eip.AllocationID]; a.InstanceID != green.InstanceIDs[0] {
			t.Errorf("EIP is on %q, want left on its new owner %s", a.InstanceID, green.InstanceIDs[0])
		}
	})
}

// S1, the story: the screen shows blue holding the EIPs; go-live moves
// them to green; the operator, looking at the old screen, asks to release
// (or disassociate) blue's EIPs. Refused, saying what moved where.
func TestPrepareRefusesBlueEIPsAfterGoLive(t *testing.T) {
	r := newRig(t)
	w, seen, p := r.screen()
	if err := r.sim.GoLive(sim.ProdAccountID); err != nil {
		t.Fatal(err)
	}

	for _, action := range []model.ActionKind{model.ActionRelease, model.ActionDisassociate} {
		v := r.prepareSeen(clusterIntent(w, action, "blue"), seen, p).Verdict
		if v.Allowed || !slices.Contains(rules(v), model.RuleOwnerChanged) {
			t.Errorf("%s: verdict = %+v, want refused: owner changed", action, v)
			continue
		}
		var reasons []string
		for _, ref := range v.Refusals {
			reasons = append(reasons, ref.Reason)
		}
		if text := strings.Join(reasons, " "); !strings.Contains(text, "blue/") || !strings.Contains(text, "green/") {
			t.Errorf("%s: reasons %q do not say from where to where", action, text)
		}
	}
	if n := r.calls("ec2:ReleaseAddress") + r.calls("ec2:DisassociateAddress"); n != 0 {
		t.Errorf("mutating calls = %d", n)
	}
}

// S3: the credentials change account between the confirmation and the
// call (same names in both accounts). Nothing runs in either account.
func TestExecuteRefusesWhenTheCredentialsSwitchAccount(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "green"))
	if !prep.Verdict.Allowed {
		t.Fatalf("prepare: %+v", prep.Verdict.Refusals)
	}
	r.key.Store(sim.StagingAccessKey)

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if !errors.Is(err, ErrRefused) || !slices.Contains(rules(out.Verdict), model.RuleWrongAccount) {
		t.Fatalf("Execute = %v (refusals %v), want refused: wrong account", err, rules(out.Verdict))
	}
	if got := out.Verdict.Facts.Identity.AccountID; got != sim.StagingAccountID {
		t.Errorf("fresh identity = %s, want the staging account it switched to", got)
	}
	for _, acct := range []string{sim.ProdAccountID, sim.StagingAccountID} {
		if n := r.sim.AccountStats(acct)["ec2:TerminateInstances"]; n != 0 {
			t.Errorf("TerminateInstances in %s: %d calls", acct, n)
		}
	}
}

// healGreen clears green's failed status check, so green can take EIPs.
func healGreen(r *rig) {
	r.update(func(reg *sim.Region) {
		for _, in := range reg.Tagged("Cluster", "green") {
			delete(reg.Statuses, in.ID)
		}
	})
}

// The cut-over: every EIP moves from blue to green, one to one.
func TestExecuteMovesEIPs(t *testing.T) {
	r := newRig(t)
	healGreen(r)
	w, _, _ := r.screen()
	in := clusterIntent(w, model.ActionMoveEIPs, "blue")
	in.DestCluster = "green"
	prep := r.prepare(in)
	if !prep.Verdict.Allowed || prep.Verdict.Phrase != "acme-prod/blue->green" || len(prep.Verdict.Plan.Moves) != 3 {
		t.Fatalf("prepare: %+v", prep.Verdict)
	}

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if err != nil || !out.Done || len(out.Calls) != 3 {
		t.Fatalf("Execute = %+v, %v", out, err)
	}
	w2, _, _ := r.screen()
	if blue, _ := w2.Cluster("blue"); blue.Live {
		t.Errorf("blue still holds %v", blue.EIPs)
	}
	if green, _ := w2.Cluster("green"); len(green.EIPs) != 3 {
		t.Errorf("green holds %v, want 3 EIPs", green.EIPs)
	}
}

// A move stops at the first EIP that is no longer where the plan found
// it: someone else moved it while the first one was being moved.
func TestExecuteMoveStopsAtAnEIPThatMovedMidway(t *testing.T) {
	r := newRig(t)
	healGreen(r)
	w, _, _ := r.screen()
	in := clusterIntent(w, model.ActionMoveEIPs, "blue")
	in.DestCluster = "green"
	prep := r.prepare(in)
	if !prep.Verdict.Allowed {
		t.Fatalf("prepare: %+v", prep.Verdict.Refusals)
	}
	second := prep.Verdict.Plan.Moves[1]
	var stopped string
	for id, inst := range w.Instances() {
		if inst.State == model.StateStopped {
			stopped = id
		}
	}
	var once atomic.Bool
	defer r.sim.OnCall("ec2:AssociateAddress", func() {
		if once.CompareAndSwap(false, true) {
			r.update(func(reg *sim.Region) {
				reg.Instances[stopped].State = sim.StateRunning
				reg.Associate(second.AllocationID, stopped)
			})
		}
	})()

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if !errors.Is(err, ErrRefused) || out.Done || len(out.Calls) != 1 || out.Calls[0].Err != "" {
		t.Fatalf("Execute = %+v, %v; want one move made, then a stop", out, err)
	}
	r.update(func(reg *sim.Region) {
		if a := reg.Addresses[second.AllocationID]; a.InstanceID != stopped {
			t.Errorf("EIP %s is on %s, want left where the other writer put it (%s)", second.PublicIP, a.InstanceID, stopped)
		}
	})
	if recs := r.records(); len(recs) != 2 || recs[1].Result != resultPartial {
		t.Errorf("audit records = %+v, want a partial outcome", recs)
	}
}

// A verdict that refused cannot be executed, whatever is typed.
func TestExecuteRefusesARefusedVerdict(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "blue"))

	_, err := r.c.Execute(context.Background(), prep, "acme-prod/blue")

	if !errors.Is(err, ErrRefused) {
		t.Errorf("Execute = %v, want refused", err)
	}
	if n := r.calls("ec2:TerminateInstances"); n != 0 {
		t.Errorf("TerminateInstances called %d times", n)
	}
}

// S3: the same action in staging asks for the bare name; in production
// (above) the account's name comes first.
func TestPreparePhraseInStaging(t *testing.T) {
	r := newRig(t)
	r.key.Store(sim.StagingAccessKey)
	w, _, _ := r.screen()

	v := r.prepare(clusterIntent(w, model.ActionTerminate, "green")).Verdict

	if !v.Allowed || v.Phrase != "green" {
		t.Errorf("verdict = %+v, want allowed with phrase green", v)
	}
}

func TestExecuteStopsOneInstance(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	green, _ := w.Cluster("green")
	id := green.InstanceIDs[0]
	// green is an Auto Scaling group: in Standby, its member may be
	// stopped without the group replacing it (model.RuleGroupMember).
	r.update(func(reg *sim.Region) { reg.Groups["green"].Standby = map[string]bool{id: true} })
	prep := r.prepare(model.Intent{Action: model.ActionStop, InstanceIDs: []string{id}})
	if !prep.Verdict.Allowed || prep.Verdict.Phrase != "acme-prod/"+id {
		t.Fatalf("prepare: %+v", prep.Verdict)
	}

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if err != nil || !out.Done || len(out.Calls) != 1 || out.Calls[0].Action != "ec2:StopInstances" {
		t.Fatalf("Execute = %+v, %v", out, err)
	}
	if n := r.calls("ec2:DescribeInstanceAttribute"); n != 2 {
		t.Errorf("DescribeInstanceAttribute calls = %d, want 2 (prepare and the re-check)", n)
	}
	r.update(func(reg *sim.Region) {
		if s := reg.Instances[id].State; s != sim.StateStopping && s != sim.StateStopped {
			t.Errorf("%s is %s, want stopping", id, s)
		}
	})
}

// Prepare looks at the targets, not the fleet: in a region of 2,500
// instances, judging one cluster costs a handful of calls.
func TestPrepareFetchesTargetsNotTheFleet(t *testing.T) {
	s, url := startSim(t, sim.Options{Instances: 2500, Seed: 1})
	r := &rig{t: t, sim: s, url: url, log: filepath.Join(t.TempDir(), "audit.log")}
	r.c = clientFor(t, url, sim.ProdAccessKey, Options{AuditLog: r.log})
	r.c.ecsPace = nil // the fleet's 500 services would take 100 s at the real pace
	w, seen, p := r.screen()
	var target model.Cluster
	for _, c := range w.Clusters {
		if !c.Live && !c.Untagged && len(c.InstanceIDs) > 0 {
			target = c
			break
		}
	}
	if target.Name == "" {
		t.Fatal("no cluster without EIPs in the generated world")
	}
	s.ResetStats()

	prep := r.prepareSeen(clusterIntent(w, model.ActionTerminate, target.Name), seen, p)

	stats := s.Stats()
	if n := stats["ec2:DescribeInstances"]; n > 4 {
		t.Errorf("DescribeInstances calls = %d, want a few (by ID, by tag, the EIPs' holders)", n)
	}
	// One status call for the targets' checks (shown on the confirmation),
	// never the fleet's; no subnets at all.
	if n := stats["ec2:DescribeInstanceStatus"]; n != 1 {
		t.Errorf("DescribeInstanceStatus calls = %d, want 1 (the targets, by ID)", n)
	}
	if n := stats["ec2:DescribeSubnets"]; n != 0 {
		t.Errorf("DescribeSubnets calls = %d, want none", n)
	}
	if got, most := len(prep.Verdict.Facts.Instances), len(target.InstanceIDs)+len(w.Snap.Addresses); got > most {
		t.Errorf("fetched %d instances for a cluster of %d", got, len(target.InstanceIDs))
	}
	if !prep.Verdict.Allowed {
		t.Errorf("terminate %s refused: %v", target.Name, prep.Verdict.Refusals)
	}
}

// A termination-protection lookup that is denied refuses the action: a
// safety catch nobody could read is not "off".
func TestPrepareRefusesWhenProtectionCannotBeRead(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	defer r.sim.Inject(sim.Fault{Action: "ec2:DescribeInstanceAttribute", Kind: sim.FaultAccessDenied})()

	v := r.prepare(clusterIntent(w, model.ActionTerminate, "green")).Verdict

	if v.Allowed || !slices.Contains(rules(v), model.RuleAPIProtection) {
		t.Fatalf("verdict = %+v, want refused: protection unread", v)
	}
	var reasons []string
	for _, ref := range v.Refusals {
		reasons = append(reasons, ref.Reason)
	}
	if text := strings.Join(reasons, " "); !strings.Contains(text, "could not read termination protection") || !strings.Contains(text, "AccessDenied") {
		t.Errorf("refusals %q do not say the protection could not be read", text)
	}
}

package model

import (
	"strings"
	"testing"
	"time"
)

var (
	eipFree  = Address{AllocationID: "eipalloc-1", PublicIP: "3.3.3.1"}
	eipOnB1  = Address{AllocationID: "eipalloc-1", PublicIP: "3.3.3.1", AssociationID: "eipassoc-b1", InstanceID: "i-b1"}
	eipOnX   = Address{AllocationID: "eipalloc-1", PublicIP: "3.3.3.1", AssociationID: "eipassoc-x", InstanceID: "i-x"}
	eipOnENI = Address{AllocationID: "eipalloc-1", PublicIP: "3.3.3.1", AssociationID: "eipassoc-n", NetworkInterfaceID: "eni-1"}
	move1    = Move{AllocationID: "eipalloc-1", PublicIP: "3.3.3.1", FromInstance: "i-b1", FromAssociation: "eipassoc-b1", ToInstance: "i-g1"}
)

// lastLookCases are the checks right before a call, as awsstate makes
// them; TestEveryRuleIsTested counts them.
var lastLookCases = []struct {
	name   string
	check  func() *Refusal
	rule   Rule // "" when the call may go
	reason string
}{
	{"fresh check", func() *Refusal { return CheckAge(time.Second, 2*time.Second, "ec2:TerminateInstances i-1") }, "", ""},
	{"check at the bound", func() *Refusal { return CheckAge(2*time.Second, 2*time.Second, "x") }, "", ""},
	{"check too old", func() *Refusal { return CheckAge(2300*time.Millisecond, 2*time.Second, "ec2:TerminateInstances i-1") },
		RuleCheckAged, "the last check is 2.3s old, more than 2s; ec2:TerminateInstances i-1 was not called"},
	{"release: unassociated", func() *Refusal { return CheckRelease("eipalloc-1", []Address{eipFree}) }, "", ""},
	{"release: gone", func() *Refusal { return CheckRelease("eipalloc-1", nil) }, RuleGone, "EIP eipalloc-1 is gone; not released"},
	{"release: associated now", func() *Refusal { return CheckRelease("eipalloc-1", []Address{eipOnB1}) },
		RuleAssociated, "EIP 3.3.3.1 is associated with i-b1 now; not released"},
	{"release: on a network interface", func() *Refusal { return CheckRelease("eipalloc-1", []Address{eipOnENI}) },
		RuleAssociated, "EIP 3.3.3.1 is associated with eni-1 now; not released"},
	{"move: as planned", func() *Refusal { return CheckMove(move1, []Address{eipOnB1}, nil) }, "", ""},
	{"move: moved elsewhere", func() *Refusal { return CheckMove(move1, []Address{eipOnX}, nil) },
		RuleOwnerChanged, "EIP 3.3.3.1 is no longer on i-b1 (now i-x); not moved"},
	{"move: released", func() *Refusal { return CheckMove(move1, nil, nil) },
		RuleOwnerChanged, "EIP 3.3.3.1 is no longer on i-b1 (now gone); not moved"},
	{"move: reassociated to the same instance", func() *Refusal {
		a := eipOnB1
		a.AssociationID = "eipassoc-new"
		return CheckMove(move1, []Address{a}, nil)
	}, RuleOwnerChanged, "EIP 3.3.3.1 is no longer on i-b1 (now i-b1); not moved"},
	{"move: destination took an address", func() *Refusal {
		return CheckMove(move1, []Address{eipOnB1}, []Address{{PublicIP: "3.3.3.9", InstanceID: "i-g1"}})
	}, RuleDestination, "i-g1 holds EIP 3.3.3.9 now; 3.3.3.1 not moved onto it"},
}

func TestLastLook(t *testing.T) {
	for _, tc := range lastLookCases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.check()
			switch {
			case tc.rule == "" && r != nil:
				t.Fatalf("refused: %v; want the call to go", r)
			case tc.rule == "":
				return
			case r == nil:
				t.Fatalf("allowed; want refused by %s", tc.rule)
			}
			if r.Rule != tc.rule || r.Reason != tc.reason {
				t.Errorf("refusal = %s: %q, want %s: %q", r.Rule, r.Reason, tc.rule, tc.reason)
			}
		})
	}
}

// Steps is the one reading of a plan that the confirmation, the audit log
// and Execute share: in order, batched, each with its last look.
func TestPlanSteps(t *testing.T) {
	p := Plan{
		Terminate:    []string{"i-1", "i-2", "i-3"},
		Disassociate: []string{"eipassoc-1"},
		Release:      []string{"eipalloc-9"},
		Moves:        []Move{move1},
	}
	var got []string
	for _, s := range p.Steps(2) {
		got = append(got, s.API+" "+strings.Join(s.Targets, ",")+" "+s.LastLook)
	}
	want := []string{
		"ec2:TerminateInstances i-1,i-2 ",
		"ec2:TerminateInstances i-3 ",
		"ec2:DisassociateAddress eipassoc-1 ",
		"ec2:ReleaseAddress eipalloc-9 CheckRelease",
		"ec2:AssociateAddress eipalloc-1,i-g1 CheckMove",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Steps(2) =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := p.Steps(0); len(s) != 4 || len(s[0].Targets) != 3 {
		t.Errorf("Steps(0) does not keep the instances in one call: %+v", s)
	}
	if s := p.Steps(2)[4]; s.Move == nil || *s.Move != move1 {
		t.Errorf("the move step does not carry its move: %+v", s)
	}
	if len((Plan{}).Steps(0)) != 0 {
		t.Error("an empty plan has steps")
	}
}

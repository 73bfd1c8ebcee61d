package model

import (
	"fmt"
	"time"
)

// The last look: checks made one round trip before a mutating call,
// after Judge has allowed the plan (awsstate's Execute makes them). They
// exist because some calls carry no condition of their own: ReleaseAddress
// in a default VPC detaches an associated address silently, and
// AssociateAddress with reassociation takes an address from whatever holds
// it. Each returns nil when the call may go, or the refusal the audit log
// records and the operator reads.

// DefaultCheckBound is the longest a check may stand before a mutating
// call relies on it.
const DefaultCheckBound = 2 * time.Second

// CheckAge refuses a call whose last check is older than bound: the
// judgement is about a world that may have moved (an audit write that
// stalled, a slow AWS). Which call, and whether any already ran, is for
// the caller to say in call ("ec2:TerminateInstances i-1 i-2").
func CheckAge(age, bound time.Duration, call string) *Refusal {
	if age <= bound {
		return nil
	}
	return &Refusal{Rule: RuleCheckAged,
		Reason: fmt.Sprintf("the last check is %s old, more than %s; %s was not called", age.Round(time.Millisecond), bound, call),
		Fix:    "look at the refreshed screen and confirm again"}
}

// CheckRelease judges an address looked up immediately before its
// release: found is what DescribeAddresses returns for key now.
func CheckRelease(key string, found []Address) *Refusal {
	switch {
	case len(found) != 1:
		return &Refusal{Rule: RuleGone, Reason: fmt.Sprintf("EIP %s is gone; not released", Display(key))}
	case found[0].Associated():
		return &Refusal{Rule: RuleAssociated,
			Reason: fmt.Sprintf("EIP %s is associated with %s now; not released", found[0].PublicIP, holderOf(found[0])),
			Fix:    "look at where it points now before releasing it"}
	}
	return nil
}

// CheckMove judges a move immediately before its call: found is what
// DescribeAddresses returns for the address now, onDest the addresses on
// the destination instance now. The address must still be held through
// exactly the association the plan moves, and the destination must hold
// none (a second address on an instance's primary IP would silently
// replace the first).
func CheckMove(m Move, found, onDest []Address) *Refusal {
	if len(found) != 1 || found[0].AssociationID != m.FromAssociation || found[0].InstanceID != m.FromInstance {
		now := "gone"
		if len(found) == 1 {
			now = holderOf(found[0])
		}
		return &Refusal{Rule: RuleOwnerChanged,
			Reason: fmt.Sprintf("EIP %s is no longer on %s (now %s); not moved", m.PublicIP, m.FromInstance, now),
			Fix:    "someone else is moving addresses; look at the refreshed screen"}
	}
	if len(onDest) > 0 {
		return &Refusal{Rule: RuleDestination,
			Reason: fmt.Sprintf("%s holds EIP %s now; %s not moved onto it", m.ToInstance, onDest[0].PublicIP, m.PublicIP),
			Fix:    "look at the refreshed screen"}
	}
	return nil
}

// holderOf names what an address is attached to.
func holderOf(a Address) string {
	switch {
	case a.InstanceID != "":
		return a.InstanceID
	case a.NetworkInterfaceID != "":
		return a.NetworkInterfaceID
	case a.AssociationID != "":
		return a.AssociationID
	}
	return "nothing"
}

package model

import (
	"fmt"
	"slices"
)

// ActionKind is a destructive action airlock can take.
type ActionKind string

// The actions. Each changes where traffic goes or whether machines exist,
// so each goes through Judge.
const (
	ActionTerminate    ActionKind = "terminate"    // terminate one instance or a cluster
	ActionStop         ActionKind = "stop"         // stop one instance or a cluster
	ActionDisassociate ActionKind = "disassociate" // detach EIPs from what they are on
	ActionRelease      ActionKind = "release"      // give unassociated EIPs back to AWS
	ActionMoveEIPs     ActionKind = "move-eips"    // the blue/green cut-over

	// Auto Scaling groups and ECS services (rules_scaling.go).
	ActionSetDesired    ActionKind = "set-desired"       // set a group's desired capacity, to zero included
	ActionSuspend       ActionKind = "suspend-processes" // suspend a group's Launch and/or Terminate
	ActionResume        ActionKind = "resume-processes"  // resume them
	ActionScaleService  ActionKind = "scale-service"     // set a service's desired count, to zero included
	ActionDeleteService ActionKind = "delete-service"    // delete a service scaled to zero; never forced
	ActionRedeploy      ActionKind = "force-deployment"  // force a new deployment of a service
)

// Intent is what the operator asked for, in the terms of the screen they
// asked it on. It names targets by ID; what those targets are now is for
// Judge to find out from fresh facts.
//
// The shapes Judge accepts:
//
//	terminate, stop:       Cluster and the cluster's InstanceIDs as shown,
//	                       or one InstanceID and no Cluster
//	disassociate, release: one AllocationID, or Cluster and the
//	                       AllocationIDs it held as shown
//	move-eips:             Cluster (the source), DestCluster, and the
//	                       AllocationIDs the source held as shown
//	set-desired:           Group and Desired
//	suspend-processes,
//	resume-processes:      Group and Processes (Launch, Terminate)
//	scale-service:         ECSCluster, Service and Desired
//	delete-service,
//	force-deployment:      ECSCluster and Service
//
// AllocationIDs are AddressKeys (the public IP for an address without an
// allocation ID).
type Intent struct {
	Action        ActionKind
	Cluster       string
	InstanceIDs   []string
	AllocationIDs []string
	DestCluster   string

	// Group is an Auto Scaling group's name; ECSCluster and Service an
	// ECS service's cluster and name: raw, as AWS holds them.
	Group      string
	ECSCluster string
	Service    string
	// Desired is the new desired capacity or count; nil is "not given"
	// (a refusal), never zero.
	Desired *int
	// Processes are the Auto Scaling processes to suspend or resume.
	Processes []string
}

// ClusterWide reports whether the intent is about a whole cluster.
func (in Intent) ClusterWide() bool { return in.Cluster != "" }

// Plan is exactly what Execute may do once a verdict allows it, in the
// terms of the API calls: instance IDs, association IDs, allocation IDs.
// A refused Verdict carries an empty Plan, so a caller that forgets to
// look at Allowed has nothing to run.
type Plan struct {
	Terminate    []string // instance IDs, for TerminateInstances
	Stop         []string // instance IDs, for StopInstances
	Disassociate []string // association IDs, for DisassociateAddress
	Release      []string // allocation IDs (AddressKeys), for ReleaseAddress
	Moves        []Move   // for AssociateAddress with AllowReassociation
	// Groups are Auto Scaling calls, Services ECS calls, each with the
	// precondition its last look checks (rules_scaling.go).
	Groups   []GroupChange
	Services []ServiceChange
}

// Move is one EIP of a cut-over: from the instance it is on now to a
// running destination instance with passing status checks.
type Move struct {
	AllocationID    string
	PublicIP        string
	FromInstance    string
	ToInstance      string
	FromAssociation string // the association being replaced; Execute checks it is still current
}

// String describes the move: "3.3.3.1 i-b1 → i-g1".
func (m Move) String() string {
	return fmt.Sprintf("%s %s → %s", m.PublicIP, m.FromInstance, m.ToInstance)
}

// Step is one API call of a plan. Plan.Steps lists them in the order
// Execute makes them; the confirmation screen, the audit log and Execute
// all read the plan through Steps, so what the operator confirms, what is
// recorded and what runs cannot drift apart.
type Step struct {
	API     string   // "ec2:TerminateInstances"
	Targets []string // what the call names: instance, association or allocation IDs
	// Move is the address move an AssociateAddress step makes.
	Move *Move
	// Group and Service are the Auto Scaling or ECS call a step makes.
	Group   *GroupChange
	Service *ServiceChange
	// Detail describes the call for a person (display form): "desired
	// capacity 3 → 0". Targets stay raw, for the audit log.
	Detail string
	// LastLook names the check made right before the call, beyond the
	// judgement's age (CheckAge): CheckRelease for ReleaseAddress, whose
	// API has no condition of its own in a default VPC; CheckMove for
	// AssociateAddress, which takes an address from whatever holds it;
	// for Auto Scaling and ECS calls the check and the precondition it
	// expects ("CheckService: ACTIVE, desired still 4").
	LastLook string
}

// The APIs a plan calls, as Step.API names them.
const (
	APITerminate    = "ec2:TerminateInstances"
	APIStop         = "ec2:StopInstances"
	APIDisassociate = "ec2:DisassociateAddress"
	APIRelease      = "ec2:ReleaseAddress"
	APIAssociate    = "ec2:AssociateAddress"

	APISetDesired    = "autoscaling:SetDesiredCapacity"
	APISuspend       = "autoscaling:SuspendProcesses"
	APIResume        = "autoscaling:ResumeProcesses"
	APIUpdateService = "ecs:UpdateService"
	APIDeleteService = "ecs:DeleteService"
)

// Steps is the plan as calls, in order: terminations, stops,
// disassociations, releases, moves, Auto Scaling calls, ECS calls. Instance calls name at most batch
// IDs each (0: no limit); each address is a call of its own.
func (p Plan) Steps(batch int) []Step {
	var out []Step
	ids := func(api string, all []string) {
		n := batch
		if n <= 0 {
			n = max(len(all), 1)
		}
		for c := range slices.Chunk(all, n) {
			out = append(out, Step{API: api, Targets: c})
		}
	}
	ids(APITerminate, p.Terminate)
	ids(APIStop, p.Stop)
	for _, a := range p.Disassociate {
		out = append(out, Step{API: APIDisassociate, Targets: []string{a}})
	}
	for _, k := range p.Release {
		out = append(out, Step{API: APIRelease, Targets: []string{k}, LastLook: "CheckRelease"})
	}
	for i := range p.Moves {
		m := &p.Moves[i]
		out = append(out, Step{API: APIAssociate, Targets: []string{m.AllocationID, m.ToInstance}, Move: m, LastLook: "CheckMove"})
	}
	for i := range p.Groups {
		out = append(out, p.Groups[i].step())
	}
	for i := range p.Services {
		out = append(out, p.Services[i].step())
	}
	return out
}

// Empty reports whether the plan does nothing.
func (p Plan) Empty() bool {
	return len(p.Terminate)+len(p.Stop)+len(p.Disassociate)+len(p.Release)+len(p.Moves)+
		len(p.Groups)+len(p.Services) == 0
}

// Equal reports whether two plans make exactly the same calls. The check
// right before execution refuses when the plan it arrives at is not the
// one the operator confirmed.
func (p Plan) Equal(q Plan) bool {
	return slices.Equal(p.Terminate, q.Terminate) &&
		slices.Equal(p.Stop, q.Stop) &&
		slices.Equal(p.Disassociate, q.Disassociate) &&
		slices.Equal(p.Release, q.Release) &&
		slices.Equal(p.Moves, q.Moves) &&
		slices.EqualFunc(p.Groups, q.Groups, GroupChange.equal) &&
		slices.EqualFunc(p.Services, q.Services, ServiceChange.equal)
}

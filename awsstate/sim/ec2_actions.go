package sim

import (
	"encoding/xml"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The EC2 actions that change the world: what airlock's action path
// executes, with the conditions AWS itself enforces. Each validates its
// input, then takes the write lock and either changes everything it was
// asked to or nothing. The transitions they start end in startTransition.

type stateChangeXML struct {
	InstanceID string   `xml:"instanceId"`
	Current    stateXML `xml:"currentState"`
	Previous   stateXML `xml:"previousState"`
}

// returnResponse is the body of actions that answer only "it worked":
// AssociateAddress (with the new association ID), DisassociateAddress and
// ReleaseAddress.
type returnResponse struct {
	XMLName       xml.Name
	Xmlns         string `xml:"xmlns,attr"`
	RequestID     string `xml:"requestId"`
	Return        bool   `xml:"return"`
	AssociationID string `xml:"associationId,omitempty"`
}

func (c *call) returnTrue() returnResponse {
	return returnResponse{XMLName: xml.Name{Local: c.action + "Response"}, Xmlns: ec2NS, RequestID: c.requestID, Return: true}
}

// targets reads InstanceId.N for an action on instances: at least one, at
// most 1000 (the documented limit for TerminateInstances and StopInstances),
// each well formed.
func (c *call) targets() ([]string, error) {
	ids, err := c.ids("InstanceId", "i", "InvalidInstanceID")
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, errMissingParameter("InstanceId")
	}
	if len(ids) > 1000 {
		return nil, errInvalidParameterValue("The maximum number of instance IDs is 1000, got %d", len(ids))
	}
	return slices.Compact(universe(ids, nil)), nil
}

// terminateInstances: InstanceId.N. Refused as a whole with
// OperationNotPermitted when any target has termination protection
// (disableApiTermination), as EC2 does. Running and stopped instances go to
// shutting-down, then terminated; terminating ones are reported unchanged.
// Termination disassociates the instance's Elastic IPs, which stay
// allocated to the account ("When you terminate an instance, ... any
// Elastic IP addresses ... are disassociated", EC2 User Guide, Terminate
// instances); the sim does it at once rather than when the instance is
// finally gone.
func (s *Server) terminateInstances(c *call) (any, error) {
	ids, err := c.targets()
	if err != nil {
		return nil, err
	}
	return s.changeStates(c, ids, func(in *Instance) error {
		if in.DisableAPITermination {
			return badRequest("OperationNotPermitted",
				"The instance '%s' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.", in.ID)
		}
		return nil
	}, func(r *Region, in *Instance) {
		if in.State == StateTerminated || in.State == StateShuttingDown {
			return
		}
		in.State = StateShuttingDown
		in.StateReason = "Client.UserInitiatedShutdown: User initiated shutdown"
		s.startTransition(r, in, StateTerminated)
		for _, a := range r.AddressesOn(in.ID) {
			r.Disassociate(a.AllocationID)
		}
	})
}

// stopInstances: InstanceId.N (Force and Hibernate are accepted and make no
// difference here). Refused as a whole with OperationNotPermitted when any
// target has stop protection (disableApiStop), and with
// IncorrectInstanceState for instances that are terminated or on their way
// out. Elastic IPs stay associated with a stopped instance (VPC behaviour);
// its auto-assigned public address stops being reported.
func (s *Server) stopInstances(c *call) (any, error) {
	ids, err := c.targets()
	if err != nil {
		return nil, err
	}
	if _, err := c.p.boolean("Force"); err != nil {
		return nil, err
	}
	if _, err := c.p.boolean("Hibernate"); err != nil {
		return nil, err
	}
	return s.changeStates(c, ids, func(in *Instance) error {
		if in.DisableAPIStop {
			return badRequest("OperationNotPermitted",
				"The instance '%s' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.", in.ID)
		}
		if in.State == StateTerminated || in.State == StateShuttingDown {
			return badRequest("IncorrectInstanceState", "This instance '%s' is not in a state from which it can be stopped.", in.ID)
		}
		return nil
	}, func(r *Region, in *Instance) {
		if in.State != StateRunning && in.State != StatePending {
			return
		}
		in.State = StateStopping
		in.StateReason = "Client.UserInitiatedShutdown: User initiated shutdown"
		s.startTransition(r, in, StateStopped)
	})
}

// changeStates is what TerminateInstances and StopInstances share: under
// the write lock, InvalidInstanceID.NotFound for any unknown target, then
// refuse (the action's own conditions) on every target before change
// touches any, so the call changes all of them or none, as EC2 does. The
// answer lists each target's previous and current state.
func (s *Server) changeStates(c *call, ids []string, refuse func(in *Instance) error, change func(r *Region, in *Instance)) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.region(c)
	if m := missing(ids, r.Instances); len(m) > 0 {
		return nil, notFound("InvalidInstanceID.NotFound", "instance", m)
	}
	for _, id := range ids {
		if err := refuse(r.Instances[id]); err != nil {
			return nil, err
		}
	}
	resp := newListing[stateChangeXML](c, "instancesSet")
	for _, id := range ids {
		in := r.Instances[id]
		prev := in.State
		change(r, in)
		resp.Items = append(resp.Items, stateChangeXML{InstanceID: id, Current: stateOf(in.State), Previous: stateOf(prev)})
	}
	r.touch()
	return resp, nil
}

// startTransition schedules the end of the state the instance just
// entered: stopping → stopped, shutting-down → terminated. With a zero
// StateDelay the next call already sees the final state. The transition is
// skipped when the instance is no longer in the state it left from (a
// Reset or a test's Update changed it meanwhile): the world as changed
// wins.
func (s *Server) startTransition(r *Region, in *Instance, to InstanceState) {
	id, from := in.ID, in.State
	s.pending.add(s.later(r, func(r *Region, _ time.Time) {
		if in, ok := r.Instances[id]; ok && in.State == from {
			in.State = to
			if to == StateTerminated {
				r.releaseVolumes(id)
			}
		}
	}))
}

type attributeValue struct {
	Value string `xml:"value"`
}

type describeInstanceAttributeResponse struct {
	XMLName               xml.Name        `xml:"DescribeInstanceAttributeResponse"`
	Xmlns                 string          `xml:"xmlns,attr"`
	RequestID             string          `xml:"requestId"`
	InstanceID            string          `xml:"instanceId"`
	DisableAPITermination *attributeValue `xml:"disableApiTermination,omitempty"`
	DisableAPIStop        *attributeValue `xml:"disableApiStop,omitempty"`
	InstanceType          *attributeValue `xml:"instanceType,omitempty"`
	ShutdownBehavior      *attributeValue `xml:"instanceInitiatedShutdownBehavior,omitempty"`
	SourceDestCheck       *attributeValue `xml:"sourceDestCheck,omitempty"`
	EBSOptimized          *attributeValue `xml:"ebsOptimized,omitempty"`
}

// describeInstanceAttribute: InstanceId, Attribute. The sim knows the
// protection attributes airlock checks before destructive actions
// (disableApiTermination, disableApiStop) and a few fixed ones; any other
// attribute EC2 documents is reported as unsupported rather than invented.
func (s *Server) describeInstanceAttribute(c *call) (any, error) {
	id := c.p.str("InstanceId")
	if id == "" {
		return nil, errMissingParameter("InstanceId")
	}
	if !strings.HasPrefix(id, "i-") || !idShape.MatchString(id) {
		return nil, badRequest("InvalidInstanceID.Malformed", "Invalid id: %q", id)
	}
	attr := c.p.str("Attribute")
	if attr == "" {
		return nil, errMissingParameter("Attribute")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	in := s.region(c).Instances[id]
	if in == nil {
		return nil, notFound("InvalidInstanceID.NotFound", "instance", []string{id})
	}
	resp := describeInstanceAttributeResponse{Xmlns: ec2NS, RequestID: c.requestID, InstanceID: id}
	boolean := func(b bool) *attributeValue { return &attributeValue{Value: strconv.FormatBool(b)} }
	switch attr {
	case "disableApiTermination":
		resp.DisableAPITermination = boolean(in.DisableAPITermination)
	case "disableApiStop":
		resp.DisableAPIStop = boolean(in.DisableAPIStop)
	case "instanceType":
		resp.InstanceType = &attributeValue{Value: in.Type}
	case "instanceInitiatedShutdownBehavior":
		resp.ShutdownBehavior = &attributeValue{Value: "stop"}
	case "sourceDestCheck":
		resp.SourceDestCheck = boolean(true)
	case "ebsOptimized":
		resp.EBSOptimized = boolean(true)
	default:
		return nil, errInvalidParameterValue("Value (%s) for parameter attribute is invalid. Unknown or unsupported attribute.", attr)
	}
	return resp, nil
}

// address finds the address an action names by AllocationId or, for the
// deprecated form, PublicIp. Callers hold s.mu.
func (c *call) address(r *Region) (*Address, error) {
	if id := c.p.str("AllocationId"); id != "" {
		if !strings.HasPrefix(id, "eipalloc-") || !idShape.MatchString(id) {
			return nil, badRequest("InvalidAllocationID.Malformed", "Invalid id: %q", id)
		}
		if a := r.Addresses[id]; a != nil {
			return a, nil
		}
		return nil, badRequest("InvalidAllocationID.NotFound", "The allocation ID '%s' does not exist", id)
	}
	if ip := c.p.str("PublicIp"); ip != "" {
		for _, a := range r.Addresses {
			if a.PublicIP == ip {
				return a, nil
			}
		}
		return nil, badRequest("InvalidAddress.NotFound", "Address '%s' not found.", ip)
	}
	return nil, errMissingParameter("AllocationId")
}

// associateAddress: AllocationId (or PublicIp), InstanceId (or
// NetworkInterfaceId), AllowReassociation. Every association gets a new
// association ID, even onto the same instance.
//
// Reassociation follows the current EC2 API reference: "Reassociation is
// automatic, but you can specify false to ensure the operation fails if the
// Elastic IP address is already associated with another resource." So an
// address already on another instance moves silently unless the caller
// sends AllowReassociation=false, which fails with
// Resource.AlreadyAssociated. A client that wants the guard must ask for
// it. If the target instance already holds an Elastic IP, that address is
// disassociated (it stays allocated), as the EC2 User Guide describes.
func (s *Server) associateAddress(c *call) (any, error) {
	allow := true
	if c.p.has("AllowReassociation") {
		v, err := c.p.boolean("AllowReassociation")
		if err != nil {
			return nil, err
		}
		allow = v
	}
	instanceID, eniID := c.p.str("InstanceId"), c.p.str("NetworkInterfaceId")
	if instanceID != "" && eniID != "" {
		return nil, badRequest("InvalidParameterCombination", "You may specify either an instance ID or a network interface ID, not both")
	}
	if instanceID == "" && eniID == "" {
		return nil, errMissingParameter("InstanceId")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.region(c)
	a, err := c.address(r)
	if err != nil {
		return nil, err
	}
	var in *Instance
	if instanceID != "" {
		if !strings.HasPrefix(instanceID, "i-") || !idShape.MatchString(instanceID) {
			return nil, badRequest("InvalidInstanceID.Malformed", "Invalid id: %q", instanceID)
		}
		in = r.Instances[instanceID]
		if in == nil {
			return nil, notFound("InvalidInstanceID.NotFound", "instance", []string{instanceID})
		}
	} else {
		for _, x := range r.Instances {
			if x.eni() == eniID {
				in = x
				break
			}
		}
		if in == nil {
			return nil, badRequest("InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '%s' does not exist", eniID)
		}
	}
	if in.State == StateTerminated || in.State == StateShuttingDown {
		return nil, badRequest("IncorrectInstanceState", "The instance '%s' is not in a valid state for this operation.", in.ID)
	}
	if a.InstanceID != "" && a.InstanceID != in.ID && !allow {
		return nil, badRequest("Resource.AlreadyAssociated", "resource %s is already associated with associate-id %s", a.AllocationID, a.AssociationID)
	}
	for _, other := range r.AddressesOn(in.ID) {
		if other.AllocationID != a.AllocationID {
			r.Disassociate(other.AllocationID)
		}
	}
	assoc, err := r.Associate(a.AllocationID, in.ID)
	if err != nil {
		return nil, err
	}
	resp := c.returnTrue()
	resp.AssociationID = assoc
	return resp, nil
}

// disassociateAddress: AssociationId (or, deprecated, PublicIp). Naming the
// association rather than the address is what makes this safe against a
// stale screen: once the address has moved, its old association ID fails
// with InvalidAssociationID.NotFound and nothing changes.
func (s *Server) disassociateAddress(c *call) (any, error) {
	assoc, ip := c.p.str("AssociationId"), c.p.str("PublicIp")
	if assoc == "" && ip == "" {
		return nil, errMissingParameter("AssociationId")
	}
	if assoc != "" && (!strings.HasPrefix(assoc, "eipassoc-") || !idShape.MatchString(assoc)) {
		return nil, badRequest("InvalidAssociationID.Malformed", "Invalid id: %q", assoc)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.region(c)
	for _, a := range r.Addresses {
		if (assoc != "" && a.AssociationID == assoc) || (assoc == "" && a.PublicIP == ip) {
			if a.AssociationID == "" {
				// The deprecated PublicIp form on an idle address: nothing to do.
				return c.returnTrue(), nil
			}
			r.Disassociate(a.AllocationID)
			return c.returnTrue(), nil
		}
	}
	if assoc != "" {
		return nil, badRequest("InvalidAssociationID.NotFound", "The association ID '%s' does not exist", assoc)
	}
	return nil, badRequest("InvalidAddress.NotFound", "Address '%s' not found.", ip)
}

// releaseAddress: AllocationId (or, deprecated, PublicIp). An associated
// address is released only in a default VPC, where EC2 silently
// disassociates it first; anywhere else the call fails with
// InvalidIPAddress.InUse ("[Default VPC] Releasing an Elastic IP address
// automatically disassociates it from any instance that it's associated
// with. ... [Nondefault VPC] You must use DisassociateAddress to
// disassociate the Elastic IP address before you can release it",
// ReleaseAddress, EC2 API reference). In the demo world us-east-1 is a
// non-default VPC and eu-west-1 the default one, so both behaviours are
// reachable; airlock's own check is the only guard in the second.
func (s *Server) releaseAddress(c *call) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.region(c)
	a, err := c.address(r)
	if err != nil {
		return nil, err
	}
	if a.InstanceID != "" || a.AssociationID != "" {
		in := r.Instances[a.InstanceID]
		if in == nil || r.VPCs[in.VPCID] == nil || !r.VPCs[in.VPCID].Default {
			return nil, badRequest("InvalidIPAddress.InUse", "Address %s is in use.", a.PublicIP)
		}
		r.Disassociate(a.AllocationID)
	}
	delete(r.Addresses, a.AllocationID)
	r.touch()
	return c.returnTrue(), nil
}

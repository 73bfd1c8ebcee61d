package sim

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Demo IDs in prod us-east-1 (see demoMain).
const (
	blue1, blue2, blue3    = "i-01100000000000001", "i-01100000000000002", "i-01100000000000003"
	green1, green2, green3 = "i-01100000000000004", "i-01100000000000005", "i-01100000000000006"
	bastion, stoppedOne    = "i-01100000000000007", "i-01100000000000008"
	blueEIP1, spareEIP     = "eipalloc-01100000000000001", "eipalloc-01100000000000004"
)

func (e *env) instance(t *testing.T, id string) ec2types.Instance {
	t.Helper()
	out, err := e.prod().DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	return instances(out)[0]
}

func (e *env) address(t *testing.T, alloc string) ec2types.Address {
	t.Helper()
	out, err := e.prod().DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{AllocationIds: []string{alloc}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Addresses[0]
}

func TestTerminateInstances(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	out, err := c.TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{green3, green1, green2}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.TerminatingInstances) != 3 {
		t.Fatalf("%d state changes", len(out.TerminatingInstances))
	}
	for _, ch := range out.TerminatingInstances {
		if ch.PreviousState.Name != ec2types.InstanceStateNameRunning || ch.CurrentState.Name != ec2types.InstanceStateNameShuttingDown ||
			aws.ToInt32(ch.CurrentState.Code) != 32 {
			t.Errorf("%s: %+v → %+v", aws.ToString(ch.InstanceId), ch.PreviousState, ch.CurrentState)
		}
	}
	in := e.instance(t, green1)
	if in.State.Name != ec2types.InstanceStateNameTerminated || in.PrivateIpAddress != nil || in.StateReason == nil {
		t.Errorf("green-web-1 after termination: state %s, private IP %v, reason %v", in.State.Name, in.PrivateIpAddress, in.StateReason)
	}
	// Again: already terminated, reported as such.
	out, err = c.TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{green1}})
	if err != nil || out.TerminatingInstances[0].PreviousState.Name != ec2types.InstanceStateNameTerminated {
		t.Errorf("second terminate: %+v %v", out, err)
	}
	if got := e.s.Stats()["ec2:TerminateInstances"]; got != 2 {
		t.Errorf("write calls counted %d, want 2", got)
	}

	// Terminating blue-web-1 releases its EIP from it (the EIP stays allocated).
	if _, err := c.TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{blue1}}); err != nil {
		t.Fatal(err)
	}
	if a := e.address(t, blueEIP1); a.InstanceId != nil || a.AssociationId != nil {
		t.Errorf("EIP still on a terminated instance: %+v", a)
	}
}

func TestTerminateRefusals(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	_, err := c.TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{blue2, bastion}})
	wantCode(t, err, "OperationNotPermitted")
	if in := e.instance(t, blue2); in.State.Name != ec2types.InstanceStateNameRunning {
		t.Errorf("a refused request terminated blue-web-2: %s", in.State.Name)
	}
	_, err = c.TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{blue2, "i-0ffffffffffffffff"}})
	wantCode(t, err, "InvalidInstanceID.NotFound")
	if in := e.instance(t, blue2); in.State.Name != ec2types.InstanceStateNameRunning {
		t.Errorf("blue-web-2 changed: %s", in.State.Name)
	}
}

func TestStateDelay(t *testing.T) {
	e := newEnv(t, Options{StateDelay: time.Minute})
	now := DemoEpoch
	e.s.now = func() time.Time { return now }
	if _, err := e.prod().StopInstances(ctx(t), &ec2.StopInstancesInput{InstanceIds: []string{green1}}); err != nil {
		t.Fatal(err)
	}
	if s := e.instance(t, green1).State.Name; s != ec2types.InstanceStateNameStopping {
		t.Errorf("before the delay: %s", s)
	}
	now = now.Add(time.Minute)
	if s := e.instance(t, green1).State.Name; s != ec2types.InstanceStateNameStopped {
		t.Errorf("after the delay: %s", s)
	}
	// A transition whose instance changed meanwhile does not clobber it.
	e.prod().TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{green2}})
	e.s.Reset()
	now = now.Add(time.Hour)
	if s := e.instance(t, green2).State.Name; s != ec2types.InstanceStateNameRunning {
		t.Errorf("after Reset: %s", s)
	}
}

func TestStopInstances(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	out, err := c.StopInstances(ctx(t), &ec2.StopInstancesInput{InstanceIds: []string{blue1, stoppedOne}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ec2types.InstanceStateName{}
	for _, ch := range out.StoppingInstances {
		got[aws.ToString(ch.InstanceId)] = ch.CurrentState.Name
	}
	if got[blue1] != ec2types.InstanceStateNameStopping || got[stoppedOne] != ec2types.InstanceStateNameStopped {
		t.Errorf("state changes %v", got)
	}
	in := e.instance(t, blue1)
	if in.State.Name != ec2types.InstanceStateNameStopped || aws.ToString(in.PublicIpAddress) != "203.0.113.10" {
		t.Errorf("stopped blue-web-1 keeps its EIP: %s %v", in.State.Name, in.PublicIpAddress)
	}
	if a := e.address(t, blueEIP1); aws.ToString(a.InstanceId) != blue1 {
		t.Errorf("EIP left a stopped instance: %+v", a)
	}
	if in := e.instance(t, green1); aws.ToString(in.PublicIpAddress) != "192.0.2.121" {
		t.Errorf("green-web-1 lost its public IP: %v", in.PublicIpAddress)
	}
	c.StopInstances(ctx(t), &ec2.StopInstancesInput{InstanceIds: []string{green1}})
	if in := e.instance(t, green1); in.PublicIpAddress != nil {
		t.Errorf("stopped green-web-1 still reports its auto-assigned IP %v", aws.ToString(in.PublicIpAddress))
	}

	_, err = c.StopInstances(ctx(t), &ec2.StopInstancesInput{InstanceIds: []string{bastion}})
	wantCode(t, err, "OperationNotPermitted")
	c.TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{green2}})
	_, err = c.StopInstances(ctx(t), &ec2.StopInstancesInput{InstanceIds: []string{green2}})
	wantCode(t, err, "IncorrectInstanceState")
}

func TestDescribeInstanceAttribute(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	for _, tc := range []struct {
		id   string
		attr ec2types.InstanceAttributeName
		want bool
	}{
		{bastion, ec2types.InstanceAttributeNameDisableApiTermination, true},
		{bastion, ec2types.InstanceAttributeNameDisableApiStop, true},
		{blue1, ec2types.InstanceAttributeNameDisableApiTermination, false},
		{blue1, ec2types.InstanceAttributeNameDisableApiStop, false},
	} {
		out, err := c.DescribeInstanceAttribute(ctx(t), &ec2.DescribeInstanceAttributeInput{InstanceId: aws.String(tc.id), Attribute: tc.attr})
		if err != nil {
			t.Fatal(err)
		}
		v := out.DisableApiTermination
		if tc.attr == ec2types.InstanceAttributeNameDisableApiStop {
			v = out.DisableApiStop
		}
		if v == nil || aws.ToBool(v.Value) != tc.want || aws.ToString(out.InstanceId) != tc.id {
			t.Errorf("%s %s = %+v, want %v", tc.id, tc.attr, v, tc.want)
		}
	}
	out, err := c.DescribeInstanceAttribute(ctx(t), &ec2.DescribeInstanceAttributeInput{InstanceId: aws.String(blue1), Attribute: ec2types.InstanceAttributeNameInstanceType})
	if err != nil || aws.ToString(out.InstanceType.Value) != "m5.large" {
		t.Errorf("instanceType: %+v %v", out, err)
	}
	_, err = c.DescribeInstanceAttribute(ctx(t), &ec2.DescribeInstanceAttributeInput{InstanceId: aws.String(blue1), Attribute: ec2types.InstanceAttributeNameUserData})
	wantCode(t, err, "InvalidParameterValue")
	_, err = c.DescribeInstanceAttribute(ctx(t), &ec2.DescribeInstanceAttributeInput{InstanceId: aws.String("i-0ffffffffffffffff"), Attribute: ec2types.InstanceAttributeNameDisableApiStop})
	wantCode(t, err, "InvalidInstanceID.NotFound")

	// Tests may turn protection on through Update.
	e.s.Update(ProdAccountID, "us-east-1", func(r *Region) { r.Instances[green1].DisableAPITermination = true })
	_, err = c.TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{green1}})
	wantCode(t, err, "OperationNotPermitted")
}

func TestAssociateAddress(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	out, err := c.AssociateAddress(ctx(t), &ec2.AssociateAddressInput{AllocationId: aws.String(spareEIP), InstanceId: aws.String(green1)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.AssociationId) != "eipassoc-01100000000000004" {
		t.Errorf("new association %s", aws.ToString(out.AssociationId))
	}
	if in := e.instance(t, green1); aws.ToString(in.PublicIpAddress) != "203.0.113.13" {
		t.Errorf("green-web-1 public IP %v", in.PublicIpAddress)
	}

	// An address on another instance: AllowReassociation=false refuses...
	_, err = c.AssociateAddress(ctx(t), &ec2.AssociateAddressInput{AllocationId: aws.String(blueEIP1), InstanceId: aws.String(green2), AllowReassociation: aws.Bool(false)})
	wantCode(t, err, "Resource.AlreadyAssociated")
	if a := e.address(t, blueEIP1); aws.ToString(a.InstanceId) != blue1 {
		t.Errorf("refused association moved the EIP: %+v", a)
	}
	// ...while true, and the default, reassociate with a new ID each time.
	for i, allow := range []*bool{aws.Bool(true), nil} {
		target := []string{green2, green3}[i]
		out, err := c.AssociateAddress(ctx(t), &ec2.AssociateAddressInput{AllocationId: aws.String(blueEIP1), InstanceId: aws.String(target), AllowReassociation: allow})
		if err != nil {
			t.Fatal(err)
		}
		a := e.address(t, blueEIP1)
		if aws.ToString(a.InstanceId) != target || aws.ToString(a.AssociationId) != aws.ToString(out.AssociationId) {
			t.Errorf("reassociation %d: %+v", i, a)
		}
	}
	// The instance's previous EIP makes way: green-web-1 takes blueEIP1, so
	// the spare comes off it.
	if _, err := c.AssociateAddress(ctx(t), &ec2.AssociateAddressInput{AllocationId: aws.String(blueEIP1), InstanceId: aws.String(green1)}); err != nil {
		t.Fatal(err)
	}
	if a := e.address(t, spareEIP); a.InstanceId != nil {
		t.Errorf("green-web-1 holds two EIPs: spare still on %s", aws.ToString(a.InstanceId))
	}
	if in := e.instance(t, green3); aws.ToString(in.PublicIpAddress) != "192.0.2.123" {
		t.Errorf("green-web-3 should be back on its own address: %v", in.PublicIpAddress)
	}

	_, err = c.AssociateAddress(ctx(t), &ec2.AssociateAddressInput{AllocationId: aws.String("eipalloc-0ffffffffffffffff"), InstanceId: aws.String(green1)})
	wantCode(t, err, "InvalidAllocationID.NotFound")
	_, err = c.AssociateAddress(ctx(t), &ec2.AssociateAddressInput{AllocationId: aws.String(spareEIP), InstanceId: aws.String("i-0ffffffffffffffff")})
	wantCode(t, err, "InvalidInstanceID.NotFound")
	_, err = c.AssociateAddress(ctx(t), &ec2.AssociateAddressInput{AllocationId: aws.String(spareEIP)})
	wantCode(t, err, "MissingParameter")
	c.TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{green2}})
	_, err = c.AssociateAddress(ctx(t), &ec2.AssociateAddressInput{AllocationId: aws.String(spareEIP), InstanceId: aws.String(green2)})
	wantCode(t, err, "IncorrectInstanceState")
}

func TestDisassociateAddress(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	old := aws.ToString(e.address(t, blueEIP1).AssociationId)
	if _, err := c.DisassociateAddress(ctx(t), &ec2.DisassociateAddressInput{AssociationId: aws.String(old)}); err != nil {
		t.Fatal(err)
	}
	if a := e.address(t, blueEIP1); a.InstanceId != nil {
		t.Errorf("still associated: %+v", a)
	}
	_, err := c.DisassociateAddress(ctx(t), &ec2.DisassociateAddressInput{AssociationId: aws.String(old)})
	wantCode(t, err, "InvalidAssociationID.NotFound")
	_, err = c.DisassociateAddress(ctx(t), &ec2.DisassociateAddressInput{})
	wantCode(t, err, "MissingParameter")
}

func TestReleaseAddress(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	// Non-default VPC (us-east-1): an associated address is refused.
	_, err := c.ReleaseAddress(ctx(t), &ec2.ReleaseAddressInput{AllocationId: aws.String(blueEIP1)})
	wantCode(t, err, "InvalidIPAddress.InUse")
	if a := e.address(t, blueEIP1); aws.ToString(a.InstanceId) != blue1 {
		t.Errorf("refused release changed the address: %+v", a)
	}
	if _, err := c.ReleaseAddress(ctx(t), &ec2.ReleaseAddressInput{AllocationId: aws.String(spareEIP)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{AllocationIds: []string{spareEIP}})
	wantCode(t, err, "InvalidAllocationID.NotFound")
	_, err = c.ReleaseAddress(ctx(t), &ec2.ReleaseAddressInput{AllocationId: aws.String(spareEIP)})
	wantCode(t, err, "InvalidAllocationID.NotFound")

	// Default VPC (eu-west-1): released after a silent disassociation.
	eu := ec2.NewFromConfig(e.cfg(ProdAccessKey, "eu-west-1"))
	if _, err := eu.ReleaseAddress(ctx(t), &ec2.ReleaseAddressInput{AllocationId: aws.String("eipalloc-01200000000000001")}); err != nil {
		t.Fatalf("default VPC release: %v", err)
	}
	out, err := eu.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: []string{"i-01200000000000001"}})
	if err != nil || aws.ToString(instances(out)[0].PublicIpAddress) != "192.0.2.131" {
		t.Errorf("api-1 after its EIP was released: %v %v", out, err)
	}
}

func TestDryRun(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	_, err := c.TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{blue1}, DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
	_, err = c.ReleaseAddress(ctx(t), &ec2.ReleaseAddressInput{AllocationId: aws.String(spareEIP), DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
	if in := e.instance(t, blue1); in.State.Name != ec2types.InstanceStateNameRunning {
		t.Errorf("a dry run terminated blue-web-1")
	}
	e.address(t, spareEIP) // still there

	e.s.Inject(Fault{Action: "ec2:TerminateInstances", Kind: FaultAccessDenied})
	_, err = c.TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{blue1}, DryRun: aws.Bool(true)})
	wantCode(t, err, "UnauthorizedOperation")
}

// TestRacesBetweenCheckAndCall are the stories' races at the protocol
// level: the world changes right before the call, and AWS's own
// conditions decide what happens.
func TestRacesBetweenCheckAndCall(t *testing.T) {
	t.Run("EIP moved before disassociate", func(t *testing.T) {
		e := newEnv(t, Options{})
		seen := aws.ToString(e.address(t, blueEIP1).AssociationId)
		e.s.OnCall("ec2:DisassociateAddress", func() { e.s.GoLive(ProdAccountID) })
		_, err := e.prod().DisassociateAddress(ctx(t), &ec2.DisassociateAddressInput{AssociationId: aws.String(seen)})
		wantCode(t, err, "InvalidAssociationID.NotFound")
		if a := e.address(t, blueEIP1); aws.ToString(a.InstanceId) != green1 {
			t.Errorf("the moved EIP was touched: %+v", a)
		}
	})
	t.Run("spare EIP associated before release", func(t *testing.T) {
		e := newEnv(t, Options{})
		e.s.OnCall("ReleaseAddress", func() {
			e.s.Update(ProdAccountID, "us-east-1", func(r *Region) { r.Associate(spareEIP, green1) })
		})
		_, err := e.prod().ReleaseAddress(ctx(t), &ec2.ReleaseAddressInput{AllocationId: aws.String(spareEIP)})
		wantCode(t, err, "InvalidIPAddress.InUse")
		if got := e.s.Stats()["ec2:ReleaseAddress"]; got != 1 {
			t.Errorf("ReleaseAddress calls %d", got)
		}
	})
}

package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestS4TheFleetThatShrank is story S4 as the wire tells it: group
// uploader wants 6 and has 2 in service; its $Latest template names an AMI
// that DescribeImages does not know and a security group name no group in
// the VPC has.
func TestS4TheFleetThatShrank(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s4"})
	g := e.group(t, "uploader")
	inService := 0
	for _, m := range g.Instances {
		if m.Lifecycle == "InService" && m.Health == "Healthy" {
			inService++
		}
	}
	if g.Desired != 6 || inService != 2 || len(g.Instances) != 2 {
		t.Fatalf("uploader: desired %d, %d in service of %+v", g.Desired, inService, g.Instances)
	}
	c := e.prod()
	v, err := c.DescribeLaunchTemplateVersions(ctx(t), &ec2.DescribeLaunchTemplateVersionsInput{
		LaunchTemplateId: aws.String(g.LaunchTemplate.ID), Versions: []string{g.LaunchTemplate.Version}})
	if err != nil {
		t.Fatal(err)
	}
	data := v.LaunchTemplateVersions[0].LaunchTemplateData
	_, err = c.DescribeImages(ctx(t), &ec2.DescribeImagesInput{ImageIds: []string{aws.ToString(data.ImageId)}})
	wantCode(t, err, "InvalidAMIID.NotFound")
	sgs, err := c.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		f("group-name", data.SecurityGroups...), f("vpc-id", "vpc-01100000000000001")}})
	if err != nil || len(sgs.SecurityGroups) != 0 {
		t.Errorf("the missing group exists: %+v %v", sgs, err)
	}
	// The members are tagged, and one terminated within the hour is still
	// listed as terminated.
	out, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{f("tag:aws:autoscaling:groupName", "uploader")}})
	if err != nil {
		t.Fatal(err)
	}
	states := map[ec2types.InstanceStateName]int{}
	for _, in := range instances(out) {
		states[in.State.Name]++
	}
	if states[ec2types.InstanceStateNameRunning] != 2 || states[ec2types.InstanceStateNameTerminated] != 1 || len(states) != 2 {
		t.Errorf("uploader instances: %v", states)
	}
	// Staging tells the same story in its own account.
	st := e.ec2(StagingAccessKey)
	if _, err := st.DescribeImages(ctx(t), &ec2.DescribeImagesInput{ImageIds: []string{MissingAMI}}); err == nil {
		t.Error("staging has the missing AMI")
	}
	// The demo's groups are untouched by S4.
	if g := e.group(t, "blue"); g.Desired != 3 || len(g.Instances) != 3 {
		t.Errorf("blue: %+v", g)
	}
}

// TestS5FullSubnetsAndBursts: the subnets as S5 finds them, group rebuild
// that could not fit, and EC2 throttled for the last 15 s of every minute
// while Auto Scaling and STS are not.
func TestS5FullSubnetsAndBursts(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s5"})
	clk := useClock(e)
	c := e.prod()
	out, err := c.DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{})
	if err != nil {
		t.Fatal(err)
	}
	free := map[string]int32{}
	for _, sn := range out.Subnets {
		free[aws.ToString(sn.AvailabilityZone)] = aws.ToInt32(sn.AvailableIpAddressCount)
	}
	if free["us-east-1a"] != 9 || free["us-east-1b"] != 246 || free["us-east-1c"] != 0 {
		t.Errorf("free addresses: %v", free)
	}
	g := e.group(t, "rebuild")
	if g.Desired != 6 || len(g.Instances) != 3 || g.VPCZoneIdentifier != "subnet-01100000000000003" {
		t.Errorf("rebuild: %+v", g)
	}
	acts := e.activities(t, "AutoScalingGroupName", "rebuild", "MaxRecords", "1")
	if want := "There are not enough free addresses in subnet 'subnet-01100000000000003' to satisfy the requested number of instances. Launching EC2 instance failed."; acts[0].StatusMessage != want {
		t.Errorf("rebuild's failure: %+v", acts[0])
	}

	// Calm for 45 s, then every EC2 call throttled for 15 s.
	clk.add(44 * time.Second)
	if _, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{}, noRetry); err != nil {
		t.Errorf("at 44 s: %v", err)
	}
	clk.add(time.Second)
	_, err = c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{}, noRetry)
	wantCode(t, err, "RequestLimitExceeded")
	if status, body := e.as(t, "DescribeAutoScalingGroups"); status != 200 {
		t.Errorf("Auto Scaling throttled by EC2's burst: %d %s", status, body)
	}
	if _, err := e.sts(ProdAccessKey).GetCallerIdentity(ctx(t), nil); err != nil {
		t.Errorf("STS throttled: %v", err)
	}
	clk.add(15 * time.Second)
	if _, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{}, noRetry); err != nil {
		t.Errorf("at 60 s, a new minute: %v", err)
	}
	// Throttled calls are counted: they reached an action.
	if n := e.s.Stats()["ec2:DescribeInstances"]; n != 3 {
		t.Errorf("DescribeInstances counted %d times", n)
	}
}

func TestBurstsControl(t *testing.T) {
	e := newEnv(t, Options{})
	call := func(method, path string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, e.url+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("%s %s: %s", method, path, body)
		}
		return resp.StatusCode, m
	}
	if status, m := call("GET", "/_sim/bursts"); status != 200 || m["bursts"].(map[string]any)["on"] != false {
		t.Errorf("demo bursts: %d %v", status, m)
	}
	for _, bad := range []string{"every=10s&for=10s", "every=10s", "every=soon&for=1s", "every=10s&for=1s&service=s3", "every=-1s&for=1s"} {
		if status, m := call("POST", "/_sim/bursts?"+bad); status != 400 || m["error"] == "" {
			t.Errorf("%s: %d %v", bad, status, m)
		}
	}
	status, m := call("POST", "/_sim/bursts?every=30s&for=5s&service=autoscaling")
	if b := m["bursts"].(map[string]any); status != 200 || b["every"] != "30s" || b["for"] != "5s" || b["service"] != "autoscaling" {
		t.Errorf("POST: %d %v", status, m)
	}
	if b := e.s.CurrentBursts(); b.Every != 30*time.Second || b.Service != "autoscaling" {
		t.Errorf("installed: %+v", b)
	}
	if status, _ := call("DELETE", "/_sim/bursts"); status != 200 || e.s.CurrentBursts() != (Bursts{}) {
		t.Errorf("DELETE left %+v", e.s.CurrentBursts())
	}
	if status, _ := call("PUT", "/_sim/bursts"); status != 405 {
		t.Errorf("PUT: %d", status)
	}
	// s5 starts with its pattern, and Reset keeps whatever is installed.
	s5, err := New(Options{Scenario: "s5"})
	if err != nil {
		t.Fatal(err)
	}
	if s5.CurrentBursts() != s5Bursts {
		t.Errorf("s5 bursts: %+v", s5.CurrentBursts())
	}
	s5.SetBursts(Bursts{})
	s5.Reset()
	if s5.CurrentBursts() != (Bursts{}) {
		t.Errorf("Reset reinstalled %+v", s5.CurrentBursts())
	}
}

// TestFleetGroups: generated fleets come with groups whose members are
// their clusters' running instances, and a preflight of any of them
// passes.
func TestFleetGroups(t *testing.T) {
	s, err := New(Options{Instances: 10000})
	if err != nil {
		t.Fatal(err)
	}
	s.Update(ProdAccountID, "us-east-1", func(r *Region) {
		if n := len(r.Groups); n != 41 {
			t.Errorf("%d groups at 10,000 instances, want 41 (blue, green, c005..c195)", n)
		}
		for name, g := range r.Groups {
			sp, problem := r.spec(g)
			if problem != "" {
				t.Fatalf("%s: %s", name, problem)
			}
			for _, id := range g.SubnetIDs {
				if p := r.launchProblem(sp, r.Subnets[id]); p != "" {
					t.Errorf("%s in %s: %s", name, id, p)
				}
			}
			for _, id := range g.Instances {
				in := r.Instances[id]
				if in.State != StateRunning || in.Tags[groupTag] != name || in.Tags[clusterTag] != name {
					t.Fatalf("%s member %s: %s %v", name, id, in.State, in.Tags)
				}
			}
			if _, _, live := r.members(g); live != g.Desired {
				t.Errorf("%s: %d live, desired %d", name, live, g.Desired)
			}
		}
	})
}

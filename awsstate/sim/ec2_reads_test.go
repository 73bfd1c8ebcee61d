package sim

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestDemoInstances(t *testing.T) {
	e := newEnv(t, Options{})
	out, err := e.prod().DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{})
	if err != nil {
		t.Fatal(err)
	}
	all := instances(out)
	if len(all) != 8 {
		t.Fatalf("demo us-east-1 has %d instances, want 8", len(all))
	}
	if len(out.Reservations) != 4 || aws.ToString(out.Reservations[0].OwnerId) != ProdAccountID {
		t.Errorf("want 4 reservations owned by prod, got %d", len(out.Reservations))
	}
	want := []struct{ id, name, cluster, state, ip string }{
		{"i-01100000000000001", "blue-web-1", "blue", "running", "203.0.113.10"},
		{"i-01100000000000002", "blue-web-2", "blue", "running", "203.0.113.11"},
		{"i-01100000000000003", "blue-web-3", "blue", "running", "203.0.113.12"},
		{"i-01100000000000004", "green-web-1", "green", "running", "192.0.2.121"},
		{"i-01100000000000005", "green-web-2", "green", "running", "192.0.2.122"},
		{"i-01100000000000006", "green-web-3", "green", "running", "192.0.2.123"},
		{"i-01100000000000007", "bastion", "", "running", "192.0.2.105"},
		{"i-01100000000000008", "", "", "stopped", ""},
	}
	for i, w := range want {
		in := all[i]
		got := struct{ id, name, cluster, state, ip string }{
			aws.ToString(in.InstanceId), tagValue(in.Tags, "Name"), tagValue(in.Tags, "Cluster"),
			string(in.State.Name), aws.ToString(in.PublicIpAddress),
		}
		if got != w {
			t.Errorf("instance %d = %+v, want %+v", i, got, w)
		}
	}
	blue1 := all[0]
	if blue1.LaunchTime == nil || !blue1.LaunchTime.Equal(DemoEpoch.Add(-19*24*60*60e9)) {
		t.Errorf("blue-web-1 launch %v", blue1.LaunchTime)
	}
	if aws.ToString(blue1.Placement.AvailabilityZone) != "us-east-1a" || aws.ToString(blue1.PrivateIpAddress) != "10.0.1.11" ||
		blue1.InstanceType != "m5.large" || aws.ToString(blue1.SubnetId) != "subnet-01100000000000001" {
		t.Errorf("blue-web-1 placement %+v", blue1)
	}
	if ni := blue1.NetworkInterfaces; len(ni) != 1 || aws.ToString(ni[0].Association.IpOwnerId) != ProdAccountID {
		t.Errorf("blue-web-1 interface should show an EIP owned by the account: %+v", ni)
	}
	// Security groups and the instance profile, as groupSet and
	// iamInstanceProfile; the bastion has a group of its own and no
	// profile.
	if g := blue1.SecurityGroups; len(g) != 1 || aws.ToString(g[0].GroupName) != "acme-web" || !strings.HasPrefix(aws.ToString(g[0].GroupId), "sg-011") {
		t.Errorf("blue-web-1 security groups = %+v, want acme-web", g)
	}
	if p := blue1.IamInstanceProfile; p == nil || aws.ToString(p.Arn) != "arn:aws:iam::"+ProdAccountID+":instance-profile/acme-web" || aws.ToString(p.Id) == "" {
		t.Errorf("blue-web-1 instance profile = %+v", p)
	}
	if b := all[6]; len(b.SecurityGroups) != 1 || aws.ToString(b.SecurityGroups[0].GroupName) != "acme-bastion" || b.IamInstanceProfile != nil {
		t.Errorf("bastion groups %+v profile %+v, want acme-bastion and none", b.SecurityGroups, b.IamInstanceProfile)
	}

	// Staging holds the same names with its own IDs and addresses.
	st, err := e.ec2(StagingAccessKey).DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{Filters: tagFilter("Name", "blue-web-1")})
	if err != nil {
		t.Fatal(err)
	}
	if in := instances(st); len(in) != 1 || aws.ToString(in[0].InstanceId) != "i-02100000000000001" || aws.ToString(in[0].PublicIpAddress) != "198.51.100.10" {
		t.Errorf("staging blue-web-1: %+v", in)
	}
}

func TestDescribeInstancesFilters(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	for _, tc := range []struct {
		name    string
		filters []ec2types.Filter
		want    int
	}{
		{"cluster tag", tagFilter("Cluster", "blue"), 3},
		{"two values are OR", tagFilter("Cluster", "blue", "green"), 6},
		{"wildcard", tagFilter("Name", "*-web-?"), 6},
		{"tag-key", []ec2types.Filter{f("tag-key", "Cluster")}, 6},
		{"tag-key Name", []ec2types.Filter{f("tag-key", "Name")}, 7},
		{"state", []ec2types.Filter{f("instance-state-name", "stopped")}, 1},
		{"filters are AND", []ec2types.Filter{f("tag:Role", "web"), f("availability-zone", "us-east-1c")}, 2},
		{"instance-id", []ec2types.Filter{f("instance-id", "i-01100000000000004", "i-0ffffffffffffffff")}, 1},
		{"no match", tagFilter("Cluster", "purple"), 0},
	} {
		out, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{Filters: tc.filters})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := len(instances(out)); got != tc.want {
			t.Errorf("%s: %d instances, want %d", tc.name, got, tc.want)
		}
	}
}

func TestDescribeInstancesErrors(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	for _, tc := range []struct {
		name string
		in   ec2.DescribeInstancesInput
		code string
	}{
		{"unknown ID", ec2.DescribeInstancesInput{InstanceIds: []string{"i-01100000000000001", "i-0ffffffffffffffff"}}, "InvalidInstanceID.NotFound"},
		{"malformed ID", ec2.DescribeInstancesInput{InstanceIds: []string{"blue-web-1"}}, "InvalidInstanceID.Malformed"},
		{"MaxResults with IDs", ec2.DescribeInstancesInput{InstanceIds: []string{"i-01100000000000001"}, MaxResults: aws.Int32(5)}, "InvalidParameterCombination"},
		{"MaxResults too small", ec2.DescribeInstancesInput{MaxResults: aws.Int32(4)}, "InvalidParameterValue"},
		{"MaxResults too large", ec2.DescribeInstancesInput{MaxResults: aws.Int32(1001)}, "InvalidParameterValue"},
		{"unknown filter", ec2.DescribeInstancesInput{Filters: []ec2types.Filter{f("colour", "blue")}}, "InvalidParameterValue"},
		{"bad token", ec2.DescribeInstancesInput{NextToken: aws.String("not-a-token")}, "InvalidPaginationToken"},
	} {
		_, err := c.DescribeInstances(ctx(t), &tc.in)
		wantCode(t, err, tc.code)
	}
	// A token from another action is not accepted either.
	e2 := newEnv(t, Options{Instances: 20})
	out, err := e2.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(5)})
	if err != nil || out.NextToken == nil {
		t.Fatalf("subnets page: %v %v", out, err)
	}
	_, err = e2.prod().DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{NextToken: out.NextToken})
	wantCode(t, err, "InvalidPaginationToken")
}

func TestDescribeInstancesByID(t *testing.T) {
	e := newEnv(t, Options{})
	out, err := e.prod().DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{
		InstanceIds: []string{"i-01100000000000006", "i-01100000000000002", "i-01100000000000006"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range instances(out) {
		got = append(got, aws.ToString(in.InstanceId))
	}
	if len(got) != 2 || got[0] != "i-01100000000000002" || got[1] != "i-01100000000000006" {
		t.Errorf("by ID: %v", got)
	}
}

// TestPaginationIsCompleteAndStable pages through a generated fleet with
// the SDK's own paginator: every instance exactly once, in
// ceil(N/MaxResults) calls, and the same answer twice.
func TestPaginationIsCompleteAndStable(t *testing.T) {
	e := newEnv(t, Options{Instances: 1100})
	walk := func() []string {
		var ids []string
		p := ec2.NewDescribeInstancesPaginator(e.prod(), &ec2.DescribeInstancesInput{MaxResults: aws.Int32(500)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range instances(out) {
				ids = append(ids, aws.ToString(in.InstanceId))
			}
		}
		return ids
	}
	e.s.ResetStats()
	first := walk()
	if got := e.s.Stats()["ec2:DescribeInstances"]; got != 3 {
		t.Errorf("1100 instances took %d calls of 500, want 3", got)
	}
	if len(first) != 1100 || !sort.StringsAreSorted(first) {
		t.Fatalf("got %d instances (sorted %v)", len(first), sort.StringsAreSorted(first))
	}
	seen := map[string]bool{}
	for _, id := range first {
		if seen[id] {
			t.Fatalf("%s served twice", id)
		}
		seen[id] = true
	}
	second := walk()
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("second walk differs at %d: %s vs %s", i, first[i], second[i])
		}
	}
}

// TestPaginationSurvivesChanges deletes and adds instances between pages:
// nothing that existed throughout is skipped or repeated.
func TestPaginationSurvivesChanges(t *testing.T) {
	e := newEnv(t, Options{Instances: 30})
	c := e.prod()
	out, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{MaxResults: aws.Int32(10)})
	if err != nil {
		t.Fatal(err)
	}
	page1 := instances(out)
	last := aws.ToString(page1[len(page1)-1].InstanceId)
	e.s.Update(ProdAccountID, "us-east-1", func(r *Region) {
		delete(r.Instances, last)                              // the cursor itself vanishes
		delete(r.Instances, aws.ToString(page1[0].InstanceId)) // already served
	})
	var rest []string
	for tok := out.NextToken; tok != nil; {
		out, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{MaxResults: aws.Int32(10), NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range instances(out) {
			rest = append(rest, aws.ToString(in.InstanceId))
		}
		tok = out.NextToken
	}
	if len(rest) != 20 || rest[0] <= last {
		t.Errorf("after deleting the cursor: %d more instances starting %v, want 20 after %s", len(rest), rest[:1], last)
	}
}

func TestDescribeAddresses(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	out, err := c.DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Addresses) != 4 {
		t.Fatalf("%d addresses, want 4", len(out.Addresses))
	}
	for i, a := range out.Addresses {
		wantAlloc := "eipalloc-0110000000000000" + string(rune('1'+i))
		if aws.ToString(a.AllocationId) != wantAlloc || a.Domain != ec2types.DomainTypeVpc {
			t.Errorf("address %d: %s %s", i, aws.ToString(a.AllocationId), a.Domain)
		}
		if i < 3 {
			if aws.ToString(a.InstanceId) != "i-0110000000000000"+string(rune('1'+i)) ||
				aws.ToString(a.AssociationId) != "eipassoc-0110000000000000"+string(rune('1'+i)) ||
				aws.ToString(a.NetworkInterfaceId) == "" || aws.ToString(a.PrivateIpAddress) == "" {
				t.Errorf("address %d should be on blue-web-%d: %+v", i, i+1, a)
			}
		} else if a.InstanceId != nil || a.AssociationId != nil {
			t.Errorf("the spare address is associated: %+v", a)
		}
	}

	for _, tc := range []struct {
		name string
		in   ec2.DescribeAddressesInput
		want int
	}{
		{"instance-id", ec2.DescribeAddressesInput{Filters: []ec2types.Filter{f("instance-id", "i-01100000000000002")}}, 1},
		{"public-ip", ec2.DescribeAddressesInput{Filters: []ec2types.Filter{f("public-ip", "203.0.113.13")}}, 1},
		{"allocation-id", ec2.DescribeAddressesInput{Filters: []ec2types.Filter{f("allocation-id", "eipalloc-01100000000000001", "eipalloc-01100000000000004")}}, 2},
		{"AllocationIds", ec2.DescribeAddressesInput{AllocationIds: []string{"eipalloc-01100000000000003"}}, 1},
		{"PublicIps", ec2.DescribeAddressesInput{PublicIps: []string{"203.0.113.10", "203.0.113.11"}}, 2},
		{"tag", ec2.DescribeAddressesInput{Filters: tagFilter("Name", "acme-spare")}, 1},
	} {
		out, err := c.DescribeAddresses(ctx(t), &tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(out.Addresses) != tc.want {
			t.Errorf("%s: %d addresses, want %d", tc.name, len(out.Addresses), tc.want)
		}
	}

	_, err = c.DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{AllocationIds: []string{"eipalloc-0ffffffffffffffff"}})
	wantCode(t, err, "InvalidAllocationID.NotFound")
	_, err = c.DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{PublicIps: []string{"192.0.2.250"}})
	wantCode(t, err, "InvalidAddress.NotFound")
	_, err = c.DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{AllocationIds: []string{"eip-1"}})
	wantCode(t, err, "InvalidAllocationID.Malformed")
}

func TestDescribeSubnets(t *testing.T) {
	e := newEnv(t, Options{})
	out, err := e.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{})
	if err != nil {
		t.Fatal(err)
	}
	free := map[string]int32{}
	for _, sn := range out.Subnets {
		free[aws.ToString(sn.AvailabilityZone)] = aws.ToInt32(sn.AvailableIpAddressCount)
		if aws.ToString(sn.VpcId) != "vpc-01100000000000001" || aws.ToBool(sn.DefaultForAz) {
			t.Errorf("subnet %+v", sn)
		}
	}
	if len(free) != 3 || free["us-east-1c"] != 3 || free["us-east-1a"] < 200 {
		t.Errorf("free addresses by AZ: %v", free)
	}

	_, err = e.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-0ffffffffffffffff"}})
	wantCode(t, err, "InvalidSubnetID.NotFound")
	_, err = e.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(2000)})
	wantCode(t, err, "InvalidParameterValue")

	// eu-west-1 is the small region with the default VPC.
	eu := ec2.NewFromConfig(e.cfg(ProdAccessKey, "eu-west-1"))
	out, err = eu.DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{f("default-for-az", "true")}})
	if err != nil || len(out.Subnets) != 2 {
		t.Fatalf("eu-west-1 default subnets: %v %v", out, err)
	}

	// Paginated: 1,000 instances have 6 subnets, two pages of 5.
	g := newEnv(t, Options{Instances: 1000})
	var n int
	p := ec2.NewDescribeSubnetsPaginator(g.prod(), &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.Subnets)
	}
	if n != 6 || g.s.Stats()["ec2:DescribeSubnets"] != 2 {
		t.Errorf("%d subnets in %d calls, want 6 in 2", n, g.s.Stats()["ec2:DescribeSubnets"])
	}
}

func TestDescribeInstanceStatus(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	out, err := c.DescribeInstanceStatus(ctx(t), &ec2.DescribeInstanceStatusInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.InstanceStatuses) != 7 {
		t.Fatalf("default: %d statuses, want the 7 running instances", len(out.InstanceStatuses))
	}
	byID := map[string]ec2types.InstanceStatus{}
	for _, st := range out.InstanceStatuses {
		byID[aws.ToString(st.InstanceId)] = st
	}
	green3 := byID["i-01100000000000006"]
	if green3.InstanceStatus.Status != ec2types.SummaryStatusImpaired || green3.SystemStatus.Status != ec2types.SummaryStatusOk {
		t.Errorf("green-web-3 should fail its instance check: %+v %+v", green3.InstanceStatus, green3.SystemStatus)
	}
	if d := green3.InstanceStatus.Details; len(d) != 1 || d[0].Status != ec2types.StatusTypeFailed || d[0].ImpairedSince == nil {
		t.Errorf("green-web-3 details: %+v", d)
	}
	bastion := byID["i-01100000000000007"]
	if len(bastion.Events) != 1 || bastion.Events[0].Code != ec2types.EventCodeInstanceRetirement || bastion.Events[0].NotBefore == nil {
		t.Errorf("bastion should have a retirement scheduled: %+v", bastion.Events)
	}
	if blue := byID["i-01100000000000001"]; blue.InstanceStatus.Status != ec2types.SummaryStatusOk || len(blue.Events) != 0 {
		t.Errorf("blue-web-1: %+v", blue)
	}

	out, err = c.DescribeInstanceStatus(ctx(t), &ec2.DescribeInstanceStatusInput{IncludeAllInstances: aws.Bool(true)})
	if err != nil || len(out.InstanceStatuses) != 8 {
		t.Fatalf("IncludeAllInstances: %d, %v", len(out.InstanceStatuses), err)
	}
	stopped := out.InstanceStatuses[7]
	if stopped.InstanceState.Name != ec2types.InstanceStateNameStopped || stopped.InstanceStatus.Status != ec2types.SummaryStatusNotApplicable {
		t.Errorf("stopped instance: %+v", stopped)
	}

	out, err = c.DescribeInstanceStatus(ctx(t), &ec2.DescribeInstanceStatusInput{
		Filters: []ec2types.Filter{f("instance-status.status", "impaired")},
	})
	if err != nil || len(out.InstanceStatuses) != 1 {
		t.Errorf("impaired filter: %d, %v", len(out.InstanceStatuses), err)
	}
	out, err = c.DescribeInstanceStatus(ctx(t), &ec2.DescribeInstanceStatusInput{InstanceIds: []string{"i-01100000000000008"}})
	if err != nil || len(out.InstanceStatuses) != 0 {
		t.Errorf("a stopped instance by ID without IncludeAllInstances: %d, %v", len(out.InstanceStatuses), err)
	}
	_, err = c.DescribeInstanceStatus(ctx(t), &ec2.DescribeInstanceStatusInput{InstanceIds: []string{"i-0ffffffffffffffff"}})
	wantCode(t, err, "InvalidInstanceID.NotFound")
	_, err = c.DescribeInstanceStatus(ctx(t), &ec2.DescribeInstanceStatusInput{InstanceIds: []string{"i-01100000000000001"}, MaxResults: aws.Int32(5)})
	wantCode(t, err, "InvalidParameterCombination")

	g := newEnv(t, Options{Instances: 1200})
	var n int
	p := ec2.NewDescribeInstanceStatusPaginator(g.prod(), &ec2.DescribeInstanceStatusInput{IncludeAllInstances: aws.Bool(true), MaxResults: aws.Int32(1000)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.InstanceStatuses)
	}
	if n != 1200 {
		t.Errorf("paginated statuses: %d, want 1200", n)
	}
}

func TestUnknownRegionIsEmpty(t *testing.T) {
	e := newEnv(t, Options{})
	c := ec2.NewFromConfig(e.cfg(ProdAccessKey, "ap-southeast-2"))
	out, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{})
	if err != nil || len(out.Reservations) != 0 {
		t.Fatalf("ap-southeast-2: %v, %v", out, err)
	}
	bad := ec2.NewFromConfig(e.cfg(ProdAccessKey, "mars-1"))
	_, err = bad.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{}, noRetry)
	wantCode(t, err, "AuthFailure")
}

// BenchmarkDescribeInstancesPage measures the server side of one full page
// (1,000 instances) without the network or the SDK.
func BenchmarkDescribeInstancesPage(b *testing.B) {
	s, err := New(Options{Instances: 10000})
	if err != nil {
		b.Fatal(err)
	}
	body := "Action=DescribeInstances&Version=2016-11-15&MaxResults=1000"
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", authHeader(ProdAccessKey, "us-east-1", "ec2"))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Body.String())
		}
	}
}

package sim

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

func TestGoLiveMovesEIPsToGreen(t *testing.T) {
	e := newEnv(t, Options{})
	if err := e.s.GoLive(ProdAccountID); err != nil {
		t.Fatal(err)
	}
	out, err := e.prod().DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct{ instance, assoc string }{
		"203.0.113.10": {"i-01100000000000004", "eipassoc-01100000000000004"},
		"203.0.113.11": {"i-01100000000000005", "eipassoc-01100000000000005"},
		"203.0.113.12": {"i-01100000000000006", "eipassoc-01100000000000006"},
		"203.0.113.13": {"", ""},
	}
	for _, a := range out.Addresses {
		w := want[aws.ToString(a.PublicIp)]
		if aws.ToString(a.InstanceId) != w.instance || aws.ToString(a.AssociationId) != w.assoc {
			t.Errorf("%s on %s (%s), want %s (%s)", aws.ToString(a.PublicIp), aws.ToString(a.InstanceId), aws.ToString(a.AssociationId), w.instance, w.assoc)
		}
	}
	// The instances' public addresses follow.
	din, err := e.prod().DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: []string{"i-01100000000000001", "i-01100000000000004"}})
	if err != nil {
		t.Fatal(err)
	}
	in := instances(din)
	if in[0].PublicIpAddress != nil || aws.ToString(in[1].PublicIpAddress) != "203.0.113.10" {
		t.Errorf("after go-live blue-web-1 has %v, green-web-1 %v", in[0].PublicIpAddress, in[1].PublicIpAddress)
	}
	// Staging is untouched, and a second go-live has nothing to move.
	st, _ := e.ec2(StagingAccessKey).DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{})
	if aws.ToString(st.Addresses[0].InstanceId) != "i-02100000000000001" {
		t.Errorf("staging moved: %+v", st.Addresses[0])
	}
	if err := e.s.GoLive(ProdAccountID); err == nil {
		t.Error("second GoLive should fail: blue holds nothing")
	}
	if err := e.s.GoLive("999999999999"); err == nil {
		t.Error("GoLive on an unknown account should fail")
	}
	// Back again, then Reset restores the original associations.
	if _, err := e.s.MoveEIPs(ProdAccountID, "us-east-1", "green", "blue"); err != nil {
		t.Fatal(err)
	}
	e.s.Reset()
	out, _ = e.prod().DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{})
	if aws.ToString(out.Addresses[0].AssociationId) != "eipassoc-01100000000000001" {
		t.Errorf("after Reset: %+v", out.Addresses[0])
	}
}

func TestGoLiveRefusesWithoutRoom(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.Update(ProdAccountID, "us-east-1", func(r *Region) {
		r.Instances["i-01100000000000005"].State = StateStopped
	})
	if err := e.s.GoLive(ProdAccountID); err == nil {
		t.Fatal("GoLive with two running green instances for three EIPs should fail")
	}
	out, _ := e.prod().DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{Filters: tagFilter("Name", "acme-web-1")})
	if aws.ToString(out.Addresses[0].InstanceId) != "i-01100000000000001" {
		t.Error("a refused GoLive changed something")
	}
}

func TestUpdateCreatesAccountsAndRegions(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.Update("333333333333", "us-west-2", func(r *Region) {
		r.Instances["i-0abcdef0123456789"] = &Instance{ID: "i-0abcdef0123456789", State: StateRunning, ReservationID: "r-0abcdef0123456789", Tags: map[string]string{"Cluster": "x"}}
	})
	e.s.AddAccessKey("AKIATHIRD00000000001", "333333333333")
	c := ec2.NewFromConfig(e.cfg("AKIATHIRD00000000001", "us-west-2"))
	out, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{Filters: tagFilter("Cluster", "x")})
	if err != nil || len(instances(out)) != 1 {
		t.Fatalf("third account: %v %v", out, err)
	}
}

func TestGeneratedWorld(t *testing.T) {
	s, err := New(Options{Instances: 10000, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	s.Update(ProdAccountID, "us-east-1", func(r *Region) {
		if len(r.Instances) != 10000 {
			t.Errorf("%d instances", len(r.Instances))
		}
		associated, untagged, stopped, failing := 0, 0, 0, 0
		for _, a := range r.Addresses {
			if a.InstanceID != "" {
				associated++
				if r.Instances[a.InstanceID] == nil {
					t.Fatalf("EIP on unknown instance %s", a.InstanceID)
				}
			}
		}
		for _, in := range r.Instances {
			if _, ok := in.Tags[clusterTag]; !ok {
				untagged++
			}
			if in.State == StateStopped {
				stopped++
			}
		}
		for _, st := range r.Statuses {
			if st.Instance == CheckImpaired || st.System == CheckImpaired {
				failing++
			}
		}
		if associated < 800 || associated > 1020 || len(r.Addresses)-associated != 51 {
			t.Errorf("%d EIPs, %d associated", len(r.Addresses), associated)
		}
		if untagged < 300 || stopped < 200 || failing < 40 {
			t.Errorf("untagged %d, stopped %d, failing %d", untagged, stopped, failing)
		}
		if got := len(r.Tagged(clusterTag, "green")); got != 50 {
			t.Errorf("green has %d instances", got)
		}
	})
	if _, err := s.MoveEIPs(ProdAccountID, "us-east-1", "blue", "green"); err != nil {
		t.Errorf("GoLive on a generated fleet: %v", err)
	}

	// Deterministic: same seed, same world.
	a, _ := New(Options{Instances: 500, Seed: 3})
	b, _ := New(Options{Instances: 500, Seed: 3})
	var sa, sb []InstanceState
	a.Update(ProdAccountID, "us-east-1", func(r *Region) {
		for _, id := range r.instanceIDs() {
			sa = append(sa, r.Instances[id].State)
		}
	})
	b.Update(ProdAccountID, "us-east-1", func(r *Region) {
		for _, id := range r.instanceIDs() {
			sb = append(sb, r.Instances[id].State)
		}
	})
	for i := range sa {
		if sa[i] != sb[i] {
			t.Fatalf("instance %d: %s vs %s", i, sa[i], sb[i])
		}
	}
}

func TestUnknownScenario(t *testing.T) {
	if _, err := New(Options{Scenario: "nope"}); err == nil {
		t.Fatal("unknown scenario accepted")
	}
	if _, err := New(Options{Instances: -1}); err == nil {
		t.Fatal("negative Instances accepted")
	}
	if _, err := New(Options{Services: -1}); err == nil {
		t.Fatal("negative Services accepted")
	}
	for _, name := range []string{"demo", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "hostile", "empty"} {
		if _, err := New(Options{Scenario: name}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if len(Scenarios()) != 10 {
		t.Errorf("Scenarios() = %v", Scenarios())
	}
}

// BenchmarkGenerate50k builds the largest fleet the benchmarks use (in both
// accounts); it should take well under a second.
func BenchmarkGenerate50k(b *testing.B) {
	for b.Loop() {
		if _, err := New(Options{Instances: 50000}); err != nil {
			b.Fatal(err)
		}
	}
}

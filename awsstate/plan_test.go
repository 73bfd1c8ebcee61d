package awsstate

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// A refresh that is not due to fetch the fleet costs the identity and the
// Elastic IPs only: three calls, whatever the fleet's size.
func TestFetchPlanCallsOnlyWhatIsDue(t *testing.T) {
	s, url := startSim(t, sim.Options{Instances: 2500, Seed: 1})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	everyone := func(string) bool { return true }

	quick := c.FetchPlan(context.Background(), Plan{
		Sections: []model.Section{model.SectionIdentity, model.SectionAddresses}, Known: everyone,
	})

	want := map[string]int{"sts:GetCallerIdentity": 1, "iam:ListAccountAliases": 1, "ec2:DescribeAddresses": 1}
	if got := s.Stats(); !maps.Equal(got, want) {
		t.Errorf("calls = %v, want %v", got, want)
	}
	if got := slices.Sorted(maps.Keys(quick.Sections)); !slices.Equal(got, []model.Section{model.SectionAddresses, model.SectionIdentity}) {
		t.Errorf("sections = %v, want only addresses and identity", got)
	}
	for sec, r := range quick.Sections {
		if !r.Complete || !r.FetchedAt.Equal(quick.FetchedAt) {
			t.Errorf("%s = %+v, want complete and fetched at %s", sec, r, quick.FetchedAt)
		}
	}
	if quick.Instances != nil || quick.Statuses != nil || quick.Subnets != nil {
		t.Errorf("sections not due came back with data: %d instances, %d statuses, %d subnets",
			len(quick.Instances), len(quick.Statuses), len(quick.Subnets))
	}
	if quick.Stats.APICalls != 3 {
		t.Errorf("APICalls = %d, want 3", quick.Stats.APICalls)
	}

	s.ResetStats()
	fleet := c.FetchPlan(context.Background(), Plan{Sections: []model.Section{model.SectionInstances, model.SectionStatus}})

	want = map[string]int{"ec2:DescribeInstances": 3, "ec2:DescribeInstanceStatus": 3}
	if got := s.Stats(); !maps.Equal(got, want) {
		t.Errorf("calls = %v, want %v", got, want)
	}
	for _, sec := range []model.Section{model.SectionInstances, model.SectionStatus} {
		r := fleet.Sections[sec]
		// Decoding 1,000 instances takes milliseconds; the cadence is
		// judged from it, so it must be measured, not left at zero.
		if !r.Complete || r.Calls != 3 || r.Decode <= 0 || r.Decode > r.Duration {
			t.Errorf("%s = %+v, want complete in 3 calls with a decode time within its duration", sec, r)
		}
	}
	if len(fleet.Instances) != 2500 || len(fleet.Statuses) != 2500 {
		t.Errorf("%d instances and %d statuses, want 2500 of each", len(fleet.Instances), len(fleet.Statuses))
	}
}

// An EIP held by an instance the caller's list lacks is resolved at once,
// by ID, with the addresses: LIVE does not wait for the fleet list.
func TestFetchPlanResolvesUnknownHolderByID(t *testing.T) {
	s, url := startSim(t, sim.Options{})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	const newHolder = "i-01100000000000002" // blue-web-2, holding an EIP
	known := func(id string) bool { return id != newHolder }
	quick := []model.Section{model.SectionIdentity, model.SectionAddresses}

	snap := c.FetchPlan(context.Background(), Plan{Sections: quick, Known: known})

	if got := s.Stats()["ec2:DescribeInstances"]; got != 1 {
		t.Errorf("DescribeInstances calls = %d, want 1 (the holder by ID)", got)
	}
	r, ok := snap.Sections[model.SectionHolders]
	if !ok || !r.Complete || r.Calls != 1 {
		t.Fatalf("holders section = %+v (present %v), want complete in one call", r, ok)
	}
	if len(snap.Instances) != 1 || snap.Instances[0].ID != newHolder || snap.Instances[0].Tags.Get("Cluster") != "blue" {
		t.Errorf("instances = %+v, want only %s of blue", snap.Instances, newHolder)
	}
	if _, ok := snap.Sections[model.SectionInstances]; ok {
		t.Error("the instance list was not due, but the snapshot has the section")
	}

	// Every holder known, or no list to compare with: nothing by ID.
	for name, k := range map[string]func(string) bool{"all known": func(string) bool { return true }, "no list": nil} {
		s.ResetStats()
		snap := c.FetchPlan(context.Background(), Plan{Sections: quick, Known: k})
		if got := s.Stats()["ec2:DescribeInstances"]; got != 0 {
			t.Errorf("%s: DescribeInstances calls = %d, want none", name, got)
		}
		if _, ok := snap.Sections[model.SectionHolders]; ok {
			t.Errorf("%s: a holders section without holders to fetch", name)
		}
	}

	// The instance list is due anyway: it brings the holder.
	s.ResetStats()
	c.FetchPlan(context.Background(), Plan{Sections: append(quick, model.SectionInstances), Known: known})
	if got := s.Stats()["ec2:DescribeInstances"]; got != 1 {
		t.Errorf("with the list due: DescribeInstances calls = %d, want the list's one page", got)
	}

	// A holder that cannot be fetched leaves the addresses whole and
	// says why the holders are unknown.
	s.Inject(sim.Fault{Action: "ec2:DescribeInstances", Kind: sim.FaultAccessDenied})
	snap = c.FetchPlan(context.Background(), Plan{Sections: quick, Known: known})
	if r := snap.Sections[model.SectionHolders]; r.Complete || KindOf(r.Err) != KindAccessDenied {
		t.Errorf("holders section = %+v, want access denied", r)
	}
	if r := snap.Sections[model.SectionAddresses]; !r.Complete {
		t.Errorf("addresses section = %+v, want complete", r)
	}
}

// Throttled attempts are counted from the SDK's retry middleware, per
// API, exactly as many as the sim answered with a throttling error, and
// stay counted for a minute.
func TestFetchCountsThrottledAttempts(t *testing.T) {
	s, url := startSim(t, sim.Options{})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	s.Inject(sim.Fault{Action: "ec2:DescribeAddresses", Kind: sim.FaultThrottle, Times: 2})
	s.Inject(sim.Fault{Action: "sts:GetCallerIdentity", Kind: sim.FaultThrottle, Times: 1})
	s.Inject(sim.Fault{Action: "ec2:DescribeSubnets", Kind: sim.FaultThrottle}) // every attempt

	// The EC2 sections only: the launch preflight reads subnets too.
	snap := c.FetchPlan(context.Background(), Plan{Sections: []model.Section{model.SectionIdentity,
		model.SectionAddresses, model.SectionInstances, model.SectionStatus, model.SectionSubnets}})

	calls := s.Stats()
	// Each call the sim saw failed but the last one of an API that
	// recovered; DescribeSubnets never did.
	want := map[string]int{
		"ec2:DescribeAddresses": calls["ec2:DescribeAddresses"] - 1,
		"sts:GetCallerIdentity": calls["sts:GetCallerIdentity"] - 1,
		"ec2:DescribeSubnets":   calls["ec2:DescribeSubnets"],
	}
	if want["ec2:DescribeAddresses"] != 2 || want["sts:GetCallerIdentity"] != 1 || want["ec2:DescribeSubnets"] != maxAttempts {
		t.Fatalf("the sim's calls %v do not show the faults injected", calls)
	}
	if !maps.Equal(snap.Stats.Throttled, want) {
		t.Errorf("Stats.Throttled = %v, want %v", snap.Stats.Throttled, want)
	}
	for sec, n := range map[model.Section]int{model.SectionAddresses: 2, model.SectionIdentity: 1, model.SectionSubnets: maxAttempts, model.SectionInstances: 0} {
		if got := snap.Sections[sec].Throttled; got != n {
			t.Errorf("%s: Throttled = %d, want %d", sec, got, n)
		}
	}
	if r := snap.Sections[model.SectionAddresses]; !r.Complete {
		t.Errorf("addresses = %+v, want complete after the retries", r)
	}

	// A refresh without throttling still reports the minute's count.
	s.ClearFaults()
	again := c.FetchPlan(context.Background(), Plan{Sections: []model.Section{model.SectionAddresses}})
	if !maps.Equal(again.Stats.Throttled, want) {
		t.Errorf("next refresh: Stats.Throttled = %v, want the minute's %v", again.Stats.Throttled, want)
	}
	if r := again.Sections[model.SectionAddresses]; r.Throttled != 0 {
		t.Errorf("next refresh: addresses Throttled = %d, want 0", r.Throttled)
	}
}

func TestThrottleLogKeepsOneMinute(t *testing.T) {
	var l throttleLog
	t0 := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	if got := l.counts(t0); got != nil {
		t.Errorf("empty log counts %v", got)
	}
	l.add("ec2:DescribeInstances", 2, t0)
	l.add("ec2:DescribeInstances", 1, t0.Add(30*time.Second))
	l.add("sts:GetCallerIdentity", 1, t0.Add(40*time.Second))
	for _, tc := range []struct {
		at   time.Duration
		want map[string]int
	}{
		{50 * time.Second, map[string]int{"ec2:DescribeInstances": 3, "sts:GetCallerIdentity": 1}},
		{60 * time.Second, map[string]int{"ec2:DescribeInstances": 1, "sts:GetCallerIdentity": 1}},
		{95 * time.Second, map[string]int{"sts:GetCallerIdentity": 1}},
		{101 * time.Second, nil},
	} {
		if got := l.counts(t0.Add(tc.at)); !maps.Equal(got, tc.want) {
			t.Errorf("at %s: %v, want %v", tc.at, got, tc.want)
		}
	}
	for i := range maxThrottleEvents + 5 {
		l.add("ec2:DescribeAddresses", 1, t0.Add(2*time.Minute+time.Duration(i)))
	}
	if got := l.counts(t0.Add(2 * time.Minute)); got["ec2:DescribeAddresses"] != maxThrottleEvents {
		t.Errorf("a flood counts %v, want it bounded at %d", got, maxThrottleEvents)
	}
}

// What a fleet's instances share is kept once: a list of 2,500 holds one
// copy of its zone, subnet, VPC, type and cluster names, not 2,500.
func TestFetchInternsSharedStrings(t *testing.T) {
	_, url := startSim(t, sim.Options{Instances: 2500, Seed: 1})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})
	snap := c.FetchPlan(context.Background(), Plan{Sections: []model.Section{model.SectionInstances}, Expect: 2400})

	copies := map[string]map[*byte]bool{}
	note := func(field, v string) {
		if v == "" {
			return
		}
		if copies[field+"="+v] == nil {
			copies[field+"="+v] = map[*byte]bool{}
		}
		copies[field+"="+v][unsafe.StringData(v)] = true
	}
	for _, in := range snap.Instances {
		note("type", in.Type)
		note("az", in.AZ)
		note("subnet", in.SubnetID)
		note("vpc", in.VPCID)
		note("cluster", in.Tags.Get("Cluster"))
	}
	if len(copies) == 0 || len(snap.Instances) != 2500 {
		t.Fatalf("%d instances, %d distinct values", len(snap.Instances), len(copies))
	}
	for v, ptrs := range copies {
		if len(ptrs) != 1 {
			t.Errorf("%s is held in %d copies", v, len(ptrs))
		}
	}
}

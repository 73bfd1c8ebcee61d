package awsstate

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// liveOf names the clusters Analyze calls live, and how many it cannot
// call either way.
func liveOf(s model.Snapshot) (live []string, unknown int) {
	for _, c := range model.Analyze(s, "").Clusters {
		switch c.Liveness {
		case model.IsLive:
			live = append(live, c.Name)
		case model.LiveUnknown:
			unknown++
		}
	}
	return live, unknown
}

// A status line runs in every tmux session every few seconds: it must
// cost one refresh's identity, one DescribeAddresses and the holders by
// ID, never the fleet, and still name the LIVE cluster, before and after
// the go-live.
func TestGlanceCallsAndLiveness(t *testing.T) {
	s, url := startSim(t, sim.Options{})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})

	snap := c.Glance(context.Background())
	want := map[string]int{
		"sts:GetCallerIdentity":  1,
		"iam:ListAccountAliases": 1,
		"ec2:DescribeAddresses":  1,
		"ec2:DescribeInstances":  1,
	}
	if got := s.Stats(); !maps.Equal(got, want) {
		t.Errorf("calls = %v, want %v", got, want)
	}
	if snap.Stats.APICalls != 4 {
		t.Errorf("Stats.APICalls = %d, want 4", snap.Stats.APICalls)
	}
	for _, sec := range []model.Section{model.SectionIdentity, model.SectionAddresses, model.SectionHolders} {
		if !snap.Known(sec) {
			t.Errorf("section %s = %+v, want complete", sec, snap.Sections[sec])
		}
	}
	if _, ok := snap.Sections[model.SectionInstances]; ok {
		t.Error("a glance claims the instances section: it holds only the holders")
	}
	if snap.Identity.AccountID != sim.ProdAccountID || snap.Identity.Alias != "acme-prod" {
		t.Errorf("identity = %+v", snap.Identity)
	}
	if len(snap.Instances) != 3 {
		t.Errorf("instances = %d, want blue's 3 holders", len(snap.Instances))
	}
	if live, unknown := liveOf(snap); strings.Join(live, ",") != "blue" || unknown != 0 {
		t.Errorf("live = %v (%d unknown), want blue", live, unknown)
	}

	if err := s.GoLive(sim.ProdAccountID); err != nil {
		t.Fatal(err)
	}
	s.ResetStats()
	snap = c.Glance(context.Background())
	if live, unknown := liveOf(snap); strings.Join(live, ",") != "green" || unknown != 0 {
		t.Errorf("after go-live: live = %v (%d unknown), want green", live, unknown)
	}
	if got := s.Stats(); !maps.Equal(got, want) {
		t.Errorf("after go-live: calls = %v, want %v", got, want)
	}
}

// The cost grows with the holders (200 IDs a call), not the fleet: 2,500
// instances hold about 250 EIPs.
func TestGlanceCostFollowsHolders(t *testing.T) {
	s, url := startSim(t, sim.Options{Instances: 2500, Seed: 1})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})

	snap := c.Glance(context.Background())
	holders := map[string]bool{}
	for _, a := range snap.Addresses {
		if a.InstanceID != "" {
			holders[a.InstanceID] = true
		}
	}
	if len(holders) < 201 {
		t.Fatalf("only %d holders: the test needs more than one call's worth", len(holders))
	}
	wantDescribe := (len(holders) + filterValues - 1) / filterValues
	if got := s.Stats()["ec2:DescribeInstances"]; got != wantDescribe {
		t.Errorf("DescribeInstances calls = %d for %d holders, want %d", got, len(holders), wantDescribe)
	}
	if len(snap.Instances) != len(holders) {
		t.Errorf("instances = %d, want the %d holders only", len(snap.Instances), len(holders))
	}
	if live, unknown := liveOf(snap); len(live) == 0 || unknown != 0 {
		t.Errorf("live = %v (%d unknown), want named clusters", live, unknown)
	}
}

// Without the addresses there is nothing to ask about and nothing to
// call live or not: the holders are not fetched, and the section says why.
func TestGlanceAddressesDenied(t *testing.T) {
	s, url := startSim(t, sim.Options{})
	s.Inject(sim.Fault{Action: "ec2:DescribeAddresses", Kind: sim.FaultAccessDenied})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})

	snap := c.Glance(context.Background())
	if snap.Known(model.SectionAddresses) || KindOf(snap.Sections[model.SectionAddresses].Err) != KindAccessDenied {
		t.Errorf("addresses = %+v, want access denied", snap.Sections[model.SectionAddresses])
	}
	if snap.Known(model.SectionHolders) || !strings.Contains(snap.Unknown(model.SectionHolders), "ec2:DescribeAddresses") {
		t.Errorf("holders = %q, want unknown because of the addresses", snap.Unknown(model.SectionHolders))
	}
	if n := s.Stats()["ec2:DescribeInstances"]; n != 0 {
		t.Errorf("DescribeInstances called %d times without addresses", n)
	}
	if !snap.Identity.Confirmed() {
		t.Error("identity not confirmed: only the addresses were denied")
	}
}

// AccessDenied on iam:ListAccountAliases costs the name, not the
// identity, and is not "the account has no alias".
func TestFetchAliasDenied(t *testing.T) {
	s, url := startSim(t, sim.Options{})
	s.Inject(sim.Fault{Action: "iam:ListAccountAliases", Kind: sim.FaultAccessDenied})
	c := clientFor(t, url, sim.ProdAccessKey, Options{})

	for name, snap := range map[string]model.Snapshot{"Fetch": c.Fetch(context.Background()), "Glance": c.Glance(context.Background())} {
		id := snap.Identity
		if !id.Confirmed() || !snap.Known(model.SectionIdentity) {
			t.Errorf("%s: identity %+v, section %+v; want confirmed by STS", name, id, snap.Sections[model.SectionIdentity])
		}
		if id.Alias != "" || id.AliasKnown() || id.AliasError != "AccessDenied" {
			t.Errorf("%s: alias %q, error %q; want none read and AccessDenied", name, id.Alias, id.AliasError)
		}
	}

	s.ClearFaults()
	if id := c.Fetch(context.Background()).Identity; id.Alias != "acme-prod" || !id.AliasKnown() {
		t.Errorf("alias %q, error %q after the fault cleared; want acme-prod", id.Alias, id.AliasError)
	}
}

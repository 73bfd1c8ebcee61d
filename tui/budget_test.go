package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/awsstate/sim"
)

// BenchmarkRefreshBudget drives the dashboard's refresh loop through five
// minutes of its own clock (a tick every 5.5 s, the longest jitter)
// against a simulated account of 50,000 instances, through the real
// client, and reports the calls per minute the sim counted for each API.
// Each EC2 and ECS action must stay within a quarter of its refill (300 a
// minute), and Auto Scaling's Describe actions together, since they share
// one bucket; the
// cadence of the costly sections comes from the decoding time measured
// on this machine, as in the running program. It takes about a minute,
// so it is a benchmark, not a test:
//
//	go test ./tui/ -run '^$' -bench RefreshBudget -benchtime 1x
func BenchmarkRefreshBudget(b *testing.B) {
	const budget = 300.0 // calls a minute: a quarter of 20 a second
	s, newClient := benchAccount(b, sim.Options{Instances: 50_000, Seed: 1})
	for b.Loop() {
		hs := newHarness(b, newClient(), Options{Refresh: 5 * time.Second, FetchTimeout: time.Minute}, 120, 40)
		hs.runRefresh(hs.m.startFetch())
		s.ResetStats()
		const ticks = 55 // 5.5 s each: five minutes
		for range ticks {
			hs.tick(5500 * time.Millisecond)
			if hs.m.fresh.Stale {
				b.Fatalf("stale on a healthy account: %s", hs.m.fresh.Reason)
			}
		}
		minutes := float64(ticks) * 5.5 / 60
		autoscaling := 0.0 // Auto Scaling's Describe* share one bucket
		for api, n := range s.AccountStats(sim.ProdAccountID) {
			perMinute := float64(n) / minutes
			b.ReportMetric(perMinute, strings.TrimPrefix(api, "ec2:")+"/min")
			// EC2 and ECS refill each action's bucket at 20 a second.
			if (strings.HasPrefix(api, "ec2:") || strings.HasPrefix(api, "ecs:")) && perMinute > budget {
				b.Errorf("%s: %.0f calls a minute, over the budget of %.0f", api, perMinute, budget)
			}
			if strings.HasPrefix(api, "autoscaling:Describe") {
				autoscaling += perMinute
			}
		}
		if autoscaling > budget {
			b.Errorf("autoscaling:Describe*: %.0f calls a minute together, over the budget of %.0f", autoscaling, budget)
		}
	}
}

// benchAccount serves a simulated account of o over HTTP for a benchmark
// and returns it with a function making a real client of its acme-prod
// profile (each call a new client, as a new dashboard would have).
func benchAccount(b *testing.B, o sim.Options) (*sim.Server, func() *awsstate.Client) {
	b.Helper()
	ao := awsstate.Options{Profile: "acme-prod", CallTimeout: time.Minute}
	s, _, url := simAWS(b, o, ao)
	ao.Endpoint = url
	cfg, err := awsstate.LoadConfig(context.Background(), ao)
	if err != nil {
		b.Fatal(err)
	}
	return s, func() *awsstate.Client { return awsstate.New(cfg, ao) }
}

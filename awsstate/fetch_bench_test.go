package awsstate

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// BenchmarkFetch measures a whole refresh against the simulator: wall time
// per refresh (ns/op) and API calls per refresh (calls/op), which must grow
// with pages (ceil(N/1000) per paginated section), not with instances.
//
//	go test -run '^$' -bench 'BenchmarkFetch$' -benchtime 5x ./awsstate/
func BenchmarkFetch(b *testing.B) {
	for _, n := range []int{100, 10_000, 50_000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			_, url := startSim(b, sim.Options{Instances: n, Seed: 1})
			c := clientFor(b, url, sim.ProdAccessKey, Options{CallTimeout: time.Minute})
			// The ECS section's pace is waiting, not work: 2,000
			// services are 222 calls, 44 s at 5 a second.
			c.ecsPace = nil
			calls := 0
			for b.Loop() {
				snap := c.Fetch(context.Background())
				mustBeComplete(b, snap, n)
				calls = snap.Stats.APICalls
			}
			b.ReportMetric(float64(calls), "calls/op")
		})
	}
}

// BenchmarkFetchLatency adds 100 ms to every simulated call and reports
// how a refresh compares with its slowest chain of sequential calls: the
// instance (or status) pages, ceil(N/1000) of them, one after the other.
//
//   - refresh/chain divides by pages × latency alone (the goal: at most
//     1.3). Decoding a page of 1,000 instances costs CPU too, which this
//     denominator leaves out, so it grows with N on a slow machine.
//   - refresh/slowest divides by the slowest section as measured, decoding
//     included: near 1 when the sections overlap, near the number of
//     sections if they ran one after another.
//
// Run it with:
//
//	go test -run '^$' -bench 'BenchmarkFetchLatency' -benchtime 3x ./awsstate/
func BenchmarkFetchLatency(b *testing.B) {
	const latency = 100 * time.Millisecond
	for _, n := range []int{100, 10_000, 50_000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			_, url := startSim(b, sim.Options{Instances: n, Seed: 1, Latency: latency})
			c := clientFor(b, url, sim.ProdAccessKey, Options{CallTimeout: time.Minute})
			c.ecsPace = nil // see BenchmarkFetch
			chain := time.Duration((n+pageSize-1)/pageSize) * latency
			var total, slowest time.Duration
			for b.Loop() {
				start := time.Now()
				snap := c.Fetch(context.Background())
				total += time.Since(start)
				mustBeComplete(b, snap, n)
				var s time.Duration
				for _, r := range snap.Sections {
					s = max(s, r.Duration)
				}
				slowest += s
			}
			b.ReportMetric(float64(total)/float64(chain)/float64(b.N), "refresh/chain")
			b.ReportMetric(float64(total)/float64(slowest), "refresh/slowest")
		})
	}
}

func mustBeComplete(b *testing.B, snap model.Snapshot, n int) {
	b.Helper()
	for s, r := range snap.Sections {
		if !r.Complete {
			b.Fatalf("section %s incomplete: %v", s, r.Err)
		}
	}
	if len(snap.Instances) != n {
		b.Fatalf("instances = %d, want %d", len(snap.Instances), n)
	}
}

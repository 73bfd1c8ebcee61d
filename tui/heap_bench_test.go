package tui

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/awsstate/sim"
)

// BenchmarkLiveHeap reports what the dashboard keeps in memory for an
// account of 50,000 instances, fetched from the simulator through the
// real client (issue 10: at most 150 MB resident):
//
//   - live-MB: the live heap the dashboard holds once the account is on
//     screen, the instances pane focused and drawn;
//   - peak-MB: the live heap at the moment a refresh's answer has been
//     fetched and derived beside the world still on screen, the most
//     the dashboard holds at once (the collector's headroom comes on
//     top, see cmd/airlock/gctune.go).
//
// The account has 50 ECS services rather than the simulator's usual one
// per five instances: ECS is read at 5 calls a second, and 10,000
// services would take four minutes to fetch. They cost about 15 MB more
// in the running program. A run takes about half a minute:
//
//	go test ./tui/ -run '^$' -bench LiveHeap -benchtime 1x
func BenchmarkLiveHeap(b *testing.B) {
	_, newClient := benchAccount(b, sim.Options{Instances: 50_000, Services: 50, Seed: 1})
	for b.Loop() {
		src := newClient()
		hs := newHarness(b, src, Options{Refresh: 5 * time.Second, FetchTimeout: time.Minute}, 120, 40)
		// The simulator's world is in this process too: it is counted
		// out by measuring from here.
		base := liveHeap()
		hs.runRefresh(hs.m.startFetch())
		if n := hs.m.world.NumInstances(); n != 50_000 {
			b.Fatalf("%d instances on screen, want 50000", n)
		}
		hs.key("tab", "tab")
		_ = hs.m.View()
		live := liveHeap()

		// As the dashboard's slow lane asks for it: every section, the
		// list allocated for as many instances as the last one held.
		next := src.FetchPlan(context.Background(), awsstate.Plan{Expect: len(hs.m.snap.Instances)})
		d := derive(hs.m.basis(), next, hs.clock.Now())
		peak := liveHeap()
		if n := d.world.NumInstances(); n != 50_000 {
			b.Fatalf("%d instances in the next world, want 50000", n)
		}
		runtime.KeepAlive(d)
		runtime.KeepAlive(hs)

		b.ReportMetric(float64(live-base)/(1<<20), "live-MB")
		b.ReportMetric(float64(peak-base)/(1<<20), "peak-MB")
	}
}

// liveHeap is the heap in use right after a complete collection: the
// bytes reachable now.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

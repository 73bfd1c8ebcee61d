package main

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// The dashboard's garbage collector, tuned to the account's size
// (measured with cmd/airlock-bench):
//
//   - a 50,000-instance account with 10,000 ECS services keeps about
//     64 MB live, and up to about 96 MB for the moment a new instance
//     list and its world are built beside the old (BenchmarkLiveHeap in
//     tui, plus the ECS state); when it kept 140 MB at that moment, the
//     heap grew to 250 MB at Go's default GOGC of 100 and the process to
//     306 MB resident. At 30 it peaked at 146-151 MB resident over
//     three runs, at the edge of the 150 MB goal; at 25, at 145 MB
//     (139 MB the most sampled), for 10.4% of a core against 9.4-9.9%
//     at 30 (the goal for such an account is 15%);
//   - a 10,000-instance account keeps about 15 MB live, and GOGC 25
//     would collect three times as often for memory nobody misses,
//     about half a percent of a core.
//
// So the percentage follows the live heap, as a fixed memory limit would
// not: one set below a large account's live heap makes the collector
// run without pause. It is checked every second. The first load is
// collected as a large heap whatever the account's size, until
// gcFirstLoad has passed: the live heap is only known after a
// collection, and while the first list of 50,000 instances was decoded
// at GOGC 100 the heap doubled past it before any check could see it,
// setting VmHWM 8 MB above anything the process held afterwards (151
// against 143 MB sampled). A small account pays a few more collections
// in its first seconds. Reading one runtime metric costs microseconds.
const (
	smallHeapGCPercent = 100
	largeHeapGCPercent = 25
	largeHeap          = 40 << 20 // live bytes from which the heap is large
	gcTuneEvery        = time.Second
	gcFirstLoad        = 30 * time.Second
)

// tuneGC sets the GC percentage for a large heap now, then from the live
// heap after grace and every gcTuneEvery until ctx ends or stop is
// called; stop returns once the goroutine has.
func tuneGC(ctx context.Context, grace time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	pct := largeHeapGCPercent
	debug.SetGCPercent(pct)
	tune := func() {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return // not reported by this runtime: leave the default
		}
		want := smallHeapGCPercent
		if sample[0].Value.Uint64() >= largeHeap {
			want = largeHeapGCPercent
		}
		if want != pct {
			debug.SetGCPercent(want)
			pct = want
		}
	}
	wg.Go(func() {
		select {
		case <-ctx.Done():
			return
		case <-time.After(grace):
		}
		t := time.NewTicker(gcTuneEvery)
		defer t.Stop()
		for {
			tune()
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

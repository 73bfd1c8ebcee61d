package main

import (
	"context"
	"runtime/debug"
	"testing"
	"time"
)

// A small heap gets Go's default; stopping the tuner waits for it, so no
// goroutine outlives the dashboard.
func TestTuneGCSmallHeap(t *testing.T) {
	before := debug.SetGCPercent(7)
	defer debug.SetGCPercent(before)
	stop := tuneGC(context.Background(), 0)
	deadline := time.Now().Add(5 * time.Second)
	for {
		// SetGCPercent returns the setting it replaces: put it back.
		got := debug.SetGCPercent(7)
		if got == smallHeapGCPercent {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GC percent = %d, want %d for a test's small heap", got, smallHeapGCPercent)
		}
		time.Sleep(10 * time.Millisecond)
	}
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("stop did not return")
	}
}

// The first load is collected as a large heap: until the grace has
// passed, the percentage is the large heap's, whatever the live heap.
func TestTuneGCFirstLoad(t *testing.T) {
	before := debug.SetGCPercent(7)
	defer debug.SetGCPercent(before)
	stop := tuneGC(context.Background(), time.Hour)
	defer stop()
	time.Sleep(20 * time.Millisecond) // the tuner would have acted by now without the grace
	if got := debug.SetGCPercent(largeHeapGCPercent); got != largeHeapGCPercent {
		t.Errorf("GC percent during the first load = %d, want %d", got, largeHeapGCPercent)
	}
}

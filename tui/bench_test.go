package tui

import (
	"fmt"
	"testing"
)

// View must cost the same whatever the account's size: it draws only
// the rows that fit. Run with
//
//	go test ./tui/ -run '^$' -bench . -benchmem
func BenchmarkView(b *testing.B) {
	for _, n := range []int{100, 10_000, 50_000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			hs := newHarness(b, &staticSource{}, Options{}, 120, 40)
			hs.deliver(fleet(n))
			hs.key("tab", "tab") // focus the instances pane, n/10 rows long
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = hs.m.View()
			}
		})
	}
}

// A key press while a refresh is in flight: Update plus the frame it
// causes, which is what the operator waits for.
func BenchmarkKeypressDuringRefresh(b *testing.B) {
	for _, n := range []int{100, 10_000, 50_000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			hs := newHarness(b, &staticSource{}, Options{}, 120, 40)
			hs.deliver(fleet(n))
			hs.m.startFetch() // stays in flight: the answer never comes
			keys := []string{"j", "k", "tab", "j", "shift+tab"}
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				hs.send(keyPress(keys[i%len(keys)]))
				_ = hs.m.View()
				i++
			}
		})
	}
}

// Taking in a snapshot is where the work proportional to the account
// happens (Analyze, Diff, sorting): once per refresh, not per frame.
func BenchmarkApplySnapshot(b *testing.B) {
	for _, n := range []int{100, 10_000, 50_000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			hs := newHarness(b, &staticSource{}, Options{}, 120, 40)
			s := fleet(n)
			hs.deliver(s)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				hs.deliver(s)
			}
		})
	}
}

// BenchmarkApplyDerivedSnapshot is what the keyboard waits for when a
// refresh lands in the running program: the answer arrives already
// derived (fetchCmd runs model.Analyze and model.Diff in the fetch's
// goroutine), so Update only hands it to the panes. Compare with
// BenchmarkApplySnapshot, the fallback when the basis went stale.
func BenchmarkApplyDerivedSnapshot(b *testing.B) {
	for _, n := range []int{100, 10_000, 50_000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			hs := newHarness(b, &staticSource{}, Options{}, 120, 40)
			s := fleet(n)
			hs.deliver(s)
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				if !hs.m.refresh.inFlight {
					hs.m.startFetch()
				}
				now := hs.clock.Now()
				d := derive(hs.m.basis(), s, now)
				msg := FetchedMsg{Gen: hs.m.refresh.fetchGen, Snap: s, Started: now, Finished: now, derived: &d}
				b.StartTimer()
				hs.send(msg)
			}
		})
	}
}

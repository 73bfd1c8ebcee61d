package tui

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
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

// BenchmarkOpenMenu is what the keyboard waits for when the operator
// presses x on a cluster row, in a fleet shaped like the simulator's
// generated ones (clusters of 50, half of them live, one EIP per ten
// instances), so the menu offers a move to every other cluster: the
// key's Update, the ActionMenuMsg it leads to and its Update, and the
// frame drawn. The menu itself is worked out by the command that Update
// returns, off the UI goroutine (BenchmarkBuildMenu). Esc closes the
// flow again, outside the timer. Run with
//
//	go test ./tui/ -run '^$' -bench 'OpenMenu|BuildMenu' -benchmem
func BenchmarkOpenMenu(b *testing.B) {
	for _, n := range []int{100, 10_000, 50_000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			s := clusteredFleet(n)
			hs := newHarness(b, &staticSource{}, Options{Actor: &fakeActor{facts: factsOf(s)}}, 120, 40)
			hs.deliver(s)
			b.ReportAllocs()
			for b.Loop() {
				open := hs.send(keyPress("x"))
				if open == nil {
					b.Fatal("x returned no command")
				}
				_ = hs.send(open())
				if hs.m.flow == nil {
					b.Fatal("x did not open the flow")
				}
				_ = hs.m.View()
				b.StopTimer()
				hs.send(keyPress("esc"))
				b.StartTimer()
			}
		})
	}
}

// BenchmarkBuildMenu is how long the operator waits, keys live, between
// x and the menu: model.SeenOf and model.Menu in the command (on a
// goroutine of their own in the program), then the Update that shows the
// menu, and its frame.
func BenchmarkBuildMenu(b *testing.B) {
	for _, n := range []int{100, 10_000, 50_000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			s := clusteredFleet(n)
			hs := newHarness(b, &staticSource{}, Options{Actor: &fakeActor{facts: factsOf(s)}}, 120, 40)
			hs.deliver(s)
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				build := hs.send(hs.send(keyPress("x"))())
				b.StartTimer()
				hs.send(build())
				if hs.m.flow == nil || hs.m.flow.stage != stageMenu {
					b.Fatal("the menu was not shown")
				}
				_ = hs.m.View()
				b.StopTimer()
				hs.send(keyPress("esc"))
				b.StartTimer()
			}
		})
	}
}

// clusteredFleet is n running instances in clusters of 50 named c0000,
// c0001, ...; in every even-numbered cluster every fifth instance holds
// an Elastic IP, as in the simulator's generated fleets.
func clusteredFleet(n int) model.Snapshot {
	s := model.Snapshot{
		Region: "us-east-1", FetchedAt: t0,
		Identity: model.Identity{AccountID: "111111111111", ARN: "arn:aws:iam::111111111111:user/oncall", Alias: "acme-prod"},
		Statuses: make(map[string]model.InstanceStatus, n),
		Sections: completeSections(),
	}
	s.Instances = make([]model.Instance, 0, n)
	for i := range n {
		id := fmt.Sprintf("i-%017x", i)
		c := i / 50
		s.Instances = append(s.Instances, model.Instance{
			ID: id, State: model.StateRunning, Type: "m6i.large", AZ: "us-east-1a",
			LaunchTime: t0, Tags: model.TagsOf(map[string]string{"Cluster": fmt.Sprintf("c%04d", c)}),
		})
		s.Statuses[id] = model.InstanceStatus{InstanceID: id, System: model.CheckOK, Instance: model.CheckOK}
		if c%2 == 0 && i%5 == 0 {
			s.Addresses = append(s.Addresses, model.Address{
				AllocationID: fmt.Sprintf("eipalloc-%017x", i), PublicIP: fmt.Sprintf("100.%d.%d.%d", 64+i>>16, i>>8&255, i&255),
				AssociationID: fmt.Sprintf("eipassoc-%017x", i), InstanceID: id, Domain: "vpc",
			})
		}
	}
	return s
}

// The confirmation of a whole cluster's termination draws only the fact
// rows that fit, whatever the cluster's size, and a page key costs the
// same: the facts were laid out once, when the verdict arrived.
func BenchmarkConfirmView(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("cluster=%d", n), func(b *testing.B) {
			s := withCluster(demoSnapshot(), "green", "i-06ee", n)
			hs := newHarness(b, &staticSource{}, Options{Actor: &fakeActor{facts: factsOf(s)}}, 80, 24)
			hs.deliver(s)
			hs.m.clusters.selectName("green")
			hs.m.syncInstances()
			hs.press("x")
			hs.until("the menu", func() bool { return hs.m.flow != nil && hs.m.flow.stage == stageMenu })
			hs.press("enter") // the first item: terminate cluster green
			hs.until("the verdict", func() bool { return hs.m.flow.stage == stageConfirm })
			if hs.m.flow.facts.data != n {
				b.Fatalf("%d fact rows, want %d", hs.m.flow.facts.data, n)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				hs.send(tea.KeyPressMsg{Code: tea.KeyPgDown})
				_ = hs.m.View()
			}
		})
	}
}

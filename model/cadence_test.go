package model

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestCadence(t *testing.T) {
	sec := time.Second
	ms := time.Millisecond
	// Decode costs as measured against the sim: 46 ms a page of 1,000
	// instances, about 12 ms a page of 1,000 statuses.
	tests := []struct {
		name     string
		sec      Section
		interval time.Duration
		cost     Cost
		want     time.Duration
	}{
		{"identity: every interval at any size", SectionIdentity, 5 * sec, Cost{Pages: 500, Decode: time.Minute}, 5 * sec},
		{"EIPs: every interval at any size", SectionAddresses, 5 * sec, Cost{Pages: 1, Decode: 10 * sec}, 5 * sec},
		{"EIP holders: with the EIPs", SectionHolders, 5 * sec, Cost{Pages: 25}, 5 * sec},
		{"EIPs: the operator's interval", SectionAddresses, 2 * sec, Cost{}, 2 * sec},
		{"no interval means the default", SectionAddresses, 0, Cost{}, DefaultRefreshInterval},
		{"a small fleet: every interval", SectionInstances, 5 * sec, Cost{Pages: 1, Decode: 5 * ms}, 5 * sec},
		{"never fetched: every interval", SectionInstances, 5 * sec, Cost{}, 5 * sec},
		// 300 pages a minute: 50 pages at most every 10 s.
		{"API budget: 50 pages", SectionInstances, 5 * sec, Cost{Pages: 50}, 10 * sec},
		{"API budget: 26 pages, rounded up to a second", SectionInstances, 5 * sec, Cost{Pages: 26}, 6 * sec},
		{"API budget: 25 pages, exactly the interval", SectionInstances, 5 * sec, Cost{Pages: 25}, 5 * sec},
		// 1.5% of a core: 460 ms of decoding every 31 s.
		{"CPU budget: 10,000 instances", SectionInstances, 5 * sec, Cost{Pages: 10, Decode: 460 * ms}, 31 * sec},
		{"status checks: every minute when cheap", SectionStatus, 5 * sec, Cost{Pages: 10, Decode: 120 * ms}, time.Minute},
		{"status checks: slower when costly", SectionStatus, 5 * sec, Cost{Pages: 50, Decode: 1500 * ms}, 100 * sec},
		{"CPU budget: 50,000 instances", SectionInstances, 5 * sec, Cost{Pages: 50, Decode: 2300 * ms}, 154 * sec},
		{"the larger budget wins", SectionInstances, 5 * sec, Cost{Pages: 100, Decode: 15 * ms}, 20 * sec},
		{"a longer interval is kept", SectionInstances, 30 * sec, Cost{Pages: 50, Decode: 150 * ms}, 30 * sec},
		{"capped however slow", SectionInstances, 5 * sec, Cost{Pages: 5000, Decode: time.Hour}, MaxCadence},
		{"subnets: every minute when cheap", SectionSubnets, 5 * sec, Cost{Pages: 1, Decode: ms}, time.Minute},
		{"subnets: slower when costly", SectionSubnets, 5 * sec, Cost{Pages: 2, Decode: 1200 * ms}, 80 * sec},
		{"negative figures count as none", SectionInstances, 5 * sec, Cost{Pages: -3, Decode: -sec}, 5 * sec},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Cadence(tc.sec, tc.interval, tc.cost); got != tc.want {
				t.Errorf("Cadence(%s, %s, %+v) = %s, want %s", tc.sec, tc.interval, tc.cost, got, tc.want)
			}
		})
	}
}

// At any fleet size the cadence keeps a section within both budgets:
// pages per minute at most a quarter of EC2's refill, decoding at most
// DecodeShare of a core.
func TestCadenceKeepsBudgetsAtAnySize(t *testing.T) {
	for _, pages := range []int{1, 10, 50, 200, 1000} {
		for _, perPage := range []time.Duration{5 * time.Millisecond, 46 * time.Millisecond, 200 * time.Millisecond} {
			c := Cost{Pages: pages, Decode: time.Duration(pages) * perPage}
			every := Cadence(SectionInstances, 5*time.Second, c)
			if every == MaxCadence {
				continue // the cap gives way on purpose
			}
			perMinute := float64(pages) * float64(time.Minute) / float64(every)
			cpu := float64(c.Decode) / float64(every)
			if perMinute > 300 || cpu > DecodeShare {
				t.Errorf("%d pages at %s: every %s is %.0f calls a minute and %.1f%% of a core", pages, perPage, every, perMinute, cpu*100)
			}
		}
	}
}

func TestSectionMaxAge(t *testing.T) {
	sec := time.Second
	tests := []struct{ cadence, interval, took, want time.Duration }{
		{5 * sec, 5 * sec, 0, 10 * sec}, // MaxAge
		{5 * sec, 5 * sec, 9 * sec, 32500 * time.Millisecond},
		{40 * sec, 5 * sec, 0, 50 * sec}, // one refresh cycle late at most
		{40 * sec, 5 * sec, 8 * sec, 70 * sec},
		{6 * sec, 5 * sec, 0, 16 * sec},
		{sec, 5 * sec, 0, 10 * sec}, // never quicker than the loop
		{40 * sec, 0, 0, 50 * sec},
	}
	for _, tc := range tests {
		if got := SectionMaxAge(tc.cadence, tc.interval, tc.took); got != tc.want {
			t.Errorf("SectionMaxAge(%s, %s, %s) = %s, want %s", tc.cadence, tc.interval, tc.took, got, tc.want)
		}
	}
}

func TestAssessSections(t *testing.T) {
	now := t0
	sec := time.Second
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	quick := func(sec Section, age time.Duration) SectionRefresh {
		return SectionRefresh{Section: sec, Cadence: 5 * time.Second, LastSuccess: ago(age), LastTook: 300 * time.Millisecond}
	}
	fleet := func(age, took time.Duration) SectionRefresh {
		return SectionRefresh{Section: SectionInstances, Cadence: 40 * sec, LastSuccess: ago(age), LastTook: took}
	}
	throttled := errors.New("throttled: ec2:DescribeInstances")
	tests := []struct {
		name   string
		paused bool
		secs   []SectionRefresh
		want   Freshness
	}{
		{"all quick and fresh", false, []SectionRefresh{quick(SectionIdentity, 3*sec), quick(SectionAddresses, 3*sec), quick(SectionInstances, 3*sec)},
			Freshness{Age: 3 * sec}},
		// 50,000 instances: the list is fetched every 40 s and takes 8 s.
		{"a fleet list 70s old on a 40s cadence is fresh", false, []SectionRefresh{quick(SectionIdentity, 2*sec), quick(SectionAddresses, 2*sec), fleet(70*sec, 8*sec)},
			Freshness{Age: 2 * sec}},
		{"a fleet list past its cycle is stale", false, []SectionRefresh{quick(SectionIdentity, 2*sec), quick(SectionAddresses, 2*sec), fleet(71*sec, 8*sec)},
			Freshness{Stale: true, Age: 2 * sec, Reason: "the instance list is 1m11s old (fetched every 40s, takes 8s)"}},
		{"the fleet list failed", false, []SectionRefresh{quick(SectionIdentity, 2*sec), quick(SectionAddresses, 2*sec),
			{Section: SectionInstances, Cadence: 40 * sec, LastSuccess: ago(30 * sec), LastErr: throttled}},
			Freshness{Stale: true, Age: 2 * sec, Reason: "last refresh failed: throttled: ec2:DescribeInstances"}},
		{"EIPs past their cycle while the fleet list is fresh", false, []SectionRefresh{quick(SectionIdentity, 2*sec), quick(SectionAddresses, 11*sec), fleet(sec, 8*sec)},
			Freshness{Stale: true, Age: 11 * sec, Reason: "data is 11s old (refresh every 5s)"}},
		{"the fleet list awaits its first answer", false, []SectionRefresh{quick(SectionIdentity, 2*sec), quick(SectionAddresses, 2*sec), {Section: SectionInstances, Cadence: 5 * sec}},
			Freshness{Age: 2 * sec}},
		{"its first fetch failed", false, []SectionRefresh{quick(SectionIdentity, 2*sec), quick(SectionAddresses, 2*sec), {Section: SectionInstances, LastErr: throttled}},
			Freshness{Stale: true, Age: 2 * sec, Reason: "refresh failed: throttled: ec2:DescribeInstances"}},
		{"paused before its first answer", true, []SectionRefresh{quick(SectionIdentity, 2*sec), {Section: SectionInstances}},
			Freshness{Stale: true, Paused: true, Age: 2 * sec, Reason: "no data fetched yet"}},
		{"paused, the fleet list within its cycle", true, []SectionRefresh{quick(SectionAddresses, 4*sec), fleet(50*sec, 8*sec)},
			Freshness{Paused: true, Age: 4 * sec}},
		{"paused long", true, []SectionRefresh{quick(SectionAddresses, 90*sec), fleet(95*sec, 8*sec)},
			Freshness{Stale: true, Paused: true, Age: 90 * sec, Reason: "paused; data is 1m30s old"}},
		{"a failure says more than an older section", false, []SectionRefresh{quick(SectionIdentity, 20*sec), quick(SectionAddresses, 2*sec),
			{Section: SectionInstances, Cadence: 40 * sec, LastSuccess: ago(30 * sec), LastErr: throttled}},
			Freshness{Stale: true, Age: 20 * sec, Reason: "last refresh failed: throttled: ec2:DescribeInstances"}},
		{"nothing yet", false, []SectionRefresh{{Section: SectionIdentity}, {Section: SectionInstances}},
			Freshness{}},
		{"only slow sections: the age is the oldest", false, []SectionRefresh{fleet(20*sec, sec), {Section: SectionSubnets, Cadence: time.Minute, LastSuccess: ago(50 * sec)}},
			Freshness{Age: 50 * sec}},
		{"a hostile error is sanitised", false, []SectionRefresh{{Section: SectionAddresses, LastSuccess: ago(sec), LastErr: errors.New("denied\x1b[2J")}},
			Freshness{Stale: true, Age: sec, Reason: "last refresh failed: denied"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The whole-refresh fields are ignored when sections are given.
			r := Refresh{Interval: 5 * sec, Paused: tc.paused, Sections: tc.secs, LastErr: errors.New("ignored"), LastSuccess: ago(time.Hour)}
			if got := Assess(now, r); got != tc.want {
				t.Errorf("Assess = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// A loop that fetches the EIPs every interval and the fleet list at its
// own long cadence is never stale at any moment while both keep
// answering, whatever the list costs; when the list's fetch hangs, the
// screen is stale soon after its answer was due, not a cadence later.
func TestAssessSectionsHealthyLoopOfAnySize(t *testing.T) {
	interval := 5 * time.Second
	quickTook := 400 * time.Millisecond
	step := 100 * time.Millisecond
	for _, pages := range []int{1, 10, 50, 200} {
		took := time.Duration(pages) * 170 * time.Millisecond // 100 ms latency + decoding
		cadence := Cadence(SectionInstances, interval, Cost{Pages: pages, Decode: time.Duration(pages) * 46 * time.Millisecond})
		t.Run(fmt.Sprint(pages, " pages"), func(t *testing.T) {
			// The loop as tui runs it: the next quick refresh
			// (identity, EIPs) starts the shortest or the longest
			// jitter after the last answered; the fleet list is fetched alongside the
			// first quick refresh within a fifth of an interval of its
			// due time, and its fetches alternate between took and
			// 1.5 × took.
			var quickOK, quickStart, fleetOK, fleetStart time.Time
			var quickBusy, fleetBusy bool
			var fleetTook, fleetLastTook time.Duration
			nextTick := t0
			fetches := 0
			for now := t0; now.Before(t0.Add(15 * time.Minute)); now = now.Add(step) {
				if quickBusy && !now.Before(quickStart.Add(quickTook)) {
					quickOK, quickBusy = quickStart, false
					// The jitter's extremes, in an uneven pattern.
					nextTick = now.Add(interval * time.Duration(9+2*(now.Unix()/7%2)) / 10)
				}
				if fleetBusy && !now.Before(fleetStart.Add(fleetTook)) {
					fleetOK, fleetLastTook, fleetBusy = fleetStart, fleetTook, false
				}
				if !quickBusy && !now.Before(nextTick) {
					quickStart, quickBusy = now, true
					if !fleetBusy && (fleetStart.IsZero() || !now.Add(interval/5).Before(fleetStart.Add(cadence))) {
						fleetStart, fleetBusy, fleetTook = now, true, took
						if fetches%2 == 1 {
							fleetTook = took * 3 / 2
						}
						fetches++
					}
				}
				if quickOK.IsZero() || fleetOK.IsZero() {
					continue
				}
				f := Assess(now, Refresh{Interval: interval, Sections: []SectionRefresh{
					{Section: SectionAddresses, LastSuccess: quickOK, LastTook: quickTook},
					{Section: SectionInstances, Cadence: cadence, LastSuccess: fleetOK, LastTook: fleetLastTook},
				}})
				if f.Stale {
					t.Fatalf("stale %s into a healthy loop (list every %s, takes %s): %s", now.Sub(t0), cadence, took, f.Reason)
				}
			}
			if fetches < 3 {
				t.Fatalf("the list was fetched %d times in 15 minutes", fetches)
			}
			// The next fetch of the list hangs: stale within two
			// intervals and one and a half times its duration (and a
			// second of the clock) after its answer was due.
			due := fleetOK.Add(cadence + took)
			f := Assess(due.Add(2*interval+took*3/2+time.Second), Refresh{Interval: interval, Sections: []SectionRefresh{
				{Section: SectionAddresses, LastSuccess: due, LastTook: quickTook},
				{Section: SectionInstances, Cadence: cadence, LastSuccess: fleetOK, LastTook: took},
			}})
			if !f.Stale {
				t.Errorf("a hung fleet fetch is not stale %s after its answer was due", 2*interval+took*3/2+time.Second)
			}
		})
	}
}

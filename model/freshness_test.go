package model

import (
	"errors"
	"testing"
	"time"
)

func TestAssess(t *testing.T) {
	now := t0
	sec := time.Second
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	tests := []struct {
		name string
		r    Refresh
		want Freshness
	}{
		{"fresh", Refresh{LastSuccess: ago(3 * sec), Interval: 5 * sec},
			Freshness{Age: 3 * sec}},
		{"a quick refresh: exactly two intervals is still fresh", Refresh{LastSuccess: ago(10 * sec), Interval: 5 * sec},
			Freshness{Age: 10 * sec}},
		{"a quick refresh: older than two intervals", Refresh{LastSuccess: ago(11 * sec), Interval: 5 * sec},
			Freshness{Stale: true, Age: 11 * sec, Reason: "data is 11s old (refresh every 5s)"}},
		// 50,000 instances: a refresh takes 9 s, longer than the interval.
		// Just before the next answer lands the data is 9+5.5+9 s old.
		{"a 9s refresh at age 13s is not stale", Refresh{LastSuccess: ago(13 * sec), Interval: 5 * sec, LastTook: 9 * sec},
			Freshness{Age: 13 * sec}},
		{"a 9s refresh, the next answer due", Refresh{LastSuccess: ago(24 * sec), Interval: 5 * sec, LastTook: 9 * sec},
			Freshness{Age: 24 * sec}},
		{"a 9s refresh, the next one half as slow again", Refresh{LastSuccess: ago(9*sec + 5500*time.Millisecond + 13500*time.Millisecond), Interval: 5 * sec, LastTook: 9 * sec},
			Freshness{Age: 28 * sec}},
		{"a 9s refresh, the next one hung", Refresh{LastSuccess: ago(33 * sec), Interval: 5 * sec, LastTook: 9 * sec},
			Freshness{Stale: true, Age: 33 * sec, Reason: "data is 33s old (refresh every 5s, takes 9s)"}},
		{"a failed refresh is stale however quick", Refresh{LastSuccess: ago(sec), Interval: 5 * sec, LastTook: 9 * sec, LastErr: errors.New("throttled")},
			Freshness{Stale: true, Age: sec, Reason: "last refresh failed: throttled"}},
		{"paused but recent", Refresh{LastSuccess: ago(4 * sec), Interval: 5 * sec, Paused: true},
			Freshness{Paused: true, Age: 4 * sec}},
		{"paused and old", Refresh{LastSuccess: ago(90 * sec), Interval: 5 * sec, Paused: true},
			Freshness{Stale: true, Paused: true, Age: 90 * sec, Reason: "paused; data is 1m30s old"}},
		{"paused and old, on a slow account", Refresh{LastSuccess: ago(90 * sec), Interval: 5 * sec, LastTook: 9 * sec, Paused: true},
			Freshness{Stale: true, Paused: true, Age: 90 * sec, Reason: "paused; data is 1m30s old"}},
		{"paused on a slow account, within its cycle", Refresh{LastSuccess: ago(20 * sec), Interval: 5 * sec, LastTook: 9 * sec, Paused: true},
			Freshness{Paused: true, Age: 20 * sec}},
		{"last refresh failed", Refresh{LastSuccess: ago(sec), Interval: 5 * sec, LastErr: errors.New("access denied\x1b[2J")},
			Freshness{Stale: true, Age: sec, Reason: "last refresh failed: access denied"}},
		{"first refresh running", Refresh{Interval: 5 * sec},
			Freshness{}},
		{"paused before any data", Refresh{Interval: 5 * sec, Paused: true},
			Freshness{Stale: true, Paused: true, Reason: "no data fetched yet"}},
		{"never fetched, failed", Refresh{Interval: 5 * sec, LastErr: errors.New("expired credentials")},
			Freshness{Stale: true, Reason: "refresh failed: expired credentials"}},
		{"no interval means the default", Refresh{LastSuccess: ago(11 * sec)},
			Freshness{Stale: true, Age: 11 * sec, Reason: "data is 11s old (refresh every 5s)"}},
		{"clock behind the fetch", Refresh{LastSuccess: now.Add(2 * sec), Interval: 5 * sec},
			Freshness{}},
		{"a negative duration counts as none", Refresh{LastSuccess: ago(11 * sec), Interval: 5 * sec, LastTook: -time.Hour},
			Freshness{Stale: true, Age: 11 * sec, Reason: "data is 11s old (refresh every 5s)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Assess(now, tc.r); got != tc.want {
				t.Errorf("Assess = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// A loop that refreshes successfully, however long each refresh takes,
// is never stale at any moment of its cycle; the same loop with a refresh
// that never answers is stale soon after that answer was due.
func TestAssessHealthyLoopOfAnySize(t *testing.T) {
	interval := 5 * time.Second
	for _, took := range []time.Duration{50 * time.Millisecond, 2 * time.Second, 5 * time.Second, 9 * time.Second, 40 * time.Second} {
		// Refreshes alternate between took and took×1.5, with the
		// longest jitter (+10%) before each.
		start := t0
		last := took
		for i := range 6 {
			next := took
			if i%2 == 1 {
				next = took * 3 / 2
			}
			end := start.Add(last + interval*11/10 + next) // when the next answer lands
			for now := start; !now.After(end); now = now.Add(250 * time.Millisecond) {
				if f := Assess(now, Refresh{LastSuccess: start, Interval: interval, LastTook: last}); f.Stale {
					t.Fatalf("took %s: stale at %s into a healthy cycle: %s", took, now.Sub(start), f.Reason)
				}
			}
			start = end.Add(-next)
			last = next
		}
		// The next refresh hangs: stale within interval + took/2 of when
		// its answer was due, well before the 30 s fetch timeout would
		// say so for a quick account.
		due := start.Add(last + interval*11/10 + last)
		f := Assess(due.Add(interval+last/2+time.Second), Refresh{LastSuccess: start, Interval: interval, LastTook: last})
		if !f.Stale {
			t.Errorf("took %s: a hung refresh is not stale %s after its answer was due", took, interval+last/2+time.Second)
		}
	}
}

func TestAwaitingFirst(t *testing.T) {
	tests := []struct {
		name string
		r    Refresh
		want bool
	}{
		{"nothing yet, refreshing", Refresh{}, true},
		{"first refresh failed", Refresh{LastErr: errors.New("expired credentials")}, false},
		{"paused before the first answer", Refresh{Paused: true}, false},
		{"has data", Refresh{LastSuccess: t0}, false},
	}
	for _, tc := range tests {
		if got := tc.r.AwaitingFirst(); got != tc.want {
			t.Errorf("%s: AwaitingFirst = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestMaxAge(t *testing.T) {
	sec := time.Second
	tests := []struct {
		interval, took, want time.Duration
	}{
		{5 * sec, 0, 10 * sec}, // the old rule: two intervals
		{5 * sec, 9 * sec, 32500 * time.Millisecond},
		{0, 0, 10 * sec},
		{5 * sec, -sec, 10 * sec},
	}
	for _, tc := range tests {
		if got := MaxAge(tc.interval, tc.took); got != tc.want {
			t.Errorf("MaxAge(%s, %s) = %s, want %s", tc.interval, tc.took, got, tc.want)
		}
	}
}

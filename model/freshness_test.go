package model

import (
	"errors"
	"testing"
	"time"
)

func TestAssess(t *testing.T) {
	now := t0
	sec := time.Second
	tests := []struct {
		name        string
		lastSuccess time.Time
		interval    time.Duration
		paused      bool
		err         error
		want        Freshness
	}{
		{"fresh", now.Add(-3 * sec), 5 * sec, false, nil,
			Freshness{Age: 3 * sec}},
		{"exactly two intervals is still fresh", now.Add(-10 * sec), 5 * sec, false, nil,
			Freshness{Age: 10 * sec}},
		{"older than two intervals", now.Add(-11 * sec), 5 * sec, false, nil,
			Freshness{Stale: true, Age: 11 * sec, Reason: "data is 11s old (refresh every 5s)"}},
		{"paused but recent", now.Add(-4 * sec), 5 * sec, true, nil,
			Freshness{Paused: true, Age: 4 * sec}},
		{"paused and old", now.Add(-90 * sec), 5 * sec, true, nil,
			Freshness{Stale: true, Paused: true, Age: 90 * sec, Reason: "paused; data is 1m30s old"}},
		{"last refresh failed", now.Add(-1 * sec), 5 * sec, false, errors.New("access denied\x1b[2J"),
			Freshness{Stale: true, Age: sec, Reason: "last refresh failed: access denied"}},
		{"never fetched", time.Time{}, 5 * sec, false, nil,
			Freshness{Stale: true, Reason: "no data fetched yet"}},
		{"never fetched, failed", time.Time{}, 5 * sec, false, errors.New("expired credentials"),
			Freshness{Stale: true, Reason: "refresh failed: expired credentials"}},
		{"no interval means the default", now.Add(-11 * sec), 0, false, nil,
			Freshness{Stale: true, Age: 11 * sec, Reason: "data is 11s old (refresh every 5s)"}},
		{"clock behind the fetch", now.Add(2 * sec), 5 * sec, false, nil,
			Freshness{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Assess(now, tc.lastSuccess, tc.interval, tc.paused, tc.err); got != tc.want {
				t.Errorf("Assess = %+v, want %+v", got, tc.want)
			}
		})
	}
}

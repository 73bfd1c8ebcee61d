package model

import (
	"fmt"
	"time"
)

// DefaultRefreshInterval is the refresh interval Assess assumes when given
// none.
const DefaultRefreshInterval = 5 * time.Second

// Freshness says whether the data on screen can be trusted as a picture of
// the account now. Story S1 happened because a console showed state from
// before a go-live; stale data is shown as stale, and actions prepared
// from it are refused.
type Freshness struct {
	Stale  bool
	Paused bool          // auto-refresh is off
	Age    time.Duration // since the last successful refresh; 0 if never
	Reason string        // why it is stale, for the banner; "" when fresh
}

// Assess judges the data's freshness at now, given when the last refresh
// succeeded, the refresh interval, whether auto-refresh is paused and the
// error of the last refresh (nil if it succeeded).
//
// The data is stale when it was never fetched, when the last refresh
// failed (the screen may be showing the world from before the failure),
// or when it is older than two intervals, which is what pausing for a
// while amounts to. Pausing alone does not make fresh data stale.
func Assess(now, lastSuccess time.Time, interval time.Duration, paused bool, lastErr error) Freshness {
	if interval <= 0 {
		interval = DefaultRefreshInterval
	}
	f := Freshness{Paused: paused}
	if lastSuccess.IsZero() {
		f.Stale = true
		f.Reason = "no data fetched yet"
		if lastErr != nil {
			f.Reason = "refresh failed: " + Sanitize(lastErr.Error())
		}
		return f
	}
	f.Age = max(now.Sub(lastSuccess), 0)
	switch {
	case lastErr != nil:
		f.Stale = true
		f.Reason = "last refresh failed: " + Sanitize(lastErr.Error())
	case f.Age > 2*interval:
		f.Stale = true
		f.Reason = fmt.Sprintf("data is %s old (refresh every %s)", f.Age.Round(time.Second), interval)
		if paused {
			f.Reason = fmt.Sprintf("paused; data is %s old", f.Age.Round(time.Second))
		}
	}
	return f
}

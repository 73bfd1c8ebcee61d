package model

import (
	"cmp"
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
	Age    time.Duration // since the last successful refresh started; 0 if never
	Reason string        // why it is stale, for the banner; "" when fresh
}

// Refresh is what the refresh loop knows about itself when the screen's
// freshness is judged.
type Refresh struct {
	// Interval is the pause between the end of one refresh and the start
	// of the next; 0 means DefaultRefreshInterval.
	Interval time.Duration
	// LastSuccess is when the last refresh that got every essential
	// section started (the data can be no newer than that); zero if none
	// has.
	LastSuccess time.Time
	// LastTook is how long that refresh took, from its start until its
	// answer was on screen.
	LastTook time.Duration
	Paused   bool
	// LastErr is why the last refresh cannot be trusted, nil if it
	// succeeded.
	LastErr error

	// Sections, when not empty, are the sections the screen is judged
	// by, each against its own cadence (a loop that fetches the instance
	// list less often than the Elastic IPs); LastSuccess, LastTook and
	// LastErr are then not used.
	Sections []SectionRefresh
}

// SectionRefresh is what the refresh loop knows about one section that
// it fetches at a cadence of its own.
type SectionRefresh struct {
	Section Section
	// Cadence is how often the section is fetched (see Cadence); 0 or
	// less than the loop's interval means the interval.
	Cadence time.Duration
	// LastSuccess is when the last fetch that got the section whole
	// started; zero if none has.
	LastSuccess time.Time
	// LastTook is how long that fetch took, from its start until its
	// answer was on screen.
	LastTook time.Duration
	// LastErr is why the last fetch of the section failed (or was
	// incomplete), nil if it succeeded.
	LastErr error
}

// AwaitingFirst reports whether the loop is waiting for its first answer:
// nothing has succeeded, nothing has failed, and auto-refresh is on. The
// screen is then empty rather than stale: saying STALE over it at every
// start would teach the operator to ignore the word, and there is nothing
// to act on (the banner's account is unconfirmed, which refuses every
// action). A first refresh that hangs ends in its timeout, a failure, and
// then the screen is stale; pausing before it answers makes it stale too,
// as no data is coming.
func (r Refresh) AwaitingFirst() bool {
	return r.LastSuccess.IsZero() && r.LastErr == nil && !r.Paused
}

// MaxAge is how old the data on screen may get, while every refresh
// succeeds, before it is stale, for a loop that waits interval between
// refreshes that each take about took.
//
// Data is as old as the start of the refresh that fetched it. That
// refresh ends took later; the next starts interval after that (plus 10%
// jitter) and its answer lands about took later again: a healthy loop
// shows data up to interval + 2×took old. On top of that the allowance
// keeps one more interval (the margin the rule always had, for jitter,
// the once-a-second clock and scheduling) and half of took again (a
// refresh may run half as long again as the last one). So a large or
// distant account, whose refresh takes longer than the interval, is never
// stale for being slow, and one whose refresh hangs or that is paused
// turns stale within about interval + took/2 of when its next answer was
// due.
func MaxAge(interval, took time.Duration) time.Duration {
	return SectionMaxAge(interval, interval, took)
}

// SectionMaxAge is MaxAge for a section fetched every cadence by a loop
// that refreshes every interval. With cadence equal to interval it is
// MaxAge.
//
// A section with a longer cadence falls due cadence after its last fetch
// started and is taken by the next refresh (which looks a fifth of an
// interval ahead, so the jitter never skips a section due every
// interval): its next fetch starts at most cadence plus one refresh
// cycle (the interval, its jitter and the quick refresh in progress)
// after the last, and its answer lands about took later. The allowance
// adds that interval and, as MaxAge, another for the clock and
// scheduling and two and a half times took: a section on a long cadence
// is never stale while it keeps answering, and one whose fetch hangs
// turns stale within about two intervals and half its duration of when
// its answer was due, not a whole cadence later.
func SectionMaxAge(cadence, interval, took time.Duration) time.Duration {
	if interval <= 0 {
		interval = DefaultRefreshInterval
	}
	took = max(took, 0)
	if cadence > interval {
		return cadence + 2*interval + 2*took + took/2
	}
	return 2*interval + 2*took + took/2
}

// Assess judges the data's freshness at now, given the state of the
// refresh loop.
//
// The data is stale when the last refresh failed (the screen may be
// showing the world from before the failure), or when it is older than
// MaxAge allows, which is what a hung refresh or pausing for a while
// amounts to. Pausing alone does not make fresh data stale.
//
// Before any refresh has succeeded there is nothing on screen to trust
// or act on: the data is stale, except while AwaitingFirst.
//
// With Sections, each section is judged so against its own cadence
// (SectionMaxAge): the first that failed, else the first that is too
// old, in the order given, gives the reason; one still waiting for its first answer is not stale
// unless paused. Age is then the age of the sections refreshed every
// interval (the identity and the Elastic IPs, which decide what the
// banner and LIVE say), or of the oldest section if there are none.
func Assess(now time.Time, r Refresh) Freshness {
	if len(r.Sections) > 0 {
		return assessSections(now, r)
	}
	f := Freshness{Paused: r.Paused}
	if r.LastSuccess.IsZero() {
		switch {
		case r.AwaitingFirst():
		case r.LastErr != nil:
			f.Stale = true
			f.Reason = "refresh failed: " + Sanitize(r.LastErr.Error())
		default:
			f.Stale = true
			f.Reason = "no data fetched yet"
		}
		return f
	}
	f.Age = max(now.Sub(r.LastSuccess), 0)
	interval := r.Interval
	if interval <= 0 {
		interval = DefaultRefreshInterval
	}
	switch {
	case r.LastErr != nil:
		f.Stale = true
		f.Reason = "last refresh failed: " + Sanitize(r.LastErr.Error())
	case f.Age > MaxAge(interval, r.LastTook):
		f.Stale = true
		switch {
		case r.Paused:
			f.Reason = fmt.Sprintf("paused; data is %s old", f.Age.Round(time.Second))
		case r.LastTook >= time.Second:
			f.Reason = fmt.Sprintf("data is %s old (refresh every %s, takes %s)",
				f.Age.Round(time.Second), interval, r.LastTook.Round(time.Second))
		default:
			f.Reason = fmt.Sprintf("data is %s old (refresh every %s)", f.Age.Round(time.Second), interval)
		}
	}
	return f
}

func assessSections(now time.Time, r Refresh) Freshness {
	f := Freshness{Paused: r.Paused}
	interval := r.Interval
	if interval <= 0 {
		interval = DefaultRefreshInterval
	}
	var quickAge, anyAge time.Duration
	quick := false
	// A failure says more than an age, wherever it is in the order: the
	// screen may show the world from before it.
	var failed, old string
	fail := func(reason string) {
		if failed == "" {
			failed = reason
		}
	}
	stale := func(reason string) {
		if old == "" {
			old = reason
		}
	}
	for _, s := range r.Sections {
		cadence := max(s.Cadence, interval)
		if s.LastSuccess.IsZero() {
			switch {
			case s.LastErr != nil:
				fail("refresh failed: " + Sanitize(s.LastErr.Error()))
			case r.Paused:
				stale("no data fetched yet")
			}
			continue
		}
		age := max(now.Sub(s.LastSuccess), 0)
		anyAge = max(anyAge, age)
		if cadence == interval {
			quickAge, quick = max(quickAge, age), true
		}
		switch {
		case s.LastErr != nil:
			fail("last refresh failed: " + Sanitize(s.LastErr.Error()))
		case age <= SectionMaxAge(cadence, interval, s.LastTook):
		case r.Paused:
			stale(fmt.Sprintf("paused; data is %s old", age.Round(time.Second)))
		case cadence > interval:
			reason := fmt.Sprintf("%s is %s old (fetched every %s", sectionNoun(s.Section), age.Round(time.Second), cadence)
			if s.LastTook >= time.Second {
				reason += fmt.Sprintf(", takes %s", s.LastTook.Round(time.Second))
			}
			stale(reason + ")")
		case s.LastTook >= time.Second:
			stale(fmt.Sprintf("data is %s old (refresh every %s, takes %s)",
				age.Round(time.Second), interval, s.LastTook.Round(time.Second)))
		default:
			stale(fmt.Sprintf("data is %s old (refresh every %s)", age.Round(time.Second), interval))
		}
	}
	f.Age = anyAge
	if quick {
		f.Age = quickAge
	}
	if reason := cmp.Or(failed, old); reason != "" {
		f.Stale, f.Reason = true, reason
	}
	return f
}

// sectionNoun names a section in a sentence about its age.
func sectionNoun(s Section) string {
	switch s {
	case SectionIdentity:
		return "the identity"
	case SectionInstances:
		return "the instance list"
	case SectionAddresses:
		return "the Elastic IPs"
	case SectionHolders:
		return "the Elastic IPs' instances"
	case SectionSubnets:
		return "the subnet list"
	case SectionStatus:
		return "the status checks"
	}
	return "section " + Sanitize(string(s))
}

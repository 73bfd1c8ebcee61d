package model

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func retirement(in time.Duration) ScheduledEvent {
	return ScheduledEvent{Code: "instance-retirement", Description: "The instance is running on degraded hardware",
		NotBefore: t0.Add(in), NotAfter: t0.Add(in + 24*time.Hour)}
}

func TestHardwareWord(t *testing.T) {
	for _, tc := range []struct {
		name string
		st   InstanceStatus
		want string
	}{
		{"healthy", InstanceStatus{System: CheckOK, Instance: CheckOK}, ""},
		{"system check failed", InstanceStatus{System: CheckImpaired, Instance: CheckOK}, "FAILED sys"},
		{"instance check failed", InstanceStatus{System: CheckOK, Instance: CheckImpaired}, "FAILED inst"},
		{"both", InstanceStatus{System: CheckImpaired, Instance: CheckImpaired}, "FAILED both"},
		{"a failure outranks an event", InstanceStatus{System: CheckImpaired, Events: []ScheduledEvent{retirement(time.Hour)}}, "FAILED sys"},
		{"retiring in 3 days", InstanceStatus{System: CheckOK, Events: []ScheduledEvent{retirement(72 * time.Hour)}}, "retiring in 3d"},
		{"reboot in 5 hours", InstanceStatus{Events: []ScheduledEvent{{Code: "system-reboot", NotBefore: t0.Add(5*time.Hour + 10*time.Minute)}}}, "reboot in 5h"},
		{"stop in 40 minutes", InstanceStatus{Events: []ScheduledEvent{{Code: "instance-stop", NotBefore: t0.Add(40 * time.Minute)}}}, "stop in 40m"},
		{"the window is open", InstanceStatus{Events: []ScheduledEvent{retirement(-time.Hour)}}, "retiring now"},
		{"the soonest of two", InstanceStatus{Events: []ScheduledEvent{
			{Code: "system-maintenance", NotBefore: t0.Add(120 * time.Hour)}, {Code: "system-reboot", NotBefore: t0.Add(30 * time.Hour)}}}, "reboot in 30h"},
		{"completed events are over", InstanceStatus{Events: []ScheduledEvent{{Code: "system-reboot", Description: "[Completed] scheduled reboot", NotBefore: t0.Add(time.Hour)}}}, ""},
		{"cancelled events are over", InstanceStatus{Events: []ScheduledEvent{{Code: "instance-stop", Description: "[Canceled] stop", NotBefore: t0.Add(time.Hour)}}}, ""},
		{"an event without a date", InstanceStatus{Events: []ScheduledEvent{{Code: "instance-retirement"}}}, "retiring scheduled"},
		{"an unknown code, sanitised", InstanceStatus{Events: []ScheduledEvent{{Code: "new\x1b[31m-thing", NotBefore: t0.Add(time.Hour)}}}, "new-thing in 1h"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := HardwareWord(tc.st, t0); got != tc.want {
				t.Errorf("HardwareWord = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestUntil(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "now"}, {0, "now"}, {30 * time.Second, "in <1m"}, {59 * time.Minute, "in 59m"},
		{time.Hour, "in 1h"}, {47*time.Hour + 59*time.Minute, "in 47h"}, {48 * time.Hour, "in 2d"}, {80 * time.Hour, "in 3d"},
	} {
		if got := Until(t0.Add(tc.d), t0); got != tc.want {
			t.Errorf("Until(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// S6: the broken come first, the most urgent of them first.
func TestHardwareSortsTheBrokenFirst(t *testing.T) {
	s := demoSnap()
	s.Statuses["i-b2"] = InstanceStatus{InstanceID: "i-b2", System: CheckImpaired, Instance: CheckOK}
	s.Statuses["i-b3"] = InstanceStatus{InstanceID: "i-b3", System: CheckOK, Instance: CheckOK, Events: []ScheduledEvent{retirement(18 * time.Hour)}}
	s.Statuses["i-g1"] = InstanceStatus{InstanceID: "i-g1", System: CheckOK, Instance: CheckOK, Events: []ScheduledEvent{{Code: "system-reboot", NotBefore: t0.Add(2 * time.Hour)}}}
	s.Statuses["i-g2"] = InstanceStatus{InstanceID: "i-g2", System: CheckImpaired, Instance: CheckImpaired}
	s.Statuses["i-u1"] = InstanceStatus{InstanceID: "i-u1", System: CheckOK, Instance: CheckOK,
		Events: []ScheduledEvent{{Code: "system-reboot", Description: "[Completed] reboot", NotBefore: t0.Add(-time.Hour)}}}
	w := Analyze(s, "")

	var got []string
	for _, h := range Hardware(w) {
		got = append(got, h.InstanceID+"@"+h.Cluster)
	}
	want := []string{"i-g2@green", "i-b2@blue", "i-g3@green", "i-g1@green", "i-b3@blue"}
	if !slices.Equal(got, want) {
		t.Errorf("Hardware = %v, want %v", got, want)
	}

	failed, scheduled := HardwareCounts([]string{"i-b1", "i-b2", "i-b3", "i-nope"}, s.Statuses)
	if failed != 1 || scheduled != 1 {
		t.Errorf("HardwareCounts(blue) = %d failed, %d scheduled; want 1, 1", failed, scheduled)
	}
	if c, _ := w.Cluster("blue"); c.FailedChecks != failed || c.Scheduled != scheduled {
		t.Errorf("the cluster row counts %d/%d, HardwareCounts %d/%d: one fact, two numbers", c.FailedChecks, c.Scheduled, failed, scheduled)
	}
}

func TestEventWindowAndLine(t *testing.T) {
	e := retirement(72 * time.Hour)
	if got, want := EventWindow(e), "not before 2026-11-25 12:03 UTC, not after 2026-11-26 12:03 UTC"; got != want {
		t.Errorf("EventWindow = %q, want %q", got, want)
	}
	if got, want := EventLine(e, t0), "instance-retirement: The instance is running on degraded hardware (not before 2026-11-25 12:03 UTC, not after 2026-11-26 12:03 UTC; in 3d)"; got != want {
		t.Errorf("EventLine = %q\nwant        %q", got, want)
	}
	e.NotAfter = time.Time{}
	if got, want := EventWindow(e), "not before 2026-11-25 12:03 UTC"; got != want {
		t.Errorf("EventWindow without an end = %q, want %q", got, want)
	}
}

// Diff reports a check that fails, one that recovers, and an event newly
// scheduled; an event already known, or one completed, is not news.
func TestDiffHardware(t *testing.T) {
	prev := demoSnap()
	prev.Statuses["i-b3"] = InstanceStatus{InstanceID: "i-b3", System: CheckOK, Instance: CheckOK, Events: []ScheduledEvent{retirement(18 * time.Hour)}}
	next := clone(prev)
	next.Statuses["i-b2"] = InstanceStatus{InstanceID: "i-b2", System: CheckImpaired, Instance: CheckOK}
	next.Statuses["i-g3"] = InstanceStatus{InstanceID: "i-g3", System: CheckOK, Instance: CheckOK}
	next.Statuses["i-g1"] = InstanceStatus{InstanceID: "i-g1", System: CheckOK, Instance: CheckOK, Events: []ScheduledEvent{
		{Code: "system-reboot", Description: "scheduled reboot", NotBefore: t0.Add(48 * time.Hour), NotAfter: t0.Add(50 * time.Hour)},
		{Code: "instance-stop", Description: "[Completed] stop", NotBefore: t0.Add(-time.Hour)},
	}}
	evs := Diff(Analyze(prev, ""), Analyze(next, ""), t0)
	var got []string
	for _, e := range evs {
		got = append(got, e.String())
	}
	want := []string{
		"instance i-b2 in blue: status checks FAILED (system FAILED, instance ok)",
		"instance i-g3 in green: status checks no longer FAILED (system ok, instance ok)",
		"instance i-g1 in green: system-reboot scheduled, not before 2026-11-24 12:03 UTC, not after 2026-11-24 14:03 UTC",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Diff =\n%q\nwant\n%q", got, want)
	}

	// A status list that was incomplete before: an instance new to it is
	// not news.
	prev.Sections[SectionStatus] = SectionResult{Err: errors.New("throttled")}
	delete(prev.Statuses, "i-g1")
	for _, e := range Diff(Analyze(prev, ""), Analyze(next, ""), t0) {
		if e.Kind == EventScheduled {
			t.Errorf("after an incomplete status list: %s", e)
		}
	}
}

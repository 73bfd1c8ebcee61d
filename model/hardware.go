package model

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Hardware (story S6): a file server's hardware died while its backup was
// still syncing. Instances whose status checks fail, or for which AWS has
// scheduled a retirement, reboot, stop or maintenance, must stand out on
// every screen in the same words, sorted before the healthy ones, with the
// event's window and how long until it.

// HardwareIssue is what is wrong, or will be, with one instance's
// hardware: a failed check, or an event AWS has scheduled. Events holds
// only pending ones (not "[Completed]" or "[Canceled]"), soonest first.
type HardwareIssue struct {
	InstanceID     string
	Cluster        string // raw cluster name, "" when the instance is not in the snapshot
	SystemFailed   bool
	InstanceFailed bool
	Events         []ScheduledEvent
}

// Failed reports whether a status check fails now.
func (h HardwareIssue) Failed() bool { return h.SystemFailed || h.InstanceFailed }

// IssueOf returns what is wrong with an instance's hardware, and false
// when nothing is: both checks pass (or do not apply) and no event is
// pending.
func IssueOf(st InstanceStatus) (HardwareIssue, bool) {
	h := HardwareIssue{
		InstanceID:     st.InstanceID,
		SystemFailed:   st.System == CheckImpaired,
		InstanceFailed: st.Instance == CheckImpaired,
		Events:         PendingEvents(st),
	}
	return h, h.Failed() || len(h.Events) > 0
}

// PendingEvents returns an instance's scheduled events that are still to
// come, soonest first (an event without a start goes last; AWS always
// gives one, but a missing date is not "now").
func PendingEvents(st InstanceStatus) []ScheduledEvent {
	var out []ScheduledEvent
	for _, e := range st.Events {
		if e.Pending() {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b ScheduledEvent) int {
		switch {
		case a.NotBefore.IsZero() != b.NotBefore.IsZero():
			if a.NotBefore.IsZero() {
				return 1
			}
			return -1
		}
		return cmp.Or(a.NotBefore.Compare(b.NotBefore), cmp.Compare(a.Code, b.Code))
	})
	return out
}

// hardwareRank orders instances by how urgently their hardware needs a
// look: both checks failed, the system check (the host: AWS has to move
// it), the instance check, a pending event, nothing.
func hardwareRank(st InstanceStatus) int {
	sys, inst := st.System == CheckImpaired, st.Instance == CheckImpaired
	switch {
	case sys && inst:
		return 0
	case sys:
		return 1
	case inst:
		return 2
	case st.HasPendingEvent():
		return 3
	}
	return 4
}

// CompareHardware orders two instances' statuses for a list that puts the
// broken first (S6): failed checks before scheduled events before the
// rest; among scheduled events, the soonest first; otherwise by instance
// ID. A screen sorts with it so the file server with a failed system
// check is the first row, not the fortieth.
func CompareHardware(a, b InstanceStatus) int {
	if c := cmp.Compare(hardwareRank(a), hardwareRank(b)); c != 0 {
		return c
	}
	ea, eb := PendingEvents(a), PendingEvents(b)
	if len(ea) > 0 && len(eb) > 0 {
		if c := ea[0].NotBefore.Compare(eb[0].NotBefore); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.InstanceID, b.InstanceID)
}

// Hardware lists every instance of w with a failed check or a pending
// event, most urgent first (CompareHardware). It is empty when the status
// section holds nothing wrong; whether that section is known is for the
// caller to ask (Snap.Known(SectionStatus)): unknown is not healthy.
func Hardware(w World) []HardwareIssue {
	var sts []InstanceStatus
	for _, st := range w.Snap.Statuses {
		if _, bad := IssueOf(st); bad {
			sts = append(sts, st)
		}
	}
	slices.SortFunc(sts, CompareHardware)
	out := make([]HardwareIssue, 0, len(sts))
	for _, st := range sts {
		h, _ := IssueOf(st)
		h.Cluster = w.clusterName(st.InstanceID)
		out = append(out, h)
	}
	return out
}

// HardwareCounts counts, among the instances ids, those failing a check
// and those with a pending event: the numbers on a cluster's row
// (Cluster.FailedChecks, Cluster.Scheduled are the same counts) and on an
// Auto Scaling group's, from its members.
func HardwareCounts(ids []string, statuses map[string]InstanceStatus) (failed, scheduled int) {
	for _, id := range ids {
		st, ok := statuses[id]
		if !ok {
			continue
		}
		if st.Failed() {
			failed++
		}
		if st.HasPendingEvent() {
			scheduled++
		}
	}
	return failed, scheduled
}

// HardwareWord says in a few cells what is wrong with an instance's
// hardware, in the words every screen uses (words.go): "FAILED sys",
// "FAILED inst", "FAILED both", or for the soonest pending event its
// short name and when: "retiring in 3d", "reboot in 5h", "stop in 40m",
// "maint in 2d", "retiring now" once its window has opened. "" when
// nothing is wrong. A failure outranks an event: it is happening.
func HardwareWord(st InstanceStatus, now time.Time) string {
	switch sys, inst := st.System == CheckImpaired, st.Instance == CheckImpaired; {
	case sys && inst:
		return WordFailed + " both"
	case sys:
		return WordFailed + " sys"
	case inst:
		return WordFailed + " inst"
	}
	evs := PendingEvents(st)
	if len(evs) == 0 {
		return ""
	}
	e := evs[0]
	if e.NotBefore.IsZero() {
		return EventWord(e.Code) + " " + WordScheduled
	}
	return EventWord(e.Code) + " " + Until(e.NotBefore, now)
}

// EventScheduled is the Diff event for an event AWS has newly scheduled
// on an instance: its To is the event's code and window.
const EventScheduled EventKind = "event-scheduled"

// diffScheduled reports the pending events of next that prev did not
// have, an event being its code and start. An instance new to the status
// list counts only when prev's list was complete (else it may just have
// been missing from it).
func diffScheduled(evs []Event, prev, next World) []Event {
	prevComplete := complete(prev, SectionStatus)
	for id, now := range next.Snap.Statuses {
		was, seen := prev.Snap.Statuses[id]
		if !seen && !prevComplete {
			continue
		}
		before := map[string]bool{}
		for _, e := range was.Events {
			before[e.Code+"\x00"+e.NotBefore.String()] = true
		}
		for _, e := range PendingEvents(now) {
			if before[e.Code+"\x00"+e.NotBefore.String()] {
				continue
			}
			what := Sanitize(e.Code) + " " + WordScheduled
			if w := EventWindow(e); w != "" {
				what += ", " + w
			}
			evs = append(evs, Event{Kind: EventScheduled, Subject: id, To: what,
				Cluster: eventCluster(&prev, &next, id)})
		}
	}
	return evs
}

// EventWord is a scheduled event's short name: "instance-retirement" is
// "retiring", "system-reboot" and "instance-reboot" "reboot",
// "instance-stop" "stop", "system-maintenance" "maint"; any other code
// is itself, sanitised.
func EventWord(code string) string {
	switch code {
	case "instance-retirement":
		return "retiring"
	case "system-reboot", "instance-reboot":
		return "reboot"
	case "instance-stop":
		return "stop"
	case "system-maintenance":
		return "maint"
	}
	return Sanitize(code)
}

// Until says how long until t from now, coarsely, as an operator reads a
// deadline: "in 3d" (whole days from two days on), "in 30h", "in 5h",
// "in 40m", "in <1m", and "now" once t has passed.
func Until(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d <= 0:
		return "now"
	case d < time.Minute:
		return "in <1m"
	case d < time.Hour:
		return "in " + strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return "in " + strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return "in " + strconv.Itoa(int(d/(24*time.Hour))) + "d"
}

// EventWindow is an event's window in UTC, as AWS gives it: "not before
// 2026-11-23 12:00 UTC, not after 2026-11-24 12:00 UTC"; the end is left
// out when AWS gives none.
func EventWindow(e ScheduledEvent) string {
	const layout = "2006-01-02 15:04 UTC"
	var s string
	if !e.NotBefore.IsZero() {
		s = "not before " + e.NotBefore.UTC().Format(layout)
	}
	if !e.NotAfter.IsZero() {
		if s != "" {
			s += ", "
		}
		s += "not after " + e.NotAfter.UTC().Format(layout)
	}
	return s
}

// EventLine describes an event in full for a detail view or a feed:
// "instance-retirement: The instance is running on degraded hardware
// (not before …, not after …; in 3d)".
func EventLine(e ScheduledEvent, now time.Time) string {
	s := Sanitize(e.Code)
	if e.Description != "" {
		s += ": " + e.Description
	}
	if w := EventWindow(e); w != "" {
		s += fmt.Sprintf(" (%s; %s)", w, Until(e.NotBefore, now))
	}
	return s
}

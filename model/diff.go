package model

import (
	"cmp"
	"fmt"
	"sort"
	"time"
)

// EventKind says what changed between two refreshes.
type EventKind string

// The kinds of event Diff reports, in the order a refresh's events are
// listed (most consequential first).
const (
	EventLiveChanged      EventKind = "live-changed" // a cluster gained or lost its EIPs
	EventEIPMoved         EventKind = "eip-moved"
	EventEIPReleased      EventKind = "eip-released"
	EventEIPDisassociated EventKind = "eip-disassociated"
	EventEIPAssociated    EventKind = "eip-associated"
	EventEIPNew           EventKind = "eip-new"
	EventInstanceVanished EventKind = "instance-vanished"
	EventInstanceState    EventKind = "instance-state"
	EventInstanceAppeared EventKind = "instance-appeared"
	EventStatusFailed     EventKind = "status-failed"
	EventStatusRecovered  EventKind = "status-recovered"
)

// kindRank orders a refresh's events: what changes where traffic goes
// first, then what changes the fleet, then health.
var kindRank = map[EventKind]int{
	EventLiveChanged:      0,
	EventEIPMoved:         1,
	EventEIPReleased:      2,
	EventEIPDisassociated: 3,
	EventEIPAssociated:    4,
	EventEIPNew:           5,
	EventInstanceVanished: 6,
	EventInstanceState:    7,
	EventInstanceAppeared: 8,
	EventStatusFailed:     9,
	EventStatusRecovered:  10,
	// Scheduled hardware events (hardware.go), then ECS (ecs.go).
	EventScheduled:        11,
	EventServiceVanished:  12,
	EventECSClusterGone:   13,
	EventServiceStatus:    14,
	EventECSClusterStatus: 15,
	EventRolloutFailed:    16,
}

// Values of Event.From and Event.To for EventLiveChanged.
const (
	LiveYes = "LIVE"
	LiveNo  = "not live"
)

// Event is one change between two refreshes, for the event feed.
type Event struct {
	At      time.Time
	Kind    EventKind
	Subject string // public IP, instance ID or cluster name (raw)
	From    string // previous owner or state ("blue/i-0abc", "running"), for display; "" if none
	To      string // new owner or state, for display; "" if none
	Cluster string // the cluster most concerned (raw), for highlighting; may be ""
	// ECSCluster is the ECS cluster of an ECS event (raw); "" otherwise.
	// It is not Cluster: an ECS cluster is not a group of tagged
	// instances, and must not highlight one that shares its name.
	ECSCluster string
}

// String describes the event in one line, without its time:
// "EIP 3.3.3.3 moved blue/i-1 → green/i-2".
func (e Event) String() string {
	if s, ok := capacityEventString(e); ok {
		return s
	}
	if s, ok := ecsEventString(e); ok {
		return s
	}
	switch e.Kind {
	case EventScheduled:
		return fmt.Sprintf("instance %s%s: %s", e.Subject, where(e.Cluster), e.To)
	case EventLiveChanged:
		if e.To == LiveYes {
			return "cluster " + Display(e.Subject) + " is now LIVE"
		}
		return "cluster " + Display(e.Subject) + " is no longer LIVE"
	case EventEIPMoved:
		return fmt.Sprintf("EIP %s moved %s → %s", e.Subject, e.From, e.To)
	case EventEIPReleased:
		if e.From == "" || e.From == (Owner{}).String() {
			return "EIP " + e.Subject + " released"
		}
		return fmt.Sprintf("EIP %s released (was on %s)", e.Subject, e.From)
	case EventEIPDisassociated:
		return fmt.Sprintf("EIP %s disassociated from %s", e.Subject, e.From)
	case EventEIPAssociated:
		return fmt.Sprintf("EIP %s associated with %s", e.Subject, e.To)
	case EventEIPNew:
		if e.To == "" || e.To == (Owner{}).String() {
			return "new EIP " + e.Subject + " (unassociated)"
		}
		return fmt.Sprintf("new EIP %s on %s", e.Subject, e.To)
	case EventInstanceVanished:
		return fmt.Sprintf("instance %s%s vanished (was %s)", e.Subject, where(e.Cluster), e.From)
	case EventInstanceState:
		return fmt.Sprintf("instance %s%s %s → %s", e.Subject, where(e.Cluster), e.From, e.To)
	case EventInstanceAppeared:
		return fmt.Sprintf("instance %s appeared%s (%s)", e.Subject, where(e.Cluster), e.To)
	case EventStatusFailed:
		return fmt.Sprintf("instance %s%s: status checks %s (%s)", e.Subject, where(e.Cluster), WordFailed, e.To)
	case EventStatusRecovered:
		return fmt.Sprintf("instance %s%s: status checks no longer %s (%s)", e.Subject, where(e.Cluster), WordFailed, e.To)
	}
	return fmt.Sprintf("%s %s: %s → %s", e.Kind, Display(e.Subject), e.From, e.To)
}

// where says which cluster an instance is in, for an event's text.
func where(cluster string) string {
	switch cluster {
	case "":
		return ""
	case UntaggedCluster:
		return " (untagged)"
	}
	return " in " + Display(cluster)
}

// Diff returns what changed from prev to next, as events stamped at, in a
// deterministic order: by kind (see the constants), then subject.
//
// Diff reports only what it knows. Data a section failed to fetch is not
// evidence that anything went away, so:
//   - a first snapshot (prev has no sections) produces no events;
//   - vanished instances and released EIPs are reported only when the
//     section is complete on both sides;
//   - appeared instances and new EIPs only when prev's section is complete;
//   - a cluster's liveness change only when instances and addresses are
//     complete on both sides (the untagged group has no liveness events);
//   - snapshots of different accounts, regions or cluster tags are not
//     compared at all.
//
// Things present on both sides (an EIP on another instance, an instance in
// another state) are compared whatever the sections say.
func Diff(prev, next World, at time.Time) []Event {
	if len(prev.Snap.Sections) == 0 || len(next.Snap.Sections) == 0 || !samePlace(prev, next) {
		return nil
	}
	var evs []Event
	evs = diffAddresses(evs, prev, next)
	evs = diffInstances(evs, prev, next)
	evs = diffStatuses(evs, prev, next)
	evs = diffLiveness(evs, prev, next)
	evs = diffCapacity(evs, prev, next)
	evs = diffScheduled(evs, prev, next)
	evs = diffECS(evs, prev, next)
	for i := range evs {
		evs[i].At = at
	}
	sort.Slice(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.Kind != b.Kind {
			return kindRank[a.Kind] < kindRank[b.Kind]
		}
		if c := compareIP(a.Subject, b.Subject); c != 0 {
			return c < 0
		}
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		return a.ECSCluster < b.ECSCluster
	})
	return evs
}

// samePlace reports whether two worlds describe the same account, region
// and grouping, so that their differences are changes and not a switch.
func samePlace(a, b World) bool {
	ida, idb := a.Snap.Identity.AccountID, b.Snap.Identity.AccountID
	if ida != "" && idb != "" && ida != idb {
		return false
	}
	ra, rb := a.Snap.Region, b.Snap.Region
	if ra != "" && rb != "" && ra != rb {
		return false
	}
	return a.TagKey == b.TagKey
}

// complete reports whether section sec of w was fetched in full.
func complete(w World, sec Section) bool {
	r, ok := w.Snap.Sections[sec]
	return ok && r.Complete && r.Err == nil
}

func diffAddresses(evs []Event, prev, next World) []Event {
	before := make(map[string]Address, len(prev.Snap.Addresses))
	for _, a := range prev.Snap.Addresses {
		before[AddressKey(a)] = a
	}
	after := make(map[string]bool, len(next.Snap.Addresses))
	prevComplete := complete(prev, SectionAddresses)
	for _, a := range next.Snap.Addresses {
		key := AddressKey(a)
		after[key] = true
		now := next.Owners[key]
		if _, seen := before[key]; !seen {
			if prevComplete {
				evs = append(evs, Event{Kind: EventEIPNew, Subject: a.PublicIP, To: now.String(), Cluster: now.Cluster})
			}
			continue
		}
		was := prev.Owners[key]
		switch {
		case !was.Associated() && now.Associated():
			evs = append(evs, Event{Kind: EventEIPAssociated, Subject: a.PublicIP,
				From: was.String(), To: now.String(), Cluster: now.Cluster})
		case was.Associated() && !now.Associated():
			evs = append(evs, Event{Kind: EventEIPDisassociated, Subject: a.PublicIP,
				From: was.String(), To: now.String(), Cluster: was.Cluster})
		case was.Associated() && !sameHolder(was, now):
			evs = append(evs, Event{Kind: EventEIPMoved, Subject: a.PublicIP,
				From: was.String(), To: now.String(), Cluster: cmp.Or(now.Cluster, was.Cluster)})
		}
	}
	if prevComplete && complete(next, SectionAddresses) {
		for key, a := range before {
			if !after[key] {
				was := prev.Owners[key]
				evs = append(evs, Event{Kind: EventEIPReleased, Subject: a.PublicIP, From: was.String(), Cluster: was.Cluster})
			}
		}
	}
	return evs
}

func diffInstances(evs []Event, prev, next World) []Event {
	prevComplete := complete(prev, SectionInstances)
	for id, in := range next.Instances() {
		old, seen := prev.Instance(id)
		switch {
		case !seen && prevComplete:
			evs = append(evs, Event{Kind: EventInstanceAppeared, Subject: id, To: string(in.State), Cluster: next.clusterName(id)})
		case seen && old.State != in.State:
			evs = append(evs, Event{Kind: EventInstanceState, Subject: id,
				From: string(old.State), To: string(in.State), Cluster: next.clusterName(id)})
		}
	}
	if prevComplete && complete(next, SectionInstances) {
		for id, old := range prev.Instances() {
			if _, ok := next.Instance(id); !ok {
				evs = append(evs, Event{Kind: EventInstanceVanished, Subject: id, From: string(old.State), Cluster: prev.clusterName(id)})
			}
		}
	}
	return evs
}

// eventCluster is the cluster an event about instance id names: the one
// it is in now, else the one it was in. Asked only for an event, not for
// every status compared: ClusterOf is worked out on each call.
func eventCluster(prev, next *World, id string) string {
	return cmp.Or(next.clusterName(id), prev.clusterName(id))
}

func diffStatuses(evs []Event, prev, next World) []Event {
	prevComplete := complete(prev, SectionStatus)
	for id, now := range next.Snap.Statuses {
		was, seen := prev.Snap.Statuses[id]
		switch {
		case now.Failed() && (seen && !was.Failed() || !seen && prevComplete):
			evs = append(evs, Event{Kind: EventStatusFailed, Subject: id,
				From: describeChecks(was, seen), To: describeChecks(now, true), Cluster: eventCluster(&prev, &next, id)})
		case !now.Failed() && seen && was.Failed():
			evs = append(evs, Event{Kind: EventStatusRecovered, Subject: id,
				From: describeChecks(was, true), To: describeChecks(now, true), Cluster: eventCluster(&prev, &next, id)})
		}
	}
	return evs
}

func diffLiveness(evs []Event, prev, next World) []Event {
	for _, w := range []World{prev, next} {
		if !complete(w, SectionInstances) || !complete(w, SectionAddresses) {
			return evs
		}
	}
	liveIn := func(w World) map[string]bool {
		live := make(map[string]bool)
		for _, c := range w.Clusters {
			if c.Live && !c.Untagged {
				live[c.Name] = true
			}
		}
		return live
	}
	was, now := liveIn(prev), liveIn(next)
	for name := range now {
		if !was[name] {
			evs = append(evs, Event{Kind: EventLiveChanged, Subject: name, From: LiveNo, To: LiveYes, Cluster: name})
		}
	}
	for name := range was {
		if !now[name] {
			evs = append(evs, Event{Kind: EventLiveChanged, Subject: name, From: LiveYes, To: LiveNo, Cluster: name})
		}
	}
	return evs
}

// describeChecks summarises both status checks: "system ok, instance
// impaired". known false gives "".
func describeChecks(s InstanceStatus, known bool) string {
	if !known {
		return ""
	}
	// EC2 says "impaired"; airlock says FAILED everywhere (words.go).
	word := func(c CheckStatus) string {
		if c == CheckImpaired {
			return WordFailed
		}
		return cmp.Or(string(c), "unknown")
	}
	return fmt.Sprintf("system %s, instance %s", word(s.System), word(s.Instance))
}

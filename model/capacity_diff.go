package model

import "fmt"

// Events about capacity (S4): a group that went SHORT, one that recovered,
// and each scaling activity that failed, once per activity ID.
const (
	EventGroupShort      EventKind = "group-short"
	EventGroupRecovered  EventKind = "group-recovered"
	EventActivityFailed  EventKind = "scaling-failed"
	capacityRankAfterAll           = 11 // after every event kind of diff.go
)

func init() {
	kindRank[EventGroupShort] = capacityRankAfterAll
	kindRank[EventActivityFailed] = capacityRankAfterAll + 1
	kindRank[EventGroupRecovered] = capacityRankAfterAll + 2
}

// diffCapacity reports groups that became SHORT or stopped being so, and
// failed activities that were not listed before. Only what both sides
// know: a group whose section failed on either side is not compared, and
// an activity counts as new only when the previous listing was known and
// it is no older than the oldest activity that listing held (older ones
// were outside its window, not new).
func diffCapacity(evs []Event, prev, next World) []Event {
	if complete(prev, SectionGroups) && complete(next, SectionGroups) {
		before := make(map[string]GroupState, len(prev.Groups))
		for _, g := range prev.Groups {
			before[g.Name] = g
		}
		for _, g := range next.Groups {
			was, ok := before[g.Name]
			if !ok {
				continue
			}
			counts := fmt.Sprintf("%d of %d in service", g.InService, g.Desired)
			switch {
			case g.Short && !was.Short:
				evs = append(evs, Event{Kind: EventGroupShort, Subject: g.Name,
					From: fmt.Sprintf("%d of %d in service", was.InService, was.Desired), To: counts, Cluster: firstOf(g.Clusters)})
			case !g.Short && was.Short && !g.Below():
				evs = append(evs, Event{Kind: EventGroupRecovered, Subject: g.Name,
					From: fmt.Sprintf("%d of %d in service", was.InService, was.Desired), To: counts, Cluster: firstOf(g.Clusters)})
			}
		}
	}
	if complete(prev, SectionActivities) && complete(next, SectionActivities) {
		seen := make(map[string]bool, len(prev.Snap.Activities))
		var oldest Activity
		for i, a := range prev.Snap.Activities {
			seen[a.ID] = true
			if i == 0 || a.Start.Before(oldest.Start) {
				oldest = a
			}
		}
		clusterOf := map[string]string{}
		for _, g := range next.Groups {
			clusterOf[g.Name] = firstOf(g.Clusters)
		}
		for _, a := range next.Snap.Activities {
			if !a.Failed() || seen[a.ID] || (!prev.Snap.ActivitiesAll && a.Start.Before(oldest.Start)) {
				continue
			}
			evs = append(evs, Event{Kind: EventActivityFailed, Subject: a.Group, From: a.ID, To: a.Text(), Cluster: clusterOf[a.Group]})
		}
	}
	return evs
}

// capacityEventString describes a capacity event, or reports false.
func capacityEventString(e Event) (string, bool) {
	switch e.Kind {
	case EventGroupShort:
		if e.From == e.To {
			// Below desired at both refreshes: it became SHORT by lasting.
			return fmt.Sprintf("group %s is SHORT: %s", Display(e.Subject), e.To), true
		}
		return fmt.Sprintf("group %s is SHORT: %s (was %s)", Display(e.Subject), e.To, e.From), true
	case EventGroupRecovered:
		return fmt.Sprintf("group %s recovered: %s", Display(e.Subject), e.To), true
	case EventActivityFailed:
		return fmt.Sprintf("group %s: scaling activity failed: %s", Display(e.Subject), e.To), true
	}
	return "", false
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

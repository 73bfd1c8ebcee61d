package tui

import "github.com/airlock-ops/airlock/model"

// carryCapacity keeps the last good groups, activities and launch facts
// when this refresh's failed, as carryOver does for the other sections:
// one throttled Auto Scaling call must not blank the Capacity page or
// make a SHORT group look healthy.
func carryCapacity(prev model.Snapshot, next *model.Snapshot, carried func(model.Section)) {
	if !complete(*next, model.SectionGroups) && (prev.Groups != nil || prev.Known(model.SectionGroups)) {
		next.Groups = prev.Groups
		carried(model.SectionGroups)
	}
	if !complete(*next, model.SectionActivities) && (prev.Activities != nil || prev.Known(model.SectionActivities)) {
		next.Activities, next.ActivitiesAll = prev.Activities, prev.ActivitiesAll
		carried(model.SectionActivities)
	}
	if !complete(*next, model.SectionLaunch) && prev.Launch != nil {
		next.Launch = prev.Launch
		carried(model.SectionLaunch)
	}
}

package main

import (
	"time"

	"github.com/airlock-ops/airlock/model"
)

// The capacity side of "airlock status --json" (stories S4 and S5). Field
// names are a contract with scripts, as in statusDoc.
//
// groups[] is every Auto Scaling group: "short" is the SHORT rule of the
// dashboard (model.IsShort: below desired at an earlier observation, or
// its latest scaling activity failed; one fetch has only the second),
// "last_failure" the status message of its latest failed activity
// verbatim but sanitised, or null when none is listed; when the
// activities could not be read, "activities_unknown" says why and null
// says nothing. groups is null when the groups could not be listed.
//
// subnets[] gains "free" (AvailableIpAddressCount), "total" (the CIDR's
// size less AWS's five reserved addresses; 0 when unknown) and "low"
// (under 10% or 16 addresses free).
type (
	groupDoc struct {
		Name              string     `json:"name"`
		Escaped           bool       `json:"escaped,omitempty"`
		Desired           int        `json:"desired"`
		InService         int        `json:"in_service"`
		Pending           int        `json:"pending"`
		Min               int        `json:"min"`
		Max               int        `json:"max"`
		Short             bool       `json:"short"`
		Template          string     `json:"launch_template,omitempty"`
		LastFailure       *string    `json:"last_failure"`
		LastFailureAt     *time.Time `json:"last_failure_at,omitempty"`
		ActivitiesUnknown string     `json:"activities_unknown,omitempty"`
		Clusters          []string   `json:"clusters"`
	}
)

// groupDocs is the groups of w for status --json.
func groupDocs(w model.World) []groupDoc {
	out := knownList[groupDoc](w.Snap, model.SectionGroups, len(w.Groups))
	for _, g := range w.Groups {
		d := groupDoc{Name: g.Display, Escaped: g.Display != g.Name, Desired: g.Desired, InService: g.InService,
			Pending: g.Pending, Min: g.Min, Max: g.Max, Short: g.Short, Template: g.Template(),
			ActivitiesUnknown: g.ActivitiesUnknown, Clusters: []string{}}
		if f := g.LastFailure; f != nil {
			msg, at := f.Text(), f.Start.UTC()
			d.LastFailure, d.LastFailureAt = &msg, &at
		}
		for _, c := range g.Clusters {
			d.Clusters = append(d.Clusters, model.Display(c))
		}
		out = append(out, d)
	}
	return out
}

// subnetUse fills the capacity fields of a subnet's document.
func subnetUse(d *subnetDoc, u model.SubnetUse) {
	d.Free, d.Total, d.Low = u.Free(), u.Total, u.Low
}

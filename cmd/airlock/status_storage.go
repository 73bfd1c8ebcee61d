package main

import (
	"context"
	"time"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// The parts of "airlock status --json" for issue 11: ECS clusters and
// services (S7), EBS volumes and own snapshots (S6), and each instance's
// pending scheduled events (S6). Unknown is not none: a list whose
// section failed before anything arrived is null, and the section is in
// "sections" with its error (exit status 3).
//
// Volumes and snapshots are those of the whole region: a report is
// fetched once, and pages are large (500 volumes, 1,000 snapshots a
// call: 23 calls for 11,000 volumes). Only --json fetches them; the text
// report does not show them.
type (
	ecsDoc struct {
		Clusters []ecsClusterDoc `json:"clusters"`
		Services []ecsServiceDoc `json:"services"`
	}
	ecsClusterDoc struct {
		Name           string `json:"name"`
		Escaped        bool   `json:"escaped,omitempty"`
		Status         string `json:"status"`
		ActiveServices int    `json:"active_services"`
		RunningTasks   int    `json:"running_tasks"`
		PendingTasks   int    `json:"pending_tasks"`
	}
	// ecsServiceDoc names its service and cluster in display form
	// (model.Display), "escaped" when that differs from the raw name.
	ecsServiceDoc struct {
		Cluster        string `json:"cluster"`
		Name           string `json:"name"`
		Escaped        bool   `json:"escaped,omitempty"`
		Status         string `json:"status"`
		Desired        int    `json:"desired"`
		Running        int    `json:"running"`
		Pending        int    `json:"pending"`
		Rollout        string `json:"rollout"` // IN_PROGRESS, COMPLETED, FAILED, or "" when ECS reports none
		LaunchType     string `json:"launch_type,omitempty"`
		TaskDefinition string `json:"task_definition,omitempty"`
	}
	volumeDoc struct {
		ID                  string `json:"id"`
		SizeGiB             int    `json:"size_gib"`
		Type                string `json:"type"`
		State               string `json:"state"`
		InstanceID          string `json:"instance_id,omitempty"`
		Device              string `json:"device,omitempty"`
		DeleteOnTermination bool   `json:"delete_on_termination"`
	}
	snapshotDoc struct {
		ID        string    `json:"id"`
		Volume    string    `json:"volume"`
		State     string    `json:"state"`
		Progress  float64   `json:"progress"` // percent, 0 to 100
		StartTime time.Time `json:"start_time"`
	}
	// eventDoc is a pending scheduled event; not_after is null when AWS
	// gives no end.
	eventDoc struct {
		Code        string     `json:"code"`
		Description string     `json:"description"`
		NotBefore   time.Time  `json:"not_before"`
		NotAfter    *time.Time `json:"not_after"`
	}
)

// fetchStorage reads the region's volumes and own snapshots, recording
// how it went as snap's SectionStorage.
func fetchStorage(ctx context.Context, c *awsstate.Client, snap *model.Snapshot) model.Storage {
	start := time.Now()
	st, err := c.AllStorage(ctx)
	if snap.Sections == nil {
		snap.Sections = map[model.Section]model.SectionResult{}
	}
	r := model.SectionResult{Complete: err == nil, Duration: time.Since(start)}
	if err != nil {
		r.Err = err
	}
	snap.Sections[model.SectionStorage] = r
	return st
}

// addStorageAndECS fills the ECS, volume and snapshot parts of doc.
func addStorageAndECS(doc *statusDoc, w model.World, st model.Storage) {
	s := w.Snap
	if len(s.ECS.Clusters) > 0 || s.Known(model.SectionECS) {
		doc.ECS = &ecsDoc{Clusters: []ecsClusterDoc{}, Services: knownList[ecsServiceDoc](s, model.SectionECS, len(s.ECS.Services))}
		for _, c := range s.ECS.Clusters {
			doc.ECS.Clusters = append(doc.ECS.Clusters, ecsClusterDoc{
				Name: model.Display(c.Name), Escaped: model.Display(c.Name) != c.Name, Status: c.Status,
				ActiveServices: c.ActiveServices, RunningTasks: c.RunningTasks, PendingTasks: c.PendingTasks,
			})
		}
		for _, sv := range s.ECS.Services {
			doc.ECS.Services = append(doc.ECS.Services, ecsServiceDoc{
				Cluster: model.Display(sv.Cluster), Name: model.Display(sv.Name),
				Escaped: model.Display(sv.Name) != sv.Name || model.Display(sv.Cluster) != sv.Cluster,
				Status:  sv.Status, Desired: sv.Desired, Running: sv.Running, Pending: sv.Pending,
				Rollout: sv.Rollout(), LaunchType: sv.LaunchType, TaskDefinition: sv.TaskDefinition,
			})
		}
	}
	doc.Volumes = knownList[volumeDoc](s, model.SectionStorage, len(st.Volumes))
	doc.Snapshots = knownList[snapshotDoc](s, model.SectionStorage, len(st.Snapshots))
	for _, v := range st.Volumes {
		vd := volumeDoc{ID: v.ID, SizeGiB: v.SizeGiB, Type: v.Type, State: v.State}
		if len(v.Attachments) > 0 {
			a := v.Attachments[0]
			vd.InstanceID, vd.Device, vd.DeleteOnTermination = a.InstanceID, a.Device, a.DeleteOnTermination
		}
		doc.Volumes = append(doc.Volumes, vd)
	}
	for _, sn := range st.Snapshots {
		doc.Snapshots = append(doc.Snapshots, snapshotDoc{
			ID: sn.ID, Volume: sn.VolumeID, State: sn.State, Progress: sn.Progress, StartTime: sn.StartedAt.UTC(),
		})
	}
}

// eventsOf lists an instance's pending scheduled events, soonest first:
// [] when it has none, null when the status checks were not fetched.
func eventsOf(st model.InstanceStatus, known bool) []eventDoc {
	if !known && len(st.Events) == 0 {
		return nil
	}
	out := []eventDoc{}
	for _, e := range model.PendingEvents(st) {
		ed := eventDoc{Code: e.Code, Description: e.Description, NotBefore: e.NotBefore.UTC()}
		if !e.NotAfter.IsZero() {
			t := e.NotAfter.UTC()
			ed.NotAfter = &t
		}
		out = append(out, ed)
	}
	return out
}

package main

import (
	"slices"
	"testing"
)

// S6 through the built binary: the file server's retirement event with
// its window, its volumes, and the rescue snapshot's progress as a number.
func TestStatusJSONHardwareAndStorage(t *testing.T) {
	sim := startSim(t, "--scenario", "s6")
	doc := statusOf(t, sim, "acme-prod")

	var fs *instanceDoc
	for _, c := range doc.Clusters {
		for i, in := range c.Instances {
			if in.Name == "fileserver" {
				fs = &c.Instances[i]
			}
		}
	}
	if fs == nil {
		t.Fatal("no fileserver in the s6 status")
	}
	if fs.System != "impaired" || len(fs.Events) != 1 || fs.Events[0].Code != "instance-retirement" ||
		fs.Events[0].NotAfter == nil || !fs.Events[0].NotAfter.After(fs.Events[0].NotBefore) {
		t.Errorf("fileserver = %+v, events %+v", fs, fs.Events)
	}
	for _, c := range doc.Clusters {
		for _, in := range c.Instances {
			if in.Events == nil {
				t.Errorf("%s: events null with the status checks known", in.ID)
			}
			// green-web-2's "[Completed]" reboot is over: only its
			// maintenance is to come.
			if in.Name == "green-web-2" && (len(in.Events) != 1 || in.Events[0].Code != "system-maintenance") {
				t.Errorf("green-web-2 events = %+v, want only the pending system-maintenance", in.Events)
			}
		}
	}

	var data []volumeDoc
	for _, v := range doc.Volumes {
		if v.InstanceID == fs.ID {
			data = append(data, v)
		}
	}
	if len(data) != 2 || !data[0].DeleteOnTermination || !data[1].DeleteOnTermination {
		t.Errorf("fileserver volumes = %+v", data)
	}
	var progress []float64
	for _, s := range doc.Snapshots {
		if s.State == "pending" && slices.ContainsFunc(data, func(v volumeDoc) bool { return v.ID == s.Volume }) {
			progress = append(progress, s.Progress)
		}
	}
	if len(progress) != 1 || progress[0] < 15 || progress[0] > 16 {
		t.Errorf("pending snapshots of the fileserver: %v, want one at 15%%", progress)
	}
	if sec, ok := doc.Sections["storage"]; !ok || !sec.Complete {
		t.Errorf("sections.storage = %+v", sec)
	}
}

// S7 through the built binary: the deployer cluster's services, and
// deployer-api gone once another console deleted it.
func TestStatusJSONECS(t *testing.T) {
	sim := startSim(t, "--scenario", "s7")
	doc := statusOf(t, sim, "acme-prod")
	if doc.ECS == nil {
		t.Fatal("ecs: null")
	}
	byName := map[string]ecsServiceDoc{}
	for _, s := range doc.ECS.Services {
		if s.Cluster == "prod-ecs" {
			byName[s.Name] = s
		}
	}
	if s := byName["deployer-api"]; s.Status != "ACTIVE" || s.Desired != 4 || s.Running != 4 || s.Pending != 0 || s.Rollout != "COMPLETED" {
		t.Errorf("deployer-api = %+v", s)
	}
	if s := byName["ledger-sync"]; s.Rollout != "FAILED" {
		t.Errorf("ledger-sync = %+v", s)
	}
	if !slices.ContainsFunc(doc.ECS.Clusters, func(c ecsClusterDoc) bool { return c.Name == "prod-ecs" && c.Status == "ACTIVE" }) {
		t.Errorf("clusters = %+v", doc.ECS.Clusters)
	}

	sim.post(t, "/_sim/ecs/delete-service?cluster=prod-ecs&service=deployer-api")
	doc = statusOf(t, sim, "acme-prod")
	for _, s := range doc.ECS.Services {
		if s.Name == "deployer-api" && s.Status == "ACTIVE" {
			t.Errorf("deployer-api still listed ACTIVE after its deletion: %+v", s)
		}
	}
}

package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// The storage and hardware side of the scenarios: every instance's disks,
// backups, and story S6.

// rootVolumes gives every instance that has none the root volume EC2
// would have created at launch, in instance ID order (so volume IDs are
// stable). Terminated instances have lost theirs.
func rootVolumes(r *Region) {
	has := map[string]bool{}
	for _, v := range r.Volumes {
		for _, a := range v.Attachments {
			has[a.InstanceID] = true
		}
	}
	for _, id := range r.instanceIDs() {
		if in := r.Instances[id]; !has[id] && in.State != StateTerminated {
			r.rootVolume(in)
		}
	}
}

// publicSnapshot adds a snapshot Amazon owns and shares publicly, so that a
// DescribeSnapshots without OwnerIds=self shows what a real account sees:
// more than its own backups.
func publicSnapshot(r *Region, epoch time.Time) {
	sn := &Snapshot{
		ID: r.newID("snap"), VolumeID: "vol-ffffffff", VolumeSize: 8,
		OwnerID: amazonOwner, OwnerAlias: "amazon", Description: "Amazon Linux 2023 AMI root volume",
		State: SnapshotCompleted, StartTime: epoch.Add(-19 * 24 * time.Hour), Progress: 100,
		ProgressAt: epoch.Add(-19*24*time.Hour + 40*time.Minute),
	}
	r.Snapshots[sn.ID] = sn
}

// demoStorage gives the demo region's instances their root volumes,
// blue's nightly backups (completed 20 hours before the epoch, so "when was
// blue last backed up" has an answer) and Amazon's public snapshot.
func demoStorage(r *Region, epoch time.Time) {
	rootVolumes(r)
	for _, in := range r.Tagged(clusterTag, "blue") {
		for _, v := range r.VolumesOf(in.ID) {
			start := epoch.Add(-20*time.Hour + time.Duration(len(r.Snapshots))*time.Minute)
			sn := r.AddSnapshot(v, "nightly backup of "+in.Tags["Name"], SnapshotCompleted, start, 100, 60)
			sn.Tags = map[string]string{"Name": in.Tags["Name"] + "-nightly"}
		}
	}
	publicSnapshot(r, epoch)
	r.touch()
}

// fleetStorage gives a generated fleet its disks: a root volume per
// instance (8 to 100 GiB), a 500 GiB data volume on every tenth one that
// survives termination, a completed nightly snapshot of every data volume
// and, on every fifth, a snapshot in progress at a random point and rate.
// Its own random stream keeps the instances what generate made them.
func fleetStorage(r *Region, seed int64, epoch time.Time) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0xeb5))
	sizes := []int{8, 16, 30, 50, 100}
	for i, id := range r.instanceIDs() {
		in := r.Instances[id]
		if in.State == StateTerminated {
			continue
		}
		r.AttachVolume(in, "/dev/xvda", sizes[rng.IntN(len(sizes))], "gp3", true)
		if i%10 != 0 {
			continue
		}
		data := r.AttachVolume(in, "/dev/sdf", 500, "gp3", false)
		data.Tags = map[string]string{"Name": in.Tags["Name"] + "-data"}
		r.AddSnapshot(data, "nightly backup", SnapshotCompleted, epoch.Add(-22*time.Hour), 100, 40)
		if i%50 == 0 {
			sn := r.AddSnapshot(data, "ad-hoc backup", SnapshotPending, epoch.Add(-time.Hour), 0, 0)
			sn.Progress, sn.ProgressAt, sn.RatePerHour = float64(rng.IntN(90)), epoch, float64(5+rng.IntN(36))
		}
	}
	publicSnapshot(r, epoch)
	r.touch()
}

// s6FileServerName is the instance story S6 is about.
const s6FileServerName = "fileserver"

// failingHardware is story S6 on top of the demo world (or a fleet):
//
//	blue-web-2   system status check failing for 35 minutes
//	blue-web-3   instance-retirement 18 hours after the epoch
//	fileserver   Cluster=files, system check failing for 50 minutes,
//	             instance-retirement 3 to 4 days after the epoch; root
//	             volume and a 2 TiB st1 data volume, both
//	             DeleteOnTermination; the data volume's nightly snapshot
//	             completed 16 hours before the epoch, and the snapshot
//	             taken since the failure is at 15% at the epoch, advancing
//	             24% an hour (done about 3.5 hours later)
//	green-web-1  system-reboot scheduled 2 days after the epoch
//	green-web-2  system-maintenance in 5 days, and a system-reboot that
//	             AWS has marked "[Completed]" (it stays listed for a while)
//	green-web-3  (already failing its instance check) instance-stop in 1 day
//
// Event descriptions are AWS's ("The instance is running on degraded
// hardware"; completed events get the "[Completed]" prefix: Scheduled
// events for your instances, EC2 User Guide).
func failingHardware(r *Region, epoch time.Time) {
	eventID := func(n int) string { return fmt.Sprintf("instance-event-0%s%014x", r.prefix, n) }
	if in := named(r, "blue-web-2"); in != nil {
		r.Statuses[in.ID] = &Status{System: CheckImpaired, Instance: CheckOK, ImpairedSince: epoch.Add(-35 * time.Minute)}
	}
	if in := named(r, "blue-web-3"); in != nil {
		r.Statuses[in.ID] = &Status{System: CheckOK, Instance: CheckOK, Events: []ScheduledEvent{{
			ID:          eventID(2),
			Code:        "instance-retirement",
			Description: "The instance is running on degraded hardware",
			NotBefore:   epoch.Add(18 * time.Hour),
		}}}
	}
	addEvents := func(name string, events ...ScheduledEvent) {
		in := named(r, name)
		if in == nil {
			return
		}
		st, ok := r.Statuses[in.ID]
		if !ok {
			st = &Status{System: CheckOK, Instance: CheckOK}
			r.Statuses[in.ID] = st
		}
		st.Events = append(st.Events, events...)
	}
	day := 24 * time.Hour
	addEvents("green-web-1", ScheduledEvent{ID: eventID(4), Code: "system-reboot", Description: "scheduled reboot",
		NotBefore: epoch.Add(2 * day), NotAfter: epoch.Add(2*day + 2*time.Hour)})
	addEvents("green-web-2",
		ScheduledEvent{ID: eventID(5), Code: "system-maintenance", Description: "Scheduled system maintenance",
			NotBefore: epoch.Add(5 * day), NotAfter: epoch.Add(5*day + 4*time.Hour)},
		ScheduledEvent{ID: eventID(6), Code: "system-reboot", Description: "[Completed] scheduled reboot",
			NotBefore: epoch.Add(-day), NotAfter: epoch.Add(-day + 2*time.Hour)})
	addEvents("green-web-3", ScheduledEvent{ID: eventID(7), Code: "instance-stop", Description: "The instance is running on degraded hardware",
		NotBefore: epoch.Add(day), NotAfter: epoch.Add(day + 6*time.Hour)})

	fs := fileServer(r, epoch)
	if fs == nil {
		return
	}
	r.Statuses[fs.ID] = &Status{System: CheckImpaired, Instance: CheckOK, ImpairedSince: epoch.Add(-50 * time.Minute),
		Events: []ScheduledEvent{{
			ID: eventID(3), Code: "instance-retirement", Description: "The instance is running on degraded hardware",
			NotBefore: epoch.Add(3 * day), NotAfter: epoch.Add(4 * day),
		}}}
	root := r.rootVolume(fs)
	root.Tags = map[string]string{"Name": "fileserver-root"}
	data := r.AttachVolume(fs, "/dev/sdf", 2048, "st1", true)
	data.Tags = map[string]string{"Name": "fileserver-data"}
	done := r.AddSnapshot(data, "fileserver-data nightly", SnapshotCompleted, epoch.Add(-26*time.Hour), 100, 10)
	done.Tags = map[string]string{"Name": "fileserver-data-nightly"}
	// 15% at the epoch at 24%/h: started 37.5 minutes before it.
	busy := r.AddSnapshot(data, "fileserver-data after system check failure", SnapshotPending, epoch.Add(-37*time.Minute-30*time.Second), 15, 24)
	busy.ProgressAt = epoch
	busy.Tags = map[string]string{"Name": "fileserver-data-rescue"}
	r.touch()
}

// fileServer adds story S6's file server to the region's first subnet,
// launched 400 days before the epoch, with the image and security groups
// of the region's first instance. It returns nil in a region without
// subnets.
func fileServer(r *Region, epoch time.Time) *Instance {
	sns := r.subnetIDs()
	ids := r.instanceIDs()
	if len(sns) == 0 || len(ids) == 0 {
		return nil
	}
	sn, first := r.Subnets[sns[0]], r.Instances[ids[0]]
	octets := strings.Split(strings.Split(sn.CIDR, "/")[0], ".")
	in := &Instance{
		ID:             r.newID("i"),
		ReservationID:  r.newID("r"),
		ImageID:        first.ImageID,
		Type:           "m5.xlarge",
		State:          StateRunning,
		LaunchTime:     epoch.Add(-400 * 24 * time.Hour),
		AZ:             sn.AZ,
		SubnetID:       sn.ID,
		VPCID:          sn.VPCID,
		PrivateIP:      fmt.Sprintf("%s.%s.%s.40", octets[0], octets[1], octets[2]),
		KeyName:        "acme-oncall",
		Tags:           map[string]string{"Name": s6FileServerName, clusterTag: "files", "Role": "files"},
		SecurityGroups: first.SecurityGroups,
	}
	r.Instances[in.ID] = in
	r.touch()
	return in
}

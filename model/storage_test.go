package model

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func obs(minutes int, pct float64) Observation {
	return Observation{At: t0.Add(time.Duration(minutes) * time.Minute), Percent: pct}
}

func TestSnapshotRate(t *testing.T) {
	for _, tc := range []struct {
		name string
		obs  []Observation
		want float64
		ok   bool
	}{
		{"none", nil, 0, false},
		{"one", []Observation{obs(0, 15)}, 0, false},
		{"two at one time", []Observation{obs(0, 15), obs(0, 16)}, 0, false},
		{"24%/h", []Observation{obs(0, 15), obs(30, 27)}, 24, true},
		{"steady over many", []Observation{obs(0, 10), obs(15, 15), obs(30, 20), obs(45, 25)}, 20, true},
		{"a late refresh does not swing it", []Observation{obs(0, 10), obs(10, 12), obs(20, 14), obs(31, 16)}, 11.7, true},
		{"stuck", []Observation{obs(0, 40), obs(60, 40), obs(120, 40)}, 0, true},
		{"rounding noise is not going backwards", []Observation{obs(0, 41), obs(5, 40)}, 0, true},
		{"any order", []Observation{obs(30, 27), obs(0, 15)}, 24, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := SnapshotRate(tc.obs)
			if ok != tc.ok || math.Abs(got-tc.want) > 0.1 {
				t.Errorf("SnapshotRate = %.2f, %v; want %.2f, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestCompletion(t *testing.T) {
	for _, tc := range []struct {
		name    string
		last    Observation
		perHour float64
		want    time.Time
		ok      bool
	}{
		{"S6's rescue snapshot: 15% at 24%/h", obs(0, 15), 24, t0.Add(212*time.Minute + 30*time.Second), true},
		{"done", obs(0, 100), 0, t0, true},
		{"stuck has no end", obs(0, 40), 0, time.Time{}, false},
		{"negative", obs(0, 40), -3, time.Time{}, false},
		{"NaN", obs(0, 40), math.NaN(), time.Time{}, false},
		{"more than a year", obs(0, 1), 0.001, time.Time{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Completion(tc.last, tc.perHour)
			if ok != tc.ok || !got.Equal(tc.want) {
				t.Errorf("Completion = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestEstimate(t *testing.T) {
	s := EBSSnapshot{ID: "snap-1", VolumeID: "vol-1", State: SnapshotPending, Progress: 15, StartedAt: t0.Add(-37*time.Minute - 30*time.Second)}
	// One look: the rate since the snapshot started.
	e := EstimateOf(s, nil, t0)
	if !e.RateKnown || math.Abs(e.PerHour-24) > 0.01 || !e.DoneKnown {
		t.Fatalf("from the start time: %+v", e)
	}
	if got, want := e.String(), "15% at 24%/h, done about Nov 22 15:36 UTC"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	// Refreshes that saw it slow down win over the average since start.
	p := Progress{}.Observe([]EBSSnapshot{s}, t0, false)
	s.Progress = 16
	p = p.Observe([]EBSSnapshot{s}, t0.Add(time.Hour), false)
	e = EstimateOf(s, p["snap-1"], t0.Add(time.Hour))
	if math.Abs(e.PerHour-1) > 0.01 || e.Percent != 16 {
		t.Errorf("over the refreshes: %+v, want 1%%/h at 16%%", e)
	}
	// Stuck: no completion promised.
	stuck := Progress{"snap-1": {obs(0, 16), obs(60, 16)}}
	if e := EstimateOf(s, stuck["snap-1"], t0.Add(time.Hour)); e.DoneKnown || !strings.Contains(e.String(), "not progressing") {
		t.Errorf("stuck: %+v %q", e, e.String())
	}
	// Nothing known: just the percentage.
	if got := EstimateOf(EBSSnapshot{Progress: 3.7, State: SnapshotPending}, nil, t0).String(); got != "3%" {
		t.Errorf("no start, no looks: %q", got)
	}
}

func TestProgressObserve(t *testing.T) {
	a := EBSSnapshot{ID: "snap-a", State: SnapshotPending, Progress: 10}
	b := EBSSnapshot{ID: "snap-b", State: SnapshotPending, Progress: 50}
	p0 := Progress{}.Observe([]EBSSnapshot{a, b}, t0, false)
	p1 := p0.Observe([]EBSSnapshot{a, b}, t0, false) // the same refresh twice
	if len(p1["snap-a"]) != 1 {
		t.Errorf("the same instant recorded twice: %v", p1["snap-a"])
	}
	b.State, b.Progress = SnapshotCompleted, 100
	p2 := p1.Observe([]EBSSnapshot{a, b}, t0.Add(time.Minute), false)
	if _, ok := p2["snap-b"]; ok || len(p2["snap-a"]) != 2 {
		t.Errorf("after b completed: %v", p2)
	}
	if len(p1["snap-a"]) != 1 {
		t.Errorf("Observe changed its receiver: %v", p1)
	}
	// Another selection says nothing of a: kept only when asked.
	if _, ok := p2.Observe(nil, t0.Add(2*time.Minute), true)["snap-a"]; !ok {
		t.Error("keepAbsent dropped a snapshot another selection did not show")
	}
	if _, ok := p2.Observe(nil, t0.Add(2*time.Minute), false)["snap-a"]; ok {
		t.Error("a snapshot gone from its own selection was kept")
	}
	p := Progress{}
	for i := range MaxObservations + 5 {
		p = p.Observe([]EBSSnapshot{a}, t0.Add(time.Duration(i)*time.Minute), false)
	}
	if n := len(p["snap-a"]); n != MaxObservations {
		t.Errorf("kept %d observations, want %d", n, MaxObservations)
	}
}

// The file server of S6: two volumes deleted with it, the data volume
// backed up 16 h before and its rescue snapshot at 15%.
func fileServerStorage() ([]Volume, []EBSSnapshot) {
	vols := []Volume{
		{ID: "vol-root", SizeGiB: 8, Type: "gp3", State: "in-use", Attachments: []VolumeAttachment{{InstanceID: "i-g1", Device: "/dev/xvda", DeleteOnTermination: true}}},
		{ID: "vol-data", SizeGiB: 2048, Type: "st1", State: "in-use", Name: "fileserver-data", Attachments: []VolumeAttachment{{InstanceID: "i-g1", Device: "/dev/sdf", DeleteOnTermination: true}}},
		{ID: "vol-keep", SizeGiB: 500, Type: "gp3", State: "in-use", Attachments: []VolumeAttachment{{InstanceID: "i-g1", Device: "/dev/sdg"}}},
		{ID: "vol-other", SizeGiB: 8, Type: "gp3", State: "in-use", Attachments: []VolumeAttachment{{InstanceID: "i-g2", Device: "/dev/xvda", DeleteOnTermination: true}}},
	}
	snaps := []EBSSnapshot{
		{ID: "snap-nightly", VolumeID: "vol-data", State: SnapshotCompleted, Progress: 100, StartedAt: t0.Add(-26 * time.Hour)},
		{ID: "snap-older", VolumeID: "vol-data", State: SnapshotCompleted, Progress: 100, StartedAt: t0.Add(-50 * time.Hour)},
		{ID: "snap-rescue", VolumeID: "vol-data", State: SnapshotPending, Progress: 15.4, StartedAt: t0.Add(-37 * time.Minute)},
		{ID: "snap-keep", VolumeID: "vol-keep", State: SnapshotPending, Progress: 60},
	}
	return vols, snaps
}

func TestStorageHelpers(t *testing.T) {
	vols, snaps := fileServerStorage()
	ids := func(vs []Volume) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.ID)
		}
		return out
	}
	if got := ids(DeletedWith(vols, []string{"i-g1"})); !slices.Equal(got, []string{"vol-data", "vol-root"}) {
		t.Errorf("DeletedWith = %v", got)
	}
	if got := ids(VolumesOf(vols, []string{"i-g1"})); !slices.Equal(got, []string{"vol-data", "vol-keep", "vol-root"}) {
		t.Errorf("VolumesOf = %v", got)
	}
	pending := PendingOf(snaps, DeletedWith(vols, []string{"i-g1"}))
	if len(pending) != 1 || pending[0].ID != "snap-rescue" {
		t.Errorf("PendingOf = %v", pending)
	}
	last := LastBackups(snaps)
	if last["vol-data"].ID != "snap-nightly" {
		t.Errorf("last backup of vol-data = %v", last["vol-data"])
	}
	if _, ok := last["vol-root"]; ok {
		t.Error("vol-root has a backup")
	}
	if got := BackupAge(last["vol-data"], t0); got != "26h ago" {
		t.Errorf("BackupAge = %q", got)
	}
}

// Terminating the file server names the volumes that go with it and the
// snapshot still in progress of one of them, with its percentage.
func TestTerminateWarnsOfVolumesAndSnapshots(t *testing.T) {
	vols, snaps := fileServerStorage()
	in := Intent{Action: ActionTerminate, InstanceIDs: []string{"i-g1"}}
	for _, tc := range []struct {
		name string
		set  func(f *Facts)
		want []string
	}{
		{"volumes and a snapshot in progress", func(f *Facts) { f.Volumes, f.Snapshots = vols, snaps }, []string{
			"terminating deletes 2 EBS volumes with the instance (DeleteOnTermination): vol-data (2048 GiB st1, fileserver-data), last completed snapshot taken 26h ago; vol-root (8 GiB gp3), no snapshot of its own",
			"snapshot snap-rescue of vol-data is still in progress (15%): the volume it copies is deleted with the instance; wait for it to complete",
		}},
		{"volumes that could not be read", func(f *Facts) { f.StorageUnread = "AccessDenied on ec2:DescribeVolumes" }, []string{
			"the EBS volumes of the instance could not be read (AccessDenied on ec2:DescribeVolumes): any set to DeleteOnTermination are deleted with it, unseen",
		}},
		{"nothing deleted with it", func(f *Facts) { f.Volumes = vols[2:3] }, nil},
		{"not looked at (the menu)", func(f *Facts) {}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := demoSnap()
			f := factsOf(s)
			tc.set(&f)
			v := Judge(in, SeenOf(Analyze(s, ""), fresh), f, prodPolicy())
			if !v.Allowed {
				t.Fatalf("refused: %v", v.Refusals)
			}
			var got []string
			for _, w := range v.Warnings {
				if strings.Contains(w, "EBS") || strings.Contains(w, "snapshot") {
					got = append(got, w)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("warnings =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
	// Stopping deletes nothing.
	s := demoSnap()
	f := factsOf(s)
	f.Volumes, f.Snapshots = vols, snaps
	v := Judge(Intent{Action: ActionStop, InstanceIDs: []string{"i-g1"}}, SeenOf(Analyze(s, ""), fresh), f, prodPolicy())
	for _, w := range v.Warnings {
		if strings.Contains(w, "EBS") {
			t.Errorf("stop warns %q", w)
		}
	}
}

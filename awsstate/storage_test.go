package awsstate

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// fileServer is S6's file server in w.
func fileServer(t *testing.T, w model.World) model.Instance {
	t.Helper()
	for _, in := range w.Instances() {
		if in.Name == "fileserver" {
			return in
		}
	}
	t.Fatal("no fileserver in the s6 world")
	return model.Instance{}
}

// S6: the file server's volumes, its last backup, and the rescue
// snapshot moving at 24% an hour.
func TestStorageOfTheFileServer(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "s6"})
	ctx := context.Background()
	w, _, _ := r.screen()
	fs := fileServer(t, w)

	r.sim.ResetStats()
	st, err := r.c.StorageOf(ctx, []string{fs.ID})
	if err != nil {
		t.Fatal(err)
	}
	if n := r.calls("ec2:DescribeVolumes") + r.calls("ec2:DescribeSnapshots"); n != 2 {
		t.Errorf("%d calls for one instance's storage, want 2", n)
	}
	doomed := model.DeletedWith(st.Volumes, []string{fs.ID})
	if len(doomed) != 2 || len(st.Volumes) != 2 {
		t.Fatalf("volumes = %+v, want root and data, both deleted on termination", st.Volumes)
	}
	var sizes []int
	for _, v := range doomed {
		sizes = append(sizes, v.SizeGiB)
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{8, 2048}) {
		t.Errorf("sizes = %v", sizes)
	}
	pending := model.PendingOf(st.Snapshots, doomed)
	if len(pending) != 1 || pending[0].Progress != 15 {
		t.Fatalf("pending = %+v, want the rescue snapshot at 15%%", pending)
	}
	last := model.LastBackups(st.Snapshots)[pending[0].VolumeID]
	if last.State != model.SnapshotCompleted || st.FetchedAt.Sub(last.StartedAt) < 20*time.Hour {
		t.Errorf("last backup = %+v, want the nightly one", last)
	}
	for _, s := range st.Snapshots {
		if s.Description == "" || strings.Contains(s.Description, "Amazon") {
			t.Errorf("snapshot %+v: own snapshots only (OwnerIds=self)", s)
		}
	}

	// An hour later in the world the snapshot is at 39%: 24%/h.
	if err := r.sim.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	st2, err := r.c.StorageOf(ctx, []string{fs.ID})
	if err != nil {
		t.Fatal(err)
	}
	now := model.PendingOf(st2.Snapshots, doomed)
	if len(now) != 1 || now[0].Progress != 39 {
		t.Fatalf("an hour later: %+v, want 39%%", now)
	}
	t0 := pending[0].StartedAt.Add(37*time.Minute + 30*time.Second) // the epoch, when it was at 15%
	rate, ok := model.SnapshotRate([]model.Observation{{At: t0, Percent: 15}, {At: t0.Add(time.Hour), Percent: 39}})
	if !ok || math.Abs(rate-24) > 0.01 {
		t.Errorf("rate = %.2f, %v; want 24%%/h", rate, ok)
	}
}

// S6: terminating the file server is allowed, but its confirmation says
// that both volumes go with it and that the rescue snapshot of one of
// them is only 15% done.
func TestPrepareTerminateWarnsOfVolumesAndSnapshots(t *testing.T) {
	// The world's clock is the wall clock, so ages read as they would
	// against AWS.
	r := newRigWith(t, sim.Options{Scenario: "s6", Epoch: time.Now()})
	w, _, _ := r.screen()
	fs := fileServer(t, w)

	v := r.prepare(model.Intent{Action: model.ActionTerminate, InstanceIDs: []string{fs.ID}}).Verdict

	if !v.Allowed {
		t.Fatalf("refused: %v", v.Refusals)
	}
	if len(v.Facts.Volumes) != 2 {
		t.Errorf("facts hold %d volumes, want 2", len(v.Facts.Volumes))
	}
	joined := strings.Join(v.Warnings, "\n")
	for _, want := range []string{
		"terminating deletes 2 EBS volumes with the instance (DeleteOnTermination):",
		"2048 GiB st1, fileserver-data), last completed snapshot taken 26h ago",
		"is still in progress (15%): the volume it copies is deleted with the instance",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings lack %q:\n%s", want, joined)
		}
	}
}

// Volumes that cannot be read are said to be unknown, and do not stop a
// termination that is otherwise allowed.
func TestPrepareTerminateWithVolumesUnreadable(t *testing.T) {
	r := newRigWith(t, sim.Options{Scenario: "s6"})
	w, _, _ := r.screen()
	fs := fileServer(t, w)
	r.sim.Inject(sim.Fault{Action: "ec2:DescribeVolumes", Kind: sim.FaultAccessDenied})

	v := r.prepare(model.Intent{Action: model.ActionTerminate, InstanceIDs: []string{fs.ID}}).Verdict

	if !v.Allowed || v.Facts.StorageUnread == "" {
		t.Fatalf("verdict = %+v", v)
	}
	if !slices.ContainsFunc(v.Warnings, func(s string) bool { return strings.Contains(s, "could not be read (UnauthorizedOperation)") }) {
		t.Errorf("warnings = %q", v.Warnings)
	}
}

// The whole account's storage costs pages, not volumes: 11,000 volumes in
// pages of 500 and 1,000 own snapshots in pages of 1,000.
func TestAllStorageCalls(t *testing.T) {
	r := newRigWith(t, sim.Options{Instances: 10000})
	r.sim.ResetStats()
	st, err := r.c.AllStorage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	vols, snaps := r.calls("ec2:DescribeVolumes"), r.calls("ec2:DescribeSnapshots")
	t.Logf("%d volumes in %d calls, %d snapshots in %d calls", len(st.Volumes), vols, len(st.Snapshots), snaps)
	if want := (len(st.Volumes) + volumePageSize - 1) / volumePageSize; len(st.Volumes) < 10000 || vols != want {
		t.Errorf("%d DescribeVolumes calls for %d volumes, want %d", vols, len(st.Volumes), want)
	}
	if want := (len(st.Snapshots) + snapshotPageSize - 1) / snapshotPageSize; len(st.Snapshots) < 1000 || snaps != want {
		t.Errorf("%d DescribeSnapshots calls for %d snapshots, want %d", snaps, len(st.Snapshots), want)
	}
}

func TestParsePercent(t *testing.T) {
	for in, want := range map[string]float64{"15%": 15, "100%": 100, "0%": 0, "": 0, "abc": 0, "150%": 100, "-3%": 0, "NaN%": 0, " 7% ": 7} {
		if got := parsePercent(in); got != want {
			t.Errorf("parsePercent(%q) = %v, want %v", in, got, want)
		}
	}
}

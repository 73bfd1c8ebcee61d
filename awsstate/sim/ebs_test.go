package sim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// EBS through the real SDK: its ec2query deserializers read the documents.

func volumesOf(t *testing.T, c *ec2.Client, in *ec2.DescribeVolumesInput) []ec2types.Volume {
	t.Helper()
	out, err := c.DescribeVolumes(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	return out.Volumes
}

func TestDescribeVolumesDemo(t *testing.T) {
	e := newEnv(t, Options{})
	vols := volumesOf(t, e.prod(), &ec2.DescribeVolumesInput{})
	// One root volume per demo instance in us-east-1 (8).
	if len(vols) != 8 {
		t.Fatalf("%d volumes", len(vols))
	}
	v := vols[0]
	if aws.ToString(v.VolumeId) != "vol-01100000000000001" || aws.ToInt32(v.Size) != 8 || v.VolumeType != ec2types.VolumeTypeGp3 ||
		v.State != ec2types.VolumeStateInUse || aws.ToString(v.AvailabilityZone) != "us-east-1a" || !aws.ToBool(v.Encrypted) ||
		aws.ToInt32(v.Iops) != 3000 || aws.ToTime(v.CreateTime).IsZero() || len(v.Attachments) != 1 {
		t.Fatalf("first volume %+v", v)
	}
	a := v.Attachments[0]
	if aws.ToString(a.InstanceId) != "i-01100000000000001" || aws.ToString(a.Device) != "/dev/xvda" ||
		a.State != ec2types.VolumeAttachmentStateAttached || !aws.ToBool(a.DeleteOnTermination) ||
		aws.ToString(a.VolumeId) != "vol-01100000000000001" || aws.ToTime(a.AttachTime).IsZero() {
		t.Fatalf("attachment %+v", a)
	}

	// DescribeInstances names the same volume in its block device mapping.
	di, err := e.prod().DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: []string{"i-01100000000000001"}})
	if err != nil {
		t.Fatal(err)
	}
	bdm := instances(di)[0].BlockDeviceMappings
	if len(bdm) != 1 || aws.ToString(bdm[0].DeviceName) != "/dev/xvda" || aws.ToString(bdm[0].Ebs.VolumeId) != "vol-01100000000000001" ||
		!aws.ToBool(bdm[0].Ebs.DeleteOnTermination) || bdm[0].Ebs.Status != ec2types.AttachmentStatusAttached {
		t.Errorf("block device mapping %+v", bdm)
	}

	// By instance, by ID, by filter on DeleteOnTermination.
	got := volumesOf(t, e.prod(), &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{f("attachment.instance-id", "i-01100000000000002")}})
	if len(got) != 1 || aws.ToString(got[0].VolumeId) != "vol-01100000000000002" {
		t.Errorf("by instance: %v", got)
	}
	got = volumesOf(t, e.prod(), &ec2.DescribeVolumesInput{VolumeIds: []string{"vol-01100000000000003", "vol-01100000000000001"}})
	if len(got) != 2 || aws.ToString(got[0].VolumeId) != "vol-01100000000000001" {
		t.Errorf("by ID: %v", got)
	}
	got = volumesOf(t, e.prod(), &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{f("attachment.delete-on-termination", "false")}})
	if len(got) != 0 {
		t.Errorf("demo volumes surviving termination: %d", len(got))
	}

	for _, tc := range []struct {
		in   *ec2.DescribeVolumesInput
		code string
	}{
		{&ec2.DescribeVolumesInput{MaxResults: aws.Int32(4)}, "InvalidParameterValue"},
		{&ec2.DescribeVolumesInput{MaxResults: aws.Int32(5), VolumeIds: []string{"vol-01100000000000001"}}, "InvalidParameterCombination"},
		{&ec2.DescribeVolumesInput{VolumeIds: []string{"vol-0110000000000dead"}}, "InvalidVolume.NotFound"},
		{&ec2.DescribeVolumesInput{VolumeIds: []string{"vol-1"}}, "InvalidVolumeID.Malformed"},
		{&ec2.DescribeVolumesInput{Filters: []ec2types.Filter{f("instance-id", "x")}}, "InvalidParameterValue"},
		{&ec2.DescribeVolumesInput{NextToken: aws.String("nope")}, "InvalidPaginationToken"},
	} {
		_, err := e.prod().DescribeVolumes(ctx(t), tc.in, noRetry)
		wantCode(t, err, tc.code)
	}
	_, err = e.prod().DescribeVolumes(ctx(t), &ec2.DescribeVolumesInput{VolumeIds: []string{"vol-0110000000000dead"}})
	if err == nil || !strings.Contains(err.Error(), "The volume 'vol-0110000000000dead' does not exist.") {
		t.Errorf("not found message: %v", err)
	}
}

func TestDescribeVolumesPages(t *testing.T) {
	e := newEnv(t, Options{Instances: 2000})
	// 2000 root volumes and 200 data volumes. MaxResults above 500 serves
	// 500, as EC2 documents (the AWS CLI sends 1000).
	p := ec2.NewDescribeVolumesPaginator(e.prod(), &ec2.DescribeVolumesInput{MaxResults: aws.Int32(1000)})
	var sizes []int
	total, kept := 0, 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(out.Volumes))
		total += len(out.Volumes)
		for _, v := range out.Volumes {
			if !aws.ToBool(v.Attachments[0].DeleteOnTermination) {
				kept++
			}
		}
	}
	if total != 2200 || kept != 200 || !slices.Equal(sizes, []int{500, 500, 500, 500, 200}) {
		t.Fatalf("pages %v, %d volumes, %d surviving termination", sizes, total, kept)
	}
	if n := e.s.Stats()["ec2:DescribeVolumes"]; n != 5 {
		t.Errorf("%d calls", n)
	}
}

func TestTerminateReleasesVolumes(t *testing.T) {
	e := newEnv(t, Options{Instances: 200})
	c := e.prod()
	// Instance 0 of a fleet has a root volume (deleted with it) and a data
	// volume (kept, detached).
	vols := volumesOf(t, c, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{f("attachment.instance-id", "i-01100000000000001")}})
	if len(vols) != 2 {
		t.Fatalf("volumes of the first instance: %v", vols)
	}
	if _, err := c.TerminateInstances(ctx(t), &ec2.TerminateInstancesInput{InstanceIds: []string{"i-01100000000000001"}}); err != nil {
		t.Fatal(err)
	}
	// The zero StateDelay settles on this call; the terminated instance's
	// block device mapping is empty.
	got := volumesOf(t, c, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{f("volume-id", aws.ToString(vols[0].VolumeId), aws.ToString(vols[1].VolumeId))}})
	if len(got) != 1 || aws.ToString(got[0].VolumeId) != aws.ToString(vols[1].VolumeId) ||
		got[0].State != ec2types.VolumeStateAvailable || len(got[0].Attachments) != 0 {
		t.Fatalf("after termination: %+v", got)
	}
	di, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: []string{"i-01100000000000001"}})
	if err != nil {
		t.Fatal(err)
	}
	if in := instances(di)[0]; in.State.Name != ec2types.InstanceStateNameTerminated || len(in.BlockDeviceMappings) != 0 {
		t.Errorf("terminated instance: %s, %+v", in.State.Name, in.BlockDeviceMappings)
	}
}

func TestDescribeSnapshots(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s6"})
	clk := useClock(e)
	c := e.prod()
	snaps := func(in *ec2.DescribeSnapshotsInput) []ec2types.Snapshot {
		t.Helper()
		out, err := c.DescribeSnapshots(ctx(t), in)
		if err != nil {
			t.Fatal(err)
		}
		return out.Snapshots
	}
	all := snaps(&ec2.DescribeSnapshotsInput{})
	own := snaps(&ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})
	amazon := snaps(&ec2.DescribeSnapshotsInput{OwnerIds: []string{"amazon"}})
	// blue's 3 nightly, fileserver's nightly and rescue; Amazon's public one.
	if len(own) != 5 || len(amazon) != 1 || len(all) != 6 || aws.ToString(amazon[0].OwnerAlias) != "amazon" {
		t.Fatalf("own %d, amazon %d, all %d", len(own), len(amazon), len(all))
	}
	for _, sn := range own {
		if aws.ToString(sn.OwnerId) != ProdAccountID {
			t.Errorf("OwnerIds=self returned %s's snapshot", aws.ToString(sn.OwnerId))
		}
	}

	fs := named(e.s.w.accounts[ProdAccountID].regions["us-east-1"], "fileserver")
	if fs == nil {
		t.Fatal("no fileserver")
	}
	vols := volumesOf(t, c, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{f("attachment.instance-id", fs.ID)}})
	if len(vols) != 2 || aws.ToInt32(vols[1].Size) != 2048 || vols[1].VolumeType != ec2types.VolumeTypeSt1 ||
		!aws.ToBool(vols[1].Attachments[0].DeleteOnTermination) || aws.ToString(vols[1].Attachments[0].Device) != "/dev/sdf" {
		t.Fatalf("fileserver volumes %+v", vols)
	}
	data := aws.ToString(vols[1].VolumeId)
	pending := func() ec2types.Snapshot {
		t.Helper()
		got := snaps(&ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, Filters: []ec2types.Filter{f("volume-id", data), f("status", "pending")}})
		if len(got) != 1 {
			t.Fatalf("pending snapshots of %s: %+v", data, got)
		}
		return got[0]
	}
	sn := pending()
	if aws.ToString(sn.Progress) != "15%" || sn.State != ec2types.SnapshotStatePending || aws.ToInt32(sn.VolumeSize) != 2048 ||
		!aws.ToTime(sn.StartTime).Equal(DemoEpoch.Add(-37*time.Minute-30*time.Second)) || sn.CompletionTime != nil {
		t.Fatalf("rescue snapshot at the epoch: %+v", sn)
	}
	// 24% an hour: 39% an hour later, 99% at most before it completes.
	clk.add(time.Hour)
	if p := aws.ToString(pending().Progress); p != "39%" {
		t.Errorf("an hour later: %s", p)
	}
	clk.add(150 * time.Minute)
	if p := aws.ToString(pending().Progress); p != "99%" {
		t.Errorf("at 99%%: %s", p)
	}
	clk.add(30 * time.Minute)
	done := snaps(&ec2.DescribeSnapshotsInput{SnapshotIds: []string{aws.ToString(sn.SnapshotId)}})[0]
	wantDone := DemoEpoch.Add(time.Duration(85.0 / 24 * float64(time.Hour)))
	if done.State != ec2types.SnapshotStateCompleted || aws.ToString(done.Progress) != "100%" ||
		aws.ToTime(done.CompletionTime).Sub(wantDone).Abs() > time.Millisecond {
		t.Errorf("completed: %s %s at %v, want %v", done.State, aws.ToString(done.Progress), aws.ToTime(done.CompletionTime), wantDone)
	}

	for _, tc := range []struct {
		in   *ec2.DescribeSnapshotsInput
		code string
	}{
		{&ec2.DescribeSnapshotsInput{MaxResults: aws.Int32(4)}, "InvalidParameterValue"},
		{&ec2.DescribeSnapshotsInput{MaxResults: aws.Int32(5), SnapshotIds: []string{aws.ToString(sn.SnapshotId)}}, "InvalidParameterCombination"},
		{&ec2.DescribeSnapshotsInput{SnapshotIds: []string{"snap-0110000000000dead"}}, "InvalidSnapshot.NotFound"},
		{&ec2.DescribeSnapshotsInput{SnapshotIds: []string{"snap-x"}}, "InvalidSnapshotID.Malformed"},
		{&ec2.DescribeSnapshotsInput{OwnerIds: []string{"me"}}, "InvalidParameterValue"},
		{&ec2.DescribeSnapshotsInput{Filters: []ec2types.Filter{f("instance-id", "x")}}, "InvalidParameterValue"},
	} {
		_, err := c.DescribeSnapshots(ctx(t), tc.in, noRetry)
		wantCode(t, err, tc.code)
	}
}

func TestDescribeSnapshotsPages(t *testing.T) {
	e := newEnv(t, Options{Instances: 30000})
	// 3000 data volumes, each with a nightly snapshot; 600 in progress.
	p := ec2.NewDescribeSnapshotsPaginator(e.prod(), &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(5000)})
	var sizes []int
	pending := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(out.Snapshots))
		for _, sn := range out.Snapshots {
			if sn.State == ec2types.SnapshotStatePending {
				pending++
				if pr := aws.ToString(sn.Progress); !strings.HasSuffix(pr, "%") || pr == "100%" {
					t.Fatalf("pending at %q", pr)
				}
			}
		}
	}
	if !slices.Equal(sizes, []int{1000, 1000, 1000, 600}) || pending != 600 {
		t.Fatalf("pages %v, %d pending", sizes, pending)
	}
}

func TestScenarioS6Hardware(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s6"})
	c := e.prod()
	out, err := c.DescribeInstanceStatus(ctx(t), &ec2.DescribeInstanceStatusInput{IncludeAllInstances: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]ec2types.InstanceStatus{}
	r := e.s.w.accounts[ProdAccountID].regions["us-east-1"]
	for _, st := range out.InstanceStatuses {
		byName[r.Instances[aws.ToString(st.InstanceId)].Tags["Name"]] = st
	}
	fs, ok := byName["fileserver"]
	if !ok {
		t.Fatal("fileserver not described")
	}
	if fs.SystemStatus.Status != ec2types.SummaryStatusImpaired || fs.InstanceStatus.Status != ec2types.SummaryStatusOk ||
		len(fs.Events) != 1 || fs.Events[0].Code != ec2types.EventCodeInstanceRetirement ||
		!aws.ToTime(fs.Events[0].NotBefore).Equal(DemoEpoch.Add(72*time.Hour)) || !aws.ToTime(fs.Events[0].NotAfter).Equal(DemoEpoch.Add(96*time.Hour)) ||
		aws.ToString(fs.Events[0].Description) != "The instance is running on degraded hardware" {
		t.Fatalf("fileserver %+v", fs)
	}
	if in := r.Instances[aws.ToString(fs.InstanceId)]; in.Tags[clusterTag] != "files" || in.State != StateRunning {
		t.Errorf("fileserver instance %+v", in)
	}
	codes := map[ec2types.EventCode]bool{}
	for _, st := range out.InstanceStatuses {
		for _, ev := range st.Events {
			codes[ev.Code] = true
		}
	}
	for _, code := range []ec2types.EventCode{ec2types.EventCodeInstanceRetirement, ec2types.EventCodeSystemReboot,
		ec2types.EventCodeInstanceStop, ec2types.EventCodeSystemMaintenance} {
		if !codes[code] {
			t.Errorf("no %s event in s6", code)
		}
	}
	if g := byName["green-web-2"]; len(g.Events) != 2 || !strings.HasPrefix(aws.ToString(g.Events[1].Description), "[Completed]") {
		t.Errorf("green-web-2 events %+v", g.Events)
	}
	if b := byName["blue-web-2"]; b.SystemStatus.Status != ec2types.SummaryStatusImpaired {
		t.Errorf("blue-web-2 %+v", b.SystemStatus)
	}

	// The event filters, dates included.
	got, err := c.DescribeInstanceStatus(ctx(t), &ec2.DescribeInstanceStatusInput{Filters: []ec2types.Filter{
		f("event.code", "system-maintenance"), f("event.not-before", "2026-11-25T*"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.InstanceStatuses) != 1 || r.Instances[aws.ToString(got.InstanceStatuses[0].InstanceId)].Tags["Name"] != "green-web-2" {
		t.Errorf("filtered: %+v", got.InstanceStatuses)
	}
}

func TestEveryWorldHasDisksAndServices(t *testing.T) {
	for _, o := range []Options{{}, {Scenario: "s7"}, {Scenario: "hostile"}, {Instances: 1000}, {Instances: 1000, Services: 50}} {
		s, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		for _, acct := range []string{ProdAccountID, StagingAccountID} {
			r := s.w.accounts[acct].regions["us-east-1"]
			services := 0
			for _, cl := range r.ECSClusters {
				services += len(cl.Services)
			}
			withDisk := map[string]bool{}
			for _, v := range r.Volumes {
				withDisk[v.Attachments[0].InstanceID] = true
			}
			for id, in := range r.Instances {
				if !withDisk[id] && in.State != StateTerminated {
					t.Errorf("%+v %s: %s has no volume", o, acct, id)
				}
			}
			want := map[string]int{"": 2, "s7": 6, "hostile": 3}[o.Scenario]
			switch {
			case o.Services > 0:
				want = o.Services
			case o.Instances > 0:
				want = o.Instances / 5
			}
			if services != want {
				t.Errorf("%+v %s: %d services, want %d", o, acct, services, want)
			}
		}
	}
	// 2,000 services across 20 clusters, for budget benchmarks.
	s, err := New(Options{Services: 2000})
	if err != nil {
		t.Fatal(err)
	}
	r := s.w.accounts[ProdAccountID].regions["us-east-1"]
	if len(r.ECSClusters) != 20 {
		t.Fatalf("%d clusters", len(r.ECSClusters))
	}
	for name, cl := range r.ECSClusters {
		if len(cl.Services) != 100 {
			t.Errorf("%s: %d services", name, len(cl.Services))
		}
	}
}

func TestClockAdvanceMovesSnapshots(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s6"})
	useClock(e)
	progress := func() string {
		t.Helper()
		out, err := e.prod().DescribeSnapshots(ctx(t), &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"},
			Filters: []ec2types.Filter{f("tag:Name", "fileserver-data-rescue")}})
		if err != nil || len(out.Snapshots) != 1 {
			t.Fatalf("%v %+v", err, out)
		}
		return aws.ToString(out.Snapshots[0].Progress)
	}
	post := func(q string) (int, map[string]any) {
		t.Helper()
		return e.controlSend(t, http.MethodPost, "/_sim/clock?"+q, "", "")
	}
	if p := progress(); p != "15%" {
		t.Fatalf("at the epoch: %s", p)
	}
	status, body := post("advance=1h")
	if status != 200 || body["worldTime"] != "2026-11-20T13:00:00Z" {
		t.Fatalf("advance: %d %v", status, body)
	}
	if p := progress(); p != "39%" {
		t.Errorf("an hour on: %s", p)
	}
	for _, q := range []string{"advance=-1h", "advance=soon", ""} {
		if status, body := post(q); status != 400 || body["error"] == nil {
			t.Errorf("%q: %d %v", q, status, body)
		}
	}
	if err := e.s.Advance(-time.Second); err == nil {
		t.Error("Advance went back in time")
	}
	resp, err := http.Get(e.url + "/_sim/clock")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var now map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&now); err != nil || now["worldTime"] != "2026-11-20T13:00:00Z" {
		t.Errorf("GET /_sim/clock: %v %v", err, now)
	}
}

package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/airlock-ops/airlock/model"
)

// S6: the terminate confirmation names the volumes deleted with the
// instances and the snapshot of one still in progress, with its
// percentage, in the warning ink.
func TestConfirmTerminateListsVolumesAndSnapshots(t *testing.T) {
	base := factsOf(demoSnapshot())
	facts := func() model.Facts {
		f := base()
		f.Volumes = []model.Volume{{ID: "vol-0data", SizeGiB: 2048, Type: "st1", Name: "green-data",
			Attachments: []model.VolumeAttachment{{InstanceID: "i-06ee0000000000002", Device: "/dev/sdf", DeleteOnTermination: true}}}}
		f.Snapshots = []model.EBSSnapshot{{ID: "snap-0rescue", VolumeID: "vol-0data", State: model.SnapshotPending, Progress: 15,
			StartedAt: t0.Add(-40 * time.Minute)}}
		return f
	}
	hs, _ := confirmOn(t, demoSnapshot(), facts, "green", "Terminate cluster green", 120, 40)
	view := hs.m.View().Content
	plain := ansi.Strip(view)
	for _, want := range []string{
		"terminating deletes 1 EBS volume with the instances (DeleteOnTermination): vol-0data (2048 GiB st1,",
		"snapshot snap-0rescue of vol-0data is still in progress (15%)",
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, hs.screen())
		}
	}
	warn := hs.m.st.ink.Warn.pre
	lines := strings.Split(view, "\n")
	i := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(ansi.Strip(l), "snap-0rescue") })
	if i < 0 || warn == "" || !strings.Contains(lines[i], warn) {
		t.Errorf("the snapshot line is not in the warning ink: %q", lines[max(i, 0)])
	}
}

// The plan lines of a capacity action say what changes and the
// precondition checked right before the call.
func TestPlanLinesOfCapacityActions(t *testing.T) {
	zero := 0
	p := model.Plan{
		Groups:   []model.GroupChange{{API: model.APISetDesired, Group: "green", Desired: 0, WasDesired: 3}},
		Services: []model.ServiceChange{{API: model.APIUpdateService, Cluster: "prod-ecs", Service: "deployer-api\x1b[2J", Desired: &zero, WasDesired: 4}},
	}
	got := planLines(p)
	want := []string{
		"autoscaling:SetDesiredCapacity group green: desired capacity 3 → 0 (only if exists, desired still 3)",
		"ecs:UpdateService service deployer-api⟨U+001B⟩[2J in prod-ecs: desired count 4 → 0 (only if ACTIVE, desired still 4)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("planLines =\n%q\nwant\n%q", got, want)
	}
}

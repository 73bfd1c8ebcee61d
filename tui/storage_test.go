package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// storageSource is a Source that is also a Storer: each instance has one
// 100 GiB volume "vol-<instance ID>" with a snapshot in progress at
// percent, started an hour before t0.
type storageSource struct {
	staticSource
	mu      sync.Mutex
	percent float64
	asked   [][]string
}

func (s *storageSource) StorageOf(_ context.Context, ids []string) (model.Storage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, slices.Clone(ids))
	var st model.Storage
	for _, id := range ids {
		vol := "vol-" + id
		st.Volumes = append(st.Volumes, model.Volume{ID: vol, SizeGiB: 100, Type: "gp3", State: "in-use",
			Attachments: []model.VolumeAttachment{{InstanceID: id, Device: "/dev/xvda", State: "attached", DeleteOnTermination: true}}})
		st.Snapshots = append(st.Snapshots, model.EBSSnapshot{ID: "snap-" + id, VolumeID: vol, State: model.SnapshotPending,
			Progress: s.percent, StartedAt: t0.Add(-time.Hour)})
	}
	return st, nil
}

func (s *storageSource) setPercent(p float64) {
	s.mu.Lock()
	s.percent = p
	s.mu.Unlock()
}

// openInstanceDetail opens the details of the instance under the cursor
// of blue's instances and returns the command that fetches its storage.
func openInstanceDetail(t *testing.T, hs *harness, downs int) tea.Cmd {
	t.Helper()
	hs.m.focus = paneInstances
	for range downs {
		hs.key("j")
	}
	cmd := hs.send(keyPress("d"))
	if cmd == nil || hs.m.storage == nil || !hs.m.storage.fetching {
		t.Fatalf("d on an instance started no storage fetch (storage %+v)", hs.m.storage)
	}
	return cmd
}

// An answer for a view the operator has left (esc, then details of
// another instance) is dropped: the new view never shows the old
// instance's volumes, and waits for its own; a tick of the old view
// fetches nothing.
func TestStorageAnswerForAnotherSelectionIsDropped(t *testing.T) {
	src := &storageSource{percent: 40}
	hs := newHarness(t, src, Options{}, 100, 40)
	hs.deliver(demoSnapshot())
	first := openInstanceDetail(t, hs, 0)
	firstID := hs.m.detail.id
	oldGen := hs.m.storage.gen
	hs.key("esc")
	if hs.m.storage != nil {
		t.Fatal("closing the view kept its storage")
	}
	second := openInstanceDetail(t, hs, 1)
	secondID := hs.m.detail.id
	if firstID == secondID {
		t.Fatalf("both views describe %s", firstID)
	}

	if cmd := hs.send(first()); cmd != nil {
		t.Error("the answer for the closed view scheduled more work")
	}
	if s := hs.screen(); strings.Contains(s, "vol-"+firstID) || !strings.Contains(s, "fetching the volumes") {
		t.Fatalf("the view of %s took the answer for %s:\n%s", secondID, firstID, s)
	}
	if !hs.m.storage.fetching {
		t.Error("the dropped answer ended the fetch in flight")
	}
	if cmd := hs.send(StorageTickMsg{Gen: oldGen}); cmd != nil {
		t.Error("a tick of the closed view fetches")
	}

	tick := hs.send(second())
	if tick == nil {
		t.Error("the view's answer schedules no next fetch")
	}
	if s := hs.screen(); !strings.Contains(s, "vol-"+secondID) || strings.Contains(s, "vol-"+firstID) {
		t.Fatalf("the view of %s does not show its own volume:\n%s", secondID, s)
	}
	// The same view's answer for another key (a row that changed under
	// the same generation cannot happen, but a forged one is dropped).
	msg := StorageMsg{Gen: hs.m.storage.gen, Key: "instance " + firstID, At: t0}
	if hs.send(msg) != nil || !strings.Contains(hs.screen(), "vol-"+secondID) {
		t.Error("an answer about another instance was taken in")
	}
	// Closed: the pending tick fetches nothing.
	hs.key("esc")
	if cmd := hs.send(StorageTickMsg{Gen: hs.m.storageGen - 1}); cmd != nil {
		t.Error("a tick after the view closed fetches")
	}
	if n := len(src.asked); n != 2 {
		t.Errorf("%d storage fetches, want 2", n)
	}
}

// While the view is open its storage is fetched again at the slow
// cadence; the rate comes from the progress each fetch saw (40% then 52%
// thirty minutes later: 24%/h), with the estimate of completion. Paused,
// a tick fetches nothing.
func TestStorageRateAcrossFetches(t *testing.T) {
	src := &storageSource{percent: 40}
	hs := newHarness(t, src, Options{}, 120, 40)
	hs.deliver(demoSnapshot())
	cmd := openInstanceDetail(t, hs, 0)
	id := hs.m.detail.id
	tick := hs.send(cmd())
	if tick == nil {
		t.Fatal("no next fetch scheduled")
	}
	// One observation: the rate since its start (40% in an hour).
	if s := flat(hs.screen()); !strings.Contains(s, "snap-"+id+" 40% of vol-"+id+", started 13:03:41 UTC (1h ago), 40%/h, done about Nov 22 15:33 UTC") {
		t.Fatalf("first estimate:\n%s", hs.screen())
	}
	hs.clock.Advance(30 * time.Minute)
	src.setPercent(52)
	gen := hs.m.storage.gen
	fetch := hs.send(StorageTickMsg{Gen: gen})
	if fetch == nil {
		t.Fatal("the tick did not fetch")
	}
	hs.send(fetch())
	if s := flat(hs.screen()); !strings.Contains(s, "52% of vol-"+id) || !strings.Contains(s, "24%/h, done about Nov 22 16:33 UTC") {
		t.Fatalf("estimate over two fetches:\n%s", hs.screen())
	}
	if obs := hs.m.progress["snap-"+id]; len(obs) != 2 {
		t.Errorf("observations %v, want 2", obs)
	}
	hs.key("p")
	if cmd := hs.send(StorageTickMsg{Gen: gen}); cmd == nil || len(src.asked) != 2 {
		t.Errorf("paused: a tick fetched (%d fetches) or stopped ticking", len(src.asked))
	}
}

// flat joins a screen's words with single spaces: a line the view wraps
// reads whole.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// scenarioRig opens the dashboard on a scenario of the simulated AWS
// through awsstate, its clock at now, at w x h, after one refresh; it
// returns the rig and the sim's URL (for its /_sim/ control).
func scenarioRig(t *testing.T, scenario string, now time.Time, w, h int) (*simRig, string) {
	t.Helper()
	audit := filepath.Join(t.TempDir(), "audit.log")
	s, client, url := simAWS(t, sim.Options{Scenario: scenario}, awsstate.Options{Profile: "acme-prod", AuditLog: audit})
	r := &simRig{harness: newHarness(t, client, Options{}, w, h), sim: s, audit: audit}
	r.clock.now = now
	r.fetch()
	return r, url
}

// Story S6 through awsstate: the instances with failed checks and
// scheduled events come first, the file server's cluster says FAILED,
// its details give the retirement's window and how long until it, and
// its storage: the 2 TiB data volume, deleted with the instance, whose
// rescue snapshot is at 15% at 24%/h, and whose last completed backup is
// 26 hours old.
func TestStoryS6HardwareAndStorage(t *testing.T) {
	r, _ := scenarioRig(t, "s6", sim.DemoEpoch, 120, 40)
	r.selectCluster("blue")
	blue := rowIDs(r.harness)
	fleet := r.screen()
	for _, want := range []string{"files", "1 FAILED", "FAILED sys", "retiring in 18h"} {
		if !strings.Contains(fleet, want) {
			t.Errorf("Fleet lacks %q:\n%s", want, fleet)
		}
	}
	// blue-web-2 (system check failing) then blue-web-3 (retiring)
	// before blue-web-1.
	names := func(ids []string) string {
		var out []string
		for _, id := range ids {
			in, _ := r.m.world.Instance(id)
			out = append(out, in.Name)
		}
		return strings.Join(out, " ")
	}
	if got := names(blue); got != "blue-web-2 blue-web-3 blue-web-1" {
		t.Errorf("blue's instances in the order %s", got)
	}

	r.selectCluster("files")
	r.m.focus = paneInstances
	r.press("enter")
	r.until("the file server's storage", func() bool { return r.m.storage != nil && r.m.storage.have })
	s := flat(r.screen())
	for _, want := range []string{
		"Status checks system impaired, instance ok",
		"instance-retirement: The instance is running on degraded hardware (not before 2026-11-23 12:00 UTC, not after 2026-11-24 12:00 UTC; in 3d)",
		"2048 GiB st1, in-use, /dev/sdf attached, DeleteOnTermination: deleted with the instance",
		"15% of vol-", "24%/h, done about Nov 20 15:32 UTC", "fileserver-data-rescue",
		"last backed up 26h ago",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("file server details lack %q:\n%s", want, r.screen())
		}
	}
	if n := r.calls("ec2:DescribeVolumes") + r.calls("ec2:DescribeSnapshots"); n != 2 {
		t.Errorf("the storage of one instance cost %d calls, want 2", n)
	}
}

// Goldens of S6 at 80x24 and 120x40: blue's instances with the broken
// first; the file server's cluster; the file server's details, at the
// top and scrolled to its storage.
func TestGoldenS6(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			r, _ := scenarioRig(t, "s6", sim.DemoEpoch, sz[0], sz[1])
			shot := func(name string) {
				t.Helper()
				out := r.m.View().Content
				assertFits(t, out, sz[0], sz[1])
				assertNoInjectedEscapes(t, out)
				t.Run(name, func(t *testing.T) { golden.RequireEqual(t, r.screen()) })
			}
			r.selectCluster("blue")
			r.m.focus = paneInstances
			shot("blue")
			r.selectCluster("files")
			r.m.focus = paneInstances
			shot("files")
			r.press("enter")
			r.until("the storage", func() bool { return r.m.storage != nil && r.m.storage.have })
			shot("fileserver")
			// Down to the storage heading.
			for i, l := range r.m.detail.lines {
				if strings.Contains(l, "Storage (EBS)") {
					r.m.detail.off = i
				}
			}
			shot("fileserver-storage")
		})
	}
}

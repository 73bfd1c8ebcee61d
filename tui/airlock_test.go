package tui

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// These tests walk the airlock end to end: the dashboard's keys, the
// real awsstate.Client and the AWS SDK, against the simulated AWS over
// HTTP. They are stories S1, S2 and S3 as an operator would live them,
// with the simulator's call counters as the proof of what ran.

type simRig struct {
	*harness
	sim   *sim.Server
	audit string
}

// newSimRig opens the dashboard on the demo world through profile.
func newSimRig(t *testing.T, profile string, o Options) *simRig {
	t.Helper()
	audit := filepath.Join(t.TempDir(), "audit.log")
	s, client, _ := simAWS(t, sim.Options{}, awsstate.Options{Profile: profile, AuditLog: audit})
	r := &simRig{harness: newHarness(t, client, o, 100, 32), sim: s, audit: audit}
	r.clock.now = time.Now() // the sim stamps real times; keep ages sane
	r.fetch()
	return r
}

// simAWS serves a simulated AWS of o over HTTP for tb, points the SDK's
// shared files at the profiles it writes (clearing what in the
// environment would override them), and returns the sim, a client of it
// made with ao (its Endpoint set to the sim's) and the sim's URL.
func simAWS(tb testing.TB, o sim.Options, ao awsstate.Options) (*sim.Server, *awsstate.Client, string) {
	tb.Helper()
	s, err := sim.New(o)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	dir := tb.TempDir()
	if err := sim.WriteAWSConfig(dir, srv.URL); err != nil {
		tb.Fatal(err)
	}
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_PROFILE":                 "", "AWS_REGION": "", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
		"AWS_SESSION_TOKEN": "", "AWS_ENDPOINT_URL": "",
	} {
		tb.Setenv(k, v)
	}
	ao.Endpoint = srv.URL
	cfg, err := awsstate.LoadConfig(context.Background(), ao)
	if err != nil {
		tb.Fatal(err)
	}
	return s, awsstate.New(cfg, ao), srv.URL
}

// fetch runs one refresh of what is due to completion.
func (r *simRig) fetch() { r.run(r.m.startFetch) }

// fetchAll refreshes every section, due or not, as the refresh after an
// action does: for stories that read what the sim holds now, whatever a
// section's cadence.
func (r *simRig) fetchAll() { r.run(r.m.refreshAll) }

// run starts a refresh with start and runs it to completion.
func (r *simRig) run(start func() tea.Cmd) {
	r.t.Helper()
	if r.m.refresh.busy() {
		r.until("the refresh in flight", func() bool { return !r.m.refresh.busy() })
	}
	msg := start()()
	// The real client fetches by plan: the quick lane's fetch and, when
	// something slow is due, the slow lane's, batched.
	msgs := []tea.Msg{msg}
	if b, ok := msg.(tea.BatchMsg); ok {
		msgs = msgs[:0]
		for _, cmd := range b {
			msgs = append(msgs, cmd())
		}
	}
	for _, msg := range msgs {
		r.send(msg)
	}
	if r.m.refresh.busy() {
		r.t.Fatalf("refresh did not land: %#v", msgs)
	}
}

func (r *simRig) calls(action string) int { return r.sim.Stats()[action] }

// feedText is the events feed's entries, newest first, one per line.
func (r *simRig) feedText() string {
	var b strings.Builder
	for _, e := range r.m.events.entries {
		b.WriteString(e.text + "\n")
	}
	return b.String()
}

// selectCluster puts the clusters cursor on name.
func (r *simRig) selectCluster(name string) {
	r.t.Helper()
	r.m.focus = paneClusters
	r.m.clusters.selectName(name)
	r.m.syncInstances()
	if got := r.m.clusters.selectedName(); got != name {
		r.t.Fatalf("cluster %s not on screen (cursor on %q)", name, got)
	}
}

// pick moves the menu cursor to the item whose label starts with label.
func (r *simRig) pick(label string) model.MenuItem {
	r.t.Helper()
	if r.m.flow == nil || r.m.flow.stage != stageMenu {
		r.t.Fatalf("not in the action menu:\n%s", r.screen())
	}
	for i, it := range r.m.flow.items {
		if strings.HasPrefix(it.Label, label) {
			r.m.flow.cur = i
			return it
		}
	}
	r.t.Fatalf("no menu item %q:\n%s", label, r.screen())
	return model.MenuItem{}
}

func (r *simRig) openMenu() {
	r.t.Helper()
	r.press("x")
	r.until("the action menu", func() bool { return r.m.flow != nil && r.m.flow.stage == stageMenu })
}

func (r *simRig) prepareItem(label string) {
	r.t.Helper()
	r.pick(label)
	r.press("enter")
	r.until("the verdict", func() bool { return r.m.flow != nil && r.m.flow.stage == stageConfirm })
}

func (r *simRig) stage() stage {
	if r.m.flow == nil {
		return -1
	}
	return r.m.flow.stage
}

// S2: blue is LIVE. Terminating it is refused in the menu, with the
// reason and what must happen first; nothing is prepared, nothing runs.
// Terminating green (not live) asks for the phrase; a wrong phrase does
// nothing; the right one terminates exactly green.
func TestAirlockS2TerminateLiveClusterRefused(t *testing.T) {
	r := newSimRig(t, "acme-prod", Options{})
	r.selectCluster("blue")
	r.openMenu()
	it := r.pick("Terminate cluster blue")
	if it.Available {
		t.Fatal("terminating the live cluster is offered as available")
	}
	s := r.screen()
	for _, want := range []string{"Actions on cluster blue", "Terminate cluster blue", "refused", "LIVE"} {
		if !strings.Contains(s, want) {
			t.Errorf("menu lacks %q:\n%s", want, s)
		}
	}
	// Enter on a refused item still checks with AWS (reads only) and
	// shows the fresh verdict, but offers no phrase to type.
	r.prepareItem("Terminate cluster blue")
	if r.m.flow.form != nil {
		t.Fatal("a refused verdict offers a phrase prompt")
	}
	s = r.screen()
	for _, want := range []string{"REFUSED: nothing will run", "LIVE", "203.0.113.10"} {
		if !strings.Contains(s, want) {
			t.Errorf("fresh refusal lacks %q:\n%s", want, s)
		}
	}
	if n := r.calls("ec2:TerminateInstances"); n != 0 {
		t.Fatalf("refused terminate made %d TerminateInstances calls", n)
	}
	r.press("esc")
	if r.m.flow != nil {
		t.Fatal("esc did not close the refusal")
	}

	r.selectCluster("green")
	r.openMenu()
	r.prepareItem("Terminate cluster green")
	s = r.screen()
	if !strings.Contains(s, "Type acme-prod/green to") || !strings.Contains(s, "ec2:TerminateInstances") {
		t.Fatalf("confirmation lacks the prod phrase or the plan:\n%s", s)
	}
	if !strings.Contains(s, "cluster green is not LIVE") {
		t.Errorf("confirmation does not say green is not live:\n%s", s)
	}

	// Wrong phrases, including the right one in the wrong case and the
	// bare cluster name: nothing happens.
	for _, wrong := range []string{"green", "ACME-PROD/GREEN", "acme-prod/green\u200b"} {
		r.typeText(wrong)
		r.press("enter")
		r.settle(100 * time.Millisecond)
		if r.stage() != stageConfirm || !strings.Contains(r.screen(), "that is not the phrase") {
			t.Fatalf("phrase %q: stage %d\n%s", wrong, r.stage(), r.screen())
		}
		for range len([]rune(wrong)) {
			r.press("backspace")
		}
	}
	if n := r.calls("ec2:TerminateInstances"); n != 0 {
		t.Fatalf("%d TerminateInstances calls after wrong phrases", n)
	}

	r.typeText("acme-prod/green")
	r.press("enter")
	r.until("the outcome", func() bool { return r.stage() == stageDone })
	s = r.screen()
	if !strings.Contains(s, "✓") || !strings.Contains(s, "done") || !strings.Contains(s, "ec2:TerminateInstances") {
		t.Fatalf("outcome screen:\n%s", s)
	}
	if n := r.calls("ec2:TerminateInstances"); n != 1 {
		t.Errorf("%d TerminateInstances calls, want 1", n)
	}
	// After the outcome the panes refresh and the feed records it.
	r.until("the refresh after the action", func() bool { return !r.m.refresh.inFlight })
	r.press("esc")
	s = r.screen()
	if !strings.Contains(s, "you: ") || !strings.Contains(s, "done") {
		t.Errorf("feed does not record the action:\n%s", s)
	}
	if data, err := os.ReadFile(r.audit); err != nil || !strings.Contains(string(data), `"phrase_accepted":"acme-prod/green"`) {
		t.Errorf("audit log: %v\n%s", err, data)
	}
}

// S1: refresh paused, the go-live moves blue's EIPs to green behind the
// screen's back. Disassociating blue's EIPs (as the screen still shows
// them) is refused at prepare with what moved, from where, to where;
// releasing them is refused outright. Nothing is called.
func TestAirlockS1StaleOwnershipRefused(t *testing.T) {
	r := newSimRig(t, "acme-prod", Options{})
	r.press("p")
	if err := r.sim.GoLive(sim.ProdAccountID); err != nil {
		t.Fatal(err)
	}
	r.selectCluster("blue")
	if !strings.Contains(r.screen(), "blue/i-") {
		t.Fatal("the paused screen should still show the EIPs on blue")
	}
	r.openMenu()
	if it := r.pick("Release the EIPs of blue"); it.Available {
		t.Error("releasing EIPs the screen shows associated is offered")
	}
	r.prepareItem("Disassociate the EIPs of blue")
	s := r.screen()
	for _, want := range []string{"REFUSED", "was on blue/i-", "is now on green/i-"} {
		if !strings.Contains(s, want) {
			t.Errorf("refusal lacks %q:\n%s", want, s)
		}
	}
	// The refusal names each move; the same diff is not listed again.
	if strings.Contains(s, "owner: blue/") {
		t.Errorf("the moves are printed twice:\n%s", s)
	}
	if r.m.flow.form != nil {
		t.Error("a refused action asks for a phrase")
	}
	for _, action := range []string{"ec2:DisassociateAddress", "ec2:ReleaseAddress"} {
		if n := r.calls(action); n != 0 {
			t.Errorf("%d %s calls", n, action)
		}
	}
}

// S3: in staging the phrase is the bare name; the banner says STAGING.
func TestAirlockS3StagingPhrase(t *testing.T) {
	r := newSimRig(t, "acme-staging", Options{})
	if !strings.Contains(r.screen(), "STAGING") || !strings.Contains(r.screen(), "acme-staging 222222222222") {
		t.Fatalf("banner:\n%s", r.screen())
	}
	r.selectCluster("green")
	r.openMenu()
	r.prepareItem("Terminate cluster green")
	if s := r.screen(); !strings.Contains(s, "Type green to") || strings.Contains(s, "acme-staging/green") {
		t.Fatalf("staging phrase:\n%s", s)
	}
}

// The world changes between the confirmation and the calls: an EIP lands
// on green while the operator types. The last check refuses and says
// what changed; nothing is terminated.
func TestAirlockChangeWhileTypingRefused(t *testing.T) {
	r := newSimRig(t, "acme-prod", Options{})
	r.selectCluster("green")
	r.openMenu()
	r.prepareItem("Terminate cluster green")
	if err := r.sim.GoLive(sim.ProdAccountID); err != nil {
		t.Fatal(err)
	}
	r.typeText("acme-prod/green")
	r.press("enter")
	r.until("the outcome", func() bool { return r.stage() == stageDone })
	s := r.screen()
	if !strings.Contains(s, "nothing was done") {
		t.Fatalf("outcome:\n%s", s)
	}
	if n := r.calls("ec2:TerminateInstances"); n != 0 {
		t.Errorf("%d TerminateInstances calls", n)
	}
}

// Read-only: every action is refused, in the menu, with the reason.
func TestAirlockReadOnly(t *testing.T) {
	r := newSimRig(t, "acme-prod", Options{ReadOnly: true})
	r.selectCluster("green")
	r.openMenu()
	for _, it := range r.m.flow.items {
		if it.Available {
			t.Errorf("%s is available in read-only mode", it.Label)
		}
	}
	if !strings.Contains(r.screen(), "read-only") {
		t.Errorf("menu does not say read-only:\n%s", r.screen())
	}
}

// hostileThroughAWS fetches the hostile scenario through the SDK and
// awsstate, as the dashboard receives it: tags raw, the rest sanitised.
func hostileThroughAWS(t *testing.T) model.Snapshot {
	t.Helper()
	_, client, _ := simAWS(t, sim.Options{Scenario: "hostile"}, awsstate.Options{Profile: "acme-prod"})
	snap := client.Fetch(context.Background())
	if err := refreshError(snap); err != nil {
		t.Fatalf("fetch: %v", err)
	}
	return snap
}

// Hostile tags as the simulator serves them, through the SDK and
// awsstate: the frame keeps its shape and carries no escape but colours.
func TestHostileScenarioThroughAWS(t *testing.T) {
	snap := hostileThroughAWS(t)
	for _, sz := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			hs := newHarness(t, &staticSource{}, Options{}, sz[0], sz[1])
			hs.deliver(snap)
			for range 6 {
				out := hs.m.View().Content
				assertFits(t, out, sz[0], sz[1])
				assertNoInjectedEscapes(t, out)
				hs.key("j")
			}
			hs.key("tab", "tab") // the instances of the cluster under the cursor
			golden.RequireEqual(t, hs.screen())
			for range 6 {
				out := hs.m.View().Content
				assertFits(t, out, sz[0], sz[1])
				assertNoInjectedEscapes(t, out)
				hs.key("j")
			}
		})
	}
}

// The instance tagged Cluster=blue\u200b is a cluster of its own, shown
// as blue⟨U+200B⟩ and marked ≈ like blue itself, and not inside the LIVE
// blue; the menu refuses acting on blue by name, naming both.
func TestHostileLookAlikeThroughAWS(t *testing.T) {
	snap := hostileThroughAWS(t)
	hs := newHarness(t, &staticSource{}, Options{Actor: &fakeActor{facts: factsOf(snap)}}, 100, 30)
	hs.deliver(snap)
	w := model.Analyze(snap, "")
	blue, _ := w.Cluster("blue")
	lookalike, ok := w.Cluster(sim.HostileZeroWidth)
	if !ok || len(lookalike.InstanceIDs) != 1 {
		t.Fatalf("no look-alike cluster of one instance: %+v", w.Clusters)
	}

	t.Run("dashboard", func(t *testing.T) {
		hs.m.clusters.selectName(sim.HostileZeroWidth)
		hs.m.syncInstances()
		out := hs.m.View().Content
		assertFits(t, out, 100, 30)
		assertNoInjectedEscapes(t, out)
		screen := hs.screen()
		for _, want := range []string{"≈ blue ", "≈ blue⟨U+200B⟩", "Instances of ≈ blue⟨U+200B⟩ (1)",
			lookalike.InstanceIDs[0] + " blue-web-1⟨U+2066⟩"} {
			if !strings.Contains(screen, want) {
				t.Errorf("screen lacks %q:\n%s", want, screen)
			}
		}
		golden.RequireEqual(t, screen)
	})
	t.Run("menu-blue", func(t *testing.T) {
		hs.m.clusters.selectName("blue")
		hs.m.syncInstances()
		if strings.Contains(hs.screen(), lookalike.InstanceIDs[0]) {
			t.Errorf("blue's instances include the look-alike's %s:\n%s", lookalike.InstanceIDs[0], hs.screen())
		}
		if len(blue.InstanceIDs) != 3 {
			t.Errorf("blue has %d instances, want its own 3", len(blue.InstanceIDs))
		}
		hs.press("x")
		hs.until("the menu", func() bool { return hs.m.flow != nil && len(hs.m.flow.items) > 0 })
		for _, it := range hs.m.flow.items {
			if it.Intent.ClusterWide() && it.Available {
				t.Errorf("%q is available on blue beside its look-alike", it.Label)
			}
		}
		screen := hs.screen()
		if !strings.Contains(screen, "two clusters look like blue: blue and blue⟨U+200B⟩") {
			t.Errorf("menu does not name the look-alikes:\n%s", screen)
		}
		assertNoInjectedEscapes(t, hs.m.View().Content)
		golden.RequireEqual(t, screen)
	})
}

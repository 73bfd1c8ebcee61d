package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// scenarioThroughAWS fetches a scenario's production account the way the
// dashboard does: the simulated AWS over HTTP, the SDK, awsstate.
func scenarioThroughAWS(t *testing.T, scenario string) model.Snapshot {
	t.Helper()
	_, client, _ := simAWS(t, sim.Options{Scenario: scenario}, awsstate.Options{Profile: "acme-prod"})
	snap := client.Fetch(context.Background())
	for sec, res := range snap.Sections {
		if !res.Complete {
			t.Fatalf("fetch %s: section %s: %v", scenario, sec, res.Err)
		}
	}
	return snap
}

// pageHarness opens the dashboard on snap at w x h, its clock a few
// minutes after the sim's epoch so the activities' ages read naturally.
func pageHarness(t *testing.T, snap model.Snapshot, w, h int) *harness {
	t.Helper()
	hs := newHarness(t, &staticSource{}, Options{}, w, h)
	hs.clock.now = sim.DemoEpoch.Add(2 * time.Minute)
	hs.deliver(snap)
	return hs
}

// Goldens of each page for stories S4 and S5 at 80x24 and 120x40,
// fetched through awsstate from the simulated AWS.
func TestGoldenPages(t *testing.T) {
	for _, scenario := range []string{"s4", "s5"} {
		snap := scenarioThroughAWS(t, scenario)
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			for _, pg := range []string{"1", "2", "3"} {
				t.Run(fmt.Sprintf("%s/page%s/%dx%d", scenario, pg, sz[0], sz[1]), func(t *testing.T) {
					hs := pageHarness(t, snap, sz[0], sz[1])
					hs.key(pg)
					out := hs.m.View().Content
					assertFits(t, out, sz[0], sz[1])
					assertNoInjectedEscapes(t, out)
					golden.RequireEqual(t, hs.screen())
				})
			}
		}
	}
}

// Story S4 on the Capacity page at 80x24: SHORT in the alarm colour, the
// failure message verbatim, the preflight naming the AMI and the
// security group; and the page bar says so from the Fleet page.
func TestCapacityPageS4(t *testing.T) {
	hs := pageHarness(t, scenarioThroughAWS(t, "s4"), 80, 24)
	fleet := hs.screen()
	if !strings.Contains(fleet, "2 Capacity ▲ 1 SHORT") {
		t.Errorf("the page bar does not say a group is SHORT on Fleet:\n%s", fleet)
	}
	hs.key("2")
	screen := hs.screen()
	for _, want := range []string{
		"SHORT 4",
		"The image id '[" + sim.MissingAMI + "]' does not exist. Launching EC2 instance failed.",
		"latest failed activity 11:56:00 UTC",
		"AMI " + sim.MissingAMI + " does not exist",
		"security group " + sim.MissingSecurityGroup + " does not exist",
		"▲▲ PRODUCTION ▲▲", // the banner stays
	} {
		if !strings.Contains(strings.Join(strings.Fields(screen), " "), want) {
			t.Errorf("Capacity page lacks %q:\n%s", want, screen)
		}
	}
	// SHORT is in the alarm colour, not only a word.
	styled := hs.m.View().Content
	if !strings.Contains(styled, hs.m.st.ink.Danger.render("SHORT 4")) {
		t.Error("SHORT is not drawn in the Danger ink")
	}
	hs.key("esc")
	if hs.m.page != fleetPage {
		t.Errorf("esc left the page on %d, want Fleet", hs.m.page)
	}
}

// Story S5 on the Network page: the full subnet and the nearly full one
// are LOW, with the clusters and groups using them.
func TestNetworkPageS5(t *testing.T) {
	hs := pageHarness(t, scenarioThroughAWS(t, "s5"), 80, 24)
	if !strings.Contains(hs.screen(), "3 Network ▲ 2 LOW") {
		t.Errorf("page bar:\n%s", hs.screen())
	}
	hs.key("3")
	screen := hs.screen()
	var low []string
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, " LOW ") && strings.HasPrefix(strings.TrimLeft(line, "▶▷ "), "us-east-1") {
			low = append(low, strings.Fields(strings.TrimLeft(line, "▶▷ "))[0])
		}
	}
	if strings.Join(low, ",") != "us-east-1a,us-east-1c" {
		t.Errorf("LOW rows in zones %v, want us-east-1a and us-east-1c:\n%s", low, screen)
	}
	if !strings.Contains(screen, "rebuild") {
		t.Errorf("the group using the full subnet is not named:\n%s", screen)
	}
	hs.key("j", "j")
	if !strings.Contains(hs.screen(), "LOW: 0 free addresses of 251 (100% used)") {
		t.Errorf("the full subnet's detail:\n%s", hs.screen())
	}
}

// Unknown is not none: a groups section that failed says so on the page.
func TestCapacityPageUnknown(t *testing.T) {
	snap := scenarioThroughAWS(t, "s4")
	snap.Groups = nil
	snap.Sections[model.SectionGroups] = model.SectionResult{Err: fmt.Errorf("access denied: autoscaling:DescribeAutoScalingGroups")}
	hs := pageHarness(t, snap, 80, 24)
	hs.key("2")
	if s := hs.screen(); !strings.Contains(s, "groups unknown: access denied") || !strings.Contains(s, "incomplete") {
		t.Errorf("a failed groups section:\n%s", s)
	}
}

// Every registered page is reachable by its key, and has help.
func TestPageRegistry(t *testing.T) {
	hs := pageHarness(t, scenarioThroughAWS(t, "s4"), 120, 40)
	var help strings.Builder
	for _, sec := range helpContent(&hs.m.keys, &hs.m.st.ink, false) {
		help.WriteString(sec.title + "\n")
		for _, term := range sec.terms {
			help.WriteString(term.term + " " + term.text + "\n")
		}
	}
	for i, spec := range pageRegistry {
		hs.key(spec.key)
		if hs.m.page != i+1 || hs.m.current() == nil {
			t.Errorf("key %s shows page %d, want %d", spec.key, hs.m.page, i+1)
		}
		if !strings.Contains(hs.screen(), "▶"+spec.key+" "+spec.name) {
			t.Errorf("the page bar does not mark %s:\n%s", spec.name, hs.screen())
		}
	}
	hs.key(fleetKey)
	if hs.m.page != fleetPage {
		t.Errorf("key 1 shows page %d", hs.m.page)
	}
	for _, want := range []string{"Pages (the bar under the banner)", "Columns of Capacity", "Columns of Network", "SHORT N"} {
		if !strings.Contains(help.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

// The SHORT rule across refreshes, through the dashboard's own deriving:
// a group below desired whose launches have not failed is "scaling" at
// the first refresh and SHORT at the next; the feed says so, and says
// each failed activity once.
func TestCapacityAcrossRefreshes(t *testing.T) {
	snap := scenarioThroughAWS(t, "s4")
	// Without its failures, uploader is merely below desired.
	calm := snap
	calm.Activities = nil
	for _, a := range snap.Activities {
		if !a.Failed() {
			calm.Activities = append(calm.Activities, a)
		}
	}
	hs := pageHarness(t, calm, 80, 24)
	hs.key("2")
	if s := hs.screen(); !hasRow(s, "uploader", "scaling") {
		t.Fatalf("first refresh: want uploader scaling, not yet SHORT:\n%s", s)
	}
	later := calm
	later.Groups = append([]model.Group(nil), calm.Groups...)
	for i := range later.Groups {
		later.Groups[i].ObservedAt = later.Groups[i].ObservedAt.Add(5 * time.Second)
	}
	hs.clock.Advance(5 * time.Second)
	hs.deliver(later)
	if s := hs.screen(); !hasRow(s, "uploader", "SHORT 4") {
		t.Fatalf("second refresh: want uploader SHORT:\n%s", s)
	}
	if len(hs.m.events.entries) == 0 || hs.m.events.entries[0].text != "group uploader is SHORT: 2 of 6 in service" {
		t.Errorf("the feed does not say the group went SHORT: %+v", hs.m.events.entries)
	}
	// The failures arrive: one event per failed activity not seen before.
	hs.clock.Advance(5 * time.Second)
	hs.deliver(snap)
	hs.clock.Advance(5 * time.Second)
	hs.deliver(snap)
	n := 0
	for _, e := range hs.m.events.entries {
		if strings.Contains(e.text, "scaling activity failed") {
			n++
		}
	}
	failed := 0
	for _, a := range snap.Activities {
		if a.Failed() {
			failed++
		}
	}
	if n != failed {
		t.Errorf("%d failed-activity events, want one per failed activity (%d)", n, failed)
	}
}

// hasRow reports whether a line of screen holds every word given.
func hasRow(screen string, words ...string) bool {
	for _, line := range strings.Split(screen, "\n") {
		all := true
		for _, w := range words {
			all = all && strings.Contains(line, w)
		}
		if all {
			return true
		}
	}
	return false
}

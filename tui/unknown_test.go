package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/airlock-ops/airlock/model"
)

// Unknown is not none (issue 8): a pane whose section failed says
// "unknown: <reason>", never "no clusters" or "no Elastic IPs"; a cluster
// whose liveness cannot be told reads "?" under LIVE, not blank; a
// cluster with nothing running reads "0/3 term" with checks "-", not
// "0/3 ok"; an alias IAM would not give is not "no alias".
func TestGoldenUnknown(t *testing.T) {
	expired := "expired AWS credentials (ExpiredToken): log in again or refresh the session"
	denied := "access denied: ec2:DescribeAddresses (UnauthorizedOperation)"
	cases := map[string]func() model.Snapshot{
		// The first refresh fails whole: nothing is known, and each pane
		// says so with the reason.
		"no-credentials": func() model.Snapshot {
			s := demoSnapshot()
			for _, sec := range []model.Section{model.SectionIdentity, model.SectionInstances, model.SectionAddresses, model.SectionSubnets, model.SectionStatus} {
				s = failed(s, sec, expired)
			}
			return s
		},
		// DescribeAddresses denied from the start: no earlier list to
		// carry over, so no cluster can be called live or not.
		"addresses-denied": func() model.Snapshot {
			return failed(demoSnapshot(), model.SectionAddresses, denied)
		},
		"instance-status-denied": func() model.Snapshot {
			return failed(demoSnapshot(), model.SectionStatus, "access denied: ec2:DescribeInstanceStatus (UnauthorizedOperation)")
		},
		// A terminated cluster and one of 600: the counts say what runs,
		// in full.
		"terminated-and-large": func() model.Snapshot {
			s := demoSnapshot()
			for i := range 3 {
				id := fmt.Sprintf("i-0dead00000000000%d", i)
				s.Instances = append(s.Instances, model.Instance{ID: id, Name: "old-web", State: model.StateTerminated,
					LaunchTime: t0.Add(-90 * 24 * time.Hour), Tags: model.TagsOf(map[string]string{"Cluster": "old"})})
			}
			for i := range 600 {
				id := fmt.Sprintf("i-0b16%013d", i)
				s.Instances = append(s.Instances, model.Instance{ID: id, State: model.StateRunning,
					LaunchTime: t0.Add(-time.Hour), Tags: model.TagsOf(map[string]string{"Cluster": "big"})})
				s.Statuses[id] = model.InstanceStatus{InstanceID: id, System: model.CheckOK, Instance: model.CheckOK}
			}
			return s
		},
		"alias-unreadable": func() model.Snapshot {
			s := demoSnapshot()
			s.Identity.Alias, s.Identity.AliasError = "", "AccessDenied"
			return s
		},
	}
	// With room, a cluster with nothing running says what its instances
	// are ("0/3 term"); at 80x24 the names and "-" under CHECKS come first.
	cases["terminated-and-large-120x40"] = cases["terminated-and-large"]
	for name, snap := range cases {
		t.Run(name, func(t *testing.T) {
			w, h := 80, 24
			if strings.HasSuffix(name, "120x40") {
				w, h = 120, 40
			}
			hs := newHarness(t, &staticSource{}, Options{}, w, h)
			hs.deliver(snap())
			out := hs.m.View().Content
			assertFits(t, out, w, h)
			golden.RequireEqual(t, ansi.Strip(out))
		})
	}
}

// The words the goldens show, asserted apart from the layout, which
// other changes move: each unknown pane names its reason, and "none"
// words never appear for what failed.
func TestUnknownIsNotNone(t *testing.T) {
	denied := "access denied: ec2:DescribeAddresses (UnauthorizedOperation)"
	hs := newHarness(t, &staticSource{}, Options{}, 120, 40)
	hs.deliver(failed(demoSnapshot(), model.SectionAddresses, denied))
	screen := hs.screen()
	if !strings.Contains(screen, "Elastic IPs unknown: access denied: ec2:DescribeAddresses") || strings.Contains(screen, "no Elastic IPs") {
		t.Errorf("the EIP pane does not say the addresses are unknown:\n%s", screen)
	}
	for _, c := range hs.m.clusters.clusters {
		if c.Liveness != model.LiveUnknown {
			t.Errorf("cluster %s: %v, want unknown", c.Name, c.Liveness)
		}
	}
	for _, name := range []string{"blue", "green"} {
		if !rowHas(screen, name, "?") {
			t.Errorf("cluster %s's row lacks ?:\n%s", name, screen)
		}
	}

	// A good refresh after it: known again.
	hs.clock.Advance(5 * time.Second)
	hs.deliver(demoSnapshot())
	if screen := hs.screen(); !rowHas(screen, "blue", "LIVE") || strings.Contains(screen, "unknown") {
		t.Errorf("after a complete refresh:\n%s", screen)
	}
	// And a failure after that keeps the last good list, shown STALE,
	// not unknown.
	hs.clock.Advance(5 * time.Second)
	hs.deliver(failed(demoSnapshot(), model.SectionAddresses, denied))
	if screen := hs.screen(); !rowHas(screen, "blue", "LIVE") || !strings.Contains(screen, "STALE") {
		t.Errorf("a failure after good data:\n%s", screen)
	}

	hs = newHarness(t, &staticSource{}, Options{}, 120, 40)
	s := demoSnapshot()
	for _, sec := range []model.Section{model.SectionIdentity, model.SectionInstances, model.SectionAddresses} {
		s = failed(s, sec, "expired AWS credentials (ExpiredToken)")
	}
	hs.deliver(s)
	screen = hs.screen()
	for _, want := range []string{"clusters unknown: expired AWS credentials", "Elastic IPs unknown: expired AWS credentials", "instances unknown: expired AWS credentials"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	for _, none := range []string{"no clusters", "no Elastic IPs", "no instances"} {
		if strings.Contains(screen, none) {
			t.Errorf("screen says %q of what it could not fetch:\n%s", none, screen)
		}
	}
}

// rowHas reports whether a line of screen starts (after the focus
// marker or spaces) with name and holds word as a separate cell.
func rowHas(screen, name, word string) bool {
	for line := range strings.SplitSeq(screen, "\n") {
		f := strings.Fields(strings.TrimLeft(strings.Split(line, "│")[0], " ▶▷"))
		if len(f) > 1 && f[0] == name {
			for _, x := range f[1:] {
				if x == word {
					return true
				}
			}
		}
	}
	return false
}

// Carried-over data is known (old, shown STALE); a section that failed
// with nothing to carry stays unknown; an alias IAM would not give this
// time keeps the name it gave before.
func TestCarryOverKeepsWhatWasKnown(t *testing.T) {
	good := demoSnapshot()
	bad := failed(demoSnapshot(), model.SectionAddresses, "throttled")
	bad.Identity.Alias, bad.Identity.AliasError = "", "Throttling"

	next := carryOver(good, bad)
	if !next.Known(model.SectionAddresses) || !next.Sections[model.SectionAddresses].Carried || len(next.Addresses) != 4 {
		t.Errorf("addresses carried: %+v, %d addresses; want known, carried, 4", next.Sections[model.SectionAddresses], len(next.Addresses))
	}
	if bad.Sections[model.SectionAddresses].Carried {
		t.Error("carryOver changed the answer's own sections map")
	}
	if next.Identity.Alias != "acme-prod" || !next.Identity.AliasKnown() {
		t.Errorf("alias = %q (%q), want the last one read", next.Identity.Alias, next.Identity.AliasError)
	}
	// Failed, then failed again with nothing good before: unknown.
	again := carryOver(bad, failed(demoSnapshot(), model.SectionAddresses, "throttled"))
	if again.Known(model.SectionAddresses) {
		t.Error("a section that never succeeded is known after carry-over")
	}
	// Carried, then failed again: still the last good list.
	if third := carryOver(next, failed(demoSnapshot(), model.SectionAddresses, "throttled")); !third.Known(model.SectionAddresses) || len(third.Addresses) != 4 {
		t.Errorf("a second failure lost the carried list: %+v", third.Sections[model.SectionAddresses])
	}
	// Another account's alias is not carried.
	other := demoSnapshotFor("", "222222222222")
	other.Identity.AliasError = "AccessDenied"
	if got := carryOver(good, other).Identity; got.Alias != "" || got.AliasKnown() {
		t.Errorf("another account got alias %q", got.Alias)
	}
}

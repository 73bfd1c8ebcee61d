package tui

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// demoSecrets are what --redact must never show of the demo world the
// dashboard is looking at: both accounts' IDs, every public address
// (Elastic IPs and the instances' own), and the person acting.
func demoSecrets(t *testing.T, s model.Snapshot) []string {
	t.Helper()
	set := map[string]bool{sim.ProdAccountID: true, sim.StagingAccountID: true, "user/oncall": true}
	for _, a := range s.Addresses {
		set[a.PublicIP] = true
	}
	for _, in := range s.Instances {
		if in.PublicIP != "" {
			set[in.PublicIP] = true
		}
	}
	if len(s.Addresses) == 0 || !strings.HasSuffix(s.Identity.ARN, ":user/oncall") {
		t.Fatalf("the demo world is not what this test expects: %d EIPs, caller %s", len(s.Addresses), s.Identity.ARN)
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// redactWalk is the dashboard on the demo world with --redact, walked
// through every screen an operator can reach: the panes before and after
// the go-live, the description of each kind of row and of an event, the
// help, the search, a footer notice, the action menu on a cluster and on
// an address, the confirmation, the outcome, and the panes and banner
// when AWS refuses a call with an error that names the caller's ARN.
// It returns each screen's content and window title by name.
func redactWalk(t *testing.T, o Options) (map[string]string, *simRig) {
	o.Redact = true
	r := newSimRig(t, "acme-prod", o)
	screens := map[string]string{}
	grab := func(name string) {
		t.Helper()
		v := r.m.View()
		screens[name] = v.Content
		screens[name+" (window title)"] = v.WindowTitle
	}
	grab("dashboard")

	if err := r.sim.GoLive(sim.ProdAccountID); err != nil {
		t.Fatal(err)
	}
	r.fetchAll()
	grab("dashboard after the go-live")

	for _, p := range []struct {
		name string
		id   paneID
	}{{"cluster", paneClusters}, {"Elastic IP", paneAddresses}, {"instance", paneInstances}} {
		r.m.focus = p.id
		r.key("d")
		if r.m.detail == nil {
			t.Fatalf("no description of the %s:\n%s", p.name, r.screen())
		}
		grab("detail of a " + p.name)
		r.key("c")
		grab("copied from the detail of a " + p.name)
		r.key("esc")
	}
	r.m.focus = paneEvents
	r.key("enter")
	if r.m.events.open == nil {
		t.Fatalf("no event opened:\n%s", r.screen())
	}
	grab("an event")
	r.key("esc")
	r.m.focus = paneAddresses
	r.key("c")
	grab("copied an Elastic IP")

	r.key("?")
	grab("help")
	r.key("esc")

	r.key("f")
	r.typeText("i-")
	r.settle(50 * time.Millisecond)
	grab("find")
	r.key("esc")

	r.selectCluster("blue")
	r.openMenu()
	grab("menu of a cluster")
	r.press("esc")

	// The spare address, attached to nothing: releasing it is allowed,
	// so the confirmation asks for a phrase, and then the outcome shows.
	r.m.focus = paneAddresses
	var spare model.Address
	for _, a := range r.m.snap.Addresses {
		if a.AssociationID == "" {
			spare = a
		}
	}
	r.m.addresses.selectIP(spare.PublicIP)
	r.openMenu()
	grab("menu of an Elastic IP")
	r.prepareItem("Release EIP")
	grab("confirmation")
	phrase := r.m.flow.prepared.Verdict.Phrase
	if want := "acme-prod/" + spare.AllocationID; phrase != want {
		t.Fatalf("phrase %q, want %q: on a redacted screen the phrase names what the screen shows", phrase, want)
	}
	if !strings.Contains(ansi.Strip(screens["confirmation"]), "Type "+phrase) {
		t.Fatalf("the confirmation does not show the phrase %q whole:\n%s", phrase, ansi.Strip(screens["confirmation"]))
	}
	r.typeText(phrase)
	r.press("enter")
	r.until("the outcome", func() bool { return r.stage() == stageDone })
	grab("outcome")
	r.press("esc")
	r.fetchAll()
	grab("dashboard after the action")

	// AWS's own errors name the caller's ARN, with the account in it.
	remove := r.sim.Inject(sim.Fault{Action: "DescribeAddresses", Kind: sim.FaultAccessDenied})
	r.sim.Inject(sim.Fault{Action: "DescribeSubnets", Kind: sim.FaultAccessDenied})
	r.fetchAll()
	remove()
	grab("a section denied")
	if !strings.Contains(r.screen(), "STALE") {
		t.Fatalf("the denied section does not say so:\n%s", r.screen())
	}
	return screens, r
}

// TestRedactMasksAWSErrors: an error from AWS names the caller's ARN and
// account ("User: arn:aws:iam::…:user/oncall is not authorized"); with
// --redact the panes, the banner and the unconfirmed banner show it
// masked.
func TestRedactMasksAWSErrors(t *testing.T) {
	const denied = "User: arn:aws:iam::111111111111:user/oncall is not authorized to perform: ec2:DescribeAddresses on account 111111111111"
	for _, sec := range []model.Section{model.SectionAddresses, model.SectionSubnets, model.SectionInstances, model.SectionIdentity} {
		hs := newHarness(t, &staticSource{}, Options{Redact: true}, 120, 30)
		hs.deliver(failed(demoSnapshot(), sec, denied))
		out := hs.screen()
		if !strings.Contains(out, "1111••••1111") {
			t.Errorf("%s failed: the error is not on screen:\n%s", sec, out)
		}
		for _, secret := range []string{"111111111111", "oncall", "3.3.3.1"} {
			if strings.Contains(out, secret) || strings.Contains(hs.m.View().WindowTitle, secret) {
				t.Errorf("%s failed: %s shows:\n%s", sec, secret, out)
			}
		}
	}
}

// TestRedactShowsNoSecret: no account ID, public address or person of
// the demo world shows on any screen with --redact, in the content or
// the window title, everyday or presenting; and the walk does reach
// screens that would show them unmasked.
func TestRedactShowsNoSecret(t *testing.T) {
	for _, present := range []bool{false, true} {
		t.Run(fmt.Sprintf("present=%v", present), func(t *testing.T) {
			screens, r := redactWalk(t, Options{Present: present})
			secrets := demoSecrets(t, r.m.snap)
			masked := 0
			for name, out := range screens {
				plain := ansi.Strip(out)
				for _, s := range secrets {
					if strings.Contains(plain, s) {
						t.Errorf("%s shows %s:\n%s", name, s, plain)
					}
				}
				masked += strings.Count(plain, "•")
			}
			if masked < 50 {
				t.Errorf("only %d masked characters over %d screens: the walk does not reach what it should", masked, len(screens))
			}
			// What the screen does not show is still the real value
			// underneath: identity, the world, the audit log.
			if r.m.banner.identity.AccountID != sim.ProdAccountID || !model.IsPublicIP(r.m.snap.Addresses[0].PublicIP) {
				t.Errorf("redaction reached the data: identity %q, address %q", r.m.banner.identity.AccountID, r.m.snap.Addresses[0].PublicIP)
			}
			log, err := os.ReadFile(r.audit)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(log), sim.ProdAccountID) || strings.Contains(string(log), "•") {
				t.Errorf("the audit log is masked, or lacks the account:\n%s", log)
			}
		})
	}
}

// TestRedactedUnnamedAccount: an account with no alias and no
// configured name is named by its ID, which --redact masks; its banner,
// title and phrase use the digits that still show.
func TestRedactedUnnamedAccount(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{Redact: true, Actor: &fakeActor{facts: factsOf(demoSnapshotFor("", "999988887777"))}}, 80, 24)
	hs.deliver(demoSnapshotFor("", "999988887777"))
	if got := hs.m.View().WindowTitle; got != "9999••••7777 UNKNOWN ACCOUNT - airlock" {
		t.Errorf("window title %q", got)
	}
	if p := hs.m.policy(); model.Phrase("green", p) != "account-7777/green" {
		t.Errorf("phrase %q", model.Phrase("green", p))
	}
	if strings.Contains(hs.screen(), "999988887777") {
		t.Errorf("the account ID shows:\n%s", hs.screen())
	}
}

// TestGoldenRedacted keeps the S1 screen after the go-live with
// --redact, everyday and presenting, at 80x24.
func TestGoldenRedacted(t *testing.T) {
	for name, o := range map[string]Options{"everyday": {Redact: true}, "present": {Redact: true, Present: true}} {
		t.Run(name, func(t *testing.T) {
			hs := afterGoLive(t, o, 80, 24)
			out := hs.m.View().Content
			assertFits(t, out, 80, 24)
			golden.RequireEqual(t, ansi.Strip(out))
		})
	}
}

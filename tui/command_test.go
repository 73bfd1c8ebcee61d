package tui

import (
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	capacity := pageNamed("capacity")
	for _, tc := range []struct {
		typed string
		want  command
	}{
		{"profile acme-staging", command{verb: cmdProfile, arg: "acme-staging"}},
		{":profile  Acme-Staging ", command{verb: cmdProfile, arg: "Acme-Staging"}}, // names keep their case
		{"PROFILE", command{verb: cmdProfile}},
		{"region eu-west-1", command{verb: cmdRegion, arg: "eu-west-1"}},
		{"region", command{verb: cmdRegion}},
		{"capacity", command{verb: cmdPage, page: capacity}},
		{"Fleet", command{verb: cmdPage, page: fleetPage}},
		{"help", command{verb: cmdHelp}},
		// Searches, not commands.
		{"10.0.3.45", command{}},
		{"find 10.0.3.45", command{}},
		{"capacity-web-1", command{}},
		{"capacity 2", command{}},
		{"help me", command{}},
		{"", command{}},
	} {
		if got := parseCommand(tc.typed); got != tc.want {
			t.Errorf("parseCommand(%q) = %+v, want %+v", tc.typed, got, tc.want)
		}
	}
	if capacity <= fleetPage {
		t.Fatalf("no capacity page: %d", capacity)
	}
}

// ":" is the command line on every page: a page by name, a profile by
// name (switched to as P would, through the same checks), a region by
// name, and a search for anything else.
func TestCommandLine(t *testing.T) {
	sharedConfig(t)
	staging := &staticSource{snap: demoSnapshotFor("acme-staging", "222222222222")}
	fc := &fakeConnect{sources: map[string]Source{"acme-staging": staging, "acme-prod": staging}}
	hs := newHarness(t, &staticSource{}, Options{Config: demoAccounts(), Profile: "acme-prod", Region: "us-east-1", Connect: fc.connect}, 120, 40)
	hs.deliver(demoSnapshot())

	typeCommand := func(line string) {
		t.Helper()
		hs.send(keyPress(":"))
		if hs.m.find == nil || !hs.m.find.colon {
			t.Fatalf("\":\" did not open the command line on page %d", hs.m.page)
		}
		hs.typeText(line)
	}

	hs.send(keyPress(":"))
	if s := hs.screen(); !strings.Contains(s, ":find IP, instance ID or name, or a command") || !strings.Contains(s, "profile NAME, region NAME") {
		t.Errorf("the empty command line does not say what it takes:\n%s", s)
	}
	hs.press("esc")

	typeCommand("capacity")
	if s := hs.screen(); !strings.Contains(s, "enter: show the Capacity page") {
		t.Errorf("the command line does not say what enter does:\n%s", s)
	}
	hs.press("enter")
	if hs.m.page != pageNamed("capacity") || hs.m.find != nil {
		t.Fatalf("after :capacity, page %d, find open %v", hs.m.page, hs.m.find != nil)
	}

	// From the Capacity page, a search still goes to the instance.
	typeCommand("green-web-1")
	hs.until("the search", func() bool { return !hs.m.find.pending })
	hs.press("enter")
	if hs.m.page != fleetPage || hs.m.focus != paneInstances || !strings.Contains(hs.m.instances.selectedID(), "i-0") {
		t.Errorf("a search from the Capacity page: page %d, focus %d, selected %q", hs.m.page, hs.m.focus, hs.m.instances.selectedID())
	}

	// A profile that does not exist: the picker, filtered, and no switch.
	typeCommand("profile acme-stagign")
	hs.run(hs.send(keyPress("enter")))
	if s := hs.screen(); hs.m.sw.open == nil || !strings.Contains(s, "no profile named acme-stagign") || len(fc.asked) != 0 {
		t.Fatalf("a misspelt profile: picker open %v, asked %v:\n%s", hs.m.sw.open != nil, fc.asked, s)
	}
	hs.press("esc")

	// A profile with mfa_serial asks for its code first.
	typeCommand("profile acme-prod")
	hs.press("enter")
	hs.until("the MFA prompt", func() bool { return strings.Contains(hs.screen(), "MFA code for profile acme-prod") })
	if len(fc.asked) != 0 {
		t.Fatalf("acme-prod has mfa_serial, but Connect was asked before its code: %v", fc.asked)
	}
	hs.press("esc")
	hs.until("the picker", func() bool { return hs.m.sw.open != nil && hs.m.sw.open.mfaForm == nil })
	hs.press("esc")

	// A region by name switches at once, the profile kept.
	typeCommand("region eu-west-1")
	hs.run(hs.send(keyPress("enter")))
	if got := strings.Join(fc.asked, ","); got != "acme-prod|eu-west-1" {
		t.Errorf("Connect asked for %q, want acme-prod in eu-west-1", got)
	}
	if s := hs.screen(); !strings.Contains(s, "ACCOUNT UNCONFIRMED") {
		t.Errorf("after :region the banner is not unconfirmed:\n%s", s)
	}

	// And a profile by name.
	typeCommand("profile acme-staging")
	hs.run(hs.run(hs.send(keyPress("enter")))) // the profiles read, then Connect
	if got := fc.asked[len(fc.asked)-1]; got != "acme-staging|" {
		t.Errorf("Connect asked for %q, want acme-staging with its own region", got)
	}
}

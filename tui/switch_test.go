package tui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// fakeConnect answers Connect with the source registered for a profile,
// recording what it was asked and the MFA code it was given.
type fakeConnect struct {
	mu      sync.Mutex
	sources map[string]Source
	asked   []string
	codes   []string
	err     error
}

func (f *fakeConnect) connect(ctx context.Context, profile, region string, mfa awsstate.MFAFunc) (Source, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, profile+"|"+region)
	if mfa != nil {
		code, err := mfa(ctx, profile, "arn:aws:iam::111111111111:mfa/oncall")
		if err != nil {
			return nil, err
		}
		f.codes = append(f.codes, code)
	}
	if f.err != nil {
		return nil, f.err
	}
	src, ok := f.sources[profile]
	if !ok {
		return nil, errors.New("no such profile " + profile)
	}
	return src, nil
}

// sharedConfig points the SDK's shared files at a config with the demo's
// profiles: acme-staging claims the staging account through its role,
// acme-prod the production one and asks for MFA.
func sharedConfig(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	text := `[profile base]
region = us-east-1

[profile acme-staging]
role_arn = arn:aws:iam::222222222222:role/oncall
source_profile = base
region = us-east-1

[profile acme-prod]
role_arn = arn:aws:iam::111111111111:role/oncall
source_profile = base
mfa_serial = arn:aws:iam::111111111111:mfa/oncall
region = us-east-1
`
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	creds := filepath.Join(dir, "credentials")
	if err := os.WriteFile(creds, []byte("[base]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
}

func demoAccounts() model.Config {
	return configFor(
		model.Account{ID: "111111111111", Name: "acme-prod", Env: model.EnvProduction},
		model.Account{ID: "222222222222", Name: "acme-staging", Env: model.EnvStaging},
	)
}

// run sends the message cmd returns, without running what that starts:
// the test decides when the next answer arrives.
func (h *harness) run(cmd tea.Cmd) tea.Cmd {
	h.t.Helper()
	if cmd == nil {
		h.t.Fatal("no command to run")
	}
	return h.send(cmd())
}

// S3: a switch empties every pane in the Update that takes the new
// client, so no row of the old account is drawn under the new banner,
// which reads unconfirmed until STS answers for the new credentials.
func TestSwitchProfileClearsEveryPaneAtOnce(t *testing.T) {
	sharedConfig(t)
	staging := &staticSource{snap: demoSnapshotFor("acme-staging", "222222222222")}
	fc := &fakeConnect{sources: map[string]Source{"acme-staging": staging}}
	hs := newHarness(t, &staticSource{}, Options{Config: demoAccounts(), Profile: "acme-prod", Region: "us-east-1", Connect: fc.connect}, 120, 40)
	hs.deliver(demoSnapshot())
	if s := hs.screen(); !strings.Contains(s, "111111111111") || !strings.Contains(s, "PRODUCTION") || !strings.Contains(s, "green") {
		t.Fatalf("production is not on screen before the switch:\n%s", s)
	}
	hs.m.openDetail() // a detail of the old account, open when the switch lands

	hs.run(hs.send(keyPress("P")))
	picker := hs.screen()
	for _, want := range []string{"Switch profile", "acme-staging", "acme-staging 222222222222", "staging", "● acme-prod", "(MFA)"} {
		if !strings.Contains(picker, want) {
			t.Errorf("picker lacks %q:\n%s", want, picker)
		}
	}
	hs.key("s", "t", "a", "g")
	if s := hs.screen(); strings.Contains(s, "● acme-prod") {
		t.Errorf("the filter keeps acme-prod:\n%s", s)
	}
	next := hs.run(hs.send(keyPress("enter")))
	if next == nil {
		t.Fatal("a switch starts no fetch")
	}
	if got := strings.Join(fc.asked, ","); got != "acme-staging|" {
		t.Errorf("Connect asked for %q, want acme-staging with its own region", got)
	}

	between := hs.screen()
	for _, gone := range []string{"111111111111", "blue", "green", "i-0", "PRODUCTION", "acme-prod "} {
		if strings.Contains(between, gone) {
			t.Errorf("after the switch, before its snapshot, the screen still shows %q:\n%s", gone, between)
		}
	}
	for _, want := range []string{"ACCOUNT UNCONFIRMED", "acme-staging", "switched to profile acme-staging"} {
		if !strings.Contains(between, want) {
			t.Errorf("after the switch the screen lacks %q:\n%s", want, between)
		}
	}
	if hs.m.detail != nil || hs.m.have || len(hs.m.world.Clusters) != 0 {
		t.Errorf("the old account's state survived the switch: detail %v, have %v, clusters %d", hs.m.detail != nil, hs.m.have, len(hs.m.world.Clusters))
	}
	if hs.m.src != Source(staging) {
		t.Error("the source was not replaced")
	}

	hs.deliver(staging.snap)
	after := hs.screen()
	for _, want := range []string{"STAGING", "acme-staging 222222222222", "green"} {
		if !strings.Contains(after, want) {
			t.Errorf("after the staging snapshot the screen lacks %q:\n%s", want, after)
		}
	}
	if strings.Contains(after, "111111111111") || strings.Contains(after, "ACCOUNT CHANGED") {
		t.Errorf("after the staging snapshot:\n%s", after)
	}
}

// A profile with mfa_serial asks for its code inside the dashboard, and
// Connect's MFA function answers with exactly that code.
func TestSwitchAsksForTheMFACode(t *testing.T) {
	sharedConfig(t)
	prod := &staticSource{snap: demoSnapshot()}
	fc := &fakeConnect{sources: map[string]Source{"acme-prod": prod}}
	hs := newHarness(t, &staticSource{}, Options{Config: demoAccounts(), Profile: "acme-staging", Connect: fc.connect}, 120, 40)
	hs.deliver(demoSnapshotFor("acme-staging", "222222222222"))
	hs.run(hs.send(keyPress("P")))
	hs.key("p", "r", "o", "d")
	hs.press("enter")
	hs.settle(50 * time.Millisecond)
	if s := hs.screen(); !strings.Contains(s, "MFA code for profile acme-prod") || len(fc.asked) != 0 {
		t.Fatalf("no MFA prompt, or Connect asked before the code (%v):\n%s", fc.asked, hs.screen())
	}
	// Too short: said under the input, and nothing is asked of Connect.
	hs.typeText("12x345") // a letter is not taken
	hs.press("enter")
	hs.until("the validation error", func() bool { return strings.Contains(hs.screen(), "the code is the 6 digits") })
	if len(fc.asked) != 0 {
		t.Fatalf("Connect asked with a five-digit code: %v", fc.asked)
	}
	hs.typeText("67") // the sixth digit, and a seventh not taken
	hs.press("enter")
	hs.until("the switch", func() bool { return hs.m.sw.open == nil })
	if got := strings.Join(fc.codes, ","); got != "123456" {
		t.Errorf("Connect was given code %q, want 123456", got)
	}
	if s := hs.screen(); !strings.Contains(s, "ACCOUNT UNCONFIRMED") || strings.Contains(s, "222222222222") {
		t.Errorf("after switching to prod:\n%s", s)
	}
}

// A switch abandoned (esc) before Connect answered is dropped when its
// answer comes: the dashboard stays on its account and never uses the
// client made for it.
func TestSwitchLateAnswerIsDropped(t *testing.T) {
	staging := &staticSource{snap: demoSnapshotFor("acme-staging", "222222222222")}
	fc := &fakeConnect{sources: map[string]Source{"acme-prod": staging}}
	old := &staticSource{}
	hs := newHarness(t, old, Options{Config: demoAccounts(), Profile: "acme-prod", Region: "us-east-1", Connect: fc.connect}, 120, 40)
	hs.deliver(demoSnapshot())

	hs.send(keyPress("R"))
	if s := hs.screen(); !strings.Contains(s, "Switch region") || !strings.Contains(s, "● us-east-1") {
		t.Fatalf("region picker:\n%s", s)
	}
	hs.key("u", "s", "-", "w", "e", "s", "t", "-", "2")
	connect := hs.send(keyPress("enter"))
	if connect == nil {
		t.Fatal("enter on us-west-2 starts no switch")
	}
	hs.send(keyPress("esc")) // abandoned while Connect runs
	late := connect()
	if sw, ok := late.(SwitchedMsg); !ok || sw.Err != nil || sw.Region != "us-west-2" {
		t.Fatalf("Connect answered %#v", late)
	}
	if cmd := hs.send(late); cmd != nil {
		t.Error("a late answer started something")
	}
	if hs.m.src != Source(old) || !hs.m.have || hs.m.banner.region != "us-east-1" {
		t.Errorf("a late answer switched the dashboard: region %q", hs.m.banner.region)
	}
	if s := hs.screen(); !strings.Contains(s, "111111111111") || !strings.Contains(s, "PRODUCTION") {
		t.Errorf("the old account left the screen:\n%s", s)
	}
}

// A switch that fails says why and changes nothing.
func TestSwitchFailureChangesNothing(t *testing.T) {
	fc := &fakeConnect{err: errors.New("SSO session expired")}
	hs := newHarness(t, &staticSource{}, Options{Config: demoAccounts(), Profile: "acme-prod", Region: "us-east-1", Connect: fc.connect}, 120, 40)
	hs.deliver(demoSnapshot())
	hs.send(keyPress("R"))
	hs.key("e", "u", "-", "w", "e", "s", "t", "-", "1")
	hs.run(hs.send(keyPress("enter")))
	s := hs.screen()
	if !strings.Contains(s, "could not switch") || !strings.Contains(s, "SSO session expired") {
		t.Errorf("the failure is not said:\n%s", s)
	}
	if !strings.Contains(s, "111111111111") || hs.m.banner.region != "us-east-1" {
		t.Errorf("a failed switch changed the screen:\n%s", s)
	}
}

// Without a connector the keys say why nothing opens.
func TestSwitchNeedsAConnector(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 120, 40)
	hs.deliver(demoSnapshot())
	hs.send(keyPress("P"))
	if s := hs.screen(); !strings.Contains(s, "switching needs a connector") || hs.m.sw.open != nil {
		t.Errorf("P without Connect:\n%s", s)
	}
}

// A code pasted from a password manager is taken as typed.
func TestSwitchMFACodePasted(t *testing.T) {
	sharedConfig(t)
	prod := &staticSource{snap: demoSnapshot()}
	fc := &fakeConnect{sources: map[string]Source{"acme-prod": prod}}
	hs := newHarness(t, &staticSource{}, Options{Config: demoAccounts(), Profile: "acme-staging", Connect: fc.connect}, 120, 40)
	hs.deliver(demoSnapshotFor("acme-staging", "222222222222"))
	hs.run(hs.send(keyPress("P")))
	hs.key("p", "r", "o", "d")
	hs.press("enter")
	hs.until("the MFA prompt", func() bool { return hs.m.mfaOpen() })
	hs.exec(hs.send(tea.PasteMsg{Content: "654321"}))
	hs.press("enter")
	hs.until("the switch", func() bool { return hs.m.sw.open == nil })
	if got := strings.Join(fc.codes, ","); got != "654321" {
		t.Errorf("Connect was given code %q, want the pasted 654321", got)
	}
}

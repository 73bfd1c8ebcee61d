package tui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/airlock-ops/airlock/model"
)

// A log that cannot be written is on the banner from the start, and every
// action is refused in the menu, before any phrase is typed.
func TestUnwritableAuditLogRefusesBeforeThePhrase(t *testing.T) {
	actor := &fakeActor{facts: factsOf(demoSnapshot()), auditErr: errors.New("open /var/lib/airlock/audit.log: read-only file system")}
	hs := openFlow(t, actor, "green")

	if !strings.Contains(hs.m.banner.view(100), "AUDIT LOG NOT WRITABLE") {
		t.Errorf("banner does not say the audit log is not writable:\n%s", hs.m.banner.view(100))
	}
	for _, it := range hs.m.flow.items {
		if it.Available || !slices.ContainsFunc(it.Refusals, func(r model.Refusal) bool { return r.Rule == model.RuleAuditLog }) {
			t.Errorf("menu item %q: available=%v refusals=%v, want refused by the audit log", it.Label, it.Available, it.Refusals)
		}
	}
	prepareFirst(t, hs, "Terminate cluster green")
	if hs.m.flow.form != nil {
		t.Error("a phrase is asked for although the audit log cannot be written")
	}
	if !strings.Contains(hs.screen(), "cannot be written: open /var/lib/airlock/audit.log") {
		t.Errorf("the confirmation screen does not say why:\n%s", hs.screen())
	}
}

// Until the check has answered, nothing may run: unknown is not "fine".
func TestUncheckedAuditLogRefuses(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 100, 30) // no actor: no check
	hs.m.actor = &fakeActor{facts: factsOf(demoSnapshot())}
	hs.deliver(demoSnapshot())
	if got := hs.m.policy().AuditLog; got == "" {
		t.Fatal("policy allows actions before the audit log was checked")
	}
}

// A log that comes back is noticed by the periodic re-check, and the
// feed says so; actions are allowed again.
func TestAuditLogRecovers(t *testing.T) {
	actor := &fakeActor{facts: factsOf(demoSnapshot()), auditErr: errors.New("disk full")}
	hs := newHarness(t, &staticSource{}, Options{Actor: actor}, 100, 30)
	hs.deliver(demoSnapshot())
	if hs.m.policy().AuditLog == "" {
		t.Fatal("a failing check left actions allowed")
	}
	actor.auditErr = nil
	hs.clock.Advance(auditRecheck)
	hs.exec(hs.send(ClockMsg{}))
	hs.until("the re-check", func() bool { return hs.m.policy().AuditLog == "" })
	hs.settle(20 * time.Millisecond)
	if strings.Contains(hs.m.banner.view(100), "AUDIT") {
		t.Errorf("banner still flags the audit log:\n%s", hs.m.banner.view(100))
	}
	if !strings.Contains(hs.screen(), "audit log writable again") {
		t.Errorf("the feed does not say the log is back:\n%s", hs.screen())
	}
}

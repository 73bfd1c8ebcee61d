package tui

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// The audit log as the session knows it. Nothing runs unrecorded, so an
// action is refused (model.RuleAuditLog) until the log has been checked,
// and whenever it is known not to take records: the operator hears it on
// the banner and in the menu, before typing a phrase, not after.
//
// The check opens the log as an action would (awsstate's CheckAuditLog),
// never on the UI goroutine and bounded in time: in Run before the
// terminal is taken, after an action failed to write its record, and
// every auditRecheck while the log is failing, so a log that comes back
// is noticed.

// auditRecheck is how often a failing audit log is looked at again.
const auditRecheck = 30 * time.Second

// auditState is what the session knows of its audit log.
type auditState struct {
	checked  bool      // a check has answered
	problem  string    // why the log cannot be written; "" when it can
	checking bool      // a check is in flight
	at       time.Time // when the last check started
}

// refusal is what model.Policy.AuditLog needs: "" only when a check said
// the log can be written and nothing has failed since.
func (a auditState) refusal() string {
	if !a.checked {
		return "it has not been checked yet"
	}
	return a.problem
}

// AuditCheckedMsg is the answer of an audit log check.
type AuditCheckedMsg struct {
	Path string
	Note string // what the check changed (a mode tightened), for the feed
	Err  error  // the log cannot be written
}

// AuditCheckCmd checks that actor's audit log can be written.
func AuditCheckCmd(ctx context.Context, actor Actor, g *gate) tea.Cmd {
	return func() tea.Msg {
		if !g.enter() {
			return nil
		}
		defer g.leave()
		path, note, err := actor.CheckAuditLog(ctx)
		return AuditCheckedMsg{Path: path, Note: note, Err: err}
	}
}

// checkAudit starts a check unless one is in flight, or the check made
// before the program started has answered and found the log writable.
func (m *Model) checkAudit() tea.Cmd {
	if m.actor == nil || m.audit.checking || m.audit.checked && m.audit.problem == "" {
		return nil
	}
	m.audit.checking, m.audit.at = true, m.now
	return AuditCheckCmd(m.base, m.actor, m.gate)
}

// auditChecked takes in a check's answer.
func (m *Model) auditChecked(msg AuditCheckedMsg) {
	was := m.audit
	m.audit.checking, m.audit.checked = false, true
	m.audit.problem = ""
	if msg.Err != nil {
		m.audit.problem = model.Sanitize(strings.Join(strings.Fields(msg.Err.Error()), " "))
	}
	if msg.Note != "" {
		m.events.add([]entry{{at: m.now, tone: toneWarn, text: model.Sanitize(msg.Note)}})
	}
	switch {
	case m.audit.problem != "" && was.problem != m.audit.problem:
		m.events.add([]entry{{at: m.now, tone: toneBad, text: "audit log not writable, actions refused: " + m.audit.problem}})
	case m.audit.problem == "" && was.problem != "":
		m.events.add([]entry{{at: m.now, tone: toneGood, text: "audit log writable again: " + model.Sanitize(msg.Path)}})
	}
	m.banner.audit = m.audit.problem
}

// auditFailed records that an action could not write its record.
func (m *Model) auditFailed(err error) {
	var ae *awsstate.Error
	if errors.As(err, &ae) && ae.Kind == awsstate.KindAudit {
		m.audit.checked, m.audit.problem = true, ae.Error()
		m.banner.audit = m.audit.problem
	}
}

// auditTick re-checks a failing log every auditRecheck.
func (m *Model) auditTick() tea.Cmd {
	if m.audit.problem == "" || m.now.Sub(m.audit.at) < auditRecheck {
		return nil
	}
	return m.checkAudit()
}

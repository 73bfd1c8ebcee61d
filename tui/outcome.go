package tui

import (
	"errors"
	"strings"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// doneLines is the outcome: what ran, with AWS's request IDs, or why
// nothing did.
func (f *actionFlow) doneLines(l *lines) {
	k := &l.st.ink
	out := f.outcome
	summary := out.Verdict.Summary
	if summary == "" {
		summary = f.picked.Label
	}
	l.title(f.picked.Label, "")
	switch {
	case f.err == nil:
		l.add(&k.Ok, " ✓ "+summary+": done")
	case errors.Is(f.err, awsstate.ErrRefused):
		l.add(&k.Danger, " ✗ nothing was done: the last check before the calls refused")
		for _, r := range out.Verdict.Refusals {
			l.wrapped(&k.Danger, "   ", "   ", r.String())
		}
		for _, c := range out.Verdict.Changes {
			l.wrapped(&k.Changed, " ! ", "   ", c.String())
		}
	default:
		l.wrapped(&k.Danger, " ✗ ", "   ", model.Sanitize(f.err.Error()))
	}
	if len(out.Calls) > 0 {
		l.blank()
		for _, c := range out.Calls {
			line := c.Action + " " + strings.Join(c.Targets, " ")
			if c.RequestID != "" {
				line += " (request " + c.RequestID + ")"
			}
			if c.Err != "" {
				l.wrapped(&k.Danger, " ✗ ", "   ", line+": "+c.Err)
			} else {
				l.wrapped(&k.Ok, " ✓ ", "   ", line)
			}
		}
	}
	// Name only records that are durably written.
	switch {
	case out.AuditID != "" && out.AuditComplete:
		l.add(&k.Faint, " audit log: intent and outcome recorded, id "+out.AuditID)
	case out.AuditID != "":
		l.wrapped(&k.Danger, " ! ", "   ", "audit log: the intent is recorded (id "+out.AuditID+") but the outcome could not be written")
	}
	l.blank()
	l.add(&k.Faint, " the panes refresh now; enter or esc goes back")
}

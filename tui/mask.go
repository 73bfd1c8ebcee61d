package tui

import "github.com/airlock-ops/airlock/model"

// --redact masks, on every screen, what identifies the account to a
// stranger watching a shared screen or reading a screenshot: account IDs,
// public IPs, ARNs and the people acting (model.Redact). The masking
// happens where text is drawn, at the few places every screen's text
// passes through, and before it is cut to fit (a cut address would no
// longer be recognised as one):
//
//	table.render      every pane's cells, titles and "unknown: …" lines
//	lines             the airlock's screens (menu, confirmation, outcome), an event opened
//	detailView        the description of a row
//	banner.masked     the banner and the terminal title
//	footer notices    "copied 203.0.•.•"
//
// The help is fixed text that holds no account's data (its example
// address, 10.0.3.45, is private).
//
// Nothing else sees a masked value: the world, the identity, the policy,
// the clipboard (c copies the real value: the operator asked for it) and
// the audit log keep the real ones. What the operator types (a filter, a
// search, the phrase) is echoed as typed.

// mask is s as this screen may show it.
func (st *styles) mask(s string) string {
	if !st.redact {
		return s
	}
	return model.Redact(s)
}

// maskARN is a caller's ARN as this screen may show it: its account and
// the person in it masked (model.MaskARN), so that principal() of it
// names the role but not who assumed it.
func (st *styles) maskARN(arn string) string {
	if !st.redact {
		return arn
	}
	return model.MaskARN(arn)
}

// maskCells masks the text of cells in place. Cells are built for one
// frame (or one layout), so nothing else holds them.
func (st *styles) maskCells(cells []cell) {
	if !st.redact {
		return
	}
	for i := range cells {
		cells[i].text = model.Redact(cells[i].text)
	}
}

// masked is a copy of the banner with what it shows masked, for drawing
// with --redact.
func (b *banner) masked() *banner {
	c := *b
	c.redacted = true
	c.identity.AccountID = model.MaskAccountID(b.identity.AccountID)
	c.identity.ARN = model.MaskARN(b.identity.ARN)
	c.identity.AliasError = model.Redact(b.identity.AliasError)
	if b.idErr != nil {
		c.idErr = maskedError{b.idErr}
	}
	if b.name == b.identity.AccountID {
		c.name = c.identity.AccountID
	}
	c.warnings = make([]string, len(b.warnings))
	for i, w := range b.warnings {
		c.warnings[i] = model.Redact(w)
	}
	c.fresh.Reason = model.Redact(b.fresh.Reason)
	c.audit = model.Redact(b.audit)
	c.expired = model.Redact(b.expired)
	return &c
}

// maskedError is an error as a redacted screen shows it.
type maskedError struct{ err error }

func (e maskedError) Error() string { return model.Redact(e.err.Error()) }

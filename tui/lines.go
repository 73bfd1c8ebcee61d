package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/airlock-ops/airlock/model"
)

// lines collects a screen as styled lines, each at most w cells wide:
// a title that always shows, and a body that scrolls when it must.
type lines struct {
	w    int
	st   *styles
	head []string
	out  []string
}

// add appends one line of plain text (sanitised again as a last
// defence; see pad), styled with k.
func (l *lines) add(k *ink, s string) {
	s = l.st.mask(model.Sanitize(s))
	if ansi.StringWidth(s) > l.w {
		s = ansi.Truncate(s, l.w, "…")
	}
	if k == nil {
		l.out = append(l.out, s)
		return
	}
	l.out = append(l.out, k.render(s))
}

// addStyled appends a line that is already styled (a huh form's view),
// cut to the width; it is not sanitised, as that would strip its styles,
// so it must hold nothing from AWS.
func (l *lines) addStyled(s string) {
	// Masking leaves escape sequences alone: they hold no dotted quads
	// and no runs of twelve digits.
	s = l.st.mask(s)
	if ansi.StringWidth(s) > l.w {
		s = ansi.Truncate(s, l.w, "…")
	}
	l.out = append(l.out, s)
}

// wrapped adds text wrapped at the width, continuation lines indented.
func (l *lines) wrapped(k *ink, first, rest, text string) {
	limit := max(l.w-ansi.StringWidth(first), 10)
	// Masked before wrapping: a long ARN cut across two lines would not
	// be recognised on either.
	for i, line := range wrapWords(l.st.mask(text), limit) {
		lead := rest
		if i == 0 {
			lead = first
		}
		l.add(k, lead+line)
	}
}

// wrapWords wraps plain text at spaces only. ansi.Wrap also breaks at
// hyphens, which cuts "i-0abc" after "i-": an ID must stay whole to be
// read (and compared) at a glance. A word longer than a line is cut.
func wrapWords(text string, limit int) []string {
	var out []string
	line, lw := "", 0
	for _, word := range strings.Fields(text) {
		ww := ansi.StringWidth(word)
		switch {
		case lw == 0:
		case lw+1+ww <= limit:
			line, lw = line+" "+word, lw+1+ww
			continue
		default:
			out = append(out, line)
		}
		for ww > limit {
			out = append(out, ansi.Truncate(word, limit, ""))
			word = ansi.TruncateLeft(word, limit, "")
			ww = ansi.StringWidth(word)
		}
		line, lw = word, ww
	}
	if lw > 0 || len(out) == 0 {
		out = append(out, line)
	}
	return out
}

func (l *lines) blank() { l.out = append(l.out, "") }

// block pads the lines to exactly h lines of w cells: the title, then
// the body scrolled so that its line `keep` is visible.
func (l *lines) block(h, keep int) string {
	all := l.head
	if len(all) > h {
		all = all[:h]
	}
	body := h - len(all)
	start := 0
	if keep >= body {
		start = keep - body + 1
	}
	var b strings.Builder
	for i := range h {
		if i > 0 {
			b.WriteByte('\n')
		}
		s := ""
		switch j := i - len(all); {
		case j < 0:
			s = all[i]
		case start+j < len(l.out):
			s = l.out[start+j]
		}
		b.WriteString(padStyled(s, l.w))
	}
	return b.String()
}

// title draws the flow's title rule.
func (l *lines) title(text, right string) {
	var b strings.Builder
	renderTitle(&b, &l.st.ink, l.st.mask(text), right, true, l.w)
	l.head = append(l.head, b.String())
}

package tui

import (
	"cmp"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/airlock-ops/airlock/model"

	tea "charm.land/bubbletea/v2"
)

// View draws the screen from state Update prepared. It does no I/O,
// reads no clock, and draws only the rows that fit.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	if m.opts.Mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = m.banner.title()
	v.SetContent(m.render())
	return v
}

func (m *Model) render() string {
	l := m.lay
	if l.w <= 0 || l.h <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(l.w * l.h * 4)
	if l.h < l.banner {
		line, _, _ := strings.Cut(m.banner.view(l.w), "\n")
		return line
	}
	b.WriteString(m.banner.view(l.w))
	if l.tooSmall {
		m.renderTooSmall(&b)
		return b.String()
	}
	b.WriteByte('\n')
	b.WriteString(m.pageBar(l.w))
	b.WriteByte('\n')
	switch {
	case m.flow != nil:
		b.WriteString(m.flow.view(&m.st, l.w, l.footerY-l.top, m.now))
	case m.showHelp:
		b.WriteString(m.helpView(l.w, l.footerY-l.top))
	case m.sw.open != nil:
		b.WriteString(m.switcherView(l.w, l.footerY-l.top))
	case m.find != nil:
		b.WriteString(m.find.view(l.w, l.footerY-l.top, m.findCells))
	case m.detail != nil:
		b.WriteString(m.detail.view(&m.st, l.w, l.footerY-l.top))
	case m.events.open != nil:
		b.WriteString(m.events.detailView(l.w, l.footerY-l.top))
	case m.current() != nil:
		b.WriteString(m.current().view(l.w, l.footerY-l.top, m.now))
	default:
		now := m.now
		cl := m.clusters.view(l.clusters.w, l.clusters.h, m.focus == paneClusters, now)
		ad := m.addresses.view(l.addresses.w, l.addresses.h, m.focus == paneAddresses, now, m.clusters.selectedName())
		if l.wide {
			joinColumns(&b, cl, ad, m.st.ink.Rule.render("│"))
		} else {
			b.WriteString(cl)
			b.WriteByte('\n')
			b.WriteString(ad)
		}
		b.WriteByte('\n')
		b.WriteString(m.instances.view(l.instances.w, l.instances.h, m.focus == paneInstances, now))
		b.WriteByte('\n')
		b.WriteString(m.events.view(l.events.w, l.events.h, m.focus == paneEvents, now))
	}
	b.WriteByte('\n')
	filterLine := ""
	if m.filtering {
		filterLine = m.filterPrompt(max(l.w-footerHintRoom, 10))
	}
	notice := ""
	if m.notice != "" && m.now.Sub(m.noticeAt) < noticeFor && m.noticeOn == m.screen() {
		notice = m.st.mask(m.notice)
	}
	b.WriteString(m.footer.view(l.w, m.footerKeys(), filterLine, notice))
	return b.String()
}

// renderTooSmall says how big the terminal must be, wrapped to the
// terminal it is drawn in, however small: the message is for exactly the
// terminal that cannot show the panes. The size needed comes first, as
// the line that matters when only one fits.
func (m *Model) renderTooSmall(b *strings.Builder) {
	l := m.lay
	text := "needs " + itoa(minWidth) + "x" + itoa(minHeightFor(l.banner)) + ", this is " + itoa(l.w) + "x" + itoa(l.h) + ": make the terminal bigger"
	msg := wrapWords(text, l.w)
	for i := l.banner; i < l.h; i++ {
		b.WriteByte('\n')
		line := ""
		if j := i - l.banner; j < len(msg) {
			line = msg[j]
		}
		b.WriteString(pad(line, l.w, false))
	}
}

// filterPrompt is the filter being typed, in at most w cells: "filter:",
// the text (sanitised: a paste can carry anything) and a block cursor,
// and nothing else, so what shows is exactly what filters. A text too
// long for the line shows its end, where the cursor usually is.
func (m *Model) filterPrompt(w int) string {
	ik := &m.st.ink
	const label = "filter: "
	v := []rune(m.filterIn.Value())
	pos := min(max(m.filterIn.Position(), 0), len(v))
	before := model.Sanitize(string(v[:pos]))
	at, after := " ", ""
	if pos < len(v) {
		at = cmp.Or(model.Sanitize(string(v[pos])), " ")
		after = model.Sanitize(string(v[pos+1:]))
	}
	room := w - width(label) - width(at)
	if width(before)+width(after) > room {
		after = ansi.Truncate(after, max(room-width(before), 0), "…")
		if excess := width(before) + width(after) - room; excess > 0 {
			before = "…" + ansi.TruncateLeft(before, excess+1, "")
		}
	}
	return ik.Filter.render(label+before) + ik.FilterCursor.render(at) + ik.Filter.render(after)
}

// joinColumns writes two blocks of equal height side by side.
func joinColumns(b *strings.Builder, left, right, sep string) {
	for {
		l, lrest, lok := strings.Cut(left, "\n")
		r, rrest, _ := strings.Cut(right, "\n")
		b.WriteString(l)
		b.WriteString(sep)
		b.WriteString(r)
		if !lok {
			return
		}
		b.WriteByte('\n')
		left, right = lrest, rrest
	}
}

// footerKeys are the keys that work in the current mode and pane.
func (m *Model) footerKeys() bindings {
	switch {
	case m.flow != nil:
		return flowKeys(&m.keys, m.flow)
	case m.showHelp:
		return helpKeys(&m.keys)
	case m.sw.open != nil:
		return switcherKeys(&m.keys, m.sw.open)
	case m.find != nil:
		return findKeys(&m.keys)
	case m.detail != nil:
		return detailKeys(&m.keys, m.actor != nil)
	}
	if p := m.current(); p != nil && m.events.open == nil {
		return m.pageFooter(p)
	}
	if m.events.open != nil && !m.showHelp {
		return bindings{short: []key.Binding{withHelp(m.keys.Back, "esc", "close"), m.keys.Help, m.keys.Quit}}
	}
	return shortKeys(&m.keys, m.focus, m.filtering, m.showHelp, m.actor != nil, m.refresh.paused)
}

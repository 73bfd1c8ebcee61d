package tui

import (
	"strings"

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
	if l.h < bannerHeight {
		line, _, _ := strings.Cut(m.banner.view(l.w), "\n")
		return line
	}
	b.WriteString(m.banner.view(l.w))
	if l.tooSmall {
		m.renderTooSmall(&b)
		return b.String()
	}
	b.WriteByte('\n')
	switch {
	case m.flow != nil:
		b.WriteString(m.flow.view(&m.st, l.w, l.footerY-bannerHeight, m.now))
	case m.showHelp:
		b.WriteString(m.helpView(l.w, l.footerY-bannerHeight))
	case m.find != nil:
		b.WriteString(m.find.view(l.w, l.footerY-bannerHeight, m.findCells))
	case m.detail != nil:
		b.WriteString(m.detail.view(&m.st, l.w, l.footerY-bannerHeight))
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
		filterLine = m.st.ink.Filter.render("filter ") + m.filterIn.View()
	}
	notice := ""
	if m.notice != "" && m.now.Sub(m.noticeAt) < noticeFor {
		notice = m.notice
	}
	b.WriteString(m.footer.view(l.w, m.footerKeys(), filterLine, notice))
	return b.String()
}

func (m *Model) renderTooSmall(b *strings.Builder) {
	l := m.lay
	msg := []string{
		"terminal too small",
		"airlock needs " + itoa(minWidth) + "x" + itoa(minHeight) + ", this is " + itoa(l.w) + "x" + itoa(l.h),
	}
	for i := bannerHeight; i < l.h; i++ {
		b.WriteByte('\n')
		line := ""
		if j := i - bannerHeight; j < len(msg) {
			line = msg[j]
		}
		b.WriteString(pad(line, l.w, false))
	}
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
	case m.find != nil:
		return findKeys(&m.keys)
	case m.detail != nil:
		return detailKeys(&m.keys, m.actor != nil)
	}
	return shortKeys(&m.keys, m.focus, m.filtering, m.showHelp, m.actor != nil)
}

package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// Keys and the mouse: what each press means depends on the mode (the
// airlock, the filter prompt, help) and then on the focused pane.

// key routes a key press: quitting first, then the filter prompt or the
// help screen when open, then the global keys, then the focused pane.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.keys
	if msg.String() == "ctrl+z" {
		// Raw mode turns Ctrl-Z into a key; suspend as any terminal
		// program does, and redraw on fg. An action in flight goes on.
		return tea.Suspend
	}
	if msg.String() == "ctrl+c" || (!m.filtering && m.find == nil && m.flow == nil && key.Matches(msg, k.Quit)) {
		m.refresh.abandon()
		return tea.Quit
	}
	if m.flow != nil {
		if msg.String() == "ctrl+c" {
			m.closeFlow()
			m.refresh.abandon()
			return tea.Quit
		}
		return m.flowKey(msg)
	}
	if m.filtering {
		return m.filterKey(msg)
	}
	if m.find != nil {
		return m.findKey(msg)
	}
	if m.sw.open != nil {
		return m.switcherKey(msg)
	}
	if m.showHelp {
		m.helpKey(msg)
		return nil
	}
	// Switching works from any screen: the details and pages close with
	// the old account.
	switch {
	case key.Matches(msg, k.Profile):
		return m.openSwitcher(switchProfile)
	case key.Matches(msg, k.Region):
		return m.openSwitcher(switchRegion)
	}
	if m.detail != nil {
		if cmd, done := m.detailKey(msg); done {
			return cmd
		}
	}
	if m.events.open != nil {
		switch {
		case key.Matches(msg, k.Back), msg.String() == "enter":
			m.events.open = nil
		case key.Matches(msg, k.Help):
			m.openHelp()
		}
		return nil
	}
	if cmd, used := m.pageKey(msg); used {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Help):
		m.openHelp()
	case key.Matches(msg, k.Refresh):
		if m.refresh.inFlight {
			m.say("a refresh is already running")
			return nil
		}
		return m.refreshAll()
	case key.Matches(msg, k.Pause):
		return m.togglePause()
	case key.Matches(msg, k.Next):
		m.focus = (m.focus + 1) % paneCount
	case key.Matches(msg, k.Prev):
		m.focus = (m.focus + paneCount - 1) % paneCount
	case key.Matches(msg, k.Filter):
		m.filtering = true
		m.filterIn.SetValue(m.paneFilter())
		m.filterIn.CursorEnd()
		return m.filterIn.Focus()
	case key.Matches(msg, k.Back):
		switch {
		case m.paneFilter() != "":
			m.setPaneFilter("")
		case m.focus != paneClusters:
			m.focus = paneClusters
		}
	case key.Matches(msg, k.Find):
		return m.openFind(msg.String() == ":")
	case key.Matches(msg, k.Detail):
		return m.openDetail()
	case key.Matches(msg, k.Drill) && (m.focus == paneInstances || m.focus == paneAddresses):
		return m.openDetail()
	case key.Matches(msg, k.Copy):
		return m.copySelected()
	case key.Matches(msg, k.Sort):
		m.sortFocused()
	case key.Matches(msg, k.Action):
		if m.actor == nil {
			m.say("actions are off: this dashboard has no AWS client to act with")
			return nil
		}
		sel, target, ok := m.selection()
		if !ok {
			m.say("select a cluster, an instance or an Elastic IP first")
			return nil
		}
		return ActionMenuCmd(sel, target)
	default:
		return m.paneKey(msg)
	}
	return nil
}

func (m *Model) togglePause() tea.Cmd {
	if m.refresh.paused {
		m.refresh.paused = false
		m.assess()
		// Resume with a refresh of everything now: the data may be
		// minutes old.
		return m.refreshAll()
	}
	m.refresh.pause()
	m.assess()
	return nil
}

func (m *Model) paneKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.keys
	switch m.focus {
	case paneClusters:
		before := m.clusters.selectedName()
		cmd := m.clusters.update(msg, k)
		if m.clusters.selectedName() != before {
			m.syncInstances()
		}
		return cmd
	case paneAddresses:
		return m.addresses.update(msg, k)
	case paneInstances:
		return m.instances.update(msg, k)
	case paneEvents:
		return m.events.update(msg, k)
	}
	return nil
}

func (m *Model) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case msg.String() == "esc":
		m.filtering = false
		m.filterIn.Blur()
		m.setPaneFilter("")
		return nil
	case msg.String() == "enter":
		m.filtering = false
		m.filterIn.Blur()
		return nil
	}
	return m.filterInput(msg)
}

func (m *Model) filterInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.filterIn, cmd = m.filterIn.Update(msg)
	m.setPaneFilter(model.Sanitize(m.filterIn.Value()))
	return cmd
}

func (m *Model) paneFilter() string {
	switch m.focus {
	case paneClusters:
		return m.clusters.filter
	case paneAddresses:
		return m.addresses.filter
	case paneInstances:
		return m.instances.filter
	case paneEvents:
		return m.events.filter
	}
	return ""
}

func (m *Model) setPaneFilter(f string) {
	switch m.focus {
	case paneClusters:
		m.clusters.setFilter(f)
		m.syncInstances()
	case paneAddresses:
		m.addresses.setFilter(f)
	case paneInstances:
		m.instances.setFilter(f)
	case paneEvents:
		m.events.setFilter(f)
	}
}

// formOpen reports whether the phrase form has the keyboard.
func (m *Model) formOpen() bool {
	return m.flow != nil && m.flow.stage == stageConfirm && m.flow.form != nil
}

// paneAt is the pane under a screen cell, with its table.
func (m *Model) paneAt(x, y int) (paneID, *table, rect, bool) {
	if m.lay.tooSmall || m.showHelp || m.flow != nil || m.detail != nil || m.find != nil {
		return 0, nil, rect{}, false
	}
	for _, p := range []struct {
		id paneID
		t  *table
		r  rect
	}{
		{paneClusters, &m.clusters.table, m.lay.clusters},
		{paneAddresses, &m.addresses.table, m.lay.addresses},
		{paneInstances, &m.instances.table, m.lay.instances},
		{paneEvents, &m.events.table, m.lay.events},
	} {
		if p.r.contains(x, y) {
			return p.id, p.t, p.r, true
		}
	}
	return 0, nil, rect{}, false
}

// wheel scrolls the pane under the pointer, focused or not; in the
// confirmation, the facts; the help or the details when they are open.
func (m *Model) wheel(msg tea.MouseWheelMsg) {
	ms := msg.Mouse()
	if f := m.flow; f != nil {
		if f.stage == stageConfirm || f.stage == stageExecuting {
			d := 1
			if ms.Button == tea.MouseWheelUp {
				d = -1
			}
			f.scrollFacts(d, &m.st, m.lay.w, m.flowHeight(), m.now)
		}
		return
	}
	if m.showHelp || (m.detail != nil && m.find == nil) {
		d := 3
		if ms.Button == tea.MouseWheelUp {
			d = -3
		}
		if m.showHelp {
			m.helpOff = max(min(m.helpOff+d, len(m.help)-m.helpHeight()), 0)
		} else {
			m.detail.scroll(d, m.detailHeight())
		}
		return
	}
	if m.current() != nil {
		// The Fleet panes are not on screen: their rectangles must not
		// take the wheel. The page's rows move with the keys.
		return
	}
	id, t, _, ok := m.paneAt(ms.X, ms.Y)
	if !ok {
		return
	}
	switch ms.Button {
	case tea.MouseWheelUp:
		t.cur.move(-1, t.rows)
	case tea.MouseWheelDown:
		t.cur.move(1, t.rows)
	}
	if id == paneClusters {
		m.syncInstances()
	}
}

// click focuses the pane under the pointer and selects the row clicked.
func (m *Model) click(msg tea.MouseClickMsg) {
	ms := msg.Mouse()
	if ms.Button != tea.MouseLeft || m.filtering || m.current() != nil { // a page: the panes are not there
		return
	}
	id, t, r, ok := m.paneAt(ms.X, ms.Y)
	if !ok {
		return
	}
	m.focus = id
	top := r.y + 2 // title and header
	if id == paneEvents {
		top = r.y + 1
	}
	if ms.Y >= top {
		first, _ := t.cur.window(t.rows)
		if row := first + ms.Y - top; row < t.len() {
			t.cur.to(row, t.rows)
		}
	}
	if id == paneClusters {
		m.syncInstances()
	}
}

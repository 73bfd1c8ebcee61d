package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// Pages. The body under the banner shows one page at a time, chosen with
// the number keys on the page bar: 1 Fleet (the panes: clusters, Elastic
// IPs, instances, events), then every page registered in pageRegistry.
// A page is made once by its maker, gets each new world, draws itself in
// the rectangle it is given and handles the keys the root model does
// not; so adding a page is one entry in pageRegistry and a file for the
// page (after leg100/pug's pane makers), not edits across the root
// model. The banner stays on every page, and the page bar says on every
// page what needs attention on the others (a SHORT group, a low subnet).

// page is one registered page.
type page interface {
	// setWorld takes in a new world, at now by the model's clock; it
	// runs once per snapshot, in Update, so it may do work proportional
	// to what the page lists.
	setWorld(w *model.World, now time.Time)
	// view draws the page in exactly h lines of exactly w cells.
	view(w, h int, now time.Time) string
	// setRows tells the page how many lines it has, so its cursor can
	// keep to what is visible.
	setRows(h int)
	// update handles a key press the root model passed on.
	update(msg tea.KeyPressMsg, k *keyMap) tea.Cmd
	// keys are the page's own keys, for the footer.
	keys(k *keyMap) []key.Binding
	// alarm is what the page bar says about the page while another is
	// shown ("1 SHORT"), "" when nothing needs attention.
	alarm() string
}

// actionPage is a page whose rows the airlock acts on (`x`): the Auto
// Scaling groups of Capacity, the ECS services of Services.
type actionPage interface {
	// selection is the row under the cursor as model.Menu wants it, and
	// how the menu names it; why says, when it is not "", why there is
	// nothing to act on there.
	selection() (sel model.Selection, target, why string)
}

// pageSpec registers a page: the key that shows it, its name on the page
// bar, and its maker.
type pageSpec struct {
	key  string
	name string
	make func(st *styles, o Options) page
}

// pageRegistry lists the pages after Fleet, in page bar order.
var pageRegistry = []pageSpec{
	{key: "2", name: "Capacity", make: newCapacityPage},
	{key: "3", name: "Network", make: newNetworkPage},
	{key: "4", name: "Services", make: newServicesPage},
}

// fleetPage is the page of the panes, built into the root model.
const (
	fleetPage = 0
	fleetKey  = "1"
	fleetName = "Fleet"
)

// pageBarHeight is the page bar's height, under the banner on every
// screen; layout.top is where the body starts.
const pageBarHeight = 1

// makePages builds every registered page.
func makePages(st *styles, o Options) []page {
	out := make([]page, len(pageRegistry))
	for i, spec := range pageRegistry {
		out[i] = spec.make(st, o)
	}
	return out
}

// pageKeyIndex is the page a key shows (fleetPage for "1"), or -1.
func pageKeyIndex(k string) int {
	if k == fleetKey {
		return fleetPage
	}
	for i, spec := range pageRegistry {
		if spec.key == k {
			return i + 1
		}
	}
	return -1
}

// current is the registered page shown, or nil on Fleet.
func (m *Model) current() page {
	if m.page == fleetPage || m.page > len(m.pages) {
		return nil
	}
	return m.pages[m.page-1]
}

// showPage switches the body to page i.
func (m *Model) showPage(i int) {
	m.page = i
	m.sizePages()
}

// setPagesWorld hands every page the world just taken in.
func (m *Model) setPagesWorld() {
	for _, p := range m.pages {
		p.setWorld(&m.world, m.now)
	}
}

// sizePages tells the pages how many lines the body has.
func (m *Model) sizePages() {
	if m.lay.tooSmall || m.lay.h <= 0 {
		return
	}
	for _, p := range m.pages {
		p.setRows(m.lay.footerY - m.lay.top)
	}
}

// pageKey handles the page keys and, on a registered page, every key
// the page owns. It reports whether it used the key; keys that work on
// every page (help, refresh, pause, quit) are left to the root model.
func (m *Model) pageKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if i := pageKeyIndex(msg.String()); i >= 0 {
		m.showPage(i)
		return nil, true
	}
	p := m.current()
	if p == nil {
		return nil, false
	}
	k := &m.keys
	switch {
	case key.Matches(msg, k.Help), key.Matches(msg, k.Refresh), key.Matches(msg, k.Pause), msg.String() == ":":
		// ":" is the command line, on every page.
		return nil, false
	case key.Matches(msg, k.Back):
		m.showPage(fleetPage)
		return nil, true
	case key.Matches(msg, k.Action):
		return m.pageAction(p), true
	}
	return p.update(msg, k), true
}

// pageAction opens the action menu on the page's row under the cursor,
// through the same airlock as the Fleet's rows.
func (m *Model) pageAction(p page) tea.Cmd {
	ap, ok := p.(actionPage)
	if !ok {
		m.say("nothing to act on here: the actions are on Fleet, Capacity and Services")
		return nil
	}
	if m.actor == nil {
		m.say("actions are off: this dashboard has no AWS client to act with")
		return nil
	}
	sel, target, why := ap.selection()
	if why != "" {
		m.say(why)
		return nil
	}
	return ActionMenuCmd(sel, target)
}

// pageFooter is the footer of a registered page: its keys, then the
// keys of every page.
func (m *Model) pageFooter(p page) bindings {
	k := &m.keys
	short := append(p.keys(k), withHelp(k.Back, "esc", "fleet"))
	pause := k.Pause
	if m.refresh.paused {
		pause = withHelp(k.Pause, "p", "resume")
	}
	return bindings{short: append(short, k.Refresh, pause, k.Help, k.Quit)}
}

// pageBar draws the page bar in exactly w cells: every page's key and
// name, the one shown marked, and what needs attention on the others.
func (m *Model) pageBar(w int) string {
	ik := &m.st.ink
	var b strings.Builder
	used := 0
	write := func(s string, in *ink) {
		if used >= w {
			return
		}
		s = pad(s, min(width(s), w-used), false)
		used += width(s)
		if in == nil {
			b.WriteString(s)
			return
		}
		in.paint(&b, s)
	}
	entry := func(i int, k, name, alarm string) {
		label := " " + k + " " + name + " "
		if i == m.page {
			write("▶"+label[1:], &ik.TitleFocused)
		} else {
			write(label, &ik.Faint)
		}
		if alarm != "" {
			write("▲ "+alarm+" ", &ik.Danger)
		}
		write(" ", nil)
	}
	entry(fleetPage, fleetKey, fleetName, "")
	for i, spec := range pageRegistry {
		entry(i+1, spec.key, spec.name, m.pages[i].alarm())
	}
	if used < w {
		b.WriteString(strings.Repeat(" ", w-used))
	}
	return b.String()
}

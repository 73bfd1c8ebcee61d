package tui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// Find (`f` or `:`): an instance by IP, ID or name in any cluster, the
// question of an alert that names an address ("10.0.3.45 is down").
// Typing ":find 10.0.3.45" works as written. The search runs as a
// command off the Update loop over the world on screen (worlds are never
// changed once derived), because it reads every instance and an account
// can hold 50,000; each answer carries the generation of its query, and
// an answer to a query since retyped is dropped. enter jumps to the
// match: its cluster selected, its row under the cursor, the instances
// pane focused.

// findLimit caps the matches listed; the count says how many there are.
const findLimit = 200

// findHit is one instance that matches.
type findHit struct {
	id    string
	exact bool // the whole ID, an IP or the whole name, not a part
}

// findView is the open search.
type findView struct {
	table
	in      textinput.Model
	gen     uint64
	query   string // the query the hits answer
	hits    []findHit
	total   int  // matches before the cap
	pending bool // a search is running for query

	colon bool    // opened with ":": a command line (command.go)
	cmd   command // the command typed, if the line is one
}

func newFindView(st *styles) *findView {
	f := &findView{in: textinput.New()}
	f.st = st
	f.in.Prompt = "find "
	f.in.Placeholder = "IP, instance ID or name"
	f.in.CharLimit = 128
	th := &st.theme
	state := textinput.StyleState{Prompt: th.Filter, Text: th.Filter, Placeholder: th.Faint, Suggestion: th.Faint}
	f.in.SetStyles(textinput.Styles{Focused: state, Blurred: state,
		Cursor: textinput.CursorStyle{Color: th.Key.GetForeground(), Shape: tea.CursorBlock}})
	f.cols = []column{
		{title: "INSTANCE", width: 19},
		{title: "CLUSTER", width: 8, flex: true, want: 12},
		{title: "NAME", width: 14, drop: 1},
		{title: "STATE", width: 10, drop: 3},
		{title: "PRIVATE IP", width: 15},
		{title: "PUBLIC IP", width: 15, drop: 2},
	}
	return f
}

// findQuery is what the operator typed, as matched: ":find " and "find "
// are the command's own words, not part of what is sought.
func findQuery(typed string) string {
	q := strings.TrimSpace(model.Sanitize(typed))
	q = strings.TrimPrefix(q, ":")
	if rest, ok := strings.CutPrefix(q, "find "); ok {
		q = rest
	}
	return strings.ToLower(strings.TrimSpace(q))
}

// findInstances lists the instances of w that q (lower-cased) names:
// exactly (the whole ID, a private, public or Elastic IP, the whole name
// as displayed) first, then by part; by ID within each. It returns at
// most limit hits and how many there are in all.
func findInstances(w *model.World, q string, limit int) ([]findHit, int) {
	if q == "" {
		return nil, 0
	}
	var hits []findHit
	total := 0
	seen := map[string]bool{}
	add := func(id string, exact bool) {
		if seen[id] {
			return
		}
		seen[id] = true
		total++
		hits = append(hits, findHit{id: id, exact: exact})
	}
	for _, a := range w.Snap.Addresses {
		if a.InstanceID != "" && strings.Contains(a.PublicIP, q) {
			if _, ok := w.Instance(a.InstanceID); ok {
				add(a.InstanceID, a.PublicIP == q)
			}
		}
	}
	for i := range w.Snap.Instances {
		in := &w.Snap.Instances[i]
		if in.ID == "" || seen[in.ID] {
			continue
		}
		name := model.Display(in.Name)
		switch {
		case in.ID == q || in.PrivateIP == q || in.PublicIP == q || (name != "" && strings.ToLower(name) == q):
			add(in.ID, true)
		case strings.Contains(in.ID, q) || strings.Contains(in.PrivateIP, q) || strings.Contains(in.PublicIP, q) ||
			containsFold(name, q):
			add(in.ID, false)
		}
	}
	slices.SortFunc(hits, func(a, b findHit) int {
		if a.exact != b.exact {
			if a.exact {
				return -1
			}
			return 1
		}
		return strings.Compare(a.id, b.id)
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, total
}

// openFind opens the search prompt. Opened with ":", the prompt is a
// command line, where "find 10.0.3.45" reads as typed.
func (m *Model) openFind(colon bool) tea.Cmd {
	m.find = newFindView(&m.st)
	if colon {
		m.find.colon = true
		m.find.in.Prompt = ":"
		m.find.in.Placeholder = "find IP, instance ID or name, or a command"
	}
	m.find.setRows(m.findRows())
	// As on a resize: without a width the input shows one rune of its
	// placeholder.
	m.find.in.SetWidth(max(m.lay.w-10, 10))
	return m.find.in.Focus()
}

// findRows is how many matches fit under the prompt, title and header.
func (m *Model) findRows() int {
	return max(m.lay.footerY-m.lay.top-3, 1)
}

// findKey handles a key while the search is open: movement keys that
// are not text move among the matches, enter jumps, esc closes; the rest
// is typing.
func (m *Model) findKey(msg tea.KeyPressMsg) tea.Cmd {
	f := m.find
	k := &m.keys
	switch msg.String() {
	case "esc":
		m.find = nil
		return nil
	case "enter":
		if f.cmd.verb != cmdNone {
			m.find = nil
			return m.runCommand(f.cmd)
		}
		if i := f.selected(); i >= 0 {
			m.jumpTo(f.hits[i].id)
			return nil
		}
		if f.pending {
			m.say("still searching")
		} else {
			m.say("no instance matches; esc closes")
		}
		return nil
	case "up", "down", "pgup", "pgdown", "ctrl+b", "ctrl+f", "home", "end":
		// Arrow and page keys only: j, k, g and G are text here.
		f.navigate(msg, k)
		return nil
	}
	var cmd tea.Cmd
	f.in, cmd = f.in.Update(msg)
	return tea.Batch(cmd, m.search())
}

// findPaste types pasted text into the prompt (an IP copied from an
// alert).
func (m *Model) findPaste(msg tea.PasteMsg) tea.Cmd {
	var cmd tea.Cmd
	m.find.in, cmd = m.find.in.Update(msg)
	return tea.Batch(cmd, m.search())
}

// search starts a search for the prompt's text if it changed.
func (m *Model) search() tea.Cmd {
	f := m.find
	if f.colon {
		if f.cmd = parseCommand(f.in.Value()); f.cmd.verb != cmdNone {
			f.gen++ // an answer for what was typed before is dropped
			f.query, f.hits, f.total, f.pending = "", nil, 0, false
			f.reset(0, -1, nil)
			return nil
		}
	}
	q := findQuery(f.in.Value())
	if q == f.query {
		return nil
	}
	f.gen++
	f.query = q
	if q == "" {
		f.hits, f.total, f.pending = nil, 0, false
		f.reset(0, -1, nil)
		return nil
	}
	f.pending = true
	// A copy of the world value: Update replaces m.world on the next
	// snapshot while the search reads it. The maps it shares are never
	// written once derived.
	w := m.world
	return FindCmd(f.gen, &w, q, m.gate)
}

// found takes in the answer of a search, if it is for the query on
// screen.
func (m *Model) found(msg FoundMsg) {
	f := m.find
	if f == nil || msg.Gen != f.gen {
		return
	}
	f.pending = false
	f.hits, f.total = msg.Hits, msg.Total
	f.cur = cursor{}
	f.reset(len(f.hits), -1, nil)
}

// jumpTo shows instance id: its cluster selected (clearing a clusters
// filter that hides it), its row under the cursor, the instances pane
// focused. Anything open over the panes closes.
func (m *Model) jumpTo(id string) {
	cluster, ok := m.world.ClusterOf(id)
	if !ok {
		m.say(id + " is not in the latest snapshot")
		return
	}
	m.find, m.detail, m.showHelp = nil, nil, false
	m.showPage(fleetPage) // the command line is open on every page
	cleared := ""
	if m.clusters.selectName(cluster); m.clusters.selectedName() != cluster {
		m.clusters.setFilter("")
		m.clusters.selectName(cluster)
		cleared = " (cleared the filter that hid it)"
	}
	m.syncInstances()
	if m.instances.selectID(id); m.instances.selectedID() != id {
		m.instances.setFilter("")
		m.instances.selectID(id)
		cleared = " (cleared the filter that hid it)"
	}
	m.focus = paneInstances
	m.say("found " + id + " in " + model.Display(cluster) + cleared)
}

// view draws the search in exactly h lines of w cells: the prompt, then
// the matches.
func (f *findView) view(w, h int, cellsOf func(id string) ([]cell, bool)) string {
	var b strings.Builder
	b.WriteString(padStyled(f.in.View(), w))
	if h <= 1 {
		return b.String()
	}
	title := "Instances matching " + strings.TrimSpace(f.query)
	empty := "no instance in any cluster has this IP, ID or name"
	switch {
	case f.cmd.verb != cmdNone:
		title, empty = "Command", f.cmd.describe()
	case f.query == "" && f.colon:
		title, empty = "Find an instance in any cluster, or run a command", commandHelp
	case f.query == "":
		title, empty = "Find an instance in any cluster", "type an IP, an instance ID or a name; enter goes to it"
	case f.pending:
		title += " (searching…)"
		empty = "searching…"
	case f.total > len(f.hits):
		title += " (first " + itoa(len(f.hits)) + " of " + itoa(f.total) + ")"
	default:
		title += " (" + itoa(f.total) + ")"
	}
	b.WriteByte('\n')
	b.WriteString(f.render(tableView{
		title:   title,
		focused: true,
		header:  f.cmd.verb == cmdNone, // a command lists no instances
		empty:   empty,
		cells: func(i int, buf []cell) ([]cell, rowKind) {
			cells, _ := cellsOf(f.hits[i].id)
			return append(buf, cells...), rowPlain
		},
	}, w, h-1))
	return b.String()
}

// findCells formats one match from the world on screen.
func (m *Model) findCells(id string) ([]cell, bool) {
	in, ok := m.world.Instance(id)
	if !ok {
		return []cell{{text: id}, {text: "(gone since)", style: &m.st.ink.Warn}}, false
	}
	pub := in.PublicIP
	if held := m.world.EIPsOf[id]; len(held) > 0 {
		pub = held[0].PublicIP
	}
	cl, _ := m.world.ClusterOf(id)
	return []cell{
		{text: id},
		{text: model.Display(cl)},
		{text: model.Display(in.Name)},
		{text: string(in.State), style: stateInk(&m.st.ink, in.State)},
		{text: in.PrivateIP},
		{text: pub},
	}, true
}

// findKeys are the keys of the search, for the footer.
func findKeys(k *keyMap) bindings {
	return bindings{short: []key.Binding{
		withHelp(k.Up, "↑/↓", "choose"),
		withHelp(k.Drill, "enter", "go to"),
		withHelp(k.Back, "esc", "close"),
	}}
}

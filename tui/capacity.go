package tui

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// capacityPage is page 2 (story S4: a fleet that silently shrank): one
// row per Auto Scaling group, desired against in service, SHORT in the
// alarm colour, and below the table everything about the group under the
// cursor: the latest failed scaling activity's message verbatim (display
// form) with its time, and the launch preflight, each failed check
// naming the missing thing.
type capacityPage struct {
	table
	zone *time.Location

	groups    []model.GroupState // SHORT first, then below desired, then by name
	preflight map[string]model.GroupPreflight
	// launchUnknown says why the preflight facts are not known ("" when
	// they are); unknown, why the groups are not; awaiting: no answer.
	launchUnknown string
	unknown       string
	awaiting      bool
	height        int

	// hardware is, per group, its members' failed checks and pending
	// events (model.HardwareCounts, S6), and the members concerned, in
	// row order; checksUnknown says why the status checks are not
	// known ("" when they are).
	hardware      map[string]groupHardware
	checksUnknown string
	statuses      map[string]model.InstanceStatus
}

// groupHardware is what the CHECKS cell of a group says.
type groupHardware struct {
	failed, scheduled int
	members           int
	broken            []string // member IDs with a failed check or an event to come
}

func newCapacityPage(st *styles, o Options) page {
	p := &capacityPage{zone: o.Zone, awaiting: true}
	p.st = st
	p.cols = []column{
		{title: "GROUP", width: 8, flex: true, want: 16, most: 32},
		{title: "WANT", width: 4, right: true},
		{title: "IN SVC", width: 6, right: true},
		{title: "PEND", width: 4, right: true, drop: 2},
		{title: "MIN", width: 3, right: true, drop: 3},
		{title: "MAX", width: 3, right: true, drop: 3},
		{title: "STATE", width: 8},
		{title: "CHECKS", width: 6, drop: 4},
		{title: "PREFLIGHT", width: 9, drop: 1},
		{title: "TEMPLATE", width: 12, drop: 5},
	}
	return p
}

// capacityRank orders groups by how much they need attention.
func capacityRank(g *model.GroupState) int {
	switch {
	case g.Short:
		return 0
	case g.Below():
		return 1
	}
	return 2
}

func (p *capacityPage) setWorld(w *model.World, _ time.Time) {
	keep := p.selectedName()
	p.groups = append(p.groups[:0], w.Groups...)
	sort.SliceStable(p.groups, func(i, j int) bool {
		return capacityRank(&p.groups[i]) < capacityRank(&p.groups[j])
	})
	p.unknown = w.Snap.Unknown(model.SectionGroups)
	p.awaiting = w.Snap.Sections == nil
	p.preflight = map[string]model.GroupPreflight{}
	p.launchUnknown = w.Snap.Unknown(model.SectionLaunch)
	p.statuses = w.Snap.Statuses
	p.checksUnknown = w.Snap.Unknown(model.SectionStatus)
	p.hardware = make(map[string]groupHardware, len(p.groups))
	for i := range p.groups {
		g := &p.groups[i]
		ids := make([]string, len(g.Members))
		for j, mb := range g.Members {
			ids[j] = mb.InstanceID
		}
		h := groupHardware{members: len(ids)}
		h.failed, h.scheduled = model.HardwareCounts(ids, w.Snap.Statuses)
		for _, id := range ids {
			if st, ok := w.Snap.Statuses[id]; ok && (st.Failed() || st.HasPendingEvent()) {
				h.broken = append(h.broken, id)
			}
		}
		p.hardware[g.Name] = h
	}
	if f := w.Snap.Launch; f != nil {
		for _, r := range model.Preflight(*f) {
			p.preflight[r.Group] = r
		}
	}
	p.sizeToContent(len(p.groups), func(i int, buf []cell) []cell { return p.row(i, buf) })
	p.reset(len(p.groups), -1, func(int, string) bool { return true })
	if keep != "" {
		for i := range p.groups {
			if p.groups[i].Name == keep {
				p.cur.to(i, p.rows)
			}
		}
	}
}

func (p *capacityPage) selectedName() string {
	if i := p.selected(); i >= 0 && i < len(p.groups) {
		return p.groups[i].Name
	}
	return ""
}

func (p *capacityPage) alarm() string {
	n := 0
	for i := range p.groups {
		if p.groups[i].Short {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n) + " SHORT"
}

func (p *capacityPage) keys(k *keyMap) []key.Binding { return []key.Binding{k.Up, k.Down, k.Action} }

// selection is the group under the cursor, for the action menu: set its
// desired capacity, suspend or resume Launch and Terminate.
func (p *capacityPage) selection() (model.Selection, string, string) {
	name := p.selectedName()
	if name == "" {
		return model.Selection{}, "", "no Auto Scaling group selected"
	}
	return model.Selection{Group: name}, "group " + model.Display(name), ""
}

func (p *capacityPage) update(msg tea.KeyPressMsg, k *keyMap) tea.Cmd {
	p.navigate(msg, k)
	return nil
}

// setRows gives the table the rows it has data for, up to half the
// page: the rest is the group under the cursor, which is what the
// operator reads.
func (p *capacityPage) setRows(h int) {
	p.height = h
	p.table.setRows(p.tableHeight(h) - tableChrome)
}

func (p *capacityPage) tableHeight(h int) int {
	want := max(len(p.groups), 1) + tableChrome
	return min(want, max(h/2, tableChrome+1), h)
}

func (p *capacityPage) view(w, h int, now time.Time) string {
	th := p.tableHeight(h)
	v := sectionTable(p.st, "Auto Scaling groups "+count(p.len(), p.total), "Auto Scaling groups", p.awaiting, p.unknown)
	v.focused = true
	v.cells = func(i int, buf []cell) ([]cell, rowKind) { return p.row(i, buf), rowPlain }
	return splitView(p.render(v, w, th), w, h, th, func(w, h int) string { return p.detail(w, h, now) })
}

// stateCell is SHORT in the alarm colour with how many are missing,
// "scaling" for a group below desired for less than a refresh (its
// launches on their way), ok otherwise.
func (p *capacityPage) stateCell(g *model.GroupState) cell {
	ik := &p.st.ink
	switch {
	case g.Short:
		return cell{text: "SHORT " + strconv.Itoa(g.Shortfall()), style: &ik.Danger}
	case g.Below():
		return cell{text: "scaling", style: &ik.Warn}
	}
	return cell{text: "ok", style: &ik.Ok}
}

// checksCell counts the group's members whose hardware needs a look, in
// the words of the clusters pane (S6): "1 FAILED", "2 scheduled"; ok; "?"
// when the status checks are unknown; "-" for a group without members.
func (p *capacityPage) checksCell(name string) cell {
	ik := &p.st.ink
	h := p.hardware[name]
	switch {
	case h.members == 0:
		return cell{text: "-", style: &ik.Faint}
	case h.failed > 0:
		return cell{text: model.FailedChecks(h.failed), style: &ik.Danger}
	case h.scheduled > 0:
		return cell{text: model.ScheduledEvents(h.scheduled), style: &ik.Warn}
	case p.checksUnknown != "":
		return cell{text: "?", style: &ik.Warn}
	}
	return cell{text: "ok", style: &ik.Ok}
}

// preflightCell is ok, FAILED, ? (a check could not run) or - (not
// fetched yet).
func (p *capacityPage) preflightCell(name string) cell {
	ik := &p.st.ink
	r, ok := p.preflight[name]
	switch {
	case !ok && p.launchUnknown != "":
		return cell{text: "?", style: &ik.Warn}
	case !ok:
		return cell{text: "-", style: &ik.Faint}
	case r.Failed():
		return cell{text: model.WordFailed, style: &ik.Danger}
	case r.Unknown():
		return cell{text: "?", style: &ik.Warn}
	}
	return cell{text: "ok", style: &ik.Ok}
}

func (p *capacityPage) row(i int, buf []cell) []cell {
	g := &p.groups[i]
	inSvc := cell{text: strconv.Itoa(g.InService)}
	if g.Short {
		inSvc.style = &p.st.ink.Danger
	}
	return append(buf,
		cell{text: g.Display},
		cell{text: strconv.Itoa(g.Desired)},
		inSvc,
		cell{text: strconv.Itoa(g.Pending)},
		cell{text: strconv.Itoa(g.Min)},
		cell{text: strconv.Itoa(g.Max)},
		p.stateCell(g),
		p.checksCell(g.Name),
		p.preflightCell(g.Name),
		cell{text: g.Template()},
	)
}

// detail describes the group under the cursor in h lines.
func (p *capacityPage) detail(w, h int, now time.Time) string {
	l := &lines{w: w, st: p.st}
	i := p.selected()
	if i < 0 || i >= len(p.groups) {
		l.title("Group", "")
		return l.block(h, 0)
	}
	g := &p.groups[i]
	ik := &p.st.ink
	l.title("Group "+g.Display, "")

	counts := strconv.Itoa(g.InService) + " of " + strconv.Itoa(g.Desired) + " in service, " +
		strconv.Itoa(g.Pending) + " pending (min " + strconv.Itoa(g.Min) + ", max " + strconv.Itoa(g.Max) + ")"
	switch {
	case g.Short:
		l.wrapped(&ik.Danger, "SHORT by "+strconv.Itoa(g.Shortfall())+": ", "  ", counts)
	case g.Below():
		l.wrapped(&ik.Warn, "scaling: ", "  ", counts+"; SHORT if it lasts another refresh")
	default:
		l.wrapped(nil, "", "  ", counts)
	}
	var facts []string
	if t := g.Template(); t != "" {
		facts = append(facts, "launches from "+t)
	}
	if len(g.Clusters) > 0 {
		names := make([]string, len(g.Clusters))
		for i, c := range g.Clusters {
			names[i] = model.Display(c)
		}
		facts = append(facts, "clusters "+strings.Join(names, ", "))
	}
	if len(g.Suspended) > 0 {
		facts = append(facts, "suspended "+strings.Join(g.Suspended, ", "))
	}
	if len(facts) > 0 {
		l.wrapped(&ik.Faint, "", "  ", strings.Join(facts, " · "))
	}
	// The members whose hardware needs a look (S6), in the words of the
	// CHECKS column, so "which one" has an answer without the Fleet page.
	if h := p.hardware[g.Name]; len(h.broken) > 0 {
		var parts []string
		for _, id := range h.broken {
			parts = append(parts, id+" "+model.HardwareWord(p.statuses[id], now))
		}
		k := &ik.Warn
		if h.failed > 0 {
			k = &ik.Danger
		}
		l.wrapped(k, "hardware: ", "  ", strings.Join(parts, ", "))
	} else if p.checksUnknown != "" && h.members > 0 {
		l.wrapped(&ik.Warn, "", "  ", "status checks unknown: "+p.checksUnknown)
	}

	// The latest failure, verbatim: the words AWS used are what the
	// operator searches for and pastes into the incident channel.
	switch f := g.LastFailure; {
	case f != nil:
		l.add(&ik.Danger, "latest failed activity "+clockTime(f.Start, p.zone)+" ("+ago(now, f.Start)+" ago):")
		l.wrapped(nil, "  ", "  ", f.Text())
	case g.ActivitiesUnknown != "":
		l.wrapped(&ik.Warn, "", "  ", "scaling activities unknown: "+g.ActivitiesUnknown)
	case g.FailuresPartial:
		l.add(&ik.Faint, "no failed activity among the newest listed")
	default:
		l.add(&ik.Faint, "no failed scaling activity")
	}

	r, ok := p.preflight[g.Name]
	switch {
	case !ok && p.launchUnknown != "":
		l.wrapped(&ik.Warn, "", "  ", "preflight unknown: "+p.launchUnknown)
	case !ok:
		l.add(&ik.Faint, "preflight: not fetched yet")
	default:
		verdict, k := "preflight ok", &ik.Ok
		switch {
		case r.Failed():
			verdict, k = "preflight "+model.WordFailed+": a launch would fail now", &ik.Danger
		case r.Unknown():
			verdict, k = "preflight incomplete: a check could not run", &ik.Warn
		}
		l.add(k, verdict)
		var passed []string
		for _, c := range r.Checks {
			switch {
			case c.Failed():
				l.wrapped(&ik.Danger, "  ✗ ", "    ", string(c.Name)+": "+c.Detail)
			case c.Unknown != "":
				l.wrapped(&ik.Warn, "  ? ", "    ", string(c.Name)+": "+c.Detail)
			default:
				passed = append(passed, string(c.Name))
			}
		}
		if len(passed) > 0 && (r.Failed() || r.Unknown()) {
			l.wrapped(&ik.Faint, "  ✓ ", "    ", strings.Join(passed, ", "))
		} else if len(passed) > 0 {
			for _, c := range r.Checks {
				l.wrapped(&ik.Faint, "  ✓ ", "    ", string(c.Name)+": "+c.Detail)
			}
		}
	}
	return l.block(h, 0)
}

// groupRows are a cluster's Auto Scaling groups for its detail view:
// each with desired against in service, SHORT in the alarm colour, since
// a group replaces what is stopped or terminated behind its back.
func (m *Model) groupRows(c model.Cluster) []detailRow {
	ik := &m.st.ink
	var rows []detailRow
	for _, name := range c.Groups {
		g, ok := m.world.Group(name)
		row := detailRow{label: "Auto Scaling", value: "group " + model.Display(name)}
		switch {
		case !ok:
			row.value += ": not listed (" + orWord(m.world.Snap.Unknown(model.SectionGroups), "gone, or detached") + ")"
			row.style = &ik.Warn
		case g.Short:
			row.value += ": SHORT, " + strconv.Itoa(g.InService) + " of " + strconv.Itoa(g.Desired) + " in service (page 2)"
			row.style = &ik.Danger
		default:
			row.value += ": " + strconv.Itoa(g.InService) + " of " + strconv.Itoa(g.Desired) + " in service; it replaces instances stopped or terminated"
		}
		rows = append(rows, row)
	}
	return rows
}

func orWord(s, instead string) string {
	if s == "" {
		return instead
	}
	return s
}

package tui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// clustersPane lists the clusters of the account, one row each: the
// operator's map of what is LIVE (holds the EIPs) and what is not. The
// untagged instances come last as one group.
type clustersPane struct {
	table
	clusters []model.Cluster // as model.Analyze ordered them
	recent   *recent
	// unknown says why the instance list is not whole ("" when it is):
	// with no rows the pane says so instead of "no clusters"; with some
	// the title says they may not be all. awaiting: no answer yet.
	unknown  string
	awaiting bool
	// addrsUnknown: the EIP counts are "?", not 0.
	addrsUnknown bool
	// Widths measured once per world, so that view stays O(1): the
	// widest name, and the RUN column in its long form ("0/3 term") and
	// short form ("0/3").
	nameWidth, runLong, runShort int
	longRun                      bool // this frame shows the long form
}

// Fixed widths of the count columns; setWorld widens them to fit their
// content, so a cluster of 600 reads 600/600, not 600/….
const (
	colRun    = 2 // in p.cols
	colEIPs   = 3
	runWidth  = 5
	eipsWidth = 4
)

func newClustersPane(st *styles, r *recent) *clustersPane {
	p := &clustersPane{recent: r, awaiting: true, runLong: runWidth, runShort: runWidth}
	p.st = st
	p.cols = []column{
		{title: "CLUSTER", width: 8, flex: true, want: 16},
		{title: "LIVE", width: 4},
		{title: "RUN", width: 5, right: true},
		{title: "EIPS", width: 4, right: true},
		{title: "CHECKS", width: 8},
		{title: "STATES", width: 16, drop: 2},
		{title: "NEWEST", width: 8, right: true, drop: 1, noFilter: true},
	}
	p.sorts = p.sortKeys()
	return p
}

// setWorld shows the clusters of a new world, keeping the cursor on the
// cluster it was on.
func (p *clustersPane) setWorld(w *model.World) {
	keep := p.selectedName()
	p.clusters = w.Clusters
	p.unknown = w.Snap.Unknown(model.SectionInstances)
	p.awaiting = w.Snap.Sections == nil
	p.addrsUnknown = !w.Snap.Known(model.SectionAddresses)
	p.nameWidth, p.runLong, p.runShort = 0, runWidth, runWidth
	eips := eipsWidth
	for i := range p.clusters {
		c := &p.clusters[i]
		name := c.Display
		if len(c.LookAlikes) > 0 {
			name = lookAlikeBadge + name
		}
		p.nameWidth = max(p.nameWidth, width(name))
		p.runLong = max(p.runLong, len(runText(c, true)))
		p.runShort = max(p.runShort, len(runText(c, false)))
		eips = max(eips, len(strconv.Itoa(len(c.EIPs))))
	}
	p.cols[colEIPs].width = eips
	p.resort(len(p.clusters))
	p.reset(len(p.clusters), -1, p.match)
	p.selectName(keep)
}

func (p *clustersPane) setFilter(f string) {
	keep := p.selectedName()
	p.filter = strings.ToLower(f)
	p.reset(len(p.clusters), -1, p.match)
	p.selectName(keep)
}

// selectedName is the cluster under the cursor, "" when there is none.
func (p *clustersPane) selectedName() string {
	if i := p.selected(); i >= 0 {
		return p.clusters[i].Name
	}
	return ""
}

func (p *clustersPane) selectName(name string) {
	if name == "" {
		return
	}
	for i := range p.len() {
		if p.clusters[p.at(i)].Name == name {
			p.cur.to(i, p.rows)
			return
		}
	}
}

func (p *clustersPane) update(msg tea.KeyPressMsg, k *keyMap) tea.Cmd {
	if p.navigate(msg, k) {
		return nil
	}
	if msg.String() == "enter" {
		if name := p.selectedName(); name != "" {
			return DrillCmd(name)
		}
	}
	return nil
}

func (p *clustersPane) view(w, h int, focused bool, now time.Time) string {
	// "0/3 term" when the pane has room for it beside the names; in a
	// narrow pane the names and CHECKS ("-") matter more, and STATES or
	// the instances pane spell the states out.
	// The columns never dropped (CLUSTER to CHECKS) and their separators.
	kept := p.cols[:colEIPs+2]
	need := min(max(p.nameWidth, kept[0].width), kept[0].want) + p.runLong + len(kept) - 1
	for i, c := range kept {
		if i != 0 && i != colRun {
			need += c.width
		}
	}
	p.longRun = need <= w
	p.cols[colRun].width = p.runShort
	if p.longRun {
		p.cols[colRun].width = p.runLong
	}
	return p.render(p.frame(focused, now), w, h)
}

func (p *clustersPane) frame(focused bool, now time.Time) tableView {
	title := "Clusters " + count(p.len(), p.total)
	empty, emptyInk := "no clusters", (*ink)(nil)
	switch {
	case p.awaiting:
		empty = "waiting for the first refresh"
	case p.unknown != "":
		// Unknown is not none: "no clusters" here would be a lie.
		empty, emptyInk = "clusters unknown: "+p.unknown, &p.st.ink.Warn
		title += " incomplete"
	}
	return tableView{
		title:    title,
		focused:  focused,
		header:   true,
		empty:    empty,
		emptyInk: emptyInk,
		cells: func(i int, buf []cell) ([]cell, rowKind) {
			c := &p.clusters[i]
			ik := &p.st.ink
			// The raw name is identity and never printed: the display
			// form shows its invisible runes, and "≈" says another
			// cluster's name looks the same.
			name := cell{text: c.Display}
			switch {
			case len(c.LookAlikes) > 0:
				name = cell{text: lookAlikeBadge + c.Display, style: &ik.Danger}
			case c.Untagged:
				name.style = &ik.Faint
			}
			// LIVE is a word, blank is "holds no EIP", and "?" is "cannot
			// tell" (the EIPs could not be listed): never blank for that.
			live := cell{}
			switch c.Liveness {
			case model.IsLive:
				live = cell{text: "LIVE", style: &ik.Live}
			case model.LiveUnknown:
				live = cell{text: "?", style: &ik.Warn}
			}
			run := cell{text: runText(c, p.longRun)}
			if c.Running() < len(c.InstanceIDs) {
				run.style = &ik.Warn
			}
			var checks cell
			switch c.Checks() {
			case model.ChecksFailed:
				checks = cell{text: strconv.Itoa(c.FailedChecks) + " FAILED", style: &ik.Danger}
			case model.ChecksScheduled:
				checks = cell{text: strconv.Itoa(c.Scheduled) + " sched", style: &ik.Warn}
			case model.ChecksNotRunning:
				checks = cell{text: "-", style: &ik.Faint} // nothing to check is not "ok"
			case model.ChecksUnknown:
				checks = cell{text: "?", style: &ik.Warn}
			default:
				checks = cell{text: "ok", style: &ik.Ok}
			}
			eips := cell{text: strconv.Itoa(len(c.EIPs))}
			if len(c.EIPs) == 0 && p.addrsUnknown {
				eips = cell{text: "?", style: &ik.Warn}
			}
			buf = append(buf, name, live, run,
				eips,
				checks,
				cell{text: stateSummary(c.States)},
				cell{text: ago(now, c.NewestLaunch)},
			)
			kind := rowPlain
			if p.recent.is(clusterKey(c.Name), now) {
				kind = rowChanged
			}
			return buf, kind
		},
	}
}

// runText is "3/3", or in its long form for a cluster with nothing
// running, what its instances are instead: "0/3 term", "0/2 stop", "0/3
// down" when they differ. (Its checks then read "-", never "ok".)
func runText(c *model.Cluster, long bool) string {
	n := strconv.Itoa(c.Running()) + "/" + strconv.Itoa(len(c.InstanceIDs))
	if !long || c.Running() > 0 || len(c.InstanceIDs) == 0 {
		return n
	}
	word := ""
	for _, st := range stateOrder {
		switch k := c.States[st.s]; {
		case k == 0:
		case word != "":
			return n + " down"
		default:
			word = st.short
		}
	}
	if word == "" {
		return n
	}
	return n + " " + word
}

// lookAlikeBadge marks a cluster whose name looks like another's
// (model.Cluster.LookAlikes); the help explains it.
const lookAlikeBadge = "≈ "

// stateOrder lists states as an operator reads them: what serves first,
// what is going away last.
var stateOrder = [...]struct {
	s     model.InstanceState
	short string
}{
	{model.StateRunning, "run"},
	{model.StatePending, "pend"},
	{model.StateStopping, "stopping"},
	{model.StateStopped, "stop"},
	{model.StateShuttingDown, "shut"},
	{model.StateTerminated, "term"},
}

// stateSummary is "2 run 1 stop".
func stateSummary(m map[model.InstanceState]int) string {
	var b strings.Builder
	for _, st := range stateOrder {
		if n := m[st.s]; n > 0 {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(n))
			b.WriteByte(' ')
			b.WriteString(st.short)
		}
	}
	return b.String()
}

// count is "(3)" or, filtered, "(2 of 3)".
func count(shown, total int) string {
	if shown == total {
		return "(" + strconv.Itoa(total) + ")"
	}
	return "(" + strconv.Itoa(shown) + " of " + strconv.Itoa(total) + ")"
}

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
}

func newClustersPane(st *styles, r *recent) *clustersPane {
	p := &clustersPane{recent: r, awaiting: true}
	p.st = st
	p.cols = []column{
		{title: "CLUSTER", width: 8, flex: true, want: 16, most: 32},
		{title: "LIVE", width: 4},
		{title: "RUN", width: 5, right: true},
		// EIPS goes first on a narrow screen: LIVE says whether a
		// cluster holds EIPs, and the Elastic IPs pane beside it which.
		{title: "EIPS", width: 4, right: true, drop: 3, aside: true},
		{title: "CHECKS", width: 11},
		{title: "STATES", width: 16, drop: 2},
		{title: "NEWEST", width: 8, right: true, drop: 1, noFilter: true, aside: true},
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
	_, fetched := w.Snap.Sections[model.SectionInstances]
	p.awaiting = !fetched // the instance list may come after the EIPs
	p.addrsUnknown = !w.Snap.Known(model.SectionAddresses)
	// A few hundred clusters at most: their columns can be sized to
	// what they hold (a cluster of 600 reads 600/600), so the Elastic
	// IPs beside them get the rest.
	p.sizeToContent(len(p.clusters), func(i int, buf []cell) []cell { return p.row(i, w.Snap.FetchedAt, buf) })
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
	return p.render(p.frame(focused, now), w, h)
}

func (p *clustersPane) frame(focused bool, now time.Time) tableView {
	v := sectionTable(p.st, "Clusters "+count(p.len(), p.total), "clusters", p.awaiting, p.unknown)
	v.focused = focused
	v.cells = func(i int, buf []cell) ([]cell, rowKind) {
		buf = p.row(i, now, buf)
		kind := rowPlain
		if p.recent.is(clusterKey(p.clusters[i].Name), now) {
			kind = rowChanged
		}
		return buf, kind
	}
	return v
}

// runText is running/all: "3/3", "0/3".
func runText(c *model.Cluster) string {
	return strconv.Itoa(c.Running()) + "/" + strconv.Itoa(len(c.InstanceIDs))
}

// row formats cluster i into buf.
func (p *clustersPane) row(i int, now time.Time, buf []cell) []cell {
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
		live = cell{text: model.WordLive, style: &ik.Live}
	case model.LiveUnknown:
		live = cell{text: "?", style: &ik.Warn}
	}
	// RUN counts; a cluster with nothing running says so in CHECKS
	// ("-", not "ok") and STATES ("3 term").
	run := cell{text: runText(c)}
	if c.Running() < len(c.InstanceIDs) {
		run.style = &ik.Warn
	}
	var checks cell
	switch c.Checks() {
	case model.ChecksFailed:
		checks = cell{text: model.FailedChecks(c.FailedChecks), style: &ik.Danger}
	case model.ChecksScheduled:
		checks = cell{text: model.ScheduledEvents(c.Scheduled), style: &ik.Warn}
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
	return append(buf, name, live, run,
		eips,
		checks,
		cell{text: stateSummary(c.States)},
		cell{text: ago(now, c.NewestLaunch)},
	)
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

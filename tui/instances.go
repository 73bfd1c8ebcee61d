package tui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// instancesPane lists the instances of one cluster: the one under the
// clusters cursor, or the one drilled into with enter. Rows are the
// cluster's instance IDs (already sorted by model.Analyze); an instance's
// fields are looked up only when its row is drawn, so following the
// clusters cursor through a 10,000-instance cluster costs nothing.
type instancesPane struct {
	table
	world   *model.World
	cluster string
	ids     []string
	recent  *recent
	// broken are the rows (indexes into ids, ascending) whose hardware
	// needs a look: the default order puts them first (sort.go).
	broken []int
}

func newInstancesPane(st *styles, r *recent) *instancesPane {
	p := &instancesPane{recent: r}
	p.st = st
	p.cols = []column{
		{title: "INSTANCE", width: 19},
		{title: "NAME", width: 10, flex: true, want: 20, most: 40, drop: 1},
		{title: "STATE", width: 13},
		{title: "EIP", width: 15},
		{title: "CHECKS", width: checksWidth},
		{title: "LAUNCHED", width: 9, right: true, drop: 2, noFilter: true},
		{title: "AZ", width: 10, drop: 3, aside: true},
		{title: "TYPE", width: 10, drop: 4, aside: true},
		{title: "PRIVATE IP", width: 15, drop: 5, aside: true},
		{title: "PUBLIC IP", width: 15, drop: 6, aside: true},
	}
	p.sorts = p.sortKeys()
	return p
}

// show points the pane at a cluster of w (w may be a new world for the
// same cluster), keeping the cursor on the same instance; now is the
// model's clock, for the width of what CHECKS will say.
func (p *instancesPane) show(w *model.World, cluster string, now time.Time) {
	keep := p.selectedID()
	sameCluster := cluster == p.cluster
	p.world = w
	p.cluster = cluster
	p.ids = nil
	suspect := false // a member fails a check or has an event to come
	if c, ok := w.Cluster(cluster); ok {
		p.ids = c.InstanceIDs
		suspect = c.FailedChecks+c.Scheduled > 0
	}
	if !sameCluster {
		keep = ""
		p.cur = cursor{}
	}
	p.scanHardware(now, suspect)
	p.resort(len(p.ids))
	p.reset(len(p.ids), -1, p.match)
	p.selectID(keep)
}

func (p *instancesPane) setFilter(f string) {
	keep := p.selectedID()
	p.filter = strings.ToLower(f)
	p.reset(len(p.ids), -1, p.match)
	p.selectID(keep)
}

func (p *instancesPane) selectedID() string {
	if i := p.selected(); i >= 0 {
		return p.ids[i]
	}
	return ""
}

func (p *instancesPane) selectID(id string) {
	if id == "" {
		return
	}
	for i := range p.len() {
		if p.ids[p.at(i)] == id {
			p.cur.to(i, p.rows)
			return
		}
	}
}

func (p *instancesPane) update(msg tea.KeyPressMsg, k *keyMap) tea.Cmd {
	p.navigate(msg, k)
	return nil
}

func (p *instancesPane) view(w, h int, focused bool, now time.Time) string {
	return p.render(p.frame(focused, now), w, h)
}

func (p *instancesPane) frame(focused bool, now time.Time) tableView {
	empty, emptyInk := "no instances", (*ink)(nil)
	_, fetched := p.world.Snap.Sections[model.SectionInstances]
	switch why := p.world.Snap.Unknown(model.SectionInstances); {
	case !fetched:
		empty = "waiting for the first refresh"
	case why != "" && len(p.world.Clusters) == 0:
		empty, emptyInk = "instances unknown: "+why, &p.st.ink.Warn
	}
	title := "Instances " + count(p.len(), p.total)
	if p.cluster != "" {
		name := model.Display(p.cluster)
		if c, ok := p.world.Cluster(p.cluster); ok && len(c.LookAlikes) > 0 {
			name = lookAlikeBadge + name
		}
		title = "Instances of " + name + " " + count(p.len(), p.total)
	}
	return tableView{
		title:    title,
		focused:  focused,
		header:   true,
		empty:    empty,
		emptyInk: emptyInk,
		cells: func(i int, buf []cell) ([]cell, rowKind) {
			ik := &p.st.ink
			id := p.ids[i]
			in, ok := p.world.Instance(id)
			if !ok {
				return append(buf, cell{text: id, cut: cutMiddle}, cell{text: "(not in snapshot)", style: &ik.Warn}), rowPlain
			}
			state := cell{text: string(in.State)}
			switch in.State {
			case model.StateRunning:
				state.style = &ik.Ok
			case model.StatePending, model.StateStopping:
				state.style = &ik.Warn
			case model.StateShuttingDown, model.StateTerminated, model.StateStopped:
				state.style = &ik.Danger
			}
			eip := cell{text: "-", style: &ik.Faint}
			if !p.world.Snap.Known(model.SectionAddresses) {
				eip = cell{text: "?", style: &ik.Warn} // the EIPs are unknown, not none
			}
			if held := p.world.EIPsOf[id]; len(held) > 0 {
				text := held[0].PublicIP
				if len(held) > 1 {
					text += " +" + itoa(len(held)-1)
				}
				eip = cell{text: text, style: &ik.Live, cut: cutWords}
			}
			buf = append(buf,
				cell{text: id, cut: cutMiddle},
				cell{text: model.Display(in.Name)},
				state,
				eip,
				p.checks(in, now),
				cell{text: ago(now, in.LaunchTime)},
				cell{text: in.AZ, cut: cutMiddle},
				cell{text: in.Type, cut: cutMiddle},
				cell{text: in.PrivateIP, cut: cutMiddle},
				cell{text: in.PublicIP, cut: cutMiddle},
			)
			kind := rowPlain
			if p.recent.is(instanceKey(id), now) {
				kind = rowChanged
			}
			return buf, kind
		},
	}
}

// checks summarises the status checks of instance in.
func (p *instancesPane) checks(in model.Instance, now time.Time) cell {
	st, ok := p.world.Snap.Statuses[in.ID]
	if !ok && checksApply(in.State) && !p.world.Snap.Known(model.SectionStatus) {
		return cell{text: "?", style: &p.st.ink.Warn} // not fetched: unknown, not "not applicable"
	}
	return checksCell(&p.st.ink, in.State, st, ok, now)
}

// checksApply reports whether status checks mean anything for an
// instance in state: not once it is stopping or gone.
func checksApply(state model.InstanceState) bool {
	switch state {
	case model.StateStopping, model.StateStopped, model.StateShuttingDown, model.StateTerminated:
		return false
	}
	return true
}

// checksCell summarises the status checks of an instance in state (ok
// reports whether there are any) in the words every screen uses
// (model.HardwareWord, S6): a failure names the check that failed
// ("FAILED sys"), a scheduled event says what and when ("retiring in
// 3d"), "init" while initialising, "-" when they do not apply: the
// instance is not running (whatever an older answer said) or AWS says
// not-applicable. The dashboard and the confirmation share it, so the
// same fact reads the same on both.
func checksCell(ik *inks, state model.InstanceState, st model.InstanceStatus, ok bool, now time.Time) cell {
	if !ok || !checksApply(state) {
		return cell{text: "-", style: &ik.Faint}
	}
	if word := model.HardwareWord(st, now); word != "" {
		if st.Failed() {
			return cell{text: word, style: &ik.Danger}
		}
		return cell{text: word, style: &ik.Warn}
	}
	switch {
	case st.System == model.CheckInitializing || st.Instance == model.CheckInitializing:
		return cell{text: "init", style: &ik.Warn}
	case st.System == model.CheckOK && st.Instance == model.CheckOK:
		return cell{text: "ok", style: &ik.Ok}
	case st.System == model.CheckInsufficientData || st.Instance == model.CheckInsufficientData:
		return cell{text: "no data", style: &ik.Warn}
	}
	return cell{text: "-", style: &ik.Faint} // not applicable: stopped, terminated
}

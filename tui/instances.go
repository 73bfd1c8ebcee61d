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
}

func newInstancesPane(st *styles, r *recent) *instancesPane {
	p := &instancesPane{recent: r}
	p.st = st
	p.cols = []column{
		{title: "INSTANCE", width: 19},
		{title: "NAME", width: 10, flex: true, want: 20, most: 40, drop: 1},
		{title: "STATE", width: 13},
		{title: "EIP", width: 15},
		{title: "CHECKS", width: 11},
		{title: "LAUNCHED", width: 9, right: true, drop: 2, noFilter: true},
		{title: "AZ", width: 10, drop: 3},
		{title: "TYPE", width: 10, drop: 4},
		{title: "PRIVATE IP", width: 15, drop: 5},
		{title: "PUBLIC IP", width: 15, drop: 6},
	}
	p.sorts = p.sortKeys()
	return p
}

// show points the pane at a cluster of w (w may be a new world for the
// same cluster), keeping the cursor on the same instance.
func (p *instancesPane) show(w *model.World, cluster string) {
	keep := p.selectedID()
	sameCluster := cluster == p.cluster
	p.world = w
	p.cluster = cluster
	p.ids = nil
	if c, ok := w.Cluster(cluster); ok {
		p.ids = c.InstanceIDs
	}
	if !sameCluster {
		keep = ""
		p.cur = cursor{}
	}
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
			in, ok := p.world.Instances[id]
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
				p.checks(in),
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
func (p *instancesPane) checks(in model.Instance) cell {
	st, ok := p.world.Snap.Statuses[in.ID]
	if !ok && checksApply(in.State) && !p.world.Snap.Known(model.SectionStatus) {
		return cell{text: "?", style: &p.st.ink.Warn} // not fetched: unknown, not "not applicable"
	}
	return checksCell(&p.st.ink, in.State, st, ok)
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
// reports whether there are any) in the words every screen uses: a
// failure names the check that failed, a scheduled event (retirement,
// reboot) is called out (S6), "init" while initialising, "-" when they
// do not apply: the instance is not running (whatever an older answer
// said) or AWS says not-applicable. The dashboard and the confirmation
// share it, so the same fact reads the same on both.
func checksCell(ik *inks, state model.InstanceState, st model.InstanceStatus, ok bool) cell {
	if !ok || !checksApply(state) {
		return cell{text: "-", style: &ik.Faint}
	}
	switch {
	case st.System == model.CheckImpaired && st.Instance == model.CheckImpaired:
		return cell{text: model.WordFailed + " both", style: &ik.Danger}
	case st.System == model.CheckImpaired:
		return cell{text: model.WordFailed + " sys", style: &ik.Danger}
	case st.Instance == model.CheckImpaired:
		return cell{text: model.WordFailed + " inst", style: &ik.Danger}
	case st.HasPendingEvent():
		for _, e := range st.Events {
			if e.Pending() {
				return cell{text: shortEvent(e.Code), style: &ik.Warn}
			}
		}
	case st.System == model.CheckInitializing || st.Instance == model.CheckInitializing:
		return cell{text: "init", style: &ik.Warn}
	case st.System == model.CheckOK && st.Instance == model.CheckOK:
		return cell{text: "ok", style: &ik.Ok}
	case st.System == model.CheckInsufficientData || st.Instance == model.CheckInsufficientData:
		return cell{text: "no data", style: &ik.Warn}
	}
	return cell{text: "-", style: &ik.Faint} // not applicable: stopped, terminated
}

// shortEvent names a scheduled event in the few cells the CHECKS column
// has: "instance-retirement" is "retiring".
func shortEvent(code string) string {
	switch {
	case strings.HasSuffix(code, "retirement"):
		return "retiring"
	case strings.HasSuffix(code, "reboot"):
		return "reboot"
	case strings.HasSuffix(code, "stop"):
		return "stop due"
	case strings.HasSuffix(code, "maintenance"):
		return "maint"
	}
	return "scheduled"
}

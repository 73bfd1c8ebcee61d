package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// servicesPage is page 4 (story S7: a container service vanished
// underneath its deployer and nobody noticed): every ECS cluster, and
// under it its services with desired, running and pending tasks, launch
// type, task definition revision and the primary deployment's rollout
// (FAILED in the alarm colour); below the table, the row under the
// cursor in full: its deployments and its latest events, newest first.
//
// A service that disappears between two refreshes stays listed as
// "vanished", greyed, with what it was, for vanishFor or until the
// operator acknowledges it (`a`): the feed says it once, the page keeps
// saying it while anyone looks. When the ECS section could not be
// fetched the page says "unknown: …" over what it last knew, never an
// empty list.
type servicesPage struct {
	table
	zone *time.Location

	state   model.ECSState // the last ECS state known
	stateAt time.Time      // when it was taken in, by the model's clock
	have    bool           // state holds a complete answer
	// vanished are the services (by ServiceKey) and clusters (by name)
	// listed by an earlier refresh and missing from a later one.
	vanished map[string]vanishedRow
	items    []serviceRow
	unknown  string // why the ECS section is not known now ("" when it is)
	awaiting bool
	height   int
}

// vanishFor is how long a vanished service stays on the page without
// being acknowledged: long enough for whoever looks after the feed has
// scrolled, short enough not to pile up during a planned teardown.
const vanishFor = 5 * time.Minute

// vanishedRow is a service or cluster that was listed and is not now.
type vanishedRow struct {
	svc     model.Service    // its last known state (Name empty for a cluster)
	cluster model.ECSCluster // a cluster: its last known state
	at      time.Time        // when the page found it gone
}

// serviceRow is one row of the page: a cluster (svc nil) or a service.
type serviceRow struct {
	cluster string            // raw name
	cl      *model.ECSCluster // nil for a cluster no longer listed
	svc     *model.Service
	gone    *vanishedRow // not listed any more: svc or cl is its last known state
}

func (r serviceRow) key() string {
	if r.svc != nil {
		return r.svc.Key()
	}
	return r.cluster
}

func newServicesPage(st *styles, o Options) page {
	p := &servicesPage{zone: o.Zone, awaiting: true, vanished: map[string]vanishedRow{}}
	p.st = st
	p.cols = []column{
		{title: "SERVICE", width: 10, flex: true, want: 18, most: 36},
		{title: "STATUS", width: 8},
		{title: "WANT", width: 4, right: true},
		{title: "RUN", width: 3, right: true},
		{title: "PEND", width: 4, right: true, drop: 2},
		{title: "LAUNCH", width: 7, drop: 3},
		{title: "REV", width: 4, right: true, drop: 4},
		{title: "ROLLOUT", width: 11},
	}
	return p
}

func (p *servicesPage) setWorld(w *model.World, now time.Time) {
	keep := ""
	if i := p.selected(); i >= 0 && i < len(p.items) {
		keep = p.items[i].key()
	}
	p.awaiting = w.Snap.Sections == nil
	p.unknown = w.Snap.Unknown(model.SectionECS)
	if r := w.Snap.Sections[model.SectionECS]; p.unknown == "" && r.Carried && r.Err != nil {
		// Kept from an earlier refresh because this one failed: shown,
		// under the reason it may no longer be true.
		p.unknown = model.Sanitize(r.Err.Error())
	}
	if w.Snap.Known(model.SectionECS) {
		next := w.Snap.ECS
		if p.have {
			p.findVanished(next, now)
		}
		p.state, p.stateAt, p.have = next, now, true
	}
	for k, v := range p.vanished {
		if now.Sub(v.at) >= vanishFor {
			delete(p.vanished, k)
		}
	}
	p.rebuild()
	p.sizeToContent(len(p.items), func(i int, buf []cell) []cell { return p.row(i, buf) })
	p.reset(len(p.items), -1, func(int, string) bool { return true })
	for i := range p.items {
		if p.items[i].key() == keep {
			p.cur.to(i, p.rows)
		}
	}
}

// findVanished compares the services and clusters known so far with
// next: what was ACTIVE and is missing has vanished (model.Diff says so
// in the feed, from the same two states); what is listed again is not.
func (p *servicesPage) findVanished(next model.ECSState, now time.Time) {
	nowCl := map[string]bool{}
	for _, c := range next.Clusters {
		nowCl[c.Name] = true
	}
	nowSvc := map[string]bool{}
	for _, s := range next.Services {
		nowSvc[s.Key()] = true
	}
	for _, c := range p.state.Clusters {
		if !nowCl[c.Name] {
			if _, already := p.vanished[c.Name]; !already {
				p.vanished[c.Name] = vanishedRow{cluster: c, at: now}
			}
		}
	}
	for _, s := range p.state.Services {
		if !nowSvc[s.Key()] && s.Status == model.ECSActive {
			if _, already := p.vanished[s.Key()]; !already {
				p.vanished[s.Key()] = vanishedRow{svc: s, at: now}
			}
		}
	}
	for k := range p.vanished {
		if nowSvc[k] || nowCl[k] {
			delete(p.vanished, k) // back (recreated under the same name)
		}
	}
}

// rebuild lays the rows out: each cluster by name, then its services by
// name, the vanished among them.
func (p *servicesPage) rebuild() {
	p.items = p.items[:0]
	names := map[string]bool{}
	cls := map[string]*model.ECSCluster{}
	for i := range p.state.Clusters {
		c := &p.state.Clusters[i]
		names[c.Name], cls[c.Name] = true, c
	}
	byCluster := map[string][]serviceRow{}
	for i := range p.state.Services {
		s := &p.state.Services[i]
		names[s.Cluster] = true
		byCluster[s.Cluster] = append(byCluster[s.Cluster], serviceRow{cluster: s.Cluster, svc: s})
	}
	goneCl := map[string]*vanishedRow{}
	for k := range p.vanished {
		v := p.vanished[k]
		if v.svc.Name == "" {
			names[v.cluster.Name] = true
			goneCl[v.cluster.Name] = &v
			continue
		}
		names[v.svc.Cluster] = true
		byCluster[v.svc.Cluster] = append(byCluster[v.svc.Cluster], serviceRow{cluster: v.svc.Cluster, svc: &v.svc, gone: &v})
	}
	order := make([]string, 0, len(names))
	for n := range names {
		order = append(order, n)
	}
	slices.Sort(order)
	for _, n := range order {
		r := serviceRow{cluster: n, cl: cls[n]}
		if r.cl == nil {
			if g := goneCl[n]; g != nil {
				r.cl, r.gone = &g.cluster, g
			}
		}
		p.items = append(p.items, r)
		svcs := byCluster[n]
		slices.SortFunc(svcs, func(a, b serviceRow) int { return cmp.Compare(a.svc.Name, b.svc.Name) })
		p.items = append(p.items, svcs...)
	}
}

// alarm counts what the page bar says from other pages: failed rollouts
// and vanished services.
func (p *servicesPage) alarm() string {
	failed, gone := 0, 0
	for _, s := range p.state.Services {
		if s.Rollout() == model.RolloutFailed {
			failed++
		}
	}
	for _, v := range p.vanished {
		if v.svc.Name != "" {
			gone++
		}
	}
	var parts []string
	if failed > 0 {
		parts = append(parts, strconv.Itoa(failed)+" "+model.RolloutFailed)
	}
	if gone > 0 {
		parts = append(parts, strconv.Itoa(gone)+" vanished")
	}
	return strings.Join(parts, ", ")
}

func (p *servicesPage) keys(k *keyMap) []key.Binding {
	out := []key.Binding{k.Up, k.Down, k.Action}
	if r, ok := p.current(); ok && r.gone != nil {
		out = append(out, k.Ack)
	}
	return out
}

func (p *servicesPage) current() (serviceRow, bool) {
	i := p.selected()
	if i < 0 || i >= len(p.items) {
		return serviceRow{}, false
	}
	return p.items[i], true
}

func (p *servicesPage) update(msg tea.KeyPressMsg, k *keyMap) tea.Cmd {
	if key.Matches(msg, k.Ack) {
		if r, ok := p.current(); ok && r.gone != nil {
			delete(p.vanished, r.key())
			p.rebuild()
			p.reset(len(p.items), -1, func(int, string) bool { return true })
		}
		return nil
	}
	p.navigate(msg, k)
	return nil
}

// selection is the service under the cursor, for the action menu.
func (p *servicesPage) selection() (model.Selection, string, string) {
	r, ok := p.current()
	switch {
	case !ok:
		return model.Selection{}, "", "no service selected"
	case r.svc == nil:
		return model.Selection{}, "", "select a service of the cluster: airlock acts on services, not on ECS clusters"
	case r.gone != nil:
		return model.Selection{}, "", "service " + model.Display(r.svc.Name) + " vanished: there is nothing to act on (a acknowledges it)"
	}
	return model.Selection{ECSCluster: r.svc.Cluster, Service: r.svc.Name}, "service " + r.svc.String(), ""
}

func (p *servicesPage) setRows(h int) {
	p.height = h
	p.table.setRows(p.tableHeight(h) - tableChrome)
}

// tableHeight leaves at least half the page to the row under the
// cursor: its deployments and events are what the operator reads.
func (p *servicesPage) tableHeight(h int) int {
	want := max(len(p.items), 1) + tableChrome
	return min(want, max(h/2, tableChrome+1), h)
}

func (p *servicesPage) view(w, h int, now time.Time) string {
	th := p.tableHeight(h)
	empty, emptyInk := "no ECS clusters", (*ink)(nil)
	title := "ECS services " + count(p.len(), p.total)
	switch {
	case p.awaiting:
		empty = "waiting for the first refresh"
	case p.unknown != "" && !p.have:
		empty, emptyInk = "ECS unknown: "+p.unknown, &p.st.ink.Warn
	}
	if p.unknown != "" && !p.awaiting {
		title += " incomplete"
	}
	table := p.render(tableView{
		title: title, focused: true, header: true, empty: empty, emptyInk: emptyInk,
		cells: func(i int, buf []cell) ([]cell, rowKind) { return p.row(i, buf), rowPlain },
	}, w, th)
	return splitView(table, w, h, th, func(w, h int) string { return p.detail(w, h, now) })
}

// rolloutCell is the primary deployment's rollout: FAILED in the alarm
// colour, IN_PROGRESS as a warning, COMPLETED ok, "-" when ECS reports
// none (an external deployment controller).
func (p *servicesPage) rolloutCell(s *model.Service) cell {
	ik := &p.st.ink
	switch r := s.Rollout(); r {
	case model.RolloutFailed:
		return cell{text: r, style: &ik.Danger}
	case model.RolloutInProgress:
		return cell{text: r, style: &ik.Warn}
	case model.RolloutCompleted:
		return cell{text: r, style: &ik.Ok}
	case "":
		return cell{text: "-", style: &ik.Faint}
	default:
		return cell{text: r}
	}
}

func (p *servicesPage) row(i int, buf []cell) []cell {
	ik := &p.st.ink
	r := p.items[i]
	if r.svc == nil {
		name := cell{text: model.Display(r.cluster), style: &ik.Title}
		if r.cl == nil {
			return append(buf, name)
		}
		status := cell{text: r.cl.Status}
		if r.gone != nil {
			status = cell{text: "vanished", style: &ik.Danger}
		} else if r.cl.Status != model.ECSActive {
			status.style = &ik.Danger
		}
		return append(buf, name, status, cell{},
			cell{text: strconv.Itoa(r.cl.RunningTasks)},
			cell{text: strconv.Itoa(r.cl.PendingTasks)},
			cell{}, cell{},
			cell{text: plural(r.cl.ActiveServices, "service"), style: &ik.Faint})
	}
	s := r.svc
	if r.gone != nil {
		// Greyed: what it was, not what it is; the status says why.
		f := &ik.Faint
		return append(buf,
			cell{text: "  " + model.Display(s.Name), style: f},
			cell{text: "vanished", style: &ik.Danger},
			cell{text: strconv.Itoa(s.Desired), style: f},
			cell{text: strconv.Itoa(s.Running), style: f},
			cell{text: strconv.Itoa(s.Pending), style: f},
			cell{text: orDash(s.LaunchType), style: f},
			cell{text: revision(s), style: f},
			cell{text: orDash(s.Rollout()), style: f},
		)
	}
	status := cell{text: s.Status}
	if s.Status != model.ECSActive {
		status.style = &ik.Danger
	}
	run := cell{text: strconv.Itoa(s.Running)}
	if s.Short() {
		run.style = &ik.Warn
	}
	return append(buf,
		cell{text: "  " + model.Display(s.Name)},
		status,
		cell{text: strconv.Itoa(s.Desired)},
		run,
		cell{text: strconv.Itoa(s.Pending)},
		cell{text: orDash(s.LaunchType)},
		cell{text: revision(s)},
		p.rolloutCell(s),
	)
}

// revision is the task definition's revision, ":42", or "-".
func revision(s *model.Service) string {
	if r := s.Revision(); r != "" {
		return ":" + r
	}
	return "-"
}

func orDash(s string) string { return orWord(s, "-") }

// detail describes the row under the cursor in h lines.
func (p *servicesPage) detail(w, h int, now time.Time) string {
	l := &lines{w: w, st: p.st}
	ik := &p.st.ink
	r, ok := p.current()
	switch {
	case !ok:
		l.title("Service", "")
		l.add(&ik.Faint, "nothing listed to describe")
	case r.svc == nil:
		p.clusterDetail(l, r, now)
	default:
		p.serviceDetail(l, r, now)
	}
	if p.unknown != "" && p.have && !p.awaiting {
		// First, above the row's details: what follows may be old.
		note := &lines{w: w, st: p.st}
		note.wrapped(&ik.Warn, "", "  ", "ECS unknown: "+p.unknown+"; this is what the refresh of "+clockTime(p.stateAt, p.zone)+" listed")
		l.out = append(note.out, l.out...)
	}
	return l.block(h, 0)
}

func (p *servicesPage) clusterDetail(l *lines, r serviceRow, now time.Time) {
	ik := &p.st.ink
	l.title("ECS cluster "+model.Display(r.cluster), "")
	if r.gone != nil {
		l.wrapped(&ik.Danger, "", "  ", "VANISHED "+clockTime(r.gone.at, p.zone)+" ("+agoWord(now, r.gone.at)+"): ECS no longer lists it; it was "+
			r.cl.Status+" with "+plural(r.cl.ActiveServices, "service"))
		return
	}
	if r.cl == nil {
		l.add(&ik.Faint, "listed only through its vanished services")
		return
	}
	c := r.cl
	k := (*ink)(nil)
	if c.Status != model.ECSActive {
		k = &ik.Danger
	}
	l.wrapped(k, "", "  ", c.Status+": "+plural(c.ActiveServices, "service")+", "+strconv.Itoa(c.RunningTasks)+" tasks running, "+
		strconv.Itoa(c.PendingTasks)+" pending, "+plural(c.ContainerInstances, "container instance"))
	l.add(&ik.Faint, "x on a service: scale it, delete it (at 0), force a new deployment")
}

func (p *servicesPage) serviceDetail(l *lines, r serviceRow, now time.Time) {
	ik := &p.st.ink
	s := r.svc
	l.title("Service "+s.String(), "")
	if r.gone != nil {
		l.wrapped(&ik.Danger, "", "  ", "VANISHED "+clockTime(r.gone.at, p.zone)+" ("+agoWord(now, r.gone.at)+"): ECS no longer lists it; it was "+
			s.Counts()+". Whatever deploys it now fails. a acknowledges; below is what airlock last knew")
	} else if s.Status != model.ECSActive {
		l.wrapped(&ik.Danger, "", "  ", s.Status+": it is being deleted, or was")
	}
	facts := []string{s.Counts()}
	if s.LaunchType != "" {
		facts = append(facts, s.LaunchType)
	}
	if s.TaskDefinition != "" {
		facts = append(facts, "task definition "+s.TaskDefinition)
	}
	if !s.CreatedAt.IsZero() {
		facts = append(facts, "created "+s.CreatedAt.UTC().Format("2006-01-02"))
	}
	k := (*ink)(nil)
	if s.Short() && r.gone == nil {
		k = &ik.Warn
	}
	l.wrapped(k, "", "  ", strings.Join(facts, " · "))

	if len(s.Deployments) == 0 {
		l.add(&ik.Faint, "no deployment reported")
	}
	for _, d := range s.Deployments {
		line := d.Status + " " + d.TaskDefinition + ": " + strconv.Itoa(d.Running) + "/" + strconv.Itoa(d.Desired) + " running"
		if d.Pending > 0 {
			line += ", " + strconv.Itoa(d.Pending) + " pending"
		}
		if d.Failed > 0 {
			line += ", " + strconv.Itoa(d.Failed) + " failed"
		}
		if d.RolloutState != "" {
			line += ", rollout " + d.RolloutState
		}
		if !d.UpdatedAt.IsZero() {
			line += " (" + dayTime(d.UpdatedAt, now, p.zone) + ")"
		}
		var dk *ink
		switch d.RolloutState {
		case model.RolloutFailed:
			dk = &ik.Danger
		case model.RolloutInProgress:
			dk = &ik.Warn
		}
		if r.gone != nil {
			dk = &ik.Faint
		}
		l.wrapped(dk, "deployment ", "  ", line)
		if d.RolloutReason != "" && d.RolloutState != model.RolloutCompleted {
			l.wrapped(dk, "  ", "  ", d.RolloutReason)
		}
	}
	if len(s.Events) == 0 {
		l.add(&ik.Faint, "no service events")
		return
	}
	l.add(&ik.TitleFocused, "events, newest first:")
	for _, e := range s.Events {
		lead := dayTime(e.At, now, p.zone) + "  "
		l.wrapped(nil, lead, strings.Repeat(" ", width(lead)), e.Message)
	}
}

// dayTime is a time of day, with its date when it is not today's (a
// service's events go back months): "12:03:00 UTC", "Aug 22 12:03 UTC".
func dayTime(t, now time.Time, zone *time.Location) string {
	if zone == nil {
		zone = time.UTC
	}
	if y, m, d := t.In(zone).Date(); y == now.In(zone).Year() && m == now.In(zone).Month() && d == now.In(zone).Day() {
		return clockTime(t, zone)
	}
	return clockDate(t, zone)
}

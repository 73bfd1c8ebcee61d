package tui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/airlock-ops/airlock/model"
)

// The detail view: `d` on any row (or `enter` on an instance or an
// Elastic IP) replaces the panes with everything airlock knows about it,
// under the banner, scrollable, until esc. `enter` on a cluster still
// drills into its instances, as it always has: the instances pane is the
// list of its members, and `d` on the cluster gives the summary.
//
// The view follows the refreshes: its rows are rebuilt from each new
// world (a handful of fields, or at most detailMembers lines for a
// cluster), so an instance that stops while the operator reads about it
// says so. One that vanishes keeps its last description under a warning.

// detailKind is what a detail view describes.
type detailKind int

const (
	detailInstance detailKind = iota
	detailAddress
	detailCluster
	detailEvent
)

// detailMembers caps a cluster's member list: the instances pane lists
// them all, and a 10,000-instance cluster must not cost 10,000 lines on a
// key press.
const detailMembers = 200

// detailRow is one line of a description before wrapping: a label and a
// value, a heading (label only, heading set), a sub-row (indented), or a
// row of a table (cells, under memberCols).
type detailRow struct {
	label   string
	value   string
	style   *ink
	heading bool
	sub     bool
	cells   []cell
}

// memberCols are the columns of a cluster's member list; a narrow screen
// drops the name first, as the instances pane does.
var memberCols = []column{
	{title: "INSTANCE", width: 19},
	{title: "NAME", width: 8, flex: true, want: 14, drop: 1},
	{title: "STATE", width: 13},
	{title: "CHECKS", width: 9},
	{title: "EIP", width: 15},
	{title: "PRIVATE IP", width: 15, drop: 2},
}

// detailView is the open description.
type detailView struct {
	kind  detailKind
	id    string // instance ID, AddressKey, raw cluster name
	title string
	ev    entry // detailEvent only

	rows  []detailRow
	gone  bool     // not in the latest snapshot: rows are what was last known
	lines []string // rows wrapped to width, styled
	off   int      // first body line shown
}

// openDetail opens the description of the focused pane's row, and
// starts fetching its storage when it has any (storage.go).
func (m *Model) openDetail() tea.Cmd {
	d := &detailView{}
	switch m.focus {
	case paneClusters:
		name := m.clusters.selectedName()
		if name == "" {
			m.say("no cluster selected")
			return nil
		}
		d.kind, d.id = detailCluster, name
	case paneAddresses:
		i := m.addresses.selected()
		if i < 0 {
			m.say("no Elastic IP selected")
			return nil
		}
		d.kind, d.id = detailAddress, model.AddressKey(m.addresses.addrs[i])
	case paneInstances:
		id := m.instances.selectedID()
		if id == "" {
			m.say("no instance selected")
			return nil
		}
		d.kind, d.id = detailInstance, id
	case paneEvents:
		i := m.events.selected()
		if i < 0 {
			m.say("no event selected")
			return nil
		}
		d.kind, d.ev = detailEvent, m.events.entries[i]
	}
	m.detail = d
	cmd := m.startStorage()
	m.refreshDetail()
	return cmd
}

// refreshDetail rebuilds the open description from the world on screen.
func (m *Model) refreshDetail() {
	d := m.detail
	if d == nil {
		return
	}
	var rows []detailRow
	ok := true
	switch d.kind {
	case detailInstance:
		rows, ok = m.instanceRows(d.id)
		d.title = "Instance " + d.id
	case detailAddress:
		rows, ok = m.addressRows(d.id)
		d.title = "Elastic IP " + d.id
		if a, found := m.world.Address(d.id); found {
			d.title = "Elastic IP " + a.PublicIP
		}
	case detailCluster:
		rows, ok = m.clusterRows(d.id)
		d.title = "Cluster " + model.Display(d.id)
	case detailEvent:
		rows = eventRows(d.ev)
		d.title = "Event at " + clockTime(d.ev.at, m.opts.Zone)
	}
	d.gone = !ok
	if ok {
		d.rows = rows
	}
	d.layout(&m.st, m.lay.w)
}

// bodyHeight is how many lines of description fit under the title.
func (m *Model) detailHeight() int {
	return max(m.lay.footerY-m.lay.top-1, 1)
}

// layout wraps the rows to width w: the label in the terminal's colours,
// the value in its style, continuation lines under the value.
func (d *detailView) layout(st *styles, w int) {
	d.lines = d.lines[:0]
	put := func(lead string, k *ink, value string) {
		// Values are sanitised at ingestion (names through Display);
		// sanitised again here as the last defence, as pad does.
		lead, value = model.Sanitize(lead), st.mask(model.Sanitize(value))
		lw := ansi.StringWidth(lead)
		parts := []string{value}
		if lw+ansi.StringWidth(value) > w {
			parts = wrapWords(value, max(w-lw, 10))
		}
		for i, part := range parts {
			if i == 1 {
				lead = strings.Repeat(" ", lw)
			}
			if k != nil {
				part = k.render(part)
			}
			d.lines = append(d.lines, lead+part)
		}
	}
	if d.gone {
		put(" ", &st.ink.Warn, "not in the latest snapshot (terminated long ago, or its section failed): this is what airlock last knew")
		d.lines = append(d.lines, "")
	}
	const labelW = 17
	cols := fit(memberCols, max(w-3, 1))
	for _, r := range d.rows {
		switch {
		case r.cells != nil:
			var b strings.Builder
			b.WriteString("   ")
			cells := slices.Clone(r.cells) // masked for this layout only
			st.maskCells(cells)
			renderRow(&b, &st.ink, cols, cells, rowPlain, max(w-3, 1))
			d.lines = append(d.lines, b.String())
		case r.heading:
			d.lines = append(d.lines, "", st.ink.TitleFocused.render(" "+r.label))
			if r.label == membersHeading {
				var b strings.Builder
				b.WriteString("   ")
				renderHeader(&b, &st.ink, cols, max(w-3, 1))
				d.lines = append(d.lines, b.String())
			}
		case r.sub:
			put("   "+pad(r.label, max(labelW-2, ansi.StringWidth(r.label)), false)+" ", r.style, r.value)
		default:
			put(" "+pad(r.label, labelW, false)+" ", r.style, r.value)
		}
	}
}

// scroll moves the view by n lines (a page, the start, the end), kept in
// range for a body of h lines.
func (d *detailView) scroll(n, h int) {
	d.off = max(min(d.off+n, len(d.lines)-h), 0)
}

// view draws the description in exactly h lines of w cells.
func (d *detailView) view(st *styles, w, h int) string {
	body := max(h-1, 0)
	d.off = max(min(d.off, len(d.lines)-body), 0)
	var b strings.Builder
	renderTitle(&b, &st.ink, st.mask(d.title), position(d.off, min(d.off+body, len(d.lines)), len(d.lines)), true, w)
	for i := range body {
		b.WriteByte('\n')
		s := ""
		if j := d.off + i; j < len(d.lines) {
			s = d.lines[j]
		}
		b.WriteString(padStyled(s, w))
	}
	return b.String()
}

// utc is how the detail view writes a time: in UTC, like `airlock
// status` and the audit log, with its age.
func utc(t, now time.Time) string {
	if t.IsZero() {
		return "not reported"
	}
	s := t.UTC().Format("2006-01-02 15:04:05 UTC")
	if a := ago(now, t); a != "" && t.Before(now) {
		s += " (" + a + " ago)"
	} else if t.After(now) {
		s += " (in " + ago(t, now.Add(-time.Second)) + ")"
	}
	return s
}

// sectionUnknown is why a section of the snapshot cannot say "none", or
// "" when it was fetched in full.
func (m *Model) sectionUnknown(sec model.Section) string {
	res, ok := m.world.Snap.Sections[sec]
	switch {
	case !ok:
		return "unknown: not fetched yet"
	case res.Err != nil:
		return "unknown: " + res.Err.Error()
	case !res.Complete:
		return "unknown: fetched only in part"
	}
	return ""
}

// lastKnown is a note under data a failed section carried over from an
// earlier refresh, or nil when the section is current.
func (m *Model) lastKnown(sec model.Section) []detailRow {
	why := m.sectionUnknown(sec)
	if why == "" {
		return nil
	}
	return []detailRow{{value: "last known: the latest fetch failed (" + strings.TrimPrefix(why, "unknown: ") + ")", style: &m.st.ink.Warn}}
}

func (m *Model) instanceRows(id string) ([]detailRow, bool) {
	in, ok := m.world.Instance(id)
	if !ok {
		return nil, false
	}
	ik := &m.st.ink
	cluster, _ := m.world.ClusterOf(id)
	none := func(s string) string {
		if s == "" {
			return "none"
		}
		return s
	}
	name := "none (no Name tag)"
	if in.Name != "" {
		name = model.Display(in.Name)
	}
	rows := []detailRow{
		{label: "ID", value: in.ID},
		{label: "Name", value: name},
		{label: "Cluster", value: m.clusterLine(cluster)},
		{label: "State", value: string(in.State), style: stateInk(ik, in.State)},
		{label: "Type", value: in.Type},
		{label: "AMI", value: none(in.ImageID)},
		{label: "Zone", value: none(in.AZ)},
		{label: "Subnet", value: m.subnetLine(in.SubnetID)},
		{label: "VPC", value: none(in.VPCID)},
		{label: "Private IP", value: none(in.PrivateIP)},
		{label: "Public IP", value: none(in.PublicIP)},
	}
	eips := m.world.EIPsOf[id]
	switch {
	case len(eips) > 0:
		for i, a := range eips {
			label := ""
			if i == 0 {
				label = "Elastic IPs"
			}
			v := a.PublicIP + " (" + a.AllocationID
			if a.AssociationID != "" {
				v += ", association " + a.AssociationID
			}
			v += ")"
			rows = append(rows, detailRow{label: label, value: v, style: &ik.Live})
		}
		rows = append(rows, m.lastKnown(model.SectionAddresses)...)
	case m.sectionUnknown(model.SectionAddresses) != "":
		rows = append(rows, detailRow{label: "Elastic IPs", value: m.sectionUnknown(model.SectionAddresses), style: &ik.Warn})
	default:
		rows = append(rows, detailRow{label: "Elastic IPs", value: "none"})
	}
	if len(in.SecurityGroups) == 0 {
		rows = append(rows, detailRow{label: "Security groups", value: "none"})
	}
	for i, g := range in.SecurityGroups {
		label := ""
		if i == 0 {
			label = "Security groups"
		}
		v := g.ID
		if g.Name != "" {
			v += " (" + g.Name + ")"
		}
		rows = append(rows, detailRow{label: label, value: v})
	}
	rows = append(rows,
		detailRow{label: "IAM profile", value: none(in.IAMProfile)},
		detailRow{label: "Launched", value: utc(in.LaunchTime, m.now)},
	)
	rows = append(rows, m.checkRows(id)...)
	rows = append(rows, m.storageRows()...)

	rows = append(rows, detailRow{label: "Tags", heading: true})
	rows = append(rows, tagRows(in.Tags)...)
	return rows, true
}

// checkRows are the status checks and scheduled events of an instance.
func (m *Model) checkRows(id string) []detailRow {
	ik := &m.st.ink
	st, ok := m.world.Snap.Statuses[id]
	if !ok {
		if why := m.sectionUnknown(model.SectionStatus); why != "" {
			return []detailRow{{label: "Status checks", value: why, style: &ik.Warn}}
		}
		return []detailRow{{label: "Status checks", value: "not reported: AWS reports checks for running instances only"}}
	}
	check := func(c model.CheckStatus) string {
		if c == "" {
			return "not reported"
		}
		return string(c)
	}
	var style *ink
	switch {
	case st.Failed():
		style = &ik.Danger
	case st.Passing():
		style = &ik.Ok
	}
	rows := []detailRow{{label: "Status checks", value: "system " + check(st.System) + ", instance " + check(st.Instance), style: style}}
	rows = append(rows, m.lastKnown(model.SectionStatus)...)
	if len(st.Events) == 0 {
		return append(rows, detailRow{label: "Scheduled events", value: "none"})
	}
	// The events to come first, soonest first, each with its code,
	// AWS's description, its window and how long until it (S6); then
	// those AWS marks completed or cancelled, faint.
	evs := model.PendingEvents(st)
	for _, e := range st.Events {
		if !e.Pending() {
			evs = append(evs, e)
		}
	}
	for i, e := range evs {
		label := ""
		if i == 0 {
			label = "Scheduled events"
		}
		style := &ik.Warn
		if !e.Pending() {
			style = &ik.Faint
		}
		rows = append(rows, detailRow{label: label, value: model.EventLine(e, m.now), style: style})
	}
	return rows
}

// clusterLine names an instance's cluster and whether it is LIVE.
func (m *Model) clusterLine(name string) string {
	c, ok := m.world.Cluster(name)
	switch {
	case !ok:
		return "none"
	case c.Untagged:
		return c.Display + ": no " + m.world.TagKey + " tag"
	case c.Live:
		return c.Display + " (LIVE: holds " + plural(len(c.EIPs), "Elastic IP") + ")"
	}
	return c.Display + " (not LIVE)"
}

// subnetLine describes a subnet from the subnets section, when it has it.
func (m *Model) subnetLine(id string) string {
	if id == "" {
		return "none"
	}
	for _, s := range m.world.Snap.Subnets {
		if s.ID == id {
			v := id + " ("
			if s.Name != "" {
				v += s.Name + ", "
			}
			return v + s.CIDR + ", " + plural(s.AvailableIPs, "address") + " free)"
		}
	}
	if why := m.sectionUnknown(model.SectionSubnets); why != "" {
		return id + " (details " + why + ")"
	}
	return id
}

func (m *Model) addressRows(key string) ([]detailRow, bool) {
	a, ok := m.world.Address(key)
	if !ok {
		return nil, false
	}
	ik := &m.st.ink
	o := m.world.Owners[key]
	orNone := func(s, none string) string {
		if s == "" {
			return none
		}
		return s
	}
	owner := detailRow{label: "Owner", value: o.String()}
	switch {
	case o.Cluster != "":
		owner.value = m.clusterLine(o.Cluster) + ", instance " + o.InstanceID
		if c, _ := m.world.Cluster(o.Cluster); c.Live {
			owner.style = &ik.Live
		}
	case o.InstanceID != "":
		owner.value = o.InstanceID + " (an instance this snapshot does not hold)"
		owner.style = &ik.Warn
	case !o.Associated():
		owner.style = &ik.Faint
	}
	instance := "none"
	if a.InstanceID != "" {
		instance = a.InstanceID
		if in, ok := m.world.Instance(a.InstanceID); ok && in.Name != "" {
			instance += "  " + model.Display(in.Name)
		}
	}
	rows := []detailRow{
		{label: "Public IP", value: a.PublicIP},
		{label: "Allocation", value: orNone(a.AllocationID, "none (EC2-Classic)")},
		owner,
		{label: "Association", value: orNone(a.AssociationID, "none: unassociated")},
		{label: "Instance", value: instance},
		{label: "Network interface", value: orNone(a.NetworkInterfaceID, "none")},
		{label: "Private IP", value: orNone(a.PrivateIP, "none")},
		{label: "Domain", value: orNone(a.Domain, "not reported")},
		{label: "Tags", heading: true},
	}
	return append(rows, tagRows(a.Tags)...), true
}

func (m *Model) clusterRows(name string) ([]detailRow, bool) {
	c, ok := m.world.Cluster(name)
	if !ok {
		return nil, false
	}
	ik := &m.st.ink
	rows := []detailRow{{label: "Cluster", value: c.Display}}
	if c.Untagged {
		rows[0].value += ": the instances without the " + m.world.TagKey + " tag (a group, not a cluster: whole-cluster actions refuse it)"
	}
	if len(c.LookAlikes) > 0 {
		var names []string
		for _, n := range c.LookAlikes {
			names = append(names, model.Display(n))
		}
		rows = append(rows, detailRow{label: "Looks like", value: lookAlikeBadge + strings.Join(names, ", ") + ": airlock refuses to act on either by name", style: &ik.Danger})
	}
	live := detailRow{label: "LIVE", value: "no: holds no Elastic IP"}
	switch why := m.sectionUnknown(model.SectionAddresses); {
	case c.Live:
		live = detailRow{label: "LIVE", value: "yes: holds " + plural(len(c.EIPs), "Elastic IP") + ": " + strings.Join(c.EIPs, " "), style: &ik.Live}
	case why != "":
		live = detailRow{label: "LIVE", value: why, style: &ik.Warn}
	}
	rows = append(rows, live)
	if c.Live {
		rows = append(rows, m.lastKnown(model.SectionAddresses)...)
	}
	rows = append(rows,
		detailRow{label: "Instances", value: plural(len(c.InstanceIDs), "instance") + ": " + longStates(c.States)})
	checks := detailRow{label: "Status checks", value: "none failed", style: &ik.Ok}
	switch {
	case m.sectionUnknown(model.SectionStatus) != "":
		checks = detailRow{label: "Status checks", value: m.sectionUnknown(model.SectionStatus), style: &ik.Warn}
	case c.FailedChecks > 0:
		checks = detailRow{label: "Status checks", value: plural(c.FailedChecks, "instance") + " failing", style: &ik.Danger}
	}
	rows = append(rows, checks)
	if c.Scheduled > 0 {
		rows = append(rows, detailRow{label: "Scheduled events", value: plural(c.Scheduled, "instance") + " with an event to come", style: &ik.Warn})
	}
	rows = append(rows, detailRow{label: "Newest launch", value: utc(c.NewestLaunch, m.now)})
	rows = append(rows, m.groupRows(c)...)
	rows = append(rows, m.storageRows()...)

	rows = append(rows, detailRow{label: membersHeading, heading: true})
	for i, id := range c.InstanceIDs {
		if i == detailMembers {
			rows = append(rows, detailRow{label: "", value: "… and " + strconv.Itoa(len(c.InstanceIDs)-i) + " more: enter on the cluster lists them all", style: &ik.Faint, sub: true})
			break
		}
		in, _ := m.world.Instance(id)
		eip := cell{text: "-", style: &ik.Faint}
		if held := m.world.EIPsOf[id]; len(held) > 0 {
			eip = cell{text: held[0].PublicIP, style: &ik.Live}
		}
		rows = append(rows, detailRow{cells: []cell{
			{text: id},
			{text: model.Display(in.Name)},
			{text: string(in.State), style: stateInk(ik, in.State)},
			m.instances.checks(in, m.now),
			eip,
			{text: in.PrivateIP},
		}})
	}
	return rows, true
}

// membersHeading heads a cluster's member list, drawn with its columns.
const membersHeading = "Members"

func eventRows(e entry) []detailRow {
	return []detailRow{
		{label: "Time", value: e.at.UTC().Format("2006-01-02 15:04:05 UTC")},
		{label: "Event", value: e.text},
	}
}

// tagRows lists tags sorted by their raw key, shown through Display (a
// tag is raw, untrusted identity).
func tagRows(tags model.Tags) []detailRow {
	if len(tags) == 0 {
		return []detailRow{{value: "none", sub: true}}
	}
	rows := make([]detailRow, 0, len(tags))
	for _, t := range tags { // sorted by key
		rows = append(rows, detailRow{label: model.Display(t.Key), value: model.Display(t.Value), sub: true})
	}
	return rows
}

// longStates is "2 running, 1 stopped", in the STATES column's order.
func longStates(m map[model.InstanceState]int) string {
	var parts []string
	for _, st := range stateOrder {
		if n := m[st.s]; n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+string(st.s))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	s := strconv.Itoa(n) + " " + noun
	if n != 1 {
		if strings.HasSuffix(noun, "s") {
			return s + "es"
		}
		return s + "s"
	}
	return s
}

// stateInk is the colour of an instance state, as the STATE column draws it.
func stateInk(ik *inks, s model.InstanceState) *ink {
	switch s {
	case model.StateRunning:
		return &ik.Ok
	case model.StatePending, model.StateStopping:
		return &ik.Warn
	case model.StateShuttingDown, model.StateTerminated, model.StateStopped:
		return &ik.Danger
	}
	return nil
}

// detailKey handles a key while details are open. It reports false for
// the keys that keep their dashboard meaning there (refresh, pause, help,
// find, actions, copy); the pane keys do nothing under the view.
func (m *Model) detailKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	d := m.detail
	k := &m.keys
	h := m.detailHeight()
	switch {
	case key.Matches(msg, k.Refresh, k.Pause, k.Help, k.Find, k.Action, k.Copy):
		return nil, false
	case key.Matches(msg, k.Back):
		m.detail = nil
		m.stopStorage()
	case key.Matches(msg, k.Up):
		d.scroll(-1, h)
	case key.Matches(msg, k.Down):
		d.scroll(1, h)
	case key.Matches(msg, k.PageUp):
		d.scroll(-max(h-1, 1), h)
	case key.Matches(msg, k.PageDown):
		d.scroll(max(h-1, 1), h)
	case key.Matches(msg, k.Home):
		d.off = 0
	case key.Matches(msg, k.End):
		d.scroll(len(d.lines), h)
	}
	return nil, true
}

// selection is what the details describe, as model.Menu wants it.
func (d *detailView) selection(w *model.World) (model.Selection, string, bool) {
	switch d.kind {
	case detailInstance:
		return model.Selection{InstanceID: d.id}, "instance " + d.id, true
	case detailAddress:
		ip := d.id
		if a, ok := w.Address(d.id); ok {
			ip = a.PublicIP
		}
		return model.Selection{AllocationID: d.id}, "EIP " + ip, true
	case detailCluster:
		return model.Selection{Cluster: d.id}, "cluster " + model.Display(d.id), true
	}
	return model.Selection{}, "", false
}

// detailKeys are the keys of the details, for the footer.
func detailKeys(k *keyMap, actions bool) bindings {
	short := []key.Binding{withHelp(k.Down, "↑/↓", "scroll"), k.Copy}
	if actions {
		short = append(short, k.Action)
	}
	return bindings{short: append(short, withHelp(k.Back, "esc", "close"), k.Help, k.Quit)}
}

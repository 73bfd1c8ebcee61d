package tui

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// networkPage is page 3 (story S5: a rebuild found a subnet that could
// not hold two clusters): every subnet by availability zone, its free
// addresses and the share used, LOW in the warning colour under the
// threshold (model.DefaultLowSubnet: 10% or 16 addresses), and the
// clusters and groups using it; below the table, the subnet under the
// cursor in full.
type networkPage struct {
	table
	subnets  []model.SubnetUse
	unknown  string
	awaiting bool
	low      model.LowSubnet
}

func newNetworkPage(st *styles, _ Options) page {
	p := &networkPage{awaiting: true, low: model.DefaultLowSubnet}
	p.st = st
	p.cols = []column{
		{title: "AZ", width: 10},
		// IDs are cut in the middle past 16 cells (the detail below
		// shows the whole ID): the clusters and groups beside them are
		// what the operator scans for.
		{title: "SUBNET", width: 16},
		{title: "FREE", width: 5, right: true},
		{title: "TOTAL", width: 5, right: true, drop: 2},
		{title: "USED", width: 4, right: true},
		{title: "", width: 3},
		{title: "USED BY", width: 10, flex: true, want: 30, most: 60},
		{title: "NAME", width: 14, drop: 1},
	}
	return p
}

func (p *networkPage) setWorld(w *model.World, _ time.Time) {
	keep := ""
	if i := p.selected(); i >= 0 && i < len(p.subnets) {
		keep = p.subnets[i].ID
	}
	p.subnets = model.SubnetUses(*w, p.low)
	p.unknown = w.Snap.Unknown(model.SectionSubnets)
	p.awaiting = w.Snap.Sections == nil
	p.reset(len(p.subnets), -1, func(int, string) bool { return true })
	for i := range p.subnets {
		if p.subnets[i].ID == keep {
			p.cur.to(i, p.rows)
		}
	}
}

func (p *networkPage) alarm() string {
	n := 0
	for i := range p.subnets {
		if p.subnets[i].Low {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n) + " LOW"
}

func (p *networkPage) keys(k *keyMap) []key.Binding { return []key.Binding{k.Up, k.Down} }

func (p *networkPage) update(msg tea.KeyPressMsg, k *keyMap) tea.Cmd {
	p.navigate(msg, k)
	return nil
}

func (p *networkPage) setRows(h int) { p.table.setRows(p.tableHeight(h) - tableChrome) }

// tableHeight leaves at least a few lines for the subnet under the cursor.
func (p *networkPage) tableHeight(h int) int {
	want := max(len(p.subnets), 1) + tableChrome
	return min(want, max(h-6, tableChrome+1), h)
}

// usedBy names the clusters and groups in a subnet, groups first (they
// are what launches into it): "group rebuild, group blue+cluster" would
// be long, so a name that is both a group and a cluster is written once,
// as "blue", a group alone as "group x", a cluster alone as its name, and
// the untagged instances last.
func usedBy(u *model.SubnetUse) string {
	clusters := map[string]bool{}
	for _, c := range u.Clusters {
		clusters[c] = true
	}
	var parts []string
	for _, g := range u.Groups {
		if clusters[g] {
			parts = append(parts, model.Display(g))
			delete(clusters, g)
		} else {
			parts = append(parts, "group "+model.Display(g))
		}
	}
	untagged := false
	for _, c := range u.Clusters {
		switch {
		case c == model.UntaggedCluster:
			untagged = true
		case clusters[c]:
			parts = append(parts, model.Display(c))
		}
	}
	if untagged {
		parts = append(parts, model.UntaggedCluster)
	}
	return strings.Join(parts, ", ")
}

// usedShare is "98%", or "?" when the subnet's size is unknown.
func usedShare(u *model.SubnetUse) string {
	if u.Total <= 0 {
		return "?"
	}
	return strconv.Itoa(int(u.Used*100+0.5)) + "%"
}

func (p *networkPage) row(i int, buf []cell) []cell {
	u := &p.subnets[i]
	ik := &p.st.ink
	free := cell{text: strconv.Itoa(u.Free())}
	low := cell{}
	if u.Low {
		free.style = &ik.Warn
		low = cell{text: "LOW", style: &ik.Warn}
	}
	total := cell{text: strconv.Itoa(u.Total)}
	if u.Total <= 0 {
		total = cell{text: "?", style: &ik.Faint}
	}
	return append(buf,
		cell{text: u.AZ},
		cell{text: u.ID, cut: cutMiddle},
		free,
		total,
		cell{text: usedShare(u)},
		low,
		cell{text: usedBy(u)},
		cell{text: u.Name},
	)
}

func (p *networkPage) view(w, h int, _ time.Time) string {
	th := p.tableHeight(h)
	v := sectionTable(p.st, "Subnets by zone "+count(p.len(), p.total), "subnets", p.awaiting, p.unknown)
	v.focused = true
	v.cells = func(i int, buf []cell) ([]cell, rowKind) { return p.row(i, buf), rowPlain }
	return splitView(p.render(v, w, th), w, h, th, p.detail)
}

// detail describes the subnet under the cursor, and the zones' totals.
func (p *networkPage) detail(w, h int) string {
	l := &lines{w: w, st: p.st}
	ik := &p.st.ink
	i := p.selected()
	if i < 0 || i >= len(p.subnets) {
		l.title("Subnet", "")
		return l.block(h, 0)
	}
	u := &p.subnets[i]
	l.title("Subnet "+u.ID+" in "+u.AZ, "")
	size := "of an unknown size"
	if u.Total > 0 {
		size = "of " + strconv.Itoa(u.Total) + " (" + usedShare(u) + " used)"
	}
	text := strconv.Itoa(u.Free()) + " free " + oneOrMany(u.Free(), "address", "addresses") + " " + size + ", CIDR " + u.CIDR
	if u.Low {
		l.wrapped(&ik.Warn, "LOW: ", "  ", text+"; under "+strconv.Itoa(p.low.Addresses)+" addresses or "+
			strconv.Itoa(int(p.low.Share*100))+"% free, a cluster or a group scaling out here can run out")
	} else {
		l.wrapped(nil, "", "  ", text)
	}
	if by := usedBy(u); by != "" {
		l.wrapped(&ik.Faint, "used by ", "  ", by)
	} else {
		l.add(&ik.Faint, "no cluster or group uses it")
	}
	// The zones at a glance: a rebuild chooses where to go by zone.
	zones := map[string][2]int{}
	var order []string
	for j := range p.subnets {
		s := &p.subnets[j]
		z, seen := zones[s.AZ]
		if !seen {
			order = append(order, s.AZ)
		}
		zones[s.AZ] = [2]int{z[0] + s.Free(), z[1] + s.Total}
	}
	var parts []string
	for _, z := range order {
		parts = append(parts, z+" "+strconv.Itoa(zones[z][0])+" free")
	}
	l.wrapped(&ik.Faint, "by zone: ", "  ", strings.Join(parts, " · "))
	return l.block(h, 0)
}

// oneOrMany is one or many by n.
func oneOrMany(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

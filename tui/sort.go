package tui

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/airlock-ops/airlock/model"
)

// Sorting: `s` cycles the focused pane through its orders, and the
// column it sorts by carries an arrow in the header ("LAUNCHED▼"). The
// order is worked out when the rows or the order change (a snapshot, a
// key), once, into table.order; drawing a frame only reads it.

// sortKey is one order a pane offers.
type sortKey struct {
	col  int  // the column (index in the pane's full list) the arrow goes on
	desc bool // drawn ▼: largest, newest or worst first
	// cmp orders two source rows; nil is the pane's natural order (the
	// order its rows arrive in). Ties keep the natural order.
	cmp func(a, b int) int
	// arrange, when not nil, gives the order itself (source rows, or nil
	// for the natural order), for an order cheaper to build than to
	// sort: the few broken instances first, the rest as they arrive.
	arrange func(total int) []int
}

func (k sortKey) arrow() string {
	if k.desc {
		return "▼"
	}
	return "▲"
}

// sortKey is the order in force, if the pane has any.
func (t *table) sortKey() (sortKey, bool) {
	if len(t.sorts) == 0 {
		return sortKey{}, false
	}
	return t.sorts[t.sortI], true
}

// resort puts the table's total source rows in the order in force. Call
// it when the rows change, before reset.
func (t *table) resort(total int) {
	k, ok := t.sortKey()
	if ok && k.arrange != nil {
		t.order = k.arrange(total)
		return
	}
	if !ok || k.cmp == nil {
		t.order = nil
		return
	}
	order := make([]int, total)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, k.cmp)
	t.order = order
}

// nextSort moves to the pane's next order; it reports false when the
// pane has only one.
func (t *table) nextSort() bool {
	if len(t.sorts) < 2 {
		return false
	}
	t.sortI = (t.sortI + 1) % len(t.sorts)
	return true
}

// sortName is how the footer names the order in force: "LAUNCHED▼".
func (t *table) sortName() string {
	k, _ := t.sortKey()
	return t.cols[k.col].title + k.arrow()
}

// Column indexes of the sortable columns, in each pane's full list.
const (
	colClusterName   = 0
	colClusterRun    = 2
	colClusterChecks = 4
	colClusterNewest = 6

	colInstanceID       = 0
	colInstanceName     = 1
	colInstanceState    = 2
	colInstanceChecks   = 4
	colInstanceLaunched = 5

	colAddressIP    = 0
	colAddressOwner = 1
)

func (p *clustersPane) sortKeys() []sortKey {
	c := func(i int) *model.Cluster { return &p.clusters[i] }
	return []sortKey{
		{col: colClusterName},
		// Fewest running (as a share of the cluster) first: the
		// clusters in trouble.
		{col: colClusterRun, cmp: func(a, b int) int {
			x, y := c(a), c(b)
			return cmp.Compare(x.Running()*len(y.InstanceIDs), y.Running()*len(x.InstanceIDs))
		}},
		{col: colClusterChecks, desc: true, cmp: func(a, b int) int {
			x, y := c(a), c(b)
			return cmp.Or(cmp.Compare(y.FailedChecks, x.FailedChecks), cmp.Compare(y.Scheduled, x.Scheduled))
		}},
		{col: colClusterNewest, desc: true, cmp: func(a, b int) int {
			return c(b).NewestLaunch.Compare(c(a).NewestLaunch)
		}},
	}
}

func (p *instancesPane) sortKeys() []sortKey {
	in := func(i int) model.Instance { in, _ := p.world.Instance(p.ids[i]); return in }
	return []sortKey{
		// The default (S6): failed checks and scheduled events first,
		// so the file server whose host is dying is the first row, not
		// the fortieth; then the rest by ID.
		{col: colInstanceChecks, desc: true, arrange: p.hardwareFirst},
		{col: colInstanceID},
		{col: colInstanceName, cmp: func(a, b int) int {
			return strings.Compare(in(a).Name, in(b).Name)
		}},
		{col: colInstanceState, cmp: func(a, b int) int {
			return cmp.Compare(stateRank(in(a).State), stateRank(in(b).State))
		}},
		{col: colInstanceLaunched, desc: true, cmp: func(a, b int) int {
			return in(b).LaunchTime.Compare(in(a).LaunchTime)
		}},
	}
}

func (p *addressesPane) sortKeys() []sortKey {
	return []sortKey{
		{col: colAddressIP},
		// By owner, so a cluster's addresses sit together; the
		// unassociated last.
		{col: colAddressOwner, cmp: func(a, b int) int {
			x, y := p.owners[a], p.owners[b]
			if x.Associated() != y.Associated() {
				if x.Associated() {
					return -1
				}
				return 1
			}
			return strings.Compare(x.String(), y.String())
		}},
	}
}

// stateRank orders states as the STATES column reads them: what serves
// first, what is going away last.
func stateRank(s model.InstanceState) int {
	for i, st := range stateOrder {
		if st.s == s {
			return i
		}
	}
	return len(stateOrder)
}

// hardwareFirst orders the pane's instances as the CHECKS column reads
// them worst first: those whose checks fail or that have an event to
// come, most urgent first (model.CompareHardware: failed checks, then
// the soonest event), then the rest in ID order. Only the broken (found
// by scanHardware) are sorted, so following the clusters cursor through
// a large cluster costs at most a lookup per member, no sort. nil (the
// natural order) when none is.
func (p *instancesPane) hardwareFirst(total int) []int {
	bad := p.broken
	if len(bad) == 0 || total != len(p.ids) {
		return nil
	}
	order := make([]int, len(bad), total)
	j := 0
	for i := range total { // bad is in ascending order
		if j < len(bad) && bad[j] == i {
			j++
			continue
		}
		order = append(order, i)
	}
	sts := p.world.Snap.Statuses
	copy(order, bad)
	first := order[:len(bad)]
	slices.SortStableFunc(first, func(a, b int) int { return model.CompareHardware(sts[p.ids[a]], sts[p.ids[b]]) })
	return order
}

// checksWidth is the CHECKS column's width when nothing is wrong: "FAILED
// both" and "no data" fit; a scheduled event's word ("retiring in 3d")
// widens it (scanHardware).
const checksWidth = 11

// scanHardware finds the pane's instances whose CHECKS cell says
// something is wrong with their hardware (a failed check or an event to
// come, on an instance whose checks mean something), in row order, and
// widens the CHECKS column to the longest thing it will say of them now
// (model.HardwareWord hardly grows as the event nears: "in 2d" to "in
// 47h"). One lookup per member, when the rows change, and only when
// suspect (the cluster counts a failed check or an event): most clusters,
// most of the time, cost nothing.
func (p *instancesPane) scanHardware(now time.Time, suspect bool) {
	p.broken = p.broken[:0]
	widest := checksWidth
	if !suspect {
		p.cols[colInstanceChecks].width = widest
		return
	}
	sts := p.world.Snap.Statuses
	for i, id := range p.ids {
		st, ok := sts[id]
		if !ok || !(st.Failed() || st.HasPendingEvent()) {
			continue
		}
		if in, ok := p.world.Instance(id); !ok || !checksApply(in.State) {
			continue
		}
		p.broken = append(p.broken, i)
		widest = max(widest, width(model.HardwareWord(st, now)))
	}
	p.cols[colInstanceChecks].width = widest
}

// sortNext moves the clusters pane to its next order, keeping the cursor
// on its cluster.
func (p *clustersPane) sortNext() bool {
	if !p.nextSort() {
		return false
	}
	keep := p.selectedName()
	p.resort(len(p.clusters))
	p.reset(len(p.clusters), -1, p.match)
	p.selectName(keep)
	return true
}

// sortNext moves the instances pane to its next order, keeping the
// cursor on its instance.
func (p *instancesPane) sortNext() bool {
	if !p.nextSort() {
		return false
	}
	keep := p.selectedID()
	p.resort(len(p.ids))
	p.reset(len(p.ids), -1, p.match)
	p.selectID(keep)
	return true
}

// sortNext moves the Elastic IPs pane to its next order, keeping the
// cursor on its address.
func (p *addressesPane) sortNext() bool {
	if !p.nextSort() {
		return false
	}
	keep := p.selectedIP()
	p.resort(len(p.addrs))
	p.reset(len(p.addrs), -1, p.match)
	p.selectIP(keep)
	return true
}

// sortFocused moves the focused pane to its next order and says which.
func (m *Model) sortFocused() {
	var t *table
	var ok bool
	switch m.focus {
	case paneClusters:
		t, ok = &m.clusters.table, m.clusters.sortNext()
		m.syncInstances()
	case paneAddresses:
		t, ok = &m.addresses.table, m.addresses.sortNext()
	case paneInstances:
		t, ok = &m.instances.table, m.instances.sortNext()
	}
	if !ok {
		m.say("the event feed is always newest first")
		return
	}
	m.say("sorted by " + t.sortName() + " (s: next order)")
}

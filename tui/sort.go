package tui

import (
	"cmp"
	"slices"
	"strings"

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
	in := func(i int) model.Instance { return p.world.Instances[p.ids[i]] }
	return []sortKey{
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
		{col: colInstanceChecks, desc: true, cmp: func(a, b int) int {
			return cmp.Compare(p.checkRank(p.ids[a]), p.checkRank(p.ids[b]))
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

// checkRank orders instances worst first by what the CHECKS column says.
func (p *instancesPane) checkRank(id string) int {
	st, ok := p.world.Snap.Statuses[id]
	switch {
	case !ok:
		return 7
	case st.System == model.CheckImpaired && st.Instance == model.CheckImpaired:
		return 0
	case st.Failed():
		return 1
	case st.HasPendingEvent():
		return 2
	case st.System == model.CheckInitializing || st.Instance == model.CheckInitializing:
		return 3
	case st.System == model.CheckInsufficientData || st.Instance == model.CheckInsufficientData:
		return 4
	case st.Passing():
		return 5
	}
	return 6
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

package tui

import (
	"net/netip"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// addressesPane lists the Elastic IPs and where each points now: the
// pane that would have shown, in story S1, that the EIPs had moved to
// green before anyone released them.
//
// Rows are sorted by IP, not by owner, so an EIP keeps its row when it
// moves: the operator sees the owner cell change (and highlight) rather
// than rows reshuffling.
type addressesPane struct {
	table
	addrs  []model.Address
	owners []model.Owner // parallel to addrs
	recent *recent
	// unknown says why the addresses are not known ("" when they are):
	// the pane then says so instead of "no Elastic IPs", which would
	// read as "nothing is live". awaiting: no answer yet.
	unknown  string
	awaiting bool
}

// ownerMost caps the owner column: a cluster name longer than this
// shortens (the instance ID after it never does before the name).
const ownerMost = 48

func newAddressesPane(st *styles, r *recent) *addressesPane {
	p := &addressesPane{recent: r, awaiting: true}
	p.st = st
	p.cols = []column{
		{title: "PUBLIC IP", width: 15},
		{title: "OWNER", width: 12, flex: true, want: 26, most: ownerMost},
		{title: "ALLOCATION", width: 26, drop: 2, aside: true},
		{title: "PRIVATE IP", width: 15, drop: 3, aside: true},
	}
	p.sorts = p.sortKeys()
	return p
}

func (p *addressesPane) setWorld(w *model.World) {
	keep := p.selectedIP()
	p.unknown = w.Snap.Unknown(model.SectionAddresses)
	_, fetched := w.Snap.Sections[model.SectionAddresses]
	p.awaiting = !fetched
	p.addrs = slices.Clone(w.Snap.Addresses)
	slices.SortFunc(p.addrs, func(a, b model.Address) int { return compareIP(a.PublicIP, b.PublicIP) })
	p.owners = make([]model.Owner, len(p.addrs))
	// The owner column's natural width is its widest owner, so the
	// layout gives "cluster/instance" its whole ID when it can.
	widest := 0
	for i, a := range p.addrs {
		p.owners[i] = w.Owners[model.AddressKey(a)]
		widest = max(widest, width(p.owners[i].String()))
	}
	p.resort(len(p.addrs))
	p.sizeOwner(widest)
	p.reset(len(p.addrs), -1, p.match)
	p.selectIP(keep)
}

// compareIP orders addresses numerically (3.3.3.10 after 3.3.3.9), with
// anything unparsable after them by text.
func compareIP(a, b string) int {
	x, errx := netip.ParseAddr(a)
	y, erry := netip.ParseAddr(b)
	switch {
	case errx == nil && erry == nil:
		return x.Compare(y)
	case errx == nil:
		return -1
	case erry == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// sizeOwner sets the owner column's natural width (within its minimum
// and cap) to the widest owner.
func (p *addressesPane) sizeOwner(widest int) {
	for i := range p.cols {
		if c := &p.cols[i]; c.flex {
			c.want = max(min(widest, ownerMost), c.width)
			c.most = c.want
		}
	}
}

func (p *addressesPane) setFilter(f string) {
	keep := p.selectedIP()
	p.filter = strings.ToLower(f)
	p.reset(len(p.addrs), -1, p.match)
	p.selectIP(keep)
}

func (p *addressesPane) selectedIP() string {
	if i := p.selected(); i >= 0 {
		return p.addrs[i].PublicIP
	}
	return ""
}

func (p *addressesPane) selectIP(ip string) {
	if ip == "" {
		return
	}
	for i := range p.len() {
		if p.addrs[p.at(i)].PublicIP == ip {
			p.cur.to(i, p.rows)
			return
		}
	}
}

func (p *addressesPane) update(msg tea.KeyPressMsg, k *keyMap) tea.Cmd {
	p.navigate(msg, k)
	return nil
}

// view draws the pane. live is the cluster under the clusters cursor:
// its EIPs are marked so the operator sees at once which addresses a
// cluster action would concern.
func (p *addressesPane) view(w, h int, focused bool, now time.Time, selectedCluster string) string {
	return p.render(p.frame(focused, now, selectedCluster), w, h)
}

func (p *addressesPane) frame(focused bool, now time.Time, selectedCluster string) tableView {
	v := sectionTable(p.st, "Elastic IPs "+count(p.len(), p.total), "Elastic IPs", p.awaiting, p.unknown)
	v.focused = focused
	v.cells = func(i int, buf []cell) ([]cell, rowKind) {
		a := &p.addrs[i]
		o := p.owners[i]
		ik := &p.st.ink
		// The owner reads "green/i-06ee…": the cluster first, so a
		// narrow pane cuts the instance ID, never the cluster.
		owner := cell{text: o.String(), cut: cutWords}
		switch {
		case o.Cluster != "":
		case o.InstanceID != "":
			// On an instance this snapshot does not hold (its
			// section failed, or it is not in this region's view).
			owner.style = &ik.Warn
		case o.Associated():
			owner.style = &ik.Warn // a NAT gateway, a load balancer
		default:
			owner.style = &ik.Faint
		}
		ip := cell{text: a.PublicIP, cut: cutMiddle}
		if selectedCluster != "" && o.Cluster == selectedCluster {
			ip.style = &ik.TitleFocused
		}
		buf = append(buf, ip, owner,
			cell{text: a.AllocationID, style: &ik.Faint, cut: cutMiddle},
			cell{text: a.PrivateIP, style: &ik.Faint, cut: cutMiddle},
		)
		kind := rowPlain
		if p.recent.is(addressKey(a.PublicIP), now) {
			kind = rowChanged
		}
		return buf, kind
	}
	return v
}

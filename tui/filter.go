package tui

import (
	"strings"
	"time"
)

// Filtering (`/`) keeps the rows of the focused pane whose text, as the
// row draws it, contains the filter (ignoring case): the operator filters
// by what they see. Each pane's match builds the row's cells with the same
// function that draws it, so a word on screen is always a word that
// matches, and adds the long forms of what a narrow column abbreviates
// ("run" is also "running", "sched" also "scheduled"). Columns of ages are
// left out: "12m" becomes "13m" while the filter is on.

// matchCells reports whether a cell of a filterable column contains f,
// which is lower-cased.
func matchCells(cols []column, cells []cell, f string) bool {
	for i, c := range cells {
		if i < len(cols) && cols[i].noFilter {
			continue
		}
		if containsFold(c.text, f) {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lower-cased f, ignoring
// case. Most cells are ASCII and already lower case; only the others are
// lower-cased, which allocates.
func containsFold(s, f string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.Contains(strings.ToLower(s), f)
		}
	}
	return strings.Contains(s, f)
}

func (p *clustersPane) match(i int, f string) bool {
	var cells []cell
	cells, _ = p.frame(false, time.Time{}).cells(i, cells)
	if matchCells(p.cols, cells, f) {
		return true
	}
	c := &p.clusters[i]
	for st, n := range c.States {
		if n > 0 && strings.Contains(string(st), f) {
			return true
		}
	}
	return c.Scheduled > 0 && strings.Contains("scheduled", f)
}

func (p *instancesPane) match(i int, f string) bool {
	var cells []cell
	cells, _ = p.frame(false, time.Time{}).cells(i, cells)
	if matchCells(p.cols, cells, f) {
		return true
	}
	id := p.ids[i]
	// The EIP cell shows the first address and "+1": the others match too.
	for _, a := range p.world.EIPsOf[id] {
		if strings.Contains(a.PublicIP, f) {
			return true
		}
	}
	if st, ok := p.world.Snap.Statuses[id]; ok {
		if st.Failed() && strings.Contains("failed", f) {
			return true
		}
		for _, e := range st.Events {
			if e.Pending() && (strings.Contains("scheduled", f) || containsFold(e.Code, f)) {
				return true
			}
		}
	}
	return false
}

func (p *addressesPane) match(i int, f string) bool {
	var cells []cell
	cells, _ = p.frame(false, time.Time{}, "").cells(i, cells)
	return matchCells(p.cols, cells, f)
}

func (p *eventsPane) match(i int, f string) bool {
	var cells []cell
	cells, _ = p.frame(false, time.Time{}).cells(i, cells)
	return matchCells(p.cols, cells, f)
}

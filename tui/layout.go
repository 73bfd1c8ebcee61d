package tui

// The smallest terminal airlock draws its panes in. Below it, the
// banner still shows (the operator must always know the account) and a
// line says how big the terminal needs to be, instead of drawing panes
// so cramped they mislead.
const (
	minWidth  = 40
	minHeight = 14
	// sideBySide is the width from which clusters and Elastic IPs share
	// a row; narrower panes stack.
	sideBySide = 80
)

type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool {
	return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// layout is where everything goes for one terminal size. It is computed
// in Update when the size changes, never in View.
type layout struct {
	w, h     int
	tooSmall bool
	wide     bool // clusters and Elastic IPs side by side

	clusters, addresses, instances, events rect
	footerY                                int
}

func computeLayout(w, h int) layout {
	l := layout{w: w, h: h}
	if w < minWidth || h < minHeight {
		l.tooSmall = true
		return l
	}
	body := h - bannerHeight - 1 // the footer
	y := bannerHeight
	if w >= sideBySide {
		l.wide = true
		hs := split(body, []int{30, 40, 30}, []int{4, 4, 3})
		left := max(35, w*42/100)
		l.clusters = rect{0, y, left, hs[0]}
		l.addresses = rect{left + 1, y, w - left - 1, hs[0]}
		y += hs[0]
		l.instances = rect{0, y, w, hs[1]}
		y += hs[1]
		l.events = rect{0, y, w, hs[2]}
		y += hs[2]
	} else {
		hs := split(body, []int{22, 22, 32, 24}, []int{3, 3, 3, 2})
		l.clusters = rect{0, y, w, hs[0]}
		y += hs[0]
		l.addresses = rect{0, y, w, hs[1]}
		y += hs[1]
		l.instances = rect{0, y, w, hs[2]}
		y += hs[2]
		l.events = rect{0, y, w, hs[3]}
		y += hs[3]
	}
	l.footerY = y
	return l
}

// split divides n lines by weights, giving each part at least its
// minimum; rounding leftovers go to the parts in order.
func split(n int, weights, mins []int) []int {
	out := make([]int, len(weights))
	total, used := 0, 0
	for _, wt := range weights {
		total += wt
	}
	for i, wt := range weights {
		out[i] = max(n*wt/total, mins[i])
		used += out[i]
	}
	for i := 0; used < n; i = (i + 1) % len(out) {
		out[i]++
		used++
	}
	for i := len(out) - 1; used > n && i >= 0; i-- {
		cut := min(used-n, out[i]-mins[i])
		out[i] -= cut
		used -= cut
	}
	return out
}

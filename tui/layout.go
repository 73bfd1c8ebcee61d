package tui

import "slices"

// The smallest terminal airlock draws its panes in (with the everyday
// banner; a taller banner needs as many more lines). Below it, the
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

// layout is where everything goes for one terminal size and one amount
// of data. It is computed in Update when either changes, never in View.
type layout struct {
	w, h     int
	banner   int // the banner's lines, at the top of every screen
	top      int // the first line under the banner and the page bar
	tooSmall bool
	wide     bool // clusters and Elastic IPs side by side

	clusters, addresses, instances, events rect
	footerY                                int
}

// demand is what the panes would like: how many rows of data each has
// (after filtering), and, for the side-by-side row, the widths at which
// the clusters and Elastic IPs panes show their columns (see widths).
type demand struct {
	clusters, addresses, instances, events int
	left, right                            widths
}

// widths is how a pane's width can grow, from cramped to roomy: its
// essential columns with the flex column at its minimum (least), then
// with the flex column at its natural width (natural), then each column
// it drops on a narrow screen, in the order it takes them back (extra,
// each with the space before it), then the flex column up to its cap
// (roomy). least and natural include the gutter and the right margin.
type widths struct {
	least, natural int
	extra          []int
	roomy          int // flex cells beyond natural; 0 when uncapped
}

// paneWidths works out a pane's widths from its columns, as lk spaces
// them.
func paneWidths(cols []column, margin int, lk look) widths {
	sep := lk.sep()
	w := widths{least: gutter + margin - sep, natural: gutter + margin - sep}
	var opt []column
	for _, c := range cols {
		if !lk.shows(c) {
			continue
		}
		if c.drop > 0 {
			opt = append(opt, c)
			continue
		}
		w.least += c.width + sep
		w.natural += c.width + sep
		if c.flex {
			w.natural += max(c.want-c.width, 0)
			if c.most > 0 {
				w.roomy = max(c.most-max(c.want, c.width), 0)
			}
		}
	}
	// fit gives up the highest drop first, so it takes them back lowest
	// first.
	slices.SortStableFunc(opt, func(a, b column) int { return a.drop - b.drop })
	for _, c := range opt {
		w.extra = append(w.extra, c.width+sep)
	}
	return w
}

// Pane chrome: a title rule, and a header for the tables that have one.
const (
	tableChrome = 2
	feedChrome  = 1
)

// minHeightFor is the smallest terminal height that shows the panes
// under a banner of the given lines.
func minHeightFor(banner int) int { return minHeight - bannerRows + banner }

func computeLayout(w, h, banner int, d demand) layout {
	l := layout{w: w, h: h, banner: banner}
	if w < minWidth || h < minHeightFor(banner) {
		l.tooSmall = true
		return l
	}
	l.top = banner + pageBarHeight
	body := h - l.top - 1 // the footer
	y := l.top
	// An empty pane still shows a line saying so.
	need := func(rows, chrome int) int { return max(rows, 1) + chrome }
	if w >= sideBySide {
		l.wide = true
		top := need(max(d.clusters, d.addresses), tableChrome)
		hs := allot(body,
			[]int{top, need(d.instances, tableChrome), need(d.events, feedChrome)},
			[]int{4, 4, 3}, []int{30, 40, 30}, []int{0, 1, 1})
		left := splitWidth(w-1, d.left, d.right)
		l.clusters = rect{0, y, left, hs[0]}
		l.addresses = rect{left + 1, y, w - left - 1, hs[0]}
		y += hs[0]
		l.instances = rect{0, y, w, hs[1]}
		y += hs[1]
		l.events = rect{0, y, w, hs[2]}
		y += hs[2]
	} else {
		hs := allot(body,
			[]int{need(d.clusters, tableChrome), need(d.addresses, tableChrome),
				need(d.instances, tableChrome), need(d.events, feedChrome)},
			[]int{3, 3, 3, 2}, []int{22, 22, 32, 24}, []int{0, 0, 1, 1})
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

// splitWidth divides n cells between the clusters (left) and Elastic IPs
// (right) panes. Both get their least, then grow towards their natural
// widths in proportion to what each wants; then the columns they drop
// on a narrow screen come back, the most valued first across both panes
// (a pane's first before any pane's second), each only whole, since a
// column half given is room lost; then the flex columns grow to their
// caps. Room left when both are at their roomiest stays blank at the far
// right.
func splitWidth(n int, left, right widths) int {
	if left.least+right.least > n {
		// Too narrow for both at their least: the clusters keep 42%,
		// and the columns that fit decide the rest.
		return max(n*42/100, 1)
	}
	l, r := left.least, right.least
	grow := func(wantL, wantR int) bool {
		spare := n - l - r
		if wantL+wantR <= spare {
			l, r = l+wantL, r+wantR
			return true
		}
		if wantL+wantR > 0 {
			gl := spare * wantL / (wantL + wantR)
			l, r = l+gl, r+spare-gl
		}
		return false
	}
	if !grow(left.natural-l, right.natural-r) {
		return l
	}
	li, ri := 0, 0
	for li < len(left.extra) || ri < len(right.extra) {
		takeLeft := ri >= len(right.extra) || (li < len(left.extra) && li <= ri)
		spare := n - l - r
		switch {
		case takeLeft && left.extra[li] <= spare:
			l += left.extra[li]
			li++
		case !takeLeft && right.extra[ri] <= spare:
			r += right.extra[ri]
			ri++
		case takeLeft:
			li = len(left.extra) // it cannot come back, nor the ones after it
		default:
			ri = len(right.extra)
		}
	}
	grow(left.roomy, right.roomy)
	return l
}

// allot divides n lines between panes. Each gets its minimum, then the
// panes whose rows do not all fit share what is left by weight, never
// beyond what they need, so three clusters do not sit above twelve empty
// rows while the instances below scroll. What remains once every pane
// has all its rows goes to the panes marked in surplus (by weight).
func allot(n int, need, mins, weights, surplus []int) []int {
	out := make([]int, len(need))
	used := 0
	for i := range out {
		out[i] = mins[i]
		used += out[i]
	}
	if used > n {
		// Smaller than the minimums (only just above minHeight): cut
		// from the last pane up.
		for i := len(out) - 1; used > n && i >= 0; i-- {
			cut := min(used-n, out[i]-1)
			out[i] -= cut
			used -= cut
		}
		return out
	}
	// share hands up to left lines to the panes that want, by weight,
	// capped by cap(i); it returns what it could not place.
	share := func(left int, wants func(i int) bool, capOf func(i int) int) int {
		for left > 0 {
			total := 0
			for i := range out {
				if wants(i) && out[i] < capOf(i) {
					total += weights[i]
				}
			}
			if total == 0 {
				return left
			}
			given := 0
			for i := range out {
				if !wants(i) || out[i] >= capOf(i) {
					continue
				}
				g := max(left*weights[i]/total, 1)
				g = min(g, capOf(i)-out[i], left-given)
				out[i] += g
				given += g
				if given == left {
					break
				}
			}
			left -= given
		}
		return 0
	}
	left := share(n-used, func(int) bool { return true }, func(i int) int { return max(need[i], mins[i]) })
	left = share(left, func(i int) bool { return surplus[i] > 0 }, func(int) int { return n })
	// Nothing marked for surplus (cannot happen with the callers above):
	// the last pane takes it, so the footer stays at the bottom.
	out[len(out)-1] += left
	return out
}

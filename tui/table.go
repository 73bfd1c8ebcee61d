package tui

import (
	"cmp"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/airlock-ops/airlock/model"
)

// The panes share this small table renderer instead of a lipgloss table:
// a lipgloss table lays out every row it is given (about 100 ms at 10,000
// rows), while a pane only ever has room for a screenful. Here a pane
// keeps its rows as indexes into data it already holds, and only the
// visible rows are formatted, so a frame costs the same at 100 instances
// as at 50,000.

// column describes one column of a pane.
type column struct {
	title string
	width int  // fixed width; for the flex column, its minimum
	flex  bool // takes whatever width is left (one per table)
	want  int  // flex only: columns are dropped to give it this much
	// most caps the flex column (0: no cap), so a wide terminal does not
	// stretch a name column to 90 cells: past its natural width the
	// room is better left blank than spent pushing the columns after
	// it out of the eye's reach.
	most  int
	right bool // right-aligned (counts)
	// drop orders the columns a narrow pane gives up: the highest drop
	// goes first. 0 means the column is never dropped.
	drop int
	// src is the column's index in the pane's full list, which is where
	// its cell is in a row; fit sets it.
	src int
	// noFilter keeps the column out of filtering: ages ("12m") change
	// every second, and rows would flicker in and out of a filter.
	noFilter bool
	// aside marks detail a viewer of a shared screen does not need
	// (allocation IDs, availability zones): --present leaves it out.
	aside bool
	// sep is the blank cells before the column; fit sets it.
	sep int
}

// look is how a table is spaced: everyday, or for a shared screen
// (--present: the aside columns left out, wider gaps). The zero value
// is the everyday look.
type look struct {
	gap     int // blank cells between columns; 0 means 1
	present bool
}

func (l look) sep() int { return max(l.gap, 1) }

// shows reports whether c is drawn at all in this look.
func (l look) shows(c column) bool { return !(l.present && c.aside) }

// fit chooses the columns that fit in width and their final widths, in
// the everyday look.
func fit(cols []column, width int) []column { return fitLook(cols, width, look{}) }

// fitLook chooses the columns that fit in width and their final widths.
// Columns go in order of drop (highest first) until the rest fit with the
// flex column at its wanted width; the flex column then takes what is
// left, down to its minimum. Columns are separated by lk's gap; those the
// look leaves out never show.
func fitLook(cols []column, width int, lk look) []column {
	keep := make([]bool, len(cols))
	for i, c := range cols {
		keep[i] = lk.shows(c)
	}
	sep := lk.sep()
	need := func(wanted bool) int {
		n, w := 0, 0
		for i, c := range cols {
			if !keep[i] {
				continue
			}
			n++
			w += c.width
			if wanted && c.flex && c.want > c.width {
				w += c.want - c.width
			}
		}
		return w + max(n-1, 0)*sep
	}
	for need(true) > width {
		// The flex column itself goes only when it does not fit even
		// at its minimum: a name cut short still tells rows apart
		// better than no name.
		short := need(false) > width
		worst := -1
		for i, c := range cols {
			if keep[i] && c.drop > 0 && (!c.flex || short) && (worst < 0 || c.drop > cols[worst].drop) {
				worst = i
			}
		}
		if worst < 0 {
			break // nothing left to drop; the flex column gives way
		}
		keep[worst] = false
	}
	out := make([]column, 0, len(cols))
	for i, c := range cols {
		if keep[i] {
			c.src = i
			c.sep = 0
			if len(out) > 0 {
				c.sep = sep
			}
			out = append(out, c)
		}
	}
	// Hand the slack to the flex column, up to its cap; what is left
	// stays blank at the end of the row (the row, and the cursor bar,
	// are padded to the pane's width by renderRow).
	if slack := width - need(false); slack > 0 && len(out) > 0 {
		for i, c := range out {
			if c.flex {
				grow := slack
				if c.most > 0 {
					grow = min(slack, max(c.most-c.width, 0))
				}
				out[i].width += grow
				break
			}
		}
	} else if slack < 0 {
		// Still too wide: shrink from the right, never below one cell.
		for i := len(out) - 1; i >= 0 && slack < 0; i-- {
			cut := min(-slack, out[i].width-1)
			out[i].width -= cut
			slack += cut
		}
	}
	return out
}

// cell is one formatted value and the style it should stand out with.
// A nil style draws in the terminal's own colours. cut says how the
// text gives way when the column is narrower (cut.go): IDs and IPs keep
// their tails.
type cell struct {
	text  string
	style *ink
	cut   cutMode
}

// rowKind says how a whole row stands out.
type rowKind int

const (
	rowPlain      rowKind = iota
	rowChanged            // changed in the last few seconds
	rowCursor             // under the cursor of the focused pane
	rowCursorBlur         // under the cursor of another pane
)

// The gutter is the two cells before a pane's first column: the cursor
// marker goes there, so the cursor reads without colour (NO_COLOR, a
// colour-blind operator, a photo of the screen) and is never mistaken
// for a style a cell carries, such as LIVE.
const (
	gutter    = 2
	markFocus = "▶ "
	markBlur  = "▷ "
	markNone  = "  "
	noMark    = ""
	// noReverse is SGR 27, reverse video off.
	noReverse = "\x1b[27m"
)

// pad fits s into exactly w display cells: truncated with "…" when too
// long, padded with spaces when short. s should already be safe (pane
// data is sanitised at ingestion, names go through model.Display); it is
// sanitised again here, the last defence should a raw string slip
// through, at the cost of one scan of short ASCII.
func pad(s string, w int, right bool) string {
	return padCut(s, w, right, cutEnd)
}

// padCut is pad with a choice of what gives way (cut.go).
func padCut(s string, w int, right bool, mode cutMode) string {
	if w <= 0 {
		return ""
	}
	s = model.Sanitize(s)
	s = fitText(s, w, mode)
	sw := width(s)
	if sw > w { // a wide rune straddling the edge
		s = ansi.Truncate(s, w, "")
		sw = ansi.StringWidth(s)
	}
	if sw == w {
		return s
	}
	if right {
		return strings.Repeat(" ", w-sw) + s
	}
	return s + strings.Repeat(" ", w-sw)
}

// width is the display width of plain text. Nearly every cell is ASCII
// (IDs, IPs, states), whose width is its length; only the rest pays for
// grapheme segmentation.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// renderRow writes one row of exactly width cells into b, without a
// gutter (the confirmation's fact tables).
func renderRow(b *strings.Builder, in *inks, cols []column, cells []cell, kind rowKind, width int) {
	renderMarkedRow(b, in, cols, cells, kind, width, noMark)
}

// renderMarkedRow writes one row of exactly width cells into b, starting
// with mark (the gutter, when the table has one). A changed or cursor
// row is drawn on a bar of its own background, and the cells keep their
// styles on it: LIVE, FAILED and the like mean the same under the
// cursor as anywhere else. A cell whose style is reverse video (LIVE in
// monochrome) on a reversed bar is drawn with reverse turned off, a hole
// in the bar, so it still stands out.
func renderMarkedRow(b *strings.Builder, in *inks, cols []column, cells []cell, kind rowKind, width int, mark string) {
	var bar *ink
	switch kind {
	case rowChanged:
		bar = &in.Changed
	case rowCursor:
		bar = &in.Selected
	case rowCursorBlur:
		bar = &in.SelectedBlur
	}
	if bar != nil {
		b.WriteString(bar.pre)
	}
	b.WriteString(mark)
	used := ansi.StringWidth(mark)
	for i, c := range cols {
		if used >= width {
			break
		}
		if i > 0 {
			n := min(max(c.sep, 1), width-used)
			b.WriteString(strings.Repeat(" ", n))
			used += n
			if used >= width {
				break
			}
		}
		var cl cell
		if c.src < len(cells) {
			cl = cells[c.src]
		}
		cw := min(c.width, width-used)
		text := padCut(cl.text, cw, c.right, cl.cut)
		used += cw
		if cl.style == nil || strings.TrimSpace(text) == "" {
			b.WriteString(text)
			continue
		}
		// Style only the text, not the padding, so a coloured
		// marker does not smear into the next column.
		trimmed := strings.TrimRight(text, " ")
		if c.right {
			trimmed = strings.TrimLeft(text, " ")
			b.WriteString(text[:len(text)-len(trimmed)])
			paintOn(b, cl.style, bar, trimmed)
		} else {
			paintOn(b, cl.style, bar, trimmed)
			b.WriteString(text[len(trimmed):])
		}
	}
	if used < width {
		b.WriteString(strings.Repeat(" ", width-used))
	}
	if bar != nil {
		b.WriteString(bar.post)
	}
}

// paintOn writes s in k, on bar when not nil: the cell's own style
// overrides the bar's where it sets something, and the bar resumes after
// it.
func paintOn(b *strings.Builder, k, bar *ink, s string) {
	if bar == nil {
		k.paint(b, s)
		return
	}
	b.WriteString(k.pre)
	if k.rev && bar.rev {
		b.WriteString(noReverse)
	}
	b.WriteString(s)
	b.WriteString(k.post)
	b.WriteString(bar.pre)
}

// renderHeader writes the column titles.
func renderHeader(b *strings.Builder, in *inks, cols []column, width int) {
	var line strings.Builder
	for i, c := range cols {
		if i > 0 {
			line.WriteString(strings.Repeat(" ", max(c.sep, 1)))
		}
		line.WriteString(pad(c.title, c.width, c.right))
	}
	in.Header.paint(b, pad(line.String(), width, false))
}

// renderTitle draws a pane's title rule: "── Clusters 3 ─────── 1-5/9 ─".
// The focused pane gets a heavy rule and a marker, which survives
// monochrome and colour blindness alike.
func renderTitle(b *strings.Builder, in *inks, title, right string, focused bool, width int) {
	ruleInk, titleInk, rule, lead := &in.Rule, &in.Title, "─", "── "
	if focused {
		ruleInk, titleInk, rule, lead = &in.RuleFocused, &in.TitleFocused, "━", "━▶ "
	}
	if width < 6 {
		ruleInk.paint(b, strings.Repeat(rule, max(width, 0)))
		return
	}
	tail := ""
	if right != "" {
		tail = " " + right + " " + rule
	}
	room := width - ansi.StringWidth(lead) - 1 // the space after the title
	if ansi.StringWidth(tail)+8 > room {
		tail = "" // the position indicator goes before the title does
	}
	title = pad(title, min(ansi.StringWidth(title), room-ansi.StringWidth(tail)), false)
	fill := width - ansi.StringWidth(lead) - ansi.StringWidth(title) - 1 - ansi.StringWidth(tail)
	ruleInk.paint(b, lead)
	titleInk.paint(b, title)
	ruleInk.paint(b, " "+strings.Repeat(rule, max(fill, 0))+tail)
}

// blank writes n empty lines of width cells, each preceded by a newline.
func blank(b *strings.Builder, n, width int) {
	for range n {
		b.WriteByte('\n')
		b.WriteString(strings.Repeat(" ", width))
	}
}

// table is the state every list pane shares: columns, cursor, filter,
// sort order. A pane embeds it and supplies the cells of a row on demand.
type table struct {
	st     *styles
	cols   []column
	cur    cursor
	rows   int      // rows of data the pane has room for, set by layout
	filter string   // lower-cased
	base   []column // the columns as built, before sizeToContent
	// margin is the blank cells kept at the right edge, so no cell
	// touches the separator beside the pane; layout sets it.
	margin int
	idx    []int // source rows that match the filter, in order; nil: every row
	total  int   // source rows before filtering
	// order is the source rows in the pane's sort order (sort.go); nil:
	// the pane's natural order. It is rebuilt when the rows or the sort
	// change, never while drawing.
	order []int
	sorts []sortKey // the orders `s` cycles through; sorts[0] is natural
	sortI int

	cellBuf []cell // reused between frames
}

// len is the number of rows after filtering.
func (t *table) len() int {
	if t.idx == nil {
		return t.total
	}
	return len(t.idx)
}

// at maps a visible row to a source row.
func (t *table) at(i int) int {
	if t.idx == nil {
		return i
	}
	return t.idx[i]
}

// selected returns the source row under the cursor, or -1.
func (t *table) selected() int {
	if t.len() == 0 {
		return -1
	}
	return t.at(t.cur.pos)
}

// reset points the table at total source rows and re-applies the filter
// with match (called with lower-cased filter text). The cursor stays on
// the source row keep, when it is still there.
func (t *table) reset(total int, keep int, match func(row int, filter string) bool) {
	t.total = total
	t.idx = nil
	if len(t.order) != total {
		t.order = nil // stale: the pane did not re-sort its new rows
	}
	switch {
	case t.filter != "":
		t.idx = make([]int, 0, min(total, 1024))
		for j := range total {
			i := j
			if t.order != nil {
				i = t.order[j]
			}
			if match(i, t.filter) {
				t.idx = append(t.idx, i)
			}
		}
	case t.order != nil:
		t.idx = t.order
	}
	pos := t.cur.pos
	if keep >= 0 {
		for i := range t.len() {
			if t.at(i) == keep {
				pos = i
				break
			}
		}
	}
	t.cur.setN(t.len(), t.rows)
	t.cur.to(pos, t.rows)
}

// sizeToContent gives each column its natural width: the widest of its
// title and its cells over all n rows, and for the flex column the
// width it starts giving way from (want, within the column's minimum and
// cap). It visits every row, so it is for panes with few rows (the
// clusters), once per snapshot; the widths the pane was built with are
// kept as the starting point of the next sizing.
func (t *table) sizeToContent(n int, cells func(row int, buf []cell) []cell) {
	if t.base == nil {
		t.base = slices.Clone(t.cols)
	}
	widest := make([]int, len(t.base))
	for i, c := range t.base {
		widest[i] = width(c.title) + 1 // room for the sort arrow (▲▼)
	}
	var buf []cell
	for row := range n {
		buf = cells(row, buf[:0])
		for i, c := range buf {
			if i < len(widest) {
				widest[i] = max(widest[i], width(c.text))
			}
		}
	}
	for i, c := range t.base {
		if c.flex {
			// Past its widest cell a column only pushes the others
			// away: its natural width is its cap too.
			c.want = max(min(widest[i], cmp.Or(c.most, widest[i])), c.width)
			c.most = c.want
		} else {
			c.width = widest[i]
		}
		t.cols[i] = c
	}
}

// setRows tells the table how many rows of data it can show.
func (t *table) setRows(n int) {
	t.rows = max(n, 1)
	t.cur.clamp(t.rows)
}

// navigate handles the movement keys. It reports whether it used the key.
func (t *table) navigate(msg tea.KeyPressMsg, k *keyMap) bool {
	switch {
	case key.Matches(msg, k.Up):
		t.cur.move(-1, t.rows)
	case key.Matches(msg, k.Down):
		t.cur.move(1, t.rows)
	case key.Matches(msg, k.PageUp):
		t.cur.move(-t.rows, t.rows)
	case key.Matches(msg, k.PageDown):
		t.cur.move(t.rows, t.rows)
	case key.Matches(msg, k.Home):
		t.cur.to(0, t.rows)
	case key.Matches(msg, k.End):
		t.cur.to(t.len()-1, t.rows)
	default:
		return false
	}
	return true
}

// tableView is what a pane hands render for one frame.
type tableView struct {
	title   string
	focused bool
	header  bool
	empty   string // shown when there is no row at all
	// emptyInk draws empty (nil: faint). A pane whose rows are unknown
	// rather than none says so with a warning, wrapped over its rows.
	emptyInk *ink
	// cells formats source row i into buf (reusing it) and says how the
	// row stands out. It is called only for visible rows.
	cells func(row int, buf []cell) ([]cell, rowKind)
}

// render draws the pane in exactly h lines of exactly w cells: a title
// rule, the header, and the visible rows, each after a two-cell gutter
// that holds the cursor marker.
func (t *table) render(v tableView, w, h int) string {
	if h <= 0 || w <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow((h + 1) * (w + 32))
	body := h - 1
	if v.header {
		body--
	}
	inner := max(w-t.margin, 0)
	margin := strings.Repeat(" ", w-inner)
	cols := fitLook(t.cols, inner-gutter, t.st.look)
	title := v.title
	if k, ok := t.sortKey(); ok {
		shown := false
		for i := range cols {
			if cols[i].src == k.col {
				cols[i].title += k.arrow()
				shown = true
			}
		}
		if !shown {
			// The column did not fit: the order is still said.
			title += " by " + t.sortName()
		}
	}
	first, last := t.cur.window(max(body, 1))
	if body <= 0 {
		last = first
	}
	if t.filter != "" {
		// The filter stays in sight after its prompt closes: rows that
		// are missing are missing because of it.
		title += " filter: " + t.filter
	}
	renderTitle(&b, &t.st.ink, t.st.mask(title), position(first, last, t.len()), v.focused, w)
	if v.header && h > 1 {
		b.WriteByte('\n')
		b.WriteString(markNone)
		renderHeader(&b, &t.st.ink, cols, inner-gutter)
		b.WriteString(margin)
	}
	lines := 0
	if t.len() == 0 && body > 0 {
		msg, k := v.empty, &t.st.ink.Faint
		if t.filter != "" {
			msg = "no match for \"" + t.filter + "\" (esc clears)"
		} else if v.emptyInk != nil {
			k = v.emptyInk
		}
		for _, line := range wrapWords(t.st.mask(msg), max(w-gutter, 1)) {
			if lines == body {
				break
			}
			b.WriteByte('\n')
			k.paint(&b, pad(markNone+line, w, false))
			lines++
		}
	}
	for i := first; i < last; i++ {
		row := t.at(i)
		var kind rowKind
		t.cellBuf, kind = v.cells(row, t.cellBuf[:0])
		t.st.maskCells(t.cellBuf)
		mark := markNone
		if i == t.cur.pos {
			kind, mark = rowCursorBlur, markBlur
			if v.focused {
				kind, mark = rowCursor, markFocus
			}
		}
		b.WriteByte('\n')
		renderMarkedRow(&b, &t.st.ink, cols, t.cellBuf, kind, inner, mark)
		b.WriteString(margin)
		lines++
	}
	blank(&b, body-lines, w)
	return b.String()
}

// sectionTable is a table view over one section of the snapshot, with
// what it says when it has no rows: "waiting for the first refresh"
// before the section's first answer, "<noun> unknown: <reason>" in the
// warning colour when it could not be fetched (and "incomplete" after
// the title), and "no <noun>" only when AWS said there are none. Unknown
// is never drawn as none.
func sectionTable(st *styles, title, noun string, awaiting bool, unknown string) tableView {
	v := tableView{title: title, header: true, empty: "no " + noun}
	switch {
	case awaiting:
		v.empty = "waiting for the first refresh"
	case unknown != "":
		v.empty, v.emptyInk = noun+" unknown: "+unknown, &st.ink.Warn
		v.title += " incomplete"
	}
	return v
}

// splitView draws a page's table in its first th rows of h and, under
// it, the detail of the row under the cursor.
func splitView(table string, w, h, th int, detail func(w, h int) string) string {
	if h <= th {
		return table
	}
	return table + "\n" + detail(w, h-th)
}

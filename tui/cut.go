package tui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Truncation that keeps what tells rows apart. Two instances of a
// cluster differ in the last digits of their IDs, two EIPs in the last
// octet, two owners in the instance after the slash: cutting the end of
// such a cell, as a plain "…" truncation does, leaves rows that read the
// same (green/i-011000000000… twice). So a cell says how it may be cut:
//
//   - a name loses its end ("blue-web-…"): a name is read from the left;
//   - an ID or an IP loses its middle ("i-0110…0004"): the head says what
//     it is, the tail which one;
//   - text made of words (an owner "green/i-0110…", an event line) is cut
//     token by token: a cluster name before a slash shortens first, then
//     the longest IDs (tokens with a digit) lose their middles, and only
//     then the text as a whole loses its middle.

// cutMode says how a cell's text is shortened when it does not fit.
type cutMode uint8

const (
	cutEnd    cutMode = iota // names: keep the start
	cutMiddle                // IDs, IPs: keep the head and the tail
	cutWords                 // owners, event lines: token by token
)

const ellipsis = "…"

// Below these, a token stops giving way to the others: a name keeps
// enough to be recognised, an ID its kind and last four characters
// (then three).
const (
	nameKeep = 8 // a cluster name before a slash, first pass
	nameMin  = 4 // ...and once IDs are down to idMin
	idKeep   = 11
	idMin    = 9
	idLeast  = 7
)

// fitText shortens s to at most w display cells as mode says. s must
// already be safe to print (sanitised or a display form).
func fitText(s string, w int, mode cutMode) string {
	if w <= 0 {
		return ""
	}
	if width(s) <= w {
		return s
	}
	switch mode {
	case cutMiddle:
		return elideMiddle(s, w)
	case cutWords:
		return squeeze(s, w)
	}
	return ansi.Truncate(s, w, ellipsis)
}

// elideMiddle keeps the head and the tail of s around "…", giving the
// tail the odd cell: "i-01100000000000004" in 11 cells is "i-0110…0004"
// minus one head cell, "i-011…00004".
func elideMiddle(s string, w int) string {
	sw := width(s)
	if sw <= w {
		return s
	}
	if w < 3 {
		return ansi.Truncate(s, w, "")
	}
	keep := w - 1
	tail := (keep + 1) / 2
	head := keep - tail
	return ansi.Truncate(s, head, "") + ellipsis + ansi.TruncateLeft(s, sw-tail, "")
}

// squeeze fits text of space-separated tokens into w cells, giving up
// the least telling cells first (see the top of this file). It only
// runs for a visible row whose text overflows its cell.
func squeeze(s string, w int) string {
	toks := strings.Split(s, " ")
	total := width(s)
	parts := make([]int, len(toks))
	// Each pass lets one part of the tokens give way down to a floor;
	// later passes have lower floors. Within a pass the cut is spread:
	// the longest parts shrink first, to the same width, so no one
	// token pays for the line alone.
	for _, p := range []struct {
		part  tokPart
		floor int
	}{{partName, nameKeep}, {partID, idKeep}, {partID, idMin}, {partName, nameMin}, {partID, idLeast}} {
		if total <= w {
			break
		}
		for i, t := range toks {
			parts[i] = width(partOf(t, p.part))
		}
		to := level(parts, p.floor, total-w)
		for i, t := range toks {
			if to[i] < parts[i] {
				toks[i] = cutPart(t, p.part, to[i])
				total -= width(t) - width(toks[i])
			}
		}
	}
	out := strings.Join(toks, " ")
	if total > w {
		out = elideMiddle(out, w)
	}
	return out
}

// level returns the widths to cut parts to so that together they give up
// need cells (or all they can above floor): the widest come down to a
// common level first, one cell at a time, the leftmost first on a tie.
func level(parts []int, floor, need int) []int {
	to := slices.Clone(parts)
	for need > 0 {
		widest := -1
		for i, n := range to {
			if n > floor && (widest < 0 || n > to[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		to[widest]--
		need--
	}
	return to
}

// tokPart names a part of a token: in "green/i-0abc", the cluster name
// before the last slash (cluster names may hold slashes, instance IDs
// never do) and the ID after it; a token without a slash is all ID.
type tokPart uint8

const (
	partName tokPart = iota
	partID
)

// partOf is a part of tok, "" when tok has none. A token without a
// digit is a word, not an ID: it is never cut on its own (a line of
// words loses its middle as a whole instead).
func partOf(tok string, p tokPart) string {
	i := strings.LastIndexByte(tok, '/')
	switch {
	case p == partID && i > 0:
		return tok[i+1:]
	case p == partID && strings.ContainsAny(tok, "0123456789"):
		return tok
	case p == partID:
		return ""
	case i > 0:
		return tok[:i]
	}
	return ""
}

// cutPart shortens one part of a token to n cells: a name loses its end,
// an ID its middle.
func cutPart(tok string, p tokPart, n int) string {
	i := strings.LastIndexByte(tok, '/')
	switch {
	case p == partID && i > 0:
		return tok[:i+1] + elideMiddle(tok[i+1:], n)
	case p == partID:
		return elideMiddle(tok, n)
	}
	return ansi.Truncate(tok[:i], n, ellipsis) + tok[i:]
}

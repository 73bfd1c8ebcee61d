package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// --present is for a screen shared on a call or a projector, where the
// people who most need to know which account this is sit furthest from
// it. The banner grows to presentRows lines and writes the environment in
// letters three lines tall, the theme is high contrast (cmd picks it
// unless --theme says otherwise), the panes leave out the columns a
// viewer does not need (column.aside) and put wider gaps between the
// rest.

// presentRows is the banner's height with --present.
const presentRows = 3

// presentGap is the space between columns with --present: at a
// distance, one space between two IDs reads as one long word.
const presentGap = 2

// minInfo is the least room the account, region and status need beside
// the large word; below it the word is spelt out in small letters on a
// line of its own instead.
const minInfo = 24

// glyphs is a five-pixel-high font for the words the banner writes
// large, drawn with half blocks into three lines (two pixel rows a
// line, the sixth row blank). Only the letters of the environment words
// are here: PRODUCTION, STAGING, DEVELOPMENT, SANDBOX, UNKNOWN,
// UNCONFIRMED.
var glyphs = map[rune][5]string{
	'A': {".#.", "#.#", "###", "#.#", "#.#"},
	'B': {"##.", "#.#", "##.", "#.#", "##."},
	'C': {".##", "#..", "#..", "#..", ".##"},
	'D': {"##.", "#.#", "#.#", "#.#", "##."},
	'E': {"###", "#..", "##.", "#..", "###"},
	'F': {"###", "#..", "##.", "#..", "#.."},
	'G': {".##", "#..", "#..", "#.#", "###"},
	'I': {"###", ".#.", ".#.", ".#.", "###"},
	'K': {"#.#", "#.#", "##.", "#.#", "#.#"},
	'L': {"#..", "#..", "#..", "#..", "###"},
	'M': {"#...#", "##.##", "#.#.#", "#...#", "#...#"},
	'N': {"#..#", "##.#", "#.##", "#..#", "#..#"},
	'O': {"###", "#.#", "#.#", "#.#", "###"},
	'P': {"###", "#.#", "###", "#..", "#.."},
	'R': {"###", "#.#", "##.", "#.#", "#.#"},
	'S': {".##", "#..", ".#.", "..#", "##."},
	'T': {"###", ".#.", ".#.", ".#.", ".#."},
	'U': {"#.#", "#.#", "#.#", "#.#", "###"},
	'V': {"#.#", "#.#", "#.#", ".#.", ".#."},
	'W': {"#...#", "#...#", "#.#.#", "##.##", "#...#"},
	'X': {"#.#", "#.#", ".#.", "#.#", "#.#"},
}

// bigText draws word in three lines of equal width, letters one cell
// apart. ok is false when a rune of word is not in the font.
func bigText(word string) (out [presentRows]string, width int, ok bool) {
	var rows [presentRows]strings.Builder
	for i, r := range word {
		g, found := glyphs[r]
		if !found {
			return out, 0, false
		}
		if i > 0 {
			for j := range rows {
				rows[j].WriteByte(' ')
			}
		}
		for line := range rows {
			top, bottom := g[2*line], strings.Repeat(".", len(g[0]))
			if 2*line+1 < len(g) {
				bottom = g[2*line+1]
			}
			for x := range top {
				rows[line].WriteString(halfBlock(top[x] == '#', bottom[x] == '#'))
			}
		}
	}
	for i := range rows {
		out[i] = rows[i].String()
	}
	return out, ansi.StringWidth(out[0]), true
}

// halfBlock is the character for a cell whose upper and lower halves are
// lit as given.
func halfBlock(top, bottom bool) string {
	switch {
	case top && bottom:
		return "█"
	case top:
		return "▀"
	case bottom:
		return "▄"
	}
	return " "
}

// spaced writes a word with a space between its letters, for the
// narrow screen that cannot hold it large: "P R O D U C T I O N".
func spaced(word string) string {
	return strings.Join(strings.Split(word, ""), " ")
}

// presentView is the banner with --present, in presentRows lines of w
// cells. The environment takes the left in large letters, in its label's
// style; beside it, the account (with the environment's mark), the region
// and the identity, and the status line the everyday banner has. A screen
// too narrow for that spells the environment out on a line of its own,
// centred, above the account and the status.
func (b *banner) presentView(w int) string {
	env := themeEnv(b.env)
	bar, lbl := &b.st.ink.EnvBar[env], &b.st.ink.EnvLabel[env]
	label := b.env.Label()
	if !b.identity.Confirmed() {
		label = "ACCOUNT UNCONFIRMED"
	}
	account := b.account()
	if mark := b.st.theme.Env(env).Mark; mark != "" {
		account = mark + " " + account
	}
	where := b.region
	if b.identity.Confirmed() && b.identity.ARN != "" {
		where = joinNonEmpty("  ", where, principal(b.identity.ARN))
	} else if !b.identity.Confirmed() && b.profile != "" {
		where = joinNonEmpty("  ", where, "profile "+b.profile)
	}
	right := ""
	if b.readOnly {
		right = "READ-ONLY "
	}

	// The whole label large if it fits beside the account, else its last
	// word (UNKNOWN ACCOUNT → ACCOUNT would say nothing: UNKNOWN, and
	// ACCOUNT UNCONFIRMED → UNCONFIRMED; the account line says the rest).
	var big [presentRows]string
	bw := 0
	fits := false
	for _, word := range []string{label, keyWord(label)} {
		if g, gw, ok := bigText(word); ok && gw+3+minInfo <= w {
			big, bw, fits = g, gw, true
			break
		}
	}
	var out strings.Builder
	if !fits {
		lbl.paint(&out, centre(" "+spaced(label)+" ", w))
		out.WriteByte('\n')
		bar.paint(&out, pad(" "+joinNonEmpty("  ", account, where), w-ansi.StringWidth(right), false)+right)
		out.WriteByte('\n')
		out.WriteString(b.statusLine(w))
		return out.String()
	}
	rw := w - bw - 3 // a cell either side of the word, one before the info
	info := [presentRows]string{
		pad(" "+account, rw-ansi.StringWidth(right), false) + right,
		pad(" "+where, rw, false),
	}
	for i := range big {
		lbl.paint(&out, " "+big[i]+" ")
		if i == presentRows-1 {
			out.WriteString(b.statusLine(rw + 1))
			break
		}
		bar.paint(&out, " "+info[i])
		out.WriteByte('\n')
	}
	return out.String()
}

// keyWord is the word of a label that says most: UNCONFIRMED of ACCOUNT
// UNCONFIRMED, UNKNOWN of UNKNOWN ACCOUNT; a one-word label itself.
func keyWord(label string) string {
	words := strings.Fields(label)
	if len(words) == 0 {
		return label
	}
	for _, w := range words {
		if w != "ACCOUNT" {
			return w
		}
	}
	return words[0]
}

// centre pads s on both sides to w cells, cutting it if it is wider.
func centre(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw >= w {
		return pad(s, w, false)
	}
	left := (w - sw) / 2
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", w-sw-left)
}

// joinNonEmpty joins the parts that are not empty.
func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

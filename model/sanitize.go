package model

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// MaxTextRunes is the longest string Sanitize returns, in runes. Longer
// text keeps its first MaxTextRunes-1 runes and ends in "…", so a
// 10,000-character tag value cannot push the rest of a row off screen or
// make a render cost grow with what an attacker wrote.
const MaxTextRunes = 256

// ellipsis marks text that Sanitize cut short.
const ellipsis = '…'

// Sanitize returns s with everything that could act on a terminal removed,
// so that the result can be printed anywhere, as is, on a screen someone
// is sharing during an incident.
//
// Tag values, names and error messages come from AWS, and anyone who can
// tag a resource can put bytes in them. Those bytes reach the operator's
// terminal, where an escape sequence can rewrite the clipboard (OSC 52),
// hide a link behind innocent text (OSC 8), clear or repaint the screen
// (CSI), or recolour the banner (SGR); a carriage return or a bidi
// override can make "staging" print over "prod". Sanitize therefore:
//
//   - removes escape sequences whole, not just their ESC: CSI (ESC [),
//     OSC (ESC ], up to BEL or ST), DCS, SOS, PM and APC strings (up to ST),
//     and the shorter ESC forms; the C1 introducers U+009B (CSI), U+009D
//     (OSC), U+0090, U+0098, U+009E and U+009F are treated the same way,
//     because some terminals honour them;
//   - removes every other control character (Unicode category Cc: C0,
//     DEL and C1), except that tab, line feed, carriage return, vertical
//     tab, form feed, NEL and the Unicode line and paragraph separators
//     become a single space, so words on separate lines stay apart;
//   - removes format characters (category Cf): the bidi embeddings,
//     overrides and isolates (U+202A..U+202E, U+2066..U+2069), the marks
//     U+200E, U+200F and U+061C, and the zero-width characters U+200B..U+200D,
//     U+2060 and U+FEFF, which exist to be invisible and so can make two
//     different names look alike. (Emoji joined with U+200D fall apart
//     into their visible parts; that is the price.)
//   - replaces each byte of invalid UTF-8 with U+FFFD;
//   - caps the result at MaxTextRunes runes, the last one being "…".
//
// Printable text (letters, marks, digits, punctuation, symbols, emoji,
// wide CJK characters and the ASCII space) passes through unchanged.
// Sanitize is idempotent.
func Sanitize(s string) string {
	if isPlainASCII(s) {
		return s
	}
	var out []byte
	runes := 0
	cut := 0           // len(out) after MaxTextRunes-1 runes: where "…" goes
	lastSpace := false // the last rune written was a space
	write := func(r rune) bool {
		if runes == MaxTextRunes {
			out = utf8.AppendRune(out[:cut], ellipsis)
			return false
		}
		out = utf8.AppendRune(out, r)
		runes++
		if runes == MaxTextRunes-1 {
			cut = len(out)
		}
		lastSpace = r == ' '
		return true
	}

	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		next := i + size
		switch {
		case r == utf8.RuneError && size == 1:
			// Invalid UTF-8 (including a raw 0x9B byte, which an 8-bit
			// terminal would take for CSI) becomes a visible U+FFFD.
		case r == 0x1B:
			next = skipEscape(s, next)
			r = -1
		case r == 0x9B:
			next = skipCSI(s, next)
			r = -1
		case r == 0x9D || r == 0x90 || r == 0x98 || r == 0x9E || r == 0x9F:
			next = skipString(s, next)
			r = -1
		case isLineBreak(r):
			r = ' '
			if lastSpace {
				r = -1
			}
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r):
			r = -1
		}
		if r >= 0 && !write(r) {
			break
		}
		i = next
	}
	if string(out) == s {
		return s
	}
	return string(out)
}

// SanitizeTags returns a copy of m with every key and value sanitised.
//
// Two keys can become equal once sanitised ("Cluster" and
// "Clus\u200bter"). The key that was already clean wins, so a hostile
// look-alike tag cannot replace the real Cluster tag; among keys that both
// needed cleaning, the smallest original key wins, so the result does not
// depend on map iteration order.
func SanitizeTags(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// Clean keys first, then by original key: the first writer wins.
	sort.Slice(keys, func(i, j int) bool {
		ci, cj := Sanitize(keys[i]) == keys[i], Sanitize(keys[j]) == keys[j]
		if ci != cj {
			return ci
		}
		return keys[i] < keys[j]
	})
	out := make(map[string]string, len(m))
	for _, k := range keys {
		sk := Sanitize(k)
		if _, taken := out[sk]; taken {
			continue
		}
		out[sk] = Sanitize(m[k])
	}
	return out
}

// isPlainASCII reports whether s is short printable ASCII, the common case,
// which Sanitize returns without allocating.
func isPlainASCII(s string) bool {
	if len(s) > MaxTextRunes {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			return false
		}
	}
	return true
}

// isLineBreak reports whether r separates words or lines: it becomes a
// space rather than gluing the words on either side together.
func isLineBreak(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// The functions below skip one escape sequence. Each takes the index just
// after the introducer and returns the index where normal text resumes.
// They follow the VT500 parser that xterm and most emulators implement
// (vt100.net/emu/dec_ansi_parser): what a terminal would swallow as part
// of a sequence is swallowed here too, so no fragment like "[2J" is left
// on screen; whatever ends a sequence abnormally (ESC, CAN, SUB, the end
// of the string) is left for the caller to handle.

// skipEscape skips the rest of a sequence introduced by ESC.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		// OSC, DCS, SOS, PM, APC: a string up to its terminator.
		return skipString(s, i+1)
	case c >= 0x20 && c <= 0x2F:
		// nF escape (ESC ( B and friends): intermediates, then one final.
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2F {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7E {
			i++
		}
		return i
	case c >= 0x30 && c <= 0x7E:
		// Two-character escape: ESC c (reset), ESC 7, ESC M, ESC \ ...
		return i + 1
	default:
		// A control, DEL or a non-ASCII rune: only the ESC goes.
		return i
	}
}

// skipCSI skips the parameters, intermediates and final byte of a control
// sequence. C0 controls inside it are dropped (a terminal executes them
// and carries on with the sequence); ESC, CAN, SUB and non-ASCII end it.
func skipCSI(s string, i int) int {
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x40 && c <= 0x7E:
			return i + 1
		case c == 0x1B || c == 0x18 || c == 0x1A || c >= 0x80:
			return i
		}
	}
	return i
}

// skipString skips the payload of an OSC, DCS, SOS, PM or APC string up to
// and including its terminator: BEL, ST (ESC \) or the C1 ST (U+009C). An
// ESC followed by anything else ends the string and starts a new
// sequence; CAN and SUB abort it. An unterminated string runs to the end,
// as it would on a terminal.
func skipString(s string, i int) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case 0x07, 0x18, 0x1A:
			return i + 1
		case 0x1B:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		case 0xC2:
			if i+1 < len(s) && s[i+1] == 0x9C {
				return i + 2
			}
		}
	}
	return i
}

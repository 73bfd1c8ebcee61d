package model

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tag keys and values are identity: two clusters whose tags differ by one
// invisible character are two clusters, and an action on one must never
// touch the other. So they are kept raw (see Snapshot), and what a screen
// shows is derived from the raw value by Display, which makes the
// difference visible instead of deleting it.

// escapeOpen and escapeClose bracket an escaped code point: ⟨U+200B⟩.
// Mathematical angle brackets, because they are printable everywhere and
// almost never appear in names; where one does, it is escaped itself, so
// no raw text can imitate an escape.
const (
	escapeOpen  = '⟨'
	escapeClose = '⟩'
)

// Display returns raw text from AWS as it is shown on a screen: printable
// text unchanged, and every rune that is invisible, reorders text or acts
// on a terminal written as ⟨U+XXXX⟩, so "blue\u200b" shows as
// "blue⟨U+200B⟩" next to "blue". Escaped are control characters (C0, DEL,
// C1, and with them every escape sequence, one rune at a time), format
// characters (bidi embeddings, overrides, isolates and marks; zero-width
// spaces and joiners; the byte order mark), every space and line
// separator other than the ASCII space, the other default-ignorable code
// points (fillers that render as nothing), and the bracket ⟨ itself;
// each byte of invalid UTF-8 is written as ⟨0xFF⟩.
//
// Display is one-to-one: two strings that differ give two displays that
// differ, except that a display longer than MaxTextRunes runes is cut
// there and ends in "…" (LookAlike catches those). The result always
// passes Sanitize unchanged. Apply it once, to the raw value: displaying
// a display escapes its brackets.
func Display(raw string) string {
	if isPlainASCII(raw) {
		return raw
	}
	var b strings.Builder
	runes := 0
	put := func(s string) bool {
		n := utf8.RuneCountInString(s)
		if runes+n > MaxTextRunes-1 {
			b.WriteRune(ellipsis)
			return false
		}
		b.WriteString(s)
		runes += n
		return true
	}
	for i := 0; i < len(raw); {
		r, size := utf8.DecodeRuneInString(raw[i:])
		var piece string
		switch {
		case r == utf8.RuneError && size == 1:
			piece = fmt.Sprintf("%c0x%02X%c", escapeOpen, raw[i], escapeClose)
		case invisible(r) || r == escapeOpen:
			piece = fmt.Sprintf("%cU+%04X%c", escapeOpen, r, escapeClose)
		default:
			piece = raw[i : i+size]
		}
		if !put(piece) {
			break
		}
		i += size
	}
	return b.String()
}

// invisible reports whether r is a rune Display escapes: one that shows
// as nothing (or as a mere space), or changes how other text shows.
func invisible(r rune) bool {
	switch {
	case r == ' ':
		return false
	case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zs, unicode.Zl, unicode.Zp,
		unicode.Other_Default_Ignorable_Code_Point):
		return true
	}
	return false
}

// LookAlikeKey is what a name looks like to a person: the raw name with
// every invisible rune removed (the ones Display escapes, spaces aside),
// every run of spaces of any kind made one ASCII space, spaces at either
// end dropped (they cannot be seen either), and cut to
// MaxTextRunes runes, as a screen would cut it. Two names with the same
// key cannot be told apart on a screen that only sanitises.
//
// ASCII case is kept: "Blue" and "blue" have different keys. They look
// different on every screen, and case-sensitive cluster names exist on
// purpose ("API" beside "api" is unusual, but visible); refusing them
// would block real clusters to guard against a difference the operator
// can see.
func LookAlikeKey(raw string) string {
	var b strings.Builder
	runes := 0
	lastSpace := false
	for _, r := range raw {
		if runes == MaxTextRunes {
			break
		}
		switch {
		case r == ' ' || unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp) || isLineBreak(r):
			if lastSpace {
				continue
			}
			r, lastSpace = ' ', true
		case r == utf8.RuneError || invisible(r):
			continue
		default:
			lastSpace = false
		}
		b.WriteRune(r)
		runes++
	}
	return strings.TrimSpace(b.String())
}

// LookAlike reports whether two different raw names would be mistaken for
// each other on a screen: they are not equal, yet look the same once
// invisible runes are gone (LookAlikeKey), or their displays are equal
// (only when both are cut at MaxTextRunes). Equal names are one name, not
// look-alikes.
func LookAlike(a, b string) bool {
	if a == b {
		return false
	}
	return LookAlikeKey(a) == LookAlikeKey(b) || Display(a) == Display(b)
}

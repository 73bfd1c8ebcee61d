package tui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/airlock-ops/airlock/themes"
)

// ink is a style reduced to the escape sequences that open and close it.
// lipgloss.Style.Render measures, wraps and pads its input on every
// call, which is more than half of a frame's cost when every visible
// cell is coloured; the panes' styles are plain colours and attributes,
// so wrapping text in precomputed sequences draws the same thing.
type ink struct {
	pre, post string
	rev       bool // reverse video: on a reversed bar it must turn reverse off to show
}

func inkOf(st lipgloss.Style) ink {
	// X cannot occur inside an SGR sequence, so it splits the rendering
	// into what comes before the text and what comes after.
	pre, post, ok := strings.Cut(st.Render("X"), "X")
	if !ok {
		return ink{}
	}
	return ink{pre: pre, post: post, rev: st.GetReverse()}
}

// paint writes s in this ink.
func (k *ink) paint(b *strings.Builder, s string) {
	b.WriteString(k.pre)
	b.WriteString(s)
	b.WriteString(k.post)
}

// render returns s in this ink.
func (k *ink) render(s string) string { return k.pre + s + k.post }

// inks are the theme's roles as the panes draw them.
type inks struct {
	Faint, Ok, Warn, Danger, Live, Changed ink
	Selected, SelectedBlur, Header         ink
	Rule, RuleFocused, Title, TitleFocused ink
	Paused, Stale, Filter, FilterCursor    ink
	EnvBar, EnvLabel                       [themes.EnvSandbox + 1]ink
}

// styles is what panes receive through their constructors: the theme
// (for the bubbles components that take lipgloss styles) and its inks.
// The root model owns it and rebuilds it in place when the terminal's
// background changes, so every pane sees the new theme at once.
type styles struct {
	theme themes.Theme
	ink   inks
	look  look // how tables are spaced (--present)
	// redact masks what identifies the account on every screen
	// (--redact); see mask.
	redact bool
}

func newStyles(th themes.Theme) styles {
	s := styles{theme: th}
	k := &s.ink
	for _, p := range []struct {
		dst *ink
		src lipgloss.Style
	}{
		{&k.Faint, th.Faint}, {&k.Ok, th.Ok}, {&k.Warn, th.Warn}, {&k.Danger, th.Danger},
		{&k.Live, th.Live}, {&k.Changed, th.Changed},
		{&k.Selected, th.Selected}, {&k.SelectedBlur, th.SelectedBlur}, {&k.Header, th.Header},
		{&k.Rule, th.Rule}, {&k.RuleFocused, th.RuleFocused}, {&k.Title, th.Title}, {&k.TitleFocused, th.TitleFocused},
		{&k.Paused, th.Paused}, {&k.Stale, th.Stale}, {&k.Filter, th.Filter}, {&k.FilterCursor, th.Filter.Reverse(true)},
	} {
		*p.dst = inkOf(p.src)
	}
	for e := range k.EnvBar {
		es := th.Env(themes.Env(e))
		k.EnvBar[e] = inkOf(es.Bar)
		k.EnvLabel[e] = inkOf(es.Label)
	}
	return s
}

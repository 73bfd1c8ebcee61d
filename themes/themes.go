// Package themes turns a few facts about the terminal (is the background
// dark, may we use colour, does the operator need high contrast or a
// colour-blind safe palette) into the lipgloss styles airlock draws with.
//
// A Theme is a value. Nothing here is global: the tui builds one when it
// learns the background colour and hands it to every pane through its
// constructor, and builds a new one if the background changes. Styles are
// named for what they mean (Danger, Live, Changed), never for how they look,
// so a pane never picks a colour itself.
//
// Colour is never the only signal. Every environment has a label in words
// (PRODUCTION, STAGING, ...), and production (with unknown, which is
// treated as production) a shape around it: ▲▲ PRODUCTION ▲▲. LIVE is a
// word, PAUSED and STALE are words; the monochrome theme keeps them
// apart with reverse video and bold, which survive NO_COLOR: there,
// production is a full-width reversed bar and staging or development
// only a reversed label. Only TERM=dumb strips attributes too, and then
// the words and the marks still stand.
//
// An operator names a theme (Parse, ThemeNames): auto, the default, is
// the default palette drawn for the terminal's background, dark or light
// as the terminal answers; dark and light fix the background whatever
// the terminal says (for terminals that answer wrongly or not at all);
// high-contrast, colorblind and monochrome are the other palettes, and
// follow the terminal's background as auto does.
//
// The package imports lipgloss and nothing of airlock's: it is a leaf.
package themes

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
)

// Kind selects a family of palettes. The zero value is the default palette.
type Kind int

// The palettes airlock ships.
const (
	// Default is the everyday palette: production red, staging amber,
	// development green.
	Default Kind = iota
	// HighContrast uses the terminal's own 16 colours, bold text and
	// pure backgrounds, for projectors and washed-out shared screens.
	HighContrast
	// ColorBlind replaces the red/green pair with the Okabe-Ito palette
	// (vermillion, yellow, blue), which stays distinct under the common
	// forms of colour blindness.
	ColorBlind
	// Monochrome uses no colour at all: reverse video, bold and words.
	// airlock picks it when NO_COLOR is set or TERM is dumb.
	Monochrome
)

var kindNames = [...]string{
	Default:      "default",
	HighContrast: "high-contrast",
	ColorBlind:   "colorblind",
	Monochrome:   "monochrome",
}

// String returns the name ParseKind accepts.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// ParseKind reads a palette name as a flag would carry it ("default",
// "high-contrast", "colorblind", "monochrome"; case does not matter).
func ParseKind(s string) (Kind, error) {
	for k, name := range kindNames {
		if strings.EqualFold(s, name) {
			return Kind(k), nil
		}
	}
	return Default, fmt.Errorf("unknown theme %q (want one of %s)", s, strings.Join(kindNames[:], ", "))
}

// Background is the terminal background a theme is drawn for.
type Background int

// The backgrounds. The zero value asks the terminal.
const (
	// BackgroundAuto follows the terminal: airlock asks for its
	// background colour at start and redraws when the answer (or a later
	// change) arrives. Until a terminal answers, and for one that never
	// does, the theme is drawn for a dark background.
	BackgroundAuto Background = iota
	BackgroundDark
	BackgroundLight
)

// Choice is a theme as an operator names it, with --theme or the
// configuration's [defaults] theme: a palette and the background it is
// drawn for.
type Choice struct {
	Kind       Kind
	Background Background
}

// choices are the names Parse accepts, in the order help lists them.
var choices = []struct {
	name string
	c    Choice
}{
	{"auto", Choice{Default, BackgroundAuto}},
	{"dark", Choice{Default, BackgroundDark}},
	{"light", Choice{Default, BackgroundLight}},
	{"high-contrast", Choice{HighContrast, BackgroundAuto}},
	{"colorblind", Choice{ColorBlind, BackgroundAuto}},
	{"monochrome", Choice{Monochrome, BackgroundAuto}},
}

// ThemeNames are the theme names an operator may give, in the order help
// lists them: auto (the default palette, dark or light as the terminal's
// background is), dark and light (the default palette for that
// background, whatever the terminal says), and the palettes
// high-contrast, colorblind and monochrome, which follow the background
// as auto does.
func ThemeNames() []string {
	names := make([]string, len(choices))
	for i, c := range choices {
		names[i] = c.name
	}
	return names
}

// Parse reads a theme name (ThemeNames; case does not matter).
// "default", the name auto had before it could be chosen against, is
// still read as auto, so configuration files written then keep working.
func Parse(name string) (Choice, error) {
	if strings.EqualFold(name, "default") {
		return Choice{Default, BackgroundAuto}, nil
	}
	for _, c := range choices {
		if strings.EqualFold(name, c.name) {
			return c.c, nil
		}
	}
	return Choice{}, fmt.Errorf("unknown theme %q (want one of %s)", name, strings.Join(ThemeNames(), ", "))
}

// String returns the name Parse reads as c.
func (c Choice) String() string {
	for _, ch := range choices {
		if ch.c == c {
			return ch.name
		}
	}
	return c.Kind.String() + "/" + [...]string{"auto", "dark", "light"}[min(max(int(c.Background), 0), 2)]
}

// Dark reports whether c is drawn for a dark background, given what the
// terminal said (isDark) when c follows the terminal.
func (c Choice) Dark(isDark bool) bool {
	switch c.Background {
	case BackgroundDark:
		return true
	case BackgroundLight:
		return false
	}
	return isDark
}

// Env is the kind of account on screen. It mirrors model.Environment
// without importing it, so this package stays a leaf.
type Env int

// Environments, from the most dangerous down. The zero value is
// EnvUnknown on purpose: an account nobody classified is treated as
// production.
const (
	EnvUnknown Env = iota
	EnvProduction
	EnvStaging
	EnvDevelopment
	// EnvSandbox is drawn in development's colours: both are places to
	// try things, and the label in words tells them apart.
	EnvSandbox
)

// EnvStyle is how one environment is drawn.
type EnvStyle struct {
	// Bar fills the banner: the environment's colour (or reverse video),
	// with a foreground chosen to be readable on it.
	Bar lipgloss.Style
	// Label draws the environment's name inside the bar, stronger than
	// the rest of the bar so it is the first thing the eye finds.
	Label lipgloss.Style
	// Mark flanks the label ("▲▲ PRODUCTION ▲▲"): a shape that tells
	// the dangerous environments from the others where colour cannot
	// (NO_COLOR, a colour-blind operator, a photo of the screen in a
	// chat). "" for none.
	Mark string
}

// Theme holds every style airlock draws with, by role.
type Theme struct {
	// Kind and Dark say how the theme was built, so a caller can tell
	// whether a new background colour calls for a rebuild.
	Kind Kind
	Dark bool

	Text  lipgloss.Style // ordinary cell text
	Faint lipgloss.Style // secondary text: column headers, ages, "unassociated"

	// Pane chrome. A pane is a title rule and rows; the focused pane's
	// rule is stronger so focus reads from across a room.
	Title        lipgloss.Style // unfocused pane title
	TitleFocused lipgloss.Style
	Rule         lipgloss.Style // the horizontal rule around an unfocused title
	RuleFocused  lipgloss.Style
	Header       lipgloss.Style // column headers

	Selected     lipgloss.Style // cursor row in the focused pane
	SelectedBlur lipgloss.Style // cursor row in other panes

	Ok      lipgloss.Style // healthy: running, checks passing
	Warn    lipgloss.Style // worth a look: pending, stopping, low capacity
	Danger  lipgloss.Style // broken: failed checks, errors
	Live    lipgloss.Style // the LIVE marker: this cluster holds the EIPs
	Changed lipgloss.Style // a row that changed in the last few seconds

	// Banner badges for a screen that must not be trusted as current.
	Paused lipgloss.Style
	Stale  lipgloss.Style

	// Keys in the footer and help screen.
	Key     lipgloss.Style
	KeyDesc lipgloss.Style

	// Filter prompt and the text typed into it.
	Filter lipgloss.Style

	envs [EnvSandbox + 1]EnvStyle
}

// Env returns the style of an environment. Out-of-range values get the
// unknown style, which looks like production.
func (t Theme) Env(e Env) EnvStyle {
	if e < 0 || int(e) >= len(t.envs) {
		e = EnvUnknown
	}
	return t.envs[e]
}

// New builds the theme of a kind for a background. isDark does not matter
// for Monochrome.
func New(k Kind, isDark bool) Theme {
	switch k {
	case HighContrast:
		return highContrast(isDark)
	case ColorBlind:
		return colorBlind(isDark)
	case Monochrome:
		return monochrome(isDark)
	default:
		return standard(isDark)
	}
}

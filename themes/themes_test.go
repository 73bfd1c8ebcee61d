package themes

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

func TestParseKindRoundTrip(t *testing.T) {
	for k := Default; k <= Monochrome; k++ {
		got, err := ParseKind(strings.ToUpper(k.String()))
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v; want %v", k.String(), got, err, k)
		}
	}
	if _, err := ParseKind("solarized"); err == nil {
		t.Error("ParseKind accepted an unknown theme")
	}
}

// Every theme must draw an environment banner that differs between
// environments, and UNKNOWN must not look exactly like PRODUCTION even
// though it shares its colour.
func TestEnvironmentsAreDistinct(t *testing.T) {
	for k := Default; k <= Monochrome; k++ {
		for _, dark := range []bool{true, false} {
			th := New(k, dark)
			prod := th.Env(EnvProduction).Label.Render("X")
			unknown := th.Env(EnvUnknown).Label.Render("X")
			if prod == unknown {
				t.Errorf("%v dark=%v: unknown label renders like production", k, dark)
			}
			if k == Monochrome {
				continue // only words tell staging from development here
			}
			stage := th.Env(EnvStaging).Bar.Render("X")
			dev := th.Env(EnvDevelopment).Bar.Render("X")
			if stage == dev || stage == th.Env(EnvProduction).Bar.Render("X") {
				t.Errorf("%v dark=%v: environment bars are not distinct", k, dark)
			}
		}
	}
}

// NO_COLOR means no colour: the monochrome theme may only use attributes
// (bold, reverse, underline), which terminals honour without colour.
func TestMonochromeHasNoColour(t *testing.T) {
	th := New(Monochrome, true)
	styles := []lipgloss.Style{
		th.Text, th.Faint, th.Title, th.TitleFocused, th.Rule, th.RuleFocused,
		th.Header, th.Selected, th.SelectedBlur, th.Ok, th.Warn, th.Danger,
		th.Live, th.Changed, th.Paused, th.Stale, th.Key, th.KeyDesc, th.Filter,
	}
	for e := EnvUnknown; e <= EnvSandbox; e++ {
		styles = append(styles, th.Env(e).Bar, th.Env(e).Label)
	}
	for i, s := range styles {
		if _, ok := s.GetForeground().(lipgloss.NoColor); !ok {
			t.Errorf("style %d has a foreground colour %v", i, s.GetForeground())
		}
		if _, ok := s.GetBackground().(lipgloss.NoColor); !ok {
			t.Errorf("style %d has a background colour %v", i, s.GetBackground())
		}
	}
	// The banner and LIVE must still stand out: reverse video (SGR 7).
	for _, s := range []lipgloss.Style{th.Env(EnvProduction).Bar, th.Env(EnvStaging).Label, th.Live, th.Selected} {
		if !s.GetReverse() {
			t.Errorf("monochrome banner/LIVE/cursor is not reverse video: %q", s.Render("x"))
		}
	}
}

// A sandbox is drawn as a place to try things, never as the production
// look-alike that the unknown style is (an out-of-range Env falls back to
// that, so forgetting EnvSandbox in a palette would show here).
func TestSandboxIsStyled(t *testing.T) {
	for k := Default; k <= Monochrome; k++ {
		th := New(k, true)
		sbx := th.Env(EnvSandbox)
		if sbx.Bar.Render("X") != th.Env(EnvDevelopment).Bar.Render("X") {
			t.Errorf("%v: the sandbox bar is not development's", k)
		}
		if sbx.Label.Render("X") == th.Env(EnvUnknown).Label.Render("X") {
			t.Errorf("%v: the sandbox label renders like an unknown account", k)
		}
	}
}

// Without colour, production must differ from staging by a shape, not
// only by its word: a full-width reversed bar and a mark around the
// label, where staging reverses only its label and has no mark.
func TestMonochromeProductionHasAShape(t *testing.T) {
	th := New(Monochrome, true)
	prod, stage := th.Env(EnvProduction), th.Env(EnvStaging)
	if !prod.Bar.GetReverse() || stage.Bar.GetReverse() {
		t.Errorf("production bar reverse=%v, staging bar reverse=%v: want a full-width bar only for production",
			prod.Bar.GetReverse(), stage.Bar.GetReverse())
	}
	if prod.Mark == "" || stage.Mark != "" {
		t.Errorf("marks: production %q, staging %q", prod.Mark, stage.Mark)
	}
	// Unknown is treated as production, and looks as dangerous.
	if th.Env(EnvUnknown).Mark != prod.Mark || !th.Env(EnvUnknown).Bar.GetReverse() {
		t.Error("unknown does not carry production's shape")
	}
}

func TestOutOfRangeEnvIsUnknown(t *testing.T) {
	th := New(Default, true)
	if th.Env(Env(42)).Label.Render("x") != th.Env(EnvUnknown).Label.Render("x") {
		t.Error("an out-of-range environment must fall back to the unknown style")
	}
}

func TestParseThemeNames(t *testing.T) {
	cases := []struct {
		name string
		want Choice
	}{
		{"auto", Choice{Default, BackgroundAuto}},
		{"AUTO", Choice{Default, BackgroundAuto}},
		{"default", Choice{Default, BackgroundAuto}}, // the old name of auto
		{"dark", Choice{Default, BackgroundDark}},
		{"light", Choice{Default, BackgroundLight}},
		{"high-contrast", Choice{HighContrast, BackgroundAuto}},
		{"colorblind", Choice{ColorBlind, BackgroundAuto}},
		{"monochrome", Choice{Monochrome, BackgroundAuto}},
	}
	for _, tc := range cases {
		got, err := Parse(tc.name)
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	for _, name := range ThemeNames() {
		c, err := Parse(name)
		if err != nil || c.String() != name {
			t.Errorf("Parse(%q).String() = %q, %v", name, c.String(), err)
		}
	}
	_, err := Parse("solarized")
	if err == nil || err.Error() != `unknown theme "solarized" (want one of auto, dark, light, high-contrast, colorblind, monochrome)` {
		t.Errorf("Parse(solarized) error = %v", err)
	}
}

func TestChoiceDark(t *testing.T) {
	for _, tc := range []struct {
		bg             Background
		onDark, onLite bool
	}{
		{BackgroundAuto, true, false},
		{BackgroundDark, true, true},
		{BackgroundLight, false, false},
	} {
		c := Choice{Default, tc.bg}
		if c.Dark(true) != tc.onDark || c.Dark(false) != tc.onLite {
			t.Errorf("%v: Dark(true)=%v Dark(false)=%v", c, c.Dark(true), c.Dark(false))
		}
	}
}

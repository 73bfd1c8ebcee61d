package themes

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// palette is the handful of colours a theme is built from. Every coloured
// theme fills one and hands it to build, so the roles stay consistent
// across palettes and only the colours change.
type palette struct {
	text, faint, accent color.Color
	ok, warn, danger    color.Color

	liveBg, liveFg       color.Color
	changedBg, changedFg color.Color
	selBg, selFg         color.Color
	blurBg               color.Color

	prodBg, prodFg   color.Color
	stageBg, stageFg color.Color
	devBg, devFg     color.Color
}

func build(k Kind, isDark bool, p palette) Theme {
	s := lipgloss.NewStyle
	t := Theme{Kind: k, Dark: isDark}

	t.Text = s().Foreground(p.text)
	t.Faint = s().Foreground(p.faint)
	t.Title = s().Foreground(p.faint).Bold(true)
	t.TitleFocused = s().Foreground(p.accent).Bold(true)
	t.Rule = s().Foreground(p.faint)
	t.RuleFocused = s().Foreground(p.accent)
	t.Header = s().Foreground(p.faint).Bold(true)
	t.Selected = s().Foreground(p.selFg).Background(p.selBg).Bold(true)
	t.SelectedBlur = s().Foreground(p.text).Background(p.blurBg)

	t.Ok = s().Foreground(p.ok)
	t.Warn = s().Foreground(p.warn).Bold(true)
	t.Danger = s().Foreground(p.danger).Bold(true)
	t.Live = s().Foreground(p.liveFg).Background(p.liveBg).Bold(true)
	t.Changed = s().Foreground(p.changedFg).Background(p.changedBg)

	// PAUSED and STALE sit inside the banner, whatever its colour, so
	// they carry their own black background: bright text on black reads
	// on a red, an amber and a green bar alike.
	t.Paused = s().Foreground(lipgloss.Color("#FFB000")).Background(lipgloss.Color("#000000")).Bold(true)
	t.Stale = s().Foreground(lipgloss.Color("#FF6B6B")).Background(lipgloss.Color("#000000")).Bold(true)

	t.Key = s().Foreground(p.accent).Bold(true)
	t.KeyDesc = s().Foreground(p.faint)
	t.Filter = s().Foreground(p.accent).Bold(true)

	t.envs[EnvProduction] = EnvStyle{
		Bar:   s().Foreground(p.prodFg).Background(p.prodBg),
		Label: s().Foreground(p.prodFg).Background(p.prodBg).Bold(true),
	}
	// Unknown is drawn as production (an account nobody classified may
	// well be production); its label, not its colour, tells them apart.
	// The label is reversed inside the bar so it cannot be mistaken for
	// a production banner at a glance.
	t.envs[EnvUnknown] = EnvStyle{
		Bar:   t.envs[EnvProduction].Bar,
		Label: s().Foreground(p.prodBg).Background(p.prodFg).Bold(true),
	}
	t.envs[EnvStaging] = EnvStyle{
		Bar:   s().Foreground(p.stageFg).Background(p.stageBg),
		Label: s().Foreground(p.stageFg).Background(p.stageBg).Bold(true),
	}
	t.envs[EnvDevelopment] = EnvStyle{
		Bar:   s().Foreground(p.devFg).Background(p.devBg),
		Label: s().Foreground(p.devFg).Background(p.devBg).Bold(true),
	}
	t.envs[EnvSandbox] = t.envs[EnvDevelopment]
	markDangerous(&t)
	return t
}

// dangerMark flanks the label of the environments where a mistake costs
// most.
const dangerMark = "▲▲"

func markDangerous(t *Theme) {
	t.envs[EnvProduction].Mark = dangerMark
	t.envs[EnvUnknown].Mark = dangerMark
}

func standard(isDark bool) Theme {
	ld := lipgloss.LightDark(isDark)
	c := lipgloss.Color
	white, black := c("#FFFFFF"), c("#000000")
	return build(Default, isDark, palette{
		text:   ld(c("#1F1F1F"), c("#E4E4E4")),
		faint:  ld(c("#6B6B6B"), c("#8A8A8A")),
		accent: ld(c("#0B5CAD"), c("#6CB6FF")),
		ok:     ld(c("#1B7F3B"), c("#5FD38A")),
		warn:   ld(c("#9A5B00"), c("#FFB454")),
		danger: ld(c("#C00020"), c("#FF5F5F")),

		liveBg: ld(c("#0B5CAD"), c("#6CB6FF")), liveFg: ld(white, black),
		changedBg: ld(c("#FFF2A8"), c("#4A4100")), changedFg: ld(black, c("#FFF6C0")),
		selBg: ld(c("#0B5CAD"), c("#2F5E8C")), selFg: white,
		blurBg: ld(c("#E2E2E2"), c("#303030")),

		prodBg: ld(c("#C00020"), c("#B00020")), prodFg: white,
		stageBg: ld(c("#E8A200"), c("#FFB000")), stageFg: black,
		devBg: ld(c("#1B7F3B"), c("#2E8B47")), devFg: white,
	})
}

// highContrast sticks to the 16 ANSI colours, which every terminal and
// projector maps to something loud, and makes text bold where it matters.
func highContrast(isDark bool) Theme {
	ld := lipgloss.LightDark(isDark)
	a := func(n int) color.Color { return lipgloss.ANSIColor(n) }
	t := build(HighContrast, isDark, palette{
		text:   ld(a(0), a(15)),
		faint:  ld(a(0), a(7)),
		accent: ld(a(4), a(14)),
		ok:     ld(a(2), a(10)),
		warn:   ld(a(3), a(11)),
		danger: ld(a(1), a(9)),

		liveBg: ld(a(4), a(14)), liveFg: ld(a(15), a(0)),
		changedBg: a(11), changedFg: a(0),
		selBg: ld(a(0), a(15)), selFg: ld(a(15), a(0)),
		blurBg: ld(a(7), a(8)),

		prodBg: a(1), prodFg: a(15),
		stageBg: a(11), stageFg: a(0),
		devBg: a(2), devFg: a(15),
	})
	t.Text = t.Text.Bold(true)
	t.Paused = t.Paused.Foreground(a(11)).Background(a(0))
	t.Stale = t.Stale.Foreground(a(9)).Background(a(0))
	t.Header = t.Header.Underline(true)
	return t
}

// colorBlind uses Okabe & Ito's palette ("Color Universal Design", 2008):
// vermillion, orange, yellow, blue and sky blue stay distinct for
// deuteranopes and protanopes, where red and green do not. Development
// becomes blue rather than green for that reason.
func colorBlind(isDark bool) Theme {
	ld := lipgloss.LightDark(isDark)
	c := lipgloss.Color
	white, black := c("#FFFFFF"), c("#000000")
	var (
		vermillion = c("#D55E00")
		orange     = c("#E69F00")
		yellow     = c("#F0E442")
		blue       = c("#0072B2")
		sky        = c("#56B4E9")
	)
	return build(ColorBlind, isDark, palette{
		text:   ld(c("#1F1F1F"), c("#E4E4E4")),
		faint:  ld(c("#6B6B6B"), c("#8A8A8A")),
		accent: ld(blue, sky),
		ok:     ld(blue, sky),
		warn:   ld(c("#9A5B00"), orange),
		danger: vermillion,

		liveBg: ld(blue, sky), liveFg: ld(white, black),
		changedBg: ld(yellow, c("#4A4100")), changedFg: ld(black, c("#FFF6C0")),
		selBg: ld(blue, c("#2F5E8C")), selFg: white,
		blurBg: ld(c("#E2E2E2"), c("#303030")),

		prodBg: vermillion, prodFg: white,
		stageBg: yellow, stageFg: black,
		devBg: blue, devFg: white,
	})
}

// monochrome draws with attributes only. Reverse video marks everything
// that must stand out (banner, LIVE, the cursor, badges); the words carry
// the meaning.
func monochrome(isDark bool) Theme {
	s := lipgloss.NewStyle
	t := Theme{Kind: Monochrome, Dark: isDark}
	t.Text = s()
	t.Faint = s()
	t.Title = s().Bold(true)
	t.TitleFocused = s().Bold(true).Reverse(true)
	t.Rule = s()
	t.RuleFocused = s().Bold(true)
	t.Header = s().Underline(true)
	t.Selected = s().Reverse(true).Bold(true)
	t.SelectedBlur = s().Underline(true)
	t.Ok = s()
	t.Warn = s().Bold(true)
	t.Danger = s().Bold(true)
	t.Live = s().Reverse(true).Bold(true)
	t.Changed = s().Bold(true).Underline(true)
	t.Paused = s().Bold(true).Underline(true)
	t.Stale = s().Bold(true).Underline(true)
	t.Key = s().Bold(true)
	t.KeyDesc = s()
	t.Filter = s().Bold(true)

	// Without colour, the shape says how dangerous the account is:
	// production fills the banner with reverse video, edge to edge, on
	// both lines; staging and development reverse only their label, so
	// the two cannot be confused from across a room even before the
	// word is read.
	bar := s().Reverse(true)
	t.envs[EnvProduction] = EnvStyle{Bar: bar, Label: bar.Bold(true)}
	// Unknown is drawn as production; its label drops out of the
	// reversed bar so it differs from production's without colour.
	t.envs[EnvUnknown] = EnvStyle{Bar: bar, Label: s().Bold(true).Underline(true)}
	for _, e := range []Env{EnvStaging, EnvDevelopment} {
		t.envs[e] = EnvStyle{Bar: s(), Label: s().Reverse(true).Bold(true)}
	}
	markDangerous(&t)
	return t
}

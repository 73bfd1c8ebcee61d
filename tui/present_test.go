package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
)

// presentOptions are the options `airlock --present` runs with: cmd
// picks the high-contrast theme for it.
func presentOptions() Options {
	return Options{Present: true, Theme: themes.HighContrast}
}

// TestGoldenPresent keeps the screen of story S1 after the go-live as a
// shared screen shows it, styled and as text, at 80x24 and 120x40.
func TestGoldenPresent(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			hs := afterGoLive(t, presentOptions(), sz[0], sz[1])
			out := hs.m.View().Content
			assertFits(t, out, sz[0], sz[1])
			golden.RequireEqual(t, out)
		})
		t.Run(fmt.Sprintf("text-%dx%d", sz[0], sz[1]), func(t *testing.T) {
			hs := afterGoLive(t, presentOptions(), sz[0], sz[1])
			golden.RequireEqual(t, hs.screen())
		})
	}
}

// The large letters are the environment's word, for every environment
// and for an account not yet confirmed, and the banner is three lines
// that fit at every width; too narrow for large letters, the word is
// spelt out in small ones.
func TestPresentBannerNamesTheEnvironmentAtAnyWidth(t *testing.T) {
	st := newStyles(themes.New(themes.HighContrast, true))
	cases := []struct {
		env       model.Environment
		confirmed bool
		label     string // the label in small letters
		big       string // the word in large letters
	}{
		{model.EnvProduction, true, "PRODUCTION", "PRODUCTION"},
		{model.EnvStaging, true, "STAGING", "STAGING"},
		{model.EnvDevelopment, true, "DEVELOPMENT", "DEVELOPMENT"},
		{model.EnvSandbox, true, "SANDBOX", "SANDBOX"},
		{model.EnvUnknown, true, "UNKNOWN ACCOUNT", "UNKNOWN"},
		{model.EnvProduction, false, "ACCOUNT UNCONFIRMED", "UNCONFIRMED"},
	}
	for _, tc := range cases {
		big, bw, ok := bigText(tc.big)
		if !ok {
			t.Fatalf("the font cannot write %s", tc.big)
		}
		b := newBanner(&st, Options{Present: true, Region: "eu-west-1", Profile: "acme"})
		b.env = tc.env
		if tc.confirmed {
			b.identity = model.Identity{AccountID: "111111111111", ARN: "arn:aws:iam::111111111111:user/oncall", Alias: "acme"}
		}
		b.interval = 5 * time.Second
		large := 0
		for w := 1; w <= 200; w++ {
			out := b.view(w)
			lines := strings.Split(out, "\n")
			if len(lines) != presentRows {
				t.Fatalf("%s at width %d: %d lines", tc.label, w, len(lines))
			}
			for _, l := range lines {
				if ansi.StringWidth(l) != w {
					t.Fatalf("%s at width %d: a line is %d wide: %q", tc.label, w, ansi.StringWidth(l), ansi.Strip(l))
				}
			}
			plain := plainLines(out)
			switch {
			case strings.HasPrefix(plain[0], " "+big[0]+" "):
				for i := range big {
					if !strings.HasPrefix(plain[i], " "+big[i]+" ") {
						t.Errorf("%s at width %d: line %d is not the large word: %q", tc.label, w, i, plain[i])
					}
				}
				large++
			case w >= 2*len(tc.label)+1 && !strings.Contains(plain[0], spaced(tc.label)):
				t.Errorf("%s at width %d: neither large nor spelt out: %q", tc.label, w, plain[0])
			}
		}
		if want := 200 - (bw + 3 + minInfo) + 1; large < want {
			t.Errorf("%s: large letters at %d widths, want at least %d", tc.label, large, want)
		}
	}
}

// The font: five pixel rows a glyph, every row as wide as the first, and
// nothing but pixels and blanks; a word it cannot write says so.
func TestBigTextFont(t *testing.T) {
	for r, g := range glyphs {
		for i, row := range g {
			if len(row) != len(g[0]) || strings.Trim(row, "#.") != "" {
				t.Errorf("glyph %c row %d: %q", r, i, row)
			}
		}
	}
	out, w, ok := bigText("EIP")
	want := [presentRows]string{
		"█▀▀ ▀█▀ █▀█",
		"█▀   █  █▀▀",
		"▀▀▀ ▀▀▀ ▀  ",
	}
	if !ok || out != want || w != 11 {
		t.Errorf("bigText(EIP) = %q, %d, %v; want %q", out, w, ok, want)
	}
	if _, _, ok := bigText("PROD-1"); ok {
		t.Error("bigText wrote runes it has no glyph for")
	}
}

// --present leaves out the columns a viewer does not need, and puts two
// blank cells between the columns it keeps; the everyday screen at the
// same size keeps them.
func TestPresentDropsAsideColumns(t *testing.T) {
	aside := []string{"ALLOCATION", "PRIVATE IP", "NEWEST", "EIPS", " AZ ", "TYPE"}
	every := afterGoLive(t, Options{}, 200, 60).screen()
	present := afterGoLive(t, presentOptions(), 200, 60).screen()
	for _, title := range aside {
		if !strings.Contains(every, title) {
			t.Errorf("the everyday screen at 200x60 has no %s column", title)
		}
		if strings.Contains(present, title) {
			t.Errorf("--present shows %s", title)
		}
	}
	if !strings.Contains(present, "CLUSTER▲    LIVE    RUN  CHECKS") {
		t.Errorf("--present does not space the clusters' columns by two:\n%s", present)
	}
}

// A sandbox account has a banner of its own, everyday and presenting
// (its inks once stopped at development, and drawing it panicked).
func TestBannerSandboxAccount(t *testing.T) {
	st := newStyles(themes.New(themes.Default, true))
	for _, present := range []bool{false, true} {
		b := newBanner(&st, Options{Present: present})
		b.env = model.EnvSandbox
		b.identity = model.Identity{AccountID: "444444444444", ARN: "arn:aws:iam::444444444444:user/oncall", Alias: "acme-sbx"}
		out := ansi.Strip(b.view(120))
		if !strings.Contains(out, "SANDBOX") && !strings.Contains(out, "▄▀▀ ▄▀▄ █▄ █") {
			t.Errorf("present=%v: the banner does not name the sandbox:\n%s", present, out)
		}
		if got := b.view(120); !strings.Contains(got, st.ink.EnvBar[themes.EnvSandbox].pre) {
			t.Errorf("present=%v: the banner is not in the sandbox's colours", present)
		}
	}
}

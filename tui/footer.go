package tui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// footer is the last line: the keys that work here, or what the filter
// prompt is doing, or a short notice ("a refresh is already running").
// On `?` the full help replaces the panes (help.go).
type footer struct {
	st   *styles
	help help.Model
}

func newFooter(st *styles) *footer {
	f := &footer{st: st, help: help.New()}
	f.restyle()
	return f
}

// restyle picks up a new theme; bubbles' help keeps its own copy of
// styles.
func (f *footer) restyle() {
	th := &f.st.theme
	f.help.Styles = help.Styles{
		ShortKey:       th.Key,
		ShortDesc:      th.KeyDesc,
		ShortSeparator: th.Faint,
		Ellipsis:       th.Faint,
		FullKey:        th.Key,
		FullDesc:       th.KeyDesc,
		FullSeparator:  th.Faint,
	}
	f.help.ShortSeparator = "  "
}

// shortKeys are the keys that work in the focused pane, most useful
// first: on a narrow screen the footer drops them from the right, except
// help and quit, which always show (fitKeys). While paused, p says what
// it does now: resume.
func shortKeys(k *keyMap, p paneID, filtering, helpShown, actions, paused bool) bindings {
	switch {
	case filtering:
		return bindings{short: []key.Binding{k.Apply, withHelp(k.Back, "esc", "clear filter")}}
	case helpShown:
		return bindings{short: []key.Binding{withHelp(k.Help, "?/esc", "close help"), k.Quit}}
	}
	short := []key.Binding{k.Up, k.Down, k.Next}
	if p == paneClusters {
		short = append(short, k.Drill)
	}
	if p == paneEvents {
		short = append(short, withHelp(k.Drill, "enter", "show whole"))
	}
	if actions && p != paneEvents {
		short = append(short, k.Action)
	}
	pause := k.Pause
	if paused {
		pause = withHelp(k.Pause, "p", "resume")
	}
	short = append(short, k.Filter, k.Refresh, pause, k.Help, k.Quit)
	return bindings{short: short}
}

// flowKeys are the keys of each stage of the airlock.
func flowKeys(k *keyMap, f *actionFlow) bindings {
	back := withHelp(k.Back, "esc", "back")
	switch f.stage {
	case stageBuilding:
		return bindings{short: []key.Binding{withHelp(k.Back, "esc", "close")}}
	case stageMenu:
		return bindings{short: []key.Binding{k.Up, k.Down, withHelp(k.Drill, "enter", "check with AWS"), withHelp(k.Back, "esc", "close")}}
	case stagePick:
		return bindings{short: []key.Binding{withHelp(k.Up, "↑", "up"), withHelp(k.Down, "↓", "down"),
			withHelp(k.Drill, "enter", "check with AWS"), withHelp(k.Back, "esc", "back")}}
	case stageCount:
		return bindings{short: []key.Binding{withHelp(k.Drill, "enter", "check with AWS"), withHelp(k.Back, "esc", "back")}}
	case stagePreparing:
		return bindings{short: []key.Binding{withHelp(k.Back, "esc", "cancel")}}
	case stageConfirm:
		if f.form != nil {
			return bindings{short: []key.Binding{withHelp(k.Drill, "enter", "confirm"), withHelp(k.Back, "esc", "cancel")}}
		}
		return bindings{short: []key.Binding{back}}
	case stageExecuting:
		return bindings{}
	}
	return bindings{short: []key.Binding{back}}
}

func withHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}

// footerHintRoom is what the filter prompt leaves for the key hints.
const footerHintRoom = 36

// fitKeys renders the key hints in at most w cells. On a narrow screen
// the least telling hints go first (the arrows explain themselves),
// keeping the order of the rest; help and quit stay whatever the width:
// an operator who knows nothing else must find those two.
func (f *footer) fitKeys(short []key.Binding, w int) string {
	f.help.SetWidth(0) // measure, do not cut
	keep := slices.Clone(short)
	for {
		out := f.help.ShortHelpView(keep)
		if ansi.StringWidth(out) <= w {
			return out
		}
		drop := -1
		for i, b := range keep {
			if p := hintRank(b); p < pinnedRank && (drop < 0 || p < hintRank(keep[drop])) {
				drop = i
			}
		}
		if drop < 0 {
			return ansi.Truncate(out, w, "…")
		}
		keep = slices.Delete(keep, drop, drop+1)
	}
}

// pinnedRank and above never leave the footer.
const pinnedRank = 100

// hintRank is how much a hint is worth keeping on a narrow footer.
func hintRank(b key.Binding) int {
	h := b.Help()
	switch h.Key {
	case "?", "q", "?/esc":
		return pinnedRank
	case "p":
		if h.Desc == "resume" {
			return 90 // the screen is frozen: say how to unfreeze it
		}
		return 30
	case "esc":
		return 85
	case "x":
		return 80
	case "enter":
		return 60
	case "tab":
		return 50
	case "/":
		return 40
	case "r":
		return 20
	}
	return 10 // the arrows, and anything not ranked
}

// view draws the footer line. notice, when not empty, replaces the keys.
func (f *footer) view(w int, keys bindings, filterLine, notice string) string {
	switch {
	case filterLine != "":
		// filterLine is styled, and holds only sanitised text.
		hint := "  " + f.fitKeys(keys.short, max(w-footerHintRoom, 0))
		room := w - ansi.StringWidth(hint)
		if room < 10 {
			return padStyled(filterLine, w)
		}
		return padStyled(filterLine, room) + hint
	case notice != "":
		return f.st.ink.Warn.render(pad(notice, w, false))
	}
	return padStyled(f.fitKeys(keys.short, w), w)
}

// padStyled pads a styled line to w cells (it is already no wider).
func padStyled(s string, w int) string {
	if sw := ansi.StringWidth(s); sw < w {
		return s + strings.Repeat(" ", w-sw)
	} else if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s
}

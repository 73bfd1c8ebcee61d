package tui

import (
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
// first: help truncates from the right on a narrow screen.
func shortKeys(k *keyMap, p paneID, filtering, helpShown, actions bool) bindings {
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
	if actions && p != paneEvents {
		short = append(short, k.Action)
	}
	short = append(short, k.Filter, k.Refresh, k.Pause, k.Help, k.Quit)
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

// view draws the footer line. notice, when not empty, replaces the keys.
func (f *footer) view(w int, keys bindings, filterLine, notice string) string {
	f.help.SetWidth(w)
	switch {
	case filterLine != "":
		hint := "  " + f.help.ShortHelpView(keys.short)
		room := w - ansi.StringWidth(hint)
		if room < 10 {
			return pad(filterLine, w, false)
		}
		return pad(filterLine, room, false) + hint
	case notice != "":
		return f.st.ink.Warn.render(pad(notice, w, false))
	}
	return padStyled(f.help.ShortHelpView(keys.short), w)
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

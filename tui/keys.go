package tui

import "charm.land/bubbles/v2/key"

// keyMap is every key airlock answers to. The footer and the help screen
// are generated from it, so they cannot drift from what the keys do.
type keyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding

	Next, Prev key.Binding // switch panes
	Drill      key.Binding // clusters → instances of the cluster
	Back       key.Binding // clear the filter, or back to clusters
	Filter     key.Binding
	Apply      key.Binding // keep the filter and leave the prompt

	Refresh, Pause key.Binding
	Action         key.Binding
	Help, Quit     key.Binding
}

func newKeyMap() keyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Up:       b("↑/k", "up", "up", "k"),
		Down:     b("↓/j", "down", "down", "j"),
		PageUp:   b("pgup", "page up", "pgup", "ctrl+b"),
		PageDown: b("pgdn", "page down", "pgdown", "ctrl+f"),
		Home:     b("g", "first", "home", "g"),
		End:      b("G", "last", "end", "G"),
		Next:     b("tab", "next pane", "tab"),
		Prev:     b("shift+tab", "previous pane", "shift+tab"),
		Drill:    b("enter", "instances", "enter"),
		Back:     b("esc", "back", "esc"),
		Filter:   b("/", "filter", "/"),
		Apply:    b("enter", "keep filter", "enter"),
		Refresh:  b("r", "refresh now", "r"),
		Pause:    b("p", "pause", "p"),
		Action:   b("x", "actions", "x"),
		Help:     b("?", "help", "?"),
		Quit:     b("q", "quit", "q", "ctrl+c"),
	}
}

// bindings is a help.KeyMap over a fixed set of bindings: the root model
// builds one for the footer from what works in the current mode and pane.
type bindings struct {
	short []key.Binding
	full  [][]key.Binding
}

func (b bindings) ShortHelp() []key.Binding  { return b.short }
func (b bindings) FullHelp() [][]key.Binding { return b.full }

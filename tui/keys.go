package tui

import "charm.land/bubbles/v2/key"

// keyMap is every key airlock answers to. The footer and the help screen
// are generated from it, so they cannot drift from what the keys do (a
// test checks that help names every binding and every key of each).
type keyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding

	Next, Prev key.Binding // switch panes
	Drill      key.Binding // clusters → instances of the cluster; a row → its details
	Back       key.Binding // clear the filter, or back to clusters
	Filter     key.Binding
	Apply      key.Binding // keep the filter and leave the prompt

	Detail key.Binding // everything airlock knows about the row
	Copy   key.Binding // the row's ID or IP to the clipboard (OSC 52)
	Sort   key.Binding // the focused pane's next order
	Find   key.Binding // an instance by IP, ID or name, in any cluster

	Refresh, Pause key.Binding
	Profile        key.Binding // switch to another profile of the shared config
	Region         key.Binding // switch to another region of the partition
	Action         key.Binding
	Ack            key.Binding // acknowledge a vanished service (Services page)
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
		Detail:   b("d", "details", "d"),
		Copy:     b("c", "copy ID/IP", "c"),
		Sort:     b("s", "sort", "s"),
		Find:     b("f/:", "find instance", "f", ":"),
		Refresh:  b("r", "refresh now", "r"),
		Pause:    b("p", "pause", "p"),
		Profile:  b("P", "profile", "P"),
		Region:   b("R", "region", "R"),
		Action:   b("x", "actions", "x"),
		Ack:      b("a", "acknowledge", "a"),
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

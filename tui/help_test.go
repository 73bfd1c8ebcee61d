package tui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// helpText is the whole help at width w, every line, without styles.
func helpText(t *testing.T, o Options, w int) string {
	t.Helper()
	hs := newHarness(t, &staticSource{}, o, w, 24)
	hs.deliver(demoSnapshot())
	hs.key("?")
	return ansi.Strip(strings.Join(hs.m.help, "\n"))
}

// TestGoldenHelp keeps the first screen of help at 80x24 and 60x24, the
// last one, and the whole text at both widths (read these in review: it
// is what a newcomer reads).
func TestGoldenHelp(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {60, 24}} {
		name := fmt.Sprintf("%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			hs := newHarness(t, &staticSource{}, Options{}, sz[0], sz[1])
			hs.deliver(demoSnapshot())
			hs.key("?")
			out := hs.m.View().Content
			assertFits(t, out, sz[0], sz[1])
			golden.RequireEqual(t, ansi.Strip(out))
		})
		t.Run(name+"-end", func(t *testing.T) {
			hs := newHarness(t, &staticSource{}, Options{}, sz[0], sz[1])
			hs.deliver(demoSnapshot())
			hs.key("?", "end")
			out := hs.m.View().Content
			assertFits(t, out, sz[0], sz[1])
			golden.RequireEqual(t, ansi.Strip(out))
		})
		t.Run(fmt.Sprintf("full-%d", sz[0]), func(t *testing.T) {
			golden.RequireEqual(t, helpText(t, Options{}, sz[0]))
		})
	}
}

// Every binding of keys.go, with every key it answers to, is in the help:
// a key added to the keyMap and not explained fails here.
func TestHelpListsEveryBinding(t *testing.T) {
	text := helpText(t, Options{}, 120)
	km := newKeyMap()
	v := reflect.ValueOf(km)
	n := 0
	for i := range v.NumField() {
		b, ok := v.Field(i).Interface().(key.Binding)
		if !ok {
			continue
		}
		n++
		name := v.Type().Field(i).Name
		if !strings.Contains(text, "  "+keysOf(b)+" ") {
			t.Errorf("help does not list %s (%s)", name, keysOf(b))
		}
		for _, k := range b.Keys() {
			if !strings.Contains(keysOf(b), k) && keyNames[k] == "" {
				t.Errorf("%s: key %q is not written in help", name, k)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d bindings found in keyMap", n)
	}
	// Each mode has its section; every column and marker is explained.
	for _, want := range []string{
		"Keys in the filter prompt", "Keys in find", "Keys in details", "Keys in the action menu",
		"Keys on the confirmation screen", "Mouse", "pgup/pgdn",
		"STATES", "NEWEST", "sched", "(untagged)", "━▶", "≈ blue", "⟨U+200B⟩", "▲ ▼", "Colours",
		"LAUNCHED", "PRIVATE IP", "OWNER", "ALLOCATION", "EVENT", "PRODUCTION", "STAGING",
		"Services: ECS clusters", "Columns of Services", "ROLLOUT", "vanished", "retiring in 3d", "DeleteOnTermination", "new number",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

// The mouse section says what the mouse does in this run.
func TestHelpMouse(t *testing.T) {
	const clicks = "focus the pane and select the row clicked"
	if off := helpText(t, Options{}, 80); !strings.Contains(off, "--mouse") || strings.Contains(off, clicks) {
		t.Errorf("help without --mouse should say how to turn it on:\n%s", off)
	}
	if on := helpText(t, Options{Mouse: true}, 80); !strings.Contains(on, "scroll the pane under the pointer") || !strings.Contains(on, clicks) {
		t.Errorf("help with --mouse should explain the wheel and clicks:\n%s", on)
	}
}

// Help wraps at every width airlock draws at, and scrolls to its end.
func TestHelpWrapsAndScrolls(t *testing.T) {
	for _, w := range []int{minWidth, 50, 60, 80, 200} {
		hs := newHarness(t, &staticSource{}, Options{}, w, 24)
		hs.deliver(demoSnapshot())
		hs.key("?")
		for i, l := range hs.m.help {
			if lw := ansi.StringWidth(l); lw > w {
				t.Errorf("width %d: help line %d is %d cells: %q", w, i, lw, ansi.Strip(l))
			}
		}
		assertFits(t, hs.m.View().Content, w, 24)
		hs.key("end")
		s := hs.screen()
		if !strings.Contains(s, "DEVELOPMENT") || !strings.Contains(s, "/"+itoa(len(hs.m.help))+" ") {
			t.Errorf("width %d: end of help not shown:\n%s", w, s)
		}
		hs.key("home")
		if !strings.Contains(hs.screen(), "Keys on the dashboard") {
			t.Errorf("width %d: home did not go back to the top", w)
		}
	}
}

// With --mouse the wheel scrolls the help and the details.
func TestWheelScrollsHelpAndDetails(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{Mouse: true}, 80, 16)
	hs.deliver(demoSnapshot())
	hs.key("?")
	hs.send(tea.MouseWheelMsg{X: 10, Y: 8, Button: tea.MouseWheelDown})
	if hs.m.helpOff != 3 {
		t.Errorf("wheel over help scrolled to %d, want 3", hs.m.helpOff)
	}
	hs.key("esc", "tab", "tab", "enter")
	hs.send(tea.MouseWheelMsg{X: 10, Y: 8, Button: tea.MouseWheelDown})
	hs.send(tea.MouseWheelMsg{X: 10, Y: 8, Button: tea.MouseWheelUp})
	hs.send(tea.MouseWheelMsg{X: 10, Y: 8, Button: tea.MouseWheelDown})
	if hs.m.detail == nil || hs.m.detail.off != 3 {
		t.Errorf("wheel over details did not scroll them")
	}
	if hs.m.instances.cur.pos != 0 {
		t.Error("the wheel moved the cursor behind the details")
	}
}

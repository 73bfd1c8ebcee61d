package tui

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// clipboardOf is the text a command asks the terminal to put on the
// clipboard (tea.SetClipboard's message is an unexported string type),
// or "" when it asks for nothing of the kind.
func clipboardOf(t *testing.T, cmd tea.Cmd) string {
	t.Helper()
	if cmd == nil {
		return ""
	}
	msg := cmd()
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.String || !strings.Contains(v.Type().String(), "setClipboardMsg") {
		t.Fatalf("c returned %T, want tea.SetClipboard's message", msg)
	}
	return v.String()
}

// c copies the selected row's ID or IP through OSC 52 and says so.
func TestCopyTheSelectedRow(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	cases := []struct {
		keys []string
		want string
	}{
		{[]string{"c"}, "blue"},
		{[]string{"tab", "c"}, "3.3.3.1"},
		{[]string{"tab", "j", "c"}, "i-0b1e0000000000002"},
		{[]string{"enter", "c"}, "i-0b1e0000000000002"}, // in the details
	}
	for _, tc := range cases {
		hs.key(tc.keys[:len(tc.keys)-1]...)
		got := clipboardOf(t, hs.send(keyPress("c")))
		if got != tc.want {
			t.Errorf("after %v, c copied %q, want %q", tc.keys, got, tc.want)
		}
		if s := hs.screen(); !strings.Contains(s, "copied "+tc.want+" to the clipboard") {
			t.Errorf("the footer does not say %s was copied:\n%s", tc.want, s)
		}
	}
}

// A name that would paste as something other than it reads is not
// copied, and the untagged group is not a name.
func TestCopyRefusesInvisibleNames(t *testing.T) {
	s := demoSnapshot()
	s.Instances = append(s.Instances, model.Instance{ID: "i-0ffe0000000000001", State: model.StateRunning,
		Tags: model.TagsOf(map[string]string{"Cluster": "blue\u200b"}), LaunchTime: t0})
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(s)
	hs.key("j") // blue⟨U+200B⟩, sorted after blue
	if got := hs.m.clusters.selectedName(); got != "blue\u200b" {
		t.Fatalf("cursor on %q", got)
	}
	if cmd := hs.send(keyPress("c")); cmd != nil {
		t.Errorf("a look-alike name was copied: %q", clipboardOf(t, cmd))
	}
	if !strings.Contains(hs.screen(), "not copied: the cluster name holds invisible characters") {
		t.Errorf("the refusal is not explained:\n%s", hs.screen())
	}
	hs.key("G")
	if cmd := hs.send(keyPress("c")); cmd != nil {
		t.Errorf("(untagged) was copied: %q", clipboardOf(t, cmd))
	}
}

package main

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Without --mouse the terminal keeps the mouse, so tmux and SSH terminals
// can select text (an ID to paste into chat). TestSignalsEndTheDashboard
// runs with --mouse and checks capture is on while running and off after.
func TestMouseOffByDefault(t *testing.T) {
	p, _, _ := demoPane(t)
	p.waitFor("blue LIVE", wait, bannerReady("acme-prod"))
	if got := p.display("#{alternate_on} #{mouse_any_flag}"); got != "1 0" {
		t.Fatalf("alternate screen, mouse = %q, want \"1 0\": the mouse is captured without --mouse", got)
	}
}

// c copies the selected instance's ID through OSC 52: with tmux's
// set-clipboard on, the ID lands in tmux's paste buffer, where an
// engineer (or `tmux paste-buffer`) takes it into chat.
func TestCopyIDIntoTmuxBuffer(t *testing.T) {
	p, _, _ := demoPane(t)
	p.tmux("set-option", "-s", "set-clipboard", "on")
	p.waitFor("blue LIVE", wait, bannerReady("acme-prod"))
	p.send("Tab", "Tab", "j", "c")
	const id = "i-01100000000000002" // blue-web-2, the second instance of blue
	p.waitFor("the copy notice", wait, func(s string) bool {
		return strings.Contains(s, "copied "+id+" to the clipboard")
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, err := exec.Command("tmux", "-L", p.socket, "show-buffer").CombinedOutput()
		if err == nil && string(out) == id {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("tmux buffer = %q (%v), want %q", out, err, id)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

package main

import (
	"testing"
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

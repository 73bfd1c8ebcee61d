package main

import (
	"strings"
	"testing"
	"time"
)

// TestDemoGoLiveInTerminal is story S1's first half in a real terminal:
// the README's demo, with a go-live 3 seconds in. The banner must name the
// account and environment; LIVE must move from blue to green and the event
// feed must say so.
func TestDemoGoLiveInTerminal(t *testing.T) {
	p := startPane(t, 100, 30, []string{"XDG_STATE_HOME=" + t.TempDir()},
		"demo", "--go-live-after", "3s", "--refresh", "1s")

	screen := p.waitFor("the banner and blue LIVE", 20*time.Second, func(s string) bool {
		return strings.Contains(s, "PRODUCTION") && strings.Contains(s, "acme-prod") &&
			hasLine(s, `\bblue\b`, `LIVE`)
	})
	if hasLine(screen, `\bgreen\b`, `LIVE`) {
		t.Fatalf("green is LIVE before the go-live:\n%s", screen)
	}
	if !strings.Contains(screen, "111111111111") {
		t.Errorf("banner does not show the account ID:\n%s", screen)
	}

	p.waitFor("green LIVE and the move in the event feed", 20*time.Second, func(s string) bool {
		return hasLine(s, `\bgreen\b`, `LIVE`) && !hasLine(s, `^\W*blue\b.*LIVE`) &&
			hasLine(s, `\d\d:\d\d:\d\d`, `moved`, `blue`, `green`)
	})

	p.send("q")
	p.waitFor("the program to exit on q", 10*time.Second, func(s string) bool {
		return strings.Contains(p.tmux("list-panes", "-t", "airlock", "-F", "#{pane_dead}"), "1")
	})
}

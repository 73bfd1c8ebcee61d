package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Ctrl-Z suspends the dashboard as it does any terminal program: the
// shell gets the terminal back (normal screen, no mouse mode), and fg
// brings the dashboard back, redrawn, still refreshing.
func TestCtrlZSuspendsAndFgRedraws(t *testing.T) {
	requireTmux(t)
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed; job control needs an interactive shell")
	}
	p := &tmuxPane{t: t, socket: fmt.Sprintf("airlock-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	state := t.TempDir()
	shell := []string{"env", "-i", "PATH=" + os.Getenv("PATH"), "HOME=" + state, "TERM=xterm-256color",
		"XDG_STATE_HOME=" + state, "HISTFILE=/dev/null", "PS1=$ ", "bash", "--norc", "--noprofile", "-i"}
	p.tmux("-f", "/dev/null", "new-session", "-d", "-s", "airlock", "-x", "100", "-y", "30", "exec "+shellQuote(shell))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last screen:\n%s", p.capture())
		}
		_ = exec.Command("tmux", "-L", p.socket, "kill-server").Run()
	})
	p.waitFor("the shell prompt", wait, func(s string) bool { return strings.HasPrefix(s, "$") })

	p.typeText(shellQuote([]string{airlockBin, "demo", "--refresh", "1s", "--go-live-after", "0"}))
	p.send("Enter")
	p.waitFor("blue LIVE", wait, bannerReady("acme-prod"))

	p.send("C-z")
	p.waitFor("the shell, with airlock stopped", wait, func(s string) bool {
		return strings.Contains(s, "Stopped") && p.display("#{alternate_on}") == "0"
	})

	p.typeText("fg")
	p.send("Enter")
	screen := p.waitFor("the dashboard redrawn", wait, func(s string) bool {
		return bannerReady("acme-prod")(s) && p.display("#{alternate_on}") == "1"
	})
	if strings.Contains(screen, "Stopped") {
		t.Errorf("the dashboard was not redrawn over the shell:\n%s", screen)
	}
	// Still alive and refreshing: the age in the banner keeps counting
	// from a refresh made after the resume.
	p.waitFor("a fresh refresh", wait, func(s string) bool {
		return strings.Contains(s, "updated 0s ago") || strings.Contains(s, "updated 1s ago")
	})

	p.send("q")
	p.waitFor("the shell again", wait, func(s string) bool { return p.display("#{alternate_on}") == "0" })
}

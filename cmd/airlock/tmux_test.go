package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tmuxPane is the built binary running in a real terminal: a detached tmux
// session on a private server, typed into with send-keys and read with
// capture-pane, as an operator's terminal would be.
type tmuxPane struct {
	t      *testing.T
	socket string
	status string // file the program's exit status is written to
}

// requireTmux finds tmux. CI installs it (.ci/run), so there a missing tmux
// is a failure; on a developer machine without it the test says what to
// install.
func requireTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed; .ci/run should have installed it")
		}
		t.Skip("tmux is not installed (apt-get install tmux); the real-terminal tests need it")
	}
}

// startPane runs airlock with args in a width x height terminal. env holds
// extra VAR=value pairs for the program.
func startPane(t *testing.T, width, height int, env []string, args ...string) *tmuxPane {
	t.Helper()
	requireTmux(t)
	p := &tmuxPane{t: t, socket: fmt.Sprintf("airlock-test-%d-%d", os.Getpid(), time.Now().UnixNano()),
		status: filepath.Join(t.TempDir(), "exit-status")}

	// env -i: the program sees exactly cleanEnv plus a known terminal, not
	// the tmux server's environment or the developer's AWS settings.
	cmdline := []string{"env", "-i"}
	for _, kv := range cleanEnv() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "TERM", "COLORTERM", "NO_COLOR", "TMUX", "TMUX_PANE":
			continue
		}
		cmdline = append(cmdline, kv)
	}
	cmdline = append(cmdline, "TERM=xterm-256color", "COLORTERM=truecolor")
	cmdline = append(cmdline, env...)
	// A shell runs airlock and writes down its exit status: tmux, when its
	// server was started from a test process, does not always reap the
	// pane's process, so #{pane_dead_status} cannot be relied on.
	cmdline = append(cmdline, "sh", "-c", `"$@"; echo $? >`+shellQuote([]string{p.status}), "sh", airlockBin)
	cmdline = append(cmdline, args...)

	p.tmux("-f", "/dev/null", "new-session", "-d", "-s", "airlock",
		"-x", fmt.Sprint(width), "-y", fmt.Sprint(height), "exec "+shellQuote(cmdline))
	// Keep the pane after the program exits so a crash can be read.
	p.tmux("set-option", "-t", "airlock", "remain-on-exit", "on")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last screen:\n%s", p.capture())
		}
		_ = exec.Command("tmux", "-L", p.socket, "kill-server").Run()
	})
	return p
}

func (p *tmuxPane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", p.socket}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

// capture returns the visible screen as plain text.
func (p *tmuxPane) capture() string {
	out, err := exec.Command("tmux", "-L", p.socket, "capture-pane", "-p", "-t", "airlock").CombinedOutput()
	if err != nil {
		return fmt.Sprintf("(capture failed: %v: %s)", err, out)
	}
	return string(out)
}

// pid is airlock's process ID: the only child of the pane's shell.
func (p *tmuxPane) pid() int {
	p.t.Helper()
	sh := p.display("#{pane_pid}")
	raw, err := os.ReadFile("/proc/" + sh + "/task/" + sh + "/children")
	var pid int
	if _, serr := fmt.Sscan(string(raw), &pid); err != nil || serr != nil {
		p.t.Fatalf("airlock's pid (child of the pane's shell %s): %v %v", sh, err, serr)
	}
	return pid
}

// exitStatus is airlock's exit status once it has ended ("" before):
// 0-255, or 128+N when a signal it did not catch ended it.
func (p *tmuxPane) exitStatus() string {
	raw, _ := os.ReadFile(p.status)
	if !strings.HasSuffix(string(raw), "\n") {
		return ""
	}
	return strings.TrimSpace(string(raw))
}

// display returns a tmux format string evaluated for the pane
// ('#{pane_dead}', '#{alternate_on}').
func (p *tmuxPane) display(format string) string {
	p.t.Helper()
	return strings.TrimSpace(p.tmux("display-message", "-p", "-t", "airlock", format))
}

// send types keys: tmux key names ("Enter", "Escape", "Tab") or literal text.
func (p *tmuxPane) send(keys ...string) {
	p.t.Helper()
	p.tmux(append([]string{"send-keys", "-t", "airlock"}, keys...)...)
}

// typeText types text literally, so a phrase like "acme-prod/green" is
// not read as key names.
func (p *tmuxPane) typeText(text string) {
	p.t.Helper()
	p.tmux("send-keys", "-t", "airlock", "-l", text)
}

// waitFor polls the screen until ok accepts it, and fails the test with
// the last screen and what was awaited after timeout.
func (p *tmuxPane) waitFor(what string, timeout time.Duration, ok func(screen string) bool) string {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		screen := p.capture()
		if ok(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("waited %s for %s; screen:\n%s", timeout, what, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// hasLine reports whether one line of screen matches every pattern.
func hasLine(screen string, patterns ...string) bool {
	for line := range strings.SplitSeq(screen, "\n") {
		all := true
		for _, pat := range patterns {
			if !regexp.MustCompile(pat).MatchString(line) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

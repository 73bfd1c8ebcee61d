package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The dashboard ends on SIGTERM, SIGINT and SIGHUP within a second, with
// the terminal restored (no alternate screen, no mouse mode left on), in
// every state an operator can be in: idle, at the phrase prompt, and
// with an action's calls in flight, whose outcome reaches the audit log.
// Each signal, each state, signalRepeats times in a row: the deadlock
// this replaces struck 7 times in 10.
func TestSignalsEndTheDashboard(t *testing.T) {
	requireTmux(t)
	states := []struct {
		name  string
		setup func(t *testing.T, p *tmuxPane, sim simProcess)
		check func(t *testing.T, state string)
	}{
		{name: "idle"},
		{name: "prompt", setup: atThePrompt},
		{name: "in-flight", setup: actionInFlight, check: interruptedInTheLog},
	}
	for _, st := range states {
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
			t.Run(st.name+"/"+sig.String(), func(t *testing.T) {
				t.Parallel()
				for i := range signalRepeats {
					// --mouse, so the check below also shows mouse
					// mode is restored on the way out.
					p, sim, state := demoPane(t, "--mouse")
					p.waitFor("blue LIVE", wait, bannerReady("acme-prod"))
					if st.setup != nil {
						st.setup(t, p, sim)
					}
					if got := p.display("#{alternate_on} #{mouse_any_flag}"); got != "1 1" {
						t.Fatalf("run %d: terminal modes while running = %q, want alternate screen and mouse on", i, got)
					}
					start := time.Now()
					if err := syscall.Kill(p.pid(), sig); err != nil {
						t.Fatal(err)
					}
					for p.exitStatus() == "" {
						if time.Since(start) > 3*time.Second {
							t.Fatalf("run %d: still running %s after %s", i, time.Since(start).Round(time.Millisecond), sig)
						}
						time.Sleep(10 * time.Millisecond)
					}
					took := time.Since(start)
					if took > time.Second {
						t.Errorf("run %d: %s took %s to end the program, want under 1s", i, sig, took.Round(time.Millisecond))
					}
					// airlock exits by itself, with the shell's convention
					// for a signal (128+N), after restoring the terminal.
					got := p.exitStatus() + " " + p.display("#{alternate_on} #{mouse_any_flag}")
					if want := fmt.Sprintf("%d 0 0", 128+int(sig)); got != want {
						t.Fatalf("run %d: exit status, alternate screen, mouse = %q, want %q\n%s", i, got, want, p.capture())
					}
					if st.check != nil {
						st.check(t, state)
					}
				}
			})
		}
	}
}

// atThePrompt opens the phrase prompt for terminating green.
func atThePrompt(t *testing.T, p *tmuxPane, _ simProcess) {
	t.Helper()
	p.send("j", "x")
	p.waitFor("the menu on green", wait, func(s string) bool { return hasLine(s, `▸ Terminate cluster green`) })
	p.send("Enter")
	p.waitFor("the phrase prompt", wait, func(s string) bool { return strings.Contains(s, "Type acme-prod/green to") })
}

// actionInFlight confirms terminating green while the sim holds every
// TerminateInstances call for 10 seconds.
func actionInFlight(t *testing.T, p *tmuxPane, sim simProcess) {
	t.Helper()
	sim.post(t, "/_sim/faults?kind=latency&action=ec2:TerminateInstances&latency=10s")
	atThePrompt(t, p, sim)
	p.typeText("acme-prod/green")
	p.send("Enter")
	p.waitFor("the action in flight", wait, func(s string) bool {
		return strings.Contains(s, "ec2:TerminateInstances") && !strings.Contains(s, ": done") && !strings.Contains(s, "Type acme-prod/green")
	})
	time.Sleep(200 * time.Millisecond) // the call is on the wire
}

// interruptedInTheLog reads the demo's audit log: the intent, and its
// outcome recorded as interrupted.
func interruptedInTheLog(t *testing.T, state string) {
	t.Helper()
	f, err := os.Open(filepath.Join(state, "airlock", "demo-audit.log"))
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	defer f.Close()
	var events []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct{ Event, Result string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		events = append(events, strings.TrimSuffix(rec.Event+" "+rec.Result, " "))
	}
	if got := strings.Join(events, ", "); got != "intent, outcome interrupted" {
		t.Errorf("audit log = %q, want \"intent, outcome interrupted\"", got)
	}
}

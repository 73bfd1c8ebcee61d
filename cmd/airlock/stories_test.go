package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The stories of INCIDENTS.md, replayed against the built binary in a real
// terminal. Each demo serves its in-process simulated AWS on a known
// address (--sim-listen) so the test can change the world the way a
// deploy would and count the calls airlock made.

// demoPane starts "airlock demo" with extra args and returns the pane, the
// sim's endpoint and the state directory (for the audit log).
func demoPane(t *testing.T, args ...string) (p *tmuxPane, sim simProcess, state string) {
	t.Helper()
	state = t.TempDir()
	sim = simProcess{endpoint: "http://" + closedPort(t)}
	args = append([]string{"demo", "--refresh", "1s", "--go-live-after", "0",
		"--sim-listen", strings.TrimPrefix(sim.endpoint, "http://")}, args...)
	p = startPane(t, 100, 30, []string{"XDG_STATE_HOME=" + state}, args...)
	return p, sim, state
}

// calls reads the sim's call counters for the prod account.
func (s simProcess) calls(t *testing.T, account string) map[string]int {
	t.Helper()
	resp, err := http.Get(s.endpoint + "/_sim/stats?account=" + account)
	if err != nil {
		t.Fatalf("reading sim stats: %v", err)
	}
	defer resp.Body.Close()
	var body struct {
		Calls map[string]int `json:"calls"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("decoding sim stats: %v", err)
	}
	return body.Calls
}

const wait = 20 * time.Second

func bannerReady(account string) func(string) bool {
	return func(s string) bool { return strings.Contains(s, account) && hasLine(s, `\bblue\b`, `LIVE`) }
}

// S1: the screen shows blue's EIPs; refresh is paused; a deploy moves them
// to green. Asking to release blue's EIPs re-fetches ownership, refuses,
// says what moved from where to where, and releases nothing. Resuming
// shows the move in the event feed.
func TestStoryS1StaleScreenCannotReleaseLiveEIPs(t *testing.T) {
	p, sim, _ := demoPane(t)
	p.waitFor("blue LIVE", wait, bannerReady("acme-prod"))

	p.send("p")
	p.waitFor("PAUSED in the banner", wait, func(s string) bool { return strings.Contains(s, "PAUSED") })
	sim.post(t, "/_sim/go-live")
	time.Sleep(1500 * time.Millisecond) // a refresh would have happened by now, were it not paused
	screen := p.capture()
	if !hasLine(screen, `^\W*blue\b.*LIVE`) {
		t.Fatalf("paused screen no longer shows blue LIVE; the test needs the stale view:\n%s", screen)
	}

	// Cursor is on blue (the first cluster). The menu's fourth item
	// releases the cluster's EIPs, as the web console's checkbox did.
	p.send("x")
	p.waitFor("the action menu", wait, func(s string) bool { return strings.Contains(s, "Release the EIPs of blue") })
	p.send("j", "j", "j")
	p.waitFor("release selected", wait, func(s string) bool { return hasLine(s, `▸ Release the EIPs of blue`) })
	p.send("Enter")
	screen = p.waitFor("the fresh refusal", wait, func(s string) bool {
		return strings.Contains(s, "REFUSED: nothing will run") && strings.Contains(s, "green/i-")
	})
	for _, want := range []string{"203.0.113.10", "blue/i-01100000000000001", "green/i-01100000000000004"} {
		if !strings.Contains(screen, want) {
			t.Errorf("refusal does not say %q (what moved, from where, to where):\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "Type ") {
		t.Errorf("a refused release offers a phrase to type:\n%s", screen)
	}
	if n := sim.calls(t, "111111111111")["ec2:ReleaseAddress"]; n != 0 {
		t.Fatalf("ReleaseAddress called %d times; nothing may be released", n)
	}

	// Back on the dashboard, still paused, the panes show what the check
	// found: the refusal proved blue is no longer LIVE, so the screen must
	// not say it is. Resuming keeps the move in the feed.
	// (Wait between the keys: ESC followed at once by p reads as alt+p.)
	p.send("Escape")
	p.waitFor("the dashboard again", wait, func(s string) bool { return strings.Contains(s, "Clusters (") })
	p.waitFor("the check's facts on the paused dashboard", wait, func(s string) bool {
		return strings.Contains(s, "PAUSED") && hasLine(s, `^\W*green\b.*LIVE`) && !hasLine(s, `^\W*blue\b.*LIVE`) &&
			hasLine(s, `moved`, `blue/`, `green/`)
	})
	p.send("p")
	p.waitFor("green LIVE and the move in the feed", wait, func(s string) bool {
		return hasLine(s, `^\W*green\b.*LIVE`) && hasLine(s, `moved`, `blue/`, `green/`)
	})
	if n := sim.calls(t, "111111111111")["ec2:ReleaseAddress"]; n != 0 {
		t.Fatalf("ReleaseAddress called %d times", n)
	}
}

// S2: blue is live, green half-started. Terminating blue is refused with
// why and what must happen first; green asks for acme-prod/green, a wrong
// phrase does nothing, the right one terminates exactly green.
func TestStoryS2TerminateOnlyTheClusterThatIsNotLive(t *testing.T) {
	p, sim, state := demoPane(t)
	p.waitFor("blue LIVE", wait, bannerReady("acme-prod"))

	p.send("x")
	p.waitFor("the menu on blue", wait, func(s string) bool { return hasLine(s, `▸ Terminate cluster blue`, `refused`) })
	p.send("Enter")
	screen := p.waitFor("the refusal", wait, func(s string) bool { return strings.Contains(s, "REFUSED: nothing will run") })
	for _, want := range []string{"cluster blue is LIVE", "203.0.113.10", "move the EIPs to another cluster or disassociate them first"} {
		if !strings.Contains(screen, want) {
			t.Errorf("refusal lacks %q:\n%s", want, screen)
		}
	}
	p.send("Escape")
	p.waitFor("the dashboard again", wait, func(s string) bool { return strings.Contains(s, "Clusters (") })

	p.send("j", "x")
	p.waitFor("the menu on green", wait, func(s string) bool { return hasLine(s, `▸ Terminate cluster green`, `available`) })
	p.send("Enter")
	screen = p.waitFor("the phrase prompt", wait, func(s string) bool { return strings.Contains(s, "Type acme-prod/green to") })
	// FAIL: the confirmation's CHECKS use the dashboard's words ("FAIL inst").
	for _, want := range []string{"cluster green is not LIVE", "i-01100000000000004", "i-01100000000000006", "FAIL"} {
		if !strings.Contains(screen, want) {
			t.Errorf("confirmation lacks the fresh fact %q:\n%s", want, screen)
		}
	}

	p.typeText("green")
	p.send("Enter")
	p.waitFor("the wrong phrase refused", wait, func(s string) bool { return strings.Contains(s, "that is not the phrase") })
	if n := sim.calls(t, "111111111111")["ec2:TerminateInstances"]; n != 0 {
		t.Fatalf("wrong phrase: TerminateInstances called %d times", n)
	}

	p.send("C-u")
	p.typeText("acme-prod/green")
	p.send("Enter")
	p.waitFor("the outcome", wait, func(s string) bool { return strings.Contains(s, ": done") })
	if n := sim.calls(t, "111111111111")["ec2:TerminateInstances"]; n != 1 {
		t.Fatalf("TerminateInstances called %d times, want 1", n)
	}
	p.send("Escape")
	p.waitFor("green's instances leaving", wait, func(s string) bool {
		return hasLine(s, `^\W*blue\b.*LIVE`) && (strings.Contains(s, "shutting-down") || strings.Contains(s, "terminated"))
	})

	// The audit log holds the intent and the outcome of exactly this
	// action: green's three instances, one call.
	log, err := os.ReadFile(filepath.Join(state, "airlock", "demo-audit.log"))
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	var events []string
	for line := range strings.Lines(string(log)) {
		// The plan is recorded as its ordered steps (model.Plan.Steps).
		var rec struct {
			Event string `json:"event"`
			Plan  []struct {
				API     string   `json:"api"`
				Targets []string `json:"targets"`
			} `json:"plan"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("audit line is not JSON: %v\n%s", err, line)
		}
		events = append(events, rec.Event)
		if len(rec.Plan) != 1 || rec.Plan[0].API != "ec2:TerminateInstances" ||
			strings.Join(rec.Plan[0].Targets, ",") != "i-01100000000000004,i-01100000000000005,i-01100000000000006" {
			t.Errorf("%s record plans %+v, want one TerminateInstances of exactly green's instances", rec.Event, rec.Plan)
		}
	}
	if got := strings.Join(events, ","); got != "intent,outcome" {
		t.Errorf("audit records = %s, want intent,outcome", got)
	}
}

// S3: the same names in two accounts. In staging the phrase is the bare
// cluster name; in production it carries the account's name. The banner
// says which, in words.
func TestStoryS3PhraseNamesTheProductionAccount(t *testing.T) {
	for _, tt := range []struct {
		profile, env, phrase string
	}{
		{"acme-staging", "STAGING", "Type green to"},
		{"acme-prod", "PRODUCTION", "Type acme-prod/green to"},
	} {
		t.Run(tt.profile, func(t *testing.T) {
			p, sim, _ := demoPane(t, "--profile", tt.profile)
			p.waitFor("the banner", wait, func(s string) bool {
				return bannerReady(tt.profile)(s) && strings.Contains(s, tt.env)
			})
			p.send("j", "x")
			p.waitFor("the menu on green", wait, func(s string) bool { return hasLine(s, `▸ Terminate cluster green`) })
			p.send("Enter")
			screen := p.waitFor("the phrase prompt", wait, func(s string) bool { return strings.Contains(s, "Type ") })
			if !strings.Contains(screen, tt.phrase) {
				t.Errorf("want %q on the confirmation:\n%s", tt.phrase, screen)
			}
			if !strings.Contains(screen, tt.env) || !strings.Contains(screen, tt.profile) {
				t.Errorf("confirmation does not show the account banner:\n%s", screen)
			}
			p.send("Escape")
			p.waitFor("the dashboard again", wait, func(s string) bool { return strings.Contains(s, "Clusters (") })
			total := 0
			for action, n := range sim.calls(t, "") {
				if strings.HasPrefix(action, "ec2:Terminate") || strings.HasPrefix(action, "ec2:Stop") {
					total += n
				}
			}
			if total != 0 {
				t.Errorf("esc ran %d terminate/stop calls", total)
			}
		})
	}
}

package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestMalformedEndpointFailsAtOnce: a malformed endpoint, from the flag or
// from any variable the SDK reads, ends status and the dashboard before
// any AWS call and before the terminal is taken, naming the value and
// where it came from. The sim is the endpoint every other service goes
// to, and its counters prove that no call was made.
func TestMalformedEndpointFailsAtOnce(t *testing.T) {
	sim := startSim(t)
	env := func(kv ...string) []string {
		return append(sim.env(), append([]string{"AWS_PROFILE=acme-prod", "AWS_ENDPOINT_URL=" + sim.endpoint}, kv...)...)
	}
	tests := []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"status, flag", env(), []string{"status", "--endpoint", "not a url"}, 2, `airlock: --endpoint "not a url" is not an endpoint URL (expected http:// or https:// and a host`},
		{"dashboard, flag", env(), []string{"--endpoint", "not a url"}, 2, `airlock: --endpoint "not a url" is not an endpoint URL`},
		{"status, AWS_ENDPOINT_URL", append(sim.env(), "AWS_PROFILE=acme-prod", "AWS_ENDPOINT_URL=not a url"), []string{"status"}, 1, `airlock: AWS_ENDPOINT_URL "not a url" is not an endpoint URL`},
		{"dashboard, AWS_ENDPOINT_URL", append(sim.env(), "AWS_PROFILE=acme-prod", "AWS_ENDPOINT_URL=not a url"), nil, 1, `airlock: AWS_ENDPOINT_URL "not a url" is not an endpoint URL`},
		{"status, AWS_ENDPOINT_URL_STS", env("AWS_ENDPOINT_URL_STS=localhost:4566"), []string{"status"}, 1, `airlock: AWS_ENDPOINT_URL_STS "localhost:4566" is not an endpoint URL`},
		{"dashboard, AWS_ENDPOINT_URL_EC2", env("AWS_ENDPOINT_URL_EC2=not a url"), nil, 1, `airlock: AWS_ENDPOINT_URL_EC2 "not a url" is not an endpoint URL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runAirlock(t, tt.env, tt.args...)
			if code != tt.code || !strings.HasPrefix(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
			if tt.code == 1 && strings.Count(stderr, "\n") != 1 {
				t.Errorf("want one line, got %q", stderr)
			}
			// The dashboard writes escape sequences to stdout as soon as it
			// takes the terminal.
			if stdout != "" {
				t.Errorf("stdout %q: the program got past the check", stdout)
			}
		})
	}
	if calls := simCalls(t, sim); len(calls) != 0 {
		t.Errorf("calls reached the sim: %v", calls)
	}
}

func simCalls(t *testing.T, sim simProcess) map[string]int {
	t.Helper()
	resp, err := http.Get(sim.endpoint + "/_sim/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Calls map[string]int }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Calls
}

// TestMalformedEndpointInTerminal: in a real terminal, the dashboard with a
// malformed AWS_ENDPOINT_URL prints its one line and exits without ever
// switching to the alternate screen.
func TestMalformedEndpointInTerminal(t *testing.T) {
	p := startPane(t, 100, 20, []string{"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=AKIAACMEPROD00000001",
		"AWS_SECRET_ACCESS_KEY=x", "AWS_ENDPOINT_URL=not a url"})
	deadline := time.Now().Add(20 * time.Second)
	for strings.TrimSpace(p.tmux("display", "-p", "-t", "airlock", "#{pane_dead}")) != "1" {
		if time.Now().After(deadline) {
			t.Fatal("airlock did not exit within 20s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// -J joins the wrapped line, -S - includes what scrolled away.
	if out := p.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "airlock"); !hasLine(out, `^airlock: AWS_ENDPOINT_URL "not a url" is not an endpoint URL \(expected http`) {
		t.Errorf("the error line is not on the terminal:\n%s", out)
	}
	if got := strings.TrimSpace(p.tmux("display", "-p", "-t", "airlock", "#{pane_dead} #{alternate_on}")); got != "1 0" {
		t.Errorf("pane dead, alternate screen = %q, want \"1 0\": the program took the terminal or did not exit", got)
	}
}

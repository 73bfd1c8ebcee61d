package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// captureStyled is the visible screen with its SGR sequences (colours).
func (p *tmuxPane) captureStyled() string {
	p.t.Helper()
	out, err := exec.Command("tmux", "-L", p.socket, "capture-pane", "-p", "-e", "-t", "airlock").CombinedOutput()
	if err != nil {
		p.t.Fatalf("capture-pane -e: %v: %s", err, out)
	}
	return string(out)
}

var sgr = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// bannerStyle is the set of SGR sequences on the banner's first line: its
// colours, with the words taken out.
func bannerStyle(styled string) string {
	first, _, _ := strings.Cut(styled, "\n")
	return strings.Join(sgr.FindAllString(first, -1), "")
}

// S3 with switching: from acme-staging to acme-prod inside the running
// dashboard, through the demo's shared config and its connector. The
// banner's words and its colour change, and no staging row is left.
func TestSwitchProfileStagingToProd(t *testing.T) {
	p, _, _ := demoPane(t, "--profile", "acme-staging")
	p.waitFor("the staging banner", wait, func(s string) bool {
		return hasLine(s, `STAGING`, `222222222222`) && hasLine(s, `\bblue\b`)
	})
	before := bannerStyle(p.captureStyled())

	p.send("P")
	p.waitFor("the profile picker", wait, func(s string) bool {
		// The demo's acme-prod and acme-staging hold keys, so only STS can
		// tell their account; its roles claim theirs in the file.
		return strings.Contains(s, "Switch profile") && hasLine(s, `●\s+acme-staging\s+account known after sign-in`) &&
			hasLine(s, `acme-prod-admin\s+acme-prod 111111111111\s+production`)
	})
	p.typeText("acme-prod")
	p.send("Enter")
	screen := p.waitFor("the production banner", wait, func(s string) bool {
		return hasLine(s, `PRODUCTION`, `111111111111`) && hasLine(s, `\bblue\b`)
	})
	if strings.Contains(screen, "222222222222") || strings.Contains(screen, "STAGING") {
		t.Errorf("staging is still on screen after the switch:\n%s", screen)
	}
	if !strings.Contains(screen, "switched to profile acme-prod") {
		t.Errorf("the events feed does not record the switch:\n%s", screen)
	}
	after := bannerStyle(p.captureStyled())
	if before == "" || after == "" || before == after {
		t.Errorf("the banner's colours did not change: staging %q, production %q", before, after)
	}
}

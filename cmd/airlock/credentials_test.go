package main

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/airlock-ops/airlock/awsstate/sim"
)

const noTerminalMFA = "airlock: profile acme-prod-mfa needs an MFA code (arn:aws:iam::111111111111:mfa/oncall): " +
	"standard input is not a terminal, so airlock cannot ask for it: run airlock in a terminal, or choose a profile without mfa_serial\n"

// Without a terminal to type on, a profile with mfa_serial is a clear
// error before anything else happens, for the dashboard and the demo.
func TestMFAProfileWithoutTerminal(t *testing.T) {
	s := startSim(t)
	for _, args := range [][]string{
		{"--profile", "acme-prod-mfa"},
		{"demo", "--profile", "acme-prod-mfa"},
	} {
		env := s.env()
		if args[0] == "demo" {
			env = cleanEnv("XDG_STATE_HOME=" + t.TempDir())
		}
		stdout, stderr, code := runAirlock(t, env, args...)
		if code != 1 || stderr != noTerminalMFA || stdout != "" {
			t.Errorf("airlock %v: exit %d\nstdout: %q\nstderr: %q\nwant exit 1 and %q", args, code, stdout, stderr, noTerminalMFA)
		}
	}
}

func TestTerminalMFARefusesAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	_, err = terminalMFA(r, w)(context.Background(), "p", "arn:aws:iam::111111111111:mfa/me")
	if !errors.Is(err, errNoTerminalForMFA) {
		t.Errorf("err = %v, want errNoTerminalForMFA", err)
	}
}

// In a real terminal the code is asked before the dashboard starts; the
// right one opens acme-prod through the MFA role, a wrong one ends with
// STS's reason and never takes the terminal.
func TestMFAPromptInTerminal(t *testing.T) {
	p := startPane(t, 100, 30, []string{"XDG_STATE_HOME=" + t.TempDir()}, "demo", "--profile", "acme-prod-mfa", "--go-live-after", "0")
	p.waitFor("the MFA prompt", 20*time.Second, func(s string) bool {
		return strings.Contains(s, "MFA code for profile acme-prod-mfa") && strings.Contains(s, "arn:aws:iam::111111111111:mfa/oncall")
	})
	p.typeText("123456")
	p.send("Enter")
	p.waitFor("the dashboard in acme-prod", 20*time.Second, func(s string) bool {
		return strings.Contains(s, "PRODUCTION") && strings.Contains(s, "acme-prod") && hasLine(s, `\bblue\b`, `LIVE`)
	})
	p.send("q")

	p = startPane(t, 100, 30, []string{"XDG_STATE_HOME=" + t.TempDir()}, "demo", "--profile", "acme-prod-mfa", "--go-live-after", "0")
	p.waitFor("the MFA prompt", 20*time.Second, func(s string) bool { return strings.Contains(s, "MFA code for profile acme-prod-mfa") })
	p.typeText("000000")
	p.send("Enter")
	deadline := time.Now().Add(20 * time.Second)
	for strings.TrimSpace(p.tmux("display", "-p", "-t", "airlock", "#{pane_dead}")) != "1" {
		if time.Now().After(deadline) {
			t.Fatalf("airlock did not exit on a wrong code:\n%s", p.capture())
		}
		time.Sleep(100 * time.Millisecond)
	}
	out := p.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "airlock")
	if !hasLine(out, `^airlock: access denied: sts:AssumeRole \(AccessDenied: MultiFactorAuthentication failed with invalid MFA one time pass code\.`) {
		t.Errorf("the wrong code's reason is not on the terminal:\n%s", out)
	}
}

// airlock sim --credential-lifetime shortens every session, and says so
// in the Expiration it returns.
func TestSimCredentialLifetime(t *testing.T) {
	s := startSim(t, "--credential-lifetime", "90s")
	client := sts.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(s.endpoint),
		Credentials: credentials.NewStaticCredentialsProvider(sim.ProdAccessKey, sim.DemoSecretKey, "")})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := client.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(sim.RoleARN(sim.ProdAccountID, sim.AdminRole)),
		RoleSessionName: aws.String("lifetime"), DurationSeconds: aws.Int32(3600)})
	if err != nil {
		t.Fatal(err)
	}
	if left := time.Until(aws.ToTime(out.Credentials.Expiration)); left > 90*time.Second || left < 80*time.Second {
		t.Errorf("the session lasts %s, want 90s", left)
	}
}

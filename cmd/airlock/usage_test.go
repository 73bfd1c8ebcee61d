package main

import (
	"context"
	"strings"
	"testing"
)

// Mistakes on the command line end in exit status 2 and a line that says
// what was wrong; asking for help is not a mistake.
func TestCommandLine(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{[]string{"help"}, 0, "'airlock -h' for the dashboard's", ""},
		{[]string{"-h"}, 0, "", "-read-only"},
		{[]string{"--help"}, 0, "", "'airlock help' lists the other commands"},
		{[]string{"-help"}, 0, "", "-refresh duration"},
		{[]string{"--profile", "p", "-h"}, 0, "", "-audit-log file"},
		{[]string{"status", "-h"}, 0, "", "--json"},
		{[]string{"deploy"}, 2, "", `unknown command "deploy"`},
		{[]string{"status", "--nope"}, 2, "", "flag provided but not defined: -nope"},
		{[]string{"status", "jsn"}, 2, "", `unexpected argument "jsn"`},
		{[]string{"status", "--call-timeout", "0s"}, 2, "", "--call-timeout must be positive"},
		{[]string{"demo", "--refresh", "10ms"}, 2, "", "--refresh must be at least 1s"},
		{[]string{"demo", "--profile", "prod"}, 2, "", `"prod" is not a demo profile`},
		{[]string{"demo", "--theme", "pink"}, 2, "", `unknown theme "pink"`},
		{[]string{"demo", "--go-live-after", "-1s"}, 2, "", "--go-live-after must not be negative"},
		{[]string{"sim", "--instances", "-5"}, 2, "", "--instances must not be negative"},
		{[]string{"sim", "--credential-lifetime", "-1s"}, 2, "", "--credential-lifetime must not be negative, got -1s"},
		{[]string{"sim", "--services", "-1"}, 2, "", "--services must not be negative"},
		{[]string{"sim", "--scenario", "nope"}, 2, "", "nope"},
		{[]string{"sim", "--fault", "nope"}, 2, "", `--fault "nope": kind "nope" is not a fault kind (expected one of latency, throttle,`},
		{[]string{"sim", "--fault", "throttle", "--fault", "latency,latency=soon"}, 2, "", `--fault "latency,latency=soon": latency "soon" is not a delay (expected a positive duration`},
		{[]string{"sim", "--fault", "throttle,account=999999999999"}, 2, "", "account 999999999999 is not in the simulated world (expected one of 111111111111, 222222222222)"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr strings.Builder
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit status %d, want %d; stderr: %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.inStdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.inStdout, stdout.String())
			}
			if !strings.Contains(stderr.String(), tt.inStderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.inStderr, stderr.String())
			}
		})
	}
}

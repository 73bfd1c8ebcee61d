package main

import (
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "airlock (version unknown: built without module information)"},
		{"release", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}},
			"airlock v1.4.0 (go1.26.8)"},
		{"checkout, dirty", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-11-22T14:03:41Z", "vcs.modified", "true")},
			"airlock (devel) rev 0123456789ab, modified, committed 2026-11-22T14:03:41Z (go1.26.8)"},
		{"checkout, clean", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.1-0.20261122140341-0123456789ab"},
			Settings: settings("vcs.revision", "0123456789abcdef0123", "vcs.modified", "false")},
			"airlock v1.4.1-0.20261122140341-0123456789ab rev 0123456789ab (go1.26.8)"},
		{"devel without vcs", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"airlock (devel) (no VCS revision recorded) (go1.26.8)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionLine(tt.bi); got != tt.want {
				t.Errorf("versionLine = %q\nwant          %q", got, tt.want)
			}
		})
	}
}

// The built binary reports the revision the toolchain stamped into it,
// read independently with `go version -m`.
func TestVersionOfTheBuiltBinary(t *testing.T) {
	out, err := exec.Command("go", "version", "-m", airlockBin).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v: %s", err, out)
	}
	want := "no VCS revision recorded"
	for line := range strings.SplitSeq(string(out), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "build" && strings.HasPrefix(f[1], "vcs.revision=") {
			want = "rev " + strings.TrimPrefix(f[1], "vcs.revision=")[:12]
		}
	}
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		got, err := exec.Command(airlockBin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("airlock %v: %v: %s", args, err, got)
		}
		if line := strings.TrimSpace(string(got)); !strings.HasPrefix(line, "airlock ") || !strings.Contains(line, want) || strings.Count(line, "\n") > 0 {
			t.Errorf("airlock %v = %q, want one line with %q", args, line, want)
		}
	}
	if out, err := exec.Command(airlockBin, "version", "extra").CombinedOutput(); err == nil {
		t.Errorf("airlock version extra succeeded: %s", out)
	}
}

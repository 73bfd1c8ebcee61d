package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// airlockBin is the binary built once for every test that runs the
// program as a user would.
var airlockBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "airlock-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	airlockBin = filepath.Join(dir, "airlock")
	// No developer's own configuration file may change what tests see:
	// the dashboard, and every child airlock, look in an empty place.
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config-home"))
	build := exec.Command("go", "build", "-o", airlockBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building airlock:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cleanEnv is the environment for a child airlock: no real AWS settings
// from the developer's shell, so tests can never reach a real account.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "AWS_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, append([]string{"AWS_EC2_METADATA_DISABLED=true"}, extra...)...)
}

// simProcess is "airlock sim" running as a child process.
type simProcess struct {
	endpoint  string
	configDir string
}

// env returns the variables that make the SDK use the sim's profiles.
func (s simProcess) env() []string {
	return cleanEnv(
		"AWS_CONFIG_FILE="+filepath.Join(s.configDir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(s.configDir, "credentials"),
	)
}

// post calls a control endpoint of the sim, e.g. "/_sim/go-live".
func (s simProcess) post(t *testing.T, path string) {
	t.Helper()
	resp, err := http.Post(s.endpoint+path, "application/json", nil)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST %s: %s: %s", path, resp.Status, b)
	}
}

// startSim runs "airlock sim" on a free port with profiles written to a
// temporary directory, and stops it when the test ends.
func startSim(t testing.TB, args ...string) simProcess {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, airlockBin, append([]string{"sim", "--listen", "127.0.0.1:0", "--write-aws-config", dir}, args...)...)
	cmd.Env = cleanEnv()
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})

	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if ep, ok := strings.CutPrefix(sc.Text(), "endpoint: "); ok {
				lines <- ep
			}
		}
		close(lines)
	}()
	select {
	case ep, ok := <-lines:
		if !ok {
			t.Fatal("airlock sim exited without printing its endpoint")
		}
		return simProcess{endpoint: ep, configDir: dir}
	case <-time.After(20 * time.Second):
		t.Fatal("airlock sim did not print its endpoint within 20s")
	}
	return simProcess{}
}

// runAirlock runs the binary to completion and returns stdout, stderr and
// the exit status.
func runAirlock(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, airlockBin, args...)
	cmd.Env = env
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("airlock %v did not finish within 60s", args)
	}
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("airlock %v: %v", args, err)
	}
	return o.String(), e.String(), code
}

// delete calls a control endpoint of the sim with DELETE, e.g.
// "/_sim/faults" to remove every fault.
func (s simProcess) delete(t *testing.T, path string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodDelete, s.endpoint+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("DELETE %s: %v", path, err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("DELETE %s: %s", path, resp.Status)
	}
}

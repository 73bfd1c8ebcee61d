package awsstate

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/airlock-ops/airlock/model"
)

func TestAuditLogHoldsTheActionAndNoSecrets(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "green"))
	if _, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase); err != nil {
		t.Fatal(err)
	}

	for path, want := range map[string]os.FileMode{r.log: 0o600, filepath.Dir(r.log): 0o700 | os.ModeDir} {
		if fi, err := os.Stat(path); err != nil || fi.Mode() != want {
			t.Errorf("%s: mode %v (%v), want %v", path, fi.Mode(), err, want)
		}
	}
	raw, err := os.ReadFile(r.log)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{testSecret, testToken} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the audit log contains %q", secret)
		}
	}

	intent := r.records()[0]
	green, _ := w.Cluster("green")
	checks := []struct {
		what string
		ok   bool
	}{
		{"time", !intent.Time.IsZero()},
		{"account", intent.Account == "111111111111" && intent.Alias == "acme-prod"},
		{"region", intent.Region == "us-east-1"},
		{"identity", intent.Identity == "arn:aws:iam::111111111111:user/oncall"},
		{"action", intent.Action == "terminate" && intent.Summary != ""},
		{"targets", intent.Targets.Cluster == "green" && len(intent.Targets.InstanceIDs) == 3},
		{"plan", strings.Join(intent.Plan.Terminate, ",") == strings.Join(green.InstanceIDs, ",")},
		{"seen", !intent.Seen.At.IsZero() && len(intent.Seen.Instances) == len(intent.Fresh.Instances) && len(intent.Seen.Addresses) == 4},
		{"fresh", !intent.Fresh.At.IsZero() && len(intent.Fresh.Instances) >= 3 && len(intent.Fresh.Addresses) == 4},
		{"phrase", intent.Phrase == "acme-prod/green"},
		{"no calls yet", len(intent.Calls) == 0 && intent.Result == ""},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("intent record: %s wrong: %+v", c.what, intent)
		}
	}
}

// The intent is on disk before the first mutating call, so a process that
// dies right after writing it leaves the intent behind. The child process
// kills itself with SIGKILL at that point; the parent reads the log.
func TestAuditIntentSurvivesAKill(t *testing.T) {
	if os.Getenv("AIRLOCK_TEST_KILL_CHILD") == "1" {
		killedAfterIntent(t)
		return
	}
	r := newRig(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestAuditIntentSurvivesAKill$", "-test.count=1")
	cmd.Env = append(os.Environ(), "AIRLOCK_TEST_KILL_CHILD=1",
		"AIRLOCK_TEST_ENDPOINT="+r.url, "AIRLOCK_TEST_AUDIT_LOG="+r.log)
	out, err := cmd.CombinedOutput()

	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child: %v, want killed by SIGKILL\n%s", err, out)
	}
	recs := readAudit(t, r.log)
	if len(recs) != 1 || recs[0].Event != auditIntent || len(recs[0].Plan.Terminate) != 3 {
		t.Fatalf("audit records = %+v, want the intent alone", recs)
	}
	if n := r.calls("ec2:TerminateInstances"); n != 0 {
		t.Errorf("TerminateInstances called %d times, want 0 (killed before the call)", n)
	}
}

func killedAfterIntent(t *testing.T) {
	url := os.Getenv("AIRLOCK_TEST_ENDPOINT")
	r := &rig{t: t, url: url, log: os.Getenv("AIRLOCK_TEST_AUDIT_LOG")}
	r.c = clientFor(t, url, "AKIAACMEPROD00000001", Options{AuditLog: r.log})
	r.c.hooks = &testHooks{afterIntent: func() { syscall.Kill(os.Getpid(), syscall.SIGKILL) }}
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "green"))
	r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)
	t.Fatal("still alive after the intent was written")
}

// No audit log, no action: a log that cannot be written stops Execute
// before the first mutating call.
func TestExecuteRefusesWithoutAnAuditLog(t *testing.T) {
	r := newRig(t)
	blocker := filepath.Join(t.TempDir(), "not-a-directory")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r.c.auditLog = filepath.Join(blocker, "audit.log")
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "green"))

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if KindOf(err) != KindAudit || len(out.Calls) != 0 {
		t.Fatalf("Execute = %+v, %v; want an audit log error and no calls", out, err)
	}
	if n := r.calls("ec2:TerminateInstances"); n != 0 {
		t.Errorf("TerminateInstances called %d times", n)
	}
}

func TestDefaultAuditLogPath(t *testing.T) {
	t.Setenv("HOME", "/home/oncall")

	t.Setenv("XDG_STATE_HOME", "/var/state")
	if got, _ := DefaultAuditLogPath(); got != "/var/state/airlock/audit.log" {
		t.Errorf("with XDG_STATE_HOME: %q", got)
	}
	// The XDG spec says a relative path is invalid and must be ignored.
	t.Setenv("XDG_STATE_HOME", "relative/state")
	if got, _ := DefaultAuditLogPath(); got != "/home/oncall/.local/state/airlock/audit.log" {
		t.Errorf("with a relative XDG_STATE_HOME: %q", got)
	}
	t.Setenv("XDG_STATE_HOME", "")
	if got, _ := DefaultAuditLogPath(); got != "/home/oncall/.local/state/airlock/audit.log" {
		t.Errorf("without XDG_STATE_HOME: %q", got)
	}
}

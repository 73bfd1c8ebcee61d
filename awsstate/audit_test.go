package awsstate

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/airlock-ops/airlock/awsstate/sim"
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
		{"plan", len(intent.Plan) == 1 && intent.Plan[0].API == "ec2:TerminateInstances" &&
			strings.Join(intent.Plan[0].Targets, ",") == strings.Join(green.InstanceIDs, ",")},
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
	if len(recs) != 1 || recs[0].Event != auditIntent || len(recs[0].Plan) != 1 || len(recs[0].Plan[0].Targets) != 3 {
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

// The last check comes after the intent is on disk: a log on a stalled
// filesystem (here, a write held back while a go-live moves an EIP onto
// the cluster) cannot make the check stale. Nothing is terminated, and
// the refusal is in the log beside the intent.
func TestExecuteChecksAfterASlowIntentWrite(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "green"))
	if !prep.Verdict.Allowed {
		t.Fatalf("prepare: %+v", prep.Verdict.Refusals)
	}
	spare := spareEIP(t, w)
	green, _ := w.Cluster("green")
	held, release := make(chan struct{}), make(chan struct{})
	r.c.hooks = &testHooks{auditWrite: func(event string) {
		if event == auditIntent {
			close(held)
			<-release
		}
	}}
	go func() {
		<-held
		r.update(func(reg *sim.Region) {
			if _, err := reg.Associate(spare.AllocationID, green.InstanceIDs[0]); err != nil {
				t.Error(err)
			}
		})
		close(release)
	}()

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if !errors.Is(err, ErrRefused) || len(out.Calls) != 0 || !slices.Contains(rules(out.Verdict), model.RuleHoldsEIP) {
		t.Fatalf("Execute = %+v, %v; want refused (holds an EIP) with no calls", out, err)
	}
	if n := r.calls("ec2:TerminateInstances"); n != 0 {
		t.Errorf("TerminateInstances called %d times", n)
	}
	recs := r.records()
	if len(recs) != 2 || recs[0].Event != auditIntent || recs[1].Result != resultRefused ||
		!slices.ContainsFunc(recs[1].Refusals, func(s string) bool { return strings.Contains(s, spare.PublicIP) }) {
		t.Errorf("audit records = %+v, want the intent and a refusal naming %s", recs, spare.PublicIP)
	}
	if !out.AuditComplete || out.AuditID != recs[0].ID {
		t.Errorf("outcome audit = %q complete=%v, want %q complete", out.AuditID, out.AuditComplete, recs[0].ID)
	}
}

// A log that does not take the intent within the timeout refuses the
// action and returns: the operator is not held hostage by a hung disk.
func TestExecuteRefusesWhenTheAuditLogStalls(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "green"))
	r.c.auditTimeout = 200 * time.Millisecond
	stuck := make(chan struct{})
	r.c.hooks = &testHooks{auditWrite: func(string) { <-stuck }}
	r.sim.ResetStats()

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if KindOf(err) != KindAudit || !strings.Contains(err.Error(), "not writable in") ||
		!strings.Contains(err.Error(), "nothing was done") || len(out.Calls) != 0 || out.AuditID != "" {
		t.Fatalf("Execute = %+v, %v; want an audit refusal naming the timeout, no calls, no record", out, err)
	}
	if n := r.calls("ec2:TerminateInstances") + r.calls("ec2:DescribeInstances"); n != 0 {
		t.Errorf("%d EC2 calls after the stalled intent, want none", n)
	}

	// Should the filesystem come back, the late intent is followed by
	// its outcome rather than left to read as a crash.
	close(stuck)
	deadline := time.Now().Add(5 * time.Second)
	for lines(r.log) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	recs := readAudit(t, r.log)
	if len(recs) != 2 || recs[0].Event != auditIntent || recs[1].Result != resultFailed || recs[1].ID != recs[0].ID {
		t.Errorf("audit records once the log recovered = %+v, want the intent and a failed outcome", recs)
	}
}

// A judgement older than its bound does not carry the first call: it is
// judged again, and what happened in between (an EIP moved onto the
// cluster) refuses it.
func TestExecuteJudgesAgainWhenTheCheckIsOld(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "green"))
	spare := spareEIP(t, w)
	green, _ := w.Cluster("green")
	r.c.checkBound = 50 * time.Millisecond
	r.c.hooks = &testHooks{afterJudge: func() {
		r.update(func(reg *sim.Region) { reg.Associate(spare.AllocationID, green.InstanceIDs[1]) })
		time.Sleep(100 * time.Millisecond)
	}}

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if !errors.Is(err, ErrRefused) || len(out.Calls) != 0 || !slices.Contains(rules(out.Verdict), model.RuleHoldsEIP) {
		t.Fatalf("Execute = %+v, %v; want refused by the second judgement", out, err)
	}
	if n := r.calls("ec2:TerminateInstances"); n != 0 {
		t.Errorf("TerminateInstances called %d times", n)
	}
	if recs := r.records(); len(recs) != 2 || recs[1].Result != resultRefused {
		t.Errorf("audit records = %+v, want intent and refused", recs)
	}
}

// The same, with nothing changed: the second judgement lets the call go.
func TestExecuteGoesAheadAfterJudgingAgain(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "green"))
	r.c.checkBound = 50 * time.Millisecond
	r.c.hooks = &testHooks{afterJudge: func() { time.Sleep(100 * time.Millisecond) }}
	r.sim.ResetStats()

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if err != nil || !out.Done {
		t.Fatalf("Execute = %+v, %v; want done", out, err)
	}
	if n := r.calls("sts:GetCallerIdentity"); n != 2 {
		t.Errorf("GetCallerIdentity called %d times, want 2 (judged twice)", n)
	}
}

// Every confirmed attempt leaves an intent and an outcome, including one
// whose last check could not be made (credentials expired after the
// phrase was typed).
func TestExecuteRecordsALastCheckThatFailed(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "green"))
	defer r.sim.Inject(sim.Fault{Kind: sim.FaultExpiredToken})()

	out, err := r.c.Execute(context.Background(), prep, prep.Verdict.Phrase)

	if KindOf(err) != KindExpiredCredentials || len(out.Calls) != 0 {
		t.Fatalf("Execute = %+v, %v; want expired credentials and no calls", out, err)
	}
	recs := r.records()
	if len(recs) != 2 || recs[0].Event != auditIntent || recs[1].Event != auditOutcome ||
		recs[1].Result != resultFailed || !strings.Contains(recs[1].Error, "nothing was done") {
		t.Errorf("audit records = %+v, want intent and a failed outcome saying nothing was done", recs)
	}
}

// A program that ends (a signal, a quit) while an action is in flight
// records it as interrupted, and makes no further call.
func TestExecuteRecordsAnInterruption(t *testing.T) {
	r := newRig(t)
	w, _, _ := r.screen()
	prep := r.prepare(clusterIntent(w, model.ActionTerminate, "green"))
	ctx, cancel := context.WithCancel(context.Background())
	r.c.hooks = &testHooks{afterIntent: cancel}

	out, err := r.c.Execute(ctx, prep, prep.Verdict.Phrase)

	if err == nil || len(out.Calls) != 0 || !out.AuditComplete {
		t.Fatalf("Execute = %+v, %v; want interrupted, no calls, both records written", out, err)
	}
	if recs := r.records(); len(recs) != 2 || recs[1].Result != resultInterrupted {
		t.Errorf("audit records = %+v, want intent and interrupted", recs)
	}
	if n := r.calls("ec2:TerminateInstances"); n != 0 {
		t.Errorf("TerminateInstances called %d times", n)
	}
}

// The README promises 0600: a log others can read is tightened at the
// check, saying so; one that cannot be written is reported before any
// action is tried.
func TestCheckAuditLog(t *testing.T) {
	dir := t.TempDir()
	loose := filepath.Join(dir, "loose.log")
	if err := os.WriteFile(loose, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(loose, 0o644); err != nil { // whatever the umask
		t.Fatal(err)
	}
	c := &Client{auditLog: loose, auditTimeout: time.Second}
	_, note, err := c.CheckAuditLog(context.Background())
	if err != nil || !strings.Contains(note, "0644") || !strings.Contains(note, "0600") {
		t.Errorf("CheckAuditLog(0644 file) = %q, %v; want a note that it was tightened", note, err)
	}
	if fi, _ := os.Stat(loose); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after the check = %v, want 0600", fi.Mode().Perm())
	}
	if raw, _ := os.ReadFile(loose); string(raw) != "{}\n" {
		t.Errorf("the check changed the log's content: %q", raw)
	}

	fresh := filepath.Join(dir, "new", "audit.log")
	c = &Client{auditLog: fresh, auditTimeout: time.Second}
	if _, note, err := c.CheckAuditLog(context.Background()); err != nil || note != "" {
		t.Errorf("CheckAuditLog(new file) = %q, %v", note, err)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != 0 {
		t.Errorf("new log: %v %v, want an empty 0600 file", fi, err)
	}

	blocker := filepath.Join(dir, "not-a-directory")
	os.WriteFile(blocker, nil, 0o600)
	c = &Client{auditLog: filepath.Join(blocker, "audit.log"), auditTimeout: time.Second}
	if _, _, err := c.CheckAuditLog(context.Background()); err == nil {
		t.Error("CheckAuditLog under a file: no error")
	}

	c = &Client{auditLog: fresh, auditTimeout: 100 * time.Millisecond}
	c.auditMu.Lock() // a write in progress that does not finish in time
	if _, _, err := c.CheckAuditLog(context.Background()); err == nil || !strings.Contains(err.Error(), "not written within") {
		t.Errorf("CheckAuditLog with a stalled log = %v, want a timeout", err)
	}
	c.auditMu.Unlock()
	c.auditMu.Lock() // the abandoned check has finished with the directory
}

// lines counts the complete lines in the file at path (0 if it is missing).
func lines(path string) int {
	raw, _ := os.ReadFile(path)
	return strings.Count(string(raw), "\n")
}

// The log keeps names raw (they are identity) yet is plain ASCII: a
// hostile tag cannot act on the terminal of whoever reads the log.
func TestAuditLogIsASCIIAndDecodesToRawNames(t *testing.T) {
	raw := "blue\u200b\u009b31m\u202e😀"
	path := filepath.Join(t.TempDir(), "audit.log")
	if err := appendAudit(path, auditRecord{Event: auditIntent, Targets: auditTargets{Cluster: raw}}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	for i, c := range b {
		if c >= 0x80 || c < 0x20 && c != '\n' {
			t.Fatalf("byte %d of the log is %#x: not printable ASCII\n%q", i, c, b)
		}
	}
	if recs := readAudit(t, path); len(recs) != 1 || recs[0].Targets.Cluster != raw {
		t.Errorf("decoded cluster = %q, want the raw %q", recs[0].Targets.Cluster, raw)
	}
}

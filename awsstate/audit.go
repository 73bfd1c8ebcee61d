package awsstate

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/airlock-ops/airlock/model"
)

// The audit log is JSON lines, one record per line, appended and fsynced
// one at a time: an "intent" record once the operator has typed the
// phrase, before the last check and the first mutating call, and an
// "outcome" record after the last, sharing an id. The outcome's result
// says how it ended: done, partial, failed, refused (the last check
// stopped it; nothing ran) or interrupted (the program was ending). An
// intent without an outcome means the process died in between, or the log
// stopped taking records, and the refreshed screen, not the log, says
// what happened.
//
// Every write runs in a goroutine of its own and is waited for at most
// DefaultAuditTimeout: a log on a stalled filesystem refuses the action
// rather than freezing it. A write that stalls past that is left behind
// (a blocked write(2) cannot be cancelled) and ends with the process.
//
// Records are built field by field from the verdict and the calls; no
// configuration, credentials or SDK value is ever marshalled, so nothing
// secret can slip in with a new field.

// Audit record events.
const (
	auditIntent  = "intent"
	auditOutcome = "outcome"
)

// Results of an action, as the outcome record states them.
const (
	resultDone        = "done"        // every planned call succeeded
	resultFailed      = "failed"      // nothing changed: the last check could not be made, the first call failed, or a check stopped it
	resultPartial     = "partial"     // some calls succeeded before one failed or a check stopped the rest
	resultRefused     = "refused"     // the last check refused; nothing ran
	resultInterrupted = "interrupted" // the program was ending (a signal, a quit); Calls says what ran
)

// DefaultAuditLogPath is where the audit log goes without --audit-log:
// $XDG_STATE_HOME/airlock/audit.log, else ~/.local/state/airlock/audit.log
// (the XDG base directory default for state, which is what a log of
// actions is: it should survive, but is not configuration).
func DefaultAuditLogPath() (string, error) {
	if dir := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "airlock", "audit.log"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no audit log path: set --audit-log or XDG_STATE_HOME (%w)", err)
	}
	return filepath.Join(home, ".local", "state", "airlock", "audit.log"), nil
}

// auditRecord is one line of the audit log.
type auditRecord struct {
	Time     time.Time    `json:"time"`
	Event    string       `json:"event"`
	ID       string       `json:"id"` // shared by an intent and its outcome
	Account  string       `json:"account"`
	Alias    string       `json:"account_alias,omitempty"`
	Region   string       `json:"region"`
	Identity string       `json:"identity_arn"`
	Action   string       `json:"action"`
	Summary  string       `json:"summary"`
	Targets  auditTargets `json:"targets"`
	Plan     []auditStep  `json:"plan"`
	Seen     auditState   `json:"seen"`
	Fresh    auditState   `json:"fresh"`
	// Phrase is what the operator typed; it is recorded only once it has
	// matched the phrase asked for.
	Phrase   string   `json:"phrase_accepted"`
	Changes  []string `json:"changes,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	Refusals []string `json:"refusals,omitempty"`
	Calls    []Call   `json:"calls,omitempty"`
	Result   string   `json:"result,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// auditTargets is the intent as the operator expressed it.
type auditTargets struct {
	Cluster       string   `json:"cluster,omitempty"`
	DestCluster   string   `json:"dest_cluster,omitempty"`
	InstanceIDs   []string `json:"instance_ids,omitempty"`
	AllocationIDs []string `json:"allocation_ids,omitempty"`
	Group         string   `json:"group,omitempty"`
	ECSCluster    string   `json:"ecs_cluster,omitempty"`
	Service       string   `json:"service,omitempty"`
	Desired       *int     `json:"desired,omitempty"`
	Processes     []string `json:"processes,omitempty"`
}

// auditStep is one call of the plan the verdict allowed, in order
// (model.Plan.Steps, as Execute makes them).
type auditStep struct {
	API      string     `json:"api"`
	Targets  []string   `json:"targets"`
	Move     *auditMove `json:"move,omitempty"`
	LastLook string     `json:"last_look,omitempty"`
	Detail   string     `json:"detail,omitempty"`
}

type auditMove struct {
	AllocationID    string `json:"allocation_id"`
	PublicIP        string `json:"public_ip"`
	From            string `json:"from_instance"`
	FromAssociation string `json:"from_association"`
	To              string `json:"to_instance"`
}

// auditState is the targets' state at one moment: as the screen showed
// it (seen) or as fetched for the action (fresh). Only the targets, so a
// record stays small in an account of 10,000 instances.
type auditState struct {
	At        time.Time       `json:"at"`
	Account   string          `json:"account,omitempty"`
	Instances []auditInstance `json:"instances,omitempty"`
	Addresses []auditAddress  `json:"addresses,omitempty"`
}

type auditInstance struct {
	ID      string `json:"id"`
	Cluster string `json:"cluster,omitempty"`
	State   string `json:"state"`
}

type auditAddress struct {
	Key           string `json:"key"` // allocation ID, or public IP without one
	PublicIP      string `json:"public_ip,omitempty"`
	Owner         string `json:"owner"`
	AssociationID string `json:"association_id,omitempty"`
}

// newAuditRecord describes the action judged in v (the check right before
// the calls), with what the operator had seen when they asked.
func newAuditRecord(event string, p Prepared, v model.Verdict, phrase string) auditRecord {
	f := v.Facts
	in := v.Intent
	rec := auditRecord{
		Time:     time.Now().UTC(),
		Event:    event,
		ID:       rand.Text(),
		Account:  f.Identity.AccountID,
		Alias:    f.Identity.Alias,
		Region:   f.Region,
		Identity: f.Identity.ARN,
		Action:   string(in.Action),
		Summary:  v.Summary,
		Targets: auditTargets{
			Cluster:       in.Cluster,
			DestCluster:   in.DestCluster,
			InstanceIDs:   in.InstanceIDs,
			AllocationIDs: in.AllocationIDs,
			Group:         in.Group,
			ECSCluster:    in.ECSCluster,
			Service:       in.Service,
			Desired:       in.Desired,
			Processes:     in.Processes,
		},
		Plan:     planOf(v.Plan),
		Phrase:   phrase,
		Warnings: v.Warnings,
	}
	for _, ch := range v.Changes {
		rec.Changes = append(rec.Changes, ch.String())
	}
	for _, r := range v.Refusals {
		rec.Refusals = append(rec.Refusals, refusalLine(r))
	}

	w := model.Analyze(model.Snapshot{
		Identity:  f.Identity,
		Instances: append(slices.Clone(f.Instances), f.DestInstances...),
		Addresses: f.Addresses,
	}, f.ClusterTag)
	rec.Fresh = auditState{At: f.FetchedAt.UTC(), Account: f.Identity.AccountID}
	for _, i := range slices.SortedFunc(slices.Values(w.Snap.Instances), func(a, b model.Instance) int { return strings.Compare(a.ID, b.ID) }) {
		cluster, _ := w.ClusterOf(i.ID)
		rec.Fresh.Instances = append(rec.Fresh.Instances, auditInstance{ID: i.ID, Cluster: cluster, State: string(i.State)})
	}
	for _, a := range slices.SortedFunc(slices.Values(f.Addresses), func(a, b model.Address) int {
		return strings.Compare(model.AddressKey(a), model.AddressKey(b))
	}) {
		key := model.AddressKey(a)
		rec.Fresh.Addresses = append(rec.Fresh.Addresses, auditAddress{
			Key: key, PublicIP: a.PublicIP, Owner: w.Owners[key].String(), AssociationID: a.AssociationID,
		})
	}
	rec.Seen = seenState(p.Seen, in, rec.Fresh)
	return rec
}

// seenState picks out of what the screen showed the targets of in and
// everything the fresh facts mention, so seen and fresh line up.
func seenState(s model.Seen, in model.Intent, fresh auditState) auditState {
	out := auditState{At: s.At.UTC(), Account: s.AccountID}
	ids := slices.Clone(in.InstanceIDs)
	for _, i := range fresh.Instances {
		ids = append(ids, i.ID)
	}
	for id, c := range s.Clusters {
		if in.Cluster != "" && c == in.Cluster || in.DestCluster != "" && c == in.DestCluster {
			ids = append(ids, id)
		}
	}
	for _, id := range uniq(ids) {
		if state, ok := s.States[id]; ok {
			out.Instances = append(out.Instances, auditInstance{ID: id, Cluster: s.Clusters[id], State: string(state)})
		}
	}
	keys := slices.Clone(in.AllocationIDs)
	for _, a := range fresh.Addresses {
		keys = append(keys, a.Key)
	}
	for key, o := range s.Owners {
		if in.Cluster != "" && o.Cluster == in.Cluster {
			keys = append(keys, key)
		}
	}
	for _, key := range uniq(keys) {
		if o, ok := s.Owners[key]; ok {
			out.Addresses = append(out.Addresses, auditAddress{Key: key, PublicIP: s.PublicIPs[key], Owner: o.String()})
		}
	}
	return out
}

func planOf(p model.Plan) []auditStep {
	var out []auditStep
	for _, st := range p.Steps(pageSize) {
		a := auditStep{API: st.API, Targets: st.Targets, LastLook: st.LastLook, Detail: st.Detail}
		if m := st.Move; m != nil {
			a.Move = &auditMove{
				AllocationID: m.AllocationID, PublicIP: m.PublicIP,
				From: m.FromInstance, FromAssociation: m.FromAssociation, To: m.ToInstance,
			}
		}
		out = append(out, a)
	}
	return out
}

// appendAudit writes rec as one line at the end of the log at path and
// fsyncs it before returning, so a record that was reported written
// survives a crash or a kill.
func appendAudit(path string, rec auditRecord) error {
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	line = asciiJSON(line)
	f, _, err := openAudit(path)
	if err != nil {
		return err
	}
	// One write of the whole line: with O_APPEND, two airlocks sharing a
	// log cannot interleave inside a record.
	_, err = f.Write(append(line, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// openAudit opens the log at path for appending. The directory is created
// 0700 and the file 0600: the log names accounts, identities and
// resources. An existing file that others may read or write is tightened
// to 0600, and note says so; a file airlock cannot tighten, or that is not
// a regular file, is an error.
func openAudit(path string) (f *os.File, note string, err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", err
	}
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, fs.ErrNotExist)

	f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, "", err
	}
	fail := func(err error) (*os.File, string, error) {
		f.Close()
		return nil, "", err
	}
	fi, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	if !fi.Mode().IsRegular() {
		return fail(fmt.Errorf("%s is not a regular file (%s)", path, fi.Mode().Type()))
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		if err := f.Chmod(perm &^ 0o077); err != nil {
			return fail(fmt.Errorf("%s is mode %04o, readable by others, and cannot be tightened to 0600: %w", path, perm, err))
		}
		note = fmt.Sprintf("the audit log %s was mode %04o; tightened to %04o", path, perm, perm&^0o077)
	}
	if created {
		// A new file's directory entry is durable only once the
		// directory itself is synced.
		if err := syncDir(dir); err != nil {
			return fail(err)
		}
	}
	return f, note, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// refusalLine is a refusal as the log records it: the rule's name first,
// so a log can be searched by rule.
func refusalLine(r model.Refusal) string { return string(r.Rule) + ": " + r.String() }

// auditStalledError is a record that did not reach the disk in time.
type auditStalledError struct {
	path  string
	after time.Duration
}

func (e *auditStalledError) Error() string {
	return fmt.Sprintf("%s: not written within %s", e.path, e.after)
}

// writeAudit appends rec to the log at path, waiting for it at most the
// client's audit timeout, or interruptedAuditGrace once ctx has ended.
// Records are written one at a time, in the order they are handed over.
func (c *Client) writeAudit(ctx context.Context, path string, rec auditRecord) error {
	done := make(chan error, 1)
	go func() {
		c.auditMu.Lock()
		defer c.auditMu.Unlock()
		if c.hooks != nil && c.hooks.auditWrite != nil {
			c.hooks.auditWrite(rec.Event)
		}
		done <- appendAudit(path, rec)
	}()

	wait := c.auditTimeout
	if ctx.Err() != nil {
		wait = min(wait, interruptedAuditGrace)
	}
	start := time.Now()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	ending := ctx.Done()
	for {
		select {
		case err := <-done:
			return err
		case <-timer.C:
			return &auditStalledError{path: path, after: time.Since(start).Round(100 * time.Millisecond)}
		case <-ending:
			ending = nil
			if left := wait - time.Since(start); left > interruptedAuditGrace {
				timer.Reset(interruptedAuditGrace)
			}
		}
	}
}

// CheckAuditLog opens the audit log for appending, as the first action
// would, so a log that cannot be written is known before any phrase is
// typed. It creates the file (0600, in a 0700 directory) when missing and
// tightens an existing one that others can read or write to 0600, saying
// so in note. It writes no record and takes at most the audit timeout.
func (c *Client) CheckAuditLog(ctx context.Context) (path, note string, err error) {
	path, err = c.auditPath()
	if err != nil {
		return "", "", err
	}
	type result struct {
		note string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		c.auditMu.Lock()
		defer c.auditMu.Unlock()
		f, note, err := openAudit(path)
		if err == nil {
			err = f.Close()
		}
		done <- result{note, err}
	}()
	timer := time.NewTimer(c.auditTimeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return path, r.note, r.err
	case <-timer.C:
		return path, "", &auditStalledError{path: path, after: c.auditTimeout}
	case <-ctx.Done():
		return path, "", ctx.Err()
	}
}

// asciiJSON escapes every non-ASCII character of a JSON document as
// \uXXXX. Names in the log are raw, as AWS holds them (identity is the
// raw value), and a raw C1 control, bidi override or zero-width space
// would act on the terminal of whoever runs cat or tail on the log, or
// hide in it. Escaped, the log is plain ASCII and decodes to exactly the
// raw values. encoding/json already escapes the C0 controls.
func asciiJSON(b []byte) []byte {
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/4)
	for _, r := range string(b) {
		switch {
		case r < utf8.RuneSelf:
			out = append(out, byte(r))
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			out = fmt.Appendf(out, `\u%04x\u%04x`, r1, r2)
		default:
			// Invalid UTF-8 never gets here: json.Marshal has already
			// replaced it with U+FFFD.
			out = fmt.Appendf(out, `\u%04x`, r)
		}
	}
	return out
}

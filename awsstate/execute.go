package awsstate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/airlock-ops/airlock/model"
)

// Why Execute refused to act. Both reach the caller inside an *Error of
// KindRefused, so errors.Is works on what Execute returns.
var (
	// ErrPhraseMismatch: what was typed is not exactly the phrase asked
	// for. Nothing was fetched, logged or changed.
	ErrPhraseMismatch = errors.New("the typed phrase does not match")
	// ErrRefused: the verdict does not allow the action, either as
	// prepared or when checked again right before the calls.
	ErrRefused = errors.New("refused")
)

// Outcome is what Execute did.
type Outcome struct {
	// Verdict is the check made right before the calls. When it refused,
	// no call was made and it carries the new facts and every change.
	Verdict model.Verdict
	// Calls are the mutating calls made, in order, each with its request
	// ID. The read-only checks between them are not listed.
	Calls []Call
	// Done is true when every planned call succeeded.
	Done bool
	// AuditID is the ID of the intent record, once it is durably in the
	// audit log; "" when no record was written (and so nothing ran).
	AuditID string
	// AuditComplete is true once the outcome record is durably written
	// too. An intent without its outcome is what a screen must say
	// plainly: the log alone will not tell how the action ended.
	AuditComplete bool
}

// Call is one mutating API call and how it went.
type Call struct {
	Action    string   `json:"action"` // "ec2:TerminateInstances"
	Targets   []string `json:"targets"`
	RequestID string   `json:"request_id,omitempty"` // AWS's, for a support case or CloudTrail
	Err       string   `json:"error,omitempty"`
}

// Bounds on the last check and on the audit log.
const (
	// DefaultCheckBound is the longest a judgement may stand before a
	// mutating call goes out on its strength (model.CheckAge). Past it,
	// the first call is judged again; a later call (the judgement is
	// then partly spent) is not made.
	DefaultCheckBound = model.DefaultCheckBound
	// DefaultAuditTimeout is how long one audit record may take to reach
	// the disk. A log on a stalled filesystem (a hung NFS home, a frozen
	// disk) refuses the action instead of holding it, and the operator,
	// for as long as the filesystem takes.
	DefaultAuditTimeout = 5 * time.Second
	// interruptedAuditGrace is what the outcome record gets once the
	// program is ending (a signal, the operator quitting): the terminal
	// must be back within a second.
	interruptedAuditGrace = 500 * time.Millisecond
)

// testHooks let tests act at exact points of Execute. Nil in production.
type testHooks struct {
	// afterIntent runs once the intent record is on disk, before the
	// last check.
	afterIntent func()
	// afterJudge runs after the last check, before the first mutating
	// call.
	afterJudge func()
	// auditWrite runs in the writing goroutine before a record is
	// written; it can stall the write as a frozen filesystem would.
	auditWrite func(event string)
}

// Execute carries out a prepared, allowed action once typed is exactly its
// phrase. In this order:
//
//  1. The intent record goes to the audit log, fsynced, within
//     DefaultAuditTimeout. If it cannot be written, nothing runs.
//  2. The last check: the identity and the targets are fetched again and
//     judged against what the operator confirmed; if anything differs
//     (another account, an EIP that moved, an instance that gained an
//     EIP, a changed plan), nothing runs and the Outcome's verdict holds
//     the new facts. It comes after the audit write, so a slow disk
//     cannot make it stale.
//  3. The calls. Each goes out only while the check behind it is at most
//     DefaultCheckBound old: the first call is judged again if the
//     judgement has aged past it, a later one is not made.
//  4. The outcome record: done, partial, failed, refused or interrupted.
//     Every attempt whose intent was written gets one, so long as the log
//     still takes it.
//
// The calls carry the API's own preconditions wherever AWS has them:
//
//   - TerminateInstances and StopInstances name exactly the verified IDs.
//   - DisassociateAddress names the association ID, not the address, so
//     an EIP that was reassociated in the meantime fails with
//     InvalidAssociationID.NotFound instead of being detached from its
//     new owner.
//   - ReleaseAddress has no such condition (in a default VPC it even
//     detaches an associated address silently), so each address is looked
//     up once more immediately before its release and released only if it
//     is unassociated at that moment.
//   - AssociateAddress, for a move, uses AllowReassociation, see move.
//
// Calls stop at the first failure or failed check: the rest of a plan was
// judged for a world that has just proved different. When ctx ends (the
// program is quitting or was signalled), no further call is made and the
// outcome is recorded as interrupted.
//
// The SDK retries throttled and failed attempts, which is safe for each of
// these calls: terminate and stop are idempotent, a move repeated is the
// same move, and a disassociation or release repeated after a lost answer
// fails with NotFound (misreporting success as failure, which the refresh
// that follows corrects) rather than touching anything else.
//
// The error is nil only when everything planned was done. It is phrased
// for an operator; errors.Is(err, ErrRefused) or ErrPhraseMismatch tell a
// refusal from a failure, and KindOf(err) == KindAudit an audit log that
// could not be written.
func (c *Client) Execute(ctx context.Context, p Prepared, typed string) (Outcome, error) {
	v := p.Verdict
	if !v.Allowed {
		return Outcome{Verdict: v}, refusal(v)
	}
	if !v.Accepts(typed) {
		return Outcome{Verdict: v}, &Error{Kind: KindRefused, err: ErrPhraseMismatch,
			msg: fmt.Sprintf("the typed phrase %s; nothing was done", v.Mismatch(typed))}
	}
	// Accepts forgave only whitespace at the ends; the log records the
	// phrase as matched, without a pasted newline.
	typed = model.TrimTyped(typed)
	logPath, err := c.auditPath()
	if err != nil {
		return Outcome{Verdict: v}, auditError(err)
	}

	intent := newAuditRecord(auditIntent, p, v, typed)
	if err := c.writeAudit(ctx, logPath, intent); err != nil {
		var stalled *auditStalledError
		if errors.As(err, &stalled) {
			// Should the stalled intent reach the disk after all, its
			// outcome follows it, so the log does not read as a crash.
			rec := newAuditRecord(auditOutcome, p, v, typed)
			rec.ID, rec.Result, rec.Error = intent.ID, resultFailed, auditError(err).Error()
			go func() { c.auditMu.Lock(); defer c.auditMu.Unlock(); _ = appendAudit(logPath, rec) }()
		}
		return Outcome{Verdict: v}, auditError(err)
	}
	out := Outcome{Verdict: v, AuditID: intent.ID}
	if c.hooks != nil && c.hooks.afterIntent != nil {
		c.hooks.afterIntent()
	}

	// The operator may have taken a minute to type: judge again, against
	// exactly the facts and plan they confirmed.
	last := &lastCheck{bound: c.checkBound}
	judge := func(ctx context.Context) error {
		fresh, err := c.facts(ctx, v.Intent, v.Seen())
		if err != nil {
			return &Error{Kind: KindOf(err), err: err, msg: Explain(err) + "; nothing was done"}
		}
		out.Verdict = model.Judge(v.Intent, v.Seen(), fresh, p.Policy)
		if !out.Verdict.Allowed {
			return refusal(out.Verdict)
		}
		last.at = time.Now()
		return nil
	}
	err = judge(ctx)
	if err == nil {
		if c.hooks != nil && c.hooks.afterJudge != nil {
			c.hooks.afterJudge()
		}
		out.Calls, err = c.run(ctx, out.Verdict.Plan, last, judge)
	}
	out.Done = err == nil

	rec := newAuditRecord(auditOutcome, p, out.Verdict, typed)
	rec.ID, rec.Calls = intent.ID, out.Calls
	rec.Result = resultOf(ctx, out, err)
	if err != nil {
		rec.Error = Explain(err)
	}
	if s := (*stoppedError)(nil); errors.As(err, &s) {
		rec.Refusals = append(rec.Refusals, refusalLine(s.Refusal))
	}
	if lerr := c.writeAudit(ctx, logPath, rec); lerr != nil {
		err = errors.Join(err, &Error{Kind: KindAudit, err: lerr,
			msg: "the outcome could not be written to the audit log (its intent record " + intent.ID + " is there): " + oneLine(lerr)})
	} else {
		out.AuditComplete = true
	}
	return out, err
}

// resultOf names how an action ended, for its outcome record.
func resultOf(ctx context.Context, out Outcome, err error) string {
	made := slices.ContainsFunc(out.Calls, func(c Call) bool { return c.Err == "" })
	switch {
	case err == nil:
		return resultDone
	case ctx.Err() != nil:
		return resultInterrupted
	case len(out.Calls) == 0 && !out.Verdict.Allowed:
		return resultRefused
	case made:
		return resultPartial
	}
	return resultFailed
}

// lastCheck is when the targets were last seen to be as the plan needs
// them: by the judgement, or by a look right before one call.
type lastCheck struct {
	at    time.Time
	bound time.Duration
}

// run makes the plan's calls, stopping at the first failure. Each call
// goes out only while last is within its bound: before the first call
// judge runs again if it is not; before a later one, the plan stops.
func (c *Client) run(ctx context.Context, plan model.Plan, last *lastCheck, judge func(context.Context) error) ([]Call, error) {
	var calls []Call
	do := func(action string, targets []string, fn func(context.Context) error) error {
		if err := ctx.Err(); err != nil {
			return &Error{Kind: KindCanceled, err: err, msg: "interrupted before " + action + "; it was not called"}
		}
		call := action + " " + strings.Join(targets, " ")
		if r := model.CheckAge(time.Since(last.at), last.bound, call); r != nil {
			if len(calls) > 0 {
				return stopped(r)
			}
			if err := judge(ctx); err != nil {
				return err
			}
			if r := model.CheckAge(time.Since(last.at), last.bound, call); r != nil {
				return stopped(r) // AWS is answering too slowly to act on
			}
		}
		made := Call{Action: action, Targets: targets}
		err := fn(withRequestIDSlot(ctx, &made.RequestID))
		if err != nil {
			err = explained(err)
			made.Err = err.Error()
		}
		calls = append(calls, made)
		return err
	}

	for _, st := range plan.Steps(pageSize) {
		var call func(context.Context) error
		switch st.API {
		case model.APITerminate:
			call = func(ctx context.Context) error {
				_, err := c.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: st.Targets})
				return err
			}
		case model.APIStop:
			call = func(ctx context.Context) error {
				_, err := c.ec2.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: st.Targets})
				return err
			}
		case model.APIDisassociate:
			call = func(ctx context.Context) error {
				_, err := c.ec2.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: aws.String(st.Targets[0])})
				return err
			}
		case model.APIRelease:
			key := st.Targets[0]
			if err := c.checkReleasable(ctx, key); err != nil {
				return calls, err
			}
			last.at = time.Now()
			in := &ec2.ReleaseAddressInput{AllocationId: aws.String(key)}
			if !strings.HasPrefix(key, "eipalloc-") {
				in = &ec2.ReleaseAddressInput{PublicIp: aws.String(key)} // EC2-Classic: no allocation ID
			}
			call = func(ctx context.Context) error {
				_, err := c.ec2.ReleaseAddress(ctx, in)
				return err
			}
		case model.APIAssociate:
			if err := c.checkMovable(ctx, *st.Move); err != nil {
				return calls, err
			}
			last.at = time.Now()
			call = func(ctx context.Context) error { return c.move(ctx, *st.Move) }
		default:
			var known bool
			var err error
			call, known, err = c.scalingCall(ctx, st) // scaling.go: after its last look
			if !known {
				// A step this executor does not know is a plan it must
				// not half-run.
				return calls, fmt.Errorf("airlock cannot make the call %s; nothing more was done", st.API)
			}
			if err != nil {
				return calls, err
			}
			last.at = time.Now()
		}
		if err := do(st.API, st.Targets, call); err != nil {
			return calls, err
		}
	}
	return calls, nil
}

// checkReleasable looks the address up immediately before its release
// and asks model.CheckRelease: ReleaseAddress itself does not refuse an
// associated address in a default VPC, so this is the last line against
// story S1. It narrows the window to one round trip; AWS offers no way to
// close it.
func (c *Client) checkReleasable(ctx context.Context, key string) error {
	got, err := c.addressesByKey(ctx, []string{key})
	if err != nil {
		return fmt.Errorf("checking %s before releasing it: %w", key, explained(err))
	}
	return stopped(model.CheckRelease(key, got))
}

// checkMovable reads the address and the destination's addresses
// immediately before the call and asks model.CheckMove.
func (c *Client) checkMovable(ctx context.Context, m model.Move) error {
	got, err := c.addressesByKey(ctx, []string{m.AllocationID})
	if err != nil {
		return fmt.Errorf("checking %s before moving it: %w", m.PublicIP, explained(err))
	}
	on, err := c.addressesOn(ctx, []string{m.ToInstance})
	if err != nil {
		return fmt.Errorf("checking %s before moving an EIP onto it: %w", m.ToInstance, explained(err))
	}
	return stopped(model.CheckMove(m, got, on))
}

// move re-points one EIP from its source instance to its destination in a
// single AssociateAddress call with AllowReassociation.
//
// Why reassociation: the address is live on the source (that is what a
// cut-over moves), and one reassociating call moves it with no gap. The
// alternative, DisassociateAddress by association ID and then
// AssociateAddress with AllowReassociation=false, puts a precondition on
// each step, but leaves the public IP pointing nowhere between the two
// calls, and nowhere at all if the second fails: the outage the move
// exists to avoid.
//
// Why it is safe enough: reassociation takes the address from whatever
// holds it, and AssociateAddress has no "only if the association is still
// X" condition. So it is used only for the exact association being moved:
// Judge confirmed it a moment ago, and checkMovable read it again one
// round trip before this call (and checked that the destination holds no
// other EIP, which AWS would silently detach). What is left is that round
// trip, against another writer moving the same address in the same
// instant.
//
// The flag is explicit although EC2 now documents reassociation as its
// default: the call states what it means to do, whatever the default.
func (c *Client) move(ctx context.Context, m model.Move) error {
	_, err := c.ec2.AssociateAddress(ctx, &ec2.AssociateAddressInput{
		AllocationId:       aws.String(m.AllocationID),
		InstanceId:         aws.String(m.ToInstance),
		AllowReassociation: aws.Bool(true),
	})
	return err
}

// refusal turns a refusing verdict into an error listing its reasons.
func refusal(v model.Verdict) error {
	reasons := make([]string, 0, len(v.Refusals))
	for _, r := range v.Refusals {
		reasons = append(reasons, r.String())
	}
	return &Error{Kind: KindRefused, err: ErrRefused,
		msg: "nothing was done: " + strings.Join(reasons, "; ")}
}

// stoppedError is a last look (model.CheckAge, CheckRelease, CheckMove)
// that stopped the plan between calls; nil r is no error.
type stoppedError struct{ model.Refusal }

func (e *stoppedError) Error() string { return e.Refusal.String() }
func (e *stoppedError) Unwrap() error { return ErrRefused }

func stopped(r *model.Refusal) error {
	if r == nil {
		return nil
	}
	return &Error{Kind: KindRefused, err: &stoppedError{*r}, msg: r.String()}
}

func auditError(err error) error {
	if err == nil {
		return nil
	}
	msg := "cannot write the audit log, so nothing was done: " + oneLine(err)
	var stalled *auditStalledError
	if errors.As(err, &stalled) {
		msg = fmt.Sprintf("audit log not writable in %s (%s): nothing was done", stalled.after, model.Sanitize(stalled.path))
	}
	return &Error{Kind: KindAudit, err: err, msg: msg}
}

// auditPath is the configured log, or the default one.
func (c *Client) auditPath() (string, error) {
	if c.auditLog != "" {
		return c.auditLog, nil
	}
	return DefaultAuditLogPath()
}

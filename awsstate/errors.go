package awsstate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"

	"github.com/airlock-ops/airlock/model"
)

// Kind classifies a failure by what the operator has to do about it.
type Kind int

// The kinds of failure airlock tells apart.
const (
	KindOther              Kind = iota
	KindCanceled                // the caller gave up (context canceled)
	KindTimeout                 // no answer within the call timeout
	KindUnreachable             // connection refused, unknown host
	KindNoRegion                // no region configured anywhere
	KindInvalidRegion           // a region name that cannot exist
	KindInvalidEndpoint         // an endpoint URL that cannot be one
	KindUnknownProfile          // --profile names no profile
	KindMissingCredentials      // the default chain found nothing
	KindInvalidCredentials      // AWS does not know the key, or the signature is wrong
	KindExpiredCredentials      // session or SSO token expired
	KindAccessDenied            // IAM said no
	KindThrottled               // still throttled after the retries
	KindNotFound                // the resource is gone (InvalidInstanceID.NotFound, ...)
	KindRefused                 // the airlock refused: wrong phrase, or the facts changed
	KindAudit                   // the audit log cannot be written, so nothing may run
)

// Error is an AWS failure phrased for an operator: Error() is one line
// naming what failed and what to do, never a stack of SDK wrappers. The
// SDK's error stays reachable through errors.As (smithy.APIError, ...).
type Error struct {
	Kind Kind
	msg  string
	err  error
}

func (e *Error) Error() string { return e.msg }

// Unwrap returns the SDK's error.
func (e *Error) Unwrap() error { return e.err }

// Explain returns one line an operator can act on for any error from this
// package or the SDK: expired, missing or rejected credentials, an unknown
// profile, a missing or invalid region, an unreachable endpoint, a timeout,
// access denied. "" for nil.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	return explained(err).Error()
}

// KindOf classifies err (KindOther when nothing more specific fits).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(explained(err), &e) {
		return e.Kind
	}
	return KindOther
}

// API error codes by meaning. EC2 speaks its own dialect
// (UnauthorizedOperation, AuthFailure, RequestLimitExceeded); STS and IAM
// use the query protocol's common codes.
var (
	expiredCodes = codes("ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired")
	deniedCodes  = codes("UnauthorizedOperation", "AccessDenied", "AccessDeniedException",
		"UnauthorizedAccess", "OptInRequired", "Blocked")
	rejectedCodes = codes("AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException",
		"SignatureDoesNotMatch", "IncompleteSignature", "InvalidAccessKeyId", "MissingAuthenticationToken")
)

func codes(cs ...string) map[string]bool {
	m := make(map[string]bool, len(cs))
	for _, c := range cs {
		m[c] = true
	}
	return m
}

// explained turns any error into an *Error (idempotently). The order of the
// checks matters: a credential failure can contain a network error (the
// instance metadata service did not answer), and an API error is more
// precise than the transport around it.
func explained(err error) error {
	if err == nil {
		return nil
	}
	var done *Error
	if errors.As(err, &done) {
		return err
	}
	e := func(k Kind, format string, args ...any) error {
		return &Error{Kind: k, msg: fmt.Sprintf(format, args...), err: err}
	}
	action := actionOf(err)

	var noProfile config.SharedConfigProfileNotExistError
	if errors.As(err, &noProfile) {
		return e(KindUnknownProfile, "unknown AWS profile %q: it is in neither the shared config nor the credentials file", noProfile.Profile)
	}
	if errors.Is(err, ErrNoRegion) || strings.Contains(err.Error(), "Missing Region") {
		return e(KindNoRegion, "%s", ErrNoRegion)
	}
	if msg, k, ok := credentialProblem(err); ok {
		return e(k, "%s", msg)
	}

	var api smithy.APIError
	if errors.As(err, &api) {
		code := model.Sanitize(api.ErrorCode())
		switch {
		case expiredCodes[code]:
			return e(KindExpiredCredentials, "expired AWS credentials (%s): %s", code, howToRenew(err))
		case deniedCodes[code] && action == "sts:AssumeRole":
			// STS says which condition failed (MFA code, trust policy),
			// and that is the whole story of a failed switch.
			return e(KindAccessDenied, "access denied: %s (%s: %s)", action, code, model.Sanitize(api.ErrorMessage()))
		case deniedCodes[code]:
			return e(KindAccessDenied, "access denied: %s (%s)", action, code)
		case rejectedCodes[code]:
			return e(KindInvalidCredentials, "AWS rejected the credentials (%s): the access key is unknown to AWS or the secret is wrong", code)
		case isThrottle(code):
			return e(KindThrottled, "throttled: %s (%s), still throttled after %d attempts", action, code, attempts(err))
		case strings.HasSuffix(code, ".NotFound"):
			return e(KindNotFound, "not found: %s (%s: %s)", action, code, model.Sanitize(api.ErrorMessage()))
		}
		return e(KindOther, "%s failed: %s: %s", action, code, model.Sanitize(api.ErrorMessage()))
	}

	host := hostOf(err)
	var dns *net.DNSError
	switch {
	case errors.Is(err, context.Canceled):
		return e(KindCanceled, "%s canceled", action)
	case isTimeout(err):
		return e(KindTimeout, "timed out: %s got no answer from %s in time (network down, endpoint wrong, or AWS slow)", action, host)
	case errors.Is(err, syscall.ECONNREFUSED):
		return e(KindUnreachable, "cannot reach %s (connection refused): is the endpoint right and running?", host)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return e(KindUnreachable, "lost the connection to %s before %s answered (EOF)", host, action)
	case errors.As(err, &dns) && dns.IsNotFound:
		return e(KindUnreachable, "cannot resolve %s (no such host): check the region and the endpoint", model.Sanitize(dns.Name))
	case errors.As(err, new(*url.Error)), errors.As(err, new(*net.OpError)):
		return e(KindUnreachable, "cannot reach %s: %s", host, oneLine(rootCause(err)))
	}
	return e(KindOther, "%s failed: %s", action, oneLine(rootCause(err)))
}

// credentialProblem recognises failures to obtain credentials at all.
// The SDK reports them as "get identity: ..." from the signing step, with
// typed errors only for some providers, hence the string checks.
func credentialProblem(err error) (msg string, k Kind, ok bool) {
	var mfa *MFAError
	if errors.As(err, &mfa) {
		switch {
		case mfa.Expired:
			return mfa.Error() + ": " + howToRenew(err), KindExpiredCredentials, true
		case errors.Is(mfa.Err, context.Canceled):
			return "MFA prompt canceled: " + mfa.Error(), KindCanceled, true
		}
		return oneLine(mfa), KindMissingCredentials, true
	}
	var sso *ssocreds.InvalidTokenError
	if errors.As(err, &sso) {
		how := howToRenew(err)
		if how == genericRenewal {
			how = "run aws sso login"
		}
		return "the AWS SSO session has expired: " + how, KindExpiredCredentials, true
	}
	// Expired source credentials of an assume-role or SSO refresh come
	// back from inside the signing step, as "get identity: ..." below.
	var api smithy.APIError
	if errors.As(err, &api) && expiredCodes[api.ErrorCode()] {
		return fmt.Sprintf("expired AWS credentials (%s): %s", model.Sanitize(api.ErrorCode()), howToRenew(err)), KindExpiredCredentials, true
	}
	var empty *credentials.StaticCredentialsEmptyError
	s := err.Error()
	if errors.As(err, &empty) || strings.Contains(s, "no EC2 IMDS role found") ||
		strings.Contains(s, "failed to retrieve credentials") && strings.Contains(s, "IMDS") {
		return "no AWS credentials found: pass --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID, or log in (aws sso login, aws configure)", KindMissingCredentials, true
	}
	if strings.Contains(s, "get identity: ") {
		if isTimeout(err) {
			return "timed out while loading AWS credentials (is the credential provider or instance metadata reachable?)", KindTimeout, true
		}
		return "cannot load AWS credentials: " + oneLine(rootCause(err)), KindMissingCredentials, true
	}
	return "", 0, false
}

// howToRenew is the end of an expired-credentials message: the command
// or advice attached by the client (withRenewal), else genericRenewal.
func howToRenew(err error) string {
	var r *renewalError
	if errors.As(err, &r) {
		return r.howToRenew()
	}
	return genericRenewal
}

// actionOf names the failed call as IAM does, e.g. "ec2:DescribeSubnets",
// so an access-denied message is also the permission to ask for.
func actionOf(err error) string {
	var op *smithy.OperationError
	if errors.As(err, &op) {
		return strings.ToLower(op.Service()) + ":" + op.Operation()
	}
	return "AWS call"
}

// ShortReason names a failure in a word or two, for a place with little
// room (the banner's account, a status line): AWS's error code
// ("AccessDenied", "Throttling") when there is one, else the operator's
// one-line explanation (Explain). The code comes from AWS, so it is
// sanitised. "" for nil.
func ShortReason(err error) string {
	if err == nil {
		return ""
	}
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() != "" {
		return model.Sanitize(api.ErrorCode())
	}
	return model.Sanitize(Explain(err))
}

// isThrottle uses the SDK's own list, the one its retryer backs off on.
func isThrottle(code string) bool {
	_, ok := retry.DefaultThrottleErrorCodes[code]
	return ok
}

func attempts(err error) int {
	var max *retry.MaxAttemptsError
	if errors.As(err, &max) {
		return max.Attempt
	}
	return 1
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// hostOf returns the host the failed request went to, or "the endpoint".
func hostOf(err error) string {
	var u *url.Error
	if errors.As(err, &u) {
		if p, perr := url.Parse(u.URL); perr == nil && p.Host != "" {
			return model.Sanitize(p.Host)
		}
	}
	return "the endpoint"
}

// rootCause drops the SDK's wrapper prefixes ("operation error EC2:
// DescribeInstances, https response error ...") down to the innermost error.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// oneLine makes an arbitrary error printable on one line of a terminal.
func oneLine(err error) string {
	return model.Sanitize(strings.Join(strings.Fields(err.Error()), " "))
}

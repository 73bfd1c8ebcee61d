package awsstate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go"
)

// op wraps err the way the SDK reports a failed call.
func op(service, operation string, err error) error {
	return &smithy.OperationError{ServiceID: service, OperationName: operation, Err: err}
}

func api(code, msg string) error {
	return &smithy.GenericAPIError{Code: code, Message: msg}
}

func TestExplain(t *testing.T) {
	refused := &url.Error{Op: "Post", URL: "http://127.0.0.1:9/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	noHost := &url.Error{Op: "Post", URL: "https://ec2.us-esat-1.amazonaws.com/", Err: &net.DNSError{Name: "ec2.us-esat-1.amazonaws.com", Err: "no such host", IsNotFound: true}}
	tests := []struct {
		name string
		err  error
		kind Kind
		want string // exact line, or prefix when it ends in "…"
	}{
		{"nil", nil, KindOther, ""},
		{"access denied EC2", op("EC2", "DescribeSubnets", api("UnauthorizedOperation", "You are not authorized")),
			KindAccessDenied, "access denied: ec2:DescribeSubnets (UnauthorizedOperation)"},
		{"access denied IAM", op("IAM", "ListAccountAliases", api("AccessDenied", "User is not authorized")),
			KindAccessDenied, "access denied: iam:ListAccountAliases (AccessDenied)"},
		{"expired token", op("STS", "GetCallerIdentity", api("ExpiredToken", "The security token included in the request is expired")),
			KindExpiredCredentials, "expired AWS credentials (ExpiredToken): log in again or refresh the session"},
		{"request expired", op("EC2", "DescribeInstances", api("RequestExpired", "Request has expired.")),
			KindExpiredCredentials, "expired AWS credentials (RequestExpired)…"},
		{"expired token exception", op("STS", "GetCallerIdentity", api("ExpiredTokenException", "")),
			KindExpiredCredentials, "expired AWS credentials (ExpiredTokenException)…"},
		{"unknown key", op("EC2", "DescribeInstances", api("AuthFailure", "AWS was not able to validate the provided access credentials")),
			KindInvalidCredentials, "AWS rejected the credentials (AuthFailure)…"},
		{"throttled", op("EC2", "DescribeInstances", &retry.MaxAttemptsError{Attempt: 3, Err: api("RequestLimitExceeded", "Request limit exceeded.")}),
			KindThrottled, "throttled: ec2:DescribeInstances (RequestLimitExceeded), still throttled after 3 attempts"},
		{"not found", op("EC2", "DisassociateAddress", api("InvalidAssociationID.NotFound", "The association ID 'eipassoc-1' does not exist")),
			KindNotFound, "not found: ec2:DisassociateAddress (InvalidAssociationID.NotFound: The association ID 'eipassoc-1' does not exist)"},
		{"other API error, hostile message", op("EC2", "DescribeInstances", api("InvalidParameterValue", "bad \x1b]52;c;aGk=\x07value\r\nx")),
			KindOther, "ec2:DescribeInstances failed: InvalidParameterValue: bad value x"},
		{"unknown profile", config.SharedConfigProfileNotExistError{Profile: "acme-prdo"},
			KindUnknownProfile, `unknown AWS profile "acme-prdo"…`},
		{"no region", ErrNoRegion, KindNoRegion, ErrNoRegion.Error()},
		{"missing region from the resolver", op("EC2", "DescribeInstances", fmt.Errorf("resolve endpoint: endpoint rule error, Invalid Configuration: Missing Region")),
			KindNoRegion, ErrNoRegion.Error()},
		{"no credentials", op("STS", "GetCallerIdentity", fmt.Errorf("get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found, %w", errors.New("access disabled"))),
			KindMissingCredentials, "no AWS credentials found…"},
		{"connection refused", op("EC2", "DescribeInstances", refused),
			KindUnreachable, "cannot reach 127.0.0.1:9 (connection refused)…"},
		{"unknown host", op("EC2", "DescribeInstances", noHost),
			KindUnreachable, "cannot resolve ec2.us-esat-1.amazonaws.com (no such host): check the region and the endpoint"},
		{"timeout", op("EC2", "DescribeInstances", &url.Error{Op: "Post", URL: "https://ec2.us-east-1.amazonaws.com/", Err: context.DeadlineExceeded}),
			KindTimeout, "timed out: ec2:DescribeInstances got no answer from ec2.us-east-1.amazonaws.com in time…"},
		{"canceled", op("EC2", "DescribeInstances", context.Canceled), KindCanceled, "ec2:DescribeInstances canceled"},
		{"anything else", errors.New("something\nodd"), KindOther, "AWS call failed: something odd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Explain(tt.err)
			if prefix, ok := strings.CutSuffix(tt.want, "…"); ok {
				if !strings.HasPrefix(got, prefix) {
					t.Errorf("Explain = %q, want prefix %q", got, prefix)
				}
			} else if got != tt.want {
				t.Errorf("Explain = %q, want %q", got, tt.want)
			}
			if strings.ContainsAny(got, "\n\r\x1b") {
				t.Errorf("Explain = %q is not one clean line", got)
			}
			if tt.err != nil && KindOf(tt.err) != tt.kind {
				t.Errorf("KindOf = %d, want %d", KindOf(tt.err), tt.kind)
			}
		})
	}
}

// The phrased error still lets callers reach the SDK's error.
func TestExplainedKeepsCause(t *testing.T) {
	cause := api("UnauthorizedOperation", "no")
	err := explained(op("EC2", "DescribeSubnets", cause))

	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "UnauthorizedOperation" {
		t.Errorf("errors.As(%v, smithy.APIError) failed", err)
	}
	if again := explained(err); again != err {
		t.Errorf("explained is not idempotent: %v", again)
	}
}

package sim

import (
	"strings"
	"testing"
	"time"
)

// TestParseFault: a spec reads into the Fault it names, and String writes
// it back in the canonical order, so GET /_sim/faults shows specs that
// --fault and spec= accept.
func TestParseFault(t *testing.T) {
	tests := []struct {
		spec      string
		want      Fault
		canonical string
	}{
		{"access-denied,action=ec2:TerminateInstances", Fault{Kind: FaultAccessDenied, Action: "ec2:TerminateInstances"}, ""},
		{"expired-token", Fault{Kind: FaultExpiredToken}, ""},
		{" throttle , times=2 , account=222222222222 ", Fault{Kind: FaultThrottle, Times: 2, Account: StagingAccountID}, "throttle,account=222222222222,times=2"},
		{"kind=latency,latency=1.5s", Fault{Kind: FaultLatency, Latency: 1500 * time.Millisecond}, "latency,latency=1.5s"},
		{"page-error,action=DescribeInstances,page=3", Fault{Kind: FaultPageError, Action: "DescribeInstances", Page: 3}, ""},
		{"drop-connection,action=sts:GetCallerIdentity,times=0", Fault{Kind: FaultDropConnection, Action: "sts:GetCallerIdentity"}, "drop-connection,action=sts:GetCallerIdentity"},
		{"internal-error,action=iam:ListAccountAliases", Fault{Kind: FaultInternalError, Action: "iam:ListAccountAliases"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseFault(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			canonical := tt.canonical
			if canonical == "" {
				canonical = tt.spec
			}
			if got.String() != canonical {
				t.Errorf("String() = %q, want %q", got.String(), canonical)
			}
			if again, err := ParseFault(got.String()); err != nil || again != got {
				t.Errorf("round trip: %+v, %v", again, err)
			}
		})
	}
}

func TestParseFaultErrors(t *testing.T) {
	for spec, want := range map[string]string{
		"":                             "empty fault spec",
		"throttle,,":                   `"" is not key=value`,
		"throttle,action=":             `action "" is not an action`,
		"denied":                       `kind "denied" is not a fault kind (expected one of latency, throttle, access-denied, expired-token, drop-connection, page-error, internal-error)`,
		"throttle,action=s3:GetObject": `action "s3:GetObject"`,
		"throttle,times=two":           `times "two"`,
		"page-error,page=-1":           `page "-1"`,
		"latency,latency=-1s":          `latency "-1s"`,
		"latency,latency=1s,page=1":    "page applies only to kind page-error, not latency",
		"throttle,region=us-east-1":    `unknown field "region" (expected kind, account, action, times, page, latency)`,
		"throttle,account=acme-prod":   `account "acme-prod" is not an account ID`,
		"throttle,kind=access-denied":  "kind given twice",
	} {
		_, err := ParseFault(spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFault(%q) = %v, want an error containing %q", spec, err, want)
		}
	}
}

func TestInjectSpecChecksTheAccount(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.InjectSpec("throttle,account=999999999999"); err == nil || !strings.Contains(err.Error(), "not in the simulated world") {
		t.Errorf("unknown account: %v", err)
	}
	id, err := s.InjectSpec("throttle,account=" + ProdAccountID)
	if err != nil || id < 1 {
		t.Fatalf("InjectSpec: %d %v", id, err)
	}
	if list := s.faults.snapshot(); len(list) != 1 || list[0].Account != ProdAccountID {
		t.Errorf("injected: %+v", list)
	}
}

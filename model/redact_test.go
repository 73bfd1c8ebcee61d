package model

import (
	"strings"
	"testing"
)

func TestMaskAccountID(t *testing.T) {
	cases := []struct{ in, want string }{
		{"111122223333", "1111••••3333"},
		{"000000000000", "0000••••0000"},
		{"11112222333", "11112222333"},     // 11 digits: not an account ID
		{"1111222233334", "1111222233334"}, // 13
		{"11112222333a", "11112222333a"},
		{"１１１１２２２２３３３３", "１１１１２２２２３３３３"}, // fullwidth digits are not ASCII digits
		{"", ""},
	}
	for _, tc := range cases {
		if got := MaskAccountID(tc.in); got != tc.want {
			t.Errorf("MaskAccountID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMaskIP(t *testing.T) {
	cases := []struct {
		in, want string
		public   bool
	}{
		{"203.0.113.10", "203.0.•.•", true}, // documentation range: stands for public
		{"3.3.3.1", "3.3.•.•", true},
		{"52.94.236.248", "52.94.•.•", true},
		{"198.51.100.20", "198.51.•.•", true},
		{"10.0.3.45", "10.0.3.45", false},   // RFC 1918
		{"172.16.0.1", "172.16.0.1", false}, // RFC 1918
		{"172.32.0.1", "172.32.•.•", true},  // just outside 172.16/12
		{"192.168.1.1", "192.168.1.1", false},
		{"100.64.0.9", "100.64.0.9", false}, // CGNAT
		{"100.128.0.9", "100.128.•.•", true},
		{"127.0.0.1", "127.0.0.1", false},
		{"169.254.169.254", "169.254.169.254", false}, // link-local (the metadata service)
		{"0.0.0.0", "0.0.0.0", false},
		{"224.0.0.1", "224.0.0.1", false},   // multicast: nobody's address
		{"::ffff:3.3.3.1", "3.3.•.•", true}, // mapped IPv4
		{"2600:1f18:abcd::1", "2600:1f18:•", true},
		{"fd00::1", "fd00::1", false}, // unique local
		{"fe80::1", "fe80::1", false},
		{"3.3.3", "3.3.3", false},
		{"3.3.3.256", "3.3.3.256", false},
		{"i-0abc", "i-0abc", false},
		{"", "", false},
	}
	for _, tc := range cases {
		if got := MaskIP(tc.in); got != tc.want {
			t.Errorf("MaskIP(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := IsPublicIP(tc.in); got != tc.public {
			t.Errorf("IsPublicIP(%q) = %v, want %v", tc.in, got, tc.public)
		}
	}
}

func TestMaskName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"a", "•••"},
		{"al", "•••"},
		{"bob", "b•••"},
		{"alice", "a•••"},
		{"oncall", "on•••"},
		{"jane.doe@example.com", "ja•••"},
		{"émilie", "ém•••"}, // runes, not bytes
		{"al•••", "al•••"},  // masked already
	}
	for _, tc := range cases {
		if got := MaskName(tc.in); got != tc.want {
			t.Errorf("MaskName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMaskARN(t *testing.T) {
	cases := []struct{ in, want string }{
		{"arn:aws:iam::111122223333:user/oncall", "arn:aws:iam::1111••••3333:user/on•••"},
		{"arn:aws:iam::111122223333:user/ops/team/alice", "arn:aws:iam::1111••••3333:user/ops/team/a•••"},
		{"arn:aws:iam::111122223333:root", "arn:aws:iam::1111••••3333:root"},
		{"arn:aws:iam::111122223333:role/Deploy", "arn:aws:iam::1111••••3333:role/Deploy"},
		{"arn:aws:sts::111122223333:assumed-role/Deploy/ci-42", "arn:aws:sts::1111••••3333:assumed-role/Deploy/c•••"},
		{"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0f1e2d3c4b5a6978/jane@example.com",
			"arn:aws:sts::1111••••3333:assumed-role/AWSReservedSSO_Admin_0f1e2d3c4b5a6978/ja•••"},
		{"arn:aws:sts::111122223333:federated-user/bob", "arn:aws:sts::1111••••3333:federated-user/b•••"},
		{"arn:aws:ec2:us-east-1:111122223333:instance/i-0abc", "arn:aws:ec2:us-east-1:1111••••3333:instance/i-0abc"},
		{"arn:aws:s3:::logs-111122223333", "arn:aws:s3:::logs-1111••••3333"}, // the account in a bucket's name
		{"arn:aws-cn:iam::111122223333:user/li", "arn:aws-cn:iam::1111••••3333:user/•••"},
		{"arn:aws:iam::111122223333", "arn:aws:iam::111122223333"}, // not an ARN: five fields
		{"urn:aws:iam::111122223333:user/x", "urn:aws:iam::111122223333:user/x"},
	}
	for _, tc := range cases {
		if got := MaskARN(tc.in); got != tc.want {
			t.Errorf("MaskARN(%q)\n = %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"nothing to hide", "nothing to hide"},
		{"account 111122223333", "account 1111••••3333"},
		{"acme-prod (111122223333)", "acme-prod (1111••••3333)"},
		{"EIP 203.0.113.10 moved from blue to green", "EIP 203.0.•.• moved from blue to green"},
		{"release EIP 3.3.3.1.", "release EIP 3.3.•.•."}, // the full stop stays
		{"3.3.3.1, 3.3.3.2 and 10.0.1.5", "3.3.•.•, 3.3.•.• and 10.0.1.5"},
		{"203.0.113.0/24", "203.0.•.•/24"},
		{"203.0.113.10:443", "203.0.•.•:443"},
		{"subnet 10.0.1.0/24 has 3 free", "subnet 10.0.1.0/24 has 3 free"},
		{"User: arn:aws:sts::111122223333:assumed-role/Deploy/alice.smith is not authorized to perform: ec2:TerminateInstances on resource: arn:aws:ec2:us-east-1:111122223333:instance/i-0abc.",
			"User: arn:aws:sts::1111••••3333:assumed-role/Deploy/al••• is not authorized to perform: ec2:TerminateInstances on resource: arn:aws:ec2:us-east-1:1111••••3333:instance/i-0abc."},
		{`"arn:aws:iam::111122223333:user/bob"`, `"arn:aws:iam::1111••••3333:user/b•••"`},
		// Not account IDs or addresses: part of longer words, or other lengths.
		{"i-011111111111100 vol-111111111111abc", "i-011111111111100 vol-111111111111abc"},
		{"abc111122223333", "abc111122223333"},
		{"1111222233334", "1111222233334"},
		{"v1.2.3.4", "v1.2.3.4"},
		{"1.2.3.4.5", "1.2.3.4.5"},
		{"warn: 3 instances", "warn: 3 instances"},
		{"learn:arn:aws:iam::111122223333:root", "learn:arn:aws:iam::1111••••3333:root"}, // "learn:" is not an ARN, what follows is
		{"took 1.5s, 12 calls", "took 1.5s, 12 calls"},
		{"eipalloc-00000000000000001", "eipalloc-00000000000000001"},
		{"bucket logs-111122223333", "bucket logs-1111••••3333"},
		{"(request 51a00000-0000-4000-8000-000000000001)", "(request 51a00000-0000-4000-8000-000000000001)"}, // a UUID's tail
		{"x51a00000-0000-4000-8000-000000000001", "x51a00000-0000-4000-8000-0000••••0001"},                   // not a UUID: nine digits first
		{"a-b-c-d-111122223333", "a-b-c-d-1111••••3333"},
	}
	for _, tc := range cases {
		got := Redact(tc.in)
		if got != tc.want {
			t.Errorf("Redact(%q)\n = %q\nwant %q", tc.in, got, tc.want)
		}
		if again := Redact(got); again != got {
			t.Errorf("Redact is not idempotent on %q: %q", got, again)
		}
	}
}

// The demo world's secrets never survive Redact, wherever they sit in a
// line.
func TestRedactLeavesNoDemoSecret(t *testing.T) {
	secrets := []string{"111111111111", "222222222222", "203.0.113.10", "198.51.100.20", "192.0.2.21"}
	for _, s := range secrets {
		for _, line := range []string{s, "x " + s, s + " x", "(" + s + ")", s + ".", s + ",", "[" + s + "]", "=" + s, "/" + s, s + "…"} {
			if got := Redact(line); strings.Contains(got, s) {
				t.Errorf("Redact(%q) = %q", line, got)
			}
		}
	}
}

package tui

import (
	"testing"
	"time"
)

func TestPrincipal(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::111111111111:user/oncall":                                        "user/oncall",
		"arn:aws:iam::111111111111:user/ops/oncall":                                    "user/oncall",
		"arn:aws:iam::111111111111:root":                                               "ROOT USER",
		"arn:aws:sts::111111111111:assumed-role/Deploy/ci-42":                          "role/Deploy (ci-42)",
		"arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_ReadOnly_0f1e2d3c/jane": "SSO ReadOnly (jane)",
		"arn:aws:sts::111111111111:federated-user/bob":                                 "federated/bob",
		"arn:aws-us-gov:iam::111111111111:user/x":                                      "user/x",
		"not an arn": "not an arn",
	} {
		if got := principal(arn); got != want {
			t.Errorf("principal(%q) = %q, want %q", arn, got, want)
		}
	}
}

func TestAges(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                   "now",
		42 * time.Second:    "42s",
		12 * time.Minute:    "12m",
		3 * time.Hour:       "3h",
		41 * 24 * time.Hour: "41d",
	} {
		if got := ago(t0, t0.Add(-d)); got != want {
			t.Errorf("ago(%v) = %q, want %q", d, got, want)
		}
	}
	if ago(t0, time.Time{}) != "" {
		t.Error("a zero launch time should show nothing")
	}
	for d, want := range map[time.Duration]string{
		3 * time.Second:             "updated 3s ago",
		65 * time.Second:            "updated 1m5s ago",
		2*time.Hour + 5*time.Minute: "updated 2h5m ago",
		72 * time.Hour:              "updated 3d ago",
		-time.Second:                "updated 0s ago",
	} {
		if got := age(d); got != want {
			t.Errorf("age(%v) = %q, want %q", d, got, want)
		}
	}
}

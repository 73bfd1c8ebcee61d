package tui

import (
	"strconv"
	"strings"
	"time"
)

// ago is a short relative age: "now", "42s", "12m", "3h", "41d". Launch
// times read best as ages during an incident: the new cluster is minutes
// old, the old one weeks.
func ago(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	switch {
	case d < time.Second:
		return "now"
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	default:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
}

// principal turns a caller ARN into what an operator recognises:
//
//	arn:aws:iam::1:user/ops/oncall                      → user/oncall
//	arn:aws:iam::1:root                                 → ROOT USER
//	arn:aws:sts::1:assumed-role/Deploy/ci-42            → role/Deploy (ci-42)
//	arn:aws:sts::1:assumed-role/AWSReservedSSO_Admin_0f1e/jane@x → SSO Admin (jane@x)
//	arn:aws:sts::1:federated-user/bob                   → federated/bob
//
// Anything else is shown as the part after the account, unparsed.
func principal(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return arn
	}
	res := parts[5]
	kind, rest, _ := strings.Cut(res, "/")
	switch kind {
	case "root":
		return "ROOT USER"
	case "user":
		return "user/" + lastSegment(rest)
	case "assumed-role":
		role, session, _ := strings.Cut(rest, "/")
		if sso, ok := strings.CutPrefix(role, "AWSReservedSSO_"); ok {
			// AWSReservedSSO_<PermissionSet>_<16 hex>
			if i := strings.LastIndexByte(sso, '_'); i > 0 {
				sso = sso[:i]
			}
			return "SSO " + sso + " (" + session + ")"
		}
		if session == "" {
			return "role/" + role
		}
		return "role/" + role + " (" + session + ")"
	case "federated-user":
		return "federated/" + rest
	}
	return res
}

func lastSegment(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// age is the banner's "updated 3s ago".
func age(d time.Duration) string {
	d = d.Round(time.Second) // as model.Assess rounds, so the two agree
	switch {
	case d < 0:
		d = 0
	case d >= 48*time.Hour:
		return "updated " + strconv.Itoa(int(d/(24*time.Hour))) + "d ago"
	}
	switch {
	case d < time.Minute:
		return "updated " + strconv.Itoa(int(d/time.Second)) + "s ago"
	case d < time.Hour:
		return "updated " + strconv.Itoa(int(d/time.Minute)) + "m" + strconv.Itoa(int(d%time.Minute/time.Second)) + "s ago"
	default:
		return "updated " + strconv.Itoa(int(d/time.Hour)) + "h" + strconv.Itoa(int(d%time.Hour/time.Minute)) + "m ago"
	}
}

// every is "every 5s" for the refresh interval.
func every(d time.Duration) string {
	if d%time.Second == 0 {
		return "every " + strconv.Itoa(int(d/time.Second)) + "s"
	}
	return "every " + d.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

// clockTime is a time of day with its zone: "14:03:46 UTC", or in zone
// (nil: UTC) "16:03:46 CEST". A time without its zone is misread as
// soon as it is pasted into a channel read across time zones, or
// compared with the audit log and `airlock status`, which are in UTC.
func clockTime(t time.Time, zone *time.Location) string {
	if zone == nil {
		return t.UTC().Format("15:04:05") + " UTC"
	}
	return t.In(zone).Format("15:04:05 MST")
}

// fullTime is a date and time with its zone, for an event shown whole.
func fullTime(t time.Time, zone *time.Location) string {
	if zone == nil {
		return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
	}
	return t.In(zone).Format("2006-01-02 15:04:05 MST")
}

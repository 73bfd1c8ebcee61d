package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/airlock-ops/airlock/model"
)

var lineNow = time.Date(2026, 11, 22, 14, 3, 41, 0, time.UTC)

func glance(mut func(*model.Snapshot)) model.Snapshot {
	s := model.Snapshot{
		Region: "us-east-1", FetchedAt: lineNow.Add(-2 * time.Second),
		Identity: model.Identity{AccountID: "111111111111", ARN: "arn:aws:iam::111111111111:user/oncall", Alias: "acme-prod"},
		Instances: []model.Instance{
			{ID: "i-b1", State: model.StateRunning, Tags: model.TagsOf(map[string]string{"Cluster": "blue"})},
			{ID: "i-g1", State: model.StateRunning, Tags: model.TagsOf(map[string]string{"Cluster": "green"})},
		},
		Addresses: []model.Address{{AllocationID: "eipalloc-1", PublicIP: "3.3.3.1", InstanceID: "i-b1", AssociationID: "a-1"}},
		Sections: map[model.Section]model.SectionResult{
			model.SectionIdentity: {Complete: true}, model.SectionAddresses: {Complete: true}, model.SectionHolders: {Complete: true},
		},
	}
	if mut != nil {
		mut(&s)
	}
	return s
}

func fail(s *model.Snapshot, sec model.Section, err error) {
	s.Sections[sec] = model.SectionResult{Err: err}
}

// Each fact the line carries, and each way of not knowing it.
func TestStatusLineWords(t *testing.T) {
	throttled := &smithy.GenericAPIError{Code: "RequestLimitExceeded", Message: "Request limit exceeded."}
	tests := []struct {
		name string
		snap model.Snapshot
		want string
	}{
		{"complete", glance(nil), "PRODUCTION acme-prod 111111111111 us-east-1 LIVE blue 2s"},
		{"two live", glance(func(s *model.Snapshot) {
			s.Addresses = append(s.Addresses, model.Address{AllocationID: "eipalloc-2", PublicIP: "3.3.3.2", InstanceID: "i-g1"})
		}), "PRODUCTION acme-prod 111111111111 us-east-1 LIVE blue,green 2s"},
		{"none live, known", glance(func(s *model.Snapshot) { s.Addresses = nil }),
			"PRODUCTION acme-prod 111111111111 us-east-1 LIVE none 2s"},
		{"addresses failed", glance(func(s *model.Snapshot) {
			s.Addresses = nil
			fail(s, model.SectionAddresses, errors.New("access denied"))
			fail(s, model.SectionHolders, errors.New("access denied"))
		}), "PRODUCTION acme-prod 111111111111 us-east-1 LIVE ? 2s"},
		{"holders failed", glance(func(s *model.Snapshot) {
			s.Instances = nil
			fail(s, model.SectionHolders, errors.New("timeout"))
		}), "PRODUCTION acme-prod 111111111111 us-east-1 LIVE ? 2s"},
		{"alias unreadable", glance(func(s *model.Snapshot) { s.Identity.Alias, s.Identity.AliasError = "", "AccessDenied" }),
			"UNKNOWN ACCOUNT 111111111111 alias unreadable us-east-1 LIVE blue 2s"},
		{"no alias", glance(func(s *model.Snapshot) { s.Identity.Alias = "" }),
			"UNKNOWN ACCOUNT 111111111111 us-east-1 LIVE blue 2s"},
		{"unconfirmed", glance(func(s *model.Snapshot) {
			s.Identity = model.Identity{}
			fail(s, model.SectionIdentity, errors.New("expired"))
		}), "ACCOUNT UNCONFIRMED AWS call failed: expired"},
		{"throttled", glance(func(s *model.Snapshot) {
			s.Addresses = nil
			fail(s, model.SectionAddresses, throttled)
			fail(s, model.SectionHolders, throttled)
		}), "PRODUCTION acme-prod 111111111111 us-east-1 LIVE ? 2s THROTTLED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lineOf(tt.snap, "").plain(lineNow); got != tt.want {
				t.Errorf("\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The last complete answer stands in, marked STALE with its age, only
// for the same account and region; never for another account.
func TestStatusLineFallsBackToTheLastAnswer(t *testing.T) {
	prev := lineOf(glance(nil), "")
	prev.FetchedAt = lineNow.Add(-4 * time.Minute)
	denied := glance(func(s *model.Snapshot) {
		s.Addresses = nil
		fail(s, model.SectionAddresses, errors.New("denied"))
		fail(s, model.SectionHolders, errors.New("denied"))
	})

	l := lineOf(denied, "").withEarlier(prev)
	if got, want := l.plain(lineNow), "PRODUCTION acme-prod 111111111111 us-east-1 LIVE blue STALE 4m"; got != want {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
	if l.complete() {
		t.Error("a stale line counts as complete")
	}

	other := prev
	other.AccountID = "222222222222"
	if got := lineOf(denied, "").withEarlier(other).plain(lineNow); !strings.Contains(got, "LIVE ?") {
		t.Errorf("another account's answer was used: %q", got)
	}

	unconfirmed := glance(func(s *model.Snapshot) {
		s.Identity = model.Identity{}
		fail(s, model.SectionIdentity, errors.New("ExpiredToken"))
	})
	if got, want := lineOf(unconfirmed, "").withEarlier(prev).plain(lineNow), "PRODUCTION acme-prod 111111111111 us-east-1 LIVE blue STALE 4m"; got != want {
		t.Errorf("unconfirmed, with an earlier answer:\n got %q\nwant %q", got, want)
	}
}

// A tag or alias is text from AWS: in tmux's format "#[" is a style, so
// every "#" is doubled and a name cannot restyle the status line.
func TestStatusLineTmuxEscapesNames(t *testing.T) {
	s := glance(func(s *model.Snapshot) {
		s.Instances[0].Tags = s.Instances[0].Tags.With("Cluster", "blue#[fg=green]#(reboot)")
		s.Identity.Alias = "acme-prod#[bg=green]"
	})
	out := lineOf(s, "").tmux(lineNow, false)
	if !strings.Contains(out, "blue##[fg=green]##(reboot)") || !strings.Contains(out, "acme-prod##[bg=green]") {
		t.Errorf("names not escaped: %q", out)
	}
	// Every "#" from a name is doubled, so the only single "#[" are ours.
	stripped := strings.ReplaceAll(out, "##", "")
	if n := strings.Count(stripped, "#["); n != 4 {
		t.Errorf("%d style codes in %q, want the line's own 4", n, out)
	}

	long := glance(func(s *model.Snapshot) {
		s.Instances[0].Tags = s.Instances[0].Tags.With("Cluster", strings.Repeat("x", 200))
	})
	if got := lineOf(long, "").plain(lineNow); len([]rune(got)) > 100 {
		t.Errorf("a 200-character name makes a %d-character line", len([]rune(got)))
	}
}

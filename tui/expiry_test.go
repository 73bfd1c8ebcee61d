package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
)

// Credentials expire mid-session (the sim's expired-token fault): the
// banner says so with what to run, every action is refused, the loop
// checks only the identity, once per 30 s; lifted, everything resumes.
func TestExpiredCredentialsMidSession(t *testing.T) {
	r := newSimRig(t, "acme-prod", Options{})
	lift := r.sim.Inject(sim.Fault{Kind: sim.FaultExpiredToken})
	r.clock.Advance(5 * time.Second)
	r.fetch()

	line2 := plainLines(r.m.banner.view(200))[1]
	if !strings.HasPrefix(line2, " CREDENTIALS EXPIRED: ") || !strings.Contains(line2, "STALE") {
		t.Errorf("banner line 2: %q", line2)
	}
	if r.m.banner.expired == "" {
		t.Fatal("no renewal hint")
	}
	if feed := r.feedText(); strings.Count(feed, "CREDENTIALS EXPIRED") != 1 || !strings.Contains(feed, "actions refused") {
		t.Errorf("the expiry is not in the feed once:\n%s", feed)
	}
	if r.m.refresh.delay != expiredEvery {
		t.Errorf("next check in %s, want %s", r.m.refresh.delay, expiredEvery)
	}

	r.selectCluster("green")
	r.openMenu()
	for _, it := range r.m.flow.items {
		if it.Available || !slices.ContainsFunc(it.Refusals, func(f model.Refusal) bool { return f.Rule == model.RuleStale }) {
			t.Errorf("%s: available %v, refusals %v; want refused as stale", it.Label, it.Available, it.Refusals)
		}
	}
	r.press("esc")

	r.sim.ResetStats()
	for range 3 {
		r.clock.Advance(r.m.refresh.delay)
		r.fetch()
		if !slices.Equal(r.m.refresh.asked, []model.Section{model.SectionIdentity}) || r.m.refresh.slow.asked != nil && r.m.refresh.slow.inFlight {
			t.Errorf("asked %v while expired, want the identity alone", r.m.refresh.asked)
		}
		if r.m.refresh.delay != expiredEvery {
			t.Errorf("next check in %s, want %s", r.m.refresh.delay, expiredEvery)
		}
	}
	if got := r.sim.Stats(); got["sts:GetCallerIdentity"] != 3 || len(got) != 1 {
		t.Errorf("calls over three 30 s checks: %v, want sts:GetCallerIdentity 3 and nothing else", got)
	}

	lift()
	r.clock.Advance(r.m.refresh.delay)
	r.exec(r.send(r.m.startFetch()()))
	r.until("the full refresh after recovery", func() bool { return !r.m.refresh.busy() })
	if r.m.refresh.expired() != nil || r.m.banner.expired != "" {
		t.Fatal("still expired after the fault was lifted")
	}
	if feed := r.feedText(); strings.Count(feed, "CREDENTIALS EXPIRED") != 1 || !strings.Contains(feed, "credentials valid again") {
		t.Errorf("expiry and recovery are not each in the feed once:\n%s", feed)
	}
	if n := r.calls("ec2:DescribeInstances"); n == 0 {
		t.Error("recovery did not fetch the instance list")
	}
	if line2 := plainLines(r.m.banner.view(200))[1]; strings.Contains(line2, "EXPIRED") || strings.Contains(line2, "STALE") {
		t.Errorf("banner after recovery: %q", line2)
	}
	if !r.m.snap.Identity.AliasKnown() {
		t.Errorf("alias lost after recovery: %+v", r.m.snap.Identity)
	}
	if d := r.m.refresh.next(); d != r.m.refresh.interval {
		t.Errorf("next refresh in %s, want the interval %s", d, r.m.refresh.interval)
	}
}

// The banner counts down to the credentials' expiry: in the status text
// when far off, as an amber badge under 15 minutes, not at all when they
// cannot expire.
func TestBannerCredentialsCountdown(t *testing.T) {
	st := newStyles(themes.New(themes.Default, true))
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		left  time.Duration // 0: cannot expire
		want  string
		amber bool
	}{
		{0, "", false},
		{2*time.Hour + 5*time.Minute + 30*time.Second, "credentials expire in 2h05m", false},
		{15 * time.Minute, "credentials expire in 15m", false},
		{12*time.Minute + 59*time.Second, "credentials expire in 12m", true},
		{30 * time.Second, "credentials expire in <1m", true},
	} {
		b := newBanner(&st, Options{Region: "eu-west-1"})
		b.identity = model.Identity{AccountID: "111111111111", Alias: "acme-prod"}
		b.env, b.interval, b.now = model.EnvProduction, 5*time.Second, now
		if tc.left > 0 {
			b.identity.CredentialsExpire = now.Add(tc.left)
		}
		out := b.view(120)
		line2 := plainLines(out)[1]
		switch {
		case tc.want == "" && strings.Contains(line2, "credentials"):
			t.Errorf("cannot expire: %q", line2)
		case tc.want != "" && !strings.Contains(line2, tc.want):
			t.Errorf("%s left: %q, want %q", tc.left, line2, tc.want)
		}
		if got := strings.Contains(out, st.ink.Paused.render(" "+tc.want+" ")); tc.want != "" && got != tc.amber {
			t.Errorf("%s left: amber badge %v, want %v", tc.left, got, tc.amber)
		}
	}
}

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
)

// "airlock status --line" is one short line for tmux's status-right, run
// by tmux every status-interval in every session:
//
//	PRODUCTION acme-prod 111111111111 us-east-1 LIVE blue 0s
//	STAGING acme-staging 222222222222 us-east-1 LIVE ? THROTTLED 0s
//	PRODUCTION acme-prod 111111111111 us-east-1 LIVE blue STALE 4m THROTTLED
//
// It costs one Glance (identity, DescribeAddresses, the holders by ID),
// never the fleet. The age is that of the LIVE answer: 0s when fetched
// now. When the EIPs cannot be fetched now, the last complete answer for
// the same profile and account (kept under $XDG_STATE_HOME/airlock/
// status-line/) is shown as STALE with its age; without one, LIVE is "?".
// Unknown is never "none".

// lineMaxName caps a cluster's name on the line: a tag may be 256
// characters and a status line has a few dozen.
const lineMaxName = 24

// statusLine is what the line says. The JSON fields are the cache.
type statusLine struct {
	AccountID string    `json:"account_id"`
	Alias     string    `json:"alias"`
	AliasErr  string    `json:"-"`
	Region    string    `json:"region"`
	Live      []string  `json:"live"` // display names of the clusters holding EIPs
	FetchedAt time.Time `json:"fetched_at"`

	liveKnown   bool
	stale       bool   // Live and FetchedAt come from an earlier answer
	throttled   bool   // a call was still throttled after the SDK's retries
	unconfirmed string // why STS did not confirm the account; "" when it did
	conf        model.Config
}

// identity is the account the line is about, as the configuration sees it.
func (l statusLine) identity() model.Identity {
	return model.Identity{AccountID: l.AccountID, Alias: l.Alias, AliasError: l.AliasErr}
}

func runStatusLine(ctx context.Context, c *awsstate.Client, af awsFlags, conf model.Config, tmux bool, stdout, stderr io.Writer) error {
	snap := c.Glance(ctx)
	cache := lineCachePath(af)
	l := lineOf(snap, af.clusterTag)
	if l.complete() {
		saveLine(cache, l)
	} else if prev, ok := loadLine(cache); ok {
		l = l.withEarlier(prev)
	}
	l.conf = conf
	now := time.Now()
	if tmux {
		fmt.Fprintln(stdout, l.tmux(now, monochrome()))
	} else {
		fmt.Fprintln(stdout, l.plain(now))
	}
	switch {
	case l.unconfirmed != "":
		fmt.Fprintf(stderr, "airlock: cannot confirm the account: %s\n", l.unconfirmed)
		return exitError{code: statusCouldNot}
	case !l.complete():
		return exitError{code: statusIncomplete}
	}
	return nil
}

// lineOf reads a glance. The LIVE clusters are known only when both the
// addresses and their holders are: an EIP on an instance that could not
// be fetched may be on any cluster.
func lineOf(s model.Snapshot, tagKey string) statusLine {
	l := statusLine{
		AccountID: s.Identity.AccountID,
		Alias:     s.Identity.Alias,
		AliasErr:  s.Identity.AliasError,
		Region:    s.Region,
		FetchedAt: s.FetchedAt,
		liveKnown: s.Known(model.SectionAddresses) && s.Known(model.SectionHolders),
	}
	if !s.Identity.Confirmed() {
		l.unconfirmed = reasonOr(s.Sections[model.SectionIdentity].Err, "no answer from STS")
	}
	for _, r := range s.Sections {
		l.throttled = l.throttled || awsstate.KindOf(r.Err) == awsstate.KindThrottled
	}
	if l.liveKnown {
		l.Live = []string{}
		for _, c := range model.Analyze(s, tagKey).Clusters {
			if c.Liveness == model.IsLive {
				l.Live = append(l.Live, c.Display)
			}
		}
	}
	return l
}

func reasonOr(err error, otherwise string) string {
	if err == nil {
		return otherwise
	}
	return awsstate.ShortReason(err)
}

// complete reports whether the line is all news: the account confirmed,
// its name read, and the LIVE clusters known now.
func (l statusLine) complete() bool {
	return l.unconfirmed == "" && l.AliasErr == "" && l.liveKnown && !l.stale
}

// withEarlier fills what this answer lacks from an earlier complete one
// of the same account: the LIVE clusters then, marked STALE with their
// age. An account STS does not confirm now is shown as it was confirmed
// then, also STALE; one that STS says is another account is not mixed
// with the old answer.
func (l statusLine) withEarlier(prev statusLine) statusLine {
	switch {
	case l.liveKnown && l.unconfirmed == "":
		return l // only the alias is missing: nothing older improves it
	case l.unconfirmed != "":
		prev.stale, prev.liveKnown = true, true
		prev.throttled, prev.unconfirmed = l.throttled, l.unconfirmed
		return prev
	case prev.AccountID != l.AccountID || prev.Region != l.Region:
		return l
	}
	l.Live, l.FetchedAt = prev.Live, prev.FetchedAt
	l.liveKnown, l.stale = true, true
	return l
}

// segment is a piece of the line and how tmux should draw it.
type segment struct {
	text string
	role int
}

const (
	roleBar   = iota // in the environment's bar colours
	roleLabel        // the environment's word, bold
	roleAlert        // STALE, THROTTLED: as the banner's STALE badge
)

func (l statusLine) env() model.Environment {
	env, _ := l.conf.EnvironmentOf(l.identity())
	return env
}

func (l statusLine) segments(now time.Time) []segment {
	if l.AccountID == "" {
		return []segment{{" ACCOUNT UNCONFIRMED ", roleLabel}, {" " + l.unconfirmed + " ", roleBar}}
	}
	account := l.AccountID
	switch a, named := l.conf.Account(l.AccountID); {
	case named && a.Name != "":
		account = model.Display(a.Name) + " " + l.AccountID
	case l.AliasErr != "":
		account = l.AccountID + " alias unreadable"
	case l.Alias != "":
		account = l.Alias + " " + l.AccountID
	}
	live := "?"
	if l.liveKnown {
		names := make([]string, len(l.Live))
		for i, n := range l.Live {
			names[i] = shorten(n, lineMaxName)
		}
		live = strings.Join(names, ",")
		if live == "" {
			live = "none"
		}
	}
	segs := []segment{
		{" " + l.env().Label() + " ", roleLabel},
		{" " + account + " " + l.Region + " LIVE " + live + " ", roleBar},
	}
	age := lineAge(now.Sub(l.FetchedAt))
	if l.stale {
		segs = append(segs, segment{" STALE " + age + " ", roleAlert})
	} else {
		segs = append(segs, segment{age + " ", roleBar})
	}
	if l.throttled {
		segs = append(segs, segment{" THROTTLED ", roleAlert})
	}
	return segs
}

// plain is the line as text, for any status bar.
func (l statusLine) plain(now time.Time) string {
	segs := l.segments(now)
	parts := make([]string, len(segs))
	for i, s := range segs {
		parts[i] = strings.TrimSpace(s.text)
	}
	return strings.Join(parts, " ")
}

// tmux is the line with tmux's style codes (#[fg=...,bg=...]) in the
// environment's colours from the default theme, or reverse video and bold
// under NO_COLOR. Text is escaped for tmux: its status line draws "#[" as
// a style and collapses "##" into "#" (tmux format-draw.c, "Handle
// sequences of #"), so every "#" of a name or alias is doubled and a tag
// cannot restyle the line.
func (l statusLine) tmux(now time.Time, mono bool) string {
	th := themes.New(themes.Default, true)
	es := th.Env(themeEnvOf(l.env()))
	styles := map[int]string{
		roleBar:   tmuxStyle(es.Bar, false),
		roleLabel: tmuxStyle(es.Label, true),
		roleAlert: tmuxStyle(th.Stale, true),
	}
	if mono {
		styles = map[int]string{roleBar: "#[reverse,nobold]", roleLabel: "#[reverse,bold]", roleAlert: "#[noreverse,bold,underscore]"}
	}
	var b strings.Builder
	for _, s := range l.segments(now) {
		b.WriteString(styles[s.role])
		b.WriteString(strings.ReplaceAll(s.text, "#", "##"))
	}
	b.WriteString("#[default]")
	return b.String()
}

// tmuxStyle writes a lipgloss style's colours as tmux's #[fg=#rrggbb,...].
func tmuxStyle(st lipgloss.Style, bold bool) string {
	attrs := []string{"default"}
	if fg := hexColour(st.GetForeground()); fg != "" {
		attrs = append(attrs, "fg="+fg)
	}
	if bg := hexColour(st.GetBackground()); bg != "" {
		attrs = append(attrs, "bg="+bg)
	}
	if bold {
		attrs = append(attrs, "bold")
	}
	return "#[" + strings.Join(attrs, ",") + "]"
}

func hexColour(c color.Color) string {
	if c == nil {
		return ""
	}
	if _, none := c.(lipgloss.NoColor); none {
		return ""
	}
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

// themeEnvOf maps the model's environment to the theme's; anything else
// is unknown, which is drawn as production.
func themeEnvOf(e model.Environment) themes.Env {
	switch e {
	case model.EnvProduction:
		return themes.EnvProduction
	case model.EnvStaging:
		return themes.EnvStaging
	case model.EnvDevelopment:
		return themes.EnvDevelopment
	}
	return themes.EnvUnknown
}

// shorten cuts s to n runes, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// lineAge is "0s", "42s", "12m", "3h", "2d".
func lineAge(d time.Duration) string {
	d = max(d, 0)
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d"
}

// lineCachePath is where the last complete answer for these flags is
// kept: one small file per profile, region, endpoint and cluster tag.
// "" when there is no state directory.
func lineCachePath(af awsFlags) string {
	dir := os.Getenv("XDG_STATE_HOME")
	if !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	key := strings.Join([]string{af.profile, os.Getenv("AWS_PROFILE"), af.region, af.endpoint, af.clusterTag}, "\x00")
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(dir, "airlock", "status-line", hex.EncodeToString(sum[:8])+".json")
}

// saveLine keeps a complete answer. A status line must not fail for its
// cache, so errors are dropped: the next failure then shows "?".
func saveLine(path string, l statusLine) {
	if path == "" {
		return
	}
	data, err := json.Marshal(l)
	if err != nil || os.MkdirAll(filepath.Dir(path), 0o700) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".line-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
	}
}

// loadLine reads the last complete answer, if there is a sound one.
func loadLine(path string) (statusLine, bool) {
	if path == "" {
		return statusLine{}, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return statusLine{}, false
	}
	var l statusLine
	if json.Unmarshal(data, &l) != nil || len(l.AccountID) != 12 || l.FetchedAt.IsZero() || l.Live == nil {
		return statusLine{}, false
	}
	// The file is ours, but it is text that reaches a terminal.
	l.Alias, l.Region = model.Sanitize(l.Alias), model.Sanitize(l.Region)
	for i, n := range l.Live {
		l.Live[i] = model.Sanitize(n)
	}
	l.liveKnown = true
	return l, true
}

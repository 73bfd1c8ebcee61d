package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
)

// bannerRows is the banner's height on every screen. Two full-width
// lines in the environment's colour: big enough to read from across the
// room, small enough for 80x24. With --present (present.go) the banner
// is presentRows tall, for a screen shared with people further away.
const bannerRows = 2

// banner says where the operator is and whether the screen can be
// trusted: account (alias and ID), environment in words and colour,
// region, identity, the age of the data, and PAUSED or STALE when so.
// It is on every screen, including help and the too-small screen,
// because story S3 happened on a screen that did not say which account
// was active.
//
// It never names an account STS has not confirmed: until then it says
// the account is unconfirmed and is drawn as an unknown account, which
// looks like production.
type banner struct {
	st *styles

	identity model.Identity
	idErr    error           // why the identity is not confirmed, if STS failed
	name     string          // the account's configured name, else its alias
	source   model.EnvSource // what decided env
	knows    bool            // a configuration names accounts
	env      model.Environment
	region   string
	profile  string
	readOnly bool
	present  bool // --present: the environment in large letters (present.go)
	redacted bool // this is the masked copy drawn with --redact (mask.go)

	fresh     model.Freshness
	interval  time.Duration
	every     time.Duration // the next refresh's delay: the interval, or longer while throttled
	backoff   time.Duration // next refresh delay after failures, when longer than interval
	slowEvery time.Duration // the instance list's cadence when longer than every; 0 otherwise
	throttled map[string]int
	slow      bool          // a refresh has been running for a while
	took      time.Duration // how long the last good refresh took
	never     bool          // no refresh has fully succeeded yet
	warnings  []string      // sections that failed but do not make the screen stale
	audit     string        // why the audit log cannot be written; "" when it can
	expired   string        // how to renew the credentials, when they have expired; "" otherwise

	now  time.Time      // the model's clock, for the clock at the right
	zone *time.Location // where the clock is shown; nil: UTC
}

func newBanner(st *styles, o Options) *banner {
	return &banner{st: st, region: o.Region, profile: o.Profile, readOnly: o.ReadOnly, env: model.EnvUnknown, zone: o.Zone, present: o.Present}
}

// height is how many lines view draws.
func (b *banner) height() int {
	if b.present {
		return presentRows
	}
	return bannerRows
}

// themeEnv maps the model's environment to the theme's. Anything the
// model does not call production, staging or development is unknown.
func themeEnv(e model.Environment) themes.Env {
	switch e {
	case model.EnvProduction:
		return themes.EnvProduction
	case model.EnvStaging:
		return themes.EnvStaging
	case model.EnvDevelopment:
		return themes.EnvDevelopment
	case model.EnvSandbox:
		return themes.EnvSandbox
	}
	return themes.EnvUnknown
}

// account is "acme-prod 111111111111", or why there is none yet.
func (b *banner) account() string {
	switch {
	case !b.identity.Confirmed() && b.idErr != nil:
		return b.idErr.Error()
	case !b.identity.Confirmed():
		return "waiting for STS"
	case b.source != model.SourceConfig && !b.identity.AliasKnown():
		// Not "no alias": IAM would not say, so the account cannot be
		// placed by its name (and is drawn as unknown).
		return b.identity.AccountID + " (alias unreadable: " + b.identity.AliasError + ")"
	}
	name := b.identity.AccountID
	if b.name != "" && b.name != b.identity.AccountID {
		name = b.name + " " + b.identity.AccountID
	}
	return name + b.sourceNote()
}

// sourceNote says what placed the account in its environment, so an
// operator can tell "the config says staging" from "the alias looks like
// staging" and see why an account reads UNKNOWN.
func (b *banner) sourceNote() string {
	switch {
	case b.source == model.SourceConfig:
		return " (config)"
	case b.source == model.SourceAlias:
		return " (alias)"
	case b.source == model.SourceUnknown && b.knows:
		return " (not in config)"
	case b.source == model.SourceUnknown:
		return " (alias unknown)"
	}
	return ""
}

// title is the terminal title: a tmux window list then tells prod from
// staging. It holds only sanitised, STS-confirmed data.
func (b *banner) title() string {
	if b.st.redact && !b.redacted {
		return b.masked().title()
	}
	if !b.identity.Confirmed() {
		return "airlock: account unconfirmed"
	}
	name := b.name
	if name == "" {
		name = b.identity.AccountID
	}
	return name + " " + b.env.Label() + " - airlock"
}

// view draws the banner in exactly b.height() lines of w cells.
func (b *banner) view(w int) string {
	if b.st.redact && !b.redacted {
		return b.masked().view(w)
	}
	if b.present {
		return b.presentView(w)
	}
	env := themeEnv(b.env)
	bar, lbl := &b.st.ink.EnvBar[env], &b.st.ink.EnvLabel[env]
	var out strings.Builder

	// Line 1: what and where. The label always shows; identity, then
	// region, give way on a narrow screen before the account does.
	word := b.env.Label()
	if !b.identity.Confirmed() {
		word = "ACCOUNT UNCONFIRMED"
	}
	label := " " + word + " "
	if mark := b.st.theme.Env(env).Mark; mark != "" && w >= 40 {
		label = " " + mark + " " + word + " " + mark + " "
	}
	segs := []string{b.account()}
	if b.region != "" {
		segs = append(segs, b.region)
	}
	if b.identity.Confirmed() && b.identity.ARN != "" {
		segs = append(segs, principal(b.identity.ARN))
	} else if !b.identity.Confirmed() && b.profile != "" {
		segs = append(segs, "profile "+b.profile)
	}
	right := ""
	if b.readOnly {
		right = "READ-ONLY "
	}
	room := w - ansi.StringWidth(label) - ansi.StringWidth(right)
	rest := ""
	for len(segs) > 0 {
		rest = "  " + strings.Join(segs, "  ")
		if ansi.StringWidth(rest) <= room || len(segs) == 1 {
			break
		}
		segs = segs[:len(segs)-1]
	}
	if ansi.StringWidth(label) > w {
		label = pad(label, w, false)
	}
	lbl.paint(&out, label)
	if room > 0 {
		bar.paint(&out, pad(rest, room, false)+right)
	}

	out.WriteByte('\n')
	out.WriteString(b.statusLine(w))
	return out.String()
}

// statusLine is the banner's line 2, w cells: can this screen be trusted
// right now. STALE comes first and gives up its reason's tail before
// PAUSED or the age go.
func (b *banner) statusLine(w int) string {
	bar := &b.st.ink.EnvBar[themeEnv(b.env)]
	status := " " + age(b.fresh.Age)
	if b.never {
		status = " no complete refresh yet"
	}
	switch {
	case b.fresh.Paused:
	case b.backoff > b.interval:
		status += ", retrying " + strings.TrimPrefix(every(b.backoff), "every ")
	default:
		status += ", " + every(max(b.every, b.interval))
	}
	// A large fleet's list is fetched less often than the Elastic IPs
	// (model.Cadence): say how often, so its age is no surprise.
	if b.slowEvery > 0 && !b.never {
		status += ", instances " + every(b.slowEvery.Round(time.Second))
	}
	// A large or distant account refreshes slower than the interval; the
	// data's age then reads high while all is well, and this says why.
	if b.took >= slowFetch && !b.never {
		status += ", refresh takes " + b.took.Round(time.Second).String()
	}
	if b.slow {
		status += ", refreshing…"
	}
	if left, ok := b.credentialsLeft(); ok && left >= expiryWarning {
		status += ", credentials expire in " + untilExpiry(left)
	}
	for _, warn := range b.warnings {
		status += "; " + warn
	}
	paused := ""
	if b.fresh.Paused {
		paused = " " + model.WordPaused + " (p resumes) "
		if w < 60 {
			paused = " " + model.WordPaused + " "
		}
	}
	// The clock, at the right: the feed's times and "updated 3s ago"
	// read against it, and a screenshot in a chat says when it was taken.
	clock := ""
	if !b.now.IsZero() && w >= 60 {
		clock = " " + clockTime(b.now, b.zone) + " "
	}
	audit := ""
	if b.audit != "" {
		// Every action is refused until the log takes records again:
		// as loud as STALE, and first, since it decides every action.
		audit = " AUDIT LOG NOT WRITABLE: actions refused "
		if w < 60 {
			audit = " NO AUDIT LOG "
		}
	}
	expired := ""
	if b.expired != "" {
		// Nothing can be trusted or done until the operator renews
		// them: first, in the alarm style, with what to run.
		expired = " CREDENTIALS EXPIRED: " + model.Sanitize(b.expired) + " "
	}
	expiry := b.expiryBadge()
	throttled := b.throttleBadge(w)
	if throttled != "" && ansi.StringWidth(throttled)+1+min(20, ansi.StringWidth(status))+ansi.StringWidth(clock) > w {
		clock = "" // the clock gives way before what is throttled
	}
	stale := ""
	if b.fresh.Stale {
		reason := b.fresh.Reason
		if b.fresh.Paused {
			// The PAUSED badge beside it says so already: one fact,
			// said once (model.Assess words the reason for refusals,
			// which have no badge beside them).
			reason = strings.TrimPrefix(reason, "paused; ")
		}
		if reason == "" {
			reason = "data is old"
		}
		stale = " " + model.WordStale + ": " + reason + " "
		// Leave room for PAUSED, the age and the retry (about 30 cells), but
		// never cut the badge below the word STALE itself.
		room := w - ansi.StringWidth(expired) - ansi.StringWidth(audit) - ansi.StringWidth(paused) - 2 - min(30, ansi.StringWidth(status))
		if ansi.StringWidth(stale) > room-ansi.StringWidth(clock) {
			clock = "" // the clock gives way before why the data is stale
		}
		if ansi.StringWidth(stale) > room {
			stale = ansi.Truncate(stale, max(room-1, 8), "…") + " "
		}
	}
	line := ""
	used := 0
	for _, bd := range []struct {
		text string
		ink  *ink
	}{{expired, &b.st.ink.Stale}, {audit, &b.st.ink.Stale}, {stale, &b.st.ink.Stale}, {paused, &b.st.ink.Paused},
		{expiry, &b.st.ink.Paused}, {throttled, &b.st.ink.Paused}} {
		if bd.text == "" {
			continue
		}
		text := bd.text
		if used+ansi.StringWidth(text) > w {
			text = ansi.Truncate(text, w-used, "…")
		}
		line += bd.ink.render(text)
		used += ansi.StringWidth(text)
		if used < w {
			line += bar.render(" ")
			used++
		}
	}
	if used < w {
		line += bar.render(pad(status, w-used-ansi.StringWidth(clock), false) + clock)
	}
	return line
}

// throttleBadge says that AWS throttled airlock's calls in the last
// minute and that the refresh is slowing down (INCIDENTS.md S5): how
// many calls, and which APIs, busiest first. It is drawn in the banner's
// warning style (PAUSED's amber on black). "" when nothing was
// throttled. On a narrow screen the words give way first, then the APIs
// but the busiest, then the API names, then all but the count.
func (b *banner) throttleBadge(w int) string {
	if len(b.throttled) == 0 {
		return ""
	}
	total := 0
	apis := make([]string, 0, len(b.throttled))
	for api, n := range b.throttled {
		total += n
		apis = append(apis, api)
	}
	slices.SortFunc(apis, func(x, y string) int {
		return cmp.Or(cmp.Compare(b.throttled[y], b.throttled[x]), cmp.Compare(x, y))
	})
	count := "THROTTLED " + strconv.Itoa(total) + "×"
	names := model.Sanitize(strings.Join(apis, ", "))
	first := model.Sanitize(apis[0])
	if len(apis) > 1 {
		first += ", …"
	}
	room := w - 22 // leave the age ("updated 12s ago") its room
	for _, text := range []string{
		" " + count + " in the last minute (" + names + "), backing off ",
		" " + count + " in 1m (" + names + "), backing off ",
		" " + count + " in 1m (" + first + "), backing off ",
		" " + count + " in the last minute, backing off ",
		" " + count + ", backing off ",
	} {
		if ansi.StringWidth(text) <= room {
			return text
		}
	}
	return " " + count + " "
}

// expiryWarning is how close the credentials' expiry must be for the
// countdown to turn into a warning badge: time to renew them before a
// refresh, or an action, fails halfway through an incident.
const expiryWarning = 15 * time.Minute

// credentialsLeft is how long the credentials on screen have left, and
// whether that is known: not when they cannot expire, the SDK does not
// know when, or they have expired already (the EXPIRED badge says so).
func (b *banner) credentialsLeft() (time.Duration, bool) {
	exp := b.identity.CredentialsExpire
	if exp.IsZero() || b.now.IsZero() || b.expired != "" || !b.identity.Confirmed() {
		return 0, false
	}
	return exp.Sub(b.now), true
}

// expiryBadge is the countdown in the warning style when the credentials
// expire within expiryWarning; "" otherwise (the status text counts down
// further off).
func (b *banner) expiryBadge() string {
	left, ok := b.credentialsLeft()
	if !ok || left >= expiryWarning {
		return ""
	}
	if left <= 0 {
		return " credentials expired "
	}
	return " credentials expire in " + untilExpiry(left) + " "
}

// untilExpiry is d in whole minutes, rounded down so the countdown never
// promises time that is not there: "12m", "1h05m", "<1m".
func untilExpiry(d time.Duration) string {
	m := int(d / time.Minute)
	switch {
	case m < 1:
		return "<1m"
	case m < 60:
		return strconv.Itoa(m) + "m"
	}
	mm := strconv.Itoa(m % 60)
	if len(mm) == 1 {
		mm = "0" + mm
	}
	return strconv.Itoa(m/60) + "h" + mm + "m"
}

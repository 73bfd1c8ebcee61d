// Package tui is airlock's dashboard: a bubbletea program that keeps the
// state that matters during a deploy or an incident on screen and fresh.
//
// # What is on screen
//
// The banner (banner.go) is on every screen: account alias and ID, the
// environment in words and colour, region, identity, the age of the
// data, and PAUSED or STALE when the screen must not be trusted as
// current. Below it four panes, one file each: clusters.go (one row per
// cluster, LIVE when it holds Elastic IPs), addresses.go (every Elastic
// IP and where it points), instances.go (the instances of the selected
// cluster) and events.go (what changed between refreshes, newest first;
// enter shows an event whole).
// Those panes are the Fleet page. A page bar under the banner (pages.go)
// switches the body with the number keys: 1 Fleet, 2 Capacity
// (capacity.go: Auto Scaling groups, SHORT, the latest failed activity
// verbatim, the launch preflight; story S4), 3 Network (network.go:
// subnets by zone, free addresses, LOW; story S5), 4 Services
// (services.go: ECS clusters and services, rollouts, deployments and
// events, a vanished service kept listed; story S7). Pages are registered
// in pageRegistry, each made by its maker and fed every world, so adding
// one is a registration and a file; the bar says on every page what
// needs attention on the others ("2 Capacity ▲ 1 SHORT").
// What could not be fetched is never drawn as none: a pane whose section
// failed says "unknown: <reason>", and a cell that cannot be told (LIVE
// without the Elastic IPs, checks without the status checks) reads "?".
// footer.go draws the keys that work here; help.go the full help (`?`).
// The instances pane puts the broken first by default (S6): failed status
// checks, then scheduled events soonest first, in the words of
// model.HardwareWord ("retiring in 3d").
// Over the panes, under the banner: detail.go describes one row in full
// (`d`, or enter on an instance or an Elastic IP), with an instance's or
// a cluster's EBS storage fetched on demand (storage.go: volumes,
// snapshots in progress with rate and estimate, last backups; S6); find.go finds an
// instance by IP, ID or name in any cluster (`f` or `:`). copy.go puts
// the selected ID or IP on the clipboard (`c`, OSC 52); sort.go orders a
// pane (`s`); filter.go matches rows by what they show (`/`).
//
// # Reading the screen
//
// layout.go gives the panes the rows they have data for and the columns
// their natural widths, at every size. A cell too narrow for its text
// loses what tells rows apart last (cut.go): IDs and IPs their middles,
// an owner its cluster name before its instance ID. The cursor is a
// marker in each row's gutter (▶, ▷ in a pane without focus) on a bar
// that keeps every cell's own style, so LIVE and FAILED read the same
// under it. Times carry their zone (UTC unless Options.Zone says
// otherwise), and the words for shared facts come from model/words.go.
//
// # How it stays fresh
//
// refresh.go runs the refresh loop: one fetch per lane at a time through
// Source, every fetch and tick tagged with a generation so a late answer
// is dropped, pausing with `p`, refreshing everything now with `r`,
// backing off after failures and while AWS throttles (the banner says
// THROTTLED, how often and which APIs). With a PlanSource (the real
// client) each section has its own cadence (model.Cadence): the quick
// lane fetches identity and Elastic IPs at every tick, and resolves an
// EIP's holder missing from the instance list by ID; the fleet lane
// fetches the instance list, status checks and subnets (and the Auto
// Scaling data with them) when due, beside it, so LIVE never waits for a
// 50-page list; the services lane fetches ECS, whose calls are paced, so
// the list never waits for it either. After an action each lane is
// fetched whole again as soon as its fetch in flight has answered. What
// a refresh did not
// fetch is kept with its own fetch time (carryOver). A failed section
// keeps its last good data on screen and marks it STALE; so does a
// section older than its own cadence allows (model.Assess), and the
// banner says how often a slow list is fetched. Each answer is derived
// (model.World, model.Diff events) off the Update loop, so Update only
// hands it to the panes; View only draws the rows that fit (table.go),
// so a frame costs the same at 100 instances as at 50,000.
//
// # The airlock
//
// `x` on a row (a cluster, an instance, an Elastic IP, an Auto Scaling
// group on Capacity, an ECS service on Services) opens the action menu
// (actions.go, menu.go; count.go asks for the number a new desired
// capacity or count needs): every action
// that applies, available or refused with the reason (a reason every
// action shares said once, moves to many clusters one line with a
// picker of destinations), from model.Menu,
// worked out by a command off the Update loop from the world on screen
// at x (the keyboard stays live; esc leaves). Picking one asks the Actor to Prepare it against facts fetched that
// moment; confirm.go shows the verdict, the account STS answered for,
// every difference from what the screen showed (those rows highlighted),
// the exact calls, and asks for the phrase in a huh input (exact match
// but for whitespace at the ends, esc cancels, never y/N); only the
// targets' rows scroll, the rest always shows. outcome.go shows what
// Execute did, and a refresh follows. What a check fetched goes on the
// panes at once, paused or not (learn.go), so a refusal that proved the
// screen wrong leaves it right.
//
// # Styles
//
// Colours come from a themes.Theme built when the terminal reports its
// background (Options.Background auto; dark until it answers), or for
// the background Options.Background names; panes get it through their
// constructors and never pick a colour themselves.
//
// # Shared screens
//
// Options.Present (present.go) draws for a screen shared on a call or a
// projector: a three-line banner with the environment in large letters,
// the columns a viewer does not need left out, wider gaps between the
// rest. Options.Redact (mask.go) masks account IDs, public IPs, ARNs and
// the people acting on every screen, as text is drawn; nothing else
// (identity, calls to AWS, the audit log) ever sees a masked value.
package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
)

// Source is what the dashboard needs from AWS; *awsstate.Client
// satisfies it.
type Source interface {
	// Fetch returns one snapshot of the account. It never fails as a
	// whole: each section carries its own error. It must return soon
	// after ctx is cancelled.
	Fetch(ctx context.Context) model.Snapshot
}

// PlanSource is a Source that can fetch only the sections due;
// *awsstate.Client is one. With it the dashboard fetches each section at
// its own cadence (model.Cadence): identity and Elastic IPs at every
// refresh, the instance list as often as its cost allows. A plain Source
// is asked for everything every time.
type PlanSource interface {
	Source
	// FetchPlan returns a snapshot holding the sections p names (and the
	// Elastic IPs' holders p.Known lacks), each with its own error. It
	// must return soon after ctx is cancelled.
	FetchPlan(ctx context.Context, p awsstate.Plan) model.Snapshot
}

// Options configure the dashboard. The zero value is usable.
type Options struct {
	Refresh    time.Duration // between automatic refreshes; default 5s, jittered
	ClusterTag string        // tag that names an instance's cluster; "" → model.DefaultClusterTag
	Profile    string        // shown only until STS confirms the account
	Region     string        // shown until the first snapshot reports its own
	ReadOnly   bool
	Monochrome bool // NO_COLOR set or TERM=dumb: no colour at all
	// Zone is where times are shown (the banner's clock, the feed, the
	// confirmation), always with the zone's name; nil is UTC, as
	// `airlock status` and the audit log write them (time.Local for
	// the operator's own zone).
	Zone *time.Location
	Now  func() time.Time // nil → time.Now (tests inject a fixed clock)

	// Mouse turns on mouse capture (wheel scrolls, click selects). Off
	// by default: while a program captures the mouse, tmux and most SSH
	// terminals cannot select text, and on-call engineers copy IDs
	// into chat that way.
	Mouse bool

	// Theme picks the palette (default, high contrast, colour-blind
	// safe). Monochrome overrides it.
	Theme themes.Kind
	// Present draws for a shared screen (present.go): a taller banner
	// with the environment in large letters, fewer columns, wider gaps.
	// The caller picks the high-contrast theme for it.
	Present bool
	// Redact masks account IDs, public IPs, ARNs and the people acting
	// on every screen (model.Redact), for screen shares and
	// screenshots. Only what is drawn is masked: identity, what is sent
	// to AWS and the audit log keep the real values.
	Redact bool

	// Background is the background the palette is drawn for: the
	// terminal's (auto, the zero value: dark until the terminal answers
	// Init's question), or dark or light whatever the terminal says.
	Background themes.Background
	// FetchTimeout bounds one refresh so a hung call cannot freeze the
	// loop; default 30s. The ECS fetch, paced to its budget, is bounded
	// by each call's timeout instead (refresher.startLane).
	FetchTimeout time.Duration

	// Actor runs the airlock's actions (`x`). nil: src, when it is an
	// Actor too (as *awsstate.Client is); otherwise actions are off.
	Actor Actor
	// ProtectedAccounts (IDs or names) and ProtectedClusters are never
	// changed, whatever is typed.
	ProtectedAccounts []string
	ProtectedClusters []string

	// Config is the operator's configuration file, read by cmd (zero: no file).
	Config model.Config

	// Connect makes the Source for another profile and region, for the
	// profile (P) and region (R) switchers; "" keeps the SDK's choice.
	// It is awsstate.NewConnector with cmd's options: the Source is an
	// *awsstate.Client (an Actor too, with Credentials and Profile). mfa
	// asks for the code of a profile with mfa_serial (awsstate.Profile's
	// MFASerial says which): inside the dashboard the terminal is the
	// dashboard's, so it is the dashboard's own input; nil makes such a
	// profile fail with an error saying nothing can ask. Connect returns
	// when ctx is done. nil: switching is off.
	Connect func(ctx context.Context, profile, region string, mfa awsstate.MFAFunc) (Source, error)
}

const (
	defaultRefresh      = 5 * time.Second
	defaultFetchTimeout = 30 * time.Second
)

func (o Options) withDefaults() Options {
	if o.Refresh <= 0 {
		o.Refresh = defaultRefresh
	}
	if o.ClusterTag == "" {
		o.ClusterTag = model.DefaultClusterTag
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FetchTimeout <= 0 {
		o.FetchTimeout = defaultFetchTimeout
	}
	if o.Monochrome {
		o.Theme = themes.Monochrome
	}
	return o
}

// Run shows the dashboard until the operator quits or ctx is cancelled.
// It returns only after every fetch it started has returned, so no
// goroutine of airlock's outlives it. The error is bubbletea's; when ctx
// was cancelled it wraps ctx.Err().
func Run(ctx context.Context, src Source, o Options) error {
	return run(ctx, src, o)
}

// run is Run with extra program options, so tests can run the whole
// program without a terminal.
func run(ctx context.Context, src Source, o Options, opts ...tea.ProgramOption) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m := New(src, o)
	m.base = ctx
	g := &gate{}
	m.gate = g
	if m.actor != nil {
		// The audit log is checked before the terminal is taken, so the
		// first screen already knows whether actions can be recorded (an
		// x pressed at once is judged on the answer, not on "not checked
		// yet"). It is bounded by the audit timeout; it is not the UI
		// goroutine, which does not exist yet.
		path, note, err := m.actor.CheckAuditLog(ctx)
		m.auditChecked(AuditCheckedMsg{Path: path, Note: note, Err: err})
	}
	// Signals have one owner, the caller, who cancels ctx: bubbletea's own
	// handler, racing the caller for the same signals, deadlocked the
	// program on SIGTERM (it blocks sending QuitMsg while Run shuts down).
	opts = append([]tea.ProgramOption{tea.WithContext(ctx), tea.WithoutSignalHandler()}, opts...)
	_, err := tea.NewProgram(m, opts...).Run()
	cancel()  // stop fetches still running...
	g.close() // ...and wait for them to return
	return err
}

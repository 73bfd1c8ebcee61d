package tui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
)

// paneID names the focusable panes, in tab order (the reading order of
// the screen).
type paneID int

const (
	paneClusters paneID = iota
	paneAddresses
	paneInstances
	paneEvents
	paneCount
)

// noticeFor is how long a footer notice stays.
const noticeFor = 4 * time.Second

// slowFetch is how long a refresh runs before the banner says so.
const slowFetch = 2 * time.Second

// Model is the root of the dashboard. It owns the refresh loop and the
// data, routes keys to the focused pane, and composes the panes' views.
// Use New; the zero value is not usable.
type Model struct {
	src   Source
	actor Actor // nil: actions are off
	opts  Options
	clock func() time.Time
	base  context.Context // parent of every fetch; Run cancels it on exit
	gate  *gate           // lets Run wait for fetches; nil in tests

	st   styles // panes hold a pointer to it, so a rebuild reaches them
	keys keyMap
	lay  layout
	now  time.Time // the model's clock, read in Update; View never reads a clock

	refresh refresher
	snap    model.Snapshot // last snapshot, failed sections carried over
	world   model.World
	have    bool   // at least one snapshot arrived
	applied uint64 // snapshots taken in so far; the basis of the next answer
	// fresh is how far the screen can be trusted, judged from what the
	// refresher knows of each essential section's fetches (its cadence,
	// its last success and how long that took, its last error).
	fresh model.Freshness
	// throttled is what AWS throttled in the last minute, per API, as of
	// the latest answer.
	throttled map[string]int

	recent    *recent
	banner    *banner
	clusters  *clustersPane
	addresses *addressesPane
	instances *instancesPane
	events    *eventsPane
	footer    *footer
	focus     paneID
	pages     []page // the registered pages (pages.go)
	page      int    // the page shown: fleetPage (the panes) or 1 + its index in pages

	audit   auditState  // whether actions can be recorded
	flow    *actionFlow // the airlock, while the operator is in it
	flowGen uint64

	filtering bool
	filterIn  textinput.Model
	showHelp  bool
	help      []string    // the help laid out for the width (help.go)
	helpOff   int         // first help line shown
	detail    *detailView // open over the panes (detail.go), or nil
	find      *findView   // the search (find.go), or nil
	notice    string
	noticeAt  time.Time
	noticeOn  screen // a notice belongs to the screen it was said on

	// storer reads EBS storage on demand (storage.go); nil: the detail
	// view says it cannot. storage is the open view's, storageGen
	// tags its fetches, progress remembers snapshots' progress across
	// fetches for their rate.
	storer     Storer
	storage    *storageState
	storageGen uint64
	progress   model.Progress

	sw switchState // the profile and region pickers (switch.go)
}

// New builds the dashboard over src. Nothing is fetched until the
// program calls Init.
func New(src Source, o Options) *Model {
	o = o.withDefaults()
	m := &Model{
		src:    src,
		opts:   o,
		clock:  o.Now,
		base:   context.Background(),
		keys:   newKeyMap(),
		recent: newRecent(),
		actor:  o.Actor,
	}
	if m.actor == nil {
		m.actor, _ = src.(Actor)
	}
	m.storer, _ = src.(Storer)
	m.now = m.clock()
	// Dark until the terminal says otherwise: most terminals are, and
	// the environment colours are filled bars that read on either.
	m.st = m.newStyles(themes.New(o.Theme, m.choice().Dark(true)))
	m.refresh = refresher{interval: o.Refresh, timeout: o.FetchTimeout}
	m.banner = newBanner(&m.st, o)
	m.banner.interval = o.Refresh
	m.clusters = newClustersPane(&m.st, m.recent)
	m.addresses = newAddressesPane(&m.st, m.recent)
	m.instances = newInstancesPane(&m.st, m.recent)
	m.events = newEventsPane(&m.st, o.Zone)
	m.footer = newFooter(&m.st)
	m.pages = makePages(&m.st, o)
	m.world = model.Analyze(model.Snapshot{}, o.ClusterTag)
	m.instances.show(&m.world, "", m.now)
	m.filterIn = textinput.New()
	m.filterIn.Prompt = "/"
	m.filterIn.CharLimit = 64
	m.restyle()
	m.assess()
	return m
}

// Init asks the terminal for its background colour (to pick the light
// or dark theme), starts the first refresh and the clock.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.startFetch(), ClockCmd(), m.checkAudit())
}

// startFetch starts a refresh of what is due now.
func (m *Model) startFetch() tea.Cmd {
	return m.refresh.start(m.base, m.src, m.clock, m.gate, m.basis(), false)
}

// refreshAll starts a refresh of every section, due or not: the
// operator asked for one (r, resuming), or an action just changed the
// account.
func (m *Model) refreshAll() tea.Cmd {
	return m.refresh.start(m.base, m.src, m.clock, m.gate, m.basis(), true)
}

// basis is what the next answer will be derived against: the screen's
// snapshot and world as they are now. Snapshots and worlds are replaced,
// never changed in place, so the fetch's goroutine may read them.
func (m *Model) basis() basis {
	return basis{seq: m.applied, have: m.have, snap: m.snap, world: m.world, tagKey: m.opts.ClusterTag}
}

// Update handles one message. What costs time in proportion to the
// account happens once per snapshot or keystroke: Analyze and Diff in the
// fetch's goroutine (see derive), sorting and filtering here, so View
// stays cheap.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.relayout()
	if m.notice != "" && m.screen() != m.noticeOn {
		// The screen it was said on has closed: it is about something
		// no longer shown, and must not come back with that screen.
		m.notice = ""
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		if m.formOpen() {
			return m.updateForm(msg)
		}
	case tea.BackgroundColorMsg:
		if dark := m.choice().Dark(msg.IsDark()); m.opts.Theme != themes.Monochrome && dark != m.st.theme.Dark {
			m.st = m.newStyles(themes.New(m.opts.Theme, dark))
			m.restyle()
		}
	case ClockMsg:
		m.now = m.clock()
		m.recent.prune(m.now)
		m.assess()
		return tea.Batch(ClockCmd(), m.auditTick())
	case RefreshTickMsg:
		if m.refresh.tick(msg.Gen) {
			return m.startFetch()
		}
	case FetchedMsg:
		return m.fetched(msg)
	case rederivedMsg:
		if msg.derived.basisSeq != m.applied {
			return rederiveCmd(m.basis(), msg.FetchedMsg, m.gate)
		}
		m.apply(msg.FetchedMsg)
		if m.refresh.startAgain() {
			return m.startFetch()
		}
	case AuditCheckedMsg:
		m.auditChecked(msg)
	case ActionMenuMsg:
		return m.openMenu(msg)
	case MenuBuiltMsg:
		m.menuBuilt(msg)
	case PreparedMsg:
		return m.prepared(msg)
	case ConfirmedMsg:
		return m.execute(msg)
	case CancelledMsg:
		if m.flow != nil && m.flow.gen == msg.Gen {
			m.closeFlow()
		}
	case ExecutedMsg:
		return m.executed(msg)
	case FoundMsg:
		m.found(msg)
	case ProfilesMsg:
		return m.profilesLoaded(msg)
	case SwitchedMsg:
		return m.switched(msg)
	case StorageMsg:
		return m.storageFetched(msg)
	case StorageTickMsg:
		return m.storageTick(msg)
	case DrillMsg:
		m.clusters.selectName(msg.Cluster)
		m.syncInstances()
		m.focus = paneInstances
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.PasteMsg:
		if m.formOpen() {
			return m.updateForm(msg)
		}
		if m.mfaOpen() {
			return m.updateMFA(msg)
		}
		if m.find != nil {
			return m.findPaste(msg)
		}
		if m.filtering {
			return m.filterInput(msg)
		}
	case tea.MouseWheelMsg:
		m.wheel(msg)
	case tea.MouseClickMsg:
		m.click(msg)
	case MFAEnteredMsg:
		return m.mfaAnswered(msg.Gen, true)
	case MFACancelledMsg:
		return m.mfaAnswered(msg.Gen, false)
	default:
		if m.formOpen() {
			return m.updateForm(msg)
		}
		if m.mfaOpen() {
			return m.updateMFA(msg)
		}
		if m.filtering {
			// The filter prompt's cursor blinks through its own messages.
			var cmd tea.Cmd
			m.filterIn, cmd = m.filterIn.Update(msg)
			return cmd
		}
		if m.find != nil {
			var cmd tea.Cmd
			m.find.in, cmd = m.find.in.Update(msg)
			return cmd
		}
	}
	return nil
}

// fetched takes in the answer of a fetch: what it says about each
// section and about throttling at once, its data as soon as it is
// derived against the screen as it is now; the quick lane's answer
// schedules the next refresh.
func (m *Model) fetched(msg FetchedMsg) tea.Cmd {
	l, asked, ok := m.refresh.accept(msg.Gen)
	if !ok {
		return nil // an answer nobody waits for any more
	}
	// The clock, not msg.Finished: deriving a large answer happens
	// after Finished, and the next refresh waits for it too.
	wasExpired := m.refresh.expired() != nil
	m.refresh.record(msg.Snap, asked, msg.Started, m.clock())
	switch expired := m.refresh.expired(); {
	case !wasExpired && expired != nil:
		// In the feed too: the banner says it only while it lasts, and
		// an operator back at the screen should see when it began.
		m.events.add([]entry{{at: msg.Finished, tone: toneBad,
			text: "CREDENTIALS EXPIRED: " + model.Sanitize(awsstate.RenewalHint(m.banner.profile, expired)) + "; actions refused"}})
	case wasExpired && expired == nil:
		// Valid credentials again: everything was checked for nothing
		// but the identity meanwhile, so fetch everything now.
		m.refresh.fetchAgain()
		m.events.add([]entry{{at: msg.Finished, tone: toneGood, text: "credentials valid again: refreshing everything"}})
	}
	if l == laneQuick {
		if m.refresh.failed(asked) {
			m.refresh.failures++
		} else {
			m.refresh.failures = 0
		}
	}
	m.throttled = msg.Snap.Stats.Throttled

	var cmds []tea.Cmd
	if d := msg.derived; m.refresh.planned && m.gate != nil && (d == nil || d.basisSeq != m.applied) {
		// Another lane's answer than the quick one, or one that
		// another lane's answer overtook: derive it against the screen as it is now, off the
		// Update loop (Analyze of a large fleet would stall the
		// keyboard). Only under Run, whose gate waits for it; a test
		// drives Update without goroutines.
		m.now = msg.Finished
		m.updateBanner()
		m.assess()
		cmds = append(cmds, rederiveCmd(m.basis(), msg, m.gate))
	} else {
		m.apply(msg)
	}
	if m.refresh.startAgain() {
		// An action finished while a refresh was running (its answer
		// may predate the action), or another account answered: each
		// lane is fetched whole again once its answer is in, without
		// waiting for the others.
		return tea.Batch(append(cmds, m.startFetch())...)
	}
	if l == laneQuick {
		cmds = append(cmds, m.refresh.schedule())
	}
	return tea.Batch(cmds...)
}

// apply takes in a snapshot: keep what failed from the last one, derive
// the world and what changed, and hand both to the panes. The deriving
// (proportional to the account's size) normally happened already, in the
// fetch's goroutine, against the snapshot on screen when the fetch
// started; if the screen took in anything since, it is done again here.
func (m *Model) apply(msg FetchedMsg) {
	m.now = msg.Finished
	d := msg.derived
	if d == nil || d.basisSeq != m.applied {
		fresh := derive(m.basis(), msg.Snap, msg.Finished)
		d = &fresh
	}
	m.applied++
	next, world := d.snap, d.world

	switch {
	case d.switched:
		// Different credentials answered: nothing on screen is about
		// this account any more. Say so loudly and start over.
		if m.refresh.planned {
			// Only what this answer fetched is of the new account: the
			// other sections are not known for it, and a fetch still in
			// flight may be of either account; fetch everything again.
			m.refresh.forget(msg.Snap.Sections)
			m.refresh.abandon()
			m.refresh.fetchAgain()
		}
		m.events.clear()
		m.recent = m.resetRecent()
		m.events.add([]entry{{at: m.now, tone: toneBad,
			text: "ACCOUNT CHANGED: now " + accountName(next.Identity) + ", was " + accountName(m.snap.Identity)}})
	case m.have:
		es := make([]entry, len(d.events))
		// One refresh's events share a time; Diff lists the most
		// consequential first, and so does the feed.
		for i, e := range d.events {
			es[i] = entryOf(e)
			m.recent.markEvent(e, m.now)
		}
		m.events.add(es)
	}
	m.snap, m.world, m.have = next, world, true

	b := m.banner
	b.identity = next.Identity
	if res, ok := msg.Snap.Sections[model.SectionIdentity]; ok {
		b.idErr = nil
		if !next.Identity.Confirmed() && res.Err != nil {
			b.idErr = res.Err
		}
	}
	// Only what STS confirmed may be placed, by the configuration or,
	// without one, the alias: a profile named "staging" can hold
	// production credentials (S3). model.Config.EnvironmentOf decides.
	b.env, b.source = m.opts.Config.EnvironmentOf(next.Identity)
	b.name = m.opts.Config.AccountName(next.Identity)
	b.knows = m.opts.Config.KnowsAccounts()
	if next.Identity.Confirmed() {
		m.useClusterTag(m.opts.Config.ClusterTagFor(next.Identity.AccountID))
	}
	if next.Region != "" {
		b.region = next.Region
	}
	m.updateBanner()

	m.clusters.setWorld(&m.world)
	m.addresses.setWorld(&m.world)
	m.syncInstances()
	m.setPagesWorld()
	m.refreshDetail()
	m.assess()
}

// updateBanner gives the banner what the refresher knows: sections that
// failed without making the screen stale, how long the next refresh
// waits, what AWS throttled.
func (m *Model) updateBanner() {
	b := m.banner
	b.warnings = b.warnings[:0]
	for _, sec := range []model.Section{model.SectionSubnets, model.SectionStatus} {
		if c := m.refresh.sections[sec]; c != nil && c.err != nil {
			b.warnings = append(b.warnings, sectionLabel(sec)+": "+c.err.Error())
		}
	}
	b.backoff, b.every = 0, m.refresh.next()
	if m.refresh.failures > 0 {
		b.backoff = b.every
	}
	b.slowEvery = 0
	if m.refresh.planned {
		if every := m.refresh.cadence(model.SectionInstances); every > b.every {
			b.slowEvery = every
		}
	}
	b.throttled = m.throttled
	b.expired = ""
	if err := m.refresh.expired(); err != nil {
		b.expired = awsstate.RenewalHint(b.profile, err)
	}
}

// restyle hands the theme to the bubbles components, which keep their own
// copies of styles. The filter's cursor does not blink: a blinking cursor
// redraws the screen twice a second, and airlock stays idle between
// refreshes.
func (m *Model) restyle() {
	th := &m.st.theme
	state := textinput.StyleState{Prompt: th.Filter, Text: th.Filter, Placeholder: th.Faint, Suggestion: th.Faint}
	m.filterIn.SetStyles(textinput.Styles{
		Focused: state,
		Blurred: state,
		Cursor:  textinput.CursorStyle{Color: th.Key.GetForeground(), Shape: tea.CursorBlock},
	})
	m.footer.restyle()
	m.refreshDetail() // its lines carry the old theme's styles
	m.layoutHelp()
}

// newStyles is the styles of th with this dashboard's look and masking.
func (m *Model) newStyles(th themes.Theme) styles {
	s := newStyles(th)
	if m.opts.Present {
		s.look = look{gap: presentGap, present: true}
	}
	s.redact = m.opts.Redact
	return s
}

// choice is the theme the options name.
func (m *Model) choice() themes.Choice {
	return themes.Choice{Kind: m.opts.Theme, Background: m.opts.Background}
}

// resetRecent gives the panes a fresh highlight memory (after an
// account switch, old highlights name things of another account).
func (m *Model) resetRecent() *recent {
	r := newRecent()
	m.clusters.recent, m.addresses.recent, m.instances.recent = r, r, r
	return r
}

func accountName(id model.Identity) string {
	if id.Alias != "" {
		return id.Alias + " (" + id.AccountID + ")"
	}
	return id.AccountID
}

func sectionLabel(s model.Section) string {
	switch s {
	case model.SectionStatus:
		return "status checks"
	}
	return string(s)
}

// assess recomputes how far the screen can be trusted.
func (m *Model) assess() {
	m.fresh = model.Assess(m.now, m.refresh.freshness())
	m.banner.fresh = m.fresh
	m.banner.now = m.now
	// Until every essential section has been fetched whole, there is
	// no complete picture; how long a refresh takes is said of the
	// sections refreshed every interval (a slow instance list has its
	// cadence on the banner instead).
	m.banner.never, m.banner.took = false, 0
	for _, sec := range essential {
		c := m.refresh.sections[sec]
		if c == nil || c.lastOK.IsZero() {
			m.banner.never = true
			continue
		}
		if m.refresh.cadence(sec) <= m.refresh.next() {
			m.banner.took = max(m.banner.took, c.took)
		}
	}
	// A refresh is worth mentioning only when it is slow: saying so
	// every five seconds would make the banner flicker.
	m.banner.slow = m.refresh.inFlight && m.now.Sub(m.refresh.started) >= slowFetch
}

// syncInstances points the instances pane at the cluster under the
// clusters cursor.
func (m *Model) syncInstances() {
	m.instances.show(&m.world, m.clusters.selectedName(), m.now)
}

func (m *Model) resize(w, h int) {
	m.lay.w, m.lay.h = w, h
	m.relayout()
	m.filterIn.SetWidth(max(w-40, 10))
	m.refreshDetail()
	m.layoutHelp()
	if m.find != nil {
		m.find.setRows(m.findRows())
		m.find.in.SetWidth(max(w-10, 10))
	}
}

// relayout fits the panes to the terminal and to how many rows each has
// now: it runs after every message, since a snapshot, a filter or the
// clusters cursor changes what the panes hold. It costs the same at any
// account size.
func (m *Model) relayout() {
	if m.lay.w <= 0 || m.lay.h <= 0 {
		return
	}
	// A margin keeps the clusters pane's last cell off the separator.
	margin := 0
	if m.lay.w >= sideBySide {
		margin = 1
	}
	d := demand{
		clusters: m.clusters.len(), addresses: m.addresses.len(),
		instances: m.instances.len(), events: m.events.len(),
		left:  paneWidths(m.clusters.cols, margin, m.st.look),
		right: paneWidths(m.addresses.cols, 0, m.st.look),
	}
	l := computeLayout(m.lay.w, m.lay.h, m.banner.height(), d)
	if l == m.lay {
		return
	}
	m.lay = l
	if l.tooSmall {
		return
	}
	m.clusters.margin = margin
	m.clusters.setRows(l.clusters.h - tableChrome)
	m.addresses.setRows(l.addresses.h - tableChrome)
	m.instances.setRows(l.instances.h - tableChrome)
	m.events.setRows(l.events.h - feedChrome)
	m.sizePages()
}

func (m *Model) say(notice string) {
	m.notice, m.noticeAt, m.noticeOn = notice, m.now, m.screen()
}

// screen names what fills the body: a notice said on one screen is
// stale on the next ("select a row first" under the help screen), so it
// shows only while its screen does.
type screen int

const (
	screenPanes screen = iota
	screenHelp
	screenEvent
	screenFlow // + the flow's stage: each stage is a screen of its own
)

func (m *Model) screen() screen {
	switch {
	case m.flow != nil:
		return screenFlow + screen(m.flow.stage)
	case m.showHelp:
		return screenHelp
	case m.events.open != nil:
		return screenEvent
	}
	return screenPanes
}

// TagSetter is a Source whose cluster tag can change with the account
// (*awsstate.Client): the actions it prepares group instances by it.
type TagSetter interface{ SetClusterTag(tag string) }

// useClusterTag groups clusters by tag from now on: the configuration can
// give an account a tag of its own, known only once STS has said which
// account this is. The world on screen is analysed again once (this
// happens per account, not per refresh), and an answer in flight, derived
// with the old tag, is derived again when it lands.
func (m *Model) useClusterTag(tag string) {
	if tag == "" || tag == m.opts.ClusterTag {
		return
	}
	m.opts.ClusterTag = tag
	if ts, ok := m.src.(TagSetter); ok {
		ts.SetClusterTag(tag)
	}
	m.world = model.Analyze(m.snap, tag)
	m.applied++
}

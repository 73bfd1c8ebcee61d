package tui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// Switching profile (`P`) and region (`R`) inside the dashboard, through
// Options.Connect. The rule that matters (INCIDENTS.md S3): no row of
// one account is ever drawn under another account's banner. So a switch
// that succeeds empties every pane in the same Update that replaces the
// source, and the banner reads "unconfirmed" until STS answers for the
// new credentials; a switch that fails changes nothing.
//
// Connect runs off the UI goroutine. Each switch has a generation: an
// answer for a switch since abandoned (esc, another switch) is dropped,
// and the client it made is never used.

// connectTimeout bounds one switch: an SSO or assume-role sign-in that
// hangs must not leave the picker waiting forever.
const connectTimeout = 60 * time.Second

// switchKind is what a picker switches.
type switchKind int

const (
	switchProfile switchKind = iota
	switchRegion
)

// switchItem is one row of a picker.
type switchItem struct {
	name    string // the profile or region, raw: what is passed to Connect
	account string // the account the files claim, as the config names it
	env     string // the environment the config gives that account
	mfa     string // the profile's mfa_serial: a code is asked first
	current bool
}

// switcher is the open picker, or the MFA prompt of a chosen profile.
type switcher struct {
	kind    switchKind
	items   []switchItem
	shown   []int // indexes of items the filter keeps
	cur     int   // index into shown
	filter  string
	want    string // the item named on the command line, chosen once the items are read
	loading bool   // the profiles are being read
	err     string // why the list could not be read

	mfaFor  *switchItem // the profile whose MFA code is being typed
	mfaForm *huh.Form   // where it is typed
	code    string
	mfaGen  uint64 // the MFA form's generation: answers of an older one are dropped

	connecting string // "" or what the switch in flight is to
}

// switchState is the model's switching state: the picker, and the switch
// in flight.
type switchState struct {
	open   *switcher
	gen    uint64             // the switch (or profile list) being waited for
	cancel context.CancelFunc // cancels the Connect in flight
}

// ProfilesMsg carries the shared config file's profiles for the picker.
type ProfilesMsg struct {
	Gen      uint64
	Profiles []awsstate.Profile
	Err      error
}

// SwitchedMsg is Connect's answer for switch Gen.
type SwitchedMsg struct {
	Gen             uint64
	Profile, Region string
	Src             Source
	Err             error
}

// openSwitcher opens the profile or region picker.
func (m *Model) openSwitcher(kind switchKind) tea.Cmd {
	if m.opts.Connect == nil {
		m.say("switching needs a connector: this dashboard cannot make clients for other profiles")
		return nil
	}
	m.abandonSwitch()
	s := &switcher{kind: kind}
	m.sw.open = s
	if kind == switchRegion {
		cur := m.banner.region
		regions, err := awsstate.Regions(awsstate.PartitionOf(cur))
		if err != nil {
			s.err = err.Error()
		}
		for _, r := range regions {
			s.items = append(s.items, switchItem{name: r, current: r == cur})
		}
		s.refilter()
		return nil
	}
	s.loading = true
	m.sw.gen++
	gen, g, base := m.sw.gen, m.gate, m.base
	return func() tea.Msg {
		if !g.enter() {
			return nil
		}
		defer g.leave()
		ctx, cancel := context.WithTimeout(base, connectTimeout)
		defer cancel()
		ps, err := awsstate.Profiles(ctx)
		return ProfilesMsg{Gen: gen, Profiles: ps, Err: err}
	}
}

// profilesLoaded fills the profile picker, and chooses the profile the
// command line named, if any.
func (m *Model) profilesLoaded(msg ProfilesMsg) tea.Cmd {
	s := m.sw.open
	if s == nil || s.kind != switchProfile || msg.Gen != m.sw.gen {
		return nil
	}
	s.loading = false
	if msg.Err != nil {
		s.err = awsstate.Explain(msg.Err)
	}
	for _, p := range msg.Profiles {
		it := switchItem{name: p.Name, mfa: p.MFASerial, current: p.Name == m.banner.profile}
		it.account, it.env = m.claimedAccount(p)
		s.items = append(s.items, it)
	}
	s.refilter()
	if s.want != "" {
		return m.chooseWanted()
	}
	return nil
}

// claimedAccount is how the picker places a profile before switching:
// the account its files claim, named and placed by the configuration. It
// is a claim; the banner waits for STS all the same.
func (m *Model) claimedAccount(p awsstate.Profile) (account, env string) {
	if p.Err != nil {
		return "cannot load: " + p.Err.Error(), ""
	}
	if p.AccountID == "" {
		return "account known after sign-in", ""
	}
	if a, ok := m.opts.Config.Account(p.AccountID); ok {
		name := p.AccountID
		if a.Name != "" {
			name = a.Name + " " + p.AccountID
		}
		return name, strings.ToLower(a.Env.Label())
	}
	if m.opts.Config.KnowsAccounts() {
		return p.AccountID, "not in config: treated as production"
	}
	return p.AccountID, ""
}

// refilter keeps the items whose name or account contains the filter.
func (s *switcher) refilter() {
	q := strings.ToLower(s.filter)
	s.shown = s.shown[:0]
	for i, it := range s.items {
		if q == "" || strings.Contains(strings.ToLower(it.name), q) || strings.Contains(strings.ToLower(it.account), q) {
			s.shown = append(s.shown, i)
		}
	}
	s.cur = 0
	for j, i := range s.shown {
		if s.items[i].current && q == "" {
			s.cur = j
		}
	}
}

// abandonSwitch closes the picker and forgets the switch in flight: its
// answer, if it still comes, is for a generation nobody waits for.
func (m *Model) abandonSwitch() {
	if m.sw.cancel != nil {
		m.sw.cancel()
		m.sw.cancel = nil
	}
	m.sw.gen++
	m.sw.open = nil
}

// switcherKey handles a key while the picker or the MFA prompt is open.
func (m *Model) switcherKey(msg tea.KeyPressMsg) tea.Cmd {
	s := m.sw.open
	k := &m.keys
	if s.connecting != "" {
		if key.Matches(msg, k.Back) {
			m.abandonSwitch()
			m.say("switch abandoned: still on the same account")
		}
		return nil
	}
	if s.mfaForm != nil {
		// An MFA code is six digits: no other text is taken, so a
		// stray letter never reaches the form.
		if t := msg.Text; t != "" && strings.Trim(t, "0123456789") != "" {
			return nil
		}
		_, cmd := s.mfaForm.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.Back):
		m.abandonSwitch()
	case msg.String() == "enter":
		if len(s.shown) == 0 {
			return nil
		}
		it := s.items[s.shown[s.cur]]
		if it.mfa != "" {
			return m.askMFA(it)
		}
		return m.connect(it, "")
	case msg.String() == "up":
		s.cur = max(s.cur-1, 0)
	case msg.String() == "down":
		s.cur = min(s.cur+1, max(len(s.shown)-1, 0))
	case msg.String() == "backspace":
		if r := []rune(s.filter); len(r) > 0 {
			s.filter = string(r[:len(r)-1])
			s.refilter()
		}
	default:
		if t := model.Sanitize(msg.Text); t != "" {
			s.filter += t
			s.refilter()
		}
	}
	return nil
}

// connect starts the switch to it (a profile, or a region of the current
// profile), with code as the answer to the MFA question if one is asked.
func (m *Model) connect(it switchItem, code string) tea.Cmd {
	s := m.sw.open
	// A profile switch takes the profile's own region (the SDK's
	// choice); a region switch keeps the profile.
	profile, region := it.name, ""
	if s.kind == switchRegion {
		profile, region = m.banner.profile, it.name
	}
	s.connecting = profile
	if region != "" {
		s.connecting += ", " + region
	}
	if m.sw.cancel != nil {
		m.sw.cancel()
	}
	m.sw.gen++
	ctx, cancel := context.WithTimeout(m.base, connectTimeout)
	m.sw.cancel = cancel
	gen, g, connect := m.sw.gen, m.gate, m.opts.Connect
	var mfa awsstate.MFAFunc
	if code != "" {
		mfa = func(context.Context, string, string) (string, error) { return code, nil }
	}
	return func() tea.Msg {
		if !g.enter() {
			return nil
		}
		defer g.leave()
		src, err := connect(ctx, profile, region, mfa)
		return SwitchedMsg{Gen: gen, Profile: profile, Region: region, Src: src, Err: err}
	}
}

// switched takes in Connect's answer: on success the new account
// replaces the old one everywhere at once; on failure nothing changes.
func (m *Model) switched(msg SwitchedMsg) tea.Cmd {
	if msg.Gen != m.sw.gen || m.sw.open == nil || m.sw.open.connecting == "" {
		return nil // a switch since abandoned
	}
	m.sw.cancel = nil // Connect has returned; its context is done with
	m.sw.open = nil
	if msg.Err != nil || msg.Src == nil {
		why := "no client"
		if msg.Err != nil {
			why = awsstate.Explain(msg.Err)
		}
		text := "could not switch to " + msg.Profile + ": " + why
		m.events.add([]entry{{at: m.now, tone: toneBad, text: model.Sanitize(text)}})
		m.say(text)
		return nil
	}
	region := msg.Region
	if c, ok := msg.Src.(*awsstate.Client); ok {
		region = c.Region()
	}
	m.replaceSource(msg.Src, msg.Profile, region)
	label := "switched to profile " + msg.Profile
	if msg.Profile == "" {
		label = "switched to the default credentials"
	}
	if region != "" {
		label += ", " + region
	}
	m.events.add([]entry{{at: m.now, tone: toneWarn, text: model.Sanitize(label)}})
	return tea.Batch(m.checkAudit(), m.startFetch())
}

// replaceSource makes src the dashboard's account and clears everything
// that was about the old one, in this one Update, so the next View draws
// the new banner over empty panes.
func (m *Model) replaceSource(src Source, profile, region string) {
	m.refresh.abandon()
	m.refresh.failures = 0
	m.src = src
	m.actor, _ = src.(Actor)
	m.storer, _ = src.(Storer)
	m.audit = auditState{}

	m.closeFlow()
	m.stopStorage()
	m.detail = nil
	m.find = nil
	m.filtering = false
	m.events.open = nil
	m.progress = model.Progress{}

	m.snap, m.have, m.applied = model.Snapshot{}, false, m.applied+1
	m.world = model.Analyze(model.Snapshot{}, m.opts.ClusterTag)
	// Every section's clock belongs to the old account: the new one is
	// due at once, all of it.
	m.refresh.sections = nil
	m.recent = m.resetRecent()
	m.events.clear()
	m.clusters.setWorld(&m.world)
	m.addresses.setWorld(&m.world)
	m.syncInstances()
	// Pages keep memories of the account they showed (acknowledged
	// services): new pages, not an emptied world.
	m.pages = makePages(&m.st, m.opts)
	m.sizePages()
	m.setPagesWorld()

	b := m.banner
	b.identity, b.idErr = model.Identity{}, nil
	b.env, b.source = m.opts.Config.EnvironmentOf(model.Identity{})
	b.name = ""
	b.profile, b.region = profile, region
	b.warnings = b.warnings[:0]
	b.backoff = 0
	b.audit = ""
	m.assess()
}

// switcherView draws the picker in exactly h lines of w cells.
func (m *Model) switcherView(w, h int) string {
	s := m.sw.open
	ik := &m.st.ink
	var lines []string
	title := "Switch profile"
	if s.kind == switchRegion {
		title = "Switch region (profile " + m.banner.profile + ")"
	}
	lines = append(lines, ik.Title.render(pad(title, w, false)))
	switch {
	case s.connecting != "":
		lines = append(lines, pad("connecting to "+s.connecting+"… (esc abandons)", w, false))
	case s.mfaForm != nil:
		lines = append(lines, pad("profile "+model.Display(s.mfaFor.name)+" asks for an MFA code", w, false), "")
		for _, l := range strings.Split(s.mfaForm.View(), "\n") {
			lines = append(lines, padStyled(l, w))
		}
	case s.loading:
		lines = append(lines, pad("reading "+awsstate.SharedConfigFile()+"…", w, false))
	default:
		lines = append(lines, ik.Filter.render(pad("filter: "+s.filter, w-1, false))+ik.FilterCursor.render(" "))
		if s.err != "" {
			lines = append(lines, ik.Danger.render(pad(s.err, w, false)))
		}
		if len(s.items) > 0 && len(s.shown) == 0 {
			lines = append(lines, ik.Faint.render(pad("nothing matches", w, false)))
		}
		if len(s.items) == 0 && s.err == "" {
			lines = append(lines, ik.Faint.render(pad("no profiles in "+awsstate.SharedConfigFile(), w, false)))
		}
		room := max(h-len(lines), 0)
		first := 0
		if s.cur >= room {
			first = s.cur - room + 1
		}
		for j := first; j < len(s.shown) && j-first < room; j++ {
			it := s.items[s.shown[j]]
			mark := "  "
			if it.current {
				mark = "● "
			}
			text := mark + it.name
			if s.kind == switchProfile {
				text = mark + pad(it.name, 24, false) + "  " + pad(it.account, 32, false) + "  " + it.env
				if it.mfa != "" {
					text += "  (MFA)"
				}
			}
			row := pad(m.st.mask(text), w, false)
			if j == s.cur {
				row = ik.Selected.render(row)
			}
			lines = append(lines, row)
		}
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	return strings.Join(lines[:h], "\n")
}

// switcherKeys are the footer's keys while a picker is open.
func switcherKeys(k *keyMap, s *switcher) bindings {
	esc := withHelp(k.Back, "esc", "close")
	if s.connecting != "" {
		return bindings{short: []key.Binding{withHelp(k.Back, "esc", "abandon")}}
	}
	enter := withHelp(k.Drill, "enter", "switch")
	if s.mfaForm != nil {
		return bindings{short: []key.Binding{enter, withHelp(k.Back, "esc", "back")}}
	}
	return bindings{short: []key.Binding{withHelp(k.Up, "↑/↓", "choose"), enter, esc}}
}

package tui

import (
	"cmp"
	"context"
	"errors"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// The airlock, as the operator walks through it (DESIGN.md, "The action
// path"):
//
//	x        the action menu for the selected row: every action that
//	         applies, available or refused with the reason (model.Menu,
//	         worked out off the UI goroutine: it judges every action
//	         against the whole world, and a cluster in a large account
//	         offers a move to each of a thousand others)
//	enter    prepare: awsstate fetches the targets and the identity again
//	         and model.Judge gives a verdict; nothing runs
//	         the confirmation: fresh facts, every difference from what the
//	         screen showed, and the phrase to type (a huh input, exact
//	         match, esc cancels; never y/N)
//	phrase   execute: awsstate judges once more right before the calls
//	         the result, then a refresh so the panes show what happened
//
// Each step is a stage of one actionFlow; the root model is in the flow
// while m.flow is not nil, and every answer from AWS is tagged with the
// flow's generation so an answer for a flow the operator left is dropped.

// Actor is what the airlock needs from AWS; *awsstate.Client satisfies it.
type Actor interface {
	// Prepare fetches the intent's targets and the caller identity again
	// and judges them. A refusal is a Verdict, not an error; the error
	// means the facts could not be fetched.
	Prepare(ctx context.Context, in model.Intent, seen model.Seen, p model.Policy) (awsstate.Prepared, error)
	// Execute runs a prepared action once typed is exactly its phrase,
	// after judging fresh facts once more. The error is nil only when
	// everything planned was done.
	Execute(ctx context.Context, p awsstate.Prepared, typed string) (awsstate.Outcome, error)
	// CheckAuditLog opens the audit log as an action would, without
	// writing to it; an error means actions cannot be recorded. note says
	// what the check changed (a mode it tightened), if anything.
	CheckAuditLog(ctx context.Context) (path, note string, err error)
}

type stage int

const (
	stageBuilding  stage = iota // the menu being worked out, off the UI goroutine
	stageMenu                   // choosing an action
	stagePreparing              // Prepare in flight
	stageConfirm                // verdict shown; typing the phrase if allowed
	stageExecuting              // Execute in flight
	stageDone                   // outcome shown
	stagePick                   // choosing one of a menu item's choices (a destination)
	stageCount                  // typing the number an item needs (a new desired count)
)

// actionFlow is one trip through the airlock.
type actionFlow struct {
	stage  stage
	gen    uint64
	target string // "cluster blue", "instance i-…", "EIP 3.3.3.1"

	items  []model.MenuItem
	cur    int
	pick   picker         // the choices of the item picked, in stagePick
	count  countInput     // the number the item picked needs, in stageCount
	zone   *time.Location // where times are shown (Options.Zone)
	seen   model.Seen     // what the screen showed when x was pressed
	policy model.Policy

	picked   model.MenuItem
	prepared awsstate.Prepared
	facts    *factView // the verdict's facts, laid out for the confirmation
	scroll   int       // the first fact row shown, when they do not all fit
	form     *huh.Form
	typed    string // bound to the form's input
	outcome  awsstate.Outcome
	err      error // Prepare or Execute could not finish
	cancel   context.CancelFunc
	started  time.Time // when the stage in flight began
	finished time.Time
}

// selection is the row under the focused pane's cursor, as model.Menu
// wants it.
func (m *Model) selection() (model.Selection, string, bool) {
	if m.detail != nil {
		return m.detail.selection(&m.world)
	}
	switch m.focus {
	case paneClusters:
		if name := m.clusters.selectedName(); name != "" {
			return model.Selection{Cluster: name}, "cluster " + model.Display(name), true
		}
	case paneAddresses:
		if i := m.addresses.selected(); i >= 0 {
			a := m.addresses.addrs[i]
			return model.Selection{AllocationID: model.AddressKey(a)}, "EIP " + a.PublicIP, true
		}
	case paneInstances:
		if id := m.instances.selectedID(); id != "" {
			return model.Selection{InstanceID: id}, "instance " + id, true
		}
	}
	return model.Selection{}, "", false
}

// policy is the guard's view of this screen: the banner's account (only
// if STS confirmed it), its environment, and the operator's settings.
func (m *Model) policy() model.Policy {
	return m.opts.Config.PolicyFor(m.banner.identity, model.Session{
		ReadOnly:          m.opts.ReadOnly,
		Redact:            m.opts.Redact,
		AuditLog:          m.audit.refusal(),
		ProtectedAccounts: m.opts.ProtectedAccounts,
		ProtectedClusters: m.opts.ProtectedClusters,
	})
}

// openMenu starts a flow on the selected row. What the screen shows now
// (the world and its freshness) is captured by reference: a world is never
// changed once derived, so the seen state and the menu worked out from it
// on another goroutine are exactly what the screen showed now, whatever
// lands meanwhile. Both cost time in proportion to the account, so they
// are not worked out here: the keyboard stays live (esc leaves) while
// MenuCmd runs, and menuBuilt takes its answer only for this flow.
func (m *Model) openMenu(msg ActionMenuMsg) tea.Cmd {
	if m.flow != nil {
		// x pressed twice before the first opened the flow: the operator
		// is in the airlock already.
		return nil
	}
	m.flowGen++
	m.flow = &actionFlow{
		stage:  stageBuilding,
		gen:    m.flowGen,
		target: msg.Target,
		policy: m.policy(),
		zone:   m.opts.Zone,
	}
	return MenuCmd(m.flowGen, m.world, msg.Selection, m.fresh, m.flow.policy, m.gate)
}

// menuBuilt shows the menu worked out for a flow, unless the operator
// left that flow meanwhile.
func (m *Model) menuBuilt(msg MenuBuiltMsg) {
	f := m.flow
	if f == nil || msg.Gen != f.gen || f.stage != stageBuilding {
		return
	}
	f.seen, f.items, f.stage = msg.Seen, msg.Items, stageMenu
}

// closeFlow leaves the airlock, abandoning whatever is in flight.
func (m *Model) closeFlow() {
	if m.flow != nil && m.flow.cancel != nil {
		m.flow.cancel()
	}
	m.flow = nil
}

// flowKey handles a key press inside the flow.
func (m *Model) flowKey(msg tea.KeyPressMsg) tea.Cmd {
	f := m.flow
	k := &m.keys
	switch f.stage {
	case stageBuilding:
		if key.Matches(msg, k.Back) || key.Matches(msg, k.Action) {
			m.closeFlow()
		}
	case stageMenu:
		switch {
		case key.Matches(msg, k.Back), key.Matches(msg, k.Action):
			m.closeFlow()
		case key.Matches(msg, k.Up):
			f.cur = max(f.cur-1, 0)
		case key.Matches(msg, k.Down):
			f.cur = min(f.cur+1, len(f.items)-1)
		case key.Matches(msg, k.Home):
			f.cur = 0
		case key.Matches(msg, k.End):
			f.cur = len(f.items) - 1
		case msg.String() == "enter":
			if f.cur >= 0 && f.cur < len(f.items) && len(f.items[f.cur].Choices) > 0 {
				f.pick = newPicker(f.items[f.cur])
				f.stage = stagePick
				return nil
			}
			if f.cur >= 0 && f.cur < len(f.items) && f.items[f.cur].Count != nil {
				f.count = newCountInput(f.items[f.cur])
				f.stage = stageCount
				return nil
			}
			return m.prepare()
		}
	case stagePick:
		switch f.pick.key(msg) {
		case pickBack:
			f.stage = stageMenu
		case pickChosen:
			if it, ok := f.pick.chosen(); ok {
				return m.prepareItem(it)
			}
		}
	case stageCount:
		switch f.count.key(msg) {
		case pickBack:
			f.stage = stageMenu
		case pickChosen:
			if it, ok := f.count.chosen(); ok {
				return m.prepareItem(it)
			}
		}
	case stagePreparing, stageExecuting:
		if f.stage == stageExecuting && m.scrollKey(msg) {
			return nil
		}
		// Esc abandons a Prepare (nothing has run). An Execute in flight
		// is not abandoned: its calls may already be made, and the
		// operator must see how it ended.
		if key.Matches(msg, k.Back) && f.stage == stagePreparing {
			m.closeFlow()
		}
	case stageConfirm:
		if m.scrollKey(msg) {
			return nil
		}
		if f.form == nil { // refused: nothing to type
			if key.Matches(msg, k.Back) || msg.String() == "enter" {
				m.closeFlow()
			}
			return nil
		}
		return m.updateForm(msg)
	case stageDone:
		if key.Matches(msg, k.Back) || msg.String() == "enter" {
			m.closeFlow()
		}
	}
	return nil
}

// scrollKey scrolls the confirmation's facts and reports whether msg
// was a key that does. While the phrase prompt has the keyboard only the
// page keys scroll (everything else is typing, and ctrl+b/ctrl+f move
// its cursor); on a refusal the arrows and home/end scroll too.
func (m *Model) scrollKey(msg tea.KeyPressMsg) bool {
	f := m.flow
	k := &m.keys
	page := f.factPage(&m.st, m.lay.w, m.flowHeight(), m.now)
	d := 0
	switch s := msg.String(); {
	case s == "pgdown":
		d = page
	case s == "pgup":
		d = -page
	case f.form != nil && f.stage == stageConfirm:
		return false
	case key.Matches(msg, k.PageDown):
		d = page
	case key.Matches(msg, k.PageUp):
		d = -page
	case key.Matches(msg, k.Down):
		d = 1
	case key.Matches(msg, k.Up):
		d = -1
	case key.Matches(msg, k.Home):
		d = -len(f.facts.rowsOrNil())
	case key.Matches(msg, k.End):
		d = len(f.facts.rowsOrNil())
	default:
		return false
	}
	f.scrollFacts(d, &m.st, m.lay.w, m.flowHeight(), m.now)
	return true
}

// flowHeight is the height of the airlock's screens: between the banner
// and the footer.
func (m *Model) flowHeight() int { return m.lay.footerY - m.lay.top }

// prepare sends the picked action to AWS for a verdict. An item the menu
// already refused is prepared too: Prepare only reads, and the fresh
// facts are what the operator needs most when the screen was wrong (S1:
// the refusal then also says what moved, from where to where, since when).
// A refused verdict never offers a phrase.
func (m *Model) prepare() tea.Cmd {
	f := m.flow
	if f.cur < 0 || f.cur >= len(f.items) {
		return nil
	}
	return m.prepareItem(f.items[f.cur])
}

// prepareItem sends one action (a menu item, or one of its choices) to
// AWS for a verdict.
func (m *Model) prepareItem(it model.MenuItem) tea.Cmd {
	f := m.flow
	f.picked = it
	f.stage = stagePreparing
	f.started = m.clock()
	ctx, cancel := context.WithCancel(m.base)
	f.cancel = cancel
	b := m.basis()
	return prepareCmd(ctx, m.actor, f.gen, it.Intent, f.seen, f.policy, m.gate, &b)
}

// prepared takes in a verdict: allowed ones get the phrase prompt.
func (m *Model) prepared(msg PreparedMsg) tea.Cmd {
	f := m.flow
	if f == nil || msg.Gen != f.gen || f.stage != stagePreparing {
		return nil // the operator left this flow
	}
	f.finished = m.clock()
	f.prepared, f.err = msg.Prepared, msg.Err
	f.stage = stageConfirm
	if f.err != nil {
		return nil
	}
	f.facts = msg.facts
	if f.facts == nil {
		f.facts = newFactView(f.prepared.Verdict, f.seen)
	}
	m.learnFacts(f.prepared.Verdict, msg.learned, f.picked.Label)
	if !f.prepared.Verdict.Allowed {
		return nil
	}
	f.form = newPhraseForm(f, &m.st, max(m.lay.w-2, 20))
	return f.form.Init()
}

// updateForm forwards a message to the phrase form.
func (m *Model) updateForm(msg tea.Msg) tea.Cmd {
	f := m.flow
	_, cmd := f.form.Update(msg)
	return cmd
}

// execute runs the confirmed action. The typed phrase goes to Execute,
// which checks it again: the form is not the only gate.
func (m *Model) execute(msg ConfirmedMsg) tea.Cmd {
	f := m.flow
	if f == nil || msg.Gen != f.gen || f.stage != stageConfirm {
		return nil
	}
	f.stage = stageExecuting
	f.started = m.clock()
	// Execute gets a context of its own that esc cannot cancel: once the
	// calls start, the operator must see how they ended. Quitting still
	// cancels it, through the program's context.
	b := m.basis()
	return executeCmd(m.base, m.actor, f.gen, f.prepared, f.typed, m.gate, &b)
}

// executed shows the outcome, notes it in the feed, and refreshes so the
// panes show the account as it is now.
func (m *Model) executed(msg ExecutedMsg) tea.Cmd {
	f := m.flow
	if learnsFrom(msg.Outcome, msg.Err) {
		label := "the action"
		if f != nil {
			label = f.picked.Label
		}
		m.learnFacts(msg.Outcome.Verdict, msg.learned, label)
	}
	if f == nil || msg.Gen != f.gen || f.stage != stageExecuting {
		// The flow was left (only by quitting): still refresh.
		return m.refreshAfterAction()
	}
	f.finished = m.clock()
	f.outcome, f.err = msg.Outcome, msg.Err
	f.stage = stageDone
	summary := cmp.Or(f.outcome.Verdict.Summary, f.prepared.Verdict.Summary, f.picked.Label)
	switch {
	case msg.Err == nil:
		m.events.add([]entry{{at: m.now, tone: toneWarn, text: "you: " + summary + ": done"}})
	case errors.Is(msg.Err, awsstate.ErrRefused):
		m.events.add([]entry{{at: m.now, tone: toneBad, text: "you: " + summary + ": refused at the last check, nothing was done"}})
	default:
		m.events.add([]entry{{at: m.now, tone: toneBad, text: "you: " + summary + ": " + model.Sanitize(msg.Err.Error())}})
		m.auditFailed(msg.Err)
	}
	return m.refreshAfterAction()
}

// refreshAfterAction refreshes now, or as soon as the refresh in flight
// (which may have started before the action) has answered.
func (m *Model) refreshAfterAction() tea.Cmd {
	m.refresh.fetchAgain()
	if m.refresh.startAgain() {
		return m.startFetch()
	}
	return nil
}

// view draws the flow's current screen in w x h.
func (f *actionFlow) view(st *styles, w, h int, now time.Time) string {
	l := &lines{w: w, st: st}
	keep := 0
	switch f.stage {
	case stageBuilding:
		l.title("Actions on "+f.target, "")
		l.add(&st.ink.Faint, " working out which actions apply…")
	case stageMenu:
		keep = f.menuLines(l)
	case stagePick:
		keep = f.pick.lines(l)
	case stageCount:
		keep = f.count.lines(l)
	case stagePreparing:
		l.title(f.picked.Label, "")
		l.add(&st.ink.Faint, " checking with AWS: the caller's identity and the targets, fetched again…")
		l.add(&st.ink.Faint, " nothing runs until you type the phrase (esc goes back)")
	case stageConfirm, stageExecuting:
		return f.confirmView(st, w, h, now)
	case stageDone:
		f.doneLines(l)
	}
	return l.block(h, keep)
}

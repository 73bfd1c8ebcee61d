package tui

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/airlock-ops/airlock/model"
)

// The confirmation: the verdict on facts fetched a moment ago, every
// difference from what the screen showed, exactly which calls would run,
// and the phrase to type. Like the help screen, the airlock's screens
// replace the panes and keep the banner.

// newPhraseForm is the huh form that asks for the phrase. It accepts
// exactly the verdict's phrase (model.Verdict.Accepts: case-sensitive,
// only whitespace at the ends trimmed); anything else is an error under
// the input that says how it differs (model.Verdict.Mismatch), and
// nothing happens. Esc cancels. There is no default and no y/N.
func newPhraseForm(f *actionFlow, st *styles, width int) *huh.Form {
	v := f.prepared.Verdict // a copy: the closure must not see later changes
	km := enterOnlyKeys()

	input := huh.NewInput().
		Key("phrase").
		Title("Type " + v.Phrase + " to " + v.Summary).
		Description("exactly as shown, then enter; esc cancels").
		Prompt("> ").
		CharLimit(256).
		Value(&f.typed).
		Validate(func(s string) error {
			if !v.Accepts(s) {
				return errors.New("that is not the phrase: what you typed " + v.Mismatch(s) + "; nothing will run")
			}
			return nil
		})
	form := huh.NewForm(huh.NewGroup(input)).
		WithKeyMap(km).
		WithShowHelp(false).
		WithTheme(huhTheme(st)).
		WithWidth(width)
	form.SubmitCmd = ConfirmedCmd(f.gen)
	form.CancelCmd = CancelledCmd(f.gen)
	return form
}

// enterOnlyKeys is the key map of airlock's one-input huh forms (the
// phrase, an MFA code): enter alone submits, esc cancels. Tab would
// submit too by default, and an action should not be one stray tab away.
func enterOnlyKeys() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("esc"))
	km.Input.Next = key.NewBinding(key.WithKeys("enter"))
	km.Input.Submit = key.NewBinding(key.WithKeys("enter"))
	km.Input.Prev = key.NewBinding(key.WithDisabled())
	km.Input.AcceptSuggestion = key.NewBinding(key.WithDisabled())
	return km
}

// huhTheme dresses the phrase form in airlock's theme.
func huhTheme(st *styles) huh.Theme {
	th := st.theme
	return huh.ThemeFunc(func(isDark bool) *huh.Styles {
		s := huh.ThemeBase(isDark)
		s.Focused.Base = s.Focused.Base.BorderForeground(th.RuleFocused.GetForeground())
		s.Focused.Title = th.TitleFocused
		s.Focused.Description = th.Faint
		s.Focused.ErrorIndicator = s.Focused.ErrorIndicator.Inherit(th.Danger)
		s.Focused.ErrorMessage = s.Focused.ErrorMessage.Inherit(th.Danger)
		s.Focused.TextInput.Prompt = th.Key
		s.Focused.TextInput.Text = lipgloss.NewStyle().Bold(true)
		s.Focused.TextInput.Placeholder = th.Faint
		s.Focused.TextInput.Cursor = th.Key
		s.Blurred = s.Focused
		s.Group.Title = s.Focused.Title
		return s
	})
}

// The confirmation screen, top to bottom:
//
//	the verdict          what would be done, or REFUSED and every reason
//	the account          who STS says the caller is, just now (S3)
//	the changes          every way the facts differ from what was shown
//	LIVE or not          and the warnings
//	the facts            one row per target: scrolls (pgup/pgdn, wheel)
//	the calls            exactly what Execute would call
//	the phrase prompt
//
// Everything but the facts always shows: on a 48-instance cluster at
// 80x24 the verdict, the account and the prompt must not scroll away
// under the list of instances. The facts get the rows left over, say
// how many of them are shown, and scroll on their own.

// factView is a verdict's facts laid out once, when the verdict arrives:
// the facts analysed (clusters, owners, LIVE, with the panes' words), the
// subjects that changed, and the rows of the fact tables. View only draws
// the rows that fit.
type factView struct {
	world   model.World
	changed map[model.Subject]bool
	seen    model.Seen
	rows    []factRow
	data    int   // rows that are an instance or an address
	dataAt  []int // per row, the data rows up to and including it

	cluster   string // the cluster the intent is about, "" for none
	live      bool   // it holds EIPs now
	seenLive  bool   // it held EIPs on the screen the operator chose from
	knownSeen bool   // seen records a screen (a zero Seen knows nothing)
}

type factRowKind int

const (
	factInstanceHeader factRowKind = iota
	factInstance
	factAddressHeader
	factAddress
	factDestination // "destination green:"
	factNoInstance  // "(no instance found)"
)

type factRow struct {
	kind factRowKind
	id   string // instance ID or AddressKey
}

// newFactView lays out the facts of v: the targets of the intent (those
// named, the cluster's members or EIPs now, whatever the plan touches),
// and for a move the destination's instances.
func newFactView(v model.Verdict, seen model.Seen) *factView {
	w := factsWorld(v.Facts)
	fv := &factView{world: w, changed: map[model.Subject]bool{}, seen: seen, knownSeen: seen.States != nil}
	for _, c := range v.Changes {
		fv.changed[c.Subject] = true
	}
	in := v.Intent
	if in.Cluster != "" {
		fv.cluster = in.Cluster
		c, ok := w.Cluster(in.Cluster)
		fv.live = ok && c.Live
		for _, o := range seen.Owners {
			if o.Cluster == in.Cluster {
				fv.seenLive = true
				break
			}
		}
	}
	switch in.Action {
	case model.ActionTerminate, model.ActionStop:
		// Prepare also fetched the owners of related EIPs; they are not
		// what is being asked about.
		named := make(map[string]bool, len(in.InstanceIDs)+len(v.Plan.Terminate)+len(v.Plan.Stop))
		for _, list := range [][]string{in.InstanceIDs, v.Plan.Terminate, v.Plan.Stop} {
			for _, id := range list {
				named[id] = true
			}
		}
		var ids []string
		for id := range w.Instances() {
			c, _ := w.ClusterOf(id)
			if named[id] || (in.Cluster != "" && c == in.Cluster) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		fv.addInstances(ids)
	case model.ActionSetDesired, model.ActionSuspend, model.ActionResume,
		model.ActionScaleService, model.ActionDeleteService, model.ActionRedeploy:
		// A group or a service: what it is now is in the verdict's
		// summary, changes and plan lines; there is no instance or
		// address to list (an empty table of EIPs would read as "it
		// holds none").
	default:
		keys := slices.Clone(in.AllocationIDs)
		for key, o := range w.Owners {
			if in.Cluster != "" && o.Cluster == in.Cluster {
				keys = append(keys, key)
			}
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		slices.SortFunc(keys, func(a, b string) int {
			x, _ := w.Address(a)
			y, _ := w.Address(b)
			return compareIP(x.PublicIP, y.PublicIP)
		})
		fv.rows = append(fv.rows, factRow{kind: factAddressHeader})
		for _, key := range keys {
			fv.rows = append(fv.rows, factRow{kind: factAddress, id: key})
		}
		fv.data += len(keys)
		if in.Action == model.ActionMoveEIPs && len(v.Facts.DestInstances) > 0 {
			fv.rows = append(fv.rows, factRow{kind: factDestination, id: in.DestCluster})
			ids := make([]string, 0, len(v.Facts.DestInstances))
			for _, d := range v.Facts.DestInstances {
				ids = append(ids, d.ID)
			}
			slices.Sort(ids)
			fv.addInstances(slices.Compact(ids))
		}
	}
	fv.dataAt = make([]int, len(fv.rows))
	n := 0
	for i, r := range fv.rows {
		if r.kind == factInstance || r.kind == factAddress {
			n++
		}
		fv.dataAt[i] = n
	}
	return fv
}

// rowsOrNil is the fact rows; none for a verdict without facts.
func (fv *factView) rowsOrNil() []factRow {
	if fv == nil {
		return nil
	}
	return fv.rows
}

func (fv *factView) addInstances(ids []string) {
	fv.rows = append(fv.rows, factRow{kind: factInstanceHeader})
	for _, id := range ids {
		fv.rows = append(fv.rows, factRow{kind: factInstance, id: id})
	}
	if len(ids) == 0 {
		fv.rows = append(fv.rows, factRow{kind: factNoInstance})
	}
	fv.data += len(ids)
}

// instanceChanged reports whether an instance's row must stand out: a
// change names it, or it was not on the screen the operator chose from
// (it joined the cluster since).
func (fv *factView) instanceChanged(id string) bool {
	if fv.changed[model.Subject{Kind: model.ChangeInstance, ID: id}] {
		return true
	}
	_, shown := fv.seen.States[id]
	return fv.knownSeen && !shown
}

// addressChanged is instanceChanged for an EIP row.
func (fv *factView) addressChanged(key string, a model.Address) bool {
	if fv.changed[model.Subject{Kind: model.ChangeEIP, ID: a.PublicIP}] {
		return true
	}
	_, shown := fv.seen.Owners[key]
	return fv.knownSeen && !shown
}

// confirmParts is the confirmation laid out in h lines of w cells: what
// always shows above and below the facts, and how many lines the facts
// get between them.
type confirmParts struct {
	title       string
	top, bottom []string
	factLines   int // lines for the fact table, its header and count included
}

// spacer is a blank line that goes first when the screen is short.
const spacer = "\x00"

// confirmLayout decides what goes where. It is called by View and, for
// the page size, by the keys that scroll.
func (f *actionFlow) confirmLayout(st *styles, w, h int, now time.Time) confirmParts {
	k := &st.ink
	v := f.prepared.Verdict
	right := ""
	if !v.Facts.FetchedAt.IsZero() {
		right = "checked " + clockTime(v.Facts.FetchedAt, f.zone)
	}
	head := &lines{w: w, st: st}
	head.title(f.picked.Label, right)
	p := confirmParts{title: head.head[0]}
	body := h - 1

	top := &lines{w: w, st: st}
	if f.err != nil {
		top.wrapped(&k.Danger, " ✗ ", "   ", "could not check with AWS: "+model.Sanitize(f.err.Error()))
		top.add(&k.Faint, " nothing was done; esc goes back")
		p.top = top.out
		return p
	}
	// The account goes right under the verdict's first line: a long
	// list of reasons must not push it off a short screen.
	if v.Allowed {
		top.add(nil, " "+v.Summary)
		f.accountLine(top, v)
	} else {
		top.add(&k.Danger, " REFUSED: nothing will run")
		f.accountLine(top, v)
		for _, r := range v.Refusals {
			top.wrapped(&k.Danger, " ✗ ", "   ", r.Reason)
			if r.Fix != "" {
				top.wrapped(&k.Faint, "   → ", "     ", r.Fix)
			}
		}
	}

	mid := &lines{w: w, st: st}
	f.liveLines(mid)
	for _, wn := range v.Warnings {
		mid.wrapped(&k.Warn, " ! ", "   ", wn)
	}

	bottom := &lines{w: w, st: st}
	switch {
	case !v.Allowed:
		bottom.add(&k.Faint, " esc goes back")
	default:
		for _, s := range planLines(v.Plan) {
			bottom.wrapped(&k.Warn, " will call ", "   ", s)
		}
		if f.stage == stageExecuting {
			bottom.out = append(bottom.out, spacer)
			bottom.add(&k.Warn, " running… (checking once more, then calling AWS)")
		} else if f.form != nil {
			bottom.out = append(bottom.out, spacer)
			for _, s := range strings.Split(f.form.View(), "\n") {
				bottom.addStyled(visibleRunes(s))
			}
			if shown := model.Display(f.typed); shown != f.typed {
				bottom.wrapped(&k.Warn, " ! ", "   ", "what you typed holds invisible characters: "+shown)
			}
		}
	}

	facts := 0 // the least the fact table should get
	if fv := f.facts; fv != nil && len(fv.rows) > 0 {
		facts = 1 + min(len(fv.rows)-1, 3)
		if len(fv.rows)-1 > 3 {
			facts++ // the "12 of 48 shown" line
		}
	}
	// Changes come last among what always shows: when they are many,
	// the first of them show and the rest are counted (their rows stand
	// out in the table below). Blank lines go before anything does.
	// Never more than the screen: a frame costs the same whatever the
	// number of changes.
	said := unsaid(v) // a refusal that named the moves has said them
	changes := changeLines(st, w, said, f.seen.At, f.zone, body)
	spacers := 2
	if len(changes) > 0 {
		spacers++
	}
	fixed := len(top.out) + len(mid.out) + len(bottom.out)
	if fixed+len(changes)+spacers+facts > body {
		spacers = 0
		bottom.out = slices.DeleteFunc(bottom.out, func(x string) bool { return x == spacer })
		fixed = len(top.out) + len(mid.out) + len(bottom.out)
	}
	if fixed+len(changes)+spacers+facts > body && len(changes) > 0 {
		changes = changeLines(st, w, said, f.seen.At, f.zone, max(body-fixed-spacers-facts, 2))
	}
	gap := func(s []string) []string {
		if spacers > 0 {
			return append(s, spacer)
		}
		return s
	}
	p.top = gap(top.out)
	if len(changes) > 0 {
		p.top = gap(append(p.top, changes...))
	}
	p.top = append(p.top, mid.out...)
	p.bottom = bottom.out
	if spacers > 0 {
		p.bottom = append([]string{spacer}, p.bottom...)
	}
	p.factLines = max(body-len(p.top)-len(p.bottom), 0)
	return p
}

// changeLines lists the changes since the screen showed the targets, in
// at most limit lines: as many as fit whole, then how many more there
// are.
func changeLines(st *styles, w int, cs []model.Change, at time.Time, zone *time.Location, limit int) []string {
	if len(cs) == 0 {
		return nil
	}
	k := &st.ink
	l := &lines{w: w, st: st}
	l.add(&k.Changed, " Changed since the screen showed it"+seenAt(at, zone)+":")
	for i, c := range cs {
		before := len(l.out)
		l.wrapped(&k.Changed, " ! ", "   ", c.String())
		rest := 0
		if i < len(cs)-1 {
			rest = 1 // the line that counts the others
		}
		if len(l.out)+rest > limit {
			l.out = l.out[:before]
			l.add(&k.Changed, " ! … and "+itoa(len(cs)-i)+" more; their rows below are highlighted")
			break
		}
	}
	return l.out
}

// accountLine says which account the facts came from, as STS answered
// a moment ago: the banner says what the screen believes, this says
// what the credentials act in now (S3).
func (f *actionFlow) accountLine(l *lines, v model.Verdict) {
	k := &l.st.ink
	id := v.Facts.Identity
	if !id.Confirmed() {
		l.add(&k.Danger, " account: STS did not confirm the caller just now")
		return
	}
	text := "account " + accountName(id) + " · " + f.policy.Env.Label()
	if v.Facts.Region != "" {
		text += " · " + v.Facts.Region
	}
	if id.ARN != "" {
		text += " · as " + principal(l.st.maskARN(id.ARN))
	}
	var in *ink
	if id.AccountID != f.policy.BannerAccountID {
		in = &k.Danger
	}
	l.wrapped(in, " ", "   ", text)
}

// liveLines says whether the cluster the action is about is LIVE now,
// and stands out when that is not what the screen showed.
func (f *actionFlow) liveLines(l *lines) {
	fv := f.facts
	if fv == nil || fv.cluster == "" {
		return
	}
	k := &l.st.ink
	name := model.Display(fv.cluster)
	was := ""
	if fv.knownSeen && fv.seenLive != fv.live {
		at := ""
		if !f.seen.At.IsZero() {
			at = " at " + clockTime(f.seen.At, f.zone)
		}
		was = " (not LIVE when shown" + at + ")"
		if fv.seenLive {
			was = " (LIVE when shown" + at + ")"
		}
	}
	if c, ok := fv.world.Cluster(fv.cluster); ok && c.Live {
		line := " cluster " + name + " is LIVE: it holds " + strings.Join(c.EIPs, ", ") + " "
		if was != "" {
			l.wrapped(&k.Changed, line, "   ", was)
			return
		}
		l.add(&k.Live, line)
		return
	}
	line := " cluster " + name + " is not LIVE: it holds no EIPs"
	if was != "" {
		l.wrapped(&k.Changed, " ", "   ", line[1:]+was)
		return
	}
	l.add(nil, line)
}

// confirmView draws the confirmation in h lines of w cells.
func (f *actionFlow) confirmView(st *styles, w, h int, now time.Time) string {
	p := f.confirmLayout(st, w, h, now)
	out := make([]string, 0, h)
	out = append(out, p.title)
	top, bottom := p.top, p.bottom
	if room := h - 1 - len(bottom); len(top) > room {
		// Only at sizes the layout calls too small: the prompt stays.
		top = top[:max(room, 0)]
	}
	out = append(out, top...)
	out = append(out, f.factTable(st, w, p.factLines, now)...)
	out = append(out, bottom...)
	var b strings.Builder
	for i := range h {
		if i > 0 {
			b.WriteByte('\n')
		}
		s := ""
		if i < len(out) && out[i] != spacer {
			s = out[i]
		}
		b.WriteString(padStyled(s, w))
	}
	return b.String()
}

// factWindow is the part of the fact rows that fits in n lines, scrolled
// to f.scroll: the first table's header stays (sticky rows), the rows
// under it scroll. rows are fv.rows[from:from+len(rows)]; more says a
// count line follows them.
func (f *actionFlow) factWindow(n int) (sticky, rows []factRow, from int, more bool) {
	fv := f.facts
	if fv == nil || len(fv.rows) == 0 || n <= 0 {
		return nil, nil, 0, false
	}
	all, from := fv.rows, 0
	if all[0].kind == factInstanceHeader || all[0].kind == factAddressHeader {
		sticky, all, from = all[:1], all[1:], 1
		n--
	}
	if len(all) <= n {
		return sticky, all, from, false
	}
	n-- // the count line
	if n <= 0 {
		return sticky, nil, from, true
	}
	start := min(max(f.scroll, 0), len(all)-n)
	return sticky, all[start : start+n], from + start, true
}

// factPage is how many rows pgdn moves: the fact rows on screen.
func (f *actionFlow) factPage(st *styles, w, h int, now time.Time) int {
	_, rows, _, _ := f.factWindow(f.confirmLayout(st, w, h, now).factLines)
	return max(len(rows), 1)
}

// scrollFacts moves the fact rows by d, kept within the rows.
func (f *actionFlow) scrollFacts(d int, st *styles, w, h int, now time.Time) {
	if f.facts == nil {
		return
	}
	n := f.confirmLayout(st, w, h, now).factLines
	_, rows, _, more := f.factWindow(n)
	if !more {
		f.scroll = 0
		return
	}
	scrollable := len(f.facts.rows)
	if k := f.facts.rows[0].kind; k == factInstanceHeader || k == factAddressHeader {
		scrollable--
	}
	f.scroll = min(max(f.scroll+d, 0), scrollable-len(rows))
}

// factTable draws the fact rows that fit in n lines.
func (f *actionFlow) factTable(st *styles, w, n int, now time.Time) []string {
	sticky, rows, from, more := f.factWindow(n)
	if len(sticky)+len(rows) == 0 && !more {
		return nil
	}
	fv := f.facts
	out := make([]string, 0, n)
	for _, r := range sticky {
		out = append(out, fv.renderRow(st, w, r, now))
	}
	for _, r := range rows {
		out = append(out, fv.renderRow(st, w, r, now))
	}
	if more {
		// Data rows shown: those up to the last row on screen, less those
		// above the first.
		shown, first, last := 0, 0, 0
		if len(rows) > 0 {
			last = fv.dataAt[from+len(rows)-1]
			if from > 0 {
				first = fv.dataAt[from-1]
			}
			shown = last - first
			first++
		}
		text := " " + itoa(shown) + " of " + itoa(fv.data) + " shown"
		if shown > 0 {
			text += " (" + itoa(first) + "–" + itoa(last) + ")"
		}
		text += " · pgup/pgdn scroll"
		out = append(out, st.ink.Faint.render(pad(text, w, false)))
	}
	return out
}

var factInstanceCols = []column{
	{title: "INSTANCE", width: 19},
	{title: "CLUSTER", width: 8, flex: true, want: 12},
	{title: "STATE", width: 13},
	{title: "EIP", width: 15},
	{title: "LAUNCHED", width: 8, right: true, drop: 2},
	{title: "CHECKS", width: 11, drop: 1},
	{title: "NAME", width: 12, drop: 3},
}

var factAddressCols = []column{
	{title: "PUBLIC IP", width: 15},
	{title: "ON NOW", width: 12, flex: true, want: 26},
	{title: "ASSOCIATION", width: 26, drop: 1},
}

// renderRow draws one fact row, w cells wide.
func (fv *factView) renderRow(st *styles, w int, r factRow, now time.Time) string {
	k := &st.ink
	var b strings.Builder
	b.WriteByte(' ')
	switch r.kind {
	case factInstanceHeader:
		renderHeader(&b, k, fit(factInstanceCols, w-1), w-1)
	case factAddressHeader:
		renderHeader(&b, k, fit(factAddressCols, w-1), w-1)
	case factDestination:
		return pad(" destination "+model.Display(r.id)+":", w, false)
	case factNoInstance:
		return k.Faint.render(pad(" (no instance found)", w, false))
	case factInstance:
		fv.instanceRow(&b, st, w-1, r.id, now)
	case factAddress:
		a, ok := fv.world.Address(r.id)
		if !ok {
			return k.Danger.render(pad(st.mask(" "+r.id+": no longer exists"), w, false))
		}
		kind := rowPlain
		if fv.addressChanged(r.id, a) {
			kind = rowChanged
		}
		cells := []cell{{text: a.PublicIP}, {text: fv.world.Owners[r.id].String()}, {text: a.AssociationID}}
		st.maskCells(cells)
		renderRow(&b, k, fit(factAddressCols, w-1), cells, kind, w-1)
	}
	return b.String()
}

func (fv *factView) instanceRow(b *strings.Builder, st *styles, w int, id string, now time.Time) {
	k := &st.ink
	wd := &fv.world
	in, _ := wd.Instance(id)
	eip := cell{text: "-"}
	if held := wd.EIPsOf[id]; len(held) > 0 {
		eip = cell{text: held[0].PublicIP, style: &k.Live}
		if len(held) > 1 {
			eip.text += " +" + itoa(len(held)-1)
		}
	}
	status, ok := wd.Snap.Statuses[id]
	kind := rowPlain
	if fv.instanceChanged(id) {
		kind = rowChanged
	}
	cluster, _ := wd.ClusterOf(id)
	cells := []cell{{text: id}, {text: model.Display(cluster)}, {text: string(in.State)}, eip,
		{text: ago(now, in.LaunchTime)}, checksCell(k, in.State, status, ok, now), {text: model.Display(in.Name)}}
	st.maskCells(cells)
	renderRow(b, k, fit(factInstanceCols, w), cells, kind, w)
}

func seenAt(t time.Time, zone *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return " (" + clockTime(t, zone) + ")"
}

// planShown is how many targets of one call the plan lines spell out;
// beyond it they are counted, since every one is a row of the facts.
const planShown = 3

// planLines spells out the calls Execute may make (model.Plan.Steps, as
// Execute and the audit log read them): one line per API, its targets
// shortened past planShown, since every one of them is a row of the facts
// above.
func planLines(p model.Plan) []string {
	var out []string
	steps := p.Steps(0)
	for len(steps) > 0 {
		api := steps[0].API
		n := 1
		for n < len(steps) && steps[n].API == api {
			n++
		}
		group := steps[:n]
		steps = steps[n:]
		if group[0].Detail != "" {
			// Auto Scaling and ECS calls say what they change, and the
			// precondition checked right before: "desired count 4 → 0".
			for _, st := range group {
				line := api + " " + st.Detail
				if p := st.Precondition(); p != "" {
					line += " (only if " + p + ")"
				}
				out = append(out, line)
			}
			continue
		}
		if group[0].Move != nil {
			for i, st := range group {
				if len(group) > planShown && i == planShown-1 {
					out = append(out, api+" for "+itoa(len(group)-i)+" more EIPs (each listed above)")
					break
				}
				out = append(out, api+" "+st.Move.String())
			}
			continue
		}
		var ids []string
		for _, st := range group {
			ids = append(ids, st.Targets...)
		}
		if len(ids) <= planShown {
			out = append(out, api+" "+strings.Join(ids, " "))
			continue
		}
		noun := map[string]string{model.APIDisassociate: "associations", model.APIRelease: "addresses"}[api]
		out = append(out, api+" on "+itoa(len(ids))+" "+cmp.Or(noun, "instances")+": "+strings.Join(ids[:planShown-1], " ")+
			" … "+ids[len(ids)-1]+" (each listed above)")
	}
	return out
}

// visibleRunes writes the invisible runes of a styled line (the phrase
// input echoes what was typed or pasted) as model.Display does, leaving
// its escape sequences alone: a pasted bidi override must neither hide
// nor reorder the prompt. The bracket ⟨ is left as it is; the warning
// under the prompt shows the typed text through Display itself, where a
// typed ⟨ is escaped too.
func visibleRunes(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			// A CSI sequence: parameters, then one final byte.
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			j = min(j+1, len(s))
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r < utf8.RuneSelf, r == '⟨':
			// The bracket is Display's own: the prompt's title and its
			// error already hold displayed names ("né⟨U+200B⟩").
			b.WriteString(s[i : i+size])
		default:
			b.WriteString(model.Display(s[i : i+size]))
		}
		i += size
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// factsWorld analyses the facts Prepare fetched, so they can be shown
// with the same words as the panes (clusters, owners, LIVE).
func factsWorld(f model.Facts) model.World {
	instances := slices.Clone(f.Instances)
	for _, d := range f.DestInstances {
		if !slices.ContainsFunc(instances, func(in model.Instance) bool { return in.ID == d.ID }) {
			instances = append(instances, d)
		}
	}
	secs := map[model.Section]model.SectionResult{}
	for _, s := range []model.Section{model.SectionIdentity, model.SectionInstances, model.SectionAddresses, model.SectionStatus} {
		secs[s] = model.SectionResult{Complete: true}
	}
	return model.Analyze(model.Snapshot{
		Region: f.Region, FetchedAt: f.FetchedAt, Identity: f.Identity,
		Instances: instances, Addresses: f.Addresses, Statuses: f.Statuses, Sections: secs,
	}, f.ClusterTag)
}

// unsaid is the changes a verdict's refusals have not told already. A
// refusal because targets moved (S1) names each move, from where to
// where and since when; listing the moves again under "Changed since"
// printed the same diff twice. When the refusal had to shorten its list
// ("... and 4 more"), every change is listed.
func unsaid(v model.Verdict) []model.Change {
	said := false
	for _, r := range v.Refusals {
		if r.Rule == model.RuleOwnerChanged && !strings.HasSuffix(r.Reason, " more") {
			said = true
		}
	}
	if !said {
		return v.Changes
	}
	var out []model.Change
	for _, c := range v.Changes {
		if c.Field != "owner" && c.Field != "cluster" {
			out = append(out, c)
		}
	}
	return out
}

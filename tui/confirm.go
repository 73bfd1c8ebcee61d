package tui

import (
	"errors"
	"slices"
	"strings"
	"time"

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
// no trimming); anything else is an error under the input and nothing
// happens. Esc cancels. There is no default and no y/N.
func newPhraseForm(f *actionFlow, st *styles, width int) *huh.Form {
	v := f.prepared.Verdict // a copy: the closure must not see later changes
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("esc"))
	// Enter alone submits; tab would submit too by default, and an
	// action should not be one stray tab away.
	km.Input.Next = key.NewBinding(key.WithKeys("enter"))
	km.Input.Submit = key.NewBinding(key.WithKeys("enter"))
	km.Input.Prev = key.NewBinding(key.WithDisabled())
	km.Input.AcceptSuggestion = key.NewBinding(key.WithDisabled())

	input := huh.NewInput().
		Key("phrase").
		Title("Type " + v.Phrase + " to " + v.Summary).
		Description("exactly as shown, then enter; esc cancels").
		Prompt("> ").
		CharLimit(256).
		Value(&f.typed).
		Validate(func(s string) error {
			if !v.Accepts(s) {
				return errors.New("that is not the phrase; nothing will run")
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

// confirmLines is the confirmation: the verdict on fresh facts, what
// changed since the screen showed it, exactly what would run, and the
// phrase prompt.
func (f *actionFlow) confirmLines(l *lines, now time.Time) {
	k := &l.st.ink
	v := f.prepared.Verdict
	right := ""
	if !v.Facts.FetchedAt.IsZero() {
		right = "checked " + clockTime(v.Facts.FetchedAt, f.zone)
	}
	l.title(f.picked.Label, right)
	if f.err != nil {
		l.wrapped(&k.Danger, " ✗ ", "   ", "could not check with AWS: "+model.Sanitize(f.err.Error()))
		l.add(&k.Faint, " nothing was done; esc goes back")
		return
	}
	if v.Allowed {
		l.add(nil, " "+v.Summary)
	} else {
		l.add(&k.Danger, " REFUSED: nothing will run")
		for _, r := range v.Refusals {
			l.wrapped(&k.Danger, " ✗ ", "   ", r.Reason)
			if r.Fix != "" {
				l.wrapped(&k.Faint, "   → ", "     ", r.Fix)
			}
		}
	}
	if changes := unsaid(v); len(changes) > 0 {
		l.blank()
		l.add(&k.Changed, " Changed since the screen showed it"+seenAt(f.seen.At, f.zone)+":")
		for _, c := range changes {
			l.wrapped(&k.Changed, " ! ", "   ", c.String())
		}
	}
	l.blank()
	factLines(l, v, now)
	for _, w := range v.Warnings {
		l.wrapped(&k.Warn, " ! ", "   ", w)
	}
	if !v.Allowed {
		l.blank()
		l.add(&k.Faint, " esc goes back")
		return
	}
	l.blank()
	for _, s := range planLines(v.Plan) {
		l.wrapped(&k.Warn, " will call ", "   ", s)
	}
	if f.stage == stageExecuting {
		l.blank()
		l.add(&k.Warn, " running… (checking once more, then calling AWS)")
		return
	}
	if f.form != nil {
		l.blank()
		for _, s := range strings.Split(f.form.View(), "\n") {
			l.addStyled(s)
		}
	}
}

func seenAt(t time.Time, zone *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return " (" + clockTime(t, zone) + ")"
}

// planLines spells out the calls Execute may make.
func planLines(p model.Plan) []string {
	var out []string
	if len(p.Terminate) > 0 {
		out = append(out, "ec2:TerminateInstances "+strings.Join(p.Terminate, " "))
	}
	if len(p.Stop) > 0 {
		out = append(out, "ec2:StopInstances "+strings.Join(p.Stop, " "))
	}
	if len(p.Disassociate) > 0 {
		out = append(out, "ec2:DisassociateAddress "+strings.Join(p.Disassociate, " "))
	}
	if len(p.Release) > 0 {
		out = append(out, "ec2:ReleaseAddress "+strings.Join(p.Release, " "))
	}
	for _, m := range p.Moves {
		out = append(out, "ec2:AssociateAddress "+m.String())
	}
	return out
}

// factLines shows the targets as AWS reported them a moment ago: the
// instances with their state, launch time, EIPs held and checks, or the
// EIPs with where they point; and whether the cluster is LIVE. A row
// whose subject changed since the screen showed it is highlighted.
func factLines(l *lines, v model.Verdict, now time.Time) {
	k := &l.st.ink
	w := factsWorld(v.Facts)
	changed := map[string]bool{}
	for _, c := range v.Changes {
		changed[c.Subject] = true
	}
	in := v.Intent
	if in.Cluster != "" {
		name := model.Display(in.Cluster)
		if c, ok := w.Cluster(in.Cluster); ok && c.Live {
			l.add(&k.Live, " cluster "+name+" is LIVE: it holds "+strings.Join(c.EIPs, ", ")+" ")
		} else {
			l.add(nil, " cluster "+name+" is not LIVE: it holds no EIPs")
		}
	}
	switch in.Action {
	case model.ActionTerminate, model.ActionStop:
		// The targets: those named, the cluster's members now, and
		// whatever the plan would touch. Prepare also fetched the owners
		// of related EIPs; they are not what is being asked about.
		var ids []string
		for id := range w.Instances {
			if slices.Contains(in.InstanceIDs, id) || (in.Cluster != "" && w.ClusterOf[id] == in.Cluster) ||
				slices.Contains(v.Plan.Terminate, id) || slices.Contains(v.Plan.Stop, id) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		instanceFactLines(l, w, ids, changed, now)
	default:
		keys := slices.Clone(in.AllocationIDs)
		for key, o := range w.Owners {
			if in.Cluster != "" && o.Cluster == in.Cluster && !slices.Contains(keys, key) {
				keys = append(keys, key)
			}
		}
		slices.SortFunc(keys, func(a, b string) int {
			x, _ := w.Address(a)
			y, _ := w.Address(b)
			return compareIP(x.PublicIP, y.PublicIP)
		})
		addressFactLines(l, w, keys, changed)
		if in.Action == model.ActionMoveEIPs && len(v.Facts.DestInstances) > 0 {
			l.add(nil, " destination "+model.Display(in.DestCluster)+":")
			ids := make([]string, 0, len(v.Facts.DestInstances))
			for _, d := range v.Facts.DestInstances {
				ids = append(ids, d.ID)
			}
			slices.Sort(ids)
			instanceFactLines(l, w, slices.Compact(ids), changed, now)
		}
	}
}

// maxFactRows bounds the fact tables so the phrase prompt stays on a
// 24-line screen; the count of the rest is given.
const maxFactRows = 8

var factInstanceCols = []column{
	{title: "INSTANCE", width: 19},
	{title: "CLUSTER", width: 8, flex: true, want: 12},
	{title: "STATE", width: 13},
	{title: "EIP", width: 15},
	{title: "LAUNCHED", width: 8, right: true, drop: 2},
	{title: "CHECKS", width: 9, drop: 1},
	{title: "NAME", width: 12, drop: 3},
}

func instanceFactLines(l *lines, w model.World, ids []string, changed map[string]bool, now time.Time) {
	k := &l.st.ink
	cols := fit(factInstanceCols, l.w-1)
	var b strings.Builder
	renderHeader(&b, k, cols, l.w-1)
	l.out = append(l.out, " "+b.String())
	for i, id := range ids {
		if i == maxFactRows {
			l.add(&k.Faint, " … and "+itoa(len(ids)-i)+" more")
			break
		}
		in := w.Instances[id]
		eip := "-"
		if held := w.EIPsOf[id]; len(held) > 0 {
			eip = held[0].PublicIP
			if len(held) > 1 {
				eip += " +" + itoa(len(held)-1)
			}
		}
		checks := "-"
		if st, ok := w.Snap.Statuses[id]; ok {
			checks = "ok"
			if st.Failed() {
				checks = "FAILED"
			}
		}
		kind := rowPlain
		if changed[id] {
			kind = rowChanged
		}
		cells := []cell{{text: id}, {text: model.Display(w.ClusterOf[id])}, {text: string(in.State)}, {text: eip},
			{text: ago(now, in.LaunchTime)}, {text: checks}, {text: model.Display(in.Name)}}
		if eip != "-" {
			cells[3].style = &k.Live
		}
		b.Reset()
		renderRow(&b, k, cols, cells, kind, l.w-1)
		l.out = append(l.out, " "+b.String())
	}
	if len(ids) == 0 {
		l.add(&k.Faint, " (no instance found)")
	}
}

var factAddressCols = []column{
	{title: "PUBLIC IP", width: 15},
	{title: "ON NOW", width: 12, flex: true, want: 26},
	{title: "ASSOCIATION", width: 26, drop: 1},
}

func addressFactLines(l *lines, w model.World, keys []string, changed map[string]bool) {
	k := &l.st.ink
	cols := fit(factAddressCols, l.w-1)
	var b strings.Builder
	renderHeader(&b, k, cols, l.w-1)
	l.out = append(l.out, " "+b.String())
	for i, key := range keys {
		if i == maxFactRows {
			l.add(&k.Faint, " … and "+itoa(len(keys)-i)+" more")
			break
		}
		a, ok := w.Address(key)
		if !ok {
			l.add(&k.Danger, " "+key+": no longer exists")
			continue
		}
		kind := rowPlain
		if changed[a.PublicIP] || changed[key] {
			kind = rowChanged
		}
		b.Reset()
		renderRow(&b, k, cols, []cell{{text: a.PublicIP}, {text: w.Owners[key].String()}, {text: a.AssociationID}}, kind, l.w-1)
		l.out = append(l.out, " "+b.String())
	}
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

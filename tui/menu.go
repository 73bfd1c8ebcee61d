package tui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// menuLines lists every action for the target; refused ones say why and
// what would have to happen first. It returns the cursor's last line.
func (f *actionFlow) menuLines(l *lines) int {
	k := &l.st.ink
	l.title("Actions on "+f.target, "")
	keep := 0
	// A reason every action shares (read-only, stale data, a name that
	// looks like another) is said once, above them, not under each.
	shared := sharedRefusals(f.items)
	if len(shared) > 0 {
		l.add(&k.Danger, " Every action here is refused:")
		for _, r := range shared {
			l.wrapped(&k.Danger, " ✗ ", "   ", r.Reason)
			if r.Fix != "" {
				l.wrapped(&k.Faint, "   → ", "     ", r.Fix)
			}
		}
		l.blank()
	}
	for i, it := range f.items {
		status, sk := "refused", &k.Danger
		if it.Available {
			status, sk = "available", &k.Ok
		}
		label := "  " + it.Label
		if i == f.cur {
			label = "▸ " + it.Label
		}
		row := pad(l.st.mask(label), max(l.w-len(status)-1, 1), false) + " "
		if i == f.cur {
			l.add(&k.Selected, row+status)
		} else {
			l.out = append(l.out, padStyled(row, l.w-len(status))+sk.render(status))
		}
		for _, r := range it.Refusals {
			if slices.Contains(shared, r) {
				continue
			}
			l.wrapped(&k.Danger, "   ✗ ", "     ", r.Reason)
			if r.Fix != "" {
				l.wrapped(&k.Faint, "     → ", "       ", r.Fix)
			}
		}
		for _, w := range it.Warnings {
			l.wrapped(&k.Warn, "   ! ", "     ", w)
		}
		if len(it.Choices) > 0 {
			l.add(&k.Faint, "     → enter picks the destination")
		}
		if it.Count != nil {
			l.add(&k.Faint, "     → enter asks for the new "+it.Count.What)
		}
		if i == f.cur {
			keep = len(l.out) - 1
		}
	}
	l.blank()
	l.wrapped(&k.Faint, " ", " ", "enter checks AWS again and shows what would happen; nothing runs until you type the phrase it asks for")
	if len(f.items) == 0 {
		l.add(&k.Faint, " no action applies here")
	}
	return keep
}

// sharedRefusals are the refusals every item of a menu carries.
func sharedRefusals(items []model.MenuItem) []model.Refusal {
	if len(items) < 2 {
		return nil
	}
	var out []model.Refusal
	for _, r := range items[0].Refusals {
		all := true
		for _, it := range items[1:] {
			if !slices.Contains(it.Refusals, r) {
				all = false
				break
			}
		}
		if all && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// picker chooses one of a menu item's choices: where to move a cluster's
// EIPs, out of every other cluster of the account. Typing filters the
// destinations by name; the arrows move; enter checks the one under the
// cursor with AWS, as a menu item would be.
type picker struct {
	item   model.MenuItem
	filter string
	idx    []int // the choices that match the filter
	cur    int   // into idx
}

// pickResult is what a key did in the picker.
type pickResult int

const (
	pickNone   pickResult = iota
	pickBack              // esc with no filter: back to the menu
	pickChosen            // enter on a choice
)

func newPicker(it model.MenuItem) picker {
	p := picker{item: it}
	p.refilter()
	return p
}

// dest is what a choice is picked by: its destination cluster.
func dest(c model.MenuItem) string { return model.Display(c.Intent.DestCluster) }

func (p *picker) refilter() {
	f := strings.ToLower(p.filter)
	p.idx = p.idx[:0]
	for i, c := range p.item.Choices {
		if f == "" || strings.Contains(strings.ToLower(dest(c)), f) {
			p.idx = append(p.idx, i)
		}
	}
	p.cur = min(p.cur, max(len(p.idx)-1, 0))
}

// chosen is the choice under the cursor.
func (p *picker) chosen() (model.MenuItem, bool) {
	if len(p.idx) == 0 {
		return model.MenuItem{}, false
	}
	return p.item.Choices[p.idx[p.cur]], true
}

// pickPage is how far pgup and pgdn move.
const pickPage = 10

func (p *picker) key(msg tea.KeyPressMsg) pickResult {
	switch msg.String() {
	case "esc":
		if p.filter == "" {
			return pickBack
		}
		p.filter = ""
		p.refilter()
	case "enter":
		if len(p.idx) > 0 {
			return pickChosen
		}
	case "up", "ctrl+p":
		p.cur = max(p.cur-1, 0)
	case "down", "ctrl+n":
		p.cur = min(p.cur+1, max(len(p.idx)-1, 0))
	case "pgup":
		p.cur = max(p.cur-pickPage, 0)
	case "pgdown":
		p.cur = min(p.cur+pickPage, max(len(p.idx)-1, 0))
	case "home":
		p.cur = 0
	case "end":
		p.cur = max(len(p.idx)-1, 0)
	case "backspace":
		if r := []rune(p.filter); len(r) > 0 {
			p.filter = string(r[:len(r)-1])
			p.refilter()
		}
	default:
		// Typed text filters; a paste or a control key never reaches
		// the screen unsanitised.
		if t := model.Sanitize(msg.Text); t != "" && len(p.filter) < 64 {
			p.filter += t
			p.refilter()
		}
	}
	return pickNone
}

// lines draws the picker; it returns the cursor's last line.
func (p *picker) lines(l *lines) int {
	k := &l.st.ink
	l.title(p.item.Label, "")
	shown := itoa(len(p.idx)) + " of " + itoa(len(p.item.Choices))
	l.add(&k.Filter, " destination: "+p.filter+"▏  ("+shown+"; type to filter)")
	l.blank()
	keep := len(l.out) - 1
	for i, ci := range p.idx {
		c := p.item.Choices[ci]
		status, sk := "refused", &k.Danger
		if c.Available {
			status, sk = "available", &k.Ok
		}
		label := "  " + dest(c)
		if i == p.cur {
			label = "▸ " + dest(c)
		}
		row := pad(l.st.mask(label), max(l.w-len(status)-1, 1), false) + " "
		if i != p.cur {
			l.out = append(l.out, padStyled(row, l.w-len(status))+sk.render(status))
			continue
		}
		l.add(&k.Selected, row+status)
		for _, r := range c.Refusals {
			l.wrapped(&k.Danger, "   ✗ ", "     ", r.Reason)
			if r.Fix != "" {
				l.wrapped(&k.Faint, "     → ", "       ", r.Fix)
			}
		}
		for _, w := range c.Warnings {
			l.wrapped(&k.Warn, "   ! ", "     ", w)
		}
		keep = len(l.out) - 1
	}
	if len(p.idx) == 0 {
		l.add(&k.Faint, " no destination matches \""+p.filter+"\" (esc clears)")
	}
	return keep
}

package tui

import (
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// countInput asks for the number a menu item needs before it can be
// prepared (model.CountAsk): a group's new desired capacity, a service's
// new desired count, 0 included. It takes digits only, says at once
// when the number is outside what the target takes, and hands the item
// with its number to Prepare on enter; nothing runs until the phrase is
// typed on the confirmation that follows.
type countInput struct {
	item model.MenuItem
	text string
	err  string
}

// countDigits caps what can be typed: model.MaxCount has four.
const countDigits = 4

func newCountInput(it model.MenuItem) countInput { return countInput{item: it} }

// chosen is the item with the number typed, once it is one the target
// takes.
func (c *countInput) chosen() (model.MenuItem, bool) {
	n, err := strconv.Atoi(c.text)
	if c.text == "" || err != nil || c.item.Count == nil || c.item.Count.Check(n) != "" {
		return model.MenuItem{}, false
	}
	return c.item.WithCount(n), true
}

func (c *countInput) key(msg tea.KeyPressMsg) pickResult {
	switch msg.String() {
	case "esc":
		return pickBack
	case "enter":
		if c.text == "" {
			c.err = "type the new " + c.item.Count.What + " first (0 included)"
			return pickNone
		}
		n, _ := strconv.Atoi(c.text)
		if why := c.item.Count.Check(n); why != "" {
			c.err = why
			return pickNone
		}
		return pickChosen
	case "backspace":
		if len(c.text) > 0 {
			c.text = c.text[:len(c.text)-1]
		}
		c.err = ""
	default:
		for _, r := range msg.Text {
			switch {
			case r < '0' || r > '9':
				c.err = "digits only: the new " + c.item.Count.What
			case len(c.text) >= countDigits:
				c.err = "at most " + strconv.Itoa(model.MaxCount)
			default:
				c.text += string(r)
				c.err = ""
			}
		}
	}
	return pickNone
}

// lines draws the prompt; it returns the line to keep in sight.
func (c *countInput) lines(l *lines) int {
	k := &l.st.ink
	ask := c.item.Count
	l.title(c.item.Label, "")
	l.add(&k.Filter, " new "+ask.What+": "+c.text+"▏  (now "+strconv.Itoa(ask.Current)+"; "+ask.Limits()+")")
	keep := len(l.out) - 1
	if c.err != "" {
		l.wrapped(&k.Danger, " ✗ ", "   ", c.err)
	}
	for _, r := range c.item.Refusals {
		l.wrapped(&k.Danger, " ✗ ", "   ", r.Reason)
		if r.Fix != "" {
			l.wrapped(&k.Faint, "   → ", "     ", r.Fix)
		}
	}
	l.blank()
	l.wrapped(&k.Faint, " ", " ", "enter checks AWS again with this number and shows what would happen; nothing runs until you type the phrase it asks for")
	return keep
}

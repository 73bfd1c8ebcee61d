package tui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// feedLimit bounds the event feed. A refresh that reports thousands of
// changes (a fleet appearing at once) keeps only the newest.
const feedLimit = 500

// entry is one line of the feed.
type entry struct {
	at   time.Time
	text string
	tone tone
}

type tone int

const (
	toneInfo tone = iota
	toneGood
	toneWarn
	toneBad
)

// eventsPane is the feed of what changed between refreshes (model.Diff),
// newest first, so "the EIPs moved to green" is on screen within one
// refresh of happening, not discovered later by its absence.
type eventsPane struct {
	table
	entries []entry        // newest first
	zone    *time.Location // where times are shown; nil: UTC

	// open is the entry shown whole (enter), nil when none: a line
	// cut to the pane's width may have lost what the operator needs.
	open *entry
}

func newEventsPane(st *styles, zone *time.Location) *eventsPane {
	p := &eventsPane{zone: zone}
	p.st = st
	p.cols = []column{
		// Each time carries its zone: a line copied into a chat must
		// still say when.
		{title: "TIME", width: width(clockTime(time.Time{}, zone))},
		{title: "EVENT", width: 10, flex: true, want: 40},
	}
	return p
}

// add puts events at the top of the feed. Within one refresh the
// events keep the order model.Diff gave them.
func (p *eventsPane) add(es []entry) {
	if len(es) == 0 {
		return
	}
	if len(es) > feedLimit {
		es = es[:feedLimit]
	}
	atTop := p.cur.pos == 0
	keep := len(p.entries)
	if keep+len(es) > feedLimit {
		keep = feedLimit - len(es)
	}
	merged := make([]entry, 0, len(es)+keep)
	merged = append(merged, es...)
	merged = append(merged, p.entries[:keep]...)
	p.entries = merged
	p.reset(len(p.entries), -1, p.match)
	if atTop {
		p.cur.to(0, p.rows) // follow the feed unless the operator scrolled
	} else {
		p.cur.move(len(es), p.rows) // stay on the entry being read
	}
}

func (p *eventsPane) clear() {
	p.entries = nil
	p.cur = cursor{}
	p.reset(0, -1, p.match)
}

func (p *eventsPane) setFilter(f string) {
	p.filter = strings.ToLower(f)
	p.reset(len(p.entries), -1, p.match)
}

func (p *eventsPane) update(msg tea.KeyPressMsg, k *keyMap) tea.Cmd {
	if p.navigate(msg, k) {
		return nil
	}
	if msg.String() == "enter" {
		if i := p.selected(); i >= 0 {
			e := p.entries[i] // a copy: the feed moves on meanwhile
			p.open = &e
		}
	}
	return nil
}

// detailView shows the open entry whole, wrapped, in w x h: its date,
// time and zone, and its text, which in the feed may have been cut.
func (p *eventsPane) detailView(w, h int) string {
	e := p.open
	l := &lines{w: w, st: p.st}
	l.title("Event at "+fullTime(e.at, p.zone), "")
	l.blank()
	l.wrapped(p.toneInk(e.tone), " ", " ", e.text)
	l.blank()
	l.add(&p.st.ink.Faint, " esc or enter closes")
	return l.block(h, 0)
}

// toneInk is how a tone is drawn; nil: the terminal's own colours.
func (p *eventsPane) toneInk(t tone) *ink {
	ik := &p.st.ink
	switch t {
	case toneGood:
		return &ik.Ok
	case toneWarn:
		return &ik.Warn
	case toneBad:
		return &ik.Danger
	}
	return nil
}

func (p *eventsPane) view(w, h int, focused bool, now time.Time) string {
	return p.render(p.frame(focused, now), w, h)
}

func (p *eventsPane) frame(focused bool, now time.Time) tableView {
	return tableView{
		title:   "Events " + count(p.len(), p.total),
		focused: focused,
		header:  false,
		empty:   "no changes since airlock started",
		cells: func(i int, buf []cell) ([]cell, rowKind) {
			e := &p.entries[i]
			ik := &p.st.ink
			buf = append(buf, cell{text: clockTime(e.at, p.zone), style: &ik.Faint},
				cell{text: e.text, style: p.toneInk(e.tone), cut: cutWords})
			kind := rowPlain
			if now.Sub(e.at) < highlightFor {
				kind = rowChanged
			}
			return buf, kind
		},
	}
}

// entryOf turns a model event into a feed line. The wording is
// model.Event.String's; the tone says how much it should worry the
// operator.
func entryOf(e model.Event) entry {
	t := toneInfo
	switch e.Kind {
	case model.EventEIPReleased, model.EventInstanceVanished, model.EventStatusFailed,
		model.EventGroupShort, model.EventActivityFailed:
		t = toneBad
	case model.EventEIPMoved, model.EventEIPDisassociated, model.EventLiveChanged, model.EventInstanceState:
		t = toneWarn
	case model.EventEIPNew, model.EventEIPAssociated, model.EventInstanceAppeared, model.EventStatusRecovered,
		model.EventGroupRecovered:
		t = toneGood
	}
	return entry{at: e.At, text: e.String(), tone: t}
}

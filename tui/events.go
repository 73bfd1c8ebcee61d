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
	entries []entry // newest first
}

func newEventsPane(st *styles) *eventsPane {
	p := &eventsPane{}
	p.st = st
	p.cols = []column{
		{title: "TIME", width: 8},
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
	p.navigate(msg, k)
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
			var mood *ink
			switch e.tone {
			case toneGood:
				mood = &ik.Ok
			case toneWarn:
				mood = &ik.Warn
			case toneBad:
				mood = &ik.Danger
			}
			buf = append(buf, cell{text: e.at.Format("15:04:05"), style: &ik.Faint}, cell{text: e.text, style: mood})
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
	case model.EventEIPReleased, model.EventInstanceVanished, model.EventStatusFailed:
		t = toneBad
	case model.EventEIPMoved, model.EventEIPDisassociated, model.EventLiveChanged, model.EventInstanceState:
		t = toneWarn
	case model.EventEIPNew, model.EventEIPAssociated, model.EventInstanceAppeared, model.EventStatusRecovered:
		t = toneGood
	}
	return entry{at: e.At, text: e.String(), tone: t}
}

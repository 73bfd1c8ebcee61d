package model

import "fmt"

// Selection is the row the action menu was opened on. Exactly one field
// is set.
type Selection struct {
	Cluster      string // a cluster row (or the untagged group)
	InstanceID   string // an instance row
	AllocationID string // an EIP row, by AddressKey
	Group        string // an Auto Scaling group row (the Capacity page), raw
	// ECSCluster and Service: an ECS service row (the Services page),
	// raw.
	ECSCluster string
	Service    string
}

// MenuItem is one action the menu offers for a selection.
type MenuItem struct {
	Label     string // "Terminate cluster green"
	Intent    Intent // what to Prepare if the operator picks it
	Available bool
	Refusals  []Refusal // why not, when not available
	Warnings  []string  // what the confirmation will stress, when available

	// Choices, when not empty, are the actions this item stands for,
	// one per destination cluster, and the item itself has no Intent:
	// picking it means picking one of them. A cluster in a large
	// account can move its EIPs to any of hundreds of others, and a menu
	// listing each would bury the actions that matter under two hundred
	// lines saying the same thing. The item is Available when any
	// choice is; when none is, Refusals holds each reason once, with
	// how many destinations it holds for.
	Choices []MenuItem

	// Count, when not nil, is a number the operator must give before
	// the item is prepared (menu_scaling.go); WithCount makes the item
	// to prepare.
	Count *CountAsk
}

// MenuInlineMoves is how many "move the EIPs to ..." items the menu
// lists one by one; with more destinations they become one item with
// Choices.
const MenuInlineMoves = 3

// Menu lists every action that applies to sel, each available or refused
// with its reasons, by applying Judge's rules to the world on screen as if
// it had just been fetched. So a refusal visible from the screen (a live
// cluster, read-only mode, stale data) shows in the menu, before anything
// is prepared. Available means "worth preparing", never "done on
// keypress": picking an item still goes through a fresh fetch, Judge, the
// typed phrase, and Judge again.
//
// A cluster offers terminate, stop, disassociate and release of its EIPs,
// and a move of its EIPs to each other cluster; an instance offers
// terminate and stop; an EIP offers disassociate and release; an Auto
// Scaling group a new desired capacity and suspending or resuming Launch
// and Terminate; an ECS service scaling, deletion and a new deployment.
func Menu(w World, sel Selection, f Freshness, p Policy) []MenuItem {
	seen, facts := SeenOf(w, f), FactsOf(w)
	addrs := addressIndex(facts.Addresses)
	var items []MenuItem
	judgeIt := func(in Intent) Verdict { return judge(in, seen, facts, p, w, addrs) }
	add := func(label string, in Intent) {
		v := judgeIt(in)
		it := MenuItem{Label: label, Intent: in, Available: v.Allowed, Refusals: v.Refusals}
		if v.Allowed {
			it.Warnings = v.Warnings
		}
		items = append(items, it)
	}
	addCount := func(label string, in Intent, ask CountAsk) {
		it := judgeCount(judgeIt, in, ask)
		it.Label = label
		items = append(items, it)
	}

	switch {
	case sel.Cluster != "":
		name := sel.Cluster
		var ids, allocs []string
		if c, ok := w.Cluster(name); ok {
			ids = c.InstanceIDs
		}
		for _, a := range w.AddressesOf(name) {
			allocs = append(allocs, AddressKey(a))
		}
		shown := Display(name)
		add("Terminate cluster "+shown, Intent{Action: ActionTerminate, Cluster: name, InstanceIDs: ids})
		add("Stop cluster "+shown, Intent{Action: ActionStop, Cluster: name, InstanceIDs: ids})
		add(fmt.Sprintf("Disassociate the EIPs of %s", shown), Intent{Action: ActionDisassociate, Cluster: name, AllocationIDs: allocs})
		add(fmt.Sprintf("Release the EIPs of %s", shown), Intent{Action: ActionRelease, Cluster: name, AllocationIDs: allocs})
		if name == UntaggedCluster {
			break
		}
		before := len(items)
		for _, dst := range w.Clusters {
			if dst.Name != name && !dst.Untagged {
				add(fmt.Sprintf("Move the EIPs of %s to %s", shown, dst.Display),
					Intent{Action: ActionMoveEIPs, Cluster: name, DestCluster: dst.Name, AllocationIDs: allocs})
			}
		}
		if moves := items[before:]; len(moves) > MenuInlineMoves {
			items = append(items[:before:before], groupMoves(shown, moves))
		}
	case sel.InstanceID != "":
		id := sel.InstanceID
		add("Terminate instance "+id, Intent{Action: ActionTerminate, InstanceIDs: []string{id}})
		add("Stop instance "+id, Intent{Action: ActionStop, InstanceIDs: []string{id}})
	case sel.AllocationID != "":
		key := sel.AllocationID
		ip := key
		if a, ok := w.Address(key); ok {
			ip = a.PublicIP
		}
		add("Disassociate EIP "+ip, Intent{Action: ActionDisassociate, AllocationIDs: []string{key}})
		add("Release EIP "+ip, Intent{Action: ActionRelease, AllocationIDs: []string{key}})
	case sel.Group != "":
		groupMenu(w, sel.Group, add, addCount)
	case sel.Service != "":
		serviceMenu(w, sel.ECSCluster, sel.Service, add, addCount)
	}
	return items
}

// groupMoves makes one item of the moves to every other cluster: its
// label says how many destinations there are and how many would take
// the EIPs; when none would, each reason is given once.
func groupMoves(shown string, moves []MenuItem) MenuItem {
	g := MenuItem{Choices: moves}
	open := 0
	for _, m := range moves {
		if m.Available {
			open++
		}
	}
	g.Available = open > 0
	g.Label = fmt.Sprintf("Move the EIPs of %s to another cluster (%d %s, %d available)",
		shown, len(moves), plural(len(moves), "destination", "destinations"), open)
	if g.Available {
		return g
	}
	// One line per rule: the same reason for every destination is said
	// once; reasons that name their destination are counted, with the
	// first as an example.
	type seen struct {
		first   Refusal
		n       int
		differs bool
	}
	byRule := map[Rule]*seen{}
	var order []Rule
	for _, m := range moves {
		for _, r := range m.Refusals {
			s, ok := byRule[r.Rule]
			if !ok {
				s = &seen{first: r}
				byRule[r.Rule] = s
				order = append(order, r.Rule)
			}
			s.n++
			s.differs = s.differs || r.Reason != s.first.Reason
		}
	}
	for _, rule := range order {
		s := byRule[rule]
		r := s.first
		switch {
		case s.differs && s.n == len(moves):
			r.Reason = fmt.Sprintf("all %d destinations, e.g. %s", s.n, r.Reason)
		case s.differs:
			r.Reason = fmt.Sprintf("%d of %d destinations, e.g. %s", s.n, len(moves), r.Reason)
		case s.n < len(moves):
			r.Reason = fmt.Sprintf("%d of %d destinations: %s", s.n, len(moves), r.Reason)
		}
		g.Refusals = append(g.Refusals, r)
	}
	return g
}

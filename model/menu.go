package model

import "fmt"

// Selection is the row the action menu was opened on. Exactly one field
// is set.
type Selection struct {
	Cluster      string // a cluster row (or the untagged group)
	InstanceID   string // an instance row
	AllocationID string // an EIP row, by AddressKey
}

// MenuItem is one action the menu offers for a selection.
type MenuItem struct {
	Label     string // "Terminate cluster green"
	Intent    Intent // what to Prepare if the operator picks it
	Available bool
	Refusals  []Refusal // why not, when not available
	Warnings  []string  // what the confirmation will stress, when available
}

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
// terminate and stop; an EIP offers disassociate and release.
func Menu(w World, sel Selection, f Freshness, p Policy) []MenuItem {
	seen, facts := SeenOf(w, f), FactsOf(w)
	addrs := addressIndex(facts.Addresses)
	var items []MenuItem
	add := func(label string, in Intent) {
		v := judge(in, seen, facts, p, w, addrs)
		it := MenuItem{Label: label, Intent: in, Available: v.Allowed, Refusals: v.Refusals}
		if v.Allowed {
			it.Warnings = v.Warnings
		}
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
		for _, dst := range w.Clusters {
			if dst.Name != name && !dst.Untagged {
				add(fmt.Sprintf("Move the EIPs of %s to %s", shown, dst.Display),
					Intent{Action: ActionMoveEIPs, Cluster: name, DestCluster: dst.Name, AllocationIDs: allocs})
			}
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
	}
	return items
}

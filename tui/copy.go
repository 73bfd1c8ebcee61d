package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// Copy (`c`): the selected row's ID or IP goes to the clipboard through
// the terminal (OSC 52), which works over SSH and inside tmux (with
// set-clipboard on), where airlock cannot reach a clipboard itself. On-call
// engineers paste IDs into chat and into other tools; with the mouse left
// to the terminal (the default) they can also select text by hand.

// copySelected copies what the details describe, or the focused pane's
// row, and says so in the footer.
func (m *Model) copySelected() tea.Cmd {
	text, what, ok := m.copyTarget()
	if !ok {
		m.say(what)
		return nil
	}
	m.say("copied " + what + " to the clipboard")
	return tea.SetClipboard(text)
}

// copyTarget is the text to copy and how the notice names it, or why
// nothing is copied.
func (m *Model) copyTarget() (text, what string, ok bool) {
	if d := m.detail; d != nil {
		switch d.kind {
		case detailInstance:
			return d.id, d.id, true
		case detailAddress:
			if a, found := m.world.Address(d.id); found {
				return a.PublicIP, a.PublicIP, true
			}
			return d.id, d.id, true
		case detailCluster:
			return clusterCopy(d.id)
		case detailEvent:
			return d.ev.text, "the event", true
		}
	}
	switch m.focus {
	case paneClusters:
		if name := m.clusters.selectedName(); name != "" {
			return clusterCopy(name)
		}
	case paneAddresses:
		if i := m.addresses.selected(); i >= 0 {
			ip := m.addresses.addrs[i].PublicIP
			return ip, ip, true
		}
	case paneInstances:
		if id := m.instances.selectedID(); id != "" {
			return id, id, true
		}
	case paneEvents:
		if i := m.events.selected(); i >= 0 {
			return m.events.entries[i].text, "the event", true
		}
	}
	return "", "nothing selected to copy", false
}

// clusterCopy copies a cluster's name only when what is copied is what
// the screen shows: a name with invisible or control characters would
// paste as something else than it reads (into a shell, a ticket, a
// config), and the untagged group is not a name at all.
func clusterCopy(name string) (string, string, bool) {
	switch {
	case name == model.UntaggedCluster:
		return "", "(untagged) is a group, not a cluster name: nothing copied", false
	case model.Display(name) != name || model.Sanitize(name) != name:
		return "", "not copied: the cluster name holds invisible characters (" + model.Display(name) + ")", false
	}
	return name, name, true
}

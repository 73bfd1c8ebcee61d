package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// The command line (`:`). It is the find prompt with a few verbs, after
// k9s's `:ctx` and `:ns`, for an operator who knows where to go and would
// rather type it than pick it:
//
//	:profile acme-staging   switch profile (as P, then the profile)
//	:region eu-west-1       switch region (as R, then the region)
//	:capacity, :network, :services, :fleet   show that page
//	:help                   the help screen
//	:find 10.0.3.45, :10.0.3.45              find an instance
//
// Anything that is not a verb is a search, as before, so ":10.0.3.45"
// still finds. A switch by name goes through the same picker as P and R,
// with the same checks: a profile that does not exist leaves the picker
// open, filtered by what was typed, and nothing changes.

// commandVerb is what a command line does.
type commandVerb int

const (
	cmdNone commandVerb = iota // not a command: a search
	cmdProfile
	cmdRegion
	cmdPage
	cmdHelp
)

// command is a parsed command line.
type command struct {
	verb commandVerb
	arg  string // the profile or region; "" opens the picker
	page int    // for cmdPage
}

// parseCommand reads a command line as typed after ":" (the ":" itself
// may be there too). Verbs and page names are matched without regard to
// case; the profile or region is kept as typed, since profile names are
// case-sensitive in the AWS config file.
func parseCommand(typed string) command {
	line := strings.TrimSpace(model.Sanitize(typed))
	line = strings.TrimPrefix(line, ":")
	verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	arg = strings.TrimSpace(arg)
	switch v := strings.ToLower(verb); {
	case v == "profile":
		return command{verb: cmdProfile, arg: arg}
	case v == "region":
		return command{verb: cmdRegion, arg: arg}
	case v == "help" && arg == "":
		return command{verb: cmdHelp}
	case arg == "":
		if i := pageNamed(v); i >= 0 {
			return command{verb: cmdPage, page: i}
		}
	}
	return command{}
}

// pageNamed is the page called name (lower case), or -1.
func pageNamed(name string) int {
	if name == strings.ToLower(fleetName) {
		return fleetPage
	}
	for i, spec := range pageRegistry {
		if name == strings.ToLower(spec.name) {
			return i + 1
		}
	}
	return -1
}

// describe says what enter will do, for the line under the prompt.
func (c command) describe() string {
	switch c.verb {
	case cmdProfile:
		if c.arg == "" {
			return "enter: choose a profile"
		}
		return "enter: switch to profile " + c.arg
	case cmdRegion:
		if c.arg == "" {
			return "enter: choose a region"
		}
		return "enter: switch to region " + c.arg
	case cmdPage:
		name := fleetName
		if c.page > fleetPage {
			name = pageRegistry[c.page-1].name
		}
		return "enter: show the " + name + " page"
	case cmdHelp:
		return "enter: show the help"
	}
	return ""
}

// commandHelp is the empty command line's hint.
const commandHelp = "type an IP, an instance ID or a name; or profile NAME, region NAME, fleet, capacity, network, services, help"

// runCommand does what the command line says; the prompt has closed.
func (m *Model) runCommand(c command) tea.Cmd {
	switch c.verb {
	case cmdProfile:
		return m.switchTo(switchProfile, c.arg)
	case cmdRegion:
		return m.switchTo(switchRegion, c.arg)
	case cmdPage:
		m.showPage(c.page)
	case cmdHelp:
		m.openHelp()
	}
	return nil
}

// switchTo opens the picker of kind and, when name is not "", chooses
// name in it as if typed and entered: at once for a region, once the
// profiles are read for a profile.
func (m *Model) switchTo(kind switchKind, name string) tea.Cmd {
	cmd := m.openSwitcher(kind)
	s := m.sw.open
	if s == nil || name == "" {
		return cmd
	}
	s.want = name
	if kind == switchProfile {
		return cmd // chosen when the profiles have been read (profilesLoaded)
	}
	return m.chooseWanted()
}

// chooseWanted chooses the item the command line named in the open
// picker: an exact match is switched to (after its MFA code, if it asks
// for one); otherwise the picker stays open, filtered by the name, and
// says there is no such item. Nothing changes until the operator picks.
func (m *Model) chooseWanted() tea.Cmd {
	s := m.sw.open
	want := s.want
	s.want = ""
	for _, it := range s.items {
		if it.name != want {
			continue
		}
		if it.mfa != "" {
			return m.askMFA(it)
		}
		return m.connect(it, "")
	}
	s.filter = model.Sanitize(want)
	s.refilter()
	what := "profile"
	if s.kind == switchRegion {
		what = "region"
	}
	m.say("no " + what + " named " + model.Display(want) + ": choose one, or esc")
	return nil
}

package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/airlock-ops/airlock/themes"
)

// The help screen (`?`): every key of every mode, then what every column
// and marker on the screen means, for someone who has never used airlock
// (on a screen shared during an incident, that is most viewers). It
// replaces the panes under the banner, wraps at the terminal's width and
// scrolls. The keys are read from the keyMap, so help shows the keys that
// really work; TestHelpListsEveryBinding fails if a binding is left out.

// helpTerm is one entry: a term (keys, a column, a marker) and what it
// means. A term drawn with an ink shows the style it explains.
type helpTerm struct {
	term string
	ink  *ink
	text string
}

// keyNames spells key names the way the footer does.
var keyNames = map[string]string{
	"up": "↑", "down": "↓", "pgdown": "pgdn",
}

// keysOf is every key of b, as help writes them: "↑/k".
func keysOf(b key.Binding) string {
	ks := b.Keys()
	out := make([]string, len(ks))
	for i, k := range ks {
		if n, ok := keyNames[k]; ok {
			k = n
		}
		out[i] = k
	}
	return strings.Join(out, "/")
}

// helpSection is a heading and its entries.
type helpSection struct {
	title string
	terms []helpTerm
}

// helpContent is the whole help, for a dashboard whose mouse capture is
// on or off.
func helpContent(k *keyMap, in *inks, mouse bool) []helpSection {
	kt := func(b key.Binding, text string) helpTerm { return helpTerm{term: keysOf(b), text: text} }
	t := func(term, text string) helpTerm { return helpTerm{term: term, text: text} }
	styled := func(term string, k *ink, text string) helpTerm { return helpTerm{term: term, ink: k, text: text} }

	mouseTerms := []helpTerm{
		t("off", "the terminal keeps the mouse, so text can be selected and copied (in tmux and over SSH too). Start airlock with --mouse to scroll with the wheel and click rows."),
	}
	if mouse {
		mouseTerms = []helpTerm{
			t("wheel", "scroll the pane under the pointer, focused or not"),
			t("click", "focus the pane and select the row clicked"),
			t("selecting", "while airlock has the mouse, most terminals select text with shift held (tmux: without --mouse)"),
		}
	}

	return withPageHelp(k, in, []helpSection{
		{"Keys on the dashboard", []helpTerm{
			kt(k.Up, "up one row"),
			kt(k.Down, "down one row"),
			kt(k.PageUp, "up one page"),
			kt(k.PageDown, "down one page"),
			kt(k.Home, "first row"),
			kt(k.End, "last row"),
			kt(k.Next, "next pane (the focused pane has a heavy rule and ▶; keys act on it)"),
			kt(k.Prev, "previous pane"),
			kt(k.Drill, "on a cluster: its instances; on an instance or an Elastic IP: its details"),
			kt(k.Detail, "details of the row: everything airlock knows about an instance, an Elastic IP or a cluster (its members), or an event in full"),
			kt(k.Copy, "copy the row's ID or IP (a cluster's name, an event's text) to the clipboard; the terminal must accept OSC 52 (tmux: set -g set-clipboard on)"),
			kt(k.Sort, "sort the focused pane by its next column; the header marks it"),
			kt(k.Filter, "filter the focused pane by what its rows show (state words, FAILED, IPs, cluster, name)"),
			kt(k.Back, "clear the filter, or go back to Clusters"),
			kt(k.Find, "find an instance by IP, ID or name in any cluster and go to it (\":find 10.0.3.45\" works as typed); \":\" is also the command line, on every page"),
			kt(k.Action, "actions on the row (terminate, stop, release EIPs...): each says whether it is allowed and why not"),
			kt(k.Refresh, "refresh now"),
			kt(k.Pause, "pause auto-refresh (the banner says PAUSED); p again resumes and refreshes"),
			kt(k.Profile, "switch to another profile of the shared AWS config file (type to filter, ↑/↓, enter; a profile with mfa_serial asks for its code): every pane empties at once and the banner reads unconfirmed until STS answers"),
			kt(k.Region, "switch to another region of the partition, same profile, the same way"),
			kt(k.Help, "this help"),
			kt(k.Quit, "quit"),
			t("ctrl+z", "suspend; fg resumes"),
		}},
		{"Keys in the filter prompt (" + keysOf(k.Filter) + ")", []helpTerm{
			t("text", "filter as you type, ignoring case; paste works"),
			kt(k.Apply, "keep the filter and close the prompt (the pane title still shows it)"),
			kt(k.Back, "clear the filter and close the prompt"),
		}},
		{"Keys in find (" + keysOf(k.Find) + ")", []helpTerm{
			t("text", "an IP (private, public or Elastic), an instance ID or a name, whole or in part"),
			t("↑/↓", "choose a match (pgup/pgdn, home/end too; letters are text here)"),
			kt(k.Apply, "go to the match: its cluster selected, its row under the cursor"),
			kt(k.Back, "close"),
		}},
		{"The command line (:)", []helpTerm{
			t("profile NAME", "switch to that profile, as P does (its MFA code is asked if it has mfa_serial); no NAME: the picker"),
			t("region NAME", "switch to that region, as R does; no NAME: the picker"),
			t("fleet, capacity, network, services", "show that page"),
			t("help", "this help"),
			t("other text", "find an instance, as f does"),
		}},
		{"Keys in details (" + keysOf(k.Detail) + ", " + keysOf(k.Drill) + ")", []helpTerm{
			t("↑/↓ pgup/pgdn", "scroll (and g/G, home/end)"),
			kt(k.Copy, "copy the ID or IP described"),
			kt(k.Action, "actions on what is described"),
			kt(k.Back, "close; r, p and ? work here too"),
			t("storage", "an instance's or a cluster's details end with its EBS storage, fetched when they open and every 30s while open: each volume (size, type, state, attachment, whether it is deleted with the instance: DeleteOnTermination), the snapshots being copied (percentage, start, rate in %/h over the fetches that saw it, when it should be done), and when each volume was last backed up (its newest completed snapshot, by when it started)"),
		}},
		{"Keys in this help", []helpTerm{
			t("↑/↓ pgup/pgdn", "scroll (and g/G, home/end)"),
			t("?/esc", "close"),
		}},
		{"Keys in the action menu (" + keysOf(k.Action) + ")", []helpTerm{
			t("↑/↓", "choose an action (and g/G, home/end)"),
			kt(k.Drill, "check the action with AWS: fetches the targets again and shows what would happen; nothing runs yet"),
			t("esc/x", "close"),
			t("picker", "\"Move the EIPs … to another cluster (N destinations)\": enter opens a list of destinations; typing filters it (so j and k type), ↑/↓ choose, enter checks that move with AWS"),
			t("number", "\"Set the desired capacity …\", \"Scale service …\": enter asks for the new number (digits, 0 included; outside the group's minimum and maximum is refused at once), enter checks it with AWS, esc goes back"),
		}},
		{"Keys on the confirmation screen", []helpTerm{
			t("text", "type the phrase exactly as shown (the target's name, with the account in production)"),
			t("enter", "confirm: AWS is checked once more, then the action runs"),
			t("esc", "cancel; nothing runs"),
			t("pgup/pgdn", "scroll a long list of instances (the wheel too, with --mouse); the verdict, the account and the prompt stay in view"),
			t("pasting", "spaces and a newline around a pasted phrase are ignored; anything else must match exactly, and an invisible character shows as ⟨U+…⟩"),
			t("enter/esc", "on a refusal or a result: close"),
		}},
		{"Mouse", mouseTerms},
		{"Columns of Clusters", []helpTerm{
			t("CLUSTER", "the value of the cluster tag (--cluster-tag, default Cluster)"),
			t("LIVE", "the cluster holds Elastic IPs, so it is serving traffic; airlock refuses to stop or terminate it. ?: cannot tell, the Elastic IPs could not be fetched (never read ? as not live)"),
			t("RUN", "running instances / all the cluster's instances (0/3: none running; STATES says what they are)"),
			t("EIPS", "Elastic IPs on the cluster's instances; ?: the Elastic IPs could not be fetched"),
			t("CHECKS", "ok: every status check passes; N FAILED: N instances fail a system or instance check; N scheduled: N instances have a scheduled event (retirement, reboot); -: nothing is running to check; ?: the status checks could not be fetched. They are fetched once a minute, as often as EC2 runs them"),
			t("STATES", "instances per state: run running, pend pending, stopping, stop stopped, shut shutting-down, term terminated"),
			t("NEWEST", "age of the newest instance (s seconds, m minutes, h hours, d days)"),
		}},
		{"Columns of Elastic IPs", []helpTerm{
			t("PUBLIC IP", "the Elastic IP; in the accent colour when it is on the cluster under the Clusters cursor"),
			t("OWNER", "cluster/instance it points at now; an instance or network interface alone when it is not one of the clusters; unassociated"),
			t("ALLOCATION", "its allocation ID"),
			t("PRIVATE IP", "the private address it maps to"),
		}},
		{"Columns of Instances", []helpTerm{
			t("INSTANCE", "the instance ID"),
			t("NAME", "the Name tag"),
			t("STATE", "the EC2 state: pending, running, stopping, stopped, shutting-down, terminated"),
			t("EIP", "the Elastic IP on it; +N: N more"),
			t("CHECKS", "ok; FAILED sys, FAILED inst, FAILED both: a failed system or instance check; retiring in 3d, reboot in 5h, stop in 40m, maint in 2d: an event AWS has scheduled and how long until its window opens (d shows the window); init: checks starting; no data: AWS has too little data; -: does not apply (the instance is not running); ?: the status checks could not be fetched. By default (CHECKS▼) the instances with a failed check or a scheduled event come first, the most urgent first, then the rest by ID"),
			t("LAUNCHED", "age since launch"),
			t("AZ", "availability zone"),
			t("TYPE", "instance type"),
			t("PRIVATE IP", "its private address"),
			t("PUBLIC IP", "its own public address (an Elastic IP shows under EIP)"),
		}},
		{"Columns of Events", []helpTerm{
			t("TIME", "when the refresh that saw the change finished, with its zone (UTC unless airlock runs with --utc=false); enter on an event shows it whole"),
			t("EVENT", "what changed between two refreshes, newest first: EIPs moved, clusters going LIVE, instances changing state, checks failing"),
		}},
		{"Markers", []helpTerm{
			t("━▶ Title", "the focused pane"),
			t("▶ ▷", "the selected row: ▶ in the focused pane, ▷ in the others"),
			t("i-0110…0004", "an ID or IP too long for its column keeps its start and end; d shows it whole"),
			t("incomplete", "after a pane's title: its section could not be fetched in full; a pane that says \"unknown: …\" is not empty, airlock could not see it"),
			t("1-5/9", "rows 1 to 5 of 9 are shown; there are more"),
			t("(2 of 3)", "a filter shows 2 of 3 rows; \"filter: gr\" in the title says which"),
			t("▲ ▼", "after a column title: the pane is sorted by it, ▲ ascending, ▼ descending (newest, worst first)"),
			t(strings.TrimSpace(lookAlikeBadge)+" blue", "another cluster's name looks the same (an invisible character differs); airlock refuses to act on either by name"),
			t("⟨U+200B⟩", "an invisible, bidi or control character in a name, made visible"),
			t("(untagged)", "the instances without the cluster tag: a group, not a cluster; whole-cluster actions refuse it"),
			styled("LIVE", &in.Live, "the cluster holds Elastic IPs: it is serving traffic"),
			styled("STALE", &in.Stale, "the data is older than the refresh cycle allows or the last refresh failed; do not trust it as current"),
			styled("PAUSED", &in.Paused, "auto-refresh is off; the screen does not change by itself"),
			t("UNKNOWN", "an account airlock cannot classify is treated as production"),
			t("▲▲", "around PRODUCTION (and UNKNOWN ACCOUNT) on the banner: the environment where a mistake costs most"),
			t("(config)", "after the account on the banner: what placed it in its environment: the configuration file, the IAM alias (alias), nothing because the file does not name it (not in config), or an alias airlock cannot place (alias unknown)"),
			styled("AUDIT LOG NOT WRITABLE", &in.Stale, "the audit log cannot be written: every action is refused until it can"),
		}},
		{"Colours", []helpTerm{
			styled("ok", &in.Ok, "healthy: running, checks passing"),
			styled("scheduled", &in.Warn, "worth a look: pending, stopping, fewer running than launched, an event scheduled, something unknown (?)"),
			styled("FAILED", &in.Danger, "broken or dangerous: a failed check, stopped or terminated, a look-alike name"),
			styled("LIVE", &in.Live, "holds the Elastic IPs"),
			styled("changed", &in.Changed, "the row changed in the last 10 seconds"),
			styled("cursor", &in.Selected, "the selected row of the focused pane (dimmer in the others)"),
			styled("PRODUCTION", &in.EnvLabel[themes.EnvProduction], "the banner's colour is the account's environment: production, and any account airlock cannot classify"),
			styled("STAGING", &in.EnvLabel[themes.EnvStaging], "staging"),
			styled("DEVELOPMENT", &in.EnvLabel[themes.EnvDevelopment], "development"),
		}},
	})
}

// helpTermWidth is the width of the term column.
const helpTermWidth = 13

// helpLines lays the help out at width w: headings, then each term with
// its meaning wrapped beside it.
func helpLines(sections []helpSection, in *inks, w int) []string {
	var out []string
	lead := 2 + helpTermWidth + 1
	for i, s := range sections {
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, in.TitleFocused.render(ansi.Truncate(s.title, w, "…")))
		for _, t := range s.terms {
			term := t.term
			tw := ansi.StringWidth(term)
			if t.ink != nil {
				term = t.ink.render(term)
			}
			first := "  " + term
			room := w - lead
			if tw > helpTermWidth || room < 12 {
				// A long term (or a narrow screen) gets its own line.
				out = append(out, ansi.Truncate(first, w, "…"))
				first, room = strings.Repeat(" ", min(lead, 6)), w-min(lead, 6)
			} else {
				first += strings.Repeat(" ", lead-2-tw)
			}
			for j, line := range wrapWords(t.text, max(room, 10)) {
				if j == 0 {
					out = append(out, first+line)
				} else {
					out = append(out, strings.Repeat(" ", w-room)+line)
				}
			}
		}
	}
	return out
}

// openHelp shows the help from its top.
func (m *Model) openHelp() {
	m.showHelp = true
	m.helpOff = 0
	m.layoutHelp()
}

// layoutHelp lays the help out for the terminal's width and theme.
func (m *Model) layoutHelp() {
	if !m.showHelp || m.lay.w <= 0 {
		return
	}
	m.help = helpLines(helpContent(&m.keys, &m.st.ink, m.opts.Mouse), &m.st.ink, m.lay.w)
}

// helpKey handles a key while help is shown: it scrolls, or closes.
func (m *Model) helpKey(msg tea.KeyPressMsg) {
	k := &m.keys
	page := max(m.helpHeight()-1, 1)
	switch {
	case key.Matches(msg, k.Help, k.Back):
		m.showHelp = false
	case key.Matches(msg, k.Up):
		m.helpOff--
	case key.Matches(msg, k.Down):
		m.helpOff++
	case key.Matches(msg, k.PageUp):
		m.helpOff -= page
	case key.Matches(msg, k.PageDown):
		m.helpOff += page
	case key.Matches(msg, k.Home):
		m.helpOff = 0
	case key.Matches(msg, k.End):
		m.helpOff = len(m.help)
	}
	m.helpOff = max(min(m.helpOff, len(m.help)-m.helpHeight()), 0)
}

// helpHeight is how many lines of help fit under its title.
func (m *Model) helpHeight() int {
	return max(m.lay.footerY-m.lay.top-1, 1)
}

// helpView draws the help in exactly h lines of w cells: a title that
// says where in the help the screen is, then the lines from helpOff.
func (m *Model) helpView(w, h int) string {
	var b strings.Builder
	body := max(h-1, 0)
	off := max(min(m.helpOff, len(m.help)-body), 0)
	renderTitle(&b, &m.st.ink, "Help: every key, and what the screen says", position(off, min(off+body, len(m.help)), len(m.help)), true, w)
	for i := range body {
		b.WriteByte('\n')
		s := ""
		if j := off + i; j < len(m.help) {
			s = m.help[j]
		}
		b.WriteString(padStyled(s, w))
	}
	return b.String()
}

// helpKeys are the keys of the help screen, for the footer.
func helpKeys(k *keyMap) bindings {
	return bindings{short: []key.Binding{withHelp(k.Down, "↑/↓", "scroll"), withHelp(k.Help, "?/esc", "close help"), k.Quit}}
}

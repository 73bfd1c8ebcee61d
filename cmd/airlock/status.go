package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// Exit statuses of "airlock status", a contract with scripts (status -h
// and the README say the same).
const (
	statusComplete   = 0 // every section fetched: what is printed is the account
	statusCouldNot   = 1 // could not start: no config, no credentials, STS did not confirm the account
	statusIncomplete = 3 // printed, but a section failed (sections.<name>.error) or the alias was unreadable
)

const statusSynopsis = `airlock status [--json | --line [--format tmux]] [--redact] [--profile P] [--region R] [--endpoint URL]

Fetches the account's state once and prints it: as text, as JSON (--json),
or as one short line for tmux's status-right (--line). --redact masks
account IDs, public IPs, ARNs and the caller's name in all three, for a
paste into a shared channel (the JSON keeps its shape and says
"redacted": true).

Exit status:
  0  complete: every section was fetched
  1  could not start: no configuration or credentials, or STS did not
     confirm the account (nothing printed can be trusted to be it)
  2  usage error
  3  incomplete: printed, but a section failed or the alias could not be
     read; the JSON has sections.<name>.error, and what could not be
     fetched is unknown ("live": null), never empty or false`

func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var af awsFlags
	fs := newFlagSet("status", statusSynopsis, stderr)
	af.register(fs)
	confPath := fs.String("config", "", "read the configuration from `file` (default: "+configPathHelp+", if it exists); it places accounts in their environments")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	line := fs.Bool("line", false, "print one short line for tmux's status-right (see the README)")
	format := fs.String("format", "plain", "with --line: `plain` text, or tmux colour codes in the environment's colour (tmux)")
	redact := fs.Bool("redact", false, "mask account IDs, public IPs, ARNs and the caller's name (1111••••1111, 203.0.•.•) in what is printed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *redact {
		// Everything printed, errors included (AWS's name the caller's
		// ARN), passes through the mask.
		stdout, stderr = redactWriter{stdout}, redactWriter{stderr}
	}
	conf, err := loadConfig(*confPath)
	if err != nil {
		return reportConfigError(stderr, err)
	}
	conf = af.applyConfig(conf, setFlags(fs))
	if err := af.validate(); err != nil {
		return err
	}
	formatSet := false
	fs.Visit(func(f *flag.Flag) { formatSet = formatSet || f.Name == "format" })
	switch {
	case *line && *asJSON:
		return usageError{"status: --line and --json are two different outputs; pick one"}
	case formatSet && !*line:
		return usageError{"status: --format applies to --line only"}
	case *format != "plain" && *format != "tmux":
		return usageError{fmt.Sprintf("status: --format %q: expected plain or tmux", *format)}
	}

	cfg, err := awsstate.LoadConfig(ctx, af.options())
	if err != nil {
		return fmt.Errorf("%s", awsstate.Explain(err))
	}
	client := awsstate.New(cfg, af.options())
	if *line {
		return runStatusLine(ctx, client, af, conf, *format == "tmux", stdout, stderr)
	}
	// The text shows the clusters, their checks and the Elastic IPs, so it
	// fetches only those: an ECS fetch is paced to its budget (44 s for
	// 2,000 services), and a section not shown must not make the exit
	// status say "incomplete". --json carries everything.
	plan := awsstate.Plan{Sections: textSections}
	if *asJSON {
		plan = awsstate.Plan{} // every section
	}
	snap := client.FetchPlan(ctx, plan)
	var storage model.Storage
	if *asJSON {
		storage = fetchStorage(ctx, client, &snap) // status_storage.go
	}
	world := model.Analyze(snap, af.clusterTag)

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		doc := statusJSON(world, conf)
		addStorageAndECS(&doc, world, storage) // status_storage.go
		doc.Redacted = *redact
		if err := enc.Encode(doc); err != nil {
			return err
		}
	} else if snap.Identity.Confirmed() {
		writeStatusText(stdout, world, conf, *redact)
	}
	// Without a confirmed identity nothing printed can be trusted to be the
	// account the operator thinks it is: fail, and say why in one line.
	if !snap.Identity.Confirmed() {
		reason := "no answer from STS"
		if r, ok := snap.Sections[model.SectionIdentity]; ok && r.Err != nil {
			reason = awsstate.Explain(r.Err)
		}
		fmt.Fprintf(stderr, "airlock: cannot confirm the account: %s\n", reason)
		return exitError{code: statusCouldNot}
	}
	// A script must not read a section that failed as an empty one: say
	// what is missing, and end with a status of its own.
	if missing := incomplete(snap); len(missing) > 0 {
		fmt.Fprintf(stderr, "airlock: incomplete (exit status %d): %s\n", statusIncomplete, strings.Join(missing, "; "))
		return exitError{code: statusIncomplete}
	}
	return nil
}

// textSections are what the text form of status prints.
var textSections = []model.Section{model.SectionIdentity, model.SectionAddresses, model.SectionInstances, model.SectionStatus}

// incomplete lists what s lacks, one "section: reason" each, sorted:
// every section not fetched in full, and an alias IAM would not give.
func incomplete(s model.Snapshot) []string {
	var out []string
	for name := range s.Sections {
		if why := s.Unknown(name); why != "" {
			out = append(out, string(name)+": "+why)
		}
	}
	slices.Sort(out)
	if !s.Identity.AliasKnown() {
		out = append(out, "alias unreadable: "+s.Identity.AliasError)
	}
	return out
}

// The JSON shape of "airlock status --json". Field names are a contract
// with scripts; add, never rename.
//
// Names from tags (a cluster's name, an instance's name, an address's
// cluster) are printed in their display form (model.Display), for the JSON
// is read in terminals too: a name with invisible, bidi or control
// characters has each of them written as ⟨U+XXXX⟩ (and a literal ⟨ as
// ⟨U+27E8⟩), and carries "escaped": true (instances: "name_escaped"), so
// a script can tell "blue⟨U+200B⟩" from a cluster really named so and
// recover the exact tag. Clusters are grouped by the exact tag, so
// "blue" and "blue\u200b" are two entries; a cluster whose name looks
// like another's lists the others (display form) in "look_alikes", and
// airlock refuses to act on it by name.
//
// Unknown is not none. "complete" is false when any section failed (the
// exit status is then 3) and each such section has its "error". A list
// whose section failed before anything arrived is null, not []: a script
// iterating over it fails instead of concluding there is nothing. A
// cluster's "live" is true, false, or null when its liveness is unknown
// (the Elastic IPs could not be listed), with the reason in
// "live_unknown", and its "eips" are then null; its "checks" is ok, failed, scheduled, "not running"
// (nothing to check) or unknown. An alias IAM would not give is "" with
// "alias_error" set: not "the account has none".
type (
	statusDoc struct {
		Account   accountDoc   `json:"account"`
		Region    string       `json:"region"`
		FetchedAt time.Time    `json:"fetched_at"`
		Complete  bool         `json:"complete"`
		Clusters  []clusterDoc `json:"clusters"`
		Addresses []addressDoc `json:"addresses"`
		Subnets   []subnetDoc  `json:"subnets"`
		Groups    []groupDoc   `json:"groups"` // status_capacity.go
		// ECS, Volumes and Snapshots: see status_storage.go.
		ECS       *ecsDoc               `json:"ecs"`
		Volumes   []volumeDoc           `json:"volumes"`
		Snapshots []snapshotDoc         `json:"snapshots"`
		Sections  map[string]sectionDoc `json:"sections"`
		Stats     statsDoc              `json:"stats"`
		// Redacted is true when --redact masked the values that
		// identify the account (IDs, public IPs, ARNs, the caller).
		Redacted bool `json:"redacted,omitempty"`
	}
	accountDoc struct {
		ID         string `json:"id"`
		Alias      string `json:"alias"`
		AliasError string `json:"alias_error,omitempty"`
		ARN        string `json:"arn"`
		Name       string `json:"name"` // the configured name, else the alias, else the ID
		// Environment is production, staging, development, sandbox or
		// unknown (treated as production); EnvSource says what decided it:
		// config, alias, unconfirmed or unknown.
		Environment string `json:"environment"`
		EnvSource   string `json:"environment_source"`
		Confirmed   bool   `json:"confirmed"`
	}
	clusterDoc struct {
		Name        string         `json:"name"`
		Escaped     bool           `json:"escaped,omitempty"`
		LookAlikes  []string       `json:"look_alikes,omitempty"`
		Untagged    bool           `json:"untagged"`
		Live        *bool          `json:"live"`
		LiveUnknown string         `json:"live_unknown,omitempty"`
		Checks      string         `json:"checks"`
		States      map[string]int `json:"states"`
		EIPs        []string       `json:"eips"`
		Groups      []string       `json:"groups,omitempty"` // Auto Scaling groups of its instances
		Instances   []instanceDoc  `json:"instances"`
	}
	instanceDoc struct {
		ID          string    `json:"id"`
		Name        string    `json:"name"`
		NameEscaped bool      `json:"name_escaped,omitempty"`
		State       string    `json:"state"`
		Type        string    `json:"type"`
		AZ          string    `json:"az"`
		PrivateIP   string    `json:"private_ip,omitempty"`
		PublicIP    string    `json:"public_ip,omitempty"`
		LaunchTime  time.Time `json:"launch_time"`
		System      string    `json:"system_status,omitempty"`
		Status      string    `json:"instance_status,omitempty"`
		// Events are the pending scheduled events (status_storage.go).
		Events []eventDoc `json:"events"`
	}
	addressDoc struct {
		PublicIP      string `json:"public_ip"`
		AllocationID  string `json:"allocation_id"`
		AssociationID string `json:"association_id,omitempty"`
		InstanceID    string `json:"instance_id,omitempty"`
		Cluster       string `json:"cluster,omitempty"`
	}
	subnetDoc struct {
		ID           string `json:"id"`
		AZ           string `json:"az"`
		CIDR         string `json:"cidr"`
		AvailableIPs int    `json:"available_ips"`
		Free         int    `json:"free"`
		Total        int    `json:"total"`
		Low          bool   `json:"low"`
	}
	sectionDoc struct {
		Complete bool    `json:"complete"`
		Error    *string `json:"error"`
		Calls    int     `json:"calls"`
	}
	statsDoc struct {
		APICalls   int   `json:"api_calls"`
		DurationMS int64 `json:"duration_ms"`
		// Throttled counts the calls AWS answered with a throttling
		// error in the last minute, per API ("ec2:DescribeInstances"),
		// retries included; {} when none were.
		Throttled map[string]int `json:"throttled"`
	}
)

func statusJSON(w model.World, conf model.Config) statusDoc {
	s := w.Snap
	env, source := conf.EnvironmentOf(s.Identity)
	doc := statusDoc{
		Account: accountDoc{
			ID:          s.Identity.AccountID,
			Alias:       s.Identity.Alias,
			AliasError:  s.Identity.AliasError,
			ARN:         s.Identity.ARN,
			Name:        conf.AccountName(s.Identity),
			Environment: string(env),
			EnvSource:   string(source),
			Confirmed:   s.Identity.Confirmed(),
		},
		Region:    s.Region,
		FetchedAt: s.FetchedAt.UTC(),
		Complete:  len(incomplete(s)) == 0,
		Clusters:  knownList[clusterDoc](s, model.SectionInstances, len(w.Clusters)),
		Addresses: knownList[addressDoc](s, model.SectionAddresses, len(s.Addresses)),
		Subnets:   knownList[subnetDoc](s, model.SectionSubnets, len(s.Subnets)),
		Sections:  map[string]sectionDoc{},
		Stats: statsDoc{APICalls: s.Stats.APICalls, DurationMS: s.Stats.Duration.Milliseconds(),
			Throttled: map[string]int{}},
	}
	maps.Copy(doc.Stats.Throttled, s.Stats.Throttled)
	for _, c := range w.Clusters {
		cd := clusterDoc{Name: c.Display, Escaped: c.Display != c.Name, Untagged: c.Untagged,
			Checks: checksWord(c), States: map[string]int{}, EIPs: nonNil(c.EIPs), Instances: []instanceDoc{}}
		if len(c.EIPs) == 0 && !s.Known(model.SectionAddresses) {
			cd.EIPs = nil // unknown, not none
		}
		switch c.Liveness {
		case model.IsLive, model.NotLive:
			live := c.Liveness == model.IsLive
			cd.Live = &live
		default:
			cd.LiveUnknown = c.LiveReason
		}
		for _, g := range c.Groups {
			cd.Groups = append(cd.Groups, model.Display(g))
		}
		for _, other := range c.LookAlikes {
			cd.LookAlikes = append(cd.LookAlikes, model.Display(other))
		}
		for st, n := range c.States {
			cd.States[string(st)] = n
		}
		for _, id := range c.InstanceIDs {
			in, _ := w.Instance(id)
			st := s.Statuses[id]
			cd.Instances = append(cd.Instances, instanceDoc{
				ID: in.ID, Name: model.Display(in.Name), NameEscaped: model.Display(in.Name) != in.Name,
				State: string(in.State), Type: in.Type, AZ: in.AZ,
				PrivateIP: in.PrivateIP, PublicIP: in.PublicIP, LaunchTime: in.LaunchTime.UTC(),
				System: string(st.System), Status: string(st.Instance),
				Events: eventsOf(st, s.Known(model.SectionStatus)),
			})
		}
		doc.Clusters = append(doc.Clusters, cd)
	}
	for _, a := range s.Addresses {
		doc.Addresses = append(doc.Addresses, addressDoc{
			PublicIP: a.PublicIP, AllocationID: a.AllocationID, AssociationID: a.AssociationID,
			InstanceID: a.InstanceID, Cluster: model.Display(w.Owners[model.AddressKey(a)].Cluster),
		})
	}
	for _, u := range model.SubnetUses(w, model.DefaultLowSubnet) {
		sd := subnetDoc{ID: u.ID, AZ: u.AZ, CIDR: u.CIDR, AvailableIPs: u.AvailableIPs}
		subnetUse(&sd, u)
		doc.Subnets = append(doc.Subnets, sd)
	}
	doc.Groups = groupDocs(w)
	for name, r := range s.Sections {
		sd := sectionDoc{Complete: r.Complete, Calls: r.Calls}
		if r.Err != nil {
			msg := r.Err.Error()
			sd.Error = &msg
		}
		doc.Sections[string(name)] = sd
	}
	return doc
}

// knownList is the empty list a section's items start from: [] when the
// section is known (or something of it arrived), nil (JSON null) when it
// failed before anything did, so that "unknown" never reads as "none".
func knownList[T any](s model.Snapshot, sec model.Section, n int) []T {
	if n == 0 && !s.Known(sec) {
		return nil
	}
	return make([]T, 0, n)
}

// checksWord is a cluster's checks in the words status prints (text and
// JSON): ok, failed, scheduled, "not running", unknown.
func checksWord(c model.Cluster) string {
	switch c.Checks() {
	case model.ChecksFailed:
		return "failed"
	case model.ChecksScheduled:
		return "scheduled"
	case model.ChecksNotRunning:
		return "not running"
	case model.ChecksUnknown:
		return "unknown"
	}
	return "ok"
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeStatusText prints the summary an operator reads in a terminal or a
// chat paste: who and where first, then clusters, EIPs and what failed.
// What could not be fetched says so where it would have been: an empty
// table would read as "none".
//
// With redact, what identifies the account is masked before the tables
// are aligned, so the columns line up on what is printed.
func writeStatusText(out io.Writer, w model.World, conf model.Config, redact bool) {
	cells := func(tw io.Writer) io.Writer {
		if redact {
			return redactWriter{tw}
		}
		return tw
	}
	s := w.Snap
	env, _ := conf.EnvironmentOf(s.Identity)
	fmt.Fprintf(out, "%s  %s (%s)  %s  %s\n", env.Label(), aliasText(s.Identity), s.Identity.AccountID, s.Region, s.Identity.ARN)
	fmt.Fprintf(out, "fetched %s in %s with %d API calls\n\n",
		s.FetchedAt.UTC().Format("2006-01-02 15:04:05 UTC"), s.Stats.Duration.Round(time.Millisecond), s.Stats.APICalls)

	var alike []string
	liveWhy := ""
	if len(w.Clusters) == 0 && !s.Known(model.SectionInstances) {
		fmt.Fprintf(out, "clusters unknown: %s\n", s.Unknown(model.SectionInstances))
	} else {
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		rows := cells(tw)
		fmt.Fprintln(rows, "CLUSTER\tLIVE\tINSTANCES\tCHECKS\tEIPS")
		for _, c := range w.Clusters {
			live := ""
			switch c.Liveness {
			case model.IsLive:
				live = "LIVE"
			case model.LiveUnknown:
				live = "?"
				liveWhy = cmp.Or(liveWhy, c.LiveReason)
			}
			var checks string
			switch c.Checks() {
			case model.ChecksFailed:
				checks = fmt.Sprintf("%d failed", c.FailedChecks)
				if c.Scheduled > 0 {
					checks += fmt.Sprintf(", %d event scheduled", c.Scheduled)
				}
			case model.ChecksScheduled:
				checks = fmt.Sprintf("%d event scheduled", c.Scheduled)
			case model.ChecksNotRunning:
				checks = "-"
			case model.ChecksUnknown:
				checks = "?"
			default:
				checks = "ok"
			}
			eips := strings.Join(c.EIPs, ", ")
			if eips == "" {
				eips = "-"
			}
			name := c.Display
			if len(c.LookAlikes) > 0 {
				name = "≈ " + name
				alike = append(alike, c.Display)
			}
			fmt.Fprintf(rows, "%s\t%s\t%s\t%s\t%s\n", name, live, stateSummary(c.States), checks, eips)
		}
		tw.Flush()
	}
	if liveWhy != "" {
		fmt.Fprintf(out, "? liveness unknown: %s\n", liveWhy)
	}
	if why := s.Unknown(model.SectionStatus); why != "" && len(w.Clusters) > 0 {
		fmt.Fprintf(out, "? checks unknown: %s\n", why)
	}
	if len(alike) > 0 {
		fmt.Fprintf(out, "≈ these clusters have names that look alike: %s; airlock will not act on them by name\n",
			strings.Join(alike, ", "))
	}

	fmt.Fprintln(out)
	if len(s.Addresses) == 0 && !s.Known(model.SectionAddresses) {
		fmt.Fprintf(out, "Elastic IPs unknown: %s\n", s.Unknown(model.SectionAddresses))
	} else {
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		rows := cells(tw)
		fmt.Fprintln(rows, "ELASTIC IP\tALLOCATION\tOWNER")
		for _, a := range s.Addresses {
			fmt.Fprintf(rows, "%s\t%s\t%s\n", a.PublicIP, a.AllocationID, w.Owners[model.AddressKey(a)])
		}
		tw.Flush()
	}

	if problems := incomplete(s); len(problems) > 0 {
		fmt.Fprintf(out, "\nINCOMPLETE (what is shown above may be missing items; ? is unknown)\n  %s\n", strings.Join(problems, "\n  "))
	}
}

// aliasText names the account for a person: its alias, "(no alias)"
// when IAM said it has none, "alias unreadable: AccessDenied" when IAM
// would not say.
func aliasText(id model.Identity) string {
	switch {
	case !id.AliasKnown():
		return "alias unreadable: " + id.AliasError
	case id.Alias == "":
		return "(no alias)"
	}
	return id.Alias
}

// stateSummary renders {running:3, stopped:1} as "3 running, 1 stopped",
// in lifecycle order so the same cluster always reads the same way.
func stateSummary(states map[model.InstanceState]int) string {
	order := []model.InstanceState{model.StateRunning, model.StatePending, model.StateStopping,
		model.StateStopped, model.StateShuttingDown, model.StateTerminated}
	var parts []string
	for _, st := range order {
		if n := states[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// redactWriter masks, in each write, what identifies an account
// (model.Redact). Every write here is a whole line or a whole document
// (fmt's one write per call, json.Encoder's one per value), so nothing
// to mask is split between two writes.
type redactWriter struct{ w io.Writer }

func (r redactWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, model.Redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

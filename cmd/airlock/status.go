package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var af awsFlags
	fs := newFlagSet("status", "airlock status [--json] [--profile P] [--region R] [--endpoint URL]", stderr)
	af.register(fs)
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := af.validate(); err != nil {
		return err
	}

	cfg, err := awsstate.LoadConfig(ctx, af.options())
	if err != nil {
		return fmt.Errorf("%s", awsstate.Explain(err))
	}
	snap := awsstate.New(cfg, af.options()).Fetch(ctx)
	world := model.Analyze(snap, af.clusterTag)

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(statusJSON(world)); err != nil {
			return err
		}
	} else if snap.Identity.Confirmed() {
		writeStatusText(stdout, world)
	}
	// Without a confirmed identity nothing printed can be trusted to be the
	// account the operator thinks it is: fail, and say why in one line.
	if !snap.Identity.Confirmed() {
		reason := "no answer from STS"
		if r, ok := snap.Sections[model.SectionIdentity]; ok && r.Err != nil {
			reason = awsstate.Explain(r.Err)
		}
		fmt.Fprintf(stderr, "airlock: cannot confirm the account: %s\n", reason)
		return exitError{code: 1}
	}
	return nil
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
type (
	statusDoc struct {
		Account   accountDoc            `json:"account"`
		Region    string                `json:"region"`
		FetchedAt time.Time             `json:"fetched_at"`
		Clusters  []clusterDoc          `json:"clusters"`
		Addresses []addressDoc          `json:"addresses"`
		Subnets   []subnetDoc           `json:"subnets"`
		Sections  map[string]sectionDoc `json:"sections"`
		Stats     statsDoc              `json:"stats"`
	}
	accountDoc struct {
		ID          string `json:"id"`
		Alias       string `json:"alias"`
		ARN         string `json:"arn"`
		Environment string `json:"environment"`
		Confirmed   bool   `json:"confirmed"`
	}
	clusterDoc struct {
		Name       string         `json:"name"`
		Escaped    bool           `json:"escaped,omitempty"`
		LookAlikes []string       `json:"look_alikes,omitempty"`
		Untagged   bool           `json:"untagged"`
		Live       bool           `json:"live"`
		States     map[string]int `json:"states"`
		EIPs       []string       `json:"eips"`
		Instances  []instanceDoc  `json:"instances"`
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
	}
	sectionDoc struct {
		Complete bool    `json:"complete"`
		Error    *string `json:"error"`
		Calls    int     `json:"calls"`
	}
	statsDoc struct {
		APICalls   int   `json:"api_calls"`
		DurationMS int64 `json:"duration_ms"`
	}
)

func statusJSON(w model.World) statusDoc {
	s := w.Snap
	doc := statusDoc{
		Account: accountDoc{
			ID:          s.Identity.AccountID,
			Alias:       s.Identity.Alias,
			ARN:         s.Identity.ARN,
			Environment: string(model.ClassifyEnvironment(s.Identity.Alias)),
			Confirmed:   s.Identity.Confirmed(),
		},
		Region:    s.Region,
		FetchedAt: s.FetchedAt.UTC(),
		Clusters:  []clusterDoc{},
		Addresses: []addressDoc{},
		Subnets:   []subnetDoc{},
		Sections:  map[string]sectionDoc{},
		Stats:     statsDoc{APICalls: s.Stats.APICalls, DurationMS: s.Stats.Duration.Milliseconds()},
	}
	for _, c := range w.Clusters {
		cd := clusterDoc{Name: c.Display, Escaped: c.Display != c.Name, Untagged: c.Untagged, Live: c.Live,
			States: map[string]int{}, EIPs: nonNil(c.EIPs), Instances: []instanceDoc{}}
		for _, other := range c.LookAlikes {
			cd.LookAlikes = append(cd.LookAlikes, model.Display(other))
		}
		for st, n := range c.States {
			cd.States[string(st)] = n
		}
		for _, id := range c.InstanceIDs {
			in := w.Instances[id]
			st := s.Statuses[id]
			cd.Instances = append(cd.Instances, instanceDoc{
				ID: in.ID, Name: model.Display(in.Name), NameEscaped: model.Display(in.Name) != in.Name,
				State: string(in.State), Type: in.Type, AZ: in.AZ,
				PrivateIP: in.PrivateIP, PublicIP: in.PublicIP, LaunchTime: in.LaunchTime.UTC(),
				System: string(st.System), Status: string(st.Instance),
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
	for _, sn := range s.Subnets {
		doc.Subnets = append(doc.Subnets, subnetDoc{ID: sn.ID, AZ: sn.AZ, CIDR: sn.CIDR, AvailableIPs: sn.AvailableIPs})
	}
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

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeStatusText prints the summary an operator reads in a terminal or a
// chat paste: who and where first, then clusters, EIPs and what failed.
func writeStatusText(out io.Writer, w model.World) {
	s := w.Snap
	env := model.ClassifyEnvironment(s.Identity.Alias)
	name := s.Identity.Alias
	if name == "" {
		name = "(no alias)"
	}
	fmt.Fprintf(out, "%s  %s (%s)  %s  %s\n", env.Label(), name, s.Identity.AccountID, s.Region, s.Identity.ARN)
	fmt.Fprintf(out, "fetched %s in %s with %d API calls\n\n",
		s.FetchedAt.UTC().Format("2006-01-02 15:04:05 UTC"), s.Stats.Duration.Round(time.Millisecond), s.Stats.APICalls)

	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CLUSTER\tLIVE\tINSTANCES\tCHECKS\tEIPS")
	var alike []string
	for _, c := range w.Clusters {
		live := ""
		if c.Live {
			live = "LIVE"
		}
		var flags []string
		if c.FailedChecks > 0 {
			flags = append(flags, fmt.Sprintf("%d failed", c.FailedChecks))
		}
		if c.Scheduled > 0 {
			flags = append(flags, fmt.Sprintf("%d event scheduled", c.Scheduled))
		}
		checks := strings.Join(flags, ", ")
		if checks == "" {
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, live, stateSummary(c.States), checks, eips)
	}
	tw.Flush()
	if len(alike) > 0 {
		fmt.Fprintf(out, "≈ these clusters have names that look alike: %s; airlock will not act on them by name\n",
			strings.Join(alike, ", "))
	}

	fmt.Fprintln(out)
	tw = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ELASTIC IP\tALLOCATION\tOWNER")
	for _, a := range s.Addresses {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.PublicIP, a.AllocationID, w.Owners[a.AllocationID])
	}
	tw.Flush()

	var problems []string
	for name, r := range s.Sections {
		if r.Err != nil {
			problems = append(problems, fmt.Sprintf("  %s: %s", name, r.Err))
		} else if !r.Complete {
			problems = append(problems, fmt.Sprintf("  %s: incomplete", name))
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		fmt.Fprintf(out, "\nINCOMPLETE SECTIONS (what is shown above may be missing items)\n%s\n", strings.Join(problems, "\n"))
	}
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

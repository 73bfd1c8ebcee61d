package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// Exit statuses of "airlock preflight", a contract with deploy pipelines
// (preflight -h says the same).
const (
	preflightPassed  = 0 // every check of every group passed
	preflightFailed  = 1 // a check failed: a launch would fail now
	preflightUnknown = 3 // no check failed, but one could not run
)

const preflightSynopsis = `airlock preflight [--json] [--group NAME]... [--profile P] [--region R] [--endpoint URL]

Checks, for each Auto Scaling group (or those named with --group), that a
launch would succeed now: the AMI of its launch template exists and is
available; every security group it names, by ID or name, exists in the
group's VPC; its instance type is offered in the group's availability
zones; its subnets have free addresses for its shortfall. A failed check
names the missing thing. Run it in a deploy pipeline before the deploy.

Exit status:
  0  every check passed
  1  a check failed (a launch would fail), a group named does not exist,
     or the command could not start (no configuration or credentials)
  2  usage error
  3  no check failed, but one could not run (a call was refused or
     failed; a launch configuration, which airlock does not read): the
     JSON's checks say which ("unknown")`

func runPreflight(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var af awsFlags
	fs := newFlagSet("preflight", preflightSynopsis, stderr)
	af.register(fs)
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	var groups stringList
	fs.Var(&groups, "group", "check only the Auto Scaling group `NAME` (repeatable)")
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
	client := awsstate.New(cfg, af.options())

	results, _, partErr, err := client.Preflight(ctx, groups...)
	if err != nil {
		// The groups themselves could not be listed (or a named one
		// does not exist): nothing was checked.
		fmt.Fprintf(stderr, "airlock: preflight: %s\n", awsstate.Explain(err))
		var none *awsstate.NoSuchGroupError
		if errors.As(err, &none) {
			return exitError{code: preflightFailed}
		}
		return exitError{code: preflightUnknown}
	}
	doc := preflightJSON(client.Region(), results)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return err
		}
	} else {
		writePreflightText(stdout, doc)
	}
	if partErr != nil {
		fmt.Fprintf(stderr, "airlock: preflight: some facts could not be read: %s\n", awsstate.Explain(partErr))
	}
	return preflightExit(results)
}

// preflightExit is the exit status for results: a failure outranks a
// check that could not run, for a launch that would fail must stop the
// pipeline whatever else is unknown.
func preflightExit(results []model.GroupPreflight) error {
	unknown := false
	for _, r := range results {
		if r.Failed() {
			return exitError{code: preflightFailed}
		}
		unknown = unknown || r.Unknown()
	}
	if unknown {
		return exitError{code: preflightUnknown}
	}
	return nil
}

// The JSON shape of "airlock preflight --json". Field names are a
// contract with pipelines; add, never rename. A group's name is in its
// display form (model.Display), "escaped" when that differs from the raw
// name, as in status --json. A check that could not run has "ok": false
// and "unknown" saying why; "ok" at the top is true only when every
// check of every group ran and passed.
type (
	preflightDoc struct {
		OK     bool                `json:"ok"`
		Region string              `json:"region"`
		Groups []preflightGroupDoc `json:"groups"`
	}
	preflightGroupDoc struct {
		Name    string              `json:"name"`
		Escaped bool                `json:"escaped,omitempty"`
		OK      bool                `json:"ok"`
		Checks  []preflightCheckDoc `json:"checks"`
	}
	preflightCheckDoc struct {
		Check   string `json:"check"`
		OK      bool   `json:"ok"`
		Detail  string `json:"detail"`
		Unknown string `json:"unknown,omitempty"`
	}
)

func preflightJSON(region string, results []model.GroupPreflight) preflightDoc {
	doc := preflightDoc{OK: true, Region: region, Groups: []preflightGroupDoc{}}
	for _, r := range results {
		name := model.Display(r.Group)
		g := preflightGroupDoc{Name: name, Escaped: name != r.Group, OK: r.OK(), Checks: []preflightCheckDoc{}}
		for _, c := range r.Checks {
			g.Checks = append(g.Checks, preflightCheckDoc{Check: string(c.Name), OK: c.OK, Detail: c.Detail, Unknown: c.Unknown})
		}
		doc.OK = doc.OK && g.OK
		doc.Groups = append(doc.Groups, g)
	}
	return doc
}

// writePreflightText prints one block per group: its verdict, then each
// check with ok, FAILED or unknown and what it found.
func writePreflightText(out io.Writer, doc preflightDoc) {
	if len(doc.Groups) == 0 {
		fmt.Fprintf(out, "no Auto Scaling groups in %s: nothing to check\n", doc.Region)
		return
	}
	fmt.Fprintf(out, "launch preflight of %d Auto Scaling %s in %s\n", len(doc.Groups), plural(len(doc.Groups), "group", "groups"), doc.Region)
	for _, g := range doc.Groups {
		verdict := "ok"
		if !g.OK {
			verdict = model.WordFailed
			if !anyFailed(g) {
				verdict = "unknown"
			}
		}
		fmt.Fprintf(out, "\n%s  %s\n", g.Name, verdict)
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		for _, c := range g.Checks {
			word := "ok"
			switch {
			case c.Unknown != "":
				word = "unknown"
			case !c.OK:
				word = model.WordFailed
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Check, word, c.Detail)
		}
		tw.Flush()
	}
}

func anyFailed(g preflightGroupDoc) bool {
	for _, c := range g.Checks {
		if !c.OK && c.Unknown == "" {
			return true
		}
	}
	return false
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	if v == "" {
		return fmt.Errorf("must not be empty")
	}
	*l = append(*l, v)
	return nil
}

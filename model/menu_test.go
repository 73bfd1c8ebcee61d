package model

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// menuLine is a MenuItem reduced to what a table can say.
type menuLine struct {
	Label     string
	Available bool
	Rules     []Rule
}

func lines(items []MenuItem) []menuLine {
	var out []menuLine
	for _, it := range items {
		l := menuLine{Label: it.Label, Available: it.Available}
		for _, r := range it.Refusals {
			l.Rules = append(l.Rules, r.Rule)
		}
		out = append(out, l)
	}
	return out
}

func TestMenu(t *testing.T) {
	tests := []struct {
		name   string
		sel    Selection
		world  func(s *Snapshot)
		fresh  Freshness
		policy func(p *Policy)
		want   []menuLine
	}{
		{
			name: "the live cluster",
			sel:  Selection{Cluster: "blue"},
			want: []menuLine{
				{"Terminate cluster blue", false, []Rule{RuleHoldsEIP}},
				{"Stop cluster blue", false, []Rule{RuleHoldsEIP}},
				{"Disassociate the EIPs of blue", true, nil},
				{"Release the EIPs of blue", false, []Rule{RuleAssociated}},
				{"Move the EIPs of blue to green", false, []Rule{RuleDestination}},
			},
		},
		{
			name:  "the live cluster, with a fit destination",
			sel:   Selection{Cluster: "blue"},
			world: fitGreen,
			want: []menuLine{
				{"Terminate cluster blue", false, []Rule{RuleHoldsEIP}},
				{"Stop cluster blue", false, []Rule{RuleHoldsEIP}},
				{"Disassociate the EIPs of blue", true, nil},
				{"Release the EIPs of blue", false, []Rule{RuleAssociated}},
				{"Move the EIPs of blue to green", true, nil},
			},
		},
		{
			name: "the cluster that is not live",
			sel:  Selection{Cluster: "green"},
			want: []menuLine{
				{"Terminate cluster green", true, nil},
				{"Stop cluster green", true, nil},
				{"Disassociate the EIPs of green", false, []Rule{RuleNothingToDo}},
				{"Release the EIPs of green", false, []Rule{RuleNothingToDo}},
				{"Move the EIPs of green to blue", false, []Rule{RuleNothingToDo}},
			},
		},
		{
			name: "the untagged group",
			sel:  Selection{Cluster: UntaggedCluster},
			want: []menuLine{
				{"Terminate cluster (untagged)", false, []Rule{RuleIntent}},
				{"Stop cluster (untagged)", false, []Rule{RuleIntent}},
				{"Disassociate the EIPs of (untagged)", false, []Rule{RuleIntent}},
				{"Release the EIPs of (untagged)", false, []Rule{RuleIntent}},
			},
		},
		{
			name: "an instance holding an EIP",
			sel:  Selection{InstanceID: "i-b1"},
			want: []menuLine{
				{"Terminate instance i-b1", false, []Rule{RuleHoldsEIP}},
				{"Stop instance i-b1", false, []Rule{RuleHoldsEIP}},
			},
		},
		{
			name: "a stopped instance",
			sel:  Selection{InstanceID: "i-u2"},
			want: []menuLine{
				{"Terminate instance i-u2", true, nil},
				{"Stop instance i-u2", false, []Rule{RuleNothingToDo}},
			},
		},
		{
			name: "an unassociated EIP",
			sel:  Selection{AllocationID: "eipalloc-9"},
			want: []menuLine{
				{"Disassociate EIP 3.3.3.9", false, []Rule{RuleNothingToDo}},
				{"Release EIP 3.3.3.9", true, nil},
			},
		},
		{
			name: "an associated EIP",
			sel:  Selection{AllocationID: "eipalloc-2"},
			want: []menuLine{
				{"Disassociate EIP 3.3.3.2", true, nil},
				{"Release EIP 3.3.3.2", false, []Rule{RuleAssociated}},
			},
		},
		{
			name:   "read-only: every action refused, read-only first",
			sel:    Selection{InstanceID: "i-g1"},
			policy: func(p *Policy) { p.ReadOnly = true },
			want: []menuLine{
				{"Terminate instance i-g1", false, []Rule{RuleReadOnly}},
				{"Stop instance i-g1", false, []Rule{RuleReadOnly}},
			},
		},
		{
			name:  "stale screen: every action refused",
			sel:   Selection{AllocationID: "eipalloc-9"},
			fresh: Freshness{Stale: true, Reason: "last refresh failed: throttled"},
			want: []menuLine{
				{"Disassociate EIP 3.3.3.9", false, []Rule{RuleStale, RuleNothingToDo}},
				{"Release EIP 3.3.3.9", false, []Rule{RuleStale}},
			},
		},
		{
			name: "nothing selected",
			sel:  Selection{},
			want: nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := clone(demoSnap())
			if tc.world != nil {
				tc.world(&s)
			}
			p := prodPolicy()
			if tc.policy != nil {
				tc.policy(&p)
			}
			got := Menu(Analyze(s, ""), tc.sel, tc.fresh, p)
			if !reflect.DeepEqual(lines(got), tc.want) {
				t.Errorf("Menu =\n%v\nwant\n%v", lines(got), tc.want)
			}
		})
	}
}

func TestMenuItemsArePreparable(t *testing.T) {
	// An available item's Intent, judged against facts identical to the
	// screen, is allowed: the menu and Judge agree.
	s := demoSnap()
	fitGreen(&s)
	w := Analyze(s, "")
	for _, sel := range []Selection{{Cluster: "blue"}, {Cluster: "green"}, {InstanceID: "i-g2"}, {AllocationID: "eipalloc-9"}} {
		for _, it := range Menu(w, sel, fresh, prodPolicy()) {
			if !it.Available {
				if len(it.Refusals) == 0 {
					t.Errorf("%s: unavailable without a reason", it.Label)
				}
				continue
			}
			v := Judge(it.Intent, SeenOf(w, fresh), factsOf(s), prodPolicy())
			if !v.Allowed {
				t.Errorf("%s: available in the menu, refused by Judge: %v", it.Label, v.Refusals)
			}
		}
	}
	items := Menu(w, Selection{Cluster: "blue"}, fresh, prodPolicy())
	want := Intent{Action: ActionMoveEIPs, Cluster: "blue", DestCluster: "green", AllocationIDs: blueEIPs}
	if got := items[4].Intent; !reflect.DeepEqual(got, want) {
		t.Errorf("move intent = %+v, want %+v", got, want)
	}
	if got := items[4].Warnings; len(got) != 1 {
		t.Errorf("move warnings = %q, want the LIVE warning", got)
	}
}

// manyClusters adds n one-instance clusters c01..cNN to s, each instance
// running with passing checks, so each can take one EIP.
func manyClusters(s *Snapshot, n int) {
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("i-c%02d", i)
		addInstance(s, inst(id, fmt.Sprintf("c%02d", i), StateRunning))
	}
}

// With more destinations than MenuInlineMoves, the moves are one item
// whose choices are the moves, one per destination, each preparable on
// its own; a refusal every destination shares is said once.
func TestMenuGroupsMovesToManyClusters(t *testing.T) {
	s := clone(demoSnap())
	fitGreen(&s)
	manyClusters(&s, 200)
	w := Analyze(s, "")

	items := Menu(w, Selection{Cluster: "green"}, fresh, prodPolicy())
	if len(items) != 5 {
		t.Fatalf("menu has %d items, want terminate, stop, disassociate, release and one move:\n%v", len(items), lines(items))
	}
	g := items[4]
	if g.Label != "Move the EIPs of green to another cluster (201 destinations, 0 available)" || g.Available {
		t.Errorf("grouped move = %q available=%v", g.Label, g.Available)
	}
	if len(g.Choices) != 201 || !reflect.DeepEqual(g.Intent, Intent{}) {
		t.Fatalf("grouped move has %d choices and intent %+v", len(g.Choices), g.Intent)
	}
	// green holds no EIPs: the same reason for every destination, once.
	if len(g.Refusals) != 1 || g.Refusals[0].Rule != RuleNothingToDo || g.Refusals[0].Reason != "cluster green holds no EIPs" {
		t.Errorf("grouped refusals = %+v", g.Refusals)
	}
	for _, c := range g.Choices {
		if c.Intent.Action != ActionMoveEIPs || c.Intent.Cluster != "green" || c.Intent.DestCluster == "" {
			t.Fatalf("choice %q has intent %+v", c.Label, c.Intent)
		}
	}

	// blue holds three EIPs: no one-instance cluster can take them all,
	// green can (fitGreen), so one of 201 is available.
	items = Menu(w, Selection{Cluster: "blue"}, fresh, prodPolicy())
	g = items[len(items)-1]
	if !g.Available || !strings.HasSuffix(g.Label, "(201 destinations, 1 available)") {
		t.Errorf("grouped move from blue = %q available=%v", g.Label, g.Available)
	}
	var open []string
	for _, c := range g.Choices {
		if c.Available {
			open = append(open, c.Intent.DestCluster)
			v := Judge(c.Intent, SeenOf(w, fresh), factsOf(s), prodPolicy())
			if !v.Allowed {
				t.Errorf("%s: available in the picker, refused by Judge: %v", c.Label, v.Refusals)
			}
		}
	}
	if !reflect.DeepEqual(open, []string{"green"}) {
		t.Errorf("available destinations = %v, want [green]", open)
	}

	// Destination-specific reasons are counted, with an example.
	s2 := clone(demoSnap())
	manyClusters(&s2, 4)
	items = Menu(Analyze(s2, ""), Selection{Cluster: "blue"}, fresh, prodPolicy())
	g = items[len(items)-1]
	if g.Available || len(g.Refusals) != 1 || !strings.HasPrefix(g.Refusals[0].Reason, "all 5 destinations, e.g. cluster ") {
		t.Errorf("refusals naming their destination = %+v", g.Refusals)
	}
	// Up to MenuInlineMoves destinations stay one item each.
	s3 := clone(demoSnap())
	manyClusters(&s3, MenuInlineMoves-1)
	items = Menu(Analyze(s3, ""), Selection{Cluster: "blue"}, fresh, prodPolicy())
	if n := len(items) - 4; n != MenuInlineMoves {
		t.Errorf("%d inline moves, want %d", n, MenuInlineMoves)
	}
}

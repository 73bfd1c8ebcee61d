package model

import (
	"reflect"
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

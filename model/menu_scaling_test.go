package model

import (
	"reflect"
	"strings"
	"testing"
)

// scalingSnap is the demo account with an Auto Scaling group over green
// (Launch suspended) and story S7's ECS cluster.
func scalingSnap() Snapshot {
	s := clone(demoSnap())
	s.Groups = []Group{{Name: "green-asg", Desired: 3, Min: 1, Max: 6, Suspended: []string{ProcessLaunch},
		Members: []GroupMember{{InstanceID: "i-g1"}, {InstanceID: "i-g2"}}}}
	s.ECS = ECSState{
		Clusters: []ECSCluster{{Name: "prod-ecs", Status: ECSActive}},
		Services: []Service{
			svc("prod-ecs", "deployer-api", 4, 4, 0, RolloutCompleted),
			svc("prod-ecs", "scheduler", 0, 0, 0, RolloutCompleted),
		},
	}
	return s
}

func TestMenuScaling(t *testing.T) {
	tests := []struct {
		name   string
		sel    Selection
		policy func(p *Policy)
		fresh  Freshness
		want   []menuLine
		counts []bool // which items ask for a number
	}{
		{
			name: "a group: set desired asks for the number; Launch is suspended, Terminate is not",
			sel:  Selection{Group: "green-asg"},
			want: []menuLine{
				{"Set the desired capacity of group green-asg (now 3; min 1, max 6)", true, nil},
				{"Resume Launch in group green-asg", true, nil},
				{"Suspend Terminate in group green-asg", true, nil},
			},
			counts: []bool{true, false, false},
		},
		{
			name: "a service running tasks: delete refused until scaled to 0",
			sel:  Selection{ECSCluster: "prod-ecs", Service: "deployer-api"},
			want: []menuLine{
				{"Scale service deployer-api in prod-ecs (now 4/4 running)", true, nil},
				{"Delete service deployer-api in prod-ecs", false, []Rule{RuleRunningTasks}},
				{"Force a new deployment of service deployer-api in prod-ecs", true, nil},
			},
			counts: []bool{true, false, false},
		},
		{
			name: "a service at 0: delete available, a new deployment would start nothing",
			sel:  Selection{ECSCluster: "prod-ecs", Service: "scheduler"},
			want: []menuLine{
				{"Scale service scheduler in prod-ecs (now 0/0 running)", true, nil},
				{"Delete service scheduler in prod-ecs", true, nil},
				{"Force a new deployment of service scheduler in prod-ecs", false, []Rule{RuleNothingToDo}},
			},
			counts: []bool{true, false, false},
		},
		{
			name:   "read-only: the count item is refused before a number is typed",
			sel:    Selection{Group: "green-asg"},
			policy: func(p *Policy) { p.ReadOnly = true },
			want: []menuLine{
				{"Set the desired capacity of group green-asg (now 3; min 1, max 6)", false, []Rule{RuleReadOnly}},
				{"Resume Launch in group green-asg", false, []Rule{RuleReadOnly}},
				{"Suspend Terminate in group green-asg", false, []Rule{RuleReadOnly}},
			},
			counts: []bool{true, false, false},
		},
		{
			name:   "a protected ECS cluster",
			sel:    Selection{ECSCluster: "prod-ecs", Service: "deployer-api"},
			policy: func(p *Policy) { p.ProtectedClusters = []string{"prod-ecs"} },
			want: []menuLine{
				{"Scale service deployer-api in prod-ecs (now 4/4 running)", false, []Rule{RuleProtectedCluster}},
				{"Delete service deployer-api in prod-ecs", false, []Rule{RuleProtectedCluster, RuleRunningTasks}},
				{"Force a new deployment of service deployer-api in prod-ecs", false, []Rule{RuleProtectedCluster}},
			},
			counts: []bool{true, false, false},
		},
		{
			name: "a service the screen does not show",
			sel:  Selection{ECSCluster: "prod-ecs", Service: "ghost"},
			want: []menuLine{
				{"Scale service ghost in prod-ecs (now 0/0 running)", false, []Rule{RuleNotShown}},
				{"Delete service ghost in prod-ecs", false, []Rule{RuleNotShown}},
				{"Force a new deployment of service ghost in prod-ecs", false, []Rule{RuleNotShown}},
			},
			counts: []bool{true, false, false},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := prodPolicy()
			if tc.policy != nil {
				tc.policy(&p)
			}
			got := Menu(Analyze(scalingSnap(), ""), tc.sel, tc.fresh, p)
			if !reflect.DeepEqual(lines(got), tc.want) {
				t.Errorf("Menu =\n%v\nwant\n%v", lines(got), tc.want)
			}
			for i, it := range got {
				if i < len(tc.counts) && (it.Count != nil) != tc.counts[i] {
					t.Errorf("%s: asks for a number %v, want %v", it.Label, it.Count != nil, tc.counts[i])
				}
				if it.Count != nil && it.Intent.Desired != nil {
					t.Errorf("%s: carries desired %d before the operator typed one", it.Label, *it.Intent.Desired)
				}
			}
		})
	}
}

// The number the operator types makes the item to prepare: Desired set,
// the label saying the change; that item, judged as Prepare would, is
// allowed for a number in the group's limits and refused outside them,
// and refused for the service when the count changed since shown.
func TestMenuCountItemsArePreparable(t *testing.T) {
	s := scalingSnap()
	w := Analyze(s, "")
	seen := SeenOf(w, fresh)
	items := Menu(w, Selection{Group: "green-asg"}, fresh, prodPolicy())
	ask := items[0].Count
	if ask == nil || ask.Current != 3 || ask.Min != 1 || ask.Max != 6 || ask.What != "desired capacity" {
		t.Fatalf("count ask = %+v", ask)
	}
	for _, tc := range []struct {
		n     int
		check string
		rules []Rule
	}{
		{1, "", nil},
		{6, "", nil},
		{3, "", []Rule{RuleNothingToDo}},
		{0, "desired capacity must be from 1 to 6, not 0", []Rule{RuleGroupLimits}},
		{7, "desired capacity must be from 1 to 6, not 7", []Rule{RuleGroupLimits}},
	} {
		if got := ask.Check(tc.n); got != tc.check {
			t.Errorf("Check(%d) = %q, want %q", tc.n, got, tc.check)
		}
		it := items[0].WithCount(tc.n)
		if it.Count != nil || it.Intent.Desired == nil || *it.Intent.Desired != tc.n || items[0].Intent.Desired != nil {
			t.Fatalf("WithCount(%d) = %+v (the menu's item changed: %v)", tc.n, it, items[0].Intent.Desired != nil)
		}
		if want := "from 3 to "; !strings.Contains(it.Label, want) {
			t.Errorf("label %q lacks %q", it.Label, want)
		}
		v := Judge(it.Intent, seen, FactsOf(w), prodPolicy())
		if got := rules(v); !reflect.DeepEqual(got, tc.rules) {
			t.Errorf("desired %d: rules %v, want %v", tc.n, got, tc.rules)
		}
	}

	svcItems := Menu(w, Selection{ECSCluster: "prod-ecs", Service: "deployer-api"}, fresh, prodPolicy())
	if got := svcItems[0].Count.Check(MaxCount); got != "" {
		t.Errorf("a service takes up to %d tasks: %q", MaxCount, got)
	}
	if got := svcItems[0].Count.Check(MaxCount + 1); got == "" {
		t.Error("a service's count has no upper bound")
	}
	f := FactsOf(w)
	moved := f.Services["prod-ecs/deployer-api"]
	moved.Desired = 6
	f.Services = map[string]Service{"prod-ecs/deployer-api": moved}
	if got := rules(Judge(svcItems[0].WithCount(0).Intent, seen, f, prodPolicy())); !reflect.DeepEqual(got, []Rule{RuleDesiredChanged}) {
		t.Errorf("scaling a service whose count changed: rules %v", got)
	}
}

package awsstate

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// A list fetched after another shares the unchanged instances' tag maps
// with it, and is exactly the list a client with no earlier list
// fetches: a re-tagged instance has its new tags, a new one its own, and
// a missing one breaks the page order the sharing follows without
// mixing instances up.
func TestFetchSharesWhatDidNotChange(t *testing.T) {
	r := newRigWith(t, sim.Options{Instances: 2500, Seed: 1}) // three pages
	ctx := context.Background()
	list := Plan{Sections: []model.Section{model.SectionInstances}}
	first := r.c.FetchPlan(ctx, list)
	if !first.Known(model.SectionInstances) || len(first.Instances) < 2000 {
		t.Fatalf("first list: %d instances, %v", len(first.Instances), first.Sections[model.SectionInstances])
	}

	var retagged, removed, added string
	r.update(func(reg *sim.Region) {
		ids := slices.Sorted(maps.Keys(reg.Instances))
		retagged, removed = ids[10], ids[1200]
		in := reg.Instances[retagged]
		in.Tags = maps.Clone(in.Tags)
		in.Tags["Cluster"] = "teal"
		delete(reg.Instances, removed)
		cp := *reg.Instances[ids[30]]
		cp.ID = ids[30] + "f"
		cp.Tags = map[string]string{"Name": "teal-1", "Cluster": "teal"}
		reg.Instances[cp.ID] = &cp
		added = cp.ID
	})
	second := r.c.FetchPlan(ctx, list)
	fresh := New(configFor(t, r.url, sim.ProdAccessKey, Options{}), withEndpoint(Options{}, r.url))
	alone := fresh.FetchPlan(ctx, list)
	if !reflect.DeepEqual(second.Instances, alone.Instances) {
		t.Fatal("the list fetched after another differs from the same list fetched alone")
	}

	before := map[string]model.Instance{}
	for _, in := range first.Instances {
		before[in.ID] = in
	}
	shared := 0
	for _, in := range second.Instances {
		prev, had := before[in.ID]
		same := had && len(in.Tags) > 0 && reflect.ValueOf(in.Tags).UnsafePointer() == reflect.ValueOf(prev.Tags).UnsafePointer()
		switch in.ID {
		case removed:
			t.Errorf("%s was removed and is still listed", removed)
		case retagged:
			if same || in.Tags.Get("Cluster") != "teal" {
				t.Errorf("re-tagged %s: Cluster %q, shares the old tags: %v; want teal, a map of its own", in.ID, in.Tags.Get("Cluster"), same)
			}
		case added:
			if had || in.Name != "teal-1" {
				t.Errorf("added %s: Name %q, listed before: %v", in.ID, in.Name, had)
			}
		default:
			if same {
				shared++
			}
		}
	}
	if want := len(second.Instances) - 2; shared != want {
		t.Errorf("%d unchanged instances share their tags with the list before, want %d", shared, want)
	}
}

func TestSameTags(t *testing.T) {
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	m := map[string]string{"Cluster": "blue", "Name": "blue-1"}
	tests := []struct {
		name string
		m    map[string]string
		tags []types.Tag
		want bool
	}{
		{"equal, in any order", m, []types.Tag{tag("Name", "blue-1"), tag("Cluster", "blue")}, true},
		{"none on either side", nil, nil, true},
		{"a value differs", m, []types.Tag{tag("Cluster", "blue\u200b"), tag("Name", "blue-1")}, false},
		{"a key differs", m, []types.Tag{tag("cluster", "blue"), tag("Name", "blue-1")}, false},
		{"one more", m, []types.Tag{tag("Cluster", "blue"), tag("Name", "blue-1"), tag("Role", "web")}, false},
		{"one fewer", m, []types.Tag{tag("Cluster", "blue")}, false},
		{"new tags where there were none", nil, []types.Tag{tag("Cluster", "blue")}, false},
		// The map built from these would hold Cluster alone.
		{"a key twice", map[string]string{"Cluster": "blue", "Role": "web"}, []types.Tag{tag("Cluster", "blue"), tag("Cluster", "blue")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameTags(model.TagsOf(tt.m), tt.tags); got != tt.want {
				t.Errorf("sameTags = %v, want %v", got, tt.want)
			}
		})
	}
}

// ecsServices indexes a state's services by key.
func ecsServices(st model.ECSState) map[string]model.Service {
	m := make(map[string]model.Service, len(st.Services))
	for _, s := range st.Services {
		m[s.Key()] = s
	}
	return m
}

// sharesWith reports whether s holds prev's strings and slices, not
// copies of them.
func sharesWith(s, prev model.Service) bool {
	same := unsafe.StringData(s.ARN) == unsafe.StringData(prev.ARN) &&
		unsafe.StringData(s.TaskDefinition) == unsafe.StringData(prev.TaskDefinition)
	if len(s.Deployments) > 0 && len(prev.Deployments) > 0 {
		same = same && &s.Deployments[0] == &prev.Deployments[0]
	}
	if len(s.Events) > 0 && len(prev.Events) > 0 {
		same = same && &s.Events[0] == &prev.Events[0]
	}
	return same
}

// An ECS state fetched after another shares every unchanged service
// with it (times decoded by the SDK compare equal, so nothing changed
// is copied), and is exactly the state a client with no earlier state
// fetches: a service whose counts, a deployment or only its events
// changed has its new values and nothing of the old.
func TestECSSharesWhatDidNotChange(t *testing.T) {
	r := newRigWith(t, sim.Options{Services: 400, Seed: 1}) // 4 clusters, read at once
	ctx := context.Background()
	first, res := r.c.ECS(ctx)
	if res.Err != nil || len(first.Services) != 400 {
		t.Fatalf("first state: %d services, %v", len(first.Services), res.Err)
	}
	again, res := r.c.ECS(ctx)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if !reflect.DeepEqual(again, first) {
		t.Fatal("two fetches of an unchanged ECS differ")
	}
	before := ecsServices(first)
	for _, s := range again.Services {
		if len(s.Deployments) == 0 || len(s.Events) == 0 {
			t.Fatalf("%s has no deployment or event to check sharing with", s)
		}
		if !sharesWith(s, before[s.Key()]) {
			t.Errorf("unchanged %s is a copy, not the previous value", s)
		}
	}

	var scaled, redeployed, logged, added string
	r.update(func(reg *sim.Region) {
		names := slices.Sorted(maps.Keys(reg.ECSClusters))
		cl := reg.ECSClusters[names[1]]
		svcs := slices.Sorted(maps.Keys(cl.Services))
		// Steady services: one deployment running all their tasks.
		svc := cl.Services[svcs[3]]
		svc.Desired, svc.Running = svc.Desired+3, svc.Running+3
		svc.Deployments[0].Desired, svc.Deployments[0].Running = svc.Desired, svc.Running
		scaled = model.ServiceKey(cl.Name, svc.Name)
		svc = cl.Services[svcs[4]]
		svc.Deployments[0].UpdatedAt = svc.Deployments[0].UpdatedAt.Add(time.Minute)
		redeployed = model.ServiceKey(cl.Name, svc.Name)
		svc = cl.Services[svcs[5]]
		svc.Events = append([]sim.ECSEvent{{ID: "0f7c1a52-4b8e-4d1e-9c1a-2b7e9f1d3a11", CreatedAt: time.Now(), Message: "(service " + svc.Name + ") was looked at."}}, svc.Events...)
		logged = model.ServiceKey(cl.Name, svc.Name)
		added = model.ServiceKey(cl.Name, "teal-api")
		reg.AddECSService(cl, "teal-api", "FARGATE", "teal-api:1", 2, time.Now().Add(-time.Hour), time.Now())
	})
	second, res := r.c.ECS(ctx)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	fresh := New(configFor(t, r.url, sim.ProdAccessKey, Options{}), withEndpoint(Options{}, r.url))
	fresh.ecsPace = nil
	alone, res := fresh.ECS(ctx)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if !reflect.DeepEqual(second, alone) {
		t.Fatal("the ECS state fetched after another differs from the same state fetched alone")
	}

	before = ecsServices(again)
	shared := 0
	for _, s := range second.Services {
		prev, had := before[s.Key()]
		same := had && sharesWith(s, prev)
		switch s.Key() {
		case scaled:
			if same || s.Desired != prev.Desired+3 || s.Running != prev.Running+3 || s.Deployments[0].Desired != s.Desired {
				t.Errorf("scaled %s: %s, deployment desired %d, shares the old value: %v; want 3 more",
					s, s.Counts(), s.Deployments[0].Desired, same)
			}
		case redeployed:
			if same || !s.Deployments[0].UpdatedAt.Equal(prev.Deployments[0].UpdatedAt.Add(time.Minute)) {
				t.Errorf("%s: deployment updated %v (was %v), shares the old value: %v", s, s.Deployments[0].UpdatedAt, prev.Deployments[0].UpdatedAt, same)
			}
		case logged:
			if same || !strings.HasSuffix(s.Events[0].Message, "was looked at.") {
				t.Errorf("%s: newest event %q, shares the old value: %v", s, s.Events[0].Message, same)
			}
		case added:
			if had {
				t.Errorf("added %s was there before", s)
			}
		default:
			if same {
				shared++
			}
		}
	}
	if want := len(second.Services) - 4; shared != want {
		t.Errorf("%d unchanged services share the previous values, want %d", shared, want)
	}
}

// A failed ECS fetch does not replace the state the next one shares
// from: that is still the last whole one.
func TestECSFailureKeepsWhatIsShared(t *testing.T) {
	r := newRigWith(t, sim.Options{Services: 200, Seed: 1})
	ctx := context.Background()
	first, res := r.c.ECS(ctx)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	// One batch of services fails: the rest arrive, a partial state.
	remove := r.sim.Inject(sim.Fault{Action: "ecs:DescribeServices", Kind: sim.FaultAccessDenied, Times: 1})
	partial, res := r.c.ECS(ctx)
	remove()
	if res.Err == nil || len(partial.Services) == 0 {
		t.Fatalf("faulted fetch: %d services, %v; want some, and an error", len(partial.Services), res.Err)
	}
	if kept := r.c.priorECS(); unsafe.SliceData(kept) != unsafe.SliceData(first.Services) || len(kept) != len(first.Services) {
		t.Fatalf("after a failed fetch (%d services) the client shares from %d services, not the last whole state", len(partial.Services), len(kept))
	}
	second, res := r.c.ECS(ctx)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	before := ecsServices(first)
	for _, s := range second.Services {
		if !sharesWith(s, before[s.Key()]) {
			t.Errorf("unchanged %s is not shared with the last whole state", s)
		}
	}
}

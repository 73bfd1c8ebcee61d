package awsstate

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"testing"

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

package awsstate

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// hostileRig is a rig on the hostile scenario: the demo world plus an
// instance tagged Cluster=blue\u200b, which looks exactly like blue.
func hostileRig(t *testing.T) *rig {
	t.Helper()
	s, url := startSim(t, sim.Options{Scenario: "hostile"})
	r := &rig{t: t, sim: s, url: url, log: filepath.Join(t.TempDir(), "audit.log")}
	r.c = clientFor(t, url, sim.ProdAccessKey, Options{AuditLog: r.log})
	return r
}

// freeBlue takes blue's EIPs off it, so that blue is not LIVE and a
// terminate of blue is refused, if at all, for another reason.
func freeBlue(r *rig) {
	r.update(func(reg *sim.Region) {
		for _, in := range reg.Tagged("Cluster", "blue") {
			for _, a := range reg.AddressesOn(in.ID) {
				reg.Disassociate(a.AllocationID)
			}
		}
	})
}

// The look-alike of blue is its own cluster on the screen, and a
// terminate of blue neither fetches it nor plans it: whether the screen
// showed it (refused: two clusters look like blue) or not (allowed, with
// blue's instances alone, and only they are terminated).
func TestLookAlikeIsNotInBluesPlan(t *testing.T) {
	r := hostileRig(t)
	freeBlue(r)
	w, seen, p := r.screen()

	var lookalike string
	r.update(func(reg *sim.Region) {
		if ins := reg.Tagged("Cluster", sim.HostileZeroWidth); len(ins) == 1 {
			lookalike = ins[0].ID
		}
	})
	if lookalike == "" {
		t.Fatal("the hostile scenario has no single instance tagged blue\\u200b")
	}
	blue, _ := w.Cluster("blue")
	if slices.Contains(blue.InstanceIDs, lookalike) {
		t.Fatalf("the look-alike %s is shown in blue: %v", lookalike, blue.InstanceIDs)
	}
	if c, ok := w.Cluster(sim.HostileZeroWidth); !ok || c.Display != "blue⟨U+200B⟩" ||
		!slices.Equal(c.LookAlikes, []string{"blue"}) || !slices.Equal(c.InstanceIDs, []string{lookalike}) {
		t.Fatalf("look-alike cluster = %+v, want blue⟨U+200B⟩ holding %s, marked a look-alike of blue", c, lookalike)
	}

	// The screen shows both: acting on either by name is refused.
	for _, name := range []string{"blue", sim.HostileZeroWidth} {
		v := r.prepareSeen(clusterIntent(w, model.ActionTerminate, name), seen, p).Verdict
		if v.Allowed || !slices.Contains(rules(v), model.RuleLookAlike) {
			t.Fatalf("terminate %s = %+v, want refused: look-alike", model.Display(name), v)
		}
		if want := "two clusters look like blue: blue and blue⟨U+200B⟩"; v.Refusals[0].Reason != want {
			t.Errorf("terminate %s refused with %q, want %q", model.Display(name), v.Refusals[0].Reason, want)
		}
		if !v.Plan.Empty() {
			t.Errorf("a refused verdict carries plan %+v", v.Plan)
		}
	}
	for _, it := range model.Menu(w, model.Selection{Cluster: "blue"}, model.Freshness{}, p) {
		if it.Intent.ClusterWide() && it.Available {
			t.Errorf("menu offers %q on blue beside its look-alike", it.Label)
		}
	}

	// A screen drawn before the look-alike was tagged: blue alone, and
	// the fresh facts, fetched by blue's raw tag, do not bring it in.
	before := w.Snap
	before.Instances = slices.DeleteFunc(slices.Clone(before.Instances), func(in model.Instance) bool { return in.ID == lookalike })
	prep := r.prepareSeen(clusterIntent(w, model.ActionTerminate, "blue"), model.SeenOf(model.Analyze(before, ""), model.Freshness{}), p)
	v := prep.Verdict
	if !v.Allowed {
		t.Fatalf("terminate blue = %v, want allowed", v.Refusals)
	}
	if !slices.Equal(v.Plan.Terminate, blue.InstanceIDs) {
		t.Errorf("plan = %v, want blue's %v", v.Plan.Terminate, blue.InstanceIDs)
	}
	for _, in := range v.Facts.Instances {
		if in.ID == lookalike {
			t.Errorf("the facts for blue hold the look-alike %s", lookalike)
		}
	}

	out, err := r.c.Execute(context.Background(), prep, v.Phrase)
	if err != nil || !out.Done {
		t.Fatalf("Execute = %+v, %v; want done", out, err)
	}
	r.update(func(reg *sim.Region) {
		for _, in := range reg.Instances {
			gone := in.State == sim.StateShuttingDown || in.State == sim.StateTerminated
			if gone != (in.Tags["Cluster"] == "blue") {
				t.Errorf("instance %s (Cluster %q) is %s", in.ID, in.Tags["Cluster"], in.State)
			}
		}
	})
}

// A cluster name is matched literally: EC2's filter wildcards in it are
// escaped, so "b*" is the cluster b*, not every cluster starting with b.
func TestClusterFilterIsLiteral(t *testing.T) {
	r := hostileRig(t)
	var starred string
	r.update(func(reg *sim.Region) {
		in := reg.Tagged("Cluster", "green")[0]
		in.Tags["Cluster"] = "b*"
		starred = in.ID
	})
	for _, tt := range []struct {
		value string
		want  []string
	}{
		{"b*", []string{starred}},
		{"b?", nil},
		{`b\`, nil},
	} {
		got, err := r.c.instances(context.Background(), &ec2.DescribeInstancesInput{
			Filters:    []types.Filter{{Name: aws.String("tag:Cluster"), Values: []string{literalFilterValue(tt.value)}}},
			MaxResults: aws.Int32(pageSize),
		}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ids := instanceIDs(got); !slices.Equal(ids, tt.want) {
			t.Errorf("tag:Cluster=%q matched %v, want %v", tt.value, ids, tt.want)
		}
	}
	members, err := r.c.instancesInCluster(context.Background(), "b*")
	if err != nil || !slices.Equal(instanceIDs(members), []string{starred}) {
		t.Errorf("members of b* = %v, %v; want %s alone", instanceIDs(members), err, starred)
	}
}

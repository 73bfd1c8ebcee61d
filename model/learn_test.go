package model

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// The facts a judgement fetched replace what the screen's snapshot says
// about the same things, and only those; facts from another account, or
// older than the screen, are never mixed in.
func TestWithFacts(t *testing.T) {
	blueEIPs := []string{"eipalloc-1", "eipalloc-2", "eipalloc-3"}
	releaseBlue := Intent{Action: ActionRelease, Cluster: "blue", AllocationIDs: blueEIPs}
	terminateGreen := Intent{Action: ActionTerminate, Cluster: "green", InstanceIDs: []string{"i-g1", "i-g2", "i-g3"}}

	// judged is the verdict on in when AWS reports now, judged against
	// the demo screen.
	judged := func(in Intent, now Snapshot, edit func(*Facts)) Verdict {
		f := factsOf(now)
		if edit != nil {
			edit(&f)
		}
		return Judge(in, SeenOf(Analyze(demoSnap(), ""), fresh), f, prodPolicy())
	}
	tests := []struct {
		name  string
		v     Verdict
		ok    bool
		check func(t *testing.T, w World)
	}{
		{
			name: "S1: the refusal learned the EIPs are on green; the screen says so",
			v:    judged(releaseBlue, goLive(demoSnap()), nil),
			ok:   true,
			check: func(t *testing.T, w World) {
				blue, _ := w.Cluster("blue")
				green, _ := w.Cluster("green")
				if blue.Live || !green.Live {
					t.Errorf("blue live %v, green live %v; want green LIVE only", blue.Live, green.Live)
				}
				if o := w.Owners["eipalloc-1"]; o.Cluster != "green" || o.InstanceID != "i-g1" {
					t.Errorf("3.3.3.1 is on %v, want green/i-g1", o)
				}
			},
		},
		{
			name: "a target gone since shown is removed, with its status",
			v: judged(terminateGreen, demoSnap(), func(f *Facts) {
				f.Instances = slices.DeleteFunc(slices.Clone(f.Instances), func(in Instance) bool { return in.ID == "i-g2" })
			}),
			ok: true,
			check: func(t *testing.T, w World) {
				if _, ok := w.Instance("i-g2"); ok {
					t.Error("i-g2 is still on screen after the check found it gone")
				}
				if _, ok := w.Snap.Statuses["i-g2"]; ok {
					t.Error("i-g2's status checks are still on screen")
				}
				if w.NumInstances() != 7 {
					t.Errorf("%d instances, want the other 7 kept", w.NumInstances())
				}
			},
		},
		{
			name: "a member that joined, a state that changed, a check that failed",
			v: judged(terminateGreen, demoSnap(), func(f *Facts) {
				f.Instances = append(slices.Clone(f.Instances), inst("i-g4", "green", StatePending))
				for i := range f.Instances {
					if f.Instances[i].ID == "i-g1" {
						f.Instances[i].State = StateStopping
					}
				}
				f.Statuses = map[string]InstanceStatus{"i-g1": {InstanceID: "i-g1", System: CheckImpaired, Instance: CheckOK}}
			}),
			ok: true,
			check: func(t *testing.T, w World) {
				if c, _ := w.ClusterOf("i-g4"); c != "green" {
					t.Error("the member that joined green is not on screen")
				}
				if in, _ := w.Instance("i-g1"); in.State != StateStopping {
					t.Errorf("i-g1 is %s, want stopping", in.State)
				}
				if !w.Snap.Statuses["i-g1"].Failed() {
					t.Error("i-g1's failed check is not on screen")
				}
				if !w.Snap.Statuses["i-b1"].Passing() {
					t.Error("a status the check did not fetch was lost")
				}
			},
		},
		{
			name: "facts from another account (S3) are never mixed in",
			v: judged(releaseBlue, goLive(demoSnap()), func(f *Facts) {
				f.Identity = Identity{AccountID: "222222222222", Alias: "acme-staging"}
			}),
		},
		{
			name: "facts without a confirmed caller are not mixed in",
			v:    judged(releaseBlue, goLive(demoSnap()), func(f *Facts) { f.Identity = Identity{} }),
		},
		{
			name: "facts from another region are not mixed in",
			v:    judged(releaseBlue, goLive(demoSnap()), func(f *Facts) { f.Region = "eu-west-1" }),
		},
		{
			name: "facts older than the screen are not mixed in",
			v:    judged(releaseBlue, goLive(demoSnap()), func(f *Facts) { f.FetchedAt = t0.Add(-time.Second) }),
		},
		{
			name: "nothing was fetched",
			v:    Verdict{Intent: releaseBlue},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := demoSnap()
			before := clone(s)
			got, ok := s.WithFacts(tc.v)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !reflect.DeepEqual(s, before) {
				t.Fatal("WithFacts changed the snapshot it was given")
			}
			if !ok {
				if !reflect.DeepEqual(got, s) {
					t.Error("refused facts, yet the snapshot returned differs")
				}
				return
			}
			if !got.FetchedAt.Equal(s.FetchedAt) || !reflect.DeepEqual(got.Sections, s.Sections) {
				t.Error("the snapshot's age or sections changed: the screen would look fresher than it is")
			}
			tc.check(t, Analyze(got, ""))
		})
	}
}

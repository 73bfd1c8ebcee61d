package awsstate

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/airlock-ops/airlock/awsstate/sim"
	"github.com/airlock-ops/airlock/model"
)

// Fake credentials the audit log must never contain. The simulator does
// not verify signatures, so any secret works.
const (
	testSecret = "airlock-TEST-secret-key-must-never-be-logged"
	testToken  = "airlock-TEST-session-token-must-never-be-logged"
)

// rig is a Client on the demo world with switchable credentials and its
// own audit log: the action path as the program drives it.
type rig struct {
	t   *testing.T
	sim *sim.Server
	url string
	c   *Client
	key atomic.Value // the access key the next call signs with
	log string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t}
	r.sim, r.url = startSim(t, sim.Options{})
	r.key.Store(sim.ProdAccessKey)
	r.log = filepath.Join(t.TempDir(), "state", "airlock", "audit.log")
	r.c = New(configFor(t, r.url, sim.ProdAccessKey, Options{}, config.WithCredentialsProvider(r.credentials())),
		withEndpoint(Options{AuditLog: r.log}, r.url))
	return r
}

// credentials reads the key on every call, the way a new SSO login or a
// profile switched in another pane changes what the SDK signs with.
// Already expired, so the SDK's cache asks again each time.
func (r *rig) credentials() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{
			AccessKeyID:     r.key.Load().(string),
			SecretAccessKey: testSecret,
			SessionToken:    testToken,
			CanExpire:       true,
			Expires:         time.Now(),
		}, nil
	})
}

// screen fetches the world the way the dashboard does and returns what
// the operator sees: the world, the seen state and the session's policy.
func (r *rig) screen() (model.World, model.Seen, model.Policy) {
	r.t.Helper()
	snap := r.c.Fetch(context.Background())
	for s, res := range snap.Sections {
		if !res.Complete {
			r.t.Fatalf("screen: section %s: %v", s, res.Err)
		}
	}
	w := model.Analyze(snap, "")
	p := model.Policy{
		BannerAccountID: snap.Identity.AccountID,
		AccountName:     snap.Identity.Alias,
		Env:             model.ClassifyEnvironment(snap.Identity.Alias),
	}
	return w, model.SeenOf(w, model.Freshness{}), p
}

// prepare asks for in against the screen as it is now.
func (r *rig) prepare(in model.Intent) Prepared {
	r.t.Helper()
	_, seen, p := r.screen()
	return r.prepareSeen(in, seen, p)
}

func (r *rig) prepareSeen(in model.Intent, seen model.Seen, p model.Policy) Prepared {
	r.t.Helper()
	prep, err := r.c.Prepare(context.Background(), in, seen, p)
	if err != nil {
		r.t.Fatalf("Prepare(%+v): %v", in, err)
	}
	return prep
}

// update changes the prod account's us-east-1, as another operator or a
// deploy script would.
func (r *rig) update(fn func(reg *sim.Region)) { r.sim.Update(sim.ProdAccountID, "us-east-1", fn) }

// calls is how often the sim served action, failed attempts included.
func (r *rig) calls(action string) int { return r.sim.Stats()[action] }

// records reads the audit log.
func (r *rig) records() []auditRecord {
	r.t.Helper()
	return readAudit(r.t, r.log)
}

func readAudit(t *testing.T, path string) []auditRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	defer f.Close()
	var out []auditRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec auditRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("audit log line %q: %v", sc.Text(), err)
		}
		out = append(out, rec)
	}
	return out
}

// clusterIntent is the cluster-wide intent the action menu would build.
func clusterIntent(w model.World, action model.ActionKind, cluster string) model.Intent {
	c, _ := w.Cluster(cluster)
	in := model.Intent{Action: action, Cluster: cluster}
	switch action {
	case model.ActionTerminate, model.ActionStop:
		in.InstanceIDs = slices.Clone(c.InstanceIDs)
	default:
		for _, a := range w.AddressesOf(cluster) {
			in.AllocationIDs = append(in.AllocationIDs, model.AddressKey(a))
		}
	}
	return in
}

// spareEIP is the demo world's one unassociated address.
func spareEIP(t *testing.T, w model.World) model.Address {
	t.Helper()
	for _, a := range w.Snap.Addresses {
		if !a.Associated() {
			return a
		}
	}
	t.Fatal("the demo world has no unassociated EIP")
	return model.Address{}
}

func rules(v model.Verdict) []model.Rule {
	var out []model.Rule
	for _, r := range v.Refusals {
		out = append(out, r.Rule)
	}
	return out
}

package tui

import (
	"strings"
	"testing"

	"github.com/airlock-ops/airlock/model"
)

// configFor is a configuration that names only the accounts given.
func configFor(accounts ...model.Account) model.Config {
	c := model.Config{Path: "/etc/airlock.toml", Accounts: map[string]model.Account{}}
	for _, a := range accounts {
		c.Accounts[a.ID] = a
	}
	return c
}

// S3 with a configuration: the file, not the alias, places the account,
// and the banner says so.
func TestConfigPlacesTheAccount(t *testing.T) {
	conf := configFor(model.Account{ID: "222222222222", Name: "shop-staging", Env: model.EnvStaging})
	hs := newHarness(t, &staticSource{}, Options{Config: conf}, 100, 30)
	// The alias says production; the file says staging, and wins.
	hs.deliver(demoSnapshotFor("acme-prod", "222222222222"))
	banner := hs.m.banner.view(100)
	if !strings.Contains(banner, "STAGING") || !strings.Contains(banner, "shop-staging 222222222222 (config)") {
		t.Errorf("banner does not show the configured name and environment:\n%s", banner)
	}
	if p := hs.m.policy(); p.Env != model.EnvStaging || p.AccountName != "shop-staging" {
		t.Errorf("policy = %+v, want staging named shop-staging", p)
	}
}

// An account the file does not know is UNKNOWN and treated as production
// everywhere: banner, phrase and refusals.
func TestUnknownAccountIsTreatedAsProduction(t *testing.T) {
	conf := configFor(model.Account{ID: "222222222222", Name: "shop-staging", Env: model.EnvStaging})
	actor := &fakeActor{facts: factsOf(demoSnapshotFor("acme-staging", "333333333333"))}
	hs := newHarness(t, &staticSource{}, Options{Config: conf, Actor: actor}, 100, 30)
	hs.deliver(demoSnapshotFor("acme-staging", "333333333333"))

	banner := hs.m.banner.view(100)
	if !strings.Contains(banner, "UNKNOWN ACCOUNT") || !strings.Contains(banner, "(not in config)") {
		t.Errorf("banner for an account the config does not know:\n%s", banner)
	}
	hs.m.clusters.selectName("green")
	hs.m.syncInstances()
	hs.press("x")
	hs.until("the menu", func() bool { return hs.m.flow != nil && hs.m.flow.stage == stageMenu })
	prepareFirst(t, hs, "Terminate cluster green")
	if got := hs.m.flow.prepared.Verdict.Phrase; got != "acme-staging/green" {
		t.Errorf("phrase = %q, want the production form acme-staging/green", got)
	}
}

// An account's own cluster tag from the configuration groups its
// clusters once STS has said which account it is, and the source's
// actions use it too.
func TestAccountClusterTag(t *testing.T) {
	conf := configFor(model.Account{ID: "111111111111", Name: "acme-prod", Env: model.EnvProduction, ClusterTag: "Service"})
	s := demoSnapshot()
	for i := range s.Instances {
		in := &s.Instances[i]
		tags := map[string]string{}
		for _, t := range in.Tags {
			tags[t.Key] = t.Value
		}
		if c, ok := tags["Cluster"]; ok {
			tags["Service"] = "svc-" + c
			delete(tags, "Cluster")
		}
		in.Tags = model.TagsOf(tags)
	}
	src := &taggedSource{}
	hs := newHarness(t, src, Options{Config: conf}, 100, 30)
	hs.deliver(s)
	if _, ok := hs.m.world.Cluster("svc-blue"); !ok {
		t.Fatalf("clusters are not grouped by the account's tag Service: %+v", hs.m.world.Clusters)
	}
	if src.tag != "Service" {
		t.Errorf("the source was told tag %q, want Service", src.tag)
	}
}

// taggedSource records the cluster tag it is told.
type taggedSource struct {
	staticSource
	tag string
}

func (s *taggedSource) SetClusterTag(tag string) { s.tag = tag }

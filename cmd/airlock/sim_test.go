package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestSimFaultFlag starts "airlock sim" with faults on the command line and
// sees them through "airlock status", as an external test script would.
func TestSimFaultFlag(t *testing.T) {
	sim := startSim(t,
		"--fault", "access-denied,account=111111111111,action=ec2:DescribeAddresses",
		"--fault", "expired-token,account=222222222222",
		"--throttling")

	resp, err := http.Get(sim.endpoint + "/_sim/faults")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Faults     []struct{ Spec string }
		Throttling bool
	}
	err = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Faults) != 2 || list.Faults[0].Spec != "access-denied,account=111111111111,action=ec2:DescribeAddresses" ||
		list.Faults[1].Spec != "expired-token,account=222222222222" || !list.Throttling {
		t.Errorf("GET /_sim/faults = %+v", list)
	}

	doc := statusWithCode(t, sim, "acme-prod", statusIncomplete)
	addrs := doc.Sections["addresses"]
	if addrs.Complete || addrs.Error == nil || !strings.Contains(*addrs.Error, "ec2:DescribeAddresses") {
		t.Errorf("addresses section = %+v, want the access-denied error naming ec2:DescribeAddresses", addrs)
	}
	if inst := doc.Sections["instances"]; !inst.Complete {
		t.Errorf("instances section hit by a fault for another action: %+v", inst)
	}

	_, stderr, code := runAirlock(t, sim.env(), "status", "--profile", "acme-staging")
	if code != 1 || !strings.Contains(stderr, "expired") {
		t.Errorf("staging status: exit %d, stderr %q; want 1 and expired credentials", code, stderr)
	}
}

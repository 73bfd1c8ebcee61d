package main

import (
	"strings"
	"testing"
)

// S7: a container service vanishes underneath its deployer. Another
// engineer's console deletes deployer-api through the sim's control; the
// event feed says so within a refresh: never a silent absence.
func TestStoryS7VanishedServiceIsAnEvent(t *testing.T) {
	p, sim, _ := demoPane(t, "--scenario", "s7")
	p.waitFor("blue LIVE", wait, bannerReady("acme-prod"))

	sim.post(t, "/_sim/ecs/delete-service?cluster=prod-ecs&service=deployer-api")

	p.waitFor("the vanished service in the feed", wait, func(s string) bool {
		return strings.Contains(s, "service deployer-api in cluster prod-ecs vanished (was 4/4 running)")
	})
}

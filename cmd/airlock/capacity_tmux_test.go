package main

import (
	"strings"
	"testing"
)

// S4 in a real terminal at 80x24: the page bar says a group is SHORT on
// the Fleet page; on the Capacity page the group reads SHORT and the
// failure message of its latest failed activity is there in AWS's words,
// with the preflight naming the missing AMI and security group.
func TestStoryS4CapacityAt80x24(t *testing.T) {
	p := startPane(t, 80, 24, []string{"XDG_STATE_HOME=" + t.TempDir()},
		"demo", "--scenario", "s4", "--refresh", "1s", "--go-live-after", "0")
	p.waitFor("the page bar's alarm", wait, func(s string) bool {
		return strings.Contains(s, "acme-prod") && strings.Contains(s, "2 Capacity ▲ 1 SHORT")
	})
	p.send("2")
	p.waitFor("SHORT and the failure on the Capacity page", wait, func(s string) bool {
		flat := strings.Join(strings.Fields(s), " ")
		return hasLine(s, `^\W*uploader\s+6\s+2\b`, `SHORT 4`) &&
			strings.Contains(flat, "The image id '[ami-0deadbeef00000000]' does not exist. Launching EC2 instance failed.") &&
			strings.Contains(flat, "AMI ami-0deadbeef00000000 does not exist") &&
			strings.Contains(flat, "security group uploader-prod does not exist") &&
			strings.Contains(s, "PRODUCTION")
	})
}

// S5 in a real terminal: the full subnet of us-east-1c and the nearly
// full one of us-east-1a are LOW on the Network page, and the group that
// ran out of addresses is named beside the full one.
func TestStoryS5NetworkAt80x24(t *testing.T) {
	p := startPane(t, 80, 24, []string{"XDG_STATE_HOME=" + t.TempDir()},
		"demo", "--scenario", "s5", "--refresh", "1s", "--go-live-after", "0")
	p.waitFor("the banner", wait, func(s string) bool {
		return strings.Contains(s, "acme-prod") && strings.Contains(s, "3 Network ▲ 2 LOW")
	})
	p.send("3")
	p.waitFor("the full subnet warned", wait, func(s string) bool {
		return hasLine(s, `us-east-1c`, `\b0\s+100%\s+LOW\b`, `rebuild`) && hasLine(s, `us-east-1a`, `\b9\b`, `LOW`) &&
			!hasLine(s, `us-east-1b`, `LOW`)
	})
}

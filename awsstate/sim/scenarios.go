package sim

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// The demo accounts. Two profiles in one AWS config reach two accounts
// because the sim picks the account by access key ID.
const (
	ProdAccountID    = "111111111111"
	StagingAccountID = "222222222222"
	ProdAlias        = "acme-prod"
	StagingAlias     = "acme-staging"
	ProdAccessKey    = "AKIAACMEPROD00000001"
	StagingAccessKey = "AKIAACMESTAGE0000001"
	// DemoSecretKey is the secret for both demo keys. The sim never checks
	// signatures; the SDK only needs something to sign with.
	DemoSecretKey = "simDEMOsecretKEYnotAsecret0000000000000"
)

// DemoEpoch is the default Options.Epoch: "now" in the demo world. Launch
// times fall hours or days before it, scheduled events after it.
var DemoEpoch = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// clusterTag is the tag key the demo world groups instances by (airlock's
// default cluster tag).
const clusterTag = "Cluster"

// scenarioInfo documents one scenario; extra changes us-east-1 after the
// demo or generated fleet is in place.
type scenarioInfo struct {
	about string
	extra func(r *Region, epoch time.Time)
	empty bool // accounts and identities only, no resources
	// bursts is the throttling pattern the scenario starts with.
	bursts Bursts
}

var scenarios = map[string]scenarioInfo{
	"demo":    {about: "blue (live, 3 EIPs) and green (new, one instance failing its status check) in acme-prod and acme-staging"},
	"s1":      {about: "story S1, a stale console released the live EIPs: the demo world; GoLive moves the EIPs blue → green"},
	"s2":      {about: "story S2, terminating the wrong cluster: the demo world (blue live, green partly failed)"},
	"s3":      {about: "story S3, the right command in the wrong account: the demo world, identical in both accounts"},
	"s4":      {about: "story S4, a fleet that silently shrank: the demo world plus group uploader, desired 6, 2 in service, its launch template naming a missing AMI and a missing security group; launches keep failing", extra: shortGroup},
	"s5":      {about: "story S5, full subnets and rate limits: us-east-1a nearly full, group rebuild unable to fit in us-east-1c, and EC2 throttled for 15 s of every minute", extra: throttledSubnets, bursts: s5Bursts},
	"s6":      {about: "story S6, failing hardware: file server fileserver (cluster files) with a failed system check, a retirement in 3 days and its data volume's snapshot at 15% and advancing; blue-web-2's system check failing, scheduled events on blue-web-3 and green", extra: failingHardware},
	"s7":      {about: "story S7, a container service vanishes: cluster prod-ecs with deployer-api 4/4 running (POST /_sim/ecs/delete-service deletes it as another console would), payments, ledger-sync after a failed rollout, scheduler at 0", extra: deployerCluster},
	"hostile": {about: "the demo world plus tags carrying terminal escapes as C1 controls, bidi overrides, zero-width and wide characters, a 200-character Name; ECS names and events carrying ESC sequences", extra: hostileAll},
	"empty":   {about: "both accounts with their identities and aliases, no resources", empty: true},
}

// Scenario names a world New can build and says what is in it.
type Scenario struct {
	Name  string
	About string
}

// Scenarios lists the scenarios, sorted by name.
func Scenarios() []Scenario {
	out := make([]Scenario, 0, len(scenarios))
	for n, s := range scenarios {
		out = append(out, Scenario{Name: n, About: s.about})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// scenario returns the builder of the world opts describe. The builder is
// deterministic: every call builds the same world, which is what Reset
// relies on.
func scenario(o Options) (func() *world, error) {
	name := o.Scenario
	if name == "" {
		name = "demo"
	}
	info, ok := scenarios[name]
	if !ok {
		known := make([]string, 0, len(scenarios))
		for n := range scenarios {
			known = append(known, n)
		}
		sort.Strings(known)
		return nil, fmt.Errorf("sim: unknown scenario %q (known: %s)", name, strings.Join(known, ", "))
	}
	return func() *world {
		w := newWorld()
		prod := w.addAccount(ProdAccountID, ProdAlias, ProdAccessKey, "AIDAACMEPRODONCALL001")
		staging := w.addAccount(StagingAccountID, StagingAlias, StagingAccessKey, "AIDAACMESTAGEONCALL01")
		if info.empty {
			return w
		}
		for i, a := range []*account{prod, staging} {
			use1 := a.region("us-east-1")
			if o.Instances > 0 {
				generate(use1, o.Instances, o.Seed, o.Epoch)
				fleetCapacity(use1, o.Epoch)
				fleetStorage(use1, o.Seed, o.Epoch)
			} else {
				demoMain(use1, i, o.Epoch)
				demoCapacity(use1, o.Epoch)
				demoStorage(use1, o.Epoch)
			}
			if n := servicesFor(o); n > 0 {
				generateECS(use1, n, o.Seed, o.Epoch)
			} else {
				demoECS(use1, o.Epoch)
			}
			eu := a.region("eu-west-1")
			demoSmall(eu, i, o.Epoch)
			imagesInUse(eu, o.Epoch)
			rootVolumes(eu)
			if info.extra != nil {
				info.extra(use1, o.Epoch)
			}
			// Instances an extra added get their disks too.
			rootVolumes(use1)
			imagesInUse(use1, o.Epoch)
		}
		return w
	}, nil
}

// demoIPs are the public addresses of each demo account, from the
// documentation ranges of RFC 5737 so they can never reach a real host:
// Elastic IPs from 203.0.113.0/24 (prod) and 198.51.100.0/24 (staging),
// auto-assigned addresses from 192.0.2.0/24.
var demoIPs = []struct{ eip, auto string }{
	{eip: "203.0.113.", auto: "192.0.2.1"},
	{eip: "198.51.100.", auto: "192.0.2.2"},
}

// demoMain builds the main region of demo account i (0 prod, 1 staging):
//
//	VPC 10.0.0.0/16 (not the default VPC: ReleaseAddress on an associated
//	address fails with InvalidIPAddress.InUse)
//	subnets acme-private-a/b/c in us-east-1a/b/c; c has 3 addresses left
//	blue-web-1..3   Cluster=blue  running, launched 19 days before the epoch,
//	                each holding one EIP (.10, .11, .12)
//	green-web-1..3  Cluster=green running, launched 2 hours before the epoch;
//	                green-web-3 (in the nearly full subnet c) fails its
//	                instance status check
//	bastion         no Cluster tag, running, instance-retirement scheduled,
//	                termination and stop protection on
//	(no tags)       stopped
//	one unassociated EIP (.13)
//	security groups acme-web (web instances) and acme-bastion; the web
//	instances carry the instance profile acme-web, the others none
//
// Created in that order, so IDs are predictable: kind-0, the account digit
// (1 prod, 2 staging), the region digit (1 us-east-1, 2 eu-west-1) and a
// 14-digit serial. In prod us-east-1: instances i-01100000000000001..8 as
// listed, EIPs eipalloc-01100000000000001..4 (the first three on blue-web-1..3
// through eipassoc-01100000000000001..3), subnets subnet-01100000000000001..3,
// vpc-01100000000000001. Staging: the same with 021 for 011.
func demoMain(r *Region, i int, epoch time.Time) {
	ips := demoIPs[i]
	vpc := &VPC{ID: r.newID("vpc"), CIDR: "10.0.0.0/16", Tags: map[string]string{"Name": "acme-main"}}
	r.VPCs[vpc.ID] = vpc
	var subnets []*Subnet
	for j, az := range []string{"a", "b", "c"} {
		sn := &Subnet{
			ID:           r.newID("subnet"),
			VPCID:        vpc.ID,
			AZ:           "us-east-1" + az,
			AZID:         fmt.Sprintf("use1-az%d", j+1),
			CIDR:         fmt.Sprintf("10.0.%d.0/24", j+1),
			AvailableIPs: []int{245, 246, 3}[j],
			Tags:         map[string]string{"Name": "acme-private-" + az},
		}
		r.Subnets[sn.ID] = sn
		subnets = append(subnets, sn)
	}
	ami := "ami-0" + r.prefix + "a1b2c3d4e5f600"
	webSG := []GroupRef{{ID: r.newID("sg"), Name: "acme-web"}}
	bastionSG := []GroupRef{{ID: r.newID("sg"), Name: "acme-bastion"}}
	webProfile := &IAMProfile{ARN: "arn:aws:iam::" + r.AccountID + ":instance-profile/acme-web", ID: "AIPA" + r.prefix + "WEB0000000000000"}

	add := func(name string, tags map[string]string, typ string, state InstanceState, launched time.Time, sn *Subnet, host int, reservation string) *Instance {
		in := &Instance{
			ID:             r.newID("i"),
			ReservationID:  reservation,
			ImageID:        ami,
			Type:           typ,
			State:          state,
			LaunchTime:     launched,
			AZ:             sn.AZ,
			SubnetID:       sn.ID,
			VPCID:          vpc.ID,
			PrivateIP:      fmt.Sprintf("10.0.%s.%d", strings.Split(sn.CIDR, ".")[2], host),
			KeyName:        "acme-oncall",
			Tags:           tags,
			SecurityGroups: bastionSG,
		}
		if tags["Role"] == "web" {
			in.SecurityGroups, in.IAMProfile = webSG, webProfile
		}
		if name != "" {
			in.Tags["Name"] = name
		}
		r.Instances[in.ID] = in
		return in
	}
	web := func(cluster string) map[string]string {
		return map[string]string{clusterTag: cluster, "Role": "web"}
	}

	var blue, green []*Instance
	resBlue, resGreen := r.newID("r"), r.newID("r")
	for j := range 3 {
		launched := epoch.Add(-19*24*time.Hour + time.Duration(j)*time.Minute)
		blue = append(blue, add(fmt.Sprintf("blue-web-%d", j+1), web("blue"), "m5.large", StateRunning, launched, subnets[j], 11, resBlue))
	}
	for j := range 3 {
		launched := epoch.Add(-2*time.Hour + time.Duration(j)*time.Minute)
		in := add(fmt.Sprintf("green-web-%d", j+1), web("green"), "m5.large", StateRunning, launched, subnets[j], 21, resGreen)
		in.PublicIP = fmt.Sprintf("%s%d", ips.auto, 21+j)
		green = append(green, in)
	}
	r.Statuses[green[2].ID] = &Status{System: CheckOK, Instance: CheckImpaired, ImpairedSince: green[2].LaunchTime.Add(6 * time.Minute)}

	bastion := add("bastion", map[string]string{"Role": "bastion"}, "t3.micro", StateRunning, epoch.Add(-200*24*time.Hour), subnets[0], 5, r.newID("r"))
	bastion.PublicIP = ips.auto + "05"
	bastion.DisableAPITermination, bastion.DisableAPIStop = true, true
	r.Statuses[bastion.ID] = &Status{System: CheckOK, Instance: CheckOK, Events: []ScheduledEvent{{
		ID:          "instance-event-0" + r.prefix + "00000000000001",
		Code:        "instance-retirement",
		Description: "The instance is running on degraded hardware",
		NotBefore:   epoch.Add(6 * 24 * time.Hour),
		NotAfter:    epoch.Add(8 * 24 * time.Hour),
	}}}
	stopped := add("", map[string]string{}, "t3.small", StateStopped, epoch.Add(-40*24*time.Hour), subnets[1], 6, r.newID("r"))
	stopped.StateReason = "Client.UserInitiatedShutdown: User initiated shutdown"

	for j := range 4 {
		a := &Address{
			AllocationID: r.newID("eipalloc"),
			PublicIP:     fmt.Sprintf("%s%d", ips.eip, 10+j),
			Tags:         map[string]string{"Name": fmt.Sprintf("acme-web-%d", j+1)},
		}
		r.Addresses[a.AllocationID] = a
		if j < 3 {
			r.Associate(a.AllocationID, blue[j].ID)
		} else {
			a.Tags["Name"] = "acme-spare"
		}
	}
	r.touch()
}

// demoSmall builds the small second region (eu-west-1) of demo account i:
// the default VPC (ReleaseAddress silently disassociates there), two default
// subnets, cluster "api" of two running instances, one EIP on api-1.
func demoSmall(r *Region, i int, epoch time.Time) {
	vpc := &VPC{ID: r.newID("vpc"), CIDR: "172.31.0.0/16", Default: true}
	r.VPCs[vpc.ID] = vpc
	var subnets []*Subnet
	for j, az := range []string{"a", "b"} {
		sn := &Subnet{
			ID:                  r.newID("subnet"),
			VPCID:               vpc.ID,
			AZ:                  "eu-west-1" + az,
			AZID:                fmt.Sprintf("euw1-az%d", j+1),
			CIDR:                fmt.Sprintf("172.31.%d.0/20", j*16),
			AvailableIPs:        4089 + j,
			DefaultForAZ:        true,
			MapPublicIPOnLaunch: true,
		}
		r.Subnets[sn.ID] = sn
		subnets = append(subnets, sn)
	}
	res := r.newID("r")
	apiSG := []GroupRef{{ID: r.newID("sg"), Name: "default"}}
	var api []*Instance
	for j := range 2 {
		in := &Instance{
			ID:             r.newID("i"),
			ReservationID:  res,
			ImageID:        "ami-0" + r.prefix + "f6e5d4c3b2a100",
			Type:           "t3.medium",
			State:          StateRunning,
			LaunchTime:     epoch.Add(-5*24*time.Hour + time.Duration(j)*time.Minute),
			AZ:             subnets[j].AZ,
			SubnetID:       subnets[j].ID,
			VPCID:          vpc.ID,
			PrivateIP:      fmt.Sprintf("172.31.%d.10", j*16),
			PublicIP:       fmt.Sprintf("%s%d", demoIPs[i].auto, 31+j),
			KeyName:        "acme-oncall",
			Tags:           map[string]string{clusterTag: "api", "Name": fmt.Sprintf("api-%d", j+1), "Role": "api"},
			SecurityGroups: apiSG,
		}
		r.Instances[in.ID] = in
		api = append(api, in)
	}
	a := &Address{AllocationID: r.newID("eipalloc"), PublicIP: demoIPs[i].eip + "20", Tags: map[string]string{"Name": "acme-api"}}
	r.Addresses[a.AllocationID] = a
	r.Associate(a.AllocationID, api[0].ID)
	r.touch()
}

// named finds an instance by its Name tag; extras use it so they also work
// (or quietly do nothing) on generated fleets.
func named(r *Region, name string) *Instance {
	for _, id := range r.instanceIDs() {
		if in := r.Instances[id]; in.Tags["Name"] == name {
			return in
		}
	}
	return nil
}

func fullSubnets(r *Region, _ time.Time) {
	for _, sn := range r.Subnets {
		switch sn.AZ {
		case "us-east-1a":
			sn.AvailableIPs = 9
		case "us-east-1c":
			// Three left: group rebuild takes them (rebuildGroup).
			sn.AvailableIPs = 3
		}
	}
}

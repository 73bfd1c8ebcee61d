package sim

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// Generated fleets stand in for large accounts in tests and benchmarks.
// generate fills a region with n instances:
//
//   - clusters of clusterSize instances in ID order: the first is "blue",
//     the second "green" (so GoLive works on any fleet of 100 or more), the
//     rest "c002", "c003", ...;
//   - blue and every even-numbered cluster after it are live: every fifth
//     running instance there holds an Elastic IP, about one EIP per ten
//     instances overall, plus one unassociated EIP per 200 instances;
//   - outside blue and green, two instances in every cluster lack the
//     Cluster tag (they fall into airlock's untagged group), about 3% are
//     stopped and 1% pending, about 1% fail a status check and 0.5% have a
//     retirement scheduled;
//   - /20 subnets over six availability zones, at most 3000 instances
//     each, grouped sixteen to a /16 VPC.
//
// The same n, seed and epoch always give the same fleet. Private addresses
// come from 10.0.0.0/8, Elastic IPs from 100.64.0.0/10 (shared address
// space, never routable on the internet).
func generate(r *Region, n int, seed int64, epoch time.Time) {
	const clusterSize = 50
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))

	nSubnets := max(6, (n+2999)/3000)
	subnets := make([]*Subnet, nSubnets)
	used := make([]int, nSubnets)
	var vpc *VPC
	for k := range subnets {
		if k%16 == 0 {
			vpc = &VPC{ID: r.newID("vpc"), CIDR: fmt.Sprintf("10.%d.0.0/16", k/16), Tags: map[string]string{"Name": fmt.Sprintf("fleet-%d", k/16)}}
			r.VPCs[vpc.ID] = vpc
		}
		az := string(rune('a' + k%6))
		subnets[k] = &Subnet{
			ID:    r.newID("subnet"),
			VPCID: vpc.ID,
			AZ:    "us-east-1" + az,
			AZID:  "use1-az" + strconv.Itoa(k%6+1),
			CIDR:  fmt.Sprintf("10.%d.%d.0/20", k/16, (k%16)*16),
			Tags:  map[string]string{"Name": fmt.Sprintf("fleet-%d-%s", k/16, az)},
		}
		r.Subnets[subnets[k].ID] = subnets[k]
	}

	types := []string{"m5.large", "c6i.xlarge", "t3.medium", "r6g.large", "m7g.xlarge"}
	roles := []string{"web", "worker", "api", "cache"}
	// One security group per role, shared by every instance of it.
	groups := make([][]GroupRef, len(roles))
	for i, role := range roles {
		groups[i] = []GroupRef{{ID: r.newID("sg"), Name: "fleet-" + role}}
	}
	eipHost := 0
	newEIP := func() *Address {
		eipHost++
		a := &Address{
			AllocationID: r.newID("eipalloc"),
			PublicIP:     fmt.Sprintf("100.%d.%d.%d", 64+eipHost>>16, (eipHost>>8)&0xff, eipHost&0xff),
		}
		r.Addresses[a.AllocationID] = a
		return a
	}

	var reservation, cluster, ami string
	var clusterLaunch time.Time
	for i := range n {
		c, j := i/clusterSize, i%clusterSize
		if j == 0 {
			switch c {
			case 0:
				cluster = "blue"
			case 1:
				cluster = "green"
			default:
				cluster = fmt.Sprintf("c%03d", c)
			}
			reservation = r.newID("r")
			ami = fmt.Sprintf("ami-0%s%014x", r.prefix, c+1)
			clusterLaunch = epoch.Add(-time.Duration(c%60+1) * 24 * time.Hour)
			if c == 1 {
				clusterLaunch = epoch.Add(-2 * time.Hour)
			}
		}
		k := i % nSubnets
		sn := subnets[k]
		used[k]++
		host := used[k] + 3 // the first four addresses of a subnet are AWS's
		in := &Instance{
			ID:            r.newID("i"),
			ReservationID: reservation,
			ImageID:       ami,
			Type:          types[c%len(types)],
			State:         StateRunning,
			LaunchTime:    clusterLaunch.Add(time.Duration(j) * time.Minute),
			AZ:            sn.AZ,
			SubnetID:      sn.ID,
			VPCID:         sn.VPCID,
			PrivateIP:     fmt.Sprintf("10.%d.%d.%d", k/16, (k%16)*16+host>>8, host&0xff),
			Tags: map[string]string{
				clusterTag: cluster,
				"Name":     cluster + "-" + strconv.Itoa(j+1),
				"Role":     roles[c%len(roles)],
			},
			SecurityGroups: groups[c%len(roles)],
		}
		r.Instances[in.ID] = in

		core := c < 2 // blue and green stay whole and running for GoLive
		if !core {
			if j%25 == 24 {
				delete(in.Tags, clusterTag)
			}
			switch x := rng.IntN(1000); {
			case x < 30:
				in.State = StateStopped
				in.StateReason = "Client.UserInitiatedShutdown: User initiated shutdown"
			case x < 40:
				in.State = StatePending
			}
		}
		if in.State == StateRunning {
			switch x := rng.IntN(1000); {
			case x < 7:
				r.Statuses[in.ID] = &Status{System: CheckOK, Instance: CheckImpaired, ImpairedSince: epoch.Add(-time.Duration(x+1) * time.Hour)}
			case x < 10:
				r.Statuses[in.ID] = &Status{System: CheckImpaired, Instance: CheckOK, ImpairedSince: epoch.Add(-time.Duration(x+1) * time.Hour)}
			case x < 15:
				r.Statuses[in.ID] = &Status{System: CheckOK, Instance: CheckOK, Events: []ScheduledEvent{{
					ID:          "instance-event-" + in.ID[len("i-"):],
					Code:        "instance-retirement",
					Description: "The instance is running on degraded hardware",
					NotBefore:   epoch.Add(time.Duration(x) * 24 * time.Hour),
				}}}
			}
		}
		live := c == 0 || (c >= 2 && c%2 == 0)
		if live && j%5 == 0 && in.State == StateRunning && in.Tags[clusterTag] != "" {
			a := newEIP()
			a.AssociationID = r.newID("eipassoc")
			a.InstanceID, a.NetworkInterfaceID, a.PrivateIP = in.ID, in.eni(), in.PrivateIP
		}
	}
	for range n/200 + 1 {
		newEIP()
	}
	for k, sn := range subnets {
		sn.AvailableIPs = 4091 - used[k]
	}
	r.touch()
}

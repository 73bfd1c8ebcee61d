package model

import (
	"maps"
	"time"
)

// t0 is when the fixtures' world was fetched.
var t0 = time.Date(2026, 11, 22, 12, 3, 41, 0, time.UTC)

func inst(id, cluster string, state InstanceState) Instance {
	in := Instance{ID: id, State: state, Type: "t3.micro", AZ: "us-east-1a", LaunchTime: t0.Add(-time.Hour)}
	if cluster != "" {
		in.Tags = TagsOf(map[string]string{DefaultClusterTag: cluster})
	}
	return in
}

func eip(alloc, ip, instanceID string) Address {
	a := Address{AllocationID: alloc, PublicIP: ip, Domain: "vpc"}
	if instanceID != "" {
		a.InstanceID = instanceID
		a.AssociationID = "eipassoc-" + alloc[len("eipalloc-"):] + "-" + instanceID
		a.NetworkInterfaceID = "eni-" + instanceID
	}
	return a
}

func allComplete() map[Section]SectionResult {
	return map[Section]SectionResult{
		SectionIdentity:  {Complete: true},
		SectionInstances: {Complete: true},
		SectionAddresses: {Complete: true},
		SectionSubnets:   {Complete: true},
		SectionStatus:    {Complete: true},
	}
}

// demoSnap is the demo world of S1 and S2 before the go-live: blue holds
// the three EIPs; green has three instances, one with a failed check; two
// untagged instances; one unassociated EIP.
func demoSnap() Snapshot {
	return Snapshot{
		Region:    "us-east-1",
		FetchedAt: t0,
		Identity:  Identity{AccountID: "111111111111", ARN: "arn:aws:iam::111111111111:user/oncall", Alias: "acme-prod"},
		Instances: []Instance{
			inst("i-b1", "blue", StateRunning), inst("i-b2", "blue", StateRunning), inst("i-b3", "blue", StateRunning),
			inst("i-g1", "green", StateRunning), inst("i-g2", "green", StateRunning), inst("i-g3", "green", StateRunning),
			inst("i-u1", "", StateRunning), inst("i-u2", "", StateStopped),
		},
		Addresses: []Address{
			eip("eipalloc-1", "3.3.3.1", "i-b1"), eip("eipalloc-2", "3.3.3.2", "i-b2"), eip("eipalloc-3", "3.3.3.3", "i-b3"),
			eip("eipalloc-9", "3.3.3.9", ""),
		},
		Statuses: map[string]InstanceStatus{
			"i-b1": {InstanceID: "i-b1", System: CheckOK, Instance: CheckOK},
			"i-b2": {InstanceID: "i-b2", System: CheckOK, Instance: CheckOK},
			"i-b3": {InstanceID: "i-b3", System: CheckOK, Instance: CheckOK},
			"i-g1": {InstanceID: "i-g1", System: CheckOK, Instance: CheckOK},
			"i-g2": {InstanceID: "i-g2", System: CheckOK, Instance: CheckOK},
			"i-g3": {InstanceID: "i-g3", System: CheckOK, Instance: CheckImpaired},
			"i-u1": {InstanceID: "i-u1", System: CheckOK, Instance: CheckOK},
		},
		Sections: allComplete(),
	}
}

// goLive returns s with blue's EIPs moved to green, one to one, the way
// the go-live script of S1 does it (new association IDs).
func goLive(s Snapshot) Snapshot {
	s = clone(s)
	for i, a := range s.Addresses {
		switch a.InstanceID {
		case "i-b1":
			s.Addresses[i] = eip(a.AllocationID, a.PublicIP, "i-g1")
		case "i-b2":
			s.Addresses[i] = eip(a.AllocationID, a.PublicIP, "i-g2")
		case "i-b3":
			s.Addresses[i] = eip(a.AllocationID, a.PublicIP, "i-g3")
		}
	}
	return s
}

// clone copies s deeply enough for a test to change its slices and maps.
func clone(s Snapshot) Snapshot {
	s.Instances = append([]Instance(nil), s.Instances...)
	s.Addresses = append([]Address(nil), s.Addresses...)
	s.Statuses = maps.Clone(s.Statuses)
	s.Sections = maps.Clone(s.Sections)
	return s
}

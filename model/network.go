package model

import (
	"net/netip"
	"sort"
)

// This file is the network side of capacity (story S5: a rebuild found a
// subnet that could not hold two clusters): how full each subnet is and
// who uses it.

// LowSubnet is when a subnet's free addresses are worth a warning. A
// subnet is low when it has fewer than Addresses free, or less than Share
// of its addresses free: the first catches a subnet that cannot take one
// more cluster, the second a large subnet that is nearly used up.
type LowSubnet struct {
	Share     float64 // 0.10: under 10% free
	Addresses int     // 16: under 16 free
}

// DefaultLowSubnet is 10% or 16 addresses.
var DefaultLowSubnet = LowSubnet{Share: 0.10, Addresses: 16}

// awsReserved is how many addresses AWS keeps in every subnet: the
// network address, the VPC router, DNS, one for future use and the
// broadcast address (Amazon VPC User Guide, "Subnet CIDR blocks").
const awsReserved = 5

// SubnetTotal is how many addresses of subnet s instances can have: its
// IPv4 CIDR block's size less the five AWS reserves. 0 when the CIDR is
// missing or unreadable (an IPv6-only subnet): unknown, not empty.
func SubnetTotal(s Subnet) int {
	p, err := netip.ParsePrefix(s.CIDR)
	if err != nil || !p.Addr().Is4() {
		return 0
	}
	bits := 32 - p.Bits()
	if bits >= 31 {
		return 0 // no such subnet in a VPC; do not overflow
	}
	return max(1<<bits-awsReserved, 0)
}

// SubnetUse is one subnet with how full it is and what uses it.
type SubnetUse struct {
	Subnet
	Total int // addresses instances can have; 0 when unknown
	// Used is the share of Total in use, 0..1; meaningful only when
	// Total > 0.
	Used float64
	Low  bool
	// Clusters and Groups using the subnet: clusters with an instance in
	// it, groups that launch into it (raw names, sorted).
	Clusters []string
	Groups   []string
}

// Free is the subnet's free address count, as EC2 reports it.
func (u SubnetUse) Free() int { return u.AvailableIPs }

// IsLow applies the threshold to a subnet's free and total addresses.
// A subnet whose size is unknown is judged on the count alone.
func (t LowSubnet) IsLow(free, total int) bool {
	if free < t.Addresses {
		return true
	}
	return total > 0 && float64(free) < t.Share*float64(total)
}

// SubnetUses lists the subnets of w by availability zone, then ID, with
// how full each is under threshold t and the clusters and groups using
// it. It walks every instance once, so call it once per snapshot.
func SubnetUses(w World, t LowSubnet) []SubnetUse {
	subs := w.Snap.Subnets
	if len(subs) == 0 {
		return nil
	}
	clusters := map[string]map[string]bool{}
	for _, in := range w.Instances() {
		if in.SubnetID == "" || in.State == StateTerminated {
			continue
		}
		if clusters[in.SubnetID] == nil {
			clusters[in.SubnetID] = map[string]bool{}
		}
		clusters[in.SubnetID][ClusterName(in, w.TagKey)] = true // what ClusterOf says: in is the entry it reads
	}
	groups := map[string]map[string]bool{}
	for _, g := range w.Snap.Groups {
		for _, sn := range g.Subnets {
			if groups[sn] == nil {
				groups[sn] = map[string]bool{}
			}
			groups[sn][g.Name] = true
		}
	}
	out := make([]SubnetUse, 0, len(subs))
	for _, s := range subs {
		u := SubnetUse{Subnet: s, Total: SubnetTotal(s)}
		if u.Total > 0 {
			u.Used = float64(u.Total-s.AvailableIPs) / float64(u.Total)
		}
		u.Low = t.IsLow(s.AvailableIPs, u.Total)
		u.Clusters = keys(clusters[s.ID])
		u.Groups = keys(groups[s.ID])
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].AZ != out[j].AZ {
			return out[i].AZ < out[j].AZ
		}
		return out[i].ID < out[j].ID
	})
	return out
}

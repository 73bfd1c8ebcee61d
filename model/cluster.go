package model

import (
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"
)

// DefaultClusterTag is the tag key that groups instances into clusters
// when the configuration names no other.
const DefaultClusterTag = "Cluster"

// UntaggedCluster names the group of instances that lack the cluster tag
// (or carry it with an empty value). It is a group for display, not a
// cluster: actions on a whole cluster refuse it.
const UntaggedCluster = "(untagged)"

// Owner is what an Elastic IP is attached to, identified by the most
// specific thing AWS reports: an instance (and the cluster through it),
// else a network interface, else a bare association. The zero value means
// unassociated.
//
// Owners are comparable with ==, and two owners are equal exactly when the
// address is on the same thing in the same cluster; that is the comparison
// the guard makes between what the screen showed and what is true now.
type Owner struct {
	InstanceID string
	// Cluster is the cluster of InstanceID; "" when the instance is not in
	// the snapshot (another account's, or its section failed).
	Cluster string
	// NetworkInterfaceID is set only when the address is on a network
	// interface that is not attached to an instance (a NAT gateway, a load
	// balancer, a detached ENI).
	NetworkInterfaceID string
	// AssociationID is set only when AWS reports an association and
	// neither an instance nor a network interface.
	AssociationID string
}

// OwnerOf returns the owner of address a, given each instance's cluster.
func OwnerOf(a Address, clusterOf map[string]string) Owner {
	switch {
	case a.InstanceID != "":
		return Owner{InstanceID: a.InstanceID, Cluster: clusterOf[a.InstanceID]}
	case a.NetworkInterfaceID != "":
		return Owner{NetworkInterfaceID: a.NetworkInterfaceID}
	case a.AssociationID != "":
		return Owner{AssociationID: a.AssociationID}
	}
	return Owner{}
}

// Associated reports whether the owner is anything at all.
func (o Owner) Associated() bool { return o != Owner{} }

// String names the owner for a person: "blue/i-0abc", "i-0abc" (instance
// not in the snapshot), "eni-0abc" (a network interface without an
// instance), "association eipassoc-0abc", or "unassociated". The cluster
// is in its Display form.
func (o Owner) String() string {
	switch {
	case o.InstanceID != "" && o.Cluster != "":
		return Display(o.Cluster) + "/" + o.InstanceID
	case o.InstanceID != "":
		return o.InstanceID
	case o.NetworkInterfaceID != "":
		return o.NetworkInterfaceID
	case o.AssociationID != "":
		return "association " + o.AssociationID
	}
	return WordUnassociated
}

// sameHolder reports whether o and p hold the address in the same place.
// A cluster that one side does not know (the instance was missing from
// that fetch) is not a difference; a cluster that both sides know and
// disagree on is (the instance was re-tagged).
func sameHolder(o, p Owner) bool {
	if o.InstanceID != p.InstanceID || o.NetworkInterfaceID != p.NetworkInterfaceID ||
		o.AssociationID != p.AssociationID {
		return false
	}
	return o.Cluster == p.Cluster || o.Cluster == "" || p.Cluster == ""
}

// AddressKey identifies an address across snapshots: its allocation ID,
// or its public IP for an EC2-Classic address that has none.
func AddressKey(a Address) string {
	if a.AllocationID != "" {
		return a.AllocationID
	}
	return a.PublicIP
}

// Cluster is the derived view of the instances that share a value of the
// cluster tag.
type Cluster struct {
	// Name is the tag's raw value: the cluster's identity, compared,
	// filtered on and acted on exactly. Never print it: show Display.
	Name string
	// Display is Name as a screen shows it (see the package function
	// Display): "blue⟨U+200B⟩" for "blue\u200b".
	Display  string
	Untagged bool // the group of instances without the tag
	// LookAlikes are the raw names of the other clusters of the same
	// World that a person could mistake for this one (LookAlike), sorted.
	// The screen marks such a cluster and Judge refuses to act on it by
	// name (RuleLookAlike).
	LookAlikes []string

	InstanceIDs []string // sorted
	States      map[InstanceState]int
	EIPs        []string // public IPs held by the cluster's instances, sorted

	// Live is true when the cluster holds at least one Elastic IP: it is
	// what the public addresses point at, so it is serving traffic. Live
	// clusters cannot be stopped or terminated (see the guard).
	Live bool

	NewestLaunch time.Time
	FailedChecks int // instances with an impaired system or instance check
	Scheduled    int // instances with a pending scheduled event
}

// Running is how many of the cluster's instances are running.
func (c Cluster) Running() int { return c.States[StateRunning] }

// World is a Snapshot analysed: instances grouped into clusters, each
// Elastic IP's owner, each cluster's liveness. It is what the screen shows
// and what Diff compares. Treat it as read-only: its maps are shared by
// every copy.
type World struct {
	Snap   Snapshot
	TagKey string

	Clusters  []Cluster            // by name, the untagged group last
	Instances map[string]Instance  // by ID
	ClusterOf map[string]string    // instance ID → cluster name
	Owners    map[string]Owner     // AddressKey → owner
	EIPsOf    map[string][]Address // instance ID → addresses on it, by public IP

	index map[string]int // cluster name → position in Clusters
}

// Analyze derives the World of snapshot s, grouping instances by the tag
// tagKey ("" means DefaultClusterTag).
//
// Ownership follows the address: an address on an instance belongs to that
// instance's cluster; an address on an instance that is not in the
// snapshot belongs to the instance alone (Owner.Cluster is ""), and counts
// toward no cluster's liveness.
func Analyze(s Snapshot, tagKey string) World {
	if tagKey == "" {
		tagKey = DefaultClusterTag
	}
	w := World{
		Snap:      s,
		TagKey:    tagKey,
		Instances: make(map[string]Instance, len(s.Instances)),
		ClusterOf: make(map[string]string, len(s.Instances)),
		Owners:    make(map[string]Owner, len(s.Addresses)),
		EIPsOf:    make(map[string][]Address),
	}
	for _, in := range s.Instances {
		if in.ID != "" {
			w.Instances[in.ID] = in
		}
	}
	ids := make([]string, 0, len(w.Instances))
	for id := range w.Instances {
		ids = append(ids, id)
	}
	sort.Strings(ids)

	byName := make(map[string]*Cluster)
	for _, id := range ids {
		in := w.Instances[id]
		name := ClusterName(in, tagKey)
		c := byName[name]
		if c == nil {
			c = &Cluster{Name: name, Untagged: name == UntaggedCluster, States: make(map[InstanceState]int)}
			byName[name] = c
		}
		c.InstanceIDs = append(c.InstanceIDs, id) // ids are sorted, so these are
		c.States[in.State]++
		if in.LaunchTime.After(c.NewestLaunch) {
			c.NewestLaunch = in.LaunchTime
		}
		if st, ok := s.Statuses[id]; ok {
			if st.Failed() {
				c.FailedChecks++
			}
			if st.HasPendingEvent() {
				c.Scheduled++
			}
		}
		w.ClusterOf[id] = name
	}

	for _, a := range s.Addresses {
		o := OwnerOf(a, w.ClusterOf)
		w.Owners[AddressKey(a)] = o
		if a.InstanceID != "" {
			w.EIPsOf[a.InstanceID] = append(w.EIPsOf[a.InstanceID], a)
		}
		if c := byName[o.Cluster]; c != nil && o.Cluster != "" {
			c.EIPs = append(c.EIPs, a.PublicIP)
		}
	}
	for _, as := range w.EIPsOf {
		sort.Slice(as, func(i, j int) bool { return compareIP(as[i].PublicIP, as[j].PublicIP) < 0 })
	}

	w.Clusters = make([]Cluster, 0, len(byName))
	for _, c := range byName {
		sort.Slice(c.EIPs, func(i, j int) bool { return compareIP(c.EIPs[i], c.EIPs[j]) < 0 })
		c.Live = len(c.EIPs) > 0
		c.Display = Display(c.Name)
		w.Clusters = append(w.Clusters, *c)
	}
	markLookAlikes(w.Clusters)
	sort.Slice(w.Clusters, func(i, j int) bool {
		a, b := w.Clusters[i], w.Clusters[j]
		if a.Untagged != b.Untagged {
			return b.Untagged
		}
		return a.Name < b.Name
	})
	w.index = make(map[string]int, len(w.Clusters))
	for i, c := range w.Clusters {
		w.index[c.Name] = i
	}
	return w
}

// markLookAlikes fills each cluster's LookAlikes. Names are grouped by
// what they look like (LookAlikeKey, and Display for names cut short), so
// the cost grows with the number of clusters, not its square.
func markLookAlikes(cs []Cluster) {
	groups := map[string][]int{}
	for i, c := range cs {
		k := LookAlikeKey(c.Name)
		groups["k"+k] = append(groups["k"+k], i)
		if d := c.Display; d != k {
			groups["d"+d] = append(groups["d"+d], i)
		}
	}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		for _, i := range g {
			for _, j := range g {
				if i != j && !slices.Contains(cs[i].LookAlikes, cs[j].Name) {
					cs[i].LookAlikes = append(cs[i].LookAlikes, cs[j].Name)
				}
			}
		}
	}
	for i := range cs {
		sort.Strings(cs[i].LookAlikes)
	}
}

// ClusterName is the cluster instance in belongs to under tag key tagKey:
// the tag's raw value, or UntaggedCluster when the tag is missing or empty.
// A tag whose value is literally "(untagged)" joins the untagged group
// rather than forming a cluster that could be confused with it; one that
// only looks like it ("(untagged)\u200b") is a cluster of its own, marked
// as a look-alike of the group.
func ClusterName(in Instance, tagKey string) string {
	if tagKey == "" {
		tagKey = DefaultClusterTag
	}
	if v := in.Tags[tagKey]; v != "" {
		return v
	}
	return UntaggedCluster
}

// Cluster returns the cluster called name.
func (w World) Cluster(name string) (Cluster, bool) {
	if w.index != nil {
		i, ok := w.index[name]
		if !ok {
			return Cluster{}, false
		}
		return w.Clusters[i], true
	}
	for _, c := range w.Clusters {
		if c.Name == name {
			return c, true
		}
	}
	return Cluster{}, false
}

// InstancesIn returns the instances of cluster name, sorted by ID.
func (w World) InstancesIn(name string) []Instance {
	c, ok := w.Cluster(name)
	if !ok {
		return nil
	}
	out := make([]Instance, 0, len(c.InstanceIDs))
	for _, id := range c.InstanceIDs {
		out = append(out, w.Instances[id])
	}
	return out
}

// AddressesOf returns the addresses held by cluster name's instances,
// sorted by public IP.
func (w World) AddressesOf(name string) []Address {
	c, ok := w.Cluster(name)
	if !ok {
		return nil
	}
	var out []Address
	for _, id := range c.InstanceIDs {
		out = append(out, w.EIPsOf[id]...)
	}
	sort.Slice(out, func(i, j int) bool { return compareIP(out[i].PublicIP, out[j].PublicIP) < 0 })
	return out
}

// Address returns the address with AddressKey key.
func (w World) Address(key string) (Address, bool) {
	for _, a := range w.Snap.Addresses {
		if AddressKey(a) == key {
			return a, true
		}
	}
	return Address{}, false
}

// compareIP orders IP addresses numerically (10.0.0.2 before 10.0.0.10),
// IPv4 before IPv6, and anything unparsable after both, by text.
func compareIP(a, b string) int {
	pa, ea := netip.ParseAddr(a)
	pb, eb := netip.ParseAddr(b)
	switch {
	case ea == nil && eb == nil:
		return pa.Compare(pb)
	case ea == nil:
		return -1
	case eb == nil:
		return 1
	}
	return strings.Compare(a, b)
}

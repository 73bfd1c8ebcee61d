package model

import (
	"fmt"
	"iter"
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

// OwnerOf returns the owner of address a, given each instance's cluster
// (World.ClusterOf: false for an instance the snapshot does not hold).
func OwnerOf(a Address, clusterOf func(instanceID string) (string, bool)) Owner {
	switch {
	case a.InstanceID != "":
		c, _ := clusterOf(a.InstanceID)
		return Owner{InstanceID: a.InstanceID, Cluster: c}
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
	//
	// false is not "not live": when the Elastic IPs could not be listed,
	// nothing holds any. Liveness says which; show that, not Live.
	Live bool
	// Liveness is IsLive, NotLive, or LiveUnknown when the snapshot
	// cannot tell (its Elastic IPs, or the instances holding them, were
	// not fetched); LiveReason then says why.
	Liveness   Liveness
	LiveReason string
	// ChecksUnknown says why the status checks of the cluster's instances
	// are not known (the instance_status section failed); "" when they
	// are. FailedChecks and Scheduled then count only what did arrive.
	ChecksUnknown string

	// Groups are the Auto Scaling groups the cluster's instances belong
	// to (raw names from GroupTag, sorted): the groups that will replace
	// an instance stopped or terminated behind their back.
	Groups []string

	NewestLaunch time.Time
	FailedChecks int // instances with an impaired system or instance check
	Scheduled    int // instances with a pending scheduled event
}

// Running is how many of the cluster's instances are running.
func (c Cluster) Running() int { return c.States[StateRunning] }

// Liveness is whether a cluster is LIVE (holds Elastic IPs). Unknown is
// an answer of its own, and the zero value: a script that reads "not
// live" for "could not list the EIPs" concludes that nothing is serving
// (INCIDENTS.md S1, S2).
type Liveness uint8

// The three answers to "is this cluster live?".
const (
	LiveUnknown Liveness = iota // the snapshot cannot tell: see Cluster.LiveReason
	NotLive                     // it holds no Elastic IP, and the snapshot would show one
	IsLive                      // it holds at least one Elastic IP
)

// String is "LIVE", "not live" or "unknown".
func (l Liveness) String() string {
	switch l {
	case IsLive:
		return LiveYes
	case NotLive:
		return LiveNo
	}
	return "unknown"
}

// Checks is a cluster's status checks in one verdict, so every screen
// and report words the same fact the same way.
type Checks uint8

// The verdicts, in the order they win: a failure outranks a scheduled
// event, which outranks everything else.
const (
	ChecksOK         Checks = iota // every check that arrived passes, and they all arrived
	ChecksFailed                   // an instance fails a system or instance check (FailedChecks)
	ChecksScheduled                // an instance has a pending scheduled event (Scheduled)
	ChecksNotRunning               // no instance is running: there is nothing to check, not "ok"
	ChecksUnknown                  // the checks were not fetched (ChecksUnknown says why)
)

// Checks is the verdict on the cluster's status checks.
func (c Cluster) Checks() Checks {
	switch {
	case c.FailedChecks > 0:
		return ChecksFailed
	case c.Scheduled > 0:
		return ChecksScheduled
	case c.Running() == 0:
		return ChecksNotRunning
	case c.ChecksUnknown != "":
		return ChecksUnknown
	}
	return ChecksOK
}

// World is a Snapshot analysed: instances grouped into clusters, each
// Elastic IP's owner, each cluster's liveness. It is what the screen shows
// and what Diff compares. Treat it as read-only: its maps are shared by
// every copy.
type World struct {
	Snap   Snapshot
	TagKey string

	Clusters []Cluster            // by name, the untagged group last
	Owners   map[string]Owner     // AddressKey → owner
	EIPsOf   map[string][]Address // instance ID → addresses on it, by public IP
	// Groups are the Auto Scaling groups with their SHORT verdicts and
	// latest failures, by name (capacity.go).
	Groups []GroupState

	index map[string]int // cluster name → position in Clusters
	// at is the position in Snap.Instances of each instance ID's entry
	// (Instance, Instances, ClusterOf). An index, not a copy: a copy of
	// every Instance cost 18 MB at 50,000 instances, twice while a new
	// world is derived beside the one on screen.
	at map[string]int32
}

// Analyze derives the World of snapshot s, grouping instances by the tag
// tagKey ("" means DefaultClusterTag).
//
// Ownership follows the address: an address on an instance belongs to that
// instance's cluster; an address on an instance that is not in the
// snapshot belongs to the instance alone (Owner.Cluster is ""), and counts
// toward no cluster's liveness.
//
// A cluster holding an address is IsLive. One holding none is NotLive
// only when the snapshot would show an address it held: the addresses
// are known, and so is every instance holding one (or the instance list
// is whole, so an address on an instance outside it is on no cluster's).
// Otherwise it is LiveUnknown, with the reason.
func Analyze(s Snapshot, tagKey string) World {
	if tagKey == "" {
		tagKey = DefaultClusterTag
	}
	w := World{
		Snap:   s,
		TagKey: tagKey,
		Owners: make(map[string]Owner, len(s.Addresses)),
		EIPsOf: make(map[string][]Address),
		at:     make(map[string]int32, len(s.Instances)),
	}
	// Of two entries with one ID, the later wins.
	for i, in := range s.Instances {
		if in.ID != "" {
			w.at[in.ID] = int32(i)
		}
	}
	ids := make([]string, 0, len(w.at))
	for id := range w.at {
		ids = append(ids, id)
	}
	sort.Strings(ids)

	byName := make(map[string]*Cluster)
	for _, id := range ids {
		in := &s.Instances[w.at[id]]
		// The name World.ClusterOf gives id, by the same rule.
		name := ClusterName(*in, tagKey)
		c := byName[name]
		if c == nil {
			c = &Cluster{Name: name, Untagged: name == UntaggedCluster, States: make(map[InstanceState]int)}
			byName[name] = c
		}
		c.InstanceIDs = append(c.InstanceIDs, id) // ids are sorted, so these are
		c.States[in.State]++
		if g := groupOf(*in); g != "" && !slices.Contains(c.Groups, g) {
			c.Groups = append(c.Groups, g)
		}
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

	unknownLive := livenessUnknown(s, w.Owners)
	checksUnknown := ""
	if why := s.Unknown(SectionStatus); why != "" {
		checksUnknown = "status checks unknown: " + why
	}
	w.Clusters = make([]Cluster, 0, len(byName))
	for _, c := range byName {
		sort.Slice(c.EIPs, func(i, j int) bool { return compareIP(c.EIPs[i], c.EIPs[j]) < 0 })
		c.Live = len(c.EIPs) > 0
		switch {
		case c.Live:
			c.Liveness = IsLive
		case unknownLive != "":
			c.Liveness, c.LiveReason = LiveUnknown, unknownLive
		default:
			c.Liveness = NotLive
		}
		c.ChecksUnknown = checksUnknown
		c.Display = Display(c.Name)
		sort.Strings(c.Groups)
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
	w.Groups = analyzeGroups(s, w.ClusterOf)
	w.index = make(map[string]int, len(w.Clusters))
	for i, c := range w.Clusters {
		w.index[c.Name] = i
	}
	return w
}

// livenessUnknown says why a cluster that holds no address in s may
// still be live, or "" when s shows every address any cluster holds.
func livenessUnknown(s Snapshot, owners map[string]Owner) string {
	if why := s.Unknown(SectionAddresses); why != "" {
		return "Elastic IPs unknown: " + why
	}
	// A whole list (of the fleet, or of every address's holder) that
	// lacks an address's instance says the instance is on no cluster
	// here (another account's, or gone since). A fleet list kept from an
	// earlier refresh is whole only with the holders it lacked, which a
	// dashboard fetches by ID (SectionHolders): if that failed, an
	// address on an instance the list lacks may be on any cluster's.
	_, askedHolders := s.Sections[SectionHolders]
	holdersFailed := askedHolders && !s.Known(SectionHolders)
	if s.Known(SectionInstances) && !holdersFailed || s.Known(SectionHolders) {
		return ""
	}
	why := s.Unknown(SectionInstances)
	if askedHolders {
		why = s.Unknown(SectionHolders)
	}
	// The instance list is partial: an address on an instance it lacks
	// may be on any cluster's.
	for _, a := range s.Addresses {
		if o := owners[AddressKey(a)]; o.InstanceID != "" && o.Cluster == "" {
			return fmt.Sprintf("EIP %s is on %s, which the instance list (%s) does not hold",
				a.PublicIP, a.InstanceID, why)
		}
	}
	return ""
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
	if v := in.Tags.Get(tagKey); v != "" {
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

// Instance returns the instance with ID id: a copy of its entry in
// Snap.Instances (the later one, if the snapshot lists it twice), or the
// zero Instance and false when the world does not hold it.
func (w *World) Instance(id string) (Instance, bool) {
	i, ok := w.at[id]
	if !ok {
		return Instance{}, false
	}
	return w.Snap.Instances[i], true
}

// Instances yields each instance of the world once, with its ID, in the
// order of Snap.Instances: the entries Instance returns, without the ones an
// instance listed twice overrides and without entries with no ID.
func (w *World) Instances() iter.Seq2[string, Instance] {
	return func(yield func(string, Instance) bool) {
		for i := range w.Snap.Instances {
			in := &w.Snap.Instances[i]
			if j, ok := w.at[in.ID]; !ok || int(j) != i {
				continue
			}
			if !yield(in.ID, *in) {
				return
			}
		}
	}
}

// ClusterOf returns the cluster of the instance with ID id, as Analyze
// grouped it: ClusterName of the entry Instance returns, under TagKey
// (so UntaggedCluster for an instance without the tag). It is "" and
// false when the world does not hold id.
//
// Worked out on each call, not kept: a map of every instance's cluster
// held 2.5 MB at 50,000 instances (5 MB allocated), twice while a new
// world is derived beside the one on screen (BenchmarkLiveHeap). A call
// is one lookup in the index and one in the instance's tags.
func (w *World) ClusterOf(id string) (string, bool) {
	i, ok := w.at[id]
	if !ok {
		return "", false
	}
	return ClusterName(w.Snap.Instances[i], w.TagKey), true
}

// clusterName is ClusterOf without ok: "" for an instance the world
// does not hold, for the places that read that as "no cluster known".
func (w *World) clusterName(id string) string {
	c, _ := w.ClusterOf(id)
	return c
}

// NumInstances is how many instances the world holds: distinct IDs.
func (w *World) NumInstances() int { return len(w.at) }

// InstancesIn returns the instances of cluster name, sorted by ID.
func (w World) InstancesIn(name string) []Instance {
	c, ok := w.Cluster(name)
	if !ok {
		return nil
	}
	out := make([]Instance, 0, len(c.InstanceIDs))
	for _, id := range c.InstanceIDs {
		in, _ := w.Instance(id)
		out = append(out, in)
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

package sim

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"
)

// InstanceState is an EC2 instance state name as it appears on the wire
// (instanceState/name).
type InstanceState string

// The EC2 instance states. Their numeric codes are in stateCode.
const (
	StatePending      InstanceState = "pending"
	StateRunning      InstanceState = "running"
	StateShuttingDown InstanceState = "shutting-down"
	StateTerminated   InstanceState = "terminated"
	StateStopping     InstanceState = "stopping"
	StateStopped      InstanceState = "stopped"
)

// stateCode is the instanceState/code EC2 sends with each state name; the
// low byte is documented, the high byte is internal to AWS and always 0 here.
func stateCode(s InstanceState) int {
	switch s {
	case StatePending:
		return 0
	case StateRunning:
		return 16
	case StateShuttingDown:
		return 32
	case StateTerminated:
		return 48
	case StateStopping:
		return 64
	case StateStopped:
		return 80
	}
	return 0
}

// Status check summaries, as DescribeInstanceStatus reports them.
const (
	CheckOK               = "ok"
	CheckImpaired         = "impaired"
	CheckInsufficientData = "insufficient-data"
	CheckInitializing     = "initializing"
	CheckNotApplicable    = "not-applicable"
)

// Instance is one EC2 instance. Tests may change any field through
// Server.Update; the wire view is computed from these fields on every call.
type Instance struct {
	ID            string
	ReservationID string
	ImageID       string
	Type          string
	State         InstanceState
	// StateReason explains the last transition, in EC2's
	// "Client.UserInitiatedShutdown: User initiated shutdown" form.
	StateReason string
	LaunchTime  time.Time
	AZ          string
	SubnetID    string
	VPCID       string
	PrivateIP   string
	// PublicIP is the instance's own auto-assigned public IPv4 address, ""
	// when it has none. An associated Elastic IP takes its place on the
	// wire, as it does in AWS.
	PublicIP string
	KeyName  string
	Tags     map[string]string
	// SecurityGroups are the groups of the instance's network interface;
	// IAMProfile is its instance profile, nil when it has none. Shared
	// between instances (a generated fleet has one slice per role), so
	// treat them as read-only.
	SecurityGroups []GroupRef
	IAMProfile     *IAMProfile
	// DisableAPITermination and DisableAPIStop are the termination and
	// stop protection attributes.
	DisableAPITermination bool
	DisableAPIStop        bool
}

// GroupRef names a security group, as an instance's groupSet lists it.
type GroupRef struct{ ID, Name string }

// IAMProfile is an instance profile attached to an instance.
type IAMProfile struct{ ARN, ID string }

// eni is the ID of the instance's primary network interface. The sim has
// exactly one interface per instance, derived from the instance ID so it
// never needs storing.
func (in *Instance) eni() string { return "eni-" + in.ID[len("i-"):] }

// Address is one Elastic IP address (domain vpc).
type Address struct {
	AllocationID string
	PublicIP     string
	// AssociationID, InstanceID, NetworkInterfaceID and PrivateIP are set
	// together while the address is associated, and all empty otherwise.
	// Use Region.Associate and Region.Disassociate to keep them consistent.
	AssociationID      string
	InstanceID         string
	NetworkInterfaceID string
	PrivateIP          string
	Tags               map[string]string
}

// Subnet is one VPC subnet.
type Subnet struct {
	ID           string
	VPCID        string
	AZ           string
	AZID         string
	CIDR         string
	AvailableIPs int
	DefaultForAZ bool
	// MapPublicIPOnLaunch is whether instances launched here get a public
	// IPv4 address.
	MapPublicIPOnLaunch bool
	Tags                map[string]string
}

// VPC is one virtual private cloud.
type VPC struct {
	ID   string
	CIDR string
	// Default marks the region's default VPC. It matters for ReleaseAddress:
	// in a default VPC, AWS releases an associated address after silently
	// disassociating it; in any other VPC it refuses with
	// InvalidIPAddress.InUse.
	Default bool
	Tags    map[string]string
}

// Status is what DescribeInstanceStatus reports for one instance beyond its
// state: the two status checks and scheduled events. An instance without
// an entry in Region.Statuses reports the checks its state implies (running:
// ok, pending: initializing, otherwise not-applicable).
type Status struct {
	System   string // CheckOK, CheckImpaired, ...
	Instance string
	// ImpairedSince is when the failing check started failing; zero means
	// the instance's launch time.
	ImpairedSince time.Time
	Events        []ScheduledEvent
}

// ScheduledEvent is a scheduled maintenance event on an instance.
type ScheduledEvent struct {
	ID          string // instance-event-...
	Code        string // instance-retirement, system-reboot, instance-reboot, system-maintenance, instance-stop
	Description string
	NotBefore   time.Time
	NotAfter    time.Time
}

// Region is one account's resources in one region. Server.Update hands it
// to a function under the server's write lock; the maps may be changed
// freely there. Keys are resource IDs (allocation IDs for Addresses,
// instance IDs for Statuses).
type Region struct {
	Name      string
	AccountID string
	VPCs      map[string]*VPC
	Subnets   map[string]*Subnet
	Instances map[string]*Instance
	Addresses map[string]*Address
	Statuses  map[string]*Status

	// The capacity side (capacity.go): images, security groups and launch
	// templates by ID; launch configurations and Auto Scaling groups by
	// name; scaling activities by ID; instance types offered per zone
	// (a zone without an entry offers defaultInstanceTypes).
	Images               map[string]*Image
	SecurityGroups       map[string]*SecurityGroup
	LaunchTemplates      map[string]*LaunchTemplate
	LaunchConfigurations map[string]*LaunchConfiguration
	Groups               map[string]*Group
	Activities           map[string]*Activity
	Offerings            map[string][]string

	// EBS (ebs.go): volumes and snapshots by ID. ECS (ecs.go): clusters by
	// name, each holding its services.
	Volumes     map[string]*Volume
	Snapshots   map[string]*Snapshot
	ECSClusters map[string]*ECSCluster

	// prefix makes the IDs this region mints unique across the sim: one hex
	// digit for the account and one for the region.
	prefix string
	serial map[string]int

	// order caches the sorted keys of the maps above. Sorted IDs give every
	// Describe call a stable order, which is what makes pagination
	// consistent. Any mutation (Update, actions, GoLive) calls touch.
	orderMu sync.Mutex
	order   map[string][]string
	// volIdx caches volumeIndex, also until the next touch.
	volIdx map[string][]*Volume
}

func newRegion(name, accountID, prefix string) *Region {
	return &Region{
		Name:      name,
		AccountID: accountID,
		VPCs:      map[string]*VPC{},
		Subnets:   map[string]*Subnet{},
		Instances: map[string]*Instance{},
		Addresses: map[string]*Address{},
		Statuses:  map[string]*Status{},

		Images:               map[string]*Image{},
		SecurityGroups:       map[string]*SecurityGroup{},
		LaunchTemplates:      map[string]*LaunchTemplate{},
		LaunchConfigurations: map[string]*LaunchConfiguration{},
		Groups:               map[string]*Group{},
		Activities:           map[string]*Activity{},
		Offerings:            map[string][]string{},

		Volumes:     map[string]*Volume{},
		Snapshots:   map[string]*Snapshot{},
		ECSClusters: map[string]*ECSCluster{},

		prefix: prefix,
		serial: map[string]int{},
	}
}

// newID mints the next ID of a kind ("i", "eipalloc", "eipassoc",
// "subnet", ...): the kind, a dash and 17 hex digits, like AWS's long IDs.
// The digits are "0", the region prefix and a serial, so IDs sort in
// creation order and are stable from run to run.
func (r *Region) newID(kind string) string {
	r.serial[kind]++
	return fmt.Sprintf("%s-0%s%014x", kind, r.prefix, r.serial[kind])
}

// touch drops the cached orderings after a mutation.
func (r *Region) touch() {
	r.orderMu.Lock()
	r.order = nil
	r.volIdx = nil
	r.orderMu.Unlock()
}

// sorted returns the sorted keys of one of the region's maps, cached until
// the next touch. Callers must not modify the slice.
func sortedKeys[V any](r *Region, name string, m map[string]V) []string {
	r.orderMu.Lock()
	defer r.orderMu.Unlock()
	if ids, ok := r.order[name]; ok {
		return ids
	}
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if r.order == nil {
		r.order = map[string][]string{}
	}
	r.order[name] = ids
	return ids
}

func (r *Region) instanceIDs() []string { return sortedKeys(r, "instances", r.Instances) }
func (r *Region) allocationIDs() []string {
	return sortedKeys(r, "addresses", r.Addresses)
}
func (r *Region) subnetIDs() []string { return sortedKeys(r, "subnets", r.Subnets) }

// Tagged returns the instances whose tag key has the value, sorted by ID.
func (r *Region) Tagged(key, value string) []*Instance {
	var out []*Instance
	for _, id := range r.instanceIDs() {
		if in := r.Instances[id]; in != nil {
			if v, ok := in.Tags[key]; ok && v == value {
				out = append(out, in)
			}
		}
	}
	return out
}

// AddressesOn returns the addresses associated with the instance, sorted by
// allocation ID.
func (r *Region) AddressesOn(instanceID string) []*Address {
	var out []*Address
	for _, id := range r.allocationIDs() {
		if a := r.Addresses[id]; a != nil && a.InstanceID == instanceID {
			out = append(out, a)
		}
	}
	return out
}

// Associate attaches the address to the instance's primary interface with
// a new association ID, moving it off whatever it was on (the effect of
// AssociateAddress with AllowReassociation). It returns the association ID.
func (r *Region) Associate(allocationID, instanceID string) (string, error) {
	a, ok := r.Addresses[allocationID]
	if !ok {
		return "", fmt.Errorf("sim: no address %s in %s/%s", allocationID, r.AccountID, r.Name)
	}
	in, ok := r.Instances[instanceID]
	if !ok {
		return "", fmt.Errorf("sim: no instance %s in %s/%s", instanceID, r.AccountID, r.Name)
	}
	a.AssociationID = r.newID("eipassoc")
	a.InstanceID = in.ID
	a.NetworkInterfaceID = in.eni()
	a.PrivateIP = in.PrivateIP
	r.touch()
	return a.AssociationID, nil
}

// Disassociate detaches the address, if it is attached.
func (r *Region) Disassociate(allocationID string) {
	if a, ok := r.Addresses[allocationID]; ok {
		a.AssociationID, a.InstanceID, a.NetworkInterfaceID, a.PrivateIP = "", "", "", ""
		r.touch()
	}
}

// publicIP is what EC2 reports as the instance's ipAddress: an associated
// Elastic IP wins over the auto-assigned address. eips is AddressesOn's
// result, passed in so callers that already have it do not scan twice.
func (in *Instance) publicIP(eips []*Address) string {
	if len(eips) > 0 {
		return eips[0].PublicIP
	}
	return in.PublicIP
}

// status returns the instance's status checks, derived from its state when
// none are recorded. A recorded status only applies while running: a
// stopped instance has no checks, whatever happened before.
func (r *Region) status(in *Instance) Status {
	st, ok := r.Statuses[in.ID]
	switch {
	case in.State == StateRunning && ok:
		return *st
	case in.State == StateRunning:
		return Status{System: CheckOK, Instance: CheckOK}
	case in.State == StatePending:
		return Status{System: CheckInitializing, Instance: CheckInitializing}
	}
	s := Status{System: CheckNotApplicable, Instance: CheckNotApplicable}
	if ok {
		s.Events = st.Events
	}
	return s
}

// account is one simulated AWS account and its IAM identity.
type account struct {
	ID       string
	Alias    string // IAM account alias; "" for none
	UserName string // the IAM user the access key belongs to
	UserID   string // the user's unique ID (AIDA...)
	digit    string // one hex digit, used in minted IDs
	regions  map[string]*Region
}

func (a *account) arn() string { return "arn:aws:iam::" + a.ID + ":user/" + a.UserName }

// region returns the account's region, creating it empty on first use: in
// AWS every account can call every enabled region, most of them empty.
func (a *account) region(name string) *Region {
	if r, ok := a.regions[name]; ok {
		return r
	}
	digit := regionDigit(name, len(a.regions))
	r := newRegion(name, a.ID, a.digit+digit)
	a.regions[name] = r
	return r
}

// regionDigit keeps the demo regions' IDs fixed whatever the order in which
// regions are created; others get the next free digit.
func regionDigit(name string, existing int) string {
	switch name {
	case "us-east-1":
		return "1"
	case "eu-west-1":
		return "2"
	}
	return fmt.Sprintf("%x", (existing+3)%16)
}

// world is the whole simulated state: accounts and the access keys that
// reach them. The Server guards it with its RWMutex.
type world struct {
	accounts map[string]*account
	keys     map[string]string // access key ID → account ID
}

func newWorld() *world {
	return &world{accounts: map[string]*account{}, keys: map[string]string{}}
}

// addAccount registers an account with an IAM user "oncall" reachable by
// accessKey.
func (w *world) addAccount(id, alias, accessKey, userID string) *account {
	a := &account{
		ID:       id,
		Alias:    alias,
		UserName: "oncall",
		UserID:   userID,
		digit:    fmt.Sprintf("%x", (len(w.accounts)+1)%16),
		regions:  map[string]*Region{},
	}
	w.accounts[id] = a
	if accessKey != "" {
		w.keys[accessKey] = id
	}
	return a
}

// existingRegion returns the account's region, or nil when the world has
// no such account or the account has never used the region: for work
// scheduled on a world a Reset may have replaced since.
func (w *world) existingRegion(accountID, region string) *Region {
	if a, ok := w.accounts[accountID]; ok {
		return a.regions[region]
	}
	return nil
}

// account returns the account, creating a bare one (no alias, no key) when
// it does not exist, so Update can reach any account ID.
func (w *world) account(id string) *account {
	if a, ok := w.accounts[id]; ok {
		return a
	}
	return w.addAccount(id, "", "", "AIDA"+id+"SIMUSER")
}

// Move is one Elastic IP reassociation done by MoveEIPs.
type Move struct {
	PublicIP         string `json:"publicIp"`
	AllocationID     string `json:"allocationId"`
	FromInstance     string `json:"fromInstance"`
	ToInstance       string `json:"toInstance"`
	OldAssociationID string `json:"oldAssociationId"`
	AssociationID    string `json:"associationId"`
}

// moveEIPs moves every address on instances tagged Cluster=from onto
// running instances tagged Cluster=to that hold no address yet, one to one
// in ID order, with new association IDs. It changes nothing unless every
// address has a destination.
func (r *Region) moveEIPs(from, to string) ([]Move, error) {
	var eips []*Address
	for _, in := range r.Tagged(clusterTag, from) {
		eips = append(eips, r.AddressesOn(in.ID)...)
	}
	if len(eips) == 0 {
		return nil, fmt.Errorf("sim: cluster %q holds no Elastic IPs in %s/%s", from, r.AccountID, r.Name)
	}
	var dest []*Instance
	for _, in := range r.Tagged(clusterTag, to) {
		if in.State == StateRunning && len(r.AddressesOn(in.ID)) == 0 {
			dest = append(dest, in)
		}
	}
	if len(dest) < len(eips) {
		return nil, fmt.Errorf("sim: cluster %q has %d free running instances for %d Elastic IPs", to, len(dest), len(eips))
	}
	slices.SortFunc(eips, func(a, b *Address) int { return cmp.Compare(a.AllocationID, b.AllocationID) })
	moves := make([]Move, 0, len(eips))
	for i, a := range eips {
		m := Move{PublicIP: a.PublicIP, AllocationID: a.AllocationID, FromInstance: a.InstanceID, ToInstance: dest[i].ID, OldAssociationID: a.AssociationID}
		m.AssociationID, _ = r.Associate(a.AllocationID, dest[i].ID)
		moves = append(moves, m)
	}
	return moves, nil
}

// Update runs fn on one account's region under the server's write lock, so
// fn sees and leaves a consistent world. The account and region are created
// empty when they do not exist (an account without an access key cannot be
// called, but its resources can be prepared). fn must not call back into
// the Server.
func (s *Server) Update(accountID, region string, fn func(r *Region)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.w.account(accountID).region(region)
	fn(r)
	r.touch()
}

// AddAccessKey makes accessKey reach accountID (creating a bare account if
// needed), or reach a different account than before. Tests use it to switch
// the credentials a profile resolves to between two calls.
func (s *Server) AddAccessKey(accessKey, accountID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.w.account(accountID)
	s.w.keys[accessKey] = accountID
}

// GoLive is the demo's deploy script: in the account's us-east-1 it moves
// every Elastic IP from cluster blue's instances to cluster green's running
// instances, reassociating each with a new association ID.
func (s *Server) GoLive(accountID string) error {
	_, err := s.MoveEIPs(accountID, "us-east-1", "blue", "green")
	return err
}

// MoveEIPs moves every Elastic IP held by instances tagged Cluster=from to
// running instances tagged Cluster=to that hold none, one to one in ID
// order, as AssociateAddress with AllowReassociation would. Nothing changes
// unless every address has a destination.
func (s *Server) MoveEIPs(accountID, region, from, to string) ([]Move, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.w.accounts[accountID]
	if !ok {
		return nil, fmt.Errorf("sim: no account %s", accountID)
	}
	r, ok := a.regions[region]
	if !ok {
		return nil, fmt.Errorf("sim: account %s has nothing in %s", accountID, region)
	}
	return r.moveEIPs(from, to)
}

package sim

import (
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The EC2 Describe actions airlock's refresh makes. Each validates its
// parameters the way EC2 does before touching the world, then reads the
// caller's region under the read lock and builds the response document;
// encoding happens after the lock is released.

// idShape is an EC2 resource ID: a kind, a dash, and 8 (old style) or 17
// hex digits.
var idShape = regexp.MustCompile(`^[a-z]+-([0-9a-f]{8}|[0-9a-f]{17})$`)

// ids reads a flattened ID list parameter (InstanceId.N) and rejects IDs
// that are not shaped like the kind ("i", "eipalloc", "subnet") with EC2's
// "<Kind>ID.Malformed" code.
func (c *call) ids(param, kind, codeBase string) ([]string, error) {
	list, err := c.p.list(param)
	if err != nil {
		return nil, err
	}
	for _, id := range list {
		if !strings.HasPrefix(id, kind+"-") || !idShape.MatchString(id) {
			return nil, badRequest(codeBase+".Malformed", "Invalid id: %q", id)
		}
	}
	return list, nil
}

// notFound is EC2's answer when explicitly requested IDs do not exist:
// "The instance ID 'i-1' does not exist" / "The instance IDs 'i-1, i-2' do
// not exist".
func notFound(code, noun string, missing []string) *apiError {
	if len(missing) == 1 {
		return badRequest(code, "The %s ID '%s' does not exist", noun, missing[0])
	}
	return badRequest(code, "The %s IDs '%s' do not exist", noun, strings.Join(missing, ", "))
}

// missing returns the requested IDs absent from m, in request order.
func missing[V any](ids []string, m map[string]V) []string {
	var out []string
	for _, id := range ids {
		if _, ok := m[id]; !ok {
			out = append(out, id)
		}
	}
	return out
}

// universe is the ordered set of IDs a listing walks: the requested IDs
// (sorted, deduplicated) or every ID in the region.
func universe(requested, all []string) []string {
	if len(requested) == 0 {
		return all
	}
	out := append([]string(nil), requested...)
	sort.Strings(out)
	return slices.Compact(out)
}

// eipIndex maps instance IDs to the addresses on them, so building a page
// costs one pass over the addresses rather than one per instance.
func (r *Region) eipIndex() map[string][]*Address {
	idx := map[string][]*Address{}
	for _, id := range r.allocationIDs() {
		if a := r.Addresses[id]; a.InstanceID != "" {
			idx[a.InstanceID] = append(idx[a.InstanceID], a)
		}
	}
	return idx
}

// errCombination is EC2's answer to MaxResults together with explicit IDs:
// "You cannot specify this parameter and the instance IDs parameter in the
// same request" (DescribeInstances, MaxResults, EC2 API reference).
func errCombination() *apiError {
	return badRequest("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults")
}

var instanceFilters = filterSet("instance-id", "instance-state-name", "instance-state-code",
	"instance-type", "availability-zone", "subnet-id", "vpc-id", "image-id", "reservation-id",
	"private-ip-address", "ip-address", "key-name")

// instanceAttr answers DescribeInstances filters for one instance.
func instanceAttr(in *Instance, eips []*Address) attrFunc {
	return func(name string) []string {
		if v, ok := tagAttr(in.Tags, name); ok {
			return v
		}
		var v string
		switch name {
		case "instance-id":
			v = in.ID
		case "instance-state-name":
			v = string(in.State)
		case "instance-state-code":
			v = strconv.Itoa(stateCode(in.State))
		case "instance-type":
			v = in.Type
		case "availability-zone":
			v = in.AZ
		case "subnet-id":
			v = in.SubnetID
		case "vpc-id":
			v = in.VPCID
		case "image-id":
			v = in.ImageID
		case "reservation-id":
			v = in.ReservationID
		case "private-ip-address":
			v = in.PrivateIP
		case "ip-address":
			v = in.publicIP(eips)
		case "key-name":
			v = in.KeyName
		}
		return []string{v}
	}
}

// describeInstances: InstanceId.N, Filter.N, MaxResults (5..1000, not with
// InstanceId), NextToken. Instances are grouped into their reservations in
// page order; a reservation whose instances straddle two pages appears on
// both, each time with the instances of that page.
func (s *Server) describeInstances(c *call) (any, error) {
	req, err := c.listRequest("InstanceId", "i", "InvalidInstanceID", instanceFilters, false)
	if err != nil {
		return nil, err
	}
	resp := newListing[reservationXML](c, "reservationSet")
	resp.NextToken, err = describe(s, c, req, instanceTable, nil, func(r *Region, page []*Instance) {
		eips := r.eipIndex()
		vols := r.volumeIndex()
		for _, in := range page {
			doc := instanceDoc(r, in, eips[in.ID])
			for _, v := range vols[in.ID] {
				a := v.Attachments[0]
				doc.BlockDevices = append(doc.BlockDevices, blockMappingXML{DeviceName: a.Device, EBS: instanceEBSXML{
					VolumeID: v.ID, Status: a.State, AttachTime: ec2Time(a.AttachTime), DeleteOnTermination: a.DeleteOnTermination,
				}})
			}
			n := len(resp.Items)
			if n > 0 && resp.Items[n-1].ReservationID == in.ReservationID {
				resp.Items[n-1].Instances = append(resp.Items[n-1].Instances, doc)
				continue
			}
			resp.Items = append(resp.Items, reservationXML{
				ReservationID: in.ReservationID,
				OwnerID:       r.AccountID,
				Groups:        set[groupXML]{},
				Instances:     set[instanceXML]{doc},
			})
		}
	})
	return resp, err
}

// instanceTable is the region's instances for describe.
var instanceTable = table[*Instance]{
	name:  "instances",
	items: func(r *Region) map[string]*Instance { return r.Instances },
	attr: func(r *Region) func(*Instance) attrFunc {
		eips := r.eipIndex()
		return func(in *Instance) attrFunc { return instanceAttr(in, eips[in.ID]) }
	},
	notFound: notFoundIDs("InvalidInstanceID.NotFound", "instance"),
}

// instanceDoc renders one instance as EC2 would: a terminated instance has
// lost its network details, a stopped one its auto-assigned public address.
func instanceDoc(r *Region, in *Instance, eips []*Address) instanceXML {
	pub := in.publicIP(eips)
	if len(eips) == 0 && in.State != StateRunning && in.State != StatePending {
		pub = ""
	}
	x := instanceXML{
		InstanceID:         in.ID,
		ImageID:            in.ImageID,
		State:              stateOf(in.State),
		KeyName:            in.KeyName,
		InstanceType:       in.Type,
		LaunchTime:         ec2Time(in.LaunchTime),
		Placement:          placementXML{AvailabilityZone: in.AZ, Tenancy: "default"},
		Monitoring:         monitoringXML{State: "disabled"},
		Architecture:       "x86_64",
		RootDeviceType:     "ebs",
		RootDeviceName:     "/dev/xvda",
		VirtualizationType: "hvm",
		Hypervisor:         "xen",
		Tags:               tagSet(in.Tags),
		NetworkInterfaces:  set[eniXML]{},
		EBSOptimized:       true,
		Groups:             set[groupXML]{},
		BlockDevices:       set[blockMappingXML]{},
	}
	if p := in.IAMProfile; p != nil {
		x.IAMProfile = &iamProfileXML{ARN: p.ARN, ID: p.ID}
	}
	if in.StateReason != "" {
		code, msg, _ := strings.Cut(in.StateReason, ": ")
		x.StateReason = &stateReasonXML{Code: code, Message: msg}
	}
	if in.State == StateTerminated {
		return x // its interface is gone, and with it the security groups
	}
	for _, g := range in.SecurityGroups {
		x.Groups = append(x.Groups, groupXML{GroupID: g.ID, GroupName: g.Name})
	}
	x.SubnetID, x.VPCID, x.PrivateIP, x.PublicIP = in.SubnetID, in.VPCID, in.PrivateIP, pub
	x.PrivateDNSName = privateDNS(r.Name, in.PrivateIP)
	x.DNSName = publicDNS(r.Name, pub)
	var assoc *eniAssociationXML
	if pub != "" {
		owner := "amazon"
		if len(eips) > 0 {
			owner = r.AccountID
		}
		assoc = &eniAssociationXML{PublicIP: pub, IPOwner: owner}
	}
	x.NetworkInterfaces = set[eniXML]{{
		NetworkInterfaceID: in.eni(),
		SubnetID:           in.SubnetID,
		VPCID:              in.VPCID,
		OwnerID:            r.AccountID,
		Status:             "in-use",
		PrivateIP:          in.PrivateIP,
		Attachment: eniAttachmentXML{
			AttachmentID:        "eni-attach-" + in.ID[len("i-"):],
			Status:              "attached",
			DeleteOnTermination: true,
		},
		Association: assoc,
		PrivateIPs:  set[eniPrivateIPXML]{{PrivateIP: in.PrivateIP, Primary: true, Association: assoc}},
	}}
	return x
}

// privateDNS and publicDNS follow EC2's naming: ip-10-0-1-11.ec2.internal
// in us-east-1, ip-10-0-1-11.eu-west-1.compute.internal elsewhere.
func privateDNS(region, ip string) string {
	if ip == "" {
		return ""
	}
	host := "ip-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + region + ".compute.internal"
}

func publicDNS(region, ip string) string {
	if ip == "" {
		return ""
	}
	host := "ec2-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return host + ".compute-1.amazonaws.com"
	}
	return host + "." + region + ".compute.amazonaws.com"
}

var addressFilters = filterSet("allocation-id", "association-id", "instance-id",
	"network-interface-id", "network-interface-owner-id", "private-ip-address", "public-ip",
	"domain", "network-border-group")

func addressAttr(a *Address, region, owner string) attrFunc {
	return func(name string) []string {
		if v, ok := tagAttr(a.Tags, name); ok {
			return v
		}
		var v string
		switch name {
		case "allocation-id":
			v = a.AllocationID
		case "association-id":
			v = a.AssociationID
		case "instance-id":
			v = a.InstanceID
		case "network-interface-id":
			v = a.NetworkInterfaceID
		case "network-interface-owner-id":
			if a.NetworkInterfaceID != "" {
				v = owner
			}
		case "private-ip-address":
			v = a.PrivateIP
		case "public-ip":
			v = a.PublicIP
		case "domain":
			v = "vpc"
		case "network-border-group":
			v = region
		}
		return []string{v}
	}
}

// describeAddresses: AllocationId.N, PublicIp.N, Filter.N. Not paginated:
// EC2 returns every address in one response (the API has no MaxResults).
func (s *Server) describeAddresses(c *call) (any, error) {
	allocs, err := c.ids("AllocationId", "eipalloc", "InvalidAllocationID")
	if err != nil {
		return nil, err
	}
	ips, err := c.p.list("PublicIp")
	if err != nil {
		return nil, err
	}
	fs, err := c.p.filters(addressFilters)
	if err != nil {
		return nil, err
	}

	resp := newListing[addressXML](c, "addressesSet")
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.region(c)
	if m := missing(allocs, r.Addresses); len(m) > 0 {
		return nil, notFound("InvalidAllocationID.NotFound", "allocation", m)
	}
	byIP := map[string]bool{}
	for _, a := range r.Addresses {
		byIP[a.PublicIP] = true
	}
	for _, ip := range ips {
		if !byIP[ip] {
			return nil, badRequest("InvalidAddress.NotFound", "Address '%s' not found.", ip)
		}
	}
	wantAlloc, wantIP := set2map(allocs), set2map(ips)
	for _, id := range r.allocationIDs() {
		a := r.Addresses[id]
		if (len(wantAlloc) > 0 && !wantAlloc[id]) || (len(wantIP) > 0 && !wantIP[a.PublicIP]) {
			continue
		}
		if !matchAll(fs, addressAttr(a, r.Name, r.AccountID)) {
			continue
		}
		x := addressXML{
			PublicIP:           a.PublicIP,
			AllocationID:       a.AllocationID,
			Domain:             "vpc",
			InstanceID:         a.InstanceID,
			AssociationID:      a.AssociationID,
			NetworkInterfaceID: a.NetworkInterfaceID,
			PrivateIP:          a.PrivateIP,
			Tags:               tagSet(a.Tags),
			PublicIPv4Pool:     "amazon",
			NetworkBorderGroup: r.Name,
		}
		if a.NetworkInterfaceID != "" {
			x.NetworkInterfaceOwnerID = r.AccountID
		}
		resp.Items = append(resp.Items, x)
	}
	return resp, nil
}

func set2map(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, v := range list {
		m[v] = true
	}
	return m
}

var subnetFilters = filterSet("subnet-id", "vpc-id", "availability-zone", "availability-zone-id",
	"cidr-block", "default-for-az", "state", "owner-id", "available-ip-address-count")

func subnetAttr(sn *Subnet, owner string) attrFunc {
	return func(name string) []string {
		if v, ok := tagAttr(sn.Tags, name); ok {
			return v
		}
		var v string
		switch name {
		case "subnet-id":
			v = sn.ID
		case "vpc-id":
			v = sn.VPCID
		case "availability-zone":
			v = sn.AZ
		case "availability-zone-id":
			v = sn.AZID
		case "cidr-block":
			v = sn.CIDR
		case "default-for-az":
			v = strconv.FormatBool(sn.DefaultForAZ)
		case "state":
			v = "available"
		case "owner-id":
			v = owner
		case "available-ip-address-count":
			v = strconv.Itoa(sn.AvailableIPs)
		}
		return []string{v}
	}
}

// describeSubnets: SubnetId.N, Filter.N, MaxResults (5..1000), NextToken.
func (s *Server) describeSubnets(c *call) (any, error) {
	req, err := c.listRequest("SubnetId", "subnet", "InvalidSubnetID", subnetFilters, true)
	if err != nil {
		return nil, err
	}
	resp := newListing[subnetXML](c, "subnetSet")
	resp.NextToken, err = describe(s, c, req, subnetTable, nil, func(r *Region, page []*Subnet) {
		for _, sn := range page {
			resp.Items = append(resp.Items, subnetXML{
				SubnetID:            sn.ID,
				SubnetArn:           "arn:aws:ec2:" + r.Name + ":" + r.AccountID + ":subnet/" + sn.ID,
				State:               "available",
				OwnerID:             r.AccountID,
				VPCID:               sn.VPCID,
				CIDR:                sn.CIDR,
				AvailableIPs:        sn.AvailableIPs,
				AvailabilityZone:    sn.AZ,
				AvailabilityZoneID:  sn.AZID,
				DefaultForAZ:        sn.DefaultForAZ,
				MapPublicIPOnLaunch: sn.MapPublicIPOnLaunch,
				Tags:                tagSet(sn.Tags),
			})
		}
	})
	return resp, err
}

var subnetTable = table[*Subnet]{
	name:  "subnets",
	items: func(r *Region) map[string]*Subnet { return r.Subnets },
	attr: func(r *Region) func(*Subnet) attrFunc {
		return func(sn *Subnet) attrFunc { return subnetAttr(sn, r.AccountID) }
	},
	notFound: notFoundIDs("InvalidSubnetID.NotFound", "subnet"),
}

var statusFilters = filterSet("availability-zone", "event.code", "event.description",
	"event.instance-event-id", "event.not-before", "event.not-after", "instance-state-name", "instance-state-code",
	"instance-status.status", "instance-status.reachability",
	"system-status.status", "system-status.reachability")

func statusAttr(in *Instance, st Status) attrFunc {
	return func(name string) []string {
		switch name {
		case "availability-zone":
			return []string{in.AZ}
		case "instance-state-name":
			return []string{string(in.State)}
		case "instance-state-code":
			return []string{strconv.Itoa(stateCode(in.State))}
		case "instance-status.status":
			return []string{st.Instance}
		case "instance-status.reachability":
			return []string{reachability(st.Instance)}
		case "system-status.status":
			return []string{st.System}
		case "system-status.reachability":
			return []string{reachability(st.System)}
		}
		var out []string
		for _, e := range st.Events {
			switch name {
			case "event.code":
				out = append(out, e.Code)
			case "event.description":
				out = append(out, e.Description)
			case "event.instance-event-id":
				out = append(out, e.ID)
			case "event.not-before":
				out = append(out, ec2Time(e.NotBefore))
			case "event.not-after":
				if !e.NotAfter.IsZero() {
					out = append(out, ec2Time(e.NotAfter))
				}
			}
		}
		return out
	}
}

// reachability is the detail status behind a check summary: the
// "reachability" check passed, failed, or has no verdict yet.
func reachability(summary string) string {
	switch summary {
	case CheckOK:
		return "passed"
	case CheckImpaired:
		return "failed"
	case CheckInitializing:
		return "initializing"
	case CheckInsufficientData:
		return "insufficient-data"
	}
	return ""
}

func summaryDoc(status string, since string) statusSummary {
	d := reachability(status)
	if d == "" {
		return statusSummary{Status: status}
	}
	detail := statusDetail{Name: "reachability", Status: d}
	if d == "failed" {
		detail.ImpairedSince = since
	}
	return statusSummary{Status: status, Details: set[statusDetail]{detail}}
}

// describeInstanceStatus: InstanceId.N (up to 100), Filter.N, MaxResults
// (5..1000, not with InstanceId), NextToken, IncludeAllInstances. Without
// IncludeAllInstances only running instances are described, as in EC2.
func (s *Server) describeInstanceStatus(c *call) (any, error) {
	req, err := c.listRequest("InstanceId", "i", "InvalidInstanceID", statusFilters, false)
	if err != nil {
		return nil, err
	}
	if len(req.ids) > 100 {
		return nil, errInvalidParameterValue("The maximum number of instance IDs is 100, got %d", len(req.ids))
	}
	all, err := c.p.boolean("IncludeAllInstances")
	if err != nil {
		return nil, err
	}
	keep := func(r *Region, in *Instance) bool { return all || in.State == StateRunning }
	resp := newListing[instanceStatusXML](c, "instanceStatusSet")
	resp.NextToken, err = describe(s, c, req, statusTable, keep, func(r *Region, page []*Instance) {
		for _, in := range page {
			st := r.status(in)
			since := st.ImpairedSince
			if since.IsZero() {
				since = in.LaunchTime
			}
			x := instanceStatusXML{
				InstanceID:       in.ID,
				AvailabilityZone: in.AZ,
				State:            stateOf(in.State),
				SystemStatus:     summaryDoc(st.System, ec2Time(since)),
				InstanceStatus:   summaryDoc(st.Instance, ec2Time(since)),
			}
			for _, e := range st.Events {
				ev := eventXML{InstanceEventID: e.ID, Code: e.Code, Description: e.Description, NotBefore: ec2Time(e.NotBefore)}
				if !e.NotAfter.IsZero() {
					ev.NotAfter = ec2Time(e.NotAfter)
				}
				x.Events = append(x.Events, ev)
			}
			resp.Items = append(resp.Items, x)
		}
	})
	return resp, err
}

// statusTable is the instances again, judged by their status.
var statusTable = table[*Instance]{
	name:  "instances",
	items: func(r *Region) map[string]*Instance { return r.Instances },
	attr: func(r *Region) func(*Instance) attrFunc {
		return func(in *Instance) attrFunc { return statusAttr(in, r.status(in)) }
	},
	notFound: notFoundIDs("InvalidInstanceID.NotFound", "instance"),
}

// dryRun answers a request that set DryRun=true once it has passed
// authentication, faults and throttling: EC2's "Request would have
// succeeded" error, HTTP 412. An injected FaultAccessDenied answers first
// with UnauthorizedOperation, which is exactly what DryRun exists to find
// out.
func dryRun() *apiError {
	return newError(http.StatusPreconditionFailed, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.")
}

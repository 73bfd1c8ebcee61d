package sim

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The EC2 reads a launch preflight makes: launch templates and their
// versions, images, security groups and instance type offerings. Each is
// a handler over describe and a table; element names follow the SDK's
// ec2query deserializers (service/ec2/deserializers.go).

// idsByName adds to req.ids the items named by param.N, for the Describe
// actions that take names beside IDs (GroupName.N, LaunchTemplateName.N):
// resolve answers a name's ID, or the action's own error for a name it
// cannot resolve, which fails the whole call as in EC2.
func (s *Server) idsByName(c *call, param string, req *listRequest, resolve func(r *Region, name string) (string, error)) error {
	names, err := c.p.list(param)
	if err != nil || len(names) == 0 {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.region(c)
	for _, n := range names {
		id, err := resolve(r, n)
		if err != nil {
			return err
		}
		req.ids = append(req.ids, id)
	}
	return nil
}

// ---- DescribeImages

var imageFilters = filterSet("image-id", "name", "state", "owner-id", "owner-alias",
	"architecture", "is-public", "image-type", "description")

func imageAttr(img *Image) attrFunc {
	return func(name string) []string {
		if v, ok := tagAttr(img.Tags, name); ok {
			return v
		}
		var v string
		switch name {
		case "image-id":
			v = img.ID
		case "name":
			v = img.Name
		case "state":
			v = img.State
		case "owner-id":
			v = img.OwnerID
		case "owner-alias":
			v = img.OwnerAlias
		case "architecture":
			v = img.Architecture
		case "is-public":
			v = strconv.FormatBool(img.Public)
		case "image-type":
			v = "machine"
		case "description":
			v = img.Description
		}
		return []string{v}
	}
}

var imageTable = table[*Image]{
	name:  "images",
	items: func(r *Region) map[string]*Image { return r.Images },
	attr:  func(*Region) func(*Image) attrFunc { return imageAttr },
	// EC2's message puts the IDs in brackets: "The image id
	// '[ami-x8x9x1x8]' does not exist" (InvalidAMIID.NotFound, quoted in
	// gist.github.com/anonymous/3fe02bdba9f3cd05f580).
	notFound: func(m []string) error {
		if len(m) == 1 {
			return badRequest("InvalidAMIID.NotFound", "The image id '[%s]' does not exist", m[0])
		}
		return badRequest("InvalidAMIID.NotFound", "The image ids '[%s]' do not exist", strings.Join(m, ", "))
	},
}

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// describeImages: ImageId.N, Owner.N (self, amazon, an account ID),
// ExecutableBy.N (accepted, ignored), Filter.N, MaxResults (5..1000, not
// with ImageId), NextToken. The caller sees its own images and public
// ones. An ID that never existed is InvalidAMIID.NotFound; a deregistered
// image asked for by ID is simply absent, which is what AWS answers for an
// image deleted recently (hashicorp/terraform-provider-aws issue 10772:
// `describe-images --image-ids` of a deleted AMI printed {"Images": []}).
func (s *Server) describeImages(c *call) (any, error) {
	req, err := c.ec2List(ec2ListSpec{idParam: "ImageId", kind: "ami", codeBase: "InvalidAMIID",
		filters: imageFilters, minMax: 5, maxMax: 1000})
	if err != nil {
		return nil, err
	}
	owners, err := c.p.list("Owner")
	if err != nil {
		return nil, err
	}
	for _, o := range owners {
		if o != "self" && o != "amazon" && o != "aws-marketplace" && !accountID.MatchString(o) {
			return nil, errInvalidParameterValue("Invalid value '%s' for owner", o)
		}
	}
	if _, err := c.p.list("ExecutableBy"); err != nil {
		return nil, err
	}
	me := c.acct.ID
	keep := func(r *Region, img *Image) bool {
		if img.State == "deregistered" || (img.OwnerID != me && !img.Public) {
			return false
		}
		if len(owners) == 0 {
			return true
		}
		for _, o := range owners {
			if (o == "self" && img.OwnerID == me) || (o != "self" && (o == img.OwnerID || o == img.OwnerAlias)) {
				return true
			}
		}
		return false
	}
	resp := newListing[imageXML](c, "imagesSet")
	resp.NextToken, err = describe(s, c, req, imageTable, keep, func(r *Region, page []*Image) {
		for _, img := range page {
			resp.Items = append(resp.Items, imageXML{
				ImageID:            img.ID,
				ImageLocation:      img.OwnerID + "/" + img.Name,
				State:              img.State,
				OwnerID:            img.OwnerID,
				OwnerAlias:         img.OwnerAlias,
				CreationDate:       ec2Time(img.CreationDate),
				Public:             img.Public,
				Architecture:       img.Architecture,
				ImageType:          "machine",
				Name:               img.Name,
				Description:        img.Description,
				RootDeviceType:     "ebs",
				RootDeviceName:     "/dev/xvda",
				VirtualizationType: "hvm",
				Hypervisor:         "xen",
				EnaSupport:         true,
				PlatformDetails:    "Linux/UNIX",
				UsageOperation:     "RunInstances",
				BlockDevices: set[blockDeviceXML]{{DeviceName: "/dev/xvda", EBS: ebsXML{
					SnapshotID: "snap-" + img.ID[len("ami-"):], VolumeSize: 8, VolumeType: "gp3", DeleteOnTermination: true,
				}}},
				Tags: tagSet(img.Tags),
			})
		}
	})
	return resp, err
}

type imageXML struct {
	ImageID            string              `xml:"imageId"`
	ImageLocation      string              `xml:"imageLocation"`
	State              string              `xml:"imageState"`
	OwnerID            string              `xml:"imageOwnerId"`
	CreationDate       string              `xml:"creationDate"`
	Public             bool                `xml:"isPublic"`
	Architecture       string              `xml:"architecture"`
	ImageType          string              `xml:"imageType"`
	OwnerAlias         string              `xml:"imageOwnerAlias,omitempty"`
	Name               string              `xml:"name"`
	Description        string              `xml:"description,omitempty"`
	RootDeviceType     string              `xml:"rootDeviceType"`
	RootDeviceName     string              `xml:"rootDeviceName"`
	BlockDevices       set[blockDeviceXML] `xml:"blockDeviceMapping"`
	VirtualizationType string              `xml:"virtualizationType"`
	Tags               set[tagXML]         `xml:"tagSet,omitempty"`
	Hypervisor         string              `xml:"hypervisor"`
	EnaSupport         bool                `xml:"enaSupport"`
	PlatformDetails    string              `xml:"platformDetails"`
	UsageOperation     string              `xml:"usageOperation"`
}

type blockDeviceXML struct {
	DeviceName string `xml:"deviceName"`
	EBS        ebsXML `xml:"ebs"`
}

type ebsXML struct {
	SnapshotID          string `xml:"snapshotId"`
	VolumeSize          int    `xml:"volumeSize"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
	VolumeType          string `xml:"volumeType"`
	Encrypted           bool   `xml:"encrypted"`
}

// ---- DescribeSecurityGroups

var securityGroupFilters = filterSet("group-id", "group-name", "vpc-id", "description", "owner-id")

func securityGroupAttr(owner string) func(*SecurityGroup) attrFunc {
	return func(sg *SecurityGroup) attrFunc {
		return func(name string) []string {
			if v, ok := tagAttr(sg.Tags, name); ok {
				return v
			}
			var v string
			switch name {
			case "group-id":
				v = sg.ID
			case "group-name":
				v = sg.Name
			case "vpc-id":
				v = sg.VPCID
			case "description":
				v = sg.Description
			case "owner-id":
				v = owner
			}
			return []string{v}
		}
	}
}

var securityGroupTable = table[*SecurityGroup]{
	name:  "securityGroups",
	items: func(r *Region) map[string]*SecurityGroup { return r.SecurityGroups },
	attr:  func(r *Region) func(*SecurityGroup) attrFunc { return securityGroupAttr(r.AccountID) },
	// "The security group 'sg-…' does not exist" (InvalidGroup.NotFound,
	// EC2 API reference, error codes).
	notFound: func(m []string) error {
		if len(m) == 1 {
			return badRequest("InvalidGroup.NotFound", "The security group '%s' does not exist", m[0])
		}
		return badRequest("InvalidGroup.NotFound", "The security groups '%s' do not exist", strings.Join(m, ", "))
	},
}

// describeSecurityGroups: GroupId.N, GroupName.N, Filter.N, MaxResults
// (5..1000), NextToken. Names resolve in the default VPC only ("[Default
// VPC] The names of the security groups", DescribeSecurityGroups, EC2 API
// reference); a group elsewhere is found by ID or with the group-name
// filter, which is how a launch template's names must be checked.
func (s *Server) describeSecurityGroups(c *call) (any, error) {
	req, err := c.ec2List(ec2ListSpec{idParam: "GroupId", kind: "sg", codeBase: "InvalidGroupId",
		filters: securityGroupFilters, idsWithMax: true, minMax: 5, maxMax: 1000})
	if err != nil {
		return nil, err
	}
	err = s.idsByName(c, "GroupName", &req, func(r *Region, n string) (string, error) {
		var def string
		for _, v := range r.VPCs {
			if v.Default {
				def = v.ID
			}
		}
		if def == "" {
			return "", badRequest("VPCIdNotSpecified", "No default VPC for this user")
		}
		sg := r.groupByName(def, n)
		if sg == nil {
			return "", badRequest("InvalidGroup.NotFound", "The security group '%s' does not exist in default VPC '%s'", n, def)
		}
		return sg.ID, nil
	})
	if err != nil {
		return nil, err
	}
	resp := newListing[securityGroupXML](c, "securityGroupInfo")
	resp.NextToken, err = describe(s, c, req, securityGroupTable, nil, func(r *Region, page []*SecurityGroup) {
		for _, sg := range page {
			resp.Items = append(resp.Items, securityGroupXML{
				OwnerID:     r.AccountID,
				GroupID:     sg.ID,
				GroupName:   sg.Name,
				Description: sg.Description,
				VPCID:       sg.VPCID,
				ARN:         "arn:aws:ec2:" + r.Name + ":" + r.AccountID + ":security-group/" + sg.ID,
				Ingress:     set[ipPermissionXML]{},
				// Every new group allows all outbound traffic.
				Egress: set[ipPermissionXML]{{Protocol: "-1", Ranges: set[ipRangeXML]{{CIDR: "0.0.0.0/0"}}, Groups: set[groupPairXML]{}}},
				Tags:   tagSet(sg.Tags),
			})
		}
	})
	return resp, err
}

type securityGroupXML struct {
	OwnerID     string               `xml:"ownerId"`
	GroupID     string               `xml:"groupId"`
	GroupName   string               `xml:"groupName"`
	Description string               `xml:"groupDescription"`
	VPCID       string               `xml:"vpcId"`
	ARN         string               `xml:"securityGroupArn"`
	Ingress     set[ipPermissionXML] `xml:"ipPermissions"`
	Egress      set[ipPermissionXML] `xml:"ipPermissionsEgress"`
	Tags        set[tagXML]          `xml:"tagSet,omitempty"`
}

type ipPermissionXML struct {
	Protocol string            `xml:"ipProtocol"`
	Groups   set[groupPairXML] `xml:"groups"`
	Ranges   set[ipRangeXML]   `xml:"ipRanges"`
}

type ipRangeXML struct {
	CIDR string `xml:"cidrIp"`
}

type groupPairXML struct {
	GroupID string `xml:"groupId"`
}

// ---- DescribeLaunchTemplates

var launchTemplateFilters = filterSet("launch-template-name", "create-time")

func launchTemplateAttr(lt *LaunchTemplate) attrFunc {
	return func(name string) []string {
		if v, ok := tagAttr(lt.Tags, name); ok {
			return v
		}
		switch name {
		case "launch-template-name":
			return []string{lt.Name}
		case "create-time":
			return []string{ec2Time(lt.CreateTime)}
		}
		return nil
	}
}

// errTemplateNotFound is EC2's answer to a launch template ID that does
// not exist (InvalidLaunchTemplateId.NotFound).
func errTemplateNotFound(id string) *apiError {
	return badRequest("InvalidLaunchTemplateId.NotFound", "The specified launch template, with template ID %s, does not exist.", id)
}

// errTemplateNameNotFound is EC2's answer to a name that does not exist;
// the code really ends in "NotFoundException" (EC2 API reference, error
// codes: InvalidLaunchTemplateName.NotFoundException).
func errTemplateNameNotFound() *apiError {
	return badRequest("InvalidLaunchTemplateName.NotFoundException", "At least one of the launch templates specified in the request does not exist.")
}

var launchTemplateTable = table[*LaunchTemplate]{
	name:     "launchTemplates",
	items:    func(r *Region) map[string]*LaunchTemplate { return r.LaunchTemplates },
	attr:     func(*Region) func(*LaunchTemplate) attrFunc { return launchTemplateAttr },
	notFound: func(m []string) error { return errTemplateNotFound(m[0]) },
}

// templateByName finds a launch template by name. Callers hold s.mu.
func (r *Region) templateByName(name string) *LaunchTemplate {
	for _, lt := range r.LaunchTemplates {
		if lt.Name == name {
			return lt
		}
	}
	return nil
}

// describeLaunchTemplates: LaunchTemplateId.N, LaunchTemplateName.N,
// Filter.N, MaxResults (1..200), NextToken.
func (s *Server) describeLaunchTemplates(c *call) (any, error) {
	req, err := c.ec2List(ec2ListSpec{idParam: "LaunchTemplateId", kind: "lt", codeBase: "InvalidLaunchTemplateId",
		filters: launchTemplateFilters, idsWithMax: true, minMax: 1, maxMax: 200})
	if err != nil {
		return nil, err
	}
	err = s.idsByName(c, "LaunchTemplateName", &req, func(r *Region, n string) (string, error) {
		if lt := r.templateByName(n); lt != nil {
			return lt.ID, nil
		}
		return "", errTemplateNameNotFound()
	})
	if err != nil {
		return nil, err
	}
	resp := newListing[launchTemplateXML](c, "launchTemplates")
	resp.NextToken, err = describe(s, c, req, launchTemplateTable, nil, func(r *Region, page []*LaunchTemplate) {
		for _, lt := range page {
			resp.Items = append(resp.Items, launchTemplateXML{
				ID:             lt.ID,
				Name:           lt.Name,
				CreateTime:     ec2Time(lt.CreateTime),
				CreatedBy:      lt.CreatedBy,
				DefaultVersion: lt.DefaultVersion,
				LatestVersion:  len(lt.Versions),
				Tags:           tagSet(lt.Tags),
			})
		}
	})
	return resp, err
}

type launchTemplateXML struct {
	ID             string      `xml:"launchTemplateId"`
	Name           string      `xml:"launchTemplateName"`
	CreateTime     string      `xml:"createTime"`
	CreatedBy      string      `xml:"createdBy"`
	DefaultVersion int         `xml:"defaultVersionNumber"`
	LatestVersion  int         `xml:"latestVersionNumber"`
	Tags           set[tagXML] `xml:"tagSet,omitempty"`
}

// ---- DescribeLaunchTemplateVersions

// templateVersion is one version as a listing item: its template, number
// and data.
type templateVersion struct {
	lt *LaunchTemplate
	n  int
	v  *TemplateVersion
}

// versionKey orders versions by template, then number.
func versionKey(ltID string, n int) string { return fmt.Sprintf("%s/%08d", ltID, n) }

var versionFilters = filterSet("image-id", "instance-type", "is-default-version", "create-time", "ebs-optimized")

func versionAttr(tv templateVersion) attrFunc {
	return func(name string) []string {
		switch name {
		case "image-id":
			return []string{tv.v.ImageID}
		case "instance-type":
			return []string{tv.v.InstanceType}
		case "is-default-version":
			return []string{strconv.FormatBool(tv.n == tv.lt.DefaultVersion)}
		case "create-time":
			return []string{ec2Time(tv.v.CreateTime)}
		case "ebs-optimized":
			return []string{"false"}
		}
		return nil
	}
}

var versionTable = table[templateVersion]{
	name: "templateVersions",
	items: func(r *Region) map[string]templateVersion {
		m := map[string]templateVersion{}
		for _, lt := range r.LaunchTemplates {
			for i, v := range lt.Versions {
				m[versionKey(lt.ID, i+1)] = templateVersion{lt: lt, n: i + 1, v: v}
			}
		}
		return m
	},
	attr: func(*Region) func(templateVersion) attrFunc { return versionAttr },
}

// describeLaunchTemplateVersions: LaunchTemplateId or LaunchTemplateName,
// LaunchTemplateVersion.N ($Latest, $Default or numbers), MinVersion,
// MaxVersion, Filter.N, MaxResults (1..200), NextToken. Without a template
// only $Latest and $Default may be asked for, and they are answered for
// every template ("To describe the latest or default version of all your
// launch templates, specify $Latest or $Default without a launch template
// ID or name", DescribeLaunchTemplateVersions, EC2 API reference).
func (s *Server) describeLaunchTemplateVersions(c *call) (any, error) {
	req, err := c.ec2List(ec2ListSpec{filters: versionFilters, idsWithMax: true, minMax: 1, maxMax: 200})
	if err != nil {
		return nil, err
	}
	id, name := c.p.str("LaunchTemplateId"), c.p.str("LaunchTemplateName")
	if id != "" && name != "" {
		return nil, badRequest("InvalidParameterCombination", "You can specify either a launch template ID or a launch template name, not both.")
	}
	if id != "" && (!strings.HasPrefix(id, "lt-") || !idShape.MatchString(id)) {
		return nil, badRequest("InvalidLaunchTemplateId.Malformed", "The specified ID for the launch template (%s) is not valid. Launch template IDs start with 'lt-'.", id)
	}
	versions, err := c.p.list("LaunchTemplateVersion")
	if err != nil {
		return nil, err
	}
	minV, maxV := 0, 0
	for _, b := range []struct {
		param string
		n     *int
	}{{"MinVersion", &minV}, {"MaxVersion", &maxV}} {
		if v := c.p.str(b.param); v != "" {
			if *b.n, err = strconv.Atoi(v); err != nil || *b.n < 1 {
				return nil, errInvalidParameterValue("Invalid value '%s' for %s", v, b.param)
			}
		}
	}

	s.mu.RLock()
	r := s.region(c)
	var templates []*LaunchTemplate
	switch {
	case id != "":
		lt := r.LaunchTemplates[id]
		if lt == nil {
			s.mu.RUnlock()
			return nil, errTemplateNotFound(id)
		}
		templates = []*LaunchTemplate{lt}
	case name != "":
		lt := r.templateByName(name)
		if lt == nil {
			s.mu.RUnlock()
			return nil, errTemplateNameNotFound()
		}
		templates = []*LaunchTemplate{lt}
	default:
		for _, v := range versions {
			if v != "$Latest" && v != "$Default" {
				s.mu.RUnlock()
				return nil, errMissingParameter("LaunchTemplateId")
			}
		}
		for _, tid := range sortedKeys(r, "launchTemplates", r.LaunchTemplates) {
			templates = append(templates, r.LaunchTemplates[tid])
		}
		if len(versions) == 0 {
			// Every version of every template: no restriction.
			templates = nil
		}
	}
	for _, lt := range templates {
		for _, v := range versions {
			n, tv := lt.version(v)
			if tv == nil {
				s.mu.RUnlock()
				return nil, badRequest("InvalidLaunchTemplateId.VersionNotFound", "Could not find launch template version %s for launch template %s", v, lt.ID)
			}
			req.ids = append(req.ids, versionKey(lt.ID, n))
		}
	}
	only := map[string]bool{}
	if len(versions) == 0 && len(templates) == 1 {
		only[templates[0].ID] = true
	}
	s.mu.RUnlock()

	keep := func(r *Region, tv templateVersion) bool {
		if len(only) > 0 && !only[tv.lt.ID] {
			return false
		}
		return (minV == 0 || tv.n >= minV) && (maxV == 0 || tv.n <= maxV)
	}
	resp := newListing[versionXML](c, "launchTemplateVersionSet")
	resp.NextToken, err = describe(s, c, req, versionTable, keep, func(r *Region, page []templateVersion) {
		for _, tv := range page {
			resp.Items = append(resp.Items, versionDoc(tv))
		}
	})
	return resp, err
}

func versionDoc(tv templateVersion) versionXML {
	d := launchDataXML{
		ImageID:          tv.v.ImageID,
		InstanceType:     tv.v.InstanceType,
		KeyName:          tv.v.KeyName,
		SecurityGroupIDs: tv.v.SecurityGroupIDs,
		SecurityGroups:   tv.v.SecurityGroupNames,
	}
	for _, ni := range tv.v.NetworkInterfaces {
		d.Interfaces = append(d.Interfaces, interfaceXML{
			DeviceIndex:       ni.DeviceIndex,
			SubnetID:          ni.SubnetID,
			Groups:            ni.GroupIDs,
			AssociatePublicIP: ni.AssociatePublicIP,
		})
	}
	return versionXML{
		TemplateID:     tv.lt.ID,
		TemplateName:   tv.lt.Name,
		Number:         tv.n,
		Description:    tv.v.Description,
		CreateTime:     ec2Time(tv.v.CreateTime),
		CreatedBy:      tv.lt.CreatedBy,
		DefaultVersion: tv.n == tv.lt.DefaultVersion,
		Data:           d,
	}
}

type versionXML struct {
	TemplateID     string        `xml:"launchTemplateId"`
	TemplateName   string        `xml:"launchTemplateName"`
	Number         int           `xml:"versionNumber"`
	Description    string        `xml:"versionDescription,omitempty"`
	CreateTime     string        `xml:"createTime"`
	CreatedBy      string        `xml:"createdBy"`
	DefaultVersion bool          `xml:"defaultVersion"`
	Data           launchDataXML `xml:"launchTemplateData"`
}

// launchDataXML is ResponseLaunchTemplateData: an unset field is absent.
type launchDataXML struct {
	ImageID          string            `xml:"imageId,omitempty"`
	InstanceType     string            `xml:"instanceType,omitempty"`
	KeyName          string            `xml:"keyName,omitempty"`
	SecurityGroupIDs set[string]       `xml:"securityGroupIdSet,omitempty"`
	SecurityGroups   set[string]       `xml:"securityGroupSet,omitempty"`
	Interfaces       set[interfaceXML] `xml:"networkInterfaceSet,omitempty"`
}

type interfaceXML struct {
	AssociatePublicIP bool     `xml:"associatePublicIpAddress"`
	DeviceIndex       int      `xml:"deviceIndex"`
	Groups            groupIDs `xml:"groupSet"`
	SubnetID          string   `xml:"subnetId,omitempty"`
}

// groupIDs is a template interface's security groups: EC2 wraps each in
// <groupId>, not <item> (GroupIdStringList in the SDK's deserializers).
type groupIDs []string

func (g groupIDs) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return marshalList(e, start, "groupId", g)
}

// ---- DescribeInstanceTypeOfferings

// offering is one instance type at one location.
type offering struct{ location, instanceType string }

var offeringFilters = map[string]bool{"location": true, "instance-type": true}

func offeringAttr(o offering) attrFunc {
	return func(name string) []string {
		if name == "location" {
			return []string{o.location}
		}
		return []string{o.instanceType}
	}
}

// offeringTable builds the offerings of one location type: per zone, per
// zone ID, or the union for the region.
func offeringTable(locationType string) table[offering] {
	return table[offering]{
		name: "offerings/" + locationType,
		items: func(r *Region) map[string]offering {
			m := map[string]offering{}
			zones, zoneIDs := r.zones()
			for _, az := range zones {
				loc := az
				switch locationType {
				case "region":
					loc = r.Name
				case "availability-zone-id":
					loc = zoneIDs[az]
				}
				for _, t := range r.offered(az) {
					m[loc+"/"+t] = offering{location: loc, instanceType: t}
				}
			}
			return m
		},
		attr: func(*Region) func(offering) attrFunc { return offeringAttr },
	}
}

// describeInstanceTypeOfferings: LocationType (region, the default;
// availability-zone; availability-zone-id), Filter.N (location,
// instance-type), MaxResults (5..1000), NextToken.
func (s *Server) describeInstanceTypeOfferings(c *call) (any, error) {
	lt := c.p.str("LocationType")
	if lt == "" {
		lt = "region"
	}
	if !slices.Contains([]string{"region", "availability-zone", "availability-zone-id"}, lt) {
		return nil, errInvalidParameterValue("Value (%s) for parameter locationType is invalid. Valid values are region, availability-zone, availability-zone-id, outpost.", lt)
	}
	req, err := c.ec2List(ec2ListSpec{filters: offeringFilters, minMax: 5, maxMax: 1000})
	if err != nil {
		return nil, err
	}
	resp := newListing[offeringXML](c, "instanceTypeOfferingSet")
	resp.NextToken, err = describe(s, c, req, offeringTable(lt), nil, func(r *Region, page []offering) {
		for _, o := range page {
			resp.Items = append(resp.Items, offeringXML{InstanceType: o.instanceType, LocationType: lt, Location: o.location})
		}
	})
	return resp, err
}

type offeringXML struct {
	InstanceType string `xml:"instanceType"`
	LocationType string `xml:"locationType"`
	Location     string `xml:"location"`
}

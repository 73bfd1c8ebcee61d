package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// This file is the launch preflight (story S4): given what AWS says
// about a group's launch template, the images, security groups, subnets
// and instance type offerings it refers to, would a launch succeed? A
// deploy that points a template at an AMI or a security group name that
// does not exist leaves every group on it unable to launch, and nothing
// says so until the old machines are gone. Each failed check names the
// missing thing.

// TemplateVersion is the launch template version a group resolves to,
// with what a launch reads from it.
type TemplateVersion struct {
	TemplateID   string
	TemplateName string
	Number       int64
	ImageID      string
	InstanceType string
	// SecurityGroupIDs and SecurityGroupNames are every group the
	// version names, top level and on its network interfaces.
	SecurityGroupIDs   []string
	SecurityGroupNames []string
}

// Image is an AMI as DescribeImages reports it.
type Image struct {
	ID    string
	Name  string
	State string // available, pending, failed, deregistered, ...
}

// VPCSecurityGroup is a security group with its VPC.
type VPCSecurityGroup struct {
	ID    string
	Name  string
	VPCID string
}

// LaunchFacts is what a preflight read, fetched together. A field whose
// read failed has its reason in the matching ...Unread; unknown is not
// "missing", and a check that cannot tell says so instead of failing.
type LaunchFacts struct {
	FetchedAt time.Time
	Groups    []Group

	// Templates is group name → the version its launch template
	// reference resolves to; TemplatesUnread, group name → why it could
	// not be resolved (the template or version does not exist, or the
	// call failed). A template that does not exist is a failed image
	// check, not an unknown one: TemplateMissing says which.
	Templates       map[string]TemplateVersion
	TemplatesUnread map[string]string
	TemplateMissing map[string]bool

	Images       map[string]Image // by ID: those AWS knows
	ImagesUnread string

	SecurityGroups       []VPCSecurityGroup // every group of the VPCs concerned
	SecurityGroupsUnread string

	Subnets       map[string]Subnet // by ID: the groups' subnets AWS knows
	SubnetsUnread string

	// Offerings is instance type → the availability zones offering it.
	Offerings       map[string][]string
	OfferingsUnread string
}

// CheckName names one preflight check; the names are a contract with
// scripts (airlock preflight --json).
type CheckName string

// The checks, in the order they are made (the order AWS fails a launch).
const (
	CheckImage          CheckName = "image"
	CheckSecurityGroup  CheckName = "security-group"
	CheckInstanceType   CheckName = "instance-type"
	CheckSubnetCapacity CheckName = "subnet-capacity"
)

// Check is one check's result. A check that could not run has Unknown
// set (why) and OK false: it neither passed nor failed.
type Check struct {
	Name    CheckName
	OK      bool
	Unknown string
	Detail  string // what was found, naming the missing thing on failure
}

// Failed reports whether the check ran and found a problem.
func (c Check) Failed() bool { return !c.OK && c.Unknown == "" }

// GroupPreflight is the preflight of one group.
type GroupPreflight struct {
	Group  string // raw name
	Checks []Check
}

// OK reports whether every check ran and passed.
func (p GroupPreflight) OK() bool {
	for _, c := range p.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

// Failed reports whether any check ran and failed.
func (p GroupPreflight) Failed() bool {
	return slices.ContainsFunc(p.Checks, Check.Failed)
}

// Unknown reports whether any check could not run.
func (p GroupPreflight) Unknown() bool {
	return slices.ContainsFunc(p.Checks, func(c Check) bool { return c.Unknown != "" })
}

// Problems lists the details of the checks that failed, then of those
// that could not run, for one line on a screen.
func (p GroupPreflight) Problems() []string {
	var out []string
	for _, c := range p.Checks {
		if c.Failed() {
			out = append(out, c.Detail)
		}
	}
	for _, c := range p.Checks {
		if c.Unknown != "" {
			out = append(out, c.Detail)
		}
	}
	return out
}

// Preflight checks every group of f, sorted by name.
func Preflight(f LaunchFacts) []GroupPreflight {
	out := make([]GroupPreflight, 0, len(f.Groups))
	for _, g := range f.Groups {
		out = append(out, PreflightGroup(f, g))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Group < out[j].Group })
	return out
}

// PreflightGroup checks whether group g could launch an instance now:
// the AMI exists and is available; every security group it names (by ID
// or name) exists in the group's VPC; its instance type is offered in
// each of its availability zones; its subnets have free addresses for its
// shortfall.
func PreflightGroup(f LaunchFacts, g Group) GroupPreflight {
	p := GroupPreflight{Group: g.Name}
	tv, why := f.resolve(g)
	where := templateWhere(g, tv)
	if why != "" {
		missing := f.TemplateMissing[g.Name]
		for _, name := range []CheckName{CheckImage, CheckSecurityGroup, CheckInstanceType} {
			c := Check{Name: name}
			if missing && name == CheckImage {
				c.Detail = why
			} else {
				c.Unknown, c.Detail = why, "could not check: "+why
			}
			p.Checks = append(p.Checks, c)
		}
	} else {
		p.Checks = append(p.Checks, f.checkImage(tv, where), f.checkSecurityGroups(g, tv, where), f.checkInstanceType(g, tv, where))
	}
	p.Checks = append(p.Checks, f.checkSubnets(g))
	return p
}

// resolve returns the template version g launches from, or why it cannot
// be told.
func (f LaunchFacts) resolve(g Group) (TemplateVersion, string) {
	if tv, ok := f.Templates[g.Name]; ok {
		return tv, ""
	}
	if why := f.TemplatesUnread[g.Name]; why != "" {
		return TemplateVersion{}, why
	}
	switch {
	case g.LaunchConfiguration != "":
		return TemplateVersion{}, "the group launches from launch configuration " + g.LaunchConfiguration + ", which airlock does not read"
	case g.MixedInstances:
		return TemplateVersion{}, "the group launches through a mixed instances policy, which airlock does not read"
	case g.LaunchTemplate == (LaunchTemplateRef{}):
		return TemplateVersion{}, "the group names no launch template"
	}
	return TemplateVersion{}, "launch template " + g.Template() + " was not read"
}

// templateWhere says where a launch reads a value from: "launch template
// uploader $Latest (version 3)".
func templateWhere(g Group, tv TemplateVersion) string {
	s := "launch template " + g.Template()
	if tv.Number > 0 && fmt.Sprint(tv.Number) != g.LaunchTemplate.Version {
		s += fmt.Sprintf(" (version %d)", tv.Number)
	}
	return s
}

func (f LaunchFacts) checkImage(tv TemplateVersion, where string) Check {
	c := Check{Name: CheckImage}
	switch img, ok := f.Images[tv.ImageID]; {
	case tv.ImageID == "":
		c.Detail = where + " names no AMI"
	case f.ImagesUnread != "":
		c.Unknown = f.ImagesUnread
		c.Detail = fmt.Sprintf("could not check AMI %s: %s", tv.ImageID, f.ImagesUnread)
	case !ok:
		c.Detail = fmt.Sprintf("AMI %s does not exist (%s)", tv.ImageID, where)
	case img.State != "available":
		c.Detail = fmt.Sprintf("AMI %s is %s, not available (%s)", tv.ImageID, orUnknown(img.State), where)
	default:
		c.OK, c.Detail = true, fmt.Sprintf("AMI %s is available", tv.ImageID)
	}
	return c
}

// vpcOf is the VPC of a group's subnets, or "" when none is known.
func (f LaunchFacts) vpcOf(g Group) string {
	for _, id := range g.Subnets {
		if s, ok := f.Subnets[id]; ok && s.VPCID != "" {
			return s.VPCID
		}
	}
	return ""
}

func (f LaunchFacts) checkSecurityGroups(g Group, tv TemplateVersion, where string) Check {
	c := Check{Name: CheckSecurityGroup}
	vpc := f.vpcOf(g)
	switch {
	case f.SecurityGroupsUnread != "":
		c.Unknown = f.SecurityGroupsUnread
	case vpc == "" && f.SubnetsUnread != "":
		c.Unknown = "the group's VPC is unknown: " + f.SubnetsUnread
	case vpc == "":
		c.Unknown = "the group's VPC is unknown: none of its subnets exists"
	}
	if c.Unknown != "" {
		c.Detail = "could not check security groups: " + c.Unknown
		return c
	}
	if len(tv.SecurityGroupIDs) == 0 && len(tv.SecurityGroupNames) == 0 {
		c.OK, c.Detail = true, where+" names no security group: instances get the VPC's default"
		return c
	}
	var missing, found []string
	for _, id := range uniqueSorted(tv.SecurityGroupIDs) {
		if slices.ContainsFunc(f.SecurityGroups, func(s VPCSecurityGroup) bool { return s.ID == id && s.VPCID == vpc }) {
			found = append(found, id)
		} else {
			missing = append(missing, id)
		}
	}
	for _, name := range uniqueSorted(tv.SecurityGroupNames) {
		if slices.ContainsFunc(f.SecurityGroups, func(s VPCSecurityGroup) bool { return s.Name == name && s.VPCID == vpc }) {
			found = append(found, name)
		} else {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		c.Detail = fmt.Sprintf("security %s %s %s not exist in VPC %s (%s)",
			plural(len(missing), "group", "groups"), list(missing), plural(len(missing), "does", "do"), vpc, where)
		return c
	}
	c.OK, c.Detail = true, fmt.Sprintf("security %s %s %s in VPC %s", plural(len(found), "group", "groups"), list(found), plural(len(found), "exists", "exist"), vpc)
	return c
}

// zonesOf is the availability zones of the group's subnets that AWS
// knows, else the zones the group names.
func (f LaunchFacts) zonesOf(g Group) []string {
	var zs []string
	for _, id := range g.Subnets {
		if s, ok := f.Subnets[id]; ok && s.AZ != "" {
			zs = append(zs, s.AZ)
		}
	}
	if len(zs) == 0 {
		zs = g.AZs
	}
	return uniqueSorted(zs)
}

func (f LaunchFacts) checkInstanceType(g Group, tv TemplateVersion, where string) Check {
	c := Check{Name: CheckInstanceType}
	zones := f.zonesOf(g)
	switch {
	case tv.InstanceType == "":
		c.Detail = where + " names no instance type"
		return c
	case f.OfferingsUnread != "":
		c.Unknown = f.OfferingsUnread
	case len(zones) == 0:
		c.Unknown = "the group's availability zones are unknown"
	}
	if c.Unknown != "" {
		c.Detail = fmt.Sprintf("could not check instance type %s: %s", tv.InstanceType, c.Unknown)
		return c
	}
	offered := f.Offerings[tv.InstanceType]
	var not []string
	for _, z := range zones {
		if !slices.Contains(offered, z) {
			not = append(not, z)
		}
	}
	if len(not) > 0 {
		c.Detail = fmt.Sprintf("instance type %s is not offered in %s (%s)", tv.InstanceType, list(not), where)
		return c
	}
	c.OK, c.Detail = true, fmt.Sprintf("instance type %s is offered in %s", tv.InstanceType, list(zones))
	return c
}

// checkSubnets: the addresses the group still needs (desired, less what
// is in service or on its way) must be free in its subnets.
func (f LaunchFacts) checkSubnets(g Group) Check {
	c := Check{Name: CheckSubnetCapacity}
	if f.SubnetsUnread != "" {
		c.Unknown = f.SubnetsUnread
		c.Detail = "could not check subnets: " + c.Unknown
		return c
	}
	need := max(g.Desired-g.InService-g.Pending, 0)
	free := 0
	var gone, parts []string
	for _, id := range g.Subnets {
		s, ok := f.Subnets[id]
		if !ok {
			gone = append(gone, id)
			continue
		}
		free += s.AvailableIPs
		parts = append(parts, fmt.Sprintf("%s %s %d free", s.ID, s.AZ, s.AvailableIPs))
	}
	switch {
	case len(g.Subnets) == 0:
		c.Detail = "the group names no subnet"
	case len(gone) > 0:
		c.Detail = fmt.Sprintf("%s %s %s not exist", plural(len(gone), "subnet", "subnets"), list(gone), plural(len(gone), "does", "do"))
	case free < need:
		c.Detail = fmt.Sprintf("%d free %s for a shortfall of %d (%s)", free, plural(free, "address", "addresses"), need, strings.Join(parts, ", "))
	case need == 0:
		c.OK, c.Detail = true, fmt.Sprintf("no shortfall; %d free %s", free, plural(free, "address", "addresses"))
	default:
		c.OK, c.Detail = true, fmt.Sprintf("%d free %s for a shortfall of %d", free, plural(free, "address", "addresses"), need)
	}
	return c
}

func orUnknown(s string) string {
	if s == "" {
		return "in an unknown state"
	}
	return s
}

package sim

import (
	"slices"
	"strconv"
	"strings"
)

// EC2 Auto Scaling (query protocol, API version 2011-01-01, signing name
// autoscaling). Documents follow <ActionResponse><ActionResult>... with
// lists as <member>, the member names of the SDK's schemas
// (service/autoscaling/schemas) and the API reference.
//
// The actions that change a group (SetDesiredCapacity,
// UpdateAutoScalingGroup, Suspend/ResumeProcesses) answer nothing but
// request metadata: their handlers return a nil result (queryDocument).
//
// Errors are ValidationError (HTTP 400) for anything the API refuses,
// InvalidNextToken for a bad page token, and the shared failures in the
// generic query dialect (Throttling, AccessDenied, ...).

func errValidation(format string, args ...any) *apiError {
	return badRequest("ValidationError", format, args...)
}

// errGroupNotFound is Auto Scaling's answer to an action on a group that
// does not exist.
func errGroupNotFound(name string) *apiError {
	return errValidation("AutoScalingGroup name not found - AutoScalingGroup '%s' not found", name)
}

// asgTime is Auto Scaling's timestamp format on the wire.
var asgTime = ec2Time

// asList reads Auto Scaling's listing parameters: names under namesParam
// (.member.N), Filters.member.N, MaxRecords (1..maxMax, default def) and
// NextToken. The limits and defaults are the API reference's:
// DescribeAutoScalingGroups "The default value is 50 and the maximum value
// is 100"; DescribeScalingActivities the same maximum, default 100.
func (c *call) asList(namesParam string, def, maxMax int, withFilters bool) (listRequest, error) {
	var req listRequest
	var err error
	if namesParam != "" {
		if req.ids, err = c.p.list(namesParam + ".member"); err != nil {
			return req, err
		}
	}
	if withFilters {
		if req.filters, err = c.asFilters(); err != nil {
			return req, err
		}
	}
	req.max = def
	if c.p.has("MaxRecords") {
		v := c.p.str("MaxRecords")
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			return req, errValidation("1 validation error detected: Value '%s' at 'maxRecords' failed to satisfy constraint: Member must be an integer", v)
		case n < 1:
			return req, errValidation("1 validation error detected: Value '%d' at 'maxRecords' failed to satisfy constraint: Member must have value greater than or equal to 1", n)
		case n > maxMax:
			return req, errValidation("1 validation error detected: Value '%d' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to %d", n, maxMax)
		}
		req.max = n
	}
	tok := c.p.str("NextToken")
	if req.tok, err = decodeToken(c.action, tok); err != nil {
		return req, badRequest("InvalidNextToken", "The token '%s' is invalid.", tok)
	}
	return req, nil
}

// asFilters parses Filters.member.N.Name and .Values.member.M. Names are
// those DescribeAutoScalingGroups documents (tag-key, tag-value,
// tag:<key>); values match exactly ("You cannot use wildcards with the
// filter values", Use tags to filter Auto Scaling groups, EC2 Auto Scaling
// User Guide), so they are escaped for the shared matcher.
func (c *call) asFilters() ([]filter, error) {
	idx, err := c.p.indices("Filters.member.")
	if err != nil {
		return nil, err
	}
	var out []filter
	for _, i := range idx {
		base := "Filters.member." + strconv.Itoa(i)
		name := c.p.str(base + ".Name")
		if name != "tag-key" && name != "tag-value" && !(strings.HasPrefix(name, "tag:") && len(name) > len("tag:")) {
			return nil, errValidation("Filter type %s is not correct. Allowed Filter types are: tag-key tag-value tag:<key>", name)
		}
		values, err := c.p.list(base + ".Values.member")
		if err != nil {
			return nil, err
		}
		for j, v := range values {
			values[j] = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`).Replace(v)
		}
		out = append(out, filter{name: name, values: values})
	}
	return out, nil
}

var groupTable = table[*Group]{
	name:  "groups",
	items: func(r *Region) map[string]*Group { return r.Groups },
	attr: func(*Region) func(*Group) attrFunc {
		return func(g *Group) attrFunc {
			return func(name string) []string { v, _ := tagAttr(g.Tags, name); return v }
		}
	},
	// Unknown names are skipped: "If you specify Auto Scaling group names,
	// the output includes information for only the specified Auto Scaling
	// groups", and no error is documented for a name that matches none.
}

// describeAutoScalingGroups: AutoScalingGroupNames.member.N,
// Filters.member.N, MaxRecords (1..100, default 50), NextToken,
// IncludeInstances (default true).
func (s *Server) describeAutoScalingGroups(c *call) (any, error) {
	req, err := c.asList("AutoScalingGroupNames", 50, 100, true)
	if err != nil {
		return nil, err
	}
	if n := len(req.ids); n > max(req.max, 50) {
		return nil, errValidation("The number of AutoScalingGroupNames (%d) exceeds the limit (%d); raise MaxRecords to ask for more", n, max(req.max, 50))
	}
	withInstances := true
	if c.p.has("IncludeInstances") {
		if withInstances, err = c.p.boolean("IncludeInstances"); err != nil {
			return nil, errValidation("%s", err.(*apiError).message)
		}
	}
	res := describeGroupsResult{Groups: members[asGroupXML]{}}
	res.NextToken, err = describe(s, c, req, groupTable, nil, func(r *Region, page []*Group) {
		for _, g := range page {
			res.Groups = append(res.Groups, groupDoc(r, g, withInstances))
		}
	})
	return res, err
}

// groupDoc renders a group. Members that have terminated are gone from
// the list, as in AWS.
func groupDoc(r *Region, g *Group, withInstances bool) asGroupXML {
	x := asGroupXML{
		Name:                    g.Name,
		ARN:                     g.arn(r.Name, r.AccountID),
		LaunchConfigurationName: g.LaunchConfigurationName,
		Min:                     g.Min,
		Max:                     g.Max,
		Desired:                 g.Desired,
		DefaultCooldown:         300,
		AvailabilityZones:       members[string](r.zonesOf(g)),
		LoadBalancerNames:       members[string]{},
		TargetGroupARNs:         members[string]{},
		HealthCheckType:         g.HealthCheckType,
		HealthCheckGracePeriod:  300,
		Instances:               members[groupInstanceXML]{},
		CreatedTime:             asgTime(g.CreatedTime),
		Suspended:               members[suspendedXML]{},
		VPCZoneIdentifier:       g.vpcZoneIdentifier(),
		EnabledMetrics:          members[string]{},
		Tags:                    members[groupTagXML]{},
		TerminationPolicies:     members[string]{"Default"},
		ServiceLinkedRoleARN:    "arn:aws:iam::" + r.AccountID + ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
	}
	if x.HealthCheckType == "" {
		x.HealthCheckType = "EC2"
	}
	var lt *LaunchTemplate
	if g.LaunchTemplateID != "" {
		lt = r.LaunchTemplates[g.LaunchTemplateID]
		x.LaunchTemplate = &launchTemplateSpecXML{ID: g.LaunchTemplateID, Version: g.LaunchTemplateVersion}
		if lt != nil {
			x.LaunchTemplate.Name = lt.Name
		}
	}
	if withInstances {
		for _, id := range g.Instances {
			in := r.Instances[id]
			if in == nil || in.State == StateTerminated {
				continue
			}
			m := groupInstanceXML{
				ID:                      in.ID,
				Type:                    in.Type,
				AZ:                      in.AZ,
				Lifecycle:               lifecycle(in, g.Standby[id]),
				Health:                  r.health(in),
				LaunchConfigurationName: g.LaunchConfigurationName,
			}
			if x.LaunchTemplate != nil {
				// An instance reports the version it was launched from,
				// as a number.
				m.LaunchTemplate = &launchTemplateSpecXML{ID: x.LaunchTemplate.ID, Name: x.LaunchTemplate.Name, Version: in.Tags[templateVersionTag]}
			}
			x.Instances = append(x.Instances, m)
		}
	}
	for _, p := range scalingProcesses {
		if reason, ok := g.Suspended[p]; ok {
			x.Suspended = append(x.Suspended, suspendedXML{Process: p, Reason: reason})
		}
	}
	keys := make([]string, 0, len(g.Tags))
	for k := range g.Tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		x.Tags = append(x.Tags, groupTagXML{ResourceID: g.Name, ResourceType: "auto-scaling-group", Key: k, Value: g.Tags[k], PropagateAtLaunch: true})
	}
	return x
}

// templateVersionTag records on a group member the launch template
// version it was launched from. AWS keeps this on the instance too (the
// aws:ec2launchtemplate:version tag), which is where the sim reads it.
const templateVersionTag = "aws:ec2launchtemplate:version"

type describeGroupsResult struct {
	Groups    members[asGroupXML] `xml:"AutoScalingGroups"`
	NextToken string              `xml:"NextToken,omitempty"`
}

type asGroupXML struct {
	Name                    string                    `xml:"AutoScalingGroupName"`
	ARN                     string                    `xml:"AutoScalingGroupARN"`
	LaunchConfigurationName string                    `xml:"LaunchConfigurationName,omitempty"`
	LaunchTemplate          *launchTemplateSpecXML    `xml:"LaunchTemplate,omitempty"`
	Min                     int                       `xml:"MinSize"`
	Max                     int                       `xml:"MaxSize"`
	Desired                 int                       `xml:"DesiredCapacity"`
	DefaultCooldown         int                       `xml:"DefaultCooldown"`
	AvailabilityZones       members[string]           `xml:"AvailabilityZones"`
	LoadBalancerNames       members[string]           `xml:"LoadBalancerNames"`
	TargetGroupARNs         members[string]           `xml:"TargetGroupARNs"`
	HealthCheckType         string                    `xml:"HealthCheckType"`
	HealthCheckGracePeriod  int                       `xml:"HealthCheckGracePeriod"`
	Instances               members[groupInstanceXML] `xml:"Instances"`
	CreatedTime             string                    `xml:"CreatedTime"`
	Suspended               members[suspendedXML]     `xml:"SuspendedProcesses"`
	VPCZoneIdentifier       string                    `xml:"VPCZoneIdentifier"`
	EnabledMetrics          members[string]           `xml:"EnabledMetrics"`
	Tags                    members[groupTagXML]      `xml:"Tags"`
	TerminationPolicies     members[string]           `xml:"TerminationPolicies"`
	NewInstancesProtected   bool                      `xml:"NewInstancesProtectedFromScaleIn"`
	ServiceLinkedRoleARN    string                    `xml:"ServiceLinkedRoleARN"`
	CapacityRebalance       bool                      `xml:"CapacityRebalance"`
}

type launchTemplateSpecXML struct {
	ID      string `xml:"LaunchTemplateId"`
	Name    string `xml:"LaunchTemplateName,omitempty"`
	Version string `xml:"Version,omitempty"`
}

type groupInstanceXML struct {
	ID                      string                 `xml:"InstanceId"`
	Type                    string                 `xml:"InstanceType"`
	AZ                      string                 `xml:"AvailabilityZone"`
	Lifecycle               string                 `xml:"LifecycleState"`
	Health                  string                 `xml:"HealthStatus"`
	LaunchConfigurationName string                 `xml:"LaunchConfigurationName,omitempty"`
	LaunchTemplate          *launchTemplateSpecXML `xml:"LaunchTemplate,omitempty"`
	ProtectedFromScaleIn    bool                   `xml:"ProtectedFromScaleIn"`
}

type suspendedXML struct {
	Process string `xml:"ProcessName"`
	Reason  string `xml:"SuspensionReason"`
}

type groupTagXML struct {
	ResourceID        string `xml:"ResourceId"`
	ResourceType      string `xml:"ResourceType"`
	Key               string `xml:"Key"`
	Value             string `xml:"Value"`
	PropagateAtLaunch bool   `xml:"PropagateAtLaunch"`
}

var activityTable = table[*Activity]{
	name:  "activities",
	items: func(r *Region) map[string]*Activity { return r.Activities },
}

// describeScalingActivities: ActivityIds.member.N (up to 50; unknown IDs
// ignored), AutoScalingGroupName, IncludeDeletedGroups, MaxRecords
// (1..100, default 100), NextToken. Newest first.
func (s *Server) describeScalingActivities(c *call) (any, error) {
	req, err := c.asList("ActivityIds", 100, 100, false)
	if err != nil {
		return nil, err
	}
	if len(req.ids) > 50 {
		return nil, errValidation("1 validation error detected: Value at 'activityIds' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	if _, err := c.p.boolean("IncludeDeletedGroups"); err != nil {
		return nil, errValidation("%s", err.(*apiError).message)
	}
	group := c.p.str("AutoScalingGroupName")
	var keep func(*Region, *Activity) bool
	if group != "" {
		keep = func(_ *Region, a *Activity) bool { return a.Group == group }
	}
	res := describeActivitiesResult{Activities: members[activityXML]{}}
	res.NextToken, err = describe(s, c, req, activityTable, keep, func(r *Region, page []*Activity) {
		for _, a := range page {
			x := activityXML{
				ID:            a.ID,
				Group:         a.Group,
				Description:   a.Description,
				Cause:         a.Cause,
				StartTime:     asgTime(a.StartTime),
				StatusCode:    a.StatusCode,
				StatusMessage: a.StatusMessage,
				Progress:      a.Progress,
				Details:       a.Details,
			}
			if g := r.Groups[a.Group]; g != nil {
				x.GroupARN = g.arn(r.Name, r.AccountID)
			}
			if !a.EndTime.IsZero() {
				x.EndTime = asgTime(a.EndTime)
			}
			res.Activities = append(res.Activities, x)
		}
	})
	return res, err
}

type describeActivitiesResult struct {
	Activities members[activityXML] `xml:"Activities"`
	NextToken  string               `xml:"NextToken,omitempty"`
}

type activityXML struct {
	ID            string `xml:"ActivityId"`
	Group         string `xml:"AutoScalingGroupName"`
	GroupARN      string `xml:"AutoScalingGroupARN,omitempty"`
	Description   string `xml:"Description"`
	Cause         string `xml:"Cause"`
	StartTime     string `xml:"StartTime"`
	EndTime       string `xml:"EndTime,omitempty"`
	StatusCode    string `xml:"StatusCode"`
	StatusMessage string `xml:"StatusMessage,omitempty"`
	Progress      int    `xml:"Progress"`
	Details       string `xml:"Details"`
}

// groupParam reads AutoScalingGroupName, which every write requires.
func (c *call) groupParam() (string, error) {
	name := c.p.str("AutoScalingGroupName")
	if name == "" {
		return "", errValidation("1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null")
	}
	return name, nil
}

// intParam reads an optional integer parameter; ok is false when absent.
func (c *call) intParam(name string) (n int, ok bool, err error) {
	if !c.p.has(name) {
		return 0, false, nil
	}
	v := c.p.str(name)
	n, err = strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, false, errValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have value greater than or equal to 0", v, lowerFirst(name))
	}
	return n, true, nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// setDesiredCapacity: AutoScalingGroupName, DesiredCapacity, HonorCooldown
// (accepted; the sim has no cooldowns). Outside MinSize..MaxSize it is
// ValidationError with AWS's wording ("New SetDesiredCapacity value 3 is
// above max value 2 for the AutoScalingGroup.", quoted in
// kubernetes/autoscaler issue 943).
func (s *Server) setDesiredCapacity(c *call) (any, error) {
	name, err := c.groupParam()
	if err != nil {
		return nil, err
	}
	desired, ok, err := c.intParam("DesiredCapacity")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errValidation("1 validation error detected: Value null at 'desiredCapacity' failed to satisfy constraint: Member must not be null")
	}
	if _, err := c.p.boolean("HonorCooldown"); err != nil {
		return nil, errValidation("%s", err.(*apiError).message)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.region(c)
	g := r.Groups[name]
	if g == nil {
		return nil, errGroupNotFound(name)
	}
	if desired > g.Max {
		return nil, errValidation("New SetDesiredCapacity value %d is above max value %d for the AutoScalingGroup.", desired, g.Max)
	}
	if desired < g.Min {
		return nil, errValidation("New SetDesiredCapacity value %d is below min value %d for the AutoScalingGroup.", desired, g.Min)
	}
	if desired != g.Desired {
		now := s.worldNow()
		why := "At " + causeTime(now) + " a user request explicitly set group desired capacity changing the desired capacity from " +
			strconv.Itoa(g.Desired) + " to " + strconv.Itoa(desired) + "."
		g.Desired = desired
		s.reconcile(r, g, why)
	}
	return nil, nil
}

// updateAutoScalingGroup: AutoScalingGroupName, MinSize, MaxSize,
// DesiredCapacity, LaunchTemplate.LaunchTemplateId/LaunchTemplateName/
// Version, LaunchConfigurationName, VPCZoneIdentifier, HealthCheckType.
// As the API reference says, a new MinSize above the current desired
// capacity raises it, and a new MaxSize below it lowers it, when
// DesiredCapacity is not given.
func (s *Server) updateAutoScalingGroup(c *call) (any, error) {
	name, err := c.groupParam()
	if err != nil {
		return nil, err
	}
	minSize, hasMin, err := c.intParam("MinSize")
	if err != nil {
		return nil, err
	}
	maxSize, hasMax, err := c.intParam("MaxSize")
	if err != nil {
		return nil, err
	}
	desired, hasDesired, err := c.intParam("DesiredCapacity")
	if err != nil {
		return nil, err
	}
	ltID, ltName, ltVersion := c.p.str("LaunchTemplate.LaunchTemplateId"), c.p.str("LaunchTemplate.LaunchTemplateName"), c.p.str("LaunchTemplate.Version")
	lcName := c.p.str("LaunchConfigurationName")
	if (ltID != "" || ltName != "") && lcName != "" {
		return nil, errValidation("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, MixedInstancesPolicy or InstanceId parameter.")
	}
	if ltID != "" && ltName != "" {
		return nil, errValidation("Valid requests must contain either launchTemplateId or LaunchTemplateName parameter.")
	}
	hc := c.p.str("HealthCheckType")
	if hc != "" && hc != "EC2" && hc != "ELB" && hc != "VPC_LATTICE" && hc != "EBS" {
		return nil, errValidation("Health check type %s is not valid. Valid values: EC2, ELB, VPC_LATTICE, EBS", hc)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.region(c)
	g := r.Groups[name]
	if g == nil {
		return nil, errGroupNotFound(name)
	}
	newMin, newMax, newDesired := g.Min, g.Max, g.Desired
	if hasMin {
		newMin = minSize
	}
	if hasMax {
		newMax = maxSize
	}
	if newMin > newMax {
		return nil, errValidation("Max bound, %d, must be greater than or equal to min bound, %d", newMax, newMin)
	}
	switch {
	case hasDesired:
		newDesired = desired
	case newDesired < newMin:
		newDesired = newMin
	case newDesired > newMax:
		newDesired = newMax
	}
	if newDesired < newMin || newDesired > newMax {
		// "Desired capacity:2 must be between the specified min size:4 and
		// max size:10" (quoted in convox/praxis pull request 258).
		return nil, errValidation("Desired capacity:%d must be between the specified min size:%d and max size:%d", newDesired, newMin, newMax)
	}
	var lt *LaunchTemplate
	switch {
	case ltID != "":
		if lt = r.LaunchTemplates[ltID]; lt == nil {
			return nil, errValidation("The specified launch template, with template ID %s, does not exist.", ltID)
		}
	case ltName != "":
		if lt = r.templateByName(ltName); lt == nil {
			return nil, errValidation("The specified launch template, with template name %s, does not exist.", ltName)
		}
	}
	if lt != nil && ltVersion != "" {
		if _, v := lt.version(ltVersion); v == nil {
			return nil, errValidation("The specified launch template, with template ID %s, does not have a version %s.", lt.ID, ltVersion)
		}
	}
	var subnets []string
	if c.p.has("VPCZoneIdentifier") {
		for _, id := range strings.Split(c.p.str("VPCZoneIdentifier"), ",") {
			id = strings.TrimSpace(id)
			if r.Subnets[id] == nil {
				return nil, errValidation("The subnet ID '%s' does not exist", id)
			}
			subnets = append(subnets, id)
		}
	}

	// Everything is valid: apply it all.
	if lt != nil {
		g.LaunchTemplateID, g.LaunchConfigurationName = lt.ID, ""
		g.LaunchTemplateVersion = ltVersion
		if ltVersion == "" {
			g.LaunchTemplateVersion = "$Default"
		}
	}
	if lcName != "" {
		g.LaunchConfigurationName, g.LaunchTemplateID, g.LaunchTemplateVersion = lcName, "", ""
	}
	if subnets != nil {
		g.SubnetIDs = subnets
	}
	if hc != "" {
		g.HealthCheckType = hc
	}
	g.Min, g.Max = newMin, newMax
	r.touch()
	if newDesired != g.Desired {
		now := s.worldNow()
		why := "At " + causeTime(now) + " a user request update of AutoScalingGroup constraints to min: " + strconv.Itoa(newMin) +
			", max: " + strconv.Itoa(newMax) + ", desired: " + strconv.Itoa(newDesired) +
			" changing the desired capacity from " + strconv.Itoa(g.Desired) + " to " + strconv.Itoa(newDesired) + "."
		g.Desired = newDesired
		s.reconcile(r, g, why)
	}
	return nil, nil
}

// processes reads ScalingProcesses.member.N; none means all of them.
func (c *call) processes() ([]string, error) {
	list, err := c.p.list("ScalingProcesses.member")
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return scalingProcesses, nil
	}
	for _, p := range list {
		if !slices.Contains(scalingProcesses, p) {
			return nil, errValidation("Process %s is not a valid scaling process. Valid processes: %s", p, strings.Join(scalingProcesses, ", "))
		}
	}
	return list, nil
}

// suspendProcesses: AutoScalingGroupName, ScalingProcesses.member.N (none:
// all). A suspended Launch stops the group from replacing anything, which
// is what makes stopping a member safe.
func (s *Server) suspendProcesses(c *call) (any, error) {
	return s.withProcesses(c, false, func(g *Group, procs []string) {
		if g.Suspended == nil {
			g.Suspended = map[string]string{}
		}
		reason := "User suspended at " + causeTime(s.worldNow())
		for _, p := range procs {
			if _, ok := g.Suspended[p]; !ok {
				g.Suspended[p] = reason
			}
		}
	})
}

// resumeProcesses: AutoScalingGroupName, ScalingProcesses.member.N (none:
// all). Resuming Launch or Terminate lets the group catch up with its
// desired capacity at once.
func (s *Server) resumeProcesses(c *call) (any, error) {
	return s.withProcesses(c, true, func(g *Group, procs []string) {
		for _, p := range procs {
			delete(g.Suspended, p)
		}
	})
}

// withProcesses reads a Suspend/ResumeProcesses request and applies do to
// the group named, under the world's lock; reconcile lets the group act on
// its desired capacity afterwards.
func (s *Server) withProcesses(c *call, reconcile bool, do func(g *Group, procs []string)) (any, error) {
	name, err := c.groupParam()
	if err != nil {
		return nil, err
	}
	procs, err := c.processes()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.region(c)
	g := r.Groups[name]
	if g == nil {
		return nil, errGroupNotFound(name)
	}
	do(g, procs)
	r.touch()
	if reconcile {
		s.reconcile(r, g, "")
	}
	return nil, nil
}

// autoscalingService is the routing table row for Auto Scaling.
var autoscalingService = service{proto: awsQuery{}, ns: asNS, limits: sharedLimits, actions: map[string]action{
	"DescribeAutoScalingGroups": {fn: (*Server).describeAutoScalingGroups},
	"DescribeScalingActivities": {fn: (*Server).describeScalingActivities},
	"UpdateAutoScalingGroup":    {fn: (*Server).updateAutoScalingGroup, mutating: true},
	"SetDesiredCapacity":        {fn: (*Server).setDesiredCapacity, mutating: true},
	"SuspendProcesses":          {fn: (*Server).suspendProcesses, mutating: true},
	"ResumeProcesses":           {fn: (*Server).resumeProcesses, mutating: true},
}}

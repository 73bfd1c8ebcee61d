package sim

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Auto Scaling is not a dependency of airlock yet, so these tests read the
// sim's answers with encoding/xml into shapes written from the API
// reference (DescribeAutoScalingGroups, AutoScalingGroup, Instance,
// Activity, and the query protocol's ErrorResponse), independently of the
// sim's own response types.

type asLaunchTemplate struct {
	ID      string `xml:"LaunchTemplateId"`
	Name    string `xml:"LaunchTemplateName"`
	Version string `xml:"Version"`
}

type asInstance struct {
	ID             string            `xml:"InstanceId"`
	Type           string            `xml:"InstanceType"`
	AZ             string            `xml:"AvailabilityZone"`
	Lifecycle      string            `xml:"LifecycleState"`
	Health         string            `xml:"HealthStatus"`
	LaunchTemplate *asLaunchTemplate `xml:"LaunchTemplate"`
}

type asGroup struct {
	Name              string            `xml:"AutoScalingGroupName"`
	ARN               string            `xml:"AutoScalingGroupARN"`
	LaunchTemplate    *asLaunchTemplate `xml:"LaunchTemplate"`
	LaunchConfig      string            `xml:"LaunchConfigurationName"`
	Min               int               `xml:"MinSize"`
	Max               int               `xml:"MaxSize"`
	Desired           int               `xml:"DesiredCapacity"`
	AZs               []string          `xml:"AvailabilityZones>member"`
	HealthCheckType   string            `xml:"HealthCheckType"`
	Instances         []asInstance      `xml:"Instances>member"`
	CreatedTime       string            `xml:"CreatedTime"`
	VPCZoneIdentifier string            `xml:"VPCZoneIdentifier"`
	Suspended         []struct {
		Process string `xml:"ProcessName"`
		Reason  string `xml:"SuspensionReason"`
	} `xml:"SuspendedProcesses>member"`
	Tags []struct {
		ResourceID string `xml:"ResourceId"`
		Key        string `xml:"Key"`
		Value      string `xml:"Value"`
		Propagate  bool   `xml:"PropagateAtLaunch"`
	} `xml:"Tags>member"`
}

type asGroupsResponse struct {
	XMLName   xml.Name  `xml:"DescribeAutoScalingGroupsResponse"`
	Xmlns     string    `xml:"xmlns,attr"`
	Groups    []asGroup `xml:"DescribeAutoScalingGroupsResult>AutoScalingGroups>member"`
	NextToken string    `xml:"DescribeAutoScalingGroupsResult>NextToken"`
	RequestID string    `xml:"ResponseMetadata>RequestId"`
}

type asActivity struct {
	ID            string `xml:"ActivityId"`
	Group         string `xml:"AutoScalingGroupName"`
	Description   string `xml:"Description"`
	Cause         string `xml:"Cause"`
	StartTime     string `xml:"StartTime"`
	EndTime       string `xml:"EndTime"`
	StatusCode    string `xml:"StatusCode"`
	StatusMessage string `xml:"StatusMessage"`
	Progress      int    `xml:"Progress"`
	Details       string `xml:"Details"`
}

type asActivitiesResponse struct {
	XMLName    xml.Name     `xml:"DescribeScalingActivitiesResponse"`
	Activities []asActivity `xml:"DescribeScalingActivitiesResult>Activities>member"`
	NextToken  string       `xml:"DescribeScalingActivitiesResult>NextToken"`
}

type asErrorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Type    string   `xml:"Error>Type"`
	Code    string   `xml:"Error>Code"`
	Message string   `xml:"Error>Message"`
	ReqID   string   `xml:"RequestId"`
}

// as sends an Auto Scaling query request for acme-prod in us-east-1.
func (e *env) as(t *testing.T, action string, kv ...string) (int, string) {
	t.Helper()
	form := url.Values{"Action": {action}, "Version": {"2011-01-01"}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Add(kv[i], kv[i+1])
	}
	resp, body := e.post(t, authHeader(ProdAccessKey, "us-east-1", "autoscaling"), form)
	return resp.StatusCode, body
}

// asOK decodes a successful answer into v.
func (e *env) asOK(t *testing.T, v any, action string, kv ...string) {
	t.Helper()
	status, body := e.as(t, action, kv...)
	if status != http.StatusOK {
		t.Fatalf("%s %v: %d %s", action, kv, status, body)
	}
	if err := xml.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("%s: %v in %s", action, err, body)
	}
}

// asErr asserts an error answer with the status and code, and returns the
// message.
func (e *env) asErr(t *testing.T, status int, code, action string, kv ...string) string {
	t.Helper()
	got, body := e.as(t, action, kv...)
	var er asErrorResponse
	if err := xml.Unmarshal([]byte(body), &er); err != nil || got != status || er.Code != code || er.ReqID == "" {
		t.Fatalf("%s %v: want %d %s, got %d %s", action, kv, status, code, got, body)
	}
	wantType := "Sender"
	if status >= 500 {
		wantType = "Receiver"
	}
	if er.Type != wantType {
		t.Errorf("%s: error type %q, want %q", action, er.Type, wantType)
	}
	return er.Message
}

func (e *env) groups(t *testing.T, kv ...string) asGroupsResponse {
	t.Helper()
	var out asGroupsResponse
	e.asOK(t, &out, "DescribeAutoScalingGroups", kv...)
	return out
}

func (e *env) group(t *testing.T, name string) asGroup {
	t.Helper()
	out := e.groups(t, "AutoScalingGroupNames.member.1", name)
	if len(out.Groups) != 1 {
		t.Fatalf("group %s: %+v", name, out)
	}
	return out.Groups[0]
}

func (e *env) activities(t *testing.T, kv ...string) []asActivity {
	t.Helper()
	var out asActivitiesResponse
	e.asOK(t, &out, "DescribeScalingActivities", kv...)
	return out.Activities
}

// clock is a settable time source for the server, safe to move between
// requests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// useClock puts the server on a fake clock starting at its epoch and
// rebuilds the world, so retries and bursts are scheduled on it.
func useClock(e *env) *clock {
	c := &clock{t: DemoEpoch}
	e.s.now = c.now
	e.s.started = c.now()
	e.s.Reset()
	return c
}

func TestDescribeAutoScalingGroupsDemo(t *testing.T) {
	e := newEnv(t, Options{})
	out := e.groups(t)
	if out.Xmlns != "http://autoscaling.amazonaws.com/doc/2011-01-01/" || out.RequestID == "" || out.NextToken != "" {
		t.Errorf("envelope: %+v", out)
	}
	if len(out.Groups) != 2 || out.Groups[0].Name != "blue" || out.Groups[1].Name != "green" {
		t.Fatalf("groups: %+v", out.Groups)
	}
	blue, green := out.Groups[0], out.Groups[1]
	if blue.LaunchTemplate == nil || blue.LaunchTemplate.Name != "acme-web" || blue.LaunchTemplate.Version != "$Default" ||
		green.LaunchTemplate.Version != "$Latest" || !strings.HasPrefix(blue.LaunchTemplate.ID, "lt-0") {
		t.Errorf("templates: %+v %+v", blue.LaunchTemplate, green.LaunchTemplate)
	}
	if blue.Min != 0 || blue.Max != 6 || blue.Desired != 3 || len(blue.Instances) != 3 || blue.HealthCheckType != "EC2" {
		t.Errorf("blue: %+v", blue)
	}
	if want := "arn:aws:autoscaling:us-east-1:111111111111:autoScalingGroup:"; !strings.HasPrefix(blue.ARN, want) ||
		!strings.HasSuffix(blue.ARN, ":autoScalingGroupName/blue") {
		t.Errorf("ARN %s", blue.ARN)
	}
	if strings.Join(blue.AZs, ",") != "us-east-1a,us-east-1b,us-east-1c" || strings.Count(blue.VPCZoneIdentifier, "subnet-") != 3 {
		t.Errorf("zones %v, subnets %s", blue.AZs, blue.VPCZoneIdentifier)
	}
	for _, in := range blue.Instances {
		if in.Lifecycle != "InService" || in.Health != "Healthy" || in.LaunchTemplate == nil || in.LaunchTemplate.Version != "2" {
			t.Errorf("blue member %+v", in)
		}
	}
	// green-web-3 fails its instance status check: EC2 health checks call
	// it Unhealthy.
	if g3 := green.Instances[2]; g3.Health != "Unhealthy" || green.Instances[0].LaunchTemplate.Version != "3" {
		t.Errorf("green members %+v", green.Instances)
	}
	if len(blue.Tags) != 2 || blue.Tags[0].Key != "Cluster" || blue.Tags[0].Value != "blue" || blue.Tags[0].ResourceID != "blue" || !blue.Tags[0].Propagate {
		t.Errorf("tags %+v", blue.Tags)
	}
	// Members carry the group's name, as AWS tags them.
	in := e.instance(t, blue.Instances[0].ID)
	if tagValue(in.Tags, "aws:autoscaling:groupName") != "blue" || tagValue(in.Tags, "aws:ec2launchtemplate:version") != "2" {
		t.Errorf("member tags %v", in.Tags)
	}

	// Names: unknown ones are skipped, not an error.
	if out := e.groups(t, "AutoScalingGroupNames.member.1", "green", "AutoScalingGroupNames.member.2", "nope"); len(out.Groups) != 1 || out.Groups[0].Name != "green" {
		t.Errorf("by name: %+v", out.Groups)
	}
	// Filters: exact values, no wildcards.
	if out := e.groups(t, "Filters.member.1.Name", "tag:Cluster", "Filters.member.1.Values.member.1", "gr*"); len(out.Groups) != 0 {
		t.Errorf("a wildcard matched: %+v", out.Groups)
	}
	if out := e.groups(t, "Filters.member.1.Name", "tag:Cluster", "Filters.member.1.Values.member.1", "green",
		"Filters.member.2.Name", "tag-key", "Filters.member.2.Values.member.1", "Role"); len(out.Groups) != 1 || out.Groups[0].Name != "green" {
		t.Errorf("filters: %+v", out.Groups)
	}
	if out := e.groups(t, "IncludeInstances", "false"); len(out.Groups[0].Instances) != 0 {
		t.Errorf("IncludeInstances=false: %+v", out.Groups[0].Instances)
	}
	e.asErr(t, 400, "ValidationError", "DescribeAutoScalingGroups", "Filters.member.1.Name", "auto-scaling-group", "Filters.member.1.Values.member.1", "blue")
}

func TestDescribeAutoScalingGroupsPaging(t *testing.T) {
	e := newEnv(t, Options{Instances: 50000})
	// Blue, green and every fifth cluster from c005: 2 + 199.
	var names []string
	tok := ""
	pages := 0
	for {
		kv := []string{"MaxRecords", "100"}
		if tok != "" {
			kv = append(kv, "NextToken", tok)
		}
		out := e.groups(t, append(kv, "IncludeInstances", "false")...)
		pages++
		if len(out.Groups) > 100 {
			t.Fatalf("page of %d", len(out.Groups))
		}
		for _, g := range out.Groups {
			names = append(names, g.Name)
		}
		if tok = out.NextToken; tok == "" {
			break
		}
	}
	if len(names) != 201 || pages != 3 || names[0] != "blue" || names[len(names)-1] != "green" {
		t.Errorf("%d groups in %d pages, first %s last %s", len(names), pages, names[0], names[len(names)-1])
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("%s twice", n)
		}
		seen[n] = true
	}
	// The default page is 50.
	if out := e.groups(t, "IncludeInstances", "false"); len(out.Groups) != 50 || out.NextToken == "" {
		t.Errorf("default page: %d, token %q", len(out.Groups), out.NextToken)
	}
	for _, bad := range []string{"0", "101", "many"} {
		msg := e.asErr(t, 400, "ValidationError", "DescribeAutoScalingGroups", "MaxRecords", bad)
		if !strings.Contains(msg, "maxRecords") {
			t.Errorf("MaxRecords %s: %s", bad, msg)
		}
	}
	e.asErr(t, 400, "InvalidNextToken", "DescribeAutoScalingGroups", "NextToken", "garbage")
	// A token of another action is no token here.
	var acts asActivitiesResponse
	e.asOK(t, &acts, "DescribeScalingActivities", "MaxRecords", "1")
	if acts.NextToken != "" {
		e.asErr(t, 400, "InvalidNextToken", "DescribeAutoScalingGroups", "NextToken", acts.NextToken)
	}
	// A member of a fleet group runs and carries the tag; its group has
	// every member of its cluster that runs.
	g := e.group(t, "c005")
	if g.Desired != len(g.Instances) || g.Desired < 40 || g.LaunchTemplate.Name != "fleet-c005" {
		t.Errorf("c005: desired %d, %d members, %+v", g.Desired, len(g.Instances), g.LaunchTemplate)
	}
}

func TestDescribeScalingActivitiesS4(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s4"})
	acts := e.activities(t, "AutoScalingGroupName", "uploader")
	if len(acts) < 10 {
		t.Fatalf("%d activities", len(acts))
	}
	for i := 1; i < len(acts); i++ {
		if acts[i-1].StartTime < acts[i].StartTime {
			t.Errorf("not newest first: %s before %s", acts[i-1].StartTime, acts[i].StartTime)
		}
	}
	latest := acts[0]
	wantAMI := "The image id '[" + MissingAMI + "]' does not exist. Launching EC2 instance failed."
	if latest.StatusCode != "Failed" || latest.StatusMessage != wantAMI || latest.Group != "uploader" ||
		latest.Description != "Launching a new EC2 instance.  Status Reason: "+wantAMI || latest.Progress != 100 ||
		!strings.Contains(latest.Cause, "increasing the capacity from 2 to 6") || !strings.Contains(latest.Details, `"Subnet ID"`) ||
		latest.StartTime != "2026-11-20T11:56:00.000Z" {
		t.Errorf("latest: %+v", latest)
	}
	var sawSG, sawAMI, sawTerminate, sawLaunch bool
	for _, a := range acts {
		switch {
		case strings.HasPrefix(a.StatusMessage, "The security group '"+MissingSecurityGroup+"' does not exist in VPC 'vpc-"):
			sawSG = true
		case a.StatusMessage == wantAMI:
			sawAMI = true
		case strings.HasPrefix(a.Description, "Terminating EC2 instance: i-"):
			sawTerminate = true
		case strings.HasPrefix(a.Description, "Launching a new EC2 instance: i-") && a.StatusCode == "Successful":
			sawLaunch = true
		}
	}
	if !sawSG || !sawAMI || !sawTerminate || !sawLaunch {
		t.Errorf("history: sg %v ami %v terminate %v launch %v", sawSG, sawAMI, sawTerminate, sawLaunch)
	}

	// Paging: 1..100, newest first across pages.
	var out asActivitiesResponse
	e.asOK(t, &out, "DescribeScalingActivities", "MaxRecords", "3")
	var next asActivitiesResponse
	e.asOK(t, &next, "DescribeScalingActivities", "MaxRecords", "3", "NextToken", out.NextToken)
	if len(out.Activities) != 3 || out.NextToken == "" || len(next.Activities) != 3 || next.Activities[0].StartTime > out.Activities[2].StartTime {
		t.Errorf("pages: %+v / %+v", out, next)
	}
	e.asErr(t, 400, "ValidationError", "DescribeScalingActivities", "MaxRecords", "101")
	// Unknown IDs are ignored; known ones are found.
	if got := e.activities(t, "ActivityIds.member.1", latest.ID, "ActivityIds.member.2", "no-such-activity"); len(got) != 1 || got[0].ID != latest.ID {
		t.Errorf("by ID: %+v", got)
	}
	if got := e.activities(t, "AutoScalingGroupName", "nope"); len(got) != 0 {
		t.Errorf("unknown group: %d activities", len(got))
	}

	// The group as S4 tells it: wants 6, has 2.
	g := e.group(t, "uploader")
	if g.Desired != 6 || len(g.Instances) != 2 || g.LaunchTemplate.Version != "$Latest" {
		t.Errorf("uploader: %+v", g)
	}
}

func TestSetDesiredCapacity(t *testing.T) {
	e := newEnv(t, Options{})
	msg := e.asErr(t, 400, "ValidationError", "SetDesiredCapacity", "AutoScalingGroupName", "green", "DesiredCapacity", "7")
	if msg != "New SetDesiredCapacity value 7 is above max value 6 for the AutoScalingGroup." {
		t.Errorf("above max: %s", msg)
	}
	e.asErr(t, 400, "ValidationError", "SetDesiredCapacity", "AutoScalingGroupName", "nope", "DesiredCapacity", "1")
	e.asErr(t, 400, "ValidationError", "SetDesiredCapacity", "AutoScalingGroupName", "green")
	e.asErr(t, 400, "ValidationError", "SetDesiredCapacity", "DesiredCapacity", "1")

	// Up: two launches, pending first, then running (StateDelay 0: the
	// next call).
	var resp struct {
		XMLName   xml.Name `xml:"SetDesiredCapacityResponse"`
		RequestID string   `xml:"ResponseMetadata>RequestId"`
	}
	e.asOK(t, &resp, "SetDesiredCapacity", "AutoScalingGroupName", "green", "DesiredCapacity", "5")
	if resp.RequestID == "" {
		t.Errorf("response %+v", resp)
	}
	g := e.group(t, "green")
	if g.Desired != 5 || len(g.Instances) != 5 {
		t.Fatalf("green after scale-up: %+v", g)
	}
	acts := e.activities(t, "AutoScalingGroupName", "green", "MaxRecords", "2")
	for _, a := range acts {
		if a.StatusCode != "Successful" || !strings.HasPrefix(a.Description, "Launching a new EC2 instance: i-") ||
			!strings.Contains(a.Cause, "a user request explicitly set group desired capacity changing the desired capacity from 3 to 5.") {
			t.Errorf("activity %+v", a)
		}
	}
	newID := g.Instances[4].ID
	in := e.instance(t, newID)
	if string(in.State.Name) != "running" || tagValue(in.Tags, "aws:autoscaling:groupName") != "green" ||
		tagValue(in.Tags, "Cluster") != "green" || tagValue(in.Tags, "aws:ec2launchtemplate:version") != "3" || *in.ImageId == "" {
		t.Errorf("new member: %s %v", in.State.Name, in.Tags)
	}

	// Down to 1: the newest go first.
	e.asOK(t, &resp, "SetDesiredCapacity", "AutoScalingGroupName", "green", "DesiredCapacity", "1")
	g = e.group(t, "green")
	var terminating int
	for _, m := range g.Instances {
		if m.Lifecycle == "Terminating" {
			terminating++
		}
	}
	if g.Desired != 1 || len(g.Instances) != 1 || g.Instances[0].ID == newID {
		t.Errorf("green after scale-in: %+v (%d terminating)", g, terminating)
	}
	acts = e.activities(t, "AutoScalingGroupName", "green", "MaxRecords", "1")
	if !strings.HasPrefix(acts[0].Description, "Terminating EC2 instance: i-") || !strings.Contains(acts[0].Cause, "shrinking the capacity from 5 to 1") {
		t.Errorf("scale-in activity: %+v", acts[0])
	}
	if in := e.instance(t, newID); string(in.State.Name) != "terminated" {
		t.Errorf("newest member is %s", in.State.Name)
	}
	msg = e.asErr(t, 400, "ValidationError", "SetDesiredCapacity", "AutoScalingGroupName", "uploader", "DesiredCapacity", "0")
	if !strings.Contains(msg, "not found") {
		t.Errorf("uploader is not in the demo: %s", msg)
	}
}

func TestScalingFailsWithTheRealMessageAndRetries(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s4"})
	clk := useClock(e)
	before := len(e.activities(t, "AutoScalingGroupName", "uploader"))

	// Below min is refused; above in-service launches nothing (the image
	// is missing) and records one failed activity.
	msg := e.asErr(t, 400, "ValidationError", "SetDesiredCapacity", "AutoScalingGroupName", "uploader", "DesiredCapacity", "1")
	if msg != "New SetDesiredCapacity value 1 is below min value 2 for the AutoScalingGroup." {
		t.Errorf("below min: %s", msg)
	}
	var ok struct{}
	e.asOK(t, &ok, "SetDesiredCapacity", "AutoScalingGroupName", "uploader", "DesiredCapacity", "8")
	acts := e.activities(t, "AutoScalingGroupName", "uploader")
	if len(acts) != before+1 || acts[0].StatusCode != "Failed" || !strings.Contains(acts[0].StatusMessage, MissingAMI) ||
		!strings.Contains(acts[0].Cause, "changing the desired capacity from 6 to 8") {
		t.Fatalf("after SetDesiredCapacity: %d activities, latest %+v", len(acts), acts[0])
	}
	if g := e.group(t, "uploader"); len(g.Instances) != 2 {
		t.Errorf("members: %+v", g.Instances)
	}

	// Retries: none before 10 s, one at 10 s, the next 20 s later.
	clk.add(9 * time.Second)
	if n := len(e.activities(t, "AutoScalingGroupName", "uploader")); n != before+1 {
		t.Errorf("retried early: %d", n)
	}
	clk.add(time.Second)
	if n := len(e.activities(t, "AutoScalingGroupName", "uploader")); n != before+2 {
		t.Errorf("no retry at 10 s: %d", n)
	}
	clk.add(19 * time.Second)
	if n := len(e.activities(t, "AutoScalingGroupName", "uploader")); n != before+2 {
		t.Errorf("retried before the backoff: %d", n)
	}
	clk.add(time.Second)
	acts = e.activities(t, "AutoScalingGroupName", "uploader")
	if len(acts) != before+3 || acts[0].StartTime != "2026-11-20T12:00:30.000Z" || acts[0].Cause != "At 2026-11-20T12:00:30Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 8." {
		t.Errorf("retry: %+v", acts[0])
	}

	// Back to version 1 of the template: the launches succeed.
	e.asOK(t, &ok, "UpdateAutoScalingGroup", "AutoScalingGroupName", "uploader", "LaunchTemplate.LaunchTemplateName", "uploader", "LaunchTemplate.Version", "1", "DesiredCapacity", "4")
	g := e.group(t, "uploader")
	if len(g.Instances) != 4 || g.LaunchTemplate.Version != "1" || g.Desired != 4 {
		t.Errorf("after the fix: %+v", g)
	}
	clk.add(time.Hour)
	if n := len(e.activities(t, "AutoScalingGroupName", "uploader")); n != before+5 {
		t.Errorf("retries after success: %d activities, want %d", n, before+5)
	}
}

func TestUpdateAutoScalingGroup(t *testing.T) {
	e := newEnv(t, Options{})
	var ok struct{}
	for _, tc := range []struct {
		kv   []string
		want string
	}{
		{[]string{"MinSize", "5", "MaxSize", "4"}, "Max bound, 4, must be greater than or equal to min bound, 5"},
		{[]string{"DesiredCapacity", "9"}, "Desired capacity:9 must be between the specified min size:0 and max size:6"},
		{[]string{"LaunchTemplate.LaunchTemplateName", "nope"}, "does not exist"},
		{[]string{"LaunchTemplate.LaunchTemplateName", "acme-web", "LaunchTemplate.Version", "9"}, "does not have a version 9"},
		{[]string{"VPCZoneIdentifier", "subnet-09999999999999999"}, "does not exist"},
		{[]string{"HealthCheckType", "PING"}, "not valid"},
	} {
		msg := e.asErr(t, 400, "ValidationError", "UpdateAutoScalingGroup", append([]string{"AutoScalingGroupName", "blue"}, tc.kv...)...)
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%v: %s", tc.kv, msg)
		}
	}
	if g := e.group(t, "blue"); g.Min != 0 || g.Max != 6 || g.Desired != 3 {
		t.Errorf("a refused update changed blue: %+v", g)
	}
	// A new MinSize above desired raises desired, which launches.
	e.asOK(t, &ok, "UpdateAutoScalingGroup", "AutoScalingGroupName", "blue", "MinSize", "4")
	g := e.group(t, "blue")
	if g.Min != 4 || g.Desired != 4 || len(g.Instances) != 4 {
		t.Errorf("MinSize 4: %+v", g)
	}
	acts := e.activities(t, "AutoScalingGroupName", "blue", "MaxRecords", "1")
	if !strings.Contains(acts[0].Cause, "a user request update of AutoScalingGroup constraints to min: 4, max: 6, desired: 4 changing the desired capacity from 3 to 4.") {
		t.Errorf("cause: %s", acts[0].Cause)
	}
	// A new MaxSize below desired lowers it.
	e.asOK(t, &ok, "UpdateAutoScalingGroup", "AutoScalingGroupName", "blue", "MinSize", "0", "MaxSize", "2")
	if g := e.group(t, "blue"); g.Max != 2 || g.Desired != 2 || len(g.Instances) != 2 {
		t.Errorf("MaxSize 2: %+v", g)
	}
}

func TestSuspendAndResumeProcesses(t *testing.T) {
	e := newEnv(t, Options{})
	var ok struct{}
	e.asErr(t, 400, "ValidationError", "SuspendProcesses", "AutoScalingGroupName", "blue", "ScalingProcesses.member.1", "Lunch")
	e.asErr(t, 400, "ValidationError", "SuspendProcesses", "AutoScalingGroupName", "nope")
	e.asOK(t, &ok, "SuspendProcesses", "AutoScalingGroupName", "blue", "ScalingProcesses.member.1", "Launch", "ScalingProcesses.member.2", "Terminate")
	g := e.group(t, "blue")
	if len(g.Suspended) != 2 || g.Suspended[0].Process != "Launch" || g.Suspended[1].Process != "Terminate" ||
		!strings.HasPrefix(g.Suspended[0].Reason, "User suspended at 2026-") {
		t.Errorf("suspended: %+v", g.Suspended)
	}
	// Launch suspended: a higher desired capacity launches nothing.
	e.asOK(t, &ok, "SetDesiredCapacity", "AutoScalingGroupName", "blue", "DesiredCapacity", "5")
	if g := e.group(t, "blue"); len(g.Instances) != 3 || g.Desired != 5 {
		t.Errorf("launched while suspended: %+v", g)
	}
	// Resuming Launch catches up at once; Terminate stays suspended.
	e.asOK(t, &ok, "ResumeProcesses", "AutoScalingGroupName", "blue", "ScalingProcesses.member.1", "Launch")
	g = e.group(t, "blue")
	if len(g.Instances) != 5 || len(g.Suspended) != 1 || g.Suspended[0].Process != "Terminate" {
		t.Errorf("after resume: %d members, %+v", len(g.Instances), g.Suspended)
	}
	e.asOK(t, &ok, "SetDesiredCapacity", "AutoScalingGroupName", "blue", "DesiredCapacity", "0")
	if g := e.group(t, "blue"); len(g.Instances) != 5 {
		t.Errorf("terminated while Terminate is suspended: %d", len(g.Instances))
	}
	// No processes named: all of them.
	e.asOK(t, &ok, "ResumeProcesses", "AutoScalingGroupName", "blue")
	if g := e.group(t, "blue"); len(g.Suspended) != 0 || len(g.Instances) != 0 {
		t.Errorf("after resuming everything: %d members, %+v", len(g.Instances), g.Suspended)
	}
}

func TestAutoScalingThrottlingAndFaults(t *testing.T) {
	e := newEnv(t, Options{})
	// A fault answers in the query dialect: Throttling, HTTP 400.
	remove := e.s.Inject(Fault{Kind: FaultThrottle, Action: "autoscaling:DescribeAutoScalingGroups"})
	if msg := e.asErr(t, 400, "Throttling", "DescribeAutoScalingGroups"); msg != "Rate exceeded" {
		t.Errorf("message %q", msg)
	}
	remove()
	remove = e.s.Inject(Fault{Kind: FaultAccessDenied, Action: "SetDesiredCapacity"})
	if msg := e.asErr(t, 403, "AccessDenied", "SetDesiredCapacity", "AutoScalingGroupName", "blue", "DesiredCapacity", "2"); !strings.Contains(msg, "autoscaling:SetDesiredCapacity") {
		t.Errorf("denied: %s", msg)
	}
	remove()
	e.s.Inject(Fault{Kind: FaultInternalError, Action: "DescribeScalingActivities", Times: 1})
	e.asErr(t, 500, "InternalFailure", "DescribeScalingActivities")
	_ = e.s.Inject(Fault{Kind: FaultPageError, Action: "DescribeScalingActivities", Page: 2})
	var out asActivitiesResponse
	e.asOK(t, &out, "DescribeScalingActivities", "MaxRecords", "1")
	e.asErr(t, 500, "InternalFailure", "DescribeScalingActivities", "MaxRecords", "1", "NextToken", out.NextToken)
	e.s.ClearFaults()

	// The token bucket: Describe calls share one bucket of 40.
	e.s.EnableThrottling(true)
	clk := &clock{t: DemoEpoch}
	e.s.now = clk.now
	throttled := 0
	for i := range 50 {
		action := "DescribeAutoScalingGroups"
		if i%2 == 1 {
			action = "DescribeScalingActivities"
		}
		if status, _ := e.as(t, action); status == 400 {
			throttled++
		}
	}
	if throttled != 10 {
		t.Errorf("%d of 50 describes throttled, want 10 (bucket of 40 shared by both actions)", throttled)
	}
	clk.add(time.Second)
	if status, body := e.as(t, "DescribeAutoScalingGroups"); status != 200 {
		t.Errorf("after a second's refill: %d %s", status, body)
	}
	// EC2 has its own buckets.
	if _, err := e.prod().DescribeSubnets(ctx(t), nil); err != nil {
		t.Errorf("EC2 throttled by Auto Scaling's bucket: %v", err)
	}
}

func TestAutoScalingAuthAndRouting(t *testing.T) {
	e := newEnv(t, Options{})
	resp, body := e.post(t, authHeader("AKIANOBODY0000000000", "us-east-1", "autoscaling"), url.Values{"Action": {"DescribeAutoScalingGroups"}})
	if resp.StatusCode != 403 || !strings.Contains(body, "<Code>InvalidClientTokenId</Code>") || !strings.Contains(body, "<ErrorResponse") {
		t.Errorf("unknown key: %d %s", resp.StatusCode, body)
	}
	if status, body := e.as(t, "LaunchMissiles"); status != 400 || !strings.Contains(body, "<Code>InvalidAction</Code>") {
		t.Errorf("unknown action: %d %s", status, body)
	}
	// Staging has the same groups, its own.
	resp, body = e.post(t, authHeader(StagingAccessKey, "us-east-1", "autoscaling"), url.Values{"Action": {"DescribeAutoScalingGroups"}})
	if resp.StatusCode != 200 || !strings.Contains(body, "arn:aws:autoscaling:us-east-1:222222222222:") {
		t.Errorf("staging: %d %s", resp.StatusCode, body)
	}
	// A region without groups is empty, not an error.
	resp, body = e.post(t, authHeader(ProdAccessKey, "ap-south-1", "autoscaling"), url.Values{"Action": {"DescribeAutoScalingGroups"}})
	if resp.StatusCode != 200 || !strings.Contains(body, "<AutoScalingGroups></AutoScalingGroups>") {
		t.Errorf("empty region: %d %s", resp.StatusCode, body)
	}
	if e.s.Stats()["autoscaling:DescribeAutoScalingGroups"] != 3 {
		t.Errorf("stats %v", e.s.Stats())
	}
}

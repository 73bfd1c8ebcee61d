package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// The ECS tests speak JSON 1.1 over HTTP as the SDK's awsjson11 client does
// and decode the answers with encoding/json into the member names of the
// SDK's schemas (service/ecs/schemas), so a misspelt or mistyped member
// fails here. (The ECS client itself is not a dependency of airlock yet;
// the shapes were also checked against aws-sdk-go-v2/service/ecs v1.105.1
// outside the module.)

const ecsPrefix = "AmazonEC2ContainerServiceV20141113."

// Wire documents as the SDK reads them.
type (
	wireFailure struct {
		Arn    string `json:"arn"`
		Reason string `json:"reason"`
	}
	wireCluster struct {
		ClusterArn          string `json:"clusterArn"`
		ClusterName         string `json:"clusterName"`
		Status              string `json:"status"`
		RegisteredInstances int    `json:"registeredContainerInstancesCount"`
		RunningTasksCount   int    `json:"runningTasksCount"`
		PendingTasksCount   int    `json:"pendingTasksCount"`
		ActiveServicesCount int    `json:"activeServicesCount"`
		Tags                []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		} `json:"tags"`
	}
	wireDeployment struct {
		ID                 string  `json:"id"`
		Status             string  `json:"status"`
		TaskDefinition     string  `json:"taskDefinition"`
		DesiredCount       int     `json:"desiredCount"`
		PendingCount       int     `json:"pendingCount"`
		RunningCount       int     `json:"runningCount"`
		FailedTasks        int     `json:"failedTasks"`
		CreatedAt          float64 `json:"createdAt"`
		UpdatedAt          float64 `json:"updatedAt"`
		LaunchType         string  `json:"launchType"`
		RolloutState       string  `json:"rolloutState"`
		RolloutStateReason string  `json:"rolloutStateReason"`
	}
	wireEvent struct {
		ID        string  `json:"id"`
		CreatedAt float64 `json:"createdAt"`
		Message   string  `json:"message"`
	}
	wireService struct {
		ServiceArn     string           `json:"serviceArn"`
		ServiceName    string           `json:"serviceName"`
		ClusterArn     string           `json:"clusterArn"`
		Status         string           `json:"status"`
		DesiredCount   int              `json:"desiredCount"`
		RunningCount   int              `json:"runningCount"`
		PendingCount   int              `json:"pendingCount"`
		LaunchType     string           `json:"launchType"`
		TaskDefinition string           `json:"taskDefinition"`
		Deployments    []wireDeployment `json:"deployments"`
		Events         []wireEvent      `json:"events"`
		CreatedAt      float64          `json:"createdAt"`
	}
	listOut struct {
		ClusterArns []string `json:"clusterArns"`
		ServiceArns []string `json:"serviceArns"`
		NextToken   string   `json:"nextToken"`
	}
	describeClustersOut struct {
		Clusters []wireCluster `json:"clusters"`
		Failures []wireFailure `json:"failures"`
	}
	describeServicesOut struct {
		Services []wireService `json:"services"`
		Failures []wireFailure `json:"failures"`
	}
	serviceOut struct {
		Service wireService `json:"service"`
	}
)

// ecs sends one ECS call for the prod account in us-east-1 and decodes a
// success into out; it returns the error code ("" on success).
func (e *env) ecs(t *testing.T, action string, in any, out any) (code, msg string) {
	t.Helper()
	body, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	resp, raw := e.postJSON(t, "ecs", ecsPrefix+action, string(body))
	if resp.StatusCode != http.StatusOK {
		return jsonErrorCode(t, resp, raw)
	}
	if ct := resp.Header.Get("Content-Type"); ct != jsonContentType {
		t.Fatalf("%s: content type %q", action, ct)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s: %v in %s", action, err, raw)
		}
	}
	return "", ""
}

// ecsOK is ecs for calls that must succeed.
func (e *env) ecsOK(t *testing.T, action string, in any, out any) {
	t.Helper()
	if code, msg := e.ecs(t, action, in, out); code != "" {
		t.Fatalf("%s: %s: %s", action, code, msg)
	}
}

// ecsErr is ecs for calls that must fail with code.
func (e *env) ecsErr(t *testing.T, code, action string, in any) string {
	t.Helper()
	got, msg := e.ecs(t, action, in, nil)
	if got != code {
		t.Fatalf("%s %v: want %s, got %q (%s)", action, in, code, got, msg)
	}
	return msg
}

func (e *env) describeService(t *testing.T, cluster, name string) describeServicesOut {
	t.Helper()
	var out describeServicesOut
	e.ecsOK(t, "DescribeServices", map[string]any{"cluster": cluster, "services": []string{name}}, &out)
	return out
}

type obj = map[string]any

// ecsPages follows nextToken through every page of a List call that
// starts with in, failing on a page of more than size ARNs; it returns the
// ARNs of all pages in order and how many pages there were.
func (e *env) ecsPages(t *testing.T, action string, in obj, size int) (arns []string, pages int) {
	t.Helper()
	tok := ""
	for {
		req := maps.Clone(in)
		if tok != "" {
			req["nextToken"] = tok
		}
		var out listOut
		e.ecsOK(t, action, req, &out)
		pages++
		page := append(out.ClusterArns, out.ServiceArns...)
		if len(page) > size {
			t.Fatalf("%s: page of %d, at most %d", action, len(page), size)
		}
		arns = append(arns, page...)
		if tok = out.NextToken; tok == "" {
			return arns, pages
		}
	}
}

const prodARN = "arn:aws:ecs:us-east-1:111111111111:"

func TestECSListClusters(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s7"})
	var out listOut
	e.ecsOK(t, "ListClusters", obj{}, &out)
	want := []string{prodARN + "cluster/acme-ecs", prodARN + "cluster/prod-ecs"}
	if !slices.Equal(out.ClusterArns, want) || out.NextToken != "" {
		t.Fatalf("ListClusters = %+v", out)
	}
	// Staging has the same names under its own account.
	var st listOut
	resp, raw := e.postJSONAs(t, StagingAccessKey, "us-east-1", ecsPrefix+"ListClusters", `{}`)
	if resp.StatusCode != 200 || json.Unmarshal(raw, &st) != nil || len(st.ClusterArns) != 2 ||
		!strings.HasPrefix(st.ClusterArns[0], "arn:aws:ecs:us-east-1:222222222222:cluster/") {
		t.Fatalf("staging: %d %s", resp.StatusCode, raw)
	}
	// eu-west-1 has no ECS: an empty list, not null.
	resp, raw = e.postJSONAs(t, ProdAccessKey, "eu-west-1", ecsPrefix+"ListClusters", `{}`)
	if resp.StatusCode != 200 || string(raw) != `{"clusterArns":[]}` {
		t.Fatalf("eu-west-1: %d %s", resp.StatusCode, raw)
	}

	for _, bad := range []int{0, 101, -1} {
		e.ecsErr(t, "InvalidParameterException", "ListClusters", obj{"maxResults": bad})
	}
	e.ecsErr(t, "InvalidParameterException", "ListClusters", obj{"nextToken": "garbage"})
	e.ecsErr(t, "SerializationException", "ListClusters", obj{"maxResults": "ten"})
}

func TestECSListClustersPages(t *testing.T) {
	e := newEnv(t, Options{Services: 2000})
	all, pages := e.ecsPages(t, "ListClusters", obj{"maxResults": 7}, 7)
	if len(all) != 20 || pages != 3 || all[0] != prodARN+"cluster/ecs-000" || all[19] != prodARN+"cluster/ecs-019" {
		t.Fatalf("%d pages, clusters %v", pages, all)
	}
	// The default page is 100: one call.
	var out listOut
	e.ecsOK(t, "ListClusters", obj{}, &out)
	if len(out.ClusterArns) != 20 || out.NextToken != "" {
		t.Fatalf("default page: %d, token %q", len(out.ClusterArns), out.NextToken)
	}
	// A ListServices token is not a ListClusters token.
	var svcs listOut
	e.ecsOK(t, "ListServices", obj{"cluster": "ecs-000"}, &svcs)
	e.ecsErr(t, "InvalidParameterException", "ListClusters", obj{"nextToken": svcs.NextToken})
}

func TestECSDescribeClusters(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s7"})
	var out describeClustersOut
	e.ecsOK(t, "DescribeClusters", obj{"clusters": []string{"acme-ecs", prodARN + "cluster/prod-ecs", "ghost", prodARN + "cluster/gone"}, "include": []string{"TAGS"}}, &out)
	if len(out.Clusters) != 2 {
		t.Fatalf("clusters %+v", out.Clusters)
	}
	acme, prod := out.Clusters[0], out.Clusters[1]
	if acme.ClusterName != "acme-ecs" || acme.ClusterArn != prodARN+"cluster/acme-ecs" || acme.Status != "ACTIVE" ||
		acme.RegisteredInstances != 3 || acme.ActiveServicesCount != 2 || acme.RunningTasksCount != 5 || acme.PendingTasksCount != 1 {
		t.Errorf("acme-ecs %+v", acme)
	}
	if len(acme.Tags) != 1 || acme.Tags[0].Key != "team" || acme.Tags[0].Value != "web" {
		t.Errorf("acme-ecs tags %+v", acme.Tags)
	}
	// deployer-api 4 + payments 2 + ledger-sync 2 (old deployment) + scheduler 0.
	if prod.ClusterName != "prod-ecs" || prod.ActiveServicesCount != 4 || prod.RunningTasksCount != 8 || prod.RegisteredInstances != 0 {
		t.Errorf("prod-ecs %+v", prod)
	}
	wantFail := []wireFailure{{prodARN + "cluster/ghost", "MISSING"}, {prodARN + "cluster/gone", "MISSING"}}
	if !slices.Equal(out.Failures, wantFail) {
		t.Errorf("failures %+v", out.Failures)
	}

	// No clusters: the default cluster, which does not exist here.
	out = describeClustersOut{}
	e.ecsOK(t, "DescribeClusters", obj{}, &out)
	if len(out.Clusters) != 0 || len(out.Failures) != 1 || out.Failures[0].Arn != prodARN+"cluster/default" {
		t.Errorf("default: %+v", out)
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprint("c", i)
	}
	e.ecsErr(t, "InvalidParameterException", "DescribeClusters", obj{"clusters": many})
	e.ecsOK(t, "DescribeClusters", obj{"clusters": many[:100]}, &out)
	if len(out.Failures) != 100 {
		t.Errorf("100 missing clusters: %d failures", len(out.Failures))
	}
}

func TestECSListServices(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s7"})
	var out listOut
	e.ecsOK(t, "ListServices", obj{"cluster": "prod-ecs"}, &out)
	want := []string{prodARN + "service/prod-ecs/deployer-api", prodARN + "service/prod-ecs/ledger-sync",
		prodARN + "service/prod-ecs/payments", prodARN + "service/prod-ecs/scheduler"}
	if !slices.Equal(out.ServiceArns, want) || out.NextToken != "" {
		t.Fatalf("ListServices = %+v", out)
	}
	// By ARN, and filtered by launch type.
	out = listOut{}
	e.ecsOK(t, "ListServices", obj{"cluster": prodARN + "cluster/acme-ecs", "launchType": "EC2"}, &out)
	if !slices.Equal(out.ServiceArns, []string{prodARN + "service/acme-ecs/worker"}) {
		t.Fatalf("EC2 services %v", out.ServiceArns)
	}
	e.ecsErr(t, "ClusterNotFoundException", "ListServices", obj{"cluster": "ghost"})
	// No cluster means "default", which does not exist here.
	if msg := e.ecsErr(t, "ClusterNotFoundException", "ListServices", obj{}); msg != "Cluster not found." {
		t.Errorf("message %q", msg)
	}
	for _, bad := range []int{0, 101} {
		e.ecsErr(t, "InvalidParameterException", "ListServices", obj{"cluster": "prod-ecs", "maxResults": bad})
	}
}

func TestECSListServicesPages(t *testing.T) {
	e := newEnv(t, Options{Services: 2000})
	// 100 per cluster: one page of 100 with the maximum, ten of 10 by default.
	var out listOut
	e.ecsOK(t, "ListServices", obj{"cluster": "ecs-007", "maxResults": 100}, &out)
	if len(out.ServiceArns) != 100 || out.NextToken != "" || out.ServiceArns[0] != prodARN+"service/ecs-007/svc-00700" {
		t.Fatalf("max page: %d, token %q, first %q", len(out.ServiceArns), out.NextToken, out.ServiceArns[0])
	}
	seen, pages := e.ecsPages(t, "ListServices", obj{"cluster": "ecs-007"}, 10)
	// Scaled-to-zero services are still ACTIVE and listed.
	if pages < 10 || pages > 11 || !slices.Equal(seen, out.ServiceArns) {
		t.Fatalf("%d default pages, %d services", pages, len(seen))
	}
	// A token is bound to its action and the page it was issued for; it
	// cannot be replayed against ListClusters.
	e.ecsErr(t, "InvalidParameterException", "ListServices", obj{"cluster": "ecs-007", "nextToken": "sim1"})

	var cls describeClustersOut
	e.ecsOK(t, "DescribeClusters", obj{"clusters": []string{"ecs-000", "ecs-002", "ecs-019"}}, &cls)
	if len(cls.Clusters) != 3 || cls.Clusters[0].ActiveServicesCount != 100 || cls.Clusters[1].RegisteredInstances != 10 {
		t.Fatalf("generated clusters %+v", cls.Clusters)
	}
}

func TestECSDescribeServicesShape(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s7"})
	var out describeServicesOut
	e.ecsOK(t, "DescribeServices", obj{"cluster": "prod-ecs", "services": []string{
		"deployer-api", prodARN + "service/prod-ecs/ledger-sync", "ghost",
		prodARN + "service/acme-ecs/frontend",                          // another cluster's service
		"arn:aws:ecs:us-east-1:222222222222:service/prod-ecs/payments", // another account's
	}}, &out)
	if len(out.Services) != 2 {
		t.Fatalf("services %+v", out.Services)
	}
	d := out.Services[0]
	if d.ServiceName != "deployer-api" || d.ServiceArn != prodARN+"service/prod-ecs/deployer-api" ||
		d.ClusterArn != prodARN+"cluster/prod-ecs" || d.Status != "ACTIVE" || d.DesiredCount != 4 ||
		d.RunningCount != 4 || d.PendingCount != 0 || d.LaunchType != "FARGATE" ||
		d.TaskDefinition != prodARN+"task-definition/deployer-api:42" {
		t.Errorf("deployer-api %+v", d)
	}
	if len(d.Deployments) != 1 || d.Deployments[0].Status != "PRIMARY" || d.Deployments[0].RolloutState != "COMPLETED" ||
		d.Deployments[0].RunningCount != 4 || !strings.HasPrefix(d.Deployments[0].ID, "ecs-svc/") || len(d.Deployments[0].ID) != len("ecs-svc/")+19 {
		t.Errorf("deployer-api deployments %+v", d.Deployments)
	}
	if d.CreatedAt != float64(DemoEpoch.Add(-90*24*time.Hour).Unix()) {
		t.Errorf("createdAt %v", d.CreatedAt)
	}
	checkEvents(t, d)
	if d.Events[0].Message != "(service deployer-api) has reached a steady state." {
		t.Errorf("latest event %q", d.Events[0].Message)
	}

	ls := out.Services[1]
	if ls.ServiceName != "ledger-sync" || ls.DesiredCount != 2 || ls.RunningCount != 2 || len(ls.Deployments) != 2 {
		t.Fatalf("ledger-sync %+v", ls)
	}
	p, old := ls.Deployments[0], ls.Deployments[1]
	if p.Status != "PRIMARY" || p.RolloutState != "FAILED" || p.FailedTasks != 6 || p.RunningCount != 0 ||
		p.TaskDefinition != prodARN+"task-definition/ledger-sync:9" || !strings.Contains(p.RolloutStateReason, "circuit breaker") {
		t.Errorf("failed deployment %+v", p)
	}
	if old.Status != "ACTIVE" || old.RunningCount != 2 || old.TaskDefinition != prodARN+"task-definition/ledger-sync:8" {
		t.Errorf("old deployment %+v", old)
	}
	if !strings.Contains(ls.Events[0].Message, "deployment failed: tasks failed to start.") {
		t.Errorf("latest ledger-sync event %q", ls.Events[0].Message)
	}
	checkEvents(t, ls)

	want := []wireFailure{
		{prodARN + "service/prod-ecs/ghost", "MISSING"},
		{prodARN + "service/acme-ecs/frontend", "MISSING"},
		{"arn:aws:ecs:us-east-1:222222222222:service/prod-ecs/payments", "MISSING"},
	}
	if !slices.Equal(out.Failures, want) {
		t.Errorf("failures %+v", out.Failures)
	}

	// The demo's rolling deployment.
	w := e.describeService(t, "acme-ecs", "worker").Services[0]
	if w.LaunchType != "EC2" || w.DesiredCount != 3 || w.RunningCount != 3 || w.PendingCount != 1 ||
		len(w.Deployments) != 2 || w.Deployments[0].RolloutState != "IN_PROGRESS" || w.Deployments[0].PendingCount != 1 {
		t.Errorf("worker %+v", w)
	}
}

// checkEvents: every event has an ID, a time and a message, newest first.
func checkEvents(t *testing.T, s wireService) {
	t.Helper()
	if len(s.Events) == 0 {
		t.Fatalf("%s: no events", s.ServiceName)
	}
	for i, ev := range s.Events {
		if ev.ID == "" || ev.CreatedAt == 0 || ev.Message == "" {
			t.Errorf("%s event %d: %+v", s.ServiceName, i, ev)
		}
		if i > 0 && ev.CreatedAt > s.Events[i-1].CreatedAt {
			t.Errorf("%s: event %d (%v) newer than event %d (%v)", s.ServiceName, i, ev.CreatedAt, i-1, s.Events[i-1].CreatedAt)
		}
	}
}

func TestECSDescribeServicesLimits(t *testing.T) {
	e := newEnv(t, Options{Services: 2000})
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = fmt.Sprintf("svc-%05d", i)
	}
	var out describeServicesOut
	e.ecsOK(t, "DescribeServices", obj{"cluster": "ecs-000", "services": ten}, &out)
	if len(out.Services) != 10 || len(out.Failures) != 0 {
		t.Fatalf("10 services: %d, %d failures", len(out.Services), len(out.Failures))
	}
	if msg := e.ecsErr(t, "InvalidParameterException", "DescribeServices", obj{"cluster": "ecs-000", "services": append(ten, "svc-00010")}); !strings.Contains(msg, "10") {
		t.Errorf("message %q", msg)
	}
	e.ecsErr(t, "InvalidParameterException", "DescribeServices", obj{"cluster": "ecs-000", "services": []string{}})
	e.ecsErr(t, "ClusterNotFoundException", "DescribeServices", obj{"cluster": "ecs-999", "services": ten})
}

func TestECSUpdateService(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s7", StateDelay: time.Minute})
	clk := useClock(e)

	// Scale deployer-api from 4 to 6: 2 pending until StateDelay passes.
	var out serviceOut
	e.ecsOK(t, "UpdateService", obj{"cluster": "prod-ecs", "service": "deployer-api", "desiredCount": 6}, &out)
	if s := out.Service; s.DesiredCount != 6 || s.RunningCount != 4 || s.PendingCount != 2 || s.Deployments[0].DesiredCount != 6 {
		t.Fatalf("after scale-up %+v", s)
	}
	s := e.describeService(t, "prod-ecs", "deployer-api").Services[0]
	if s.RunningCount != 4 || s.PendingCount != 2 {
		t.Fatalf("before StateDelay %+v", s)
	}
	clk.add(time.Minute)
	s = e.describeService(t, "prod-ecs", "deployer-api").Services[0]
	if s.RunningCount != 6 || s.PendingCount != 0 || len(s.Deployments) != 1 {
		t.Fatalf("settled %+v", s)
	}
	if !strings.HasPrefix(s.Events[1].Message, "(service deployer-api) has started 2 tasks: (task ") ||
		s.Events[0].Message != "(service deployer-api) has reached a steady state." {
		t.Errorf("events after scale-up: %q, %q", s.Events[0].Message, s.Events[1].Message)
	}
	checkEvents(t, s)

	// Scale to zero: the tasks stop.
	e.ecsOK(t, "UpdateService", obj{"cluster": "prod-ecs", "service": prodARN + "service/prod-ecs/deployer-api", "desiredCount": 0}, &out)
	clk.add(time.Minute)
	s = e.describeService(t, "prod-ecs", "deployer-api").Services[0]
	if s.DesiredCount != 0 || s.RunningCount != 0 || !strings.HasPrefix(s.Events[1].Message, "(service deployer-api) has stopped 6 running tasks") {
		t.Fatalf("scaled to zero %+v", s)
	}

	// A forced new deployment of payments: IN_PROGRESS beside the old one,
	// then COMPLETED alone.
	e.ecsOK(t, "UpdateService", obj{"cluster": "prod-ecs", "service": "payments", "forceNewDeployment": true}, &out)
	d := out.Service.Deployments
	if len(d) != 2 || d[0].Status != "PRIMARY" || d[0].RolloutState != "IN_PROGRESS" || d[0].PendingCount != 2 ||
		d[1].Status != "ACTIVE" || d[1].RunningCount != 2 || out.Service.RunningCount != 2 || out.Service.PendingCount != 2 {
		t.Fatalf("forced deployment %+v", out.Service)
	}
	newID := d[0].ID
	clk.add(time.Minute)
	s = e.describeService(t, "prod-ecs", "payments").Services[0]
	if len(s.Deployments) != 1 || s.Deployments[0].ID != newID || s.Deployments[0].RolloutState != "COMPLETED" || s.RunningCount != 2 {
		t.Fatalf("forced deployment settled %+v", s)
	}
	msgs := []string{s.Events[0].Message, s.Events[1].Message, s.Events[2].Message, s.Events[3].Message}
	if msgs[0] != "(service payments) has reached a steady state." ||
		msgs[1] != "(service payments) (deployment "+newID+") deployment completed." ||
		!strings.HasPrefix(msgs[2], "(service payments) has stopped 2 running tasks") ||
		!strings.HasPrefix(msgs[3], "(service payments) has started 2 tasks") {
		t.Errorf("deployment events %q", msgs)
	}

	// A new task definition is a deployment too.
	e.ecsOK(t, "UpdateService", obj{"cluster": "prod-ecs", "service": "payments", "taskDefinition": "payments:118"}, &out)
	if out.Service.TaskDefinition != prodARN+"task-definition/payments:118" || out.Service.Deployments[0].RolloutState != "IN_PROGRESS" {
		t.Errorf("new task definition %+v", out.Service)
	}

	e.ecsErr(t, "ClusterNotFoundException", "UpdateService", obj{"cluster": "ghost", "service": "payments"})
	if msg := e.ecsErr(t, "ServiceNotFoundException", "UpdateService", obj{"cluster": "prod-ecs", "service": "ghost"}); msg != "Service not found." {
		t.Errorf("message %q", msg)
	}
	e.ecsErr(t, "InvalidParameterException", "UpdateService", obj{"cluster": "prod-ecs", "service": "payments", "desiredCount": -1})
	e.ecsErr(t, "InvalidParameterException", "UpdateService", obj{"cluster": "prod-ecs"})
	e.ecsErr(t, "InvalidParameterException", "UpdateService", obj{"cluster": "prod-ecs", "service": "payments", "taskDefinition": "payments"})
}

func TestECSDeleteService(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s7"})
	// AWS's rule: not while scaled above 0, unless forced.
	msg := e.ecsErr(t, "InvalidParameterException", "DeleteService", obj{"cluster": "prod-ecs", "service": "deployer-api"})
	if msg != "The service cannot be stopped while it is scaled above 0." {
		t.Errorf("message %q", msg)
	}
	if s := e.describeService(t, "prod-ecs", "deployer-api").Services[0]; s.Status != "ACTIVE" || s.RunningCount != 4 {
		t.Fatalf("refused delete changed the service: %+v", s)
	}

	// scheduler is at 0: deletable without force. Each step is seen by one
	// call with a zero StateDelay: DRAINING, INACTIVE, then missing.
	var out serviceOut
	e.ecsOK(t, "DeleteService", obj{"cluster": "prod-ecs", "service": "scheduler"}, &out)
	if out.Service.Status != "DRAINING" {
		t.Fatalf("deleted: %+v", out.Service)
	}
	if s := e.describeService(t, "prod-ecs", "scheduler"); len(s.Services) != 1 || s.Services[0].Status != "INACTIVE" {
		t.Fatalf("after one call: %+v", s)
	}
	if s := e.describeService(t, "prod-ecs", "scheduler"); len(s.Services) != 0 ||
		!slices.Equal(s.Failures, []wireFailure{{prodARN + "service/prod-ecs/scheduler", "MISSING"}}) {
		t.Fatalf("after two calls: %+v", s)
	}
	var list listOut
	e.ecsOK(t, "ListServices", obj{"cluster": "prod-ecs"}, &list)
	if slices.Contains(list.ServiceArns, prodARN+"service/prod-ecs/scheduler") {
		t.Errorf("a deleted service is listed: %v", list.ServiceArns)
	}
	e.ecsErr(t, "ServiceNotFoundException", "DeleteService", obj{"cluster": "prod-ecs", "service": "scheduler"})

	// Forced: deleted with tasks running; deleting again is refused.
	e.ecsOK(t, "DeleteService", obj{"cluster": "prod-ecs", "service": "payments", "force": true}, &out)
	if out.Service.Status != "DRAINING" || out.Service.DesiredCount != 0 || out.Service.RunningCount != 2 {
		t.Fatalf("forced delete: %+v", out.Service)
	}
	// (This call drains it to INACTIVE first, the next purges it.)
	e.ecsErr(t, "ServiceNotActiveException", "DeleteService", obj{"cluster": "prod-ecs", "service": "payments", "force": true})
	e.ecsErr(t, "ServiceNotFoundException", "UpdateService", obj{"cluster": "prod-ecs", "service": "payments"})
	e.ecsErr(t, "ClusterNotFoundException", "DeleteService", obj{"cluster": "ghost", "service": "payments"})
}

func TestECSDeleteServiceStateDelay(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s7", StateDelay: 10 * time.Second})
	clk := useClock(e)
	e.ecsOK(t, "DeleteService", obj{"cluster": "prod-ecs", "service": "deployer-api", "force": true}, nil)
	for _, step := range []struct {
		wait   time.Duration
		status string
	}{{0, "DRAINING"}, {9 * time.Second, "DRAINING"}, {time.Second, "INACTIVE"}, {9 * time.Second, "INACTIVE"}, {time.Second, ""}} {
		clk.add(step.wait)
		out := e.describeService(t, "prod-ecs", "deployer-api")
		got := ""
		if len(out.Services) == 1 {
			got = out.Services[0].Status
		}
		if got != step.status {
			t.Fatalf("after %s more: status %q, want %q (%+v)", step.wait, got, step.status, out)
		}
		if got == "" {
			continue
		}
		s := out.Services[0]
		switch {
		case s.DesiredCount != 0:
			t.Errorf("%s with desired %d", got, s.DesiredCount)
		case got == "DRAINING" && s.RunningCount != 4:
			t.Errorf("DRAINING with %d running, want the 4 tasks still stopping", s.RunningCount)
		case got == "INACTIVE" && (s.RunningCount != 0 || !strings.HasPrefix(s.Events[0].Message, "(service deployer-api) has stopped 4 running tasks")):
			t.Errorf("INACTIVE: %d running, latest event %q", s.RunningCount, s.Events[0].Message)
		}
	}
}

func TestECSThrottling(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s7"})
	clk := useClock(e)
	e.s.EnableThrottling(true)
	// The shared read bucket holds 40: ListClusters, ListServices and
	// DescribeServices all draw from it.
	for i := range 40 {
		switch i % 3 {
		case 0:
			e.ecsOK(t, "ListClusters", obj{}, nil)
		case 1:
			e.ecsOK(t, "ListServices", obj{"cluster": "prod-ecs"}, nil)
		default:
			e.describeService(t, "prod-ecs", "payments")
		}
	}
	resp, raw := e.postJSON(t, "ecs", ecsPrefix+"DescribeServices", `{"cluster":"prod-ecs","services":["payments"]}`)
	if code, msg := jsonErrorCode(t, resp, raw); resp.StatusCode != 400 || code != "ThrottlingException" || msg != "Rate exceeded" {
		t.Fatalf("41st read: %d %s", resp.StatusCode, raw)
	}
	// Mutating calls have their own bucket; reads refill 20 per second.
	e.ecsOK(t, "UpdateService", obj{"cluster": "prod-ecs", "service": "payments", "desiredCount": 3}, nil)
	clk.add(time.Second)
	for range 20 {
		e.ecsOK(t, "ListClusters", obj{}, nil)
	}
	e.ecsErr(t, "ThrottlingException", "ListClusters", obj{})

	// An injected throttle answers the same way.
	e.s.EnableThrottling(false)
	e.s.Inject(Fault{Kind: FaultThrottle, Action: "ecs:ListServices", Times: 1})
	e.ecsErr(t, "ThrottlingException", "ListServices", obj{"cluster": "prod-ecs"})
	e.ecsOK(t, "ListServices", obj{"cluster": "prod-ecs"}, nil)
}

func TestECSHostileCarriesESC(t *testing.T) {
	e := newEnv(t, Options{Scenario: "hostile"})
	resp, raw := e.postJSON(t, "ecs", ecsPrefix+"DescribeServices",
		mustJSON(t, obj{"cluster": HostileESCCSI, "services": []string{HostileESCOSC8}}))
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, raw)
	}
	// On the wire ESC is \u001b, which JSON allows; decoded it is ESC.
	if !strings.Contains(string(raw), `\u001b`) || strings.Contains(string(raw), "\x1b") {
		t.Errorf("ESC not escaped as JSON does: %q", raw)
	}
	var out describeServicesOut
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	s := out.Services[0]
	if s.ServiceName != HostileESCOSC8 || s.ClusterArn != prodARN+"cluster/"+HostileESCCSI {
		t.Errorf("names: %q %q", s.ServiceName, s.ClusterArn)
	}
	var msgs []string
	for _, ev := range s.Events {
		msgs = append(msgs, ev.Message)
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{HostileESCOSC52, HostileCROverwrite, HostileCSI, HostileRLO} {
		if !strings.Contains(joined, want) {
			t.Errorf("events lack %q: %q", want, msgs)
		}
	}
	fe := e.describeService(t, "acme-ecs", "frontend").Services[0]
	if fe.Events[0].Message != "(service frontend) "+HostileCROverwrite {
		t.Errorf("frontend's latest event %q", fe.Events[0].Message)
	}
}

func TestECSDeleteControl(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s7"})
	post := func(q string) (int, map[string]any) {
		t.Helper()
		return e.controlSend(t, http.MethodPost, "/_sim/ecs/delete-service?"+q, "", "")
	}
	q := url.Values{"cluster": {S7ClusterName}, "service": {S7ServiceName}}.Encode()
	status, body := post(q)
	svc, _ := body["service"].(map[string]any)
	if status != 200 || svc["status"] != "DRAINING" || svc["runningBefore"] != 4.0 || svc["desired"] != 0.0 {
		t.Fatalf("delete: %d %v", status, body)
	}
	// The console's delete is forced: the service was at 4 and is gone
	// from the list at once, and described DRAINING, INACTIVE, then missing.
	var list listOut
	e.ecsOK(t, "ListServices", obj{"cluster": S7ClusterName}, &list)
	if len(list.ServiceArns) != 3 || slices.Contains(list.ServiceArns, prodARN+"service/prod-ecs/deployer-api") {
		t.Errorf("listed after delete: %v", list.ServiceArns)
	}
	if s := e.describeService(t, S7ClusterName, S7ServiceName); len(s.Services) != 1 || s.Services[0].Status != "INACTIVE" || s.Services[0].RunningCount != 0 {
		t.Errorf("second call: %+v", s)
	}
	if s := e.describeService(t, S7ClusterName, S7ServiceName); len(s.Failures) != 1 || s.Failures[0].Reason != "MISSING" {
		t.Errorf("third call: %+v", s)
	}
	// Staging's deployer-api is untouched.
	resp, raw := e.postJSONAs(t, StagingAccessKey, "us-east-1", ecsPrefix+"DescribeServices", `{"cluster":"prod-ecs","services":["deployer-api"]}`)
	var st describeServicesOut
	if resp.StatusCode != 200 || json.Unmarshal(raw, &st) != nil || len(st.Services) != 1 || st.Services[0].Status != "ACTIVE" {
		t.Errorf("staging: %s", raw)
	}

	if status, body := post(url.Values{"cluster": {"prod-ecs"}, "service": {"payments"}, "account": {StagingAccountID}}.Encode()); status != 200 {
		t.Errorf("staging delete: %d %v", status, body)
	}
	if status, _ := post(url.Values{"cluster": {"prod-ecs"}, "service": {"payments"}, "account": {StagingAccountID}}.Encode()); status != 409 {
		t.Errorf("second delete of a draining service: %d", status)
	}
	for _, tc := range []struct {
		q    url.Values
		want int
	}{
		{url.Values{"cluster": {"ghost"}, "service": {"payments"}}, 404},
		{url.Values{"cluster": {"prod-ecs"}, "service": {"ghost"}}, 404},
		{url.Values{"cluster": {"prod-ecs"}, "service": {"payments"}, "region": {"eu-west-1"}}, 404},
		{url.Values{"cluster": {"prod-ecs"}}, 400},
	} {
		if status, body := post(tc.q.Encode()); status != tc.want || body["error"] == "" {
			t.Errorf("%v: %d %v", tc.q, status, body)
		}
	}
	resp, err := http.Get(e.url + "/_sim/ecs/delete-service")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", resp.StatusCode)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// postJSONAs is postJSON for ECS with another access key or region.
func (e *env) postJSONAs(t *testing.T, key, region, target, body string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.url+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", jsonContentType)
	req.Header.Set("X-Amz-Target", target)
	req.Header.Set("Authorization", authHeader(key, region, "ecs"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, raw
}

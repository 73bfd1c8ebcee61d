package sim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ECS (JSON 1.1, X-Amz-Target AmazonEC2ContainerServiceV20141113.Action):
// clusters and their services, the reads airlock's refresh makes and the
// two actions it executes (UpdateService, DeleteService).
//
// Shapes are the ECS API reference's and the SDK's (service/ecs/types:
// Cluster, Service, Deployment, ServiceEvent, Failure); timestamps are
// epoch seconds as JSON numbers, as every JSON 1.1 service sends them.
// Error codes and messages are ECS's: ClusterNotFoundException "Cluster not
// found.", ServiceNotFoundException "Service not found.",
// ServiceNotActiveException "Service was not ACTIVE.", and
// InvalidParameterException "The service cannot be stopped while it is
// scaled above 0." for DeleteService without force (wordings as AWS
// returns them, quoted in many clients' error handling, e.g. moto's ECS
// backend and terraform-provider-aws). Validation wordings the sim could
// not confirm are marked as the sim's own.

// ECS service and cluster statuses.
const (
	ECSActive   = "ACTIVE"
	ECSDraining = "DRAINING"
	ECSInactive = "INACTIVE"
)

// Deployment statuses and rollout states.
const (
	DeploymentPrimary  = "PRIMARY"
	DeploymentActive   = "ACTIVE"
	DeploymentInactive = "INACTIVE"

	RolloutInProgress = "IN_PROGRESS"
	RolloutCompleted  = "COMPLETED"
	RolloutFailed     = "FAILED"
)

// ECSCluster is one ECS cluster, keyed by name in Region.ECSClusters.
type ECSCluster struct {
	Name   string
	Status string // ECSActive or ECSInactive
	// Services by name. A deleted service stays here, DRAINING then
	// INACTIVE, until it is purged.
	Services map[string]*ECSService
	// ContainerInstances is registeredContainerInstancesCount (0 for a
	// Fargate-only cluster).
	ContainerInstances int
	Tags               map[string]string
}

// ECSService is one ECS service. Running and Pending are the sums over its
// deployments; the helpers that change a service keep them so, a test that
// sets fields directly must too.
type ECSService struct {
	Name       string
	Status     string // ECSActive, ECSDraining, ECSInactive
	Desired    int
	Running    int
	Pending    int
	LaunchType string // FARGATE or EC2
	// TaskDefinition is "family:revision"; the wire shows its ARN.
	TaskDefinition string
	CreatedAt      time.Time
	CreatedBy      string // an IAM ARN, "" for none
	// Deployments, PRIMARY first; Events, newest first (AWS keeps the
	// latest 100).
	Deployments []*ECSDeployment
	Events      []ECSEvent
	Tags        map[string]string
}

// ECSDeployment is one deployment of a service.
type ECSDeployment struct {
	ID             string // ecs-svc/NNNNNNNNNNNNNNNNNNN
	Status         string // DeploymentPrimary, DeploymentActive, DeploymentInactive
	TaskDefinition string // family:revision
	Desired        int
	Running        int
	Pending        int
	Failed         int
	RolloutState   string // RolloutInProgress, RolloutCompleted, RolloutFailed
	RolloutReason  string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// ECSEvent is one entry of a service's event log.
type ECSEvent struct {
	ID        string
	CreatedAt time.Time
	Message   string
}

// maxServiceEvents is how many events DescribeServices returns: "the
// latest 100 events" (ECS developer guide, service event messages).
const maxServiceEvents = 100

// AddECSCluster creates an empty ACTIVE cluster (or returns the existing
// one of that name).
func (r *Region) AddECSCluster(name string) *ECSCluster {
	if cl, ok := r.ECSClusters[name]; ok {
		return cl
	}
	cl := &ECSCluster{Name: name, Status: ECSActive, Services: map[string]*ECSService{}}
	r.ECSClusters[name] = cl
	r.touch()
	return cl
}

// AddECSService creates an ACTIVE service in steady state: desired tasks
// all running from one COMPLETED deployment of taskDef created at created,
// with the events such a service has (its tasks started, the deployment
// completed, a steady state reached), the last one an hour before now.
func (r *Region) AddECSService(cl *ECSCluster, name, launchType, taskDef string, desired int, created, now time.Time) *ECSService {
	svc := &ECSService{
		Name: name, Status: ECSActive, Desired: desired, Running: desired,
		LaunchType: launchType, TaskDefinition: taskDef, CreatedAt: created,
		CreatedBy: "arn:aws:iam::" + r.AccountID + ":role/deploy",
	}
	d := &ECSDeployment{
		ID: r.newDeploymentID(), Status: DeploymentPrimary, TaskDefinition: taskDef,
		Desired: desired, Running: desired, RolloutState: RolloutCompleted,
		CreatedAt: created, UpdatedAt: created.Add(3 * time.Minute),
	}
	d.RolloutReason = "ECS deployment " + d.ID + " completed."
	svc.Deployments = []*ECSDeployment{d}
	if desired > 0 {
		r.addServiceEvent(svc, created.Add(time.Minute), r.startedTasks(svc, desired))
	}
	r.addServiceEvent(svc, d.UpdatedAt, "(service "+name+") (deployment "+d.ID+") deployment completed.")
	steady := now.Add(-time.Hour)
	if steady.Before(d.UpdatedAt) {
		steady = d.UpdatedAt
	}
	r.addServiceEvent(svc, steady, "(service "+name+") has reached a steady state.")
	cl.Services[name] = svc
	r.touch()
	return svc
}

// StartDeployment begins a rolling deployment of taskDef at time at: a new
// PRIMARY IN_PROGRESS deployment with running of the service's desired
// tasks up and pending starting, the previous primary ACTIVE with the rest.
func (r *Region) StartDeployment(svc *ECSService, taskDef string, running, pending int, at time.Time) *ECSDeployment {
	d := &ECSDeployment{
		ID: r.newDeploymentID(), Status: DeploymentPrimary, TaskDefinition: taskDef,
		Desired: svc.Desired, Running: running, Pending: pending, RolloutState: RolloutInProgress,
		CreatedAt: at, UpdatedAt: at,
	}
	d.RolloutReason = "ECS deployment " + d.ID + " in progress."
	for _, old := range svc.Deployments {
		if old.Status == DeploymentPrimary {
			old.Status = DeploymentActive
			old.Desired = max(0, svc.Desired-running)
			old.Running = min(old.Running, old.Desired)
		}
	}
	svc.Deployments = append([]*ECSDeployment{d}, svc.Deployments...)
	svc.TaskDefinition = taskDef
	r.recount(svc)
	if running > 0 {
		r.addServiceEvent(svc, at.Add(time.Minute), r.startedTasks(svc, running))
	}
	r.touch()
	return d
}

// FailDeployment marks the primary deployment FAILED as the deployment
// circuit breaker does: failed tasks counted, none running, the reason and
// the event ECS writes.
func (r *Region) FailDeployment(svc *ECSService, failed int, at time.Time) {
	d := svc.Deployments[0]
	d.RolloutState, d.Failed, d.Running, d.Pending, d.UpdatedAt = RolloutFailed, failed, 0, 0, at
	d.RolloutReason = "ECS deployment circuit breaker: tasks failed to start."
	r.recount(svc)
	r.addServiceEvent(svc, at, "(service "+svc.Name+") (deployment "+d.ID+") deployment failed: tasks failed to start.")
	r.touch()
}

// recount sets the service's running and pending counts from its
// deployments.
func (r *Region) recount(svc *ECSService) {
	svc.Running, svc.Pending = 0, 0
	for _, d := range svc.Deployments {
		svc.Running += d.Running
		svc.Pending += d.Pending
	}
}

// addServiceEvent puts an event at the head of the service's log.
func (r *Region) addServiceEvent(svc *ECSService, at time.Time, msg string) {
	r.serial["ecs-event"]++
	ev := ECSEvent{ID: fmt.Sprintf("%08x-5eed-4e0c-8000-%012x", r.prefixNum(), r.serial["ecs-event"]), CreatedAt: at, Message: msg}
	svc.Events = append([]ECSEvent{ev}, svc.Events...)
	if len(svc.Events) > maxServiceEvents {
		svc.Events = svc.Events[:maxServiceEvents]
	}
}

// startedTasks is ECS's event for tasks started: "(service x) has started
// 2 tasks: (task 1f2e…) (task 3a4b…)." with 32-hex-digit task IDs.
func (r *Region) startedTasks(svc *ECSService, n int) string {
	return fmt.Sprintf("(service %s) has started %d tasks: %s.", svc.Name, n, r.taskList(n))
}

func (r *Region) stoppedTasks(svc *ECSService, n int) string {
	return fmt.Sprintf("(service %s) has stopped %d running tasks: %s.", svc.Name, n, r.taskList(n))
}

// taskList names up to 10 new task IDs, as an event lists them.
func (r *Region) taskList(n int) string {
	var parts []string
	for range min(n, 10) {
		r.serial["ecs-task"]++
		parts = append(parts, fmt.Sprintf("(task %02x%030x)", r.prefixNum(), r.serial["ecs-task"]))
	}
	return strings.Join(parts, " ")
}

// newDeploymentID mints "ecs-svc/" and 19 digits, unique in the sim.
func (r *Region) newDeploymentID() string {
	r.serial["ecs-deployment"]++
	return fmt.Sprintf("ecs-svc/%03d%016d", r.prefixNum(), r.serial["ecs-deployment"])
}

func (r *Region) prefixNum() int {
	n, _ := strconv.ParseUint(r.prefix, 16, 16)
	return int(n)
}

// ARNs. Services use the long ARN format that includes the cluster name.
func ecsARN(r *Region, resource string) string {
	return "arn:aws:ecs:" + r.Name + ":" + r.AccountID + ":" + resource
}

func clusterARN(r *Region, name string) string { return ecsARN(r, "cluster/"+name) }
func serviceARN(r *Region, cluster, name string) string {
	return ecsARN(r, "service/"+cluster+"/"+name)
}
func taskDefinitionARN(r *Region, taskDef string) string {
	return ecsARN(r, "task-definition/"+taskDef)
}

// clusterName reads a cluster reference, a short name or an ARN ("" is the
// cluster named default, as in AWS). An ARN of another account or region
// names nothing here, so it comes back unchanged and is not found.
func clusterName(r *Region, ref string) string {
	if ref == "" {
		return "default"
	}
	if rest, ok := strings.CutPrefix(ref, ecsARN(r, "cluster/")); ok {
		return rest
	}
	return ref
}

// serviceName reads a service reference: a name, or an ARN in the long
// format (service/CLUSTER/NAME, cluster returned) or the old one
// (service/NAME). ok is false for an ARN of another account or region.
func serviceName(r *Region, ref string) (cluster, name string, ok bool) {
	if !strings.HasPrefix(ref, "arn:") {
		return "", ref, true
	}
	rest, found := strings.CutPrefix(ref, ecsARN(r, "service/"))
	if !found {
		return "", "", false
	}
	if c, n, long := strings.Cut(rest, "/"); long {
		return c, n, true
	}
	return "", rest, true
}

// The ECS errors.
func errClusterNotFound() *apiError {
	return badRequest("ClusterNotFoundException", "Cluster not found.")
}
func errServiceNotFound() *apiError {
	return badRequest("ServiceNotFoundException", "Service not found.")
}
func errServiceNotActive() *apiError {
	return badRequest("ServiceNotActiveException", "Service was not ACTIVE.")
}
func errECSParam(format string, args ...any) *apiError {
	return badRequest("InvalidParameterException", format, args...)
}

// ecsListInput is the paging half of ListClusters' and ListServices'
// input.
type ecsListInput struct {
	MaxResults *int   `json:"maxResults"`
	NextToken  string `json:"nextToken"`
}

// page validates maxResults, absent is def, otherwise 1..100 ("This value
// can be between 1 and 100", ListClusters and ListServices), and decodes
// nextToken; a bad one is InvalidParameterException, ECS's code for every
// malformed parameter. The wordings of the refusals are the sim's.
func (in ecsListInput) page(action string, def int) (max int, tok pageToken, err error) {
	max = def
	if v := in.MaxResults; v != nil {
		if *v < 1 || *v > 100 {
			return 0, tok, errECSParam("maxResults must be between 1 and 100, got %d.", *v)
		}
		max = *v
	}
	if tok, err = decodeToken(action, in.NextToken); err != nil {
		return 0, tok, errECSParam("Invalid nextToken: %s", in.NextToken)
	}
	return max, tok, nil
}

// missingFailure is DescribeClusters' and DescribeServices' answer for a
// reference that names nothing: the reference as given when it is an ARN,
// else arn (the ARN the name would have).
func missingFailure(ref, arn string) ecsFailure {
	if strings.HasPrefix(ref, "arn:") {
		arn = ref
	}
	return ecsFailure{Arn: arn, Reason: "MISSING"}
}

// listClusters: maxResults 1..100 (default 100), nextToken. Clusters in
// name order.
func (s *Server) listClusters(c *call) (any, error) {
	var in ecsListInput
	if err := c.jsonInput(&in); err != nil {
		return nil, err
	}
	max, tok, err := in.page(c.action, 100)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.region(c)
	names, next := paginate(c.action, sortedKeys(r, "ecs-clusters", r.ECSClusters), tok, max, func(string) bool { return true })
	out := listClustersOutput{ClusterArns: make([]string, 0, len(names)), NextToken: next}
	for _, n := range names {
		out.ClusterArns = append(out.ClusterArns, clusterARN(r, n))
	}
	return out, nil
}

// describeClusters: clusters (names or ARNs, up to 100; none means the
// cluster named default), include (TAGS adds tags; the others are
// accepted and add nothing). A cluster that does not exist is a failure
// with reason MISSING, not an error.
func (s *Server) describeClusters(c *call) (any, error) {
	var in struct {
		Clusters []string `json:"clusters"`
		Include  []string `json:"include"`
	}
	if err := c.jsonInput(&in); err != nil {
		return nil, err
	}
	if len(in.Clusters) > 100 {
		return nil, errECSParam("clusters can have at most 100 items.")
	}
	if len(in.Clusters) == 0 {
		in.Clusters = []string{"default"}
	}
	tags := contains(in.Include, "TAGS")
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.region(c)
	out := describeClustersOutput{Clusters: []ecsClusterDoc{}, Failures: []ecsFailure{}}
	for _, ref := range in.Clusters {
		name := clusterName(r, ref)
		cl, ok := r.ECSClusters[name]
		if !ok {
			out.Failures = append(out.Failures, missingFailure(ref, clusterARN(r, ref)))
			continue
		}
		out.Clusters = append(out.Clusters, clusterDoc(r, cl, tags))
	}
	return out, nil
}

// listServices: cluster, maxResults 1..100 (default 10), nextToken,
// launchType. Only ACTIVE services are listed: "the service status moves
// from ACTIVE to DRAINING, and the service is no longer visible in the
// console or in the ListServices API operation" (DeleteService, ECS API
// reference). Services in name order.
func (s *Server) listServices(c *call) (any, error) {
	var in struct {
		ecsListInput
		Cluster            string `json:"cluster"`
		LaunchType         string `json:"launchType"`
		SchedulingStrategy string `json:"schedulingStrategy"`
	}
	if err := c.jsonInput(&in); err != nil {
		return nil, err
	}
	max, tok, err := in.page(c.action, 10)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.region(c)
	cl, ok := r.ECSClusters[clusterName(r, in.Cluster)]
	if !ok {
		return nil, errClusterNotFound()
	}
	names, next := paginate(c.action, sortedKeys(r, "ecs-services\x00"+cl.Name, cl.Services), tok, max, func(n string) bool {
		svc := cl.Services[n]
		return svc.Status == ECSActive && (in.LaunchType == "" || in.LaunchType == svc.LaunchType) &&
			(in.SchedulingStrategy == "" || in.SchedulingStrategy == "REPLICA")
	})
	out := listServicesOutput{ServiceArns: make([]string, 0, len(names)), NextToken: next}
	for _, n := range names {
		out.ServiceArns = append(out.ServiceArns, serviceARN(r, cl.Name, n))
	}
	return out, nil
}

// describeServices: cluster, services (names or ARNs, 1 to 10: "You may
// specify up to 10 services to describe", ECS API reference), include
// (TAGS). Services that do not exist, or were purged after being deleted,
// are failures with reason MISSING; DRAINING and INACTIVE ones are
// described with their status.
func (s *Server) describeServices(c *call) (any, error) {
	var in struct {
		Cluster  string   `json:"cluster"`
		Services []string `json:"services"`
		Include  []string `json:"include"`
	}
	if err := c.jsonInput(&in); err != nil {
		return nil, err
	}
	if len(in.Services) == 0 {
		// The SDK requires the member; an empty list is the sim's wording.
		return nil, errECSParam("services can not be empty.")
	}
	if len(in.Services) > 10 {
		return nil, errECSParam("services can have at most 10 items.")
	}
	tags := contains(in.Include, "TAGS")
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.region(c)
	cl, ok := r.ECSClusters[clusterName(r, in.Cluster)]
	if !ok {
		return nil, errClusterNotFound()
	}
	out := describeServicesOutput{Services: []ecsServiceDoc{}, Failures: []ecsFailure{}}
	for _, ref := range in.Services {
		inCluster, name, ok := serviceName(r, ref)
		var svc *ECSService
		if ok && (inCluster == "" || inCluster == cl.Name) {
			svc = cl.Services[name]
		}
		if svc == nil {
			out.Failures = append(out.Failures, missingFailure(ref, serviceARN(r, cl.Name, ref)))
			continue
		}
		out.Services = append(out.Services, serviceDoc(r, cl, svc, tags))
	}
	return out, nil
}

// findService resolves cluster and service references for the actions:
// ClusterNotFoundException, ServiceNotFoundException, and
// ServiceNotActiveException for a service that is being deleted. Callers
// hold the write lock.
func findService(r *Region, clusterRef, serviceRef string) (*ECSCluster, *ECSService, error) {
	cl, ok := r.ECSClusters[clusterName(r, clusterRef)]
	if !ok {
		return nil, nil, errClusterNotFound()
	}
	inCluster, name, ok := serviceName(r, serviceRef)
	if !ok || (inCluster != "" && inCluster != cl.Name) {
		return nil, nil, errServiceNotFound()
	}
	svc, ok := cl.Services[name]
	if !ok {
		return nil, nil, errServiceNotFound()
	}
	if svc.Status != ECSActive {
		return nil, nil, errServiceNotActive()
	}
	return cl, svc, nil
}

// updateService: cluster, service, desiredCount (0 and up),
// forceNewDeployment, taskDefinition (family:revision or its ARN). A new
// deployment (forced, or a new task definition) starts IN_PROGRESS with
// its tasks pending; a new desired count leaves the difference pending.
// Either settles Options.StateDelay later: every task of the primary
// deployment running, older deployments gone, rollout COMPLETED, and the
// events ECS writes ("has started N tasks", "has stopped N running
// tasks", "deployment completed", "has reached a steady state").
func (s *Server) updateService(c *call) (any, error) {
	var in struct {
		Cluster            string `json:"cluster"`
		Service            string `json:"service"`
		DesiredCount       *int   `json:"desiredCount"`
		ForceNewDeployment bool   `json:"forceNewDeployment"`
		TaskDefinition     string `json:"taskDefinition"`
	}
	if err := c.jsonInput(&in); err != nil {
		return nil, err
	}
	if in.Service == "" {
		return nil, errECSParam("service can not be empty.")
	}
	if in.DesiredCount != nil && *in.DesiredCount < 0 {
		return nil, errECSParam("desiredCount must be 0 or more, got %d.", *in.DesiredCount)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.region(c)
	cl, svc, err := findService(r, in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	now := s.worldNow()
	taskDef := svc.TaskDefinition
	if in.TaskDefinition != "" {
		taskDef = strings.TrimPrefix(in.TaskDefinition, ecsARN(r, "task-definition/"))
		if fam, rev, ok := strings.Cut(taskDef, ":"); !ok || fam == "" || !isDigits(rev) {
			return nil, errECSParam("Unable to describe task definition %s.", in.TaskDefinition)
		}
	}
	if in.DesiredCount != nil {
		svc.Desired = *in.DesiredCount
		p := svc.Deployments[0]
		p.Desired = svc.Desired
		p.Pending = max(0, p.Desired-p.Running)
		p.UpdatedAt = now
		r.recount(svc)
	}
	if in.ForceNewDeployment || taskDef != svc.TaskDefinition {
		r.StartDeployment(svc, taskDef, 0, svc.Desired, now)
		// Old tasks keep running until the new ones are up.
		for _, d := range svc.Deployments[1:] {
			d.Desired = d.Running
		}
		r.recount(svc)
	}
	r.touch()
	s.after(r, func(r *Region, now time.Time) {
		if cur, ok := r.ECSClusters[cl.Name]; ok && cur.Services[svc.Name] == svc && svc.Status == ECSActive {
			r.settleService(svc, now)
		}
	})
	return map[string]any{"service": serviceDoc(r, cl, svc, false)}, nil
}

// settleService brings a service to its steady state: every task of the
// primary deployment running and the older deployments gone, with the
// events ECS writes. Nothing happens to a service already steady.
func (r *Region) settleService(svc *ECSService, now time.Time) {
	p := svc.Deployments[0]
	started := max(0, p.Desired-p.Running)
	stopped := max(0, p.Running-p.Desired)
	for _, d := range svc.Deployments[1:] {
		stopped += d.Running
	}
	newDeployment := p.RolloutState == RolloutInProgress
	if started == 0 && stopped == 0 && !newDeployment && p.Pending == 0 {
		return
	}
	p.Running, p.Pending, p.UpdatedAt = p.Desired, 0, now
	if newDeployment {
		p.RolloutState = RolloutCompleted
		p.RolloutReason = "ECS deployment " + p.ID + " completed."
	}
	svc.Deployments = svc.Deployments[:1]
	r.recount(svc)
	if started > 0 {
		r.addServiceEvent(svc, now, r.startedTasks(svc, started))
	}
	if stopped > 0 {
		r.addServiceEvent(svc, now, r.stoppedTasks(svc, stopped))
	}
	if newDeployment {
		r.addServiceEvent(svc, now, "(service "+svc.Name+") (deployment "+p.ID+") deployment completed.")
	}
	r.addServiceEvent(svc, now, "(service "+svc.Name+") has reached a steady state.")
}

// deleteService: cluster, service, force. AWS's rule: "You can delete a
// service if you have no running tasks in it and the desired task count is
// zero"; otherwise InvalidParameterException unless force is set. A deleted
// service is DRAINING (no longer listed, still described), then INACTIVE
// once its tasks have stopped, then purged; each step Options.StateDelay
// after the last, and each visible to at least one call.
func (s *Server) deleteService(c *call) (any, error) {
	var in struct {
		Cluster string `json:"cluster"`
		Service string `json:"service"`
		Force   bool   `json:"force"`
	}
	if err := c.jsonInput(&in); err != nil {
		return nil, err
	}
	if in.Service == "" {
		return nil, errECSParam("service can not be empty.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.region(c)
	cl, svc, err := findService(r, in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	if svc.Desired > 0 && !in.Force {
		return nil, errECSParam("The service cannot be stopped while it is scaled above 0.")
	}
	s.drain(r, cl, svc, false)
	return map[string]any{"service": serviceDoc(r, cl, svc, false)}, nil
}

// drain deletes a service: DRAINING now, INACTIVE after StateDelay (its
// tasks stopped), purged StateDelay after that. outside is set when no API
// call answered the deletion (the control API): the DRAINING state is then
// held until a call has seen it. Callers hold the write lock and have
// checked the service is ACTIVE.
func (s *Server) drain(r *Region, cl *ECSCluster, svc *ECSService, outside bool) {
	now := s.worldNow()
	svc.Status, svc.Desired = ECSDraining, 0
	for _, d := range svc.Deployments {
		d.Desired, d.Pending, d.UpdatedAt = 0, 0, now
	}
	r.recount(svc)
	r.touch()
	still := func(r *Region) bool {
		cur, ok := r.ECSClusters[cl.Name]
		return ok && cur.Services[svc.Name] == svc
	}
	w := s.later(r, func(r *Region, now time.Time) {
		if !still(r) || svc.Status != ECSDraining {
			return
		}
		if svc.Running > 0 {
			r.addServiceEvent(svc, now, r.stoppedTasks(svc, svc.Running))
		}
		for _, d := range svc.Deployments {
			d.Running, d.UpdatedAt = 0, now
		}
		svc.Status = ECSInactive
		r.recount(svc)
		s.after(r, func(r *Region, _ time.Time) {
			if still(r) && svc.Status == ECSInactive {
				delete(r.ECSClusters[cl.Name].Services, svc.Name)
			}
		})
	})
	w.untilSeen = outside
	s.deferred.add(w)
}

// DeleteECSService deletes a service as another engineer's console would:
// a forced DeleteService, whatever its desired count. The service goes
// DRAINING at once, INACTIVE after Options.StateDelay, and is gone
// StateDelay later; each step is seen by at least one API call (with a
// zero StateDelay: the next call sees DRAINING, the one after INACTIVE,
// the third finds it missing).
func (s *Server) DeleteECSService(accountID, region, cluster, service string) (ServiceSnapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.w.accounts[accountID]
	if !ok {
		return ServiceSnapshot{}, fmt.Errorf("sim: no account %s", accountID)
	}
	r, ok := a.regions[region]
	if !ok {
		return ServiceSnapshot{}, fmt.Errorf("sim: no cluster %q in %s/%s (the account has nothing there)", cluster, accountID, region)
	}
	cl, ok := r.ECSClusters[cluster]
	if !ok {
		return ServiceSnapshot{}, fmt.Errorf("sim: no cluster %q in %s/%s", cluster, accountID, region)
	}
	svc, ok := cl.Services[service]
	if !ok {
		return ServiceSnapshot{}, fmt.Errorf("sim: no service %q in cluster %q of %s/%s", service, cluster, accountID, region)
	}
	if svc.Status != ECSActive {
		return ServiceSnapshot{}, fmt.Errorf("%w: service %q in cluster %q is %s", ErrNotActive, service, cluster, svc.Status)
	}
	before := snapshotService(cl, svc)
	s.drain(r, cl, svc, true)
	after := snapshotService(cl, svc)
	after.RunningBefore = before.Running
	return after, nil
}

// ErrNotActive is DeleteECSService's error for a service already being
// deleted.
var ErrNotActive = errors.New("sim: service not ACTIVE")

// ServiceSnapshot summarises a service for the control API.
type ServiceSnapshot struct {
	Cluster       string `json:"cluster"`
	Service       string `json:"service"`
	Status        string `json:"status"`
	Desired       int    `json:"desired"`
	Running       int    `json:"running"`
	RunningBefore int    `json:"runningBefore"`
}

func snapshotService(cl *ECSCluster, svc *ECSService) ServiceSnapshot {
	return ServiceSnapshot{Cluster: cl.Name, Service: svc.Name, Status: svc.Status, Desired: svc.Desired, Running: svc.Running}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// The JSON documents, member names as in the SDK's schemas
// (service/ecs/schemas: Cluster_*, Service_*, Deployment_*, ServiceEvent_*,
// Failure_*). Lists AWS always sends are never null.

// epochTime is a JSON 1.1 timestamp: seconds since the epoch as a number,
// with milliseconds.
type epochTime time.Time

func (t epochTime) MarshalJSON() ([]byte, error) {
	return []byte(strconv.FormatFloat(float64(time.Time(t).UnixMilli())/1000, 'f', 3, 64)), nil
}

type listClustersOutput struct {
	ClusterArns []string `json:"clusterArns"`
	NextToken   string   `json:"nextToken,omitempty"`
}

type listServicesOutput struct {
	ServiceArns []string `json:"serviceArns"`
	NextToken   string   `json:"nextToken,omitempty"`
}

type ecsFailure struct {
	Arn    string `json:"arn"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
}

type describeClustersOutput struct {
	Clusters []ecsClusterDoc `json:"clusters"`
	Failures []ecsFailure    `json:"failures"`
}

type describeServicesOutput struct {
	Services []ecsServiceDoc `json:"services"`
	Failures []ecsFailure    `json:"failures"`
}

type ecsTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func ecsTags(m map[string]string) []ecsTag {
	out := []ecsTag{}
	for _, t := range tagSet(m) {
		out = append(out, ecsTag(t))
	}
	return out
}

type ecsSetting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type ecsClusterDoc struct {
	ClusterArn                        string       `json:"clusterArn"`
	ClusterName                       string       `json:"clusterName"`
	Status                            string       `json:"status"`
	RegisteredContainerInstancesCount int          `json:"registeredContainerInstancesCount"`
	RunningTasksCount                 int          `json:"runningTasksCount"`
	PendingTasksCount                 int          `json:"pendingTasksCount"`
	ActiveServicesCount               int          `json:"activeServicesCount"`
	Statistics                        []ecsSetting `json:"statistics"`
	Tags                              []ecsTag     `json:"tags,omitempty"`
	Settings                          []ecsSetting `json:"settings"`
	CapacityProviders                 []string     `json:"capacityProviders"`
	DefaultCapacityProviderStrategy   []struct{}   `json:"defaultCapacityProviderStrategy"`
}

func clusterDoc(r *Region, cl *ECSCluster, tags bool) ecsClusterDoc {
	d := ecsClusterDoc{
		ClusterArn: clusterARN(r, cl.Name), ClusterName: cl.Name, Status: cl.Status,
		RegisteredContainerInstancesCount: cl.ContainerInstances,
		Statistics:                        []ecsSetting{},
		Settings:                          []ecsSetting{{Name: "containerInsights", Value: "disabled"}},
		CapacityProviders:                 []string{"FARGATE", "FARGATE_SPOT"},
		DefaultCapacityProviderStrategy:   []struct{}{},
	}
	for _, svc := range cl.Services {
		if svc.Status == ECSActive {
			d.ActiveServicesCount++
		}
		d.RunningTasksCount += svc.Running
		d.PendingTasksCount += svc.Pending
	}
	if tags {
		d.Tags = ecsTags(cl.Tags)
	}
	return d
}

type ecsDeploymentConfiguration struct {
	CircuitBreaker        ecsCircuitBreaker `json:"deploymentCircuitBreaker"`
	MaximumPercent        int               `json:"maximumPercent"`
	MinimumHealthyPercent int               `json:"minimumHealthyPercent"`
}

type ecsCircuitBreaker struct {
	Enable   bool `json:"enable"`
	Rollback bool `json:"rollback"`
}

type ecsDeploymentController struct {
	Type string `json:"type"`
}

type ecsServiceDoc struct {
	ServiceArn              string                     `json:"serviceArn"`
	ServiceName             string                     `json:"serviceName"`
	ClusterArn              string                     `json:"clusterArn"`
	LoadBalancers           []struct{}                 `json:"loadBalancers"`
	ServiceRegistries       []struct{}                 `json:"serviceRegistries"`
	Status                  string                     `json:"status"`
	DesiredCount            int                        `json:"desiredCount"`
	RunningCount            int                        `json:"runningCount"`
	PendingCount            int                        `json:"pendingCount"`
	LaunchType              string                     `json:"launchType"`
	PlatformVersion         string                     `json:"platformVersion,omitempty"`
	PlatformFamily          string                     `json:"platformFamily,omitempty"`
	TaskDefinition          string                     `json:"taskDefinition"`
	DeploymentConfiguration ecsDeploymentConfiguration `json:"deploymentConfiguration"`
	Deployments             []ecsDeploymentDoc         `json:"deployments"`
	Events                  []ecsEventDoc              `json:"events"`
	CreatedAt               epochTime                  `json:"createdAt"`
	PlacementConstraints    []struct{}                 `json:"placementConstraints"`
	PlacementStrategy       []struct{}                 `json:"placementStrategy"`
	SchedulingStrategy      string                     `json:"schedulingStrategy"`
	DeploymentController    ecsDeploymentController    `json:"deploymentController"`
	CreatedBy               string                     `json:"createdBy,omitempty"`
	EnableECSManagedTags    bool                       `json:"enableECSManagedTags"`
	PropagateTags           string                     `json:"propagateTags"`
	EnableExecuteCommand    bool                       `json:"enableExecuteCommand"`
	Tags                    []ecsTag                   `json:"tags,omitempty"`
}

type ecsDeploymentDoc struct {
	ID                 string    `json:"id"`
	Status             string    `json:"status"`
	TaskDefinition     string    `json:"taskDefinition"`
	DesiredCount       int       `json:"desiredCount"`
	PendingCount       int       `json:"pendingCount"`
	RunningCount       int       `json:"runningCount"`
	FailedTasks        int       `json:"failedTasks"`
	CreatedAt          epochTime `json:"createdAt"`
	UpdatedAt          epochTime `json:"updatedAt"`
	LaunchType         string    `json:"launchType"`
	PlatformVersion    string    `json:"platformVersion,omitempty"`
	PlatformFamily     string    `json:"platformFamily,omitempty"`
	RolloutState       string    `json:"rolloutState,omitempty"`
	RolloutStateReason string    `json:"rolloutStateReason,omitempty"`
}

type ecsEventDoc struct {
	ID        string    `json:"id"`
	CreatedAt epochTime `json:"createdAt"`
	Message   string    `json:"message"`
}

func serviceDoc(r *Region, cl *ECSCluster, svc *ECSService, tags bool) ecsServiceDoc {
	platform, family := "", ""
	if svc.LaunchType == "FARGATE" {
		platform, family = "LATEST", "Linux"
	}
	d := ecsServiceDoc{
		ServiceArn: serviceARN(r, cl.Name, svc.Name), ServiceName: svc.Name, ClusterArn: clusterARN(r, cl.Name),
		LoadBalancers: []struct{}{}, ServiceRegistries: []struct{}{},
		Status: svc.Status, DesiredCount: svc.Desired, RunningCount: svc.Running, PendingCount: svc.Pending,
		LaunchType: svc.LaunchType, PlatformVersion: platform, PlatformFamily: family,
		TaskDefinition: taskDefinitionARN(r, svc.TaskDefinition),
		DeploymentConfiguration: ecsDeploymentConfiguration{
			CircuitBreaker: ecsCircuitBreaker{Enable: true, Rollback: true}, MaximumPercent: 200, MinimumHealthyPercent: 100,
		},
		Deployments: []ecsDeploymentDoc{}, Events: []ecsEventDoc{},
		CreatedAt:            epochTime(svc.CreatedAt),
		PlacementConstraints: []struct{}{}, PlacementStrategy: []struct{}{},
		SchedulingStrategy: "REPLICA", DeploymentController: ecsDeploymentController{Type: "ECS"},
		CreatedBy: svc.CreatedBy, PropagateTags: "NONE",
	}
	for _, dep := range svc.Deployments {
		d.Deployments = append(d.Deployments, ecsDeploymentDoc{
			ID: dep.ID, Status: dep.Status, TaskDefinition: taskDefinitionARN(r, dep.TaskDefinition),
			DesiredCount: dep.Desired, PendingCount: dep.Pending, RunningCount: dep.Running, FailedTasks: dep.Failed,
			CreatedAt: epochTime(dep.CreatedAt), UpdatedAt: epochTime(dep.UpdatedAt),
			LaunchType: svc.LaunchType, PlatformVersion: platform, PlatformFamily: family,
			RolloutState: dep.RolloutState, RolloutStateReason: dep.RolloutReason,
		})
	}
	for _, ev := range svc.Events {
		d.Events = append(d.Events, ecsEventDoc{ID: ev.ID, CreatedAt: epochTime(ev.CreatedAt), Message: ev.Message})
	}
	if tags {
		d.Tags = ecsTags(svc.Tags)
	}
	return d
}

// ecsService is the routing table row: JSON 1.1, the shared read bucket
// and smaller per-action buckets for the mutating calls (sharedLimits).
var ecsService = service{proto: ecsProtocol, limits: sharedLimits, actions: map[string]action{
	"ListClusters":     {fn: (*Server).listClusters},
	"DescribeClusters": {fn: (*Server).describeClusters},
	"ListServices":     {fn: (*Server).listServices},
	"DescribeServices": {fn: (*Server).describeServices},
	"UpdateService":    {fn: (*Server).updateService, mutating: true},
	"DeleteService":    {fn: (*Server).deleteService, mutating: true},
}}

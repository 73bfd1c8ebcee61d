package sim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// The ECS side of the scenarios: the demo's cluster, story S7's, generated
// clusters for budget benchmarks, and the hostile ones.

// demoECS adds cluster acme-ecs (3 container instances) to a demo region:
//
//	frontend  FARGATE, frontend:14, 2/2 running, deployment COMPLETED
//	worker    EC2, rolling from worker:7 to worker:8: desired 3, the new
//	          deployment IN_PROGRESS with 1 running and 1 pending, the old
//	          one ACTIVE with 2 running (3 running, 1 pending in all)
//
// Both accounts get the same names, as with everything in the demo.
func demoECS(r *Region, epoch time.Time) {
	cl := r.AddECSCluster("acme-ecs")
	cl.ContainerInstances = 3
	cl.Tags = map[string]string{"team": "web"}
	fe := r.AddECSService(cl, "frontend", "FARGATE", "frontend:14", 2, epoch.Add(-60*24*time.Hour), epoch)
	fe.Tags = map[string]string{"team": "web"}
	w := r.AddECSService(cl, "worker", "EC2", "worker:7", 3, epoch.Add(-45*24*time.Hour), epoch.Add(-time.Hour))
	r.StartDeployment(w, "worker:8", 1, 1, epoch.Add(-12*time.Minute))
	r.touch()
}

// S7ClusterName and S7ServiceName are the cluster and service story S7 is
// about: the service another engineer deletes mid-session.
const (
	S7ClusterName = "prod-ecs"
	S7ServiceName = "deployer-api"
)

// deployerCluster is story S7 (on top of the demo or a fleet): cluster
// prod-ecs, Fargate only,
//
//	deployer-api  deployer-api:42, 4/4 running (POST
//	              /_sim/ecs/delete-service deletes it, forced, as another
//	              engineer's console would)
//	payments      payments:117, 2/2 running
//	ledger-sync   desired 2: deployment of ledger-sync:9 FAILED by the
//	              circuit breaker (6 failed tasks), ledger-sync:8 still
//	              running 2
//	scheduler     scaled to 0 (deletable without force)
func deployerCluster(r *Region, epoch time.Time) {
	cl := r.AddECSCluster(S7ClusterName)
	cl.Tags = map[string]string{"env": "prod"}
	r.AddECSService(cl, S7ServiceName, "FARGATE", "deployer-api:42", 4, epoch.Add(-90*24*time.Hour), epoch)
	r.AddECSService(cl, "payments", "FARGATE", "payments:117", 2, epoch.Add(-200*24*time.Hour), epoch)
	ls := r.AddECSService(cl, "ledger-sync", "FARGATE", "ledger-sync:8", 2, epoch.Add(-30*24*time.Hour), epoch.Add(-3*time.Hour))
	r.StartDeployment(ls, "ledger-sync:9", 0, 2, epoch.Add(-40*time.Minute))
	// The old deployment keeps serving while the new one fails.
	ls.Deployments[1].Desired, ls.Deployments[1].Running = 2, 2
	r.FailDeployment(ls, 6, epoch.Add(-25*time.Minute))
	r.AddECSService(cl, "scheduler", "FARGATE", "scheduler:3", 0, epoch.Add(-10*24*time.Hour), epoch)
	r.touch()
}

// ecsClusterSize is how many services a generated cluster holds.
const ecsClusterSize = 100

// generateECS fills a region with n services in clusters of 100 (ecs-000,
// ecs-001, ...): 2,000 services are 20 clusters, a ListServices page of 100
// per cluster. Every third cluster runs on EC2 (10 container instances),
// the rest on Fargate. Desired counts 1 to 6, all running, except about 2%
// with a deployment in progress, 1% whose last deployment failed and 1%
// scaled to zero. The same n, seed and epoch give the same services.
func generateECS(r *Region, n int, seed int64, epoch time.Time) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0xec5))
	var cl *ECSCluster
	launch := "FARGATE"
	for i := range n {
		k := i / ecsClusterSize
		if i%ecsClusterSize == 0 {
			cl = r.AddECSCluster(fmt.Sprintf("ecs-%03d", k))
			launch = "FARGATE"
			if k%3 == 2 {
				launch = "EC2"
				cl.ContainerInstances = 10
			}
		}
		name := fmt.Sprintf("svc-%05d", i)
		desired := 1 + i%6
		created := epoch.Add(-time.Duration(1+i%300) * 24 * time.Hour)
		if rng.IntN(100) < 1 {
			desired = 0
		}
		svc := r.AddECSService(cl, name, launch, name+":"+fmt.Sprint(1+i%40), desired, created, epoch)
		switch x := rng.IntN(100); {
		case x < 2 && desired > 1:
			r.StartDeployment(svc, name+":"+fmt.Sprint(2+i%40), desired-1, 1, epoch.Add(-time.Duration(1+x)*time.Minute))
		case x < 3 && desired > 0:
			r.StartDeployment(svc, name+":"+fmt.Sprint(2+i%40), 0, desired, epoch.Add(-time.Hour))
			svc.Deployments[1].Desired, svc.Deployments[1].Running = desired, desired
			r.FailDeployment(svc, 3, epoch.Add(-30*time.Minute))
		}
	}
	r.touch()
}

// servicesFor is how many ECS services the options ask for: Services, or
// one per five instances of a generated fleet (2,000 at 10,000 instances),
// or none (the demo's own).
func servicesFor(o Options) int {
	if o.Services > 0 {
		return o.Services
	}
	return o.Instances / 5
}

// hostileECS adds what only a JSON protocol can deliver: ESC itself. Cluster
// HostileESCCSI holds a service named HostileESCOSC8 whose events carry
// HostileESCOSC52, HostileCROverwrite and the C1 and bidi tricks of the XML
// side; the demo's frontend gets an event that overwrites its own line.
// AWS restricts cluster and service names to letters, digits, - and _, but
// an endpoint that is not AWS can send anything.
func hostileECS(r *Region, epoch time.Time) {
	cl := r.AddECSCluster(HostileESCCSI)
	svc := r.AddECSService(cl, HostileESCOSC8, "FARGATE", "evil:1", 1, epoch.Add(-3*time.Hour), epoch)
	r.addServiceEvent(svc, epoch.Add(-20*time.Minute), "(service "+HostileESCOSC8+") "+HostileESCOSC52+" has reached a steady state.")
	r.addServiceEvent(svc, epoch.Add(-15*time.Minute), "(service evil) "+HostileCSI+HostileRLO+HostileZeroWidth)
	r.addServiceEvent(svc, epoch.Add(-10*time.Minute), HostileCROverwrite)
	if fe := r.ECSClusters["acme-ecs"]; fe != nil {
		if s := fe.Services["frontend"]; s != nil {
			r.addServiceEvent(s, epoch.Add(-5*time.Minute), "(service frontend) "+HostileCROverwrite)
		}
	}
	r.touch()
}

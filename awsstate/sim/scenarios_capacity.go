package sim

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The capacity side of the scenarios: images, security groups, launch
// templates and Auto Scaling groups for the demo world, generated fleets,
// and stories S4 and S5.

// amazonOwner is the account that publishes Amazon Linux images.
const amazonOwner = "137112412989"

// MissingAMI is the image story S4's launch template names: it does not
// exist in any account.
const MissingAMI = "ami-0deadbeef00000000"

// MissingSecurityGroup is the security group name story S4's launch
// template names: no group has it.
const MissingSecurityGroup = "uploader-prod"

// demoCapacity adds to a demo region (demoMain's world): the web AMI and a
// public Amazon Linux image; security groups default, acme-web and
// acme-bastion in the VPC; launch template acme-web with three versions
// (1 and 2 by ID, 2 the default; 3 the latest, through a network
// interface); groups blue ($Default) and green ($Latest), each owning its
// cluster's three instances, desired 3, min 0, max 6, over the three
// subnets. Every check a launch preflight makes passes.
func demoCapacity(r *Region, epoch time.Time) {
	vpc := firstVPC(r)
	if vpc == nil {
		return
	}
	web := r.Instances[sortedKeys(r, "instances", r.Instances)[0]]
	addImage(r, &Image{ID: web.ImageID, Name: "acme-web-2026-10-30", Description: "acme web server",
		OwnerID: r.AccountID, State: "available", CreationDate: epoch.Add(-21 * 24 * time.Hour), Architecture: "x86_64"})
	addImage(r, &Image{ID: "ami-0" + r.prefix + "0a120230000001", Name: "al2023-ami-2023.6.20261101.0-kernel-6.1-x86_64",
		Description: "Amazon Linux 2023 AMI", OwnerID: amazonOwner, OwnerAlias: "amazon", Public: true, State: "available",
		CreationDate: epoch.Add(-19 * 24 * time.Hour), Architecture: "x86_64"})
	addSecurityGroup(r, vpc.ID, "default", "default VPC security group")
	webSG := addSecurityGroup(r, vpc.ID, "acme-web", "acme web servers")
	addSecurityGroup(r, vpc.ID, "acme-bastion", "SSH from the office")

	lt := &LaunchTemplate{ID: r.newID("lt"), Name: "acme-web", CreateTime: epoch.Add(-30 * 24 * time.Hour),
		CreatedBy: "arn:aws:iam::" + r.AccountID + ":user/deploy", DefaultVersion: 2}
	lt.Versions = []*TemplateVersion{
		{Description: "first", CreateTime: lt.CreateTime, ImageID: web.ImageID, InstanceType: "m5.large", KeyName: "acme-oncall", SecurityGroupIDs: []string{webSG.ID}},
		{Description: "blue", CreateTime: epoch.Add(-19*24*time.Hour - time.Hour), ImageID: web.ImageID, InstanceType: "m5.large", KeyName: "acme-oncall", SecurityGroupIDs: []string{webSG.ID}},
		{Description: "green", CreateTime: epoch.Add(-3 * time.Hour), ImageID: web.ImageID, InstanceType: "m5.large", KeyName: "acme-oncall",
			NetworkInterfaces: []TemplateInterface{{DeviceIndex: 0, GroupIDs: []string{webSG.ID}}}},
	}
	r.LaunchTemplates[lt.ID] = lt

	subnets := r.subnetIDs()
	for _, spec := range []struct{ cluster, version string }{{"blue", "$Default"}, {"green", "$Latest"}} {
		members := r.Tagged(clusterTag, spec.cluster)
		g := &Group{Name: spec.cluster, LaunchTemplateID: lt.ID, LaunchTemplateVersion: spec.version,
			Min: 0, Max: 6, Desired: len(members), SubnetIDs: append([]string(nil), subnets...), HealthCheckType: "EC2",
			CreatedTime: lt.CreateTime, Tags: map[string]string{clusterTag: spec.cluster, "Role": "web"}}
		n, _ := lt.version(spec.version)
		for _, in := range members {
			in.Tags[groupTag] = g.Name
			in.Tags["aws:ec2launchtemplate:id"] = lt.ID
			in.Tags[templateVersionTag] = fmt.Sprint(n)
			g.Instances = append(g.Instances, in.ID)
		}
		r.Groups[g.Name] = g
		for _, in := range members {
			r.AddActivity(Activity{Group: g.Name, Description: "Launching a new EC2 instance: " + in.ID,
				Cause: fmt.Sprintf("At %s a user request created an AutoScalingGroup changing the desired capacity from 0 to %d.  At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to %d.",
					causeTime(in.LaunchTime.Add(-time.Minute)), g.Desired, causeTime(in.LaunchTime), g.Desired),
				StartTime: in.LaunchTime, EndTime: in.LaunchTime.Add(time.Minute), StatusCode: "Successful", Progress: 100,
				Details: activityDetails(r.Subnets[in.SubnetID])})
		}
	}
	r.touch()
}

// firstVPC is the region's lowest-ID VPC, or nil.
func firstVPC(r *Region) *VPC {
	ids := sortedKeys(r, "vpcs", r.VPCs)
	if len(ids) == 0 {
		return nil
	}
	return r.VPCs[ids[0]]
}

func addImage(r *Region, img *Image) {
	if _, ok := r.Images[img.ID]; !ok {
		r.Images[img.ID] = img
	}
}

func addSecurityGroup(r *Region, vpcID, name, about string) *SecurityGroup {
	if sg := r.groupByName(vpcID, name); sg != nil {
		return sg
	}
	sg := &SecurityGroup{ID: r.newID("sg"), Name: name, Description: about, VPCID: vpcID}
	r.SecurityGroups[sg.ID] = sg
	return sg
}

// shortGroup is story S4: the deploy changed the variables holding the
// AMI and the security group names of group uploader's launch template.
//
//	template uploader  v1 (30 days ago, the default): a real AMI and group
//	                   v2 (3 hours ago): security group name uploader-prod,
//	                      which does not exist
//	                   v3 (70 minutes ago, $Latest): also MissingAMI
//	group uploader     $Latest; min 2, max 12, desired 6; two instances
//	                   left (Cluster=uploader), over the first two subnets
//
// Its activities tell the story newest first: failed launches naming the
// missing image since v3, before that failed launches naming the missing
// security group, the old machines taken out of service, and the launches
// of ten days ago. A retry is due 10 seconds after the server starts, and
// then less and less often, each failing with the image message.
func shortGroup(r *Region, epoch time.Time) {
	vpc := firstVPC(r)
	subnets := r.subnetIDs()
	if vpc == nil || len(subnets) < 2 {
		return
	}
	sg := addSecurityGroup(r, vpc.ID, "acme-uploader", "uploader workers")
	goodAMI := "ami-0" + r.prefix + "0b00000000a001"
	addImage(r, &Image{ID: goodAMI, Name: "acme-uploader-2026-10-01", OwnerID: r.AccountID, State: "available",
		CreationDate: epoch.Add(-50 * 24 * time.Hour), Architecture: "x86_64"})
	lt := &LaunchTemplate{ID: r.newID("lt"), Name: "uploader", CreateTime: epoch.Add(-30 * 24 * time.Hour),
		CreatedBy: "arn:aws:iam::" + r.AccountID + ":role/deployer", DefaultVersion: 1}
	lt.Versions = []*TemplateVersion{
		{Description: "uploader", CreateTime: lt.CreateTime, ImageID: goodAMI, InstanceType: "c6i.large", SecurityGroupIDs: []string{sg.ID}},
		{Description: "deploy 2026-11-20 09:00", CreateTime: epoch.Add(-3 * time.Hour), ImageID: goodAMI, InstanceType: "c6i.large", SecurityGroupNames: []string{MissingSecurityGroup}},
		{Description: "deploy 2026-11-20 10:50", CreateTime: epoch.Add(-70 * time.Minute), ImageID: MissingAMI, InstanceType: "c6i.large", SecurityGroupNames: []string{MissingSecurityGroup}},
	}
	r.LaunchTemplates[lt.ID] = lt
	g := &Group{Name: "uploader", LaunchTemplateID: lt.ID, LaunchTemplateVersion: "$Latest", Min: 2, Max: 12, Desired: 6,
		SubnetIDs: subnets[:2], HealthCheckType: "EC2", CreatedTime: epoch.Add(-30 * 24 * time.Hour),
		Tags: map[string]string{clusterTag: "uploader", "Role": "uploader"}}
	r.Groups[g.Name] = g

	// Ten days ago: six launches from v1. Two of those instances remain.
	launched := epoch.Add(-10 * 24 * time.Hour)
	var gone []string
	for j := range 6 {
		sn := r.Subnets[subnets[j%2]]
		in := r.launchInstance(g, launchSpec{imageID: goodAMI, instanceType: "c6i.large", version: 1}, sn, launched.Add(time.Duration(j)*time.Minute))
		in.State = StateRunning
		in.Tags["Name"] = fmt.Sprintf("uploader-%d", j+1)
		r.AddActivity(Activity{Group: g.Name, Description: "Launching a new EC2 instance: " + in.ID,
			Cause: fmt.Sprintf("At %s a user request explicitly set group desired capacity changing the desired capacity from 0 to 6.  At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 6.",
				causeTime(launched.Add(-time.Minute)), causeTime(launched)),
			StartTime: in.LaunchTime, EndTime: in.LaunchTime.Add(time.Minute), StatusCode: "Successful", Progress: 100, Details: activityDetails(sn)})
		if j >= 2 {
			gone = append(gone, in.ID)
		}
	}
	// The old machines rotate away, one at a time; every replacement fails.
	// Activities are added in time order: their IDs sort newest first.
	sgFailure := fmt.Sprintf("The security group '%s' does not exist in VPC '%s'. Launching EC2 instance failed.", MissingSecurityGroup, vpc.ID)
	amiFailure := fmt.Sprintf("The image id '[%s]' does not exist. Launching EC2 instance failed.", MissingAMI)
	fail := func(at time.Time, msg string, from int) {
		sn := r.Subnets[subnets[0]]
		r.AddActivity(Activity{Group: g.Name, Description: "Launching a new EC2 instance.  Status Reason: " + msg,
			Cause:     fmt.Sprintf("At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from %d to 6.", causeTime(at), from),
			StartTime: at, EndTime: at, StatusCode: "Failed", StatusMessage: msg, Progress: 100, Details: activityDetails(sn)})
	}
	live := 6
	for j, id := range gone {
		at := epoch.Add(-150*time.Minute + time.Duration(j)*35*time.Minute)
		in := r.Instances[id]
		in.State = StateTerminated
		in.StateReason = "Client.UserInitiatedShutdown: User initiated shutdown"
		r.Subnets[in.SubnetID].AvailableIPs++
		live--
		r.AddActivity(Activity{Group: g.Name, Description: "Terminating EC2 instance: " + id,
			Cause:     fmt.Sprintf("At %s an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.", causeTime(at)),
			StartTime: at, EndTime: at.Add(2 * time.Minute), StatusCode: "Successful", Progress: 100, Details: activityDetails(r.Subnets[in.SubnetID])})
		msg := sgFailure
		if at.After(lt.Versions[2].CreateTime) {
			msg = amiFailure
		}
		fail(at.Add(10*time.Second), msg, live)
		// A terminated instance stays visible in DescribeInstances for
		// about an hour; older ones are gone.
		if epoch.Sub(at) > time.Hour {
			delete(r.Instances, id)
		}
	}
	for _, ago := range []time.Duration{40, 30, 17, 4} {
		fail(epoch.Add(-ago*time.Minute), amiFailure, live)
	}
	r.touch()
}

// rebuildGroup is story S5's rebuild: group rebuild must hold two
// clusters (6 instances) in the third subnet, which had 3 free addresses;
// the three it launched took them, and every launch since fails with
// EC2's message for a full subnet.
func rebuildGroup(r *Region, epoch time.Time) {
	vpc := firstVPC(r)
	subnets := r.subnetIDs()
	if vpc == nil || len(subnets) < 3 || len(r.LaunchTemplates) == 0 {
		return
	}
	sn := r.Subnets[subnets[2]]
	lt := r.LaunchTemplates[sortedKeys(r, "launchTemplates", r.LaunchTemplates)[0]]
	g := &Group{Name: "rebuild", LaunchTemplateID: lt.ID, LaunchTemplateVersion: "$Default", Min: 0, Max: 12, Desired: 6,
		SubnetIDs: []string{sn.ID}, HealthCheckType: "EC2", CreatedTime: epoch.Add(-25 * time.Minute),
		Tags: map[string]string{clusterTag: "rebuild", "Role": "web"}}
	r.Groups[g.Name] = g
	at := epoch.Add(-20 * time.Minute)
	sp, problem := r.spec(g)
	if problem != "" {
		return
	}
	for live := 0; live < g.Desired; live++ {
		why := fmt.Sprintf("At %s a user request created an AutoScalingGroup changing the desired capacity from 0 to 6.  At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from %d to 6.",
			causeTime(at.Add(-time.Minute)), causeTime(at), live)
		if p := r.launchProblem(sp, sn); p != "" {
			r.AddActivity(Activity{Group: g.Name, Description: "Launching a new EC2 instance.  Status Reason: " + p, Cause: why,
				StartTime: at, EndTime: at, StatusCode: "Failed", StatusMessage: p, Progress: 100, Details: activityDetails(sn)})
			break
		}
		in := r.launchInstance(g, sp, sn, at)
		in.State = StateRunning
		r.AddActivity(Activity{Group: g.Name, Description: "Launching a new EC2 instance: " + in.ID, Cause: why,
			StartTime: at, EndTime: at.Add(time.Minute), StatusCode: "Successful", Progress: 100, Details: activityDetails(sn)})
	}
	r.touch()
}

// fleetCapacity gives a generated fleet its groups: blue, green and every
// fifth cluster after them (c005, c010, ...) are Auto Scaling groups of
// their running, Cluster-tagged instances (about 200 groups at 50,000
// instances), each with its own launch template over the cluster's AMI and
// the VPC's security group fleet-web, named in the template. Members carry
// aws:autoscaling:groupName only, to keep DescribeInstances as lean as a
// real fleet's.
func fleetCapacity(r *Region, epoch time.Time) {
	for _, id := range sortedKeys(r, "vpcs", r.VPCs) {
		addSecurityGroup(r, id, "default", "default VPC security group")
		addSecurityGroup(r, id, "fleet-web", "fleet instances")
	}
	byCluster := map[string][]*Instance{}
	for _, id := range r.instanceIDs() {
		in := r.Instances[id]
		addImage(r, &Image{ID: in.ImageID, Name: "fleet-" + strings.TrimPrefix(in.ImageID, "ami-"), OwnerID: r.AccountID,
			State: "available", CreationDate: epoch.Add(-90 * 24 * time.Hour), Architecture: "x86_64"})
		if c := in.Tags[clusterTag]; c != "" && in.State == StateRunning {
			byCluster[c] = append(byCluster[c], in)
		}
	}
	var names []string
	for c := range byCluster {
		n, _ := strconv.Atoi(strings.TrimPrefix(c, "c"))
		if c == "blue" || c == "green" || (n > 0 && n%5 == 0) {
			names = append(names, c)
		}
	}
	sort.Strings(names)
	for _, c := range names {
		members := byCluster[c]
		first := members[0]
		lt := &LaunchTemplate{ID: r.newID("lt"), Name: "fleet-" + c, CreateTime: first.LaunchTime.Add(-time.Hour),
			CreatedBy: "arn:aws:iam::" + r.AccountID + ":role/deployer", DefaultVersion: 1,
			Versions: []*TemplateVersion{{CreateTime: first.LaunchTime.Add(-time.Hour), ImageID: first.ImageID,
				InstanceType: first.Type, SecurityGroupNames: []string{"fleet-web"}}}}
		r.LaunchTemplates[lt.ID] = lt
		g := &Group{Name: c, LaunchTemplateID: lt.ID, LaunchTemplateVersion: "$Latest", Min: 0,
			Max: 2 * len(members), Desired: len(members), HealthCheckType: "EC2", CreatedTime: lt.CreateTime,
			Tags: map[string]string{clusterTag: c}}
		seen := map[string]bool{}
		for _, in := range members {
			in.Tags[groupTag] = c
			g.Instances = append(g.Instances, in.ID)
			// One VPC per group, as AWS requires: members elsewhere stay
			// members, but the group launches only into its first VPC.
			if sn := r.Subnets[in.SubnetID]; sn.VPCID == first.VPCID && !seen[sn.ID] {
				seen[sn.ID] = true
				g.SubnetIDs = append(g.SubnetIDs, sn.ID)
			}
		}
		sort.Strings(g.SubnetIDs)
		r.Groups[g.Name] = g
	}
	r.touch()
}

// imagesInUse registers every AMI the region's instances run, so
// DescribeImages knows them.
func imagesInUse(r *Region, epoch time.Time) {
	for _, in := range r.Instances {
		addImage(r, &Image{ID: in.ImageID, Name: "acme-" + strings.TrimPrefix(in.ImageID, "ami-"), OwnerID: r.AccountID,
			State: "available", CreationDate: epoch.Add(-60 * 24 * time.Hour), Architecture: "x86_64"})
	}
	for _, id := range sortedKeys(r, "vpcs", r.VPCs) {
		addSecurityGroup(r, id, "default", "default VPC security group")
	}
	r.touch()
}

// throttledSubnets is story S5: the demo's full subnets (fullSubnets)
// plus group rebuild, which could not fit in us-east-1c.
func throttledSubnets(r *Region, epoch time.Time) {
	fullSubnets(r, epoch)
	rebuildGroup(r, epoch)
}

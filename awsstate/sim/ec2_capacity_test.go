package sim

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The preflight reads through the real SDK: what a launch template names,
// and whether it exists.

func TestDescribeLaunchTemplatesAndVersions(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s4"})
	c := e.prod()
	out, err := c.DescribeLaunchTemplates(ctx(t), &ec2.DescribeLaunchTemplatesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.LaunchTemplates) != 2 {
		t.Fatalf("templates: %+v", out.LaunchTemplates)
	}
	web, up := out.LaunchTemplates[0], out.LaunchTemplates[1]
	if aws.ToString(web.LaunchTemplateName) != "acme-web" || aws.ToInt64(web.DefaultVersionNumber) != 2 || aws.ToInt64(web.LatestVersionNumber) != 3 ||
		aws.ToString(up.LaunchTemplateName) != "uploader" || web.CreateTime == nil || aws.ToString(web.CreatedBy) == "" {
		t.Errorf("templates: %+v %+v", web, up)
	}
	byName, err := c.DescribeLaunchTemplates(ctx(t), &ec2.DescribeLaunchTemplatesInput{LaunchTemplateNames: []string{"uploader"}})
	if err != nil || len(byName.LaunchTemplates) != 1 || aws.ToString(byName.LaunchTemplates[0].LaunchTemplateId) != aws.ToString(up.LaunchTemplateId) {
		t.Errorf("by name: %+v %v", byName, err)
	}
	_, err = c.DescribeLaunchTemplates(ctx(t), &ec2.DescribeLaunchTemplatesInput{LaunchTemplateNames: []string{"nope"}})
	wantCode(t, err, "InvalidLaunchTemplateName.NotFoundException")
	_, err = c.DescribeLaunchTemplates(ctx(t), &ec2.DescribeLaunchTemplatesInput{LaunchTemplateIds: []string{"lt-09999999999999999"}})
	wantCode(t, err, "InvalidLaunchTemplateId.NotFound")
	_, err = c.DescribeLaunchTemplates(ctx(t), &ec2.DescribeLaunchTemplatesInput{LaunchTemplateIds: []string{"lt-1"}})
	wantCode(t, err, "InvalidLaunchTemplateId.Malformed")
	_, err = c.DescribeLaunchTemplates(ctx(t), &ec2.DescribeLaunchTemplatesInput{MaxResults: aws.Int32(201)})
	wantCode(t, err, "InvalidParameterValue")
	page, err := c.DescribeLaunchTemplates(ctx(t), &ec2.DescribeLaunchTemplatesInput{MaxResults: aws.Int32(1)})
	if err != nil || len(page.LaunchTemplates) != 1 || page.NextToken == nil {
		t.Errorf("page of 1: %+v %v", page, err)
	}

	// S4's template: $Latest names the missing AMI and the missing group
	// name; $Default is the old, good version.
	versions := func(in *ec2.DescribeLaunchTemplateVersionsInput) []ec2types.LaunchTemplateVersion {
		t.Helper()
		out, err := c.DescribeLaunchTemplateVersions(ctx(t), in)
		if err != nil {
			t.Fatalf("%+v: %v", in, err)
		}
		return out.LaunchTemplateVersions
	}
	latest := versions(&ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateName: aws.String("uploader"), Versions: []string{"$Latest"}})
	if len(latest) != 1 || aws.ToInt64(latest[0].VersionNumber) != 3 || aws.ToBool(latest[0].DefaultVersion) {
		t.Fatalf("$Latest: %+v", latest)
	}
	d := latest[0].LaunchTemplateData
	if aws.ToString(d.ImageId) != MissingAMI || !slices.Equal(d.SecurityGroups, []string{MissingSecurityGroup}) || len(d.SecurityGroupIds) != 0 ||
		d.InstanceType != "c6i.large" {
		t.Errorf("$Latest data: %+v", d)
	}
	def := versions(&ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: up.LaunchTemplateId, Versions: []string{"$Default", "2"}})
	if len(def) != 2 || aws.ToInt64(def[0].VersionNumber) != 1 || !aws.ToBool(def[0].DefaultVersion) || aws.ToInt64(def[1].VersionNumber) != 2 ||
		len(def[0].LaunchTemplateData.SecurityGroupIds) != 1 {
		t.Errorf("$Default and 2: %+v", def)
	}
	all := versions(&ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateName: aws.String("acme-web")})
	if len(all) != 3 {
		t.Fatalf("all versions: %d", len(all))
	}
	// Version 3 of acme-web puts its security group on the interface.
	ni := all[2].LaunchTemplateData.NetworkInterfaces
	if len(ni) != 1 || aws.ToInt32(ni[0].DeviceIndex) != 0 || len(ni[0].Groups) != 1 || !strings.HasPrefix(ni[0].Groups[0], "sg-0") {
		t.Errorf("interfaces: %+v", ni)
	}
	if r := versions(&ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateName: aws.String("acme-web"), MinVersion: aws.String("2")}); len(r) != 2 {
		t.Errorf("MinVersion 2: %d", len(r))
	}
	// Without a template: $Latest of every template.
	if r := versions(&ec2.DescribeLaunchTemplateVersionsInput{Versions: []string{"$Latest"}}); len(r) != 2 {
		t.Errorf("$Latest of all: %d", len(r))
	}
	_, err = c.DescribeLaunchTemplateVersions(ctx(t), &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateName: aws.String("uploader"), Versions: []string{"9"}})
	wantCode(t, err, "InvalidLaunchTemplateId.VersionNotFound")
	_, err = c.DescribeLaunchTemplateVersions(ctx(t), &ec2.DescribeLaunchTemplateVersionsInput{Versions: []string{"1"}})
	wantCode(t, err, "MissingParameter")
	_, err = c.DescribeLaunchTemplateVersions(ctx(t), &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateName: aws.String("nope")})
	wantCode(t, err, "InvalidLaunchTemplateName.NotFoundException")

	// Paging through versions with the SDK's paginator.
	p := ec2.NewDescribeLaunchTemplateVersionsPaginator(c, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateName: aws.String("acme-web"), MaxResults: aws.Int32(1)})
	var n int
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.LaunchTemplateVersions)
	}
	if n != 3 {
		t.Errorf("paginated versions: %d", n)
	}
}

func TestDescribeImages(t *testing.T) {
	e := newEnv(t, Options{Scenario: "s4"})
	c := e.prod()
	own, err := c.DescribeImages(ctx(t), &ec2.DescribeImagesInput{Owners: []string{"self"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(own.Images) != 2 {
		t.Fatalf("own images: %+v", own.Images)
	}
	img := own.Images[0]
	if img.State != ec2types.ImageStateAvailable || aws.ToString(img.OwnerId) != ProdAccountID || aws.ToString(img.Name) == "" ||
		aws.ToBool(img.Public) || img.Architecture != ec2types.ArchitectureValuesX8664 || aws.ToString(img.CreationDate) == "" ||
		len(img.BlockDeviceMappings) != 1 {
		t.Errorf("image: %+v", img)
	}
	amazon, err := c.DescribeImages(ctx(t), &ec2.DescribeImagesInput{Owners: []string{"amazon"}})
	if err != nil || len(amazon.Images) != 1 || aws.ToString(amazon.Images[0].ImageOwnerAlias) != "amazon" || !aws.ToBool(amazon.Images[0].Public) {
		t.Errorf("amazon: %+v %v", amazon, err)
	}
	if all, err := c.DescribeImages(ctx(t), &ec2.DescribeImagesInput{}); err != nil || len(all.Images) != 3 {
		t.Errorf("visible images: %v %v", all, err)
	}

	// S4's missing AMI asked for by ID.
	_, err = c.DescribeImages(ctx(t), &ec2.DescribeImagesInput{ImageIds: []string{MissingAMI}})
	wantCode(t, err, "InvalidAMIID.NotFound")
	if !strings.Contains(err.Error(), "The image id '["+MissingAMI+"]' does not exist") {
		t.Errorf("message: %v", err)
	}
	_, err = c.DescribeImages(ctx(t), &ec2.DescribeImagesInput{ImageIds: []string{"ami-123"}})
	wantCode(t, err, "InvalidAMIID.Malformed")
	_, err = c.DescribeImages(ctx(t), &ec2.DescribeImagesInput{ImageIds: []string{aws.ToString(img.ImageId)}, MaxResults: aws.Int32(5)})
	wantCode(t, err, "InvalidParameterCombination")
	_, err = c.DescribeImages(ctx(t), &ec2.DescribeImagesInput{Owners: []string{"someone"}})
	wantCode(t, err, "InvalidParameterValue")
	byState, err := c.DescribeImages(ctx(t), &ec2.DescribeImagesInput{Filters: []ec2types.Filter{f("name", "acme-web-*"), f("state", "available")}})
	if err != nil || len(byState.Images) != 1 {
		t.Errorf("filters: %+v %v", byState, err)
	}

	// Deregistered: absent when asked for by ID, not an error; pending is
	// listed as pending.
	id := aws.ToString(img.ImageId)
	e.s.Update(ProdAccountID, "us-east-1", func(r *Region) { r.Images[id].State = "deregistered" })
	gone, err := c.DescribeImages(ctx(t), &ec2.DescribeImagesInput{ImageIds: []string{id}})
	if err != nil || len(gone.Images) != 0 {
		t.Errorf("deregistered: %+v %v", gone, err)
	}
	// Another account's private image is invisible.
	st, err := e.ec2(StagingAccessKey).DescribeImages(ctx(t), &ec2.DescribeImagesInput{Owners: []string{ProdAccountID}})
	if err != nil || len(st.Images) != 0 {
		t.Errorf("staging sees prod's images: %+v %v", st, err)
	}
}

func TestDescribeSecurityGroups(t *testing.T) {
	e := newEnv(t, Options{})
	c := e.prod()
	all, err := c.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.SecurityGroups) != 3 {
		t.Fatalf("groups: %+v", all.SecurityGroups)
	}
	var web ec2types.SecurityGroup
	for _, sg := range all.SecurityGroups {
		if aws.ToString(sg.GroupName) == "acme-web" {
			web = sg
		}
	}
	if aws.ToString(web.VpcId) != "vpc-01100000000000001" || aws.ToString(web.OwnerId) != ProdAccountID ||
		!strings.HasSuffix(aws.ToString(web.SecurityGroupArn), ":security-group/"+aws.ToString(web.GroupId)) ||
		len(web.IpPermissionsEgress) != 1 || aws.ToString(web.IpPermissionsEgress[0].IpRanges[0].CidrIp) != "0.0.0.0/0" {
		t.Errorf("acme-web: %+v", web)
	}
	// A launch template's group names are checked with filters in a
	// non-default VPC.
	byName, err := c.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		f("group-name", "acme-web", MissingSecurityGroup), f("vpc-id", "vpc-01100000000000001")}})
	if err != nil || len(byName.SecurityGroups) != 1 || aws.ToString(byName.SecurityGroups[0].GroupId) != aws.ToString(web.GroupId) {
		t.Errorf("by filter: %+v %v", byName, err)
	}
	_, err = c.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-09999999999999999"}})
	wantCode(t, err, "InvalidGroup.NotFound")
	_, err = c.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-1"}})
	wantCode(t, err, "InvalidGroupId.Malformed")
	// GroupNames work only in a default VPC: us-east-1 has none.
	_, err = c.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"acme-web"}})
	wantCode(t, err, "VPCIdNotSpecified")
	eu := ec2.NewFromConfig(e.cfg(ProdAccessKey, "eu-west-1"))
	if out, err := eu.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"default"}}); err != nil || len(out.SecurityGroups) != 1 {
		t.Errorf("default by name in the default VPC: %+v %v", out, err)
	}
	_, err = eu.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"nope"}})
	wantCode(t, err, "InvalidGroup.NotFound")
	page, err := c.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(5)})
	if err != nil || len(page.SecurityGroups) != 3 || page.NextToken != nil {
		t.Errorf("a page of 5: %+v %v", page, err)
	}
	_, err = c.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(4)})
	wantCode(t, err, "InvalidParameterValue")
}

func TestDescribeInstanceTypeOfferings(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.Update(ProdAccountID, "us-east-1", func(r *Region) { r.Offerings["us-east-1c"] = []string{"t3.micro"} })
	c := e.prod()
	region, err := c.DescribeInstanceTypeOfferings(ctx(t), &ec2.DescribeInstanceTypeOfferingsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(region.InstanceTypeOfferings) != len(defaultInstanceTypes) || region.InstanceTypeOfferings[0].LocationType != ec2types.LocationTypeRegion ||
		aws.ToString(region.InstanceTypeOfferings[0].Location) != "us-east-1" {
		t.Errorf("region: %+v", region.InstanceTypeOfferings)
	}
	// m5.large in which zones?
	az, err := c.DescribeInstanceTypeOfferings(ctx(t), &ec2.DescribeInstanceTypeOfferingsInput{
		LocationType: ec2types.LocationTypeAvailabilityZone, Filters: []ec2types.Filter{f("instance-type", "m5.large")}})
	if err != nil {
		t.Fatal(err)
	}
	var zones []string
	for _, o := range az.InstanceTypeOfferings {
		zones = append(zones, aws.ToString(o.Location))
	}
	if strings.Join(zones, ",") != "us-east-1a,us-east-1b" {
		t.Errorf("m5.large offered in %v", zones)
	}
	ids, err := c.DescribeInstanceTypeOfferings(ctx(t), &ec2.DescribeInstanceTypeOfferingsInput{
		LocationType: ec2types.LocationTypeAvailabilityZoneId, Filters: []ec2types.Filter{f("location", "use1-az3")}})
	if err != nil || len(ids.InstanceTypeOfferings) != 1 || ids.InstanceTypeOfferings[0].InstanceType != "t3.micro" {
		t.Errorf("by zone ID: %+v %v", ids, err)
	}
	// Paging, 5..1000.
	p := ec2.NewDescribeInstanceTypeOfferingsPaginator(c, &ec2.DescribeInstanceTypeOfferingsInput{LocationType: ec2types.LocationTypeAvailabilityZone, MaxResults: aws.Int32(5)})
	n, pages := 0, 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		n, pages = n+len(out.InstanceTypeOfferings), pages+1
	}
	if n != 2*len(defaultInstanceTypes)+1 || pages != 5 {
		t.Errorf("%d offerings in %d pages", n, pages)
	}
	_, err = c.DescribeInstanceTypeOfferings(ctx(t), &ec2.DescribeInstanceTypeOfferingsInput{MaxResults: aws.Int32(1001)})
	wantCode(t, err, "InvalidParameterValue")
	_, err = c.DescribeInstanceTypeOfferings(ctx(t), &ec2.DescribeInstanceTypeOfferingsInput{LocationType: "planet"})
	wantCode(t, err, "InvalidParameterValue")
	_, err = c.DescribeInstanceTypeOfferings(ctx(t), &ec2.DescribeInstanceTypeOfferingsInput{Filters: []ec2types.Filter{f("vcpus", "2")}})
	wantCode(t, err, "InvalidParameterValue")
}

// TestLaunchProblemsInAWSWords: each reason a launch fails, as the group's
// activity records it.
func TestLaunchProblemsInAWSWords(t *testing.T) {
	e := newEnv(t, Options{})
	var webSG string
	e.s.Update(ProdAccountID, "us-east-1", func(r *Region) {
		for _, sg := range r.SecurityGroups {
			if sg.Name == "acme-web" {
				webSG = sg.ID
			}
		}
	})
	for _, tc := range []struct {
		name   string
		change func(r *Region, g *Group)
		want   string
	}{
		{"pending image", func(r *Region, g *Group) {
			r.Images[r.Instances["i-01100000000000001"].ImageID].State = "pending"
		}, "AMI ami-011a1b2c3d4e5f600 is pending, and cannot be run. Launching EC2 instance failed."},
		{"security group deleted", func(r *Region, g *Group) { delete(r.SecurityGroups, webSG) },
			"The security group '" + webSG + "' does not exist in VPC 'vpc-01100000000000001'. Launching EC2 instance failed."},
		{"type not offered", func(r *Region, g *Group) {
			for _, az := range []string{"us-east-1a", "us-east-1b", "us-east-1c"} {
				r.Offerings[az] = []string{"t3.micro"}
			}
		}, "Your requested instance type (m5.large) is not supported in your requested Availability Zone (us-east-1"},
		{"subnets full", func(r *Region, g *Group) {
			for _, sn := range r.Subnets {
				sn.AvailableIPs = 0
			}
		}, "There are not enough free addresses in subnet 'subnet-0110000000000000"},
		{"template gone", func(r *Region, g *Group) { delete(r.LaunchTemplates, g.LaunchTemplateID) }, "does not exist."},
	} {
		e.s.Reset()
		e.s.Update(ProdAccountID, "us-east-1", func(r *Region) { tc.change(r, r.Groups["blue"]) })
		var ok struct{}
		e.asOK(t, &ok, "SetDesiredCapacity", "AutoScalingGroupName", "blue", "DesiredCapacity", "4")
		acts := e.activities(t, "AutoScalingGroupName", "blue", "MaxRecords", "1")
		if acts[0].StatusCode != "Failed" || !strings.Contains(acts[0].StatusMessage, tc.want) || !strings.HasSuffix(acts[0].StatusMessage, " Launching EC2 instance failed.") {
			t.Errorf("%s: %+v", tc.name, acts[0])
		}
	}
	// One subnet full: the launch goes to another.
	e.s.Reset()
	e.s.Update(ProdAccountID, "us-east-1", func(r *Region) { r.Subnets["subnet-01100000000000001"].AvailableIPs = 0 })
	var ok struct{}
	e.asOK(t, &ok, "SetDesiredCapacity", "AutoScalingGroupName", "blue", "DesiredCapacity", "6")
	acts := e.activities(t, "AutoScalingGroupName", "blue", "MaxRecords", "3")
	for _, a := range acts {
		if a.StatusCode != "Successful" || strings.Contains(a.Details, "subnet-01100000000000001") {
			t.Errorf("launch into the full subnet: %+v", a)
		}
	}
	// The new members took addresses from their subnets.
	out, err := e.prod().DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-01100000000000002", "subnet-01100000000000003"}})
	if err != nil {
		t.Fatal(err)
	}
	if free := aws.ToInt32(out.Subnets[0].AvailableIpAddressCount) + aws.ToInt32(out.Subnets[1].AvailableIpAddressCount); free != 246+3-3 {
		t.Errorf("free addresses in b and c: %d, want %d", free, 246)
	}
}

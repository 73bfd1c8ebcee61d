package model

import (
	"reflect"
	"testing"
)

// goodLaunch is the facts of a group whose launch would succeed.
func goodLaunch() (LaunchFacts, Group) {
	g := Group{Name: "uploader", Desired: 6, InService: 2, Subnets: []string{"subnet-a", "subnet-b"},
		LaunchTemplate: LaunchTemplateRef{ID: "lt-2", Name: "uploader", Version: "$Latest"}}
	f := LaunchFacts{
		Groups: []Group{g},
		Templates: map[string]TemplateVersion{"uploader": {TemplateID: "lt-2", TemplateName: "uploader", Number: 3,
			ImageID: "ami-1", InstanceType: "c6i.large", SecurityGroupIDs: []string{"sg-1"}, SecurityGroupNames: []string{"acme-uploader"}}},
		Images: map[string]Image{"ami-1": {ID: "ami-1", State: "available"}},
		SecurityGroups: []VPCSecurityGroup{{ID: "sg-1", Name: "acme-uploader", VPCID: "vpc-1"},
			{ID: "sg-9", Name: "uploader-prod", VPCID: "vpc-other"}},
		Subnets: map[string]Subnet{
			"subnet-a": {ID: "subnet-a", VPCID: "vpc-1", AZ: "us-east-1a", AvailableIPs: 2},
			"subnet-b": {ID: "subnet-b", VPCID: "vpc-1", AZ: "us-east-1b", AvailableIPs: 3}},
		Offerings: map[string][]string{"c6i.large": {"us-east-1a", "us-east-1b", "us-east-1c"}},
	}
	return f, g
}

func TestPreflight(t *testing.T) {
	type result struct {
		name    CheckName
		ok      bool
		unknown bool
		detail  string
	}
	pass := map[CheckName]result{
		CheckImage:          {CheckImage, true, false, "AMI ami-1 is available"},
		CheckSecurityGroup:  {CheckSecurityGroup, true, false, "security groups sg-1, acme-uploader exist in VPC vpc-1"},
		CheckInstanceType:   {CheckInstanceType, true, false, "instance type c6i.large is offered in us-east-1a, us-east-1b"},
		CheckSubnetCapacity: {CheckSubnetCapacity, true, false, "5 free addresses for a shortfall of 4"},
	}
	where := "(launch template uploader $Latest (version 3))"
	for _, tc := range []struct {
		name string
		edit func(f *LaunchFacts, g *Group)
		want map[CheckName]result // the checks that differ from pass
	}{
		{name: "everything exists", edit: func(*LaunchFacts, *Group) {}},
		{
			name: "S4: the AMI and a security group name do not exist",
			edit: func(f *LaunchFacts, g *Group) {
				tv := f.Templates["uploader"]
				tv.ImageID, tv.SecurityGroupNames = "ami-0deadbeef00000000", []string{"uploader-prod"}
				f.Templates["uploader"] = tv
			},
			want: map[CheckName]result{
				CheckImage:         {CheckImage, false, false, "AMI ami-0deadbeef00000000 does not exist " + where},
				CheckSecurityGroup: {CheckSecurityGroup, false, false, "security group uploader-prod does not exist in VPC vpc-1 " + where},
			},
		},
		{
			name: "an image that is not available",
			edit: func(f *LaunchFacts, g *Group) { f.Images["ami-1"] = Image{ID: "ami-1", State: "deregistered"} },
			want: map[CheckName]result{CheckImage: {CheckImage, false, false, "AMI ami-1 is deregistered, not available " + where}},
		},
		{
			name: "images could not be read: unknown, not missing",
			edit: func(f *LaunchFacts, g *Group) { f.ImagesUnread = "access denied to ec2:DescribeImages" },
			want: map[CheckName]result{CheckImage: {CheckImage, false, true, "could not check AMI ami-1: access denied to ec2:DescribeImages"}},
		},
		{
			name: "a security group ID in another VPC",
			edit: func(f *LaunchFacts, g *Group) {
				tv := f.Templates["uploader"]
				tv.SecurityGroupIDs = []string{"sg-9"}
				tv.SecurityGroupNames = nil
				f.Templates["uploader"] = tv
			},
			want: map[CheckName]result{CheckSecurityGroup: {CheckSecurityGroup, false, false, "security group sg-9 does not exist in VPC vpc-1 " + where}},
		},
		{
			name: "the instance type is not offered in one zone",
			edit: func(f *LaunchFacts, g *Group) { f.Offerings["c6i.large"] = []string{"us-east-1a"} },
			want: map[CheckName]result{CheckInstanceType: {CheckInstanceType, false, false, "instance type c6i.large is not offered in us-east-1b " + where}},
		},
		{
			name: "S5: the subnets cannot hold the shortfall",
			edit: func(f *LaunchFacts, g *Group) { g.InService = 0 },
			want: map[CheckName]result{CheckSubnetCapacity: {CheckSubnetCapacity, false, false,
				"5 free addresses for a shortfall of 6 (subnet-a us-east-1a 2 free, subnet-b us-east-1b 3 free)"}},
		},
		{
			name: "pending instances already hold their addresses",
			edit: func(f *LaunchFacts, g *Group) { g.InService, g.Pending = 0, 3 },
			want: map[CheckName]result{CheckSubnetCapacity: {CheckSubnetCapacity, true, false, "5 free addresses for a shortfall of 3"}},
		},
		{
			name: "a subnet that no longer exists",
			edit: func(f *LaunchFacts, g *Group) { delete(f.Subnets, "subnet-b") },
			want: map[CheckName]result{
				CheckSubnetCapacity: {CheckSubnetCapacity, false, false, "subnet subnet-b does not exist"},
				CheckInstanceType:   {CheckInstanceType, true, false, "instance type c6i.large is offered in us-east-1a"},
			},
		},
		{
			name: "the launch template version does not exist",
			edit: func(f *LaunchFacts, g *Group) {
				delete(f.Templates, "uploader")
				f.TemplatesUnread = map[string]string{"uploader": "launch template uploader has no version 7"}
				f.TemplateMissing = map[string]bool{"uploader": true}
			},
			want: map[CheckName]result{
				CheckImage:         {CheckImage, false, false, "launch template uploader has no version 7"},
				CheckSecurityGroup: {CheckSecurityGroup, false, true, "could not check: launch template uploader has no version 7"},
				CheckInstanceType:  {CheckInstanceType, false, true, "could not check: launch template uploader has no version 7"},
			},
		},
		{
			name: "a launch configuration is not read: unknown",
			edit: func(f *LaunchFacts, g *Group) {
				delete(f.Templates, "uploader")
				g.LaunchTemplate, g.LaunchConfiguration = LaunchTemplateRef{}, "old-lc"
			},
			want: func() map[CheckName]result {
				why := "could not check: the group launches from launch configuration old-lc, which airlock does not read"
				return map[CheckName]result{
					CheckImage:         {CheckImage, false, true, why},
					CheckSecurityGroup: {CheckSecurityGroup, false, true, why},
					CheckInstanceType:  {CheckInstanceType, false, true, why},
				}
			}(),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, g := goodLaunch()
			tc.edit(&f, &g)
			p := PreflightGroup(f, g)
			var got []result
			for _, c := range p.Checks {
				got = append(got, result{c.Name, c.OK, c.Unknown != "", c.Detail})
			}
			var want []result
			failed, unknown := false, false
			for _, name := range []CheckName{CheckImage, CheckSecurityGroup, CheckInstanceType, CheckSubnetCapacity} {
				r, ok := tc.want[name]
				if !ok {
					r = pass[name]
				}
				failed = failed || !r.ok && !r.unknown
				unknown = unknown || r.unknown
				want = append(want, r)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("checks =\n%v\nwant\n%v", got, want)
			}
			if p.OK() != (len(tc.want) == 0 || !failed && !unknown) || p.Failed() != failed || p.Unknown() != unknown {
				t.Errorf("OK, Failed, Unknown = %v, %v, %v; want failed %v, unknown %v", p.OK(), p.Failed(), p.Unknown(), failed, unknown)
			}
		})
	}
}

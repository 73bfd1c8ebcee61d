package awsstate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/airlock-ops/airlock/model"
)

// This file reads what a launch preflight checks (model.Preflight): the
// launch template version each group resolves to, the images and
// security groups it names, the subnets' free addresses and where its
// instance type is offered. It costs a handful of calls whatever the
// number of groups: every template's $Latest and $Default in one
// listing, then one listing each of images, security groups, subnets
// and offerings, filtered to what the groups name.

// Page sizes: DescribeLaunchTemplateVersions takes at most 200;
// filter values are capped at 200 per filter by EC2.
const (
	templatePageSize = 200
	filterValuesMax  = 200
)

// Preflight reads the launch facts of the named groups (every group when
// none is named) and checks them. A group named that does not exist is
// an error naming it. err is set only when the groups themselves could
// not be listed; a part that could not be read leaves its checks unknown
// (model.Check.Unknown) and is returned as partErr.
func (c *Client) Preflight(ctx context.Context, names ...string) (results []model.GroupPreflight, facts model.LaunchFacts, partErr, err error) {
	facts, err = c.launchFacts(ctx, names...)
	if err != nil && len(facts.Groups) == 0 {
		return nil, facts, nil, err
	}
	if len(names) > 0 {
		var missing []string
		for _, n := range names {
			if !slices.ContainsFunc(facts.Groups, func(g model.Group) bool { return g.Name == n }) {
				missing = append(missing, model.Display(n))
			}
		}
		if len(missing) > 0 {
			return nil, facts, nil, &NoSuchGroupError{Names: missing, Region: c.region}
		}
	}
	return model.Preflight(facts), facts, err, nil
}

// NoSuchGroupError is a group named to Preflight that the region does not
// have.
type NoSuchGroupError struct {
	Names  []string // display form
	Region string
}

func (e *NoSuchGroupError) Error() string {
	q := make([]string, len(e.Names))
	for i, s := range e.Names {
		q[i] = strconv.Quote(s)
	}
	return fmt.Sprintf("no Auto Scaling group named %s in %s", strings.Join(q, ", "), e.Region)
}

// launchFacts reads everything a preflight of the named groups (all when
// none) needs. The error is the groups' listing's when it failed,
// otherwise every part that could not be read, joined; the facts hold
// whatever did arrive, each failure recorded in its ...Unread field.
func (c *Client) launchFacts(ctx context.Context, names ...string) (model.LaunchFacts, error) {
	f := model.LaunchFacts{FetchedAt: time.Now()}

	var groupsErr, subnetsErr error
	var subnets []model.Subnet
	var wg sync.WaitGroup
	wg.Go(func() { subnets, subnetsErr = c.subnets(ctx) })
	f.Groups, groupsErr = c.groups(ctx, names...)
	wg.Wait()
	if groupsErr != nil {
		return f, groupsErr
	}
	f.Subnets = make(map[string]model.Subnet, len(subnets))
	for _, s := range subnets {
		f.Subnets[s.ID] = s
	}
	if subnetsErr != nil {
		f.SubnetsUnread = Explain(subnetsErr)
	}

	templErr := c.resolveTemplates(ctx, &f)

	// What the resolved versions name, and where the groups launch.
	var images, instanceTypes, zones, vpcs []string
	for _, tv := range f.Templates {
		if tv.ImageID != "" {
			images = append(images, tv.ImageID)
		}
		if tv.InstanceType != "" {
			instanceTypes = append(instanceTypes, tv.InstanceType)
		}
	}
	for _, g := range f.Groups {
		for _, id := range g.Subnets {
			if s, ok := f.Subnets[id]; ok {
				zones, vpcs = append(zones, s.AZ), append(vpcs, s.VPCID)
			}
		}
		zones = append(zones, g.AZs...)
	}

	var imgErr, sgErr, offErr error
	wg.Go(func() { f.Images, imgErr = c.images(ctx, uniq(images)) })
	wg.Go(func() { f.SecurityGroups, sgErr = c.securityGroups(ctx, uniq(vpcs)) })
	wg.Go(func() { f.Offerings, offErr = c.offerings(ctx, uniq(instanceTypes), uniq(zones)) })
	wg.Wait()
	if imgErr != nil {
		f.ImagesUnread = Explain(imgErr)
	}
	if sgErr != nil {
		f.SecurityGroupsUnread = Explain(sgErr)
	}
	if offErr != nil {
		f.OfferingsUnread = Explain(offErr)
	}
	return f, errors.Join(subnetsErr, templErr, imgErr, sgErr, offErr)
}

// resolveTemplates fills f.Templates with the version each group's launch
// template reference resolves to: every template's $Latest and $Default
// in one listing, numbered versions per template. A template or version
// that does not exist is recorded as missing (a failed check); a call
// that failed, as unread (an unknown one). The error is a failed call's.
func (c *Client) resolveTemplates(ctx context.Context, f *model.LaunchFacts) error {
	f.Templates = map[string]model.TemplateVersion{}
	f.TemplatesUnread = map[string]string{}
	f.TemplateMissing = map[string]bool{}

	var uses []model.Group // groups that launch from a template
	numbered := map[string][]string{}
	for _, g := range f.Groups {
		ref := g.LaunchTemplate
		if ref.ID == "" && ref.Name == "" {
			continue
		}
		uses = append(uses, g)
		if _, err := strconv.ParseInt(ref.Version, 10, 64); err == nil {
			key := ref.ID
			if key == "" {
				key = "name:" + ref.Name
			}
			numbered[key] = append(numbered[key], ref.Version)
		}
	}
	if len(uses) == 0 {
		return nil
	}

	latest := map[string]model.TemplateVersion{} // template ID → $Latest
	def := map[string]model.TemplateVersion{}    // template ID → $Default
	idOf := map[string]string{}                  // name → ID
	numberedFound := map[string]model.TemplateVersion{}
	numberedErr := map[string]string{}
	numberedMissing := map[string]bool{}

	var listErr error
	p := ec2.NewDescribeLaunchTemplateVersionsPaginator(c.ec2, &ec2.DescribeLaunchTemplateVersionsInput{
		Versions:   []string{"$Latest", "$Default"},
		MaxResults: aws.Int32(templatePageSize),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			listErr = err
			break
		}
		for _, v := range page.LaunchTemplateVersions {
			tv := templateVersionFrom(v)
			idOf[tv.TemplateName] = tv.TemplateID
			if l, ok := latest[tv.TemplateID]; !ok || tv.Number > l.Number {
				latest[tv.TemplateID] = tv
			}
			if aws.ToBool(v.DefaultVersion) {
				def[tv.TemplateID] = tv
			}
		}
	}

	var errs []error
	for key, vs := range numbered {
		in := &ec2.DescribeLaunchTemplateVersionsInput{Versions: uniq(vs)}
		if name, ok := strings.CutPrefix(key, "name:"); ok {
			in.LaunchTemplateName = aws.String(name)
		} else {
			in.LaunchTemplateId = aws.String(key)
		}
		out, err := c.ec2.DescribeLaunchTemplateVersions(ctx, in)
		if err != nil {
			if templateNotFound(err) {
				numberedMissing[key] = true
			} else {
				numberedErr[key] = Explain(err)
				errs = append(errs, err)
			}
			continue
		}
		for _, v := range out.LaunchTemplateVersions {
			tv := templateVersionFrom(v)
			numberedFound[key+"/"+strconv.FormatInt(tv.Number, 10)] = tv
		}
	}

	for _, g := range uses {
		ref := g.LaunchTemplate
		id := ref.ID
		if id == "" {
			id = idOf[ref.Name]
		}
		name := ref.Name
		if name == "" {
			name = ref.ID
		}
		switch ref.Version {
		case "", "$Default", "$Latest":
			pick := def
			if ref.Version == "$Latest" {
				pick = latest
			}
			switch tv, ok := pick[id]; {
			case ok:
				f.Templates[g.Name] = tv
			case listErr != nil:
				f.TemplatesUnread[g.Name] = "launch template " + model.Display(name) + " could not be read: " + Explain(listErr)
			default:
				f.TemplatesUnread[g.Name] = "launch template " + model.Display(name) + " does not exist"
				f.TemplateMissing[g.Name] = true
			}
		default:
			key := ref.ID
			if key == "" {
				key = "name:" + ref.Name
			}
			switch tv, ok := numberedFound[key+"/"+ref.Version]; {
			case ok:
				f.Templates[g.Name] = tv
			case numberedErr[key] != "":
				f.TemplatesUnread[g.Name] = "launch template " + model.Display(name) + " could not be read: " + numberedErr[key]
			case numberedMissing[key]:
				f.TemplatesUnread[g.Name] = "launch template " + model.Display(name) + " does not exist"
				f.TemplateMissing[g.Name] = true
			default:
				f.TemplatesUnread[g.Name] = "launch template " + model.Display(name) + " has no version " + ref.Version
				f.TemplateMissing[g.Name] = true
			}
		}
	}
	if listErr != nil {
		errs = append(errs, listErr)
	}
	return errors.Join(errs...)
}

// templateNotFound reports whether EC2 said the launch template (or the
// version asked for) does not exist.
func templateNotFound(err error) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	switch api.ErrorCode() {
	case "InvalidLaunchTemplateId.NotFound", "InvalidLaunchTemplateName.NotFoundException",
		"InvalidLaunchTemplateId.VersionNotFound", "InvalidLaunchTemplateName.NotFound":
		return true
	}
	return false
}

func templateVersionFrom(v types.LaunchTemplateVersion) model.TemplateVersion {
	tv := model.TemplateVersion{
		TemplateID:   str(v.LaunchTemplateId),
		TemplateName: str(v.LaunchTemplateName),
		Number:       aws.ToInt64(v.VersionNumber),
	}
	d := v.LaunchTemplateData
	if d == nil {
		return tv
	}
	tv.ImageID = str(d.ImageId)
	tv.InstanceType = enum(d.InstanceType)
	for _, id := range d.SecurityGroupIds {
		tv.SecurityGroupIDs = append(tv.SecurityGroupIDs, model.Sanitize(id))
	}
	for _, n := range d.SecurityGroups {
		tv.SecurityGroupNames = append(tv.SecurityGroupNames, model.Sanitize(n))
	}
	// Groups named on a network interface are IDs (EC2 API reference,
	// LaunchTemplateInstanceNetworkInterfaceSpecification.Groups).
	for _, ni := range d.NetworkInterfaces {
		for _, id := range ni.Groups {
			tv.SecurityGroupIDs = append(tv.SecurityGroupIDs, model.Sanitize(id))
		}
	}
	return tv
}

// images lists the images among ids that exist, by ID. An image-id filter
// rather than ImageId.N: with ImageId.N one unknown ID fails the whole
// call (InvalidAMIID.NotFound), with a filter it is simply absent, which
// is the answer the check wants.
func (c *Client) images(ctx context.Context, ids []string) (map[string]model.Image, error) {
	out := map[string]model.Image{}
	for _, ch := range chunk(ids, filterValuesMax) {
		p := ec2.NewDescribeImagesPaginator(c.ec2, &ec2.DescribeImagesInput{
			Filters:    []types.Filter{{Name: aws.String("image-id"), Values: ch}},
			MaxResults: aws.Int32(pageSize),
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return out, err
			}
			for _, img := range page.Images {
				im := model.Image{ID: str(img.ImageId), Name: str(img.Name), State: enum(img.State)}
				out[im.ID] = im
			}
		}
	}
	return out, nil
}

// securityGroups lists every security group of the VPCs, so that a group
// named by ID or by name is found, or known to be absent, in one listing.
func (c *Client) securityGroups(ctx context.Context, vpcs []string) ([]model.VPCSecurityGroup, error) {
	var out []model.VPCSecurityGroup
	for _, ch := range chunk(vpcs, filterValuesMax) {
		p := ec2.NewDescribeSecurityGroupsPaginator(c.ec2, &ec2.DescribeSecurityGroupsInput{
			Filters:    []types.Filter{{Name: aws.String("vpc-id"), Values: ch}},
			MaxResults: aws.Int32(pageSize),
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return out, err
			}
			for _, g := range page.SecurityGroups {
				out = append(out, model.VPCSecurityGroup{ID: str(g.GroupId), Name: str(g.GroupName), VPCID: str(g.VpcId)})
			}
		}
	}
	return out, nil
}

// offerings lists, for each instance type, the availability zones among
// zones that offer it.
func (c *Client) offerings(ctx context.Context, instanceTypes, zones []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(instanceTypes) == 0 || len(zones) == 0 {
		return out, nil
	}
	for _, ch := range chunk(instanceTypes, filterValuesMax) {
		p := ec2.NewDescribeInstanceTypeOfferingsPaginator(c.ec2, &ec2.DescribeInstanceTypeOfferingsInput{
			LocationType: types.LocationTypeAvailabilityZone,
			Filters: []types.Filter{
				{Name: aws.String("instance-type"), Values: ch},
				{Name: aws.String("location"), Values: zones},
			},
			MaxResults: aws.Int32(pageSize),
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return out, err
			}
			for _, o := range page.InstanceTypeOfferings {
				t := enum(o.InstanceType)
				out[t] = append(out[t], str(o.Location))
			}
		}
	}
	for t := range out {
		sort.Strings(out[t])
	}
	return out, nil
}

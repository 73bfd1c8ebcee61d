package awsstate

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/airlock-ops/airlock/model"
)

// This file is the one border crossing from SDK types into model types,
// and so the one place where strings from AWS are sanitised. IDs and enum
// values go through Sanitize too: they are short and cheap to clean, and an
// endpoint that is not really AWS could put anything in them.
//
// Tags of instances and addresses are the exception: they are identity
// (the cluster tag decides what an action touches) and stay raw, so
// "blue\u200b" is never merged into "blue". The model shows them through
// model.Display.

// str sanitises an optional string from the SDK.
func str(p *string) string { return model.Sanitize(aws.ToString(p)) }

// enum sanitises an SDK enum value, which is a string from the wire.
func enum[E ~string](e E) string { return model.Sanitize(string(e)) }

// tagsOf returns the tags exactly as AWS reported them, as model.Tags.
func tagsOf(tags []types.Tag) model.Tags {
	if len(tags) == 0 {
		return nil
	}
	raw := make([]model.Tag, len(tags))
	for i, t := range tags {
		raw[i] = model.Tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)}
	}
	return model.TagsFrom(raw)
}

// rawTags returns the tags exactly as AWS reported them, as a map.
func rawTags(tags []types.Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	raw := make(map[string]string, len(tags))
	for _, t := range tags {
		raw[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return raw
}

func identityFrom(out *sts.GetCallerIdentityOutput, aliases []string) model.Identity {
	id := model.Identity{
		AccountID: str(out.Account),
		ARN:       str(out.Arn),
		UserID:    str(out.UserId),
	}
	// An account has at most one alias.
	if len(aliases) > 0 {
		id.Alias = model.Sanitize(aliases[0])
	}
	return id
}

// interner keeps one copy of each string a listing repeats: a fleet's
// instances share a few types, images, subnets, zones, security groups,
// profiles, tag keys and cluster names, and the decoder allocates each
// occurrence anew. Interning them halves what a 50,000-instance list
// keeps in memory. A nil interner interns nothing.
type interner map[string]string

func (in interner) of(s string) string {
	if in == nil {
		return s
	}
	if v, ok := in[s]; ok {
		return v
	}
	in[s] = s
	return s
}

// instanceFrom converts one instance, interning what instances share
// (names and IPs are left alone: they are unique), and sharing what has
// not changed since prev, its entry in the previous list (prior.go; nil
// when there is none).
func instanceFrom(i types.Instance, in interner, prev *model.Instance) model.Instance {
	var tags model.Tags
	if prev != nil && sameTags(prev.Tags, i.Tags) {
		tags = prev.Tags
	} else if len(i.Tags) > 0 {
		raw := make([]model.Tag, len(i.Tags))
		for j, t := range i.Tags {
			k, v := aws.ToString(t.Key), aws.ToString(t.Value)
			if k != "Name" {
				v = in.of(v)
			}
			raw[j] = model.Tag{Key: in.of(k), Value: v}
		}
		tags = model.TagsFrom(raw)
	}
	out := model.Instance{
		ID:         str(i.InstanceId),
		Name:       tags.Get("Name"),
		Type:       in.of(enum(i.InstanceType)),
		ImageID:    in.of(str(i.ImageId)),
		SubnetID:   in.of(str(i.SubnetId)),
		VPCID:      in.of(str(i.VpcId)),
		PrivateIP:  str(i.PrivateIpAddress),
		PublicIP:   str(i.PublicIpAddress),
		LaunchTime: aws.ToTime(i.LaunchTime),
		Tags:       tags,
	}
	if i.State != nil {
		out.State = model.InstanceState(in.of(enum(i.State.Name)))
	}
	if i.Placement != nil {
		out.AZ = in.of(str(i.Placement.AvailabilityZone))
	}
	if len(i.SecurityGroups) > 0 {
		out.SecurityGroups = make([]model.SecurityGroup, 0, len(i.SecurityGroups))
		for _, g := range i.SecurityGroups {
			out.SecurityGroups = append(out.SecurityGroups, model.SecurityGroup{ID: in.of(str(g.GroupId)), Name: in.of(str(g.GroupName))})
		}
	}
	if i.IamInstanceProfile != nil {
		out.IAMProfile = in.of(str(i.IamInstanceProfile.Arn))
	}
	shareFrom(&out, prev)
	return out
}

func addressFrom(a types.Address) model.Address {
	return model.Address{
		AllocationID:       str(a.AllocationId),
		PublicIP:           str(a.PublicIp),
		AssociationID:      str(a.AssociationId),
		InstanceID:         str(a.InstanceId),
		NetworkInterfaceID: str(a.NetworkInterfaceId),
		PrivateIP:          str(a.PrivateIpAddress),
		Domain:             enum(a.Domain),
		Tags:               tagsOf(a.Tags),
	}
}

func subnetFrom(s types.Subnet) model.Subnet {
	// A subnet's name is only ever shown, never acted on by, so it is
	// sanitised like any other string.
	tags := model.SanitizeTags(rawTags(s.Tags))
	return model.Subnet{
		ID:           str(s.SubnetId),
		VPCID:        str(s.VpcId),
		AZ:           str(s.AvailabilityZone),
		CIDR:         str(s.CidrBlock),
		AvailableIPs: int(aws.ToInt32(s.AvailableIpAddressCount)),
		Name:         tags["Name"],
		DefaultForAZ: aws.ToBool(s.DefaultForAz),
	}
}

func statusFrom(s types.InstanceStatus) model.InstanceStatus {
	st := model.InstanceStatus{InstanceID: str(s.InstanceId)}
	if s.SystemStatus != nil {
		st.System = model.CheckStatus(enum(s.SystemStatus.Status))
	}
	if s.InstanceStatus != nil {
		st.Instance = model.CheckStatus(enum(s.InstanceStatus.Status))
	}
	// Completed and cancelled events are kept, as AWS reports them;
	// model.ScheduledEvent.Pending tells them apart.
	for _, e := range s.Events {
		st.Events = append(st.Events, model.ScheduledEvent{
			Code:        enum(e.Code),
			Description: str(e.Description),
			NotBefore:   aws.ToTime(e.NotBefore),
			NotAfter:    aws.ToTime(e.NotAfter),
		})
	}
	return st
}

package sim

import (
	"sort"
	"time"
)

// The EC2 response documents. Element names are EC2's own (lower camel
// case, lists as <xxxSet><item>), as the SDK's ec2query deserializers read
// them (service/ec2/deserializers.go, awsEc2query_deserializeDocument*).
// Fields the SDK would decode but airlock never reads are included where a
// real response always carries them, so the AWS CLI's output looks right.
// The envelope of an action that answers one list is ec2Listing
// (protocol.go); these are its items.

// ec2Time is EC2's timestamp format (ISO 8601, milliseconds, UTC).
func ec2Time(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type tagXML struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

// tagSet renders tags sorted by key, so responses are byte-for-byte stable.
func tagSet(tags map[string]string) set[tagXML] {
	if len(tags) == 0 {
		return nil
	}
	out := make(set[tagXML], 0, len(tags))
	for k, v := range tags {
		out = append(out, tagXML{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

type stateXML struct {
	Code int           `xml:"code"`
	Name InstanceState `xml:"name"`
}

func stateOf(s InstanceState) stateXML { return stateXML{Code: stateCode(s), Name: s} }

type reservationXML struct {
	ReservationID string           `xml:"reservationId"`
	OwnerID       string           `xml:"ownerId"`
	Groups        set[groupXML]    `xml:"groupSet"`
	Instances     set[instanceXML] `xml:"instancesSet"`
}

type groupXML struct {
	GroupID   string `xml:"groupId"`
	GroupName string `xml:"groupName"`
}

type instanceXML struct {
	InstanceID         string          `xml:"instanceId"`
	ImageID            string          `xml:"imageId"`
	State              stateXML        `xml:"instanceState"`
	PrivateDNSName     string          `xml:"privateDnsName"`
	DNSName            string          `xml:"dnsName"`
	Reason             string          `xml:"reason"`
	KeyName            string          `xml:"keyName,omitempty"`
	AMILaunchIndex     int             `xml:"amiLaunchIndex"`
	InstanceType       string          `xml:"instanceType"`
	LaunchTime         string          `xml:"launchTime"`
	Placement          placementXML    `xml:"placement"`
	Monitoring         monitoringXML   `xml:"monitoring"`
	SubnetID           string          `xml:"subnetId,omitempty"`
	VPCID              string          `xml:"vpcId,omitempty"`
	PrivateIP          string          `xml:"privateIpAddress,omitempty"`
	PublicIP           string          `xml:"ipAddress,omitempty"`
	StateReason        *stateReasonXML `xml:"stateReason,omitempty"`
	Architecture       string          `xml:"architecture"`
	RootDeviceType     string          `xml:"rootDeviceType"`
	RootDeviceName     string          `xml:"rootDeviceName"`
	VirtualizationType string          `xml:"virtualizationType"`
	Tags               set[tagXML]     `xml:"tagSet,omitempty"`
	Hypervisor         string          `xml:"hypervisor"`
	NetworkInterfaces  set[eniXML]     `xml:"networkInterfaceSet"`
	EBSOptimized       bool            `xml:"ebsOptimized"`
	// Groups and IAMProfile are the instance's security groups
	// (GroupIdentifier: groupId, groupName) and instance profile
	// (IamInstanceProfile: arn, id), per the Instance data type of the
	// EC2 API reference
	// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Instance.html)
	// and the SDK's awsEc2query_deserializeDocumentInstance.
	Groups     set[groupXML]  `xml:"groupSet"`
	IAMProfile *iamProfileXML `xml:"iamInstanceProfile,omitempty"`
	// BlockDevices are the attached EBS volumes (InstanceBlockDeviceMapping:
	// deviceName, ebs{volumeId, status, attachTime, deleteOnTermination}).
	BlockDevices set[blockMappingXML] `xml:"blockDeviceMapping"`
}

type blockMappingXML struct {
	DeviceName string         `xml:"deviceName"`
	EBS        instanceEBSXML `xml:"ebs"`
}

type instanceEBSXML struct {
	VolumeID            string `xml:"volumeId"`
	Status              string `xml:"status"`
	AttachTime          string `xml:"attachTime"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
}

type iamProfileXML struct {
	ARN string `xml:"arn"`
	ID  string `xml:"id"`
}

type placementXML struct {
	AvailabilityZone string `xml:"availabilityZone"`
	GroupName        string `xml:"groupName"`
	Tenancy          string `xml:"tenancy"`
}

type monitoringXML struct {
	State string `xml:"state"`
}

type stateReasonXML struct {
	Code    string `xml:"code"`
	Message string `xml:"message"`
}

type eniXML struct {
	NetworkInterfaceID string               `xml:"networkInterfaceId"`
	SubnetID           string               `xml:"subnetId"`
	VPCID              string               `xml:"vpcId"`
	OwnerID            string               `xml:"ownerId"`
	Status             string               `xml:"status"`
	PrivateIP          string               `xml:"privateIpAddress"`
	Attachment         eniAttachmentXML     `xml:"attachment"`
	Association        *eniAssociationXML   `xml:"association,omitempty"`
	PrivateIPs         set[eniPrivateIPXML] `xml:"privateIpAddressesSet"`
}

type eniAttachmentXML struct {
	AttachmentID        string `xml:"attachmentId"`
	DeviceIndex         int    `xml:"deviceIndex"`
	Status              string `xml:"status"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
}

// eniAssociationXML is a public address on an interface. ipOwnerId is the
// account for an Elastic IP and "amazon" for an auto-assigned address,
// which is how a client can tell the two apart from DescribeInstances alone.
type eniAssociationXML struct {
	PublicIP string `xml:"publicIp"`
	IPOwner  string `xml:"ipOwnerId"`
}

type eniPrivateIPXML struct {
	PrivateIP   string             `xml:"privateIpAddress"`
	Primary     bool               `xml:"primary"`
	Association *eniAssociationXML `xml:"association,omitempty"`
}

type addressXML struct {
	PublicIP                string      `xml:"publicIp"`
	AllocationID            string      `xml:"allocationId"`
	Domain                  string      `xml:"domain"`
	InstanceID              string      `xml:"instanceId,omitempty"`
	AssociationID           string      `xml:"associationId,omitempty"`
	NetworkInterfaceID      string      `xml:"networkInterfaceId,omitempty"`
	NetworkInterfaceOwnerID string      `xml:"networkInterfaceOwnerId,omitempty"`
	PrivateIP               string      `xml:"privateIpAddress,omitempty"`
	Tags                    set[tagXML] `xml:"tagSet,omitempty"`
	PublicIPv4Pool          string      `xml:"publicIpv4Pool"`
	NetworkBorderGroup      string      `xml:"networkBorderGroup"`
}

type subnetXML struct {
	SubnetID            string      `xml:"subnetId"`
	SubnetArn           string      `xml:"subnetArn"`
	State               string      `xml:"state"`
	OwnerID             string      `xml:"ownerId"`
	VPCID               string      `xml:"vpcId"`
	CIDR                string      `xml:"cidrBlock"`
	AvailableIPs        int         `xml:"availableIpAddressCount"`
	AvailabilityZone    string      `xml:"availabilityZone"`
	AvailabilityZoneID  string      `xml:"availabilityZoneId"`
	DefaultForAZ        bool        `xml:"defaultForAz"`
	MapPublicIPOnLaunch bool        `xml:"mapPublicIpOnLaunch"`
	Tags                set[tagXML] `xml:"tagSet,omitempty"`
}

type instanceStatusXML struct {
	InstanceID       string        `xml:"instanceId"`
	AvailabilityZone string        `xml:"availabilityZone"`
	Events           set[eventXML] `xml:"eventsSet,omitempty"`
	State            stateXML      `xml:"instanceState"`
	SystemStatus     statusSummary `xml:"systemStatus"`
	InstanceStatus   statusSummary `xml:"instanceStatus"`
}

type statusSummary struct {
	Status  string            `xml:"status"`
	Details set[statusDetail] `xml:"details,omitempty"`
}

type statusDetail struct {
	Name          string `xml:"name"`
	Status        string `xml:"status"`
	ImpairedSince string `xml:"impairedSince,omitempty"`
}

type eventXML struct {
	InstanceEventID string `xml:"instanceEventId"`
	Code            string `xml:"code"`
	Description     string `xml:"description"`
	NotBefore       string `xml:"notBefore"`
	NotAfter        string `xml:"notAfter,omitempty"`
}

package awsstate

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// partition is one AWS partition: its commercial regions and the pattern
// its future regions follow.
type partition struct {
	id      string
	pattern *regexp.Regexp
	regions []string
}

// partitions is the region data of aws-sdk-go-v2 v1.48.0
// (internal/endpoints/awsrulesfn/partitions.json, which the SDK's endpoint
// resolvers use but does not export), without the "aws-global"-style
// pseudo-regions. TestRegionsMatchTheSDK compares it with the SDK in
// go.mod, so an SDK upgrade that adds a region fails until it is copied
// here.
var partitions = []partition{
	{"aws", regexp.MustCompile(`^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`), []string{
		"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1",
		"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1", "me-central-1", "me-south-1", "me-west-1", "mx-central-1", "sa-east-1", "sa-west-1",
		"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	}},
	{"aws-cn", regexp.MustCompile(`^cn\-\w+\-\d+$`), []string{"cn-north-1", "cn-northwest-1"}},
	{"aws-eusc", regexp.MustCompile(`^eusc\-(de)\-\w+\-\d+$`), []string{"eusc-de-east-1"}},
	{"aws-iso", regexp.MustCompile(`^us\-iso\-\w+\-\d+$`), []string{"us-iso-east-1", "us-iso-west-1"}},
	{"aws-iso-b", regexp.MustCompile(`^us\-isob\-\w+\-\d+$`), []string{"us-isob-east-1", "us-isob-west-1"}},
	{"aws-iso-e", regexp.MustCompile(`^eu\-isoe\-\w+\-\d+$`), []string{"eu-isoe-west-1"}},
	{"aws-iso-f", regexp.MustCompile(`^us\-isof\-\w+\-\d+$`), []string{"us-isof-east-1", "us-isof-south-1"}},
	{"aws-us-gov", regexp.MustCompile(`^us\-gov\-\w+\-\d+$`), []string{"us-gov-east-1", "us-gov-west-1"}},
}

// Partitions lists the AWS partitions airlock knows ("aws", "aws-cn",
// "aws-us-gov", ...).
func Partitions() []string {
	out := make([]string, len(partitions))
	for i, p := range partitions {
		out[i] = p.id
	}
	return out
}

// Regions returns the regions of a partition, sorted, for the region
// switcher. An account may not have every region enabled (opt-in regions);
// a call there fails with its own error, shown like any other.
func Regions(partitionID string) ([]string, error) {
	for _, p := range partitions {
		if p.id == partitionID {
			return slices.Clone(p.regions), nil
		}
	}
	return nil, fmt.Errorf("unknown AWS partition %q (expected one of %s)", partitionID, strings.Join(Partitions(), ", "))
}

// PartitionOf returns the partition a region belongs to, the way the SDK
// decides it: a listed region first, then the partitions' name patterns;
// "aws" when nothing matches, as the SDK falls back to.
func PartitionOf(region string) string {
	for _, p := range partitions {
		if slices.Contains(p.regions, region) {
			return p.id
		}
	}
	for _, p := range partitions {
		if p.pattern.MatchString(region) {
			return p.id
		}
	}
	return "aws"
}

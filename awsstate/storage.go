package awsstate

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/airlock-ops/airlock/model"
)

// This file reads EBS volumes and the account's own snapshots (story S6:
// a file server died while its backup was still syncing). Not every
// refresh: an account can hold tens of thousands of volumes, and what an
// operator needs is the storage of what they selected, or of what they
// are about to terminate.

// Page sizes: DescribeVolumes serves at most 500 a page, whatever
// MaxResults asks ("The maximum value is 500", EC2 API reference,
// DescribeVolumes; the sim pages the same way); DescribeSnapshots 1,000.
const (
	volumePageSize   = 500
	snapshotPageSize = 1000
)

// StorageOf fetches the EBS volumes attached to the instances ids
// (DescribeVolumes by attachment.instance-id, 200 IDs a call) and the
// account's own snapshots of them (DescribeSnapshots with OwnerIds=self,
// by volume-id, 200 a call): for the cluster or instance selected on
// screen, when it is selected, and for the targets of a termination.
// No IDs, no calls. Two calls for a cluster of up to 200 instances with
// at most 500 volumes.
func (c *Client) StorageOf(ctx context.Context, ids []string) (model.Storage, error) {
	st := model.Storage{FetchedAt: time.Now(), Volumes: []model.Volume{}}
	for chunk := range slices.Chunk(uniq(ids), filterValues) {
		vols, err := c.volumes(ctx, []types.Filter{{Name: aws.String("attachment.instance-id"), Values: chunk}})
		st.Volumes = append(st.Volumes, vols...)
		if err != nil {
			return st, err
		}
	}
	var volIDs []string
	for _, v := range st.Volumes {
		volIDs = append(volIDs, v.ID)
	}
	for chunk := range slices.Chunk(uniq(volIDs), filterValues) {
		snaps, err := c.snapshots(ctx, []types.Filter{{Name: aws.String("volume-id"), Values: chunk}})
		st.Snapshots = append(st.Snapshots, snaps...)
		if err != nil {
			return st, err
		}
	}
	sortStorage(&st)
	return st, nil
}

// AllStorage fetches every volume of the region and every snapshot the
// account owns there: ceil(volumes/500) + ceil(snapshots/1000) calls (11,000
// volumes and 1,000 snapshots: 23). For a one-off report (airlock status),
// not for every refresh.
func (c *Client) AllStorage(ctx context.Context) (model.Storage, error) {
	st := model.Storage{FetchedAt: time.Now()}
	var err error
	if st.Volumes, err = c.volumes(ctx, nil); err != nil {
		return st, err
	}
	st.Snapshots, err = c.snapshots(ctx, nil)
	sortStorage(&st)
	return st, err
}

func sortStorage(st *model.Storage) {
	slices.SortFunc(st.Volumes, func(a, b model.Volume) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(st.Snapshots, func(a, b model.EBSSnapshot) int {
		if c := b.StartedAt.Compare(a.StartedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// volumes pages through DescribeVolumes with filters (nil: every volume).
func (c *Client) volumes(ctx context.Context, filters []types.Filter) ([]model.Volume, error) {
	var out []model.Volume
	p := ec2.NewDescribeVolumesPaginator(c.ec2, &ec2.DescribeVolumesInput{Filters: filters, MaxResults: aws.Int32(volumePageSize)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return out, err
		}
		for _, v := range page.Volumes {
			out = append(out, volumeFrom(v))
		}
	}
	return out, nil
}

// snapshots pages through DescribeSnapshots of the account's own
// snapshots: without OwnerIds AWS also lists every public snapshot and
// those shared with the account, which are not its backups.
func (c *Client) snapshots(ctx context.Context, filters []types.Filter) ([]model.EBSSnapshot, error) {
	var out []model.EBSSnapshot
	p := ec2.NewDescribeSnapshotsPaginator(c.ec2, &ec2.DescribeSnapshotsInput{
		OwnerIds: []string{"self"}, Filters: filters, MaxResults: aws.Int32(snapshotPageSize),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return out, err
		}
		for _, s := range page.Snapshots {
			out = append(out, snapshotFrom(s))
		}
	}
	return out, nil
}

// volumeFrom converts a volume. Its Name tag is only shown, so it is
// sanitised like any other string.
func volumeFrom(v types.Volume) model.Volume {
	tags := model.SanitizeTags(rawTags(v.Tags))
	out := model.Volume{
		ID:         str(v.VolumeId),
		SizeGiB:    int(aws.ToInt32(v.Size)),
		Type:       enum(v.VolumeType),
		State:      enum(v.State),
		AZ:         str(v.AvailabilityZone),
		Encrypted:  aws.ToBool(v.Encrypted),
		SnapshotID: str(v.SnapshotId),
		CreatedAt:  aws.ToTime(v.CreateTime),
		Name:       tags["Name"],
	}
	for _, a := range v.Attachments {
		out.Attachments = append(out.Attachments, model.VolumeAttachment{
			InstanceID:          str(a.InstanceId),
			Device:              str(a.Device),
			State:               enum(a.State),
			DeleteOnTermination: aws.ToBool(a.DeleteOnTermination),
			AttachedAt:          aws.ToTime(a.AttachTime),
		})
	}
	return out
}

// snapshotFrom converts a snapshot. AWS reports progress as "15%"; one
// that does not parse is 0 for a pending snapshot (unknown progress is
// no progress to promise an end from) and 100 for a completed one.
func snapshotFrom(s types.Snapshot) model.EBSSnapshot {
	tags := model.SanitizeTags(rawTags(s.Tags))
	out := model.EBSSnapshot{
		ID:          str(s.SnapshotId),
		VolumeID:    str(s.VolumeId),
		State:       enum(s.State),
		StartedAt:   aws.ToTime(s.StartTime),
		CompletedAt: aws.ToTime(s.CompletionTime),
		SizeGiB:     int(aws.ToInt32(s.VolumeSize)),
		Description: str(s.Description),
		Name:        tags["Name"],
	}
	out.Progress = parsePercent(aws.ToString(s.Progress))
	if out.State == model.SnapshotCompleted && out.Progress == 0 {
		out.Progress = 100
	}
	return out
}

// parsePercent reads "15%" (or "15") as 15, clamped to 0..100; anything
// else is 0.
func parsePercent(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || f != f {
		return 0
	}
	return min(max(f, 0), 100)
}

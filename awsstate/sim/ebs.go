package sim

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// EBS: the volumes attached to instances and their snapshots, as
// DescribeVolumes and DescribeSnapshots report them. Story S6 needs both:
// which volumes a termination deletes (DeleteOnTermination), and whether a
// snapshot of one of them is still being taken.

// Volume states (status on the wire) and attachment states.
const (
	VolumeCreating  = "creating"
	VolumeAvailable = "available"
	VolumeInUse     = "in-use"
	VolumeDeleting  = "deleting"
	VolumeError     = "error"

	AttachmentAttached  = "attached"
	AttachmentAttaching = "attaching"
	AttachmentDetaching = "detaching"
)

// Snapshot states.
const (
	SnapshotPending   = "pending"
	SnapshotCompleted = "completed"
	SnapshotError     = "error"
)

// Volume is one EBS volume. State is VolumeInUse while Attachments is not
// empty and VolumeAvailable otherwise, unless a test sets something else.
type Volume struct {
	ID         string
	Size       int    // GiB
	Type       string // gp2, gp3, io1, io2, st1, sc1, standard
	IOPS       int    // 0: none reported (st1, sc1, standard)
	Throughput int    // MiB/s, gp3 only
	AZ         string
	State      string
	CreateTime time.Time
	SnapshotID string // the snapshot it was created from, "" for none
	Encrypted  bool
	// Attachments holds at most one entry (Multi-Attach is not simulated).
	Attachments []VolumeAttachment
	Tags        map[string]string
}

// VolumeAttachment is a volume's attachment to an instance.
type VolumeAttachment struct {
	InstanceID          string
	Device              string // /dev/xvda, /dev/sdf
	State               string // AttachmentAttached, ...
	AttachTime          time.Time
	DeleteOnTermination bool
}

// Snapshot is one EBS snapshot. While pending its progress advances with
// world time: Progress percent at ProgressAt, plus RatePerHour for every
// hour since, until it reaches 100 and the snapshot is completed. A rate of
// 0 leaves a pending snapshot stuck where it is, as a real one sometimes
// is. Snapshots owned by another account (OwnerID) are public ones.
type Snapshot struct {
	ID          string
	VolumeID    string
	VolumeSize  int
	OwnerID     string
	OwnerAlias  string // "amazon" for Amazon's public snapshots
	Description string
	State       string // SnapshotPending, SnapshotCompleted, SnapshotError
	StartTime   time.Time
	Progress    float64 // percent, 0..100, at ProgressAt
	ProgressAt  time.Time
	RatePerHour float64 // percent per hour while pending
	// StatusMessage explains an error state.
	StatusMessage string
	Encrypted     bool
	Tags          map[string]string
}

// snapshotView is a snapshot as seen at one instant.
type snapshotView struct {
	state     string
	progress  int // whole percent, as the wire shows it
	completed time.Time
}

// at computes the snapshot's state and progress at now. Progress is
// floored: AWS never reports 100% before the snapshot is completed.
func (sn *Snapshot) at(now time.Time) snapshotView {
	switch sn.State {
	case SnapshotCompleted:
		return snapshotView{state: SnapshotCompleted, progress: 100, completed: sn.ProgressAt}
	case SnapshotPending:
	default:
		return snapshotView{state: sn.State, progress: int(math.Floor(sn.Progress))}
	}
	p := sn.Progress
	if sn.RatePerHour > 0 {
		if h := now.Sub(sn.ProgressAt).Hours(); h > 0 {
			p += sn.RatePerHour * h
		}
		if p >= 100 {
			done := sn.ProgressAt.Add(time.Duration((100 - sn.Progress) / sn.RatePerHour * float64(time.Hour)))
			return snapshotView{state: SnapshotCompleted, progress: 100, completed: done}
		}
	}
	return snapshotView{state: SnapshotPending, progress: min(99, int(math.Floor(p)))}
}

// AttachVolume creates a volume attached to the instance, in its zone, at
// the instance's launch time. Scenarios and tests use it to give instances
// their disks.
func (r *Region) AttachVolume(in *Instance, device string, size int, typ string, deleteOnTermination bool) *Volume {
	v := &Volume{
		ID:         r.newID("vol"),
		Size:       size,
		Type:       typ,
		AZ:         in.AZ,
		State:      VolumeInUse,
		CreateTime: in.LaunchTime,
		Encrypted:  true,
		Attachments: []VolumeAttachment{{
			InstanceID: in.ID, Device: device, State: AttachmentAttached,
			AttachTime: in.LaunchTime, DeleteOnTermination: deleteOnTermination,
		}},
	}
	switch typ {
	case "gp3":
		v.IOPS, v.Throughput = 3000, 125
	case "gp2":
		v.IOPS = max(100, min(16000, 3*size))
	case "io1", "io2":
		v.IOPS = 10000
	}
	r.Volumes[v.ID] = v
	r.touch()
	return v
}

// rootVolume gives an instance the root volume EC2 creates at launch: 8 GiB
// gp3 on /dev/xvda, deleted with the instance (the default of every AMI's
// block device mapping).
func (r *Region) rootVolume(in *Instance) *Volume {
	return r.AttachVolume(in, "/dev/xvda", 8, "gp3", true)
}

// AddSnapshot records a snapshot of the volume, owned by the region's
// account, started at start. A pending one is at progress percent at
// start and advances by ratePerHour; a completed one finished at
// start + its duration (progress and rate are then ignored, pass 100 and
// the rate it went at to get a believable completion time).
func (r *Region) AddSnapshot(v *Volume, description, state string, start time.Time, progress, ratePerHour float64) *Snapshot {
	sn := &Snapshot{
		ID:          r.newID("snap"),
		VolumeID:    v.ID,
		VolumeSize:  v.Size,
		OwnerID:     r.AccountID,
		Description: description,
		State:       state,
		StartTime:   start,
		Progress:    progress,
		ProgressAt:  start,
		RatePerHour: ratePerHour,
		Encrypted:   v.Encrypted,
	}
	if state == SnapshotCompleted {
		sn.Progress = 100
		d := time.Hour
		if ratePerHour > 0 {
			d = time.Duration(100 / ratePerHour * float64(time.Hour))
		}
		sn.ProgressAt = start.Add(d)
	}
	r.Snapshots[sn.ID] = sn
	r.touch()
	return sn
}

// releaseVolumes is what EC2 does to an instance's volumes once it is
// terminated: those marked DeleteOnTermination are deleted, the others are
// detached and become available. Callers hold the write lock.
func (r *Region) releaseVolumes(instanceID string) {
	for id, v := range r.Volumes {
		if len(v.Attachments) == 0 || v.Attachments[0].InstanceID != instanceID {
			continue
		}
		if v.Attachments[0].DeleteOnTermination {
			delete(r.Volumes, id)
		} else {
			v.Attachments = nil
			v.State = VolumeAvailable
		}
	}
	r.touch()
}

// volumeIndex maps instance IDs to their attached volumes in ID order, so
// a page of DescribeInstances costs one pass over the volumes, and a
// refresh of many pages only the first; cached until the next touch.
func (r *Region) volumeIndex() map[string][]*Volume {
	ids := sortedKeys(r, "volumes", r.Volumes)
	r.orderMu.Lock()
	defer r.orderMu.Unlock()
	if r.volIdx != nil {
		return r.volIdx
	}
	idx := map[string][]*Volume{}
	for _, id := range ids {
		if v := r.Volumes[id]; len(v.Attachments) > 0 {
			idx[v.Attachments[0].InstanceID] = append(idx[v.Attachments[0].InstanceID], v)
		}
	}
	r.volIdx = idx
	return idx
}

// VolumesOf returns the volumes attached to the instance, sorted by ID.
func (r *Region) VolumesOf(instanceID string) []*Volume {
	var out []*Volume
	for _, id := range sortedKeys(r, "volumes", r.Volumes) {
		v := r.Volumes[id]
		if len(v.Attachments) > 0 && v.Attachments[0].InstanceID == instanceID {
			out = append(out, v)
		}
	}
	return out
}

var volumeFilters = filterSet("attachment.instance-id", "attachment.delete-on-termination",
	"attachment.device", "attachment.status", "availability-zone", "encrypted", "size",
	"snapshot-id", "status", "volume-id", "volume-type")

func volumeAttr(v *Volume) attrFunc {
	return func(name string) []string {
		if vals, ok := tagAttr(v.Tags, name); ok {
			return vals
		}
		var out []string
		for _, a := range v.Attachments {
			switch name {
			case "attachment.instance-id":
				out = append(out, a.InstanceID)
			case "attachment.delete-on-termination":
				out = append(out, strconv.FormatBool(a.DeleteOnTermination))
			case "attachment.device":
				out = append(out, a.Device)
			case "attachment.status":
				out = append(out, a.State)
			}
		}
		switch name {
		case "availability-zone":
			out = []string{v.AZ}
		case "encrypted":
			out = []string{strconv.FormatBool(v.Encrypted)}
		case "size":
			out = []string{strconv.Itoa(v.Size)}
		case "snapshot-id":
			out = []string{v.SnapshotID}
		case "status":
			out = []string{v.State}
		case "volume-id":
			out = []string{v.ID}
		case "volume-type":
			out = []string{v.Type}
		}
		return out
	}
}

var volumeTable = table[*Volume]{
	name:     "volumes",
	items:    func(r *Region) map[string]*Volume { return r.Volumes },
	attr:     func(*Region) func(*Volume) attrFunc { return volumeAttr },
	notFound: func(m []string) error { return resourceNotFound("InvalidVolume.NotFound", "volume", m) },
}

// Page limits. DescribeVolumes: "This value can be between 5 and 500; if
// you specify a value larger than 500, only 500 items are returned ... You
// cannot specify this parameter and the volume IDs parameter in the same
// request" (EC2 API reference, DescribeVolumes, MaxResults; the AWS CLI
// sends MaxResults=1000 by default, which must therefore work).
// DescribeSnapshots: "between 5 and 1000; if MaxResults is given a value
// larger than 1000, only 1000 results are returned", not with snapshot IDs.
const (
	volumePageMax   = 500
	snapshotPageMax = 1000
)

// describeVolumes: VolumeId.N, Filter.N, MaxResults (at least 5; more than
// 500 serves 500; not with VolumeId), NextToken.
func (s *Server) describeVolumes(c *call) (any, error) {
	req, err := c.ec2List(ec2ListSpec{idParam: "VolumeId", kind: "vol", codeBase: "InvalidVolumeID",
		filters: volumeFilters, minMax: 5, maxMax: math.MaxInt32, idsName: "volumeSet"})
	if err != nil {
		return nil, err
	}
	if req.max > volumePageMax {
		req.max = volumePageMax
	}
	resp := newListing[volumeXML](c, "volumeSet")
	resp.NextToken, err = describe(s, c, req, volumeTable, nil, func(r *Region, page []*Volume) {
		for _, v := range page {
			x := volumeXML{
				VolumeID:           v.ID,
				Size:               v.Size,
				SnapshotID:         v.SnapshotID,
				AvailabilityZone:   v.AZ,
				Status:             v.State,
				CreateTime:         ec2Time(v.CreateTime),
				Attachments:        set[volumeAttachmentXML]{},
				VolumeType:         v.Type,
				IOPS:               v.IOPS,
				Throughput:         v.Throughput,
				Encrypted:          v.Encrypted,
				MultiAttachEnabled: false,
				Tags:               tagSet(v.Tags),
			}
			for _, a := range v.Attachments {
				x.Attachments = append(x.Attachments, volumeAttachmentXML{
					VolumeID: v.ID, InstanceID: a.InstanceID, Device: a.Device, Status: a.State,
					AttachTime: ec2Time(a.AttachTime), DeleteOnTermination: a.DeleteOnTermination,
				})
			}
			resp.Items = append(resp.Items, x)
		}
	})
	return resp, err
}

var snapshotFilters = filterSet("description", "encrypted", "owner-alias", "owner-id", "progress",
	"snapshot-id", "start-time", "status", "volume-id", "volume-size", "storage-tier")

func snapshotAttr(now time.Time) func(*Snapshot) attrFunc {
	return func(sn *Snapshot) attrFunc {
		return func(name string) []string {
			if vals, ok := tagAttr(sn.Tags, name); ok {
				return vals
			}
			view := sn.at(now)
			var v string
			switch name {
			case "description":
				v = sn.Description
			case "encrypted":
				v = strconv.FormatBool(sn.Encrypted)
			case "owner-alias":
				v = sn.OwnerAlias
			case "owner-id":
				v = sn.OwnerID
			case "progress":
				v = strconv.Itoa(view.progress) + "%"
			case "snapshot-id":
				v = sn.ID
			case "start-time":
				v = ec2Time(sn.StartTime)
			case "status":
				v = view.state
			case "volume-id":
				v = sn.VolumeID
			case "volume-size":
				v = strconv.Itoa(sn.VolumeSize)
			case "storage-tier":
				v = "standard"
			}
			return []string{v}
		}
	}
}

// describeSnapshots: SnapshotId.N, Owner.N (self, amazon, account IDs),
// RestorableBy.N (accepted, ignored), Filter.N, MaxResults (at least 5; more
// than 1000 serves 1000; not with SnapshotId), NextToken. Without Owner it
// lists the account's own snapshots and the public ones, as AWS lists every
// snapshot the caller may create volumes from. Progress is computed at the
// call's world time.
func (s *Server) describeSnapshots(c *call) (any, error) {
	req, err := c.ec2List(ec2ListSpec{idParam: "SnapshotId", kind: "snap", codeBase: "InvalidSnapshotID",
		filters: snapshotFilters, minMax: 5, maxMax: math.MaxInt32, idsName: "snapshotSet"})
	if err != nil {
		return nil, err
	}
	if req.max > snapshotPageMax {
		req.max = snapshotPageMax
	}
	owners, err := c.p.list("Owner")
	if err != nil {
		return nil, err
	}
	for _, o := range owners {
		if o != "self" && o != "amazon" && !accountID.MatchString(o) {
			return nil, errInvalidParameterValue("Invalid value '%s' for ownerId", o)
		}
	}
	if _, err := c.p.list("RestorableBy"); err != nil {
		return nil, err
	}
	me, now := c.acct.ID, s.worldNow()
	keep := func(r *Region, sn *Snapshot) bool {
		if len(owners) == 0 {
			return true
		}
		for _, o := range owners {
			if (o == "self" && sn.OwnerID == me) || (o != "self" && (o == sn.OwnerID || o == sn.OwnerAlias)) {
				return true
			}
		}
		return false
	}
	t := table[*Snapshot]{
		name:     "snapshots",
		items:    func(r *Region) map[string]*Snapshot { return r.Snapshots },
		attr:     func(*Region) func(*Snapshot) attrFunc { return snapshotAttr(now) },
		notFound: func(m []string) error { return resourceNotFound("InvalidSnapshot.NotFound", "snapshot", m) },
	}
	resp := newListing[snapshotXML](c, "snapshotSet")
	resp.NextToken, err = describe(s, c, req, t, keep, func(r *Region, page []*Snapshot) {
		for _, sn := range page {
			view := sn.at(now)
			x := snapshotXML{
				SnapshotID:    sn.ID,
				VolumeID:      sn.VolumeID,
				Status:        view.state,
				StartTime:     ec2Time(sn.StartTime),
				Progress:      strconv.Itoa(view.progress) + "%",
				OwnerID:       sn.OwnerID,
				OwnerAlias:    sn.OwnerAlias,
				VolumeSize:    sn.VolumeSize,
				Description:   sn.Description,
				Encrypted:     sn.Encrypted,
				StorageTier:   "standard",
				StatusMessage: sn.StatusMessage,
				Tags:          tagSet(sn.Tags),
			}
			if view.state == SnapshotCompleted {
				x.CompletionTime = ec2Time(view.completed)
			}
			resp.Items = append(resp.Items, x)
		}
	})
	return resp, err
}

// resourceNotFound is EC2's wording for unknown volume and snapshot IDs,
// which name the resource rather than its ID: "The volume 'vol-…' does not
// exist." (InvalidVolume.NotFound, InvalidSnapshot.NotFound).
func resourceNotFound(code, noun string, m []string) *apiError {
	if len(m) == 1 {
		return badRequest(code, "The %s '%s' does not exist.", noun, m[0])
	}
	return badRequest(code, "The %ss '%s' do not exist.", noun, strings.Join(m, ", "))
}

// The response documents, as the SDK's awsEc2query_deserializeDocumentVolume,
// VolumeAttachment and Snapshot read them.

type volumeXML struct {
	VolumeID           string                   `xml:"volumeId"`
	Size               int                      `xml:"size"`
	SnapshotID         string                   `xml:"snapshotId"`
	AvailabilityZone   string                   `xml:"availabilityZone"`
	Status             string                   `xml:"status"`
	CreateTime         string                   `xml:"createTime"`
	Attachments        set[volumeAttachmentXML] `xml:"attachmentSet"`
	VolumeType         string                   `xml:"volumeType"`
	IOPS               int                      `xml:"iops,omitempty"`
	Throughput         int                      `xml:"throughput,omitempty"`
	Encrypted          bool                     `xml:"encrypted"`
	MultiAttachEnabled bool                     `xml:"multiAttachEnabled"`
	Tags               set[tagXML]              `xml:"tagSet,omitempty"`
}

type volumeAttachmentXML struct {
	VolumeID            string `xml:"volumeId"`
	InstanceID          string `xml:"instanceId"`
	Device              string `xml:"device"`
	Status              string `xml:"status"`
	AttachTime          string `xml:"attachTime"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
}

type snapshotXML struct {
	SnapshotID     string      `xml:"snapshotId"`
	VolumeID       string      `xml:"volumeId"`
	Status         string      `xml:"status"`
	StatusMessage  string      `xml:"statusMessage,omitempty"`
	StartTime      string      `xml:"startTime"`
	CompletionTime string      `xml:"completionTime,omitempty"`
	Progress       string      `xml:"progress"`
	OwnerID        string      `xml:"ownerId"`
	OwnerAlias     string      `xml:"ownerAlias,omitempty"`
	VolumeSize     int         `xml:"volumeSize"`
	Description    string      `xml:"description"`
	Encrypted      bool        `xml:"encrypted"`
	StorageTier    string      `xml:"storageTier"`
	Tags           set[tagXML] `xml:"tagSet,omitempty"`
}

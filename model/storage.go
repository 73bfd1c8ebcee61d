package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Storage (story S6): the file server's backup was still syncing when its
// hardware died, and snapshots of large volumes took hours. For the
// selected instances airlock shows their EBS volumes, the snapshots in
// progress with their percentage and rate, and when each volume was last
// backed up; and terminating instances says which volumes go with them,
// and which of those are still being copied.

// Volume is one EBS volume.
type Volume struct {
	ID         string
	SizeGiB    int
	Type       string // gp3, st1, ...
	State      string // creating, available, in-use, deleting, ...
	AZ         string
	Encrypted  bool
	SnapshotID string // the snapshot it was created from, "" for none
	CreatedAt  time.Time
	Name       string // the Name tag, sanitised (shown, never acted on)
	// Attachments: an io2 volume can be attached to several instances
	// (Multi-Attach); any other to at most one.
	Attachments []VolumeAttachment
}

// VolumeAttachment is a volume attached to an instance.
type VolumeAttachment struct {
	InstanceID          string
	Device              string
	State               string // attaching, attached, detaching, ...
	DeleteOnTermination bool
	AttachedAt          time.Time
}

// String names the volume for a sentence: "vol-0abc (2048 GiB st1,
// fileserver-data)".
func (v Volume) String() string {
	s := fmt.Sprintf("%s (%d GiB %s", v.ID, v.SizeGiB, v.Type)
	if v.Name != "" {
		s += ", " + v.Name
	}
	return s + ")"
}

// Snapshot states (EC2's SnapshotState).
const (
	SnapshotPending   = "pending"
	SnapshotCompleted = "completed"
	SnapshotError     = "error"
)

// EBSSnapshot is one EBS snapshot the account owns.
type EBSSnapshot struct {
	ID       string
	VolumeID string
	State    string  // pending, completed, error, ...
	Progress float64 // percent, 0 to 100
	// StartedAt is the moment whose data the snapshot holds: a snapshot
	// is point-in-time as of its start, however long it takes to copy.
	StartedAt   time.Time
	CompletedAt time.Time // zero until completed (and when AWS does not say)
	SizeGiB     int
	Description string
	Name        string // the Name tag, sanitised
}

// Pending reports whether the snapshot is still being copied.
func (s EBSSnapshot) Pending() bool { return s.State == SnapshotPending }

// Storage is the volumes and own snapshots fetched for a selection (a
// cluster, an instance, the targets of a termination): on demand, not
// every refresh, since an account can hold tens of thousands of volumes.
type Storage struct {
	FetchedAt time.Time
	Volumes   []Volume      // by ID
	Snapshots []EBSSnapshot // own snapshots of those volumes, by start time, newest first
}

// VolumesOf returns the volumes attached to any of the instances ids, by
// ID.
func VolumesOf(vols []Volume, ids []string) []Volume {
	want := set(ids)
	var out []Volume
	for _, v := range vols {
		if slices.ContainsFunc(v.Attachments, func(a VolumeAttachment) bool { return want[a.InstanceID] }) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b Volume) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// DeletedWith returns the volumes that terminating the instances ids
// deletes: those attached to one of them with DeleteOnTermination. A
// Multi-Attach volume is deleted with the last instance it is attached to
// only if that attachment says so; airlock reports it when any of the
// terminated instances' attachments does, since that is what AWS acts on
// when that instance goes.
func DeletedWith(vols []Volume, ids []string) []Volume {
	want := set(ids)
	var out []Volume
	for _, v := range vols {
		if slices.ContainsFunc(v.Attachments, func(a VolumeAttachment) bool {
			return want[a.InstanceID] && a.DeleteOnTermination
		}) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b Volume) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// PendingOf returns the snapshots still in progress of the volumes vols,
// by volume then start.
func PendingOf(snaps []EBSSnapshot, vols []Volume) []EBSSnapshot {
	ids := map[string]bool{}
	for _, v := range vols {
		ids[v.ID] = true
	}
	var out []EBSSnapshot
	for _, s := range snaps {
		if s.Pending() && ids[s.VolumeID] {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b EBSSnapshot) int {
		return cmp.Or(cmp.Compare(a.VolumeID, b.VolumeID), a.StartedAt.Compare(b.StartedAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// LastBackups returns, per volume ID, its newest completed snapshot (by
// start time: the moment its data is from). A volume missing from the
// map has no completed snapshot among snaps; whether snaps is every
// snapshot of it is the caller's to know.
func LastBackups(snaps []EBSSnapshot) map[string]EBSSnapshot {
	out := map[string]EBSSnapshot{}
	for _, s := range snaps {
		if s.State != SnapshotCompleted {
			continue
		}
		if cur, ok := out[s.VolumeID]; !ok || s.StartedAt.After(cur.StartedAt) {
			out[s.VolumeID] = s
		}
	}
	return out
}

// BackupAge says how old a volume's last backup is, as "16h ago", from
// its start (the moment its data is from, not when the copy finished).
func BackupAge(s EBSSnapshot, now time.Time) string {
	d := now.Sub(s.StartedAt)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
}

// Observation is a snapshot's progress as one refresh saw it.
type Observation struct {
	At      time.Time
	Percent float64
}

// SnapshotRate is a snapshot's progress in percent per hour over the
// observations (any order): the least-squares slope through them, so one
// late or early refresh does not swing it. ok is false with fewer than
// two observations at different times. A rate of 0 is a snapshot that
// has not moved: stuck, or too slow to see.
func SnapshotRate(obs []Observation) (perHour float64, ok bool) {
	if len(obs) < 2 {
		return 0, false
	}
	t0 := obs[0].At
	var n, sx, sy, sxx, sxy float64
	for _, o := range obs {
		x := o.At.Sub(t0).Hours()
		n++
		sx += x
		sy += o.Percent
		sxx += x * x
		sxy += x * o.Percent
	}
	den := n*sxx - sx*sx
	if den <= 1e-12 {
		return 0, false
	}
	rate := (n*sxy - sx*sy) / den
	// Progress never goes back; a negative slope is noise around no
	// progress (AWS rounds to whole percent).
	return max(rate, 0), true
}

// RateSinceStart is a snapshot's average rate from its start to the
// observation, in percent per hour: the rate when only one refresh has
// seen it. ok is false without a start before the observation.
func RateSinceStart(s EBSSnapshot, o Observation) (perHour float64, ok bool) {
	if s.StartedAt.IsZero() || !o.At.After(s.StartedAt) {
		return 0, false
	}
	return o.Percent / o.At.Sub(s.StartedAt).Hours(), true
}

// Completion estimates when a snapshot at last will be done at rate
// percent per hour. ok is false when it cannot be estimated: no progress
// (a stuck snapshot has no end to promise), or a rate so slow the answer
// means nothing (more than a year).
func Completion(last Observation, perHour float64) (at time.Time, ok bool) {
	if last.Percent >= 100 {
		return last.At, true
	}
	if perHour <= 0 || math.IsNaN(perHour) || math.IsInf(perHour, 0) {
		return time.Time{}, false
	}
	hours := (100 - last.Percent) / perHour
	if hours > 24*366 {
		return time.Time{}, false
	}
	return last.At.Add(time.Duration(hours * float64(time.Hour))), true
}

// MaxObservations is how many refreshes of a snapshot's progress
// Progress keeps: enough for a steady rate, recent enough to follow a
// change of pace.
const MaxObservations = 12

// Progress remembers, per pending snapshot ID, its progress at each
// refresh that saw it, oldest first. Observe returns a new value; the old
// one is not changed, so a screen can hold it as a value.
type Progress map[string][]Observation

// Observe records the pending snapshots of snaps as seen at at, and
// forgets snapshots no longer pending in snaps. Snapshots not in snaps at
// all are kept only when keepAbsent (the storage fetched was for another
// selection, which says nothing about them).
func (p Progress) Observe(snaps []EBSSnapshot, at time.Time, keepAbsent bool) Progress {
	out := Progress{}
	if keepAbsent {
		for id, obs := range p {
			out[id] = obs
		}
	}
	for _, s := range snaps {
		if !s.Pending() {
			delete(out, s.ID)
			continue
		}
		obs := slices.Clone(p[s.ID])
		if n := len(obs); n == 0 || !obs[n-1].At.Equal(at) {
			obs = append(obs, Observation{At: at, Percent: s.Progress})
		}
		if len(obs) > MaxObservations {
			obs = obs[len(obs)-MaxObservations:]
		}
		out[s.ID] = obs
	}
	return out
}

// Estimate is what a screen says of a snapshot in progress.
type Estimate struct {
	Percent float64
	// PerHour is the rate over the refreshes that saw it, else since its
	// start; RateKnown is false when neither is known.
	PerHour   float64
	RateKnown bool
	// Done is when it should complete; DoneKnown is false when it
	// cannot be estimated (no progress: stuck).
	Done      time.Time
	DoneKnown bool
}

// EstimateOf estimates snapshot s from its observations (Progress[s.ID])
// and, with fewer than two, from its start time; now stands in for an
// observation when there is none.
func EstimateOf(s EBSSnapshot, obs []Observation, now time.Time) Estimate {
	last := Observation{At: now, Percent: s.Progress}
	if n := len(obs); n > 0 {
		last = obs[n-1]
	}
	e := Estimate{Percent: last.Percent}
	e.PerHour, e.RateKnown = SnapshotRate(obs)
	if !e.RateKnown {
		e.PerHour, e.RateKnown = RateSinceStart(s, last)
	}
	if e.RateKnown {
		e.Done, e.DoneKnown = Completion(last, e.PerHour)
	}
	return e
}

// String is "15% at 24%/h, done about 15:32 UTC", "15%, no progress
// since 14:00 UTC" or "15%".
func (e Estimate) String() string {
	s := fmt.Sprintf("%.0f%%", math.Floor(e.Percent))
	switch {
	case e.RateKnown && e.DoneKnown:
		s += fmt.Sprintf(" at %.0f%%/h, done about %s UTC", e.PerHour, e.Done.UTC().Format("Jan 2 15:04"))
	case e.RateKnown:
		s += ", not progressing"
	}
	return s
}

// warnStorage (S6): terminating instances deletes their volumes set to
// DeleteOnTermination, and with them the source of any snapshot still
// being copied. The confirmation names each such volume and each
// snapshot in progress of one, with its percentage: the operator may be
// destroying the only copy of data whose backup has not finished. Facts
// without volumes (nil: not looked at, as in the action menu) warn of
// nothing; volumes that could not be read are said to be unknown.
func (j *judgement) warnStorage(ids []string) {
	f := j.fresh
	if len(ids) == 0 {
		return
	}
	if f.StorageUnread != "" {
		j.warn("the EBS volumes of %s could not be read (%s): any set to DeleteOnTermination are deleted with %s, unseen",
			plural(len(ids), "the instance", "the instances"), Sanitize(f.StorageUnread), plural(len(ids), "it", "them"))
		return
	}
	doomed := DeletedWith(f.Volumes, ids)
	if len(doomed) == 0 {
		return
	}
	last := LastBackups(f.Snapshots)
	var names []string
	for _, v := range doomed {
		s := v.String()
		if b, ok := last[v.ID]; ok {
			s += ", last completed snapshot taken " + BackupAge(b, f.FetchedAt)
		} else {
			s += ", no snapshot of its own"
		}
		names = append(names, s)
	}
	j.warn("terminating deletes %d EBS %s with the %s (DeleteOnTermination): %s",
		len(doomed), plural(len(doomed), "volume", "volumes"), plural(len(ids), "instance", "instances"), sentences(names))
	for _, s := range PendingOf(f.Snapshots, doomed) {
		j.warn("snapshot %s of %s is still in progress (%.0f%%): the volume it copies is deleted with the instance; wait for it to complete",
			s.ID, s.VolumeID, math.Floor(s.Progress))
	}
}

// SectionStorage is the volumes and own snapshots of a whole region, for
// a report that fetches them (airlock status --json); the dashboard
// fetches storage for a selection instead (Storage).
const SectionStorage Section = "storage"

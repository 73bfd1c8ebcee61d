package tui

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/airlock-ops/airlock/model"
)

// Storage (story S6: a file server's hardware died while its backup was
// still syncing). The detail view of an instance or a cluster (`d`, or
// enter on an instance) shows their EBS volumes (size, type, state,
// attachment, DeleteOnTermination), the account's own snapshots of them
// in progress with their percentage, start, rate and an estimate of
// completion, and when each volume was last backed up.
//
// Storage is not part of a refresh (an account can hold tens of
// thousands of volumes): it is fetched for what the view describes when
// it opens, off the UI goroutine, and again every storageEvery while it
// stays open. Each fetch is tagged with the view's generation and what it
// was for; an answer for a view since closed, or for another row, is
// dropped. The rate of a snapshot comes from its progress at each fetch
// that saw it (model.Progress), kept across views.

// Storer fetches storage on demand; *awsstate.Client satisfies it (its
// StorageOf makes two calls for a cluster of up to 200 instances).
type Storer interface {
	// StorageOf returns the EBS volumes attached to the instances ids and
	// the account's own snapshots of them. It must return soon after ctx
	// is cancelled.
	StorageOf(ctx context.Context, ids []string) (model.Storage, error)
}

// storageEvery is how often an open view fetches its storage again: the
// slow cadence, since a snapshot's percentage moves by minutes and
// volumes hardly at all.
const storageEvery = 30 * time.Second

// storageTimeout bounds one storage fetch.
const storageTimeout = 20 * time.Second

// storageMax is how many instances of a cluster the storage view covers:
// the detail view lists that many members, and a fetch for a
// 10,000-instance cluster would cost 50 calls a look.
const storageMax = detailMembers

// storageState is the storage of the open detail view.
type storageState struct {
	gen      uint64   // the view's; every answer and tick carries it
	key      string   // what it is for: "instance i-…", "cluster blue"
	ids      []string // the instances fetched for
	total    int      // instances the selection has (more than ids when capped)
	fetching bool
	cancel   context.CancelFunc // the fetch in flight's, so closing the view stops it
	have     bool
	data     model.Storage
	at       time.Time // when the answer in data arrived, by the model's clock
	err      error     // the last fetch failed: data is the one before
}

// storageFor is what the open detail view's storage is fetched for: the
// instance, or the first storageMax members of the cluster; ok is false
// for a view without storage (an address, an event).
func (m *Model) storageFor(d *detailView) (key string, ids []string, total int, ok bool) {
	switch d.kind {
	case detailInstance:
		return "instance " + d.id, []string{d.id}, 1, true
	case detailCluster:
		c, found := m.world.Cluster(d.id)
		if !found {
			return "", nil, 0, false
		}
		ids = c.InstanceIDs
		total = len(ids)
		if len(ids) > storageMax {
			ids = ids[:storageMax]
		}
		return "cluster " + d.id, ids, total, true
	}
	return "", nil, 0, false
}

// startStorage starts fetching the storage of the view just opened, if
// the dashboard can (its Source is a Storer) and the view has any.
func (m *Model) startStorage() tea.Cmd {
	m.stopStorage()
	if m.storer == nil || m.detail == nil {
		return nil
	}
	key, ids, total, ok := m.storageFor(m.detail)
	if !ok {
		return nil
	}
	m.storage = &storageState{gen: m.storageGen, key: key, ids: ids, total: total}
	return m.fetchStorage()
}

// fetchStorage asks for the open view's storage, unless a fetch is in
// flight.
func (m *Model) fetchStorage() tea.Cmd {
	s := m.storage
	if s == nil || s.fetching {
		return nil
	}
	s.fetching = true
	ctx, cancel := context.WithCancel(m.base)
	s.cancel = cancel
	return StorageCmd(ctx, m.storer, s.gen, s.key, s.ids, m.clock, m.gate)
}

// stopStorage forgets the storage of a view being closed and stops its
// fetch in flight: an answer still on its way is for a generation nobody
// waits for.
func (m *Model) stopStorage() {
	if m.storage != nil && m.storage.cancel != nil {
		m.storage.cancel()
	}
	m.storageGen++
	m.storage = nil
}

// storageFetched takes in an answer for the open view, or drops it: the
// view was closed, or now describes something else.
func (m *Model) storageFetched(msg StorageMsg) tea.Cmd {
	s := m.storage
	if s == nil || msg.Gen != s.gen || msg.Key != s.key {
		return nil
	}
	s.fetching = false
	if s.cancel != nil {
		s.cancel()
	}
	s.err = msg.Err
	if msg.Err == nil {
		s.data, s.at, s.have = msg.Storage, msg.At, true
		// Only these instances' snapshots were asked for: the others'
		// observations stay for when their views open again.
		m.progress = m.progress.Observe(msg.Storage.Snapshots, msg.At, true)
	}
	m.refreshDetail()
	return StorageTickCmd(s.gen, storageEvery)
}

// storageTick fetches the open view's storage again, when the tick is
// the view's; while refresh is paused the view keeps what it has.
func (m *Model) storageTick(msg StorageTickMsg) tea.Cmd {
	s := m.storage
	if s == nil || msg.Gen != s.gen {
		return nil
	}
	if m.refresh.paused {
		return StorageTickCmd(s.gen, storageEvery)
	}
	return m.fetchStorage()
}

// storageRows describe the open view's storage, for its instances.
func (m *Model) storageRows() []detailRow {
	ik := &m.st.ink
	s := m.storage
	rows := []detailRow{{label: "Storage (EBS)", heading: true}}
	switch {
	case s == nil:
		return append(rows, detailRow{value: "not available: this dashboard has no AWS client to read volumes with", style: &ik.Faint, sub: true})
	case !s.have && s.err != nil:
		return append(rows, detailRow{value: "unknown: " + model.Sanitize(s.err.Error()), style: &ik.Warn, sub: true})
	case !s.have:
		return append(rows, detailRow{value: "fetching the volumes and their snapshots…", style: &ik.Faint, sub: true})
	}
	st := s.data
	about := "fetched " + clockTime(s.at, m.opts.Zone) + " (" + agoWord(m.now, s.at) + "), again every " + storageEvery.String() + " while this is open"
	if s.err != nil {
		rows = append(rows, detailRow{value: "last known: the latest fetch failed (" + model.Sanitize(s.err.Error()) + ")", style: &ik.Warn, sub: true})
	}
	rows = append(rows, detailRow{value: about, style: &ik.Faint, sub: true})
	if s.total > len(s.ids) {
		rows = append(rows, detailRow{value: "the first " + itoa(len(s.ids)) + " of " + itoa(s.total) + " instances", style: &ik.Warn, sub: true})
	}
	vols := model.VolumesOf(st.Volumes, s.ids)
	if len(vols) == 0 {
		return append(rows, detailRow{label: "Volumes", value: "none attached"})
	}
	gib := 0
	for _, v := range vols {
		gib += v.SizeGiB
	}
	rows = append(rows, detailRow{label: "Volumes", value: plural(len(vols), "volume") + ", " + strconv.Itoa(gib) + " GiB"})
	inView := map[string]bool{}
	for _, id := range s.ids {
		inView[id] = true
	}
	for _, v := range vols {
		rows = append(rows, detailRow{label: v.ID, value: volumeLine(v, inView, len(s.ids) > 1), sub: true})
	}

	pending := model.PendingOf(st.Snapshots, vols)
	if len(pending) > 0 {
		rows = append(rows, detailRow{label: "In progress", value: plural(len(pending), "snapshot") + " being copied", style: &ik.Warn})
		for _, sn := range pending {
			e := model.EstimateOf(sn, m.progress[sn.ID], m.now)
			rows = append(rows, detailRow{label: sn.ID, value: snapshotLine(sn, e, m.now, m.opts.Zone), style: &ik.Warn, sub: true})
		}
	} else {
		rows = append(rows, detailRow{label: "In progress", value: "no snapshot being copied"})
	}

	last := model.LastBackups(st.Snapshots)
	rows = append(rows, detailRow{label: "Last backups", value: "the newest completed snapshot of each volume (its data is from when it started)"})
	for _, v := range vols {
		b, ok := last[v.ID]
		if !ok {
			rows = append(rows, detailRow{label: v.ID, value: "never backed up: no completed snapshot of its own", style: &ik.Warn, sub: true})
			continue
		}
		line := "last backed up " + model.BackupAge(b, m.now) + ": " + b.ID + ", started " + clockDate(b.StartedAt, m.opts.Zone)
		if b.Name != "" {
			line += ", " + b.Name
		}
		rows = append(rows, detailRow{label: v.ID, value: line, sub: true})
	}
	return rows
}

// volumeLine describes a volume: "2048 GiB st1, in-use, /dev/sdf on
// i-0abc attached, deleted with the instance (DeleteOnTermination),
// fileserver-data". The instance is named only in a cluster's view.
func volumeLine(v model.Volume, inView map[string]bool, many bool) string {
	parts := []string{strconv.Itoa(v.SizeGiB) + " GiB " + v.Type, v.State}
	for _, a := range v.Attachments {
		if !inView[a.InstanceID] {
			continue
		}
		at := a.Device
		if many {
			at += " on " + a.InstanceID
		}
		at += " " + a.State
		if a.DeleteOnTermination {
			at += ", DeleteOnTermination: deleted with the instance"
		} else {
			at += ", DeleteOnTermination off: kept when the instance goes"
		}
		parts = append(parts, at)
	}
	if v.Encrypted {
		parts = append(parts, "encrypted")
	}
	if v.Name != "" {
		parts = append(parts, v.Name)
	}
	return strings.Join(parts, ", ")
}

// snapshotLine describes a snapshot in progress: "15% of vol-0abc,
// started 11:22:30 UTC (37m ago), 24%/h, done about 15:32 UTC".
func snapshotLine(s model.EBSSnapshot, e model.Estimate, now time.Time, zone *time.Location) string {
	line := strconv.Itoa(int(math.Floor(e.Percent))) + "% of " + s.VolumeID
	if !s.StartedAt.IsZero() {
		line += ", started " + clockTime(s.StartedAt, zone) + " (" + agoWord(now, s.StartedAt) + ")"
	}
	switch {
	case e.RateKnown && e.DoneKnown:
		line += ", " + strconv.Itoa(int(math.Round(e.PerHour))) + "%/h, done about " + clockDate(e.Done, zone)
	case e.RateKnown:
		line += ", not progressing: no estimate of completion"
	default:
		line += ", rate not known yet"
	}
	if s.Name != "" {
		line += ", " + s.Name
	}
	return line
}

// agoWord is "37m ago", or "just now".
func agoWord(now, t time.Time) string {
	if a := ago(now, t); a != "" && a != "now" {
		return a + " ago"
	}
	return "just now"
}

// clockDate is a time with its date and zone: "Nov 20 15:32 UTC" (an
// estimate or a backup can be days away).
func clockDate(t time.Time, zone *time.Location) string {
	if zone == nil {
		zone = time.UTC
	}
	return t.In(zone).Format("Jan 2 15:04 MST")
}

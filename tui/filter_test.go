package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/airlock-ops/airlock/model"
)

// The filter matches what the rows show, in every pane: state words (and
// their long forms), FAILED, IPs, clusters and names.
func TestFilterMatchesWhatTheRowShows(t *testing.T) {
	s := demoSnapshot()
	s.Instances = append([]model.Instance(nil), s.Instances...)
	s.Instances[7].State = model.StateStopped // the unnamed untagged instance
	s.Statuses = cloneStatuses(s.Statuses)
	st := s.Statuses["i-0a000000000000001"]
	st.Events = []model.ScheduledEvent{{Code: "instance-retirement", NotBefore: t0.Add(48 * time.Hour)}}
	s.Statuses["i-0a000000000000001"] = st

	cases := []struct {
		pane   paneID
		filter string
		want   []string // rows left, by their first cell
	}{
		{paneClusters, "LIVE", []string{"green"}},
		{paneClusters, "failed", []string{"green"}},
		{paneClusters, "sched", []string{"(untagged)"}},
		{paneClusters, "scheduled", []string{"(untagged)"}},
		{paneClusters, "stop", []string{"(untagged)"}},
		{paneClusters, "stopped", []string{"(untagged)"}},
		{paneClusters, "1/2", []string{"(untagged)"}},
		{paneClusters, "blu", []string{"blue"}},
		{paneAddresses, "3.3.3.9", []string{"3.3.3.9"}},
		{paneAddresses, "green", []string{"3.3.3.1", "3.3.3.2", "3.3.3.3"}},
		{paneAddresses, "unassoc", []string{"3.3.3.9"}},
		{paneAddresses, "i-06ee0000000000002", []string{"3.3.3.2"}},
		{paneAddresses, "eipalloc-00000000000000009", []string{"3.3.3.9"}},
		{paneInstances, "fail", []string{"i-06ee0000000000003"}},
		{paneInstances, "FAILED", []string{"i-06ee0000000000003"}},
		{paneInstances, "10.0.2.12", []string{"i-06ee0000000000002"}},
		{paneInstances, "3.3.3.1", []string{"i-06ee0000000000001"}},
		{paneInstances, "green-web-2", []string{"i-06ee0000000000002"}},
		{paneInstances, "RUNNING", []string{"i-06ee0000000000003", "i-06ee0000000000001", "i-06ee0000000000002"}},
		{paneEvents, "moved", []string{"EIP 3.3.3.1", "EIP 3.3.3.2", "EIP 3.3.3.3"}},
		{paneEvents, "14:03:46", []string{"cluster", "cluster", "EIP", "EIP", "EIP"}},
		{paneEvents, "now live", []string{"cluster green is now LIVE"}},
	}
	for _, tc := range cases {
		t.Run(tc.filter, func(t *testing.T) {
			hs := newHarness(t, &staticSource{}, Options{}, 140, 50)
			hs.deliver(s)
			hs.clock.Advance(5 * time.Second)
			hs.deliver(goLive(s))
			hs.key("j") // green: the instances pane shows its instances
			hs.m.focus = tc.pane
			hs.key("/")
			hs.typeText(tc.filter)
			hs.key("enter")
			var got []string
			switch tc.pane {
			case paneClusters:
				for i := range hs.m.clusters.len() {
					got = append(got, hs.m.clusters.clusters[hs.m.clusters.at(i)].Name)
				}
			case paneAddresses:
				for i := range hs.m.addresses.len() {
					got = append(got, hs.m.addresses.addrs[hs.m.addresses.at(i)].PublicIP)
				}
			case paneInstances:
				got = rowIDs(hs)
			case paneEvents:
				for i := range hs.m.events.len() {
					got = append(got, hs.m.events.entries[hs.m.events.at(i)].text)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("filter %q left %q, want %q", tc.filter, got, tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("filter %q row %d = %q, want %q", tc.filter, i, got[i], tc.want[i])
				}
			}
		})
	}
}

// The filter stays in the pane's title after its prompt closes, so rows
// missing because of it are never a mystery; esc clears it.
func TestFilterStaysInTheTitle(t *testing.T) {
	hs := newHarness(t, &staticSource{}, Options{}, 80, 24)
	hs.deliver(demoSnapshot())
	hs.key("tab", "tab", "/")
	hs.typeText("web-2")
	hs.key("enter")
	s := hs.screen()
	if !strings.Contains(s, "Instances of blue (1 of 3) filter: web-2") {
		t.Fatalf("the filter is not in the title:\n%s", s)
	}
	if strings.Contains(s, "filter /web-2") {
		t.Fatalf("the prompt should be closed:\n%s", s)
	}
	// It is the pane's filter: other panes do not show it.
	if strings.Count(s, "filter: ") != 1 {
		t.Errorf("the filter shows on more than one pane:\n%s", s)
	}
	hs.key("esc")
	if strings.Contains(hs.screen(), "filter: ") {
		t.Errorf("esc did not clear the filter:\n%s", hs.screen())
	}
}

// BenchmarkFilterKeystroke is one keystroke of a filter on the instances
// pane of a 50,000-instance account (5,000 rows in the cluster on
// screen): every row's cells are built and matched.
func BenchmarkFilterKeystroke(b *testing.B) {
	hs := newHarness(b, &staticSource{}, Options{}, 120, 40)
	hs.deliver(fleet(50_000))
	hs.key("tab", "tab", "/")
	b.ReportAllocs()
	for b.Loop() {
		hs.send(keyPress("1"))
		hs.send(keyPress("backspace"))
	}
}

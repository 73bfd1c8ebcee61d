package tui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"maps"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// t0 is the tests' fixed clock: goldens must not depend on when they run.
var t0 = time.Date(2026, 11, 22, 14, 3, 41, 0, time.UTC)

// clock is a settable clock for tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// complete marks every section of s fetched in full.
func completeSections() map[model.Section]model.SectionResult {
	m := map[model.Section]model.SectionResult{}
	for _, s := range []model.Section{model.SectionIdentity, model.SectionInstances, model.SectionAddresses, model.SectionSubnets, model.SectionStatus} {
		m[s] = model.SectionResult{Complete: true, Calls: 1}
	}
	return m
}

// demoSnapshot mirrors the simulator's demo world in acme-prod, us-east-1
// (CONTRACT.md): blue (3 running, 3 EIPs, launched weeks ago), green (3
// instances launched minutes ago, one failing its status check), two
// untagged instances, one unassociated EIP.
func demoSnapshot() model.Snapshot {
	return demoSnapshotFor("acme-prod", "111111111111")
}

func demoSnapshotFor(alias, account string) model.Snapshot {
	s := model.Snapshot{
		Region:    "us-east-1",
		FetchedAt: t0,
		Identity: model.Identity{
			AccountID: account,
			ARN:       "arn:aws:iam::" + account + ":user/oncall",
			UserID:    "AIDAEXAMPLE",
			Alias:     alias,
		},
		Statuses: map[string]model.InstanceStatus{},
		Sections: completeSections(),
	}
	azs := []string{"us-east-1a", "us-east-1b", "us-east-1c"}
	add := func(id, name, cluster string, n int, launched time.Time) {
		tags := map[string]string{"Name": name, "Role": "web"}
		if cluster != "" {
			tags["Cluster"] = cluster
		}
		s.Instances = append(s.Instances, model.Instance{
			ID: id, Name: name, State: model.StateRunning, Type: "m6i.large",
			ImageID: "ami-0123456789abcdef0", AZ: azs[n%3], SubnetID: fmt.Sprintf("subnet-0%d", n%3),
			VPCID: "vpc-0a1b2c3d", PrivateIP: fmt.Sprintf("10.0.%d.%d", n%3, 10+n),
			LaunchTime: launched, Tags: model.TagsOf(tags),
		})
		s.Statuses[id] = model.InstanceStatus{InstanceID: id, System: model.CheckOK, Instance: model.CheckOK}
	}
	for i := 1; i <= 3; i++ {
		add(fmt.Sprintf("i-0b1e000000000000%d", i), fmt.Sprintf("blue-web-%d", i), "blue", i, t0.Add(-41*24*time.Hour))
	}
	for i := 1; i <= 3; i++ {
		add(fmt.Sprintf("i-06ee000000000000%d", i), fmt.Sprintf("green-web-%d", i), "green", i, t0.Add(-12*time.Minute))
	}
	add("i-0a000000000000001", "bastion", "", 1, t0.Add(-200*24*time.Hour))
	add("i-0a000000000000002", "", "", 2, t0.Add(-3*time.Hour))
	st := s.Statuses["i-06ee0000000000003"]
	st.Instance = model.CheckImpaired
	s.Statuses["i-06ee0000000000003"] = st

	for i := 1; i <= 3; i++ {
		s.Addresses = append(s.Addresses, model.Address{
			AllocationID:  fmt.Sprintf("eipalloc-0000000000000000%d", i),
			PublicIP:      fmt.Sprintf("3.3.3.%d", i),
			AssociationID: fmt.Sprintf("eipassoc-0b1ue000000000%d", i),
			InstanceID:    fmt.Sprintf("i-0b1e000000000000%d", i),
			PrivateIP:     fmt.Sprintf("10.0.%d.%d", i%3, 10+i),
			Domain:        "vpc",
		})
	}
	s.Addresses = append(s.Addresses, model.Address{
		AllocationID: "eipalloc-00000000000000009", PublicIP: "3.3.3.9", Domain: "vpc",
	})
	for i, az := range azs {
		s.Subnets = append(s.Subnets, model.Subnet{
			ID: fmt.Sprintf("subnet-0%d", i), VPCID: "vpc-0a1b2c3d", AZ: az,
			CIDR: fmt.Sprintf("10.0.%d.0/24", i), AvailableIPs: []int{240, 3, 180}[i],
		})
	}
	return s
}

// goLive moves blue's EIPs to green, as the demo's go-live does (S1).
func goLive(s model.Snapshot) model.Snapshot {
	s.Addresses = append([]model.Address(nil), s.Addresses...)
	for i := range s.Addresses {
		a := &s.Addresses[i]
		if strings.HasPrefix(a.InstanceID, "i-0b1e") {
			n := a.InstanceID[len(a.InstanceID)-1:]
			a.InstanceID = "i-06ee000000000000" + n
			a.AssociationID = "eipassoc-06ee00000000000" + n
		}
	}
	return s
}

// fleet is a generated world of n instances over ten clusters (so the
// cluster on screen holds n/10), with one EIP per 50 instances: the
// benchmarks' account.
func fleet(n int) model.Snapshot {
	s := model.Snapshot{
		Region: "us-east-1", FetchedAt: t0,
		Identity: model.Identity{AccountID: "111111111111", ARN: "arn:aws:iam::111111111111:user/oncall", Alias: "acme-prod"},
		Statuses: make(map[string]model.InstanceStatus, n),
		Sections: completeSections(),
	}
	s.Instances = make([]model.Instance, 0, n)
	for i := range n {
		id := fmt.Sprintf("i-%017x", i)
		c := fmt.Sprintf("svc-%02d", i%10)
		s.Instances = append(s.Instances, model.Instance{
			ID: id, Name: fmt.Sprintf("%s-%d", c, i%100), State: model.StateRunning, Type: "m6i.large",
			AZ: "us-east-1a", PrivateIP: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255),
			LaunchTime: t0.Add(-time.Duration(i) * time.Minute), Tags: model.TagsOf(map[string]string{"Cluster": c}),
		})
		s.Statuses[id] = model.InstanceStatus{InstanceID: id, System: model.CheckOK, Instance: model.CheckOK}
		if i%50 == 0 {
			s.Addresses = append(s.Addresses, model.Address{
				AllocationID: fmt.Sprintf("eipalloc-%017x", i), PublicIP: fmt.Sprintf("3.%d.%d.%d", i>>16&255, i>>8&255, i&255),
				AssociationID: fmt.Sprintf("eipassoc-%017x", i), InstanceID: id, Domain: "vpc",
			})
		}
	}
	return s
}

// staticSource returns whatever snapshot it holds; tests swap it.
type staticSource struct {
	mu    sync.Mutex
	snap  model.Snapshot
	calls int
}

func (s *staticSource) Fetch(context.Context) model.Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	return s.snap
}

// harness drives a Model the way bubbletea would, minus the goroutines:
// messages go in through Update, commands come back for the test to
// inspect or run.
type harness struct {
	t     testing.TB
	m     *Model
	clock *clock
	queue chan tea.Msg // messages of commands run by exec
}

func newHarness(t testing.TB, src Source, o Options, w, h int) *harness {
	t.Helper()
	c := newClock()
	if o.Now == nil {
		o.Now = c.Now
	}
	m := New(src, o)
	hs := &harness{t: t, m: m, clock: c}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	if cmd := m.checkAudit(); cmd != nil {
		// Init checks the audit log; the harness does not run Init, so
		// it answers here, before any test can press x.
		hs.send(cmd())
	}
	return hs
}

func (h *harness) send(msg tea.Msg) tea.Cmd {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	return cmd
}

// deliver hands the model a snapshot as the answer of a refresh it
// started, at the harness clock's time.
func (h *harness) deliver(s model.Snapshot) {
	h.t.Helper()
	if !h.m.refresh.inFlight {
		h.m.startFetch()
	}
	now := h.clock.Now()
	h.send(FetchedMsg{Gen: h.m.refresh.fetchGen, Snap: s, Started: now, Finished: now})
}

func (h *harness) key(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyPress(k))
	}
}

func (h *harness) screen() string {
	return ansi.Strip(h.m.View().Content)
}

// keyPress builds the message bubbletea sends for a key name.
func keyPress(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)
	if len(r) != 1 {
		panic("keyPress: unknown key " + k)
	}
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// failed returns s as a refresh that failed section sec would: the
// section's data missing and its error recorded.
func failed(s model.Snapshot, sec model.Section, reason string) model.Snapshot {
	s.Sections = maps.Clone(s.Sections)
	s.Sections[sec] = model.SectionResult{Err: errors.New(reason)}
	switch sec {
	case model.SectionIdentity:
		s.Identity = model.Identity{}
	case model.SectionInstances:
		s.Instances = nil
	case model.SectionAddresses:
		s.Addresses = nil
	case model.SectionSubnets:
		s.Subnets = nil
	case model.SectionStatus:
		s.Statuses = nil
	}
	return s
}

func lightBackground() tea.BackgroundColorMsg {
	return tea.BackgroundColorMsg{Color: color.White}
}

// The harness can also run commands the way bubbletea does: each on a
// goroutine, their messages fed back through Update on the test's
// goroutine, until a condition holds. Timers fire for real (a cursor
// blink); nothing waits for them.

// exec runs cmd in the background and queues what it returns.
func (h *harness) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if h.queue == nil {
		h.queue = make(chan tea.Msg, 1024)
	}
	q := h.queue
	go func() { h.enqueue(q, cmd()) }()
}

var cmdType = reflect.TypeFor[tea.Cmd]()

func (h *harness) enqueue(q chan tea.Msg, msg tea.Msg) {
	switch m := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range m {
			h.exec(c)
		}
		return
	}
	// tea.Sequence's message is unexported: a slice of commands to run
	// in order.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		for i := range v.Len() {
			if c, _ := v.Index(i).Interface().(tea.Cmd); c != nil {
				h.enqueue(q, c())
			}
		}
		return
	}
	select {
	case q <- msg:
	default: // a test that stopped listening
	}
}

// press types keys, running what they start.
func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.exec(h.send(keyPress(k)))
	}
}

// typeText types s one character at a time.
func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.exec(h.send(tea.KeyPressMsg{Code: r, Text: string(r)}))
	}
}

// until feeds queued messages to the model until cond holds.
func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		if h.queue == nil {
			h.queue = make(chan tea.Msg, 1024)
		}
		select {
		case msg := <-h.queue:
			h.exec(h.send(msg))
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s; screen:\n%s", what, h.screen())
		}
	}
}

// settle feeds whatever arrives within d.
func (h *harness) settle(d time.Duration) {
	h.t.Helper()
	if h.queue == nil {
		return
	}
	end := time.After(d)
	for {
		select {
		case msg := <-h.queue:
			h.exec(h.send(msg))
		case <-end:
			return
		}
	}
}

// fakeActor judges with the real model.Judge against facts the test
// controls, and "executes" by reporting the plan as done: the airlock's
// screens without a network, for goldens.
type fakeActor struct {
	facts    func() model.Facts // the world as AWS would report it now
	execErr  error
	auditErr error    // what CheckAuditLog answers
	typed    []string // phrases Execute was called with
}

func (a *fakeActor) Prepare(_ context.Context, in model.Intent, seen model.Seen, p model.Policy) (awsstate.Prepared, error) {
	return awsstate.Prepared{Verdict: model.Judge(in, seen, a.facts(), p), Seen: seen, Policy: p}, nil
}

func (a *fakeActor) CheckAuditLog(context.Context) (string, string, error) {
	return "/var/lib/airlock/audit.log", "", a.auditErr
}

func (a *fakeActor) Execute(_ context.Context, p awsstate.Prepared, typed string) (awsstate.Outcome, error) {
	a.typed = append(a.typed, typed)
	v := p.Verdict
	if !v.Accepts(typed) {
		return awsstate.Outcome{Verdict: v}, awsstate.ErrPhraseMismatch
	}
	if a.execErr != nil {
		return awsstate.Outcome{Verdict: v, AuditID: "AUDIT0001"}, a.execErr
	}
	out := awsstate.Outcome{Verdict: v, Done: true, AuditID: "AUDIT0001", AuditComplete: true}
	if len(v.Plan.Terminate) > 0 {
		out.Calls = append(out.Calls, awsstate.Call{Action: "ec2:TerminateInstances", Targets: v.Plan.Terminate, RequestID: "req-0001"})
	}
	return out, nil
}

// factsOf is what AWS would report for s, fetched at t0.
func factsOf(s model.Snapshot) func() model.Facts {
	return func() model.Facts {
		f := model.FactsOf(model.Analyze(s, ""))
		f.FetchedAt = t0
		return f
	}
}

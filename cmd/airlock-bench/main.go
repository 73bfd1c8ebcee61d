// Command airlock-bench measures what the dashboard costs an account and a
// machine: it runs `airlock sim` and the dashboard as two separate
// processes, the dashboard in a real terminal (a private tmux server), and
// prints, for a measured period of steady state:
//
//   - the dashboard's CPU, as a share of one core, from utime+stime in
//     /proc/PID/stat at the start and end of the period;
//   - its resident memory (the largest VmRSS sampled, and VmHWM);
//   - the calls per minute it made to each API, from the sim's counters
//     (GET /_sim/stats), against a quarter of EC2's refill (20/s per
//     Describe action: 300 a minute);
//   - how old the Elastic IPs' ownership on screen gets: the age the
//     banner shows, sampled twice a second, and the delay between moving
//     the EIPs in the sim (POST /_sim/go-live, then /_sim/reset) and the
//     first EIP's new owner appearing on screen;
//   - whether the banner ever said STALE.
//
// It lives under cmd/ because the top-level folders are fixed (cmd, tui,
// model, awsstate, themes) and it is a program of its own, not a test: a
// run takes minutes and needs tmux, so it stays out of `go test ./...`.
//
//	go run ./cmd/airlock-bench -instances 10000 -latency 100ms -period 90s
//	go run ./cmd/airlock-bench -instances 50000 -latency 100ms -period 120s
//
// -airlock names a built binary to measure (default: build ./cmd/airlock
// from this module into a temporary directory).
package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ec2QuarterPerMinute is a quarter of EC2's refill for one Describe action
// (20 tokens a second), per minute: airlock's budget per API.
const ec2QuarterPerMinute = 20 * 60 / 4

// prodAccount is the sim's acme-prod account, which the dashboard watches.
const prodAccount = "111111111111"

type config struct {
	instances int
	latency   time.Duration
	period    time.Duration
	warmup    time.Duration
	probes    int
	airlock   string
	refresh   time.Duration
	env       []string // extra VAR=value for the dashboard (GOGC=50, ...)
	simArgs   []string // extra arguments for airlock sim (--fault SPEC, --throttling)
}

func main() {
	var c config
	flag.IntVar(&c.instances, "instances", 10_000, "instances in the simulated fleet")
	flag.DurationVar(&c.latency, "latency", 100*time.Millisecond, "latency the sim adds to every call")
	flag.DurationVar(&c.period, "period", 90*time.Second, "length of the measured steady state")
	flag.DurationVar(&c.warmup, "warmup", 20*time.Second, "wait this long after the first complete refresh before measuring")
	flag.IntVar(&c.probes, "probes", 4, "EIP moves made during the period to time how soon the screen shows them")
	flag.StringVar(&c.airlock, "airlock", "", "airlock binary to measure (default: build ./cmd/airlock)")
	flag.DurationVar(&c.refresh, "refresh", 0, "pass --refresh to the dashboard (0: its default)")
	flag.Func("env", "pass `VAR=value` to the dashboard's environment (repeatable), e.g. GOGC=50", func(kv string) error {
		if !strings.Contains(kv, "=") {
			return fmt.Errorf("%q: want VAR=value", kv)
		}
		c.env = append(c.env, kv)
		return nil
	})
	flag.Func("sim-arg", "pass `ARG` to airlock sim (repeatable), e.g. --fault=throttle,action=ec2:DescribeAddresses", func(a string) error {
		c.simArgs = append(c.simArgs, a)
		return nil
	})
	flag.Parse()
	if c.instances < 0 || c.period <= 0 || c.warmup < 0 || c.probes < 0 {
		fmt.Fprintln(os.Stderr, "airlock-bench: -instances, -warmup and -probes must not be negative, -period must be positive")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "airlock-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config, out io.Writer) error {
	dir, err := os.MkdirTemp("", "airlock-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	bin := c.airlock
	if bin == "" {
		bin = filepath.Join(dir, "airlock")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/airlock-ops/airlock/cmd/airlock")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building airlock: %w", err)
		}
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		return errors.New("tmux is not installed (apt-get install tmux): the dashboard needs a terminal")
	}

	endpoint, stopSim, err := startSim(ctx, bin, dir, c)
	if err != nil {
		return err
	}
	defer stopSim()

	tm := tmux{socket: fmt.Sprintf("airlock-bench-%d", os.Getpid())}
	defer tm.kill()
	args := []string{"env", "-i", "HOME=" + dir, "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color",
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "aws", "credentials")}
	args = append(args, c.env...)
	args = append(args, bin, "--profile", "acme-prod", "--audit-log", filepath.Join(dir, "audit.log"))
	if c.refresh > 0 {
		args = append(args, "--refresh", c.refresh.String())
	}
	if err := tm.run("-f", "/dev/null", "new-session", "-d", "-s", "bench", "-x", "120", "-y", "40", "exec "+shellJoin(args)); err != nil {
		return err
	}
	pidText, err := tm.output("list-panes", "-t", "bench", "-F", "#{pane_pid}")
	if err != nil {
		return err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(pidText))
	if err != nil {
		return fmt.Errorf("tmux pane pid %q: %w", pidText, err)
	}

	fmt.Fprintf(out, "airlock-bench: %d instances, %s latency, dashboard pid %d; waiting for the first complete refresh\n", c.instances, c.latency, pid)
	first := time.Now()
	if err := waitFor(ctx, 3*time.Minute, func() bool {
		s, _ := tm.capture()
		l2 := line(s, 1)
		return strings.Contains(l2, "updated") && !strings.Contains(l2, "no complete refresh") ||
			strings.Contains(l2, "STALE") // a run with faults may never complete one
	}); err != nil {
		s, _ := tm.capture()
		return fmt.Errorf("no complete refresh within 3m: %w\n%s", err, s)
	}
	fmt.Fprintf(out, "first complete refresh after %s; warming up %s\n", time.Since(first).Round(100*time.Millisecond), c.warmup)
	if !sleep(ctx, c.warmup) {
		return ctx.Err()
	}

	sim := simControl{endpoint: endpoint}
	if err := sim.post("/_sim/stats/reset"); err != nil {
		return err
	}
	cpu0, err := cpuTicks(pid)
	if err != nil {
		return err
	}
	start := time.Now()

	var m measurement
	probeAt := make([]time.Duration, c.probes)
	for i := range probeAt {
		probeAt[i] = c.period * time.Duration(2*i+1) / time.Duration(2*c.probes)
	}
	live := false // the sim's EIPs are on blue until the first go-live
	var probe *pendingProbe
	for time.Since(start) < c.period {
		if !sleep(ctx, 500*time.Millisecond) {
			return ctx.Err()
		}
		screen, err := tm.capture()
		if err != nil {
			return err
		}
		m.sample(screen)
		if rss, err := procStatus(pid, "VmRSS"); err == nil {
			m.rssMax = max(m.rssMax, rss)
		}
		if probe != nil && probe.seen(screen) {
			m.probes = append(m.probes, time.Since(probe.at))
			probe = nil
		}
		if probe == nil && len(probeAt) > 0 && time.Since(start) >= probeAt[0] {
			probeAt = probeAt[1:]
			path, want := "/_sim/go-live", "green"
			if live {
				path, want = "/_sim/reset", "blue"
			}
			if err := sim.post(path); err != nil {
				return err
			}
			live = !live
			probe = &pendingProbe{at: time.Now(), want: want}
		}
	}
	elapsed := time.Since(start)
	cpu1, err := cpuTicks(pid)
	if err != nil {
		return fmt.Errorf("the dashboard exited during the run: %w", err)
	}
	hwm, _ := procStatus(pid, "VmHWM")
	calls, err := sim.stats()
	if err != nil {
		return err
	}
	// The last move may land after the period: wait for it (outside the
	// measured period) rather than lose the sample.
	if probe != nil {
		err := waitFor(ctx, 60*time.Second, func() bool {
			s, err := tm.capture()
			return err == nil && probe.seen(s)
		})
		if err == nil {
			m.probes = append(m.probes, time.Since(probe.at))
		} else {
			m.missed++
		}
	}

	hz := clockTicks()
	cpuPct := float64(cpu1-cpu0) / hz / elapsed.Seconds() * 100
	fmt.Fprintf(out, "\nmeasured %s at %d instances, %s latency\n", elapsed.Round(time.Second), c.instances, c.latency)
	fmt.Fprintf(out, "  cpu                 %.1f%% of a core (%d ticks of 1/%.0f s)\n", cpuPct, cpu1-cpu0, hz)
	fmt.Fprintf(out, "  rss                 max sampled %d MB, VmHWM %d MB\n", m.rssMax/1024, hwm/1024)
	fmt.Fprintf(out, "  banner age          max %s, samples %d\n", m.ageMax, m.samples)
	fmt.Fprintf(out, "  STALE on screen     %d of %d samples\n", m.stale, m.samples)
	fmt.Fprintf(out, "  banner at the end   %s\n", m.banner)
	if len(m.probes) > 0 || m.missed > 0 {
		var ps []string
		var worst time.Duration
		for _, p := range m.probes {
			ps = append(ps, p.Round(100*time.Millisecond).String())
			worst = max(worst, p)
		}
		fmt.Fprintf(out, "  EIP move to screen  worst %s: %s", worst.Round(100*time.Millisecond), strings.Join(ps, " "))
		if m.missed > 0 {
			fmt.Fprintf(out, " (%d not seen by the end)", m.missed)
		}
		fmt.Fprintln(out)
	}
	if m.throttled != "" {
		fmt.Fprintf(out, "  throttled (banner)  %s\n", m.throttled)
	}
	fmt.Fprintf(out, "  calls per minute (budget: %d per EC2 API, a quarter of its refill)\n", ec2QuarterPerMinute)
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range calls {
			if !yield(k) {
				return
			}
		}
	})
	total := 0
	for _, n := range names {
		per := float64(calls[n]) / elapsed.Minutes()
		total += calls[n]
		verdict := ""
		if strings.HasPrefix(n, "ec2:") {
			verdict = "ok"
			if per > ec2QuarterPerMinute {
				verdict = "OVER BUDGET"
			}
		}
		fmt.Fprintf(out, "    %-30s %7.1f/min  %s\n", n, per, verdict)
	}
	fmt.Fprintf(out, "    %-30s %7.1f/min\n", "all", float64(total)/elapsed.Minutes())
	return nil
}

// measurement is what the screen samples showed.
type measurement struct {
	samples   int
	banner    string // line 2 of the last screen
	stale     int
	ageMax    time.Duration
	rssMax    int64 // kB
	probes    []time.Duration
	missed    int
	throttled string
}

var ageRe = regexp.MustCompile(`updated (?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)? ago`)

func (m *measurement) sample(screen string) {
	m.samples++
	l2 := line(screen, 1)
	m.banner = strings.TrimSpace(l2)
	if strings.Contains(l2, "STALE") {
		m.stale++
	}
	if i := strings.Index(l2, "THROTTLED"); i >= 0 {
		m.throttled = strings.TrimSpace(l2[i:])
	}
	if g := ageRe.FindStringSubmatch(l2); g != nil {
		h, _ := strconv.Atoi(cmp.Or(g[1], "0"))
		mi, _ := strconv.Atoi(cmp.Or(g[2], "0"))
		s, _ := strconv.Atoi(cmp.Or(g[3], "0"))
		m.ageMax = max(m.ageMax, time.Duration(h)*time.Hour+time.Duration(mi)*time.Minute+time.Duration(s)*time.Second)
	}
}

// pendingProbe waits for the first Elastic IP (100.64.0.1, the first row
// of the addresses pane, sorted by IP) to show the owner it was moved to.
type pendingProbe struct {
	at   time.Time
	want string
}

var firstEIP = regexp.MustCompile(`100\.64\.0\.1\s+([^/\s]+)/`)

func (p *pendingProbe) seen(screen string) bool {
	g := firstEIP.FindStringSubmatch(screen)
	return g != nil && g[1] == p.want
}

func line(s string, n int) string {
	lines := strings.Split(s, "\n")
	if n < len(lines) {
		return lines[n]
	}
	return ""
}

// startSim runs `airlock sim` with a port of its choosing, writing AWS
// profiles for it into dir/aws, and returns its endpoint and how to stop it.
func startSim(ctx context.Context, bin, dir string, c config) (string, func(), error) {
	cmd := exec.Command(bin, "sim", "--listen", "127.0.0.1:0",
		"--instances", strconv.Itoa(c.instances), "--latency", c.latency.String(),
		"--write-aws-config", filepath.Join(dir, "aws"))
	cmd.Args = append(cmd.Args, c.simArgs...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("starting the sim: %w", err)
	}
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			if e, ok := strings.CutPrefix(sc.Text(), "endpoint: "); ok && !sent {
				found <- e
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case e, ok := <-found:
		if !ok {
			stop()
			return "", nil, errors.New("the sim exited without printing its endpoint")
		}
		return e, stop, nil
	case <-time.After(30 * time.Second):
		stop()
		return "", nil, errors.New("the sim printed no endpoint within 30s")
	case <-ctx.Done():
		stop()
		return "", nil, ctx.Err()
	}
}

type simControl struct{ endpoint string }

var httpClient = &http.Client{Timeout: 10 * time.Second}

func (s simControl) post(path string) error {
	resp, err := httpClient.Post(s.endpoint+path, "application/x-www-form-urlencoded", nil)
	if err != nil {
		return fmt.Errorf("POST %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("POST %s: %s: %s", path, resp.Status, b)
	}
	return nil
}

func (s simControl) stats() (map[string]int, error) {
	resp, err := httpClient.Get(s.endpoint + "/_sim/stats?account=" + prodAccount)
	if err != nil {
		return nil, fmt.Errorf("GET /_sim/stats: %w", err)
	}
	defer resp.Body.Close()
	var doc struct {
		Calls map[string]int `json:"calls"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("GET /_sim/stats: %w", err)
	}
	return doc.Calls, nil
}

type tmux struct{ socket string }

func (t tmux) run(args ...string) error {
	_, err := t.output(args...)
	return err
}

func (t tmux) output(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "tmux", append([]string{"-L", t.socket}, args...)...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("tmux %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (t tmux) capture() (string, error) { return t.output("capture-pane", "-p", "-t", "bench") }

func (t tmux) kill() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = exec.CommandContext(ctx, "tmux", "-L", t.socket, "kill-server").Run()
}

// cpuTicks is utime+stime of pid, in clock ticks (fields 14 and 15 of
// /proc/PID/stat, counted after the parenthesised command name, which may
// hold spaces).
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state): utime is field 14, stime 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f)+2)
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return u + st, nil
}

// procStatus reads one kB field (VmRSS, VmHWM) of /proc/PID/status.
func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for l := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			f := strings.Fields(v)
			if len(f) == 0 {
				break
			}
			return strconv.ParseInt(f[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no %s", pid, field)
}

// clockTicks is the kernel's USER_HZ, what /proc counts CPU time in.
func clockTicks() float64 {
	out, err := exec.Command("getconf", "CLK_TCK").Output()
	if err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(out))); err == nil && n > 0 {
			return float64(n)
		}
	}
	return 100 // USER_HZ on every Linux architecture Go supports
}

func waitFor(ctx context.Context, limit time.Duration, ok func() bool) error {
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			return errors.New("timed out")
		}
		if !sleep(ctx, 250*time.Millisecond) {
			return ctx.Err()
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// shellJoin quotes args for the shell tmux runs the pane's command with.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

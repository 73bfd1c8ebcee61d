package sim

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A fault spec is a Fault written as text, for tools outside the process:
// `airlock sim --fault SPEC` and POST /_sim/faults take it. It is the kind,
// then comma-separated key=value fields:
//
//	access-denied,action=ec2:TerminateInstances
//	expired-token
//	latency,latency=2s,action=DescribeInstances,times=3
//	page-error,action=ec2:DescribeInstances,page=2
//	throttle,account=222222222222,action=DescribeSubnets,times=2
//	drop-connection,action=sts:GetCallerIdentity,times=1
//
// The fields are those of Fault: account (a 12-digit account ID), action
// ("service:Action" or a bare action name the sim serves), times (a whole
// number; 0 or absent means every matching call), page (page-error only,
// 1-based; absent means every page) and latency (latency only, a Go
// duration such as 1.5s, required). Anything else is an error that names
// the field and what was expected: a typo must not become a fault that
// silently never matches.

// faultFields are the keys a spec may carry, in the order String writes them.
var faultFields = []string{"kind", "account", "action", "times", "page", "latency"}

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// ParseFault parses a fault spec such as
// "access-denied,action=ec2:TerminateInstances" (the format is described
// in the package doc, under Faults and throttling). It checks the syntax
// and the names; Server.InjectSpec also checks that the account exists.
func ParseFault(spec string) (Fault, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return Fault{}, fmt.Errorf("empty fault spec (expected KIND[,key=value...], KIND one of %s)", kindList())
	}
	var pairs [][2]string
	for i, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		k, v, ok := strings.Cut(item, "=")
		switch {
		case !ok && i == 0:
			pairs = append(pairs, [2]string{"kind", item})
		case !ok:
			return Fault{}, fmt.Errorf("%q is not key=value (expected one of %s after the kind)", item, strings.Join(faultFields[1:], ", "))
		default:
			pairs = append(pairs, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
		}
	}
	return faultFromFields(pairs)
}

// faultFromFields builds a Fault from key/value pairs, whether they came
// from a spec, a query string, a form or a JSON body: one set of rules for
// every way in.
func faultFromFields(pairs [][2]string) (Fault, error) {
	got := map[string]string{}
	for _, p := range pairs {
		k, v := p[0], p[1]
		if !slices.Contains(faultFields, k) {
			return Fault{}, fmt.Errorf("unknown field %q (expected %s)", k, strings.Join(faultFields, ", "))
		}
		if _, dup := got[k]; dup {
			return Fault{}, fmt.Errorf("%s given twice (expected it at most once)", k)
		}
		got[k] = v
	}

	var f Fault
	kind, ok := got["kind"]
	if !ok || kind == "" {
		return Fault{}, fmt.Errorf("missing kind (expected one of %s)", kindList())
	}
	for k, name := range faultNames {
		if name == kind {
			f.Kind = k
		}
	}
	if f.Kind == 0 {
		return Fault{}, fmt.Errorf("kind %q is not a fault kind (expected one of %s)", kind, kindList())
	}

	if v, ok := got["account"]; ok {
		if !accountIDPattern.MatchString(v) {
			return Fault{}, fmt.Errorf("account %q is not an account ID (expected 12 digits, e.g. %s)", v, ProdAccountID)
		}
		f.Account = v
	}
	if v, ok := got["action"]; ok {
		if !knownAction(v) {
			return Fault{}, fmt.Errorf("action %q is not an action the sim serves (expected service:Action or Action, one of %s)", v, strings.Join(actionList(), ", "))
		}
		f.Action = v
	}
	if v, ok := got["times"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return Fault{}, fmt.Errorf("times %q is not a number of calls (expected a whole number ≥ 0; 0 means every matching call)", v)
		}
		f.Times = n
	}
	if v, ok := got["page"]; ok {
		if f.Kind != FaultPageError {
			return Fault{}, fmt.Errorf("page applies only to kind page-error, not %s", f.Kind)
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return Fault{}, fmt.Errorf("page %q is not a page number (expected a whole number ≥ 1; leave it out to fail every page)", v)
		}
		f.Page = n
	}
	v, ok := got["latency"]
	switch {
	case ok && f.Kind != FaultLatency:
		return Fault{}, fmt.Errorf("latency applies only to kind latency, not %s", f.Kind)
	case !ok && f.Kind == FaultLatency:
		return Fault{}, fmt.Errorf("kind latency needs latency=DURATION (e.g. latency=2s)")
	case ok:
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return Fault{}, fmt.Errorf("latency %q is not a delay (expected a positive duration such as 500ms or 2s)", v)
		}
		f.Latency = d
	}
	return f, nil
}

// String writes the fault as a spec that ParseFault reads back.
func (f Fault) String() string {
	parts := []string{f.Kind.String()}
	if f.Account != "" {
		parts = append(parts, "account="+f.Account)
	}
	if f.Action != "" {
		parts = append(parts, "action="+f.Action)
	}
	if f.Times > 0 {
		parts = append(parts, "times="+strconv.Itoa(f.Times))
	}
	if f.Page > 0 {
		parts = append(parts, "page="+strconv.Itoa(f.Page))
	}
	if f.Kind == FaultLatency {
		parts = append(parts, "latency="+f.Latency.String())
	}
	return strings.Join(parts, ",")
}

// InjectSpec parses a fault spec, checks that its account exists, and
// injects it. It returns the fault's ID, by which DELETE /_sim/faults/ID
// removes it. A fault for an account the sim does not know would never
// match, so it is refused rather than accepted in silence.
func (s *Server) InjectSpec(spec string) (id int, err error) {
	f, err := ParseFault(spec)
	if err != nil {
		return 0, err
	}
	return s.injectChecked(f)
}

func (s *Server) injectChecked(f Fault) (int, error) {
	if f.Account != "" {
		s.mu.RLock()
		_, ok := s.w.accounts[f.Account]
		s.mu.RUnlock()
		if !ok {
			return 0, fmt.Errorf("account %s is not in the simulated world (expected one of %s)", f.Account, strings.Join(s.accountIDs(), ", "))
		}
	}
	return s.faults.addID(f), nil
}

func (s *Server) accountIDs() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var ids []string
	for id := range s.w.accounts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func knownAction(name string) bool {
	if svc, act, ok := strings.Cut(name, ":"); ok {
		_, found := services[svc].actions[act]
		return found
	}
	for _, svc := range services {
		if _, found := svc.actions[name]; found {
			return true
		}
	}
	return false
}

// actionList is every "service:Action" the sim serves, sorted.
func actionList() []string {
	var list []string
	for name, svc := range services {
		for act := range svc.actions {
			list = append(list, name+":"+act)
		}
	}
	slices.Sort(list)
	return list
}

// kindList is the fault kind names, in FaultKind order.
func kindList() string {
	var names []string
	for k := FaultKind(1); faultNames[k] != ""; k++ {
		names = append(names, faultNames[k])
	}
	return strings.Join(names, ", ")
}

package sim

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// The query protocol flattens lists and structures into numbered form keys:
// InstanceId.1=i-a&InstanceId.2=i-b, Filter.1.Name=tag:Cluster&
// Filter.1.Value.1=blue. The SDK's ec2query serializer numbers from 1 without
// gaps; the helpers below accept any positive numbering and order by index,
// so hand-written requests (curl, the CLI) work too.

// params wraps a request's form values with typed, validating accessors.
// Every error they return is the apiError EC2 would send.
type params url.Values

// str returns a scalar parameter ("" when absent).
func (p params) str(name string) string { return url.Values(p).Get(name) }

func (p params) has(name string) bool {
	_, ok := p[name]
	return ok
}

// boolean parses a Boolean parameter: "true" or "false", as the SDK sends.
func (p params) boolean(name string) (bool, error) {
	v := p.str(name)
	switch strings.ToLower(v) {
	case "":
		return false, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errInvalidParameterValue("Invalid value '%s' for %s. Expected a boolean.", v, name)
}

// maxResults parses MaxResults and checks it against [min, max]. It returns
// 0 when the parameter is absent, meaning "no limit".
func (p params) maxResults(min, max int) (int, error) {
	if !p.has("MaxResults") {
		return 0, nil
	}
	v := p.str("MaxResults")
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, errInvalidParameterValue("Invalid value '%s' for maxResults. Expected an integer.", v)
	}
	if n < min || n > max {
		return 0, errInvalidParameterValue("Value ( %d ) for parameter maxResults is invalid. Expecting a value between %d and %d.", n, min, max)
	}
	return n, nil
}

// list returns a flattened list parameter (prefix.1, prefix.2, ...) in
// index order.
func (p params) list(prefix string) ([]string, error) {
	idx, err := p.indices(prefix + ".")
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		out = append(out, p.str(prefix+"."+strconv.Itoa(i)))
	}
	return out, nil
}

// indices returns the distinct N in keys "prefixN" or "prefixN.anything",
// sorted. A non-numeric or non-positive N is a malformed request.
func (p params) indices(prefix string) ([]int, error) {
	seen := map[int]bool{}
	for key := range p {
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 {
			return nil, badRequest("InvalidParameter", "The parameter %s is not recognized", key)
		}
		seen[n] = true
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Ints(out)
	return out, nil
}

// filter is one EC2 Filter: the item matches when any of its values
// matches any of the values; several filters must all match.
type filter struct {
	name   string
	values []string
}

// filters parses Filter.N.Name / Filter.N.Value.M and rejects names the
// action does not support, as EC2 does ("The filter 'x' is invalid").
// Names starting with "tag:" are always accepted.
func (p params) filters(known map[string]bool) ([]filter, error) {
	idx, err := p.indices("Filter.")
	if err != nil {
		return nil, err
	}
	out := make([]filter, 0, len(idx))
	for _, i := range idx {
		base := "Filter." + strconv.Itoa(i)
		name := p.str(base + ".Name")
		if name == "" {
			return nil, errMissingParameter(base + ".Name")
		}
		if !known[name] && !(strings.HasPrefix(name, "tag:") && len(name) > len("tag:")) {
			return nil, errInvalidParameterValue("The filter '%s' is invalid", name)
		}
		values, err := p.list(base + ".Value")
		if err != nil {
			return nil, err
		}
		if len(values) == 0 {
			return nil, errInvalidParameterValue("The filter '%s' requires at least one value", name)
		}
		out = append(out, filter{name: name, values: values})
	}
	return out, nil
}

// attrFunc returns an item's values for a filter name. Every name it is
// asked about has already been validated against the action's list.
type attrFunc func(name string) []string

// matchAll reports whether an item passes every filter.
func matchAll(fs []filter, attr attrFunc) bool {
	for _, f := range fs {
		if !matchAny(f.values, attr(f.name)) {
			return false
		}
	}
	return true
}

func matchAny(patterns, values []string) bool {
	for _, v := range values {
		for _, p := range patterns {
			if wildcard(p, v) {
				return true
			}
		}
	}
	return false
}

// tagAttr answers the three tag filters every EC2 Describe action supports:
// tag:KEY (the value of that tag), tag-key (all keys) and tag-value (all
// values).
func tagAttr(tags map[string]string, name string) ([]string, bool) {
	if key, ok := strings.CutPrefix(name, "tag:"); ok {
		if v, ok := tags[key]; ok {
			return []string{v}, true
		}
		return nil, true
	}
	switch name {
	case "tag-key":
		keys := make([]string, 0, len(tags))
		for k := range tags {
			keys = append(keys, k)
		}
		return keys, true
	case "tag-value":
		vals := make([]string, 0, len(tags))
		for _, v := range tags {
			vals = append(vals, v)
		}
		return vals, true
	}
	return nil, false
}

// tagFilters are the filter names handled by tagAttr besides "tag:KEY".
var tagFilters = []string{"tag-key", "tag-value"}

func filterSet(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range append(names, tagFilters...) {
		m[n] = true
	}
	return m
}

// wildcard matches EC2 filter wildcards: "*" matches any run of characters,
// "?" exactly one, and a backslash escapes either ("Filter names and values
// are case-sensitive ... You can use wildcards", DescribeInstances in the
// EC2 API reference). Matching is by rune, so multi-byte text behaves.
func wildcard(pattern, s string) bool {
	if !strings.ContainsAny(pattern, `*?\`) {
		return pattern == s
	}
	p, v := []rune(pattern), []rune(s)
	// Classic two-pointer glob with backtracking to the last star.
	pi, vi, star, mark := 0, 0, -1, 0
	for vi < len(v) {
		switch {
		case pi < len(p) && p[pi] == '\\' && pi+1 < len(p) && p[pi+1] == v[vi]:
			pi += 2
			vi++
		case pi < len(p) && (p[pi] == '?' || (p[pi] == v[vi] && p[pi] != '*')):
			pi++
			vi++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, vi
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			vi = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

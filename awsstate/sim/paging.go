package sim

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
)

// Pagination follows EC2: MaxResults caps a page, the response carries
// nextToken while more items remain, and the caller sends it back as
// NextToken. Items are served in ID order and the token remembers the last
// ID served, not an offset: an item created or deleted between two pages
// shifts nothing, so a client never sees an item twice and never skips one
// that existed throughout. The token also carries the page number, which is
// what FaultPageError matches on.
//
// Tokens are opaque to clients (base64 of a versioned record) and bound to
// the action that issued them; anything else is InvalidPaginationToken, the
// code EC2 documents for "The specified pagination token is not valid or is
// expired" (EC2 API reference, Error codes, common client errors).

const tokenVersion = "sim1"

type pageToken struct {
	page  int    // 1-based number of the page this token asks for
	after string // last ID served on the previous page
}

func encodeToken(action string, t pageToken) string {
	raw := strings.Join([]string{tokenVersion, action, strconv.Itoa(t.page), t.after}, "\x00")
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// decodeToken parses NextToken for action. An empty token is the first page.
func decodeToken(action, tok string) (pageToken, error) {
	if tok == "" {
		return pageToken{page: 1}, nil
	}
	bad := badRequest("InvalidPaginationToken", "Invalid pagination token: %s", tok)
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return pageToken{}, bad
	}
	parts := strings.Split(string(raw), "\x00")
	if len(parts) != 4 || parts[0] != tokenVersion || parts[1] != action {
		return pageToken{}, bad
	}
	page, err := strconv.Atoi(parts[2])
	if err != nil || page < 2 || parts[3] == "" {
		return pageToken{}, bad
	}
	return pageToken{page: page, after: parts[3]}, nil
}

// pageNumber is the page a request asks for, for fault matching: 1 without
// a token, and 1 for a token that will be rejected anyway.
func pageNumber(action, tok string) int {
	t, err := decodeToken(action, tok)
	if err != nil {
		return 1
	}
	return t.page
}

// paginate walks the sorted ids after t.after and keeps those that pass
// keep, up to max (0: no limit). next is the token for the following page,
// "" when nothing more matches. It looks one match ahead so that a page that
// happens to end the list carries no token, as AWS does for exact fits most
// of the time; clients must cope with either.
func paginate(action string, ids []string, t pageToken, max int, keep func(id string) bool) (out []string, next string) {
	start := 0
	if t.after != "" {
		start = sort.SearchStrings(ids, t.after)
		if start < len(ids) && ids[start] == t.after {
			start++
		}
	}
	for _, id := range ids[start:] {
		if !keep(id) {
			continue
		}
		if max > 0 && len(out) == max {
			return out, encodeToken(action, pageToken{page: t.page + 1, after: out[len(out)-1]})
		}
		out = append(out, id)
	}
	return out, ""
}

// listRequest is what every paginated Describe* takes, whatever the
// dialect spells it as: IDs (or names) to look up, filters, a page size (0:
// no limit) and the token of the page asked for.
type listRequest struct {
	ids     []string
	filters []filter
	max     int
	tok     pageToken
}

// listRequest parses and validates an EC2 listing: idParam.N, Filter.N,
// MaxResults (5..1000) and NextToken. idsWithMax says whether the action
// accepts MaxResults together with IDs: DescribeInstances and
// DescribeInstanceStatus answer InvalidParameterCombination, as AWS does.
func (c *call) listRequest(idParam, kind, codeBase string, known map[string]bool, idsWithMax bool) (listRequest, error) {
	return c.ec2List(ec2ListSpec{idParam: idParam, kind: kind, codeBase: codeBase, filters: known, idsWithMax: idsWithMax, minMax: 5, maxMax: 1000})
}

// ec2ListSpec is how one EC2 Describe action reads its listing parameters.
type ec2ListSpec struct {
	idParam, kind, codeBase string // InstanceId, i, InvalidInstanceID; idParam "" when the action takes none
	filters                 map[string]bool
	idsWithMax              bool
	minMax, maxMax          int // MaxResults bounds
	// idsName is the ID list's name in the error for MaxResults together
	// with IDs ("instancesSet" when empty).
	idsName string
}

func (c *call) ec2List(sp ec2ListSpec) (listRequest, error) {
	var req listRequest
	var err error
	if sp.idParam != "" {
		if req.ids, err = c.ids(sp.idParam, sp.kind, sp.codeBase); err != nil {
			return req, err
		}
	}
	if req.filters, err = c.p.filters(sp.filters); err != nil {
		return req, err
	}
	if req.max, err = c.p.maxResults(sp.minMax, sp.maxMax); err != nil {
		return req, err
	}
	if !sp.idsWithMax && req.max > 0 && len(req.ids) > 0 {
		if sp.idsName != "" {
			return req, badRequest("InvalidParameterCombination", "The parameter %s cannot be used with the parameter maxResults", sp.idsName)
		}
		return req, errCombination()
	}
	req.tok, err = decodeToken(c.action, c.p.str("NextToken"))
	return req, err
}

// table is where a listing's items live in a Region and how they are
// judged: the one part of a Describe action that differs between actions.
// describe does the rest.
type table[T any] struct {
	// name keys the cached sorted IDs (sortedKeys); items returns the map.
	name  string
	items func(r *Region) map[string]T
	// attr answers filters for one item; nil when the action has none. It
	// is built once per call so it can index what it needs first.
	attr func(r *Region) func(item T) attrFunc
	// notFound is the error for requested IDs that do not exist; nil means
	// they are skipped silently (Auto Scaling's names, for instance).
	notFound func(missing []string) error
}

// describe is the skeleton every paginated listing shares: under the read
// lock, reject requested IDs that do not exist, walk the region's items in
// ID order from the token, keep those that pass the filters and keep (nil:
// all), and hand the page to render while the lock is still held. It
// returns the token for the next page.
func describe[T any](s *Server, c *call, req listRequest, t table[T], keep func(r *Region, item T) bool, render func(r *Region, page []T)) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.region(c)
	all := t.items(r)
	if t.notFound != nil {
		if m := missing(req.ids, all); len(m) > 0 {
			return "", t.notFound(m)
		}
	}
	var attr func(T) attrFunc
	if t.attr != nil && len(req.filters) > 0 {
		attr = t.attr(r)
	}
	ids, next := paginate(c.action, universe(req.ids, sortedKeys(r, t.name, all)), req.tok, req.max, func(id string) bool {
		item, ok := all[id]
		if !ok {
			return false
		}
		if keep != nil && !keep(r, item) {
			return false
		}
		return attr == nil || matchAll(req.filters, attr(item))
	})
	page := make([]T, len(ids))
	for i, id := range ids {
		page[i] = all[id]
	}
	render(r, page)
	return next, nil
}

// notFoundIDs is the notFound of most EC2 tables.
func notFoundIDs(code, noun string) func([]string) error {
	return func(m []string) error { return notFound(code, noun, m) }
}

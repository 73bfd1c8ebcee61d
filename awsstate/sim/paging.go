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

// listRequest is what every paginated Describe* takes: IDs to look up
// (idParam.N), filters, a page size (MaxResults, 5..1000) and the token of
// the page asked for.
type listRequest struct {
	ids     []string
	filters []filter
	max     int
	tok     pageToken
}

// listRequest parses and validates a listRequest. idsWithMax says whether
// the action accepts MaxResults together with IDs: DescribeInstances and
// DescribeInstanceStatus answer InvalidParameterCombination, as AWS does.
func (c *call) listRequest(idParam, kind, codeBase string, known map[string]bool, idsWithMax bool) (listRequest, error) {
	var req listRequest
	var err error
	if req.ids, err = c.ids(idParam, kind, codeBase); err != nil {
		return req, err
	}
	if req.filters, err = c.p.filters(known); err != nil {
		return req, err
	}
	if req.max, err = c.p.maxResults(5, 1000); err != nil {
		return req, err
	}
	if !idsWithMax && req.max > 0 && len(req.ids) > 0 {
		return req, errCombination()
	}
	req.tok, err = decodeToken(c.action, c.p.str("NextToken"))
	return req, err
}

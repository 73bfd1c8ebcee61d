package awsstate

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/airlock-ops/airlock/model"
)

// A new instance list shares what has not changed with the one before
// it. While a refresh's list of 50,000 instances is derived, the list on
// screen is still held, so each unchanged instance's tag map (about
// 300 bytes however few its tags) and unique strings would be kept
// twice: 20 MB at the dashboard's peak (issue 10). Both lists are only
// ever read, and a value is shared only when it is equal, so the new
// list means exactly what it would have meant built afresh.

// priorList finds an instance of the previous whole list by ID. Pages
// come in the same order from one list to the next, so it tries the
// instance after the last one found before building an index.
type priorList struct {
	list []model.Instance
	next int
	at   map[string]int
}

// find returns the previous entry of instance id, or nil (also on a nil
// priorList: nothing to share).
func (p *priorList) find(id string) *model.Instance {
	if p == nil || id == "" {
		return nil
	}
	if p.next < len(p.list) && p.list[p.next].ID == id {
		p.next++
		return &p.list[p.next-1]
	}
	if p.at == nil {
		p.at = make(map[string]int, len(p.list))
		for i, in := range p.list {
			p.at[in.ID] = i
		}
	}
	i, ok := p.at[id]
	if !ok {
		return nil
	}
	p.next = i + 1
	return &p.list[i]
}

// priorInstances is the last whole instance list FetchPlan returned, to
// share from; nil before the first.
func (c *Client) priorInstances() *priorList {
	c.priorMu.Lock()
	defer c.priorMu.Unlock()
	if c.prior == nil {
		return nil
	}
	return &priorList{list: c.prior}
}

// keepPrior records list, a whole instance list, for the next to share
// from. The dashboard holds the same list on screen, so this costs
// nothing more.
func (c *Client) keepPrior(list []model.Instance) {
	c.priorMu.Lock()
	defer c.priorMu.Unlock()
	c.prior = slices.Clip(list)
}

// sameTags reports whether tags, as AWS sent them, are exactly m.
func sameTags(m model.Tags, tags []types.Tag) bool {
	if len(m) != len(tags) {
		return false
	}
	for i, t := range tags {
		k := aws.ToString(t.Key)
		if v, ok := m.Lookup(k); !ok || v != aws.ToString(t.Value) {
			return false
		}
		// A key twice would make the built tags fewer than m.
		for _, u := range tags[:i] {
			if aws.ToString(u.Key) == k {
				return false
			}
		}
	}
	return true
}

// shareFrom makes out, just converted, share prev's tag map and
// strings wherever they are equal.
func shareFrom(out *model.Instance, prev *model.Instance) {
	if prev == nil {
		return
	}
	same := func(s *string, was string) {
		if *s == was {
			*s = was
		}
	}
	same(&out.ID, prev.ID)
	same(&out.PrivateIP, prev.PrivateIP)
	same(&out.PublicIP, prev.PublicIP)
	if slices.Equal(out.SecurityGroups, prev.SecurityGroups) && prev.SecurityGroups != nil {
		out.SecurityGroups = prev.SecurityGroups
	}
}

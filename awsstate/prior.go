package awsstate

import (
	"cmp"
	"reflect"
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

// A new ECS state shares its unchanged services with the one before it,
// for the same reason: the ECS lane takes minutes to read 10,000
// services, the state on screen is held all the while, and each
// service's strings, deployments and events would be kept twice (14 MB
// at 10,000 services). A service is shared whole or not at all, and only
// when it is equal to the fresh one in every field, so the new state
// means exactly what it would have meant built afresh.

// priorServices is the services of the previous whole ECS state, in
// model.SortECS order (by cluster, then name), to share from. It is only
// read while a state is fetched, by every cluster's goroutine at once;
// a nil priorServices has nothing to share.
type priorServices []model.Service

// find returns the previous entry of the service name in cluster (both
// raw), or nil. The list is sorted, so a binary search needs no index:
// were it not sorted, a service would only go unshared.
func (p priorServices) find(cluster, name string) *model.Service {
	i, ok := slices.BinarySearchFunc(p, [2]string{cluster, name}, func(s model.Service, k [2]string) int {
		return cmp.Or(cmp.Compare(s.Cluster, k[0]), cmp.Compare(s.Name, k[1]))
	})
	if !ok {
		return nil
	}
	return &p[i]
}

// share makes out, just converted, the previous value of the same
// service when the two are equal in every field (reflect.DeepEqual, so a
// field added to model.Service, Deployment or ServiceEvent is compared
// without anyone remembering to). Times decoded by the SDK are UTC with
// no monotonic reading, so equal instants compare equal. A service that
// changed in any way, or is new, keeps its fresh value.
func (p priorServices) share(out *model.Service) {
	prev := p.find(out.Cluster, out.Name)
	if prev == nil || !reflect.DeepEqual(*out, *prev) {
		return
	}
	*out = *prev
	// Two states hold these slices: an append to one must not write
	// into the other's spare capacity.
	out.Deployments = slices.Clip(out.Deployments)
	out.Events = slices.Clip(out.Events)
}

// priorECS is the services of the last whole ECS state, to share from;
// nil before the first.
func (c *Client) priorECS() priorServices {
	c.ecsPriorMu.Lock()
	defer c.ecsPriorMu.Unlock()
	return c.ecsPrior
}

// keepECS records services, those of a whole ECS state (every call
// succeeded), for the next state to share from. The dashboard holds the
// same state on screen, so this costs nothing more.
func (c *Client) keepECS(services []model.Service) {
	c.ecsPriorMu.Lock()
	defer c.ecsPriorMu.Unlock()
	c.ecsPrior = slices.Clip(services)
}

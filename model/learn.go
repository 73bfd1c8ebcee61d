package model

import "maps"

// WithFacts returns s with what a judgement fetched a moment ago put in
// place of what s says about the same things: the instances and
// addresses in v.Facts replace those with the same ID (or AddressKey)
// and are added where s lacks them, their status checks replace s's, and
// the targets the judgement found gone (a Change whose Field is "exists")
// are removed. Everything else in s stays as it was, as old as it was:
// FetchedAt and Sections are s's, so the screen is judged exactly as
// fresh as before (a paused screen stays paused and ages).
//
// Why (story S1): the operator of a paused or stale screen asks to
// release blue's EIPs, and the check refuses because they are on green
// now. Going back to a screen that still says blue is LIVE would leave
// the picture the refusal just proved wrong in front of them.
//
// ok is false, and s is returned unchanged, when the facts must not be
// mixed into s: they were not fetched, come from another account or
// region than s (credentials switched: S3), or are not newer than s.
//
// s is not modified: its slices and maps may be shared with a world
// derived from it, so the result is built from copies.
func (s Snapshot) WithFacts(v Verdict) (Snapshot, bool) {
	f := v.Facts
	switch {
	case f.FetchedAt.IsZero() || !f.FetchedAt.After(s.FetchedAt):
		return s, false
	case !f.Identity.Confirmed() || f.Identity.AccountID != s.Identity.AccountID:
		return s, false
	case f.Region != "" && s.Region != "" && f.Region != s.Region:
		return s, false
	}

	goneInstances := map[string]bool{}
	goneIPs := map[string]bool{}
	for _, c := range v.Changes {
		if c.Field != "exists" || c.Now != "gone" {
			continue
		}
		switch c.Subject.Kind {
		case ChangeInstance:
			goneInstances[c.Subject.ID] = true
		case ChangeEIP:
			goneIPs[c.Subject.ID] = true
		}
	}

	fresh := make(map[string]Instance, len(f.Instances)+len(f.DestInstances))
	var order []string // fresh IDs in the order fetched, to append new ones stably
	for _, list := range [][]Instance{f.Instances, f.DestInstances} {
		for _, in := range list {
			if _, dup := fresh[in.ID]; !dup {
				order = append(order, in.ID)
			}
			fresh[in.ID] = in
		}
	}
	instances := make([]Instance, 0, len(s.Instances)+len(fresh))
	had := make(map[string]bool, len(fresh))
	for _, in := range s.Instances {
		if nw, ok := fresh[in.ID]; ok {
			instances = append(instances, nw)
			had[in.ID] = true
			continue
		}
		if !goneInstances[in.ID] {
			instances = append(instances, in)
		}
	}
	for _, id := range order {
		if !had[id] {
			instances = append(instances, fresh[id])
		}
	}

	freshAddr := make(map[string]Address, len(f.Addresses))
	for _, a := range f.Addresses {
		freshAddr[AddressKey(a)] = a
	}
	addresses := make([]Address, 0, len(s.Addresses)+len(f.Addresses))
	hadAddr := make(map[string]bool, len(freshAddr))
	for _, a := range s.Addresses {
		key := AddressKey(a)
		if nw, ok := freshAddr[key]; ok {
			addresses = append(addresses, nw)
			hadAddr[key] = true
			continue
		}
		if !goneIPs[a.PublicIP] {
			addresses = append(addresses, a)
		}
	}
	for _, a := range f.Addresses {
		if !hadAddr[AddressKey(a)] {
			addresses = append(addresses, a)
		}
	}

	statuses := maps.Clone(s.Statuses)
	if len(f.Statuses) > 0 && statuses == nil {
		statuses = make(map[string]InstanceStatus, len(f.Statuses))
	}
	maps.Copy(statuses, f.Statuses)
	for id := range goneInstances {
		delete(statuses, id)
	}

	s.Instances, s.Addresses, s.Statuses = instances, addresses, statuses
	return s, true
}

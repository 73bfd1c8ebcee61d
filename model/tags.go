package model

import (
	"cmp"
	"slices"
	"strings"
)

// Tag is one tag of a resource, raw: identity, shown only through Display.
type Tag struct {
	Key, Value string
}

// Tags are the tags of an instance or an Elastic IP, raw, sorted by key,
// each key once (AWS allows a key once per resource; TagsFrom keeps the
// last of a key sent twice, as a map would). A sorted slice rather than a
// map: a map of a few entries takes about 300 bytes however few its
// tags, and a fleet of 50,000 instances kept two lists of them while a
// new one was derived (issue 10); a search among a handful of keys is as
// fast as hashing. Never changed once built, so lists may share them.
type Tags []Tag

// Get returns the value of key, "" when the resource has no such tag.
func (t Tags) Get(key string) string {
	v, _ := t.Lookup(key)
	return v
}

// Lookup returns the value of key and whether the resource has the tag.
func (t Tags) Lookup(key string) (string, bool) {
	i, ok := slices.BinarySearchFunc(t, key, func(tag Tag, key string) int { return strings.Compare(tag.Key, key) })
	if !ok {
		return "", false
	}
	return t[i].Value, true
}

// TagsFrom builds Tags from tags in the order a source listed them: sorted
// by key, and of a key listed twice the last, as a map would keep. It
// reuses tags' array.
func TagsFrom(tags []Tag) Tags {
	if len(tags) == 0 {
		return nil
	}
	// Stable, so the last of equal keys stays last; then keep it.
	slices.SortStableFunc(tags, func(a, b Tag) int { return cmp.Compare(a.Key, b.Key) })
	out := tags[:0]
	for i, t := range tags {
		if i+1 < len(tags) && tags[i+1].Key == t.Key {
			continue
		}
		out = append(out, t)
	}
	return slices.Clip(Tags(out))
}

// TagsOf builds Tags from a map (tests and literals).
func TagsOf(m map[string]string) Tags {
	if len(m) == 0 {
		return nil
	}
	tags := make([]Tag, 0, len(m))
	for k, v := range m {
		tags = append(tags, Tag{k, v})
	}
	return TagsFrom(tags)
}

// With returns a copy of t with key set to value (t is not changed).
func (t Tags) With(key, value string) Tags {
	out := make([]Tag, 0, len(t)+1)
	out = append(out, t...)
	return TagsFrom(append(out, Tag{key, value}))
}

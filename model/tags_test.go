package model

import (
	"slices"
	"testing"
)

func TestTagsFrom(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []Tag
		want Tags
	}{
		{"none", nil, nil},
		{"sorted by key", []Tag{{"Name", "web-1"}, {"Cluster", "blue"}}, Tags{{"Cluster", "blue"}, {"Name", "web-1"}}},
		// As a map would keep: the last of a key listed twice.
		{"a key twice", []Tag{{"Cluster", "blue"}, {"Name", "n"}, {"Cluster", "green"}}, Tags{{"Cluster", "green"}, {"Name", "n"}}},
		// Raw: case and invisible runes make other keys.
		{"raw keys", []Tag{{"cluster", "a"}, {"Cluster", "b"}, {"Clus\u200bter", "c"}}, Tags{{"Cluster", "b"}, {"Clus\u200bter", "c"}, {"cluster", "a"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := TagsFrom(slices.Clone(tt.in)); !slices.Equal(got, tt.want) {
				t.Errorf("TagsFrom(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestTagsLookup(t *testing.T) {
	tags := TagsOf(map[string]string{"Cluster": "blue", "Empty": "", "Name": "web-1"})
	for _, tt := range []struct {
		key   string
		value string
		ok    bool
	}{
		{"Cluster", "blue", true},
		{"Name", "web-1", true},
		{"Empty", "", true},
		{"cluster", "", false},
		{"Clus\u200bter", "", false},
		{"Zzz", "", false},
		{"", "", false},
	} {
		if v, ok := tags.Lookup(tt.key); v != tt.value || ok != tt.ok {
			t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tt.key, v, ok, tt.value, tt.ok)
		}
		if v := tags.Get(tt.key); v != tt.value {
			t.Errorf("Get(%q) = %q, want %q", tt.key, v, tt.value)
		}
	}
	var none Tags
	if v, ok := none.Lookup("Cluster"); v != "" || ok {
		t.Errorf("nil Tags: Lookup = %q, %v", v, ok)
	}
}

// With makes new tags and leaves the old alone: lists share tags.
func TestTagsWith(t *testing.T) {
	old := TagsOf(map[string]string{"Cluster": "blue", "Name": "web-1"})
	before := slices.Clone(old)
	got := old.With("Cluster", "green").With("Role", "api")
	if !slices.Equal(old, before) {
		t.Errorf("With changed the tags it was called on: %v", old)
	}
	want := Tags{{"Cluster", "green"}, {"Name", "web-1"}, {"Role", "api"}}
	if !slices.Equal(got, want) {
		t.Errorf("With = %v, want %v", got, want)
	}
}

package model

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDisplay(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"plain ASCII", "blue", "blue"},
		{"empty", "", ""},
		{"printable non-ASCII", "né-東京🔥", "né-東京🔥"},
		{"zero-width space", "blue\u200b", "blue⟨U+200B⟩"},
		{"zero-width joiner and BOM", "a\u200db\ufeff", "a⟨U+200D⟩b⟨U+FEFF⟩"},
		{"bidi override", "\u202eneerg", "⟨U+202E⟩neerg"},
		{"bidi isolates", "blue-web-1\u2066\u2067\u2068", "blue-web-1⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩"},
		{"C1 CSI: every rune of the sequence shown", "\u009b2Jx", "⟨U+009B⟩2Jx"},
		{"ESC", "\x1b[31mred", "⟨U+001B⟩[31mred"},
		{"line break and tab", "a\nb\tc", "a⟨U+000A⟩b⟨U+0009⟩c"},
		{"no-break space", "blue\u00a0green", "blue⟨U+00A0⟩green"},
		{"Hangul filler (default ignorable)", "blue\u3164", "blue⟨U+3164⟩"},
		{"the escape bracket itself", "blue⟨U+200B⟩", "blue⟨U+27E8⟩U+200B⟩"},
		{"invalid UTF-8", "blue\xff", "blue⟨0xFF⟩"},
		{"ASCII space kept", "blue green", "blue green"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Display(tt.raw)
			if got != tt.want {
				t.Errorf("Display(%q) = %q, want %q", tt.raw, got, tt.want)
			}
			if Sanitize(got) != got {
				t.Errorf("Display(%q) = %q does not pass Sanitize unchanged", tt.raw, got)
			}
		})
	}
}

func TestDisplayCapsLength(t *testing.T) {
	for _, raw := range []string{strings.Repeat("x", 1000), strings.Repeat("\u200b", 1000), strings.Repeat("ab\u200b", 300)} {
		got := Display(raw)
		if n := utf8.RuneCountInString(got); n > MaxTextRunes {
			t.Errorf("Display of %d bytes is %d runes, want at most %d", len(raw), n, MaxTextRunes)
		}
		if !strings.HasSuffix(got, "…") {
			t.Errorf("Display cut short does not end in …: %q", got[len(got)-20:])
		}
		if strings.Count(got, "⟨") != strings.Count(got, "⟩") {
			t.Errorf("an escape was cut in half: %q", got[len(got)-20:])
		}
	}
}

// Two names that differ raw never display the same, so the screen can
// always tell them apart.
func TestDisplayIsOneToOne(t *testing.T) {
	names := []string{"blue", "Blue", "blue\u200b", "blue\u200c", "\u200bblue", "blue⟨U+200B⟩",
		"blue\u00a0", "blue ", "blue\xff", "blue\ufffd", "\u202eblue", "blue\u202c", "blue\u009b", "blue\u0085"}
	seen := map[string]string{}
	for _, n := range names {
		d := Display(n)
		if prev, dup := seen[d]; dup {
			t.Errorf("%q and %q both display as %q", prev, n, d)
		}
		seen[d] = n
	}
}

func TestLookAlike(t *testing.T) {
	long := strings.Repeat("x", MaxTextRunes)
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"zero-width space at the end", "blue", "blue\u200b", true},
		{"zero-width joiner inside", "blue", "bl\u200due", true},
		{"word joiner and BOM", "green", "\ufeffgreen\u2060", true},
		{"bidi pop at the end", "green", "green\u202c", true},
		{"bidi isolates", "blue-web-1", "blue-web-1\u2066\u2067\u2068", true},
		{"left-to-right mark", "blue", "\u200eblue", true},
		{"C1 control", "blue", "blue\u0080", true},
		{"a line break at the end", "blue", "blue\u0085", true},
		{"a trailing space", "blue", "blue ", true},
		{"no-break space for a space", "blue green", "blue\u00a0green", true},
		{"two look-alikes of each other", "blue\u200b", "blue\u200c", true},
		{"different after the screen's cut", long + "a", long + "b", true},
		{"identical raw names are one name", "blue", "blue", false},
		{"ASCII case stays distinct", "Blue", "blue", false},
		{"ASCII case with a zero-width too", "Blue", "blue\u200b", false},
		{"a visible difference", "blue", "blue2", false},
		{"an override that reverses text is visible once escaped", "green", "\u202eneerg", false},
		{"the untagged group's look-alike", UntaggedCluster, UntaggedCluster + "\u200b", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LookAlike(tt.a, tt.b); got != tt.want {
				t.Errorf("LookAlike(%q, %q) = %v, want %v (keys %q, %q)", tt.a, tt.b, got, tt.want, LookAlikeKey(tt.a), LookAlikeKey(tt.b))
			}
			if LookAlike(tt.b, tt.a) != LookAlike(tt.a, tt.b) {
				t.Errorf("LookAlike is not symmetric for %q, %q", tt.a, tt.b)
			}
		})
	}
}

// Instances whose cluster tags differ raw are never merged, whatever the
// sanitiser would make of the tags; identical raw tags are one cluster.
func TestAnalyzeKeepsRawNamesApart(t *testing.T) {
	s := demoSnap()
	s.Instances = append(s.Instances,
		inst("i-z1", "blue\u200b", StateRunning), // looks like blue
		inst("i-z2", "blue\u200c", StateRunning), // looks like blue too
		inst("i-c1", "Blue", StateRunning),       // visibly different
		inst("i-b4", "blue", StateRunning),       // the same raw name: blue
	)
	s.Addresses = append(s.Addresses, eip("eipalloc-7", "3.3.3.7", "i-z1"))
	w := Analyze(s, "")

	var names []string
	for _, c := range w.Clusters {
		names = append(names, c.Name)
	}
	if want := []string{"Blue", "blue", "blue\u200b", "blue\u200c", "green", UntaggedCluster}; !reflect.DeepEqual(names, want) {
		t.Fatalf("clusters = %q, want %q", names, want)
	}
	b, _ := w.Cluster("blue")
	if want := []string{"i-b1", "i-b2", "i-b3", "i-b4"}; !reflect.DeepEqual(b.InstanceIDs, want) {
		t.Errorf("blue's instances = %v, want %v", b.InstanceIDs, want)
	}
	if want := []string{"3.3.3.1", "3.3.3.2", "3.3.3.3"}; !reflect.DeepEqual(b.EIPs, want) {
		t.Errorf("blue's EIPs = %v, want %v (3.3.3.7 is the look-alike's)", b.EIPs, want)
	}
	if want := []string{"blue\u200b", "blue\u200c"}; !reflect.DeepEqual(b.LookAlikes, want) {
		t.Errorf("blue's look-alikes = %q, want %q", b.LookAlikes, want)
	}
	z, _ := w.Cluster("blue\u200b")
	if z.Display != "blue⟨U+200B⟩" || !z.Live || !reflect.DeepEqual(z.InstanceIDs, []string{"i-z1"}) {
		t.Errorf("look-alike cluster = %+v, want blue⟨U+200B⟩, LIVE, i-z1 alone", z)
	}
	if want := []string{"blue", "blue\u200c"}; !reflect.DeepEqual(z.LookAlikes, want) {
		t.Errorf("blue\\u200b's look-alikes = %q, want %q", z.LookAlikes, want)
	}
	if c, _ := w.Cluster("Blue"); len(c.LookAlikes) != 0 {
		t.Errorf("Blue is marked a look-alike of %q; ASCII case is visible", c.LookAlikes)
	}
	if g, _ := w.Cluster("green"); len(g.LookAlikes) != 0 {
		t.Errorf("green is marked a look-alike of %q", g.LookAlikes)
	}
	if o := w.Owners["eipalloc-7"]; o.Cluster != "blue\u200b" || o.String() != "blue⟨U+200B⟩/i-z1" {
		t.Errorf("owner of 3.3.3.7 = %+v (%s), want the look-alike cluster", o, o)
	}
	if got := SeenOf(w, fresh).LookAlikes["blue"]; !reflect.DeepEqual(got, []string{"blue\u200b", "blue\u200c"}) {
		t.Errorf("Seen.LookAlikes[blue] = %q", got)
	}
}

// A tag key that only looks like the cluster tag is not the cluster tag.
func TestLookAlikeTagKeyIsNotTheClusterTag(t *testing.T) {
	in := Instance{ID: "i-1", Tags: TagsOf(map[string]string{"Clus\u200bter": "blue"})}
	if got := ClusterName(in, ""); got != UntaggedCluster {
		t.Errorf("ClusterName = %q, want the untagged group", got)
	}
}

// Every string Judge and Menu produce for a screen is safe to print, even
// when the cluster's name is hostile; identity (Intent, Plan) stays raw.
func TestVerdictTextIsDisplaySafe(t *testing.T) {
	hostile := "\u009b2J\u202eevil\u200b"
	s := demoSnap()
	for i := range s.Instances {
		if s.Instances[i].Tags.Get(DefaultClusterTag) == "blue" {
			s.Instances[i].Tags = TagsOf(map[string]string{DefaultClusterTag: hostile})
		}
	}
	addInstance(&s, inst("i-g4", "green", StateRunning))
	fitGreen(&s)
	w := Analyze(s, "")
	p := prodPolicy()
	p.ProtectedClusters = []string{hostile}
	check := func(what, text string) {
		t.Helper()
		for _, r := range text {
			if r >= 0x80 && r <= 0x9f || r == 0x1b || r == '\u202e' || r == '\u200b' {
				t.Errorf("%s holds %U: %q", what, r, text)
			}
		}
	}
	for _, it := range Menu(w, Selection{Cluster: hostile}, fresh, p) {
		check("menu label", it.Label)
		if it.Intent.Cluster != hostile {
			t.Errorf("menu intent names cluster %q, want the raw %q", it.Intent.Cluster, hostile)
		}
		v := Judge(it.Intent, SeenOf(w, fresh), factsOf(s), p)
		for _, r := range v.Refusals {
			check("refusal", r.String())
		}
		for _, wn := range v.Warnings {
			check("warning", wn)
		}
		for _, c := range v.Changes {
			check("change", c.String())
		}
		check("summary", v.Summary)
		check("target", v.Target)
		check("phrase", v.Phrase)
	}
	evs := Diff(Analyze(demoSnap(), ""), w, t0)
	if len(evs) == 0 {
		t.Fatal("no events between the demo world and the hostile one")
	}
	for _, e := range evs {
		check("event", e.String())
	}
}

// The phrase of a cluster whose name needed escaping is what the screen
// shows, so it can be read and typed (or pasted); the plan is raw IDs.
func TestPhraseOfAnEscapedName(t *testing.T) {
	s := demoSnap()
	retag(&s, "i-g1", "gr\u00e9en\u200d")
	retag(&s, "i-g2", "gr\u00e9en\u200d")
	w := Analyze(s, "")
	in := Intent{Action: ActionTerminate, Cluster: "gr\u00e9en\u200d", InstanceIDs: []string{"i-g1", "i-g2"}}
	v := Judge(in, SeenOf(w, fresh), factsOf(s), prodPolicy())
	if !v.Allowed {
		t.Fatalf("refused: %v", v.Refusals)
	}
	if want := "acme-prod/gréen⟨U+200D⟩"; v.Phrase != want {
		t.Errorf("Phrase = %q, want %q", v.Phrase, want)
	}
	if !v.Plan.Equal(Plan{Terminate: []string{"i-g1", "i-g2"}}) {
		t.Errorf("Plan = %+v", v.Plan)
	}
}

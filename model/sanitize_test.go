package model

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var sanitizeCases = []struct {
	name, in, want string
}{
	// Printable text passes through.
	{"ascii", "blue-web-1", "blue-web-1"},
	{"empty", "", ""},
	{"accented", "café Ürün ñandú", "café Ürün ñandú"},
	{"cjk wide", "東京-本番-クラスタ", "東京-本番-クラスタ"},
	{"emoji", "🚀 deploy 🟥", "🚀 deploy 🟥"},
	{"combining mark", "e\u0301", "e\u0301"},
	{"200 chars", strings.Repeat("n", 200), strings.Repeat("n", 200)},
	{"exactly the cap", strings.Repeat("é", 256), strings.Repeat("é", 256)},

	// Escape sequences go whole.
	{"osc 52 clipboard bel", "\x1b]52;c;ZWNobyBwd25lZA==\x07web", "web"},
	{"osc 52 clipboard st", "\x1b]52;c;ZWNobyBwd25lZA==\x1b\\web", "web"},
	{"osc 8 link", "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\", "click me"},
	{"osc title", "\x1b]0;pwned\x07", ""},
	{"osc unterminated", "ok\x1b]0;title to the end", "ok"},
	{"osc cut by another escape", "\x1b]0;t\x1b[31mred", "red"},
	{"csi clear screen", "\x1b[2J\x1b[Hprod", "prod"},
	{"csi private mode", "\x1b[?1049hx\x1b[?25l", "x"},
	{"sgr", "\x1b[1;31mred\x1b[0m", "red"},
	{"sgr truecolor", "\x1b[38;2;255;0;0mred", "red"},
	{"csi with C0 inside", "\x1b[3\n1mx", "x"},
	{"csi aborted by CAN", "\x1b[31\x18x", "x"},
	{"csi unterminated", "x\x1b[31;", "x"},
	{"dcs", "\x1bPq#0;2;0;0;0\x1b\\x", "x"},
	{"apc kitty graphics", "\x1b_Gf=100;AAAA\x1b\\x", "x"},
	{"pm and sos", "a\x1b^secret\x1b\\b\x1bXhidden\x1b\\c", "abc"},
	{"two-char escape reset", "\x1bcreset", "reset"},
	{"charset designation", "\x1b(0lqk\x1b(B", "lqk"},
	{"lone esc at end", "x\x1b", "x"},
	{"esc before non-ascii", "\x1bé", "é"},
	{"double esc", "\x1b\x1b[2Jx", "x"},

	// C1: the 8-bit forms of the same sequences.
	{"c1 csi", "\u009b2Jx", "x"},
	{"c1 csi sgr", "\u009b31mred", "red"},
	{"c1 osc st", "\u009d52;c;AAAA\u009cname", "name"},
	{"c1 osc bel", "\u009d0;title\u0007name", "name"},
	{"c1 dcs", "a\u0090junk\u009cb", "ab"},
	{"c1 apc", "a\u009fjunk\u009cb", "ab"},
	{"c1 other dropped", "a\u0080\u0084\u008e\u009cb", "ab"},
	{"c1 nel is a line break", "a\u0085b", "a b"},

	// C0 controls and DEL.
	{"carriage return overwrite", "staging\rprod", "staging prod"},
	{"crlf", "a\r\nb", "a b"},
	{"tab and newline", "a\tb\nc", "a b c"},
	{"runs of breaks collapse", "a\r\n\t\nb", "a b"},
	{"break after a space", "a \nb", "a b"},
	{"two real spaces kept", "a  b", "a  b"},
	{"backspace overwrite", "prod\b\b\b\bdev", "proddev"},
	{"bell and nul", "a\x07\x00b", "ab"},
	{"del", "a\x7fb", "ab"},
	{"line separator", "a\u2028b\u2029c", "a b c"},

	// Bidi and zero-width characters.
	{"rlo", "abc\u202Edcba", "abcdcba"},
	{"isolates", "\u2066prod\u2069", "prod"},
	{"marks", "a\u200Eb\u200Fc\u061Cd", "abcd"},
	{"zero width space", "blu\u200Be", "blue"},
	{"zwnj zwj", "a\u200Cb\u200Dc", "abc"},
	{"bom and word joiner", "\uFEFFa\u2060b", "ab"},
	{"emoji zwj sequence splits", "👩\u200D💻", "👩💻"},

	// Invalid UTF-8.
	{"invalid byte", "a\xffb", "a\uFFFDb"},
	{"raw 0x9b byte", "\x9b2J", "\uFFFD2J"},
	{"truncated rune", "ab\xe6\x9d", "ab\uFFFD\uFFFD"},
	{"overlong encoding", "\xc0\xafx", "\uFFFD\uFFFDx"},

	// The cap.
	{"long ascii", strings.Repeat("a", 300), strings.Repeat("a", 255) + "…"},
	{"long cjk", strings.Repeat("東", 300), strings.Repeat("東", 255) + "…"},
	{"exactly cap plus one", strings.Repeat("b", 257), strings.Repeat("b", 255) + "…"},
	{"cap counts output, not input", strings.Repeat("\x1b[0m", 300) + "name", "name"},
}

func TestSanitize(t *testing.T) {
	for _, tc := range sanitizeCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sanitize(tc.in); got != tc.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := Sanitize(tc.want); got != tc.want {
				t.Errorf("not idempotent: Sanitize(%q) = %q", tc.want, got)
			}
		})
	}
}

func TestSanitizePlainASCIIDoesNotAllocate(t *testing.T) {
	s := "blue-web-1 i-0abc1234"
	if n := testing.AllocsPerRun(100, func() { _ = Sanitize(s) }); n != 0 {
		t.Errorf("Sanitize of plain ASCII allocated %v times", n)
	}
}

func TestSanitizeTags(t *testing.T) {
	if SanitizeTags(nil) != nil {
		t.Error("SanitizeTags(nil) != nil")
	}
	got := SanitizeTags(map[string]string{
		"Name":             "web\x1b[2J-1",
		"Cluster":          "blue",
		"Clus\u200Bter":    "green", // look-alike key: must not win
		"\u200BCluster":    "red",
		"Role\r":           "web\nserver",
		"\x1b]52;c;AA\x07": "x",
	})
	want := map[string]string{
		"Name":    "web-1",
		"Cluster": "blue",
		"Role ":   "web server",
		"":        "x",
	}
	if len(got) != len(want) {
		t.Fatalf("SanitizeTags = %q, want %q", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("tag %q = %q, want %q", k, got[k], v)
		}
	}

	// Two dirty keys colliding: the smallest original key wins, every time.
	for range 20 {
		got := SanitizeTags(map[string]string{"a\u200Bb": "1", "a\u200Cb": "2", "a\u200Db": "3"})
		if got["ab"] != "1" || len(got) != 1 {
			t.Fatalf("collision resolved to %q, want ab=1", got)
		}
	}
}

// checkSanitized fails t unless out could be printed safely.
func checkSanitized(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("Sanitize(%q) = %q: invalid UTF-8", in, out)
	}
	for i := 0; i < len(out); i++ {
		if out[i] < 0x20 || out[i] == 0x7F {
			t.Fatalf("Sanitize(%q) = %q: byte %#x at %d", in, out, out[i], i)
		}
	}
	for _, r := range out {
		if unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029 {
			t.Fatalf("Sanitize(%q) = %q: rune %U survived", in, out, r)
		}
	}
	if n := utf8.RuneCountInString(out); n > MaxTextRunes {
		t.Fatalf("Sanitize(%q) has %d runes, cap is %d", in, n, MaxTextRunes)
	}
}

// printable is the fuzzer's independent definition of text that must pass
// through unchanged: valid UTF-8, every rune printable in the sense of the
// unicode package (which excludes controls, format characters and line
// separators), and not over the cap.
func printable(s string) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxTextRunes {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func FuzzSanitize(f *testing.F) {
	for _, tc := range sanitizeCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Sanitize(in)
		checkSanitized(t, in, out)
		if again := Sanitize(out); again != out {
			t.Fatalf("not idempotent: Sanitize(%q) = %q, then %q", in, out, again)
		}
		if printable(in) && out != in {
			t.Fatalf("printable %q changed to %q", in, out)
		}
	})
}

package model

import "testing"

// The phrase is compared exactly, case included, after trimming
// whitespace at the ends only; a mismatch says where and how it differs.
func TestAcceptsAndMismatch(t *testing.T) {
	v := judgeCase(guardCases[0])
	if !v.Allowed || v.Phrase != "acme-prod/green" {
		t.Fatalf("fixture: %+v", v)
	}
	for _, tc := range []struct {
		name, typed string
		accept      bool
		mismatch    string
	}{
		{"exact", "acme-prod/green", true, ""},
		{"pasted with a trailing newline", "acme-prod/green\n", true, ""},
		{"surrounding spaces and tabs", " \tacme-prod/green  ", true, ""},
		{"a trailing CRLF", "acme-prod/green\r\n", true, ""},
		{"a trailing no-break space", "acme-prod/green\u00a0", true, ""},
		{"case is never folded", "ACME-PROD/GREEN", false, "differs at character 1: typed 'A', expected 'a' (case matters)"},
		{"one letter in the wrong case", "acme-prod/Green", false, "differs at character 11: typed 'G', expected 'g' (case matters)"},
		{"a space inside is not trimmed", "acme-prod/ green", false, "differs at character 11: typed a space, expected 'g'"},
		{"a zero-width space inside", "acme-prod/gre\u200ben", false, "differs at character 14: typed an invisible ⟨U+200B⟩, expected 'e'"},
		{"a zero-width space at the end is not whitespace", "acme-prod/green\u200b", false, "has 1 character too many at the end: an invisible ⟨U+200B⟩"},
		{"a bidi override at the start", "\u202eacme-prod/green", false, "differs at character 1: typed an invisible ⟨U+202E⟩, expected 'a'"},
		{"extra text", "acme-prod/green-2", false, `has 2 characters too many at the end: "-2"`},
		{"short", "acme-prod/gr", false, `is 3 characters short: "een" is missing`},
		{"one short", "acme-prod/gree", false, `is 1 character short: "n" is missing`},
		{"the bare target", "green", false, "differs at character 1: typed 'g', expected 'a'"},
		{"y/N is not a phrase", "y", false, "differs at character 1: typed 'y', expected 'a'"},
		{"the escape bracket itself", "acme-prod/⟨reen", false, "differs at character 11: typed ⟨U+27E8⟩, expected 'g'"},
		{"nothing", "", false, "is empty"},
		{"only whitespace", " \n", false, "is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := v.Accepts(tc.typed); got != tc.accept {
				t.Errorf("Accepts(%q) = %v, want %v", tc.typed, got, tc.accept)
			}
			if got := v.Mismatch(tc.typed); got != tc.mismatch {
				t.Errorf("Mismatch(%q) = %q, want %q", tc.typed, got, tc.mismatch)
			}
		})
	}

	refused := judgeCase(guardCases[2])
	for _, typed := range []string{"acme-prod/blue", "blue", ""} {
		if refused.Accepts(typed) {
			t.Errorf("a refused verdict accepted %q", typed)
		}
		if refused.Mismatch(typed) == "" {
			t.Errorf("a refused verdict finds no mismatch in %q", typed)
		}
	}
	for _, typed := range []string{"", " ", "\n"} {
		if (Verdict{Allowed: true}).Accepts(typed) {
			t.Errorf("an allowed verdict without a phrase accepted %q", typed)
		}
	}
}

// TestPhraseNamesTheAccount: the target alone outside strict environments; prefixed by the
// account's name in them; on a redacted screen an account known only by
// its ID is named by the digits the screen still shows.
func TestPhraseNamesTheAccount(t *testing.T) {
	cases := []struct {
		name string
		p    Policy
		want string
	}{
		{"staging", Policy{Env: EnvStaging, AccountName: "acme-staging"}, "green"},
		{"production", Policy{Env: EnvProduction, AccountName: "acme-prod", BannerAccountID: "111122223333"}, "acme-prod/green"},
		{"production, redacted: the name shows", Policy{Env: EnvProduction, AccountName: "acme-prod", BannerAccountID: "111122223333", Redacted: true}, "acme-prod/green"},
		{"unknown, named by its ID", Policy{Env: EnvUnknown, AccountName: "111122223333", BannerAccountID: "111122223333"}, "111122223333/green"},
		{"unknown, named by its ID, redacted", Policy{Env: EnvUnknown, AccountName: "111122223333", BannerAccountID: "111122223333", Redacted: true}, "account-3333/green"},
		{"unconfirmed", Policy{Env: EnvUnknown}, "unconfirmed-account/green"},
	}
	for _, tc := range cases {
		if got := Phrase("green", tc.p); got != tc.want {
			t.Errorf("%s: Phrase = %q, want %q", tc.name, got, tc.want)
		}
	}
}

package model

import (
	"cmp"
	"fmt"
	"strings"
)

// Phrase returns what the operator must type to confirm an action on
// target, under policy p. Never y/N: typing the target's name makes the
// operator read it, and a name cannot be typed by reflex the way "y" can.
//
// The target is what the action is about:
//
//	a cluster (terminate, stop, or its EIPs)  its name          green
//	one instance                              its ID            i-0abc123
//	one EIP                                   its public IP     3.3.3.3
//	a move of EIPs between clusters           source->dest      blue->green
//
// In a strict environment (production, or an account airlock cannot
// place) the phrase is prefixed by the account's name, so the operator
// also types which account they are changing (story S3):
// "acme-prod/green". In staging and development it is the target alone.
//
// An account known by its ID alone, on a screen that masks account IDs
// (Policy.Redacted), is named by the last four digits the screen still
// shows: "account-3333/green".
func Phrase(target string, p Policy) string {
	if !p.Env.Strict() {
		return target
	}
	name := cmp.Or(p.AccountName, p.BannerAccountID, "unconfirmed-account")
	if p.Redacted && IsAccountID(name) {
		name = "account-" + name[8:]
	}
	return name + "/" + target
}

// Accepts reports whether typed is the phrase of an allowed verdict:
// exactly, character for character and case included, once whitespace
// at either end is trimmed. Only the ends: a paste from a chat window or
// a runbook brings a trailing newline or a leading space that the
// terminal does not show, and refusing it teaches operators to retype
// phrases by reflex. Nothing inside is forgiven, and case is never
// folded (cli/cli's EqualFold would take "ACME-PROD/GREEN").
func (v Verdict) Accepts(typed string) bool {
	return v.Allowed && v.Phrase != "" && TrimTyped(typed) == v.Phrase
}

// TrimTyped is what Accepts compares: typed without the whitespace at
// either end (unicode.IsSpace: spaces, tabs, line breaks, no-break
// spaces). Zero-width and bidi characters are not whitespace and stay,
// so that they show in Mismatch.
func TrimTyped(typed string) string { return strings.TrimSpace(typed) }

// Mismatch says how typed differs from the verdict's phrase, so the
// operator can see what to correct instead of retyping blindly; "" when
// Accepts(typed). It reads after "what you typed", and names the first
// difference, by character (counted after trimming the ends, from 1):
//
//	differs at character 10: typed 'G', expected 'g' (case matters)
//	differs at character 14: typed an invisible ⟨U+200B⟩, expected 'e'
//	is 3 characters short: "een" is missing
//	has 1 character too many at the end: an invisible ⟨U+200B⟩
//
// Invisible characters are written as Display writes them, so what the
// terminal cannot show is named.
func (v Verdict) Mismatch(typed string) string {
	if !v.Allowed || v.Phrase == "" {
		return "confirms nothing: the action was refused"
	}
	t := TrimTyped(typed)
	if t == v.Phrase {
		return ""
	}
	if t == "" {
		return "is empty"
	}
	tr, pr := []rune(t), []rune(v.Phrase)
	i := 0
	for i < len(tr) && i < len(pr) && tr[i] == pr[i] {
		i++
	}
	switch {
	case i == len(tr):
		missing := pr[i:]
		return fmt.Sprintf("is %s short: %q is missing", characters(len(missing)), Display(string(missing)))
	case i == len(pr):
		extra := tr[i:]
		what := fmt.Sprintf("%q", Display(string(extra)))
		if len(extra) == 1 {
			what = describeRune(extra[0])
		}
		return fmt.Sprintf("has %s too many at the end: %s", characters(len(extra)), what)
	}
	msg := fmt.Sprintf("differs at character %d: typed %s, expected %s", i+1, describeRune(tr[i]), describeRune(pr[i]))
	if strings.EqualFold(t, v.Phrase) {
		msg += " (case matters)"
	}
	return msg
}

// describeRune names one character for Mismatch: 'g', a space, or an
// invisible ⟨U+200B⟩.
func describeRune(r rune) string {
	switch d := Display(string(r)); {
	case r == ' ':
		return "a space"
	case invisible(r):
		return "an invisible " + d
	case d != string(r):
		return d // escaped, though visible: the bracket ⟨ itself
	default:
		return "'" + d + "'"
	}
}

func characters(n int) string {
	if n == 1 {
		return "1 character"
	}
	return fmt.Sprintf("%d characters", n)
}

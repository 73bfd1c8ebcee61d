package model

import (
	"net/netip"
	"strconv"
	"strings"
)

// Redaction hides, on a shared screen or a screenshot, what identifies
// an account to a stranger: its ID, the public addresses it answers on,
// and the people acting in it. It is for display only, like Display:
// identity, what is sent to AWS and the audit log keep the raw values,
// and an operator who needs one copies it (the clipboard gets the real
// value) or reads the audit log.
//
// Masked in part, not blanked, so that a viewer can still follow the
// screen: an account ID keeps its first and last four digits
// (1111••••1111, as consoles abbreviate them), a public IPv4 address its
// network's first two octets (203.0.•.•), a person's name its first
// letters (al•••). The number of dots is fixed, so a mask says nothing
// about the length of what it hides. Two addresses of one network then
// look alike; the screen tells them apart by what else it shows (the
// owner, the allocation ID), and a phrase never needs one (see
// Policy.Redacted).
//
// Private addresses (RFC 1918, shared CGNAT space, loopback, link-local)
// are not masked. Every VPC in the world reuses them, so 10.0.1.17 names
// nothing outside the account and cannot be reached from the internet;
// and they are what an operator on an incident call searches by ("which
// instance is 10.0.3.45?" from a log line), which a mask would make
// impossible on the very screen being shared.

// maskDots stands for what a mask hides.
const maskDots = "•••"

// IsAccountID reports whether s is an AWS account ID: exactly 12 ASCII
// digits.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// MaskAccountID masks the middle of an account ID:
// "111122223333" → "1111••••3333". Anything that is not an account ID is
// returned unchanged (it is not one, and guessing would mangle IDs of
// other kinds).
func MaskAccountID(id string) string {
	if !IsAccountID(id) {
		return id
	}
	return id[:4] + "••••" + id[8:]
}

// cgnat is the shared address space of RFC 6598: carrier-grade NAT, not
// routed on the internet.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// IsPublicIP reports whether s is an IP address reachable from the
// internet: a global unicast address outside the private ranges (RFC
// 1918, fc00::/7) and the shared CGNAT range. The documentation ranges
// (203.0.113.0/24 and its kin) count as public: they stand for public
// addresses in examples, the demo's included.
func IsPublicIP(s string) bool {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return false
	}
	a = a.Unmap()
	return a.IsGlobalUnicast() && !a.IsPrivate() && !cgnat.Contains(a)
}

// MaskIP masks a public address: an IPv4 address keeps its first two
// octets ("203.0.113.10" → "203.0.•.•"), an IPv6 address its first two
// groups ("2600:1f18::1" → "2600:1f18:•"). Private addresses and
// anything that is not an address are returned unchanged (see the
// package's note on redaction for why private addresses stay).
func MaskIP(s string) string {
	if !IsPublicIP(s) {
		return s
	}
	a, _ := netip.ParseAddr(s)
	a = a.Unmap()
	if a.Is4() {
		b := a.As4()
		return strconv.Itoa(int(b[0])) + "." + strconv.Itoa(int(b[1])) + ".•.•"
	}
	b := a.As16()
	return strconv.FormatUint(uint64(b[0])<<8|uint64(b[1]), 16) + ":" +
		strconv.FormatUint(uint64(b[2])<<8|uint64(b[3]), 16) + ":•"
}

// MaskName masks a person's name, keeping its first letters:
// "alice" → "a•••", "oncall" → "on•••", "jane@example.com" → "ja•••".
// A name of one or two letters keeps none. "" stays "", and so does a
// name masked already.
func MaskName(s string) string {
	r := []rune(s)
	switch {
	case len(r) == 0, strings.HasSuffix(s, maskDots):
		return s
	case len(r) < 3:
		return maskDots
	case len(r) < 6:
		return string(r[:1]) + maskDots
	}
	return string(r[:2]) + maskDots
}

// MaskARN masks an ARN: its account field always, and in an IAM or STS
// principal the name of the person acting (a user, an assumed role's
// session, a federated user), which is often a login or an email
// address. A role's name stays: it says what the caller may do, not who
// the caller is, and a viewer of a shared screen may need to know that
// the operator acts as ReadOnly rather than Admin.
//
//	arn:aws:iam::111122223333:user/ops/alice          → arn:aws:iam::1111••••3333:user/ops/a•••
//	arn:aws:sts::111122223333:assumed-role/Deploy/ci-42 → arn:aws:sts::1111••••3333:assumed-role/Deploy/c•••
//	arn:aws:iam::111122223333:role/Deploy             → arn:aws:iam::1111••••3333:role/Deploy
//
// Anything that is not an ARN is returned unchanged.
func MaskARN(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return arn
	}
	parts[4] = MaskAccountID(parts[4])
	if parts[2] == "iam" || parts[2] == "sts" {
		parts[5] = maskPrincipal(parts[5])
	}
	// An account ID can sit in the resource too (a bucket named
	// logs-111122223333, a role's trust path).
	parts[5] = maskNumbers(parts[5])
	return strings.Join(parts, ":")
}

// maskPrincipal masks the person in the resource part of an IAM or STS
// ARN.
func maskPrincipal(res string) string {
	kind, rest, ok := strings.Cut(res, "/")
	if !ok {
		return res
	}
	switch kind {
	case "user", "federated-user":
		// user/path/name: the path is the organisation's, the name the person's.
		if i := strings.LastIndexByte(rest, '/'); i >= 0 {
			return kind + "/" + rest[:i+1] + MaskName(rest[i+1:])
		}
		return kind + "/" + MaskName(rest)
	case "assumed-role":
		role, session, ok := strings.Cut(rest, "/")
		if !ok {
			return res
		}
		return kind + "/" + role + "/" + MaskName(session)
	}
	return res
}

// Redact masks, in free text, every ARN (MaskARN), account ID
// (MaskAccountID) and public IPv4 address (MaskIP): what a screen shows
// in a sentence, such as an error from AWS ("User: arn:aws:sts::…:
// assumed-role/… is not authorized"), an event, a verdict. An account ID
// is a run of exactly 12 digits standing alone (not part of a longer
// word such as an instance ID); an address is a dotted quad standing
// alone, with or without a /prefix or :port after it. IPv6 addresses in
// prose are left as they are: airlock's own text never holds one, and
// the fields that can are masked with MaskIP.
//
// Redact is idempotent, and text without digits or ARNs comes back
// unchanged without copying.
func Redact(text string) string {
	if !strings.ContainsAny(text, "0123456789") && !strings.Contains(text, "arn:") {
		return text
	}
	return maskNumbers(maskARNs(text))
}

// maskARNs applies MaskARN to every ARN in text. An ARN runs to the next
// space, quote or bracket; punctuation that ends a sentence is not part
// of it.
func maskARNs(text string) string {
	if !strings.Contains(text, "arn:") {
		return text
	}
	var b strings.Builder
	for {
		i := strings.Index(text, "arn:")
		for i > 0 && isWordByte(text[i-1]) {
			// "warn:" or "learn:" is not an ARN.
			j := strings.Index(text[i+4:], "arn:")
			if j < 0 {
				i = -1
				break
			}
			i += 4 + j
		}
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		end := i + strings.IndexFunc(text[i:]+" ", func(r rune) bool {
			return r == ' ' || r == '\t' || r == '\n' || strings.ContainsRune(`"'<>()[]{}`, r)
		})
		end = i + len(strings.TrimRight(text[i:end], ".,;:!?"))
		b.WriteString(text[:i])
		b.WriteString(MaskARN(text[i:end]))
		text = text[end:]
	}
}

// maskNumbers masks every account ID and public IPv4 address standing
// alone in text.
func maskNumbers(text string) string {
	var b strings.Builder
	last := 0 // text[:last] is written or to be written as is
	for i := 0; i < len(text); {
		if !isDigit(text[i]) || (i > 0 && (isWordByte(text[i-1]) || text[i-1] == '.')) {
			i++
			continue
		}
		j := i
		for j < len(text) && (isDigit(text[j]) || text[j] == '.') {
			j++
		}
		run := strings.TrimRight(text[i:j], ".") // a full stop ends the sentence, not the address
		end := i + len(run)
		if end < len(text) && isWordByte(text[end]) {
			i = j // part of a longer word ("111111111111abc")
			continue
		}
		var masked string
		switch {
		case IsAccountID(run) && !uuidTail(text, i):
			masked = MaskAccountID(run)
		case strings.Count(run, ".") == 3:
			masked = MaskIP(run)
		}
		if masked != "" && masked != run {
			b.WriteString(text[last:i])
			b.WriteString(masked)
			last = end
		}
		i = j
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// uuidTail reports whether text[i:] is the last group of a UUID (a
// request ID: 8-4-4-4-12 hex digits), twelve digits long by chance but
// no account ID.
func uuidTail(text string, i int) bool {
	if i < 24 {
		return false
	}
	head := text[i-24 : i] // "xxxxxxxx-xxxx-xxxx-xxxx-"
	for j := 0; j < len(head); j++ {
		switch j {
		case 8, 13, 18, 23:
			if head[j] != '-' {
				return false
			}
		default:
			if !isHexByte(head[j]) {
				return false
			}
		}
	}
	return i == 24 || !isWordByte(text[i-25])
}

func isHexByte(c byte) bool { return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'f' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isWordByte reports whether c continues a word: a letter, a digit or
// an underscore (bytes of multi-byte runes count as not).
func isWordByte(c byte) bool {
	return isDigit(c) || c == '_' || (c|0x20) >= 'a' && (c|0x20) <= 'z'
}

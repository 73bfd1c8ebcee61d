package model

import "strings"

// Environment is what kind of account the operator is in. It sets the
// banner's colour and label and how much the confirmation phrase asks.
type Environment string

// The environments. EnvUnknown is treated like production everywhere: an
// account airlock cannot place is assumed to matter. EnvSandbox is given
// only by the configuration: the alias rule never infers it, since
// "sandbox" in a name says less about what runs there than a file the
// team wrote.
const (
	EnvProduction  Environment = "production"
	EnvStaging     Environment = "staging"
	EnvDevelopment Environment = "development"
	EnvSandbox     Environment = "sandbox"
	EnvUnknown     Environment = "unknown"
)

// ConfigEnvironments are the environments a configuration may give an
// account, in the order an error message lists them. "unknown" is not
// one: an account the file names is known.
var ConfigEnvironments = []Environment{EnvProduction, EnvStaging, EnvDevelopment, EnvSandbox}

// ClassifyEnvironment places an account by its names (IAM alias, profile
// name, configured name...), using the built-in rule: any name containing
// "prod" makes it production, else "stag" staging, else "dev" development,
// else unknown. Matching ignores case.
//
// The rule errs towards production on purpose: "nonprod" and "preprod"
// count as production, and a name with both "prod" and "dev" in it is
// production. Calling staging production costs a longer phrase; calling
// production staging is story S3.
func ClassifyEnvironment(names ...string) Environment {
	has := func(part string) bool {
		for _, n := range names {
			if strings.Contains(strings.ToLower(n), part) {
				return true
			}
		}
		return false
	}
	switch {
	case has("prod"):
		return EnvProduction
	case has("stag"):
		return EnvStaging
	case has("dev"):
		return EnvDevelopment
	}
	return EnvUnknown
}

// ParseEnvironment reads an environment from configuration: exactly one
// of ConfigEnvironments, spelled out. No abbreviations, no other case, no
// "unknown": a file read by a whole team says each account's environment
// one way, and anything else is an error (listing the valid words) rather
// than a guess, so a typo can never make production look like
// development. The result for a word it rejects is EnvUnknown.
func ParseEnvironment(s string) (Environment, bool) {
	for _, e := range ConfigEnvironments {
		if s == string(e) {
			return e, true
		}
	}
	return EnvUnknown, false
}

// Label is the environment in words for the banner, so that colour is
// never the only signal.
func (e Environment) Label() string {
	switch e {
	case EnvProduction:
		return "PRODUCTION"
	case EnvStaging:
		return "STAGING"
	case EnvDevelopment:
		return "DEVELOPMENT"
	case EnvSandbox:
		return "SANDBOX"
	}
	return "UNKNOWN ACCOUNT"
}

// Strict reports whether the environment is production or unknown (any
// value other than staging, development or sandbox). In a strict
// environment the confirmation phrase is prefixed by the account's name,
// so the operator types which account they are about to change (story
// S3).
func (e Environment) Strict() bool {
	return e != EnvStaging && e != EnvDevelopment && e != EnvSandbox
}

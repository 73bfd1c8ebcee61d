package model

import "cmp"

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
func Phrase(target string, p Policy) string {
	if !p.Env.Strict() {
		return target
	}
	return cmp.Or(p.AccountName, p.BannerAccountID, "unconfirmed-account") + "/" + target
}

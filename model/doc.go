// Package model is airlock's domain, pure: what a refresh learned about an
// account (Snapshot), what that means (World: clusters, which cluster each
// Elastic IP belongs to, which cluster is live), what changed between two
// refreshes (Diff), whether the screen can be trusted (Assess), and how
// careful to be in an account (Environment). It imports only the standard
// library, does no I/O, and can be read and tested without a terminal or a
// network.
//
// # Text from AWS
//
// Every string that comes from AWS goes through Sanitize once, at
// ingestion, before it is stored in a Snapshot. Tags are written by anyone
// with tagging rights and end up in a terminal, where an escape sequence
// can rewrite the clipboard or repaint the screen. Sanitize removes escape
// sequences whole, control characters (a line break becomes a space),
// bidi and zero-width characters, replaces invalid UTF-8 with U+FFFD and
// caps the length; printable text passes through unchanged.
//
// # Clusters, ownership, liveness
//
// Instances sharing a value of the cluster tag (DefaultClusterTag,
// "Cluster", unless configured) form a cluster; instances without it form
// the untagged group, listed last, which is not a cluster. Each Elastic
// IP's Owner is the instance it is on and, through it, that instance's
// cluster. A cluster holding at least one Elastic IP is LIVE: the public
// addresses point at it, so it is serving traffic.
//
// # Events
//
// Diff compares two Worlds and reports what changed, in a fixed order. It
// reports only what it knows: a section that failed or is incomplete on
// either side never produces "released" or "vanished" events, and a first
// snapshot produces none.
//
// # Freshness and environments
//
// Data older than two refresh intervals, or from before a failed refresh,
// is stale (story S1 is a console that showed state from before a
// go-live). An account's environment comes from its names; an account that
// cannot be placed is treated as production.
package model

// Package model is airlock's domain, pure: what a refresh learned about an
// account (Snapshot), what it means (World: clusters, which cluster each
// Elastic IP belongs to, which cluster is live), what changed between two
// refreshes (Diff), whether the screen can be trusted (Assess), how
// careful to be in an account (Environment), and whether a destructive
// action may run (Judge). It imports only the standard library, does no
// I/O, and reads and tests without a terminal or a network.
//
// Every rule here comes from an outage in shared/INCIDENTS.md; the story
// is named where it applies (S1: a stale console released the live
// cluster's EIPs; S2: the live cluster terminated instead of the new one;
// S3: the right command in the wrong account).
//
// One file per concern:
//
//	snapshot.go   the data of one refresh (tags raw, the rest sanitised)
//	sanitize.go   making AWS strings safe for a terminal
//	display.go    showing raw names visibly (Display), look-alike names
//	redact.go     masking account IDs, public IPs and people for screen shares (Redact)
//	cluster.go    clusters, ownership, liveness (Analyze, World)
//	diff.go       events between two refreshes (Diff)
//	freshness.go  whether the screen is current (Assess)
//	env.go        production, staging, development, sandbox, unknown
//	config.go     the configuration: known accounts, EnvironmentOf, PolicyFor
//	action.go     what can be done (Intent) and exactly how (Plan)
//	guard.go      the verdict (Judge, Seen, Facts, Policy, Verdict)
//	rules.go      the safety rules themselves, one method each
//	phrase.go     what the operator types to confirm (Accepts, Mismatch)
//	learn.go      a judgement's fresh facts put on the screen (WithFacts)
//	menu.go       the action menu, judged with the same rules
//	capacity.go   Auto Scaling groups, scaling activities, SHORT (S4)
//	capacity_diff.go  events: a group went short, recovered, a launch failed
//	preflight.go  would a group's launch succeed (LaunchFacts, Preflight)
//	network.go    how full each subnet is, and who uses it (S5)
//	hardware.go   failed checks and scheduled events: order, words, events (S6)
//	storage.go    EBS volumes, own snapshots, their progress; terminate warnings (S6)
//	ecs.go        ECS clusters and services, their events, the ECS budget (S7)
//	rules_scaling.go  guarded group and service actions and their rules
//
// # Text from AWS
//
// Sanitising is for display only; identity is the raw value. Tags are
// written by anyone with tagging rights and end up in a terminal, where an
// escape sequence can rewrite the clipboard or repaint the screen; but a
// tag is also what decides which instances belong to a cluster, and
// deleting an invisible character from "blue\u200b" would merge a
// stranger's instance into the live cluster blue.
//
// So every string from AWS goes through Sanitize once, at ingestion,
// except tag keys and values (and an instance's Name, which is a tag):
// those are stored raw and shown only through Display, which writes each
// invisible, bidi or control rune as ⟨U+XXXX⟩ ("blue⟨U+200B⟩"), so two
// names that differ raw never look equal. Sanitize removes escape
// sequences whole, control characters (a line break becomes a space), bidi
// and zero-width characters, replaces invalid UTF-8 with U+FFFD and caps
// the length; printable text passes through unchanged. Display's output
// passes Sanitize unchanged, and a screen may sanitise whatever it prints
// as a last defence.
//
// Names that differ raw but look the same once invisible runes are gone
// (LookAlike: "blue" and "blue\u200b", "green" and "green\u202c") are
// look-alikes. They stay two clusters; each carries the other in
// Cluster.LookAlikes, the screen marks them, and Judge refuses to act on
// either by name (RuleLookAlike). ASCII case is not a look-alike: "Blue"
// and "blue" are two clusters that look different.
//
// # Clusters, ownership, liveness
//
// Instances sharing a value of the cluster tag (DefaultClusterTag,
// "Cluster", unless configured) form a cluster; instances without it form
// the untagged group, listed last, which is not a cluster and cannot be
// acted on as one. Each Elastic IP's Owner is the instance it is on and,
// through it, that instance's cluster. A cluster holding at least one
// Elastic IP is LIVE: the public addresses point at it, so it is serving
// traffic.
//
// Unknown is not "no". A cluster holding no Elastic IP is not live only
// when the snapshot would show one it held; when the addresses could not
// be listed (or an address is on an instance a partial instance list
// lacks), its Liveness is LiveUnknown, with the reason, and every screen
// and report says "unknown" rather than leaving LIVE blank. Likewise a
// section that failed is not an empty section (Snapshot.Known), an alias
// IAM would not give is not "no alias" (Identity.AliasError), and a
// cluster with no running instance has no checks to pass (Checks).
//
// # Events
//
// Diff compares two Worlds and reports what changed, in a fixed order. It
// reports only what it knows: a section that failed or is incomplete on
// either side never produces "released" or "vanished" events, and a first
// snapshot produces none.
//
// # Capacity
//
// A group is SHORT (IsShort) when fewer instances are in service than it
// wants and that has lasted longer than one refresh: it was below
// desired at an earlier observation too (TrackShortfall carries the
// time from one snapshot to the next), or its most recent scaling
// activity failed, which is AWS saying it tried. A group merely scaling
// out is not SHORT. Its latest failed activity is shown verbatim
// (sanitised). Preflight checks, from facts fetched together, that a
// group's launch would succeed: the AMI exists and is available, every
// security group it names exists in its VPC, its instance type is
// offered in its zones, its subnets have addresses for its shortfall.
// A check that cannot tell (a call failed, a launch configuration) is
// unknown, never passed.
//
// # Freshness and environments
//
// Data from before a failed refresh is stale, and so is data older than
// the cycle the account sustains allows (MaxAge: two intervals plus two
// and a half times the last refresh's duration), so a large account whose
// refresh takes longer than the interval is never stale for being slow,
// while a hung refresh or a long pause still turns the screen stale. A
// dashboard that fetches each section at its own cadence (Cadence:
// identity and Elastic IPs every interval, a large instance list within
// a quarter of EC2's refill and a small share of a core, subnets every
// minute) has each section judged against its own (SectionMaxAge), so a
// healthy account of any size is never stale and a failing or hung
// section is, soon after its answer was due. An
// account's environment comes from the configuration
// (Config.EnvironmentOf): an account the file names has the environment
// it gives; once a file names any account, one it leaves out is unknown;
// only when no file names any account is the IAM alias the guide. An
// account that cannot be placed, or that STS has not confirmed, is
// treated as production. Config.PolicyFor assembles the Policy an action
// is judged by, from the configuration and the session, in one place.
//
// # The airlock
//
// A destructive action runs only after three judgements and a typed
// phrase:
//
//	seen := model.SeenOf(world, freshness)         // 1. the tui records what the screen showed
//	v := model.Judge(intent, seen, facts, policy)  // 2. Prepare: facts fetched fresh, by ID
//	ok := v.Accepts(typed)                         // 3. the operator types v.Phrase
//	v2 := model.Judge(intent, v.Seen(), facts2, policy) // 4. Execute: fetched again, just before
//	// run v2.Plan only if v2.Allowed
//
// Judge is pure and applies every rule, so a refusal lists every reason at
// once. A refused Verdict has no Phrase and an empty Plan: a caller that
// forgets to check Allowed has nothing to run. Menu applies the same rules
// to the world on screen, so the action menu shows each action as
// available or refused before anything is fetched.
//
// # The rules
//
// Rules about the session and the account come first, then the rules about
// each target. Each refusal names its Rule, says what is wrong with the
// specifics (which EIPs, from where to where, which attribute) and what
// would have to happen first.
//
// RuleReadOnly. A session started with --read-only refuses every action.
// A screen opened to watch an incident must not be able to change it.
//
// RuleAuditLog. Every action is recorded in the audit log, its intent
// before the first call and its outcome after the last. A session whose
// log cannot be written (checked at startup, and by every write since)
// refuses every action before a phrase is asked for.
//
// RuleProtectedAccount, RuleProtectedCluster. Accounts the configuration
// marks read_only, and the clusters it lists as protected in an account,
// are never changed from airlock: nothing stopped or terminated, no EIP
// taken from or put on them (Config.PolicyFor). A cluster is protected
// only in the account that lists it.
//
// RuleWrongAccount (S3). STS is asked again who the caller is; the answer
// must be the account the banner shows, and the screen's data must have
// come from it. Credentials change underneath a running program (a new SSO
// login, a profile switched in another pane) and the banner is what the
// operator believes. A banner STS never confirmed allows nothing.
//
// RuleStale (S1). The operator chose from what the screen showed, so the
// screen must have been current: not older than its refresh cycle allows
// (MaxAge), not paused long enough to be, not from before a failed refresh. The
// fresh fetch happens regardless; this rule is about the picture in the
// operator's head, which no fetch can update. Facts that were not fetched
// for the judgement are refused too.
//
// RuleLookAlike. An action on a cluster is chosen and confirmed by its
// name; when another cluster's name looks the same ("two clusters look
// like blue: blue and blue⟨U+200B⟩"), neither is acted on by name. Anyone
// who can tag an instance can plant such a name, and the operator cannot
// be sure which one they picked. One must be re-tagged first; single
// instances can still be acted on by ID.
//
// RuleIntent, RuleNotShown. The action must have a clear target (one
// instance or a whole cluster; one EIP or a cluster's EIPs; a source and a
// different destination cluster, neither of them the untagged group), and
// every target must have been on the screen. airlock acts only on what the
// operator saw.
//
// RuleGone. A target that no longer exists is not silently skipped; the
// operator's picture is wrong, and they choose again.
//
// RuleOwnerChanged (S1). An EIP that is not on what it was on when shown,
// or an instance re-tagged into another cluster, refuses: "EIP 3.3.3.3 was
// on blue/i-b3 when shown at 12:03:41 UTC, is now on green/i-g3". The stale
// console of S1 released addresses that a go-live had moved to the new
// cluster; comparing ownership with what the operator saw is what catches
// a go-live that happened while they looked.
//
// RuleNothingToDo. Terminating terminated instances, stopping stopped
// ones, disassociating an unassociated EIP: refused, so "allowed" never
// means "does nothing".
//
// RuleHoldsEIP (S2). An instance that holds an Elastic IP is what the
// public address points at: its cluster is LIVE. Stopping or terminating
// it takes the site down, whatever the operator believed they selected.
// The EIPs have to be moved to another cluster or disassociated first, as
// actions of their own. Instances of a live cluster that hold no EIP may
// go, with a warning.
//
// RuleAssociated. Only an EIP associated with nothing may be released. In
// a default VPC, ReleaseAddress silently detaches an associated address
// first, so this check is the only guard there; and a released address can
// be handed to another customer while DNS still points at it.
//
// RuleAPIProtection. DisableApiTermination and DisableApiStop are someone's
// deliberate "not this one". airlock refuses, names the attribute, and
// never turns it off.
//
// RuleDestination. Moving EIPs from one cluster to another (the blue/green
// cut-over) maps them one to one onto destination instances that are
// running, pass both status checks, and hold no EIP yet (associating a
// second address with an instance would silently replace the first). If
// the destination cannot take every EIP, none moves.
//
// RuleGroupMember (S4). An instance in an Auto Scaling group (its
// aws:autoscaling:groupName tag, confirmed by the group's member list) is
// the group's to keep: stopped behind its back, the group's health check
// finds it stopped and replaces it. Stopping a member is refused unless
// it is in Standby or the group has suspended Launch, HealthCheck or
// ReplaceUnhealthy; a member whose group could not be read is refused
// too. Terminating a member is allowed, and the confirmation says the
// group will launch a replacement (or that it will not, and why).
//
// The capacity actions (an Auto Scaling group's desired capacity and
// Launch/Terminate processes; an ECS service's desired count, deletion
// and forced deployment) and their rules (RuleDesiredChanged,
// RuleRunningTasks, RuleGroupLimits) are explained in rules_scaling.go.
//
// RuleChanged. The check right before execution: the operator typed the
// phrase against particular facts and a particular plan. If anything
// differs now (a state, an owner, a member, an association ID, the
// destination mapping) nothing runs and the new facts are shown.
//
// # The phrase
//
// Never y/N. The operator types the target's name: the cluster name for a
// cluster's instances or EIPs, the instance ID for one instance, the public
// IP for one EIP, "src->dst" for a move. In production, or in an account
// airlock cannot place, the account's name comes first: "acme-prod/green".
// The match is exact and case-sensitive; only whitespace at either end
// (a pasted newline) is trimmed, and a mismatch says where it differs
// (Verdict.Mismatch). A name is typed as Display shows it: a cluster
// tagged "n\u00e9\u200b" is confirmed as "né⟨U+200B⟩".
package model

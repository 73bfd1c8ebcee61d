package model

import "strconv"

// The words airlock uses for the facts an operator acts on. The same fact
// has the same word on the dashboard, in the help, in `airlock status`
// and in the audit log: an engineer who reads "2 FAILED" on the screen
// and "2 impaired" in a chat paste wonders whether they are two facts.
// Screens and commands take these words from here rather than spelling
// them again.
const (
	// WordLive marks a cluster that holds Elastic IPs: it serves traffic.
	WordLive = LiveYes
	// WordFailed marks a status check that failed (impaired, in EC2's
	// words): the instance or its host is broken.
	WordFailed = "FAILED"
	// WordScheduled marks a scheduled event (a retirement, a reboot, a
	// stop) that has not happened yet.
	WordScheduled = "scheduled"
	// WordPaused says automatic refresh is off: the screen does not
	// change by itself.
	WordPaused = "PAUSED"
	// WordStale says the data must not be trusted as current.
	WordStale = "STALE"
	// WordUnassociated is an Elastic IP attached to nothing.
	WordUnassociated = "unassociated"
	// WordNotApplicable stands for a fact that does not apply (status
	// checks of a stopped instance): not "ok", not unknown.
	WordNotApplicable = "-"
)

// FailedChecks counts instances whose status checks failed: "2 FAILED".
func FailedChecks(n int) string { return strconv.Itoa(n) + " " + WordFailed }

// ScheduledEvents counts instances with a scheduled event: "1 scheduled".
func ScheduledEvents(n int) string { return strconv.Itoa(n) + " " + WordScheduled }

package model

import "time"

// The budget each section of a refresh is fetched within (the cadence
// rule, Cadence). Every figure is per section, so the sections together
// stay within a few times one of them.
const (
	// PageBudget is how much time one call of a section buys. EC2
	// refills each Describe action's throttle bucket at 20 calls a second
	// (docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html);
	// airlock spends at most a quarter of that, 5 a second or 300 a
	// minute, leaving the rest to the deploy scripts that share the
	// account's limits (INCIDENTS.md S5). A section of n pages is
	// therefore fetched at most every n × 200 ms.
	PageBudget = 200 * time.Millisecond

	// DecodeShare is the share of one core a section may spend decoding
	// its answers. Decoding the SDK's XML is most of a refresh's CPU (46 ms
	// per page of 1,000 instances, measured); converting and collecting
	// the garbage add about half again, so two slow sections at this
	// share cost about 5% of a core at any fleet size.
	DecodeShare = 0.015

	// SlowSectionEvery is how often what changes slowly is fetched
	// (subnets; later images, launch templates, security groups), however
	// cheap it is.
	SlowSectionEvery = 60 * time.Second

	// StatusCheckEvery is how often the status checks are fetched at
	// most: EC2 runs them once a minute, and its StatusCheckFailed
	// metrics report "in the last minute" at a one-minute frequency
	// (docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-system-instance-status-check.html),
	// so fetching them more often shows nothing new. At 10,000 instances
	// decoding them every 8 s was a quarter of the dashboard's CPU.
	StatusCheckEvery = 60 * time.Second

	// MaxCadence bounds the cadence of any section, whatever its cost: a
	// machine so loaded that decoding crawls still sees its fleet every
	// few minutes.
	MaxCadence = 5 * time.Minute
)

// Cost is what the last complete fetch of a section cost.
type Cost struct {
	Pages  int           // calls it took (pages, retries included)
	Decode time.Duration // time spent decoding the answers
}

// Cadence is how often section sec is fetched by a loop that refreshes
// every interval (0: DefaultRefreshInterval), given what its last
// complete fetch cost.
//
//   - Identity and the Elastic IPs (and their holders) every interval,
//     whatever the account's size: they decide the banner's account and
//     which cluster is LIVE (INCIDENTS.md S1, S3), and cost one call each.
//   - Subnets and launch data (templates, images, security groups) at
//     most every SlowSectionEvery: they change slowly.
//   - Status checks at most every StatusCheckEvery: EC2 renews them
//     once a minute.
//   - The instance list and status checks, and anything else, as often as
//     their cost allows: at most one page per PageBudget (the API budget)
//     and at most DecodeShare of a core spent decoding them (the CPU
//     budget), never more often than interval, and at least every
//     MaxCadence.
//
// A cadence longer than interval is rounded up to a whole second so it
// reads well on the banner.
func Cadence(sec Section, interval time.Duration, c Cost) time.Duration {
	if interval <= 0 {
		interval = DefaultRefreshInterval
	}
	switch sec {
	case SectionIdentity, SectionAddresses, SectionHolders:
		return interval
	}
	d := time.Duration(max(c.Pages, 0)) * PageBudget
	if c.Decode > 0 {
		d = max(d, time.Duration(float64(c.Decode)/DecodeShare))
	}
	switch sec {
	case SectionSubnets, SectionLaunch:
		d = max(d, SlowSectionEvery)
	case SectionStatus:
		d = max(d, StatusCheckEvery)
	}
	d = min(d, MaxCadence)
	if d <= interval {
		return interval
	}
	if r := d % time.Second; r != 0 {
		d += time.Second - r
	}
	return d
}

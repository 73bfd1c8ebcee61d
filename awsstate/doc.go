// Package awsstate is the only code in airlock that talks to AWS.
//
// It does three things: it fetches a model.Snapshot of one account in one
// region (Fetch), it re-checks the targets of a destructive action against
// fresh state and asks model for a verdict (Prepare), and it carries out a
// verified action with the API's own preconditions, writing an audit record
// before and after (Execute).
//
// # The AWS calls airlock makes
//
// Every refresh (Fetch), all in parallel, each paginated to the end with
// the largest page size the API accepts (1,000):
//
//	sts:GetCallerIdentity          who the caller is (account, ARN)
//	iam:ListAccountAliases         the account's name (optional: a denial costs only the name)
//	ec2:DescribeInstances          every instance in the region
//	ec2:DescribeAddresses          every Elastic IP and what holds it (not paginated by AWS)
//	ec2:DescribeSubnets            subnets and their free addresses
//	ec2:DescribeInstanceStatus     status checks and scheduled events (IncludeAllInstances)
//
// Before a destructive action (Prepare) and again right before it runs
// (Execute), only the targets, never the whole account:
//
//	sts:GetCallerIdentity          the caller is still in the account on the banner
//	ec2:DescribeInstances          the target instances by ID, or a cluster by its tag filter
//	ec2:DescribeAddresses          the target Elastic IPs by allocation ID, and any on the target instances
//	ec2:DescribeInstanceAttribute  disableApiTermination or disableApiStop of each target instance
//	ec2:DescribeInstanceStatus     status checks of the instances an Elastic IP would move to
//
// The only calls that change anything, made by Execute alone:
//
//	ec2:TerminateInstances         exactly the verified instance IDs
//	ec2:StopInstances              exactly the verified instance IDs
//	ec2:DisassociateAddress        by association ID, so a stale ID fails instead of detaching the wrong thing
//	ec2:ReleaseAddress             only an address that was unassociated when checked a moment before
//	ec2:AssociateAddress           an Elastic IP onto a verified destination instance (a move)
//
// The interfaces in clients.go hold exactly these methods; nothing else in
// the SDK is reachable from airlock.
//
// # Failure
//
// Nothing hangs: the HTTP client bounds dial, TLS and response headers, and
// every call carries Options.CallTimeout. Throttling and transient errors
// are retried by the SDK's standard retryer; an endpoint that refuses
// connections or does not resolve is not. Each section of a snapshot
// carries its own error, phrased for an operator (see Explain), so one
// AccessDenied does not blank the screen, and a section that failed on any
// page is never reported complete.
//
// Every string that comes from AWS passes through model.Sanitize at
// ingestion (convert.go): tag values are attacker-controlled and end up
// in a terminal.
package awsstate

// Package awsstate is the only code in airlock that talks to AWS.
//
// It does three things: it fetches a model.Snapshot of one account in one
// region (Fetch, FetchPlan for the sections due, or Glance for a status
// line), it re-checks the targets of a destructive action against
// fresh state and asks model for a verdict (Prepare), and it carries out a
// verified action with the API's own preconditions, writing an audit record
// before and after (Execute).
//
// # The AWS calls airlock makes
//
// A whole refresh (Fetch, airlock status), all in parallel, each
// paginated to the end with the largest page size the API accepts
// (1,000):
//
//	sts:GetCallerIdentity          who the caller is (account, ARN)
//	iam:ListAccountAliases         the account's name (optional: a denial costs only the name)
//	ec2:DescribeInstances          every instance in the region
//	ec2:DescribeAddresses          every Elastic IP and what holds it (not paginated by AWS)
//	ec2:DescribeSubnets            subnets and their free addresses
//	ec2:DescribeInstanceStatus     status checks and scheduled events (IncludeAllInstances)
//	autoscaling:DescribeAutoScalingGroups  every group and its members, 100 a page
//	autoscaling:DescribeScalingActivities  the account's newest 100 activities (one page)
//
// and what a launch preflight of every group reads (preflight.go; also
// `airlock preflight`), a handful of calls whatever the number of groups:
//
//	autoscaling:DescribeAutoScalingGroups  the groups and their launch template references
//	ec2:DescribeSubnets                    free addresses and the groups' VPCs and zones
//	ec2:DescribeLaunchTemplateVersions     every template's $Latest and $Default in one
//	                                       listing; numbered versions per template
//	ec2:DescribeImages                     the AMIs named, by image-id filter (absent = missing)
//	ec2:DescribeSecurityGroups             every group of the VPCs concerned
//	ec2:DescribeInstanceTypeOfferings      the instance types named, in the groups' zones
//
// ECS, at its own cadence (SectionECS, ecs.go):
//
//	ecs:ListClusters               ECS clusters, 100 a page
//	ecs:DescribeClusters           100 a call
//	ecs:ListServices               each cluster's ACTIVE services, 100 a page
//	ecs:DescribeServices           10 a call: 222 ECS calls for 2,000 services in 20
//	                               clusters, paced to 5 a second (a quarter of ECS's
//	                               refill); model.ECSMinInterval is the cadence that
//	                               keeps them in budget
//
// For a selection, on demand (StorageOf; AllStorage for airlock status
// --json), and for the targets of a termination in Prepare:
//
//	ec2:DescribeVolumes            by attachment.instance-id, 500 a page
//	ec2:DescribeSnapshots          OwnerIds=self, by volume-id, 1,000 a page
//
// The dashboard fetches each section at its own cadence (FetchPlan with
// the sections model.Cadence says are due): identity and Elastic IPs
// every refresh, the instance list and status checks as often as a
// quarter of EC2's refill and a small share of a core allow, subnets
// every minute. An Elastic IP whose holder is not in the instance list
// it already has is resolved with the addresses, by ID
// (ec2:DescribeInstances with an instance-id filter, 200 a call), so
// LIVE never waits for the list.
//
// A status line (Glance, for airlock status --line under tmux) asks only
// who the caller is and which clusters hold the EIPs:
//
//	sts:GetCallerIdentity          who the caller is
//	iam:ListAccountAliases         the account's name (a denial is recorded, not taken for "no alias")
//	ec2:DescribeAddresses          every Elastic IP
//	ec2:DescribeInstances          the EIPs' holders by instance-id filter (200 a call), never the fleet
//
// Before a destructive action (Prepare) and again right before it runs
// (Execute), only the targets, never the whole fleet:
//
//	sts:GetCallerIdentity          the caller is still in the account on the banner
//	iam:ListAccountAliases         its name, for protected-account rules and the phrase
//	ec2:DescribeAddresses          every Elastic IP (one unpaginated call, bounded by the EIP quota)
//	ec2:DescribeInstances          targets by instance-id filter, a cluster by its tag, the EIPs' holders
//	ec2:DescribeInstanceAttribute  disableApiTermination or disableApiStop of each target instance
//	ec2:DescribeInstanceStatus     status checks of the instances EIPs would move to
//	autoscaling:DescribeAutoScalingGroups  the target instances' groups by name (stop and terminate)
//	ec2:DescribeVolumes, ec2:DescribeSnapshots  what a termination deletes (warnings only)
//	                                       and a group to scale or suspend
//	ecs:DescribeServices           a service to scale, delete or redeploy, by name
//
// and, between the mutating calls of a release or a move, the one address
// concerned (ec2:DescribeAddresses by allocation-id, and by instance-id
// for a move's destination).
//
// The only calls that change anything, made by Execute alone:
//
//	ec2:TerminateInstances         exactly the verified instance IDs
//	ec2:StopInstances              exactly the verified instance IDs
//	ec2:DisassociateAddress        by association ID, so a stale ID fails instead of detaching the wrong thing
//	ec2:ReleaseAddress             only an address that was unassociated when checked a moment before
//	ec2:AssociateAddress           an Elastic IP onto a verified destination instance (a move)
//	autoscaling:SetDesiredCapacity only while the group still wants what was judged (re-read first)
//	autoscaling:SuspendProcesses   Launch and/or Terminate
//	autoscaling:ResumeProcesses    Launch and/or Terminate
//	ecs:UpdateService              desired count or forceNewDeployment, only while desired is as judged
//	ecs:DeleteService              never forced: only at desired 0 with no task running or pending
//
// The interfaces in clients.go hold exactly these methods; nothing else in
// the SDK is reachable from airlock.
//
// # Credentials, profiles and switching
//
// Credentials come from the SDK's default chain (environment, shared
// files, SSO, credential_process, assume-role). For an assume-role
// profile the SDK itself calls sts:AssumeRole, through airlock's endpoint
// and call timeout (credentials.go explains why airlock has to supply
// them); a profile with mfa_serial gets its code from Options.MFA during
// LoadConfig and nowhere else. Profiles lists the shared files' profiles,
// Regions a partition's regions, and a Connector (NewConnector) makes a
// client for any profile and region: switching is connecting again.
// Client.Credentials says whether and when the credentials expire; an
// expired-credentials error is explained with the way to renew them
// (ExpiredCommand: "aws sso login --profile X", "airlock --profile X" for a
// new MFA code, ...).
//
// # Failure
//
// Nothing hangs: the HTTP client bounds dial, TLS and response headers, and
// every call carries Options.CallTimeout. Throttling and transient errors
// are retried by the SDK's standard retryer; an endpoint that refuses
// connections or does not resolve is not. Every attempt AWS throttled is
// counted from the retryer's own attempt results, per API, and a
// snapshot carries the last minute's counts (Stats.Throttled), so the
// dashboard can say so and slow down. Each section of a snapshot
// carries its own error, phrased for an operator (see Explain), so one
// AccessDenied does not blank the screen, and a section that failed on any
// page is never reported complete.
//
// # The audit log
//
// Execute appends JSON lines to Options.AuditLog (default
// DefaultAuditLogPath, under $XDG_STATE_HOME): an intent record, fsynced,
// before the first mutating call, and an outcome record with AWS's request
// IDs after the last; a single refused record when the check right before
// the calls stopped the action. If the intent cannot be written, nothing
// runs. The file is created 0600 in a 0700 directory and never holds
// credentials: records are built field by field (audit.go).
//
// # Text
//
// Every string that comes from AWS passes through model.Sanitize at
// ingestion (convert.go), except the tags of instances and addresses:
// those are identity (the cluster tag decides what an action touches) and
// stay raw; the model shows them through model.Display. A cluster's
// members are fetched by its exact raw tag, wildcards escaped
// (prepare.go), so "blue" never brings in "blue\u200b".
//
// A whole instance list shares each unchanged instance's tags and
// strings with the list fetched before it (prior.go), which is still on
// screen while the new one is derived, and a whole ECS state shares each
// service equal in every field with the last; only values that are equal
// are shared, and nothing is ever written to them. A target's fresh
// facts (Prepare) are converted from scratch.
package awsstate

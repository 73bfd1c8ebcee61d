// Package sim is a simulated AWS: one http.Handler that speaks the real
// wire protocols of the calls airlock makes, over in-memory accounts, with
// scenarios and fault injection. The unmodified aws-sdk-go-v2 (or the AWS
// CLI) talks to it through its endpoint setting; nothing in airlock knows
// it is not AWS.
//
// # Serving it
//
// In a test:
//
//	s, _ := sim.New(sim.Options{})           // the demo world
//	ts := httptest.NewServer(s)
//	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(ts.URL),
//	    Credentials: credentials.NewStaticCredentialsProvider(
//	        sim.ProdAccessKey, sim.DemoSecretKey, "")}
//
// Standalone, `airlock sim --listen 127.0.0.1:PORT` serves it; WriteAWSConfig
// writes a config/credentials pair with the profiles acme-prod and
// acme-staging pointed at it, and the assume-role profiles acme-prod-admin
// and acme-prod-mfa (MFA code 123456).
//
// # Routing
//
// Every request is routed by its SigV4 credential scope
// (Authorization: ... Credential=AKID/20261122/us-east-1/ec2/aws4_request):
// the access key ID picks the account, the scope's region and service pick
// the rest (signing names ec2, autoscaling, sts, iam, ecs). Signatures are
// not verified. An unknown access key gets AuthFailure from EC2,
// InvalidClientTokenId from the other query services and
// UnrecognizedClientException from ECS; a region name that is not shaped
// like one gets AuthFailure (SignatureDoesNotMatch, InvalidSignatureException).
// Any well-formed region works: a region where the account has nothing is
// simply empty.
//
// Each service names its wire protocol (protocol.go), which decodes the
// request and encodes results and errors: EC2's query dialect, the
// generic query dialect of STS, IAM and Auto Scaling, and JSON 1.1
// (X-Amz-Target: Prefix.Action, application/x-amz-json-1.1, errors as
// {"__type": "Code", "message": "..."} plus X-Amzn-ErrorType) for ECS; an
// ECS action the sim does not have answers UnknownOperationException.
// Adding an API is a handler and a row in the
// routing table (server.go); a paginated Describe is a handler over the
// shared describe skeleton and a table (paging.go).
//
// # What is simulated
//
// EC2 (query protocol, XML in the http://ec2.amazonaws.com/doc/2016-11-15/
// namespace, errors as <Response><Errors><Error>):
//
//	DescribeInstances       InstanceId.N, Filter.N, MaxResults 5..1000, NextToken;
//	                        blockDeviceMapping lists the attached volumes
//	                        (deviceName, ebs: volumeId, status, attachTime,
//	                        deleteOnTermination)
//	DescribeAddresses       AllocationId.N, PublicIp.N, Filter.N (not paginated)
//	DescribeSubnets         SubnetId.N, Filter.N, MaxResults 5..1000, NextToken
//	DescribeInstanceStatus  InstanceId.N (up to 100), Filter.N (event.code,
//	                        event.description, event.not-before,
//	                        event.not-after, system-status.status, ...),
//	                        MaxResults 5..1000, NextToken,
//	                        IncludeAllInstances (default: running only);
//	                        eventsSet items: instanceEventId, code
//	                        (instance-retirement, system-reboot,
//	                        instance-stop, system-maintenance, ...),
//	                        description (AWS prefixes "[Completed]" or
//	                        "[Canceled]" once an event is over, and keeps
//	                        listing it for a while: s6 has one), notBefore,
//	                        notAfter (absent when AWS gives none)
//
// and EBS, for what a termination destroys and what is being backed up:
//
//	DescribeVolumes         VolumeId.N, Filter.N (attachment.instance-id,
//	                        attachment.delete-on-termination,
//	                        attachment.device, attachment.status,
//	                        availability-zone, encrypted, size,
//	                        snapshot-id, status, volume-id, volume-type,
//	                        tags), MaxResults at least 5 and not with
//	                        VolumeId; above 500 a page holds 500, as EC2
//	                        documents (the AWS CLI sends 1000), NextToken.
//	                        volumeSet items: volumeId, size (GiB),
//	                        volumeType, iops, throughput, status
//	                        (available, in-use, ...), availabilityZone,
//	                        createTime, encrypted, snapshotId, tagSet,
//	                        attachmentSet (volumeId, instanceId, device,
//	                        status, attachTime, deleteOnTermination).
//	                        Unknown: InvalidVolume.NotFound ("The volume
//	                        'vol-…' does not exist."); badly formed:
//	                        InvalidVolumeID.Malformed
//	DescribeSnapshots       SnapshotId.N, Owner.N (self, amazon, account
//	                        IDs; without it the account's own and public
//	                        snapshots), RestorableBy.N (ignored),
//	                        Filter.N (volume-id, status, progress,
//	                        owner-id, owner-alias, snapshot-id,
//	                        start-time, description, volume-size, tags),
//	                        MaxResults at least 5 and not with SnapshotId;
//	                        above 1000 a page holds 1000, NextToken.
//	                        snapshotSet items: snapshotId, volumeId,
//	                        status (pending, completed, error), progress
//	                        as "15%" (whole percent, never "100%" while
//	                        pending), startTime, completionTime (once
//	                        completed), ownerId, ownerAlias, volumeSize,
//	                        description, encrypted, storageTier, tagSet.
//	                        Unknown: InvalidSnapshot.NotFound
//
// A pending snapshot advances with world time: Snapshot.Progress percent
// at Snapshot.ProgressAt plus RatePerHour for every hour since, completed
// (at the computed instant) once it reaches 100; a rate of 0 is a stuck
// snapshot. Every instance has a root volume (8 GiB gp3, /dev/xvda,
// DeleteOnTermination); when an instance reaches terminated, its
// DeleteOnTermination volumes are deleted and the others detached
// (available).
//
// and what a launch preflight reads:
//
//	DescribeImages          ImageId.N, Owner.N (self, amazon, account ID),
//	                        Filter.N, MaxResults 5..1000 (not with ImageId),
//	                        NextToken; own and public images. An unknown
//	                        ID is InvalidAMIID.NotFound ("The image id
//	                        '[ami-…]' does not exist"); a deregistered one
//	                        is simply absent
//	DescribeSecurityGroups  GroupId.N (InvalidGroup.NotFound), GroupName.N
//	                        (default VPC only, else VPCIdNotSpecified),
//	                        Filter.N (group-name, group-id, vpc-id, ...),
//	                        MaxResults 5..1000, NextToken
//	DescribeLaunchTemplates LaunchTemplateId.N, LaunchTemplateName.N,
//	                        Filter.N, MaxResults 1..200, NextToken;
//	                        InvalidLaunchTemplateId.NotFound/.Malformed,
//	                        InvalidLaunchTemplateName.NotFoundException
//	DescribeLaunchTemplateVersions
//	                        LaunchTemplateId or LaunchTemplateName,
//	                        LaunchTemplateVersion.N ($Latest, $Default,
//	                        numbers; without a template only $Latest and
//	                        $Default, for every template), MinVersion,
//	                        MaxVersion, Filter.N, MaxResults 1..200,
//	                        NextToken; imageId, instanceType, keyName,
//	                        securityGroupIdSet, securityGroupSet (names),
//	                        networkInterfaceSet (groupSet, subnetId)
//	DescribeInstanceTypeOfferings
//	                        LocationType region (default),
//	                        availability-zone, availability-zone-id;
//	                        Filter.N location, instance-type; MaxResults
//	                        5..1000, NextToken
//
// and the actions airlock executes, each with the conditions AWS enforces
// itself:
//
//	TerminateInstances   OperationNotPermitted under disableApiTermination;
//	                     disassociates the instance's EIPs
//	StopInstances        OperationNotPermitted under disableApiStop;
//	                     IncorrectInstanceState once terminated
//	DescribeInstanceAttribute  disableApiTermination, disableApiStop, ...
//	AssociateAddress     a new association ID every time; moves an address
//	                     off another instance unless AllowReassociation=false
//	                     (Resource.AlreadyAssociated), as the current API does
//	DisassociateAddress  by AssociationId: a stale one is
//	                     InvalidAssociationID.NotFound
//	ReleaseAddress       associated: InvalidIPAddress.InUse in a non-default
//	                     VPC, silently disassociated first in a default VPC
//
// Terminating and stopping pass through shutting-down and stopping, which
// settle Options.StateDelay later (on the next call by default).
//
// ECS (JSON 1.1, X-Amz-Target AmazonEC2ContainerServiceV20141113.Action;
// timestamps as epoch seconds; errors as {"__type","message"}, HTTP 400):
//
//	ListClusters      maxResults 1..100 (default 100), nextToken;
//	                  clusterArns in name order
//	DescribeClusters  clusters (names or ARNs, up to 100; none: "default"),
//	                  include (TAGS adds tags); clusters[] (clusterArn,
//	                  clusterName, status, registeredContainerInstancesCount,
//	                  runningTasksCount, pendingTasksCount,
//	                  activeServicesCount) and failures[] {arn, reason
//	                  "MISSING"} for clusters that do not exist
//	ListServices      cluster (name or ARN; none: "default"), maxResults
//	                  1..100 (default 10), nextToken, launchType; ACTIVE
//	                  services only, as AWS (a deleted service leaves the
//	                  list at once); serviceArns in name order, long format
//	                  arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME
//	DescribeServices  cluster, services (names or ARNs, 1 to 10), include
//	                  (TAGS); services[] (serviceName, serviceArn,
//	                  clusterArn, status ACTIVE/DRAINING/INACTIVE,
//	                  desiredCount, runningCount, pendingCount,
//	                  launchType FARGATE/EC2, taskDefinition as an ARN
//	                  ending in family:revision, createdAt, deployments[]
//	                  PRIMARY first (id ecs-svc/…, status, taskDefinition,
//	                  desired/running/pending counts, failedTasks,
//	                  rolloutState IN_PROGRESS/COMPLETED/FAILED,
//	                  rolloutStateReason, createdAt, updatedAt), events[]
//	                  newest first, at most 100 (id, createdAt, message))
//	                  and failures[] {arn, reason "MISSING"} for services
//	                  that do not exist or were purged; a service of
//	                  another cluster named by ARN is MISSING too
//	UpdateService     cluster, service, desiredCount (0 and up),
//	                  forceNewDeployment, taskDefinition; answers
//	                  {"service": ...}. A new deployment starts
//	                  IN_PROGRESS beside the old; a new desired count
//	                  leaves the difference pending; StateDelay later the
//	                  service is steady (old deployments gone, COMPLETED,
//	                  and ECS's events: "has started N tasks", "has stopped
//	                  N running tasks", "deployment completed", "has
//	                  reached a steady state")
//	DeleteService     cluster, service, force; refused with
//	                  InvalidParameterException "The service cannot be
//	                  stopped while it is scaled above 0." when desired > 0
//	                  and not forced. The service is DRAINING (desired 0,
//	                  tasks still running), INACTIVE StateDelay later
//	                  (tasks stopped), then purged (MISSING) StateDelay
//	                  after that; with a zero StateDelay each step lasts
//	                  one call
//
// Errors: ClusterNotFoundException "Cluster not found.",
// ServiceNotFoundException "Service not found.", ServiceNotActiveException
// "Service was not ACTIVE." (updating or deleting a service being
// deleted), InvalidParameterException for limits and bad values (the
// limits are AWS's; the wordings the sim could not confirm are its own,
// say "services can have at most 10 items."), SerializationException for
// a body of the wrong shape, ThrottlingException "Rate exceeded" when a
// bucket is empty or a throttle fault is injected, UnknownOperationException
// for other actions.
//
// STS GetCallerIdentity and IAM ListAccountAliases (query protocol, errors as
// <ErrorResponse><Error>).
//
// EC2 Auto Scaling (query protocol, API version 2011-01-01, XML in the
// http://autoscaling.amazonaws.com/doc/2011-01-01/ namespace, documents as
// <ActionResponse><ActionResult>, lists as <member>, errors as
// <ErrorResponse><Error>):
//
//	DescribeAutoScalingGroups  AutoScalingGroupNames.member.N (unknown
//	                        names skipped), Filters.member.N (tag-key,
//	                        tag-value, tag:KEY; exact values),
//	                        MaxRecords 1..100 (default 50), NextToken,
//	                        IncludeInstances. Each group: name, ARN,
//	                        LaunchTemplate (id, name, Version as the group
//	                        names it: $Latest, $Default or a number) or
//	                        LaunchConfigurationName, Min/Max/DesiredCapacity,
//	                        AvailabilityZones, VPCZoneIdentifier,
//	                        HealthCheckType, Instances (InstanceId,
//	                        LifecycleState Pending/InService/Standby/
//	                        Terminating, HealthStatus, LaunchTemplate with
//	                        the version number launched from),
//	                        SuspendedProcesses, Tags, CreatedTime
//	DescribeScalingActivities  ActivityIds.member.N (up to 50, unknown
//	                        ignored), AutoScalingGroupName, MaxRecords
//	                        1..100 (default 100), NextToken; newest first;
//	                        StatusCode Successful/Failed, StatusMessage
//	                        verbatim, Description, Cause, Details
//	UpdateAutoScalingGroup  MinSize, MaxSize, DesiredCapacity,
//	                        LaunchTemplate.*, LaunchConfigurationName,
//	                        VPCZoneIdentifier, HealthCheckType
//	SetDesiredCapacity      "New SetDesiredCapacity value 7 is above max
//	                        value 6 for the AutoScalingGroup." (and below
//	                        min) as ValidationError
//	SuspendProcesses, ResumeProcesses
//	                        ScalingProcesses.member.N (none: all)
//
// Every other refusal is ValidationError (HTTP 400) with AWS's wording
// where it is known; a bad page token is InvalidNextToken.
//
// Group members carry the tag aws:autoscaling:groupName (and, when
// launched from a template, aws:ec2launchtemplate:id and :version). A group
// below its desired capacity launches at once, one Successful activity per
// instance (pending, then running after StateDelay), into the subnet with
// the fewest members where a launch can succeed; above it, it terminates
// its newest members. A launch that cannot succeed records a Failed
// activity whose StatusMessage is AWS's, for example "The image id
// '[ami-0deadbeef00000000]' does not exist. Launching EC2 instance
// failed." or "The security group 'uploader-prod' does not exist in VPC
// 'vpc-…'. Launching EC2 instance failed." (checked in that order: image,
// security groups, instance type offered in the zone, free addresses), and
// retries 10 s later, then 20, 40, ... up to every 5 minutes, on the next
// API call at or after the time. Suspended Launch or Terminate stop either
// direction. Health-check replacement, cooldowns and lifecycle hooks are
// not simulated.
//
// STS AssumeRole hands out temporary credentials (ASIA... keys with a
// session token) for the roles admin and admin-mfa that every account
// holds; they act in the role's account, GetCallerIdentity names them
// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, and they expire after
// DurationSeconds (900..43200, default 3600, at most the role's 12 h or
// 1 h) or Options.CredentialLifetime when set: then STS and IAM answer
// ExpiredToken and EC2 RequestExpired. admin-mfa wants SerialNumber
// arn:aws:iam::ACCOUNT:mfa/oncall (the caller's device) and TokenCode
// MFACode (123456); without them, or with a wrong code, AccessDenied with
// AWS's messages. See sessions.go.
//
// Validation follows EC2: MaxResults outside 5..1000 or together with
// instance IDs, unknown filter names, malformed or unknown IDs and foreign
// page tokens get InvalidParameterValue, InvalidParameterCombination,
// InvalidInstanceID.Malformed/.NotFound, InvalidAllocationID.NotFound,
// InvalidAddress.NotFound, InvalidSubnetID.NotFound and
// InvalidPaginationToken. Filter values take EC2's * and ? wildcards;
// several values of one filter are OR, several filters AND. Any EC2 call with
// DryRun=true that gets past authentication, faults and throttling answers
// DryRunOperation (HTTP 412).
//
// Listings are served in resource-ID order, and a page token remembers the
// last ID served, so pagination stays consistent while the world changes
// between pages.
//
// # The demo world
//
// Scenario "demo" (the default) holds two accounts with identically named
// resources, as in story S3:
//
//	acme-prod     111111111111  key AKIAACMEPROD00000001  alias acme-prod
//	acme-staging  222222222222  key AKIAACMESTAGE0000001  alias acme-staging
//
// Both are IAM user "oncall" (arn:aws:iam::ACCOUNT:user/oncall). In
// us-east-1 each has cluster blue (blue-web-1..3, running, one Elastic IP
// each: LIVE), cluster green (green-web-1..3, running, launched two hours
// before the epoch; green-web-3 fails its instance status check), two
// instances without a Cluster tag (bastion, running, with an
// instance-retirement event and termination and stop protection; and an
// unnamed stopped one), one unassociated
// Elastic IP, and subnets in us-east-1a/b/c of which c has 3 free addresses.
// The us-east-1 VPC is not the default VPC; eu-west-1 is a small region with
// the default VPC and a cluster "api" of two instances, one Elastic IP.
//
// IDs are fixed and look like AWS's: the kind, "-0", one hex digit for the
// account (1 prod, 2 staging), one for the region (1 us-east-1, 2
// eu-west-1) and a 14-digit serial in creation order. So blue-web-1 in prod
// is i-01100000000000001 and in staging i-02100000000000001; the blue EIPs
// are eipalloc-01100000000000001..3 (203.0.113.10..12 in prod,
// 198.51.100.10..12 in staging), the spare one ...4 (.13). Times are relative
// to Options.Epoch (DemoEpoch by default). All public addresses come from
// the documentation ranges of RFC 5737.
//
// GoLive (or POST /_sim/go-live) is the deploy script of story S1: it moves
// every EIP from blue's instances to green's running instances with new
// association IDs (eipassoc-...4..6 the first time). MoveEIPs does the same
// between any two clusters.
//
// The demo's us-east-1 also holds the capacity side, in which every
// preflight check passes: the web AMI and a public Amazon Linux image
// (owner amazon); security groups default, acme-web and acme-bastion;
// launch template acme-web (lt-0…1) with versions 1 and 2 naming acme-web
// by ID (2 is $Default) and 3 ($Latest) through a network interface; Auto
// Scaling groups blue ($Default) and green ($Latest), each owning its
// cluster's three instances, desired 3, min 0, max 6, over the three
// subnets. Every AMI an instance runs is an image DescribeImages knows.
//
// Other scenarios (see Scenarios): "s1", "s2", "s3" name the demo world for
// their stories;
//
//	s4  story S4: group uploader (Cluster=uploader), desired 6, min 2,
//	    max 12, two instances in service; launch template uploader at
//	    $Latest = version 3 names MissingAMI and the security group name
//	    MissingSecurityGroup (version 1, the default, is good). Its
//	    activities, newest first: failed launches naming the image, before
//	    them failed launches naming the security group (version 2), the old
//	    machines taken out of service, the launches ten days ago. The
//	    first retry is due 10 s after the server starts.
//	s5  story S5: us-east-1a has 9 free addresses; group rebuild (desired
//	    6) took the last 3 of us-east-1c and fails with "There are not
//	    enough free addresses in subnet '…' …"; EC2 is throttled
//	    (RequestLimitExceeded) for the last 15 s of every minute of the
//	    server's life (Bursts; DELETE /_sim/bursts stops it)
//
//	s6  story S6: instance fileserver (Cluster=files, m5.xlarge) fails its
//	    system status check and is scheduled for instance-retirement 3 to
//	    4 days after the epoch; its volumes are an 8 GiB root and a 2 TiB
//	    st1 data volume, both DeleteOnTermination; the data volume's
//	    nightly snapshot completed 16 hours before the epoch and the one
//	    taken since the failure is at 15% at the epoch, advancing 24% an
//	    hour (completed about 3.5 hours into the session). Also
//	    blue-web-2's system check failing, instance-retirement on
//	    blue-web-3, system-reboot on green-web-1, system-maintenance and
//	    a "[Completed]" system-reboot on green-web-2, instance-stop on
//	    green-web-3
//	s7  story S7: cluster prod-ecs (Fargate) with deployer-api
//	    (deployer-api:42, 4/4 running), payments (2/2), ledger-sync
//	    (deployment of :9 FAILED by the circuit breaker, :8 still running
//	    2) and scheduler (scaled to 0). POST /_sim/ecs/delete-service
//	    ?cluster=prod-ecs&service=deployer-api deletes deployer-api
//	    mid-session as another engineer's console would
//
// "hostile" adds tags carrying terminal escapes in the forms XML can carry
// (C1 controls, bidi overrides, zero-width and wide characters, a
// 200-character Name: see HostileCSI and its neighbours), and ECS names
// and events carrying ESC itself, which JSON can (cluster HostileESCCSI,
// service HostileESCOSC8, events with HostileESCOSC52 and
// HostileCROverwrite; frontend's latest event too); "empty" has the
// accounts and nothing in them.
//
// Every world but "empty" has disks and containers. The demo's us-east-1
// gives each instance its root volume (vol-…1..8 in instance order), blue's
// three nightly snapshots (completed, 20 hours before the epoch) and one
// public Amazon snapshot; eu-west-1 has root volumes and no ECS. Each demo
// account has ECS cluster acme-ecs (3 container instances): frontend
// (FARGATE, frontend:14, 2/2) and worker (EC2, rolling from worker:7 to
// worker:8: IN_PROGRESS, 3 running, 1 pending).
//
// Options.Instances > 0 replaces us-east-1 in both accounts with a generated
// fleet of that many instances: clusters of 50 (blue, green, c002, ...),
// about one EIP per ten instances on the live clusters, some untagged,
// stopped and failing instances; blue, green and every fifth cluster from
// c005 are Auto Scaling groups of their running instances with launch
// templates that pass a preflight (41 groups at 10,000 instances, 201 at
// 50,000). Each generated instance has a root volume (8 to 100 GiB,
// DeleteOnTermination) and every tenth a 500 GiB data volume that
// survives termination, with a completed nightly snapshot; every fiftieth
// has a snapshot in progress at a random point and rate (10,000 instances:
// 11,000 volumes, 1,000 own snapshots of which 200 pending).
//
// Options.Services > 0 replaces the demo's ECS with that many generated
// services in clusters of 100 (ecs-000, ecs-001, ...; svc-00000, ...):
// 2,000 services are 20 clusters, one ListServices page of 100 and ten
// DescribeServices calls each. With Instances set and Services zero there
// is one service per five instances. Every third cluster runs on EC2;
// about 2% of services are mid-deployment, 1% after a failed one, 1% at
// zero. 50,000 instances with their disks and 10,000 services build in
// about half a second.
//
// # Faults and throttling
//
// Inject adds a Fault for an account and an action (or all of them):
// latency, throttling, access denied, expired credentials, a dropped
// connection, an internal error, or an error on page N of a listing, for
// the next Times calls or all of them. Errors use each protocol's own codes
// (the table is at FaultKind). EnableThrottling turns on token buckets per
// account and region: EC2's documented ones, 100 tokens and 20 per second
// for each Describe action, 50 and 5 for each mutating action; for Auto
// Scaling and ECS a model, one bucket of 40 refilling 20 per second shared
// by every Describe and List call of the service, 20 and 2 for each
// mutating action (ECS: UpdateService, DeleteService).
// SetBursts (or /_sim/bursts) throttles one service completely for the
// last For of every Every, as a competing deploy script would.
// Options.Latency delays every call. Every delay ends early when the client
// gives up.
//
// Tools outside the process inject the same faults as text, a fault spec:
// the kind, then key=value fields (ParseFault reads it; a mistake is an
// error naming the field and what was expected):
//
//	KIND[,account=ID][,action=ACTION][,times=N][,page=N][,latency=DURATION]
//
//	KIND     access-denied, expired-token, throttle, latency, page-error,
//	         drop-connection, internal-error
//	account  a 12-digit account ID the sim holds; absent: every account
//	action   ec2:TerminateInstances or TerminateInstances; absent: every call
//	times    the next N matching calls; absent or 0: all of them
//	page     page-error only: the page to fail, from 1; absent: every page
//	latency  latency only, required: a Go duration (500ms, 2s)
//
// `airlock sim --fault SPEC` (repeatable) injects them at startup and
// `--throttling` turns the token buckets on. While it runs, /_sim/faults
// adds, lists and removes them; with the sim on 127.0.0.1:4566:
//
//	# AccessDenied for one action (query parameters)
//	curl -X POST 'http://127.0.0.1:4566/_sim/faults?kind=access-denied&action=ec2:TerminateInstances'
//	# expired credentials everywhere (form fields)
//	curl -d kind=expired-token http://127.0.0.1:4566/_sim/faults
//	# 2 s more on every DescribeInstances (JSON)
//	curl --json '{"kind":"latency","latency":"2s","action":"DescribeInstances"}' http://127.0.0.1:4566/_sim/faults
//	# page 2 of DescribeInstances fails; a whole spec, as --fault takes it
//	curl -d spec=page-error,action=DescribeInstances,page=2 http://127.0.0.1:4566/_sim/faults
//	# drop the next connection; throttle staging's next two DescribeSubnets
//	curl -d kind=drop-connection -d times=1 http://127.0.0.1:4566/_sim/faults
//	curl -d kind=throttle -d account=222222222222 -d action=DescribeSubnets -d times=2 http://127.0.0.1:4566/_sim/faults
//	# EC2's token buckets on, then off
//	curl -X POST 'http://127.0.0.1:4566/_sim/throttling?on=true'
//	curl -X POST 'http://127.0.0.1:4566/_sim/throttling?on=false'
//	# list: {"faults":[{"id":1,"spec":"access-denied,action=ec2:TerminateInstances",...}],"throttling":false}
//	curl http://127.0.0.1:4566/_sim/faults
//	# remove fault 1, then every fault (the throttle setting stays)
//	curl -X DELETE http://127.0.0.1:4566/_sim/faults/1
//	curl -X DELETE http://127.0.0.1:4566/_sim/faults
//	# EC2 throttled for the last 15 s of every minute (s5 starts this way)
//	curl -X POST 'http://127.0.0.1:4566/_sim/bursts?every=60s&for=15s&service=ec2'
//	curl http://127.0.0.1:4566/_sim/bursts
//	curl -X DELETE http://127.0.0.1:4566/_sim/bursts
//	# ECS throttled the same way (ThrottlingException), or one call of it
//	curl -X POST 'http://127.0.0.1:4566/_sim/bursts?every=60s&for=15s&service=ecs'
//	curl -d kind=throttle -d action=ecs:DescribeServices -d times=1 http://127.0.0.1:4566/_sim/faults
//
// POST answers 201 with {"id":N,"fault":{...}}; a bad field answers 400 with
// {"error":"..."} naming it, and injects nothing. A fault with times leaves
// the list once used up. Reset leaves faults, throttling and bursts alone.
//
// # Observing and changing the world
//
// Stats counts the calls that reached an action, keyed "ec2:DescribeInstances",
// failed ones included. Update runs a function on a Region under the write
// lock; OnCall runs a function right before an action is served, which is how
// a test changes the world between a client's check and its call. Reset
// returns to the scenario's initial world. Counters, go-live, reset, faults
// and throttling are also reachable over HTTP under /_sim/, for tools
// outside the process (GET /_sim/ lists them): GET /_sim/stats, POST
// /_sim/go-live, /_sim/reset, /_sim/stats/reset, /_sim/throttling?on=true,
// /_sim/faults and /_sim/bursts above. Stats keys include
// "autoscaling:DescribeAutoScalingGroups" and "ecs:DescribeServices".
//
// Story S7's other engineer deletes a service through the control API, a
// forced DeleteService (Server.DeleteECSService in process): the service
// leaves ListServices at once and DescribeServices shows it DRAINING,
// INACTIVE after Options.StateDelay, then MISSING; with a zero StateDelay
// the next API call sees DRAINING, the one after INACTIVE, the third finds
// it missing. account (default acme-prod) and region (default us-east-1)
// are optional:
//
//	curl -X POST 'http://127.0.0.1:4566/_sim/ecs/delete-service?cluster=prod-ecs&service=deployer-api'
//	# {"service":{"cluster":"prod-ecs","service":"deployer-api","status":"DRAINING","desired":0,"running":4,"runningBefore":4}}
//	curl -d cluster=prod-ecs -d service=payments -d account=222222222222 http://127.0.0.1:4566/_sim/ecs/delete-service
//
// An unknown cluster or service answers 404, a service already being
// deleted 409, a missing field 400, each with {"error":"..."}.
//
// Time inside the world (activity timestamps, launch times of new
// instances, ECS events, snapshot progress) is Options.Epoch plus the time
// the server has been running, plus what Advance (POST /_sim/clock) added,
// so a test can watch s6's snapshot move without waiting hours:
//
//	curl -X POST 'http://127.0.0.1:4566/_sim/clock?advance=1h'
//	# {"worldTime":"2026-11-20T13:00:04Z"}: the rescue snapshot is at 39%
//	curl http://127.0.0.1:4566/_sim/clock
//
// The package imports only the standard library.
package sim

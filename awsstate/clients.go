package awsstate

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"

	"github.com/airlock-ops/airlock/model"
)

// ec2API is every EC2 call airlock makes. The reads feed the dashboard and
// the airlock's re-checks; the writes are the only ways airlock changes
// anything, and Execute is their only caller.
type ec2API interface {
	// DescribeInstances lists instances: the whole region for a refresh,
	// only the targets (by ID or cluster tag) for Prepare and Execute.
	DescribeInstances(context.Context, *ec2.DescribeInstancesInput, ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error)
	// DescribeAddresses lists Elastic IPs and what each is attached to.
	DescribeAddresses(context.Context, *ec2.DescribeAddressesInput, ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error)
	// DescribeSubnets lists subnets with their free address counts.
	DescribeSubnets(context.Context, *ec2.DescribeSubnetsInput, ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error)
	// DescribeInstanceStatus reports status checks and scheduled events.
	DescribeInstanceStatus(context.Context, *ec2.DescribeInstanceStatusInput, ...func(*ec2.Options)) (*ec2.DescribeInstanceStatusOutput, error)
	// DescribeLaunchTemplateVersions, DescribeImages,
	// DescribeSecurityGroups and DescribeInstanceTypeOfferings are what a
	// launch preflight reads (preflight.go).
	DescribeLaunchTemplateVersions(context.Context, *ec2.DescribeLaunchTemplateVersionsInput, ...func(*ec2.Options)) (*ec2.DescribeLaunchTemplateVersionsOutput, error)
	// DescribeImages says whether an AMI exists and is available.
	DescribeImages(context.Context, *ec2.DescribeImagesInput, ...func(*ec2.Options)) (*ec2.DescribeImagesOutput, error)
	// DescribeSecurityGroups lists the security groups of a VPC.
	DescribeSecurityGroups(context.Context, *ec2.DescribeSecurityGroupsInput, ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error)
	// DescribeInstanceTypeOfferings says where an instance type is offered.
	DescribeInstanceTypeOfferings(context.Context, *ec2.DescribeInstanceTypeOfferingsInput, ...func(*ec2.Options)) (*ec2.DescribeInstanceTypeOfferingsOutput, error)
	// DescribeInstanceAttribute reads termination and stop protection.
	DescribeInstanceAttribute(context.Context, *ec2.DescribeInstanceAttributeInput, ...func(*ec2.Options)) (*ec2.DescribeInstanceAttributeOutput, error)
	// DescribeVolumes and DescribeSnapshots read the selection's EBS
	// volumes and the account's own snapshots of them (storage.go).
	DescribeVolumes(context.Context, *ec2.DescribeVolumesInput, ...func(*ec2.Options)) (*ec2.DescribeVolumesOutput, error)
	// DescribeSnapshots: see DescribeVolumes.
	DescribeSnapshots(context.Context, *ec2.DescribeSnapshotsInput, ...func(*ec2.Options)) (*ec2.DescribeSnapshotsOutput, error)

	// TerminateInstances terminates exactly the verified instance IDs.
	TerminateInstances(context.Context, *ec2.TerminateInstancesInput, ...func(*ec2.Options)) (*ec2.TerminateInstancesOutput, error)
	// StopInstances stops exactly the verified instance IDs.
	StopInstances(context.Context, *ec2.StopInstancesInput, ...func(*ec2.Options)) (*ec2.StopInstancesOutput, error)
	// AssociateAddress moves an Elastic IP onto a verified instance.
	AssociateAddress(context.Context, *ec2.AssociateAddressInput, ...func(*ec2.Options)) (*ec2.AssociateAddressOutput, error)
	// DisassociateAddress detaches an Elastic IP by association ID, so a
	// stale ID fails instead of detaching whatever holds the IP now.
	DisassociateAddress(context.Context, *ec2.DisassociateAddressInput, ...func(*ec2.Options)) (*ec2.DisassociateAddressOutput, error)
	// ReleaseAddress gives an unassociated Elastic IP back to AWS.
	ReleaseAddress(context.Context, *ec2.ReleaseAddressInput, ...func(*ec2.Options)) (*ec2.ReleaseAddressOutput, error)
}

// stsAPI is the one STS call: who am I.
type stsAPI interface {
	// GetCallerIdentity confirms the account before anything is shown as
	// that account's, and before every destructive action.
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// iamAPI is the one IAM call: the account's human name.
type iamAPI interface {
	// ListAccountAliases returns the alias shown on the banner. Many roles
	// may not call it; its failure costs the name, never the identity.
	ListAccountAliases(context.Context, *iam.ListAccountAliasesInput, ...func(*iam.Options)) (*iam.ListAccountAliasesOutput, error)
}

var (
	_ ec2API = (*ec2.Client)(nil)
	_ stsAPI = (*sts.Client)(nil)
	_ iamAPI = (*iam.Client)(nil)
)

// Client fetches snapshots of one account in one region and carries out
// the actions the airlock has verified. It is safe for concurrent use.
type Client struct {
	region   string
	tag      atomic.Pointer[string] // the cluster tag key; SetClusterTag changes it
	auditLog string
	profile  string                  // Options.Profile, for ExpiredCommand
	creds    aws.CredentialsProvider // the config's, for Credentials
	timeout  time.Duration           // Options.CallTimeout or the default

	ec2 ec2API
	sts stsAPI
	iam iamAPI
	asg autoscalingAPI
	// ecs (ecs.go) and scaling (scaling.go, the guarded Auto Scaling
	// calls, on the same client as asg); ecsPace spaces ECS reads to a
	// quarter of ECS's refill.
	ecs     ecsAPI
	scaling scalingAPI
	ecsPace *pacer

	// auditTimeout bounds one audit write; checkBound, the age of the
	// last check a mutating call may rely on. Tests shorten both.
	auditTimeout time.Duration
	checkBound   time.Duration
	auditMu      sync.Mutex // one audit write at a time, in order

	throttles *throttleLog // every call AWS throttled in the last minute

	// prior is the last whole instance list FetchPlan returned, which
	// the next shares its unchanged parts with (prior.go).
	priorMu sync.Mutex
	prior   []model.Instance
	// ecsPrior is the services of the last whole ECS state, which the
	// next shares its unchanged services with (prior.go).
	ecsPriorMu sync.Mutex
	ecsPrior   []model.Service

	hooks *testHooks // nil outside tests
}

// New builds the service clients from cfg. o.Region and o.Endpoint, when
// set, win over cfg; every call gets o.CallTimeout.
func New(cfg aws.Config, o Options) *Client {
	if o.Region != "" {
		cfg.Region = o.Region
	}
	timeout := o.CallTimeout
	if timeout <= 0 {
		timeout = DefaultCallTimeout
	}
	tagKey := o.ClusterTag
	if tagKey == "" {
		tagKey = model.DefaultClusterTag
	}
	// Clip so appending never writes into the caller's backing array,
	// which the three clients would otherwise share.
	throttles := &throttleLog{}
	stack := append(slices.Clip(cfg.APIOptions), withCallTimeout(timeout), countAttempts, recordRequestID, attachRenewal(o.Profile),
		countThrottles(throttles), timeDecoding)
	var endpoint *string
	if o.Endpoint != "" {
		endpoint = aws.String(o.Endpoint)
	}

	// One Auto Scaling client: the reads of capacity.go and the guarded
	// calls of scaling.go.
	asc := autoscaling.NewFromConfig(cfg, func(ao *autoscaling.Options) {
		ao.APIOptions = stack
		if endpoint != nil {
			ao.BaseEndpoint = endpoint
		}
	})
	c := &Client{
		region:   cfg.Region,
		auditLog: o.AuditLog,
		profile:  o.Profile,
		creds:    cfg.Credentials,
		timeout:  timeout,

		auditTimeout: DefaultAuditTimeout,
		checkBound:   DefaultCheckBound,
		throttles:    throttles,
		ec2: ec2.NewFromConfig(cfg, func(eo *ec2.Options) {
			eo.APIOptions = stack
			if endpoint != nil {
				eo.BaseEndpoint = endpoint
			}
		}),
		sts: sts.NewFromConfig(cfg, func(so *sts.Options) {
			so.APIOptions = stack
			if endpoint != nil {
				so.BaseEndpoint = endpoint
			}
		}),
		iam: iam.NewFromConfig(cfg, func(io *iam.Options) {
			io.APIOptions = stack
			if endpoint != nil {
				io.BaseEndpoint = endpoint
			}
		}),
		ecs: ecs.NewFromConfig(cfg, func(eo *ecs.Options) {
			eo.APIOptions = stack
			if endpoint != nil {
				eo.BaseEndpoint = endpoint
			}
		}),
		asg:     asc,
		scaling: asc,
		ecsPace: newPacer(ecsPaceEvery, ecsPaceBurst),
	}
	c.tag.Store(&tagKey)
	return c
}

// Region is the region every call of this client goes to.
func (c *Client) Region() string { return c.region }

// withCallTimeout bounds each API call, retries and credential lookup
// included, so no refresh and no action can hang on a silent network. It
// sits in the Initialize step, outside the retry loop, and covers each page
// of a paginated call separately.
func withCallTimeout(d time.Duration) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("airlock.CallTimeout",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
				middleware.InitializeOutput, middleware.Metadata, error,
			) {
				ctx, cancel := context.WithTimeout(ctx, d)
				defer cancel()
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	}
}

// meter adds up what the calls of one section cost. The middlewares
// below fill it in for every call made with a context from withMeter.
type meter struct {
	calls     atomic.Int64 // HTTP attempts, retries included
	throttled atomic.Int64 // attempts AWS answered with a throttling error
	decode    atomic.Int64 // nanoseconds spent decoding answers
}

// meterKey carries a section's *meter.
type meterKey struct{}

// withMeter makes every call made with ctx count into m.
func withMeter(ctx context.Context, m *meter) context.Context {
	return context.WithValue(ctx, meterKey{}, m)
}

func meterOf(ctx context.Context) *meter {
	m, _ := ctx.Value(meterKey{}).(*meter)
	return m
}

// countAttempts counts HTTP attempts, not operations: it runs at the end of
// the Finalize step, after the retry middleware, so each retry passes
// through it again. That is the number AWS's throttle sees.
func countAttempts(s *middleware.Stack) error {
	return s.Finalize.Add(middleware.FinalizeMiddlewareFunc("airlock.CountAttempts",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
			middleware.FinalizeOutput, middleware.Metadata, error,
		) {
			if m := meterOf(ctx); m != nil {
				m.calls.Add(1)
			}
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
}

// throttleCodes tells a throttling error by its code, exactly as the SDK's
// retryer does (retry.DefaultThrottleErrorCodes: RequestLimitExceeded for
// EC2, Throttling for STS, IAM and Auto Scaling, ...).
var throttleCodes = retry.IsErrorThrottles(retry.DefaultThrottles)

// countThrottles records every attempt of a call that AWS answered with a
// throttling error, as the SDK's retry middleware reports them
// (retry.AttemptResults in the call's metadata), per API in log and in
// the section's meter. It sits in the Initialize step, outside the retry
// loop, so it sees each call once with all of its attempts, whether the
// call finally succeeded or not.
func countThrottles(log *throttleLog) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("airlock.CountThrottles",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
				middleware.InitializeOutput, middleware.Metadata, error,
			) {
				out, md, err := next.HandleInitialize(ctx, in)
				results, ok := retry.GetAttemptResults(md)
				if !ok {
					return out, md, err
				}
				n := 0
				for _, r := range results.Results {
					if r.Err != nil && throttleCodes.IsErrorThrottle(r.Err) == aws.TrueTernary {
						n++
					}
				}
				if n > 0 {
					log.add(apiName(ctx), n, time.Now())
					if m := meterOf(ctx); m != nil {
						m.throttled.Add(int64(n))
					}
				}
				return out, md, err
			}), middleware.After)
	}
}

// apiName is the call's name as IAM policies and the sim's counters
// spell it: "ec2:DescribeInstances", "autoscaling:DescribeAutoScalingGroups".
func apiName(ctx context.Context) string {
	service := strings.ToLower(strings.ReplaceAll(awsmiddleware.GetServiceID(ctx), " ", ""))
	return service + ":" + awsmiddleware.GetOperationName(ctx)
}

// sendTimeKey carries a *time.Duration that receives how long the
// innermost part of a call (sending it and waiting for the answer's
// headers) took.
type sendTimeKey struct{}

// timeDecoding measures how long each answer took to decode: the time
// spent in the Deserialize step (sending, waiting, decoding) less the
// time spent below the operation's deserializer (sending and waiting).
// Decoding the SDK's XML is most of what a refresh costs in CPU, so it is
// what the cadence of a costly section is judged from (model.Cadence).
// The two middlewares sit at the two ends of the step: the first added
// Before is outermost, the last added After innermost.
func timeDecoding(s *middleware.Stack) error {
	err := s.Deserialize.Add(middleware.DeserializeMiddlewareFunc("airlock.DecodeTimeOuter",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
			middleware.DeserializeOutput, middleware.Metadata, error,
		) {
			m := meterOf(ctx)
			if m == nil {
				return next.HandleDeserialize(ctx, in)
			}
			var send time.Duration
			start := time.Now()
			out, md, err := next.HandleDeserialize(context.WithValue(ctx, sendTimeKey{}, &send), in)
			m.decode.Add(int64(max(time.Since(start)-send, 0)))
			return out, md, err
		}), middleware.Before)
	if err != nil {
		return err
	}
	return s.Deserialize.Add(middleware.DeserializeMiddlewareFunc("airlock.DecodeTimeInner",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
			middleware.DeserializeOutput, middleware.Metadata, error,
		) {
			slot, ok := ctx.Value(sendTimeKey{}).(*time.Duration)
			if !ok {
				return next.HandleDeserialize(ctx, in)
			}
			start := time.Now()
			out, md, err := next.HandleDeserialize(ctx, in)
			*slot = time.Since(start)
			return out, md, err
		}), middleware.After)
}

// requestIDKey carries a *string that receives the call's AWS request ID.
type requestIDKey struct{}

// withRequestIDSlot makes the request ID of the (last) call made with ctx
// land in id, whether the call succeeded or failed.
func withRequestIDSlot(ctx context.Context, id *string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// recordRequestID copies the request ID AWS returned into the slot in the
// context, if any. Execute puts these in the audit log: they are what AWS
// support and CloudTrail know the call by.
func recordRequestID(s *middleware.Stack) error {
	return s.Initialize.Add(middleware.InitializeMiddlewareFunc("airlock.RequestID",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
			middleware.InitializeOutput, middleware.Metadata, error,
		) {
			out, md, err := next.HandleInitialize(ctx, in)
			if slot, ok := ctx.Value(requestIDKey{}).(*string); ok {
				if id, ok := awsmiddleware.GetRequestIDMetadata(md); ok {
					*slot = id
				}
			}
			return out, md, err
		}), middleware.After)
}

// tagKey is the tag that names an instance's cluster.
func (c *Client) tagKey() string { return *c.tag.Load() }

// SetClusterTag changes the tag that names an instance's cluster, for the
// targets Prepare fetches by cluster: the configuration can give each
// account its own. Safe while a fetch or an action is in flight; they
// read it when they start.
func (c *Client) SetClusterTag(tag string) {
	if tag != "" {
		c.tag.Store(&tag)
	}
}

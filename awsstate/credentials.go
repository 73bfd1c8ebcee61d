package awsstate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
)

// MFAFunc asks the operator for the current code of the MFA device serial
// (mfa_serial of profile) and returns it. It must return when ctx is done.
// cmd asks on the terminal before the dashboard starts; the dashboard asks
// in its own input when it switches profile.
type MFAFunc func(ctx context.Context, profile, serial string) (string, error)

// Connector makes a client for a profile and a region, from the shared
// config files and the default chain, with the endpoint, call timeout,
// audit log, cluster tag and MFA prompt it was built with. "" keeps the
// SDK's choice (AWS_PROFILE, the profile's region). Switching account or
// region is calling it again; the old client needs no closing.
type Connector func(ctx context.Context, profile, region string) (*Client, error)

// NewConnector returns the Connector for base (its Profile and Region are
// replaced by the arguments of each call). A profile with mfa_serial has
// its code asked (base.MFA) and its role assumed during the call, so a
// wrong code is the call's error, not the first refresh's; other
// credentials are fetched on the first call, as the SDK does.
func NewConnector(base Options) Connector {
	return func(ctx context.Context, profile, region string) (*Client, error) {
		o := base
		o.Profile, o.Region = profile, region
		cfg, err := LoadConfig(ctx, o)
		if err != nil {
			return nil, err
		}
		return New(cfg, o), nil
	}
}

// ErrMFASessionExpired is the cause of a MFAError that has Expired set.
var ErrMFASessionExpired = errors.New("the MFA session has expired")

// MFAError is a failure to get an MFA code for an assume-role profile
// with mfa_serial: nothing could ask for one, asking failed, or the
// session has expired (renewing it needs a new code, and airlock never
// asks in the middle of a refresh).
type MFAError struct {
	Profile string
	Serial  string
	Expired bool  // the session opened with an earlier code is over
	Err     error // why asking failed; nil when there was nobody to ask
}

func (e *MFAError) Error() string {
	switch {
	case e.Expired:
		return fmt.Sprintf("the MFA session of profile %s has expired: a new MFA code is needed", profileLabel(e.Profile))
	case e.Err != nil:
		return fmt.Sprintf("profile %s needs an MFA code (%s): %v", profileLabel(e.Profile), e.Serial, e.Err)
	}
	return fmt.Sprintf("profile %s needs an MFA code (%s) and nothing here can ask for one", profileLabel(e.Profile), e.Serial)
}

// Unwrap returns the prompt's error, or ErrMFASessionExpired.
func (e *MFAError) Unwrap() error {
	if e.Expired {
		return ErrMFASessionExpired
	}
	return e.Err
}

func profileLabel(p string) string {
	if p == "" {
		return "default"
	}
	return p
}

// credentialHooks plug airlock into the SDK's assume-role provider for
// one LoadConfig: the MFA prompt, and the endpoint and timeout of its STS
// calls.
type credentialHooks struct {
	o       Options
	profile string // as resolved: Options.Profile, AWS_PROFILE, "default"

	mu       sync.Mutex
	prompt   context.Context // non-nil while LoadConfig may ask for a code
	mfa      []string        // the serials the SDK will ask a code for
	endpoint string          // for AssumeRole; set once the config is loaded
}

func newCredentialHooks(o Options) *credentialHooks {
	return &credentialHooks{o: o, profile: resolvedProfile(o)}
}

// assumeRole is the config.WithAssumeRoleCredentialOptions function. The
// SDK runs it for every assume-role provider it builds (the profile's and
// any source_profile's), after setting SerialNumber from mfa_serial.
func (h *credentialHooks) assumeRole(ar *stscreds.AssumeRoleOptions) {
	if ar.Client != nil {
		ar.Client = assumeRoleClient{next: ar.Client, h: h}
	}
	if ar.SerialNumber != nil {
		serial := *ar.SerialNumber
		h.mu.Lock()
		if !slices.Contains(h.mfa, serial) {
			h.mfa = append(h.mfa, serial)
		}
		h.mu.Unlock()
		ar.TokenProvider = func() (string, error) { return h.code(serial) }
	}
}

// needsMFA reports whether the loaded credentials assume a role with MFA.
func (h *credentialHooks) needsMFA() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.mfa) > 0
}

// code is the TokenProvider: it asks Options.MFA while LoadConfig holds
// the prompt open, and afterwards reports the session expired. The SDK
// asks again only when the credentials it got with the last code expire,
// in the middle of some refresh with a call timeout running: no moment to
// ask a human.
func (h *credentialHooks) code(serial string) (string, error) {
	h.mu.Lock()
	ctx := h.prompt
	h.mu.Unlock()
	if ctx == nil {
		return "", &MFAError{Profile: h.profile, Serial: serial, Expired: true}
	}
	if h.o.MFA == nil {
		return "", &MFAError{Profile: h.profile, Serial: serial}
	}
	code, err := h.o.MFA(ctx, h.profile, serial)
	if err != nil {
		return "", &MFAError{Profile: h.profile, Serial: serial, Err: err}
	}
	return strings.TrimSpace(code), nil
}

// assumeWithPrompt assumes the role now, with the prompt open for the
// duration: the operator types the code while LoadConfig waits, bounded
// by ctx alone, and the AssumeRole call after it by the call timeout
// (assumeRoleClient).
func (h *credentialHooks) assumeWithPrompt(ctx context.Context, creds aws.CredentialsProvider) error {
	h.mu.Lock()
	h.prompt = ctx
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.prompt = nil
		h.mu.Unlock()
	}()
	_, err := creds.Retrieve(ctx)
	return err
}

// setEndpoint decides where AssumeRole goes, once the profile is known.
// aws-sdk-go-v2's config (v1.33) resolves credentials before the base
// endpoint, so the STS client of its assume-role provider never sees
// AWS_ENDPOINT_URL or a profile's endpoint_url; it sees only
// service-specific sources (AWS_ENDPOINT_URL_STS, sts in a services
// section, and config.WithBaseEndpoint, which LoadOptions reports as
// every service's endpoint). Without this an assume-role profile pointed
// at the simulator, or at a VPC endpoint through endpoint_url, would call
// the public STS. The precedence is the SDK's own for the other clients.
func (h *credentialHooks) setEndpoint(cfg aws.Config) {
	ep := h.o.Endpoint
	if ep == "" && !ignoreConfiguredEndpoints(cfg) && os.Getenv("AWS_ENDPOINT_URL_STS") == "" {
		sc := sharedConfigOf(cfg)
		if _, ok := sc.Services.ServiceValues["sts"]["endpoint_url"]; !ok || os.Getenv("AWS_ENDPOINT_URL") != "" {
			if ep = os.Getenv("AWS_ENDPOINT_URL"); ep == "" {
				ep = sc.BaseEndpoint
			}
		}
	}
	h.mu.Lock()
	h.endpoint = ep
	h.mu.Unlock()
}

func ignoreConfiguredEndpoints(cfg aws.Config) bool {
	if strings.EqualFold(os.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		return true
	}
	v := sharedConfigOf(cfg).IgnoreConfiguredEndpoints
	return v != nil && *v
}

// sharedConfigOf is the profile the SDK loaded, from the config's sources.
func sharedConfigOf(cfg aws.Config) config.SharedConfig {
	for _, src := range cfg.ConfigSources {
		if sc, ok := src.(config.SharedConfig); ok {
			return sc
		}
	}
	return config.SharedConfig{}
}

// assumeRoleClient is the SDK's STS client for AssumeRole with airlock's
// endpoint and call timeout.
type assumeRoleClient struct {
	next stscreds.AssumeRoleAPIClient
	h    *credentialHooks
}

func (c assumeRoleClient) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	c.h.mu.Lock()
	ep := c.h.endpoint
	c.h.mu.Unlock()
	if ep != "" {
		optFns = append(optFns, func(o *sts.Options) { o.BaseEndpoint = aws.String(ep) })
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout(c.h.o))
	defer cancel()
	return c.next.AssumeRole(ctx, in, optFns...)
}

func callTimeout(o Options) time.Duration {
	if o.CallTimeout > 0 {
		return o.CallTimeout
	}
	return DefaultCallTimeout
}

// resolvedProfile is the profile the SDK uses for o: --profile, then
// AWS_PROFILE, then "default".
func resolvedProfile(o Options) string {
	if o.Profile != "" {
		return o.Profile
	}
	if p := os.Getenv("AWS_PROFILE"); p != "" {
		return p
	}
	return "default"
}

// CredentialsInfo says what the banner may say about the credentials in
// use. It never holds a secret.
type CredentialsInfo struct {
	// Source names the SDK provider that supplied them
	// ("AssumeRoleProvider", "SSOProvider", "EnvConfigCredentials", ...).
	Source string
	// Temporary credentials carry a session token: they expire, whether
	// or not the SDK knows when.
	Temporary bool
	// CanExpire is set when the SDK knows the expiry: Expires is then the
	// moment AWS stops accepting them. Temporary without CanExpire (a
	// session token from the environment) is "expires at an unknown
	// time", not "never".
	CanExpire bool
	Expires   time.Time
}

// Credentials reports the credentials the client signs with, for the
// banner's countdown. It asks the SDK's credential cache, which answers
// from memory until they expire and then fetches new ones (an SSO,
// assume-role or credential_process refresh, within the call timeout);
// an error is explained like any other, with the command that renews
// them when they have expired (ExpiredCommand).
func (c *Client) Credentials(ctx context.Context) (CredentialsInfo, error) {
	if c.creds == nil {
		return CredentialsInfo{}, &Error{Kind: KindMissingCredentials, msg: "no AWS credentials configured"}
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	v, err := c.creds.Retrieve(ctx)
	if err != nil {
		return CredentialsInfo{}, explained(withRenewal(c.profile, err))
	}
	return CredentialsInfo{Source: v.Source, Temporary: v.SessionToken != "", CanExpire: v.CanExpire, Expires: v.Expires}, nil
}

// Profile is the profile the client was made for ("" when the SDK chose:
// AWS_PROFILE, "default", or credentials from the environment).
func (c *Client) Profile() string { return c.profile }

// renewalError carries the way to renew expired credentials with the
// SDK's error, so Explain can say it.
type renewalError struct {
	cmd    string // a command to run, or ""
	advice string // what to do when there is no command
	err    error
}

func (e *renewalError) Error() string { return e.err.Error() }
func (e *renewalError) Unwrap() error { return e.err }

// howToRenew is the end of an expired-credentials message: "run CMD", or
// the advice.
func (e *renewalError) howToRenew() string {
	if e.cmd != "" {
		return "run " + e.cmd
	}
	return e.advice
}

// withRenewal attaches the way to renew to an expired-credentials error;
// other errors pass unchanged.
func withRenewal(profile string, err error) error {
	if err == nil || KindOf(err) != KindExpiredCredentials {
		return err
	}
	var r *renewalError
	if errors.As(err, &r) {
		return err
	}
	cmd, advice := renewal(profile, err)
	return &renewalError{cmd: cmd, advice: advice, err: err}
}

// attachRenewal puts the way to renew on every expired-credentials error
// of the client's calls.
func attachRenewal(profile string) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("airlock.Renewal",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
				middleware.InitializeOutput, middleware.Metadata, error,
			) {
				out, md, err := next.HandleInitialize(ctx, in)
				return out, md, withRenewal(profile, err)
			}), middleware.After)
	}
}

// ExpiredCommand says how to get fresh credentials after err reported
// them expired, for profile ("" when none was chosen): the command to run
// when there is one ("aws sso login --profile X"; "airlock --profile X"
// for a new MFA code), otherwise what to do, in a few words. It reads the
// profile from the shared config files to tell SSO, MFA,
// credential_process and static session tokens apart.
func ExpiredCommand(profile string, err error) string {
	var r *renewalError
	if errors.As(err, &r) {
		if r.cmd != "" {
			return r.cmd
		}
		return r.advice
	}
	cmd, advice := renewal(profile, err)
	if cmd != "" {
		return cmd
	}
	return advice
}

// RenewalHint is ExpiredCommand as the end of a sentence: "run CMD"
// when there is a command to run, otherwise the advice in a few words.
func RenewalHint(profile string, err error) string {
	var r *renewalError
	if errors.As(err, &r) {
		return r.howToRenew()
	}
	cmd, advice := renewal(profile, err)
	if cmd != "" {
		return "run " + cmd
	}
	return advice
}

// genericRenewal is the advice when nothing more precise is known.
const genericRenewal = "log in again or refresh the session"

// renewal decides ExpiredCommand's answer.
func renewal(profile string, err error) (cmd, advice string) {
	explicit := profile != ""
	name := profile
	if !explicit {
		name = resolvedProfile(Options{})
	}
	flag := ""
	if explicit || name != "default" {
		flag = " --profile " + name
	}
	var mfa *MFAError
	if errors.As(err, &mfa) {
		return "airlock" + flag, ""
	}
	var ssoErr *ssocreds.InvalidTokenError
	if errors.As(err, &ssoErr) {
		return "aws sso login" + flag, ""
	}
	// Keys in the environment win over every profile the SDK did not
	// get by name (config.resolveCredentialChain).
	if !explicit && os.Getenv("AWS_ACCESS_KEY_ID") != "" {
		return "", "export fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, then restart airlock"
	}
	sc, lerr := config.LoadSharedConfigProfile(context.Background(), name, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles = []string{SharedConfigFile()}
		o.CredentialsFiles = []string{SharedCredentialsFile()}
	})
	if lerr != nil {
		return "", genericRenewal
	}
	// The profile's own settings first, then its source_profile's: the
	// first one in the chain that needs a human is what to renew.
	for s := &sc; s != nil; s = s.Source {
		switch {
		case s.SSOSessionName != "" || s.SSOStartURL != "":
			return "aws sso login --profile " + s.Profile, ""
		case s.MFASerial != "":
			return "airlock" + flag, ""
		case s.CredentialProcess != "":
			return "", "renew what the credential_process of profile " + s.Profile + " reads: it returned expired credentials"
		case s.Credentials.SessionToken != "":
			return "", "put fresh credentials in profile " + s.Profile + " of the shared credentials file"
		}
	}
	return "", genericRenewal
}

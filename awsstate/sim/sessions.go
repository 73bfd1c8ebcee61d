package sim

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// STS AssumeRole and the temporary credentials it hands out.
//
// Every account the sim holds has two roles any caller of the sim may
// assume (the trust policies of a lab, not of production):
//
//	arn:aws:iam::ACCOUNT:role/admin       MaxSessionDuration 12 h
//	arn:aws:iam::ACCOUNT:role/admin-mfa   MaxSessionDuration 1 h, MFA required
//
// The MFA device of user oncall is arn:aws:iam::ACCOUNT:mfa/oncall and its
// code is always MFACode. The answers follow the STS API reference
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)
// and the messages AWS sends, as quoted in public bug reports: an MFA role
// without SerialNumber and TokenCode is "User: ARN is not authorized to
// perform: sts:AssumeRole on resource: ROLE" (AccessDenied, 403); one of
// the two alone, "MultiFactorAuthentication failed, must provide both MFA
// serial number and one time pass code." (y13i/sgviz#9); a serial that is
// not the caller's device, "MultiFactorAuthentication failed, unable to
// validate MFA code.  Please verify your MFA serial number is valid and
// associated with this user." (99designs/aws-vault#676); a wrong code,
// "MultiFactorAuthentication failed with invalid MFA one time pass code. "
// (cloud-custodian/cloud-custodian#3974); DurationSeconds above the role's
// maximum, ValidationError "The requested DurationSeconds exceeds the
// MaxSessionDuration set for this role." (kreuzwerker/awsu#27).
//
// The credentials route to the role's account: the access key (ASIA...)
// picks the account like a long-term key does, GetCallerIdentity answers
// with arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, and once the session
// has expired every call fails as AWS fails it: ExpiredToken from STS and
// IAM, RequestExpired from EC2 (the same codes as FaultExpiredToken). A
// request with a temporary key but without its session token is
// InvalidClientTokenId (AuthFailure from EC2), as in AWS.
//
// Sessions belong to the server, not to the world: Reset leaves them valid,
// as resetting the demo does not log anybody out.

// MFACode is the one code the simulated MFA devices accept.
const MFACode = "123456"

// Role names every simulated account holds.
const (
	AdminRole    = "admin"     // assumable by any caller of the sim
	AdminMFARole = "admin-mfa" // assumable only with the caller's MFA code
)

// RoleARN returns the ARN of a simulated role, e.g. RoleARN(ProdAccountID,
// AdminRole).
func RoleARN(accountID, role string) string {
	return "arn:aws:iam::" + accountID + ":role/" + role
}

// MFASerial returns the ARN of the MFA device of the account's user oncall.
func MFASerial(accountID string) string {
	return "arn:aws:iam::" + accountID + ":mfa/oncall"
}

// simRole is a role's settings; the sim holds the same ones in every
// account.
type simRole struct {
	id          string // the role's unique ID suffix (AROA + account + this)
	maxDuration time.Duration
	mfa         bool
}

var simRoles = map[string]simRole{
	AdminRole:    {id: "SIMADMIN1", maxDuration: 12 * time.Hour},
	AdminMFARole: {id: "SIMADMMFA", maxDuration: time.Hour, mfa: true},
}

// Limits of AssumeRole's parameters (STS API reference, Request Parameters).
const (
	minSessionDuration     = 900 * time.Second
	maxSessionDuration     = 43200 * time.Second
	defaultSessionDuration = time.Hour
	// A role assumed with another role's credentials lasts at most an hour.
	chainedSessionLimit = time.Hour
)

var (
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
	roleARNPattern     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::([0-9]{12}):role/(?:[\w+=,.@-]+/)*([\w+=,.@-]{1,64})$`)
	serialPattern      = regexp.MustCompile(`^[\w+=/:,.@-]{9,256}$`)
	tokenCodePattern   = regexp.MustCompile(`^[0-9]{6}$`)
)

// session is one set of temporary credentials.
type session struct {
	key, secret, token string
	account            string // the role's account ID
	role, name         string // role name, RoleSessionName
	roleID             string // AROA...
	expires            time.Time
}

func (s *session) arn() string {
	return "arn:aws:sts::" + s.account + ":assumed-role/" + s.role + "/" + s.name
}

func (s *session) userID() string { return s.roleID + ":" + s.name }

// sessions holds every session handed out, expired ones included for a
// day so that late callers get ExpiredToken rather than "unknown key".
type sessions struct {
	mu   sync.Mutex
	byID map[string]*session
	seq  uint64
}

// keepExpired is how long an expired session is still recognised.
const keepExpired = 24 * time.Hour

func (ss *sessions) add(s *session, now time.Time) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.byID == nil {
		ss.byID = map[string]*session{}
	}
	for k, old := range ss.byID {
		if now.Sub(old.expires) > keepExpired {
			delete(ss.byID, k)
		}
	}
	ss.seq++
	n := ss.seq
	s.key = fmt.Sprintf("ASIASIM%013d", n)
	s.secret = fmt.Sprintf("simTEMPsecret%027d", n)
	s.token = fmt.Sprintf("FwoGZXIvYXdzEKsimSESSION%dTOKEN%s", n, strings.Repeat("x", 64))
	ss.byID[s.key] = s
}

func (ss *sessions) get(key string) *session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.byID[key]
}

// sessionAccount resolves a temporary access key to the account of its
// role, or nil. serveAPI calls it for keys the world does not know.
func (s *Server) sessionAccount(key string) *account {
	sess := s.sessions.get(key)
	if sess == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.w.accounts[sess.account]
}

// checkSession authenticates a call made with temporary credentials: the
// session token must come with the key, and the session must not have
// expired. Calls with long-term keys pass.
func (s *Server) checkSession(c *call) error {
	sess := s.sessions.get(c.key)
	if sess == nil {
		return nil
	}
	token := c.r.Header.Get("X-Amz-Security-Token")
	if token == "" {
		token = c.r.URL.Query().Get("X-Amz-Security-Token")
	}
	if token != sess.token {
		return c.proto.unknownKey()
	}
	if !s.now().Before(sess.expires) {
		// The protocol's own answer, as FaultExpiredToken sends: EC2 says
		// RequestExpired (see the table at FaultKind).
		return c.proto.expiredToken()
	}
	return nil
}

// callerARN is the ARN AWS names the caller by in its messages.
func (s *Server) callerARN(c *call) string {
	if sess := s.sessions.get(c.key); sess != nil {
		return sess.arn()
	}
	return c.acct.arn()
}

type assumeRoleResult struct {
	AssumedRoleUser assumedRoleUser `xml:"AssumedRoleUser"`
	Credentials     stsCredentials  `xml:"Credentials"`
}

type assumedRoleUser struct {
	Arn           string `xml:"Arn"`
	AssumedRoleID string `xml:"AssumedRoleId"`
}

type stsCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

// stsAccessDenied is STS's AccessDenied (HTTP 403).
func stsAccessDenied(format string, args ...any) *apiError {
	return newError(http.StatusForbidden, "AccessDenied", format, args...)
}

// assumeRole hands out temporary credentials for one of the simulated
// roles (see the comment at the top of this file).
func (s *Server) assumeRole(c *call) (any, error) {
	roleARN, name := c.p.str("RoleArn"), c.p.str("RoleSessionName")
	if roleARN == "" {
		return nil, errValidation("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null")
	}
	if name == "" {
		return nil, errValidation("1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null")
	}
	if !sessionNamePattern.MatchString(name) {
		return nil, errValidation("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64", name)
	}
	duration := defaultSessionDuration
	if c.p.has("DurationSeconds") {
		v := c.p.str("DurationSeconds")
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, errValidation("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must be an integer", v)
		}
		duration = time.Duration(n) * time.Second
		if duration < minSessionDuration {
			return nil, errValidation("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", n)
		}
		if duration > maxSessionDuration {
			return nil, errValidation("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200", n)
		}
	}
	serial, code := c.p.str("SerialNumber"), c.p.str("TokenCode")
	if serial != "" && !serialPattern.MatchString(serial) {
		return nil, errValidation("1 validation error detected: Value '%s' at 'serialNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=/:,.@-]*", serial)
	}
	if code != "" && !tokenCodePattern.MatchString(code) {
		return nil, errValidation("1 validation error detected: Value '%s' at 'tokenCode' failed to satisfy constraint: Member must have length less than or equal to 6 and satisfy regular expression pattern: [\\d]*", code)
	}

	caller := s.callerARN(c)
	denied := stsAccessDenied("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", caller, roleARN)
	m := roleARNPattern.FindStringSubmatch(roleARN)
	if m == nil {
		return nil, denied
	}
	acctID, roleName := m[1], m[2]
	role, ok := simRoles[roleName]
	s.mu.RLock()
	_, known := s.w.accounts[acctID]
	s.mu.RUnlock()
	if !ok || !known {
		return nil, denied
	}

	// MFA is checked whenever it is offered, and required by the role's
	// trust policy for admin-mfa.
	switch {
	case (serial == "") != (code == ""):
		return nil, stsAccessDenied("MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.")
	case serial != "":
		if s.sessions.get(c.key) != nil || serial != MFASerial(c.acct.ID) {
			// A role session has no MFA device of its own.
			return nil, stsAccessDenied("MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.")
		}
		if code != MFACode {
			return nil, stsAccessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code. ")
		}
	case role.mfa:
		return nil, denied
	}

	if duration > role.maxDuration {
		return nil, errValidation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	if s.sessions.get(c.key) != nil && duration > chainedSessionLimit {
		return nil, errValidation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	if s.opts.CredentialLifetime > 0 {
		duration = s.opts.CredentialLifetime
	}
	now := s.now()
	// Whole milliseconds, so the Expiration on the wire is the exact
	// instant the sim starts refusing the credentials.
	sess := &session{
		account: acctID,
		role:    roleName,
		name:    name,
		roleID:  "AROA" + acctID + role.id,
		expires: now.Add(duration).UTC().Truncate(time.Millisecond),
	}
	s.sessions.add(sess, now)
	return assumeRoleResult{
		AssumedRoleUser: assumedRoleUser{Arn: sess.arn(), AssumedRoleID: sess.userID()},
		Credentials: stsCredentials{
			AccessKeyID:     sess.key,
			SecretAccessKey: sess.secret,
			SessionToken:    sess.token,
			Expiration:      sess.expires.Format("2006-01-02T15:04:05.000Z"),
		},
	}, nil
}

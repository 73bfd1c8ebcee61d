package sim

// STS GetCallerIdentity and IAM ListAccountAliases: who the caller is.
// Both are query-protocol services; their documents follow the
// <Action>Response/<Action>Result/ResponseMetadata layout the SDK's awsquery
// deserializers expect (service/sts and service/iam deserializers.go),
// which awsQuery.encode wraps around the results below.

type getCallerIdentityResult struct {
	Arn     string `xml:"Arn"`
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
}

// getCallerIdentity answers with the IAM user behind the access key, or
// the assumed role of temporary credentials
// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, UserId ROLEID:SESSION).
// In AWS this call cannot be denied by policy; the sim still honours
// injected faults so a client's handling of an identity failure can be
// tested.
func (s *Server) getCallerIdentity(c *call) (any, error) {
	res := getCallerIdentityResult{Arn: c.acct.arn(), UserID: c.acct.UserID, Account: c.acct.ID}
	if sess := s.sessions.get(c.key); sess != nil {
		res = getCallerIdentityResult{Arn: sess.arn(), UserID: sess.userID(), Account: sess.account}
	}
	return res, nil
}

type listAccountAliasesResult struct {
	IsTruncated    bool            `xml:"IsTruncated"`
	AccountAliases members[string] `xml:"AccountAliases"`
}

// listAccountAliases returns the account's alias. IAM allows at most one
// alias per account, so there is never a second page and Marker/MaxItems
// need no handling.
func (s *Server) listAccountAliases(c *call) (any, error) {
	aliases := members[string]{}
	if c.acct.Alias != "" {
		aliases = append(aliases, c.acct.Alias)
	}
	return listAccountAliasesResult{AccountAliases: aliases}, nil
}

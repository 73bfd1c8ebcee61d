package sim

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestIdentityPerAccessKey(t *testing.T) {
	e := newEnv(t, Options{})
	for _, tc := range []struct{ key, account, alias string }{
		{ProdAccessKey, ProdAccountID, ProdAlias},
		{StagingAccessKey, StagingAccountID, StagingAlias},
	} {
		id, err := e.sts(tc.key).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToString(id.Account); got != tc.account {
			t.Errorf("%s: account %s, want %s", tc.key, got, tc.account)
		}
		if got, want := aws.ToString(id.Arn), "arn:aws:iam::"+tc.account+":user/oncall"; got != want {
			t.Errorf("%s: ARN %s, want %s", tc.key, got, want)
		}
		if aws.ToString(id.UserId) == "" {
			t.Errorf("%s: empty UserId", tc.key)
		}
		al, err := e.iam(tc.key).ListAccountAliases(ctx(t), &iam.ListAccountAliasesInput{})
		if err != nil {
			t.Fatal(err)
		}
		if len(al.AccountAliases) != 1 || al.AccountAliases[0] != tc.alias || al.IsTruncated {
			t.Errorf("%s: aliases %v truncated %v, want [%s]", tc.key, al.AccountAliases, al.IsTruncated, tc.alias)
		}
	}
}

func TestUnknownAccessKey(t *testing.T) {
	e := newEnv(t, Options{})
	_, err := e.sts("AKIANOTKNOWN00000000").GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	wantCode(t, err, "InvalidClientTokenId")
	_, err = e.iam("AKIANOTKNOWN00000000").ListAccountAliases(ctx(t), &iam.ListAccountAliasesInput{})
	wantCode(t, err, "InvalidClientTokenId")
	_, err = e.ec2("AKIANOTKNOWN00000000").DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{})
	wantCode(t, err, "AuthFailure")
	if got := e.s.Stats()["ec2:DescribeInstances"]; got != 1 {
		t.Errorf("a rejected call still reached an action and counts: got %d, want 1", got)
	}
}

func TestAddAccessKeySwitchesAccount(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.AddAccessKey(ProdAccessKey, StagingAccountID)
	id, err := e.sts(ProdAccessKey).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Account) != StagingAccountID {
		t.Errorf("account %s, want %s", aws.ToString(id.Account), StagingAccountID)
	}
}

func TestEmptyScenarioKeepsIdentity(t *testing.T) {
	e := newEnv(t, Options{Scenario: "empty"})
	id, err := e.sts(StagingAccessKey).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Account) != StagingAccountID {
		t.Fatalf("identity %v, %v", id, err)
	}
	out, err := e.prod().DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{})
	if err != nil || len(out.Reservations) != 0 {
		t.Fatalf("empty world: %d reservations, %v", len(out.Reservations), err)
	}
}

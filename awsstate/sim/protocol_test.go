package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/restjson"
)

// The JSON 1.1 dialect has no real handler yet (ECS arrives with the next
// issue), so these tests serve a trivial one under a test-only service and
// drive it over HTTP the way the SDK's awsjson11 client would.

const testTarget = "SimTest_20260101"

type echoInput struct {
	Name      string `json:"name"`
	NextToken string `json:"nextToken"`
}

type echoOutput struct {
	Greeting  string `json:"greeting"`
	Account   string `json:"account"`
	NextToken string `json:"nextToken,omitempty"`
}

// echo greets name; a missing name is InvalidParameterException. It pages:
// the first page carries a token for a second.
func echo(s *Server, c *call) (any, error) {
	var in echoInput
	if err := c.jsonInput(&in); err != nil {
		return nil, err
	}
	if in.Name == "" {
		return nil, badRequest("InvalidParameterException", "name must not be empty")
	}
	tok, err := decodeToken(c.action, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := echoOutput{Greeting: "hello " + in.Name, Account: c.acct.ID}
	if tok.page == 1 {
		out.NextToken = encodeToken(c.action, pageToken{page: 2, after: in.Name})
	}
	return out, nil
}

func newJSONEnv(t *testing.T) *env {
	e := newEnv(t, Options{})
	svcs := maps.Clone(e.s.services)
	svcs["simtest"] = service{
		proto:   awsJSON11{target: testTarget},
		limits:  sharedLimits,
		actions: map[string]action{"Echo": {fn: echo}},
	}
	e.s.services = svcs
	return e
}

// postJSON sends a JSON 1.1 request as the SDK does.
func (e *env) postJSON(t *testing.T, service, target, body string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.url+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", jsonContentType)
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	req.Header.Set("Authorization", authHeader(ProdAccessKey, "us-east-1", service))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, out
}

// jsonErrorCode reads an error body the way the SDK's JSON protocols do.
func jsonErrorCode(t *testing.T, resp *http.Response, body []byte) (code, msg string) {
	t.Helper()
	code, msg, err := restjson.GetErrorInfo(json.NewDecoder(bytes.NewReader(body)))
	if err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	if h := resp.Header.Get("X-Amzn-ErrorType"); h != code {
		t.Errorf("X-Amzn-ErrorType %q, body says %q", h, code)
	}
	return code, msg
}

func TestJSON11Success(t *testing.T) {
	e := newJSONEnv(t)
	resp, body := e.postJSON(t, "simtest", testTarget+".Echo", `{"name":"blue"}`)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != jsonContentType || resp.Header.Get("x-amzn-RequestId") == "" {
		t.Fatalf("%d %v %s", resp.StatusCode, resp.Header, body)
	}
	var out echoOutput
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	if out.Greeting != "hello blue" || out.Account != ProdAccountID || out.NextToken == "" {
		t.Errorf("output %+v", out)
	}
	if n := e.s.Stats()["simtest:Echo"]; n != 1 {
		t.Errorf("calls counted: %d", n)
	}

	// The page token travels in the body; a page-error fault on page 2
	// sees it before the handler runs.
	e.s.Inject(Fault{Kind: FaultPageError, Action: "simtest:Echo", Page: 2})
	resp, body = e.postJSON(t, "simtest", testTarget+".Echo", `{"name":"blue","nextToken":"`+out.NextToken+`"}`)
	if code, _ := jsonErrorCode(t, resp, body); resp.StatusCode != 500 || code != "InternalFailure" {
		t.Errorf("page 2: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.postJSON(t, "simtest", testTarget+".Echo", `{"name":"blue"}`); resp.StatusCode != 200 {
		t.Errorf("page 1 with a page-2 fault: %d %s", resp.StatusCode, body)
	}
}

func TestJSON11Errors(t *testing.T) {
	e := newJSONEnv(t)
	for _, tc := range []struct {
		name, service, target, body string
		status                      int
		code                        string
	}{
		{"handler error", "simtest", testTarget + ".Echo", `{}`, 400, "InvalidParameterException"},
		{"empty body", "simtest", testTarget + ".Echo", ``, 400, "InvalidParameterException"},
		{"wrong type", "simtest", testTarget + ".Echo", `{"name":7}`, 400, "SerializationException"},
		{"not JSON", "simtest", testTarget + ".Echo", `name=blue`, 400, "SerializationException"},
		{"unknown operation", "simtest", testTarget + ".Launch", `{}`, 400, "UnknownOperationException"},
		{"other service's target", "simtest", "AmazonEC2ContainerServiceV20141113.Echo", `{}`, 400, "UnknownOperationException"},
		{"no target", "simtest", "", `{}`, 400, "UnknownOperationException"},
		{"ECS action not simulated", "ecs", "AmazonEC2ContainerServiceV20141113.RunTask", `{}`, 400, "UnknownOperationException"},
	} {
		resp, body := e.postJSON(t, tc.service, tc.target, tc.body)
		code, _ := jsonErrorCode(t, resp, body)
		if resp.StatusCode != tc.status || code != tc.code || resp.Header.Get("Content-Type") != jsonContentType {
			t.Errorf("%s: %d %s %s", tc.name, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}

	// The shared failures in this dialect's words.
	for _, tc := range []struct {
		kind   FaultKind
		status int
		code   string
	}{
		{FaultThrottle, 400, "ThrottlingException"},
		{FaultAccessDenied, 400, "AccessDeniedException"},
		{FaultExpiredToken, 400, "ExpiredTokenException"},
		{FaultInternalError, 500, "InternalFailure"},
	} {
		remove := e.s.Inject(Fault{Kind: tc.kind, Action: "Echo"})
		resp, body := e.postJSON(t, "simtest", testTarget+".Echo", `{"name":"x"}`)
		remove()
		code, msg := jsonErrorCode(t, resp, body)
		if resp.StatusCode != tc.status || code != tc.code || msg == "" {
			t.Errorf("%s: %d %s", tc.kind, resp.StatusCode, body)
		}
	}
	remove := e.s.Inject(Fault{Kind: FaultInternalError, Action: "ecs:ListClusters"})
	defer remove()
	// A copy of the ECS row with one action, so the shared table is left
	// alone.
	ecs := e.s.services["ecs"]
	ecs.actions = map[string]action{"ListClusters": {fn: echo}}
	e.s.services["ecs"] = ecs
	resp, body := e.postJSON(t, "ecs", "AmazonEC2ContainerServiceV20141113.ListClusters", `{}`)
	if code, _ := jsonErrorCode(t, resp, body); code != "ServerException" {
		t.Errorf("ECS internal error: %d %s", resp.StatusCode, body)
	}
}

func TestJSON11UnknownKeyAndThrottle(t *testing.T) {
	e := newJSONEnv(t)
	req, _ := http.NewRequest(http.MethodPost, e.url+"/", strings.NewReader(`{"name":"x"}`))
	req.Header.Set("X-Amz-Target", testTarget+".Echo")
	req.Header.Set("Authorization", authHeader("AKIANOBODY0000000000", "us-east-1", "simtest"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if code, _ := jsonErrorCode(t, resp, body); code != "UnrecognizedClientException" {
		t.Errorf("unknown key: %d %s", resp.StatusCode, body)
	}

	// The token bucket: the shared read bucket holds 40.
	e.s.EnableThrottling(true)
	ok := 0
	for range 60 {
		resp, _ := e.postJSON(t, "simtest", testTarget+".Echo", `{"name":"x"}`)
		if resp.StatusCode == 200 {
			ok++
		}
	}
	if ok < 40 || ok >= 60 {
		t.Errorf("%d of 60 calls in a burst got through, want the bucket (40) and a little refill", ok)
	}
}

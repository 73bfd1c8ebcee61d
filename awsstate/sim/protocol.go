package sim

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// protocol is the wire dialect of a service. The request pipeline in
// server.go knows nothing of forms, XML or JSON: it asks the service's
// protocol to decode the request, to encode the result or the error, and
// for the dialect's own code for the failures every service shares
// (throttling, denial, expired credentials, ...), which differ between
// dialects even for the same condition.
//
// Three dialects are simulated:
//
//	ec2Query   EC2: form request, <ActionResponse> documents in EC2's own
//	           shapes, errors as <Response><Errors><Error>
//	awsQuery   STS, IAM, Auto Scaling: form request, <ActionResponse>
//	           <ActionResult> documents, errors as <ErrorResponse><Error>
//	awsJSON11  ECS: X-Amz-Target names the action, JSON body both ways,
//	           errors as {"__type": ..., "message": ...}
type protocol interface {
	// decode reads the request's action and parameters.
	decode(w http.ResponseWriter, r *http.Request) (request, error)
	// encode writes a successful result document.
	encode(w http.ResponseWriter, c *call, result any)
	// encodeError writes an error in the dialect's envelope.
	encodeError(w http.ResponseWriter, c *call, e *apiError)

	// throttled is the answer to a call over the rate limit.
	throttled() *apiError
	// accessDenied names the caller and the permission it lacks.
	accessDenied(userARN, permission string) *apiError
	// expiredToken is the answer to expired temporary credentials.
	expiredToken() *apiError
	// internal is a server-side failure.
	internal() *apiError
	// unknownKey is the answer to an access key AWS never issued.
	unknownKey() *apiError
	// badScope is the answer to a credential scope AWS cannot use.
	badScope(msg string) *apiError
	// missingAction and unknownAction answer a request that names no
	// action, or one the service does not have.
	missingAction() *apiError
	unknownAction(action string) *apiError
}

// request is a decoded API request. Query protocols fill form; JSON
// protocols fill body and leave form empty, so a query handler reading a
// parameter of a JSON call sees it absent rather than crashing.
type request struct {
	action string
	form   params
	body   []byte
	// token is the page token the request carries ("" for the first page),
	// read here because fault matching needs it before any handler runs.
	token string
}

// maxBody bounds a request body; the largest real request (1000 instance
// IDs) is far below it.
const maxBody = 1 << 20

// readBody reads the request body through a MaxBytesReader without
// installing it as r.Body: net/http can then see that the body was read to
// the end and keep the connection alive. (With r.Body replaced by a type it
// does not know, the server cannot tell, closes the connection after every
// response, and the SDK, which stops reading at the end of the document,
// races the close.)
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	return io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
}

// formDecoder is the request side of both query dialects: the query
// parameters of the URL and the form-encoded body together, as the query
// protocol allows either.
type formDecoder struct{}

func (formDecoder) decode(w http.ResponseWriter, r *http.Request) (request, error) {
	form := r.URL.Query()
	body, err := readBody(w, r)
	if err != nil {
		return request{}, badRequest("MalformedQueryString", "The request could not be parsed: %v", err)
	}
	posted, err := url.ParseQuery(string(body))
	if err != nil {
		return request{}, badRequest("MalformedQueryString", "The request could not be parsed: %v", err)
	}
	for k, v := range posted {
		form[k] = append(form[k], v...)
	}
	p := params(form)
	return request{action: p.str("Action"), form: p, token: p.str("NextToken")}, nil
}

// writeXML sends a response body. encoding/xml escapes what XML 1.0 cannot
// carry: characters outside XML's Char production (ESC, most C0 controls)
// become U+FFFD, so a hostile tag can never make the document unreadable.
// C1 controls, bidi overrides and zero-width characters are legal XML and go
// through unchanged, exactly as they would from AWS.
func writeXML(w http.ResponseWriter, status int, requestID string, v any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		// Only a programming error in a response type gets here.
		http.Error(w, "sim: cannot encode response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/xml;charset=UTF-8")
	h.Set("x-amzn-RequestId", requestID)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ec2Query is EC2's dialect. Errors are <Response><Errors><Error><Code/>
// <Message/></Error></Errors><RequestID/></Response>, read by the SDK's
// aws/protocol/ec2query.GetErrorResponseComponents.
type ec2Query struct{ formDecoder }

func (ec2Query) encode(w http.ResponseWriter, c *call, v any) {
	writeXML(w, http.StatusOK, c.requestID, v)
}

func (ec2Query) encodeError(w http.ResponseWriter, c *call, e *apiError) {
	writeXML(w, e.status, c.requestID, ec2Errors{
		Errors:    []ec2Err{{Code: e.code, Message: e.message}},
		RequestID: c.requestID,
	})
}

// ec2Listing is the document of the EC2 actions that answer with one list:
// <ActionResponse xmlns><requestId/><LIST><item/>...</LIST><nextToken/>
// </ActionResponse>. LIST is the action's own element (reservationSet,
// imagesSet, securityGroupInfo, ...: the SDK's ec2query deserializers) and
// is written even when empty, as EC2 does; nextToken only while more
// pages remain.
type ec2Listing[T any] struct {
	action, requestID, list string
	Items                   set[T]
	NextToken               string
}

// newListing is an empty listing for the call under the element list.
func newListing[T any](c *call, list string) *ec2Listing[T] {
	return &ec2Listing[T]{action: c.action, requestID: c.requestID, list: list, Items: set[T]{}}
}

func (l *ec2Listing[T]) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	start := xml.StartElement{
		Name: xml.Name{Local: l.action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: ec2NS}},
	}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeElement(l.requestID, xml.StartElement{Name: xml.Name{Local: "requestId"}}); err != nil {
		return err
	}
	if err := e.EncodeElement(l.Items, xml.StartElement{Name: xml.Name{Local: l.list}}); err != nil {
		return err
	}
	if l.NextToken != "" {
		if err := e.EncodeElement(l.NextToken, xml.StartElement{Name: xml.Name{Local: "nextToken"}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// throttled: EC2 documents RequestLimitExceeded with HTTP 503 ("Request
// throttling for the Amazon EC2 API").
func (ec2Query) throttled() *apiError {
	return newError(http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded.")
}

func (ec2Query) accessDenied(user, perm string) *apiError {
	return newError(http.StatusForbidden, "UnauthorizedOperation",
		"You are not authorized to perform this operation. User: %s is not authorized to perform: %s because no identity-based policy allows the %s action",
		user, perm, perm)
}

// expiredToken: EC2 reports expired temporary credentials as
// RequestExpired, not ExpiredToken (see FaultKind).
func (ec2Query) expiredToken() *apiError {
	return badRequest("RequestExpired", "Request has expired.")
}

func (ec2Query) internal() *apiError {
	return newError(http.StatusInternalServerError, "InternalError", "An internal error has occurred")
}

func (q ec2Query) unknownKey() *apiError {
	return q.badScope("AWS was not able to validate the provided access credentials")
}

func (ec2Query) badScope(msg string) *apiError {
	return newError(http.StatusUnauthorized, "AuthFailure", "%s", msg)
}

func (ec2Query) missingAction() *apiError {
	return badRequest("MissingAction", "The request must contain the parameter Action")
}

func (ec2Query) unknownAction(action string) *apiError {
	return badRequest("InvalidAction", "The action %s is not valid for this web service.", action)
}

// awsQuery is the dialect of the other query services (STS, IAM, Auto
// Scaling). Results are <ActionResponse xmlns><ActionResult>...
// </ActionResult><ResponseMetadata><RequestId/></ResponseMetadata>
// </ActionResponse>: the handlers return only what goes inside
// <ActionResult>, and encode wraps it (queryDocument). Errors are
// <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>
// </ErrorResponse>, read by the SDK's aws/protocol/xml.GetErrorResponseComponents
// (wrapped form).
type awsQuery struct{ formDecoder }

func (awsQuery) encode(w http.ResponseWriter, c *call, v any) {
	writeXML(w, http.StatusOK, c.requestID, queryDocument{action: c.action, ns: c.ns, requestID: c.requestID, result: v})
}

// queryDocument is an awsQuery success document. result is written as
// <ActionResult>; nil writes none, as AWS answers the actions that return
// nothing but request metadata (SetDesiredCapacity, SuspendProcesses, ...:
// <SetDesiredCapacityResponse><ResponseMetadata>...).
type queryDocument struct {
	action, ns, requestID string
	result                any
}

func (d queryDocument) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	start := xml.StartElement{
		Name: xml.Name{Local: d.action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: d.ns}},
	}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if d.result != nil {
		if err := e.EncodeElement(d.result, xml.StartElement{Name: xml.Name{Local: d.action + "Result"}}); err != nil {
			return err
		}
	}
	meta := responseMetadata{RequestID: d.requestID}
	if err := e.EncodeElement(meta, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}}); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

func (awsQuery) encodeError(w http.ResponseWriter, c *call, e *apiError) {
	typ := "Sender"
	if e.status >= 500 {
		typ = "Receiver"
	}
	writeXML(w, e.status, c.requestID, queryErrors{
		Xmlns:     c.ns,
		Error:     queryErr{Type: typ, Code: e.code, Message: e.message},
		RequestID: c.requestID,
	})
}

// throttled: the query services answer Throttling, "Rate exceeded", with
// HTTP 400 (Auto Scaling lists Throttling among its common errors).
func (awsQuery) throttled() *apiError { return badRequest("Throttling", "Rate exceeded") }

func (awsQuery) accessDenied(user, perm string) *apiError {
	return newError(http.StatusForbidden, "AccessDenied",
		"User: %s is not authorized to perform: %s on resource: * because no identity-based policy allows the %s action",
		user, perm, perm)
}

func (awsQuery) expiredToken() *apiError {
	return newError(http.StatusForbidden, "ExpiredToken", "The security token included in the request is expired")
}

func (awsQuery) internal() *apiError {
	return newError(http.StatusInternalServerError, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.")
}

func (awsQuery) unknownKey() *apiError {
	return newError(http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
}

func (awsQuery) badScope(msg string) *apiError {
	return newError(http.StatusForbidden, "SignatureDoesNotMatch", "%s", msg)
}

func (awsQuery) missingAction() *apiError {
	return badRequest("MissingAction", "The request must contain the parameter Action")
}

func (awsQuery) unknownAction(action string) *apiError {
	return badRequest("InvalidAction", "The action %s is not valid for this web service.", action)
}

// awsJSON11 is the JSON 1.1 dialect (ECS): POST / with X-Amz-Target:
// Prefix.Action and a JSON body, answered with a JSON body of type
// application/x-amz-json-1.1. Errors are {"__type": "Code", "message":
// "..."} with the code also in X-Amzn-ErrorType; the SDK's
// aws/protocol/restjson.GetErrorInfo reads either, and strips a
// "namespace#" prefix, which the sim does not send.
type awsJSON11 struct {
	// target is the X-Amz-Target prefix: AmazonEC2ContainerServiceV20141113
	// for ECS.
	target string
	// internalCode is the service's own name for a server-side failure
	// (ECS: ServerException).
	internalCode string
}

const jsonContentType = "application/x-amz-json-1.1"

func (p awsJSON11) decode(w http.ResponseWriter, r *http.Request) (request, error) {
	body, err := readBody(w, r)
	if err != nil {
		return request{}, badRequest("SerializationException", "The request body could not be read: %v", err)
	}
	var req request
	target := r.Header.Get("X-Amz-Target")
	if prefix, action, ok := strings.Cut(target, "."); ok && prefix == p.target {
		req.action = action
	} else if target != "" {
		// A target for another service or version is an action this one
		// does not have.
		req.action = target
	}
	req.body = body
	if len(bytes.TrimSpace(body)) == 0 {
		// The SDK sends "{}" for an empty input; curl may send nothing.
		req.body = []byte("{}")
	}
	var probe struct {
		NextToken string `json:"nextToken"`
	}
	if err := json.Unmarshal(req.body, &probe); err != nil {
		return req, badRequest("SerializationException", "Start of structure or map found where not expected: %v", err)
	}
	req.token = probe.NextToken
	return req, nil
}

func (p awsJSON11) encode(w http.ResponseWriter, c *call, v any) {
	writeJSONDoc(w, http.StatusOK, c.requestID, v)
}

func (p awsJSON11) encodeError(w http.ResponseWriter, c *call, e *apiError) {
	w.Header().Set("X-Amzn-ErrorType", e.code)
	writeJSONDoc(w, e.status, c.requestID, jsonError{Type: e.code, Message: e.message})
}

// jsonError is the JSON 1.1 error body.
type jsonError struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

// writeJSONDoc sends a JSON 1.1 body. encoding/json escapes every control
// character as \u00XX, so hostile text arrives intact and well formed, as
// it would from AWS; unlike XML, JSON can carry ESC itself.
func writeJSONDoc(w http.ResponseWriter, status int, requestID string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "sim: cannot encode response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("x-amzn-RequestId", requestID)
	w.WriteHeader(status)
	w.Write(body)
}

// throttled: JSON services answer ThrottlingException, "Rate exceeded",
// HTTP 400 (ECS lists it among its common errors).
func (awsJSON11) throttled() *apiError {
	return badRequest("ThrottlingException", "Rate exceeded")
}

func (awsJSON11) accessDenied(user, perm string) *apiError {
	return badRequest("AccessDeniedException",
		"User: %s is not authorized to perform: %s on resource: * because no identity-based policy allows the %s action",
		user, perm, perm)
}

func (awsJSON11) expiredToken() *apiError {
	return badRequest("ExpiredTokenException", "The security token included in the request is expired")
}

func (p awsJSON11) internal() *apiError {
	code := p.internalCode
	if code == "" {
		code = "InternalFailure"
	}
	return newError(http.StatusInternalServerError, code, "The request processing has failed because of an unknown error, exception or failure.")
}

func (awsJSON11) unknownKey() *apiError {
	return badRequest("UnrecognizedClientException", "The security token included in the request is invalid.")
}

func (awsJSON11) badScope(msg string) *apiError {
	return badRequest("InvalidSignatureException", "%s", msg)
}

func (awsJSON11) missingAction() *apiError {
	return badRequest("UnknownOperationException", "")
}

func (awsJSON11) unknownAction(string) *apiError {
	return badRequest("UnknownOperationException", "")
}

// jsonInput decodes a JSON 1.1 call's body into v. A value of the wrong
// type is SerializationException, as AWS answers; unknown fields are
// ignored, as AWS does for fields a newer SDK may send.
func (c *call) jsonInput(v any) error {
	if err := json.Unmarshal(c.body, v); err != nil {
		return badRequest("SerializationException", "%v", err)
	}
	return nil
}

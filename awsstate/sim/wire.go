package sim

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
)

// XML namespaces of the simulated APIs, as AWS sends them on every
// response root.
const (
	ec2NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
	stsNS = "https://sts.amazonaws.com/doc/2011-06-15/"
	iamNS = "https://iam.amazonaws.com/doc/2010-05-08/"
)

// protocol is the wire dialect of a service. EC2 and the other query
// services share the request encoding but differ in their error envelope.
type protocol int

const (
	// protoEC2 errors: <Response><Errors><Error><Code/><Message/></Error>
	// </Errors><RequestID/></Response>, read by the SDK's
	// aws/protocol/ec2query.GetErrorResponseComponents.
	protoEC2 protocol = iota
	// protoQuery errors: <ErrorResponse><Error><Type/><Code/><Message/>
	// </Error><RequestId/></ErrorResponse>, read by aws/protocol/xml
	// GetErrorResponseComponents (wrapped form) for STS and IAM.
	protoQuery
)

// apiError is an error as an AWS service reports it: an HTTP status, a code
// the SDK surfaces as smithy.APIError.ErrorCode(), and a message.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func newError(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// badRequest is the common case: a client error with HTTP 400.
func badRequest(code, format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, code, format, args...)
}

// errInvalidParameterValue and friends are the EC2 validation errors listed
// in "Error codes for the Amazon EC2 API" (common client errors):
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
func errInvalidParameterValue(format string, args ...any) *apiError {
	return badRequest("InvalidParameterValue", format, args...)
}

func errMissingParameter(name string) *apiError {
	return badRequest("MissingParameter", "The request must contain the parameter %s", name)
}

// ec2Errors is the envelope of an EC2 error response.
type ec2Errors struct {
	XMLName   xml.Name `xml:"Response"`
	Errors    []ec2Err `xml:"Errors>Error"`
	RequestID string   `xml:"RequestID"`
}

type ec2Err struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// queryErrors is the envelope of an STS or IAM error response.
type queryErrors struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr,omitempty"`
	Error     queryErr `xml:"Error"`
	RequestID string   `xml:"RequestId"`
}

type queryErr struct {
	Type    string `xml:"Type"` // Sender for 4xx, Receiver for 5xx
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// responseMetadata closes every STS and IAM success response.
type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

// set is an EC2 list: each element wrapped in <item>. Unlike a plain
// `xml:"fooSet>item"` tag it writes the wrapper even when empty
// (<reservationSet/>), as EC2 does.
type set[T any] []T

func (s set[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return marshalList(e, start, "item", s)
}

// members is an STS/IAM list: each element wrapped in <member>.
type members[T any] []T

func (m members[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return marshalList(e, start, "member", m)
}

func marshalList[T any](e *xml.Encoder, start xml.StartElement, elem string, items []T) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for i := range items {
		if err := e.EncodeElement(items[i], xml.StartElement{Name: xml.Name{Local: elem}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
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

// writeError sends err in the protocol's error envelope. Errors that are
// not apiErrors are the sim's own bugs and go out as InternalError.
func writeError(w http.ResponseWriter, p protocol, ns, requestID string, err error) {
	e, ok := err.(*apiError)
	if !ok {
		e = newError(http.StatusInternalServerError, "InternalError", "sim: %v", err)
	}
	if p == protoEC2 {
		writeXML(w, e.status, requestID, ec2Errors{
			Errors:    []ec2Err{{Code: e.code, Message: e.message}},
			RequestID: requestID,
		})
		return
	}
	typ := "Sender"
	if e.status >= 500 {
		typ = "Receiver"
	}
	writeXML(w, e.status, requestID, queryErrors{
		Xmlns:     ns,
		Error:     queryErr{Type: typ, Code: e.code, Message: e.message},
		RequestID: requestID,
	})
}

package sim

import (
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
	asNS  = "http://autoscaling.amazonaws.com/doc/2011-01-01/"
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

// responseMetadata closes every awsQuery success document (queryDocument).
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

package sim

import (
	"io"
	"net/http"
)

// HTTPClient returns an HTTP client for SDK clients that talk to the sim
// (assign it to aws.Config.HTTPClient). It differs from the SDK's default
// client in one way: request bodies reach net/http without an io.WriterTo
// method.
//
// Why: the SDK wraps every request body in a "safe" reader whose WriteTo
// returns io.EOF once the SDK has closed it, and the SDK closes it as soon
// as the response arrives (smithy-go transport/http/internal/io/safe.go,
// ClientHandler.Handle). net/http, after sending a body of known length,
// copies whatever is left of it to io.Discard to check for extra bytes
// (transferWriter.writeBody); io.Copy prefers WriteTo, gets io.EOF as an
// error, and the transport closes the connection, under the response the
// SDK is still reading. The SDK then retries a call that had succeeded.
// Against AWS the response never beats the transport's own bookkeeping;
// against an in-process server on a busy machine it does, often enough to
// make call counts flaky. Without WriteTo, io.Copy reads, and a closed
// body's read returns io.EOF, which io.Copy treats as the end it is.
func HTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64 // a refresh runs its sections in parallel
	return &http.Client{Transport: hideWriteTo{t}}
}

type hideWriteTo struct{ next http.RoundTripper }

func (h hideWriteTo) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		r2 := *r
		r2.Body = readCloser{r.Body}
		r = &r2
	}
	return h.next.RoundTrip(r)
}

// readCloser exposes only Read and Close of the body it wraps.
type readCloser struct{ rc io.ReadCloser }

func (b readCloser) Read(p []byte) (int, error) { return b.rc.Read(p) }
func (b readCloser) Close() error               { return b.rc.Close() }

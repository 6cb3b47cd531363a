package authchain

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Signed fetch (ADR-44): a request carries its auth chain in headers
// x-identity-auth-chain-0..N, a timestamp in x-identity-timestamp (ms) and
// metadata in x-identity-metadata. The last link signs
// [method, path, timestamp, metadata].join(":"), lower-cased.
const (
	HeaderChainPrefix = "X-Identity-Auth-Chain-"
	HeaderTimestamp   = "X-Identity-Timestamp"
	HeaderMetadata    = "X-Identity-Metadata"

	// SignedFetchTTL is how long after its timestamp a signed request is accepted.
	SignedFetchTTL = time.Minute
)

// SignedRequest is what a verified signed fetch proves.
type SignedRequest struct {
	Signer   string          // lower-cased wallet address
	Metadata json.RawMessage // the parsed x-identity-metadata ({} when empty)
	Chain    Chain
}

// SignedFetchPayload is the string the last link of a signed fetch signs.
func SignedFetchPayload(method, path string, timestamp int64, metadata string) string {
	return strings.ToLower(strings.Join([]string{method, path, strconv.FormatInt(timestamp, 10), metadata}, ":"))
}

// VerifyRequest checks a signed fetch: method and path are the request's
// (path without query), now the time to check the timestamp and the
// ephemeral expiration against.
func (v Verifier) VerifyRequest(ctx context.Context, method, path string, h http.Header, now time.Time) (SignedRequest, error) {
	var chain Chain
	for i := 0; i <= MaxLinks; i++ {
		raw := h.Get(HeaderChainPrefix + strconv.Itoa(i))
		if raw == "" {
			break
		}
		var l Link
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			return SignedRequest{}, fmt.Errorf("signed fetch: header %s%d is not a JSON auth link", HeaderChainPrefix, i)
		}
		chain = append(chain, l)
	}
	if len(chain) == 0 {
		return SignedRequest{}, fmt.Errorf("signed fetch: missing %s0 headers: this request must be signed", HeaderChainPrefix)
	}
	tsRaw := h.Get(HeaderTimestamp)
	ts, err := strconv.ParseInt(tsRaw, 10, 64)
	if err != nil {
		return SignedRequest{}, fmt.Errorf("signed fetch: %s %q is not a number of milliseconds", HeaderTimestamp, tsRaw)
	}
	if time.UnixMilli(ts).Add(SignedFetchTTL).Before(now) {
		return SignedRequest{}, fmt.Errorf("signed fetch: the signature expired (timestamp %d is more than %s old)", ts, SignedFetchTTL)
	}
	meta := h.Get(HeaderMetadata)
	parsed := json.RawMessage("{}")
	if meta != "" {
		if !json.Valid([]byte(meta)) {
			return SignedRequest{}, fmt.Errorf("signed fetch: %s is not JSON", HeaderMetadata)
		}
		parsed = json.RawMessage(meta)
	}
	signer, err := v.Verify(ctx, chain, SignedFetchPayload(method, path, ts, meta), now)
	if err != nil {
		return SignedRequest{}, fmt.Errorf("signed fetch: %w", err)
	}
	return SignedRequest{Signer: signer, Metadata: parsed, Chain: chain}, nil
}

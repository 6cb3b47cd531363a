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
	// MaxClockSkew is how far ahead of the verifier's clock a timestamp
	// may be (a later one would stay valid for as long as it is ahead).
	MaxClockSkew = time.Minute
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
	return v.VerifyRequestWith(ctx, method, path, h, now, RequestRules{})
}

// RequestRules tune a signed-fetch check to a service's own.
type RequestRules struct {
	// TTL is how old the signature may be (0: SignedFetchTTL).
	TTL time.Duration
	// MetadataCaseKept also accepts a payload whose metadata kept its case
	// (@dcl/crypto-middleware 6.x signs it so; older clients lower-case the
	// whole payload).
	MetadataCaseKept bool
}

// VerifyRequestWith is VerifyRequest under rules.
func (v Verifier) VerifyRequestWith(ctx context.Context, method, path string, h http.Header, now time.Time, rules RequestRules) (SignedRequest, error) {
	ttl := rules.TTL
	if ttl <= 0 {
		ttl = SignedFetchTTL
	}
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
	if time.UnixMilli(ts).Add(ttl).Before(now) {
		return SignedRequest{}, fmt.Errorf("signed fetch: the signature expired (timestamp %d is more than %s old)", ts, ttl)
	}
	if time.UnixMilli(ts).After(now.Add(MaxClockSkew)) {
		return SignedRequest{}, fmt.Errorf("signed fetch: timestamp %d is in the future (more than %s ahead)", ts, MaxClockSkew)
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
	if err != nil && rules.MetadataCaseKept && meta != strings.ToLower(meta) {
		kept := SignedFetchPayload(method, path, ts, "") + meta
		if s, err2 := v.Verify(ctx, chain, kept, now); err2 == nil {
			signer, err = s, nil
		}
	}
	if err != nil {
		return SignedRequest{}, fmt.Errorf("signed fetch: %w", err)
	}
	return SignedRequest{Signer: signer, Metadata: parsed, Chain: chain}, nil
}

// Package rtc is the node's WebRTC transport for islands and scene rooms:
// an SFU on pion that speaks the LiveKit client protocol, so explorers and
// livekit-client join it as they would a LiveKit server. This file issues
// and checks the room tokens.
package rtc

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/livekit/protocol/auth"

	"github.com/p2pcatalyst/catalyst/services/httpx"
)

// TokenTTL is how long a room token is valid.
const TokenTTL = 5 * time.Minute

// Keys are the API key and secret tokens are signed with (HS256).
type Keys struct {
	APIKey string
	Secret string
}

// LoadKeys reads the key pair from path, creating it on first use.
func LoadKeys(path string) (Keys, error) {
	if raw, err := os.ReadFile(path); err == nil {
		key, secret, ok := strings.Cut(strings.TrimSpace(string(raw)), ":")
		if !ok || key == "" || len(secret) < 32 {
			return Keys{}, fmt.Errorf("rtc: %s is not key:secret", path)
		}
		return Keys{key, secret}, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return Keys{}, fmt.Errorf("rtc: keys: %w", err)
	}
	b := make([]byte, 40)
	rand.Read(b)
	k := Keys{APIKey: "API" + hex.EncodeToString(b[:8]), Secret: hex.EncodeToString(b[8:])}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Keys{}, err
	}
	if err := os.WriteFile(path, []byte(k.APIKey+":"+k.Secret+"\n"), 0o600); err != nil {
		return Keys{}, fmt.Errorf("rtc: write keys: %w", err)
	}
	return k, nil
}

// Token issues a token for identity (a lower-cased wallet address) to join
// room with every permission a participant of an island needs.
func (k Keys) Token(identity, room string) (string, error) {
	t := auth.NewAccessToken(k.APIKey, k.Secret).
		SetIdentity(strings.ToLower(identity)).
		SetValidFor(TokenTTL).
		SetVideoGrant(&auth.VideoGrant{
			RoomJoin:       true,
			Room:           room,
			CanPublish:     ptr(true),
			CanSubscribe:   ptr(true),
			CanPublishData: ptr(true),
		})
	return t.ToJWT()
}

// Verify checks a token and returns its claims.
func (k Keys) Verify(token string) (*auth.ClaimGrants, error) {
	v, err := auth.ParseAPIToken(token)
	if err != nil {
		return nil, fmt.Errorf("rtc: token: %w", err)
	}
	if v.APIKey() != k.APIKey {
		return nil, errors.New("rtc: token of another key")
	}
	_, grants, err := v.Verify(k.Secret)
	if err != nil {
		return nil, fmt.Errorf("rtc: token: %w", err)
	}
	if grants.Video == nil || !grants.Video.RoomJoin || grants.Video.Room == "" {
		return nil, errors.New("rtc: the token grants no room")
	}
	return grants, nil
}

func ptr[T any](v T) *T { return &v }

// ConnStr is the connection string explorers join room with: the LiveKit
// adapter with the SFU's base URL (clients append /rtc) and a token.
func (k Keys) ConnStr(base, identity, room string) (string, error) {
	token, err := k.Token(identity, room)
	if err != nil {
		return "", err
	}
	return "livekit:" + base + "?access_token=" + token, nil
}

// WSBase is the ws(s) base URL of the node: the public URL when one is
// configured, otherwise the one the request reached the node at.
func WSBase(r *http.Request, publicURL string) string {
	return WSURL(httpx.BaseURL(r, publicURL))
}

// WSURL turns an http(s) base URL into the ws(s) one.
func WSURL(base string) string {
	if rest, ok := strings.CutPrefix(base, "https://"); ok {
		return "wss://" + strings.TrimSuffix(rest, "/")
	}
	return "ws://" + strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")
}

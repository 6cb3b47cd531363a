package rtc

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestTokens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	k, err := LoadKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	again, err := LoadKeys(path)
	if err != nil || again != k {
		t.Fatal("keys are not kept across restarts")
	}
	tok, err := k.Token("0xABC", "island-I1")
	if err != nil {
		t.Fatal(err)
	}
	g, err := k.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	v := g.Video
	if g.Identity != "0xabc" || v.Room != "island-I1" || !v.RoomJoin || !*v.CanPublish || !*v.CanSubscribe || !*v.CanPublishData {
		t.Fatalf("claims %+v %+v", g, v)
	}
	other, _ := LoadKeys(filepath.Join(t.TempDir(), "other"))
	if _, err := other.Verify(tok); err == nil {
		t.Fatal("a token of another key verified")
	}
	if _, err := k.Verify(tok[:len(tok)-2] + "xx"); err == nil {
		t.Fatal("a tampered token verified")
	}
	expired, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": k.APIKey, "sub": "0xabc", "exp": time.Now().Add(-2 * time.Minute).Unix(),
		"video": map[string]any{"roomJoin": true, "room": "r"},
	}).SignedString([]byte(k.Secret))
	if _, err := k.Verify(expired); err == nil || !strings.Contains(err.Error(), "token") {
		t.Fatalf("expired token: %v", err)
	}
}

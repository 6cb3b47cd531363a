package realms

import (
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

func key(t *testing.T) (crypto.PrivKey, string) {
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := peer.IDFromPrivateKey(k)
	return k, id.String()
}

func sign(t *testing.T, k crypto.PrivKey, rec Record) []byte {
	raw, _ := json.Marshal(rec)
	sig, _ := k.Sign(raw)
	msg, _ := json.Marshal(signed{Record: raw, Signature: sig})
	return msg
}

func TestVerify(t *testing.T) {
	now := time.Now()
	k, id := key(t)
	other, _ := key(t)
	good := Record{PeerID: id, ServerName: "a", URL: "https://a.example", UsersCount: 2, UserParcels: [][2]int{{1, 2}, {1, 2}}, Timestamp: now.UnixMilli()}
	if rec, err := Verify(sign(t, k, good), now); err != nil || rec.UsersCount != 2 || rec.PeerID != id {
		t.Fatalf("a good record: %+v %v", rec, err)
	}
	mutate := func(f func(*Record)) Record {
		r := good
		r.UserParcels = append([][2]int{}, good.UserParcels...)
		f(&r)
		return r
	}
	for name, c := range map[string]struct {
		msg   []byte
		stale bool
	}{
		"signed by another key": {msg: sign(t, other, good)},
		"old":                   {msg: sign(t, k, mutate(func(r *Record) { r.Timestamp = now.Add(-time.Minute).UnixMilli() })), stale: true},
		"from the future":       {msg: sign(t, k, mutate(func(r *Record) { r.Timestamp = now.Add(time.Minute).UnixMilli() })), stale: true},
		"too many users":        {msg: sign(t, k, mutate(func(r *Record) { r.UsersCount = MaxUsers + 1 }))},
		"negative users":        {msg: sign(t, k, mutate(func(r *Record) { r.UsersCount = -1 }))},
		"parcel off the map":    {msg: sign(t, k, mutate(func(r *Record) { r.UserParcels[0] = [2]int{1000, 0} }))},
		"a url that is not":     {msg: sign(t, k, mutate(func(r *Record) { r.URL = "javascript:alert(1)" }))},
		"a long name":           {msg: sign(t, k, mutate(func(r *Record) { r.ServerName = strings.Repeat("n", 65) }))},
		"too many parcels":      {msg: sign(t, k, mutate(func(r *Record) { r.UserParcels = make([][2]int, MaxUserParcels+1) }))},
		"not json":              {msg: []byte("{")},
		"no peer id":            {msg: sign(t, k, mutate(func(r *Record) { r.PeerID = "nope" }))},
		"oversized":             {msg: append(sign(t, k, good), make([]byte, MaxRecordBytes)...)},
	} {
		_, err := Verify(c.msg, now)
		if err == nil || (c.stale != (err == errStale)) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A record altered after signing.
	var sm signed
	json.Unmarshal(sign(t, k, good), &sm)
	sm.Record = json.RawMessage(strings.Replace(string(sm.Record), `"usersCount":2`, `"usersCount":9`, 1))
	tampered, _ := json.Marshal(sm)
	if _, err := Verify(tampered, now); err == nil {
		t.Fatal("a tampered record passed")
	}
}

package deploy

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// Precheck holds the sizes a peer declares to what the entity can need,
// for entities of every date: a size for every referenced hash and none
// other, each within 0..MaxFileBytes, all within MaxTotalBytes.
func TestPrecheckDeclaredSizes(t *testing.T) {
	p, s := newPipeline(t)
	id := entitytest.NewIdentity()
	files := map[string][]byte{"a.txt": []byte("a"), "b.txt": []byte("bb")}
	for _, ts := range []time.Time{time.Now(), time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)} {
		d := entitytest.Scene(id, ts, []string{"1,1"}, files)
		var ha, hb string
		for h, b := range d.Files {
			if len(b) == 1 {
				ha = h
			} else {
				hb = h
			}
		}
		cases := []struct {
			name  string
			sizes map[string]int64
			want  string
		}{
			{"honest", map[string]int64{ha: 1, hb: 2}, ""},
			{"negative", map[string]int64{ha: -1, hb: 2}, "is not within 0.."},
			{"negative beside huge", map[string]int64{ha: -50 << 30, hb: 50 << 30}, "is not within 0.."},
			{"over a file's bound", map[string]int64{ha: MaxFileBytes + 1, hb: 2}, "is not within 0.."},
			{"missing", map[string]int64{ha: 1}, "is not declared"},
			{"unreferenced", map[string]int64{ha: 1, hb: 2, "bafkreiextra": 5}, "which the entity does not reference"},
		}
		for _, tc := range cases {
			t.Run(ts.Format("2006")+"/"+tc.name, func(t *testing.T) {
				_, err := p.Precheck(context.Background(), d.ID, d.File, d.AuthChain, tc.sizes)
				if tc.want == "" {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				var ve *entity.Error
				if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err = %v, want a rejection saying %q", err, tc.want)
				}
			})
		}
	}
	// The sum of the files is bounded too: 30 files of 100 MB.
	many := map[string][]byte{}
	for i := range 30 {
		many[string(rune('a'+i))+".bin"] = []byte{byte(i)}
	}
	d := entitytest.Scene(id, time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC), []string{"2,2"}, many)
	sizes := map[string]int64{}
	for h := range d.Files {
		sizes[h] = MaxFileBytes
	}
	if _, err := p.Precheck(context.Background(), d.ID, d.File, d.AuthChain, sizes); err == nil || !strings.Contains(err.Error(), "sum to") {
		t.Fatalf("30 × 100 MB declared: %v", err)
	}
	if s.LastSeq() != 0 {
		t.Fatal("Precheck stored something")
	}
}

// Bytes that do not hash to the id are a rejection that says so, so that
// a caller blames the messenger and not the entity.
func TestPrecheckNotTheEntity(t *testing.T) {
	p, _ := newPipeline(t)
	id := entitytest.NewIdentity()
	d := entitytest.Profile(id, time.Now(), "a")
	other := entitytest.Profile(id, time.Now(), "b")
	_, err := p.Precheck(context.Background(), d.ID, other.File, d.AuthChain, map[string]int64{})
	var ve *entity.Error
	if !errors.Is(err, ErrNotTheEntity) || errors.Is(err, ErrInvalidEntity) || !errors.As(err, &ve) {
		t.Fatalf("err = %v: want a rejection that is ErrNotTheEntity", err)
	}
	// A forged chain is about the messenger: neither marker.
	_, err = p.Precheck(context.Background(), d.ID, d.File, entitytest.NewIdentity().Chain(d.ID), map[string]int64{})
	if err == nil || errors.Is(err, ErrNotTheEntity) || errors.Is(err, ErrInvalidEntity) {
		t.Fatalf("a forged signature: %v", err)
	}
	// An entity that breaks its schema is invalid whoever sends it.
	bad := entitytest.Build(id, entity.Profile, []string{id.Address}, time.Now(), map[string]any{"avatars": "no"}, nil)
	if _, err := p.Precheck(context.Background(), bad.ID, bad.File, bad.AuthChain, map[string]int64{}); !errors.Is(err, ErrInvalidEntity) || !errors.As(err, &ve) {
		t.Fatalf("a profile against its schema: %v", err)
	}
	if _, err := p.Precheck(context.Background(), d.ID, d.File, d.AuthChain, map[string]int64{}); err != nil {
		t.Fatal(err)
	}
	// Passing once (and being remembered) lets no other chain through.
	if _, err := p.Precheck(context.Background(), d.ID, d.File, entitytest.NewIdentity().Chain(d.ID), map[string]int64{}); err == nil {
		t.Fatal("a forged chain passed after the real one")
	}
}

// An entity file past MaxEntityBytes is refused before it is hashed.
func TestEntityFileBound(t *testing.T) {
	p, _ := newPipeline(t)
	big := make([]byte, MaxEntityBytes+1)
	_, err := p.Precheck(context.Background(), "bafkreiwhatever", big, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "maximum allowed") {
		t.Fatalf("err = %v", err)
	}
}

// A contract wallet whose RPC cannot be asked is not a rejection: the
// deployment may be retried; a chain that fails on its own is one.
func TestVerifierFailureIsNotARejection(t *testing.T) {
	p, _ := newPipeline(t)
	p.cfg.Verifier.Contracts = downRPC{}
	id := entitytest.NewIdentity()
	d := entitytest.Profile(id, time.Now(), "a")
	chain := d.AuthChain
	chain[1].Type = "ECDSA_EIP_1654_EPHEMERAL"
	_, err := p.Precheck(context.Background(), d.ID, d.File, chain, map[string]int64{})
	var ve *entity.Error
	if err == nil || errors.As(err, &ve) || !errors.Is(err, errDown) {
		t.Fatalf("err = %v: want the RPC's error, not a rejection", err)
	}
}

var errDown = errors.New("rpc down")

type downRPC struct{}

func (downRPC) IsValidSignature(context.Context, common.Address, string, []byte) (bool, error) {
	return false, errDown
}

package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// verifiedCache remembers chains that verified for an entity, so a
// deployment checked at the trust boundary (Precheck) is not verified a
// second time when it is applied. Only successes are kept; the key is the
// entity id with a hash of the whole chain, so another chain for the same
// entity is verified on its own.
const verifiedCache = 16384

type verifiedKey struct {
	id    string
	chain [32]byte
}

func newVerified() *lru.Cache[verifiedKey, string] {
	c, err := lru.New[verifiedKey, string](verifiedCache)
	if err != nil {
		panic(err) // only for a size ≤ 0
	}
	return c
}

// verify checks the entity's chain at the entity's timestamp and returns
// the signer.
func (p *Pipeline) verify(ctx context.Context, chain authchain.Chain, e *entity.Entity) (string, error) {
	raw, err := json.Marshal(chain)
	if err != nil {
		return "", err
	}
	k := verifiedKey{id: e.ID, chain: sha256.Sum256(raw)}
	if signer, ok := p.verified.Get(k); ok {
		return signer, nil
	}
	signer, err := p.cfg.Verifier.Verify(ctx, chain, e.ID, time.UnixMilli(e.Timestamp))
	if err != nil {
		return "", err
	}
	p.verified.Add(k, signer)
	return signer, nil
}

package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// passedCache remembers the entities (with their chains) that passed the
// stateless checks which do not depend on file sizes — hash format,
// schema, version, auth chain, type rules — so a deployment checked at the
// trust boundary (Precheck) is not checked again when it is applied; the
// size check always runs, since the sizes then are the real ones. The key
// is the entity id (the hash of its bytes) with a hash of the whole chain:
// another chain for the same entity is checked on its own. Only passes
// are kept.
const passedCache = 16384

type passedKey struct {
	id    string
	chain [32]byte
}

func newPassed() *lru.Cache[passedKey, string] {
	c, err := lru.New[passedKey, string](passedCache)
	if err != nil {
		panic(err) // only for a size ≤ 0
	}
	return c
}

// checkStateless runs the checks that need only the entity, its chain and
// the sizes of its files (steps 6–11), in their order, and returns the
// signer.
func (p *Pipeline) checkStateless(ctx context.Context, e *entity.Entity, chain authchain.Chain, uploaded, stored map[string]int64) (string, error) {
	raw, err := json.Marshal(chain)
	if err != nil {
		return "", fmt.Errorf("deploy: encode the auth chain of %s: %w", e.ID, err)
	}
	k := passedKey{id: e.ID, chain: sha256.Sum256(raw)}
	signer, passed := p.passed.Get(k)
	if !passed {
		for _, check := range []func(*entity.Entity) error{entity.ValidateHashFormat, entity.ValidateMetadata, entity.ValidateVersion} {
			if err := check(e); err != nil {
				return "", intrinsic(err)
			}
		}
		if signer, err = p.cfg.Verifier.Verify(ctx, chain, e.ID, time.UnixMilli(e.Timestamp)); err != nil {
			var ae *authchain.Error
			if errors.As(err, &ae) {
				return "", entity.Errorf("The signature is invalid. %s", ae.Error())
			}
			return "", fmt.Errorf("deploy: verify the auth chain of %s: %w", e.ID, err)
		}
	}
	if err := p.checkSize(e, uploaded, stored); err != nil {
		return "", err
	}
	if !passed {
		if err := p.cfg.Rules.Type(e, signer); err != nil {
			return "", err
		}
		p.passed.Add(k, signer)
	}
	return signer, nil
}

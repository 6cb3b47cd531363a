// Package entitytest builds signed entities the way dcl-catalyst-client
// and @dcl/crypto do, for tests, benchmarks and tools: a wallet, an
// ephemeral key delegated by it, and an entity file with its content.
package entitytest

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"maps"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/hashing"
)

// Identity is a wallet with an ephemeral key it has delegated to.
type Identity struct {
	Key       *ecdsa.PrivateKey
	Address   string // lower-cased
	ephemeral *ecdsa.PrivateKey
	delegate  authchain.Link
}

// NewIdentity makes a random wallet and ephemeral key valid for a day.
func NewIdentity() *Identity {
	key, _ := crypto.GenerateKey()
	eph, _ := crypto.GenerateKey()
	payload := authchain.EphemeralPayload(crypto.PubkeyToAddress(eph.PublicKey), time.Now().Add(24*time.Hour))
	return &Identity{
		Key:       key,
		Address:   strings.ToLower(crypto.PubkeyToAddress(key.PublicKey).Hex()),
		ephemeral: eph,
		delegate:  authchain.Link{Type: authchain.Ephemeral, Payload: payload, Signature: authchain.Sign(key, payload)},
	}
}

// Chain signs payload through the ephemeral key.
func (id *Identity) Chain(payload string) authchain.Chain {
	return authchain.Chain{
		{Type: authchain.Signer, Payload: crypto.PubkeyToAddress(id.Key.PublicKey).Hex()},
		id.delegate,
		{Type: authchain.SignedEntity, Payload: payload, Signature: authchain.Sign(id.ephemeral, payload)},
	}
}

// Deployment is a built entity: its file, id, content files and chain.
type Deployment struct {
	ID        string
	File      []byte
	Files     map[string][]byte // hash → bytes (content only)
	AuthChain authchain.Chain
}

// Build makes an entity file like dcl-catalyst-client's buildEntity (keys
// version, type, pointers, timestamp, content, metadata; compact JSON;
// v1 hashes) and signs its id.
func Build(id *Identity, typ entity.Type, pointers []string, ts time.Time, metadata any, files map[string][]byte) *Deployment {
	content := []entity.ContentItem{}
	byHash := map[string][]byte{}
	for _, name := range sortedKeys(files) {
		h := hashing.V1Bytes(files[name])
		content = append(content, entity.ContentItem{File: name, Hash: h})
		byHash[h] = files[name]
	}
	d := BuildContent(id, typ, pointers, ts, metadata, content)
	d.Files = byHash
	return d
}

// BuildContent is Build for content already hashed (its bytes are the
// caller's to send): Files is left empty.
func BuildContent(id *Identity, typ entity.Type, pointers []string, ts time.Time, metadata any, content []entity.ContentItem) *Deployment {
	file, _ := json.Marshal(struct {
		Version   string               `json:"version"`
		Type      entity.Type          `json:"type"`
		Pointers  []string             `json:"pointers"`
		Timestamp int64                `json:"timestamp"`
		Content   []entity.ContentItem `json:"content"`
		Metadata  any                  `json:"metadata,omitempty"`
	}{"v3", typ, pointers, ts.UnixMilli(), content, metadata})
	eid := hashing.V1Bytes(file)
	return &Deployment{ID: eid, File: file, AuthChain: id.Chain(eid)}
}

// Profile builds a profile of the identity that @dcl/schemas accepts.
func Profile(id *Identity, ts time.Time, name string) *Deployment {
	return Build(id, entity.Profile, []string{id.Address}, ts, ProfileMetadata(id, name), nil)
}

// ProfileMetadata is a valid profile document for the identity.
func ProfileMetadata(id *Identity, name string) map[string]any {
	color := map[string]float64{"r": 0.5, "g": 0.3, "b": 0.2, "a": 1}
	meta := map[string]any{"avatars": []any{map[string]any{
		"hasClaimedName": false, "name": name, "description": "a test profile", "ethAddress": id.Address,
		"version": 1, "tutorialStep": 0, "userId": id.Address,
		"avatar": map[string]any{
			"bodyShape": "urn:decentraland:off-chain:base-avatars:BaseMale",
			"eyes":      map[string]any{"color": color}, "hair": map[string]any{"color": color}, "skin": map[string]any{"color": color},
			"wearables": []string{"urn:decentraland:off-chain:base-avatars:eyebrows_00"},
			"emotes":    []any{map[string]any{"slot": 0, "urn": "wave"}},
		},
	}}}
	return meta
}

// Scene builds a scene on parcels with the given files.
func Scene(id *Identity, ts time.Time, parcels []string, files map[string][]byte) *Deployment {
	meta := map[string]any{
		"main":    "bin/index.js",
		"scene":   map[string]any{"base": parcels[0], "parcels": parcels},
		"display": map[string]any{"title": "test scene"},
	}
	return Build(id, entity.Scene, parcels, ts, meta, files)
}

// Wearable builds a wearable of one representation, with its model,
// thumbnail and image.
func Wearable(id *Identity, urn, name, category string, ts time.Time) *Deployment {
	meta := map[string]any{
		"id": urn, "name": name, "description": "", "thumbnail": "thumbnail.png", "image": "image.png",
		"data": map[string]any{"category": category, "tags": []string{"base-wearable"}, "replaces": []string{}, "hides": []string{},
			"representations": []any{map[string]any{"bodyShapes": []string{"urn:decentraland:off-chain:base-avatars:BaseMale"}, "mainFile": "m.glb", "contents": []string{"m.glb"}, "overrideHides": []string{}, "overrideReplaces": []string{}}}},
	}
	if parts := strings.Split(urn, ":"); !strings.Contains(urn, "off-chain") && len(parts) > 4 {
		meta["rarity"] = "common"
		meta["i18n"] = []any{map[string]any{"code": "en", "text": name}}
		meta["collectionAddress"] = parts[4]
	}
	return Build(id, entity.Wearable, []string{urn}, ts, meta, map[string][]byte{"thumbnail.png": []byte(name + "t"), "image.png": []byte(name + "i"), "m.glb": []byte(name + "g")})
}

// Multipart encodes a deployment as dcl-catalyst-client sends it:
// entityId, authChain[i][type|payload|signature], then every file with its
// hash as field name and file name, the entity file last.
func (d *Deployment) Multipart() (body []byte, contentType string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("entityId", d.ID)
	for i, l := range d.AuthChain {
		w.WriteField(fmt.Sprintf("authChain[%d][type]", i), string(l.Type))
		w.WriteField(fmt.Sprintf("authChain[%d][payload]", i), l.Payload)
		w.WriteField(fmt.Sprintf("authChain[%d][signature]", i), l.Signature)
	}
	for _, h := range sortedKeys(d.Files) {
		fw, _ := w.CreateFormFile(h, h)
		fw.Write(d.Files[h])
	}
	fw, _ := w.CreateFormFile(d.ID, d.ID)
	fw.Write(d.File)
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

func sortedKeys(m map[string][]byte) []string {
	return slices.Sorted(maps.Keys(m))
}

// SignRequest signs req as a signed fetch (ADR-44) with metadata (a JSON
// string, "" for none) at the current time.
func (id *Identity) SignRequest(req *http.Request, metadata string) {
	ts := time.Now().UnixMilli()
	for i, l := range id.Chain(authchain.SignedFetchPayload(req.Method, req.URL.Path, ts, metadata)) {
		b, _ := json.Marshal(l)
		req.Header.Set(authchain.HeaderChainPrefix+strconv.Itoa(i), string(b))
	}
	req.Header.Set(authchain.HeaderTimestamp, strconv.FormatInt(ts, 10))
	if metadata != "" {
		req.Header.Set(authchain.HeaderMetadata, metadata)
	}
}

package deploy

import (
	"context"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// One valid entity of every type goes through the whole pipeline.
func TestAcceptsEveryType(t *testing.T) {
	id := entitytest.NewIdentity()
	now := time.Now()
	color := map[string]any{"r": 0.1, "g": 0.2, "b": 0.3, "a": 1}
	rep := map[string]any{"bodyShapes": []string{"urn:decentraland:off-chain:base-avatars:BaseMale"}, "mainFile": "model.glb", "contents": []string{"model.glb", "thumbnail.png"}, "overrideHides": []string{}, "overrideReplaces": []string{}}
	itemFiles := map[string][]byte{"model.glb": []byte("glTF"), "thumbnail.png": []byte("\x89PNG"), "image.png": []byte("\x89PNG2")}
	wearableURN := "urn:decentraland:matic:collections-v2:0x1111111111111111111111111111111111111111:0"
	emoteURN := "urn:decentraland:matic:collections-v2:0x2222222222222222222222222222222222222222:0"
	item := func(urn string) map[string]any {
		return map[string]any{
			"id": urn, "name": "item", "description": "an item", "i18n": []any{map[string]any{"code": "en", "text": "item"}},
			"thumbnail": "thumbnail.png", "image": "image.png", "collectionAddress": "0x1111111111111111111111111111111111111111", "rarity": "common",
		}
	}
	wearable := item(wearableURN)
	wearable["data"] = map[string]any{"replaces": []string{}, "hides": []string{}, "tags": []string{}, "representations": []any{rep}, "category": "hat"}
	emote := item(emoteURN)
	emote["emoteDataADR74"] = map[string]any{"category": "dance", "tags": []string{}, "loop": false, "representations": []any{rep}}
	cases := map[entity.Type]*entitytest.Deployment{
		entity.Profile:  entitytest.Profile(id, now, "alice"),
		entity.Scene:    entitytest.Scene(id, now, []string{"-150,150", "62,151"}, map[string][]byte{"bin/index.js": []byte("main()")}),
		entity.Wearable: entitytest.Build(id, entity.Wearable, []string{wearableURN}, now, wearable, itemFiles),
		entity.Emote:    entitytest.Build(id, entity.Emote, []string{emoteURN}, now, emote, itemFiles),
		entity.Store: entitytest.Build(id, entity.Store, []string{"urn:decentraland:off-chain:marketplace-stores:" + id.Address}, now,
			map[string]any{"id": "urn:decentraland:off-chain:marketplace-stores:" + id.Address, "description": "shop", "owner": id.Address, "version": 1, "links": []any{}, "images": []any{}}, nil),
		entity.Outfits: entitytest.Build(id, entity.Outfits, []string{id.Address + ":outfits"}, now,
			map[string]any{"outfits": []any{map[string]any{"slot": 0, "outfit": map[string]any{"bodyShape": "urn:decentraland:off-chain:base-avatars:BaseMale", "eyes": map[string]any{"color": color}, "hair": map[string]any{"color": color}, "skin": map[string]any{"color": color}, "wearables": []string{}}}}, "namesForExtraSlots": []string{}}, nil),
	}
	p, s := newPipeline(t)
	for typ, d := range cases {
		t.Run(string(typ), func(t *testing.T) {
			res, err := p.Deploy(context.Background(), request(d, Local))
			if err != nil {
				t.Fatal(err)
			}
			if !res.Outcome.Active || res.Deployment.Type != typ {
				t.Fatalf("result %+v", res)
			}
			got, err := s.Get(context.Background(), d.ID)
			if err != nil || got.Type != typ {
				t.Fatalf("stored %v, %v", got, err)
			}
		})
	}
}

package entity

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const now = int64(1790000000000) // 2026-09: every ADR in force

func TestMetadataVectors(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/metadata-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Type     Type            `json:"type"`
		Name     string          `json:"name"`
		Metadata json.RawMessage `json:"metadata"`
		Valid    bool            `json:"valid"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(string(c.Type)+"/"+c.Name, func(t *testing.T) {
			err := ValidateMetadata(&Entity{Type: c.Type, Timestamp: now, Metadata: c.Metadata})
			if (err == nil) != c.Valid {
				t.Fatalf("ValidateMetadata = %v; @dcl/schemas says valid=%v", err, c.Valid)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "The metadata for this entity type ("+string(c.Type)+") is not valid.") {
				t.Errorf("error text %q lacks the content server's headline", err)
			}
		})
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, file, err string
	}{
		{"valid", `{"version":"v3","type":"profile","pointers":["0xAB"],"timestamp":5,"content":[{"file":"a","hash":"h"}],"metadata":{}}`, ""},
		{"no version means v3", `{"type":"scene","pointers":["0,0"],"timestamp":5}`, ""},
		{"not json", `{`, "valid json"},
		{"array", `[]`, "valid json"},
		{"no type", `{"pointers":[],"timestamp":1}`, "valid type"},
		{"bad type", `{"type":"car","pointers":[],"timestamp":1}`, "We got 'car'"},
		{"upper-case type", `{"type":"Scene","pointers":[],"timestamp":1}`, "We got 'Scene'"},
		{"no pointers", `{"type":"scene","timestamp":1}`, "valid pointers"},
		{"pointers not strings", `{"type":"scene","pointers":[1],"timestamp":1}`, "valid json"},
		{"no timestamp", `{"type":"scene","pointers":["0,0"]}`, "valid timestamp"},
		{"fractional timestamp", `{"type":"scene","pointers":["0,0"],"timestamp":1.5}`, "valid timestamp"},
		{"content not array", `{"type":"scene","pointers":["0,0"],"timestamp":1,"content":{}}`, "array as content"},
		{"content without hash", `{"type":"scene","pointers":["0,0"],"timestamp":1,"content":[{"file":"a"}]}`, "file name and a file hash"},
		{"content hash not string", `{"type":"scene","pointers":["0,0"],"timestamp":1,"content":[{"file":"a","hash":3}]}`, "valid strings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse("id", []byte(tc.file))
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if e.Version != "v3" {
					t.Errorf("version = %q", e.Version)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.err)
			}
		})
	}
	e, _ := Parse("id", []byte(`{"type":"profile","pointers":[" 0xAB "],"timestamp":5}`))
	if e.Pointers[0] != "0xab" {
		t.Errorf("pointer = %q, want lower-cased and trimmed", e.Pointers[0])
	}
}

func TestStructureAndFormat(t *testing.T) {
	id := "bafkreigv4q3ji6dgntwm4ecyilxtuxoscwxx4gs4wcrbqhp7isjd7eaxfi"
	cases := []struct {
		name string
		e    Entity
		fn   func(*Entity) error
		err  string
	}{
		{"no pointers", Entity{}, ValidateStructure, "does not have any pointer"},
		{"repeated pointers", Entity{Pointers: []string{"a", "a"}}, ValidateStructure, "repeated pointers"},
		{"ok pointers", Entity{Pointers: []string{"a", "b"}}, ValidateStructure, ""},
		{"v0 id after ADR-45", Entity{ID: "QmXz1TvFTDPWGigiTcfyg2e7AzHtfVCW7GVE3u4BsRq48g", Timestamp: now}, ValidateHashFormat, "IPFS v2 format"},
		{"v0 content after ADR-45", Entity{ID: id, Timestamp: now, Content: []ContentItem{{"a", "QmXz1TvFTDPWGigiTcfyg2e7AzHtfVCW7GVE3u4BsRq48g"}}}, ValidateHashFormat, "IPFS v2 format"},
		{"v0 before ADR-45", Entity{ID: "QmXz1TvFTDPWGigiTcfyg2e7AzHtfVCW7GVE3u4BsRq48g", Timestamp: ADR45 - 1}, ValidateHashFormat, ""},
		{"v1 ok", Entity{ID: id, Timestamp: now, Content: []ContentItem{{"a", id}}}, ValidateHashFormat, ""},
		{"v2 entity", Entity{Version: "v2", Timestamp: now}, ValidateVersion, "Only entities v3"},
		{"v2 before ADR-45", Entity{Version: "v2", Timestamp: ADR45}, ValidateVersion, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkErr(t, tc.fn(&tc.e), tc.err)
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want it to contain %q", err, want)
	}
}

const signer = "0x14791697260e4c9a71f18484c9f997b308e59325"

func profileMeta(mut func(a map[string]any)) json.RawMessage {
	avatar := map[string]any{
		"bodyShape": "urn:decentraland:off-chain:base-avatars:BaseMale",
		"wearables": []any{"urn:decentraland:off-chain:base-avatars:eyebrows_00"},
		"emotes":    []any{map[string]any{"slot": 0, "urn": "wave"}},
	}
	if mut != nil {
		mut(avatar)
	}
	b, _ := json.Marshal(map[string]any{"avatars": []any{map[string]any{"avatar": avatar}}})
	return b
}

func TestTypeRules(t *testing.T) {
	item := func(typ Type, pointer, dataKey string, content ...string) Entity {
		files := []ContentItem{}
		for _, c := range content {
			files = append(files, ContentItem{File: c, Hash: "h"})
		}
		meta, _ := json.Marshal(map[string]any{dataKey: map[string]any{
			"representations": []any{map[string]any{"mainFile": "model.glb", "contents": []any{"model.glb"}}},
		}})
		return Entity{Type: typ, Pointers: []string{pointer}, Timestamp: now, Content: files, Metadata: meta}
	}
	urn := "urn:decentraland:matic:collections-v2:0x11:0"
	cases := []struct {
		name string
		e    Entity
		err  string
	}{
		{"profile ok", Entity{Type: Profile, Pointers: []string{signer}, Timestamp: now, Metadata: profileMeta(nil)}, ""},
		{"profile two pointers", Entity{Type: Profile, Pointers: []string{signer, "0x1"}, Timestamp: now, Metadata: profileMeta(nil)}, "Only one pointer"},
		{"profile of another address", Entity{Type: Profile, Pointers: []string{"0x0000000000000000000000000000000000000001"}, Timestamp: now, Metadata: profileMeta(nil)}, "your own profile"},
		{"profile pointer not address", Entity{Type: Profile, Pointers: []string{"bob"}, Timestamp: now, Metadata: profileMeta(nil)}, "not a valid ethereum address"},
		{"default profile", Entity{Type: Profile, Pointers: []string{"default1"}, Timestamp: now, Metadata: profileMeta(nil)}, "default profiles"},
		{"profile snapshots after ADR-290", Entity{Type: Profile, Pointers: []string{signer}, Timestamp: now, Metadata: profileMeta(func(a map[string]any) { a["snapshots"] = map[string]any{"face256": "x"} })}, "Avatars must not have snapshots."},
		{"profile snapshots before ADR-290", Entity{Type: Profile, Pointers: []string{signer}, Timestamp: ADR290 - 1, Metadata: profileMeta(func(a map[string]any) { a["snapshots"] = map[string]any{"face256": "x"} })}, ""},
		{"profile files after ADR-290", Entity{Type: Profile, Pointers: []string{signer}, Timestamp: now, Content: []ContentItem{{"face256.png", "h"}}, Metadata: profileMeta(nil)}, "content files when it should not: face256.png"},
		{"profile wearable not urn", Entity{Type: Profile, Pointers: []string{signer}, Timestamp: now, Metadata: profileMeta(func(a map[string]any) { a["wearables"] = []any{"dcl://base-avatars/hat"} })}, "should be a urn"},
		{"profile wearable asset", Entity{Type: Profile, Pointers: []string{signer}, Timestamp: now, Metadata: profileMeta(func(a map[string]any) { a["wearables"] = []any{urn} })}, "should be an item, not an asset"},
		{"profile wearable item", Entity{Type: Profile, Pointers: []string{signer}, Timestamp: now, Metadata: profileMeta(func(a map[string]any) { a["wearables"] = []any{urn + ":5"} })}, ""},
		{"profile wearables repeated", Entity{Type: Profile, Pointers: []string{signer}, Timestamp: now, Metadata: profileMeta(func(a map[string]any) { a["wearables"] = []any{urn + ":5", urn + ":5"} })}, "should not be repeated"},
		{"profile emote slot repeated", Entity{Type: Profile, Pointers: []string{signer}, Timestamp: now, Metadata: profileMeta(func(a map[string]any) {
			a["emotes"] = []any{map[string]any{"slot": 1, "urn": "wave"}, map[string]any{"slot": 1, "urn": "fist"}}
		})}, "Emote slot 1 should not be repeated"},
		{"profile emote slot 10", Entity{Type: Profile, Pointers: []string{signer}, Timestamp: now, Metadata: profileMeta(func(a map[string]any) {
			a["emotes"] = []any{map[string]any{"slot": 10, "urn": urn + ":1"}}
		})}, "between 0 and 9"},
		{"profile without emotes", Entity{Type: Profile, Pointers: []string{signer}, Timestamp: now, Metadata: profileMeta(func(a map[string]any) { delete(a, "emotes") })}, "must have emotes"},
		{"scene ok", Entity{Type: Scene, Pointers: []string{"0,0", "-150,150", "162,158", "163,59"}, Timestamp: now, Metadata: json.RawMessage(`{}`)}, ""},
		{"scene default pointer", Entity{Type: Scene, Pointers: []string{"default1"}, Timestamp: now, Metadata: json.RawMessage(`{}`)}, "two integers"},
		{"scene bad pointer", Entity{Type: Scene, Pointers: []string{"1;1"}, Timestamp: now, Metadata: json.RawMessage(`{}`)}, "Invalid pointer: 1;1"},
		{"scene outside the world", Entity{Type: Scene, Pointers: []string{"163,151"}, Timestamp: now, Metadata: json.RawMessage(`{}`)}, "outside of the Genesis City limits"},
		{"scene beyond the square", Entity{Type: Scene, Pointers: []string{"0,151"}, Timestamp: now, Metadata: json.RawMessage(`{}`)}, "outside"},
		{"scene world configuration", Entity{Type: Scene, Pointers: []string{"0,0"}, Timestamp: now, Metadata: json.RawMessage(`{"worldConfiguration":{}}`)}, "worldConfiguration"},
		{"scene thumbnail url", Entity{Type: Scene, Pointers: []string{"0,0"}, Timestamp: now, Metadata: json.RawMessage(`{"display":{"navmapThumbnail":"https://x/y.png"}}`)}, "relative path"},
		{"scene thumbnail missing", Entity{Type: Scene, Pointers: []string{"0,0"}, Timestamp: now, Metadata: json.RawMessage(`{"display":{"navmapThumbnail":"t.png"}}`)}, "must be a file included"},
		{"scene thumbnail present", Entity{Type: Scene, Pointers: []string{"0,0"}, Timestamp: now, Content: []ContentItem{{"t.png", "h"}}, Metadata: json.RawMessage(`{"display":{"navmapThumbnail":"t.png"}}`)}, ""},
		{"store ok", Entity{Type: Store, Pointers: []string{"urn:decentraland:off-chain:marketplace-stores:" + signer}, Timestamp: now}, ""},
		{"store bad urn", Entity{Type: Store, Pointers: []string{"urn:decentraland:off-chain:stores:" + signer}, Timestamp: now}, "Store pointers should be a urn"},
		{"store of another", Entity{Type: Store, Pointers: []string{"urn:decentraland:off-chain:marketplace-stores:0x0000000000000000000000000000000000000001"}, Timestamp: now}, "your own store"},
		{"outfits ok", Entity{Type: Outfits, Pointers: []string{signer + ":outfits"}, Timestamp: now, Metadata: json.RawMessage(`{"outfits":[{"slot":0}],"namesForExtraSlots":[]}`)}, ""},
		{"outfits bad pointer", Entity{Type: Outfits, Pointers: []string{signer}, Timestamp: now, Metadata: json.RawMessage(`{}`)}, "<address>:outfits"},
		{"outfits of another", Entity{Type: Outfits, Pointers: []string{"0x0000000000000000000000000000000000000001:outfits"}, Timestamp: now, Metadata: json.RawMessage(`{}`)}, "your own outfits"},
		{"outfits repeated slots", Entity{Type: Outfits, Pointers: []string{signer + ":outfits"}, Timestamp: now, Metadata: json.RawMessage(`{"outfits":[{"slot":0},{"slot":0}]}`)}, "repeated"},
		{"outfits extra slot without name", Entity{Type: Outfits, Pointers: []string{signer + ":outfits"}, Timestamp: now, Metadata: json.RawMessage(`{"outfits":[{"slot":5}]}`)}, "exactly one name"},
		{"wearable ok", item(Wearable, urn, "data", "model.glb"), ""},
		{"wearable content missing", item(Wearable, urn, "data", "other.glb"), "is not one of the content files"},
		{"wearable no content", item(Wearable, urn, "data"), "No content found"},
		{"wearable not urn", item(Wearable, "hat", "data", "model.glb"), "Item pointers should be a urn"},
		{"wearable without data", item(Wearable, urn, "emoteDataADR74", "model.glb"), "No wearable representations"},
		{"emote ok", item(Emote, urn, "emoteDataADR74", "model.glb"), ""},
		{"emote before ADR-74", func() Entity { e := item(Emote, urn, "emoteDataADR74", "model.glb"); e.Timestamp = ADR74 - 1; return e }(), "before ADR 74"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkErr(t, ValidateTypeRules(&tc.e, signer), tc.err)
		})
	}
}

func TestWorldLimits(t *testing.T) {
	for _, tc := range []struct {
		x, y int
		in   bool
	}{
		{0, 0, true}, {-150, -150, true}, {150, 150, true}, {151, 0, false}, {-151, 0, false},
		{62, 151, true}, {162, 158, true}, {61, 151, false}, {162, 159, false},
		{151, 144, true}, {162, 150, true}, {163, 150, false},
		{151, 59, true}, {163, 143, true}, {164, 100, false}, {160, 58, false},
	} {
		if got := InsideWorldLimits(tc.x, tc.y); got != tc.in {
			t.Errorf("InsideWorldLimits(%d,%d) = %v, want %v", tc.x, tc.y, got, tc.in)
		}
	}
}

func TestMaxBytes(t *testing.T) {
	skin := Entity{Type: Wearable, Metadata: json.RawMessage(`{"data":{"category":"skin"}}`)}
	hat := Entity{Type: Wearable, Metadata: json.RawMessage(`{"data":{"category":"hat"}}`)}
	if skin.MaxBytesPerPointer() != 9*mb || hat.MaxBytesPerPointer() != 3*mb {
		t.Fatal("wearable limits")
	}
	for typ, want := range map[Type]int64{Scene: 15 * mb, Profile: 2 * mb, Emote: 3 * mb, Store: mb, Outfits: mb} {
		if got := (&Entity{Type: typ}).MaxBytesPerPointer(); got != want {
			t.Errorf("%s: %d, want %d", typ, got, want)
		}
	}
}

func TestNewer(t *testing.T) {
	if !Newer(2, "a", 1, "z") || Newer(1, "z", 2, "a") || !Newer(1, "B", 1, "a") || Newer(1, "a", 1, "a") {
		t.Fatal("ordering is (timestamp, lower-cased id)")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"version":"v3","type":"profile","pointers":["0xab"],"timestamp":5,"content":[{"file":"a","hash":"h"}],"metadata":{}}`))
	f.Add([]byte(`{"type":"scene","pointers":["0,0"],"timestamp":1e3,"content":null}`))
	f.Add([]byte(`{"type":"scene","pointers":["0,0","1,0"],"timestamp":1e3,"content":[{"file":"t.png","hash":"h"}],"metadata":{"runtimeVersion":"7","scene":{"base":"0,0","parcels":["1,0","0,0"]},"display":{"navmapThumbnail":"t.png"},"worldConfiguration":{"name":"me.dcl.eth","skyboxConfig":{"textures":["t.png"]}}}}`))
	f.Add([]byte(`{"type":"wearable","pointers":["urn:decentraland:matic:collections-v2:0x11:0"],"timestamp":1790000000000,"metadata":{"data":{"representations":[{"mainFile":"a","contents":["a"]}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Parse("bafkreigv4q3ji6dgntwm4ecyilxtuxoscwxx4gs4wcrbqhp7isjd7eaxfi", data)
		if err != nil {
			return
		}
		for _, fn := range []func(*Entity) error{ValidateStructure, ValidateHashFormat, ValidateMetadata, ValidateVersion} {
			_ = fn(e)
		}
		_ = ValidateTypeRules(e, signer)
		_ = e.MaxBytesPerPointer()
		if ValidateWorldScene(e, signer) == nil && !ValidWorldName(WorldOf(e)) {
			t.Fatalf("a world scene of no NAME passed: %q", WorldOf(e))
		}
	})
}

func FuzzParseParcel(f *testing.F) {
	for _, s := range []string{"0,0", "-150,150", "1,", ",1", "a,b", "99999999999999999999,1", "1,1,1", " 1,1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		x, y, ok := ParseParcel(p)
		if ok && InsideWorldLimits(x, y) && (x < -150 || x > 163 || y < -150 || y > 158) {
			t.Fatalf("%q parsed to (%d,%d) inside the world", p, x, y)
		}
		e := &Entity{Type: Scene, Pointers: []string{p}, Timestamp: now, Metadata: []byte(`{}`)}
		_ = ValidateTypeRules(e, signer)
	})
}

func TestWorldScene(t *testing.T) {
	meta := func(world string, parcels ...string) []byte {
		b, _ := json.Marshal(map[string]any{"runtimeVersion": "7", "scene": map[string]any{"base": parcels[0], "parcels": parcels}, "worldConfiguration": map[string]any{"name": world}})
		return b
	}
	for _, c := range []struct {
		name     string
		e        Entity
		accepted bool
	}{
		{"a world scene", Entity{Type: Scene, Pointers: []string{"0,0", "-1000,1000"}, Metadata: meta("Me.dcl.eth", "-1000,1000", "0,0")}, true},
		{"past the bounds", Entity{Type: Scene, Pointers: []string{"1001,0"}, Metadata: meta("me.dcl.eth", "1001,0")}, false},
		{"other parcels", Entity{Type: Scene, Pointers: []string{"0,0"}, Metadata: meta("me.dcl.eth", "0,1")}, false},
		{"ENS", Entity{Type: Scene, Pointers: []string{"0,0"}, Metadata: meta("me.eth", "0,0")}, false},
		{"a label too long", Entity{Type: Scene, Pointers: []string{"0,0"}, Metadata: meta("abcdefghijklmnop.dcl.eth", "0,0")}, false},
		{"a wearable", Entity{Type: Wearable, Pointers: []string{"0,0"}, Metadata: meta("me.dcl.eth", "0,0")}, false},
	} {
		err := ValidateWorldScene(&c.e, signer)
		if (err == nil) != c.accepted {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if w := WorldOf(&Entity{Metadata: meta(" Me.DCL.eth ", "0,0")}); w != "me.dcl.eth" {
		t.Fatalf("WorldOf: %q", w)
	}
}

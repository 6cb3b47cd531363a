package entity

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Dates (ms since the epoch) from which ADRs change the rules. An entity is
// judged by the rules in force at its own timestamp, so synced history
// passes the checks it passed when it was deployed.
const (
	LegacyContentMigration = 1582167600000 // 2020-02-20T03:00Z: sizes checked after this
	ADR45                  = 1652191200000 // 2022-05-10T14:00Z: v1 hashes, v3 entities, schemas
	ADR75                  = 1658275200000 // 2022-07-20T00:00Z: profile wearables are URNs
	ADR74                  = 1662987600000 // 2022-09-12T13:00Z: emotes
	ADR173                 = 1673967600000 // 2023-01-17T15:00Z: no worldConfiguration in Genesis City
	ADR158                 = 1674576000000 // 2023-01-24T16:00Z: profiles carry body.png and face256.png
	ADR236                 = 1684497600000 // 2023-05-19T12:00Z: scene navmap thumbnail is a deployed file
	ADR232                 = 1686571200000 // 2023-06-12T12:00Z: no repeated wearables in a profile
	ADR244                 = 1710428400000 // 2024-03-14T15:00Z: worn URNs name an item (token id)
	ADR290                 = 1770519600000 // 2026-02-08T03:00Z: profiles have no snapshots and no files
)

const mb = 1024 * 1024

// MaxBytesPerPointer is the size limit of a deployment: the sum of its
// unique content files divided by its pointer count may not exceed it.
func (e *Entity) MaxBytesPerPointer() int64 {
	switch e.Type {
	case Scene:
		return 15 * mb
	case Profile:
		return 2 * mb
	case Wearable:
		var m struct {
			Data struct {
				Category string `json:"category"`
			} `json:"data"`
		}
		if json.Unmarshal(e.Metadata, &m) == nil && m.Data.Category == "skin" {
			return 9 * mb
		}
		return 3 * mb
	case Emote:
		return 3 * mb
	default: // store, outfits
		return 1 * mb
	}
}

// ValidateStructure checks the pointers: at least one, none repeated.
func ValidateStructure(e *Entity) error {
	if len(e.Pointers) == 0 {
		return Errorf("The entity does not have any pointer.")
	}
	seen := make(map[string]bool, len(e.Pointers))
	for _, p := range e.Pointers {
		if seen[p] {
			return Errorf("There are repeated pointers in your request.")
		}
		seen[p] = true
	}
	for _, p := range e.Pointers {
		if p == "" {
			return Errorf("Pointers must not be empty.")
		}
	}
	return nil
}

var v1Hash = regexp.MustCompile(`^ba[a-zA-Z0-9]{57}$`)

// ValidateHashFormat requires v1 (CIDv1) hashes for the entity id and every
// content file after ADR-45.
func ValidateHashFormat(e *Entity) error {
	if e.Timestamp < ADR45 {
		return nil
	}
	var msgs []string
	for _, h := range append([]string{e.ID}, e.Hashes()...) {
		if !v1Hash.MatchString(h) {
			msgs = append(msgs, fmt.Sprintf("This hash '%s' is not valid. It should be IPFS v2 format.", h))
		}
	}
	if msgs != nil {
		return &Error{Msgs: msgs}
	}
	return nil
}

// ValidateVersion allows only v3 entities after ADR-45.
func ValidateVersion(e *Entity) error {
	if e.Version != "v3" && e.Timestamp > ADR45 {
		return Errorf("Only entities v3 are allowed after the ADR-45. Check http://adr.decentraland.org/adr/ADR-45 for more information")
	}
	return nil
}

// ValidateTypeRules checks what each type demands of its pointers and
// metadata beyond the schema. signer is the lower-cased address heading the
// auth chain. These hold whether or not on-chain ownership is checked.
func ValidateTypeRules(e *Entity, signer string) error {
	switch e.Type {
	case Profile:
		return validateProfile(e, signer)
	case Scene:
		return validateScene(e)
	case Store:
		return validateStore(e, signer)
	case Outfits:
		return validateOutfits(e, signer)
	case Wearable, Emote:
		return validateItem(e)
	}
	return nil
}

var ethAddress = regexp.MustCompile(`^0x[a-fA-F0-9]{40}$`)

func onePointer(e *Entity, what string) error {
	if len(e.Pointers) != 1 {
		return Errorf("Only one pointer is allowed when you create %s. Received: %s", what, strings.Join(e.Pointers, ","))
	}
	return nil
}

// --- profile ---

type avatarInfo struct {
	Snapshots json.RawMessage `json:"snapshots"`
	Wearables []string        `json:"wearables"`
	Emotes    *[]struct {
		Slot json.Number `json:"slot"`
		URN  string      `json:"urn"`
	} `json:"emotes"`
}

type profileMetadata struct {
	Avatars []struct {
		Avatar avatarInfo `json:"avatar"`
	} `json:"avatars"`
}

func validateProfile(e *Entity, signer string) error {
	if err := onePointer(e, "a Profile"); err != nil {
		return err
	}
	p := e.Pointers[0]
	if strings.HasPrefix(p, "default") {
		return Errorf("Only Decentraland can add or modify default profiles")
	}
	if !ethAddress.MatchString(p) {
		return Errorf("The given pointer is not a valid ethereum address.")
	}
	if p != signer {
		return Errorf("You can only alter your own profile. The pointer address and the signer address are different (pointer:%s signer: %s).", p, signer)
	}
	var m profileMetadata
	if err := json.Unmarshal(e.Metadata, &m); err != nil {
		return Errorf("The metadata for this entity type (profile) is not valid. %v", err)
	}
	if e.Timestamp >= ADR290 {
		for _, a := range m.Avatars {
			if len(a.Avatar.Snapshots) > 0 && string(a.Avatar.Snapshots) != "null" {
				return Errorf("Avatars must not have snapshots.")
			}
		}
	}
	if e.Timestamp >= ADR75 {
		for _, a := range m.Avatars {
			for _, w := range a.Avatar.Wearables {
				if isOldEmote(w) {
					continue
				}
				if err := checkWornURN(w, e.Timestamp, "wearable"); err != nil {
					return err
				}
			}
		}
	}
	if e.Timestamp >= ADR74 {
		hasEmotes := false
		for _, a := range m.Avatars {
			if a.Avatar.Emotes == nil {
				continue
			}
			hasEmotes = true
			for _, em := range *a.Avatar.Emotes {
				if isOldEmote(em.URN) {
					continue
				}
				if err := checkWornURN(em.URN, e.Timestamp, "emote"); err != nil {
					return err
				}
				if n, err := strconv.ParseFloat(string(em.Slot), 64); err != nil || n < 0 || n > 9 || n != float64(int(n)) {
					return Errorf("The slot %s of the emote %s must be a number between 0 and 9 (inclusive).", em.Slot, em.URN)
				}
			}
		}
		if !hasEmotes && len(m.Avatars) > 0 {
			return Errorf("Profile must have emotes after ADR 74.")
		}
	}
	for _, a := range m.Avatars {
		if a.Avatar.Emotes == nil {
			continue
		}
		slots := map[string]bool{}
		for _, em := range *a.Avatar.Emotes {
			if slots[string(em.Slot)] {
				return Errorf("Emote slot %s should not be repeated.", em.Slot)
			}
			slots[string(em.Slot)] = true
		}
	}
	if e.Timestamp >= ADR232 {
		for _, a := range m.Avatars {
			seen := map[string]bool{}
			for _, w := range a.Avatar.Wearables {
				if seen[w] {
					return Errorf("Wearables should not be repeated.")
				}
				seen[w] = true
			}
		}
	}
	if e.Timestamp >= ADR290 && len(e.Content) > 0 {
		files := make([]string, len(e.Content))
		for i, c := range e.Content {
			files[i] = c.File
		}
		return Errorf("Entity has content files when it should not: %s", strings.Join(files, ", "))
	}
	return nil
}

var oldEmote = regexp.MustCompile(`^[a-z]+$`)

func isOldEmote(s string) bool { return oldEmote.MatchString(strings.ToLower(s)) }

// checkWornURN checks a wearable or emote a profile wears: a Decentraland
// URN, naming an item (with its token id) after ADR-244.
func checkWornURN(urn string, ts int64, kind string) error {
	parts := strings.Split(urn, ":")
	if len(parts) < 4 || !strings.EqualFold(parts[0], "urn") || !strings.EqualFold(parts[1], "decentraland") {
		return Errorf("Each profile %s pointer should be a urn, for example (urn:decentraland:{protocol}:collections-v2:{contract(0x[a-fA-F0-9]+)}:{name}). Invalid pointer: (%s)", kind, urn)
	}
	if ts >= ADR244 {
		asset := (parts[3] == "collections-v2" && len(parts) == 6) || (parts[3] == "collections-v1" && len(parts) == 6)
		if asset {
			title := strings.ToUpper(kind[:1]) + kind[1:]
			return Errorf("%s pointer %s should be an item, not an asset. The URN must include the tokenId.", title, urn)
		}
	}
	return nil
}

// --- scene ---

var parcelPointer = regexp.MustCompile(`^-?[0-9]+,-?[0-9]+$`)

func validateScene(e *Entity) error {
	for _, p := range e.Pointers {
		if strings.HasPrefix(p, "default") {
			return Errorf("Scene pointers should only contain two integers separated by a comma, for example (10,10) or (120,-45).")
		}
		if !parcelPointer.MatchString(p) {
			return Errorf("Scene pointers should only contain two integers separated by a comma, for example (10,10) or (120,-45). Invalid pointer: %s", p)
		}
		x, y, _ := ParseParcel(p)
		if !InsideWorldLimits(x, y) {
			return Errorf("The parcel %s is outside of the Genesis City limits.", p)
		}
	}
	var m struct {
		WorldConfiguration json.RawMessage `json:"worldConfiguration"`
		Display            *struct {
			NavmapThumbnail *string `json:"navmapThumbnail"`
		} `json:"display"`
	}
	if err := json.Unmarshal(e.Metadata, &m); err != nil {
		return Errorf("The metadata for this entity type (scene) is not valid. %v", err)
	}
	if e.Timestamp >= ADR173 && m.WorldConfiguration != nil {
		return Errorf("The scene.json contains a worldConfiguration section, which is not allowed for Genesis City scenes (see ADR-173: http://adr.decentraland.org/adr/ADR-173). Please remove it and try again.")
	}
	if e.Timestamp >= ADR236 && m.Display != nil && m.Display.NavmapThumbnail != nil && *m.Display.NavmapThumbnail != "" {
		t := *m.Display.NavmapThumbnail
		if strings.Contains(t, "://") || strings.HasPrefix(t, "/") || strings.TrimSpace(t) != t || strings.ContainsAny(t, "<>\"") {
			return Errorf("Scene thumbnail '%s' must be a relative path to a file included in the deployment.", t)
		}
		found := false
		for _, c := range e.Content {
			if c.File == t {
				found = true
			}
		}
		if !found {
			return Errorf("Scene thumbnail '%s' must be a file included in the deployment.", t)
		}
	}
	return nil
}

// ParseParcel reads an "x,y" pointer.
func ParseParcel(p string) (x, y int, ok bool) {
	xs, ys, found := strings.Cut(p, ",")
	if !found {
		return 0, 0, false
	}
	x, err1 := strconv.Atoi(xs)
	y, err2 := strconv.Atoi(ys)
	return x, y, err1 == nil && err2 == nil
}

// InsideWorldLimits reports whether a parcel is inside Genesis City (the
// square and the three extensions of @dcl/schemas isInsideWorldLimits).
func InsideWorldLimits(x, y int) bool {
	in := func(v, lo, hi int) bool { return v >= lo && v <= hi }
	return (in(x, -150, 150) && in(y, -150, 150)) ||
		(in(x, 62, 162) && in(y, 151, 158)) ||
		(in(x, 151, 162) && in(y, 144, 150)) ||
		(in(x, 151, 163) && in(y, 59, 143))
}

// --- store, outfits ---

func validateStore(e *Entity, signer string) error {
	if err := onePointer(e, "a Store"); err != nil {
		return err
	}
	p := e.Pointers[0]
	addr, ok := strings.CutPrefix(p, "urn:decentraland:off-chain:marketplace-stores:")
	if !ok || !ethAddress.MatchString(addr) {
		return Errorf("Store pointers should be a urn, for example (urn:decentraland:off-chain:marketplace-stores:{address}). Invalid pointer: %s", p)
	}
	if addr != signer {
		return Errorf("You can only alter your own store. The pointer address and the signer address are different (address:%s signer: %s).", addr, signer)
	}
	return nil
}

func validateOutfits(e *Entity, signer string) error {
	if err := onePointer(e, "an Outfits"); err != nil {
		return err
	}
	p := e.Pointers[0]
	addr, ok := strings.CutSuffix(p, ":outfits")
	if !ok {
		return Errorf("The pointer is not valid. It should be in the format: <address>:outfits")
	}
	if !ethAddress.MatchString(addr) {
		return Errorf("The address of the given pointer is not a valid ethereum address.")
	}
	if addr != signer {
		return Errorf("You can only alter your own outfits. The address of the pointer and the signer address are different (pointer:%s signer: %s).", p, signer)
	}
	var m struct {
		Outfits []struct {
			Slot json.Number `json:"slot"`
		} `json:"outfits"`
		NamesForExtraSlots []string `json:"namesForExtraSlots"`
	}
	if err := json.Unmarshal(e.Metadata, &m); err != nil {
		return Errorf("The metadata for this entity type (outfits) is not valid. %v", err)
	}
	slots := map[string]bool{}
	extra := 0
	for _, o := range m.Outfits {
		if slots[string(o.Slot)] {
			return Errorf("Outfits slots are repeated")
		}
		slots[string(o.Slot)] = true
		if n, err := o.Slot.Int64(); err == nil && n > 4 {
			extra++
		}
	}
	unique := map[string]bool{}
	for _, n := range m.NamesForExtraSlots {
		unique[n] = true
	}
	if len(unique) != extra {
		return Errorf("There must be exactly one name for each extra slot. Provided %d unique names but expected %d", len(unique), extra)
	}
	return nil
}

// --- wearable, emote ---

func validateItem(e *Entity) error {
	kind := "wearable"
	if e.Type == Emote {
		kind = "emote"
		if e.Timestamp < ADR74 {
			return Errorf("The emote timestamp %d is before ADR 74. Emotes did not exist before ADR 74.", e.Timestamp)
		}
	}
	if err := onePointer(e, "an item"); err != nil {
		return err
	}
	if p := e.Pointers[0]; !strings.HasPrefix(p, "urn:decentraland:") {
		return Errorf("Item pointers should be a urn, for example (urn:decentraland:{protocol}:collections-v2:{contract(0x[a-fA-F0-9]+)}:{id}). Invalid pointer: (%s)", p)
	}
	var m struct {
		Data           *itemData `json:"data"`
		EmoteDataADR74 *itemData `json:"emoteDataADR74"`
	}
	if err := json.Unmarshal(e.Metadata, &m); err != nil {
		return Errorf("The metadata for this entity type (%s) is not valid. %v", e.Type, err)
	}
	data := m.Data
	if e.Type == Emote {
		data = m.EmoteDataADR74
	}
	if data == nil || len(data.Representations) == 0 {
		return Errorf("No %s representations found", kind)
	}
	if len(e.Content) == 0 {
		return Errorf("No content found")
	}
	files := make(map[string]bool, len(e.Content))
	for _, c := range e.Content {
		files[c.File] = true
	}
	for _, r := range data.Representations {
		mainListed := false
		for _, c := range r.Contents {
			if !files[c] {
				return Errorf("Representation content: '%s' is not one of the content files", c)
			}
			mainListed = mainListed || c == r.MainFile
		}
		if !mainListed {
			return Errorf("The representation's mainFile '%s' must be one of its contents", r.MainFile)
		}
	}
	return nil
}

type itemData struct {
	Representations []struct {
		MainFile string   `json:"mainFile"`
		Contents []string `json:"contents"`
	} `json:"representations"`
}

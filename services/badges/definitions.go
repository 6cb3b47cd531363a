package badges

import "strings"

// Categories are the badges' categories, in the real service's order.
var Categories = []string{"Explorer", "Collector", "Creator", "Socializer", "Builder"}

// Badge is a badge's definition.
type Badge struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Category    string         `json:"category"`
	Description string         `json:"description"`
	Criteria    *Criteria      `json:"criteria,omitempty"`
	Assets      *Assets        `json:"assets,omitempty"`
	Tiers       []Tier         `json:"tiers,omitempty"`
	steps       int            // to complete (last tier's for tiered badges)
	tierIndex   map[string]int // tier id → position
	_           struct{}       // keep literals keyed
}

// Tier is one level of a tiered badge.
type Tier struct {
	TierID      string   `json:"tierId"`
	TierName    string   `json:"tierName"`
	Description string   `json:"description"`
	Criteria    Criteria `json:"criteria"`
	Assets      *Assets  `json:"assets,omitempty"`
}

// Criteria is how many steps a badge or tier takes.
type Criteria struct {
	Steps int `json:"steps"`
}

// Assets are a badge's images: 2d, and the 3d textures.
type Assets struct {
	TwoD   map[string]string `json:"2d"`
	ThreeD map[string]string `json:"3d"`
}

// levels are the tier levels, starter first.
var levels = []string{"starter", "bronze", "silver", "gold", "platinum", "diamond"}

// leveled builds the six tiers of a tiered badge, as the real service's
// createLevelBadgeTiers does.
func leveled(prefix string, steps []int, descriptions []string) []Tier {
	tiers := make([]Tier, len(levels))
	for i, l := range levels {
		tiers[i] = Tier{TierID: prefix + "-" + l, TierName: strings.ToUpper(l[:1]) + l[1:], Description: descriptions[i], Criteria: Criteria{Steps: steps[i]}}
	}
	return tiers
}

// joinTiers is a tiered badge's description: "Starter: …;Bronze: …".
func joinTiers(tiers []Tier) string {
	parts := make([]string, len(tiers))
	for i, t := range tiers {
		parts[i] = t.TierName + ": " + t.Description
	}
	return strings.Join(parts, ";")
}

func simple(id, name, category, description string, steps int) Badge {
	return Badge{ID: id, Name: name, Category: category, Description: description, Criteria: &Criteria{Steps: steps}}
}

func tiered(id, name, category, prefix string, steps []int, descriptions []string) Badge {
	tiers := leveled(prefix, steps, descriptions)
	return Badge{ID: id, Name: name, Category: category, Description: joinTiers(tiers), Tiers: tiers}
}

// definitions are the 24 badges of decentraland/badges
// (common/src/types/badges.ts), in its order, with its names,
// categories, descriptions, tier ids, tier names and steps. The last
// three came after the version read; their descriptions are this node's.
func definitions() []Badge {
	return []Badge{
		simple("dclcitizen", "Decentraland Citizen", "Explorer", "Landed in Decentraland", 1),
		simple("epic_ensemble", "Epic Ensemble", "Collector", "Equip at least 3 wearables of rarity 'epic' at the same time", 1),
		simple("regally_rare", "Regally Rare", "Collector", "Equip at least 3 wearables of rarity 'rare' at the same time", 1),
		simple("legendary_look", "Legendary Look", "Collector", "Equipped outfit with at least 3 Legendary Wearables", 1),
		simple("mythic_model", "Mythic Model", "Collector", "Equipped outfit with at least 3 Mythic Wearables", 1),
		simple("unique_unicorn", "Unique Unicorn", "Collector", "Equipped outfit with at least 3 Unique Wearables", 1),
		simple("open_for_business", "Open for Business", "Creator", "Complete Store Information and submit at least 1 collection", 2),
		simple("exotic_elegance", "Exotic Elegance", "Collector", "Equipped outfit with at least 3 Exotic Wearables", 1),
		tiered("traveler", "Traveler", "Explorer", "traveler", []int{1, 50, 250, 1000, 2500, 10000}, []string{
			"1 Genesis City scene explored (for at least 1 min)", "50 Genesis City scenes explored (for at least 1 min)",
			"250 Genesis City scenes explored (for at least 1 min)", "1,000 Genesis City scenes explored (for at least 1 min)",
			"2,500 Genesis City scenes explored (for at least 1 min)", "10,000 Genesis City scenes explored (for at least 1 min)"}),
		simple("profile_pro", "Profile Pro", "Socializer", "Added information to Profile", 1),
		tiered("emotionista", "Emotionista", "Collector", "emotionista", []int{1, 10, 25, 50, 150, 300}, []string{
			"1 Emote purchased", "10 Emotes purchased", "25 Emotes purchased", "50 Emotes purchased", "150 Emotes purchased", "300  Emotes purchased"}),
		tiered("fashionista", "Fashionista", "Collector", "fashionista", []int{1, 25, 75, 250, 500, 1500}, []string{
			"1 Wearable purchased", "25 Wearables purchased", "75 Wearables purchased", "250 Wearables purchased", "500 Wearables purchased", "1,500 Wearables purchased"}),
		tiered("event_enthusiast", "Event Enthusiast", "Explorer", "event-enthusiast", []int{1, 50, 100, 500, 1000, 2000}, []string{
			"1 Events attended (for at least 5 min)", "50 Events attended (for at least 5 min)", "100 Events attended (for at least 5 min)",
			"500 Events attended (for at least 5 min)", "1000 Events attended (for at least 5 min)", "2000 Events attended (for at least 5 min)"}),
		tiered("moves_master", "Moves Master", "Explorer", "moves-master", []int{100, 1000, 5000, 10000, 100000, 500000}, []string{
			"Emoted 100 times (max 1/min)", "Emoted 1,000 times (max 1/min)", "Emoted 5,000 times (max 1/min)",
			"Emoted 10,000 times (max 1/min)", "Emoted 100,000 times (max 1/min)", "Emoted 500,000 times (max 1/min)"}),
		tiered("social_butterfly", "Social Butterfly", "Socializer", "social-butterfly", []int{1, 50, 100, 250, 500, 1000}, []string{
			"1 Profile viewed", "50 Profiles viewed", "100 Profiles viewed", "250 Profiles viewed", "500 Profiles viewed", "1,000 Profiles viewed"}),
		simple("vertical_voyager", "Vertical Voyager", "Explorer", "Achieved a total elevation gain of at least 500m in one session", 1),
		tiered("walkabout_wanderer", "Walkabout Wanderer", "Explorer", "walkabout-wanderer", []int{10000, 40000, 150000, 600000, 2500000, 10000000}, []string{
			"10k Steps walked in Decentraland", "40k Steps walked in Decentraland", "150k Steps walked in Decentraland",
			"600k Steps walked in Decentraland", "2.5M Steps walked in Decentraland", "10M Steps walked in Decentraland"}),
		simple("land_architect", "LAND Architect", "Builder", "Deployed a scene to Genesis City", 1),
		tiered("emote_creator", "Emote Creator", "Creator", "emote-creator", []int{1, 5, 10, 20, 50, 100}, []string{
			"1 Emote published", "5 Emotes published", "10 Emotes published", "20 Emotes published", "50 Emotes published", "100 Emotes published"}),
		tiered("wearable_designer", "Wearable Designer", "Creator", "wearable-designer", []int{1, 5, 25, 50, 175, 350}, []string{
			"1 Wearable published", "5 Wearables published", "25 Wearables published", "50 Wearables published", "175 Wearables published", "350 Wearables published"}),
		simple("music_festival_2024", "Decentraland Music Festival 2024", "Socializer", "Jumped in and attended Decentraland Music Festival 2024", 1),
		simple("fashion_week_2025", "Metaverse Fashion Week 2025", "Socializer", "Attended Metaverse Fashion Week 2025", 1),
		simple("builder_talent_trail_2025", "Builder Talent Trail 2025", "Socializer", "Completed the Builder Talent Trail 2025", 1),
		simple("music_talent_trail_2025", "Music Talent Trail 2025", "Socializer", "Completed the Music Talent Trail 2025", 1),
	}
}

// withAssets fills every badge's and tier's asset URLs under base (the
// real service's ${CDN_HOST}/<badgeId>/[<tier name>/]…) and what lookups need.
func withAssets(list []Badge, base string) []Badge {
	base = strings.TrimSuffix(base, "/")
	assets := func(path string) *Assets {
		return &Assets{
			TwoD:   map[string]string{"normal": path + "/2d/normal.png"},
			ThreeD: map[string]string{"normal": path + "/3d/normal.png", "hrm": path + "/3d/hrm.png", "basecolor": path + "/3d/basecolor.png"},
		}
	}
	for i := range list {
		b := &list[i]
		b.Assets = assets(base + "/" + b.ID)
		b.tierIndex = map[string]int{}
		for j := range b.Tiers {
			b.Tiers[j].Assets = assets(base + "/" + b.ID + "/" + strings.ToLower(b.Tiers[j].TierName))
			b.tierIndex[b.Tiers[j].TierID] = j
		}
		if len(b.Tiers) > 0 {
			b.steps = b.Tiers[len(b.Tiers)-1].Criteria.Steps
		} else {
			b.steps = b.Criteria.Steps
		}
	}
	return list
}

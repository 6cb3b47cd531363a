package marketplace

import (
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// params reads a request's query as the original's Params does (a value,
// a list of `k=…&k=…` or `k[]=…`, a number, a flag, an address, a value
// of an enum), but strictly: a parameter the route does not read, a
// number that is not one, an address that is not one or a value outside
// its enum is a 400 naming it, where the original drops it silently. The
// first fault is kept; the handler answers it once all are read.
type params struct {
	v       url.Values
	allowed []string
	err     error
}

// Bounds of a query: its parameters, one value and the list of one
// parameter.
const (
	maxQueryBytes = 16 << 10
	maxValues     = 500
	maxValueBytes = 512
)

// readParams checks a query against the parameters a route reads.
func readParams(r *http.Request, allowed ...string) *params {
	p := &params{allowed: allowed}
	if len(r.URL.RawQuery) > maxQueryBytes {
		p.err = fmt.Errorf("the query is longer than %d bytes", maxQueryBytes)
		return p
	}
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		p.err = fmt.Errorf("the query is not valid: %v", err)
		return p
	}
	p.v = v
	n := 0
	for k, vs := range v {
		name := strings.TrimSuffix(k, "[]")
		if !slices.Contains(allowed, name) {
			p.err = fmt.Errorf("unknown parameter '%s' (this route reads: %s)", k, strings.Join(allowed, ", "))
			return p
		}
		for _, s := range vs {
			if len(s) > maxValueBytes {
				p.err = fmt.Errorf("the value of '%s' is longer than %d bytes", k, maxValueBytes)
				return p
			}
		}
		if n += len(vs); n > maxValues {
			p.err = fmt.Errorf("more than %d values in the query", maxValues)
			return p
		}
	}
	return p
}

func (p *params) fail(format string, a ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, a...)
	}
}

func (p *params) has(k string) bool { return p.v.Has(k) || p.v.Has(k+"[]") }

// str is a parameter's first value ("" when absent).
func (p *params) str(k string) string { return p.v.Get(k) }

// list is every value of k and k[], empty ones left out.
func (p *params) list(k string) []string {
	var out []string
	for _, s := range append(slices.Clone(p.v[k]), p.v[k+"[]"]...) {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// flag is a boolean: present (empty or "true") is true, "false" false.
func (p *params) flag(k string) bool {
	if !p.v.Has(k) {
		return false
	}
	switch strings.ToLower(p.v.Get(k)) {
	case "", "true", "1":
		return true
	case "false", "0":
		return false
	}
	p.fail("'%s' must be true or false, not '%s'", k, p.v.Get(k))
	return false
}

// optFlag is a boolean that may be left out (nil).
func (p *params) optFlag(k string) *bool {
	if !p.v.Has(k) {
		return nil
	}
	b := p.flag(k)
	return &b
}

// maxNumber bounds what a count or an offset may be.
const maxNumber = 1_000_000_000

// num is a non-negative integer (def when absent).
func (p *params) num(k string, def int) int {
	s := p.v.Get(k)
	if !p.v.Has(k) || s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxNumber {
		p.fail("'%s' must be a whole number from 0 to %d, not '%s'", k, maxNumber, s)
		return def
	}
	return n
}

// optNum is a number that may be left out (-1).
func (p *params) optNum(k string) int {
	if s := p.v.Get(k); !p.v.Has(k) || s == "" {
		return -1
	}
	return p.num(k, -1)
}

// int64 is a signed whole number (a time in ms, a distance).
func (p *params) int64(k string) (int64, bool) {
	s := p.v.Get(k)
	if !p.v.Has(k) || s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		p.fail("'%s' must be a whole number, not '%s'", k, s)
		return 0, false
	}
	return n, true
}

// enum is a value of one of values ("" when absent).
func (p *params) enum(k string, values []string) string {
	s := p.v.Get(k)
	if s == "" {
		return ""
	}
	if !slices.Contains(values, s) {
		p.fail("'%s' must be one of %s, not '%s'", k, strings.Join(values, ", "), s)
		return ""
	}
	return s
}

// enumList is every value of k, each of values.
func (p *params) enumList(k string, values []string) []string {
	out := p.list(k)
	for _, s := range out {
		if !slices.Contains(values, s) {
			p.fail("'%s' must be one of %s, not '%s'", k, strings.Join(values, ", "), s)
			return nil
		}
	}
	return out
}

// address is an Ethereum address, lower-cased ("" when absent).
func (p *params) address(k string) string {
	s := p.v.Get(k)
	if s == "" {
		return ""
	}
	if !isAddress(s) {
		p.fail("'%s' must be an address (0x and 40 hex digits), not '%s'", k, s)
		return ""
	}
	return strings.ToLower(s)
}

// addressList is every value of k, each an address, lower-cased.
func (p *params) addressList(k string) []string {
	out := p.list(k)
	for i, s := range out {
		if !isAddress(s) {
			p.fail("'%s' must be an address (0x and 40 hex digits), not '%s'", k, s)
			return nil
		}
		out[i] = strings.ToLower(s)
	}
	return out
}

// decimalID is a token or item id: decimal digits ("" when absent).
func (p *params) decimalID(k, what string) string {
	s := p.v.Get(k)
	if s != "" && !isDecimal(s) {
		p.fail("Invalid %s, %s must be numbers", what, what)
		return ""
	}
	return s
}

// ether is an amount of MANA in ether (ethers.parseEther: up to 18
// decimals), in wei; nil when absent.
func (p *params) ether(k string) *big.Int {
	s := strings.TrimSpace(p.v.Get(k))
	if s == "" {
		return nil
	}
	w, ok := parseEther(s)
	if !ok {
		p.fail("'%s' must be an amount of MANA (up to 18 decimals), not '%s'", k, p.v.Get(k))
		return nil
	}
	return w
}

// wei is an amount in wei (decimal digits); nil when absent.
func (p *params) wei(k string) *big.Int {
	s := p.v.Get(k)
	if s == "" {
		return nil
	}
	if !isDecimal(s) {
		p.fail("'%s' must be an amount in wei (decimal digits), not '%s'", k, s)
		return nil
	}
	w, _ := new(big.Int).SetString(s, 10)
	return w
}

func parseEther(s string) (*big.Int, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 18 || len(whole) > 59 {
		return nil, false
	}
	if whole == "" {
		whole = "0"
	}
	if !isDecimal(whole) || frac != "" && !isDecimal(frac) {
		return nil, false
	}
	w, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", 18-len(frac)), 10)
	return w, ok
}

// The enums of @dcl/schemas the routes read.
var (
	nftCategories      = []string{"parcel", "estate", "ens", "wearable", "emote"}
	networks           = []string{"ETHEREUM", "MATIC"}
	rarityList         = []string{"common", "uncommon", "rare", "epic", "legendary", "exotic", "mythic", "unique"}
	genders            = []string{"female", "male", "unisex"}
	emotePlayModes     = []string{"simple", "loop"}
	emoteOutcomeTypes  = []string{"so", "mo", "ro"}
	wearableCategories = []string{"eyebrows", "eyes", "facial_hair", "hair", "head", "body_shape", "mouth", "upper_body", "lower_body",
		"feet", "earring", "eyewear", "hat", "helmet", "mask", "tiara", "top_head", "skin", "hands_wear"}
	emoteCategories = []string{"dance", "stunt", "greetings", "fun", "poses", "reactions", "horror", "miscellaneous"}
	// The wearable categories of isWearableHead and isWearableAccessory
	// (marketplace-squid's search_is_wearable_head / _accessory).
	headCategories      = []string{"eyebrows", "eyes", "facial_hair", "hair", "mouth"}
	accessoryCategories = []string{"earring", "eyewear", "hat", "helmet", "mask", "tiara", "top_head"}
)

func rarityRank(r string) int { return slices.Index(rarityList, strings.ToLower(r)) }

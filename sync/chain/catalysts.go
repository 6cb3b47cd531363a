package chain

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// Catalyst is a server of the DAO's catalyst list.
type Catalyst struct {
	ID      string `json:"id"` // 0x-hex of the bytes32 id
	Owner   string `json:"owner"`
	BaseURL string `json:"baseUrl"`
}

// maxCatalysts bounds the list read (the DAO lists a dozen).
const maxCatalysts = 1000

// Catalysts reads the DAO's catalyst list at the head: catalystCount,
// then every catalystIds(i), then every catalystById, three round trips.
// Domains are made URLs as the real catalyst does: an http:// one is
// skipped, one without a scheme gets https://.
func (s *Service) Catalysts(ctx context.Context) ([]Catalyst, error) {
	dao := s.contracts.Catalysts.Address
	if dao == (common.Address{}) {
		return nil, fmt.Errorf("chain: no catalyst list contract is configured")
	}
	res, err := s.eth.Calls(ctx, []Call{{To: dao, Data: pack("catalystCount"), Block: Latest}})
	if err != nil {
		return nil, err
	}
	if len(res[0]) < 32 {
		return nil, fmt.Errorf("chain: the catalyst list at %s answered no count (reverted, or not that contract)", dao.Hex())
	}
	count := word(res[0])
	if !count.IsInt64() || count.Int64() > maxCatalysts {
		return nil, fmt.Errorf("chain: the catalyst list says it holds %s servers; at most %d are read", count, maxCatalysts)
	}
	n := int(count.Int64())
	if n == 0 {
		return nil, nil
	}
	calls := make([]Call, n)
	for i := range calls {
		calls[i] = Call{To: dao, Data: pack("catalystIds", big.NewInt(int64(i))), Block: Latest}
	}
	if res, err = s.eth.Calls(ctx, calls); err != nil {
		return nil, err
	}
	ids := make([][32]byte, n)
	for i, r := range res {
		copy(ids[i][:], common.LeftPadBytes(r, 32)[:32])
		calls[i] = Call{To: dao, Data: pack("catalystById", ids[i]), Block: Latest}
	}
	if res, err = s.eth.Calls(ctx, calls); err != nil {
		return nil, err
	}
	var out []Catalyst
	for i, r := range res {
		vals, err := views.Unpack("catalystById", r)
		if err != nil || len(vals) != 5 {
			continue
		}
		owner, _ := vals[1].(common.Address)
		domain, _ := vals[2].(string)
		u, ok := CatalystURL(domain)
		if !ok {
			continue
		}
		out = append(out, Catalyst{ID: "0x" + common.Bytes2Hex(ids[i][:]), Owner: lower(owner), BaseURL: u})
	}
	return out, nil
}

// CatalystURL is a listed domain as a base URL: "" and http:// ones are
// refused, one without a scheme is https://, a trailing slash dropped.
func CatalystURL(domain string) (string, bool) {
	d := strings.TrimSpace(domain)
	switch {
	case d == "", strings.HasPrefix(d, "http://"), strings.ContainsAny(d, " \t\n"):
		return "", false
	case !strings.HasPrefix(d, "https://"):
		d = "https://" + d
	}
	return strings.TrimRight(d, "/"), len(d) > len("https://")
}

package node

import (
	"context"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/sync/chain/chaintest"
)

// TestChainChecks runs a node against two test chains (Ethereum and
// Polygon, chain ids 1 and 137) whose mock contracts sit at the mainnet
// addresses, with the default mainnet configuration: deployments are
// checked on chain and lambdas list what the chain says.
func TestChainChecks(t *testing.T) {
	net := chaintest.NewNetwork(t)
	n, base := startNode(t, func(c *Config) {
		c.EthRPC, c.PolygonRPC, c.ChainPollEvery = net.L1.URL, net.L2.URL, 20*time.Millisecond
		c.RateLimits = map[entity.Type]time.Duration{entity.Scene: 0, entity.Profile: 0, entity.Wearable: 0}
	})
	c := client{t, base}
	owner, operator, estateOwner, stranger, creator := entitytest.NewIdentity(), entitytest.NewIdentity(), entitytest.NewIdentity(), entitytest.NewIdentity(), entitytest.NewIdentity()
	a := func(id *entitytest.Identity) common.Address { return common.HexToAddress(id.Address) }
	col := net.Collection()
	net.L1.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return net.LAND.SetOwner(o, chaintest.Parcel(10, 20), a(owner))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return net.LAND.SetUpdateOperator(o, chaintest.Parcel(10, 20), a(operator))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return net.LAND.SetOwner(o, chaintest.Parcel(11, 20), net.Contracts.Estate.Address)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return net.Estate.SetLandEstate(o, chaintest.Parcel(11, 20), big.NewInt(9))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return net.Estate.SetOwner(o, big.NewInt(9), a(estateOwner))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return net.Registrar.Register(o, "owner", a(owner))
		},
	)
	net.L2.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return net.Factory.Add(o, chaintest.CollectionAddress)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.SetCreator(o, a(creator)) },
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.AddItem(o, big.NewInt(0), "common", big.NewInt(0), "")
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.SetFlags(o, false, true) },
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.Issue(o, a(owner), big.NewInt(0), a(creator))
		},
	)

	deploy := func(d *entitytest.Deployment, want int, says string) {
		t.Helper()
		status, body := c.deploy(d)
		if status != want {
			t.Fatalf("deploy: %d %v, want %d", status, body, want)
		}
		if says != "" && !strings.Contains(strings.Join(errorsOf(body), " "), says) {
			t.Fatalf("the refusal %v does not say %q", body, says)
		}
	}
	step := 0
	now := func() time.Time { // the chains' time, one second later at each call (later entities win)
		step++
		return time.Unix(int64(max(net.L1.Head().Time, net.L2.Head().Time)), 0).Add(time.Duration(step) * time.Second)
	}
	// Each scene is its signer's (the same file from two signers is one entity).
	scene := func(id *entitytest.Identity, parcels ...string) *entitytest.Deployment {
		return entitytest.Scene(id, now(), parcels, map[string][]byte{"bin/index.js": []byte(id.Address)})
	}
	deploy(scene(owner, "10,20"), 200, "")
	deploy(scene(operator, "10,20"), 200, "")
	deploy(scene(estateOwner, "11,20"), 200, "")
	deploy(scene(stranger, "10,20"), 400, stranger.Address+" does not own or operate parcel 10,20 at block")
	deploy(scene(owner, "10,20", "11,20"), 400, "parcel 11,20")

	// After a transfer, the new owner deploys.
	net.L1.Send(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return net.LAND.SetOwner(o, chaintest.Parcel(10, 20), a(stranger))
	})
	deploy(scene(stranger, "10,20"), 200, "")

	// NAMEs.
	claim := func(id *entitytest.Identity, name string) *entitytest.Deployment {
		meta := entitytest.ProfileMetadata(id, name)
		meta["avatars"].([]any)[0].(map[string]any)["hasClaimedName"] = true
		return entitytest.Build(id, entity.Profile, []string{id.Address}, now(), meta, nil)
	}
	deploy(claim(stranger, "owner"), 400, "does not own the NAME owner")
	deploy(claim(owner, "owner"), 200, "")

	// A collection item: its creator deploys it while the collection is
	// completed and not approved; a stranger may not.
	urn := "urn:decentraland:matic:collections-v2:" + chaintest.Addr(chaintest.CollectionAddress) + ":0"
	deploy(entitytest.Wearable(stranger, urn, "Hat", "hat", now()), 400, "does not have access to the item")
	deploy(entitytest.Wearable(creator, urn, "Hat", "hat", now()), 200, "")

	// Lambdas answer from the index, once the blocks are confirmed (12
	// on Ethereum, 64 on Polygon).
	for _, ch := range []*chaintest.Chain{net.L1, net.L2} {
		for range 65 {
			ch.Commit()
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for name, ch := range map[string]*chaintest.Chain{"ethereum": net.L1, "polygon": net.L2} {
		if err := n.Chain.Indexer(name).WaitFor(ctx, ch.Head().Number.Uint64()-65); err != nil {
			t.Fatal(err)
		}
	}
	var names pageJSON
	c.json("GET", "/lambdas/users/"+owner.Address+"/names", nil, &names)
	if names.TotalAmount != 1 || names.Elements[0]["name"] != "owner" || names.Elements[0]["contractAddress"] != chaintest.Addr(net.Contracts.Registrar.Address) {
		t.Errorf("names: %+v", names)
	}
	var owned map[string]string
	if c.json("GET", "/lambdas/names/owner/owner", nil, &owned); owned["owner"] != owner.Address {
		t.Errorf("owner of the NAME: %v", owned)
	}
	var lands pageJSON
	c.json("GET", "/lambdas/users/"+estateOwner.Address+"/lands", nil, &lands)
	if lands.TotalAmount != 1 || lands.Elements[0]["category"] != "estate" || lands.Elements[0]["tokenId"] != "9" {
		t.Errorf("lands of the estate owner: %+v", lands)
	}
	c.json("GET", "/lambdas/users/"+stranger.Address+"/lands", nil, &lands)
	if lands.TotalAmount != 1 || lands.Elements[0]["x"] != "10" || lands.Elements[0]["y"] != "20" {
		t.Errorf("lands of the new owner: %+v", lands)
	}
	var ops map[string]any
	c.json("GET", "/lambdas/parcels/11/20/operators", nil, &ops)
	if ops["owner"] != estateOwner.Address {
		t.Errorf("operators of an estate's parcel: %v", ops)
	}
	var wearables pageJSON
	c.json("GET", "/lambdas/users/"+owner.Address+"/wearables", nil, &wearables)
	if wearables.TotalAmount != 1 || wearables.Elements[0]["urn"] != urn {
		t.Fatalf("wearables of the owner: %+v", wearables)
	}
	ids, _ := wearables.Elements[0]["individualData"].([]any)
	if len(ids) != 1 || !strings.HasPrefix(ids[0].(map[string]any)["id"].(string), urn+":") {
		t.Errorf("individual data: %v", ids)
	}
	var explorer pageJSON
	c.json("GET", "/explorer/"+owner.Address+"/wearables?collectionType=on-chain", nil, &explorer)
	if explorer.TotalAmount != 1 {
		t.Errorf("explorer wearables: %+v", explorer)
	}

	var about map[string]any
	c.json("GET", "/about", nil, &about)
	chainAbout, _ := about["chain"].(map[string]any)
	if checks, _ := chainAbout["checks"].([]any); !slices.Contains(checks, any("scenes")) {
		t.Errorf("/about chain: %v", about["chain"])
	}
}

// TestDevModeSaysSo: without an RPC the node starts, accepts what it
// cannot check, and says so.
func TestDevModeSaysSo(t *testing.T) {
	_, base := startNode(t, nil)
	c := client{t, base}
	stranger := entitytest.NewIdentity()
	if status, body := c.deploy(entitytest.Scene(stranger, time.Now(), []string{"10,20"}, nil)); status != 200 {
		t.Fatalf("dev mode: %d %v", status, body)
	}
	var about map[string]any
	c.json("GET", "/about", nil, &about)
	ch, _ := about["chain"].(map[string]any)
	if ch["checks"] != "none" || !strings.Contains(ch["devMode"].(string), "anyone may deploy") {
		t.Errorf("/about chain in dev mode: %v", about["chain"])
	}
}

func errorsOf(body map[string]any) []string {
	var out []string
	if list, ok := body["errors"].([]any); ok {
		for _, e := range list {
			out = append(out, e.(string))
		}
	}
	return out
}

type pageJSON struct {
	Elements    []map[string]any `json:"elements"`
	TotalAmount int              `json:"totalAmount"`
}

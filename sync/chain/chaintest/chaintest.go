// Package chaintest runs test chains for the node's chain code: a
// go-ethereum simulated backend serving JSON-RPC over HTTP on loopback,
// with the mocks of ../contracts placed at the Decentraland addresses of
// a network, so a node reads it exactly as it reads the real chain.
package chaintest

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/p2pcatalyst/catalyst/sync/chain"
)

// Chain is one test chain: a simulated backend, or a development chain
// reached over JSON-RPC (anvil, hardhat).
type Chain struct {
	t testing.TB
	// Backend is the simulated chain (nil for a dialled one).
	Backend *simulated.Backend
	client  backend
	rpc     *rpc.Client // dialled chains
	// URL is the chain's JSON-RPC endpoint.
	URL     string
	ChainID uint64
	// Key funds and signs every transaction (the setters of the mocks
	// are open to anyone).
	Key  *ecdsa.PrivateKey
	From common.Address
}

// New starts a test chain of chain id id whose genesis places the
// runtime code of the named mocks at the given addresses.
func New(t testing.TB, id uint64, code map[common.Address]string) *Chain {
	t.Helper()
	key, _ := crypto.GenerateKey()
	from := crypto.PubkeyToAddress(key.PublicKey)
	alloc := types.GenesisAlloc{from: {Balance: new(big.Int).Lsh(big.NewInt(1), 100)}}
	for addr, mock := range code {
		hexCode, ok := runtime[mock]
		if !ok {
			t.Fatalf("chaintest: no mock %s", mock)
		}
		alloc[addr] = types.Account{Code: common.FromHex(hexCode), Balance: new(big.Int)}
	}
	port := freePort(t)
	backend := simulated.NewBackend(alloc, func(nc *node.Config, ec *ethconfig.Config) {
		nc.HTTPHost, nc.HTTPPort = "127.0.0.1", port
		nc.HTTPVirtualHosts, nc.HTTPModules = []string{"*"}, []string{"eth", "net", "web3"}
		cfg := *params.AllDevChainProtocolChanges
		cfg.ChainID = new(big.Int).SetUint64(id)
		ec.Genesis.Config = &cfg
		ec.NetworkId = id
	}, simulated.WithBlockGasLimit(1_000_000_000), simulated.WithCallGasLimit(100_000_000))
	c := &Chain{t: t, Backend: backend, client: backend.Client(), URL: fmt.Sprintf("http://127.0.0.1:%d", port), ChainID: id, Key: key, From: from}
	t.Cleanup(func() { backend.Close() })
	c.Commit()
	return c
}

// backend is what the tests need of a chain client (simulated.Client
// and ethclient.Client both are).
type backend interface {
	bind.ContractBackend
	bind.DeployBackend
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
}

// Dial takes a development chain at url (anvil, hardhat): the runtime
// code of the named mocks goes to the given addresses and a new key is
// funded, both with the chain's <prefix>_setCode and <prefix>_setBalance
// (prefix "anvil" or "hardhat"); Commit mines a block.
func Dial(t testing.TB, url, prefix string, code map[common.Address]string) *Chain {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := rpc.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	eth := ethclient.NewClient(r)
	id, err := eth.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := crypto.GenerateKey()
	from := crypto.PubkeyToAddress(key.PublicKey)
	if err := r.CallContext(ctx, nil, prefix+"_setBalance", from, hexutil.EncodeBig(new(big.Int).Lsh(big.NewInt(1), 100))); err != nil {
		t.Fatal(err)
	}
	for addr, mock := range code {
		if err := r.CallContext(ctx, nil, prefix+"_setCode", addr, "0x"+runtime[mock]); err != nil {
			t.Fatal(err)
		}
	}
	return &Chain{t: t, client: eth, rpc: r, URL: url, ChainID: id.Uint64(), Key: key, From: from}
}

// Runtime is a mock's deployed code, hex.
func Runtime(mock string) string { return runtime[mock] }

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Commit seals a block of what was sent.
func (c *Chain) Commit() {
	if c.Backend != nil {
		c.Backend.Commit()
		return
	}
	if err := c.rpc.Call(nil, "evm_mine"); err != nil {
		c.t.Fatal(err)
	}
}

// Opts are transaction options of the funded key.
func (c *Chain) Opts() *bind.TransactOpts {
	opts := bind.NewKeyedTransactor(c.Key, new(big.Int).SetUint64(c.ChainID))
	opts.GasLimit = 16_000_000
	return opts
}

// Head is the latest block.
func (c *Chain) Head() *types.Header {
	h, err := c.client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return h
}

// Send sends the transactions made by fns, seals them in one block and
// fails the test if any reverts.
func (c *Chain) Send(fns ...func(*bind.TransactOpts) (*types.Transaction, error)) {
	c.t.Helper()
	opts := c.Opts()
	nonce, err := c.client.PendingNonceAt(context.Background(), c.From)
	if err != nil {
		c.t.Fatal(err)
	}
	var txs []*types.Transaction
	for _, fn := range fns {
		opts.Nonce = new(big.Int).SetUint64(nonce)
		nonce++
		tx, err := fn(opts)
		if err != nil {
			c.t.Fatal(err)
		}
		txs = append(txs, tx)
	}
	if c.Backend != nil { // a development chain mines each transaction itself
		// The pool promotes transactions in the background: seal only
		// once every one is pending, and again while any is left out.
		deadline := time.Now().Add(time.Minute)
		for {
			pending, err := c.client.PendingNonceAt(context.Background(), c.From)
			if err != nil {
				c.t.Fatal(err)
			}
			if pending >= nonce || time.Now().After(deadline) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		c.Commit()
		for range 5 {
			if _, err := c.client.TransactionReceipt(context.Background(), txs[len(txs)-1].Hash()); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
			c.Commit()
		}
	}
	for _, tx := range txs {
		r := c.receipt(tx.Hash())
		if r.Status != types.ReceiptStatusSuccessful {
			c.t.Fatalf("chaintest: transaction %s reverted", tx.Hash())
		}
	}
}

// receipt waits for a transaction's receipt (a chain indexes its
// transactions in the background: under the race detector, slowly).
func (c *Chain) receipt(h common.Hash) *types.Receipt {
	c.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		r, err := c.client.TransactionReceipt(context.Background(), h)
		if err == nil {
			return r
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("chaintest: no receipt of %s: %v", h, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Network is a pair of test chains standing for Ethereum (chain id 1)
// and Polygon (137), with every mock at the mainnet address of the
// contract it stands for: a node with the default mainnet contracts
// reads them. Only the collection-store and wallet addresses are the
// tests' own.
type Network struct {
	L1, L2    *Chain
	Contracts chain.Contracts

	LAND, Estate *MockRegistry
	Registrar    *MockRegistrar
	Catalysts    *MockCatalysts
	Wallet       *MockWallet
	WalletAddr   common.Address
	Factory      *MockFactory
	Committee    *MockCommittee
	TPR          *MockThirdPartyRegistry
}

// Addresses of test-only contracts.
var (
	WalletAddress     = common.HexToAddress("0x00000000000000000000000000000000000c0de1")
	StoreAddress      = common.HexToAddress("0x00000000000000000000000000000000000c0de2")
	CollectionAddress = common.HexToAddress("0x00000000000000000000000000000000000c0de3")
)

// mainnet is the mainnet contracts with the tests' collection store.
func mainnet() chain.Contracts {
	c := chain.Networks["mainnet"]
	c.CollectionStore = chain.Contract{Address: StoreAddress}
	return c
}

// L1Code and L2Code are the mocks of each chain, at the mainnet
// addresses.
func L1Code() map[common.Address]string {
	c := mainnet()
	return map[common.Address]string{
		c.LAND.Address: "MockRegistry", c.Estate.Address: "MockRegistry", c.Registrar.Address: "MockRegistrar",
		c.Catalysts.Address: "MockCatalysts", WalletAddress: "MockWallet",
		c.CollectionsV1["halloween_2019"].Address: "MockRegistry",
	}
}

func L2Code() map[common.Address]string {
	c := mainnet()
	code := map[common.Address]string{c.ThirdPartyRegistry.Address: "MockThirdPartyRegistry", CollectionAddress: "MockCollectionV2"}
	for _, f := range c.CollectionFactories {
		code[f.Address] = "MockFactory"
	}
	for _, m := range c.Committees {
		code[m.Address] = "MockCommittee"
	}
	return code
}

// NewNetwork starts both chains, simulated.
func NewNetwork(t testing.TB) *Network {
	t.Helper()
	return On(t, New(t, 1, L1Code()), New(t, 137, L2Code()))
}

// On binds the mocks of two chains that hold L1Code and L2Code.
func On(t testing.TB, l1, l2 *Chain) *Network {
	c := mainnet()
	n := &Network{L1: l1, L2: l2, Contracts: c, WalletAddr: WalletAddress}
	b1, b2 := l1.client, l2.client
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	n.LAND, err = NewMockRegistry(c.LAND.Address, b1)
	must(err)
	n.Estate, err = NewMockRegistry(c.Estate.Address, b1)
	must(err)
	n.Registrar, err = NewMockRegistrar(c.Registrar.Address, b1)
	must(err)
	n.Catalysts, err = NewMockCatalysts(c.Catalysts.Address, b1)
	must(err)
	n.Wallet, err = NewMockWallet(WalletAddress, b1)
	must(err)
	n.Factory, err = NewMockFactory(c.CollectionFactories[1].Address, b2)
	must(err)
	n.Committee, err = NewMockCommittee(c.Committees[1].Address, b2)
	must(err)
	n.TPR, err = NewMockThirdPartyRegistry(c.ThirdPartyRegistry.Address, b2)
	must(err)
	return n
}

// Collection is the test collection v2 at CollectionAddress.
func (n *Network) Collection() *MockCollectionV2 {
	col, err := NewMockCollectionV2(CollectionAddress, n.L2.client)
	if err != nil {
		n.L1.t.Fatal(err)
	}
	return col
}

// Parcel is LAND's token id of (x,y).
func Parcel(x, y int64) *big.Int {
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	bx := new(big.Int).And(big.NewInt(x), mask)
	by := new(big.Int).And(big.NewInt(y), mask)
	return bx.Lsh(bx, 128).Or(bx, by)
}

// Addr is the lower-case hex of an address.
func Addr(a common.Address) string { return strings.ToLower(a.Hex()) }

// AdjustTime seals an empty block d later than the last. The pool
// forgets the transactions of a sealed block in the background, and the
// simulated beacon refuses to adjust while it still holds any: it is
// asked again until the pool has caught up.
func (c *Chain) AdjustTime(d time.Duration) {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := c.Backend.AdjustTime(d)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("chaintest: adjust time: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

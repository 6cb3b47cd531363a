// Package chain is the node's reader of Ethereum and Polygon: a JSON-RPC
// client (batched, cached, retried, measured), the access checks of the
// deployment pipeline (LAND and estates, NAMEs, items, collections,
// third parties, contract wallets), and an indexer of the ownership
// events of the Decentraland contracts into the store, which lambdas and
// the services read.
//
// The checks are view calls at historical blocks, as the real catalyst
// makes them; the parcel checks of a scene are one call per block of a
// contract that is never deployed (contracts/Access.sol): eth_call runs
// its creation code, so no helper contract must exist on the chain.
// go-ethereum's rpc package carries the calls; the block search, the
// checks and the indexer are this package's own, because no library
// knows Decentraland's contracts.
//
// Without an RPC the node runs in dev mode: the pipeline is given no
// access checker (anyone may deploy anything a signature allows), and
// lambdas answer ownership from the deployments alone. With an Ethereum
// RPC and no Polygon RPC, collections v2, third-party items and worn L2
// items are not checked. /about and the start log say which.
package chain

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// Config configures the chain service.
type Config struct {
	// Network is "mainnet" or "sepolia"; Contracts, when set, replaces
	// its addresses (--contracts).
	Network   string
	Contracts *Contracts
	// EthRPC and PolygonRPC are JSON-RPC URLs; "" means none.
	EthRPC, PolygonRPC string
	Store              *store.Store
	// Bus receives the platform events of the chain (item-sold, …);
	// nil: none are published.
	Bus     *events.Bus
	Logger  *slog.Logger
	Metrics prometheus.Registerer
	// Index turns the indexer on (default in a node with an RPC).
	Index bool
	// Confirmations is how far behind the head the indexer stays (0:
	// 12 blocks on Ethereum, 64 on Polygon).
	Confirmations uint64
	// PollEvery is how often a caught-up indexer looks for new blocks
	// (0: 12 s on Ethereum, 4 s on Polygon).
	PollEvery time.Duration
}

// Service is the chain as the node's parts see it.
type Service struct {
	cfg       Config
	estates   estateIndex // EstateParcels' scan
	network   string
	contracts Contracts
	eth       *Client
	polygon   *Client // nil: no Polygon RPC
	ks        *store.Keyspace
	log       *slog.Logger
	m         *metrics
	indexers  []*Indexer
}

// New builds the chain service of cfg; nothing is dialled until Start.
// A config without an Ethereum RPC is an error: the node then runs
// without one (dev mode).
func New(cfg Config) (*Service, error) {
	if cfg.EthRPC == "" {
		return nil, fmt.Errorf("chain: no Ethereum RPC")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	c, ok := Networks[cfg.Network]
	if cfg.Contracts != nil {
		c, ok = *cfg.Contracts, true
	}
	if !ok {
		return nil, fmt.Errorf("chain: unknown network %q", cfg.Network)
	}
	s := &Service{cfg: cfg, network: cfg.Network, contracts: c, log: cfg.Logger.With("component", "chain"), m: newMetrics(cfg.Metrics)}
	if cfg.Store != nil {
		s.ks = cfg.Store.Keyspace("chain")
	}
	s.eth = newClient("ethereum", cfg.EthRPC, c.ChainID, cfg.Logger, s.m)
	if cfg.PolygonRPC != "" {
		s.polygon = newClient("polygon", cfg.PolygonRPC, c.PolygonChainID, cfg.Logger, s.m)
	}
	if cfg.Index && s.ks != nil {
		s.indexers = append(s.indexers, newIndexer(s, s.eth, l1Sources(c), cfg.Confirmations))
		if s.polygon != nil {
			s.indexers = append(s.indexers, newIndexer(s, s.polygon, l2Sources(c), cfg.Confirmations))
		}
	}
	return s, nil
}

// Start dials the RPCs (an RPC of another chain stops the node) and
// starts the indexers.
func (s *Service) Start(ctx context.Context) error {
	for _, c := range s.clients() {
		if err := c.Start(ctx); err != nil {
			return err
		}
	}
	for _, ix := range s.indexers {
		ix.start()
	}
	what := "scenes, NAMEs and L1 items"
	if s.polygon != nil {
		what += ", collections v2, third-party items and L2 items"
	} else {
		what += "; without --polygon-rpc, collections v2, third-party and L2 items are not checked"
	}
	s.log.Info("chain checks on", "network", s.network, "ethereum", redact(s.cfg.EthRPC), "polygon", redact(s.cfg.PolygonRPC), "checks", what, "indexer", len(s.indexers) > 0)
	return nil
}

// Stop stops the indexers and closes the RPCs.
func (s *Service) Stop(ctx context.Context) error {
	for _, ix := range s.indexers {
		ix.stop()
	}
	for _, c := range s.clients() {
		c.Stop(ctx)
	}
	return nil
}

func (s *Service) clients() []*Client {
	if s.polygon != nil {
		return []*Client{s.eth, s.polygon}
	}
	return []*Client{s.eth}
}

// Ethereum and Polygon are the RPC clients (Polygon may be nil).
func (s *Service) Ethereum() *Client { return s.eth }
func (s *Service) Polygon() *Client  { return s.polygon }

// Indexer is the indexer of a chain ("ethereum", "polygon"), nil when
// that chain is not indexed.
func (s *Service) Indexer(chain string) *Indexer {
	for _, ix := range s.indexers {
		if ix.c.name == chain {
			return ix
		}
	}
	return nil
}

// Contracts are the addresses the service reads.
func (s *Service) Contracts() Contracts { return s.contracts }

// Status is what /about and the dashboard show of the chain.
type Status struct {
	Network string        `json:"network"`
	Chains  []ChainStatus `json:"chains"`
	Checks  []string      `json:"checks"`
}

// ChainStatus is one RPC's state.
type ChainStatus struct {
	Name     string `json:"name"`
	RPC      string `json:"rpc"`
	Verified bool   `json:"verified"`
	Head     uint64 `json:"head"`
	Indexed  uint64 `json:"indexedBlock,omitempty"`
}

// Status reports the RPCs and what is checked.
func (s *Service) Status() Status {
	st := Status{Network: s.network, Checks: []string{"scenes", "names", "l1-items", "eip-1271"}}
	if s.polygon != nil {
		st.Checks = append(st.Checks, "collections-v2", "third-party", "l2-items")
	}
	for _, c := range s.clients() {
		h, _ := c.knownHead()
		c.mu.Lock()
		cs := ChainStatus{Name: c.name, RPC: redact(c.url), Verified: c.verified, Head: h.Number}
		c.mu.Unlock()
		for _, ix := range s.indexers {
			if ix.c == c {
				cs.Indexed = ix.Indexed()
			}
		}
		st.Chains = append(st.Chains, cs)
	}
	return st
}

var _ authchain.ContractVerifier = (*Service)(nil)

// magic is isValidSignature's success value (EIP-1654 / EIP-1271).
var magic = []byte{0x16, 0x26, 0xba, 0x7e}

// IsValidSignature asks the wallet contract, at the head, whether sig
// signs message: over keccak256(message), then over the personal_sign
// hash, as @dcl/crypto does (both in one round trip).
func (s *Service) IsValidSignature(ctx context.Context, wallet common.Address, message string, sig []byte) (bool, error) {
	var calls []Call
	for _, h := range [][]byte{crypto.Keccak256([]byte(message)), authchain.PersonalHash(message)} {
		var digest [32]byte
		copy(digest[:], h)
		calls = append(calls, Call{To: wallet, Data: pack("isValidSignature", digest, sig), Block: Latest})
	}
	res, err := s.eth.Calls(ctx, calls)
	if err != nil {
		return false, err
	}
	for _, r := range res {
		if len(r) >= 4 && bytes.Equal(r[:4], magic) {
			return true, nil
		}
	}
	return false, nil
}

func lower(a common.Address) string { return strings.ToLower(a.Hex()) }

package node

import (
	"context"
	"strconv"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/lambdas"
	"github.com/p2pcatalyst/catalyst/sync/chain"
)

// newChain builds the chain service of the config, or nil in dev mode
// (no Ethereum RPC).
func (n *Node) newChain() (*chain.Service, error) {
	cfg := n.cfg
	if cfg.EthRPC == "" {
		return nil, nil
	}
	contracts, err := chain.LoadContracts(cfg.ContractsFile, cfg.EthNetwork)
	if err != nil {
		return nil, err
	}
	return chain.New(chain.Config{
		Network: cfg.EthNetwork, Contracts: &contracts, EthRPC: cfg.EthRPC, PolygonRPC: cfg.PolygonRPC,
		Store: n.Store, Bus: n.Events, Logger: cfg.Logger, Metrics: n.Registry, Index: true, PollEvery: cfg.ChainPollEvery,
	})
}

// chainStatus is /about's chain section.
func (n *Node) chainStatus() any {
	if n.Chain == nil {
		return map[string]any{
			"checks":  "none",
			"devMode": "no Ethereum RPC (--eth-rpc): anyone may deploy to any parcel, claim any NAME and wear any item; contract-wallet signatures are refused",
		}
	}
	return n.Chain.Status()
}

// lambdasChain shows the chain's index to lambdas in lambdas' terms.
type lambdasChain struct{ c *chain.Service }

var _ lambdas.Chain = lambdasChain{}

func (l lambdasChain) Names(ctx context.Context, a string) ([]string, error) {
	return l.c.Names(ctx, a)
}

func (l lambdasChain) Owned(ctx context.Context, a string, urns []string) (map[string]bool, error) {
	return l.c.Owned(ctx, a, urns)
}

func (l lambdasChain) NameOwner(ctx context.Context, name string) (string, error) {
	return l.c.NameOwner(ctx, name)
}

func (l lambdasChain) NameTokens(ctx context.Context, a string) ([]lambdas.NameToken, error) {
	list, err := l.c.NameTokens(ctx, a)
	out := make([]lambdas.NameToken, len(list))
	registrar := strings.ToLower(l.c.Contracts().Registrar.Address.Hex())
	for i, n := range list {
		out[i] = lambdas.NameToken{Name: n.Name, ContractAddress: registrar, TokenID: n.TokenID.String()}
	}
	return out, err
}

func (l lambdasChain) Lands(ctx context.Context, a string) ([]lambdas.Land, error) {
	list, err := l.c.Lands(ctx, a)
	out := make([]lambdas.Land, len(list))
	for i, p := range list {
		out[i] = lambdas.Land{ContractAddress: p.Contract, TokenID: p.TokenID.String(), Category: p.Category}
		if p.Category == "parcel" {
			out[i].X, out[i].Y = strconv.Itoa(p.X), strconv.Itoa(p.Y)
		}
	}
	return out, err
}

func (l lambdasChain) ParcelOperators(ctx context.Context, x, y int) (lambdas.ParcelOperators, error) {
	po, err := l.c.Operators(ctx, x, y)
	return lambdas.ParcelOperators{
		Owner: po.Owner, Operator: po.Operator, UpdateOperator: po.UpdateOperator,
		UpdateManagers: po.UpdateManagers, ApprovedForAll: po.ApprovedForAll,
	}, err
}

func (l lambdasChain) Items(ctx context.Context, a string) ([]lambdas.ItemToken, error) {
	list, err := l.c.Items(ctx, a)
	out := make([]lambdas.ItemToken, len(list))
	for i, t := range list {
		out[i] = lambdas.ItemToken{URN: t.URN, TokenID: t.TokenID.String(), TransferredAt: t.Since * 1000}
	}
	return out, err
}

// Package ethrpc reaches an Ethereum JSON-RPC endpoint for what the node
// must ask the chain: today, contract-wallet (EIP-1654/1271) signatures.
package ethrpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// magic is isValidSignature's success value (EIP-1654 / EIP-1271).
var magic = []byte{0x16, 0x26, 0xba, 0x7e}

var validatorABI = mustABI(`[{"name":"isValidSignature","type":"function","stateMutability":"view",
 "inputs":[{"name":"hash","type":"bytes32"},{"name":"signature","type":"bytes"}],
 "outputs":[{"name":"","type":"bytes4"}]}]`)

func mustABI(s string) abi.ABI {
	a, err := abi.JSON(strings.NewReader(s))
	if err != nil {
		panic(err)
	}
	return a
}

// Client is an Ethereum RPC client.
type Client struct {
	url     string
	eth     *ethclient.Client
	timeout time.Duration
}

// ErrNotStarted is returned by a Client asked before Start.
var ErrNotStarted = errors.New("ethrpc: not started")

// New makes a client of an RPC URL (http(s) or ws(s)); Start connects.
func New(url string) *Client { return &Client{url: url, timeout: 10 * time.Second} }

// Dial is New and Start.
func Dial(ctx context.Context, url string) (*Client, error) {
	c := New(url)
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Start connects (for http(s), only prepares the transport).
func (c *Client) Start(ctx context.Context) error {
	eth, err := ethclient.DialContext(ctx, c.url)
	if err != nil {
		return fmt.Errorf("ethrpc: dial %s: %w", c.url, err)
	}
	c.eth = eth
	return nil
}

// Stop closes the connection.
func (c *Client) Stop(context.Context) error {
	c.Close()
	return nil
}

// Close closes the connection.
func (c *Client) Close() {
	if c.eth != nil {
		c.eth.Close()
	}
}

// reverted reports whether err is the node's verdict that the call
// reverted (JSON-RPC code 3, as geth and Erigon answer, or -32015, as
// Nethermind and OpenEthereum do): for isValidSignature, a "no". Any other
// error — the transport, a rate limit, a node that is down — decides
// nothing.
func reverted(err error) bool {
	var re rpc.Error
	return errors.As(err, &re) && (re.ErrorCode() == 3 || re.ErrorCode() == -32015)
}

var _ authchain.ContractVerifier = (*Client)(nil)

// IsValidSignature asks the wallet contract whether sig signs message:
// first over keccak256(message), then over the personal_sign hash, as
// @dcl/crypto does.
func (c *Client) IsValidSignature(ctx context.Context, wallet common.Address, message string, sig []byte) (bool, error) {
	if c.eth == nil {
		return false, ErrNotStarted
	}
	for _, h := range [][]byte{crypto.Keccak256([]byte(message)), authchain.PersonalHash(message)} {
		var digest [32]byte
		copy(digest[:], h)
		data, err := validatorABI.Pack("isValidSignature", digest, sig)
		if err != nil {
			return false, err
		}
		cctx, cancel := context.WithTimeout(ctx, c.timeout)
		out, err := c.eth.CallContract(cctx, ethereum.CallMsg{To: &wallet, Data: data}, nil)
		cancel()
		if err != nil {
			// A revert means "no" for this hash form; anything else is an error.
			if reverted(err) {
				continue
			}
			return false, fmt.Errorf("ethrpc: isValidSignature on %s: %w", wallet.Hex(), err)
		}
		if len(out) >= 4 && bytes.Equal(out[:4], magic) {
			return true, nil
		}
	}
	return false, nil
}

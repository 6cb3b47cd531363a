// Package ethrpc reaches an Ethereum JSON-RPC endpoint for what the node
// must ask the chain: today, contract-wallet (EIP-1654/1271) signatures.
package ethrpc

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

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
	eth     *ethclient.Client
	timeout time.Duration
}

// Dial connects to an RPC URL (http(s) or ws(s)).
func Dial(ctx context.Context, url string) (*Client, error) {
	c, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("ethrpc: dial %s: %w", url, err)
	}
	return &Client{eth: c, timeout: 10 * time.Second}, nil
}

// Close closes the connection.
func (c *Client) Close() { c.eth.Close() }

var _ authchain.ContractVerifier = (*Client)(nil)

// IsValidSignature asks the wallet contract whether sig signs message:
// first over keccak256(message), then over the personal_sign hash, as
// @dcl/crypto does.
func (c *Client) IsValidSignature(ctx context.Context, wallet common.Address, message string, sig []byte) (bool, error) {
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
			// A revert means "no" for this hash form; transport errors are errors.
			if strings.Contains(err.Error(), "revert") {
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

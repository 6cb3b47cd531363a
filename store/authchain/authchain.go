// Package authchain verifies Decentraland auth chains: the signed delegation
// from a wallet (SIGNER) through optional ephemeral keys to a final payload
// (an entity id, a comms challenge or a signed-fetch request).
//
// It is a pure leaf: it imports nothing of this project and does no I/O of
// its own. EIP-1654 (contract wallet) links are checked through a
// ContractVerifier the caller supplies; without one they are rejected.
package authchain

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// LinkType names what a link proves.
type LinkType string

// The link types of an auth chain.
const (
	Signer              LinkType = "SIGNER"
	Ephemeral           LinkType = "ECDSA_EPHEMERAL"
	SignedEntity        LinkType = "ECDSA_SIGNED_ENTITY"
	EIP1654Ephemeral    LinkType = "ECDSA_EIP_1654_EPHEMERAL"
	EIP1654SignedEntity LinkType = "ECDSA_EIP_1654_SIGNED_ENTITY"
)

// Limits of a chain, as the content server enforces them.
const (
	MaxLinks      = 10
	MaxFieldChars = 100000
)

// Link is one step of a chain. The SIGNER link's signature is "" (or null
// on the wire, which decodes to "").
type Link struct {
	Type      LinkType `json:"type"`
	Payload   string   `json:"payload"`
	Signature string   `json:"signature"`
}

// Chain is an auth chain, first link SIGNER.
type Chain []Link

// Signer is the wallet address that heads the chain ("" if malformed).
func (c Chain) Signer() string {
	if len(c) == 0 || c[0].Type != Signer {
		return ""
	}
	return c[0].Payload
}

// Simple builds the two-link chain of a wallet signing a payload directly,
// as the legacy ethAddress+signature deployment form implies.
func Simple(address, payload, signature string) Chain {
	return Chain{
		{Type: Signer, Payload: address},
		{Type: SignedEntity, Payload: payload, Signature: signature},
	}
}

// ContractVerifier checks a contract wallet's signature (EIP-1654/1271)
// over a personal message, at the latest block.
type ContractVerifier interface {
	IsValidSignature(ctx context.Context, wallet common.Address, message string, sig []byte) (bool, error)
}

// ErrNoContractVerifier rejects EIP-1654 links on a node without an
// Ethereum RPC.
var ErrNoContractVerifier = errors.New("EIP-1654 signatures need an Ethereum RPC, and this node has none configured (--eth-rpc)")

// Verifier checks chains. The zero value verifies ECDSA chains and rejects
// EIP-1654 links.
type Verifier struct {
	Contracts ContractVerifier // nil: EIP-1654 links are rejected
}

// Error is a verification failure: the chain is not valid. Its text is
// meant for the user. Anything else Verify returns is a failure to decide
// (a contract wallet's RPC did not answer), not a verdict on the chain.
type Error struct {
	Link int // index of the failing link, -1 for the chain as a whole
	Msg  string
	Err  error // the cause, when there is one
}

func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	if e.Link < 0 {
		return "invalid auth chain: " + e.Msg
	}
	return fmt.Sprintf("invalid auth chain: link %d: %s", e.Link, e.Msg)
}

func chainErr(format string, a ...any) error { return &Error{Link: -1, Msg: fmt.Sprintf(format, a...)} }
func linkErr(i int, format string, a ...any) error {
	return &Error{Link: i, Msg: fmt.Sprintf(format, a...)}
}
func linkCause(i int, cause error) error { return &Error{Link: i, Msg: cause.Error(), Err: cause} }

// Verify checks that chain delegates from its SIGNER to finalPayload, with
// every ephemeral key unexpired at the reference time (an entity's timestamp
// for deployments, now for handshakes and signed fetch). It returns the
// signer's address, lower-cased.
func (v Verifier) Verify(ctx context.Context, chain Chain, finalPayload string, at time.Time) (string, error) {
	if err := WellFormed(chain); err != nil {
		return "", err
	}
	authority := chain[0].Payload
	if !common.IsHexAddress(authority) {
		return "", linkErr(0, "signer %q is not an Ethereum address", authority)
	}
	for i := 1; i < len(chain); i++ {
		l := chain[i]
		switch l.Type {
		case Ephemeral, EIP1654Ephemeral:
			msg := strings.ReplaceAll(l.Payload, "\r", "")
			eph, exp, err := parseEphemeral(msg)
			if err != nil {
				return "", linkCause(i, err)
			}
			if !exp.After(at) {
				return "", linkErr(i, "ephemeral key expired at %s (checked at %s)", exp.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
			}
			if err := v.checkSignature(ctx, i, l.Type == EIP1654Ephemeral, authority, msg, l.Signature); err != nil {
				return "", err
			}
			authority = eph
		case SignedEntity, EIP1654SignedEntity:
			if i != len(chain)-1 {
				return "", linkErr(i, "%s must be the last link", l.Type)
			}
			if err := v.checkSignature(ctx, i, l.Type == EIP1654SignedEntity, authority, l.Payload, l.Signature); err != nil {
				return "", err
			}
			authority = l.Payload
		default:
			return "", linkErr(i, "unknown link type %q", l.Type)
		}
	}
	if authority != finalPayload {
		return "", chainErr("it signs %q, expected %q", authority, finalPayload)
	}
	return strings.ToLower(chain[0].Payload), nil
}

// WellFormed checks a chain's shape: 2–10 links, SIGNER first and only
// first, fields within their limits.
func WellFormed(chain Chain) error {
	if len(chain) < 2 {
		return chainErr("it needs a SIGNER link and at least one signed link, got %d links", len(chain))
	}
	if len(chain) > MaxLinks {
		return chainErr("it has %d links, at most %d are allowed", len(chain), MaxLinks)
	}
	for i, l := range chain {
		if (l.Type == Signer) != (i == 0) {
			return chainErr("SIGNER must be the first link and only the first")
		}
		if len(l.Payload) > MaxFieldChars || len(l.Signature) > MaxFieldChars {
			return linkErr(i, "payload or signature longer than %d characters", MaxFieldChars)
		}
		if l.Payload == "" {
			return linkErr(i, "empty payload")
		}
	}
	if chain[0].Signature != "" {
		return linkErr(0, "the SIGNER link carries no signature")
	}
	return nil
}

func (v Verifier) checkSignature(ctx context.Context, i int, contract bool, authority, msg, sigHex string) error {
	sig, err := decodeHex(sigHex)
	if err != nil {
		return linkErr(i, "signature is not hex: %v", err)
	}
	if contract {
		if v.Contracts == nil {
			return linkCause(i, ErrNoContractVerifier)
		}
		if !common.IsHexAddress(authority) {
			return linkErr(i, "authority %q is not an address", authority)
		}
		ok, err := v.Contracts.IsValidSignature(ctx, common.HexToAddress(authority), msg, sig)
		if err != nil {
			// Not a verdict: the wallet's contract could not be asked.
			return fmt.Errorf("auth chain: link %d: contract signature check: %w", i, err)
		}
		if !ok {
			return linkErr(i, "the contract wallet %s does not accept the signature", authority)
		}
		return nil
	}
	signer, err := Recover(msg, sig)
	if err != nil {
		return linkCause(i, err)
	}
	if !strings.EqualFold(signer.Hex(), authority) {
		return linkErr(i, "signed by %s, expected %s", strings.ToLower(signer.Hex()), strings.ToLower(authority))
	}
	return nil
}

// Recover returns the address whose key made a personal_sign signature
// (65 bytes, v in 27/28 or 0/1) over msg.
func Recover(msg string, sig []byte) (common.Address, error) {
	if len(sig) != 65 {
		return common.Address{}, fmt.Errorf("signature has %d bytes, expected 65", len(sig))
	}
	s := make([]byte, 65)
	copy(s, sig)
	switch s[64] {
	case 27, 28:
		s[64] -= 27
	case 0, 1:
	default:
		return common.Address{}, fmt.Errorf("signature recovery id %d is not 0, 1, 27 or 28", sig[64])
	}
	pub, err := crypto.SigToPub(PersonalHash(msg), s)
	if err != nil {
		return common.Address{}, fmt.Errorf("signature does not recover: %w", err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// PersonalHash is the EIP-191 personal_sign hash of a message.
func PersonalHash(msg string) []byte {
	return crypto.Keccak256([]byte("\x19Ethereum Signed Message:\n" + strconv.Itoa(len(msg)) + msg))
}

// Sign makes a personal_sign signature (hex, v = 27/28) over msg, as
// wallets do; tests and tools build chains with it.
func Sign(key *ecdsa.PrivateKey, msg string) string {
	sig, err := crypto.Sign(PersonalHash(msg), key)
	if err != nil {
		panic(err) // only fails for a malformed key or hash length
	}
	sig[64] += 27
	return "0x" + hex.EncodeToString(sig)
}

// EphemeralPayload is the message a wallet signs to delegate to an
// ephemeral key until exp.
func EphemeralPayload(ephemeral common.Address, exp time.Time) string {
	return ephemeralPrefix + ephemeral.Hex() + "\nExpiration: " + exp.UTC().Format("2006-01-02T15:04:05.000Z")
}

const ephemeralPrefix = "Decentraland Login\nEphemeral address: "

func parseEphemeral(msg string) (string, time.Time, error) {
	// Like @dcl/crypto, the first line (the human-readable message) is not
	// checked: wallets word it differently.
	lines := strings.Split(msg, "\n")
	if len(lines) < 3 {
		return "", time.Time{}, errors.New("ephemeral payload is not 'Decentraland Login / Ephemeral address / Expiration'")
	}
	addr, ok := strings.CutPrefix(lines[1], "Ephemeral address: ")
	if !ok || !common.IsHexAddress(addr) {
		return "", time.Time{}, fmt.Errorf("ephemeral payload has no valid 'Ephemeral address: 0x…' line")
	}
	expStr, ok := strings.CutPrefix(lines[2], "Expiration: ")
	if !ok {
		return "", time.Time{}, errors.New("ephemeral payload has no 'Expiration: ' line")
	}
	exp, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(expStr))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("ephemeral expiration %q is not an ISO date", expStr)
	}
	return addr, exp, nil
}

func decodeHex(s string) ([]byte, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	return hex.DecodeString(s)
}

// IsAddress reports whether s is a 0x-prefixed Ethereum address.
func IsAddress(s string) bool {
	return strings.HasPrefix(s, "0x") && common.IsHexAddress(s)
}

package chain

import (
	_ "embed"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// The view functions the node calls, as the real contracts declare them.
var views = mustABI(`[
 {"name":"ownerOf","type":"function","stateMutability":"view","inputs":[{"name":"id","type":"uint256"}],"outputs":[{"name":"","type":"address"}]},
 {"name":"getOwnerOf","type":"function","stateMutability":"view","inputs":[{"name":"name","type":"string"}],"outputs":[{"name":"","type":"address"}]},
 {"name":"creator","type":"function","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
 {"name":"isApproved","type":"function","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"bool"}]},
 {"name":"isCompleted","type":"function","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"bool"}]},
 {"name":"globalManagers","type":"function","stateMutability":"view","inputs":[{"name":"a","type":"address"}],"outputs":[{"name":"","type":"bool"}]},
 {"name":"itemManagers","type":"function","stateMutability":"view","inputs":[{"name":"id","type":"uint256"},{"name":"a","type":"address"}],"outputs":[{"name":"","type":"bool"}]},
 {"name":"items","type":"function","stateMutability":"view","inputs":[{"name":"id","type":"uint256"}],"outputs":[
   {"name":"rarity","type":"string"},{"name":"maxSupply","type":"uint256"},{"name":"totalSupply","type":"uint256"},
   {"name":"price","type":"uint256"},{"name":"beneficiary","type":"address"},{"name":"metadata","type":"string"},{"name":"contentHash","type":"string"}]},
 {"name":"isCollectionFromFactory","type":"function","stateMutability":"view","inputs":[{"name":"c","type":"address"}],"outputs":[{"name":"","type":"bool"}]},
 {"name":"members","type":"function","stateMutability":"view","inputs":[{"name":"a","type":"address"}],"outputs":[{"name":"","type":"bool"}]},
 {"name":"thirdParties","type":"function","stateMutability":"view","inputs":[{"name":"id","type":"string"}],"outputs":[
   {"name":"isApproved","type":"bool"},{"name":"root","type":"bytes32"},{"name":"maxItems","type":"uint256"},{"name":"consumedSlots","type":"uint256"},
   {"name":"registered","type":"uint256"},{"name":"metadata","type":"string"},{"name":"resolver","type":"string"}]},
 {"name":"catalystCount","type":"function","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
 {"name":"catalystIds","type":"function","stateMutability":"view","inputs":[{"name":"i","type":"uint256"}],"outputs":[{"name":"","type":"bytes32"}]},
 {"name":"catalystById","type":"function","stateMutability":"view","inputs":[{"name":"id","type":"bytes32"}],"outputs":[
   {"name":"id","type":"bytes32"},{"name":"owner","type":"address"},{"name":"domain","type":"string"},{"name":"startTime","type":"uint256"},{"name":"endTime","type":"uint256"}]},
 {"name":"isValidSignature","type":"function","stateMutability":"view","inputs":[{"name":"hash","type":"bytes32"},{"name":"signature","type":"bytes"}],"outputs":[{"name":"","type":"bytes4"}]}
]`)

// parcelAccess is the creation code of contracts/Access.sol's
// ParcelAccess, run without being deployed (see the contract's doc).
//
//go:embed parcelaccess.bin
var parcelAccessHex string

var parcelAccessCode = func() []byte {
	b, err := hex.DecodeString(strings.TrimSpace(parcelAccessHex))
	if err != nil {
		panic(err)
	}
	return b
}()

var parcelAccessArgs = abi.Arguments{
	{Type: mustType("address")}, {Type: mustType("address")}, {Type: mustType("address")}, {Type: mustType("uint256[]")},
}

var uintsOut = abi.Arguments{{Type: mustType("uint256[]")}}

func mustType(t string) abi.Type {
	ty, err := abi.NewType(t, "", nil)
	if err != nil {
		panic(err)
	}
	return ty
}

func mustABI(s string) abi.ABI {
	a, err := abi.JSON(strings.NewReader(s))
	if err != nil {
		panic(err)
	}
	return a
}

// pack encodes a view call; the methods and arguments are the node's own.
func pack(method string, args ...any) []byte {
	b, err := views.Pack(method, args...)
	if err != nil {
		panic(fmt.Sprintf("chain: pack %s: %v", method, err))
	}
	return b
}

// word reads a one-word answer; nil (reverted) or short is zero.
func word(b []byte) *big.Int {
	if len(b) < 32 {
		return new(big.Int)
	}
	return new(big.Int).SetBytes(b[:32])
}

// address reads an address answer.
func address(b []byte) common.Address {
	if len(b) < 32 {
		return common.Address{}
	}
	return common.BytesToAddress(b[12:32])
}

// boolean reads a bool answer.
func boolean(b []byte) bool { return word(b).Sign() != 0 }

// parcelID is LAND's token id of (x,y): x's low 128 bits (two's
// complement) in the high half, y's in the low half.
func parcelID(x, y int) *big.Int {
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	bx := new(big.Int).And(big.NewInt(int64(x)), mask)
	by := new(big.Int).And(big.NewInt(int64(y)), mask)
	return bx.Lsh(bx, 128).Or(bx, by)
}

// parcelXY is parcelID's inverse.
func parcelXY(id *big.Int) (int, int) {
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	signed := func(v *big.Int) int {
		if v.Bit(127) == 1 {
			v = new(big.Int).Sub(v, new(big.Int).Lsh(big.NewInt(1), 128))
		}
		return int(v.Int64())
	}
	return signed(new(big.Int).Rsh(id, 128)), signed(new(big.Int).And(id, mask))
}

func keccak(b []byte) []byte { return crypto.Keccak256(b) }

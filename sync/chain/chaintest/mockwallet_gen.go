// Code generated - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package chaintest

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = errors.New
	_ = big.NewInt
	_ = strings.NewReader
	_ = ethereum.NotFound
	_ = bind.Bind
	_ = common.Big1
	_ = types.BloomLookup
	_ = event.NewSubscription
	_ = abi.ConvertType
	_ = time.Tick
	_ = context.Background
)

// MockWalletMetaData contains all meta data concerning the MockWallet contract.
var MockWalletMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"sig\",\"type\":\"bytes\"}],\"name\":\"allow\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"sig\",\"type\":\"bytes\"}],\"name\":\"isValidSignature\",\"outputs\":[{\"internalType\":\"bytes4\",\"name\":\"\",\"type\":\"bytes4\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	Bin: "0x6080604052348015600f57600080fd5b506102238061001f6000396000f3fe608060405234801561001057600080fd5b50600436106100365760003560e01c80631626ba7e1461003b5780632d05286b1461006b575b600080fd5b61004e610049366004610139565b610080565b6040516001600160e01b0319909116815260200160405180910390f35b61007e610079366004610139565b6100e6565b005b600080600085858560405160200161009a939291906101b7565b60408051601f198184030181529181528151602092830120835290820192909252016000205460ff166100d5576001600160e01b03196100de565b630b135d3f60e11b5b949350505050565b6001600080858585604051602001610100939291906101b7565b60408051808303601f19018152918152815160209283012083529082019290925201600020805460ff1916911515919091179055505050565b60008060006040848603121561014e57600080fd5b83359250602084013567ffffffffffffffff81111561016c57600080fd5b8401601f8101861361017d57600080fd5b803567ffffffffffffffff81111561019457600080fd5b8660208284010111156101a657600080fd5b939660209190910195509293505050565b83815260406020820152816040820152818360608301376000818301606090810191909152601f909201601f191601019291505056fea264697066735822122068a8ae065ead51c27ca5a4731ff7ae77b6b4ce85140765769ecc80639b364e3d64736f6c63430008250033",
}

// MockWalletABI is the input ABI used to generate the binding from.
// Deprecated: Use MockWalletMetaData.ABI instead.
var MockWalletABI = MockWalletMetaData.ABI

// MockWalletBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use MockWalletMetaData.Bin instead.
var MockWalletBin = MockWalletMetaData.Bin

// DeployMockWallet deploys a new Ethereum contract, binding an instance of MockWallet to it.
func DeployMockWallet(auth *bind.TransactOpts, backend bind.ContractBackend) (common.Address, *types.Transaction, *MockWallet, error) {
	parsed, err := MockWalletMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(MockWalletBin), backend)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &MockWallet{MockWalletCaller: MockWalletCaller{contract: contract}, MockWalletTransactor: MockWalletTransactor{contract: contract}, MockWalletFilterer: MockWalletFilterer{contract: contract}}, nil
}

// MockWallet is an auto generated Go binding around an Ethereum contract.
type MockWallet struct {
	MockWalletCaller     // Read-only binding to the contract
	MockWalletTransactor // Write-only binding to the contract
	MockWalletFilterer   // Log filterer for contract events
}

// MockWalletCaller is an auto generated read-only Go binding around an Ethereum contract.
type MockWalletCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockWalletTransactor is an auto generated write-only Go binding around an Ethereum contract.
type MockWalletTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockWalletFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type MockWalletFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockWalletSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type MockWalletSession struct {
	Contract     *MockWallet       // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// MockWalletCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type MockWalletCallerSession struct {
	Contract *MockWalletCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts     // Call options to use throughout this session
}

// MockWalletTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type MockWalletTransactorSession struct {
	Contract     *MockWalletTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts     // Transaction auth options to use throughout this session
}

// MockWalletRaw is an auto generated low-level Go binding around an Ethereum contract.
type MockWalletRaw struct {
	Contract *MockWallet // Generic contract binding to access the raw methods on
}

// MockWalletCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type MockWalletCallerRaw struct {
	Contract *MockWalletCaller // Generic read-only contract binding to access the raw methods on
}

// MockWalletTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type MockWalletTransactorRaw struct {
	Contract *MockWalletTransactor // Generic write-only contract binding to access the raw methods on
}

// NewMockWallet creates a new instance of MockWallet, bound to a specific deployed contract.
func NewMockWallet(address common.Address, backend bind.ContractBackend) (*MockWallet, error) {
	contract, err := bindMockWallet(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &MockWallet{MockWalletCaller: MockWalletCaller{contract: contract}, MockWalletTransactor: MockWalletTransactor{contract: contract}, MockWalletFilterer: MockWalletFilterer{contract: contract}}, nil
}

// NewMockWalletCaller creates a new read-only instance of MockWallet, bound to a specific deployed contract.
func NewMockWalletCaller(address common.Address, caller bind.ContractCaller) (*MockWalletCaller, error) {
	contract, err := bindMockWallet(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &MockWalletCaller{contract: contract}, nil
}

// NewMockWalletTransactor creates a new write-only instance of MockWallet, bound to a specific deployed contract.
func NewMockWalletTransactor(address common.Address, transactor bind.ContractTransactor) (*MockWalletTransactor, error) {
	contract, err := bindMockWallet(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &MockWalletTransactor{contract: contract}, nil
}

// NewMockWalletFilterer creates a new log filterer instance of MockWallet, bound to a specific deployed contract.
func NewMockWalletFilterer(address common.Address, filterer bind.ContractFilterer) (*MockWalletFilterer, error) {
	contract, err := bindMockWallet(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &MockWalletFilterer{contract: contract}, nil
}

// bindMockWallet binds a generic wrapper to an already deployed contract.
func bindMockWallet(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := MockWalletMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockWallet *MockWalletRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockWallet.Contract.MockWalletCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockWallet *MockWalletRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockWallet.Contract.MockWalletTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockWallet *MockWalletRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockWallet.Contract.MockWalletTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockWallet *MockWalletCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockWallet.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockWallet *MockWalletTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockWallet.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockWallet *MockWalletTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockWallet.Contract.contract.Transact(opts, method, params...)
}

// IsValidSignature is a free data retrieval call binding the contract method 0x1626ba7e.
//
// Solidity: function isValidSignature(bytes32 hash, bytes sig) view returns(bytes4)
func (_MockWallet *MockWalletCaller) IsValidSignature(opts *bind.CallOpts, hash [32]byte, sig []byte) ([4]byte, error) {
	var out []interface{}
	err := _MockWallet.contract.Call(opts, &out, "isValidSignature", hash, sig)

	if err != nil {
		return *new([4]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([4]byte)).(*[4]byte)

	return out0, err

}

// IsValidSignature is a free data retrieval call binding the contract method 0x1626ba7e.
//
// Solidity: function isValidSignature(bytes32 hash, bytes sig) view returns(bytes4)
func (_MockWallet *MockWalletSession) IsValidSignature(hash [32]byte, sig []byte) ([4]byte, error) {
	return _MockWallet.Contract.IsValidSignature(&_MockWallet.CallOpts, hash, sig)
}

// IsValidSignature is a free data retrieval call binding the contract method 0x1626ba7e.
//
// Solidity: function isValidSignature(bytes32 hash, bytes sig) view returns(bytes4)
func (_MockWallet *MockWalletCallerSession) IsValidSignature(hash [32]byte, sig []byte) ([4]byte, error) {
	return _MockWallet.Contract.IsValidSignature(&_MockWallet.CallOpts, hash, sig)
}

// Allow is a paid mutator transaction binding the contract method 0x2d05286b.
//
// Solidity: function allow(bytes32 hash, bytes sig) returns()
func (_MockWallet *MockWalletTransactor) Allow(opts *bind.TransactOpts, hash [32]byte, sig []byte) (*types.Transaction, error) {
	return _MockWallet.contract.Transact(opts, "allow", hash, sig)
}

// Allow is a paid mutator transaction binding the contract method 0x2d05286b.
//
// Solidity: function allow(bytes32 hash, bytes sig) returns()
func (_MockWallet *MockWalletSession) Allow(hash [32]byte, sig []byte) (*types.Transaction, error) {
	return _MockWallet.Contract.Allow(&_MockWallet.TransactOpts, hash, sig)
}

// Allow is a paid mutator transaction binding the contract method 0x2d05286b.
//
// Solidity: function allow(bytes32 hash, bytes sig) returns()
func (_MockWallet *MockWalletTransactorSession) Allow(hash [32]byte, sig []byte) (*types.Transaction, error) {
	return _MockWallet.Contract.Allow(&_MockWallet.TransactOpts, hash, sig)
}

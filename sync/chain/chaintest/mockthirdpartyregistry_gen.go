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

// MockThirdPartyRegistryMetaData contains all meta data concerning the MockThirdPartyRegistry contract.
var MockThirdPartyRegistryMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"id\",\"type\":\"string\"},{\"internalType\":\"bool\",\"name\":\"approved\",\"type\":\"bool\"},{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"}],\"name\":\"set\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"name\":\"thirdParties\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"isApproved\",\"type\":\"bool\"},{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"maxItems\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"consumedSlots\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"registered\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"metadata\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"resolver\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	Bin: "0x6080604052348015600f57600080fd5b506106538061001f6000396000f3fe608060405234801561001057600080fd5b50600436106100365760003560e01c80634d61ca781461003b578063830f8d981461006a575b600080fd5b61004e6100493660046102d1565b61007f565b60405161006197969594939291906103d0565b60405180910390f35b61007d610078366004610423565b6101dd565b005b805160208183018101805160008252928201919093012091528054600182015460028301546003840154600485015460058601805460ff909616969495939492939192916100cc906104b4565b80601f01602080910402602001604051908101604052809291908181526020018280546100f8906104b4565b80156101455780601f1061011a57610100808354040283529160200191610145565b820191906000526020600020905b81548152906001019060200180831161012857829003601f168201915b50505050509080600601805461015a906104b4565b80601f0160208091040260200160405190810160405280929190818152602001828054610186906104b4565b80156101d35780601f106101a8576101008083540402835291602001916101d3565b820191906000526020600020905b8154815290600101906020018083116101b657829003601f168201915b5050505050905087565b6040518060e00160405280831515815260200182815260200160648152602001600081526020016001815260200160405180602001604052806000815250815260200160405180602001604052806000815250815250600085856040516102459291906104ee565b90815260408051602092819003830190208351815460ff19169015151781559183015160018301558201516002820155606082015160038201556080820151600482015560a0820151600582019061029d908261055a565b5060c082015160068201906102b2908261055a565b50505050505050565b634e487b7160e01b600052604160045260246000fd5b6000602082840312156102e357600080fd5b813567ffffffffffffffff8111156102fa57600080fd5b8201601f8101841361030b57600080fd5b803567ffffffffffffffff811115610325576103256102bb565b604051601f8201601f19908116603f0116810167ffffffffffffffff81118282101715610354576103546102bb565b60405281815282820160200186101561036c57600080fd5b81602084016020830137600091810160200191909152949350505050565b6000815180845260005b818110156103b057602081850181015186830182015201610394565b506000602082860101526020601f19601f83011685010191505092915050565b871515815286602082015285604082015284606082015283608082015260e060a0820152600061040360e083018561038a565b82810360c0840152610415818561038a565b9a9950505050505050505050565b6000806000806060858703121561043957600080fd5b843567ffffffffffffffff81111561045057600080fd5b8501601f8101871361046157600080fd5b803567ffffffffffffffff81111561047857600080fd5b87602082840101111561048a57600080fd5b60209182019550935085013580151581146104a457600080fd5b9396929550929360400135925050565b600181811c908216806104c857607f821691505b6020821081036104e857634e487b7160e01b600052602260045260246000fd5b50919050565b8183823760009101908152919050565b601f821115610555578282111561055557806000526020600020601f840160051c602085101561052c575060005b90810190601f840160051c0360005b818110156105515760008382015560010161053b565b5050505b505050565b815167ffffffffffffffff811115610574576105746102bb565b6105888161058284546104b4565b846104fe565b6020601f8211600181146105bc57600083156105a45750848201515b600019600385901b1c1916600184901b178455610616565b600084815260208120601f198516915b828110156105ec57878501518255602094850194600190920191016105cc565b508482101561060a5786840151600019600387901b60f8161c191681555b505060018360011b0184555b505050505056fea2646970667358221220ade1de57cd93e22c984569b00b4ee6594244f16e5105f54a0361ba7fee9c5cdf64736f6c63430008250033",
}

// MockThirdPartyRegistryABI is the input ABI used to generate the binding from.
// Deprecated: Use MockThirdPartyRegistryMetaData.ABI instead.
var MockThirdPartyRegistryABI = MockThirdPartyRegistryMetaData.ABI

// MockThirdPartyRegistryBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use MockThirdPartyRegistryMetaData.Bin instead.
var MockThirdPartyRegistryBin = MockThirdPartyRegistryMetaData.Bin

// DeployMockThirdPartyRegistry deploys a new Ethereum contract, binding an instance of MockThirdPartyRegistry to it.
func DeployMockThirdPartyRegistry(auth *bind.TransactOpts, backend bind.ContractBackend) (common.Address, *types.Transaction, *MockThirdPartyRegistry, error) {
	parsed, err := MockThirdPartyRegistryMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(MockThirdPartyRegistryBin), backend)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &MockThirdPartyRegistry{MockThirdPartyRegistryCaller: MockThirdPartyRegistryCaller{contract: contract}, MockThirdPartyRegistryTransactor: MockThirdPartyRegistryTransactor{contract: contract}, MockThirdPartyRegistryFilterer: MockThirdPartyRegistryFilterer{contract: contract}}, nil
}

// MockThirdPartyRegistry is an auto generated Go binding around an Ethereum contract.
type MockThirdPartyRegistry struct {
	MockThirdPartyRegistryCaller     // Read-only binding to the contract
	MockThirdPartyRegistryTransactor // Write-only binding to the contract
	MockThirdPartyRegistryFilterer   // Log filterer for contract events
}

// MockThirdPartyRegistryCaller is an auto generated read-only Go binding around an Ethereum contract.
type MockThirdPartyRegistryCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockThirdPartyRegistryTransactor is an auto generated write-only Go binding around an Ethereum contract.
type MockThirdPartyRegistryTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockThirdPartyRegistryFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type MockThirdPartyRegistryFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockThirdPartyRegistrySession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type MockThirdPartyRegistrySession struct {
	Contract     *MockThirdPartyRegistry // Generic contract binding to set the session for
	CallOpts     bind.CallOpts           // Call options to use throughout this session
	TransactOpts bind.TransactOpts       // Transaction auth options to use throughout this session
}

// MockThirdPartyRegistryCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type MockThirdPartyRegistryCallerSession struct {
	Contract *MockThirdPartyRegistryCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts                 // Call options to use throughout this session
}

// MockThirdPartyRegistryTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type MockThirdPartyRegistryTransactorSession struct {
	Contract     *MockThirdPartyRegistryTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts                 // Transaction auth options to use throughout this session
}

// MockThirdPartyRegistryRaw is an auto generated low-level Go binding around an Ethereum contract.
type MockThirdPartyRegistryRaw struct {
	Contract *MockThirdPartyRegistry // Generic contract binding to access the raw methods on
}

// MockThirdPartyRegistryCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type MockThirdPartyRegistryCallerRaw struct {
	Contract *MockThirdPartyRegistryCaller // Generic read-only contract binding to access the raw methods on
}

// MockThirdPartyRegistryTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type MockThirdPartyRegistryTransactorRaw struct {
	Contract *MockThirdPartyRegistryTransactor // Generic write-only contract binding to access the raw methods on
}

// NewMockThirdPartyRegistry creates a new instance of MockThirdPartyRegistry, bound to a specific deployed contract.
func NewMockThirdPartyRegistry(address common.Address, backend bind.ContractBackend) (*MockThirdPartyRegistry, error) {
	contract, err := bindMockThirdPartyRegistry(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &MockThirdPartyRegistry{MockThirdPartyRegistryCaller: MockThirdPartyRegistryCaller{contract: contract}, MockThirdPartyRegistryTransactor: MockThirdPartyRegistryTransactor{contract: contract}, MockThirdPartyRegistryFilterer: MockThirdPartyRegistryFilterer{contract: contract}}, nil
}

// NewMockThirdPartyRegistryCaller creates a new read-only instance of MockThirdPartyRegistry, bound to a specific deployed contract.
func NewMockThirdPartyRegistryCaller(address common.Address, caller bind.ContractCaller) (*MockThirdPartyRegistryCaller, error) {
	contract, err := bindMockThirdPartyRegistry(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &MockThirdPartyRegistryCaller{contract: contract}, nil
}

// NewMockThirdPartyRegistryTransactor creates a new write-only instance of MockThirdPartyRegistry, bound to a specific deployed contract.
func NewMockThirdPartyRegistryTransactor(address common.Address, transactor bind.ContractTransactor) (*MockThirdPartyRegistryTransactor, error) {
	contract, err := bindMockThirdPartyRegistry(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &MockThirdPartyRegistryTransactor{contract: contract}, nil
}

// NewMockThirdPartyRegistryFilterer creates a new log filterer instance of MockThirdPartyRegistry, bound to a specific deployed contract.
func NewMockThirdPartyRegistryFilterer(address common.Address, filterer bind.ContractFilterer) (*MockThirdPartyRegistryFilterer, error) {
	contract, err := bindMockThirdPartyRegistry(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &MockThirdPartyRegistryFilterer{contract: contract}, nil
}

// bindMockThirdPartyRegistry binds a generic wrapper to an already deployed contract.
func bindMockThirdPartyRegistry(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := MockThirdPartyRegistryMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockThirdPartyRegistry *MockThirdPartyRegistryRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockThirdPartyRegistry.Contract.MockThirdPartyRegistryCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockThirdPartyRegistry *MockThirdPartyRegistryRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockThirdPartyRegistry.Contract.MockThirdPartyRegistryTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockThirdPartyRegistry *MockThirdPartyRegistryRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockThirdPartyRegistry.Contract.MockThirdPartyRegistryTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockThirdPartyRegistry *MockThirdPartyRegistryCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockThirdPartyRegistry.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockThirdPartyRegistry *MockThirdPartyRegistryTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockThirdPartyRegistry.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockThirdPartyRegistry *MockThirdPartyRegistryTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockThirdPartyRegistry.Contract.contract.Transact(opts, method, params...)
}

// ThirdParties is a free data retrieval call binding the contract method 0x4d61ca78.
//
// Solidity: function thirdParties(string ) view returns(bool isApproved, bytes32 root, uint256 maxItems, uint256 consumedSlots, uint256 registered, string metadata, string resolver)
func (_MockThirdPartyRegistry *MockThirdPartyRegistryCaller) ThirdParties(opts *bind.CallOpts, arg0 string) (struct {
	IsApproved    bool
	Root          [32]byte
	MaxItems      *big.Int
	ConsumedSlots *big.Int
	Registered    *big.Int
	Metadata      string
	Resolver      string
}, error) {
	var out []interface{}
	err := _MockThirdPartyRegistry.contract.Call(opts, &out, "thirdParties", arg0)

	outstruct := new(struct {
		IsApproved    bool
		Root          [32]byte
		MaxItems      *big.Int
		ConsumedSlots *big.Int
		Registered    *big.Int
		Metadata      string
		Resolver      string
	})
	if err != nil {
		return *outstruct, err
	}

	outstruct.IsApproved = *abi.ConvertType(out[0], new(bool)).(*bool)
	outstruct.Root = *abi.ConvertType(out[1], new([32]byte)).(*[32]byte)
	outstruct.MaxItems = *abi.ConvertType(out[2], new(*big.Int)).(**big.Int)
	outstruct.ConsumedSlots = *abi.ConvertType(out[3], new(*big.Int)).(**big.Int)
	outstruct.Registered = *abi.ConvertType(out[4], new(*big.Int)).(**big.Int)
	outstruct.Metadata = *abi.ConvertType(out[5], new(string)).(*string)
	outstruct.Resolver = *abi.ConvertType(out[6], new(string)).(*string)

	return *outstruct, err

}

// ThirdParties is a free data retrieval call binding the contract method 0x4d61ca78.
//
// Solidity: function thirdParties(string ) view returns(bool isApproved, bytes32 root, uint256 maxItems, uint256 consumedSlots, uint256 registered, string metadata, string resolver)
func (_MockThirdPartyRegistry *MockThirdPartyRegistrySession) ThirdParties(arg0 string) (struct {
	IsApproved    bool
	Root          [32]byte
	MaxItems      *big.Int
	ConsumedSlots *big.Int
	Registered    *big.Int
	Metadata      string
	Resolver      string
}, error) {
	return _MockThirdPartyRegistry.Contract.ThirdParties(&_MockThirdPartyRegistry.CallOpts, arg0)
}

// ThirdParties is a free data retrieval call binding the contract method 0x4d61ca78.
//
// Solidity: function thirdParties(string ) view returns(bool isApproved, bytes32 root, uint256 maxItems, uint256 consumedSlots, uint256 registered, string metadata, string resolver)
func (_MockThirdPartyRegistry *MockThirdPartyRegistryCallerSession) ThirdParties(arg0 string) (struct {
	IsApproved    bool
	Root          [32]byte
	MaxItems      *big.Int
	ConsumedSlots *big.Int
	Registered    *big.Int
	Metadata      string
	Resolver      string
}, error) {
	return _MockThirdPartyRegistry.Contract.ThirdParties(&_MockThirdPartyRegistry.CallOpts, arg0)
}

// Set is a paid mutator transaction binding the contract method 0x830f8d98.
//
// Solidity: function set(string id, bool approved, bytes32 root) returns()
func (_MockThirdPartyRegistry *MockThirdPartyRegistryTransactor) Set(opts *bind.TransactOpts, id string, approved bool, root [32]byte) (*types.Transaction, error) {
	return _MockThirdPartyRegistry.contract.Transact(opts, "set", id, approved, root)
}

// Set is a paid mutator transaction binding the contract method 0x830f8d98.
//
// Solidity: function set(string id, bool approved, bytes32 root) returns()
func (_MockThirdPartyRegistry *MockThirdPartyRegistrySession) Set(id string, approved bool, root [32]byte) (*types.Transaction, error) {
	return _MockThirdPartyRegistry.Contract.Set(&_MockThirdPartyRegistry.TransactOpts, id, approved, root)
}

// Set is a paid mutator transaction binding the contract method 0x830f8d98.
//
// Solidity: function set(string id, bool approved, bytes32 root) returns()
func (_MockThirdPartyRegistry *MockThirdPartyRegistryTransactorSession) Set(id string, approved bool, root [32]byte) (*types.Transaction, error) {
	return _MockThirdPartyRegistry.Contract.Set(&_MockThirdPartyRegistry.TransactOpts, id, approved, root)
}

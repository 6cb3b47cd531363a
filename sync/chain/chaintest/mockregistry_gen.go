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

// MockRegistryMetaData contains all meta data concerning the MockRegistry contract.
var MockRegistryMetaData = &bind.MetaData{
	ABI: "[{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_estateId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_landId\",\"type\":\"uint256\"}],\"name\":\"AddLand\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"approved\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"approved\",\"type\":\"bool\"}],\"name\":\"ApprovalForAll\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_estateId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_landId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_destinatary\",\"type\":\"address\"}],\"name\":\"RemoveLand\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_caller\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"_approved\",\"type\":\"bool\"}],\"name\":\"UpdateManager\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"assetId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"UpdateOperator\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"int256\",\"name\":\"x\",\"type\":\"int256\"},{\"internalType\":\"int256\",\"name\":\"y\",\"type\":\"int256\"}],\"name\":\"encodeTokenId\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"getApproved\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"getLandEstateId\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"isApprovedForAll\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"first\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"n\",\"type\":\"uint256\"}],\"name\":\"mintMany\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"ownerOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"op\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"ok\",\"type\":\"bool\"}],\"name\":\"setApprovalForAll\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"a\",\"type\":\"address\"}],\"name\":\"setApproved\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"landId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"estateId\",\"type\":\"uint256\"}],\"name\":\"setLandEstate\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"}],\"name\":\"setOwner\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"op\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"ok\",\"type\":\"bool\"}],\"name\":\"setUpdateManager\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"op\",\"type\":\"address\"}],\"name\":\"setUpdateOperator\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"updateManager\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"updateOperator\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	Bin: "0x6080604052348015600f57600080fd5b506107738061001f6000396000f3fe608060405234801561001057600080fd5b50600436106100ea5760003560e01c80639d40b8501161008c578063bde72c8411610066578063bde72c8414610254578063d333947f14610267578063e985e9c51461027a578063ef1db762146102a857600080fd5b80639d40b850146101f8578063b0b02c6014610221578063bb9691321461023457600080fd5b8063367605ca116100c8578063367605ca146101885780636352211e1461019b5780636fb7e588146101c45780637fd39247146101e557600080fd5b806307ecec3e146100ef578063081812fc1461013257806328dadb8f14610173575b600080fd5b61011d6100fd36600461060c565b600460209081526000928352604080842090915290825290205460ff1681565b60405190151581526020015b60405180910390f35b61015b61014036600461063f565b6001602052600090815260409020546001600160a01b031681565b6040516001600160a01b039091168152602001610129565b610186610181366004610658565b6102bb565b005b61018661019636600461068b565b610331565b61015b6101a936600461063f565b6000602081905290815260409020546001600160a01b031681565b6101d76101d23660046106d7565b61039e565b604051908152602001610129565b6101866101f33660046106f9565b6103be565b61015b61020636600461063f565b6002602052600090815260409020546001600160a01b031681565b61018661022f3660046106f9565b610440565b6101d761024236600461063f565b60056020526000908152604090205481565b6101866102623660046106f9565b610499565b6101866102753660046106d7565b6104ff565b61011d61028836600461060c565b600360209081526000928352604080842090915290825290205460ff1681565b6101866102b636600461068b565b61057f565b815b6102c7828461071c565b81101561032b5760008181526020819052604080822080546001600160a01b0319166001600160a01b03881690811790915590518392907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef908290a46001016102bd565b50505050565b6001600160a01b03838116600081815260036020908152604080832094871680845294825291829020805460ff191686151590811790915591519182527f17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31910160405180910390a3505050565b608082901b6fffffffffffffffffffffffffffffffff8216175b92915050565b60008281526020819052604080822054905184926001600160a01b038086169316917fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9190a460009182526020828152604080842080546001600160a01b039094166001600160a01b0319948516179055600190915290912080549091169055565b60008281526002602052604080822080546001600160a01b0319166001600160a01b0385169081179091559051909184917f9d9dd80a56a16f715df6eb40b771e24ff8cbea6eed9de28473ce0f28fe5602a99190a35050565b600082815260016020908152604080832080546001600160a01b0319166001600160a01b0386811691821790925592849052818420549151869492909116917f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b92591a45050565b6000828152600560205260409020805490829055811561054b57604051839083907fff0e52667d53255667dc777a00af81038a4646367b0d73d8ee8540ca5b0c9a2e90600090a3505050565b6040513390849083907f7932eb5ab0d4d4d172776074ee15d13d708465ff5476902ed15a4965434fcab190600090a4505050565b6001600160a01b03838116600081815260046020908152604080832094871680845294825291829020805460ff19168615159081179091559151918252339392917fd79fbfe1644c022b9150727d871532bfcc3e27ffee86fc596a062770ac97b042910160405180910390a4505050565b80356001600160a01b038116811461060757600080fd5b919050565b6000806040838503121561061f57600080fd5b610628836105f0565b9150610636602084016105f0565b90509250929050565b60006020828403121561065157600080fd5b5035919050565b60008060006060848603121561066d57600080fd5b610676846105f0565b95602085013595506040909401359392505050565b6000806000606084860312156106a057600080fd5b6106a9846105f0565b92506106b7602085016105f0565b9150604084013580151581146106cc57600080fd5b809150509250925092565b600080604083850312156106ea57600080fd5b50508035926020909101359150565b6000806040838503121561070c57600080fd5b82359150610636602084016105f0565b808201808211156103b857634e487b7160e01b600052601160045260246000fdfea2646970667358221220fc96d4a4abde14e106c2bc539e9d0716d4f717ab198c0cf4fa7d09f01b89e55d64736f6c63430008250033",
}

// MockRegistryABI is the input ABI used to generate the binding from.
// Deprecated: Use MockRegistryMetaData.ABI instead.
var MockRegistryABI = MockRegistryMetaData.ABI

// MockRegistryBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use MockRegistryMetaData.Bin instead.
var MockRegistryBin = MockRegistryMetaData.Bin

// DeployMockRegistry deploys a new Ethereum contract, binding an instance of MockRegistry to it.
func DeployMockRegistry(auth *bind.TransactOpts, backend bind.ContractBackend) (common.Address, *types.Transaction, *MockRegistry, error) {
	parsed, err := MockRegistryMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(MockRegistryBin), backend)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &MockRegistry{MockRegistryCaller: MockRegistryCaller{contract: contract}, MockRegistryTransactor: MockRegistryTransactor{contract: contract}, MockRegistryFilterer: MockRegistryFilterer{contract: contract}}, nil
}

// MockRegistry is an auto generated Go binding around an Ethereum contract.
type MockRegistry struct {
	MockRegistryCaller     // Read-only binding to the contract
	MockRegistryTransactor // Write-only binding to the contract
	MockRegistryFilterer   // Log filterer for contract events
}

// MockRegistryCaller is an auto generated read-only Go binding around an Ethereum contract.
type MockRegistryCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockRegistryTransactor is an auto generated write-only Go binding around an Ethereum contract.
type MockRegistryTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockRegistryFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type MockRegistryFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockRegistrySession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type MockRegistrySession struct {
	Contract     *MockRegistry     // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// MockRegistryCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type MockRegistryCallerSession struct {
	Contract *MockRegistryCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts       // Call options to use throughout this session
}

// MockRegistryTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type MockRegistryTransactorSession struct {
	Contract     *MockRegistryTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts       // Transaction auth options to use throughout this session
}

// MockRegistryRaw is an auto generated low-level Go binding around an Ethereum contract.
type MockRegistryRaw struct {
	Contract *MockRegistry // Generic contract binding to access the raw methods on
}

// MockRegistryCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type MockRegistryCallerRaw struct {
	Contract *MockRegistryCaller // Generic read-only contract binding to access the raw methods on
}

// MockRegistryTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type MockRegistryTransactorRaw struct {
	Contract *MockRegistryTransactor // Generic write-only contract binding to access the raw methods on
}

// NewMockRegistry creates a new instance of MockRegistry, bound to a specific deployed contract.
func NewMockRegistry(address common.Address, backend bind.ContractBackend) (*MockRegistry, error) {
	contract, err := bindMockRegistry(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &MockRegistry{MockRegistryCaller: MockRegistryCaller{contract: contract}, MockRegistryTransactor: MockRegistryTransactor{contract: contract}, MockRegistryFilterer: MockRegistryFilterer{contract: contract}}, nil
}

// NewMockRegistryCaller creates a new read-only instance of MockRegistry, bound to a specific deployed contract.
func NewMockRegistryCaller(address common.Address, caller bind.ContractCaller) (*MockRegistryCaller, error) {
	contract, err := bindMockRegistry(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &MockRegistryCaller{contract: contract}, nil
}

// NewMockRegistryTransactor creates a new write-only instance of MockRegistry, bound to a specific deployed contract.
func NewMockRegistryTransactor(address common.Address, transactor bind.ContractTransactor) (*MockRegistryTransactor, error) {
	contract, err := bindMockRegistry(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &MockRegistryTransactor{contract: contract}, nil
}

// NewMockRegistryFilterer creates a new log filterer instance of MockRegistry, bound to a specific deployed contract.
func NewMockRegistryFilterer(address common.Address, filterer bind.ContractFilterer) (*MockRegistryFilterer, error) {
	contract, err := bindMockRegistry(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &MockRegistryFilterer{contract: contract}, nil
}

// bindMockRegistry binds a generic wrapper to an already deployed contract.
func bindMockRegistry(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := MockRegistryMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockRegistry *MockRegistryRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockRegistry.Contract.MockRegistryCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockRegistry *MockRegistryRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockRegistry.Contract.MockRegistryTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockRegistry *MockRegistryRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockRegistry.Contract.MockRegistryTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockRegistry *MockRegistryCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockRegistry.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockRegistry *MockRegistryTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockRegistry.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockRegistry *MockRegistryTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockRegistry.Contract.contract.Transact(opts, method, params...)
}

// EncodeTokenId is a free data retrieval call binding the contract method 0x6fb7e588.
//
// Solidity: function encodeTokenId(int256 x, int256 y) pure returns(uint256)
func (_MockRegistry *MockRegistryCaller) EncodeTokenId(opts *bind.CallOpts, x *big.Int, y *big.Int) (*big.Int, error) {
	var out []interface{}
	err := _MockRegistry.contract.Call(opts, &out, "encodeTokenId", x, y)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// EncodeTokenId is a free data retrieval call binding the contract method 0x6fb7e588.
//
// Solidity: function encodeTokenId(int256 x, int256 y) pure returns(uint256)
func (_MockRegistry *MockRegistrySession) EncodeTokenId(x *big.Int, y *big.Int) (*big.Int, error) {
	return _MockRegistry.Contract.EncodeTokenId(&_MockRegistry.CallOpts, x, y)
}

// EncodeTokenId is a free data retrieval call binding the contract method 0x6fb7e588.
//
// Solidity: function encodeTokenId(int256 x, int256 y) pure returns(uint256)
func (_MockRegistry *MockRegistryCallerSession) EncodeTokenId(x *big.Int, y *big.Int) (*big.Int, error) {
	return _MockRegistry.Contract.EncodeTokenId(&_MockRegistry.CallOpts, x, y)
}

// GetApproved is a free data retrieval call binding the contract method 0x081812fc.
//
// Solidity: function getApproved(uint256 ) view returns(address)
func (_MockRegistry *MockRegistryCaller) GetApproved(opts *bind.CallOpts, arg0 *big.Int) (common.Address, error) {
	var out []interface{}
	err := _MockRegistry.contract.Call(opts, &out, "getApproved", arg0)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// GetApproved is a free data retrieval call binding the contract method 0x081812fc.
//
// Solidity: function getApproved(uint256 ) view returns(address)
func (_MockRegistry *MockRegistrySession) GetApproved(arg0 *big.Int) (common.Address, error) {
	return _MockRegistry.Contract.GetApproved(&_MockRegistry.CallOpts, arg0)
}

// GetApproved is a free data retrieval call binding the contract method 0x081812fc.
//
// Solidity: function getApproved(uint256 ) view returns(address)
func (_MockRegistry *MockRegistryCallerSession) GetApproved(arg0 *big.Int) (common.Address, error) {
	return _MockRegistry.Contract.GetApproved(&_MockRegistry.CallOpts, arg0)
}

// GetLandEstateId is a free data retrieval call binding the contract method 0xbb969132.
//
// Solidity: function getLandEstateId(uint256 ) view returns(uint256)
func (_MockRegistry *MockRegistryCaller) GetLandEstateId(opts *bind.CallOpts, arg0 *big.Int) (*big.Int, error) {
	var out []interface{}
	err := _MockRegistry.contract.Call(opts, &out, "getLandEstateId", arg0)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// GetLandEstateId is a free data retrieval call binding the contract method 0xbb969132.
//
// Solidity: function getLandEstateId(uint256 ) view returns(uint256)
func (_MockRegistry *MockRegistrySession) GetLandEstateId(arg0 *big.Int) (*big.Int, error) {
	return _MockRegistry.Contract.GetLandEstateId(&_MockRegistry.CallOpts, arg0)
}

// GetLandEstateId is a free data retrieval call binding the contract method 0xbb969132.
//
// Solidity: function getLandEstateId(uint256 ) view returns(uint256)
func (_MockRegistry *MockRegistryCallerSession) GetLandEstateId(arg0 *big.Int) (*big.Int, error) {
	return _MockRegistry.Contract.GetLandEstateId(&_MockRegistry.CallOpts, arg0)
}

// IsApprovedForAll is a free data retrieval call binding the contract method 0xe985e9c5.
//
// Solidity: function isApprovedForAll(address , address ) view returns(bool)
func (_MockRegistry *MockRegistryCaller) IsApprovedForAll(opts *bind.CallOpts, arg0 common.Address, arg1 common.Address) (bool, error) {
	var out []interface{}
	err := _MockRegistry.contract.Call(opts, &out, "isApprovedForAll", arg0, arg1)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// IsApprovedForAll is a free data retrieval call binding the contract method 0xe985e9c5.
//
// Solidity: function isApprovedForAll(address , address ) view returns(bool)
func (_MockRegistry *MockRegistrySession) IsApprovedForAll(arg0 common.Address, arg1 common.Address) (bool, error) {
	return _MockRegistry.Contract.IsApprovedForAll(&_MockRegistry.CallOpts, arg0, arg1)
}

// IsApprovedForAll is a free data retrieval call binding the contract method 0xe985e9c5.
//
// Solidity: function isApprovedForAll(address , address ) view returns(bool)
func (_MockRegistry *MockRegistryCallerSession) IsApprovedForAll(arg0 common.Address, arg1 common.Address) (bool, error) {
	return _MockRegistry.Contract.IsApprovedForAll(&_MockRegistry.CallOpts, arg0, arg1)
}

// OwnerOf is a free data retrieval call binding the contract method 0x6352211e.
//
// Solidity: function ownerOf(uint256 ) view returns(address)
func (_MockRegistry *MockRegistryCaller) OwnerOf(opts *bind.CallOpts, arg0 *big.Int) (common.Address, error) {
	var out []interface{}
	err := _MockRegistry.contract.Call(opts, &out, "ownerOf", arg0)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// OwnerOf is a free data retrieval call binding the contract method 0x6352211e.
//
// Solidity: function ownerOf(uint256 ) view returns(address)
func (_MockRegistry *MockRegistrySession) OwnerOf(arg0 *big.Int) (common.Address, error) {
	return _MockRegistry.Contract.OwnerOf(&_MockRegistry.CallOpts, arg0)
}

// OwnerOf is a free data retrieval call binding the contract method 0x6352211e.
//
// Solidity: function ownerOf(uint256 ) view returns(address)
func (_MockRegistry *MockRegistryCallerSession) OwnerOf(arg0 *big.Int) (common.Address, error) {
	return _MockRegistry.Contract.OwnerOf(&_MockRegistry.CallOpts, arg0)
}

// UpdateManager is a free data retrieval call binding the contract method 0x07ecec3e.
//
// Solidity: function updateManager(address , address ) view returns(bool)
func (_MockRegistry *MockRegistryCaller) UpdateManager(opts *bind.CallOpts, arg0 common.Address, arg1 common.Address) (bool, error) {
	var out []interface{}
	err := _MockRegistry.contract.Call(opts, &out, "updateManager", arg0, arg1)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// UpdateManager is a free data retrieval call binding the contract method 0x07ecec3e.
//
// Solidity: function updateManager(address , address ) view returns(bool)
func (_MockRegistry *MockRegistrySession) UpdateManager(arg0 common.Address, arg1 common.Address) (bool, error) {
	return _MockRegistry.Contract.UpdateManager(&_MockRegistry.CallOpts, arg0, arg1)
}

// UpdateManager is a free data retrieval call binding the contract method 0x07ecec3e.
//
// Solidity: function updateManager(address , address ) view returns(bool)
func (_MockRegistry *MockRegistryCallerSession) UpdateManager(arg0 common.Address, arg1 common.Address) (bool, error) {
	return _MockRegistry.Contract.UpdateManager(&_MockRegistry.CallOpts, arg0, arg1)
}

// UpdateOperator is a free data retrieval call binding the contract method 0x9d40b850.
//
// Solidity: function updateOperator(uint256 ) view returns(address)
func (_MockRegistry *MockRegistryCaller) UpdateOperator(opts *bind.CallOpts, arg0 *big.Int) (common.Address, error) {
	var out []interface{}
	err := _MockRegistry.contract.Call(opts, &out, "updateOperator", arg0)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// UpdateOperator is a free data retrieval call binding the contract method 0x9d40b850.
//
// Solidity: function updateOperator(uint256 ) view returns(address)
func (_MockRegistry *MockRegistrySession) UpdateOperator(arg0 *big.Int) (common.Address, error) {
	return _MockRegistry.Contract.UpdateOperator(&_MockRegistry.CallOpts, arg0)
}

// UpdateOperator is a free data retrieval call binding the contract method 0x9d40b850.
//
// Solidity: function updateOperator(uint256 ) view returns(address)
func (_MockRegistry *MockRegistryCallerSession) UpdateOperator(arg0 *big.Int) (common.Address, error) {
	return _MockRegistry.Contract.UpdateOperator(&_MockRegistry.CallOpts, arg0)
}

// MintMany is a paid mutator transaction binding the contract method 0x28dadb8f.
//
// Solidity: function mintMany(address to, uint256 first, uint256 n) returns()
func (_MockRegistry *MockRegistryTransactor) MintMany(opts *bind.TransactOpts, to common.Address, first *big.Int, n *big.Int) (*types.Transaction, error) {
	return _MockRegistry.contract.Transact(opts, "mintMany", to, first, n)
}

// MintMany is a paid mutator transaction binding the contract method 0x28dadb8f.
//
// Solidity: function mintMany(address to, uint256 first, uint256 n) returns()
func (_MockRegistry *MockRegistrySession) MintMany(to common.Address, first *big.Int, n *big.Int) (*types.Transaction, error) {
	return _MockRegistry.Contract.MintMany(&_MockRegistry.TransactOpts, to, first, n)
}

// MintMany is a paid mutator transaction binding the contract method 0x28dadb8f.
//
// Solidity: function mintMany(address to, uint256 first, uint256 n) returns()
func (_MockRegistry *MockRegistryTransactorSession) MintMany(to common.Address, first *big.Int, n *big.Int) (*types.Transaction, error) {
	return _MockRegistry.Contract.MintMany(&_MockRegistry.TransactOpts, to, first, n)
}

// SetApprovalForAll is a paid mutator transaction binding the contract method 0x367605ca.
//
// Solidity: function setApprovalForAll(address owner, address op, bool ok) returns()
func (_MockRegistry *MockRegistryTransactor) SetApprovalForAll(opts *bind.TransactOpts, owner common.Address, op common.Address, ok bool) (*types.Transaction, error) {
	return _MockRegistry.contract.Transact(opts, "setApprovalForAll", owner, op, ok)
}

// SetApprovalForAll is a paid mutator transaction binding the contract method 0x367605ca.
//
// Solidity: function setApprovalForAll(address owner, address op, bool ok) returns()
func (_MockRegistry *MockRegistrySession) SetApprovalForAll(owner common.Address, op common.Address, ok bool) (*types.Transaction, error) {
	return _MockRegistry.Contract.SetApprovalForAll(&_MockRegistry.TransactOpts, owner, op, ok)
}

// SetApprovalForAll is a paid mutator transaction binding the contract method 0x367605ca.
//
// Solidity: function setApprovalForAll(address owner, address op, bool ok) returns()
func (_MockRegistry *MockRegistryTransactorSession) SetApprovalForAll(owner common.Address, op common.Address, ok bool) (*types.Transaction, error) {
	return _MockRegistry.Contract.SetApprovalForAll(&_MockRegistry.TransactOpts, owner, op, ok)
}

// SetApproved is a paid mutator transaction binding the contract method 0xbde72c84.
//
// Solidity: function setApproved(uint256 id, address a) returns()
func (_MockRegistry *MockRegistryTransactor) SetApproved(opts *bind.TransactOpts, id *big.Int, a common.Address) (*types.Transaction, error) {
	return _MockRegistry.contract.Transact(opts, "setApproved", id, a)
}

// SetApproved is a paid mutator transaction binding the contract method 0xbde72c84.
//
// Solidity: function setApproved(uint256 id, address a) returns()
func (_MockRegistry *MockRegistrySession) SetApproved(id *big.Int, a common.Address) (*types.Transaction, error) {
	return _MockRegistry.Contract.SetApproved(&_MockRegistry.TransactOpts, id, a)
}

// SetApproved is a paid mutator transaction binding the contract method 0xbde72c84.
//
// Solidity: function setApproved(uint256 id, address a) returns()
func (_MockRegistry *MockRegistryTransactorSession) SetApproved(id *big.Int, a common.Address) (*types.Transaction, error) {
	return _MockRegistry.Contract.SetApproved(&_MockRegistry.TransactOpts, id, a)
}

// SetLandEstate is a paid mutator transaction binding the contract method 0xd333947f.
//
// Solidity: function setLandEstate(uint256 landId, uint256 estateId) returns()
func (_MockRegistry *MockRegistryTransactor) SetLandEstate(opts *bind.TransactOpts, landId *big.Int, estateId *big.Int) (*types.Transaction, error) {
	return _MockRegistry.contract.Transact(opts, "setLandEstate", landId, estateId)
}

// SetLandEstate is a paid mutator transaction binding the contract method 0xd333947f.
//
// Solidity: function setLandEstate(uint256 landId, uint256 estateId) returns()
func (_MockRegistry *MockRegistrySession) SetLandEstate(landId *big.Int, estateId *big.Int) (*types.Transaction, error) {
	return _MockRegistry.Contract.SetLandEstate(&_MockRegistry.TransactOpts, landId, estateId)
}

// SetLandEstate is a paid mutator transaction binding the contract method 0xd333947f.
//
// Solidity: function setLandEstate(uint256 landId, uint256 estateId) returns()
func (_MockRegistry *MockRegistryTransactorSession) SetLandEstate(landId *big.Int, estateId *big.Int) (*types.Transaction, error) {
	return _MockRegistry.Contract.SetLandEstate(&_MockRegistry.TransactOpts, landId, estateId)
}

// SetOwner is a paid mutator transaction binding the contract method 0x7fd39247.
//
// Solidity: function setOwner(uint256 id, address to) returns()
func (_MockRegistry *MockRegistryTransactor) SetOwner(opts *bind.TransactOpts, id *big.Int, to common.Address) (*types.Transaction, error) {
	return _MockRegistry.contract.Transact(opts, "setOwner", id, to)
}

// SetOwner is a paid mutator transaction binding the contract method 0x7fd39247.
//
// Solidity: function setOwner(uint256 id, address to) returns()
func (_MockRegistry *MockRegistrySession) SetOwner(id *big.Int, to common.Address) (*types.Transaction, error) {
	return _MockRegistry.Contract.SetOwner(&_MockRegistry.TransactOpts, id, to)
}

// SetOwner is a paid mutator transaction binding the contract method 0x7fd39247.
//
// Solidity: function setOwner(uint256 id, address to) returns()
func (_MockRegistry *MockRegistryTransactorSession) SetOwner(id *big.Int, to common.Address) (*types.Transaction, error) {
	return _MockRegistry.Contract.SetOwner(&_MockRegistry.TransactOpts, id, to)
}

// SetUpdateManager is a paid mutator transaction binding the contract method 0xef1db762.
//
// Solidity: function setUpdateManager(address owner, address op, bool ok) returns()
func (_MockRegistry *MockRegistryTransactor) SetUpdateManager(opts *bind.TransactOpts, owner common.Address, op common.Address, ok bool) (*types.Transaction, error) {
	return _MockRegistry.contract.Transact(opts, "setUpdateManager", owner, op, ok)
}

// SetUpdateManager is a paid mutator transaction binding the contract method 0xef1db762.
//
// Solidity: function setUpdateManager(address owner, address op, bool ok) returns()
func (_MockRegistry *MockRegistrySession) SetUpdateManager(owner common.Address, op common.Address, ok bool) (*types.Transaction, error) {
	return _MockRegistry.Contract.SetUpdateManager(&_MockRegistry.TransactOpts, owner, op, ok)
}

// SetUpdateManager is a paid mutator transaction binding the contract method 0xef1db762.
//
// Solidity: function setUpdateManager(address owner, address op, bool ok) returns()
func (_MockRegistry *MockRegistryTransactorSession) SetUpdateManager(owner common.Address, op common.Address, ok bool) (*types.Transaction, error) {
	return _MockRegistry.Contract.SetUpdateManager(&_MockRegistry.TransactOpts, owner, op, ok)
}

// SetUpdateOperator is a paid mutator transaction binding the contract method 0xb0b02c60.
//
// Solidity: function setUpdateOperator(uint256 id, address op) returns()
func (_MockRegistry *MockRegistryTransactor) SetUpdateOperator(opts *bind.TransactOpts, id *big.Int, op common.Address) (*types.Transaction, error) {
	return _MockRegistry.contract.Transact(opts, "setUpdateOperator", id, op)
}

// SetUpdateOperator is a paid mutator transaction binding the contract method 0xb0b02c60.
//
// Solidity: function setUpdateOperator(uint256 id, address op) returns()
func (_MockRegistry *MockRegistrySession) SetUpdateOperator(id *big.Int, op common.Address) (*types.Transaction, error) {
	return _MockRegistry.Contract.SetUpdateOperator(&_MockRegistry.TransactOpts, id, op)
}

// SetUpdateOperator is a paid mutator transaction binding the contract method 0xb0b02c60.
//
// Solidity: function setUpdateOperator(uint256 id, address op) returns()
func (_MockRegistry *MockRegistryTransactorSession) SetUpdateOperator(id *big.Int, op common.Address) (*types.Transaction, error) {
	return _MockRegistry.Contract.SetUpdateOperator(&_MockRegistry.TransactOpts, id, op)
}

// MockRegistryAddLandIterator is returned from FilterAddLand and is used to iterate over the raw logs and unpacked data for AddLand events raised by the MockRegistry contract.
type MockRegistryAddLandIterator struct {
	Event *MockRegistryAddLand // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MockRegistryAddLandIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockRegistryAddLand)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MockRegistryAddLand)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MockRegistryAddLandIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockRegistryAddLandIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockRegistryAddLand represents a AddLand event raised by the MockRegistry contract.
type MockRegistryAddLand struct {
	EstateId *big.Int
	LandId   *big.Int
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterAddLand is a free log retrieval operation binding the contract event 0xff0e52667d53255667dc777a00af81038a4646367b0d73d8ee8540ca5b0c9a2e.
//
// Solidity: event AddLand(uint256 indexed _estateId, uint256 indexed _landId)
func (_MockRegistry *MockRegistryFilterer) FilterAddLand(opts *bind.FilterOpts, _estateId []*big.Int, _landId []*big.Int) (*MockRegistryAddLandIterator, error) {

	var _estateIdRule []interface{}
	for _, _estateIdItem := range _estateId {
		_estateIdRule = append(_estateIdRule, _estateIdItem)
	}
	var _landIdRule []interface{}
	for _, _landIdItem := range _landId {
		_landIdRule = append(_landIdRule, _landIdItem)
	}

	logs, sub, err := _MockRegistry.contract.FilterLogs(opts, "AddLand", _estateIdRule, _landIdRule)
	if err != nil {
		return nil, err
	}
	return &MockRegistryAddLandIterator{contract: _MockRegistry.contract, event: "AddLand", logs: logs, sub: sub}, nil
}

// WatchAddLand is a free log subscription operation binding the contract event 0xff0e52667d53255667dc777a00af81038a4646367b0d73d8ee8540ca5b0c9a2e.
//
// Solidity: event AddLand(uint256 indexed _estateId, uint256 indexed _landId)
func (_MockRegistry *MockRegistryFilterer) WatchAddLand(opts *bind.WatchOpts, sink chan<- *MockRegistryAddLand, _estateId []*big.Int, _landId []*big.Int) (event.Subscription, error) {

	var _estateIdRule []interface{}
	for _, _estateIdItem := range _estateId {
		_estateIdRule = append(_estateIdRule, _estateIdItem)
	}
	var _landIdRule []interface{}
	for _, _landIdItem := range _landId {
		_landIdRule = append(_landIdRule, _landIdItem)
	}

	logs, sub, err := _MockRegistry.contract.WatchLogs(opts, "AddLand", _estateIdRule, _landIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockRegistryAddLand)
				if err := _MockRegistry.contract.UnpackLog(event, "AddLand", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseAddLand is a log parse operation binding the contract event 0xff0e52667d53255667dc777a00af81038a4646367b0d73d8ee8540ca5b0c9a2e.
//
// Solidity: event AddLand(uint256 indexed _estateId, uint256 indexed _landId)
func (_MockRegistry *MockRegistryFilterer) ParseAddLand(log types.Log) (*MockRegistryAddLand, error) {
	event := new(MockRegistryAddLand)
	if err := _MockRegistry.contract.UnpackLog(event, "AddLand", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MockRegistryApprovalIterator is returned from FilterApproval and is used to iterate over the raw logs and unpacked data for Approval events raised by the MockRegistry contract.
type MockRegistryApprovalIterator struct {
	Event *MockRegistryApproval // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MockRegistryApprovalIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockRegistryApproval)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MockRegistryApproval)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MockRegistryApprovalIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockRegistryApprovalIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockRegistryApproval represents a Approval event raised by the MockRegistry contract.
type MockRegistryApproval struct {
	Owner    common.Address
	Approved common.Address
	TokenId  *big.Int
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterApproval is a free log retrieval operation binding the contract event 0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925.
//
// Solidity: event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)
func (_MockRegistry *MockRegistryFilterer) FilterApproval(opts *bind.FilterOpts, owner []common.Address, approved []common.Address, tokenId []*big.Int) (*MockRegistryApprovalIterator, error) {

	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}
	var approvedRule []interface{}
	for _, approvedItem := range approved {
		approvedRule = append(approvedRule, approvedItem)
	}
	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _MockRegistry.contract.FilterLogs(opts, "Approval", ownerRule, approvedRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return &MockRegistryApprovalIterator{contract: _MockRegistry.contract, event: "Approval", logs: logs, sub: sub}, nil
}

// WatchApproval is a free log subscription operation binding the contract event 0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925.
//
// Solidity: event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)
func (_MockRegistry *MockRegistryFilterer) WatchApproval(opts *bind.WatchOpts, sink chan<- *MockRegistryApproval, owner []common.Address, approved []common.Address, tokenId []*big.Int) (event.Subscription, error) {

	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}
	var approvedRule []interface{}
	for _, approvedItem := range approved {
		approvedRule = append(approvedRule, approvedItem)
	}
	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _MockRegistry.contract.WatchLogs(opts, "Approval", ownerRule, approvedRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockRegistryApproval)
				if err := _MockRegistry.contract.UnpackLog(event, "Approval", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseApproval is a log parse operation binding the contract event 0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925.
//
// Solidity: event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)
func (_MockRegistry *MockRegistryFilterer) ParseApproval(log types.Log) (*MockRegistryApproval, error) {
	event := new(MockRegistryApproval)
	if err := _MockRegistry.contract.UnpackLog(event, "Approval", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MockRegistryApprovalForAllIterator is returned from FilterApprovalForAll and is used to iterate over the raw logs and unpacked data for ApprovalForAll events raised by the MockRegistry contract.
type MockRegistryApprovalForAllIterator struct {
	Event *MockRegistryApprovalForAll // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MockRegistryApprovalForAllIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockRegistryApprovalForAll)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MockRegistryApprovalForAll)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MockRegistryApprovalForAllIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockRegistryApprovalForAllIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockRegistryApprovalForAll represents a ApprovalForAll event raised by the MockRegistry contract.
type MockRegistryApprovalForAll struct {
	Owner    common.Address
	Operator common.Address
	Approved bool
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterApprovalForAll is a free log retrieval operation binding the contract event 0x17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31.
//
// Solidity: event ApprovalForAll(address indexed owner, address indexed operator, bool approved)
func (_MockRegistry *MockRegistryFilterer) FilterApprovalForAll(opts *bind.FilterOpts, owner []common.Address, operator []common.Address) (*MockRegistryApprovalForAllIterator, error) {

	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}
	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _MockRegistry.contract.FilterLogs(opts, "ApprovalForAll", ownerRule, operatorRule)
	if err != nil {
		return nil, err
	}
	return &MockRegistryApprovalForAllIterator{contract: _MockRegistry.contract, event: "ApprovalForAll", logs: logs, sub: sub}, nil
}

// WatchApprovalForAll is a free log subscription operation binding the contract event 0x17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31.
//
// Solidity: event ApprovalForAll(address indexed owner, address indexed operator, bool approved)
func (_MockRegistry *MockRegistryFilterer) WatchApprovalForAll(opts *bind.WatchOpts, sink chan<- *MockRegistryApprovalForAll, owner []common.Address, operator []common.Address) (event.Subscription, error) {

	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}
	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _MockRegistry.contract.WatchLogs(opts, "ApprovalForAll", ownerRule, operatorRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockRegistryApprovalForAll)
				if err := _MockRegistry.contract.UnpackLog(event, "ApprovalForAll", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseApprovalForAll is a log parse operation binding the contract event 0x17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31.
//
// Solidity: event ApprovalForAll(address indexed owner, address indexed operator, bool approved)
func (_MockRegistry *MockRegistryFilterer) ParseApprovalForAll(log types.Log) (*MockRegistryApprovalForAll, error) {
	event := new(MockRegistryApprovalForAll)
	if err := _MockRegistry.contract.UnpackLog(event, "ApprovalForAll", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MockRegistryRemoveLandIterator is returned from FilterRemoveLand and is used to iterate over the raw logs and unpacked data for RemoveLand events raised by the MockRegistry contract.
type MockRegistryRemoveLandIterator struct {
	Event *MockRegistryRemoveLand // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MockRegistryRemoveLandIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockRegistryRemoveLand)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MockRegistryRemoveLand)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MockRegistryRemoveLandIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockRegistryRemoveLandIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockRegistryRemoveLand represents a RemoveLand event raised by the MockRegistry contract.
type MockRegistryRemoveLand struct {
	EstateId    *big.Int
	LandId      *big.Int
	Destinatary common.Address
	Raw         types.Log // Blockchain specific contextual infos
}

// FilterRemoveLand is a free log retrieval operation binding the contract event 0x7932eb5ab0d4d4d172776074ee15d13d708465ff5476902ed15a4965434fcab1.
//
// Solidity: event RemoveLand(uint256 indexed _estateId, uint256 indexed _landId, address indexed _destinatary)
func (_MockRegistry *MockRegistryFilterer) FilterRemoveLand(opts *bind.FilterOpts, _estateId []*big.Int, _landId []*big.Int, _destinatary []common.Address) (*MockRegistryRemoveLandIterator, error) {

	var _estateIdRule []interface{}
	for _, _estateIdItem := range _estateId {
		_estateIdRule = append(_estateIdRule, _estateIdItem)
	}
	var _landIdRule []interface{}
	for _, _landIdItem := range _landId {
		_landIdRule = append(_landIdRule, _landIdItem)
	}
	var _destinataryRule []interface{}
	for _, _destinataryItem := range _destinatary {
		_destinataryRule = append(_destinataryRule, _destinataryItem)
	}

	logs, sub, err := _MockRegistry.contract.FilterLogs(opts, "RemoveLand", _estateIdRule, _landIdRule, _destinataryRule)
	if err != nil {
		return nil, err
	}
	return &MockRegistryRemoveLandIterator{contract: _MockRegistry.contract, event: "RemoveLand", logs: logs, sub: sub}, nil
}

// WatchRemoveLand is a free log subscription operation binding the contract event 0x7932eb5ab0d4d4d172776074ee15d13d708465ff5476902ed15a4965434fcab1.
//
// Solidity: event RemoveLand(uint256 indexed _estateId, uint256 indexed _landId, address indexed _destinatary)
func (_MockRegistry *MockRegistryFilterer) WatchRemoveLand(opts *bind.WatchOpts, sink chan<- *MockRegistryRemoveLand, _estateId []*big.Int, _landId []*big.Int, _destinatary []common.Address) (event.Subscription, error) {

	var _estateIdRule []interface{}
	for _, _estateIdItem := range _estateId {
		_estateIdRule = append(_estateIdRule, _estateIdItem)
	}
	var _landIdRule []interface{}
	for _, _landIdItem := range _landId {
		_landIdRule = append(_landIdRule, _landIdItem)
	}
	var _destinataryRule []interface{}
	for _, _destinataryItem := range _destinatary {
		_destinataryRule = append(_destinataryRule, _destinataryItem)
	}

	logs, sub, err := _MockRegistry.contract.WatchLogs(opts, "RemoveLand", _estateIdRule, _landIdRule, _destinataryRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockRegistryRemoveLand)
				if err := _MockRegistry.contract.UnpackLog(event, "RemoveLand", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseRemoveLand is a log parse operation binding the contract event 0x7932eb5ab0d4d4d172776074ee15d13d708465ff5476902ed15a4965434fcab1.
//
// Solidity: event RemoveLand(uint256 indexed _estateId, uint256 indexed _landId, address indexed _destinatary)
func (_MockRegistry *MockRegistryFilterer) ParseRemoveLand(log types.Log) (*MockRegistryRemoveLand, error) {
	event := new(MockRegistryRemoveLand)
	if err := _MockRegistry.contract.UnpackLog(event, "RemoveLand", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MockRegistryTransferIterator is returned from FilterTransfer and is used to iterate over the raw logs and unpacked data for Transfer events raised by the MockRegistry contract.
type MockRegistryTransferIterator struct {
	Event *MockRegistryTransfer // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MockRegistryTransferIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockRegistryTransfer)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MockRegistryTransfer)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MockRegistryTransferIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockRegistryTransferIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockRegistryTransfer represents a Transfer event raised by the MockRegistry contract.
type MockRegistryTransfer struct {
	From    common.Address
	To      common.Address
	TokenId *big.Int
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterTransfer is a free log retrieval operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)
func (_MockRegistry *MockRegistryFilterer) FilterTransfer(opts *bind.FilterOpts, from []common.Address, to []common.Address, tokenId []*big.Int) (*MockRegistryTransferIterator, error) {

	var fromRule []interface{}
	for _, fromItem := range from {
		fromRule = append(fromRule, fromItem)
	}
	var toRule []interface{}
	for _, toItem := range to {
		toRule = append(toRule, toItem)
	}
	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _MockRegistry.contract.FilterLogs(opts, "Transfer", fromRule, toRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return &MockRegistryTransferIterator{contract: _MockRegistry.contract, event: "Transfer", logs: logs, sub: sub}, nil
}

// WatchTransfer is a free log subscription operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)
func (_MockRegistry *MockRegistryFilterer) WatchTransfer(opts *bind.WatchOpts, sink chan<- *MockRegistryTransfer, from []common.Address, to []common.Address, tokenId []*big.Int) (event.Subscription, error) {

	var fromRule []interface{}
	for _, fromItem := range from {
		fromRule = append(fromRule, fromItem)
	}
	var toRule []interface{}
	for _, toItem := range to {
		toRule = append(toRule, toItem)
	}
	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _MockRegistry.contract.WatchLogs(opts, "Transfer", fromRule, toRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockRegistryTransfer)
				if err := _MockRegistry.contract.UnpackLog(event, "Transfer", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseTransfer is a log parse operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)
func (_MockRegistry *MockRegistryFilterer) ParseTransfer(log types.Log) (*MockRegistryTransfer, error) {
	event := new(MockRegistryTransfer)
	if err := _MockRegistry.contract.UnpackLog(event, "Transfer", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MockRegistryUpdateManagerIterator is returned from FilterUpdateManager and is used to iterate over the raw logs and unpacked data for UpdateManager events raised by the MockRegistry contract.
type MockRegistryUpdateManagerIterator struct {
	Event *MockRegistryUpdateManager // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MockRegistryUpdateManagerIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockRegistryUpdateManager)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MockRegistryUpdateManager)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MockRegistryUpdateManagerIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockRegistryUpdateManagerIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockRegistryUpdateManager represents a UpdateManager event raised by the MockRegistry contract.
type MockRegistryUpdateManager struct {
	Owner    common.Address
	Operator common.Address
	Caller   common.Address
	Approved bool
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterUpdateManager is a free log retrieval operation binding the contract event 0xd79fbfe1644c022b9150727d871532bfcc3e27ffee86fc596a062770ac97b042.
//
// Solidity: event UpdateManager(address indexed _owner, address indexed _operator, address indexed _caller, bool _approved)
func (_MockRegistry *MockRegistryFilterer) FilterUpdateManager(opts *bind.FilterOpts, _owner []common.Address, _operator []common.Address, _caller []common.Address) (*MockRegistryUpdateManagerIterator, error) {

	var _ownerRule []interface{}
	for _, _ownerItem := range _owner {
		_ownerRule = append(_ownerRule, _ownerItem)
	}
	var _operatorRule []interface{}
	for _, _operatorItem := range _operator {
		_operatorRule = append(_operatorRule, _operatorItem)
	}
	var _callerRule []interface{}
	for _, _callerItem := range _caller {
		_callerRule = append(_callerRule, _callerItem)
	}

	logs, sub, err := _MockRegistry.contract.FilterLogs(opts, "UpdateManager", _ownerRule, _operatorRule, _callerRule)
	if err != nil {
		return nil, err
	}
	return &MockRegistryUpdateManagerIterator{contract: _MockRegistry.contract, event: "UpdateManager", logs: logs, sub: sub}, nil
}

// WatchUpdateManager is a free log subscription operation binding the contract event 0xd79fbfe1644c022b9150727d871532bfcc3e27ffee86fc596a062770ac97b042.
//
// Solidity: event UpdateManager(address indexed _owner, address indexed _operator, address indexed _caller, bool _approved)
func (_MockRegistry *MockRegistryFilterer) WatchUpdateManager(opts *bind.WatchOpts, sink chan<- *MockRegistryUpdateManager, _owner []common.Address, _operator []common.Address, _caller []common.Address) (event.Subscription, error) {

	var _ownerRule []interface{}
	for _, _ownerItem := range _owner {
		_ownerRule = append(_ownerRule, _ownerItem)
	}
	var _operatorRule []interface{}
	for _, _operatorItem := range _operator {
		_operatorRule = append(_operatorRule, _operatorItem)
	}
	var _callerRule []interface{}
	for _, _callerItem := range _caller {
		_callerRule = append(_callerRule, _callerItem)
	}

	logs, sub, err := _MockRegistry.contract.WatchLogs(opts, "UpdateManager", _ownerRule, _operatorRule, _callerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockRegistryUpdateManager)
				if err := _MockRegistry.contract.UnpackLog(event, "UpdateManager", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseUpdateManager is a log parse operation binding the contract event 0xd79fbfe1644c022b9150727d871532bfcc3e27ffee86fc596a062770ac97b042.
//
// Solidity: event UpdateManager(address indexed _owner, address indexed _operator, address indexed _caller, bool _approved)
func (_MockRegistry *MockRegistryFilterer) ParseUpdateManager(log types.Log) (*MockRegistryUpdateManager, error) {
	event := new(MockRegistryUpdateManager)
	if err := _MockRegistry.contract.UnpackLog(event, "UpdateManager", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MockRegistryUpdateOperatorIterator is returned from FilterUpdateOperator and is used to iterate over the raw logs and unpacked data for UpdateOperator events raised by the MockRegistry contract.
type MockRegistryUpdateOperatorIterator struct {
	Event *MockRegistryUpdateOperator // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MockRegistryUpdateOperatorIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockRegistryUpdateOperator)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MockRegistryUpdateOperator)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MockRegistryUpdateOperatorIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockRegistryUpdateOperatorIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockRegistryUpdateOperator represents a UpdateOperator event raised by the MockRegistry contract.
type MockRegistryUpdateOperator struct {
	AssetId  *big.Int
	Operator common.Address
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterUpdateOperator is a free log retrieval operation binding the contract event 0x9d9dd80a56a16f715df6eb40b771e24ff8cbea6eed9de28473ce0f28fe5602a9.
//
// Solidity: event UpdateOperator(uint256 indexed assetId, address indexed operator)
func (_MockRegistry *MockRegistryFilterer) FilterUpdateOperator(opts *bind.FilterOpts, assetId []*big.Int, operator []common.Address) (*MockRegistryUpdateOperatorIterator, error) {

	var assetIdRule []interface{}
	for _, assetIdItem := range assetId {
		assetIdRule = append(assetIdRule, assetIdItem)
	}
	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _MockRegistry.contract.FilterLogs(opts, "UpdateOperator", assetIdRule, operatorRule)
	if err != nil {
		return nil, err
	}
	return &MockRegistryUpdateOperatorIterator{contract: _MockRegistry.contract, event: "UpdateOperator", logs: logs, sub: sub}, nil
}

// WatchUpdateOperator is a free log subscription operation binding the contract event 0x9d9dd80a56a16f715df6eb40b771e24ff8cbea6eed9de28473ce0f28fe5602a9.
//
// Solidity: event UpdateOperator(uint256 indexed assetId, address indexed operator)
func (_MockRegistry *MockRegistryFilterer) WatchUpdateOperator(opts *bind.WatchOpts, sink chan<- *MockRegistryUpdateOperator, assetId []*big.Int, operator []common.Address) (event.Subscription, error) {

	var assetIdRule []interface{}
	for _, assetIdItem := range assetId {
		assetIdRule = append(assetIdRule, assetIdItem)
	}
	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _MockRegistry.contract.WatchLogs(opts, "UpdateOperator", assetIdRule, operatorRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockRegistryUpdateOperator)
				if err := _MockRegistry.contract.UnpackLog(event, "UpdateOperator", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseUpdateOperator is a log parse operation binding the contract event 0x9d9dd80a56a16f715df6eb40b771e24ff8cbea6eed9de28473ce0f28fe5602a9.
//
// Solidity: event UpdateOperator(uint256 indexed assetId, address indexed operator)
func (_MockRegistry *MockRegistryFilterer) ParseUpdateOperator(log types.Log) (*MockRegistryUpdateOperator, error) {
	event := new(MockRegistryUpdateOperator)
	if err := _MockRegistry.contract.UnpackLog(event, "UpdateOperator", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

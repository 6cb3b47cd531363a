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

// MockCatalystsMetaData contains all meta data concerning the MockCatalysts contract.
var MockCatalystsMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"domain\",\"type\":\"string\"}],\"name\":\"add\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"catalystById\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"domain\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"startTime\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"endTime\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"catalystCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"catalystIds\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	Bin: "0x6080604052348015600f57600080fd5b506105cd8061001f6000396000f3fe608060405234801561001057600080fd5b506004361061004c5760003560e01c806318becc101461005157806336d6da55146100685780637b9b4f2c1461007d578063c9038ce914610090575b600080fd5b6000545b6040519081526020015b60405180910390f35b61007b6100763660046102c0565b6100b4565b005b61005561008b366004610353565b6101dd565b6100a361009e366004610353565b6101fe565b60405161005f95949392919061036c565b600080546040516100cd918691869186916020016103de565b60408051601f198184030181528282528051602091820120600080546001810182559080527f290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e5630181905560a0840183528084526001600160a01b038816848301528251601f870183900483028101830184528681529094509183019190869086908190840183828082843760009201829052509385525050426020808501919091526040938401839052858352600180825292849020855181559085015192810180546001600160a01b0319166001600160a01b0390941693909317909255509082015160028201906101c090826104d4565b506060820151600382015560809091015160049091015550505050565b600081815481106101ed57600080fd5b600091825260209091200154905081565b60016020819052600091825260409091208054918101546002820180546001600160a01b0390921692916102319061043e565b80601f016020809104026020016040519081016040528092919081815260200182805461025d9061043e565b80156102aa5780601f1061027f576101008083540402835291602001916102aa565b820191906000526020600020905b81548152906001019060200180831161028d57829003601f168201915b5050505050908060030154908060040154905085565b6000806000604084860312156102d557600080fd5b83356001600160a01b03811681146102ec57600080fd5b9250602084013567ffffffffffffffff81111561030857600080fd5b8401601f8101861361031957600080fd5b803567ffffffffffffffff81111561033057600080fd5b86602082840101111561034257600080fd5b939660209190910195509293505050565b60006020828403121561036557600080fd5b5035919050565b85815260018060a01b038516602082015260a06040820152600084518060a084015260005b818110156103ae57602081880181015160c0868401015201610391565b50600060c0828501015260c0601f19601f8301168401019150508360608301528260808301529695505050505050565b6001600160a01b038516815260606020820181905281018390528284608083013760006080848301015260006080601f19601f860116830101905082604083015295945050505050565b634e487b7160e01b600052604160045260246000fd5b600181811c9082168061045257607f821691505b60208210810361047257634e487b7160e01b600052602260045260246000fd5b50919050565b601f8211156104cf57828211156104cf57806000526020600020601f840160051c60208510156104a6575060005b90810190601f840160051c0360005b818110156104cb576000838201556001016104b5565b5050505b505050565b815167ffffffffffffffff8111156104ee576104ee610428565b610502816104fc845461043e565b84610478565b6020601f821160018114610536576000831561051e5750848201515b600019600385901b1c1916600184901b178455610590565b600084815260208120601f198516915b828110156105665787850151825560209485019460019092019101610546565b50848210156105845786840151600019600387901b60f8161c191681555b505060018360011b0184555b505050505056fea2646970667358221220db67887195dcac5392775ab168bdc66d561397eafc84060ecce7be7fd18d414764736f6c63430008250033",
}

// MockCatalystsABI is the input ABI used to generate the binding from.
// Deprecated: Use MockCatalystsMetaData.ABI instead.
var MockCatalystsABI = MockCatalystsMetaData.ABI

// MockCatalystsBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use MockCatalystsMetaData.Bin instead.
var MockCatalystsBin = MockCatalystsMetaData.Bin

// DeployMockCatalysts deploys a new Ethereum contract, binding an instance of MockCatalysts to it.
func DeployMockCatalysts(auth *bind.TransactOpts, backend bind.ContractBackend) (common.Address, *types.Transaction, *MockCatalysts, error) {
	parsed, err := MockCatalystsMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(MockCatalystsBin), backend)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &MockCatalysts{MockCatalystsCaller: MockCatalystsCaller{contract: contract}, MockCatalystsTransactor: MockCatalystsTransactor{contract: contract}, MockCatalystsFilterer: MockCatalystsFilterer{contract: contract}}, nil
}

// MockCatalysts is an auto generated Go binding around an Ethereum contract.
type MockCatalysts struct {
	MockCatalystsCaller     // Read-only binding to the contract
	MockCatalystsTransactor // Write-only binding to the contract
	MockCatalystsFilterer   // Log filterer for contract events
}

// MockCatalystsCaller is an auto generated read-only Go binding around an Ethereum contract.
type MockCatalystsCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockCatalystsTransactor is an auto generated write-only Go binding around an Ethereum contract.
type MockCatalystsTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockCatalystsFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type MockCatalystsFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockCatalystsSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type MockCatalystsSession struct {
	Contract     *MockCatalysts    // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// MockCatalystsCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type MockCatalystsCallerSession struct {
	Contract *MockCatalystsCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts        // Call options to use throughout this session
}

// MockCatalystsTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type MockCatalystsTransactorSession struct {
	Contract     *MockCatalystsTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts        // Transaction auth options to use throughout this session
}

// MockCatalystsRaw is an auto generated low-level Go binding around an Ethereum contract.
type MockCatalystsRaw struct {
	Contract *MockCatalysts // Generic contract binding to access the raw methods on
}

// MockCatalystsCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type MockCatalystsCallerRaw struct {
	Contract *MockCatalystsCaller // Generic read-only contract binding to access the raw methods on
}

// MockCatalystsTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type MockCatalystsTransactorRaw struct {
	Contract *MockCatalystsTransactor // Generic write-only contract binding to access the raw methods on
}

// NewMockCatalysts creates a new instance of MockCatalysts, bound to a specific deployed contract.
func NewMockCatalysts(address common.Address, backend bind.ContractBackend) (*MockCatalysts, error) {
	contract, err := bindMockCatalysts(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &MockCatalysts{MockCatalystsCaller: MockCatalystsCaller{contract: contract}, MockCatalystsTransactor: MockCatalystsTransactor{contract: contract}, MockCatalystsFilterer: MockCatalystsFilterer{contract: contract}}, nil
}

// NewMockCatalystsCaller creates a new read-only instance of MockCatalysts, bound to a specific deployed contract.
func NewMockCatalystsCaller(address common.Address, caller bind.ContractCaller) (*MockCatalystsCaller, error) {
	contract, err := bindMockCatalysts(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &MockCatalystsCaller{contract: contract}, nil
}

// NewMockCatalystsTransactor creates a new write-only instance of MockCatalysts, bound to a specific deployed contract.
func NewMockCatalystsTransactor(address common.Address, transactor bind.ContractTransactor) (*MockCatalystsTransactor, error) {
	contract, err := bindMockCatalysts(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &MockCatalystsTransactor{contract: contract}, nil
}

// NewMockCatalystsFilterer creates a new log filterer instance of MockCatalysts, bound to a specific deployed contract.
func NewMockCatalystsFilterer(address common.Address, filterer bind.ContractFilterer) (*MockCatalystsFilterer, error) {
	contract, err := bindMockCatalysts(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &MockCatalystsFilterer{contract: contract}, nil
}

// bindMockCatalysts binds a generic wrapper to an already deployed contract.
func bindMockCatalysts(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := MockCatalystsMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockCatalysts *MockCatalystsRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockCatalysts.Contract.MockCatalystsCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockCatalysts *MockCatalystsRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockCatalysts.Contract.MockCatalystsTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockCatalysts *MockCatalystsRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockCatalysts.Contract.MockCatalystsTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockCatalysts *MockCatalystsCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockCatalysts.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockCatalysts *MockCatalystsTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockCatalysts.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockCatalysts *MockCatalystsTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockCatalysts.Contract.contract.Transact(opts, method, params...)
}

// CatalystById is a free data retrieval call binding the contract method 0xc9038ce9.
//
// Solidity: function catalystById(bytes32 ) view returns(bytes32 id, address owner, string domain, uint256 startTime, uint256 endTime)
func (_MockCatalysts *MockCatalystsCaller) CatalystById(opts *bind.CallOpts, arg0 [32]byte) (struct {
	Id        [32]byte
	Owner     common.Address
	Domain    string
	StartTime *big.Int
	EndTime   *big.Int
}, error) {
	var out []interface{}
	err := _MockCatalysts.contract.Call(opts, &out, "catalystById", arg0)

	outstruct := new(struct {
		Id        [32]byte
		Owner     common.Address
		Domain    string
		StartTime *big.Int
		EndTime   *big.Int
	})
	if err != nil {
		return *outstruct, err
	}

	outstruct.Id = *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	outstruct.Owner = *abi.ConvertType(out[1], new(common.Address)).(*common.Address)
	outstruct.Domain = *abi.ConvertType(out[2], new(string)).(*string)
	outstruct.StartTime = *abi.ConvertType(out[3], new(*big.Int)).(**big.Int)
	outstruct.EndTime = *abi.ConvertType(out[4], new(*big.Int)).(**big.Int)

	return *outstruct, err

}

// CatalystById is a free data retrieval call binding the contract method 0xc9038ce9.
//
// Solidity: function catalystById(bytes32 ) view returns(bytes32 id, address owner, string domain, uint256 startTime, uint256 endTime)
func (_MockCatalysts *MockCatalystsSession) CatalystById(arg0 [32]byte) (struct {
	Id        [32]byte
	Owner     common.Address
	Domain    string
	StartTime *big.Int
	EndTime   *big.Int
}, error) {
	return _MockCatalysts.Contract.CatalystById(&_MockCatalysts.CallOpts, arg0)
}

// CatalystById is a free data retrieval call binding the contract method 0xc9038ce9.
//
// Solidity: function catalystById(bytes32 ) view returns(bytes32 id, address owner, string domain, uint256 startTime, uint256 endTime)
func (_MockCatalysts *MockCatalystsCallerSession) CatalystById(arg0 [32]byte) (struct {
	Id        [32]byte
	Owner     common.Address
	Domain    string
	StartTime *big.Int
	EndTime   *big.Int
}, error) {
	return _MockCatalysts.Contract.CatalystById(&_MockCatalysts.CallOpts, arg0)
}

// CatalystCount is a free data retrieval call binding the contract method 0x18becc10.
//
// Solidity: function catalystCount() view returns(uint256)
func (_MockCatalysts *MockCatalystsCaller) CatalystCount(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _MockCatalysts.contract.Call(opts, &out, "catalystCount")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// CatalystCount is a free data retrieval call binding the contract method 0x18becc10.
//
// Solidity: function catalystCount() view returns(uint256)
func (_MockCatalysts *MockCatalystsSession) CatalystCount() (*big.Int, error) {
	return _MockCatalysts.Contract.CatalystCount(&_MockCatalysts.CallOpts)
}

// CatalystCount is a free data retrieval call binding the contract method 0x18becc10.
//
// Solidity: function catalystCount() view returns(uint256)
func (_MockCatalysts *MockCatalystsCallerSession) CatalystCount() (*big.Int, error) {
	return _MockCatalysts.Contract.CatalystCount(&_MockCatalysts.CallOpts)
}

// CatalystIds is a free data retrieval call binding the contract method 0x7b9b4f2c.
//
// Solidity: function catalystIds(uint256 ) view returns(bytes32)
func (_MockCatalysts *MockCatalystsCaller) CatalystIds(opts *bind.CallOpts, arg0 *big.Int) ([32]byte, error) {
	var out []interface{}
	err := _MockCatalysts.contract.Call(opts, &out, "catalystIds", arg0)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// CatalystIds is a free data retrieval call binding the contract method 0x7b9b4f2c.
//
// Solidity: function catalystIds(uint256 ) view returns(bytes32)
func (_MockCatalysts *MockCatalystsSession) CatalystIds(arg0 *big.Int) ([32]byte, error) {
	return _MockCatalysts.Contract.CatalystIds(&_MockCatalysts.CallOpts, arg0)
}

// CatalystIds is a free data retrieval call binding the contract method 0x7b9b4f2c.
//
// Solidity: function catalystIds(uint256 ) view returns(bytes32)
func (_MockCatalysts *MockCatalystsCallerSession) CatalystIds(arg0 *big.Int) ([32]byte, error) {
	return _MockCatalysts.Contract.CatalystIds(&_MockCatalysts.CallOpts, arg0)
}

// Add is a paid mutator transaction binding the contract method 0x36d6da55.
//
// Solidity: function add(address owner, string domain) returns()
func (_MockCatalysts *MockCatalystsTransactor) Add(opts *bind.TransactOpts, owner common.Address, domain string) (*types.Transaction, error) {
	return _MockCatalysts.contract.Transact(opts, "add", owner, domain)
}

// Add is a paid mutator transaction binding the contract method 0x36d6da55.
//
// Solidity: function add(address owner, string domain) returns()
func (_MockCatalysts *MockCatalystsSession) Add(owner common.Address, domain string) (*types.Transaction, error) {
	return _MockCatalysts.Contract.Add(&_MockCatalysts.TransactOpts, owner, domain)
}

// Add is a paid mutator transaction binding the contract method 0x36d6da55.
//
// Solidity: function add(address owner, string domain) returns()
func (_MockCatalysts *MockCatalystsTransactorSession) Add(owner common.Address, domain string) (*types.Transaction, error) {
	return _MockCatalysts.Contract.Add(&_MockCatalysts.TransactOpts, owner, domain)
}

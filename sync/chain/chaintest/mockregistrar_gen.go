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

// MockRegistrarMetaData contains all meta data concerning the MockRegistrar contract.
var MockRegistrarMetaData = &bind.MetaData{
	ABI: "[{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_caller\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_beneficiary\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"_labelHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"_subdomain\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_createdDate\",\"type\":\"uint256\"}],\"name\":\"NameRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"}],\"name\":\"getOwnerOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"ownerOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"subdomains\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"}],\"name\":\"transfer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x6080604052348015600f57600080fd5b5061068c8061001f6000396000f3fe608060405234801561001057600080fd5b50600436106100575760003560e01c80631e59c5291461005c5780636352211e146100715780639d79d081146100b7578063bef48ddf146100d7578063fbf58b3e146100ea575b600080fd5b61006f61006a366004610394565b6100fd565b005b61009a61007f3660046103f7565b6000602081905290815260409020546001600160a01b031681565b6040516001600160a01b0390911681526020015b60405180910390f35b6100ca6100c53660046103f7565b6101e1565b6040516100ae9190610410565b61009a6100e536600461045e565b61027b565b61006f6100f8366004610394565b6102ba565b6000838360405161010f9291906104a0565b6040805191829003909120600081815260016020529190912090915061013684868361055c565b506000818152602081905260409081902080546001600160a01b0319166001600160a01b038516908117909155905182919033907f570313dae523ecb48b1176a4b60272e5ea7ec637f5b2d09983cbc4bf25e7e9e39061019b9089908990429061061d565b60405180910390a460405181906001600160a01b038416906000907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef908290a450505050565b600160205260009081526040902080546101fa906104c6565b80601f0160208091040260200160405190810160405280929190818152602001828054610226906104c6565b80156102735780601f1061024857610100808354040283529160200191610273565b820191906000526020600020905b81548152906001019060200180831161025657829003601f168201915b505050505081565b600080600084846040516102909291906104a0565b60408051918290039091208252602082019290925201600020546001600160a01b03169392505050565b600083836040516102cc9291906104a0565b60408051918290038220600081815260208190529182205490935083926001600160a01b03808716939216917fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef91a4600090815260208190526040902080546001600160a01b0319166001600160a01b03929092169190911790555050565b60008083601f84011261035d57600080fd5b50813567ffffffffffffffff81111561037557600080fd5b60208301915083602082850101111561038d57600080fd5b9250929050565b6000806000604084860312156103a957600080fd5b833567ffffffffffffffff8111156103c057600080fd5b6103cc8682870161034b565b90945092505060208401356001600160a01b03811681146103ec57600080fd5b809150509250925092565b60006020828403121561040957600080fd5b5035919050565b602081526000825180602084015260005b8181101561043e5760208186018101516040868401015201610421565b506000604082850101526040601f19601f83011684010191505092915050565b6000806020838503121561047157600080fd5b823567ffffffffffffffff81111561048857600080fd5b6104948582860161034b565b90969095509350505050565b8183823760009101908152919050565b634e487b7160e01b600052604160045260246000fd5b600181811c908216806104da57607f821691505b6020821081036104fa57634e487b7160e01b600052602260045260246000fd5b50919050565b601f821115610557578282111561055757806000526020600020601f840160051c602085101561052e575060005b90810190601f840160051c0360005b818110156105535760008382015560010161053d565b5050505b505050565b67ffffffffffffffff831115610574576105746104b0565b6105888361058283546104c6565b83610500565b6000601f8411600181146105bc57600085156105a45750838201355b600019600387901b1c1916600186901b178355610616565b600083815260209020601f19861690835b828110156105ed57868501358255602094850194600190920191016105cd565b508682101561060a5760001960f88860031b161c19848701351681555b505060018560011b0183555b5050505050565b604081528260408201528284606083013760006060848301015260006060601f19601f860116830101905082602083015294935050505056fea26469706673582212209d414035127f87c9bbaa77fafa480917ded2baaba04fad4b2a5a443418285af664736f6c63430008250033",
}

// MockRegistrarABI is the input ABI used to generate the binding from.
// Deprecated: Use MockRegistrarMetaData.ABI instead.
var MockRegistrarABI = MockRegistrarMetaData.ABI

// MockRegistrarBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use MockRegistrarMetaData.Bin instead.
var MockRegistrarBin = MockRegistrarMetaData.Bin

// DeployMockRegistrar deploys a new Ethereum contract, binding an instance of MockRegistrar to it.
func DeployMockRegistrar(auth *bind.TransactOpts, backend bind.ContractBackend) (common.Address, *types.Transaction, *MockRegistrar, error) {
	parsed, err := MockRegistrarMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(MockRegistrarBin), backend)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &MockRegistrar{MockRegistrarCaller: MockRegistrarCaller{contract: contract}, MockRegistrarTransactor: MockRegistrarTransactor{contract: contract}, MockRegistrarFilterer: MockRegistrarFilterer{contract: contract}}, nil
}

// MockRegistrar is an auto generated Go binding around an Ethereum contract.
type MockRegistrar struct {
	MockRegistrarCaller     // Read-only binding to the contract
	MockRegistrarTransactor // Write-only binding to the contract
	MockRegistrarFilterer   // Log filterer for contract events
}

// MockRegistrarCaller is an auto generated read-only Go binding around an Ethereum contract.
type MockRegistrarCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockRegistrarTransactor is an auto generated write-only Go binding around an Ethereum contract.
type MockRegistrarTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockRegistrarFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type MockRegistrarFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockRegistrarSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type MockRegistrarSession struct {
	Contract     *MockRegistrar    // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// MockRegistrarCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type MockRegistrarCallerSession struct {
	Contract *MockRegistrarCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts        // Call options to use throughout this session
}

// MockRegistrarTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type MockRegistrarTransactorSession struct {
	Contract     *MockRegistrarTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts        // Transaction auth options to use throughout this session
}

// MockRegistrarRaw is an auto generated low-level Go binding around an Ethereum contract.
type MockRegistrarRaw struct {
	Contract *MockRegistrar // Generic contract binding to access the raw methods on
}

// MockRegistrarCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type MockRegistrarCallerRaw struct {
	Contract *MockRegistrarCaller // Generic read-only contract binding to access the raw methods on
}

// MockRegistrarTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type MockRegistrarTransactorRaw struct {
	Contract *MockRegistrarTransactor // Generic write-only contract binding to access the raw methods on
}

// NewMockRegistrar creates a new instance of MockRegistrar, bound to a specific deployed contract.
func NewMockRegistrar(address common.Address, backend bind.ContractBackend) (*MockRegistrar, error) {
	contract, err := bindMockRegistrar(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &MockRegistrar{MockRegistrarCaller: MockRegistrarCaller{contract: contract}, MockRegistrarTransactor: MockRegistrarTransactor{contract: contract}, MockRegistrarFilterer: MockRegistrarFilterer{contract: contract}}, nil
}

// NewMockRegistrarCaller creates a new read-only instance of MockRegistrar, bound to a specific deployed contract.
func NewMockRegistrarCaller(address common.Address, caller bind.ContractCaller) (*MockRegistrarCaller, error) {
	contract, err := bindMockRegistrar(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &MockRegistrarCaller{contract: contract}, nil
}

// NewMockRegistrarTransactor creates a new write-only instance of MockRegistrar, bound to a specific deployed contract.
func NewMockRegistrarTransactor(address common.Address, transactor bind.ContractTransactor) (*MockRegistrarTransactor, error) {
	contract, err := bindMockRegistrar(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &MockRegistrarTransactor{contract: contract}, nil
}

// NewMockRegistrarFilterer creates a new log filterer instance of MockRegistrar, bound to a specific deployed contract.
func NewMockRegistrarFilterer(address common.Address, filterer bind.ContractFilterer) (*MockRegistrarFilterer, error) {
	contract, err := bindMockRegistrar(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &MockRegistrarFilterer{contract: contract}, nil
}

// bindMockRegistrar binds a generic wrapper to an already deployed contract.
func bindMockRegistrar(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := MockRegistrarMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockRegistrar *MockRegistrarRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockRegistrar.Contract.MockRegistrarCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockRegistrar *MockRegistrarRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockRegistrar.Contract.MockRegistrarTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockRegistrar *MockRegistrarRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockRegistrar.Contract.MockRegistrarTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockRegistrar *MockRegistrarCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockRegistrar.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockRegistrar *MockRegistrarTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockRegistrar.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockRegistrar *MockRegistrarTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockRegistrar.Contract.contract.Transact(opts, method, params...)
}

// GetOwnerOf is a free data retrieval call binding the contract method 0xbef48ddf.
//
// Solidity: function getOwnerOf(string name) view returns(address)
func (_MockRegistrar *MockRegistrarCaller) GetOwnerOf(opts *bind.CallOpts, name string) (common.Address, error) {
	var out []interface{}
	err := _MockRegistrar.contract.Call(opts, &out, "getOwnerOf", name)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// GetOwnerOf is a free data retrieval call binding the contract method 0xbef48ddf.
//
// Solidity: function getOwnerOf(string name) view returns(address)
func (_MockRegistrar *MockRegistrarSession) GetOwnerOf(name string) (common.Address, error) {
	return _MockRegistrar.Contract.GetOwnerOf(&_MockRegistrar.CallOpts, name)
}

// GetOwnerOf is a free data retrieval call binding the contract method 0xbef48ddf.
//
// Solidity: function getOwnerOf(string name) view returns(address)
func (_MockRegistrar *MockRegistrarCallerSession) GetOwnerOf(name string) (common.Address, error) {
	return _MockRegistrar.Contract.GetOwnerOf(&_MockRegistrar.CallOpts, name)
}

// OwnerOf is a free data retrieval call binding the contract method 0x6352211e.
//
// Solidity: function ownerOf(uint256 ) view returns(address)
func (_MockRegistrar *MockRegistrarCaller) OwnerOf(opts *bind.CallOpts, arg0 *big.Int) (common.Address, error) {
	var out []interface{}
	err := _MockRegistrar.contract.Call(opts, &out, "ownerOf", arg0)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// OwnerOf is a free data retrieval call binding the contract method 0x6352211e.
//
// Solidity: function ownerOf(uint256 ) view returns(address)
func (_MockRegistrar *MockRegistrarSession) OwnerOf(arg0 *big.Int) (common.Address, error) {
	return _MockRegistrar.Contract.OwnerOf(&_MockRegistrar.CallOpts, arg0)
}

// OwnerOf is a free data retrieval call binding the contract method 0x6352211e.
//
// Solidity: function ownerOf(uint256 ) view returns(address)
func (_MockRegistrar *MockRegistrarCallerSession) OwnerOf(arg0 *big.Int) (common.Address, error) {
	return _MockRegistrar.Contract.OwnerOf(&_MockRegistrar.CallOpts, arg0)
}

// Subdomains is a free data retrieval call binding the contract method 0x9d79d081.
//
// Solidity: function subdomains(bytes32 ) view returns(string)
func (_MockRegistrar *MockRegistrarCaller) Subdomains(opts *bind.CallOpts, arg0 [32]byte) (string, error) {
	var out []interface{}
	err := _MockRegistrar.contract.Call(opts, &out, "subdomains", arg0)

	if err != nil {
		return *new(string), err
	}

	out0 := *abi.ConvertType(out[0], new(string)).(*string)

	return out0, err

}

// Subdomains is a free data retrieval call binding the contract method 0x9d79d081.
//
// Solidity: function subdomains(bytes32 ) view returns(string)
func (_MockRegistrar *MockRegistrarSession) Subdomains(arg0 [32]byte) (string, error) {
	return _MockRegistrar.Contract.Subdomains(&_MockRegistrar.CallOpts, arg0)
}

// Subdomains is a free data retrieval call binding the contract method 0x9d79d081.
//
// Solidity: function subdomains(bytes32 ) view returns(string)
func (_MockRegistrar *MockRegistrarCallerSession) Subdomains(arg0 [32]byte) (string, error) {
	return _MockRegistrar.Contract.Subdomains(&_MockRegistrar.CallOpts, arg0)
}

// Register is a paid mutator transaction binding the contract method 0x1e59c529.
//
// Solidity: function register(string name, address to) returns()
func (_MockRegistrar *MockRegistrarTransactor) Register(opts *bind.TransactOpts, name string, to common.Address) (*types.Transaction, error) {
	return _MockRegistrar.contract.Transact(opts, "register", name, to)
}

// Register is a paid mutator transaction binding the contract method 0x1e59c529.
//
// Solidity: function register(string name, address to) returns()
func (_MockRegistrar *MockRegistrarSession) Register(name string, to common.Address) (*types.Transaction, error) {
	return _MockRegistrar.Contract.Register(&_MockRegistrar.TransactOpts, name, to)
}

// Register is a paid mutator transaction binding the contract method 0x1e59c529.
//
// Solidity: function register(string name, address to) returns()
func (_MockRegistrar *MockRegistrarTransactorSession) Register(name string, to common.Address) (*types.Transaction, error) {
	return _MockRegistrar.Contract.Register(&_MockRegistrar.TransactOpts, name, to)
}

// Transfer is a paid mutator transaction binding the contract method 0xfbf58b3e.
//
// Solidity: function transfer(string name, address to) returns()
func (_MockRegistrar *MockRegistrarTransactor) Transfer(opts *bind.TransactOpts, name string, to common.Address) (*types.Transaction, error) {
	return _MockRegistrar.contract.Transact(opts, "transfer", name, to)
}

// Transfer is a paid mutator transaction binding the contract method 0xfbf58b3e.
//
// Solidity: function transfer(string name, address to) returns()
func (_MockRegistrar *MockRegistrarSession) Transfer(name string, to common.Address) (*types.Transaction, error) {
	return _MockRegistrar.Contract.Transfer(&_MockRegistrar.TransactOpts, name, to)
}

// Transfer is a paid mutator transaction binding the contract method 0xfbf58b3e.
//
// Solidity: function transfer(string name, address to) returns()
func (_MockRegistrar *MockRegistrarTransactorSession) Transfer(name string, to common.Address) (*types.Transaction, error) {
	return _MockRegistrar.Contract.Transfer(&_MockRegistrar.TransactOpts, name, to)
}

// MockRegistrarNameRegisteredIterator is returned from FilterNameRegistered and is used to iterate over the raw logs and unpacked data for NameRegistered events raised by the MockRegistrar contract.
type MockRegistrarNameRegisteredIterator struct {
	Event *MockRegistrarNameRegistered // Event containing the contract specifics and raw log

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
func (it *MockRegistrarNameRegisteredIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockRegistrarNameRegistered)
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
		it.Event = new(MockRegistrarNameRegistered)
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
func (it *MockRegistrarNameRegisteredIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockRegistrarNameRegisteredIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockRegistrarNameRegistered represents a NameRegistered event raised by the MockRegistrar contract.
type MockRegistrarNameRegistered struct {
	Caller      common.Address
	Beneficiary common.Address
	LabelHash   [32]byte
	Subdomain   string
	CreatedDate *big.Int
	Raw         types.Log // Blockchain specific contextual infos
}

// FilterNameRegistered is a free log retrieval operation binding the contract event 0x570313dae523ecb48b1176a4b60272e5ea7ec637f5b2d09983cbc4bf25e7e9e3.
//
// Solidity: event NameRegistered(address indexed _caller, address indexed _beneficiary, bytes32 indexed _labelHash, string _subdomain, uint256 _createdDate)
func (_MockRegistrar *MockRegistrarFilterer) FilterNameRegistered(opts *bind.FilterOpts, _caller []common.Address, _beneficiary []common.Address, _labelHash [][32]byte) (*MockRegistrarNameRegisteredIterator, error) {

	var _callerRule []interface{}
	for _, _callerItem := range _caller {
		_callerRule = append(_callerRule, _callerItem)
	}
	var _beneficiaryRule []interface{}
	for _, _beneficiaryItem := range _beneficiary {
		_beneficiaryRule = append(_beneficiaryRule, _beneficiaryItem)
	}
	var _labelHashRule []interface{}
	for _, _labelHashItem := range _labelHash {
		_labelHashRule = append(_labelHashRule, _labelHashItem)
	}

	logs, sub, err := _MockRegistrar.contract.FilterLogs(opts, "NameRegistered", _callerRule, _beneficiaryRule, _labelHashRule)
	if err != nil {
		return nil, err
	}
	return &MockRegistrarNameRegisteredIterator{contract: _MockRegistrar.contract, event: "NameRegistered", logs: logs, sub: sub}, nil
}

// WatchNameRegistered is a free log subscription operation binding the contract event 0x570313dae523ecb48b1176a4b60272e5ea7ec637f5b2d09983cbc4bf25e7e9e3.
//
// Solidity: event NameRegistered(address indexed _caller, address indexed _beneficiary, bytes32 indexed _labelHash, string _subdomain, uint256 _createdDate)
func (_MockRegistrar *MockRegistrarFilterer) WatchNameRegistered(opts *bind.WatchOpts, sink chan<- *MockRegistrarNameRegistered, _caller []common.Address, _beneficiary []common.Address, _labelHash [][32]byte) (event.Subscription, error) {

	var _callerRule []interface{}
	for _, _callerItem := range _caller {
		_callerRule = append(_callerRule, _callerItem)
	}
	var _beneficiaryRule []interface{}
	for _, _beneficiaryItem := range _beneficiary {
		_beneficiaryRule = append(_beneficiaryRule, _beneficiaryItem)
	}
	var _labelHashRule []interface{}
	for _, _labelHashItem := range _labelHash {
		_labelHashRule = append(_labelHashRule, _labelHashItem)
	}

	logs, sub, err := _MockRegistrar.contract.WatchLogs(opts, "NameRegistered", _callerRule, _beneficiaryRule, _labelHashRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockRegistrarNameRegistered)
				if err := _MockRegistrar.contract.UnpackLog(event, "NameRegistered", log); err != nil {
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

// ParseNameRegistered is a log parse operation binding the contract event 0x570313dae523ecb48b1176a4b60272e5ea7ec637f5b2d09983cbc4bf25e7e9e3.
//
// Solidity: event NameRegistered(address indexed _caller, address indexed _beneficiary, bytes32 indexed _labelHash, string _subdomain, uint256 _createdDate)
func (_MockRegistrar *MockRegistrarFilterer) ParseNameRegistered(log types.Log) (*MockRegistrarNameRegistered, error) {
	event := new(MockRegistrarNameRegistered)
	if err := _MockRegistrar.contract.UnpackLog(event, "NameRegistered", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MockRegistrarTransferIterator is returned from FilterTransfer and is used to iterate over the raw logs and unpacked data for Transfer events raised by the MockRegistrar contract.
type MockRegistrarTransferIterator struct {
	Event *MockRegistrarTransfer // Event containing the contract specifics and raw log

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
func (it *MockRegistrarTransferIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockRegistrarTransfer)
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
		it.Event = new(MockRegistrarTransfer)
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
func (it *MockRegistrarTransferIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockRegistrarTransferIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockRegistrarTransfer represents a Transfer event raised by the MockRegistrar contract.
type MockRegistrarTransfer struct {
	From    common.Address
	To      common.Address
	TokenId *big.Int
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterTransfer is a free log retrieval operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)
func (_MockRegistrar *MockRegistrarFilterer) FilterTransfer(opts *bind.FilterOpts, from []common.Address, to []common.Address, tokenId []*big.Int) (*MockRegistrarTransferIterator, error) {

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

	logs, sub, err := _MockRegistrar.contract.FilterLogs(opts, "Transfer", fromRule, toRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return &MockRegistrarTransferIterator{contract: _MockRegistrar.contract, event: "Transfer", logs: logs, sub: sub}, nil
}

// WatchTransfer is a free log subscription operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)
func (_MockRegistrar *MockRegistrarFilterer) WatchTransfer(opts *bind.WatchOpts, sink chan<- *MockRegistrarTransfer, from []common.Address, to []common.Address, tokenId []*big.Int) (event.Subscription, error) {

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

	logs, sub, err := _MockRegistrar.contract.WatchLogs(opts, "Transfer", fromRule, toRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockRegistrarTransfer)
				if err := _MockRegistrar.contract.UnpackLog(event, "Transfer", log); err != nil {
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
func (_MockRegistrar *MockRegistrarFilterer) ParseTransfer(log types.Log) (*MockRegistrarTransfer, error) {
	event := new(MockRegistrarTransfer)
	if err := _MockRegistrar.contract.UnpackLog(event, "Transfer", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

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

// MockFactoryMetaData contains all meta data concerning the MockFactory contract.
var MockFactoryMetaData = &bind.MetaData{
	ABI: "[{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_address\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"_salt\",\"type\":\"bytes32\"}],\"name\":\"ProxyCreated\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"c\",\"type\":\"address\"}],\"name\":\"add\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"isCollectionFromFactory\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	Bin: "0x6080604052348015600f57600080fd5b506101438061001f6000396000f3fe608060405234801561001057600080fd5b50600436106100365760003560e01c80630a3b0a4f1461003b578063c030001114610050575b600080fd5b61004e6100493660046100dd565b610087565b005b61007361005e3660046100dd565b60006020819052908152604090205460ff1681565b604051901515815260200160405180910390f35b6001600160a01b038116600081815260208181526040808320805460ff19166001179055519182527fcfaab0d6675a72a93c114f48dd85add1076be0c88545968759ef034da7ad146f910160405180910390a250565b6000602082840312156100ef57600080fd5b81356001600160a01b038116811461010657600080fd5b939250505056fea2646970667358221220769b94b2b1e4d392bf3655e26247163be2acada90fd6021e9bd9a5b25cabccfb64736f6c63430008250033",
}

// MockFactoryABI is the input ABI used to generate the binding from.
// Deprecated: Use MockFactoryMetaData.ABI instead.
var MockFactoryABI = MockFactoryMetaData.ABI

// MockFactoryBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use MockFactoryMetaData.Bin instead.
var MockFactoryBin = MockFactoryMetaData.Bin

// DeployMockFactory deploys a new Ethereum contract, binding an instance of MockFactory to it.
func DeployMockFactory(auth *bind.TransactOpts, backend bind.ContractBackend) (common.Address, *types.Transaction, *MockFactory, error) {
	parsed, err := MockFactoryMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(MockFactoryBin), backend)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &MockFactory{MockFactoryCaller: MockFactoryCaller{contract: contract}, MockFactoryTransactor: MockFactoryTransactor{contract: contract}, MockFactoryFilterer: MockFactoryFilterer{contract: contract}}, nil
}

// MockFactory is an auto generated Go binding around an Ethereum contract.
type MockFactory struct {
	MockFactoryCaller     // Read-only binding to the contract
	MockFactoryTransactor // Write-only binding to the contract
	MockFactoryFilterer   // Log filterer for contract events
}

// MockFactoryCaller is an auto generated read-only Go binding around an Ethereum contract.
type MockFactoryCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockFactoryTransactor is an auto generated write-only Go binding around an Ethereum contract.
type MockFactoryTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockFactoryFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type MockFactoryFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockFactorySession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type MockFactorySession struct {
	Contract     *MockFactory      // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// MockFactoryCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type MockFactoryCallerSession struct {
	Contract *MockFactoryCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts      // Call options to use throughout this session
}

// MockFactoryTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type MockFactoryTransactorSession struct {
	Contract     *MockFactoryTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts      // Transaction auth options to use throughout this session
}

// MockFactoryRaw is an auto generated low-level Go binding around an Ethereum contract.
type MockFactoryRaw struct {
	Contract *MockFactory // Generic contract binding to access the raw methods on
}

// MockFactoryCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type MockFactoryCallerRaw struct {
	Contract *MockFactoryCaller // Generic read-only contract binding to access the raw methods on
}

// MockFactoryTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type MockFactoryTransactorRaw struct {
	Contract *MockFactoryTransactor // Generic write-only contract binding to access the raw methods on
}

// NewMockFactory creates a new instance of MockFactory, bound to a specific deployed contract.
func NewMockFactory(address common.Address, backend bind.ContractBackend) (*MockFactory, error) {
	contract, err := bindMockFactory(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &MockFactory{MockFactoryCaller: MockFactoryCaller{contract: contract}, MockFactoryTransactor: MockFactoryTransactor{contract: contract}, MockFactoryFilterer: MockFactoryFilterer{contract: contract}}, nil
}

// NewMockFactoryCaller creates a new read-only instance of MockFactory, bound to a specific deployed contract.
func NewMockFactoryCaller(address common.Address, caller bind.ContractCaller) (*MockFactoryCaller, error) {
	contract, err := bindMockFactory(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &MockFactoryCaller{contract: contract}, nil
}

// NewMockFactoryTransactor creates a new write-only instance of MockFactory, bound to a specific deployed contract.
func NewMockFactoryTransactor(address common.Address, transactor bind.ContractTransactor) (*MockFactoryTransactor, error) {
	contract, err := bindMockFactory(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &MockFactoryTransactor{contract: contract}, nil
}

// NewMockFactoryFilterer creates a new log filterer instance of MockFactory, bound to a specific deployed contract.
func NewMockFactoryFilterer(address common.Address, filterer bind.ContractFilterer) (*MockFactoryFilterer, error) {
	contract, err := bindMockFactory(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &MockFactoryFilterer{contract: contract}, nil
}

// bindMockFactory binds a generic wrapper to an already deployed contract.
func bindMockFactory(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := MockFactoryMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockFactory *MockFactoryRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockFactory.Contract.MockFactoryCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockFactory *MockFactoryRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockFactory.Contract.MockFactoryTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockFactory *MockFactoryRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockFactory.Contract.MockFactoryTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockFactory *MockFactoryCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockFactory.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockFactory *MockFactoryTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockFactory.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockFactory *MockFactoryTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockFactory.Contract.contract.Transact(opts, method, params...)
}

// IsCollectionFromFactory is a free data retrieval call binding the contract method 0xc0300011.
//
// Solidity: function isCollectionFromFactory(address ) view returns(bool)
func (_MockFactory *MockFactoryCaller) IsCollectionFromFactory(opts *bind.CallOpts, arg0 common.Address) (bool, error) {
	var out []interface{}
	err := _MockFactory.contract.Call(opts, &out, "isCollectionFromFactory", arg0)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// IsCollectionFromFactory is a free data retrieval call binding the contract method 0xc0300011.
//
// Solidity: function isCollectionFromFactory(address ) view returns(bool)
func (_MockFactory *MockFactorySession) IsCollectionFromFactory(arg0 common.Address) (bool, error) {
	return _MockFactory.Contract.IsCollectionFromFactory(&_MockFactory.CallOpts, arg0)
}

// IsCollectionFromFactory is a free data retrieval call binding the contract method 0xc0300011.
//
// Solidity: function isCollectionFromFactory(address ) view returns(bool)
func (_MockFactory *MockFactoryCallerSession) IsCollectionFromFactory(arg0 common.Address) (bool, error) {
	return _MockFactory.Contract.IsCollectionFromFactory(&_MockFactory.CallOpts, arg0)
}

// Add is a paid mutator transaction binding the contract method 0x0a3b0a4f.
//
// Solidity: function add(address c) returns()
func (_MockFactory *MockFactoryTransactor) Add(opts *bind.TransactOpts, c common.Address) (*types.Transaction, error) {
	return _MockFactory.contract.Transact(opts, "add", c)
}

// Add is a paid mutator transaction binding the contract method 0x0a3b0a4f.
//
// Solidity: function add(address c) returns()
func (_MockFactory *MockFactorySession) Add(c common.Address) (*types.Transaction, error) {
	return _MockFactory.Contract.Add(&_MockFactory.TransactOpts, c)
}

// Add is a paid mutator transaction binding the contract method 0x0a3b0a4f.
//
// Solidity: function add(address c) returns()
func (_MockFactory *MockFactoryTransactorSession) Add(c common.Address) (*types.Transaction, error) {
	return _MockFactory.Contract.Add(&_MockFactory.TransactOpts, c)
}

// MockFactoryProxyCreatedIterator is returned from FilterProxyCreated and is used to iterate over the raw logs and unpacked data for ProxyCreated events raised by the MockFactory contract.
type MockFactoryProxyCreatedIterator struct {
	Event *MockFactoryProxyCreated // Event containing the contract specifics and raw log

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
func (it *MockFactoryProxyCreatedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockFactoryProxyCreated)
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
		it.Event = new(MockFactoryProxyCreated)
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
func (it *MockFactoryProxyCreatedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockFactoryProxyCreatedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockFactoryProxyCreated represents a ProxyCreated event raised by the MockFactory contract.
type MockFactoryProxyCreated struct {
	Address common.Address
	Salt    [32]byte
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterProxyCreated is a free log retrieval operation binding the contract event 0xcfaab0d6675a72a93c114f48dd85add1076be0c88545968759ef034da7ad146f.
//
// Solidity: event ProxyCreated(address indexed _address, bytes32 _salt)
func (_MockFactory *MockFactoryFilterer) FilterProxyCreated(opts *bind.FilterOpts, _address []common.Address) (*MockFactoryProxyCreatedIterator, error) {

	var _addressRule []interface{}
	for _, _addressItem := range _address {
		_addressRule = append(_addressRule, _addressItem)
	}

	logs, sub, err := _MockFactory.contract.FilterLogs(opts, "ProxyCreated", _addressRule)
	if err != nil {
		return nil, err
	}
	return &MockFactoryProxyCreatedIterator{contract: _MockFactory.contract, event: "ProxyCreated", logs: logs, sub: sub}, nil
}

// WatchProxyCreated is a free log subscription operation binding the contract event 0xcfaab0d6675a72a93c114f48dd85add1076be0c88545968759ef034da7ad146f.
//
// Solidity: event ProxyCreated(address indexed _address, bytes32 _salt)
func (_MockFactory *MockFactoryFilterer) WatchProxyCreated(opts *bind.WatchOpts, sink chan<- *MockFactoryProxyCreated, _address []common.Address) (event.Subscription, error) {

	var _addressRule []interface{}
	for _, _addressItem := range _address {
		_addressRule = append(_addressRule, _addressItem)
	}

	logs, sub, err := _MockFactory.contract.WatchLogs(opts, "ProxyCreated", _addressRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockFactoryProxyCreated)
				if err := _MockFactory.contract.UnpackLog(event, "ProxyCreated", log); err != nil {
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

// ParseProxyCreated is a log parse operation binding the contract event 0xcfaab0d6675a72a93c114f48dd85add1076be0c88545968759ef034da7ad146f.
//
// Solidity: event ProxyCreated(address indexed _address, bytes32 _salt)
func (_MockFactory *MockFactoryFilterer) ParseProxyCreated(log types.Log) (*MockFactoryProxyCreated, error) {
	event := new(MockFactoryProxyCreated)
	if err := _MockFactory.contract.UnpackLog(event, "ProxyCreated", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

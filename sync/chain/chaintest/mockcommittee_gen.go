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

// MockCommitteeMetaData contains all meta data concerning the MockCommittee contract.
var MockCommitteeMetaData = &bind.MetaData{
	ABI: "[{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_member\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"_value\",\"type\":\"bool\"}],\"name\":\"MemberSet\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"members\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"m\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"ok\",\"type\":\"bool\"}],\"name\":\"setMember\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x6080604052348015600f57600080fd5b506101948061001f6000396000f3fe608060405234801561001057600080fd5b50600436106100365760003560e01c806308ae4b0c1461003b578063744cd69c14610072575b600080fd5b61005e610049366004610100565b60006020819052908152604090205460ff1681565b604051901515815260200160405180910390f35b610085610080366004610122565b610087565b005b6001600160a01b03821660008181526020818152604091829020805460ff191685151590811790915591519182527f4efc5168d98ad88d2d4784344a20876aea2fa3e8aa503b5fb3164a09019ca3d6910160405180910390a25050565b80356001600160a01b03811681146100fb57600080fd5b919050565b60006020828403121561011257600080fd5b61011b826100e4565b9392505050565b6000806040838503121561013557600080fd5b61013e836100e4565b91506020830135801515811461015357600080fd5b80915050925092905056fea264697066735822122038f57c290036405955a069aa449622ee853b3f4de9765f6580736b8e99c64a5564736f6c63430008250033",
}

// MockCommitteeABI is the input ABI used to generate the binding from.
// Deprecated: Use MockCommitteeMetaData.ABI instead.
var MockCommitteeABI = MockCommitteeMetaData.ABI

// MockCommitteeBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use MockCommitteeMetaData.Bin instead.
var MockCommitteeBin = MockCommitteeMetaData.Bin

// DeployMockCommittee deploys a new Ethereum contract, binding an instance of MockCommittee to it.
func DeployMockCommittee(auth *bind.TransactOpts, backend bind.ContractBackend) (common.Address, *types.Transaction, *MockCommittee, error) {
	parsed, err := MockCommitteeMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(MockCommitteeBin), backend)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &MockCommittee{MockCommitteeCaller: MockCommitteeCaller{contract: contract}, MockCommitteeTransactor: MockCommitteeTransactor{contract: contract}, MockCommitteeFilterer: MockCommitteeFilterer{contract: contract}}, nil
}

// MockCommittee is an auto generated Go binding around an Ethereum contract.
type MockCommittee struct {
	MockCommitteeCaller     // Read-only binding to the contract
	MockCommitteeTransactor // Write-only binding to the contract
	MockCommitteeFilterer   // Log filterer for contract events
}

// MockCommitteeCaller is an auto generated read-only Go binding around an Ethereum contract.
type MockCommitteeCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockCommitteeTransactor is an auto generated write-only Go binding around an Ethereum contract.
type MockCommitteeTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockCommitteeFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type MockCommitteeFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockCommitteeSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type MockCommitteeSession struct {
	Contract     *MockCommittee    // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// MockCommitteeCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type MockCommitteeCallerSession struct {
	Contract *MockCommitteeCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts        // Call options to use throughout this session
}

// MockCommitteeTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type MockCommitteeTransactorSession struct {
	Contract     *MockCommitteeTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts        // Transaction auth options to use throughout this session
}

// MockCommitteeRaw is an auto generated low-level Go binding around an Ethereum contract.
type MockCommitteeRaw struct {
	Contract *MockCommittee // Generic contract binding to access the raw methods on
}

// MockCommitteeCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type MockCommitteeCallerRaw struct {
	Contract *MockCommitteeCaller // Generic read-only contract binding to access the raw methods on
}

// MockCommitteeTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type MockCommitteeTransactorRaw struct {
	Contract *MockCommitteeTransactor // Generic write-only contract binding to access the raw methods on
}

// NewMockCommittee creates a new instance of MockCommittee, bound to a specific deployed contract.
func NewMockCommittee(address common.Address, backend bind.ContractBackend) (*MockCommittee, error) {
	contract, err := bindMockCommittee(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &MockCommittee{MockCommitteeCaller: MockCommitteeCaller{contract: contract}, MockCommitteeTransactor: MockCommitteeTransactor{contract: contract}, MockCommitteeFilterer: MockCommitteeFilterer{contract: contract}}, nil
}

// NewMockCommitteeCaller creates a new read-only instance of MockCommittee, bound to a specific deployed contract.
func NewMockCommitteeCaller(address common.Address, caller bind.ContractCaller) (*MockCommitteeCaller, error) {
	contract, err := bindMockCommittee(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &MockCommitteeCaller{contract: contract}, nil
}

// NewMockCommitteeTransactor creates a new write-only instance of MockCommittee, bound to a specific deployed contract.
func NewMockCommitteeTransactor(address common.Address, transactor bind.ContractTransactor) (*MockCommitteeTransactor, error) {
	contract, err := bindMockCommittee(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &MockCommitteeTransactor{contract: contract}, nil
}

// NewMockCommitteeFilterer creates a new log filterer instance of MockCommittee, bound to a specific deployed contract.
func NewMockCommitteeFilterer(address common.Address, filterer bind.ContractFilterer) (*MockCommitteeFilterer, error) {
	contract, err := bindMockCommittee(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &MockCommitteeFilterer{contract: contract}, nil
}

// bindMockCommittee binds a generic wrapper to an already deployed contract.
func bindMockCommittee(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := MockCommitteeMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockCommittee *MockCommitteeRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockCommittee.Contract.MockCommitteeCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockCommittee *MockCommitteeRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockCommittee.Contract.MockCommitteeTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockCommittee *MockCommitteeRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockCommittee.Contract.MockCommitteeTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockCommittee *MockCommitteeCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockCommittee.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockCommittee *MockCommitteeTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockCommittee.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockCommittee *MockCommitteeTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockCommittee.Contract.contract.Transact(opts, method, params...)
}

// Members is a free data retrieval call binding the contract method 0x08ae4b0c.
//
// Solidity: function members(address ) view returns(bool)
func (_MockCommittee *MockCommitteeCaller) Members(opts *bind.CallOpts, arg0 common.Address) (bool, error) {
	var out []interface{}
	err := _MockCommittee.contract.Call(opts, &out, "members", arg0)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// Members is a free data retrieval call binding the contract method 0x08ae4b0c.
//
// Solidity: function members(address ) view returns(bool)
func (_MockCommittee *MockCommitteeSession) Members(arg0 common.Address) (bool, error) {
	return _MockCommittee.Contract.Members(&_MockCommittee.CallOpts, arg0)
}

// Members is a free data retrieval call binding the contract method 0x08ae4b0c.
//
// Solidity: function members(address ) view returns(bool)
func (_MockCommittee *MockCommitteeCallerSession) Members(arg0 common.Address) (bool, error) {
	return _MockCommittee.Contract.Members(&_MockCommittee.CallOpts, arg0)
}

// SetMember is a paid mutator transaction binding the contract method 0x744cd69c.
//
// Solidity: function setMember(address m, bool ok) returns()
func (_MockCommittee *MockCommitteeTransactor) SetMember(opts *bind.TransactOpts, m common.Address, ok bool) (*types.Transaction, error) {
	return _MockCommittee.contract.Transact(opts, "setMember", m, ok)
}

// SetMember is a paid mutator transaction binding the contract method 0x744cd69c.
//
// Solidity: function setMember(address m, bool ok) returns()
func (_MockCommittee *MockCommitteeSession) SetMember(m common.Address, ok bool) (*types.Transaction, error) {
	return _MockCommittee.Contract.SetMember(&_MockCommittee.TransactOpts, m, ok)
}

// SetMember is a paid mutator transaction binding the contract method 0x744cd69c.
//
// Solidity: function setMember(address m, bool ok) returns()
func (_MockCommittee *MockCommitteeTransactorSession) SetMember(m common.Address, ok bool) (*types.Transaction, error) {
	return _MockCommittee.Contract.SetMember(&_MockCommittee.TransactOpts, m, ok)
}

// MockCommitteeMemberSetIterator is returned from FilterMemberSet and is used to iterate over the raw logs and unpacked data for MemberSet events raised by the MockCommittee contract.
type MockCommitteeMemberSetIterator struct {
	Event *MockCommitteeMemberSet // Event containing the contract specifics and raw log

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
func (it *MockCommitteeMemberSetIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockCommitteeMemberSet)
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
		it.Event = new(MockCommitteeMemberSet)
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
func (it *MockCommitteeMemberSetIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockCommitteeMemberSetIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockCommitteeMemberSet represents a MemberSet event raised by the MockCommittee contract.
type MockCommitteeMemberSet struct {
	Member common.Address
	Value  bool
	Raw    types.Log // Blockchain specific contextual infos
}

// FilterMemberSet is a free log retrieval operation binding the contract event 0x4efc5168d98ad88d2d4784344a20876aea2fa3e8aa503b5fb3164a09019ca3d6.
//
// Solidity: event MemberSet(address indexed _member, bool _value)
func (_MockCommittee *MockCommitteeFilterer) FilterMemberSet(opts *bind.FilterOpts, _member []common.Address) (*MockCommitteeMemberSetIterator, error) {

	var _memberRule []interface{}
	for _, _memberItem := range _member {
		_memberRule = append(_memberRule, _memberItem)
	}

	logs, sub, err := _MockCommittee.contract.FilterLogs(opts, "MemberSet", _memberRule)
	if err != nil {
		return nil, err
	}
	return &MockCommitteeMemberSetIterator{contract: _MockCommittee.contract, event: "MemberSet", logs: logs, sub: sub}, nil
}

// WatchMemberSet is a free log subscription operation binding the contract event 0x4efc5168d98ad88d2d4784344a20876aea2fa3e8aa503b5fb3164a09019ca3d6.
//
// Solidity: event MemberSet(address indexed _member, bool _value)
func (_MockCommittee *MockCommitteeFilterer) WatchMemberSet(opts *bind.WatchOpts, sink chan<- *MockCommitteeMemberSet, _member []common.Address) (event.Subscription, error) {

	var _memberRule []interface{}
	for _, _memberItem := range _member {
		_memberRule = append(_memberRule, _memberItem)
	}

	logs, sub, err := _MockCommittee.contract.WatchLogs(opts, "MemberSet", _memberRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockCommitteeMemberSet)
				if err := _MockCommittee.contract.UnpackLog(event, "MemberSet", log); err != nil {
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

// ParseMemberSet is a log parse operation binding the contract event 0x4efc5168d98ad88d2d4784344a20876aea2fa3e8aa503b5fb3164a09019ca3d6.
//
// Solidity: event MemberSet(address indexed _member, bool _value)
func (_MockCommittee *MockCommitteeFilterer) ParseMemberSet(log types.Log) (*MockCommitteeMemberSet, error) {
	event := new(MockCommitteeMemberSet)
	if err := _MockCommittee.contract.UnpackLog(event, "MemberSet", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

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

// MockCollectionV2Item is an auto generated low-level Go binding around an user-defined struct.
type MockCollectionV2Item struct {
	Rarity      string
	MaxSupply   *big.Int
	TotalSupply *big.Int
	Price       *big.Int
	Beneficiary common.Address
	Metadata    string
	ContentHash string
}

// MockCollectionV2MetaData contains all meta data concerning the MockCollectionV2 contract.
var MockCollectionV2MetaData = &bind.MetaData{
	ABI: "[{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_itemId\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"string\",\"name\":\"rarity\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"maxSupply\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"totalSupply\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"beneficiary\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"metadata\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"contentHash\",\"type\":\"string\"}],\"indexed\":false,\"internalType\":\"structMockCollectionV2.Item\",\"name\":\"_item\",\"type\":\"tuple\"}],\"name\":\"AddItem\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"Complete\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_previousCreator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_newCreator\",\"type\":\"address\"}],\"name\":\"CreatorshipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_beneficiary\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_tokenId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_itemId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_issuedId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"_caller\",\"type\":\"address\"}],\"name\":\"Issue\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"_previousValue\",\"type\":\"bool\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"_newValue\",\"type\":\"bool\"}],\"name\":\"SetApproved\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"itemId\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"rarity\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"metadata\",\"type\":\"string\"}],\"name\":\"addItem\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"creator\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"decodeTokenId\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"itemId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"issuedId\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"itemId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"issuedId\",\"type\":\"uint256\"}],\"name\":\"encodeTokenId\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"globalManagers\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"isApproved\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"isCompleted\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"itemId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"issue\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"itemManagers\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"items\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"rarity\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"maxSupply\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"totalSupply\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"beneficiary\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"metadata\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"contentHash\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"ownerOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"itemId\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"h\",\"type\":\"string\"}],\"name\":\"setContentHash\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"c\",\"type\":\"address\"}],\"name\":\"setCreator\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bool\",\"name\":\"approved\",\"type\":\"bool\"},{\"internalType\":\"bool\",\"name\":\"completed\",\"type\":\"bool\"}],\"name\":\"setFlags\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"m\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"ok\",\"type\":\"bool\"}],\"name\":\"setGlobalManager\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"itemId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"m\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"ok\",\"type\":\"bool\"}],\"name\":\"setItemManager\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"}],\"name\":\"transfer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x6080604052348015600f57600080fd5b506110448061001f6000396000f3fe608060405234801561001057600080fd5b506004361061010b5760003560e01c8063a3a23d62116100a2578063bfb231d211610071578063bfb231d2146102ed578063c1194e7e14610313578063ebd46d6414610326578063ec41b1251461033e578063fa391c641461035157600080fd5b8063a3a23d6214610260578063b7760c8f14610273578063b8ca324414610286578063be4763b3146102bf57600080fd5b80636d78f47a116100de5780636d78f47a146101a25780637682dfca146101c35780637b4dbaa2146101e65780637efd91121461022957600080fd5b806302d05d3f1461011057806328f371aa146101405780633f516018146101645780636352211e14610179575b600080fd5b600054610123906001600160a01b031681565b6040516001600160a01b0390911681526020015b60405180910390f35b60005461015490600160a01b900460ff1681565b6040519015158152602001610137565b610177610172366004610994565b610365565b005b6101236101873660046109b6565b6004602052600090815260409020546001600160a01b031681565b6101b56101b03660046109cf565b6103c0565b604051908152602001610137565b6101546101d1366004610994565b60016020526000908152604090205460ff1681565b6101776101f4366004610a1b565b60009283526002602090815260408085206001600160a01b039490941685529290529120805460ff1916911515919091179055565b61024b6102373660046109b6565b60d881901c916001600160d81b0390911690565b60408051928352602083019190915201610137565b61017761026e366004610a97565b61049f565b610177610281366004610ae3565b6104c1565b610177610294366004610b0f565b6001600160a01b03919091166000908152600160205260409020805460ff1916911515919091179055565b6101546102cd366004610ae3565b600260209081526000928352604080842090915290825290205460ff1681565b6103006102fb3660046109b6565b610535565b6040516101379796959493929190610b7f565b610177610321366004610bea565b610715565b6101b5610334366004610c06565b60d89190911b1790565b61017761034c366004610c28565b6107f3565b60005461015490600160a81b900460ff1681565b600080546040516001600160a01b03808516939216917ff25c6226b06a6bf4b2c2391bb66962bb4290c323cf8b5814efb185aba3f42d5f91a3600080546001600160a01b0319166001600160a01b0392909216919091179055565b6000828152600360205260408120600201805482919082906103e190610cb0565b9182905550905060d884901b811760008181526004602090815260409182902080546001600160a01b0319166001600160a01b038a8116918217909255835186815291881692820192909252929450869285927f57e2fe3f4d57a597e655a893f43c395d7dc18cb9c9c1898eda75cc0ad7608525910160405180910390a460405182906001600160a01b038716906000907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef908290a4509392505050565b60008381526003602052604090206006016104bb828483610d83565b50505050565b60008281526004602052604080822054905184926001600160a01b038086169316917fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9190a460009182526004602052604090912080546001600160a01b0319166001600160a01b03909216919091179055565b60036020526000908152604090208054819061055090610ced565b80601f016020809104026020016040519081016040528092919081815260200182805461057c90610ced565b80156105c95780601f1061059e576101008083540402835291602001916105c9565b820191906000526020600020905b8154815290600101906020018083116105ac57829003601f168201915b5050506001840154600285015460038601546004870154600588018054979894979396509194506001600160a01b0316929161060490610ced565b80601f016020809104026020016040519081016040528092919081815260200182805461063090610ced565b801561067d5780601f106106525761010080835404028352916020019161067d565b820191906000526020600020905b81548152906001019060200180831161066057829003601f168201915b50505050509080600601805461069290610ced565b80601f01602080910402602001604051908101604052809291908181526020018280546106be90610ced565b801561070b5780601f106106e05761010080835404028352916020019161070b565b820191906000526020600020905b8154815290600101906020018083116106ee57829003601f168201915b5050505050905087565b80801561072c5750600054600160a81b900460ff16155b1561075b576040517f01b7dcb42d49142a99e4c98da755263c600213a33b780986779405b9823501d390600090a15b600060149054906101000a900460ff161515821515146107bf5760005460408051600160a01b90920460ff161515825283151560208301527f9ea3c7bd2b8ff87a3768286a529f5932ca385584c8ddf42eea8eade2ac1fb121910160405180910390a15b6000805461ffff60a01b1916600160a01b9315159390930260ff60a81b191692909217600160a81b91151591909102179055565b6040518060e0016040528086868080601f016020809104026020016040519081016040528093929190818152602001838380828437600092018290525093855250506064602080850191909152604080850193909352606084018890523360808501528251601f870182900482028101820190935285835260a090930192869150859081908401838280828437600092018290525093855250506040805160208181018352848252948501528a835260039093525020815181906108b79082610e44565b5060208201516001820155604082015160028201556060820151600382015560808201516004820180546001600160a01b0319166001600160a01b0390921691909117905560a082015160058201906109109082610e44565b5060c082015160068201906109259082610e44565b50505060008681526003602052604090819020905187917f1464db75caec2c4f1b56b5246ef01a229ff5edc3b0fcf9b2953fec53b3987d8f916109689190610f86565b60405180910390a2505050505050565b80356001600160a01b038116811461098f57600080fd5b919050565b6000602082840312156109a657600080fd5b6109af82610978565b9392505050565b6000602082840312156109c857600080fd5b5035919050565b6000806000606084860312156109e457600080fd5b6109ed84610978565b925060208401359150610a0260408501610978565b90509250925092565b8035801515811461098f57600080fd5b600080600060608486031215610a3057600080fd5b83359250610a4060208501610978565b9150610a0260408501610a0b565b60008083601f840112610a6057600080fd5b50813567ffffffffffffffff811115610a7857600080fd5b602083019150836020828501011115610a9057600080fd5b9250929050565b600080600060408486031215610aac57600080fd5b83359250602084013567ffffffffffffffff811115610aca57600080fd5b610ad686828701610a4e565b9497909650939450505050565b60008060408385031215610af657600080fd5b82359150610b0660208401610978565b90509250929050565b60008060408385031215610b2257600080fd5b610b2b83610978565b9150610b0660208401610a0b565b6000815180845260005b81811015610b5f57602081850181015186830182015201610b43565b506000602082860101526020601f19601f83011685010191505092915050565b60e081526000610b9260e083018a610b39565b6020830189905260408301889052606083018790526001600160a01b038616608084015282810360a0840152610bc88186610b39565b905082810360c0840152610bdc8185610b39565b9a9950505050505050505050565b60008060408385031215610bfd57600080fd5b610b2b83610a0b565b60008060408385031215610c1957600080fd5b50508035926020909101359150565b60008060008060008060808789031215610c4157600080fd5b86359550602087013567ffffffffffffffff811115610c5f57600080fd5b610c6b89828a01610a4e565b90965094505060408701359250606087013567ffffffffffffffff811115610c9257600080fd5b610c9e89828a01610a4e565b979a9699509497509295939492505050565b600060018201610cd057634e487b7160e01b600052601160045260246000fd5b5060010190565b634e487b7160e01b600052604160045260246000fd5b600181811c90821680610d0157607f821691505b602082108103610d2157634e487b7160e01b600052602260045260246000fd5b50919050565b601f821115610d7e5782821115610d7e57806000526020600020601f840160051c6020851015610d55575060005b90810190601f840160051c0360005b81811015610d7a57600083820155600101610d64565b5050505b505050565b67ffffffffffffffff831115610d9b57610d9b610cd7565b610daf83610da98354610ced565b83610d27565b6000601f841160018114610de35760008515610dcb5750838201355b600019600387901b1c1916600186901b178355610e3d565b600083815260209020601f19861690835b82811015610e145786850135825560209485019460019092019101610df4565b5086821015610e315760001960f88860031b161c19848701351681555b505060018560011b0183555b5050505050565b815167ffffffffffffffff811115610e5e57610e5e610cd7565b610e7281610e6c8454610ced565b84610d27565b6020601f821160018114610ea65760008315610e8e5750848201515b600019600385901b1c1916600184901b178455610e3d565b600084815260208120601f198516915b82811015610ed65787850151825560209485019460019092019101610eb6565b5084821015610ef45786840151600019600387901b60f8161c191681555b50505050600190811b01905550565b60008154610f1081610ced565b808552600182168015610f2a5760018114610f4657610f7d565b60ff1983166020870152602082151560051b8701019350610f7d565b84600052602060002060005b83811015610f745781546020828a010152600182019150602081019050610f52565b87016020019450505b50505092915050565b6020815260e060208201526000610fa1610100830184610f03565b60018401546040840152600284015460608401526003840154608084015260048401546001600160a01b031660a0840152828103601f190160c0840152610feb8160058601610f03565b838103601f190160e085015290506110068160068601610f03565b94935050505056fea2646970667358221220f53d79bb6338e12c41744d18ebf66ecf668e2b957e8eaf9e111af599cabaee5864736f6c63430008250033",
}

// MockCollectionV2ABI is the input ABI used to generate the binding from.
// Deprecated: Use MockCollectionV2MetaData.ABI instead.
var MockCollectionV2ABI = MockCollectionV2MetaData.ABI

// MockCollectionV2Bin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use MockCollectionV2MetaData.Bin instead.
var MockCollectionV2Bin = MockCollectionV2MetaData.Bin

// DeployMockCollectionV2 deploys a new Ethereum contract, binding an instance of MockCollectionV2 to it.
func DeployMockCollectionV2(auth *bind.TransactOpts, backend bind.ContractBackend) (common.Address, *types.Transaction, *MockCollectionV2, error) {
	parsed, err := MockCollectionV2MetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(MockCollectionV2Bin), backend)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &MockCollectionV2{MockCollectionV2Caller: MockCollectionV2Caller{contract: contract}, MockCollectionV2Transactor: MockCollectionV2Transactor{contract: contract}, MockCollectionV2Filterer: MockCollectionV2Filterer{contract: contract}}, nil
}

// MockCollectionV2 is an auto generated Go binding around an Ethereum contract.
type MockCollectionV2 struct {
	MockCollectionV2Caller     // Read-only binding to the contract
	MockCollectionV2Transactor // Write-only binding to the contract
	MockCollectionV2Filterer   // Log filterer for contract events
}

// MockCollectionV2Caller is an auto generated read-only Go binding around an Ethereum contract.
type MockCollectionV2Caller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockCollectionV2Transactor is an auto generated write-only Go binding around an Ethereum contract.
type MockCollectionV2Transactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockCollectionV2Filterer is an auto generated log filtering Go binding around an Ethereum contract events.
type MockCollectionV2Filterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MockCollectionV2Session is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type MockCollectionV2Session struct {
	Contract     *MockCollectionV2 // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// MockCollectionV2CallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type MockCollectionV2CallerSession struct {
	Contract *MockCollectionV2Caller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts           // Call options to use throughout this session
}

// MockCollectionV2TransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type MockCollectionV2TransactorSession struct {
	Contract     *MockCollectionV2Transactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts           // Transaction auth options to use throughout this session
}

// MockCollectionV2Raw is an auto generated low-level Go binding around an Ethereum contract.
type MockCollectionV2Raw struct {
	Contract *MockCollectionV2 // Generic contract binding to access the raw methods on
}

// MockCollectionV2CallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type MockCollectionV2CallerRaw struct {
	Contract *MockCollectionV2Caller // Generic read-only contract binding to access the raw methods on
}

// MockCollectionV2TransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type MockCollectionV2TransactorRaw struct {
	Contract *MockCollectionV2Transactor // Generic write-only contract binding to access the raw methods on
}

// NewMockCollectionV2 creates a new instance of MockCollectionV2, bound to a specific deployed contract.
func NewMockCollectionV2(address common.Address, backend bind.ContractBackend) (*MockCollectionV2, error) {
	contract, err := bindMockCollectionV2(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &MockCollectionV2{MockCollectionV2Caller: MockCollectionV2Caller{contract: contract}, MockCollectionV2Transactor: MockCollectionV2Transactor{contract: contract}, MockCollectionV2Filterer: MockCollectionV2Filterer{contract: contract}}, nil
}

// NewMockCollectionV2Caller creates a new read-only instance of MockCollectionV2, bound to a specific deployed contract.
func NewMockCollectionV2Caller(address common.Address, caller bind.ContractCaller) (*MockCollectionV2Caller, error) {
	contract, err := bindMockCollectionV2(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &MockCollectionV2Caller{contract: contract}, nil
}

// NewMockCollectionV2Transactor creates a new write-only instance of MockCollectionV2, bound to a specific deployed contract.
func NewMockCollectionV2Transactor(address common.Address, transactor bind.ContractTransactor) (*MockCollectionV2Transactor, error) {
	contract, err := bindMockCollectionV2(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &MockCollectionV2Transactor{contract: contract}, nil
}

// NewMockCollectionV2Filterer creates a new log filterer instance of MockCollectionV2, bound to a specific deployed contract.
func NewMockCollectionV2Filterer(address common.Address, filterer bind.ContractFilterer) (*MockCollectionV2Filterer, error) {
	contract, err := bindMockCollectionV2(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &MockCollectionV2Filterer{contract: contract}, nil
}

// bindMockCollectionV2 binds a generic wrapper to an already deployed contract.
func bindMockCollectionV2(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := MockCollectionV2MetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockCollectionV2 *MockCollectionV2Raw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockCollectionV2.Contract.MockCollectionV2Caller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockCollectionV2 *MockCollectionV2Raw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.MockCollectionV2Transactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockCollectionV2 *MockCollectionV2Raw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.MockCollectionV2Transactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_MockCollectionV2 *MockCollectionV2CallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _MockCollectionV2.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_MockCollectionV2 *MockCollectionV2TransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_MockCollectionV2 *MockCollectionV2TransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.contract.Transact(opts, method, params...)
}

// Creator is a free data retrieval call binding the contract method 0x02d05d3f.
//
// Solidity: function creator() view returns(address)
func (_MockCollectionV2 *MockCollectionV2Caller) Creator(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _MockCollectionV2.contract.Call(opts, &out, "creator")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Creator is a free data retrieval call binding the contract method 0x02d05d3f.
//
// Solidity: function creator() view returns(address)
func (_MockCollectionV2 *MockCollectionV2Session) Creator() (common.Address, error) {
	return _MockCollectionV2.Contract.Creator(&_MockCollectionV2.CallOpts)
}

// Creator is a free data retrieval call binding the contract method 0x02d05d3f.
//
// Solidity: function creator() view returns(address)
func (_MockCollectionV2 *MockCollectionV2CallerSession) Creator() (common.Address, error) {
	return _MockCollectionV2.Contract.Creator(&_MockCollectionV2.CallOpts)
}

// DecodeTokenId is a free data retrieval call binding the contract method 0x7efd9112.
//
// Solidity: function decodeTokenId(uint256 id) pure returns(uint256 itemId, uint256 issuedId)
func (_MockCollectionV2 *MockCollectionV2Caller) DecodeTokenId(opts *bind.CallOpts, id *big.Int) (struct {
	ItemId   *big.Int
	IssuedId *big.Int
}, error) {
	var out []interface{}
	err := _MockCollectionV2.contract.Call(opts, &out, "decodeTokenId", id)

	outstruct := new(struct {
		ItemId   *big.Int
		IssuedId *big.Int
	})
	if err != nil {
		return *outstruct, err
	}

	outstruct.ItemId = *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)
	outstruct.IssuedId = *abi.ConvertType(out[1], new(*big.Int)).(**big.Int)

	return *outstruct, err

}

// DecodeTokenId is a free data retrieval call binding the contract method 0x7efd9112.
//
// Solidity: function decodeTokenId(uint256 id) pure returns(uint256 itemId, uint256 issuedId)
func (_MockCollectionV2 *MockCollectionV2Session) DecodeTokenId(id *big.Int) (struct {
	ItemId   *big.Int
	IssuedId *big.Int
}, error) {
	return _MockCollectionV2.Contract.DecodeTokenId(&_MockCollectionV2.CallOpts, id)
}

// DecodeTokenId is a free data retrieval call binding the contract method 0x7efd9112.
//
// Solidity: function decodeTokenId(uint256 id) pure returns(uint256 itemId, uint256 issuedId)
func (_MockCollectionV2 *MockCollectionV2CallerSession) DecodeTokenId(id *big.Int) (struct {
	ItemId   *big.Int
	IssuedId *big.Int
}, error) {
	return _MockCollectionV2.Contract.DecodeTokenId(&_MockCollectionV2.CallOpts, id)
}

// EncodeTokenId is a free data retrieval call binding the contract method 0xebd46d64.
//
// Solidity: function encodeTokenId(uint256 itemId, uint256 issuedId) pure returns(uint256)
func (_MockCollectionV2 *MockCollectionV2Caller) EncodeTokenId(opts *bind.CallOpts, itemId *big.Int, issuedId *big.Int) (*big.Int, error) {
	var out []interface{}
	err := _MockCollectionV2.contract.Call(opts, &out, "encodeTokenId", itemId, issuedId)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// EncodeTokenId is a free data retrieval call binding the contract method 0xebd46d64.
//
// Solidity: function encodeTokenId(uint256 itemId, uint256 issuedId) pure returns(uint256)
func (_MockCollectionV2 *MockCollectionV2Session) EncodeTokenId(itemId *big.Int, issuedId *big.Int) (*big.Int, error) {
	return _MockCollectionV2.Contract.EncodeTokenId(&_MockCollectionV2.CallOpts, itemId, issuedId)
}

// EncodeTokenId is a free data retrieval call binding the contract method 0xebd46d64.
//
// Solidity: function encodeTokenId(uint256 itemId, uint256 issuedId) pure returns(uint256)
func (_MockCollectionV2 *MockCollectionV2CallerSession) EncodeTokenId(itemId *big.Int, issuedId *big.Int) (*big.Int, error) {
	return _MockCollectionV2.Contract.EncodeTokenId(&_MockCollectionV2.CallOpts, itemId, issuedId)
}

// GlobalManagers is a free data retrieval call binding the contract method 0x7682dfca.
//
// Solidity: function globalManagers(address ) view returns(bool)
func (_MockCollectionV2 *MockCollectionV2Caller) GlobalManagers(opts *bind.CallOpts, arg0 common.Address) (bool, error) {
	var out []interface{}
	err := _MockCollectionV2.contract.Call(opts, &out, "globalManagers", arg0)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// GlobalManagers is a free data retrieval call binding the contract method 0x7682dfca.
//
// Solidity: function globalManagers(address ) view returns(bool)
func (_MockCollectionV2 *MockCollectionV2Session) GlobalManagers(arg0 common.Address) (bool, error) {
	return _MockCollectionV2.Contract.GlobalManagers(&_MockCollectionV2.CallOpts, arg0)
}

// GlobalManagers is a free data retrieval call binding the contract method 0x7682dfca.
//
// Solidity: function globalManagers(address ) view returns(bool)
func (_MockCollectionV2 *MockCollectionV2CallerSession) GlobalManagers(arg0 common.Address) (bool, error) {
	return _MockCollectionV2.Contract.GlobalManagers(&_MockCollectionV2.CallOpts, arg0)
}

// IsApproved is a free data retrieval call binding the contract method 0x28f371aa.
//
// Solidity: function isApproved() view returns(bool)
func (_MockCollectionV2 *MockCollectionV2Caller) IsApproved(opts *bind.CallOpts) (bool, error) {
	var out []interface{}
	err := _MockCollectionV2.contract.Call(opts, &out, "isApproved")

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// IsApproved is a free data retrieval call binding the contract method 0x28f371aa.
//
// Solidity: function isApproved() view returns(bool)
func (_MockCollectionV2 *MockCollectionV2Session) IsApproved() (bool, error) {
	return _MockCollectionV2.Contract.IsApproved(&_MockCollectionV2.CallOpts)
}

// IsApproved is a free data retrieval call binding the contract method 0x28f371aa.
//
// Solidity: function isApproved() view returns(bool)
func (_MockCollectionV2 *MockCollectionV2CallerSession) IsApproved() (bool, error) {
	return _MockCollectionV2.Contract.IsApproved(&_MockCollectionV2.CallOpts)
}

// IsCompleted is a free data retrieval call binding the contract method 0xfa391c64.
//
// Solidity: function isCompleted() view returns(bool)
func (_MockCollectionV2 *MockCollectionV2Caller) IsCompleted(opts *bind.CallOpts) (bool, error) {
	var out []interface{}
	err := _MockCollectionV2.contract.Call(opts, &out, "isCompleted")

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// IsCompleted is a free data retrieval call binding the contract method 0xfa391c64.
//
// Solidity: function isCompleted() view returns(bool)
func (_MockCollectionV2 *MockCollectionV2Session) IsCompleted() (bool, error) {
	return _MockCollectionV2.Contract.IsCompleted(&_MockCollectionV2.CallOpts)
}

// IsCompleted is a free data retrieval call binding the contract method 0xfa391c64.
//
// Solidity: function isCompleted() view returns(bool)
func (_MockCollectionV2 *MockCollectionV2CallerSession) IsCompleted() (bool, error) {
	return _MockCollectionV2.Contract.IsCompleted(&_MockCollectionV2.CallOpts)
}

// ItemManagers is a free data retrieval call binding the contract method 0xbe4763b3.
//
// Solidity: function itemManagers(uint256 , address ) view returns(bool)
func (_MockCollectionV2 *MockCollectionV2Caller) ItemManagers(opts *bind.CallOpts, arg0 *big.Int, arg1 common.Address) (bool, error) {
	var out []interface{}
	err := _MockCollectionV2.contract.Call(opts, &out, "itemManagers", arg0, arg1)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// ItemManagers is a free data retrieval call binding the contract method 0xbe4763b3.
//
// Solidity: function itemManagers(uint256 , address ) view returns(bool)
func (_MockCollectionV2 *MockCollectionV2Session) ItemManagers(arg0 *big.Int, arg1 common.Address) (bool, error) {
	return _MockCollectionV2.Contract.ItemManagers(&_MockCollectionV2.CallOpts, arg0, arg1)
}

// ItemManagers is a free data retrieval call binding the contract method 0xbe4763b3.
//
// Solidity: function itemManagers(uint256 , address ) view returns(bool)
func (_MockCollectionV2 *MockCollectionV2CallerSession) ItemManagers(arg0 *big.Int, arg1 common.Address) (bool, error) {
	return _MockCollectionV2.Contract.ItemManagers(&_MockCollectionV2.CallOpts, arg0, arg1)
}

// Items is a free data retrieval call binding the contract method 0xbfb231d2.
//
// Solidity: function items(uint256 ) view returns(string rarity, uint256 maxSupply, uint256 totalSupply, uint256 price, address beneficiary, string metadata, string contentHash)
func (_MockCollectionV2 *MockCollectionV2Caller) Items(opts *bind.CallOpts, arg0 *big.Int) (struct {
	Rarity      string
	MaxSupply   *big.Int
	TotalSupply *big.Int
	Price       *big.Int
	Beneficiary common.Address
	Metadata    string
	ContentHash string
}, error) {
	var out []interface{}
	err := _MockCollectionV2.contract.Call(opts, &out, "items", arg0)

	outstruct := new(struct {
		Rarity      string
		MaxSupply   *big.Int
		TotalSupply *big.Int
		Price       *big.Int
		Beneficiary common.Address
		Metadata    string
		ContentHash string
	})
	if err != nil {
		return *outstruct, err
	}

	outstruct.Rarity = *abi.ConvertType(out[0], new(string)).(*string)
	outstruct.MaxSupply = *abi.ConvertType(out[1], new(*big.Int)).(**big.Int)
	outstruct.TotalSupply = *abi.ConvertType(out[2], new(*big.Int)).(**big.Int)
	outstruct.Price = *abi.ConvertType(out[3], new(*big.Int)).(**big.Int)
	outstruct.Beneficiary = *abi.ConvertType(out[4], new(common.Address)).(*common.Address)
	outstruct.Metadata = *abi.ConvertType(out[5], new(string)).(*string)
	outstruct.ContentHash = *abi.ConvertType(out[6], new(string)).(*string)

	return *outstruct, err

}

// Items is a free data retrieval call binding the contract method 0xbfb231d2.
//
// Solidity: function items(uint256 ) view returns(string rarity, uint256 maxSupply, uint256 totalSupply, uint256 price, address beneficiary, string metadata, string contentHash)
func (_MockCollectionV2 *MockCollectionV2Session) Items(arg0 *big.Int) (struct {
	Rarity      string
	MaxSupply   *big.Int
	TotalSupply *big.Int
	Price       *big.Int
	Beneficiary common.Address
	Metadata    string
	ContentHash string
}, error) {
	return _MockCollectionV2.Contract.Items(&_MockCollectionV2.CallOpts, arg0)
}

// Items is a free data retrieval call binding the contract method 0xbfb231d2.
//
// Solidity: function items(uint256 ) view returns(string rarity, uint256 maxSupply, uint256 totalSupply, uint256 price, address beneficiary, string metadata, string contentHash)
func (_MockCollectionV2 *MockCollectionV2CallerSession) Items(arg0 *big.Int) (struct {
	Rarity      string
	MaxSupply   *big.Int
	TotalSupply *big.Int
	Price       *big.Int
	Beneficiary common.Address
	Metadata    string
	ContentHash string
}, error) {
	return _MockCollectionV2.Contract.Items(&_MockCollectionV2.CallOpts, arg0)
}

// OwnerOf is a free data retrieval call binding the contract method 0x6352211e.
//
// Solidity: function ownerOf(uint256 ) view returns(address)
func (_MockCollectionV2 *MockCollectionV2Caller) OwnerOf(opts *bind.CallOpts, arg0 *big.Int) (common.Address, error) {
	var out []interface{}
	err := _MockCollectionV2.contract.Call(opts, &out, "ownerOf", arg0)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// OwnerOf is a free data retrieval call binding the contract method 0x6352211e.
//
// Solidity: function ownerOf(uint256 ) view returns(address)
func (_MockCollectionV2 *MockCollectionV2Session) OwnerOf(arg0 *big.Int) (common.Address, error) {
	return _MockCollectionV2.Contract.OwnerOf(&_MockCollectionV2.CallOpts, arg0)
}

// OwnerOf is a free data retrieval call binding the contract method 0x6352211e.
//
// Solidity: function ownerOf(uint256 ) view returns(address)
func (_MockCollectionV2 *MockCollectionV2CallerSession) OwnerOf(arg0 *big.Int) (common.Address, error) {
	return _MockCollectionV2.Contract.OwnerOf(&_MockCollectionV2.CallOpts, arg0)
}

// AddItem is a paid mutator transaction binding the contract method 0xec41b125.
//
// Solidity: function addItem(uint256 itemId, string rarity, uint256 price, string metadata) returns()
func (_MockCollectionV2 *MockCollectionV2Transactor) AddItem(opts *bind.TransactOpts, itemId *big.Int, rarity string, price *big.Int, metadata string) (*types.Transaction, error) {
	return _MockCollectionV2.contract.Transact(opts, "addItem", itemId, rarity, price, metadata)
}

// AddItem is a paid mutator transaction binding the contract method 0xec41b125.
//
// Solidity: function addItem(uint256 itemId, string rarity, uint256 price, string metadata) returns()
func (_MockCollectionV2 *MockCollectionV2Session) AddItem(itemId *big.Int, rarity string, price *big.Int, metadata string) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.AddItem(&_MockCollectionV2.TransactOpts, itemId, rarity, price, metadata)
}

// AddItem is a paid mutator transaction binding the contract method 0xec41b125.
//
// Solidity: function addItem(uint256 itemId, string rarity, uint256 price, string metadata) returns()
func (_MockCollectionV2 *MockCollectionV2TransactorSession) AddItem(itemId *big.Int, rarity string, price *big.Int, metadata string) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.AddItem(&_MockCollectionV2.TransactOpts, itemId, rarity, price, metadata)
}

// Issue is a paid mutator transaction binding the contract method 0x6d78f47a.
//
// Solidity: function issue(address to, uint256 itemId, address caller) returns(uint256 id)
func (_MockCollectionV2 *MockCollectionV2Transactor) Issue(opts *bind.TransactOpts, to common.Address, itemId *big.Int, caller common.Address) (*types.Transaction, error) {
	return _MockCollectionV2.contract.Transact(opts, "issue", to, itemId, caller)
}

// Issue is a paid mutator transaction binding the contract method 0x6d78f47a.
//
// Solidity: function issue(address to, uint256 itemId, address caller) returns(uint256 id)
func (_MockCollectionV2 *MockCollectionV2Session) Issue(to common.Address, itemId *big.Int, caller common.Address) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.Issue(&_MockCollectionV2.TransactOpts, to, itemId, caller)
}

// Issue is a paid mutator transaction binding the contract method 0x6d78f47a.
//
// Solidity: function issue(address to, uint256 itemId, address caller) returns(uint256 id)
func (_MockCollectionV2 *MockCollectionV2TransactorSession) Issue(to common.Address, itemId *big.Int, caller common.Address) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.Issue(&_MockCollectionV2.TransactOpts, to, itemId, caller)
}

// SetContentHash is a paid mutator transaction binding the contract method 0xa3a23d62.
//
// Solidity: function setContentHash(uint256 itemId, string h) returns()
func (_MockCollectionV2 *MockCollectionV2Transactor) SetContentHash(opts *bind.TransactOpts, itemId *big.Int, h string) (*types.Transaction, error) {
	return _MockCollectionV2.contract.Transact(opts, "setContentHash", itemId, h)
}

// SetContentHash is a paid mutator transaction binding the contract method 0xa3a23d62.
//
// Solidity: function setContentHash(uint256 itemId, string h) returns()
func (_MockCollectionV2 *MockCollectionV2Session) SetContentHash(itemId *big.Int, h string) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.SetContentHash(&_MockCollectionV2.TransactOpts, itemId, h)
}

// SetContentHash is a paid mutator transaction binding the contract method 0xa3a23d62.
//
// Solidity: function setContentHash(uint256 itemId, string h) returns()
func (_MockCollectionV2 *MockCollectionV2TransactorSession) SetContentHash(itemId *big.Int, h string) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.SetContentHash(&_MockCollectionV2.TransactOpts, itemId, h)
}

// SetCreator is a paid mutator transaction binding the contract method 0x3f516018.
//
// Solidity: function setCreator(address c) returns()
func (_MockCollectionV2 *MockCollectionV2Transactor) SetCreator(opts *bind.TransactOpts, c common.Address) (*types.Transaction, error) {
	return _MockCollectionV2.contract.Transact(opts, "setCreator", c)
}

// SetCreator is a paid mutator transaction binding the contract method 0x3f516018.
//
// Solidity: function setCreator(address c) returns()
func (_MockCollectionV2 *MockCollectionV2Session) SetCreator(c common.Address) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.SetCreator(&_MockCollectionV2.TransactOpts, c)
}

// SetCreator is a paid mutator transaction binding the contract method 0x3f516018.
//
// Solidity: function setCreator(address c) returns()
func (_MockCollectionV2 *MockCollectionV2TransactorSession) SetCreator(c common.Address) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.SetCreator(&_MockCollectionV2.TransactOpts, c)
}

// SetFlags is a paid mutator transaction binding the contract method 0xc1194e7e.
//
// Solidity: function setFlags(bool approved, bool completed) returns()
func (_MockCollectionV2 *MockCollectionV2Transactor) SetFlags(opts *bind.TransactOpts, approved bool, completed bool) (*types.Transaction, error) {
	return _MockCollectionV2.contract.Transact(opts, "setFlags", approved, completed)
}

// SetFlags is a paid mutator transaction binding the contract method 0xc1194e7e.
//
// Solidity: function setFlags(bool approved, bool completed) returns()
func (_MockCollectionV2 *MockCollectionV2Session) SetFlags(approved bool, completed bool) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.SetFlags(&_MockCollectionV2.TransactOpts, approved, completed)
}

// SetFlags is a paid mutator transaction binding the contract method 0xc1194e7e.
//
// Solidity: function setFlags(bool approved, bool completed) returns()
func (_MockCollectionV2 *MockCollectionV2TransactorSession) SetFlags(approved bool, completed bool) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.SetFlags(&_MockCollectionV2.TransactOpts, approved, completed)
}

// SetGlobalManager is a paid mutator transaction binding the contract method 0xb8ca3244.
//
// Solidity: function setGlobalManager(address m, bool ok) returns()
func (_MockCollectionV2 *MockCollectionV2Transactor) SetGlobalManager(opts *bind.TransactOpts, m common.Address, ok bool) (*types.Transaction, error) {
	return _MockCollectionV2.contract.Transact(opts, "setGlobalManager", m, ok)
}

// SetGlobalManager is a paid mutator transaction binding the contract method 0xb8ca3244.
//
// Solidity: function setGlobalManager(address m, bool ok) returns()
func (_MockCollectionV2 *MockCollectionV2Session) SetGlobalManager(m common.Address, ok bool) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.SetGlobalManager(&_MockCollectionV2.TransactOpts, m, ok)
}

// SetGlobalManager is a paid mutator transaction binding the contract method 0xb8ca3244.
//
// Solidity: function setGlobalManager(address m, bool ok) returns()
func (_MockCollectionV2 *MockCollectionV2TransactorSession) SetGlobalManager(m common.Address, ok bool) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.SetGlobalManager(&_MockCollectionV2.TransactOpts, m, ok)
}

// SetItemManager is a paid mutator transaction binding the contract method 0x7b4dbaa2.
//
// Solidity: function setItemManager(uint256 itemId, address m, bool ok) returns()
func (_MockCollectionV2 *MockCollectionV2Transactor) SetItemManager(opts *bind.TransactOpts, itemId *big.Int, m common.Address, ok bool) (*types.Transaction, error) {
	return _MockCollectionV2.contract.Transact(opts, "setItemManager", itemId, m, ok)
}

// SetItemManager is a paid mutator transaction binding the contract method 0x7b4dbaa2.
//
// Solidity: function setItemManager(uint256 itemId, address m, bool ok) returns()
func (_MockCollectionV2 *MockCollectionV2Session) SetItemManager(itemId *big.Int, m common.Address, ok bool) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.SetItemManager(&_MockCollectionV2.TransactOpts, itemId, m, ok)
}

// SetItemManager is a paid mutator transaction binding the contract method 0x7b4dbaa2.
//
// Solidity: function setItemManager(uint256 itemId, address m, bool ok) returns()
func (_MockCollectionV2 *MockCollectionV2TransactorSession) SetItemManager(itemId *big.Int, m common.Address, ok bool) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.SetItemManager(&_MockCollectionV2.TransactOpts, itemId, m, ok)
}

// Transfer is a paid mutator transaction binding the contract method 0xb7760c8f.
//
// Solidity: function transfer(uint256 id, address to) returns()
func (_MockCollectionV2 *MockCollectionV2Transactor) Transfer(opts *bind.TransactOpts, id *big.Int, to common.Address) (*types.Transaction, error) {
	return _MockCollectionV2.contract.Transact(opts, "transfer", id, to)
}

// Transfer is a paid mutator transaction binding the contract method 0xb7760c8f.
//
// Solidity: function transfer(uint256 id, address to) returns()
func (_MockCollectionV2 *MockCollectionV2Session) Transfer(id *big.Int, to common.Address) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.Transfer(&_MockCollectionV2.TransactOpts, id, to)
}

// Transfer is a paid mutator transaction binding the contract method 0xb7760c8f.
//
// Solidity: function transfer(uint256 id, address to) returns()
func (_MockCollectionV2 *MockCollectionV2TransactorSession) Transfer(id *big.Int, to common.Address) (*types.Transaction, error) {
	return _MockCollectionV2.Contract.Transfer(&_MockCollectionV2.TransactOpts, id, to)
}

// MockCollectionV2AddItemIterator is returned from FilterAddItem and is used to iterate over the raw logs and unpacked data for AddItem events raised by the MockCollectionV2 contract.
type MockCollectionV2AddItemIterator struct {
	Event *MockCollectionV2AddItem // Event containing the contract specifics and raw log

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
func (it *MockCollectionV2AddItemIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockCollectionV2AddItem)
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
		it.Event = new(MockCollectionV2AddItem)
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
func (it *MockCollectionV2AddItemIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockCollectionV2AddItemIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockCollectionV2AddItem represents a AddItem event raised by the MockCollectionV2 contract.
type MockCollectionV2AddItem struct {
	ItemId *big.Int
	Item   MockCollectionV2Item
	Raw    types.Log // Blockchain specific contextual infos
}

// FilterAddItem is a free log retrieval operation binding the contract event 0x1464db75caec2c4f1b56b5246ef01a229ff5edc3b0fcf9b2953fec53b3987d8f.
//
// Solidity: event AddItem(uint256 indexed _itemId, (string,uint256,uint256,uint256,address,string,string) _item)
func (_MockCollectionV2 *MockCollectionV2Filterer) FilterAddItem(opts *bind.FilterOpts, _itemId []*big.Int) (*MockCollectionV2AddItemIterator, error) {

	var _itemIdRule []interface{}
	for _, _itemIdItem := range _itemId {
		_itemIdRule = append(_itemIdRule, _itemIdItem)
	}

	logs, sub, err := _MockCollectionV2.contract.FilterLogs(opts, "AddItem", _itemIdRule)
	if err != nil {
		return nil, err
	}
	return &MockCollectionV2AddItemIterator{contract: _MockCollectionV2.contract, event: "AddItem", logs: logs, sub: sub}, nil
}

// WatchAddItem is a free log subscription operation binding the contract event 0x1464db75caec2c4f1b56b5246ef01a229ff5edc3b0fcf9b2953fec53b3987d8f.
//
// Solidity: event AddItem(uint256 indexed _itemId, (string,uint256,uint256,uint256,address,string,string) _item)
func (_MockCollectionV2 *MockCollectionV2Filterer) WatchAddItem(opts *bind.WatchOpts, sink chan<- *MockCollectionV2AddItem, _itemId []*big.Int) (event.Subscription, error) {

	var _itemIdRule []interface{}
	for _, _itemIdItem := range _itemId {
		_itemIdRule = append(_itemIdRule, _itemIdItem)
	}

	logs, sub, err := _MockCollectionV2.contract.WatchLogs(opts, "AddItem", _itemIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockCollectionV2AddItem)
				if err := _MockCollectionV2.contract.UnpackLog(event, "AddItem", log); err != nil {
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

// ParseAddItem is a log parse operation binding the contract event 0x1464db75caec2c4f1b56b5246ef01a229ff5edc3b0fcf9b2953fec53b3987d8f.
//
// Solidity: event AddItem(uint256 indexed _itemId, (string,uint256,uint256,uint256,address,string,string) _item)
func (_MockCollectionV2 *MockCollectionV2Filterer) ParseAddItem(log types.Log) (*MockCollectionV2AddItem, error) {
	event := new(MockCollectionV2AddItem)
	if err := _MockCollectionV2.contract.UnpackLog(event, "AddItem", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MockCollectionV2CompleteIterator is returned from FilterComplete and is used to iterate over the raw logs and unpacked data for Complete events raised by the MockCollectionV2 contract.
type MockCollectionV2CompleteIterator struct {
	Event *MockCollectionV2Complete // Event containing the contract specifics and raw log

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
func (it *MockCollectionV2CompleteIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockCollectionV2Complete)
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
		it.Event = new(MockCollectionV2Complete)
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
func (it *MockCollectionV2CompleteIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockCollectionV2CompleteIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockCollectionV2Complete represents a Complete event raised by the MockCollectionV2 contract.
type MockCollectionV2Complete struct {
	Raw types.Log // Blockchain specific contextual infos
}

// FilterComplete is a free log retrieval operation binding the contract event 0x01b7dcb42d49142a99e4c98da755263c600213a33b780986779405b9823501d3.
//
// Solidity: event Complete()
func (_MockCollectionV2 *MockCollectionV2Filterer) FilterComplete(opts *bind.FilterOpts) (*MockCollectionV2CompleteIterator, error) {

	logs, sub, err := _MockCollectionV2.contract.FilterLogs(opts, "Complete")
	if err != nil {
		return nil, err
	}
	return &MockCollectionV2CompleteIterator{contract: _MockCollectionV2.contract, event: "Complete", logs: logs, sub: sub}, nil
}

// WatchComplete is a free log subscription operation binding the contract event 0x01b7dcb42d49142a99e4c98da755263c600213a33b780986779405b9823501d3.
//
// Solidity: event Complete()
func (_MockCollectionV2 *MockCollectionV2Filterer) WatchComplete(opts *bind.WatchOpts, sink chan<- *MockCollectionV2Complete) (event.Subscription, error) {

	logs, sub, err := _MockCollectionV2.contract.WatchLogs(opts, "Complete")
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockCollectionV2Complete)
				if err := _MockCollectionV2.contract.UnpackLog(event, "Complete", log); err != nil {
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

// ParseComplete is a log parse operation binding the contract event 0x01b7dcb42d49142a99e4c98da755263c600213a33b780986779405b9823501d3.
//
// Solidity: event Complete()
func (_MockCollectionV2 *MockCollectionV2Filterer) ParseComplete(log types.Log) (*MockCollectionV2Complete, error) {
	event := new(MockCollectionV2Complete)
	if err := _MockCollectionV2.contract.UnpackLog(event, "Complete", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MockCollectionV2CreatorshipTransferredIterator is returned from FilterCreatorshipTransferred and is used to iterate over the raw logs and unpacked data for CreatorshipTransferred events raised by the MockCollectionV2 contract.
type MockCollectionV2CreatorshipTransferredIterator struct {
	Event *MockCollectionV2CreatorshipTransferred // Event containing the contract specifics and raw log

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
func (it *MockCollectionV2CreatorshipTransferredIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockCollectionV2CreatorshipTransferred)
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
		it.Event = new(MockCollectionV2CreatorshipTransferred)
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
func (it *MockCollectionV2CreatorshipTransferredIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockCollectionV2CreatorshipTransferredIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockCollectionV2CreatorshipTransferred represents a CreatorshipTransferred event raised by the MockCollectionV2 contract.
type MockCollectionV2CreatorshipTransferred struct {
	PreviousCreator common.Address
	NewCreator      common.Address
	Raw             types.Log // Blockchain specific contextual infos
}

// FilterCreatorshipTransferred is a free log retrieval operation binding the contract event 0xf25c6226b06a6bf4b2c2391bb66962bb4290c323cf8b5814efb185aba3f42d5f.
//
// Solidity: event CreatorshipTransferred(address indexed _previousCreator, address indexed _newCreator)
func (_MockCollectionV2 *MockCollectionV2Filterer) FilterCreatorshipTransferred(opts *bind.FilterOpts, _previousCreator []common.Address, _newCreator []common.Address) (*MockCollectionV2CreatorshipTransferredIterator, error) {

	var _previousCreatorRule []interface{}
	for _, _previousCreatorItem := range _previousCreator {
		_previousCreatorRule = append(_previousCreatorRule, _previousCreatorItem)
	}
	var _newCreatorRule []interface{}
	for _, _newCreatorItem := range _newCreator {
		_newCreatorRule = append(_newCreatorRule, _newCreatorItem)
	}

	logs, sub, err := _MockCollectionV2.contract.FilterLogs(opts, "CreatorshipTransferred", _previousCreatorRule, _newCreatorRule)
	if err != nil {
		return nil, err
	}
	return &MockCollectionV2CreatorshipTransferredIterator{contract: _MockCollectionV2.contract, event: "CreatorshipTransferred", logs: logs, sub: sub}, nil
}

// WatchCreatorshipTransferred is a free log subscription operation binding the contract event 0xf25c6226b06a6bf4b2c2391bb66962bb4290c323cf8b5814efb185aba3f42d5f.
//
// Solidity: event CreatorshipTransferred(address indexed _previousCreator, address indexed _newCreator)
func (_MockCollectionV2 *MockCollectionV2Filterer) WatchCreatorshipTransferred(opts *bind.WatchOpts, sink chan<- *MockCollectionV2CreatorshipTransferred, _previousCreator []common.Address, _newCreator []common.Address) (event.Subscription, error) {

	var _previousCreatorRule []interface{}
	for _, _previousCreatorItem := range _previousCreator {
		_previousCreatorRule = append(_previousCreatorRule, _previousCreatorItem)
	}
	var _newCreatorRule []interface{}
	for _, _newCreatorItem := range _newCreator {
		_newCreatorRule = append(_newCreatorRule, _newCreatorItem)
	}

	logs, sub, err := _MockCollectionV2.contract.WatchLogs(opts, "CreatorshipTransferred", _previousCreatorRule, _newCreatorRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockCollectionV2CreatorshipTransferred)
				if err := _MockCollectionV2.contract.UnpackLog(event, "CreatorshipTransferred", log); err != nil {
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

// ParseCreatorshipTransferred is a log parse operation binding the contract event 0xf25c6226b06a6bf4b2c2391bb66962bb4290c323cf8b5814efb185aba3f42d5f.
//
// Solidity: event CreatorshipTransferred(address indexed _previousCreator, address indexed _newCreator)
func (_MockCollectionV2 *MockCollectionV2Filterer) ParseCreatorshipTransferred(log types.Log) (*MockCollectionV2CreatorshipTransferred, error) {
	event := new(MockCollectionV2CreatorshipTransferred)
	if err := _MockCollectionV2.contract.UnpackLog(event, "CreatorshipTransferred", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MockCollectionV2IssueIterator is returned from FilterIssue and is used to iterate over the raw logs and unpacked data for Issue events raised by the MockCollectionV2 contract.
type MockCollectionV2IssueIterator struct {
	Event *MockCollectionV2Issue // Event containing the contract specifics and raw log

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
func (it *MockCollectionV2IssueIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockCollectionV2Issue)
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
		it.Event = new(MockCollectionV2Issue)
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
func (it *MockCollectionV2IssueIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockCollectionV2IssueIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockCollectionV2Issue represents a Issue event raised by the MockCollectionV2 contract.
type MockCollectionV2Issue struct {
	Beneficiary common.Address
	TokenId     *big.Int
	ItemId      *big.Int
	IssuedId    *big.Int
	Caller      common.Address
	Raw         types.Log // Blockchain specific contextual infos
}

// FilterIssue is a free log retrieval operation binding the contract event 0x57e2fe3f4d57a597e655a893f43c395d7dc18cb9c9c1898eda75cc0ad7608525.
//
// Solidity: event Issue(address indexed _beneficiary, uint256 indexed _tokenId, uint256 indexed _itemId, uint256 _issuedId, address _caller)
func (_MockCollectionV2 *MockCollectionV2Filterer) FilterIssue(opts *bind.FilterOpts, _beneficiary []common.Address, _tokenId []*big.Int, _itemId []*big.Int) (*MockCollectionV2IssueIterator, error) {

	var _beneficiaryRule []interface{}
	for _, _beneficiaryItem := range _beneficiary {
		_beneficiaryRule = append(_beneficiaryRule, _beneficiaryItem)
	}
	var _tokenIdRule []interface{}
	for _, _tokenIdItem := range _tokenId {
		_tokenIdRule = append(_tokenIdRule, _tokenIdItem)
	}
	var _itemIdRule []interface{}
	for _, _itemIdItem := range _itemId {
		_itemIdRule = append(_itemIdRule, _itemIdItem)
	}

	logs, sub, err := _MockCollectionV2.contract.FilterLogs(opts, "Issue", _beneficiaryRule, _tokenIdRule, _itemIdRule)
	if err != nil {
		return nil, err
	}
	return &MockCollectionV2IssueIterator{contract: _MockCollectionV2.contract, event: "Issue", logs: logs, sub: sub}, nil
}

// WatchIssue is a free log subscription operation binding the contract event 0x57e2fe3f4d57a597e655a893f43c395d7dc18cb9c9c1898eda75cc0ad7608525.
//
// Solidity: event Issue(address indexed _beneficiary, uint256 indexed _tokenId, uint256 indexed _itemId, uint256 _issuedId, address _caller)
func (_MockCollectionV2 *MockCollectionV2Filterer) WatchIssue(opts *bind.WatchOpts, sink chan<- *MockCollectionV2Issue, _beneficiary []common.Address, _tokenId []*big.Int, _itemId []*big.Int) (event.Subscription, error) {

	var _beneficiaryRule []interface{}
	for _, _beneficiaryItem := range _beneficiary {
		_beneficiaryRule = append(_beneficiaryRule, _beneficiaryItem)
	}
	var _tokenIdRule []interface{}
	for _, _tokenIdItem := range _tokenId {
		_tokenIdRule = append(_tokenIdRule, _tokenIdItem)
	}
	var _itemIdRule []interface{}
	for _, _itemIdItem := range _itemId {
		_itemIdRule = append(_itemIdRule, _itemIdItem)
	}

	logs, sub, err := _MockCollectionV2.contract.WatchLogs(opts, "Issue", _beneficiaryRule, _tokenIdRule, _itemIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockCollectionV2Issue)
				if err := _MockCollectionV2.contract.UnpackLog(event, "Issue", log); err != nil {
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

// ParseIssue is a log parse operation binding the contract event 0x57e2fe3f4d57a597e655a893f43c395d7dc18cb9c9c1898eda75cc0ad7608525.
//
// Solidity: event Issue(address indexed _beneficiary, uint256 indexed _tokenId, uint256 indexed _itemId, uint256 _issuedId, address _caller)
func (_MockCollectionV2 *MockCollectionV2Filterer) ParseIssue(log types.Log) (*MockCollectionV2Issue, error) {
	event := new(MockCollectionV2Issue)
	if err := _MockCollectionV2.contract.UnpackLog(event, "Issue", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MockCollectionV2SetApprovedIterator is returned from FilterSetApproved and is used to iterate over the raw logs and unpacked data for SetApproved events raised by the MockCollectionV2 contract.
type MockCollectionV2SetApprovedIterator struct {
	Event *MockCollectionV2SetApproved // Event containing the contract specifics and raw log

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
func (it *MockCollectionV2SetApprovedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockCollectionV2SetApproved)
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
		it.Event = new(MockCollectionV2SetApproved)
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
func (it *MockCollectionV2SetApprovedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockCollectionV2SetApprovedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockCollectionV2SetApproved represents a SetApproved event raised by the MockCollectionV2 contract.
type MockCollectionV2SetApproved struct {
	PreviousValue bool
	NewValue      bool
	Raw           types.Log // Blockchain specific contextual infos
}

// FilterSetApproved is a free log retrieval operation binding the contract event 0x9ea3c7bd2b8ff87a3768286a529f5932ca385584c8ddf42eea8eade2ac1fb121.
//
// Solidity: event SetApproved(bool _previousValue, bool _newValue)
func (_MockCollectionV2 *MockCollectionV2Filterer) FilterSetApproved(opts *bind.FilterOpts) (*MockCollectionV2SetApprovedIterator, error) {

	logs, sub, err := _MockCollectionV2.contract.FilterLogs(opts, "SetApproved")
	if err != nil {
		return nil, err
	}
	return &MockCollectionV2SetApprovedIterator{contract: _MockCollectionV2.contract, event: "SetApproved", logs: logs, sub: sub}, nil
}

// WatchSetApproved is a free log subscription operation binding the contract event 0x9ea3c7bd2b8ff87a3768286a529f5932ca385584c8ddf42eea8eade2ac1fb121.
//
// Solidity: event SetApproved(bool _previousValue, bool _newValue)
func (_MockCollectionV2 *MockCollectionV2Filterer) WatchSetApproved(opts *bind.WatchOpts, sink chan<- *MockCollectionV2SetApproved) (event.Subscription, error) {

	logs, sub, err := _MockCollectionV2.contract.WatchLogs(opts, "SetApproved")
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockCollectionV2SetApproved)
				if err := _MockCollectionV2.contract.UnpackLog(event, "SetApproved", log); err != nil {
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

// ParseSetApproved is a log parse operation binding the contract event 0x9ea3c7bd2b8ff87a3768286a529f5932ca385584c8ddf42eea8eade2ac1fb121.
//
// Solidity: event SetApproved(bool _previousValue, bool _newValue)
func (_MockCollectionV2 *MockCollectionV2Filterer) ParseSetApproved(log types.Log) (*MockCollectionV2SetApproved, error) {
	event := new(MockCollectionV2SetApproved)
	if err := _MockCollectionV2.contract.UnpackLog(event, "SetApproved", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MockCollectionV2TransferIterator is returned from FilterTransfer and is used to iterate over the raw logs and unpacked data for Transfer events raised by the MockCollectionV2 contract.
type MockCollectionV2TransferIterator struct {
	Event *MockCollectionV2Transfer // Event containing the contract specifics and raw log

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
func (it *MockCollectionV2TransferIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MockCollectionV2Transfer)
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
		it.Event = new(MockCollectionV2Transfer)
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
func (it *MockCollectionV2TransferIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MockCollectionV2TransferIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MockCollectionV2Transfer represents a Transfer event raised by the MockCollectionV2 contract.
type MockCollectionV2Transfer struct {
	From    common.Address
	To      common.Address
	TokenId *big.Int
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterTransfer is a free log retrieval operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)
func (_MockCollectionV2 *MockCollectionV2Filterer) FilterTransfer(opts *bind.FilterOpts, from []common.Address, to []common.Address, tokenId []*big.Int) (*MockCollectionV2TransferIterator, error) {

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

	logs, sub, err := _MockCollectionV2.contract.FilterLogs(opts, "Transfer", fromRule, toRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return &MockCollectionV2TransferIterator{contract: _MockCollectionV2.contract, event: "Transfer", logs: logs, sub: sub}, nil
}

// WatchTransfer is a free log subscription operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)
func (_MockCollectionV2 *MockCollectionV2Filterer) WatchTransfer(opts *bind.WatchOpts, sink chan<- *MockCollectionV2Transfer, from []common.Address, to []common.Address, tokenId []*big.Int) (event.Subscription, error) {

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

	logs, sub, err := _MockCollectionV2.contract.WatchLogs(opts, "Transfer", fromRule, toRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MockCollectionV2Transfer)
				if err := _MockCollectionV2.contract.UnpackLog(event, "Transfer", log); err != nil {
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
func (_MockCollectionV2 *MockCollectionV2Filterer) ParseTransfer(log types.Log) (*MockCollectionV2Transfer, error) {
	event := new(MockCollectionV2Transfer)
	if err := _MockCollectionV2.contract.UnpackLog(event, "Transfer", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

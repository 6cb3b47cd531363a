// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

// Test doubles of the Decentraland contracts the node reads: each exposes
// the real contract's view functions and events, with open setters in
// place of the real rules. Their runtime code is placed at the real
// addresses of a test chain (genesis allocation, or a dev chain's
// setCode), so they keep no constructor state.

/// MockRegistry stands for LAND, Estate and the L1 collections: ERC-721
/// ownership plus LAND's operator and manager rights and Estate's land
/// membership.
contract MockRegistry {
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
    event UpdateOperator(uint256 indexed assetId, address indexed operator);
    event UpdateManager(address indexed _owner, address indexed _operator, address indexed _caller, bool _approved);
    event AddLand(uint256 indexed _estateId, uint256 indexed _landId);
    event RemoveLand(uint256 indexed _estateId, uint256 indexed _landId, address indexed _destinatary);

    mapping(uint256 => address) public ownerOf;
    mapping(uint256 => address) public getApproved;
    mapping(uint256 => address) public updateOperator;
    mapping(address => mapping(address => bool)) public isApprovedForAll;
    mapping(address => mapping(address => bool)) public updateManager;
    mapping(uint256 => uint256) public getLandEstateId;

    function encodeTokenId(int256 x, int256 y) external pure returns (uint256) {
        return (uint256(x) << 128) | (uint256(y) & ((1 << 128) - 1));
    }

    function setOwner(uint256 id, address to) public {
        emit Transfer(ownerOf[id], to, id);
        ownerOf[id] = to;
        getApproved[id] = address(0);
    }

    /// mintMany gives ids first..first+n-1 to `to`, one Transfer each.
    function mintMany(address to, uint256 first, uint256 n) external {
        for (uint256 id = first; id < first + n; id++) {
            ownerOf[id] = to;
            emit Transfer(address(0), to, id);
        }
    }

    function setApproved(uint256 id, address a) external {
        getApproved[id] = a;
        emit Approval(ownerOf[id], a, id);
    }

    function setUpdateOperator(uint256 id, address op) external {
        updateOperator[id] = op;
        emit UpdateOperator(id, op);
    }

    function setApprovalForAll(address owner, address op, bool ok) external {
        isApprovedForAll[owner][op] = ok;
        emit ApprovalForAll(owner, op, ok);
    }

    function setUpdateManager(address owner, address op, bool ok) external {
        updateManager[owner][op] = ok;
        emit UpdateManager(owner, op, msg.sender, ok);
    }

    /// setLandEstate records that estate `estateId` holds land `landId`
    /// (call it on the Estate registry; 0 removes it).
    function setLandEstate(uint256 landId, uint256 estateId) external {
        uint256 was = getLandEstateId[landId];
        getLandEstateId[landId] = estateId;
        if (estateId != 0) emit AddLand(estateId, landId);
        else emit RemoveLand(was, landId, msg.sender);
    }
}

/// MockRegistrar stands for the DCL registrar: names are ERC-721 tokens
/// whose id is keccak256 of the label.
contract MockRegistrar {
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    event NameRegistered(address indexed _caller, address indexed _beneficiary, bytes32 indexed _labelHash, string _subdomain, uint256 _createdDate);

    mapping(uint256 => address) public ownerOf;
    mapping(bytes32 => string) public subdomains;

    function getOwnerOf(string calldata name) external view returns (address) {
        return ownerOf[uint256(keccak256(bytes(name)))];
    }

    function register(string calldata name, address to) external {
        bytes32 label = keccak256(bytes(name));
        subdomains[label] = name;
        ownerOf[uint256(label)] = to;
        emit NameRegistered(msg.sender, to, label, name, block.timestamp);
        emit Transfer(address(0), to, uint256(label));
    }

    function transfer(string calldata name, address to) external {
        uint256 id = uint256(keccak256(bytes(name)));
        emit Transfer(ownerOf[id], to, id);
        ownerOf[id] = to;
    }
}

/// MockWallet is an EIP-1271 contract wallet that accepts the (hash,
/// signature) pairs it was told to.
contract MockWallet {
    mapping(bytes32 => bool) private valid;

    function allow(bytes32 hash, bytes calldata sig) external {
        valid[keccak256(abi.encode(hash, sig))] = true;
    }

    function isValidSignature(bytes32 hash, bytes calldata sig) external view returns (bytes4) {
        return valid[keccak256(abi.encode(hash, sig))] ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
    }
}

/// MockCatalysts stands for the DAO's catalyst list.
contract MockCatalysts {
    struct Catalyst {
        bytes32 id;
        address owner;
        string domain;
        uint256 startTime;
        uint256 endTime;
    }

    bytes32[] public catalystIds;
    mapping(bytes32 => Catalyst) public catalystById;

    function catalystCount() external view returns (uint256) {
        return catalystIds.length;
    }

    function add(address owner, string calldata domain) external {
        bytes32 id = keccak256(abi.encode(owner, domain, catalystIds.length));
        catalystIds.push(id);
        catalystById[id] = Catalyst(id, owner, domain, block.timestamp, 0);
    }
}

/// MockCollectionV2 stands for a Polygon ERC721CollectionV2: items with
/// their content hash, the creator and managers, the approval flags and
/// ERC-721 ownership of issued tokens (token id = itemId << 216 | issuedId).
contract MockCollectionV2 {
    struct Item {
        string rarity;
        uint256 maxSupply;
        uint256 totalSupply;
        uint256 price;
        address beneficiary;
        string metadata;
        string contentHash;
    }

    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    event AddItem(uint256 indexed _itemId, Item _item);
    event Issue(address indexed _beneficiary, uint256 indexed _tokenId, uint256 indexed _itemId, uint256 _issuedId, address _caller);
    event SetApproved(bool _previousValue, bool _newValue);
    event Complete();
    event CreatorshipTransferred(address indexed _previousCreator, address indexed _newCreator);

    address public creator;
    bool public isApproved;
    bool public isCompleted;
    mapping(address => bool) public globalManagers;
    mapping(uint256 => mapping(address => bool)) public itemManagers;
    mapping(uint256 => Item) public items;
    mapping(uint256 => address) public ownerOf;

    function setCreator(address c) external {
        emit CreatorshipTransferred(creator, c);
        creator = c;
    }

    function setFlags(bool approved, bool completed) external {
        if (completed && !isCompleted) emit Complete();
        if (approved != isApproved) emit SetApproved(isApproved, approved);
        isApproved = approved;
        isCompleted = completed;
    }

    function setGlobalManager(address m, bool ok) external { globalManagers[m] = ok; }

    function setItemManager(uint256 itemId, address m, bool ok) external { itemManagers[itemId][m] = ok; }

    function addItem(uint256 itemId, string calldata rarity, uint256 price, string calldata metadata) external {
        items[itemId] = Item(rarity, 100, 0, price, msg.sender, metadata, "");
        emit AddItem(itemId, items[itemId]);
    }

    function setContentHash(uint256 itemId, string calldata h) external { items[itemId].contentHash = h; }

    function encodeTokenId(uint256 itemId, uint256 issuedId) public pure returns (uint256) {
        return (itemId << 216) | issuedId;
    }

    function decodeTokenId(uint256 id) external pure returns (uint256 itemId, uint256 issuedId) {
        return (id >> 216, id & ((1 << 216) - 1));
    }

    /// issue mints the next token of an item to `to`, as `caller` (the
    /// store, for a sale).
    function issue(address to, uint256 itemId, address caller) external returns (uint256 id) {
        uint256 issued = ++items[itemId].totalSupply;
        id = encodeTokenId(itemId, issued);
        ownerOf[id] = to;
        emit Issue(to, id, itemId, issued, caller);
        emit Transfer(address(0), to, id);
    }

    function transfer(uint256 id, address to) external {
        emit Transfer(ownerOf[id], to, id);
        ownerOf[id] = to;
    }
}

/// MockFactory stands for a collections factory.
contract MockFactory {
    event ProxyCreated(address indexed _address, bytes32 _salt);

    mapping(address => bool) public isCollectionFromFactory;

    function add(address c) external {
        isCollectionFromFactory[c] = true;
        emit ProxyCreated(c, bytes32(0));
    }
}

/// MockCommittee stands for the curation committee.
contract MockCommittee {
    event MemberSet(address indexed _member, bool _value);

    mapping(address => bool) public members;

    function setMember(address m, bool ok) external {
        members[m] = ok;
        emit MemberSet(m, ok);
    }
}

/// MockThirdPartyRegistry stands for the third-party registry: each third
/// party's approval and the merkle root of its items.
contract MockThirdPartyRegistry {
    struct ThirdParty {
        bool isApproved;
        bytes32 root;
        uint256 maxItems;
        uint256 consumedSlots;
        uint256 registered;
        string metadata;
        string resolver;
    }

    mapping(string => ThirdParty) public thirdParties;

    function set(string calldata id, bool approved, bytes32 root) external {
        thirdParties[id] = ThirdParty(approved, root, 100, 0, 1, "", "");
    }
}

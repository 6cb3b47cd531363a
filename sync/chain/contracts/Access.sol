// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @notice ParcelAccess answers, for a signer and a list of LAND token ids,
/// which of the five rights the signer holds on each parcel, directly or
/// through the estate that holds it. It is never deployed: the node sends
/// its creation code in an eth_call without a `to`, the constructor runs
/// against the state of the block asked for, and what it returns is the
/// answer. One call per block answers every parcel of a scene.
///
/// Each answer is a bit mask: bits 0-4 on LAND (owner, approved,
/// updateOperator, approvedForAll, updateManager), bits 8-12 the same on
/// the estate. A call that reverts or returns nothing counts as "no".
contract ParcelAccess {
    constructor(address land, address estate, address signer, uint256[] memory ids) {
        uint256[] memory out = new uint256[](ids.length);
        for (uint256 i = 0; i < ids.length; i++) {
            (uint256 m, address owner) = rights(land, ids[i], signer);
            if (owner == estate && estate != address(0)) {
                uint256 estateId = word(estate, abi.encodeWithSignature("getLandEstateId(uint256)", ids[i]));
                if (estateId != 0) {
                    (uint256 em, ) = rights(estate, estateId, signer);
                    m |= em << 8;
                }
            }
            out[i] = m;
        }
        bytes memory res = abi.encode(out);
        assembly {
            return(add(res, 32), mload(res))
        }
    }

    function rights(address reg, uint256 id, address signer) private view returns (uint256 m, address owner) {
        owner = address(uint160(word(reg, abi.encodeWithSignature("ownerOf(uint256)", id))));
        if (owner == address(0)) {
            return (0, owner);
        }
        if (owner == signer) m |= 1;
        if (address(uint160(word(reg, abi.encodeWithSignature("getApproved(uint256)", id)))) == signer) m |= 2;
        if (address(uint160(word(reg, abi.encodeWithSignature("updateOperator(uint256)", id)))) == signer) m |= 4;
        if (word(reg, abi.encodeWithSignature("isApprovedForAll(address,address)", owner, signer)) != 0) m |= 8;
        if (word(reg, abi.encodeWithSignature("updateManager(address,address)", owner, signer)) != 0) m |= 16;
    }

    /// word is the first 32 bytes a view call returns, 0 when it reverts
    /// or returns less.
    function word(address c, bytes memory data) private view returns (uint256 v) {
        if (c.code.length == 0) return 0;
        (bool ok, bytes memory r) = c.staticcall{gas: 100000}(data);
        if (!ok || r.length < 32) return 0;
        assembly {
            v := mload(add(r, 32))
        }
    }
}

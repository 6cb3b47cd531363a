package chain

// For the tests of package chain_test.
var (
	ItemHashes = itemHashes
	EntityHash = entityHash
)

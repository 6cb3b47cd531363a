// Package hashing computes Decentraland content identifiers exactly as
// @dcl/hashing does. It is a pure leaf: no I/O beyond the reader it is given.
//
// Two forms exist:
//   - v1 (ADR-45): a UnixFS import with CIDv1, raw leaves, 262144-byte chunks
//     and a balanced DAG. Files that fit in one chunk are a single raw block
//     ("bafkrei…"); larger ones have a dag-pb root ("bafybei…").
//   - v0 (legacy): the base58 sha2-256 multihash of the whole file ("Qm…"),
//     with no UnixFS wrapping.
package hashing

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sync"

	"github.com/ipfs/boxo/blockservice"
	blockstore "github.com/ipfs/boxo/blockstore"
	chunker "github.com/ipfs/boxo/chunker"
	offline "github.com/ipfs/boxo/exchange/offline"
	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs/importer/balanced"
	"github.com/ipfs/boxo/ipld/unixfs/importer/helpers"
	"github.com/ipfs/go-cid"
	ds "github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	mh "github.com/multiformats/go-multihash"
)

// ChunkSize is the UnixFS chunk size of v1 hashes.
const ChunkSize = 262144

// maxLinks is the fan-out of the balanced DAG (the js importer's default).
const maxLinks = 174

var v1ID = regexp.MustCompile(`^ba[a-zA-Z0-9]{57}$`)

// IsV1 reports whether a hash (or entity id) has the v1 form. The hash
// function of a deployment's files is chosen from its entity id this way.
func IsV1(hash string) bool { return v1ID.MatchString(hash) }

// Func is a hash function over a whole file.
type Func func(r io.Reader) (string, error)

// For returns the hash function matching the form of an entity id.
func For(entityID string) Func {
	if IsV1(entityID) {
		return V1
	}
	return V0
}

// Bytes hashes an in-memory file with the function the form of id (an
// entity id, or a content hash) selects.
func Bytes(id string, b []byte) string {
	if IsV1(id) {
		return V1Bytes(b)
	}
	return V0Bytes(b)
}

// V1Bytes hashes an in-memory file with the v1 algorithm.
func V1Bytes(b []byte) string {
	if len(b) > 0 && len(b) <= ChunkSize {
		// One chunk with raw leaves: the root is the raw block itself.
		return rawCID(b).String()
	}
	h, err := V1(bytes.NewReader(b))
	if err != nil {
		panic(err) // reading from memory cannot fail
	}
	return h
}

// V1 hashes a file with the v1 algorithm, reading it once.
func V1(r io.Reader) (string, error) {
	spl := &chunkReuser{r: r, buf: chunks.Get().(*[]byte)}
	defer chunks.Put(spl.buf)
	return v1(spl)
}

// v1 is the UnixFS import of the chunks spl gives, keeping no block.
func v1(spl chunker.Splitter) (string, error) {
	// A blockstore over the null datastore keeps nothing: hashing needs the
	// CIDs, not the blocks.
	bs := blockstore.NewBlockstore(dssync.MutexWrap(ds.NewNullDatastore()))
	dag := merkledag.NewDAGService(blockservice.New(bs, offline.Exchange(bs)))
	params := helpers.DagBuilderParams{
		Maxlinks:   maxLinks,
		RawLeaves:  true,
		CidBuilder: cid.V1Builder{Codec: cid.DagProtobuf, MhType: mh.SHA2_256},
		Dagserv:    dag,
	}
	db, err := params.New(spl)
	if err != nil {
		return "", fmt.Errorf("hashing: v1: %w", err)
	}
	nd, err := balanced.Layout(db)
	if err != nil {
		return "", fmt.Errorf("hashing: v1: %w", err)
	}
	return nd.Cid().String(), nil
}

// chunkReuser is boxo's size splitter reading every chunk into one
// buffer, which saves allocating (and collecting) a file's size in chunks
// for every file hashed. It is safe here only because hashing keeps no
// block: a leaf's CID is computed when its node is made, and the
// blockstore is the null one. (The DAG builder reads the next chunk before
// it hands a leaf to the blockstore, so with a real blockstore reuse
// would store wrong bytes.) TestV1MatchesBoxoSplitter holds the two
// splitters to the same CIDs.
type chunkReuser struct {
	r   io.Reader
	buf *[]byte
	err error
}

var chunks = sync.Pool{New: func() any { b := make([]byte, ChunkSize); return &b }}

func (c *chunkReuser) NextBytes() ([]byte, error) {
	if c.err != nil {
		return nil, c.err
	}
	n, err := io.ReadFull(c.r, *c.buf)
	switch {
	case err == nil:
		return *c.buf, nil
	case errors.Is(err, io.ErrUnexpectedEOF):
		c.err = io.EOF
		return (*c.buf)[:n], nil
	default:
		c.err = err
		return nil, err
	}
}

func (c *chunkReuser) Reader() io.Reader { return c.r }

var _ chunker.Splitter = (*chunkReuser)(nil)

// V0 hashes a file with the legacy algorithm: base58 sha2-256 multihash.
func V0(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", fmt.Errorf("hashing: v0: %w", err)
	}
	return v0FromDigest(h.Sum(nil)), nil
}

// V0Bytes hashes an in-memory file with the legacy algorithm.
func V0Bytes(b []byte) string {
	d := sha256.Sum256(b)
	return v0FromDigest(d[:])
}

func v0FromDigest(d []byte) string {
	m, err := mh.Encode(d, mh.SHA2_256)
	if err != nil {
		panic(err) // a 32-byte sha2-256 digest always encodes
	}
	return mh.Multihash(m).B58String()
}

func rawCID(b []byte) cid.Cid {
	d := sha256.Sum256(b)
	m, _ := mh.Encode(d[:], mh.SHA2_256)
	return cid.NewCidV1(cid.Raw, m)
}

package store

import (
	"encoding/binary"
	"strings"
)

// Key layout. Every key starts with a one-letter table and a slash.
//
//	d/<id>                          deployment record (JSON)
//	c/<hash>                        content: 0x00+bytes inline, or 0x01+size for a blob file
//	h/<hash>/<id>                   entity id references content hash
//	p/<type>/<pointer>              pointer state: active entity and newest entity ever (JSON)
//	x/<type>/<pointer>\x00<lt><lid> pointer history, by local timestamp
//	l/<lt><lid>                     deployment log, by local timestamp then lower-cased id
//	q/<seq>                         deployment log, by sequence (replication)
//	t/<ets><lid>                    deployments by entity timestamp
//	f/<id>                          failed deployment (JSON)
//	g/<ft><id>                      failed deployments, by failure time
//	m/<name>                        the node's own small state (meta.go)
//
// <lt>, <ets>, <ft>, <seq> are 8-byte big-endian; <lid> is the lower-cased id.
const (
	tDeployment = "d/"
	tContent    = "c/"
	tHashRef    = "h/"
	tPointer    = "p/"
	tPtrHistory = "x/"
	tLog        = "l/"
	tSeq        = "q/"
	tEntityTime = "t/"
	tFailed     = "f/"
	tFailedTime = "g/"
)

func key(table string, parts ...string) []byte {
	n := len(table)
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, table...)
	for i, p := range parts {
		if i > 0 {
			b = append(b, '/')
		}
		b = append(b, p...)
	}
	return b
}

func be64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

// timeKey is table + prefix + 8-byte time + lower-cased id.
func timeKey(prefix []byte, t int64, id string) []byte {
	b := make([]byte, 0, len(prefix)+8+len(id))
	b = append(b, prefix...)
	b = append(b, be64(uint64(t))...)
	return append(b, strings.ToLower(id)...)
}

func pointerKey(typ, pointer string) []byte { return key(tPointer, typ, pointer) }

func ptrHistoryPrefix(typ, pointer string) []byte {
	return append(key(tPtrHistory, typ, pointer), 0)
}

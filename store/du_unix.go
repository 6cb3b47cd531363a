//go:build unix

package store

import (
	"io/fs"
	"syscall"
)

// allocated is the space a file takes: its blocks (sparse and
// preallocated files count what they really hold).
func allocated(info fs.FileInfo) int64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return st.Blocks * 512
	}
	return info.Size()
}

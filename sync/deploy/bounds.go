package deploy

import (
	"fmt"
	"slices"

	"github.com/p2pcatalyst/catalyst/store/entity"
)

// The bounds of one deployment, whatever its entrance (an HTTP upload, a
// gossip announcement, a reconciliation pull, the HTTP bridge). They are
// resource bounds, not the content rules of PROTOCOL.md §4: they hold for
// entities of every date, including those old enough to skip the size
// rule, so no peer can make the node fetch, spool or parse without limit.
const (
	// MaxFileBytes bounds one content file.
	MaxFileBytes = 100 << 20
	// MaxFiles bounds the files of one upload.
	MaxFiles = 3000
	// MaxTotalBytes bounds the files of one deployment together.
	MaxTotalBytes = 2 << 30
	// MaxEntityBytes bounds the entity file (a scene of 3000 files needs
	// about 400 KB).
	MaxEntityBytes = 4 << 20
	// MaxReferenced bounds the distinct content hashes one entity names.
	MaxReferenced = 10000
)

// checkBounds holds an entity to the resource bounds.
func checkBounds(e *entity.Entity, entityBytes int) error {
	if entityBytes > MaxEntityBytes {
		return entity.Errorf("The entity file is %d bytes; the maximum allowed is %d.", entityBytes, MaxEntityBytes)
	}
	if n := len(e.Hashes()); n > MaxReferenced {
		return entity.Errorf("The entity references %d files; the maximum allowed is %d.", n, MaxReferenced)
	}
	return nil
}

// checkDeclared holds the sizes a peer declares for an entity's files to
// what the entity can need: a size for every referenced hash and for
// nothing else, each within 0..MaxFileBytes, all together within
// MaxTotalBytes. Only then may the sizes be used to fetch or to spool.
func checkDeclared(e *entity.Entity, sizes map[string]int64) error {
	hashes := e.Hashes()
	var total int64
	for _, h := range hashes {
		size, ok := sizes[h]
		if !ok {
			return entity.Errorf("The size of %s is not declared.", h)
		}
		if size < 0 || size > MaxFileBytes {
			return entity.Errorf("The declared size of %s, %d bytes, is not within 0..%d.", h, size, MaxFileBytes)
		}
		total += size
	}
	if total > MaxTotalBytes {
		return entity.Errorf("The declared files sum to %d bytes; the maximum allowed is %d.", total, int64(MaxTotalBytes))
	}
	if len(sizes) > len(hashes) {
		referenced := make(map[string]bool, len(hashes))
		for _, h := range hashes {
			referenced[h] = true
		}
		var extra []string
		for h := range sizes {
			if !referenced[h] {
				extra = append(extra, h)
			}
		}
		slices.Sort(extra)
		return entity.Errorf("A size is declared for %s, which the entity does not reference.", truncateList(extra, 3))
	}
	return nil
}

func truncateList(list []string, n int) string {
	if len(list) <= n {
		return fmt.Sprint(list)
	}
	return fmt.Sprintf("%v and %d more", list[:n], len(list)-n)
}

package content

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
)

// GET, HEAD /contents/:hash — the bytes of a file (or an entity file), with
// Range, ETag and immutable caching.
func (s *Service) getContent(w http.ResponseWriter, r *http.Request) {
	hash := r.PathValue("hash")
	c, err := s.cfg.Store.OpenContent(hash)
	if errors.Is(err, store.ErrNotFound) {
		httpx.Error(w, http.StatusNotFound, "No content found with hash "+hash)
		return
	}
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	defer c.Close()
	h := w.Header()
	h.Set("ETag", `"`+hash+`"`)
	h.Set("Cache-Control", "public,max-age=31536000,s-maxage=31536000,immutable")
	h.Set("Access-Control-Expose-Headers", "ETag, Content-Length, Content-Range")
	h.Set("Content-Type", sniff(c))
	// ServeContent handles Range (206/416), If-None-Match (304) and HEAD.
	// Given the *os.File itself, large files go out with sendfile.
	var rs io.ReadSeeker = c
	if f, ok := c.(interface{ OSFile() *os.File }); ok {
		rs = f.OSFile()
	}
	http.ServeContent(w, r, "", time.Time{}, rs)
}

// sniff reports JSON for a file starting with { or [ (entity files), bytes
// otherwise, as the content server does.
func sniff(c store.Content) string {
	var b [1]byte
	n, _ := c.Read(b[:])
	c.Seek(0, io.SeekStart)
	if n == 1 && (b[0] == '{' || b[0] == '[') {
		return "application/json"
	}
	return "application/octet-stream"
}

// GET /contents/:hash/active-entities
func (s *Service) activeEntitiesByContent(w http.ResponseWriter, r *http.Request) {
	ids, err := s.cfg.Store.ActiveIDsByContent(r.Context(), r.PathValue("hash"))
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if len(ids) == 0 {
		httpx.Error(w, http.StatusNotFound, "The entity was not found")
		return
	}
	httpx.JSON(w, http.StatusOK, ids)
}

// GET /available-content?cid=…
func (s *Service) availableContent(w http.ResponseWriter, r *http.Request) {
	cids := httpx.Values(r, "cid")
	if len(cids) == 0 {
		httpx.Error(w, http.StatusBadRequest, "Please set at least one cid.")
		return
	}
	if len(cids) > MaxListItems {
		httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("Too many cids; the maximum allowed is %d", MaxListItems))
		return
	}
	type availability struct {
		CID       string `json:"cid"`
		Available bool   `json:"available"`
	}
	out := make([]availability, 0, len(cids))
	seen := map[string]bool{}
	for _, c := range cids {
		if seen[c] {
			continue
		}
		seen[c] = true
		has, err := s.cfg.Store.Has(c)
		if err != nil {
			httpx.Internal(w, s.log, r, err)
			return
		}
		out = append(out, availability{c, has})
	}
	httpx.JSON(w, http.StatusOK, out)
}

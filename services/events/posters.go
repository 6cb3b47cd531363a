package events

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // posters may be GIF
	_ "image/jpeg" // or JPEG
	_ "image/png"  // or PNG
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
)

// Posters are the original's event images (POST /poster, stored in S3):
// kept here in the service's keyspace by the hash of their bytes, and
// served from /events/api/posters/:name.
const (
	maxPosterBytes  = 500 << 10 // the original's poster limit
	maxPosterPixels = 4096 * 4096
)

// POST /poster, /poster-vertical: a signed user's multipart "poster" file.
func (s *Service) poster(w http.ResponseWriter, r *http.Request) {
	if _, okSigned := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute); !okSigned {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxPosterBytes+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		fail(w, http.StatusBadRequest, "the poster is a multipart form with a poster file")
		return
	}
	var data []byte
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fail(w, http.StatusBadRequest, "malformed multipart body, or a poster larger than 500 KiB")
			return
		}
		if part.FormName() == "poster" {
			data, err = io.ReadAll(io.LimitReader(part, maxPosterBytes+1))
			if err != nil || len(data) > maxPosterBytes {
				fail(w, http.StatusBadRequest, "a poster is at most 500 KiB")
				return
			}
		}
		part.Close()
	}
	if data == nil {
		fail(w, http.StatusBadRequest, "no poster file")
		return
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width*cfg.Height > maxPosterPixels || cfg.Width == 0 || cfg.Height == 0 {
		fail(w, http.StatusBadRequest, "a poster is a PNG, JPEG or GIF image of at most 4096×4096 pixels")
		return
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		fail(w, http.StatusBadRequest, "the poster does not decode: "+err.Error())
		return
	}
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:]) + "." + format
	if err := s.ks.Write(r.Context(), map[string][]byte{"poster/" + name: data}); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	url := httpx.BaseURL(r, s.cfg.PublicURL) + Prefix + "/posters/" + name
	ok(w, map[string]any{"filename": name, "url": url, "size": len(data), "type": "image/" + format}, -1)
}

// GET /posters/:name
func (s *Service) getPoster(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	data, err := s.ks.Get(r.Context(), "poster/"+name)
	if errors.Is(err, store.ErrNotFound) || len(name) > 80 {
		fail(w, http.StatusNotFound, "Not found")
		return
	}
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	_, format, _ := strings.Cut(name, ".")
	w.Header().Set("Content-Type", "image/"+format)
	w.Header().Set("Cache-Control", "public,max-age=31536000,immutable")
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.Write(data)
}

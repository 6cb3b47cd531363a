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
	"strconv"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
)

// Posters are the original's event images (POST /poster, stored in S3):
// kept here in the service's keyspace by the hash of their bytes, and
// served from /events/api/posters/:name.
const (
	maxPosterBytes    = 500 << 10 // the original's poster limit
	maxPosterPixels   = 4096 * 4096
	maxPostersPerUser = 100
	maxPosters        = 20000
	maxDecodes        = 2
)

// decodes bounds the posters decoded at once (each up to 64 MB of pixels).
var decodes = make(chan struct{}, maxDecodes)

// counter reads a count kept in the keyspace (0 when none).
func counter(tx *store.KeyspaceTxn, name string) int {
	v, err := tx.Get(name)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(string(v))
	return n
}

// POST /poster, /poster-vertical: a signed user's multipart "poster" file.
func (s *Service) poster(w http.ResponseWriter, r *http.Request) {
	req, okSigned := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
	if !okSigned {
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
	select { // at most maxDecodes images decoded at once
	case decodes <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	_, _, err = image.Decode(bytes.NewReader(data))
	<-decodes
	if err != nil {
		fail(w, http.StatusBadRequest, "the poster does not decode: "+err.Error())
		return
	}
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:]) + "." + format
	full := false
	err = s.ks.Update(r.Context(), func(tx *store.KeyspaceTxn) error {
		if _, err := tx.Get("poster/" + name); err == nil {
			return nil // the same poster again
		}
		mine, all := counter(tx, "posters-by/"+req.Signer), counter(tx, "posters")
		if mine >= maxPostersPerUser || all >= maxPosters {
			full = true
			return nil
		}
		tx.Set("posters-by/"+req.Signer, []byte(strconv.Itoa(mine+1)))
		tx.Set("posters", []byte(strconv.Itoa(all+1)))
		return tx.Set("poster/"+name, data)
	})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if full {
		fail(w, http.StatusTooManyRequests, fmt.Sprintf("at most %d posters a user and %d in all", maxPostersPerUser, maxPosters))
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

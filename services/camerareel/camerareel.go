// Package camerareel is decentraland/camera-reel-service's API under
// /camera-reel/api: photos uploaded by signed fetch (PNG or JPEG, checked
// by decoding, at most 5 MiB), a thumbnail made here, public or private,
// 500 per user, listed by user and by place, deleted and shown or hidden
// by their owner only; each upload is a camera/photo-taken event.
//
// The original keeps files in S3 and answers their bucket URLs; here the
// files live in the service's keyspace and are served under the API.
package camerareel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // decodes PNG uploads
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// Prefix is where the API is mounted.
const Prefix = "/camera-reel/api"

// Limits of the original (MAX_IMAGES_PER_USER, the upload size) and of
// decoding.
const (
	MaxImages    = 500
	MaxBytes     = 5 << 20
	maxPixels    = 16_000_000 // a decompression bomb is refused before decoding
	maxDecoding  = 2          // uploads decoded at once: each holds up to 64 MB of pixels
	maxMetadata  = 64 << 10
	thumbWidth   = 320
	maxListLimit = 100
)

// Config wires the service to the node.
type Config struct {
	Store     *store.Store
	Bus       *events.Bus
	Verifier  authchain.Verifier
	PublicURL string
	Logger    *slog.Logger
	Now       func() time.Time
}

// Service is the camera reel.
type Service struct {
	cfg Config
	ks  *store.Keyspace
	log *slog.Logger
	mu  sync.Mutex // a user's count and their images change together
	// decoding bounds the uploads decoded at once.
	decoding chan struct{}
}

// New builds the service.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg, ks: cfg.Store.Keyspace("camera-reel"), log: cfg.Logger.With("component", "camera-reel"), decoding: make(chan struct{}, maxDecoding)}
}

// Image is a photo's record.
type Image struct {
	ID        string          `json:"id"`
	User      string          `json:"user"`
	IsPublic  bool            `json:"isPublic"`
	Metadata  json.RawMessage `json:"metadata"`
	PlaceID   string          `json:"placeId,omitempty"`
	CreatedAt int64           `json:"createdAt"`
	DateTime  string          `json:"dateTime"`
}

// Routes registers /camera-reel/api/….
func (s *Service) Routes(mux *http.ServeMux) {
	h := httpx.Under(mux, Prefix)
	h("POST /images", s.upload)
	h("GET /images/{id}", s.redirect(false))
	h("GET /images/{id}/thumbnail", s.redirect(true))
	h("GET /images/{id}/file", s.file(false))
	h("GET /images/{id}/thumbnail-file", s.file(true))
	h("GET /images/{id}/metadata", s.metadata)
	h("DELETE /images/{id}", s.remove)
	h("PATCH /images/{id}/visibility", s.visibility)
	h("GET /users/{address}", s.userData)
	h("GET /users/{address}/images", s.userImages)
	h("GET /places/{place}/images", s.placeImages)
	h("POST /places/images", s.placesImages)
}

func (s *Service) signed(w http.ResponseWriter, r *http.Request) (string, bool) {
	req, ok := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
	return req.Signer, ok
}

// optionalSigner is a request's signer when it is signed ("" otherwise).
func (s *Service) optionalSigner(w http.ResponseWriter, r *http.Request) (string, bool) {
	if r.Header.Get(authchain.HeaderChainPrefix+"0") == "" {
		return "", true
	}
	return s.signed(w, r)
}

func (s *Service) urls(r *http.Request, id string) (string, string) {
	base := httpx.BaseURL(r, s.cfg.PublicURL) + Prefix + "/images/" + id
	return base + "/file", base + "/thumbnail-file"
}

// view is an image as answered.
func (s *Service) view(r *http.Request, im *Image, compact bool) map[string]any {
	url, thumb := s.urls(r, im.ID)
	if compact {
		return map[string]any{"id": im.ID, "url": url, "thumbnailUrl": thumb, "isPublic": im.IsPublic, "dateTime": im.DateTime}
	}
	return map[string]any{"id": im.ID, "url": url, "thumbnailUrl": thumb, "isPublic": im.IsPublic, "metadata": im.Metadata}
}

func (s *Service) get(ctx context.Context, id string) (*Image, error) {
	v, err := s.ks.Get(ctx, "i/"+id)
	if err != nil {
		return nil, err
	}
	var im Image
	return &im, json.Unmarshal(v, &im)
}

func (s *Service) count(ctx context.Context, user string) (int, error) {
	n := 0
	err := s.ks.Scan(ctx, "u/"+user+"/", func(string, []byte) error { n++; return nil })
	return n, err
}

// upload: POST /images, multipart image (PNG or JPEG), metadata (JSON)
// and is_public, signed by the photographer.
func (s *Service) upload(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBytes+maxMetadata+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		httpx.Error(w, http.StatusBadRequest, "the body must be multipart/form-data")
		return
	}
	var data, meta []byte
	public := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			httpx.Error(w, http.StatusBadRequest, "the upload is too big or broken (an image is at most 5 MiB)")
			return
		}
		switch part.FormName() {
		case "image":
			data, err = io.ReadAll(io.LimitReader(part, MaxBytes+1))
			if err == nil && len(data) > MaxBytes {
				err = fmt.Errorf("the image is over %d bytes", MaxBytes)
			}
		case "metadata":
			meta, err = io.ReadAll(io.LimitReader(part, maxMetadata+1))
			if err == nil && len(meta) > maxMetadata {
				err = fmt.Errorf("the metadata is over %d bytes", maxMetadata)
			}
		case "is_public":
			var b []byte
			if b, err = io.ReadAll(io.LimitReader(part, 16)); err == nil {
				public, _ = strconv.ParseBool(strings.TrimSpace(string(b)))
			}
		}
		if err != nil {
			httpx.Error(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	if len(data) == 0 {
		httpx.Error(w, http.StatusBadRequest, "no image")
		return
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") {
		httpx.Error(w, http.StatusBadRequest, "the image must be a PNG or a JPEG")
		return
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("the image is %d×%d pixels; at most %d", cfg.Width, cfg.Height, maxPixels))
		return
	}
	select {
	case s.decoding <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	var thumb []byte
	if err == nil {
		thumb = thumbnail(img)
	}
	img = nil
	<-s.decoding
	if err != nil {
		httpx.Error(w, http.StatusBadRequest, "the image does not decode: "+err.Error())
		return
	}
	var m map[string]any
	if len(meta) > 0 && json.Unmarshal(meta, &m) != nil {
		httpx.Error(w, http.StatusBadRequest, "the metadata must be JSON")
		return
	}
	if m == nil {
		m = map[string]any{}
	}
	m["userAddress"] = user // the photographer is the signer
	now := s.cfg.Now()
	if _, ok := m["dateTime"]; !ok {
		m["dateTime"] = strconv.FormatInt(now.Unix(), 10)
	}
	placeID, _ := m["placeId"].(string)
	metaJSON, _ := json.Marshal(m)
	im := &Image{ID: httpx.UUID(), User: user, IsPublic: public, Metadata: metaJSON, PlaceID: placeID, CreatedAt: now.UnixMilli(), DateTime: fmt.Sprint(m["dateTime"])}
	rec, _ := json.Marshal(im)

	s.mu.Lock()
	n, err := s.count(r.Context(), user)
	if err == nil && n >= MaxImages {
		s.mu.Unlock()
		httpx.JSON(w, http.StatusForbidden, map[string]string{"reason": "maxLimitReached"})
		return
	}
	changes := map[string][]byte{
		"i/" + im.ID: rec, "f/" + im.ID: data, "t/" + im.ID: thumb,
		fmt.Sprintf("u/%s/%016x/%s", user, im.CreatedAt, im.ID): []byte{},
	}
	if placeID != "" {
		changes["p/"+placeID+"/"+im.ID] = []byte{}
	}
	if err == nil {
		err = s.ks.Write(r.Context(), changes)
	}
	s.mu.Unlock()
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if s.cfg.Bus != nil {
		e, _ := events.New("camera", "photo-taken", "photo-taken-"+im.ID, im.CreatedAt, map[string]any{
			"userAddress": user, "isPublic": public, "photoId": im.ID, "placeId": placeID, "realm": m["realm"], "sceneId": m["sceneId"],
		})
		if err := s.cfg.Bus.Publish(r.Context(), e); err != nil {
			s.log.Warn("photo-taken not published", "err", err)
		}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"image": s.view(r, im, false), "userData": map[string]int{"currentImages": n + 1, "maxImages": MaxImages}})
}

// thumbnail scales img to thumbWidth wide (box filter) as a JPEG.
func thumbnail(img image.Image) []byte {
	b := img.Bounds()
	w := min(thumbWidth, b.Dx())
	h := max(1, b.Dy()*w/b.Dx())
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		y0, y1 := b.Min.Y+y*b.Dy()/h, b.Min.Y+max((y+1)*b.Dy()/h, y*b.Dy()/h+1)
		for x := 0; x < w; x++ {
			x0, x1 := b.Min.X+x*b.Dx()/w, b.Min.X+max((x+1)*b.Dx()/w, x*b.Dx()/w+1)
			var r, g, bl, a, n uint64
			for yy := y0; yy < y1; yy++ {
				for xx := x0; xx < x1; xx++ {
					cr, cg, cb, ca := img.At(xx, yy).RGBA()
					r, g, bl, a, n = r+uint64(cr), g+uint64(cg), bl+uint64(cb), a+uint64(ca), n+1
				}
			}
			out.Set(x, y, color.RGBA64{uint16(r / n), uint16(g / n), uint16(bl / n), uint16(a / n)})
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, out, &jpeg.Options{Quality: 80})
	return buf.Bytes()
}

func (s *Service) redirect(thumb bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.get(r.Context(), r.PathValue("id")); err != nil {
			httpx.Error(w, http.StatusNotFound, "Not found")
			return
		}
		url, t := s.urls(r, r.PathValue("id"))
		if thumb {
			url = t
		}
		http.Redirect(w, r, url, http.StatusFound)
	}
}

func (s *Service) file(thumb bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := "f/"
		if thumb {
			key = "t/"
		}
		b, err := s.ks.Get(r.Context(), key+r.PathValue("id"))
		if err != nil {
			httpx.Error(w, http.StatusNotFound, "Not found")
			return
		}
		w.Header().Set("Content-Type", http.DetectContentType(b))
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write(b)
	}
}

func (s *Service) metadata(w http.ResponseWriter, r *http.Request) {
	im, err := s.get(r.Context(), r.PathValue("id"))
	if err != nil {
		httpx.Error(w, http.StatusNotFound, "Not found")
		return
	}
	httpx.JSON(w, http.StatusOK, s.view(r, im, false))
}

// owned reads an image for its owner, answering refusals itself.
func (s *Service) owned(w http.ResponseWriter, r *http.Request) (*Image, bool) {
	user, ok := s.signed(w, r)
	if !ok {
		return nil, false
	}
	im, err := s.get(r.Context(), r.PathValue("id"))
	if err != nil {
		httpx.Error(w, http.StatusNotFound, "Not found")
		return nil, false
	}
	if im.User != user {
		httpx.Error(w, http.StatusForbidden, "Only the owner may change an image")
		return nil, false
	}
	return im, true
}

func (s *Service) remove(w http.ResponseWriter, r *http.Request) {
	im, ok := s.owned(w, r)
	if !ok {
		return
	}
	changes := map[string][]byte{"i/" + im.ID: nil, "f/" + im.ID: nil, "t/" + im.ID: nil,
		fmt.Sprintf("u/%s/%016x/%s", im.User, im.CreatedAt, im.ID): nil}
	if im.PlaceID != "" {
		changes["p/"+im.PlaceID+"/"+im.ID] = nil
	}
	s.mu.Lock()
	err := s.ks.Write(r.Context(), changes)
	s.mu.Unlock()
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"deleted": true})
}

func (s *Service) visibility(w http.ResponseWriter, r *http.Request) {
	im, ok := s.owned(w, r)
	if !ok {
		return
	}
	var body struct {
		IsPublic *bool `json:"is_public"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&body); err != nil || body.IsPublic == nil {
		httpx.Error(w, http.StatusBadRequest, `the body must be {"is_public": true | false}`)
		return
	}
	im.IsPublic = *body.IsPublic
	rec, _ := json.Marshal(im)
	if err := s.ks.Write(r.Context(), map[string][]byte{"i/" + im.ID: rec}); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if s.cfg.Bus != nil {
		e, _ := events.New("camera", "photo-privacy-changed", fmt.Sprintf("photo-privacy-changed-%s-%d", im.ID, s.cfg.Now().UnixNano()),
			s.cfg.Now().UnixMilli(), map[string]any{"userAddress": im.User, "photoId": im.ID, "isPublic": im.IsPublic})
		s.cfg.Bus.Publish(r.Context(), e)
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true})
}

// images lists a user's images, newest first; private ones only for the
// user.
func (s *Service) images(ctx context.Context, user, viewer string, offset, limit int) ([]*Image, int, error) {
	var ids []string
	if err := s.ks.Scan(ctx, "u/"+user+"/", func(name string, _ []byte) error {
		ids = append(ids, name[strings.LastIndexByte(name, '/')+1:])
		return nil
	}); err != nil {
		return nil, 0, err
	}
	var all []*Image
	for i := len(ids) - 1; i >= 0; i-- {
		im, err := s.get(ctx, ids[i])
		if err == nil && (im.IsPublic || viewer == user) {
			all = append(all, im)
		}
	}
	total := len(all)
	start := min(offset, total)
	return all[start:min(start+limit, total)], total, nil
}

func (s *Service) userData(w http.ResponseWriter, r *http.Request) {
	viewer, ok := s.optionalSigner(w, r)
	if !ok {
		return
	}
	user := strings.ToLower(r.PathValue("address"))
	_, total, err := s.images(r.Context(), user, viewer, 0, 0)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]int{"currentImages": total, "maxImages": MaxImages})
}

func pageOf(r *http.Request) (int, int) {
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit <= 0 {
		limit = maxListLimit
	}
	return max(offset, 0), min(limit, maxListLimit)
}

func (s *Service) userImages(w http.ResponseWriter, r *http.Request) {
	viewer, ok := s.optionalSigner(w, r)
	if !ok {
		return
	}
	user := strings.ToLower(r.PathValue("address"))
	offset, limit := pageOf(r)
	list, total, err := s.images(r.Context(), user, viewer, offset, limit)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	compact := r.URL.Query().Get("compact") == "true"
	out := make([]map[string]any, len(list))
	for i, im := range list {
		out[i] = s.view(r, im, compact)
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"images": out, "currentImages": total, "maxImages": MaxImages})
}

// placed lists the public images of places.
func (s *Service) placed(w http.ResponseWriter, r *http.Request, places []string) {
	offset, limit := pageOf(r)
	var all []*Image
	for _, p := range places {
		s.ks.Scan(r.Context(), "p/"+p+"/", func(name string, _ []byte) error {
			if im, err := s.get(r.Context(), name[strings.LastIndexByte(name, '/')+1:]); err == nil && im.IsPublic {
				all = append(all, im)
			}
			return nil
		})
	}
	total := len(all)
	start := min(offset, total)
	out := []map[string]any{}
	for _, im := range all[start:min(start+limit, total)] {
		out = append(out, s.view(r, im, false))
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"images": out, "currentImages": total, "maxImages": MaxImages})
}

func (s *Service) placeImages(w http.ResponseWriter, r *http.Request) {
	s.placed(w, r, []string{r.PathValue("place")})
}

func (s *Service) placesImages(w http.ResponseWriter, r *http.Request) {
	var body struct {
		PlacesIDs []string `json:"placesIds"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&body); err != nil || len(body.PlacesIDs) > 100 {
		httpx.Error(w, http.StatusBadRequest, `the body must be {"placesIds": [at most 100 ids]}`)
		return
	}
	s.placed(w, r, body.PlacesIDs)
}

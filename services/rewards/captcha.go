package rewards

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
)

// Captchas: six digits on a 300×100 image, valid for captchaTTL, at most
// MaxCaptchas alive.
const (
	MaxCaptchas   = 10000
	captchaTTL    = 5 * time.Minute
	captchaW      = 300
	captchaH      = 100
	captchaDigits = 6
)

type captcha struct {
	value   string
	expires time.Time
}

type captchas struct {
	mu   sync.Mutex
	live map[string]captcha
}

func newCaptchas() *captchas { return &captchas{live: map[string]captcha{}} }

// add makes a captcha; "" when too many are alive.
func (c *captchas) add(now time.Time) (string, captcha) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.live) >= MaxCaptchas {
		for id, k := range c.live {
			if now.After(k.expires) {
				delete(c.live, id)
			}
		}
		if len(c.live) >= MaxCaptchas {
			return "", captcha{}
		}
	}
	digits := make([]byte, captchaDigits)
	for i := range digits {
		n, _ := rand.Int(rand.Reader, big.NewInt(10))
		digits[i] = byte('0' + n.Int64())
	}
	k := captcha{value: string(digits), expires: now.Add(captchaTTL)}
	id := httpx.UUID()
	c.live[id] = k
	return id, k
}

// get returns a live captcha.
func (c *captchas) get(id string, now time.Time) (captcha, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.live[id]
	return k, ok && !now.After(k.expires)
}

// solve spends a captcha: true when value is its answer (any case).
func (c *captchas) solve(id, value string, now time.Time) bool {
	c.mu.Lock()
	k, ok := c.live[strings.ToLower(id)]
	delete(c.live, strings.ToLower(id))
	c.mu.Unlock()
	return ok && !now.After(k.expires) &&
		subtle.ConstantTimeCompare([]byte(strings.ToLower(strings.TrimSpace(value))), []byte(k.value)) == 1
}

// newCaptcha is GET|POST /captcha: {ok, data: {id, width, height,
// expires_at, image}}.
func (s *Service) newCaptcha(w http.ResponseWriter, r *http.Request) {
	id, k := s.captchas.add(s.cfg.Now())
	if id == "" {
		w.Header().Set("Retry-After", "60")
		httpx.EnvelopeError(w, http.StatusServiceUnavailable, "too many captchas; try again later")
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "data": map[string]any{
		"id": id, "width": captchaW, "height": captchaH, "expires_at": k.expires.UTC().Format(isoMilli),
		"image": httpx.BaseURL(r, s.cfg.PublicURL) + Prefix + "/captcha/" + id + ".png",
	}})
}

// captchaImage is GET /captcha/:id.png.
func (s *Service) captchaImage(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(r.PathValue("file"), ".png")
	if !ok || !isUUID(id) {
		httpx.EnvelopeError(w, http.StatusNotFound, "Not found")
		return
	}
	k, ok := s.captchas.get(strings.ToLower(id), s.cfg.Now())
	if !ok {
		httpx.EnvelopeError(w, http.StatusNotFound, "Not found")
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(drawCaptcha(id, k.value))
}

// glyphs are 5×7 digits.
var glyphs = [10][7]string{
	{"01110", "10001", "10011", "10101", "11001", "10001", "01110"},
	{"00100", "01100", "00100", "00100", "00100", "00100", "01110"},
	{"01110", "10001", "00001", "00010", "00100", "01000", "11111"},
	{"11111", "00010", "00100", "00010", "00001", "10001", "01110"},
	{"00010", "00110", "01010", "10010", "11111", "00010", "00010"},
	{"11111", "10000", "11110", "00001", "00001", "10001", "01110"},
	{"00110", "01000", "10000", "11110", "10001", "10001", "01110"},
	{"11111", "00001", "00010", "00100", "01000", "01000", "01000"},
	{"01110", "10001", "10001", "01110", "10001", "10001", "01110"},
	{"01110", "10001", "10001", "01111", "00001", "00010", "01100"},
}

// drawCaptcha draws the digits, each shifted a little, over noise; the
// shifts and noise come from the id, so an image is the same each time.
func drawCaptcha(id, value string) []byte {
	seed := sha256.Sum256([]byte("captcha:" + id))
	rnd := func(i int) int { return int(binary.BigEndian.Uint16(seed[(i*2)%30:])) }
	pal := color.Palette{color.Gray{Y: 0xf0}, color.Gray{Y: 0x30}, color.Gray{Y: 0xa0}}
	img := image.NewPaletted(image.Rect(0, 0, captchaW, captchaH), pal)
	const scale = 6
	for i, d := range value {
		x0 := 18 + i*46 + rnd(i)%9 - 4
		y0 := 29 + rnd(i+6)%17 - 8
		for row, bits := range glyphs[d-'0'] {
			for col, b := range bits {
				if b != '1' {
					continue
				}
				for dy := range scale {
					for dx := range scale {
						img.SetColorIndex(x0+col*scale+dx, y0+row*scale+dy+(col*rnd(i+3)%3), 1)
					}
				}
			}
		}
	}
	state := binary.BigEndian.Uint64(seed[:8]) | 1
	for range 900 { // speckles
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
		img.SetColorIndex(int(state%captchaW), int((state>>16)%captchaH), 2)
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

package places

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
)

// Reports (src/entities/Report): the original answers a signed user an
// S3 URL, valid a minute, to PUT a report file to. Here the URL is the
// node's own (PUT /places/api/reports/:name?token=…, once, within the
// minute), the file is kept in the keyspace, and the admin reads it.
const (
	reportTTL        = time.Minute
	maxReportBytes   = 1 << 20
	maxReportsPerDay = 20
)

var reportTypes = map[string]string{
	"application/json": ".json", "text/plain": ".txt", "image/png": ".png", "image/jpeg": ".jpg",
}

type reportSlot struct {
	Token    string `json:"token"`
	Mimetype string `json:"mimetype"`
	User     string `json:"user"`
	Expires  int64  `json:"expires"` // ms
	Done     bool   `json:"done"`
}

// POST /reportSignedUrl {mimetype}
func (s *Service) reportURL(w http.ResponseWriter, r *http.Request) {
	req, okSigned := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
	if !okSigned {
		return
	}
	var body struct {
		Mimetype string `json:"mimetype"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&body); err != nil || reportTypes[body.Mimetype] == "" {
		fail(w, http.StatusBadRequest, "the body must be {mimetype}: application/json, text/plain, image/png or image/jpeg")
		return
	}
	now := s.cfg.Now()
	day := now.UTC().Format("2006-01-02")
	var tok [16]byte
	rand.Read(tok[:])
	name := req.Signer[len(req.Signer)-8:] + strconv.FormatInt(now.Unix(), 16) + hex.EncodeToString(tok[:4]) + reportTypes[body.Mimetype]
	slot := reportSlot{Token: hex.EncodeToString(tok[:]), Mimetype: body.Mimetype, User: req.Signer, Expires: now.Add(reportTTL).UnixMilli()}
	limited := false
	err := s.ks.Update(r.Context(), func(tx *store.KeyspaceTxn) error {
		count := 0
		if v, err := tx.Get("reports-by/" + req.Signer + "/" + day); err == nil {
			count, _ = strconv.Atoi(string(v))
		}
		if count >= maxReportsPerDay {
			limited = true
			return nil
		}
		b, _ := json.Marshal(slot)
		if err := tx.Set("report-slot/"+name, b); err != nil {
			return err
		}
		return tx.Set("reports-by/"+req.Signer+"/"+day, []byte(strconv.Itoa(count+1)))
	})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if limited {
		fail(w, http.StatusTooManyRequests, fmt.Sprintf("at most %d reports a day", maxReportsPerDay))
		return
	}
	url := httpx.BaseURL(r, s.cfg.PublicURL) + Prefix + "/reports/" + name + "?token=" + slot.Token
	ok(w, map[string]string{"filename": name, "signedUrl": url}, -1)
}

// PUT /reports/:name?token=… : the report file, once, within the minute.
func (s *Service) putReport(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxReportBytes+1))
	if err != nil || len(data) > maxReportBytes {
		httpx.Error(w, http.StatusRequestEntityTooLarge, "a report is at most 1 MiB")
		return
	}
	status, msg := 0, ""
	err = s.ks.Update(r.Context(), func(tx *store.KeyspaceTxn) error {
		v, err := tx.Get("report-slot/" + name)
		if errors.Is(err, store.ErrNotFound) {
			status, msg = http.StatusForbidden, "no such upload"
			return nil
		}
		if err != nil {
			return err
		}
		var slot reportSlot
		json.Unmarshal(v, &slot)
		ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
		switch {
		case slot.Token != r.URL.Query().Get("token"):
			status, msg = http.StatusForbidden, "the upload's token is wrong"
		case slot.Done:
			status, msg = http.StatusForbidden, "the report was uploaded already"
		case s.cfg.Now().UnixMilli() > slot.Expires:
			status, msg = http.StatusForbidden, "the upload's URL has expired"
		case strings.TrimSpace(ct) != slot.Mimetype:
			status, msg = http.StatusBadRequest, "the Content-Type must be "+slot.Mimetype
		}
		if status != 0 {
			return nil
		}
		slot.Done = true
		b, _ := json.Marshal(slot)
		if err := tx.Set("report-slot/"+name, b); err != nil {
			return err
		}
		return tx.Set("report/"+name, data)
	})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if status != 0 {
		httpx.Error(w, status, msg)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// GET /reports/:name, with the admin token.
func (s *Service) getReport(w http.ResponseWriter, r *http.Request) {
	if !httpx.BearerValid(s.cfg.AdminToken, r) {
		httpx.Error(w, http.StatusUnauthorized, "the admin token is needed to read reports")
		return
	}
	name := r.PathValue("name")
	data, err := s.ks.Get(r.Context(), "report/"+name)
	if err != nil {
		httpx.Error(w, http.StatusNotFound, "no such report")
		return
	}
	for mt, ext := range reportTypes {
		if strings.HasSuffix(name, ext) {
			w.Header().Set("Content-Type", mt)
		}
	}
	w.Write(data)
}

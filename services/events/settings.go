package events

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// ProfileSettings are a user's (the original's profile_settings): how
// they are told of events. This node sends no email: email_verified stays
// false, and notify_by_email is kept for the client's form only.
type ProfileSettings struct {
	User            string   `json:"user"`
	Email           *string  `json:"email"`
	EmailVerified   bool     `json:"email_verified"`
	UseLocalTime    bool     `json:"use_local_time"`
	NotifyByEmail   bool     `json:"notify_by_email"`
	NotifyByBrowser bool     `json:"notify_by_browser"`
	Permissions     []string `json:"permissions"`
}

func (s *Service) settingsOf(r *http.Request, user string) (ProfileSettings, error) {
	st := ProfileSettings{User: user, UseLocalTime: true, Permissions: []string{}}
	v, err := s.ks.Get(r.Context(), "ps/"+user)
	if errors.Is(err, store.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal(v, &st)
}

// GET, PATCH /profiles/me/settings (signed).
func (s *Service) mySettings(w http.ResponseWriter, r *http.Request) {
	req, okSigned := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
	if !okSigned {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.settingsOf(r, req.Signer)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if r.Method == http.MethodPatch {
		var in struct {
			Email           *string `json:"email"`
			UseLocalTime    *bool   `json:"use_local_time"`
			NotifyByEmail   *bool   `json:"notify_by_email"`
			NotifyByBrowser *bool   `json:"notify_by_browser"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&in); err != nil {
			fail(w, http.StatusBadRequest, "the body must be settings: "+err.Error())
			return
		}
		if in.Email != nil {
			if e := strings.TrimSpace(*in.Email); e != "" && (len(e) > 254 || !strings.Contains(e, "@")) {
				fail(w, http.StatusBadRequest, "email must be an address")
				return
			}
			st.Email, st.EmailVerified = in.Email, false
		}
		for _, f := range []struct {
			in   *bool
			into *bool
		}{{in.UseLocalTime, &st.UseLocalTime}, {in.NotifyByEmail, &st.NotifyByEmail}, {in.NotifyByBrowser, &st.NotifyByBrowser}} {
			if f.in != nil {
				*f.into = *f.in
			}
		}
		b, _ := json.Marshal(st)
		if err := s.ks.Write(r.Context(), map[string][]byte{"ps/" + req.Signer: b}); err != nil {
			httpx.Internal(w, s.log, r, err)
			return
		}
	}
	ok(w, st, -1)
}

// GET /profiles/:id/settings: a user's own (signed) or any (admin token).
func (s *Service) userSettings(w http.ResponseWriter, r *http.Request) {
	v, okV := s.viewer(w, r)
	if !okV {
		return
	}
	user := strings.ToLower(r.PathValue("id"))
	if !authchain.IsAddress(user) {
		fail(w, http.StatusBadRequest, "the id is an address")
		return
	}
	if !v.admin && v.user != user {
		fail(w, http.StatusForbidden, "only the user and the admin read a user's settings")
		return
	}
	st, err := s.settingsOf(r, user)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	ok(w, st, -1)
}

package assetbundles

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
)

// maxReason bounds a denylist entry's reason.
const maxReason = 1000

// DenyEntry is a denylist entry as the original's table row.
type DenyEntry struct {
	EntityID  string  `json:"entity_id"`
	Reason    *string `json:"reason"`
	CreatedBy string  `json:"created_by"`
	CreatedAt int64   `json:"created_at"`
	UpdatedAt int64   `json:"updated_at"`
}

// denylist is GET /denylist: every entry.
func (s *Service) denylist(w http.ResponseWriter, r *http.Request) {
	out := []DenyEntry{}
	err := s.ks.Scan(r.Context(), kDeny, func(_ string, v []byte) error {
		var e DenyEntry
		if json.Unmarshal(v, &e) == nil {
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, out)
}

// parseReason reads the optional body {reason?: string | null}.
func parseReason(body []byte) (*string, error) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, nil
	}
	var in struct {
		Reason *string `json:"reason"`
	}
	if json.Unmarshal(body, &in) != nil {
		return nil, errors.New("the body must be {\"reason\": string}")
	}
	if in.Reason != nil && len(*in.Reason) > maxReason {
		return nil, errors.New("the reason must be at most 1000 bytes")
	}
	return in.Reason, nil
}

// addDenied is POST /denylist/:entityId (admin) {reason?}: 201 and the
// entry.
func (s *Service) addDenied(w http.ResponseWriter, r *http.Request) {
	id := strings.ToLower(r.PathValue("entityId"))
	if !validEntityID(id) {
		fail(w, http.StatusBadRequest, "Entity ID is required")
		return
	}
	body, ok := readBody(w, r, 4<<10)
	if !ok {
		return
	}
	reason, err := parseReason(body)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	now := s.cfg.Now().UnixMilli()
	entry := DenyEntry{EntityID: id, Reason: reason, CreatedBy: "admin", CreatedAt: now, UpdatedAt: now}
	full := false
	err = s.update(r.Context(), func(tx *store.KeyspaceTxn) error {
		v, err := tx.Get(kDeny + id)
		switch {
		case err == nil:
			var old DenyEntry
			if json.Unmarshal(v, &old) == nil {
				entry.CreatedAt = old.CreatedAt
			}
		case errors.Is(err, store.ErrNotFound):
			n := 0
			if err := tx.Scan(kDeny, func(string, []byte) error { n++; return nil }); err != nil {
				return err
			}
			if full = n >= MaxDenylist; full {
				return nil
			}
		default:
			return err
		}
		raw, _ := json.Marshal(entry)
		return tx.Set(kDeny+id, raw)
	})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if full {
		fail(w, http.StatusConflict, "the denylist is full")
		return
	}
	httpx.JSON(w, http.StatusCreated, entry)
}

// removeDenied is DELETE /denylist/:entityId (admin).
func (s *Service) removeDenied(w http.ResponseWriter, r *http.Request) {
	id := strings.ToLower(r.PathValue("entityId"))
	if !validEntityID(id) {
		fail(w, http.StatusBadRequest, "Entity ID is required")
		return
	}
	found := false
	err := s.update(r.Context(), func(tx *store.KeyspaceTxn) error {
		_, err := tx.Get(kDeny + id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		return tx.Delete(kDeny + id)
	})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if !found {
		fail(w, http.StatusNotFound, "Entity ID not found in denylist")
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true})
}

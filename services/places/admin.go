package places

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
)

// The admin routes: the original's isAdmin signers and data-team bearer
// tokens are, on this node, its admin token.
func (s *Service) adminRoutes(mux *http.ServeMux) {
	h := func(pattern string, f func(p *Place, body map[string]json.RawMessage) (bool, string)) {
		method, path, _ := strings.Cut(pattern, " ")
		mux.HandleFunc(method+" "+Prefix+path, httpx.Bearer(s.cfg.AdminToken, func(w http.ResponseWriter, r *http.Request) {
			var body map[string]json.RawMessage
			if r.Method != http.MethodDelete {
				if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&body); err != nil {
					fail(w, http.StatusBadRequest, "the body must be a JSON object")
					return
				}
			}
			var p *Place
			var msg string
			bad := false
			err := s.update(r.Context(), func(tx *txn) error {
				var err error
				if p, err = getPlace(tx, r.PathValue("id")); err != nil {
					return err
				}
				var okBody bool
				if okBody, msg = f(p, body); !okBody {
					bad = true
					return nil
				}
				p.UpdatedAt = s.cfg.Now().UTC().Format(timeLayout)
				return tx.put(p)
			})
			if bad {
				fail(w, http.StatusBadRequest, msg)
				return
			}
			if s.answerUpdate(w, r, err) {
				ok(w, s.view(r.Context(), r, p, ""), -1)
			}
		}))
	}
	h("PUT /places/{id}/highlight", func(p *Place, b map[string]json.RawMessage) (bool, string) {
		if json.Unmarshal(b["highlighted"], &p.Highlighted) != nil {
			return false, "highlighted must be true or false"
		}
		if raw, ok := b["highlighted_image"]; ok {
			json.Unmarshal(raw, &p.HighlightedImage)
		}
		return true, ""
	})
	h("PUT /places/{id}/disable", func(p *Place, b map[string]json.RawMessage) (bool, string) {
		if json.Unmarshal(b["disabled"], &p.Disabled) != nil {
			return false, "disabled must be true or false"
		}
		p.DisabledReason = nil
		if raw, ok := b["disabled_reason"]; ok && p.Disabled {
			json.Unmarshal(raw, &p.DisabledReason)
		}
		return true, ""
	})
	h("PUT /places/{id}/rating", func(p *Place, b map[string]json.RawMessage) (bool, string) {
		var rating string
		if json.Unmarshal(b["content_rating"], &rating) != nil || !slices.Contains([]string{"RP", "E", "T", "A", "R"}, rating) {
			return false, "content_rating must be one of RP, E, T, A, R"
		}
		p.ContentRating = rating
		return true, ""
	})
	h("PUT /places/{id}/ranking", func(p *Place, b map[string]json.RawMessage) (bool, string) {
		var ranking *float64
		if json.Unmarshal(b["ranking"], &ranking) != nil {
			return false, "ranking must be a number or null"
		}
		p.Ranking = ranking
		return true, ""
	})
	featured := func(on bool) func(p *Place, _ map[string]json.RawMessage) (bool, string) {
		return func(p *Place, _ map[string]json.RawMessage) (bool, string) {
			p.Categories = slices.DeleteFunc(p.Categories, func(c string) bool { return c == "featured" })
			if on {
				p.Categories = append(p.Categories, "featured")
			}
			return true, ""
		}
	}
	h("PUT /places/{id}/featured", featured(true))
	h("DELETE /places/{id}/featured", featured(false))
}

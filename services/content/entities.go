package content

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// POST /entities/active {ids} | {pointers}
func (s *Service) activeEntities(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		httpx.Error(w, http.StatusRequestEntityTooLarge, "The body is larger than 1 MiB.")
		return
	}
	var req map[string]json.RawMessage
	if err := json.Unmarshal(body, &req); err != nil {
		httpx.Error(w, http.StatusBadRequest, "The body must be a JSON object with either ids or pointers.")
		return
	}
	for k := range req {
		if k != "ids" && k != "pointers" {
			httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("Unknown property %q: the body takes either ids or pointers.", k))
			return
		}
	}
	idsRaw, hasIDs := req["ids"]
	ptrRaw, hasPtrs := req["pointers"]
	if hasIDs == hasPtrs {
		httpx.Error(w, http.StatusBadRequest, "ids or pointers must be present, but not both")
		return
	}
	name, raw := "ids", idsRaw
	if hasPtrs {
		name, raw = "pointers", ptrRaw
	}
	list, msg := stringList(raw)
	if msg != "" {
		httpx.Error(w, http.StatusBadRequest, name+" "+msg)
		return
	}
	var ds []*store.Deployment
	if hasIDs {
		ds, err = s.cfg.Store.ActiveByIDs(r.Context(), list)
	} else {
		ds, err = s.cfg.Store.ActiveByPointers(r.Context(), list)
	}
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	writeEntities(w, ds, nil)
}

// stringList parses a JSON array of 1–1000 non-empty strings.
func stringList(raw json.RawMessage) ([]string, string) {
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, "must be an array of strings"
	}
	if len(list) == 0 {
		return nil, "must not be empty"
	}
	if len(list) > MaxListItems {
		return nil, fmt.Sprintf("may hold at most %d items", MaxListItems)
	}
	for _, s := range list {
		if s == "" {
			return nil, "must not hold empty strings"
		}
	}
	return list, ""
}

// GET /entities/:type?pointer=…|id=…[&fields=…] (deprecated, still used)
func (s *Service) entitiesByType(w http.ResponseWriter, r *http.Request) {
	t, ok := parseType(r.PathValue("type"))
	if !ok {
		httpx.Error(w, http.StatusBadRequest, "Unrecognized type: "+r.PathValue("type"))
		return
	}
	pointers, ids := httpx.Values(r, "pointer"), httpx.Values(r, "id")
	if (len(pointers) > 0) == (len(ids) > 0) {
		httpx.Error(w, http.StatusBadRequest, "ids or pointers must be present, but not both")
		return
	}
	if len(pointers)+len(ids) > MaxListItems {
		httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("Too many ids or pointers; the maximum allowed is %d", MaxListItems))
		return
	}
	var ds []*store.Deployment
	var err error
	if len(ids) > 0 {
		ds, err = s.cfg.Store.ActiveByIDs(r.Context(), ids)
	} else {
		ds, err = s.cfg.Store.ActiveByPointers(r.Context(), pointers)
	}
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	kept := ds[:0]
	for _, d := range ds {
		if d.Type == t {
			kept = append(kept, d)
		}
	}
	var fields map[string]bool
	if f := r.URL.Query().Get("fields"); f != "" {
		fields = map[string]bool{}
		for _, name := range strings.Split(strings.ToLower(f), ",") {
			fields[strings.TrimSpace(name)] = true
		}
	}
	writeEntities(w, kept, fields)
}

// writeEntities answers Entity[]; fields (when set) keeps only the listed
// optional parts (content, pointers, metadata).
func writeEntities(w http.ResponseWriter, ds []*store.Deployment, fields map[string]bool) {
	out := make([]entity.Entity, len(ds))
	for i, d := range ds {
		e := d.Entity
		if e.Content == nil {
			e.Content = []entity.ContentItem{}
		}
		if fields != nil {
			if !fields["content"] {
				e.Content = []entity.ContentItem{}
			}
			if !fields["pointers"] {
				e.Pointers = []string{}
			}
			if !fields["metadata"] {
				e.Metadata = nil
			}
		}
		out[i] = e
	}
	httpx.JSON(w, http.StatusOK, out)
}

package content

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

const (
	maxPageLimit = 500
	maxOffset    = 5000
)

// listQuery is a parsed /deployments or /pointer-changes query.
type listQuery struct {
	filter      store.Filter
	types       []string
	limitAsked  bool
	fields      map[string]bool
	fieldsRaw   string
	sortField   string // local_timestamp | entity_timestamp
	sortOrder   string // ASC | DESC
	withFilters bool   // entityId / pointer / onlyCurrentlyPointed allowed
}

func parseList(r *http.Request, withFilters bool) (*listQuery, error) {
	q := r.URL.Query()
	lq := &listQuery{withFilters: withFilters, sortField: "local_timestamp", sortOrder: "DESC"}
	f := &lq.filter
	for _, t := range httpx.Values(r, "entityType") {
		et, ok := parseType(t)
		if !ok {
			return nil, errors.New("Found an unrecognized entity type")
		}
		f.Types = append(f.Types, et)
		lq.types = append(lq.types, string(et))
	}
	if withFilters {
		f.IDs = httpx.Values(r, "entityId")
		for _, p := range httpx.Values(r, "pointer") {
			f.Pointers = append(f.Pointers, strings.ToLower(p))
		}
		if len(f.IDs) > MaxListItems || len(f.Pointers) > MaxListItems {
			return nil, fmt.Errorf("Too many ids or pointers; the maximum allowed is %d", MaxListItems)
		}
		f.OnlyCurrentlyPointed = q.Get("onlyCurrentlyPointed") == "true"
	}
	f.From = positive(q.Get("from"))
	f.To = positive(q.Get("to"))
	if f.From == 0 {
		f.From = positive(q.Get("fromLocalTimestamp"))
	}
	if f.To == 0 {
		f.To = positive(q.Get("toLocalTimestamp"))
	}
	if v := q.Get("offset"); v != "" {
		n, _ := strconv.Atoi(v)
		if n > maxOffset {
			return nil, fmt.Errorf("Offset can't be higher than %d. Please use the 'next' property for pagination.", maxOffset)
		}
		f.Offset = max(n, 0)
	}
	f.Limit = maxPageLimit
	if v := q.Get("limit"); v != "" {
		lq.limitAsked = true
		if n, err := strconv.Atoi(v); err == nil && n > 0 && n <= maxPageLimit {
			f.Limit = n
		}
	}
	if v := q.Get("sortingField"); v != "" {
		switch v {
		case "local_timestamp", "localTimestamp":
			lq.sortField = "local_timestamp"
		case "entity_timestamp", "entityTimestamp":
			lq.sortField = "entity_timestamp"
			f.SortBy = store.ByEntityTimestamp
		default:
			return nil, errors.New("Found an unrecognized sort field param")
		}
	}
	if v := q.Get("sortingOrder"); v != "" {
		if v != "ASC" && v != "DESC" {
			return nil, errors.New("Found an unrecognized sort order param")
		}
		lq.sortOrder = v
	}
	f.Ascending = lq.sortOrder == "ASC"
	f.LastID = strings.ToLower(q.Get("lastId"))
	lq.fieldsRaw = q.Get("fields")
	lq.fields = map[string]bool{"pointers": true, "content": true, "metadata": true}
	if strings.TrimSpace(lq.fieldsRaw) != "" {
		lq.fields = map[string]bool{}
		for _, name := range strings.Split(lq.fieldsRaw, ",") {
			switch name = strings.TrimSpace(name); name {
			case "pointers", "content", "metadata", "auditInfo":
				lq.fields[name] = true
			}
		}
		if len(lq.fields) == 0 {
			lq.fields = map[string]bool{"pointers": true, "content": true, "metadata": true}
			lq.fieldsRaw = ""
		}
	}
	return lq, nil
}

func positive(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// next builds the relative link to the following page.
func (lq *listQuery) next(last *store.Deployment, pointerChanges bool) string {
	f := lq.filter
	t := last.LocalTimestamp
	if f.SortBy == store.ByEntityTimestamp {
		t = last.Timestamp
	}
	v := url.Values{}
	var order []string
	add := func(k string, vals ...string) {
		for _, x := range vals {
			v.Add(k, x)
		}
		if len(vals) > 0 {
			order = append(order, k)
		}
	}
	add("pointer", f.Pointers...)
	add("entityType", lq.types...)
	add("entityId", f.IDs...)
	if f.OnlyCurrentlyPointed {
		add("onlyCurrentlyPointed", "true")
	}
	from, to := f.From, f.To
	if f.Ascending {
		from = t
	} else {
		to = t
	}
	if from > 0 {
		add("from", strconv.FormatInt(from, 10))
	}
	if to > 0 {
		add("to", strconv.FormatInt(to, 10))
	}
	if lq.fieldsRaw != "" && !pointerChanges {
		add("fields", lq.fieldsRaw)
	}
	add("sortingField", lq.sortField)
	add("sortingOrder", lq.sortOrder)
	add("lastId", last.ID)
	if lq.limitAsked || pointerChanges {
		add("limit", strconv.Itoa(f.Limit))
	}
	var b strings.Builder
	for _, k := range order {
		for _, x := range v[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(x))
		}
	}
	return "?" + b.String()
}

type contentKey struct {
	Key  string `json:"key"`
	Hash string `json:"hash"`
}

type auditInfo struct {
	Version        string          `json:"version"`
	AuthChain      authchain.Chain `json:"authChain"`
	LocalTimestamp int64           `json:"localTimestamp"`
	OverwrittenBy  string          `json:"overwrittenBy,omitempty"`
}

type deploymentJSON struct {
	EntityVersion   string          `json:"entityVersion"`
	EntityType      entity.Type     `json:"entityType"`
	EntityID        string          `json:"entityId"`
	EntityTimestamp int64           `json:"entityTimestamp"`
	DeployedBy      string          `json:"deployedBy"`
	Pointers        *[]string       `json:"pointers,omitempty"`
	Content         *[]contentKey   `json:"content,omitempty"`
	Metadata        json.RawMessage `json:"metadata,omitempty"`
	AuditInfo       *auditInfo      `json:"auditInfo,omitempty"`
	LocalTimestamp  int64           `json:"localTimestamp"`
}

func audit(d *store.Deployment) *auditInfo {
	return &auditInfo{Version: d.Version, AuthChain: d.AuthChain, LocalTimestamp: d.LocalTimestamp, OverwrittenBy: d.OverwrittenBy}
}

// page parses a listing query and reads its page; false means an error
// answer was written.
func (s *Service) page(w http.ResponseWriter, r *http.Request, withFilters bool) (*listQuery, []*store.Deployment, bool, bool) {
	lq, err := parseList(r, withFilters)
	if err != nil {
		httpx.Error(w, http.StatusBadRequest, err.Error())
		return nil, nil, false, false
	}
	list, more, err := s.cfg.Store.Deployments(r.Context(), lq.filter)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return nil, nil, false, false
	}
	return lq, list, more, true
}

// GET /deployments
func (s *Service) deployments(w http.ResponseWriter, r *http.Request) {
	lq, list, more, ok := s.page(w, r, true)
	if !ok {
		return
	}
	out := make([]deploymentJSON, len(list))
	for i, d := range list {
		j := deploymentJSON{
			EntityVersion: d.Version, EntityType: d.Type, EntityID: d.ID, EntityTimestamp: d.Timestamp,
			DeployedBy: d.DeployedBy(), LocalTimestamp: d.LocalTimestamp,
		}
		if lq.fields["pointers"] {
			p := d.Pointers
			j.Pointers = &p
		}
		if lq.fields["content"] {
			c := make([]contentKey, len(d.Content))
			for k, item := range d.Content {
				c[k] = contentKey{item.File, item.Hash}
			}
			j.Content = &c
		}
		if lq.fields["metadata"] {
			j.Metadata = d.Metadata
		}
		if lq.fields["auditInfo"] {
			j.AuditInfo = audit(d)
		}
		out[i] = j
	}
	f := lq.filter
	filters := map[string]any{
		"pointers":    nonNil(f.Pointers),
		"entityTypes": nonNil(lq.types),
		"entityIds":   nonNil(f.IDs),
	}
	if f.OnlyCurrentlyPointed {
		filters["onlyCurrentlyPointed"] = true
	}
	if f.From > 0 {
		filters["from"] = f.From
	}
	if f.To > 0 {
		filters["to"] = f.To
	}
	pagination := map[string]any{"offset": f.Offset, "limit": f.Limit, "moreData": more}
	if f.LastID != "" {
		pagination["lastId"] = f.LastID
	}
	if more && len(list) > 0 {
		pagination["next"] = lq.next(list[len(list)-1], false)
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"deployments": out, "filters": filters, "pagination": pagination})
}

// GET /pointer-changes
func (s *Service) pointerChanges(w http.ResponseWriter, r *http.Request) {
	lq, list, more, ok := s.page(w, r, false)
	if !ok {
		return
	}
	type delta struct {
		EntityType      entity.Type     `json:"entityType"`
		EntityID        string          `json:"entityId"`
		Pointers        []string        `json:"pointers"`
		EntityTimestamp int64           `json:"entityTimestamp"`
		Version         string          `json:"version"`
		AuthChain       authchain.Chain `json:"authChain"`
		LocalTimestamp  int64           `json:"localTimestamp"`
	}
	deltas := make([]delta, len(list))
	for i, d := range list {
		deltas[i] = delta{d.Type, d.ID, d.Pointers, d.Timestamp, d.Version, d.AuthChain, d.LocalTimestamp}
	}
	f := lq.filter
	filters := map[string]any{"entityTypes": nonNil(lq.types), "includeAuthChain": r.URL.Query().Get("includeAuthChain") == "true"}
	if f.From > 0 {
		filters["from"] = f.From
	}
	if f.To > 0 {
		filters["to"] = f.To
	}
	pagination := map[string]any{"offset": f.Offset, "limit": f.Limit, "moreData": more}
	if more && len(list) > 0 {
		pagination["next"] = lq.next(list[len(list)-1], true)
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"deltas": deltas, "filters": filters, "pagination": pagination})
}

// GET /audit/:type/:id
func (s *Service) audit(w http.ResponseWriter, r *http.Request) {
	t, ok := parseType(r.PathValue("type"))
	if !ok {
		httpx.Error(w, http.StatusBadRequest, "Unrecognized type: "+r.PathValue("type"))
		return
	}
	d, err := s.cfg.Store.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) || (err == nil && d.Type != t) {
		httpx.Error(w, http.StatusNotFound, "No deployment found")
		return
	}
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, audit(d))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

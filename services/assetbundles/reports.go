package assetbundles

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// The converter's report types (@dcl/schemas Events.Type.ASSET_BUNDLE).
const (
	EventType         = "asset-bundle"
	SubTypeConverted  = "converted"
	SubTypeQueued     = "manually-queued"
	maxReportBody     = 64 << 10
	maxReportKey      = 256
	maxReportVersion  = 128
	maxEntityIDLength = 128
)

// Report is a converter's report: an AssetBundleConversionFinishedEvent
// or an AssetBundleConversionManuallyQueuedEvent.
type Report struct {
	Type      string         `json:"type"`
	SubType   string         `json:"subType"`
	Key       string         `json:"key"`
	Timestamp int64          `json:"timestamp"`
	Metadata  ReportMetadata `json:"metadata"`
}

// ReportMetadata is a report's metadata.
type ReportMetadata struct {
	EntityID   string `json:"entityId"`
	Platform   string `json:"platform"`
	StatusCode int    `json:"statusCode"`
	IsLods     bool   `json:"isLods"`
	IsWorld    bool   `json:"isWorld"`
	IsPriority bool   `json:"isPriority,omitempty"`
	Version    string `json:"version,omitempty"`
	BuildDate  string `json:"buildDate,omitempty"`
}

var platforms = []string{"windows", "mac", "webgl"}

// ParseReport reads a report as the schemas' validators accept it: type,
// subType, key, timestamp and metadata present and of their types, the
// metadata's required fields present (entityId, platform, isLods; for a
// conversion also statusCode and isWorld).
func ParseReport(body []byte) (*Report, error) {
	var raw struct {
		Type      *string                    `json:"type"`
		SubType   *string                    `json:"subType"`
		Key       *string                    `json:"key"`
		Timestamp *float64                   `json:"timestamp"`
		Metadata  map[string]json.RawMessage `json:"metadata"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil {
		return nil, errors.New("the body must be a JSON event")
	}
	if dec.More() {
		return nil, errors.New("the body must be one JSON event")
	}
	if raw.Type == nil || *raw.Type != EventType {
		return nil, fmt.Errorf("type must be %q", EventType)
	}
	if raw.SubType == nil || (*raw.SubType != SubTypeConverted && *raw.SubType != SubTypeQueued) {
		return nil, fmt.Errorf("subType must be %q or %q", SubTypeConverted, SubTypeQueued)
	}
	if raw.Key == nil || *raw.Key == "" || len(*raw.Key) > maxReportKey {
		return nil, fmt.Errorf("key must be a string of 1 to %d bytes", maxReportKey)
	}
	if raw.Timestamp == nil || *raw.Timestamp < 0 || *raw.Timestamp > math.MaxInt64/2 || *raw.Timestamp != math.Trunc(*raw.Timestamp) {
		return nil, errors.New("timestamp must be a whole number of milliseconds")
	}
	if raw.Metadata == nil {
		return nil, errors.New("metadata must be an object")
	}
	rep := &Report{Type: *raw.Type, SubType: *raw.SubType, Key: *raw.Key, Timestamp: int64(*raw.Timestamp)}
	m := &rep.Metadata
	str := func(name string, into *string, required bool, max int) error {
		v, ok := raw.Metadata[name]
		if !ok {
			if required {
				return fmt.Errorf("metadata.%s is required", name)
			}
			return nil
		}
		if json.Unmarshal(v, into) != nil || len(*into) > max {
			return fmt.Errorf("metadata.%s must be a string of at most %d bytes", name, max)
		}
		return nil
	}
	flag := func(name string, into *bool, required bool) error {
		v, ok := raw.Metadata[name]
		if !ok {
			if required {
				return fmt.Errorf("metadata.%s is required", name)
			}
			return nil
		}
		if json.Unmarshal(v, into) != nil {
			return fmt.Errorf("metadata.%s must be a boolean", name)
		}
		return nil
	}
	converted := rep.SubType == SubTypeConverted
	for _, err := range []error{
		str("entityId", &m.EntityID, true, maxEntityIDLength),
		str("platform", &m.Platform, true, 16),
		flag("isLods", &m.IsLods, true),
		flag("isWorld", &m.IsWorld, converted),
		flag("isPriority", &m.IsPriority, false),
		str("version", &m.Version, false, maxReportVersion),
		str("buildDate", &m.BuildDate, false, maxReportVersion),
	} {
		if err != nil {
			return nil, err
		}
	}
	if !validEntityID(m.EntityID) {
		return nil, errors.New("metadata.entityId must be an entity id")
	}
	if !slices.Contains(platforms, m.Platform) {
		return nil, errors.New("metadata.platform must be windows, mac or webgl")
	}
	if converted {
		v, ok := raw.Metadata["statusCode"]
		var code float64
		if !ok || json.Unmarshal(v, &code) != nil || code != math.Trunc(code) || code < -1e6 || code > 1e6 {
			return nil, errors.New("metadata.statusCode must be a whole number")
		}
		m.StatusCode = int(code)
	}
	return rep, nil
}

// validEntityID: a content hash (Qm… or bafy…/bafk…), letters and digits.
func validEntityID(id string) bool {
	if id == "" || len(id) > maxEntityIDLength {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// converted: the asset-bundle-converter's ManifestStatusCode SUCCESS,
// CONVERSION_ERRORS_TOLERATED and ALREADY_CONVERTED.
func converted(code int) bool { return code == 0 || code == 12 || code == 13 }

// errUnknownEntity: a report of an entity the node does not store.
var errUnknownEntity = errors.New("assetbundles: unknown entity")

// report is POST /events (admin): a converter's report.
func (s *Service) report(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxReportBody))
	if err != nil {
		fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body must be at most %d bytes", maxReportBody))
		return
	}
	rep, err := ParseReport(body)
	if err != nil {
		s.reports.WithLabelValues("invalid", "refused").Inc()
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	if rep.SubType == SubTypeQueued {
		if !s.markQueued(rep.Metadata.Platform, rep.Metadata.EntityID) {
			s.reports.WithLabelValues(rep.SubType, "refused").Inc()
			fail(w, http.StatusServiceUnavailable, "too many conversions queued")
			return
		}
		s.reports.WithLabelValues(rep.SubType, "accepted").Inc()
		s.publish(r.Context(), rep)
		httpx.JSON(w, http.StatusOK, map[string]any{"ok": true})
		return
	}
	rec, err := s.applyConverted(r.Context(), rep)
	if errors.Is(err, errUnknownEntity) {
		s.reports.WithLabelValues(rep.SubType, "refused").Inc()
		fail(w, http.StatusNotFound, "Entity with id "+rep.Metadata.EntityID+" was not found")
		return
	}
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	s.reports.WithLabelValues(rep.SubType, "accepted").Inc()
	s.publish(r.Context(), rep)
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "data": rec.Registry})
}

// publish puts an accepted report on the bus, for other consumers.
func (s *Service) publish(ctx context.Context, rep *Report) {
	if s.cfg.Bus == nil {
		return
	}
	m := rep.Metadata
	meta := map[string]any{"entityId": m.EntityID, "platform": m.Platform, "isLods": m.IsLods}
	if rep.SubType == SubTypeConverted {
		meta["statusCode"], meta["isWorld"] = m.StatusCode, m.IsWorld
		if m.Version != "" {
			meta["version"] = m.Version
		}
		if m.BuildDate != "" {
			meta["buildDate"] = m.BuildDate
		}
	} else {
		meta["isPriority"] = m.IsPriority
	}
	e, err := events.New(rep.Type, rep.SubType, "asset-bundle-"+rep.Key, rep.Timestamp, meta)
	if err == nil {
		err = s.cfg.Bus.Publish(ctx, e)
	}
	if err != nil {
		s.log.Warn("a conversion report was applied but not published", "key", rep.Key, "err", err)
	}
}

// applyConverted sets a platform's status and version from a conversion
// report and rotates the entry's status (the original's textures
// handler); an entity not registered yet is registered first.
func (s *Service) applyConverted(ctx context.Context, rep *Report) (*record, error) {
	m := rep.Metadata
	var fresh *record
	if old, err := s.readRecord(ctx, m.EntityID); err != nil {
		return nil, err
	} else if old == nil {
		if fresh, err = s.lookupEntity(ctx, m.EntityID); err != nil {
			return nil, err
		}
		if fresh == nil {
			return nil, errUnknownEntity
		}
	}
	var rec *record
	err := s.update(ctx, func(tx *store.KeyspaceTxn) error {
		var err error
		if rec, err = getRecord(tx, m.EntityID); err != nil {
			return err
		}
		if rec == nil {
			if fresh == nil {
				return errUnknownEntity // removed meanwhile
			}
			rec = fresh
		}
		status := bundleFailed
		if converted(m.StatusCode) {
			status = bundleComplete
		}
		bundles := &rec.Bundles.Assets
		if m.IsLods {
			bundles = &rec.Bundles.Lods
		}
		*bundles.at(m.Platform) = status
		*rec.Versions.Assets.at(m.Platform) = BuildVersion{Version: m.Version, BuildDate: m.BuildDate}
		if rec.Status == Obsolete {
			return put(tx, rec) // a late report does not bring back what was replaced or undeployed
		}
		return s.persist(tx, rec)
	})
	if err != nil {
		return nil, err
	}
	if !m.IsLods {
		s.markFinished(m.Platform, m.EntityID)
	}
	return rec, nil
}

// markQueued counts a conversion queued for a platform; false when the
// counts are full.
func (s *Service) markQueued(platform, id string) bool {
	s.queueMu.Lock()
	defer s.queueMu.Unlock()
	n := 0
	for _, m := range s.queued {
		n += len(m)
	}
	jobs := s.queued[platform]
	if jobs == nil {
		jobs = map[string]int{}
		s.queued[platform] = jobs
	}
	if _, ok := jobs[id]; !ok && n >= MaxQueued {
		return false
	}
	jobs[id]++
	return true
}

// markFinished counts one conversion of a platform done.
func (s *Service) markFinished(platform, id string) {
	s.queueMu.Lock()
	defer s.queueMu.Unlock()
	jobs := s.queued[platform]
	if jobs == nil {
		return
	}
	if jobs[id] <= 1 {
		delete(jobs, id)
		return
	}
	jobs[id]--
}

// queuesStatus is GET /queues/status: the entities with conversions
// pending, by platform.
func (s *Service) queuesStatus(w http.ResponseWriter, r *http.Request) {
	s.queueMu.Lock()
	out := map[string]any{}
	for _, p := range platforms {
		ids := []string{}
		for id, n := range s.queued[p] {
			if n > 0 {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		out[p+"PendingJobs"] = ids
	}
	s.queueMu.Unlock()
	httpx.JSON(w, http.StatusOK, out)
}

// flushCache is DELETE /flush-cache (admin): the queue counts cleared.
func (s *Service) flushCache(w http.ResponseWriter, r *http.Request) {
	s.queueMu.Lock()
	s.queued = map[string]map[string]int{}
	s.queueMu.Unlock()
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "message": "Cache flushed"})
}

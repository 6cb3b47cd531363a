package worlds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// GET /world/{world}/about: the world's realm description, with every
// scene of the world, fetched from this server's contents.
func (s *Service) about(w http.ResponseWriter, r *http.Request) {
	world, ok := worldName(w, r)
	if !ok {
		return
	}
	scenes, err := s.Scenes(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if len(scenes) == 0 {
		httpx.Error(w, http.StatusNotFound, fmt.Sprintf("World %q has no scene deployed.", world))
		return
	}
	node := httpx.BaseURL(r, s.cfg.PublicURL)
	base := node + Prefix
	urns := make([]string, len(scenes))
	for i, d := range scenes {
		urns[i] = "urn:decentraland:entity:" + d.ID + "?=&baseUrl=" + base + "/contents/"
	}
	newest := scenes[0]
	var meta struct {
		World entity.WorldSceneConfig `json:"worldConfiguration"`
		Scene struct {
			Base string `json:"base"`
		} `json:"scene"`
	}
	json.Unmarshal(newest.Metadata, &meta)
	fileURL := func(name, fallback string) string {
		for _, c := range newest.Content {
			if name != "" && c.File == name {
				return base + "/contents/" + c.Hash
			}
		}
		return fallback
	}
	minimap := map[string]any{"enabled": false}
	if c := meta.World.MiniMapConfig; c != nil {
		minimap["enabled"] = c.Visible
		if c.Visible || c.DataImage != "" {
			minimap["dataImage"] = fileURL(c.DataImage, "https://api.decentraland.org/v1/minimap.png")
		}
		if c.Visible || c.EstateImage != "" {
			minimap["estateImage"] = fileURL(c.EstateImage, "https://api.decentraland.org/v1/estatemap.png")
		}
	}
	skybox := map[string]any{}
	if c := meta.World.SkyConfig; c != nil {
		if c.FixedHour != nil {
			skybox["fixedHour"] = *c.FixedHour
		}
		if c.Textures != nil {
			textures := make([]string, len(c.Textures))
			for i, t := range c.Textures {
				textures[i] = fileURL(t, "")
			}
			skybox["textures"] = textures
		}
	}
	settings, err := s.loadSettings(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	spawn := settings.SpawnCoordinates
	if spawn == "" {
		spawn = strings.ToLower(meta.Scene.Base)
	}
	if spawn == "" && len(newest.Pointers) > 0 {
		spawn = newest.Pointers[0]
	}
	contentOK, lambdasOK := true, true
	if s.cfg.Healthy != nil {
		contentOK, lambdasOK = s.cfg.Healthy()
	}
	adapter := "signed-login:" + base + "/worlds/" + world + "/comms"
	if meta.World.FixedAdapter == "offline:offline" {
		adapter = "offline:offline"
	}
	healthy := contentOK && lambdasOK
	httpx.JSON(w, http.StatusOK, map[string]any{
		"healthy": healthy, "acceptingUsers": healthy, "spawnCoordinates": spawn,
		"configurations": map[string]any{
			"networkId": s.cfg.NetworkID, "globalScenesUrn": []string{}, "scenesUrn": urns,
			"minimap": minimap, "skybox": skybox, "realmName": world,
			"map": map[string]any{"minimapEnabled": minimap["enabled"], "sizes": []any{}},
		},
		"content": map[string]any{"synchronizationStatus": "Syncing", "healthy": contentOK, "publicUrl": node + "/content"},
		"lambdas": map[string]any{"healthy": lambdasOK, "publicUrl": node + "/lambdas"},
		"comms":   map[string]any{"healthy": true, "protocol": "v3", "adapter": "fixed-adapter:" + adapter, "fixedAdapter": adapter},
	})
}

// GET, POST /world/{world}/scenes: the world's scenes, with an optional
// body {coordinates} (POST), bounding box and pagination.
func (s *Service) scenes(w http.ResponseWriter, r *http.Request) {
	world, ok := worldName(w, r)
	if !ok {
		return
	}
	var coordinates []string
	if r.Method == http.MethodPost {
		var body struct {
			Coordinates []string `json:"coordinates"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&body); err != nil || len(body.Coordinates) > maxScenes {
			httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("The body must be {coordinates: [\"x,y\", …]} with at most %d coordinates.", maxScenes))
			return
		}
		for _, c := range body.Coordinates {
			if _, _, ok := entity.ParseParcel(c); !ok {
				httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("Invalid coordinate format: %s. Expected format: x,y (e.g., 0,0 or -1,2)", truncate(c)))
				return
			}
			coordinates = append(coordinates, strings.ToLower(c))
		}
	}
	q := r.URL.Query()
	var box []int
	for _, k := range []string{"x1", "x2", "y1", "y2"} {
		if v := q.Get(k); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				httpx.Error(w, http.StatusBadRequest, "Bounding box coordinates must be integers.")
				return
			}
			box = append(box, n)
		}
	}
	if len(box) != 0 && len(box) != 4 {
		httpx.Error(w, http.StatusBadRequest, "Bounding box requires all of x1, x2, y1, y2 to be provided.")
		return
	}
	limit, offset, ok := page(w, r)
	if !ok {
		return
	}
	all, err := s.Scenes(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	in := func(d *store.Deployment) bool {
		for _, p := range d.Pointers {
			x, y, _ := entity.ParseParcel(p)
			if len(coordinates) > 0 && !slices.Contains(coordinates, p) {
				continue
			}
			if len(box) == 4 && (x < min(box[0], box[1]) || x > max(box[0], box[1]) || y < min(box[2], box[3]) || y > max(box[2], box[3])) {
				continue
			}
			return true
		}
		return false
	}
	out := []map[string]any{}
	total := 0
	for _, d := range all {
		if !in(d) {
			continue
		}
		total++
		if total <= offset || len(out) >= limit {
			continue
		}
		var size int64
		for _, h := range d.Hashes() {
			if c, err := s.cfg.Store.OpenContent(h); err == nil {
				size += c.Size()
				c.Close()
			}
		}
		out = append(out, map[string]any{
			"worldName": world, "deployer": strings.ToLower(d.DeployedBy()), "deploymentAuthChain": d.AuthChain, "entity": entityJSON(d),
			"entityId": d.ID, "parcels": d.Pointers, "size": strconv.FormatInt(size, 10),
			"createdAt": isoTime(d.Timestamp), "updatedAt": isoTime(d.LocalTimestamp),
		})
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"scenes": out, "total": total})
}

func isoTime(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z") }

// page reads limit (1–100, default 100) and offset.
func page(w http.ResponseWriter, r *http.Request) (limit, offset int, ok bool) {
	limit, offset = 100, 0
	q := r.URL.Query()
	for _, p := range []struct {
		name string
		into *int
		max  int
	}{{"limit", &limit, 100}, {"offset", &offset, 1 << 30}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > p.max {
				httpx.Error(w, http.StatusBadRequest, fmt.Sprintf("%s must be an integer from 0 to %d.", p.name, p.max))
				return 0, 0, false
			}
			*p.into = n
		}
	}
	return limit, offset, true
}

// settingsRecord is a world's settings (the original's, snake-cased).
type settingsRecord struct {
	Title            string   `json:"title,omitempty"`
	Description      string   `json:"description,omitempty"`
	ContentRating    string   `json:"content_rating,omitempty"`
	SpawnCoordinates string   `json:"spawn_coordinates,omitempty"`
	SkyboxTime       *int     `json:"skybox_time"`
	Categories       []string `json:"categories"`
	SinglePlayer     bool     `json:"single_player"`
	ShowInPlaces     bool     `json:"show_in_places"`
	AccessType       string   `json:"access_type"`
	SettingsVersion  int      `json:"settings_version"`
}

func (s *Service) loadSettings(ctx context.Context, world string) (settingsRecord, error) {
	st := settingsRecord{ShowInPlaces: true, Categories: []string{}}
	v, err := s.ks.Get(ctx, "settings/"+world)
	if errors.Is(err, store.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal(v, &st)
}

// GET /world/{world}/settings
func (s *Service) settings(w http.ResponseWriter, r *http.Request) {
	world, ok := worldName(w, r)
	if !ok {
		return
	}
	scenes, err := s.Scenes(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if len(scenes) == 0 {
		httpx.JSON(w, http.StatusNotFound, map[string]string{"error": fmt.Sprintf("World %q not found.", world)})
		return
	}
	st, err := s.loadSettings(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	p, err := s.perms(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	st.AccessType = p.Access.Type
	httpx.JSON(w, http.StatusOK, st)
}

// Bounds of a world's settings (the original's settings policy).
const (
	maxTitle       = 50
	maxDescription = 1000
	maxCategories  = 3
)

// PUT /world/{world}/settings (multipart fields), by the owner.
func (s *Service) putSettings(w http.ResponseWriter, r *http.Request) {
	world, ok := worldName(w, r)
	if !ok {
		return
	}
	req, ok := s.signed(w, r)
	if !ok || !s.ownerOnly(w, r, world, req.Signer, "change its settings") {
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		httpx.JSON(w, http.StatusBadRequest, map[string]string{"error": "The settings are a multipart form."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 2<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		httpx.JSON(w, http.StatusBadRequest, map[string]string{"error": "Malformed multipart body: " + err.Error()})
		return
	}
	defer r.MultipartForm.RemoveAll()
	st, err := s.loadSettings(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	f := r.MultipartForm.Value
	bad := func(msg string) { httpx.JSON(w, http.StatusBadRequest, map[string]string{"error": msg}) }
	if v, ok := f["title"]; ok && len(v) > 0 {
		if n := len([]rune(v[0])); n < 3 || n > maxTitle {
			bad(fmt.Sprintf("Invalid title: %s. Expected between 3 and %d characters.", truncate(v[0]), maxTitle))
			return
		}
		st.Title = v[0]
	}
	if v, ok := f["description"]; ok && len(v) > 0 {
		if n := len([]rune(v[0])); n < 3 || n > maxDescription {
			bad(fmt.Sprintf("Invalid description: expected between 3 and %d characters.", maxDescription))
			return
		}
		st.Description = v[0]
	}
	if v, ok := f["content_rating"]; ok && len(v) > 0 {
		if !slices.Contains([]string{"RP", "E", "T", "A", "R"}, v[0]) {
			bad(fmt.Sprintf("Invalid content rating: %s. Expected one of: RP, E, T, A, R", truncate(v[0])))
			return
		}
		st.ContentRating = v[0]
	}
	if v, ok := f["spawn_coordinates"]; ok && len(v) > 0 {
		if _, _, ok := entity.ParseParcel(v[0]); !ok {
			bad(fmt.Sprintf("Invalid spawnCoordinates format: %q.", truncate(v[0])))
			return
		}
		st.SpawnCoordinates = v[0]
	}
	if v, ok := f["skybox_time"]; ok && len(v) > 0 {
		if v[0] == "null" {
			st.SkyboxTime = nil
		} else if n, err := strconv.Atoi(v[0]); err == nil && n >= 0 && n <= 86400 {
			st.SkyboxTime = &n
		} else {
			bad("Invalid skybox_time: seconds of the day, or null.")
			return
		}
	}
	if v, ok := f["categories"]; ok {
		if len(v) == 1 && v[0] == "null" {
			v = []string{}
		}
		if len(v) > maxCategories {
			bad(fmt.Sprintf("Invalid categories: %d items. Expected at most %d", len(v), maxCategories))
			return
		}
		st.Categories = v
	}
	if v, ok := f["single_player"]; ok && len(v) > 0 {
		st.SinglePlayer = v[0] == "true"
	}
	if v, ok := f["show_in_places"]; ok && len(v) > 0 {
		st.ShowInPlaces = v[0] == "true"
	}
	st.SettingsVersion++
	b, _ := json.Marshal(st)
	if err := s.ks.Write(r.Context(), map[string][]byte{"settings/" + world: b}); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	s.settingsChanged(r.Context(), world, st)
	httpx.JSON(w, http.StatusOK, map[string]any{"message": "World settings updated successfully", "settings": st})
}

// settingsChanged tells the platform a world's settings or permissions
// changed (world_settings_changed).
func (s *Service) settingsChanged(ctx context.Context, world string, settings any) {
	if s.cfg.Platform == nil {
		return
	}
	now := s.cfg.Now().UnixMilli()
	ev, err := events.New("worlds", "world_settings_changed", fmt.Sprintf("world-settings-%s-%d", world, now), now, map[string]any{"worldName": world, "settings": settings})
	if err == nil {
		s.cfg.Platform.PublishAsync(ev)
	}
}

// POST /worlds/{world}/comms and /worlds/{world}/scenes/{scene}/comms: a
// LiveKit connection to the world's room (or a scene's) on the node's SFU,
// once the world's access admits the signer.
func (s *Service) comms(w http.ResponseWriter, r *http.Request) {
	world, ok := worldName(w, r)
	if !ok {
		return
	}
	req, ok := s.signed(w, r)
	if !ok {
		return
	}
	if s.cfg.Banned != nil && s.cfg.Banned(req.Signer) {
		httpx.Error(w, http.StatusUnauthorized, "You are banned from comms on this node.")
		return
	}
	scenes, err := s.Scenes(r.Context(), world)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if len(scenes) == 0 {
		httpx.Error(w, http.StatusNotFound, fmt.Sprintf("World %q has no scene deployed.", world))
		return
	}
	room := "world-" + world
	if scene := r.PathValue("scene"); scene != "" {
		found := false
		for _, d := range scenes {
			found = found || d.ID == scene
		}
		if !found {
			httpx.Error(w, http.StatusNotFound, fmt.Sprintf("Scene %s is not deployed in world %q.", truncate(scene), world))
			return
		}
		room = "world-scene-room-" + world + "-" + scene
	}
	if status, msg := s.mayJoin(r, world, req.Signer, req.Metadata); status != 0 {
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", strconv.Itoa(int(secretWindow.Seconds())))
		}
		if status == http.StatusInternalServerError {
			httpx.Internal(w, s.log, r, errors.New(msg))
			return
		}
		httpx.JSON(w, status, map[string]string{"error": msg})
		return
	}
	if s.cfg.Comms == nil {
		httpx.Error(w, http.StatusServiceUnavailable, "This node has no comms.")
		return
	}
	adapter, err := s.cfg.Comms(r, req.Signer, room)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]string{"fixedAdapter": adapter})
}

package places

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

type fixture struct {
	t   *testing.T
	p   *deploy.Pipeline
	srv *httptest.Server
}

func newFixture(t *testing.T) *fixture {
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	bus := events.NewBus(events.Config{Store: st})
	svc := New(Config{Store: st, Bus: bus, AdminToken: func() string { return "admin-secret" }})
	if err := bus.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Stop(context.Background()); st.Close() })
	mux := http.NewServeMux()
	svc.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{t: t, p: deploy.New(deploy.Config{Store: st, RateLimits: map[entity.Type]time.Duration{}}), srv: srv}
}

var clock = time.Now().Add(-15 * time.Minute)

// scene deploys a scene of title on parcels (the first is the base).
func (f *fixture) scene(id *entitytest.Identity, title string, tags []string, parcels ...string) *entitytest.Deployment {
	f.t.Helper()
	clock = clock.Add(time.Second)
	meta := map[string]any{
		"main": "bin/index.js", "scene": map[string]any{"base": parcels[0], "parcels": parcels},
		"display": map[string]any{"title": title, "navmapThumbnail": "thumb.png"}, "tags": tags,
	}
	d := entitytest.Build(id, entity.Scene, parcels, clock, meta, map[string][]byte{"bin/index.js": []byte(title), "thumb.png": []byte("png " + title)})
	files := []deploy.File{{Data: d.File, Size: int64(len(d.File))}}
	for _, b := range d.Files {
		files = append(files, deploy.File{Data: b, Size: int64(len(b))})
	}
	if _, err := f.p.Deploy(context.Background(), deploy.Request{EntityID: d.ID, AuthChain: d.AuthChain, Files: files, Origin: deploy.Local}); err != nil {
		f.t.Fatal(err)
	}
	return d
}

type placeJSON struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Positions    []string `json:"positions"`
	BasePosition string   `json:"base_position"`
	Image        string   `json:"image"`
	Categories   []string `json:"categories"`
	Likes        int      `json:"likes"`
	Dislikes     int      `json:"dislikes"`
	Favorites    int      `json:"favorites"`
	UserLike     bool     `json:"user_like"`
	UserFavorite bool     `json:"user_favorite"`
	Disabled     bool     `json:"disabled"`
	Creator      string   `json:"creator_address"`
}

func (f *fixture) do(method, path string, body any, signer *entitytest.Identity, metadata string, into any) int {
	f.t.Helper()
	var r *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	} else {
		r = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, r)
	if signer != nil {
		signer.SignRequest(req, metadata)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	var env struct {
		OK    bool            `json:"ok"`
		Data  json.RawMessage `json:"data"`
		Total int             `json:"total"`
	}
	json.NewDecoder(res.Body).Decode(&env)
	if into != nil && env.OK {
		json.Unmarshal(env.Data, into)
	}
	return res.StatusCode
}

// waitPlaces waits until the places on a parcel are as want says.
func (f *fixture) placeOn(pos string, want func(placeJSON) bool) placeJSON {
	f.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var list []placeJSON
		f.do("GET", Prefix+"/places?positions="+pos, nil, nil, "", &list)
		if len(list) == 1 && want(list[0]) {
			return list[0]
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("places on %s: %+v", pos, list)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPlacesFromScenes: a place per scene as it applies; ADR-186 keeps
// its id when a new scene covers all its parcels or keeps its base.
func TestPlacesFromScenes(t *testing.T) {
	f := newFixture(t)
	owner := entitytest.NewIdentity()
	f.scene(owner, "First", []string{"art", "not-a-category"}, "0,0", "0,1")
	p1 := f.placeOn("0,0", func(p placeJSON) bool { return p.Title == "First" })
	if p1.BasePosition != "0,0" || len(p1.Positions) != 2 || p1.Creator != owner.Address || len(p1.Categories) != 1 || p1.Categories[0] != "art" {
		t.Fatalf("the first place: %+v", p1)
	}
	if p1.Image == "" || !bytes.Contains([]byte(p1.Image), []byte("/content/contents/")) {
		t.Errorf("image %q", p1.Image)
	}
	// A scene over all its parcels and one more: the same place.
	f.scene(owner, "Bigger", nil, "0,0", "0,1", "0,2")
	if p := f.placeOn("0,2", func(p placeJSON) bool { return p.Title == "Bigger" }); p.ID != p1.ID {
		t.Errorf("covering all parcels made a new place: %s, was %s", p.ID, p1.ID)
	}
	// Another base on one parcel: a new place; the first loses the parcel.
	other := f.scene(entitytest.NewIdentity(), "Corner", nil, "0,1")
	_ = other
	p2 := f.placeOn("0,1", func(p placeJSON) bool { return p.Title == "Corner" })
	if p2.ID == p1.ID {
		t.Fatal("another base kept the place's id")
	}
	if p := f.placeOn("0,2", func(p placeJSON) bool { return p.Title == "Bigger" }); len(p.Positions) != 2 {
		t.Errorf("the first place after losing a parcel: %+v", p)
	}
	// The same base on fewer parcels: still the first place.
	f.scene(owner, "Smaller", nil, "0,0")
	if p := f.placeOn("0,0", func(p placeJSON) bool { return p.Title == "Smaller" }); p.ID != p1.ID || len(p.Positions) != 1 {
		t.Errorf("the same base: %+v (was %s)", p, p1.ID)
	}
	var cats []map[string]any
	f.do("GET", Prefix+"/categories", nil, nil, "", &cats)
	for _, c := range cats {
		if c["name"] == "art" && c["count"].(float64) != 0 {
			t.Errorf("art still counts a place that dropped the tag: %v", c)
		}
	}
	var found []placeJSON
	if f.do("GET", Prefix+"/places?search=corn", nil, nil, "", &found); len(found) != 1 || found[0].ID != p2.ID {
		t.Errorf("search: %+v", found)
	}
}

func TestLikesAndFavorites(t *testing.T) {
	f := newFixture(t)
	f.scene(entitytest.NewIdentity(), "Liked", nil, "5,5")
	p := f.placeOn("5,5", func(placeJSON) bool { return true })
	u := entitytest.NewIdentity()
	path := Prefix + "/places/" + p.ID + "/likes"
	var res map[string]any
	if status := f.do("PATCH", path, map[string]any{"like": true}, nil, "", nil); status != 401 {
		t.Errorf("unsigned like: %d", status)
	}
	if status := f.do("PATCH", path, map[string]any{"like": true}, u, `{"signer":"decentraland-kernel-scene"}`, nil); status != 401 {
		t.Errorf("a scene's like: %d", status)
	}
	if status := f.do("PATCH", path, map[string]any{"like": true}, u, "", &res); status != 200 || res["likes"].(float64) != 1 || res["user_like"] != true {
		t.Fatalf("like: %d %v", status, res)
	}
	var seen placeJSON
	f.do("GET", Prefix+"/places/"+p.ID, nil, u, "", &seen)
	if seen.Likes != 1 || !seen.UserLike {
		t.Errorf("the liker's view: %+v", seen)
	}
	f.do("PATCH", path, map[string]any{"like": false}, u, "", &res)
	if res["likes"].(float64) != 0 || res["dislikes"].(float64) != 1 {
		t.Errorf("dislike: %v", res)
	}
	f.do("PATCH", path, map[string]any{"like": nil}, u, "", &res)
	if res["likes"].(float64) != 0 || res["dislikes"].(float64) != 0 {
		t.Errorf("no opinion: %v", res)
	}
	fav := Prefix + "/places/" + p.ID + "/favorites"
	for range 2 { // twice: counted once
		f.do("PATCH", fav, map[string]any{"favorites": true}, u, "", &res)
	}
	if res["favorites"].(float64) != 1 {
		t.Errorf("favorites: %v", res)
	}
	var mine []placeJSON
	if f.do("GET", Prefix+"/places?only_favorites=true", nil, u, "", &mine); len(mine) != 1 || !mine[0].UserFavorite {
		t.Errorf("only favorites: %+v", mine)
	}
	if status := f.do("PATCH", Prefix+"/places/nope/likes", map[string]any{"like": true}, u, "", nil); status != 404 {
		t.Errorf("an unknown place: %d", status)
	}
}

func TestAdminRoutes(t *testing.T) {
	f := newFixture(t)
	f.scene(entitytest.NewIdentity(), "Admin me", nil, "9,9")
	p := f.placeOn("9,9", func(placeJSON) bool { return true })
	put := func(path, token string, body any) int {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("PUT", f.srv.URL+Prefix+"/places/"+p.ID+path, bytes.NewReader(b))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if status := put("/highlight", "", map[string]any{"highlighted": true}); status != 401 {
		t.Errorf("without the token: %d", status)
	}
	if status := put("/highlight", "wrong", map[string]any{"highlighted": true}); status != 401 {
		t.Errorf("a wrong token: %d", status)
	}
	if status := put("/highlight", "admin-secret", map[string]any{"highlighted": true}); status != 200 {
		t.Fatalf("highlight: %d", status)
	}
	var hl []placeJSON
	if f.do("GET", Prefix+"/places?only_highlighted=true", nil, nil, "", &hl); len(hl) != 1 {
		t.Errorf("highlighted places: %+v", hl)
	}
	if status := put("/rating", "admin-secret", map[string]any{"content_rating": "X"}); status != 400 {
		t.Errorf("a bad rating: %d", status)
	}
	if status := put("/disable", "admin-secret", map[string]any{"disabled": true, "disabled_reason": "spam"}); status != 200 {
		t.Fatalf("disable: %d", status)
	}
	var list []placeJSON
	if f.do("GET", Prefix+"/places?positions=9,9", nil, nil, "", &list); len(list) != 0 {
		t.Errorf("a disabled place is listed: %+v", list)
	}
}

func TestMapAndReports(t *testing.T) {
	f := newFixture(t)
	owner := entitytest.NewIdentity()
	f.scene(owner, "Mapped", nil, "3,3", "3,4")
	f.placeOn("3,3", func(p placeJSON) bool { return p.Title == "Mapped" })
	var byBase map[string]map[string]any
	if code := f.do("GET", Prefix+"/map", nil, nil, "", &byBase); code != 200 || byBase["3,3"]["title"] != "Mapped" || byBase["3,3"]["positions"] != nil {
		t.Fatalf("map: %d %v", code, byBase)
	}
	var all []placeJSON
	if f.do("GET", Prefix+"/map/places", nil, nil, "", &all); len(all) != 1 {
		t.Fatalf("map/places: %+v", all)
	}

	// A report: a signed user gets a one-minute URL of the node, PUTs once.
	var slot struct{ Filename, SignedURL string }
	if code := f.do("POST", Prefix+"/reportSignedUrl", map[string]string{"mimetype": "text/html"}, owner, "", nil); code != 400 {
		t.Fatalf("a report of another type: %d", code)
	}
	if code := f.do("POST", Prefix+"/reportSignedUrl", map[string]string{"mimetype": "application/json"}, owner, "", &slot); code != 200 || !strings.Contains(slot.SignedURL, "/places/api/reports/"+slot.Filename+"?token=") {
		t.Fatalf("signed url: %d %+v", code, slot)
	}
	put := func(url, ct string) int {
		req, _ := http.NewRequest("PUT", url, strings.NewReader(`{"reason":"spam"}`))
		req.Header.Set("Content-Type", ct)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := put(strings.Split(slot.SignedURL, "?")[0]+"?token=forged", "application/json"); code != 403 {
		t.Fatalf("a forged token: %d", code)
	}
	if code := put(slot.SignedURL, "text/plain"); code != 400 {
		t.Fatalf("another content type: %d", code)
	}
	if code := put(slot.SignedURL, "application/json"); code != 200 {
		t.Fatalf("upload: %d", code)
	}
	if code := put(slot.SignedURL, "application/json"); code != 403 {
		t.Fatalf("a second upload: %d", code)
	}
	req, _ := http.NewRequest("GET", f.srv.URL+Prefix+"/reports/"+slot.Filename, nil)
	req.Header.Set("Authorization", "Bearer admin-secret")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("the admin reads the report: %v %v", err, res)
	}
	res.Body.Close()
}

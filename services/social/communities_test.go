package social

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// do sends a request (signed by id unless nil) and decodes a JSON answer.
func (f *fixture) do(t *testing.T, id *entitytest.Identity, method, path, contentType string, body []byte) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if id != nil {
		id.SignRequest(req, "")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	json.Unmarshal(b, &m)
	return res.StatusCode, m
}

func (f *fixture) json(t *testing.T, id *entitytest.Identity, method, path string, body any) (int, map[string]any) {
	b, _ := json.Marshal(body)
	return f.do(t, id, method, path, "application/json", b)
}

// form is a community form: fields and an optional thumbnail.
func form(fields map[string]string, thumbnail []byte) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if thumbnail != nil {
		fw, _ := w.CreateFormFile("thumbnail", "t.png")
		fw.Write(thumbnail)
	}
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

func png(size int) []byte {
	return append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, size)...)
}

func (f *fixture) create(t *testing.T, id *entitytest.Identity, fields map[string]string) (int, map[string]any) {
	body, ct := form(fields, png(2048))
	return f.do(t, id, "POST", "/social/v1/communities", ct, body)
}

func dataOf(m map[string]any) map[string]any { d, _ := m["data"].(map[string]any); return d }

func results(m map[string]any) []any { r, _ := dataOf(m)["results"].([]any); return r }

func TestCommunities(t *testing.T) {
	f := newFixture(t, nil)
	owner, mod, member, outsider := f.user(t, "owner"), f.user(t, "mod"), f.user(t, "member"), f.user(t, "outsider")

	// Bad inputs are refused and store nothing.
	for name, fields := range map[string]map[string]string{
		"no name":        {"description": "d"},
		"long name":      {"name": strings.Repeat("n", 31), "description": "d"},
		"no description": {"name": "n"},
		"bad privacy":    {"name": "n", "description": "d", "privacy": "secret"},
		"bad places":     {"name": "n", "description": "d", "placeIds": "{"},
	} {
		if code, _ := f.create(t, owner, fields); code != 400 {
			t.Errorf("%s: %d", name, code)
		}
	}
	body, ct := form(map[string]string{"name": "n", "description": "d"}, []byte("GIF89a not a png or jpeg, padded..."+strings.Repeat(".", 2048)))
	if code, _ := f.do(t, owner, "POST", "/social/v1/communities", ct, body); code != 400 {
		t.Errorf("a GIF thumbnail: %d", code)
	}
	body, ct = form(map[string]string{"name": "n", "description": "d"}, png(600<<10))
	if code, _ := f.do(t, owner, "POST", "/social/v1/communities", ct, body); code != 400 {
		t.Errorf("a thumbnail over 500 KiB: %d", code)
	}
	if code, _ := f.create(t, nil, map[string]string{"name": "n", "description": "d"}); code != 401 {
		t.Errorf("unsigned: %d", code)
	}
	if code, m := f.do(t, nil, "GET", "/social/v1/communities", "", nil); code != 200 || len(results(m)) != 0 {
		t.Fatalf("refused creations stored something: %d %v", code, m)
	}

	code, m := f.create(t, owner, map[string]string{"name": "Builders", "description": "We build"})
	c := dataOf(m)
	if code != 201 || c["ownerAddress"] != owner.Address || c["ownerName"] != "owner" || c["privacy"] != "public" || c["thumbnails"] == nil {
		t.Fatalf("create: %d %v", code, m)
	}
	id := c["id"].(string)
	base := "/social/v1/communities/" + id
	thumb, _ := c["thumbnails"].(map[string]any)["raw"].(string)
	if res, err := http.Get(thumb); err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("thumbnail %s: %v %v", thumb, res, err)
	}

	for _, u := range []*entitytest.Identity{mod, member} {
		if code, _ := f.do(t, u, "POST", base+"/members", "", nil); code != 204 {
			t.Fatalf("join: %d", code)
		}
	}
	// Roles: only the owner assigns; nobody makes an owner.
	if code, _ := f.json(t, member, "PATCH", base+"/members/"+mod.Address, map[string]string{"role": "moderator"}); code != 401 {
		t.Fatalf("a member assigns a role: %d", code)
	}
	if code, _ := f.json(t, owner, "PATCH", base+"/members/"+mod.Address, map[string]string{"role": "owner"}); code != 401 {
		t.Fatalf("a second owner: %d", code)
	}
	if code, _ := f.json(t, owner, "PATCH", base+"/members/"+mod.Address, map[string]string{"role": "moderator"}); code != 204 {
		t.Fatalf("owner makes a moderator: %d", code)
	}
	if code, _ := f.json(t, owner, "PATCH", base+"/members/"+mod.Address, map[string]string{"role": "admin"}); code != 400 {
		t.Fatalf("an unknown role: %d", code)
	}
	code, m = f.do(t, member, "GET", base+"/members", "", nil)
	if code != 200 || dataOf(m)["total"].(float64) != 3 || results(m)[0].(map[string]any)["role"] != "owner" {
		t.Fatalf("members: %d %v", code, m)
	}

	// Posts: moderators and the owner write; members like.
	if code, _ := f.json(t, member, "POST", base+"/posts", map[string]string{"content": "hi"}); code != 401 {
		t.Fatalf("a member posts: %d", code)
	}
	if code, _ := f.json(t, mod, "POST", base+"/posts", map[string]string{"content": "   "}); code != 400 {
		t.Fatalf("an empty post: %d", code)
	}
	code, m = f.json(t, mod, "POST", base+"/posts", map[string]string{"content": "welcome"})
	if code != 201 {
		t.Fatalf("post: %d %v", code, m)
	}
	postID := dataOf(m)["id"].(string)
	if code, _ := f.do(t, member, "POST", base+"/posts/"+postID+"/like", "", nil); code != 204 {
		t.Fatalf("like: %d", code)
	}
	code, m = f.do(t, member, "GET", base+"/posts", "", nil)
	posts, _ := dataOf(m)["posts"].([]any)
	if code != 200 || len(posts) != 1 || posts[0].(map[string]any)["likesCount"].(float64) != 1 || posts[0].(map[string]any)["isLikedByUser"] != true {
		t.Fatalf("posts: %d %v", code, m)
	}

	// Kicks and bans follow the roles.
	if code, _ := f.do(t, member, "DELETE", base+"/members/"+mod.Address, "", nil); code != 401 {
		t.Fatalf("a member kicks a moderator: %d", code)
	}
	if code, _ := f.do(t, mod, "POST", base+"/members/"+owner.Address+"/bans", "", nil); code != 401 {
		t.Fatalf("a moderator bans the owner: %d", code)
	}
	if code, _ := f.do(t, mod, "POST", base+"/members/"+member.Address+"/bans", "", nil); code != 204 {
		t.Fatalf("a moderator bans a member: %d", code)
	}
	if code, _ := f.do(t, member, "POST", base+"/members", "", nil); code != 401 {
		t.Fatalf("a banned user joins: %d", code)
	}
	code, m = f.do(t, mod, "GET", base+"/bans", "", nil)
	if code != 200 || len(results(m)) != 1 {
		t.Fatalf("bans: %d %v", code, m)
	}
	if code, _ := f.do(t, owner, "DELETE", base+"/members/"+owner.Address, "", nil); code != 401 {
		t.Fatalf("the owner leaves: %d", code)
	}

	// A private community: its content is for members; a request to join
	// is accepted by a manager.
	code, m = f.create(t, owner, map[string]string{"name": "Secret", "description": "shh", "privacy": "private"})
	if code != 201 {
		t.Fatalf("private: %d %v", code, m)
	}
	pid := dataOf(m)["id"].(string)
	pbase := "/social/v1/communities/" + pid
	if code, _ := f.do(t, nil, "GET", pbase, "", nil); code != 404 {
		t.Fatalf("unsigned read of a private community: %d", code)
	}
	if code, _ := f.do(t, outsider, "GET", pbase+"/members", "", nil); code != 401 {
		t.Fatalf("an outsider lists private members: %d", code)
	}
	if code, _ := f.do(t, outsider, "POST", pbase+"/members", "", nil); code != 401 {
		t.Fatalf("an outsider joins a private community: %d", code)
	}
	code, m = f.json(t, outsider, "POST", pbase+"/requests", map[string]string{"targetedAddress": outsider.Address, "type": "request_to_join"})
	if code != 200 || dataOf(m)["status"] != "pending" {
		t.Fatalf("request to join: %d %v", code, m)
	}
	reqID := dataOf(m)["id"].(string)
	if code, _ := f.do(t, mod, "GET", pbase+"/requests", "", nil); code != 401 {
		t.Fatalf("a non-member views requests: %d", code)
	}
	if code, _ := f.json(t, outsider, "PATCH", pbase+"/requests/"+reqID, map[string]string{"intention": "accepted"}); code != 401 {
		t.Fatalf("the requester accepts their own request: %d", code)
	}
	if code, _ := f.json(t, owner, "PATCH", pbase+"/requests/"+reqID, map[string]string{"intention": "accepted"}); code != 204 {
		t.Fatalf("the owner accepts: %d", code)
	}
	if code, m := f.do(t, outsider, "GET", pbase+"/members", "", nil); code != 200 || dataOf(m)["total"].(float64) != 2 {
		t.Fatalf("after accepting: %d %v", code, m)
	}

	// Listing: unsigned sees public ones only; the member's communities.
	if _, m := f.do(t, nil, "GET", "/social/v1/communities", "", nil); len(results(m)) != 1 {
		t.Fatalf("public list: %v", m)
	}
	if _, m := f.do(t, owner, "GET", "/social/v1/communities", "", nil); len(results(m)) != 2 || results(m)[0].(map[string]any)["role"] != "owner" {
		t.Fatalf("signed list: %v", m)
	}

	// Editing and deleting: owner only (moderators may edit the info).
	b, ct := form(map[string]string{"description": "We build more"}, nil)
	if code, m := f.do(t, mod, "PUT", base, ct, b); code != 200 || dataOf(m)["description"] != "We build more" {
		t.Fatalf("a moderator edits: %d %v", code, m)
	}
	b, ct = form(map[string]string{"name": "Renamed"}, nil)
	if code, _ := f.do(t, mod, "PUT", base, ct, b); code != 401 {
		t.Fatalf("a moderator renames: %d", code)
	}
	if code, _ := f.do(t, mod, "DELETE", base, "", nil); code != 401 {
		t.Fatalf("a moderator deletes: %d", code)
	}
	if code, _ := f.do(t, owner, "DELETE", base, "", nil); code != 204 {
		t.Fatalf("the owner deletes: %d", code)
	}
	if code, _ := f.do(t, owner, "GET", base, "", nil); code != 404 {
		t.Fatalf("a deleted community: %d", code)
	}
	evs, _ := f.st.ReadEvents(t.Context(), 0, 100)
	var subs []string
	for _, e := range evs {
		if e.Type == "community" {
			subs = append(subs, e.SubType)
		}
	}
	want := "community-post-added community-member-banned community-request-to-join-received community-request-to-join-accepted community-deleted"
	if strings.Join(subs, " ") != want {
		t.Fatalf("events: %v", subs)
	}
}

func TestCommunitiesPerOwner(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Limits = DefaultLimits
		c.Limits.CommunitiesPerOwner = 1
	})
	owner := f.user(t, "owner")
	if code, _ := f.create(t, owner, map[string]string{"name": "one", "description": "d"}); code != 201 {
		t.Fatal(code)
	}
	if code, _ := f.create(t, owner, map[string]string{"name": "two", "description": "d"}); code != 400 {
		t.Fatalf("past the bound: %d", code)
	}
	// Names from chain data, when the node has them.
	g := newFixture(t, func(c *Config) {
		c.OwnsName = func(context.Context, string) (bool, error) { return false, nil }
	})
	u := g.user(t, "nameless")
	if code, _ := g.create(t, u, map[string]string{"name": "x", "description": "d"}); code != 401 {
		t.Fatalf("without a NAME: %d", code)
	}
}

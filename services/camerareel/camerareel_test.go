package camerareel

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
)

type fixture struct {
	t   *testing.T
	st  *store.Store
	srv *httptest.Server
}

func newFixture(t *testing.T) *fixture {
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := New(Config{Store: st, Bus: events.NewBus(events.Config{Store: st})})
	mux := http.NewServeMux()
	svc.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{t: t, st: st, srv: srv}
}

func picture(format string, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	if format == "png" {
		png.Encode(&b, img)
	} else {
		jpeg.Encode(&b, img, nil)
	}
	return b.Bytes()
}

// upload posts an image; signer nil: unsigned.
func (f *fixture) upload(signer *entitytest.Identity, metadata string, data []byte, public bool) (int, map[string]any) {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("image", "photo")
	fw.Write(data)
	mw.WriteField("metadata", metadata)
	if public {
		mw.WriteField("is_public", "true")
	}
	mw.Close()
	req, _ := http.NewRequest("POST", f.srv.URL+Prefix+"/images", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if signer != nil {
		signer.SignRequest(req, metadataOf(metadata))
	}
	return f.send(req)
}

func metadataOf(m string) string {
	if m == `{"signer":"decentraland-kernel-scene"}` {
		return m
	}
	return ""
}

func (f *fixture) send(req *http.Request) (int, map[string]any) {
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

func (f *fixture) get(path string, signer *entitytest.Identity) (int, map[string]any) {
	req, _ := http.NewRequest("GET", f.srv.URL+Prefix+path, nil)
	if signer != nil {
		signer.SignRequest(req, "")
	}
	return f.send(req)
}

func TestUploadAndList(t *testing.T) {
	f := newFixture(t)
	alice, bob := entitytest.NewIdentity(), entitytest.NewIdentity()
	meta := `{"placeId":"place-1","realm":"main","scene":{"name":"Plaza","location":{"x":"0","y":"0"}}}`
	status, res := f.upload(alice, meta, picture("png", 800, 600), true)
	if status != 200 {
		t.Fatalf("upload: %d %v", status, res)
	}
	img := res["image"].(map[string]any)
	if img["metadata"].(map[string]any)["userAddress"] != alice.Address {
		t.Errorf("the photographer is not the signer: %v", img)
	}
	// The thumbnail is a JPEG of 320 px.
	tres, err := http.Get(img["thumbnailUrl"].(string))
	if err != nil {
		t.Fatal(err)
	}
	thumb, format, err := image.Decode(tres.Body)
	tres.Body.Close()
	if err != nil || format != "jpeg" || thumb.Bounds().Dx() != 320 || thumb.Bounds().Dy() != 240 {
		t.Errorf("thumbnail: %v %s %v", err, format, thumb)
	}
	if status, _ := f.upload(alice, "{}", picture("jpeg", 64, 64), false); status != 200 {
		t.Errorf("a private JPEG: %d", status)
	}
	// Refusals: nothing stored.
	for name, c := range map[string]struct {
		signer *entitytest.Identity
		meta   string
		data   []byte
		want   int
	}{
		"unsigned":        {nil, "{}", picture("png", 8, 8), 401},
		"a scene":         {alice, `{"signer":"decentraland-kernel-scene"}`, picture("png", 8, 8), 401},
		"not an image":    {alice, "{}", []byte("GIF89a not really"), 400},
		"over 5 MiB":      {alice, "{}", bytes.Repeat([]byte{1}, MaxBytes+10), 400},
		"broken metadata": {alice, "{", picture("png", 8, 8), 400},
	} {
		if status, res := f.upload(c.signer, c.meta, c.data, true); status != c.want {
			t.Errorf("%s: %d %v, want %d", name, status, res, c.want)
		}
	}
	// Alice sees both, others the public one.
	_, mine := f.get("/users/"+alice.Address+"/images", alice)
	_, theirs := f.get("/users/"+alice.Address+"/images", bob)
	if mine["currentImages"].(float64) != 2 || theirs["currentImages"].(float64) != 1 {
		t.Errorf("alice sees %v, bob %v", mine["currentImages"], theirs["currentImages"])
	}
	if _, byPlace := f.get("/places/place-1/images", nil); len(byPlace["images"].([]any)) != 1 {
		t.Errorf("by place: %v", byPlace)
	}
	id := img["id"].(string)
	// Only the owner hides or deletes.
	patch := func(signer *entitytest.Identity) int {
		req, _ := http.NewRequest("PATCH", f.srv.URL+Prefix+"/images/"+id+"/visibility", bytes.NewReader([]byte(`{"is_public":false}`)))
		signer.SignRequest(req, "")
		status, _ := f.send(req)
		return status
	}
	if status := patch(bob); status != 403 {
		t.Errorf("bob hiding alice's image: %d", status)
	}
	if status := patch(alice); status != 200 {
		t.Errorf("alice hiding her image: %d", status)
	}
	if _, byPlace := f.get("/places/place-1/images", nil); len(byPlace["images"].([]any)) != 0 {
		t.Errorf("a hidden image is listed by place: %v", byPlace)
	}
	del := func(signer *entitytest.Identity) int {
		req, _ := http.NewRequest("DELETE", f.srv.URL+Prefix+"/images/"+id, nil)
		signer.SignRequest(req, "")
		status, _ := f.send(req)
		return status
	}
	if del(bob) != 403 || del(alice) != 200 {
		t.Error("delete: only the owner")
	}
	if status, _ := f.get("/images/"+id+"/metadata", nil); status != 404 {
		t.Errorf("a deleted image: %d", status)
	}
}

func TestQuota(t *testing.T) {
	f := newFixture(t)
	u := entitytest.NewIdentity()
	small := picture("png", 4, 4)
	for i := 0; i < MaxImages; i++ {
		if status, res := f.upload(u, "{}", small, false); status != 200 {
			t.Fatalf("upload %d: %d %v", i, status, res)
		}
	}
	if status, res := f.upload(u, "{}", small, false); status != 403 || res["reason"] != "maxLimitReached" {
		t.Fatalf("past the quota: %d %v", status, res)
	}
}

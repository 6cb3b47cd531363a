package node

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// TestPlacesServed: a scene deployed to the node is a place at
// /places/api/places soon after.
func TestPlacesServed(t *testing.T) {
	_, base := startNode(t, nil)
	c := client{t, base}
	d := entitytest.Scene(entitytest.NewIdentity(), time.Now(), []string{"7,7", "7,8"}, map[string][]byte{"bin/index.js": []byte("x")})
	if status, body := c.deploy(d); status != 200 {
		t.Fatalf("deploy: %d %v", status, body)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		var res struct {
			OK    bool             `json:"ok"`
			Total int              `json:"total"`
			Data  []map[string]any `json:"data"`
		}
		c.json("GET", "/places/api/places?positions=7,8", nil, &res)
		if res.OK && res.Total == 1 && res.Data[0]["title"] == "test scene" && res.Data[0]["base_position"] == "7,7" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("places: %+v", res)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCameraReelServed: a photo uploaded to the node comes back as a
// thumbnail through its HTTP stack.
func TestCameraReelServed(t *testing.T) {
	_, base := startNode(t, nil)
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	var pic bytes.Buffer
	png.Encode(&pic, img)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("image", "photo.png")
	fw.Write(pic.Bytes())
	mw.WriteField("metadata", `{"realm":"main"}`)
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/camera-reel/api/images", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	entitytest.NewIdentity().SignRequest(req, "")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Image struct {
			ThumbnailURL string `json:"thumbnailUrl"`
		} `json:"image"`
	}
	json.NewDecoder(res.Body).Decode(&out)
	res.Body.Close()
	if res.StatusCode != 200 || out.Image.ThumbnailURL == "" {
		t.Fatalf("upload: %d %+v", res.StatusCode, out)
	}
	th, err := http.Get(out.Image.ThumbnailURL)
	if err != nil {
		t.Fatal(err)
	}
	defer th.Body.Close()
	if cfg, format, err := image.DecodeConfig(th.Body); err != nil || format != "jpeg" || cfg.Width != 320 {
		t.Errorf("thumbnail: %v %s %+v", err, format, cfg)
	}
}

package node

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// Every bad input gets a 4xx with a JSON error and changes nothing.
func TestBadInputChangesNothing(t *testing.T) {
	n, base := startNode(t, nil)
	c := client{t, base}
	alice := entitytest.NewIdentity()
	now := time.Now()
	if status, res := c.deploy(entitytest.Profile(alice, now.Add(-time.Minute), "alice")); status != 200 {
		t.Fatalf("setup: %d %v", status, res)
	}
	seq := n.Store.LastSeq()

	multipartOf := func(fields map[string]string, files ...[]byte) (string, *bytes.Buffer) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for k, v := range fields {
			w.WriteField(k, v)
		}
		for i, f := range files {
			fw, _ := w.CreateFormFile(fmt.Sprint("f", i), fmt.Sprint("f", i))
			fw.Write(f)
		}
		w.Close()
		return w.FormDataContentType(), &b
	}
	good := entitytest.Profile(entitytest.NewIdentity(), now, "bob")
	chainJSON, _ := json.Marshal(good.AuthChain)

	type req struct {
		method, path, ct string
		body             string
		want             int
		text             string
	}
	ct, body := multipartOf(map[string]string{"authChain": string(chainJSON)}, good.File)
	ct2, body2 := multipartOf(map[string]string{"entityId": good.ID, "authChain": "{not json"}, good.File)
	ct3, body3 := multipartOf(map[string]string{"entityId": good.ID}, good.File)
	ct4, body4 := multipartOf(map[string]string{"entityId": good.ID, "authChain[0][type]": "SIGNER", "authChain[0][payload]": "0x1", "authChain[2][type]": "X"}, good.File)
	ct5, body5 := multipartOf(map[string]string{"entityId": good.ID, "authChain": string(chainJSON)})
	other := entitytest.NewIdentity()
	ct6, body6 := multipartOf(map[string]string{"entityId": good.ID, "authChain": mustJSON(other.Chain(good.ID))}, good.File)
	cases := []req{
		{"POST", "/content/entities", "application/json", `{}`, 400, "multipart"},
		{"POST", "/content/entities", ct, body.String(), 400, "entityId"},
		{"POST", "/content/entities", ct2, body2.String(), 400, "Invalid auth chain"},
		{"POST", "/content/entities", ct3, body3.String(), 400, "No auth chain"},
		{"POST", "/content/entities", ct4, body4.String(), 400, "Missing auth chain element at index 1"},
		{"POST", "/content/entities", ct5, body5.String(), 400, "Failed to find the entity file."},
		{"POST", "/content/entities", ct6, body6.String(), 400, "your own profile"},
		{"POST", "/content/entities", "multipart/form-data; boundary=xx", "--xx\r\ngarbage", 400, "error"},
		{"POST", "/content/entities/active", "application/json", `{"ids":[],"pointers":[]}`, 400, "not both"},
		{"POST", "/content/entities/active", "application/json", `{}`, 400, "not both"},
		{"POST", "/content/entities/active", "application/json", `{"ids":[]}`, 400, "must not be empty"},
		{"POST", "/content/entities/active", "application/json", `{"ids":[1]}`, 400, "array of strings"},
		{"POST", "/content/entities/active", "application/json", `{"ids":["a"],"x":1}`, 400, "Unknown property"},
		{"POST", "/content/entities/active", "application/json", `nope`, 400, "JSON object"},
		{"POST", "/content/entities/active", "application/json", `{"pointers":` + manyStrings(1001) + `}`, 400, "at most 1000"},
		{"GET", "/content/entities/cars?pointer=1", "", "", 400, "Unrecognized type: cars"},
		{"GET", "/content/entities/scene", "", "", 400, "not both"},
		{"GET", "/content/contents/bafkreinothere", "", "", 404, "No content found"},
		{"GET", "/content/contents/bafkreinothere/active-entities", "", "", 404, "not found"},
		{"GET", "/content/available-content", "", "", 400, "at least one cid"},
		{"GET", "/content/audit/cars/x", "", "", 400, "Unrecognized type"},
		{"GET", "/content/audit/scene/x", "", "", 404, "No deployment found"},
		{"GET", "/content/deployments?entityType=cars", "", "", 400, "unrecognized entity type"},
		{"GET", "/content/deployments?sortingField=name", "", "", 400, "sort field"},
		{"GET", "/content/deployments?sortingOrder=up", "", "", 400, "sort order"},
		{"GET", "/content/deployments?offset=5001", "", "", 400, "Offset"},
		{"GET", "/content/pointer-changes?entityType=x", "", "", 400, "unrecognized entity type"},
		{"GET", "/nothing/here", "", "", 404, "Not Found"},
	}
	for i, tc := range cases {
		t.Run(fmt.Sprint(i, " ", tc.method, " ", tc.path, " ", tc.text), func(t *testing.T) {
			status, hdr, b := c.do(tc.method, tc.path, strings.NewReader(tc.body), tc.ct)
			if status != tc.want {
				t.Fatalf("status %d, want %d: %s", status, tc.want, b)
			}
			if !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") || !json.Valid(b) || !strings.Contains(string(b), tc.text) {
				t.Fatalf("body %s (%s), want JSON mentioning %q", b, hdr.Get("Content-Type"), tc.text)
			}
		})
	}
	if n.Store.LastSeq() != seq {
		t.Fatalf("bad input changed the store: seq %d → %d", seq, n.Store.LastSeq())
	}
	if has, _ := n.Store.Has(good.ID); has {
		t.Fatal("a rejected entity file was stored")
	}
	var list []entity.Entity
	c.json("POST", "/content/entities/active", map[string]any{"pointers": []string{alice.Address}}, &list)
	if len(list) != 1 {
		t.Fatal("the profile changed")
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func manyStrings(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("%q", fmt.Sprint(i))
	}
	return "[" + strings.Join(s, ",") + "]"
}

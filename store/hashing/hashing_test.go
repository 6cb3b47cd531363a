package hashing

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	chunker "github.com/ipfs/boxo/chunker"
)

// vector is one line of testdata/hashing-vectors.json, produced by the real
// @dcl/hashing (testdata/js/vectors.js).
type vector struct {
	Size *int   `json:"size"`
	Text string `json:"text"`
	V1   string `json:"v1"`
	V0   string `json:"v0"`
}

// fill is the vectors' content rule: byte i is (i*31 + 7) mod 256.
func fill(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31 + 7)
	}
	return b
}

func loadVectors(t testing.TB) []vector {
	raw, err := os.ReadFile("../../testdata/hashing-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

func TestGoldenVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		data := []byte(v.Text)
		name := "text"
		if v.Size != nil {
			data = fill(*v.Size)
			name = "size"
		}
		t.Run(name, func(t *testing.T) {
			got, err := V1(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if got != v.V1 {
				t.Errorf("V1(%d bytes) = %s, want %s", len(data), got, v.V1)
			}
			if got := V1Bytes(data); got != v.V1 {
				t.Errorf("V1Bytes(%d bytes) = %s, want %s", len(data), got, v.V1)
			}
			if got := V0Bytes(data); got != v.V0 {
				t.Errorf("V0Bytes(%d bytes) = %s, want %s", len(data), got, v.V0)
			}
			got0, err := V0(bytes.NewReader(data))
			if err != nil || got0 != v.V0 {
				t.Errorf("V0(%d bytes) = %s, %v, want %s", len(data), got0, err, v.V0)
			}
		})
	}
}

func TestFormSelection(t *testing.T) {
	for _, tc := range []struct {
		id string
		v1 bool
	}{
		{"bafkreigv4q3ji6dgntwm4ecyilxtuxoscwxx4gs4wcrbqhp7isjd7eaxfi", true},
		{"bafybeif4z4ikxldcsjhv2l4sxmk57abnwjkwpa57gopqjvdhkyxddhmzf4", true},
		{"QmXz1TvFTDPWGigiTcfyg2e7AzHtfVCW7GVE3u4BsRq48g", false},
		{"bafkrei", false},
		{"", false},
	} {
		if got := IsV1(tc.id); got != tc.v1 {
			t.Errorf("IsV1(%q) = %v, want %v", tc.id, got, tc.v1)
		}
	}
}

func BenchmarkV1Small(b *testing.B) {
	data := fill(1024)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		V1Bytes(data)
	}
}

func BenchmarkV1Large(b *testing.B) {
	data := fill(5 << 20)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		V1Bytes(data)
	}
}

// The reused chunk buffer gives boxo's CIDs at every size around the
// chunk and fan-out boundaries.
func TestV1MatchesBoxoSplitter(t *testing.T) {
	for _, size := range []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 3*ChunkSize + 7, maxLinks * ChunkSize, maxLinks*ChunkSize + 1} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i*131 + size)
		}
		got, err := V1(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		want, err := v1(chunker.NewSizeSplitter(bytes.NewReader(data), ChunkSize))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("size %d: %s, boxo's splitter gives %s", size, got, want)
		}
	}
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/hashing"
)

// deploy signs and uploads a scene folder or a profile.
func deploy(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("deploy", "[--node URL] [--data DIR] PATH",
		"Deploys PATH, signed with the operator's key (catalyst keys new):\n"+
			"  a folder with a scene.json (as the SDK lays a scene out): a scene on its scene.parcels, with every\n"+
			"  file of the folder but hidden ones, node_modules and what .dclignore lists;\n"+
			"  a .json file: a profile ({\"avatars\": […]}) on the operator's address.\n"+
			"Files the node already has are not uploaded again. The node's errors are printed as it sends them.",
		stdout, stderr, args)
	nodeURL, data := nodeFlags(fs)
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usagef("deploy: which folder or file?")
	}
	base := nodeURL()
	if err := checkNodeURL(base); err != nil {
		return err
	}
	key, err := loadOperatorKey(*data)
	if err != nil {
		return err
	}
	d, err := buildDeployment(fs.Arg(0), key)
	if err != nil {
		return err
	}
	ctx := context.Background()
	missing, err := missingContent(ctx, base, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "deploying %s %s on %s: %d files, %d to upload (%s)\n",
		d.typ, d.id, strings.Join(d.pointers, " "), len(d.files), len(missing), size(sizeOf(missing)))
	ts, err := upload(ctx, base, d, missing, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deployed %s %s at %s\n  %s/content/contents/%s\n", d.typ, d.id, time.UnixMilli(ts).UTC().Format(time.RFC3339), base, d.id)
	return nil
}

// file is a content file of a deployment, on disk.
type file struct {
	name, path, hash string
	size             int64
}

type deployment struct {
	typ      entity.Type
	pointers []string
	id       string
	entity   []byte
	chain    authchain.Chain
	files    []file
}

// buildDeployment builds and signs the entity file of a scene folder or
// a profile JSON, as dcl-catalyst-client builds entities.
func buildDeployment(p string, key *ecdsa.PrivateKey) (*deployment, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	d := &deployment{}
	var metadata json.RawMessage
	if info.IsDir() {
		if metadata, d.pointers, err = readScene(p); err != nil {
			return nil, err
		}
		d.typ = entity.Scene
		if d.files, err = sceneFiles(p); err != nil {
			return nil, err
		}
	} else {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var profile struct {
			Avatars []json.RawMessage `json:"avatars"`
		}
		if err := json.Unmarshal(raw, &profile); err != nil || len(profile.Avatars) == 0 {
			return nil, fmt.Errorf("%s: want a profile: a JSON object with avatars (or a folder with a scene.json)", p)
		}
		metadata = raw
		d.typ, d.pointers = entity.Profile, []string{strings.ToLower(address(key))}
	}
	content := make([]entity.ContentItem, len(d.files))
	for i, f := range d.files {
		content[i] = entity.ContentItem{File: f.name, Hash: f.hash}
	}
	d.entity, err = json.Marshal(struct {
		Version   string               `json:"version"`
		Type      entity.Type          `json:"type"`
		Pointers  []string             `json:"pointers"`
		Timestamp int64                `json:"timestamp"`
		Content   []entity.ContentItem `json:"content"`
		Metadata  json.RawMessage      `json:"metadata"`
	}{"v3", d.typ, d.pointers, time.Now().UnixMilli(), content, compact(metadata)})
	if err != nil {
		return nil, err
	}
	d.id = hashing.V1Bytes(d.entity)
	d.chain = authchain.Simple(address(key), d.id, authchain.Sign(key, d.id))
	return d, nil
}

func compact(raw []byte) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

// readScene reads scene.json: the metadata, and its parcels as pointers.
func readScene(dir string) (json.RawMessage, []string, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "scene.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("%s has no scene.json (a scene folder as the SDK lays it out)", dir)
	}
	if err != nil {
		return nil, nil, err
	}
	var scene struct {
		Scene struct {
			Parcels []string `json:"parcels"`
		} `json:"scene"`
	}
	if err := json.Unmarshal(raw, &scene); err != nil {
		return nil, nil, fmt.Errorf("scene.json: %w", err)
	}
	if len(scene.Scene.Parcels) == 0 {
		return nil, nil, errors.New("scene.json: scene.parcels lists no parcel")
	}
	return raw, scene.Scene.Parcels, nil
}

// sceneFiles lists and hashes the files of a scene folder: all but
// hidden ones, node_modules and what .dclignore lists (globs, matched
// against the path in the folder and against each name in it).
func sceneFiles(dir string) ([]file, error) {
	ignore := []string{"node_modules"}
	if raw, err := os.ReadFile(filepath.Join(dir, ".dclignore")); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(raw))
		for sc.Scan() {
			if l := strings.Trim(strings.TrimSpace(sc.Text()), "/"); l != "" && !strings.HasPrefix(l, "#") {
				ignore = append(ignore, l)
			}
		}
	}
	ignored := func(rel string) bool {
		for _, pat := range ignore {
			if ok, _ := path.Match(pat, rel); ok {
				return true
			}
			if ok, _ := path.Match(pat, path.Base(rel)); ok {
				return true
			}
		}
		return false
	}
	var files []file
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if strings.HasPrefix(e.Name(), ".") || ignored(rel) {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		hash, err := hashing.V1(f)
		if err != nil {
			return fmt.Errorf("hash %s: %w", rel, err)
		}
		info, err := f.Stat()
		if err != nil {
			return err
		}
		files = append(files, file{name: rel, path: p, hash: hash, size: info.Size()})
		return nil
	})
	return files, err
}

// missingContent asks the node which of the files it lacks
// (/content/available-content), 100 hashes a request.
func missingContent(ctx context.Context, base string, d *deployment) ([]file, error) {
	have := map[string]bool{}
	hashes := make([]string, 0, len(d.files))
	for _, f := range d.files {
		if !slices.Contains(hashes, f.hash) {
			hashes = append(hashes, f.hash)
		}
	}
	for chunk := range slices.Chunk(hashes, 100) {
		q := url.Values{"cid": chunk}
		var answer []struct {
			CID       string `json:"cid"`
			Available bool   `json:"available"`
		}
		if err := getJSON(ctx, base+"/content/available-content?"+q.Encode(), &answer); err != nil {
			return nil, err
		}
		for _, a := range answer {
			have[a.CID] = a.Available
		}
	}
	var missing []file
	sent := map[string]bool{}
	for _, f := range d.files {
		if !have[f.hash] && !sent[f.hash] {
			sent[f.hash] = true
			missing = append(missing, f)
		}
	}
	return missing, nil
}

func sizeOf(files []file) (n int64) {
	for _, f := range files {
		n += f.size
	}
	return n
}

// upload posts the deployment as dcl-catalyst-client does (entityId, the
// chain as authChain[i][…] fields, the files named by hash, the entity
// file last), streaming the files from disk and showing progress for
// large uploads. The node's refusal is returned verbatim.
func upload(ctx context.Context, base string, d *deployment, files []file, progress io.Writer) (int64, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	total := sizeOf(files)
	var sent atomic.Int64
	go func() {
		pw.CloseWithError(writeDeployment(mw, d, files, &sent))
	}()
	done := make(chan struct{})
	defer close(done)
	if total > 1<<20 {
		go func() {
			t := time.NewTicker(500 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					n := sent.Load()
					fmt.Fprintf(progress, "\ruploading %s of %s (%d%%)  ", size(n), size(total), n*100/total)
					if n >= total {
						fmt.Fprintln(progress)
						return
					}
				}
			}
		}()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/content/entities", pr)
	if err != nil {
		return 0, usagef("node URL %q: %v", base, err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("deploy to %s: %w", base, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("the node refused the deployment (%s): %s", res.Status, printable(strings.TrimSpace(string(raw)), 8192))
	}
	var ok struct {
		CreationTimestamp int64 `json:"creationTimestamp"`
	}
	if err := json.Unmarshal(raw, &ok); err != nil {
		return 0, fmt.Errorf("the node answered %s: %s", res.Status, printable(string(raw), 2048))
	}
	return ok.CreationTimestamp, nil
}

func writeDeployment(mw *multipart.Writer, d *deployment, files []file, sent *atomic.Int64) error {
	mw.WriteField("entityId", d.id)
	for i, l := range d.chain {
		mw.WriteField(fmt.Sprintf("authChain[%d][type]", i), string(l.Type))
		mw.WriteField(fmt.Sprintf("authChain[%d][payload]", i), l.Payload)
		mw.WriteField(fmt.Sprintf("authChain[%d][signature]", i), l.Signature)
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.hash, f.hash)
		if err != nil {
			return err
		}
		in, err := os.Open(f.path)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, io.TeeReader(in, counter{sent}))
		in.Close()
		if err != nil {
			return err
		}
	}
	w, err := mw.CreateFormFile(d.id, d.id)
	if err != nil {
		return err
	}
	if _, err := w.Write(d.entity); err != nil {
		return err
	}
	return mw.Close()
}

// counter adds what passes through it to n.
type counter struct{ n *atomic.Int64 }

func (c counter) Write(p []byte) (int, error) {
	c.n.Add(int64(len(p)))
	return len(p), nil
}

func getJSON(ctx context.Context, u string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("no node answers (is it running? --node URL): %w", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", u, res.Status, printable(strings.TrimSpace(string(raw)), 2048))
	}
	return json.Unmarshal(raw, v)
}

package replicate

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/p2pcatalyst/catalyst/store/hashing"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// The stream protocols. Each request is one JSON line; each answer is a
// JSON header line, followed by the bytes it announces.
const (
	protoContent     = "content/1"     // {"hash","max"} → {"size"} + bytes
	protoDeployments = "deployments/1" // {"ids"} → per id {"size"} + announcement JSON, or {"missing":true}
	protoReconcile   = "reconcile/1"   // see reconcile.go
)

const (
	maxHeader         = 64 << 10
	maxBatchIDs       = 256
	spoolAbove        = 1 << 20
	minTransferRate   = 256 << 10 // bytes/s a transfer may not fall below
	transferBaseDelay = 30 * time.Second
)

type header struct {
	Hash    string   `json:"hash,omitempty"`
	Max     int64    `json:"max,omitempty"`
	IDs     []string `json:"ids,omitempty"`
	Size    int64    `json:"size,omitempty"`
	Missing bool     `json:"missing,omitempty"`
	Error   string   `json:"error,omitempty"`
}

func writeHeader(w io.Writer, h header) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func readHeader(r *bufio.Reader) (header, error) {
	var h header
	line, err := r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return h, errors.New("header too long")
	}
	if err != nil {
		return h, err
	}
	return h, json.Unmarshal(line, &h)
}

func deadlineFor(size int64) time.Time {
	return time.Now().Add(transferBaseDelay + time.Duration(size/minTransferRate)*time.Second)
}

// serveContent answers a content request from the store.
func (r *Replicator) serveContent(s network.Stream) {
	defer s.Close()
	s.SetDeadline(time.Now().Add(transferBaseDelay))
	br := bufio.NewReaderSize(s, maxHeader)
	req, err := readHeader(br)
	if err != nil {
		s.Reset()
		return
	}
	c, err := r.cfg.Store.OpenContent(req.Hash)
	if err != nil {
		writeHeader(s, header{Error: "not found"})
		return
	}
	defer c.Close()
	if req.Max > 0 && c.Size() > req.Max {
		writeHeader(s, header{Error: fmt.Sprintf("%d bytes, more than the %d asked for", c.Size(), req.Max)})
		return
	}
	s.SetDeadline(deadlineFor(c.Size()))
	if err := writeHeader(s, header{Size: c.Size()}); err != nil {
		return
	}
	n, _ := io.Copy(s, c)
	r.metrics.bytesSent.Add(float64(n))
}

// fetchContent gets one file of a known size from a peer and verifies its
// hash. Files above spoolAbove go to a spool file of the store.
func (r *Replicator) fetchContent(ctx context.Context, p peer.ID, hash string, size int64) (deploy.File, error) {
	s, err := r.cfg.Host.NewStream(ctx, p, r.cfg.Host.Protocol(protoContent))
	if err != nil {
		return deploy.File{}, err
	}
	defer s.Close()
	s.SetDeadline(deadlineFor(size))
	if err := writeHeader(s, header{Hash: hash, Max: size}); err != nil {
		s.Reset()
		return deploy.File{}, err
	}
	br := bufio.NewReaderSize(s, maxHeader)
	h, err := readHeader(br)
	if err != nil {
		s.Reset()
		return deploy.File{}, err
	}
	if h.Error != "" {
		return deploy.File{}, fmt.Errorf("peer %s: %s", p, h.Error)
	}
	if h.Size != size {
		s.Reset()
		return deploy.File{}, fmt.Errorf("peer %s offers %d bytes of %s, %d declared", p, h.Size, hash, size)
	}
	body := io.LimitReader(br, size)
	var f deploy.File
	if size <= spoolAbove {
		data := make([]byte, size)
		if _, err := io.ReadFull(body, data); err != nil {
			s.Reset()
			return deploy.File{}, err
		}
		f = deploy.File{Data: data, Size: size}
	} else {
		tmp, err := r.cfg.Store.TempFile()
		if err != nil {
			return deploy.File{}, err
		}
		n, err := io.Copy(tmp, body)
		tmp.Close()
		if err != nil || n != size {
			os.Remove(tmp.Name())
			s.Reset()
			return deploy.File{}, fmt.Errorf("content %s: got %d of %d bytes: %v", hash, n, size, err)
		}
		f = deploy.File{Path: tmp.Name(), Size: size}
	}
	r.metrics.bytesReceived.Add(float64(size))
	if got, err := hashOf(f, hash); err != nil || got != hash {
		if f.Path != "" {
			os.Remove(f.Path)
		}
		return deploy.File{}, fmt.Errorf("peer %s sent bytes that hash to %s, not %s", p, got, hash)
	}
	return f, nil
}

func hashOf(f deploy.File, hash string) (string, error) {
	if f.Path == "" {
		return hashing.Bytes(hash, f.Data), nil
	}
	file, err := os.Open(f.Path)
	if err != nil {
		return "", err
	}
	defer file.Close()
	return hashing.For(hash)(file)
}

// serveDeployments answers a batch of deployment requests.
func (r *Replicator) serveDeployments(s network.Stream) {
	defer s.Close()
	s.SetDeadline(time.Now().Add(2 * transferBaseDelay))
	br := bufio.NewReaderSize(s, maxHeader)
	req, err := readHeader(br)
	if err != nil || len(req.IDs) > maxBatchIDs {
		s.Reset()
		return
	}
	bw := bufio.NewWriter(s)
	ctx := context.Background()
	for _, id := range req.IDs {
		a, err := announcementOf(ctx, r.cfg.Store, id, "")
		if err != nil {
			if writeHeader(bw, header{Missing: true}) != nil {
				return
			}
			continue
		}
		b, _ := json.Marshal(a)
		if writeHeader(bw, header{Size: int64(len(b))}) != nil {
			return
		}
		bw.Write(b)
		r.metrics.bytesSent.Add(float64(len(b)))
	}
	bw.Flush()
}

// fetchDeployments asks a peer for up to maxBatchIDs deployments; those it
// lacks are left out.
func (r *Replicator) fetchDeployments(ctx context.Context, p peer.ID, ids []string) ([]*Announcement, error) {
	s, err := r.cfg.Host.NewStream(ctx, p, r.cfg.Host.Protocol(protoDeployments))
	if err != nil {
		return nil, err
	}
	defer s.Close()
	s.SetDeadline(time.Now().Add(2 * transferBaseDelay))
	if err := writeHeader(s, header{IDs: ids}); err != nil {
		s.Reset()
		return nil, err
	}
	br := bufio.NewReaderSize(s, maxHeader)
	var out []*Announcement
	for range ids {
		h, err := readHeader(br)
		if err != nil {
			s.Reset()
			return out, err
		}
		if h.Missing {
			continue
		}
		if h.Size <= 0 || h.Size > 2*MaxAnnouncement {
			s.Reset()
			return out, fmt.Errorf("peer %s: announcement of %d bytes", p, h.Size)
		}
		b := make([]byte, h.Size)
		if _, err := io.ReadFull(br, b); err != nil {
			s.Reset()
			return out, err
		}
		r.metrics.bytesReceived.Add(float64(h.Size))
		a, err := decodeAnnouncement(b)
		if err != nil {
			return out, err
		}
		out = append(out, a)
	}
	return out, nil
}

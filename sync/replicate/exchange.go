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

	"github.com/p2pcatalyst/catalyst/p2p"
	"github.com/p2pcatalyst/catalyst/store/hashing"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// The stream protocols. Each request is one JSON line; each answer is a
// JSON header line, followed by the bytes it announces.
const (
	protoContent     = "content/1"     // {"hash","max"} → {"size"} + bytes
	protoDeployments = "deployments/1" // {"ids"} → per id, in order, {"size"} + announcement JSON, or {"missing":true}
	protoReconcile   = "reconcile/2"   // see reconcile.go
)

// Resource-manager services of the stream protocols: libp2p bounds their
// streams and the memory they reserve across all peers (ServiceLimits).
const (
	svcContent     = "catalyst.content"
	svcDeployments = "catalyst.deployments"
	svcReconcile   = "catalyst.reconcile"
)

const (
	maxHeader         = 64 << 10
	maxBatchIDs       = 256
	spoolAbove        = 1 << 20
	minTransferRate   = 256 << 10 // bytes/s a transfer may not fall below
	transferBaseDelay = 30 * time.Second
	// maxPulledAnnouncement bounds one deployment in a pull: an entity file
	// of deploy.MaxEntityBytes in base64 with its chain and sizes.
	maxPulledAnnouncement = 2*deploy.MaxEntityBytes + 1<<20
	// maxPullBytes bounds the announcements one pull reads at a time; the
	// ids not answered within it are asked for again.
	maxPullBytes = 16 << 20
)

// ServiceLimits are the resource-manager limits of replication's streams,
// for p2p.Config.Services: for the replicator of each name (Config.Name,
// "" the catalyst's), limits of its own, so a flood of one store's streams
// does not take another's.
func ServiceLimits(names ...string) map[string]p2p.ServiceLimit {
	out := map[string]p2p.ServiceLimit{}
	for _, name := range names {
		out[serviceName(svcContent, name)] = p2p.ServiceLimit{Streams: 256, Memory: 64 << 20}
		out[serviceName(svcDeployments, name)] = p2p.ServiceLimit{Streams: 64, Memory: 4 * maxPullBytes}
		out[serviceName(svcReconcile, name)] = p2p.ServiceLimit{Streams: 2 * maxSessions, Memory: 2 * maxSessions * sessionMemory}
	}
	return out
}

// serviceName is a stream service of the replicator called name.
func serviceName(svc, name string) string {
	if name == "" {
		return svc
	}
	return svc + "." + name
}

// errMisbehaved marks an answer no honest peer gives: a header that lies
// about what was declared, bytes that do not hash to what was asked, an
// announcement that was not asked for. Its sender is penalized.
var errMisbehaved = errors.New("peer misbehaved")

func misbehaved(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errMisbehaved, fmt.Sprintf(format, a...))
}

// blame penalizes p when err says it misbehaved, and reports whether it did.
func (r *Replicator) blame(p peer.ID, err error) bool {
	if !errors.Is(err, errMisbehaved) {
		return false
	}
	r.cfg.Host.Penalize(p, err.Error())
	return true
}

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
	if err := json.Unmarshal(line, &h); err != nil {
		return h, fmt.Errorf("header: %w", err)
	}
	return h, nil
}

func deadlineFor(size int64) time.Time {
	return time.Now().Add(transferBaseDelay + time.Duration(size/minTransferRate)*time.Second)
}

// reserve takes n bytes of the stream's memory from the resource manager.
func (r *Replicator) reserve(s network.Stream, n int) bool {
	if err := s.Scope().ReserveMemory(n, network.ReservationPriorityAlways); err != nil {
		r.guard.Hit("stream_memory")
		return false
	}
	return true
}

// serveContent answers a content request from the store.
func (r *Replicator) serveContent(s network.Stream) {
	defer r.guard.Recover("content request", "peer", s.Conn().RemotePeer())
	defer s.Close()
	if err := s.Scope().SetService(serviceName(svcContent, r.cfg.Name)); err != nil {
		r.guard.Hit("content_streams")
		s.Reset()
		return
	}
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

// fetchContent gets one file of a declared size from a peer and verifies
// its hash.
func (r *Replicator) fetchContent(ctx context.Context, p peer.ID, hash string, size int64) (deploy.File, error) {
	if size < 0 || size > deploy.MaxFileBytes {
		return deploy.File{}, fmt.Errorf("content %s: a declared size of %d bytes", hash, size)
	}
	s, err := r.cfg.Host.NewStream(ctx, p, r.protocol(protoContent))
	if err != nil {
		return deploy.File{}, err
	}
	defer s.Close()
	mem := maxHeader
	if size <= spoolAbove {
		mem += int(size)
	}
	if !r.reserve(s, mem) {
		s.Reset()
		return deploy.File{}, errors.New("no stream memory left")
	}
	defer s.Scope().ReleaseMemory(mem)
	s.SetDeadline(deadlineFor(size))
	if err := writeHeader(s, header{Hash: hash, Max: size}); err != nil {
		s.Reset()
		return deploy.File{}, err
	}
	f, err := readContent(bufio.NewReaderSize(s, maxHeader), hash, size, r.cfg.Store.TempFile)
	if err != nil {
		s.Reset()
		return deploy.File{}, fmt.Errorf("peer %s: %w", p, err)
	}
	r.metrics.bytesReceived.Add(float64(size))
	return f, nil
}

// readContent reads a content answer: a header that must announce exactly
// the declared size, then that many bytes (whatever follows is not read),
// which must hash to hash. Files above spoolAbove go to a spool file; on
// any failure nothing is left behind.
//
// Only bytes that do not hash to what was asked are the answering peer's
// lie: a size other than declared may be the declarer's (the sizes of an
// announcement are not signed), and a broken stream may be the network's.
func readContent(br *bufio.Reader, hash string, size int64, spool func() (*os.File, error)) (deploy.File, error) {
	h, err := readHeader(br)
	if err != nil {
		return deploy.File{}, fmt.Errorf("content %s: %w", hash, err)
	}
	if h.Error != "" {
		return deploy.File{}, fmt.Errorf("content %s: %s", hash, truncate(h.Error, 200))
	}
	if h.Size != size {
		return deploy.File{}, fmt.Errorf("content %s: offered %d bytes, %d declared", hash, h.Size, size)
	}
	body := io.LimitReader(br, size)
	var f deploy.File
	if size <= spoolAbove {
		data := make([]byte, size)
		if _, err := io.ReadFull(body, data); err != nil {
			return deploy.File{}, fmt.Errorf("content %s: %w", hash, err)
		}
		f = deploy.File{Data: data, Size: size}
	} else {
		tmp, err := spool()
		if err != nil {
			return deploy.File{}, err
		}
		n, err := io.Copy(tmp, body)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil && n != size {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			os.Remove(tmp.Name())
			return deploy.File{}, fmt.Errorf("content %s: got %d of %d bytes: %w", hash, n, size, err)
		}
		f = deploy.File{Path: tmp.Name(), Size: size}
	}
	got, err := hashOf(f, hash)
	if err != nil || got != hash {
		if f.Path != "" {
			os.Remove(f.Path)
		}
		if err != nil {
			return deploy.File{}, fmt.Errorf("content %s: %w", hash, err)
		}
		return deploy.File{}, misbehaved("sent bytes that hash to %s, not %s", got, hash)
	}
	return f, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
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

// serveDeployments answers a batch of deployment requests, in order.
func (r *Replicator) serveDeployments(s network.Stream) {
	defer r.guard.Recover("deployments request", "peer", s.Conn().RemotePeer())
	defer s.Close()
	if err := s.Scope().SetService(serviceName(svcDeployments, r.cfg.Name)); err != nil {
		r.guard.Hit("deployments_streams")
		s.Reset()
		return
	}
	s.SetDeadline(time.Now().Add(2 * transferBaseDelay))
	br := bufio.NewReaderSize(s, maxHeader)
	req, err := readHeader(br)
	if err != nil || len(req.IDs) > maxBatchIDs {
		s.Reset()
		return
	}
	bw := bufio.NewWriter(s)
	for _, id := range req.IDs {
		a, err := announcementOf(r.ctx, r.cfg.Store, id, "")
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
		if _, err := bw.Write(b); err != nil {
			return
		}
		r.metrics.bytesSent.Add(float64(len(b)))
	}
	bw.Flush()
}

// fetchDeployments asks a peer for up to maxBatchIDs deployments. It
// returns those the peer has and how many ids it answered (in order: the
// rest did not fit in maxPullBytes and are to be asked again). An
// announcement for an id other than the one asked for is a lie.
func (r *Replicator) fetchDeployments(ctx context.Context, p peer.ID, ids []string) ([]*Announcement, int, error) {
	s, err := r.cfg.Host.NewStream(ctx, p, r.protocol(protoDeployments))
	if err != nil {
		return nil, 0, err
	}
	defer s.Close()
	s.SetDeadline(time.Now().Add(2 * transferBaseDelay))
	if err := writeHeader(s, header{IDs: ids}); err != nil {
		s.Reset()
		return nil, 0, err
	}
	br := bufio.NewReaderSize(s, maxHeader)
	var out []*Announcement
	var read int64
	reserved := 0
	defer func() { s.Scope().ReleaseMemory(reserved) }()
	for i, id := range ids {
		h, err := readHeader(br)
		if err != nil {
			s.Reset()
			return out, i, err
		}
		if h.Missing {
			continue
		}
		if h.Size <= 0 || h.Size > maxPulledAnnouncement {
			s.Reset()
			return out, i, misbehaved("announcement of %d bytes", h.Size)
		}
		if read += h.Size; read > maxPullBytes && i > 0 {
			s.Reset()
			return out, i, nil // the rest next time
		}
		if !r.reserve(s, int(h.Size)) {
			s.Reset()
			return out, i, errors.New("no stream memory left")
		}
		reserved += int(h.Size)
		b := make([]byte, h.Size)
		if _, err := io.ReadFull(br, b); err != nil {
			s.Reset()
			return out, i, err
		}
		r.metrics.bytesReceived.Add(float64(h.Size))
		a, err := decodeAnnouncement(b)
		if err != nil {
			s.Reset()
			return out, i, misbehaved("%v", err)
		}
		if a.EntityID != id {
			s.Reset()
			return out, i, misbehaved("sent %s when asked for %s", truncate(a.EntityID, 80), id)
		}
		out = append(out, a)
	}
	return out, len(ids), nil
}

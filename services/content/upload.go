package content

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// UploadLimits bound deployments over HTTP: how many are read at once,
// what one may hold in memory (the rest of its files spool to disk), and
// how slowly a body may arrive.
type UploadLimits struct {
	// Concurrent uploads being read or deployed; a request past them
	// waits up to Wait for its turn, then gets 503 with Retry-After.
	Concurrent int
	Wait       time.Duration
	// Memory bounds the files one upload keeps in memory.
	Memory int64
	// FieldBytes bounds one upload's text fields together.
	FieldBytes int64
	// IdleRead is the longest pause between the bytes of a body; after
	// a first BodyGrace, the body must also keep arriving at MinRate
	// bytes a second on average.
	IdleRead  time.Duration
	BodyGrace time.Duration
	MinRate   int64
}

// DefaultUploadLimits: 16 uploads of 8 MiB in memory at most, a body that
// pauses 30 s or falls below 32 KiB/s after 30 s is cut.
var DefaultUploadLimits = UploadLimits{
	Concurrent: 16, Wait: 10 * time.Second,
	Memory: 4 << 20, FieldBytes: 4 << 20,
	IdleRead: 30 * time.Second, BodyGrace: 30 * time.Second, MinRate: 32 << 10,
}

// orDefault is DefaultUploadLimits for the zero UploadLimits (to change
// one field, start from DefaultUploadLimits).
func (l UploadLimits) orDefault() UploadLimits {
	if l == (UploadLimits{}) {
		return DefaultUploadLimits
	}
	return l
}

// maxFieldBytes bounds a text field (an auth-chain payload is at most
// 100000 characters); maxFieldName its name.
const (
	maxFieldBytes = 256 << 10
	maxFieldName  = 256
)

var chainField = regexp.MustCompile(`^authChain\[(\d+)\]\[(type|payload|signature)\]$`)

// requestError is a malformed request: 400 (or 413) {error}.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, a ...any) *requestError {
	return &requestError{http.StatusBadRequest, fmt.Sprintf(format, a...)}
}

// upload is a parsed multipart deployment.
type upload struct {
	fields map[string]string
	files  []deploy.File
}

func (u *upload) cleanup() {
	for _, f := range u.files {
		if f.Path != "" {
			os.Remove(f.Path)
		}
	}
}

func (s *Service) postEntity(w http.ResponseWriter, r *http.Request) {
	if !s.takeUploadSlot(r.Context()) {
		w.Header().Set("Retry-After", "5")
		httpx.Error(w, http.StatusServiceUnavailable, "Too many deployments are being uploaded; please try again in a few seconds.")
		return
	}
	defer func() { <-s.uploads }()
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // the body takes what its pace allows; the answer is bounded below
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes)
	r.Body = newPacedBody(r.Body, rc, s.limits)
	up, err := s.readUpload(r)
	rc.SetWriteDeadline(time.Now().Add(answerTimeout))
	if up != nil {
		// The pipeline removes what it is given; this catches early failures.
		defer up.cleanup()
	}
	if err != nil {
		var re *requestError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &re):
			httpx.Error(w, re.status, re.msg)
		case errors.As(err, &mbe):
			httpx.Error(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("The deployment is larger than %d bytes.", s.cfg.MaxUploadBytes))
		case errors.Is(err, errTooSlow), errors.Is(err, os.ErrDeadlineExceeded):
			s.guard.Hit("upload_too_slow")
			httpx.Error(w, http.StatusRequestTimeout, "The request body arrived too slowly.")
		case errors.Is(err, errStorage):
			httpx.Internal(w, s.log, r, err)
		default:
			httpx.Error(w, http.StatusBadRequest, "Malformed multipart body: "+err.Error())
		}
		return
	}
	entityID := strings.TrimSpace(up.fields["entityId"])
	if entityID == "" {
		httpx.Error(w, http.StatusBadRequest, "Missing required field: entityId")
		return
	}
	chain, rerr := authChainOf(up.fields)
	if rerr != nil {
		httpx.Error(w, rerr.status, rerr.msg)
		return
	}
	files := up.files
	up.files = nil // now the pipeline's to clean up
	res, err := s.cfg.Pipeline.Deploy(r.Context(), deploy.Request{EntityID: entityID, AuthChain: chain, Files: files, Origin: deploy.Local})
	if err != nil {
		var ve *entity.Error
		var rl *deploy.RateLimitedError
		switch {
		case errors.As(err, &rl):
			w.Header().Set("Retry-After", strconv.Itoa(int(rl.RetryAfter.Seconds())+1))
			httpx.JSON(w, http.StatusTooManyRequests, map[string][]string{"errors": {rl.Msg}})
		case errors.As(err, &ve):
			httpx.JSON(w, http.StatusBadRequest, map[string][]string{"errors": ve.Msgs})
		case r.Context().Err() != nil:
			httpx.Error(w, http.StatusRequestTimeout, "The request was cancelled.")
		default:
			httpx.Internal(w, s.log, r, err)
		}
		return
	}
	if s.cfg.Deployed != nil {
		httpx.JSON(w, http.StatusOK, s.cfg.Deployed(r, res.Deployment, res.LocalTimestamp))
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]int64{"creationTimestamp": res.LocalTimestamp})
}

// answerTimeout bounds deploying a read upload (hashing and storing up to
// 2 GiB) and writing the answer.
const answerTimeout = 5 * time.Minute

// takeUploadSlot waits for one of the Concurrent upload slots, at most
// Wait (or until the client goes).
func (s *Service) takeUploadSlot(ctx context.Context) bool {
	select {
	case s.uploads <- struct{}{}:
		return true
	default:
	}
	s.guard.Hit("uploads")
	t := time.NewTimer(s.limits.Wait)
	defer t.Stop()
	select {
	case s.uploads <- struct{}{}:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}

// errStorage marks a failure of the node's own disk, not of the request.
var errStorage = errors.New("spool")

// readUpload streams the multipart body: text fields into memory, files
// into memory while the upload's memory budget lasts and each is at most
// spoolAbove, the rest into the store's spool directory.
func (s *Service) readUpload(r *http.Request) (*upload, error) {
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" || params["boundary"] == "" {
		return nil, badRequest("The body must be multipart/form-data with the entity file, its content and the entityId and authChain fields.")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, badRequest("Malformed multipart body: %v", err)
	}
	up := &upload{fields: map[string]string{}}
	var total, fieldBytes int64
	memory := s.limits.Memory
	var head []byte // reused for the start of every file
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return up, nil
		}
		if err != nil {
			return up, err
		}
		if part.FileName() == "" {
			if len(up.fields) >= deploy.MaxFiles {
				return up, &requestError{http.StatusRequestEntityTooLarge, "Too many form fields."}
			}
			if len(part.FormName()) > maxFieldName {
				return up, &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("A form field's name is longer than %d bytes.", maxFieldName)}
			}
			fieldBytes += int64(len(part.FormName())) // names are kept too
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				return up, err
			}
			if len(b) > maxFieldBytes {
				return up, &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("The field %q is longer than %d bytes.", part.FormName(), maxFieldBytes)}
			}
			if fieldBytes += int64(len(b)); fieldBytes > s.limits.FieldBytes {
				return up, &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("The form fields are longer than %d bytes together.", s.limits.FieldBytes)}
			}
			up.fields[part.FormName()] = string(b)
			continue
		}
		if len(up.files) >= deploy.MaxFiles {
			return up, &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("A deployment may carry at most %d files.", deploy.MaxFiles)}
		}
		f, err := s.readFile(part, &head, min(spoolAbove, memory))
		if f.Path != "" || f.Data != nil {
			up.files = append(up.files, f)
		}
		if err != nil {
			return up, err
		}
		if f.Path == "" {
			memory -= f.Size
		}
		total += f.Size
		if total > deploy.MaxTotalBytes {
			return up, &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("The deployment is larger than %d bytes.", int64(deploy.MaxTotalBytes))}
		}
	}
}

// Files up to this size stay in memory (within the upload's budget);
// larger ones are spooled to disk.
const spoolAbove = 1 << 20

// readFile keeps a file in memory if it has at most inMemory bytes, and
// spools it to disk otherwise. head is a buffer reused from file to file.
func (s *Service) readFile(part io.Reader, head *[]byte, inMemory int64) (deploy.File, error) {
	limited := io.LimitReader(part, deploy.MaxFileBytes+1)
	buf, err := readUpTo(limited, head, int(inMemory)+1)
	n := len(buf)
	if err == io.EOF {
		data := make([]byte, n) // an exact copy, never nil: an empty file is a file
		copy(data, buf)
		return deploy.File{Data: data, Size: int64(n)}, nil
	}
	if err != nil {
		return deploy.File{}, err
	}
	tmp, err := s.cfg.Store.TempFile()
	if err != nil {
		return deploy.File{}, fmt.Errorf("%w: %w", errStorage, err)
	}
	f := deploy.File{Path: tmp.Name()}
	_, err = tmp.Write(buf)
	var copied int64
	if err == nil {
		copied, err = io.Copy(tmp, limited)
	}
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("%w: %w", errStorage, cerr)
	}
	f.Size = int64(n) + copied
	if err != nil {
		return f, err
	}
	if f.Size > deploy.MaxFileBytes {
		return f, &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("A file is larger than the %d bytes allowed.", deploy.MaxFileBytes)}
	}
	return f, nil
}

// readUpTo reads r into *buf until max bytes or the end (io.EOF), growing
// the buffer as bytes arrive: a small file costs a small buffer.
func readUpTo(r io.Reader, buf *[]byte, max int) ([]byte, error) {
	b := (*buf)[:0]
	for len(b) < max {
		if len(b) == cap(b) {
			grown := make([]byte, len(b), min(max, 2*cap(b)+4096))
			copy(grown, b)
			b = grown
		}
		n, err := r.Read(b[len(b):min(cap(b), max)])
		b = b[:len(b)+n]
		if err != nil {
			*buf = b
			return b, err
		}
	}
	*buf = b
	return b, nil
}

// authChainOf reads the chain in any of its three forms: an authChain
// JSON field, authChain[i][type|payload|signature] fields, or the legacy
// ethAddress + signature pair.
func authChainOf(fields map[string]string) (authchain.Chain, *requestError) {
	if raw, ok := fields["authChain"]; ok {
		var chain authchain.Chain
		if err := json.Unmarshal([]byte(raw), &chain); err != nil {
			return nil, badRequest("Invalid auth chain: the authChain field is not a JSON array of links")
		}
		return checkShape(chain)
	}
	links := map[int]*authchain.Link{}
	for name, v := range fields {
		m := chainField.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		i, err := strconv.Atoi(m[1])
		if err != nil || i >= authchain.MaxLinks {
			return nil, badRequest("Auth chain is too long; the maximum allowed is %d elements", authchain.MaxLinks)
		}
		l := links[i]
		if l == nil {
			l = &authchain.Link{}
			links[i] = l
		}
		switch m[2] {
		case "type":
			l.Type = authchain.LinkType(v)
		case "payload":
			l.Payload = v
		case "signature":
			l.Signature = v
		}
	}
	if len(links) > 0 {
		idx := make([]int, 0, len(links))
		for i := range links {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		chain := make(authchain.Chain, 0, len(idx))
		for want, i := range idx {
			if i != want {
				return nil, badRequest("Missing auth chain element at index %d", want)
			}
			chain = append(chain, *links[i])
		}
		return checkShape(chain)
	}
	if addr, sig := fields["ethAddress"], fields["signature"]; addr != "" && sig != "" {
		return authchain.Simple(addr, fields["entityId"], sig), nil
	}
	return nil, badRequest("No auth chain can be derivated")
}

func checkShape(chain authchain.Chain) (authchain.Chain, *requestError) {
	if len(chain) > authchain.MaxLinks {
		return nil, badRequest("Auth chain is too long; the maximum allowed is %d elements", authchain.MaxLinks)
	}
	if err := authchain.WellFormed(chain); err != nil {
		return nil, badRequest("Invalid auth chain: %s", strings.TrimPrefix(err.Error(), "invalid auth chain: "))
	}
	return chain, nil
}

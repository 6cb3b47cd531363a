package content

import (
	"bytes"
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

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// Files up to this size stay in memory; larger ones are spooled to disk.
const spoolAbove = 1 << 20

// maxFieldBytes bounds a text field (an auth-chain payload is at most
// 100000 characters).
const maxFieldBytes = 256 << 10

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
	r.Body = http.MaxBytesReader(w, r.Body, MaxTotalBytes+1<<20)
	up, err := s.readUpload(r)
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
			httpx.Error(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("The deployment is larger than %d bytes.", int64(MaxTotalBytes)))
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
	httpx.JSON(w, http.StatusOK, map[string]int64{"creationTimestamp": res.LocalTimestamp})
}

// readUpload streams the multipart body: text fields into memory, files
// into memory or, above spoolAbove, into the store's spool directory.
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
	var total int64
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return up, nil
		}
		if err != nil {
			return up, err
		}
		if part.FileName() == "" {
			if len(up.fields) >= MaxFiles {
				return up, &requestError{http.StatusRequestEntityTooLarge, "Too many form fields."}
			}
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				return up, err
			}
			if len(b) > maxFieldBytes {
				return up, &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("The field %q is longer than %d bytes.", part.FormName(), maxFieldBytes)}
			}
			up.fields[part.FormName()] = string(b)
			continue
		}
		if len(up.files) >= MaxFiles {
			return up, &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("A deployment may carry at most %d files.", MaxFiles)}
		}
		f, err := s.readFile(part)
		if f.Path != "" || f.Data != nil {
			up.files = append(up.files, f)
		}
		if err != nil {
			return up, err
		}
		total += f.Size
		if total > MaxTotalBytes {
			return up, &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("The deployment is larger than %d bytes.", int64(MaxTotalBytes))}
		}
	}
}

func (s *Service) readFile(part io.Reader) (deploy.File, error) {
	limited := io.LimitReader(part, MaxFileBytes+1)
	var head bytes.Buffer
	n, err := io.CopyN(&head, limited, spoolAbove+1)
	if err == io.EOF {
		return deploy.File{Data: head.Bytes(), Size: n}, nil
	}
	if err != nil {
		return deploy.File{}, err
	}
	tmp, err := s.cfg.Store.TempFile()
	if err != nil {
		return deploy.File{}, err
	}
	defer tmp.Close()
	f := deploy.File{Path: tmp.Name()}
	if _, err := tmp.Write(head.Bytes()); err != nil {
		return f, err
	}
	copied, err := io.Copy(tmp, limited)
	f.Size = n + copied
	if err != nil {
		return f, err
	}
	if f.Size > MaxFileBytes {
		return f, &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("A file is larger than the %d bytes allowed.", MaxFileBytes)}
	}
	return f, nil
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

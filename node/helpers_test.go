package node

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"time"
)

func newMultipart(w io.Writer) *multipart.Writer { return multipart.NewWriter(w) }

var httpClient = &http.Client{Timeout: 10 * time.Second}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

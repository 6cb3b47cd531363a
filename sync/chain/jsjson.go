package chain

import (
	"bytes"
	"encoding/json"
)

// marshalJS is JSON as JavaScript's JSON.stringify writes it: no HTML
// escaping ('<', '>' and '&' stay as they are).
func marshalJS(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// compactJS is raw JSON without insignificant space, keys in the order
// they came, as JSON.stringify(JSON.parse(raw)) writes most documents
// (numbers and string escapes are kept as written).
func compactJS(raw json.RawMessage) []byte {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

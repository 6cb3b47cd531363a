package explorationgames

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// bodyMatches reports whether hash (metadata.hashPayload, hex) is the
// sha256 of the body as sent or of JSON.stringify(JSON.parse(body)), what
// the original compares (validateBody: hashSha256(JSON.stringify(body))).
func bodyMatches(body []byte, hash string) bool {
	want := strings.ToLower(strings.TrimSpace(hash))
	if want == "" {
		return false
	}
	if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) == want {
		return true
	}
	js, err := jsStringify(body)
	if err != nil {
		return false
	}
	sum := sha256.Sum256(js)
	return hex.EncodeToString(sum[:]) == want
}

// jsStringify is JSON.stringify(JSON.parse(raw)) as JavaScript computes
// it: no whitespace, an object's array-index keys first in ascending
// order and then the others in first-seen order (a repeated key keeps
// its first place and its last value), numbers as Number#toString, and
// strings escaped only where JSON must be.
func jsStringify(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := jsParse(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("explorationgames: data after the JSON value")
	}
	var out bytes.Buffer
	jsWrite(&out, v)
	return out.Bytes(), nil
}

// jsValue is a parsed JSON value that keeps an object's key order.
type jsValue struct {
	tok   json.Token // a scalar: string, json.Number, bool or nil
	obj   bool
	keys  []string
	vals  map[string]*jsValue
	items []*jsValue // an array (arr true)
	arr   bool
}

func jsParse(dec *json.Decoder) (*jsValue, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return &jsValue{tok: tok}, nil
	}
	switch d {
	case '{':
		v := &jsValue{obj: true, vals: map[string]*jsValue{}}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string)
			val, err := jsParse(dec)
			if err != nil {
				return nil, err
			}
			if _, seen := v.vals[k]; !seen {
				v.keys = append(v.keys, k)
			}
			v.vals[k] = val
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		// JavaScript objects list array-index keys first, ascending.
		var idx, rest []string
		for _, k := range v.keys {
			if arrayIndex(k) {
				idx = append(idx, k)
			} else {
				rest = append(rest, k)
			}
		}
		slices.SortFunc(idx, func(a, b string) int {
			x, _ := strconv.ParseUint(a, 10, 64)
			y, _ := strconv.ParseUint(b, 10, 64)
			return int(int64(x) - int64(y))
		})
		v.keys = append(idx, rest...)
		return v, nil
	case '[':
		v := &jsValue{arr: true, items: []*jsValue{}}
		for dec.More() {
			item, err := jsParse(dec)
			if err != nil {
				return nil, err
			}
			v.items = append(v.items, item)
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		return v, nil
	}
	return nil, errors.New("explorationgames: unexpected JSON delimiter")
}

// arrayIndex: a canonical integer below 2³²−1, which JavaScript orders
// before other keys.
func arrayIndex(k string) bool {
	if k == "0" {
		return true
	}
	if k == "" || len(k) > 10 || k[0] < '1' || k[0] > '9' {
		return false
	}
	n, err := strconv.ParseUint(k, 10, 64)
	return err == nil && n < math.MaxUint32
}

func jsWrite(out *bytes.Buffer, v *jsValue) {
	switch {
	case v.obj:
		out.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				out.WriteByte(',')
			}
			jsQuote(out, k)
			out.WriteByte(':')
			jsWrite(out, v.vals[k])
		}
		out.WriteByte('}')
	case v.arr:
		out.WriteByte('[')
		for i, item := range v.items {
			if i > 0 {
				out.WriteByte(',')
			}
			jsWrite(out, item)
		}
		out.WriteByte(']')
	default:
		switch t := v.tok.(type) {
		case string:
			jsQuote(out, t)
		case json.Number:
			// A well-formed number parses (±Inf past the range, as in
			// JavaScript, which writes it as null).
			f, _ := strconv.ParseFloat(string(t), 64)
			out.WriteString(jsNumber(f))
		case bool:
			out.WriteString(strconv.FormatBool(t))
		default:
			out.WriteString("null")
		}
	}
}

// jsNumber is Number#toString as JSON.stringify writes it (non-finite
// numbers are null).
func jsNumber(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "null"
	}
	if f == 0 {
		return "0"
	}
	if a := math.Abs(f); a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // 1.5e-07, 1e+21
	mant, exp, _ := strings.Cut(s, "e")
	return mant + "e" + exp[:1] + strings.TrimLeft(exp[1:], "0")
}

// jsQuote writes s as JSON.stringify quotes a string.
func jsQuote(out *bytes.Buffer, s string) {
	const hexDigits = "0123456789abcdef"
	out.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			out.WriteString(`\"`)
		case '\\':
			out.WriteString(`\\`)
		case '\b':
			out.WriteString(`\b`)
		case '\f':
			out.WriteString(`\f`)
		case '\n':
			out.WriteString(`\n`)
		case '\r':
			out.WriteString(`\r`)
		case '\t':
			out.WriteString(`\t`)
		default:
			if r < 0x20 {
				out.WriteString(`\u00`)
				out.WriteByte(hexDigits[r>>4])
				out.WriteByte(hexDigits[r&0xf])
			} else {
				out.WriteRune(r)
			}
		}
	}
	out.WriteByte('"')
}

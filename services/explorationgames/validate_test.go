package explorationgames

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestParseProgress: the original's schema (types, level ≥ 1) and the
// node's bounds.
func TestParseProgress(t *testing.T) {
	for _, c := range []struct {
		body string
		ok   bool
		msg  string
	}{
		{`{"level":1}`, true, ""},
		{`{"user_name":"a","level":3,"score":-5.5,"time":150,"moves":10,"data":{"a":[1,{"b":null}]}}`, true, ""},
		{`{"level":2147483647,"score":2147483647}`, true, ""},
		{`{"level":0}`, false, `"level" must be greater than or equal to 1`},
		{`{"level":2147483648}`, false, `"level" must be less than or equal to 2147483647`},
		{`{"level":"1"}`, false, `"level" must be a number`},
		{`{"level":1.5}`, false, `"level" must be an integer`},
		{`{}`, false, `"level" is required`},
		{`{"level":1,"score":"abc"}`, false, `"score" must be a number`},
		{`{"level":1,"data":[]}`, false, `"data" must be of type object`},
		{`{"level":1,"user_name":""}`, false, `"user_name" is not allowed to be empty`},
		{`{"level":1,"x":1}`, false, `"x" is not allowed`},
		{`[]`, false, `the body must be a JSON object`},
		{`{"level":1,"score":1e400}`, false, `"score" must be a number`},
	} {
		in, err := parseProgress([]byte(c.body))
		if (err == nil) != c.ok || (err != nil && err.Error() != c.msg) {
			t.Errorf("%s: %+v %v", c.body, in, err)
		}
	}
	in, _ := parseProgress([]byte(`{"level": 3, "data": { "a" : 1 }}`))
	if in.Level != 3 || string(in.Data) != `{"a":1}` || in.Score != nil {
		t.Errorf("parsed: %+v %s", in, in.Data)
	}
}

// FuzzParseProgress: the parser of scenes' bodies never panics, and what
// it takes is within the bounds.
func FuzzParseProgress(f *testing.F) {
	for _, s := range []string{
		`{"level":1}`,
		`{"user_name":"alice","level":35,"score":300,"time":22,"moves":11,"data":{"visit":2000}}`,
		`{"level":0}`, `{"level":"1"}`, `{"level":1.5}`, `{"level":1,"data":[]}`, `{"level":1,"data":null}`,
		`{"level":1,"score":-2147483647,"time":1e-7,"moves":0}`, `{"level":1e308}`, `{"level":-0}`,
		`{"level":1,"data":{"x":"` + strings.Repeat("y", MaxDataBytes) + `"}}`,
		`{"level":1,"level":2}`, `{"level":1,"user_name":"\u0000"}`, `{"a":`, `null`, `[]`, ``, `"x"`, `{"__proto__":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := parseProgress(body)
		if err != nil {
			if _, ok := err.(inputError); !ok {
				t.Fatalf("not an input error: %v", err)
			}
			return
		}
		if in.Level < 1 || in.Level > math.MaxInt32 {
			t.Fatalf("level %d", in.Level)
		}
		for _, v := range []*float64{in.Score, in.Time, in.Moves} {
			if v != nil && (math.IsNaN(*v) || math.Abs(*v) > math.MaxInt32) {
				t.Fatalf("metric %v", *v)
			}
		}
		if in.Data != nil && (len(in.Data) > MaxDataBytes || !json.Valid(in.Data) || in.Data[0] != '{') {
			t.Fatalf("data %q", in.Data)
		}
		if len([]rune(in.UserName)) > maxUserName {
			t.Fatalf("name %q", in.UserName)
		}
	})
}

// TestJSStringify: JSON.stringify(JSON.parse(s)) as a JavaScript engine
// writes it.
func TestJSStringify(t *testing.T) {
	for in, want := range map[string]string{
		`{"b":1,"a":[1.0,2e3,"é\u00e9\n\u0001/"],"10":true,"2":null,"01":0}`: `{"2":null,"10":true,"b":1,"a":[1,2000,"éé\n\u0001/"],"01":0}`,
		` { "a" : 1 , "a" : 2 , "b" : -0 } `:                                 `{"a":2,"b":0}`,
		`[1e21, 1e-7, 0.000001, 123456789012345678901234, 1.5e-10, -1e400]`:  `[1e+21,1e-7,0.000001,1.2345678901234569e+23,1.5e-10,null]`,
		`"\u2028\"\\\t"`:                         `"` + "\u2028" + `\"\\\t"`,
		`{"4294967295":1,"4294967294":2,"x":3}`:  `{"4294967294":2,"4294967295":1,"x":3}`,
		`{"user_name":"a","level":1,"score":10}`: `{"user_name":"a","level":1,"score":10}`,
	} {
		got, err := jsStringify([]byte(in))
		if err != nil || string(got) != want {
			t.Errorf("jsStringify(%s) = %s, %v; want %s", in, got, err, want)
		}
	}
	if _, err := jsStringify([]byte(`{"a":1} x`)); err == nil {
		t.Error("trailing data taken")
	}
}

// FuzzJSStringify: what it writes is JSON that it writes again the same.
func FuzzJSStringify(f *testing.F) {
	for _, s := range []string{`{"b":1,"a":[1.0,2e3,"\u00e9"],"10":true}`, `[1e21,-0,1e-7]`, `"\ud800"`, `{"a":{"a":{"a":[]}}}`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := jsStringify(in)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("%q → invalid %q", in, out)
		}
		again, err := jsStringify(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("%q → %q → %q, %v", in, out, again, err)
		}
	})
}

// TestMeets: the original's isScoreMetCondition.
func TestMeets(t *testing.T) {
	score := func(v float64) *float64 { return &v }
	in := progressInput{Level: 3, Score: score(100), Data: json.RawMessage(`{"visit":2,"zero":0}`)}
	for data, want := range map[string]bool{
		`{"score":{"condition":">=","target":100}}`:                                     true,
		`{"score":{"condition":">","target":100}}`:                                      false,
		`{"level":{"condition":"=","target":3},"score":{"condition":"<","target":101}}`: true,
		`{"time":{"condition":"<","target":10}}`:                                        false,
		`{"data":{"customDataType":"visit","condition":">=","target":1}}`:               true,
		`{"data":{"customDataType":"zero","condition":"=","target":0}}`:                 false,
		`{"data":{"customDataType":"none","condition":">=","target":1}}`:                false,
		`{"score":{"condition":"~","target":100}}`:                                      false,
		`{"score":{"condition":">="}}`:                                                  false,
		`{"other":{"condition":">=","target":1}}`:                                       false,
		`{}`:   true,
		`null`: false,
		``:     false,
	} {
		if got := meets(in, json.RawMessage(data)); got != want {
			t.Errorf("meets(%s) = %v", data, got)
		}
	}
}

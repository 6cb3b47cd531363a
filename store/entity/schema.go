package entity

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The metadata schemas are the JSON Schemas of the pinned @dcl/schemas,
// dumped by testdata/js/schemas.js. @dcl/schemas validates them with Ajv
// extensions that a standard draft-07 validator lacks; load translates
// them (see adapt) and the few checks no schema can express are in rules.go.
//
//go:embed schemas/*.json
var schemaFiles embed.FS

var (
	schemasOnce sync.Once
	schemas     map[Type]*jsonschema.Schema
	schemasErr  error
)

// ValidateMetadata checks the metadata against its type's schema (after
// ADR-45, as the content server does) and, for emotes after ADR-74, that it
// carries emoteDataADR74.
func ValidateMetadata(e *Entity) error {
	if e.Timestamp < ADR45 {
		return nil
	}
	schemasOnce.Do(loadSchemas)
	if schemasErr != nil {
		return fmt.Errorf("entity: metadata schemas: %w", schemasErr)
	}
	headline := fmt.Sprintf("The metadata for this entity type (%s) is not valid.", e.Type)
	if len(e.Metadata) == 0 {
		return &Error{Msgs: []string{headline, "metadata is missing"}}
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(e.Metadata))
	if err != nil {
		return &Error{Msgs: []string{headline, "metadata is not JSON"}}
	}
	if err := schemas[e.Type].Validate(inst); err != nil {
		return &Error{Msgs: append([]string{headline}, schemaMessages(err)...)}
	}
	if e.Type == Emote && e.Timestamp >= ADR74 {
		obj, _ := inst.(map[string]any)
		if _, ok := obj["emoteDataADR74"]; !ok {
			keys := make([]string, 0, len(obj))
			for k := range obj {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			return Errorf("'emoteData' field version is incorrect. Expected one of: [emoteDataADR74] but found: [%s]", strings.Join(keys, ", "))
		}
	}
	return nil
}

// schemaMessages flattens a validation error into "at /path: message" lines,
// innermost causes first, at most ten.
func schemaMessages(err error) []string {
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []string{err.Error()}
	}
	var out []string
	seen := map[string]bool{}
	for _, u := range ve.BasicOutput().Errors {
		if u.Error == nil {
			continue
		}
		msg := u.Error.String()
		if strings.HasPrefix(msg, "validation failed") || strings.HasPrefix(msg, "allOf failed") {
			continue
		}
		loc := u.InstanceLocation
		if loc == "" {
			loc = "/"
		}
		line := "at " + loc + ": " + msg
		if !seen[line] {
			seen[line] = true
			out = append(out, line)
		}
	}
	if len(out) > 10 {
		out = append(out[:10], fmt.Sprintf("… and %d more", len(out)-10))
	}
	if len(out) == 0 {
		out = []string{ve.Error()}
	}
	return out
}

func loadSchemas() {
	schemas = map[Type]*jsonschema.Schema{}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	for _, t := range Types {
		raw, err := schemaFiles.ReadFile("schemas/" + string(t) + ".json")
		if err != nil {
			schemasErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			schemasErr = fmt.Errorf("%s: %w", t, err)
			return
		}
		doc = adapt(doc)
		url := "mem:///" + string(t) + ".json"
		if err := c.AddResource(url, doc); err != nil {
			schemasErr = fmt.Errorf("%s: %w", t, err)
			return
		}
		s, err := c.Compile(url)
		if err != nil {
			schemasErr = fmt.Errorf("%s: %w", t, err)
			return
		}
		schemas[t] = s
	}
}

// adapt rewrites the Ajv extensions @dcl/schemas uses into standard JSON
// Schema:
//   - nullable: true          → null added to the type
//   - prohibited: [p…]        → not: {anyOf: [{required: [p]}…]}
//   - _isBaseAvatar / _isBaseEmote → a pattern on id
//   - $data references, errorMessage, uniqueItemProperties and the custom
//     third-party keywords are dropped (representation contents ⊇ mainFile
//     is checked in rules.go; third-party merkle proofs are not checked yet)
//   - $id other than a plain-name anchor ("#name") is dropped, so that
//     every schema resolves within its own file.
func adapt(v any) any {
	switch n := v.(type) {
	case []any:
		for i := range n {
			n[i] = adapt(n[i])
		}
		return n
	case map[string]any:
		for k, child := range n {
			n[k] = adapt(child)
		}
		if nullable, _ := n["nullable"].(bool); nullable {
			switch t := n["type"].(type) {
			case string:
				n["type"] = []any{t, "null"}
			case []any:
				if !slices.Contains(t, any("null")) {
					n["type"] = append(t, "null")
				}
			}
		}
		if props, ok := n["prohibited"].([]any); ok {
			var anyOf []any
			for _, p := range props {
				anyOf = append(anyOf, map[string]any{"required": []any{p}})
			}
			n["not"] = map[string]any{"anyOf": anyOf}
		}
		if b, _ := n["_isBaseAvatar"].(bool); b {
			addIDPattern(n, "^[^:]+:decentraland:[^:]+:base-avatars:[^:]+$")
		}
		if b, _ := n["_isBaseEmote"].(bool); b {
			addIDPattern(n, "^[^:]+:decentraland:[^:]+:(base-emotes|base-scene-emotes):[^:]+$")
		}
		if c, ok := n["const"].(map[string]any); ok {
			if _, isData := c["$data"]; isData {
				delete(n, "const")
			}
		}
		if id, ok := n["$id"].(string); ok && !strings.HasPrefix(id, "#") {
			delete(n, "$id")
		}
		if c, ok := n["contains"].(map[string]any); ok && len(c) == 0 {
			delete(n, "contains")
		}
		for _, k := range []string{"nullable", "prohibited", "errorMessage", "uniqueItemProperties",
			"_isBaseAvatar", "_isBaseEmote", "_isThirdParty", "_containsHashingKeys", "_fromLessThanOrEqualTo", "_isMappingsValid"} {
			delete(n, k)
		}
		return n
	default:
		return v
	}
}

func addIDPattern(n map[string]any, pattern string) {
	props, _ := n["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
		n["properties"] = props
	}
	id, _ := props["id"].(map[string]any)
	if id == nil {
		id = map[string]any{}
	}
	id["pattern"] = pattern
	props["id"] = id
}

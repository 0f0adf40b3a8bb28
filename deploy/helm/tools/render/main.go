// render: renders a Helm chart the way `helm template` does, for CI machines without helm.
//
// Helm's template language is Go's text/template plus the sprig function library plus a few
// functions of Helm's own (include, tpl, required, toYaml, ...). This program uses the same two
// libraries (Go's standard text/template and Masterminds/sprig v3, both from Debian packages)
// and reimplements only Helm's thin engine glue: loading Chart.yaml and values, merging -f files,
// the built-in objects (.Values, .Release, .Chart, .Capabilities, .Template), Helm's extra
// functions, and the output format ("---\n# Source: CHART/templates/FILE\n" per rendered file).
//
// What it does not do (see deploy/helm/check.sh): subcharts and dependencies, .Files, lookup
// against a cluster (always empty, as in `helm template`), hooks, manifest sorting by kind,
// values.schema.json, --set with Helm's full grammar (only a.b=scalar).
//
//	render [-f values.yaml]... [--set a.b=v]... [--name RELEASE] [--namespace NS] [--strict] CHART_DIR
//
// --strict makes a reference to a missing value an error (as `helm lint --strict` does).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// apiVersions mirrors Helm's .Capabilities.APIVersions (a list with a Has method).
type apiVersions []string

func (a apiVersions) Has(v string) bool {
	for _, x := range a {
		if x == v {
			return true
		}
	}
	return false
}

type chartMeta struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	AppVersion  string `json:"appVersion"`
	Description string `json:"description"`
	Type        string `json:"type"`
	APIVersion  string `json:"apiVersion"`
}

func main() {
	var valueFiles, sets, apis listFlag
	flag.Var(&valueFiles, "f", "values file (repeatable, later wins)")
	flag.Var(&sets, "set", "a.b=value (repeatable)")
	flag.Var(&apis, "api-versions", "extra API version for .Capabilities.APIVersions (repeatable)")
	name := flag.String("name", "s3csi", "release name")
	namespace := flag.String("namespace", "kube-system", "release namespace")
	kubeVersion := flag.String("kube-version", "v1.30.0", "Kubernetes version for .Capabilities")
	strict := flag.Bool("strict", false, "a missing value is an error")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: render [-f values.yaml]... [--set a.b=v]... [--strict] CHART_DIR")
		os.Exit(2)
	}
	out, err := render(flag.Arg(0), valueFiles, sets, apis, *name, *namespace, *kubeVersion, *strict)
	if err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		os.Exit(1)
	}
	os.Stdout.WriteString(out)
}

func readYAML(path string, into interface{}) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// mergeValues merges src into dst as Helm does for -f files: maps merge recursively, anything
// else replaces, and an explicit null deletes the key.
func mergeValues(dst, src map[string]interface{}) {
	for k, v := range src {
		if v == nil {
			delete(dst, k)
			continue
		}
		sm, srcIsMap := v.(map[string]interface{})
		dm, dstIsMap := dst[k].(map[string]interface{})
		if srcIsMap && dstIsMap {
			mergeValues(dm, sm)
		} else {
			dst[k] = v
		}
	}
}

func parseScalar(s string) interface{} {
	if b, err := strconv.ParseBool(s); err == nil {
		return b
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i
	}
	if s == "null" {
		return nil
	}
	return s
}

func applySet(values map[string]interface{}, expr string) error {
	eq := strings.Index(expr, "=")
	if eq <= 0 {
		return fmt.Errorf("--set %q: want a.b=value", expr)
	}
	keys := strings.Split(expr[:eq], ".")
	m := values
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]interface{})
		if !ok {
			next = map[string]interface{}{}
			m[k] = next
		}
		m = next
	}
	mergeValues(m, map[string]interface{}{keys[len(keys)-1]: parseScalar(expr[eq+1:])})
	return nil
}

// toYAML is Helm's toYaml: sigs.k8s.io/yaml (JSON field order: sorted keys), no trailing newline.
func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func fromYAML(s string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func render(chartDir string, valueFiles, sets, apis []string, name, namespace, kubeVersion string, strict bool) (string, error) {
	var meta chartMeta
	if err := readYAML(filepath.Join(chartDir, "Chart.yaml"), &meta); err != nil {
		return "", err
	}
	if meta.Name == "" || meta.Version == "" || meta.APIVersion != "v2" {
		return "", errors.New("Chart.yaml: name, version and apiVersion v2 are required")
	}
	values := map[string]interface{}{}
	if err := readYAML(filepath.Join(chartDir, "values.yaml"), &values); err != nil {
		return "", err
	}
	for _, f := range valueFiles {
		override := map[string]interface{}{}
		if err := readYAML(f, &override); err != nil {
			return "", err
		}
		mergeValues(values, override)
	}
	for _, s := range sets {
		if err := applySet(values, s); err != nil {
			return "", err
		}
	}
	major, minor := "1", "30"
	if parts := strings.Split(strings.TrimPrefix(kubeVersion, "v"), "."); len(parts) >= 2 {
		major, minor = parts[0], parts[1]
	}
	builtin := []string{"v1", "apps/v1", "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1",
		"coordination.k8s.io/v1", "policy/v1"}
	top := map[string]interface{}{
		"Values": values,
		"Chart":  map[string]interface{}{"Name": meta.Name, "Version": meta.Version, "AppVersion": meta.AppVersion, "Description": meta.Description, "Type": meta.Type},
		"Release": map[string]interface{}{"Name": name, "Namespace": namespace, "Service": "Helm",
			"IsInstall": true, "IsUpgrade": false, "Revision": 1},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{"Version": kubeVersion, "GitVersion": kubeVersion, "Major": major, "Minor": minor},
			"APIVersions": apiVersions(append(builtin, apis...)),
		},
	}

	// Every file under templates/ is parsed into one set, so that a define in any file (the
	// _helpers.tpl convention) can be included from any other, as in Helm.
	var files []string
	tdir := filepath.Join(chartDir, "templates")
	err := filepath.Walk(tdir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)

	root := template.New("gotpl")
	if strict {
		root.Option("missingkey=error")
	} else {
		root.Option("missingkey=zero")
	}
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env") // Helm removes these two: a chart must not read the renderer's environment
	delete(funcs, "expandenv")
	includeDepth := 0
	funcs["toYaml"] = toYAML
	funcs["fromYaml"] = fromYAML
	funcs["toJson"] = toJSON
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return v, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return v, errors.New(msg)
		}
		return v, nil
	}
	funcs["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil // as `helm template`: no cluster
	}
	funcs["include"] = func(string, interface{}) (string, error) { return "", nil }
	funcs["tpl"] = func(string, interface{}) (string, error) { return "", nil }
	root.Funcs(funcs)
	// include and tpl need the parsed set itself, so they are bound after parsing.
	root.Funcs(template.FuncMap{
		"include": func(tname string, data interface{}) (string, error) {
			includeDepth++
			defer func() { includeDepth-- }()
			if includeDepth > 1000 {
				return "", fmt.Errorf("include %q: recursion too deep", tname)
			}
			var buf bytes.Buffer
			if err := root.ExecuteTemplate(&buf, tname, data); err != nil {
				return "", err
			}
			return buf.String(), nil
		},
		"tpl": func(text string, data interface{}) (string, error) {
			t, err := root.Clone()
			if err != nil {
				return "", err
			}
			t, err = t.New("tpl").Parse(text)
			if err != nil {
				return "", err
			}
			var buf bytes.Buffer
			if err := t.Execute(&buf, data); err != nil {
				return "", err
			}
			return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
		},
	})
	names := make([]string, 0, len(files))
	for _, p := range files {
		rel, _ := filepath.Rel(chartDir, p)
		tname := filepath.ToSlash(filepath.Join(meta.Name, rel))
		data, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		if _, err := root.New(tname).Parse(string(data)); err != nil {
			return "", err
		}
		names = append(names, tname)
	}

	var out strings.Builder
	for _, tname := range names {
		base := filepath.Base(tname)
		if strings.HasPrefix(base, "_") || base == "NOTES.txt" {
			continue
		}
		scope := map[string]interface{}{}
		for k, v := range top {
			scope[k] = v
		}
		scope["Template"] = map[string]interface{}{"Name": tname, "BasePath": meta.Name + "/templates"}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, tname, scope); err != nil {
			return "", err
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if strings.TrimSpace(text) == "" {
			continue
		}
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", tname, strings.TrimLeft(text, "\n"))
	}
	return out.String(), nil
}

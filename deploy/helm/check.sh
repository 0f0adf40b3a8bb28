#!/usr/bin/env bash
# Renders the s3csi chart for its default values and every variant in deploy/helm/ci/, validates
# every object, and checks the chart's rules. No helm binary is used (none is available here):
#
#  - rendering: tools/render, a small Go program built here from Debian packages (golang-go,
#    golang-github-masterminds-sprig-dev, golang-k8s-sigs-yaml-dev). It runs the chart's templates
#    with Go's text/template and the sprig functions, the two libraries helm itself uses, plus a
#    re-implementation of helm's glue (values merging, built-in objects, include/tpl/required/
#    toYaml). Every variant is rendered in --strict mode too (a missing value is an error).
#  - validation: tools/validate (node, pinned npm packages from package-lock.json): YAML without
#    duplicate keys, kubernetes-models' OpenAPI validators, a TypeScript excess-property check
#    against the Kubernetes API types (unknown fields, bad enum values), and chart_rules.js.
#  - ci/must-fail/*.yaml must be refused by the chart.
#  - if s3csi / s3csi-mounterd are built (BUILD_DIR, default build/), every flag the chart may pass
#    must appear in their --help.
#
#   deploy/helm/check.sh            (WORK_DIR, default build/helm-check, holds the tools)
#
# The last line is "chart: N passed, M failed".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${WORK_DIR:-$repo/build/helm-check}
build_dir=${BUILD_DIR:-$repo/build}
chart=$here/s3csi
mkdir -p "$work"

passed=0
failed=0
ok()  { passed=$((passed + 1)); printf '  ok    %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf '  FAIL  %s\n' "$*"; }

for tool in go node npm; do
  command -v "$tool" >/dev/null || { echo "check.sh: $tool missing (bash scripts/install-deps.sh)" >&2; exit 1; }
done

# The renderer. Debian installs Go libraries in GOPATH layout (/usr/share/gocode) without the
# /v3 directories of module paths, so a private GOPATH links them; GO111MODULE=off: no network.
gopath=$work/gopath
mkdir -p "$gopath/src/s3csirender" "$gopath/src/github.com/Masterminds/sprig" "$gopath/src/github.com/Masterminds/semver"
ln -sfn /usr/share/gocode/src/github.com/Masterminds/sprig "$gopath/src/github.com/Masterminds/sprig/v3"
ln -sfn /usr/share/gocode/src/github.com/Masterminds/semver "$gopath/src/github.com/Masterminds/semver/v3"
cp "$here/tools/render/main.go" "$gopath/src/s3csirender/main.go"
(cd "$gopath/src/s3csirender" &&
  GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" GOCACHE="$work/gocache" GOFLAGS='' go build -o "$work/render" .)

# The validator: node packages pinned by package-lock.json, installed once per lock file.
vdir=$work/validate
mkdir -p "$vdir"
if ! cmp -s "$here/tools/validate/package-lock.json" "$vdir/package-lock.json" || [[ ! -d "$vdir/node_modules" ]]; then
  cp "$here/tools/validate/package.json" "$here/tools/validate/package-lock.json" "$vdir/"
  (cd "$vdir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
cp "$here/tools/validate/"*.js "$vdir/"

echo "==> rendering and validating $chart"
variants=(default "$here"/ci/*.yaml)
for v in "${variants[@]}"; do
  name=$(basename "$v" .yaml)
  args=()
  [[ "$v" != default ]] && args=(-f "$v")
  out=$work/$name.yaml
  if ! "$work/render" "${args[@]}" "$chart" >"$out" 2>"$work/$name.err"; then
    bad "$name: render failed: $(cat "$work/$name.err")"
    continue
  fi
  if "$work/render" --strict "${args[@]}" "$chart" >"$work/$name.strict.yaml" 2>"$work/$name.err" &&
     cmp -s "$out" "$work/$name.strict.yaml"; then
    ok "$name: renders, also with --strict (no reference to an undefined value)"
  else
    bad "$name: --strict render fails or differs: $(cat "$work/$name.err")"
  fi
  if (cd "$vdir" && node validate.js "$out"); then
    ok "$name: objects valid, chart rules hold"
  else
    bad "$name: validation"
  fi
done

for v in "$here"/ci/must-fail/*.yaml; do
  name=$(basename "$v" .yaml)
  if "$work/render" -f "$v" "$chart" >/dev/null 2>"$work/$name.err"; then
    bad "must-fail/$name: the chart accepted it"
  else
    ok "must-fail/$name: refused ($(sed 's/.*error calling [a-z]*: //' "$work/$name.err" | head -c 100))"
  fi
done

# The flags the chart may pass (chart_rules.js KNOWN_FLAGS) against the built binaries' --help.
while read -r binary flags; do
  exe=$(find "$build_dir" -type f -name "$binary" -perm -u+x 2>/dev/null | head -n 1)
  if [[ -z "$exe" ]]; then
    echo "  skip  $binary not built in $build_dir: its flags are not checked"
    continue
  fi
  help=$("$exe" --help 2>&1 || true)
  missing=()
  for f in $flags; do grep -q -- "$f" <<<"$help" || missing+=("$f"); done
  if ((${#missing[@]})); then bad "$binary --help lacks ${missing[*]}"; else ok "$binary defines every flag the chart passes"; fi
done < <(cd "$vdir" && node -e '
  const { KNOWN_FLAGS } = require("./chart_rules.js");
  for (const [cmd, flags] of Object.entries(KNOWN_FLAGS)) console.log(cmd.split("/").pop(), flags.join(" "));')

echo "chart: ${passed} passed, ${failed} failed"
((failed == 0))

#!/usr/bin/env bash
# Checks the container image's inputs without a Docker engine (none runs on the build machines):
#  1. every file the Dockerfile copies from the build context or runs exists, and .dockerignore
#     does not exclude it; the install-deps.sh options it uses exist;
#  2. every binary the Dockerfile builds is a target of the CMake build (BUILD_DIR, default build/);
#  3. every runtime package of `scripts/install-deps.sh --runtime` exists in the Debian archive;
#  4. every shared library the built binaries load (ldd) comes from a package of that list, or of
#     the Debian base image (priority "required" packages and apt, with their dependencies);
#     the libraries a binary links directly (DT_NEEDED) must be listed by name, not only pulled in
#     as another package's dependency.
# What it does not prove: that `docker build` succeeds (base image pulls, the build stage's own
# apt run) nor that the image starts; CI builds and tests the same sources with the same script.
#
# The last line is "image: N passed, M failed".
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
build_dir=${BUILD_DIR:-$repo/build}
passed=0
failed=0
ok()  { passed=$((passed + 1)); printf '  ok    %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf '  FAIL  %s\n' "$*"; }

echo "==> Dockerfile inputs"
# 1. COPY sources (not --from=stage) and scripts run by RUN.
mapfile -t sources < <({ sed -n 's/^COPY \+\([^-][^ ]*\) .*/\1/p' Dockerfile
                         grep -v '^ *#' Dockerfile | grep -o 'scripts/[A-Za-z0-9_./-]*'; } | sort -u)
for src in "${sources[@]}"; do
  [[ "$src" == "." ]] && continue
  if [[ ! -e "$src" ]]; then bad "Dockerfile names $src, which does not exist"; continue; fi
  excluded=""
  while read -r pattern; do
    [[ -z "$pattern" || "$pattern" == \#* ]] && continue
    pattern=${pattern%/}
    # shellcheck disable=SC2053  # glob match on purpose
    if [[ "$src" == $pattern || "$src" == $pattern/* ]]; then excluded=$pattern; fi
  done < .dockerignore
  if [[ -n "$excluded" ]]; then bad "$src is excluded by .dockerignore ($excluded)"; else ok "$src exists and is in the build context"; fi
done
for opt in $(grep -o 'install-deps.sh --[a-z]*' Dockerfile | awk '{print $2}' | sort -u); do
  if grep -q -- "^  $opt)" scripts/install-deps.sh; then ok "install-deps.sh accepts $opt"; else bad "install-deps.sh has no $opt"; fi
done

# 2. The binaries the Dockerfile builds are CMake targets with an install rule.
mapfile -t binaries < <(sed -n 's/.*ninja -C build \(.*\) \\$/\1/p' Dockerfile | tr ' ' '\n' | grep -v '^$')
((${#binaries[@]})) || bad "no 'ninja -C build TARGETS' line found in the Dockerfile"
if [[ -f "$build_dir/build.ninja" ]]; then
  targets=$(ninja -C "$build_dir" -t targets all 2>/dev/null | sed 's/:.*//')
  for b in "${binaries[@]}"; do
    if grep -qx -- "$b" <<<"$targets"; then ok "$b is a target of the build"; else bad "$b is not a target of $build_dir (not built yet?)"; fi
    if grep -rqs -- "/$b\"" --include=cmake_install.cmake "$build_dir"; then
      ok "$b has an install rule"
    else
      bad "$b has no install() rule: cmake --install would not put it in the image"
    fi
  done
else
  bad "no CMake build in $build_dir (run the build first)"
fi

echo "==> runtime packages"
# 3. The runtime list, read from install-deps.sh itself.
runtime=$(bash -c "$(sed -n '/^RUNTIME_PKGS=(/,/)/p' scripts/install-deps.sh); echo \"\${RUNTIME_PKGS[*]}\"")
for p in $runtime; do
  policy=$(apt-cache policy "$p" 2>/dev/null)
  if [[ "$policy" =~ Candidate:\ [0-9] ]]; then ok "$p is in the Debian archive"; else bad "$p: no such Debian package (apt-get update?)"; fi
done

# 4. Libraries -> packages -> in the list, the base image, or their dependencies.
closure() {
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances "$@" 2>/dev/null | sed -n 's/^ *\(Pre\)\?Depends: \([^<]*\)$/\2/p; s/^\([a-z0-9][^ ]*\)$/\1/p' |
    sed 's/:any$//' | sort -u
}
base=$(dpkg-query -W -f '${Package} ${Priority}\n' | awk '$2=="required"{print $1}'; echo apt)
# shellcheck disable=SC2086  # package lists: word splitting on purpose
allowed=$(closure $runtime $base)
# shellcheck disable=SC2046,SC2086
direct_allowed=$(printf '%s\n' $runtime $(closure $base))
package_of() {  # the package owning a library file, trying the /lib <-> /usr/lib aliases of usrmerge
  local f real
  real=$(readlink -f "$1")
  for f in "$1" "$real" "/usr$1" "${1#/usr}" "/usr$real" "${real#/usr}"; do
    dpkg -S "$f" 2>/dev/null | head -n 1 | cut -d: -f1 && return 0
  done
  return 1
}
for b in "${binaries[@]}"; do
  exe=$(find "$build_dir" -type f -name "$b" -perm -u+x 2>/dev/null | head -n 1)
  [[ -n "$exe" ]] || { echo "  skip  $b is not built: its libraries are not checked"; continue; }
  needed=$(readelf -d "$exe" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  problems=()
  while read -r lib _ path _; do
    [[ "$path" == /* ]] || continue
    pkg=$(package_of "$path") || { problems+=("$lib: no package owns $path"); continue; }
    if grep -qx "$lib" <<<"$needed"; then
      grep -qx -- "$pkg" <<<"$direct_allowed" || problems+=("$lib (linked directly) is in $pkg, which is not in RUNTIME_PKGS")
    else
      grep -qx -- "$pkg" <<<"$allowed" || problems+=("$lib is in $pkg, which nothing in RUNTIME_PKGS pulls in")
    fi
  done < <(ldd "$exe" | grep '=>')
  if ((${#problems[@]})); then
    for p in "${problems[@]}"; do bad "$b: $p"; done
  else
    ok "$b: every library it loads ($(ldd "$exe" | grep -c '=>')) comes from the runtime packages or the base image"
  fi
done

echo "image: ${passed} passed, ${failed} failed"
((failed == 0))

#!/usr/bin/env bash
# Runs every test: unit and integration tests (against a real Ceph RGW started on 127.0.0.1),
# the ASan+UBSan build of the unit tests, and a bounded libFuzzer run of the XML parsers.
#
#   scripts/test.sh              everything (what CI runs)
#   scripts/test.sh --quick      main build and its tests only (no sanitizer build, no fuzzing)
#
# Build trees: build/ (main, -Werror), build-asan/, build-fuzz/. ccache is used when present.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1
jobs=${JOBS:-$(nproc)}
fuzz_seconds=${FUZZ_SECONDS:-60}

step() { printf '\n==> %s [%s]\n' "$*" "$(date +%T)"; }
passed=0
# run_ctest ARGS...: runs CTest (which exits non-zero on any failure) and counts its tests.
run_ctest() {
  local log
  log=$(mktemp)
  ctest "$@" 2>&1 | tee "$log"
  local n
  n=$(sed -n 's/.*tests passed, 0 tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n 1)
  rm -f "$log"
  passed=$((passed + ${n:-0}))
}

step "dependencies"
bash scripts/install-deps.sh

step "S3 test server (Ceph RGW, memstore)"
trap 'bash tests/rgw/stop.sh >/dev/null 2>&1 || true' EXIT
eval "$(bash tests/rgw/start.sh)"
export S3_TEST_ENDPOINT S3_TEST_ACCESS_KEY S3_TEST_SECRET_KEY S3_TEST_REGION
export S3_TEST_REQUIRED=1   # a missing server fails the integration tests instead of skipping them

step "build (warnings are errors)"
cmake -S . -B build -G Ninja -DS3_WERROR=ON >/dev/null
ninja -C build -j "$jobs"

step "unit and integration tests"
run_ctest --test-dir build --output-on-failure -j "$jobs"

if ((quick == 0)); then
  step "unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
  cmake -S . -B build-asan -G Ninja -DS3_SANITIZE=ON -DS3_WERROR=ON -DS3_BUILD_BENCH=OFF -DS3_BUILD_CSI=ON \
        -DCMAKE_BUILD_TYPE=Debug >/dev/null
  ninja -C build-asan -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    run_ctest --test-dir build-asan --output-on-failure -j "$jobs" -L unit

  step "fuzzing the XML/response parsers for ${fuzz_seconds}s"
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DS3_BUILD_FUZZERS=ON -DS3_WERROR=ON -DS3_BUILD_BENCH=OFF \
        -DS3_BUILD_MOUNTER=OFF -DS3_BUILD_CSI=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  ninja -C build-fuzz -j "$jobs" s3core_xml_fuzzer
  # New inputs go to a scratch corpus in the build tree; the seeds in the repo stay as they are.
  mkdir -p build-fuzz/xml-corpus
  build-fuzz/s3core/xml/s3core_xml_fuzzer -max_total_time="$fuzz_seconds" -print_final_stats=1 \
    -dict=s3core/xml/fuzz/xml.dict build-fuzz/xml-corpus s3core/xml/fuzz/corpus 2>&1 | tail -n 12
fi
step "the CSI demo of the README (plugin, mounterd, s3mount, kill -9 of the plugin, metrics)"
bash scripts/csi-demo.sh
passed=$((passed + 1))
step "helm chart (render + validate every variant) and the container image's inputs"
bash deploy/helm/check.sh
bash deploy/check-image.sh
passed=$((passed + 2))

step "all tests passed"
# The plain summary line CI reads (CTest test binaries, each holding many gtest cases).
echo "${passed} passed, 0 failed"

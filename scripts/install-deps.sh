#!/usr/bin/env bash
# Installs every build, test and benchmark dependency from Debian 12 packages.
# Idempotent: packages already present are skipped by apt. Run as root.
#
#   scripts/install-deps.sh            build + test dependencies (incl. the Ceph RGW test server)
#   scripts/install-deps.sh --build    only what building needs (the Dockerfile's build stage)
#   scripts/install-deps.sh --runtime  only what the s3mount/s3csi binaries need at run time
set -euo pipefail

BUILD_PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  clang libclang-rt-14-dev                 # libFuzzer + sanitizer runtimes
  libgrpc++-dev protobuf-compiler protobuf-compiler-grpc libprotobuf-dev
  libfuse3-dev fuse3
  libcurl4-openssl-dev libssl-dev
  nlohmann-json3-dev libpugixml-dev libspdlog-dev libfmt-dev libcli11-dev
  prometheus-cpp-dev libgtest-dev libgmock-dev libbenchmark-dev
  libxxhash-dev                            # data cache block checksums (mounter/fs/data_cache*)
)
TEST_PKGS=(
  radosgw ceph-mon ceph-osd ceph-common  # the real S3 server used by tests and benchmarks
  libnss-myhostname                      # *.localhost resolves for virtual-host addressing tests
  curl s3fs rclone python3               # comparison tools for bench/ and interop tests
  git rsync                              # tools the mount is tested under (tests/tools)
  procps psmisc util-linux
  # deploy/helm/check.sh: renders the chart with Go's text/template + sprig, validates with node
  golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev nodejs
)
# libgrpc29 and libabsl20220623: s3csi links gpr and absl directly (its metrics interceptor).
RUNTIME_PKGS=(fuse3 ca-certificates libcurl4 libssl3 libfuse3-3 libpugixml1v5 libspdlog1.10 libfmt9
              libgrpc++1.51 libprotobuf32 libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0
              libxxhash0 libgrpc29 libabsl20220623)

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps.sh: must run as root (apt-get install)" >&2
  exit 1
fi

pkgs=()
case "${1:-}" in
  --runtime) pkgs=("${RUNTIME_PKGS[@]}") ;;
  --build)   pkgs=("${BUILD_PKGS[@]}") ;;
  "")        pkgs=("${BUILD_PKGS[@]}" "${TEST_PKGS[@]}")
             # npm comes with some nodejs builds (NodeSource's) and conflicts with Debian's npm there.
             command -v npm >/dev/null || pkgs+=(npm) ;;
  *) echo "usage: $0 [--build|--runtime]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps.sh: all ${#pkgs[@]} packages already installed"
  exit 0
fi
echo "install-deps.sh: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Ceph's packages try to start services; there is no systemd here and we start daemons ourselves.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and runs the main job against a local S3
# server: installs the Debian packages, builds, starts a single-node Ceph RGW on 127.0.0.1,
# creates a bucket and moves data through s3core (a short run of the s3core benchmark, beside
# curl and awscli).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

echo "==> installing dependencies (Debian packages)"
bash scripts/install-deps.sh
echo "==> building"
cmake -S . -B build -G Ninja >/dev/null
ninja -C build
echo "==> starting the local S3 server (Ceph RGW on 127.0.0.1)"
eval "$(bash tests/rgw/start.sh)"
echo "    endpoint $S3_TEST_ENDPOINT, access key $S3_TEST_ACCESS_KEY (secret in /tmp/s3csi-rgw/env)"
echo "==> creating a bucket and moving data through s3core"
BUILD_DIR=build RGW_REUSE=1 bash bench/run_s3core_bench.sh --smoke
echo "==> done. Stop the server with: bash tests/rgw/stop.sh"

#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and runs the main job against a local S3
# server: installs the Debian packages, builds, starts a single-node Ceph RGW on 127.0.0.1,
# creates a bucket, mounts it with s3mount, uses it like a disk, and shows the objects in S3.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
bucket=${BUCKET:-quickstart}
mnt=${MOUNTPOINT:-/tmp/s3mount-quickstart}

echo "==> installing dependencies (Debian packages)"
bash scripts/install-deps.sh
echo "==> building"
cmake -S . -B build -G Ninja >/dev/null
ninja -C build
echo "==> starting the local S3 server (Ceph RGW on 127.0.0.1)"
eval "$(bash tests/rgw/start.sh)"
echo "    endpoint $S3_TEST_ENDPOINT, access key $S3_TEST_ACCESS_KEY"

# The credentials go to an s3fs-style passwd file only root can read: never on a command line.
passwd=$(mktemp /tmp/s3mount-quickstart-passwd.XXXXXX)
trap 'rm -f "$passwd"' EXIT
printf '%s:%s\n' "$S3_TEST_ACCESS_KEY" "$S3_TEST_SECRET_KEY" > "$passwd"
chmod 600 "$passwd"

s3() {  # s3 METHOD PATH: a signed request to the local server (curl's SigV4)
  curl -sS --fail-with-body -X "$1" --aws-sigv4 "aws:amz:${S3_TEST_REGION}:s3" \
    --user "$S3_TEST_ACCESS_KEY:$S3_TEST_SECRET_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    "$S3_TEST_ENDPOINT$2"
}
echo "==> creating bucket '$bucket'"
s3 PUT "/$bucket" >/dev/null 2>&1 || true  # already there on a second run

echo "==> mounting it at $mnt"
mkdir -p "$mnt"
mountpoint -q "$mnt" && fusermount3 -u "$mnt"
build/mounter/cli/s3mount "$bucket" "$mnt" \
  -o "url=$S3_TEST_ENDPOINT,use_path_request_style,passwd_file=$passwd"

echo "==> using it"
mkdir -p "$mnt/docs"
cp README.md "$mnt/docs/README.md"
echo "hello from s3mount" > "$mnt/hello.txt"
mv "$mnt/hello.txt" "$mnt/docs/hello.txt"
ls -lR "$mnt"
cmp README.md "$mnt/docs/README.md" && echo "    README.md read back through the mount: identical"

echo "==> unmounting (pending uploads are flushed first)"
fusermount3 -u "$mnt"

echo "==> the objects as S3 sees them"
s3 GET "/$bucket?list-type=2" | grep -o '<Key>[^<]*</Key>' | sed 's/<[^>]*>//g; s/^/    /'
echo "==> the CSI plugin, driven end to end as Kubernetes would (scripts/csi-demo.sh)"
bash scripts/csi-demo.sh
echo "==> done. Mount again with: build/mounter/cli/s3mount $bucket $mnt -o url=$S3_TEST_ENDPOINT,use_path_request_style,passwd_file=FILE"
echo "    Stop the server with: bash tests/rgw/stop.sh"

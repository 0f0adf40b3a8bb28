#!/usr/bin/env bash
# The CSI plugin driven end to end on this machine, as Kubernetes would drive it, against the
# local S3 server: s3csi-mounterd and s3csi (--mode all) on sockets in a temp dir, then, with
# s3csi-call playing external-provisioner and kubelet: create a volume (a prefix in a bucket),
# publish it to two "pods", write in one and read in the other, kill -9 the plugin and restart
# it (the mounts keep serving), unpublish, delete the volume. Needs a build (scripts/quickstart.sh
# makes one) and root (the plugin mounts). Run: sudo bash scripts/csi-demo.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
b=build
for bin in csi/cmd/s3csi csi/mount/s3csi-mounterd csi/tools/s3csi-call mounter/cli/s3mount; do
  [[ -x $b/$bin ]] || { echo "csi-demo: $b/$bin is missing: run scripts/quickstart.sh (or ninja -C build) first" >&2; exit 1; }
done
eval "$(bash tests/rgw/start.sh)"

work=$(mktemp -d /tmp/s3csi-demo.XXXXXX)
kubelet=$work/kubelet
mkdir -p "$kubelet/pods"
plugin_pid="" mounterd_pid=""
cleanup() {
  set +e
  for t in "$kubelet"/pods/*/volumes/*/*; do mountpoint -q "$t" 2>/dev/null && umount -l "$t"; done
  [[ -n $plugin_pid ]] && kill "$plugin_pid" 2>/dev/null
  [[ -n $mounterd_pid ]] && kill "$mounterd_pid" 2>/dev/null
  wait 2>/dev/null
  if [[ -n ${KEEP:-} ]]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The provisioner / node-publish secret, as a Kubernetes Secret would hold it: in a 0600 file.
(umask 077; printf 'accessKeyID=%s\nsecretAccessKey=%s\nendpoint=%s\nregion=%s\n' \
  "$S3_TEST_ACCESS_KEY" "$S3_TEST_SECRET_KEY" "$S3_TEST_ENDPOINT" "$S3_TEST_REGION" > "$work/secrets")

echo "==> starting s3csi-mounterd (serves the FUSE mounts; outlives plugin restarts)"
metrics_port=${METRICS_PORT:-9812}
$b/csi/mount/s3csi-mounterd --socket "$work/mounterd.sock" --s3mount "$b/mounter/cli/s3mount" \
  --metrics-address "127.0.0.1:$((metrics_port + 1))" --metrics-dir "$work/metrics" >"$work/mounterd.log" 2>&1 &
mounterd_pid=$!
start_plugin() {
  $b/csi/cmd/s3csi --mode all --endpoint "unix://$work/csi.sock" --node-id demo-node \
    --mounterd-socket "$work/mounterd.sock" --kubelet-dir "$kubelet" \
    --metrics-address "127.0.0.1:$metrics_port" >>"$work/plugin.log" 2>&1 &
  plugin_pid=$!
  for _ in $(seq 100); do [[ -S $work/csi.sock ]] && $b/csi/tools/s3csi-call --endpoint "unix://$work/csi.sock" info >/dev/null 2>&1 && return; sleep 0.1; done
  echo "csi-demo: the plugin did not start; its log:" >&2; cat "$work/plugin.log" >&2; exit 1
}
echo "==> starting s3csi --mode all"
start_plugin
call() { $b/csi/tools/s3csi-call --endpoint "unix://$work/csi.sock" "$@"; }
call info

bucket=csi-demo
curl -sS -X PUT --aws-sigv4 "aws:amz:${S3_TEST_REGION}:s3" --user "$S3_TEST_ACCESS_KEY:$S3_TEST_SECRET_KEY" \
  -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$S3_TEST_ENDPOINT/$bucket" >/dev/null || true

echo "==> CreateVolume pvc-demo (StorageClass: prefix per volume in bucket $bucket, data deleted with the PV)"
created=$(call create pvc-demo --param bucket=$bucket --param reclaimData=delete --secrets "$work/secrets")
volume=$(head -1 <<<"$created")
context=(); while read -r k; do context+=(--context "$k"); done < <(sed -n 's/^context //p' <<<"$created")
echo "    volume id: $volume"

pod_a=$kubelet/pods/pod-a/volumes/kubernetes.io~csi/pvc-demo/mount
pod_b=$kubelet/pods/pod-b/volumes/kubernetes.io~csi/pvc-demo/mount
mkdir -p "$(dirname "$pod_a")" "$(dirname "$pod_b")"  # kubelet makes the pod's volume directory
echo "==> NodePublishVolume to pod-a and pod-b (ReadWriteMany)"
call publish "$volume" "$pod_a" "${context[@]}" --secrets "$work/secrets"
call publish "$volume" "$pod_b" "${context[@]}" --secrets "$work/secrets"
echo "hello from pod-a" > "$pod_a/greeting.txt"
echo "    pod-b reads: $(cat "$pod_b/greeting.txt")"
[[ $(cat "$pod_b/greeting.txt") == "hello from pod-a" ]]

echo "==> metrics: the plugin's CSI calls and S3 requests, mounterd's and its s3mounts'"
curl -sS "http://127.0.0.1:$metrics_port/metrics" | grep -E '^s3csi_grpc_requests_total\{.*(CreateVolume|NodePublishVolume)' | sed 's/^/    /'
sleep 11  # s3mount rewrites its metrics file every 10 s
curl -sS "http://127.0.0.1:$((metrics_port + 1))/metrics" | grep -E '^s3mount_fuse_requests_total\{.*op="write"' | head -2 | sed 's/^/    /'
curl -sS "http://127.0.0.1:$((metrics_port + 1))/metrics" | grep -q '^s3_requests_total{.*operation="PutObject"'
echo "    (s3mount's PutObject requests are counted, labelled with the volume id)"

echo "==> kill -9 the plugin and start it again: the mounts keep serving"
kill -9 "$plugin_pid"; wait "$plugin_pid" 2>/dev/null || true
start_plugin
echo "    pod-a still reads: $(cat "$pod_a/greeting.txt")"
[[ $(cat "$pod_a/greeting.txt") == "hello from pod-a" ]]
grep " $pod_a " /proc/self/mountinfo | awk '{print "    mounted:", $5, $(NF-1)}'

echo "==> NodeUnpublishVolume both, DeleteVolume"
call unpublish "$volume" "$pod_a"
call unpublish "$volume" "$pod_b"
call delete "$volume" --secrets "$work/secrets"
left=$(curl -sS --aws-sigv4 "aws:amz:${S3_TEST_REGION}:s3" --user "$S3_TEST_ACCESS_KEY:$S3_TEST_SECRET_KEY" \
  -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$S3_TEST_ENDPOINT/$bucket?list-type=2" | { grep -o '<Key>[^<]*</Key>' || true; } | wc -l)
echo "    objects left in $bucket: $left"
[[ $left == 0 ]]
[[ ! -e $pod_a && ! -e $pod_b ]]  # unpublish removed the targets
echo "==> done (KEEP=1 keeps the logs: every request is logged with its secrets as ***)"

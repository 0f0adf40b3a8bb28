#!/usr/bin/env bash
# s3mount beside s3fs, rclone mount and raw s3core, on the same Ceph RGW, in one run.
#
#   bench/run_mount_bench.sh             full run: 1 GiB files, 1,000 small files, ls -l of
#                                        10,000 entries, on the bluestore bench RGW (port 7490)
#   bench/run_mount_bench.sh --smoke     16 MiB, 20 small files, 50 entries (about a minute);
#                                        proves that every step runs; asserts no timing
#
# Options:
#   --smoke              small sizes; implies --rgw test unless --rgw is given
#   --size MIB           large file size (default 1024; smoke 16)
#   --files N            small files (default 1000; smoke 20)
#   --list N             entries for ls -l (default 10000; smoke 50)
#   --only LIST          comma-separated: s3mount,s3fs,rclone,s3core (default: all four)
#   --rgw bench|test     bench: the bluestore RGW of the benchmarks (BENCH_RGW_DIR, default
#                        /tmp/s3csi-rgw-bench, port BENCH_RGW_PORT, default 7490; started if
#                        needed and left running). test: S3_TEST_* if set, else tests/rgw/start.sh.
#   --direct             mounters talk to the RGW directly, not through the counting proxy
#                        (then no "bytes sent" figures)
#   --build-dir DIR      build tree (default: $BUILD_DIR or build/); s3mount, s3core_bench and
#                        counting_proxy are built there
#
# Environment: S3MOUNT (s3mount binary to use instead of the build's), BENCH_PART_MIB (16: part
# size for all), BENCH_PARALLEL (8: parallel requests per file for all), S3MOUNT_OPTS, S3FS_OPTS
# (extra -o options), RCLONE_OPTS (extra flags), BENCH_DROP_CACHES (1: drop the page cache before
# every cold step), BENCH_STEP_TIMEOUT_S (900; smoke 120), BENCH_OUT_DIR (/tmp/mount-bench).
# What each figure means: docs/BENCHMARKS.md, "Mounters side by side".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

smoke=0 rgw="" direct=0 size_mib="" files="" list="" only="s3mount,s3fs,rclone,s3core"
BUILD_DIR=${BUILD_DIR:-$repo/build}
while (($#)); do
  case $1 in
    --smoke) smoke=1 ;;
    --size) size_mib=${2:?}; shift ;;
    --files) files=${2:?}; shift ;;
    --list) list=${2:?}; shift ;;
    --only) only=${2:?}; shift ;;
    --rgw) rgw=${2:?}; shift ;;
    --direct) direct=1 ;;
    --build-dir) BUILD_DIR=${2:?}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done
[[ -z $rgw ]] && { if ((smoke)); then rgw="test"; else rgw="bench"; fi; }
[[ $rgw == bench || $rgw == test ]] || { echo "--rgw must be bench or test" >&2; exit 2; }
SIZE_MIB=${size_mib:-$((smoke ? 16 : 1024))}
FILES=${files:-$((smoke ? 20 : 1000))}
LIST=${list:-$((smoke ? 50 : 10000))}
PART_MIB=${BENCH_PART_MIB:-16}
PARALLEL=${BENCH_PARALLEL:-8}
STEP_TIMEOUT_S=${BENCH_STEP_TIMEOUT_S:-$((smoke ? 120 : 900))}
SETTLE_MAX_S=${BENCH_SETTLE_MAX_S:-$((smoke ? 0 : 15))}
OUT_DIR=${BENCH_OUT_DIR:-/tmp/mount-bench}
SIZE=$((SIZE_MIB << 20))
for n in "$SIZE_MIB" "$FILES" "$LIST" "$PART_MIB" "$PARALLEL"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "sizes and counts must be positive integers" >&2; exit 2; }
done
IFS=, read -ra TOOLS <<<"$only"
for tool in "${TOOLS[@]}"; do
  [[ $tool =~ ^(s3mount|s3fs|rclone|s3core)$ ]] || { echo "unknown tool in --only: $tool" >&2; exit 2; }
done
has() { [[ ",$only," == *",$1,"* ]]; }
say() { printf '==> %s\n' "$*" >&2; }

# ----------------------------------------------------------------------------- prerequisites
for tool in s3fs rclone; do
  if has "$tool" && ! command -v "$tool" >/dev/null; then
    say "$tool missing: apt-get install $tool"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool"; } >&2 || true
    command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
  fi
done
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
[[ $(id -u) == 0 ]] || { echo "must run as root (FUSE mounts, drop_caches)" >&2; exit 1; }

if [[ ! -f $BUILD_DIR/CMakeCache.txt ]] || ! grep -q '^S3_BUILD_BENCH:BOOL=ON' "$BUILD_DIR/CMakeCache.txt" ||
  ! grep -q '^S3_BUILD_MOUNTER:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
  say "configuring $BUILD_DIR"
  cmake -S "$repo" -B "$BUILD_DIR" -G Ninja -DS3_BUILD_BENCH=ON -DS3_BUILD_MOUNTER=ON >&2
fi
targets=(s3core_bench counting_proxy)
[[ -z ${S3MOUNT:-} ]] && has s3mount && targets+=(s3mount)
say "building ${targets[*]}"
build_note=""
if ! ninja -C "$BUILD_DIR" -j "${JOBS:-2}" "${targets[@]}" >&2; then
  # Other work in progress may break the tree for a while; measure the last good binaries
  # rather than nothing, and say so in the results.
  for target in "$BUILD_DIR/bench/s3core_bench" "$BUILD_DIR/bench/counting_proxy" "${S3MOUNT:-$BUILD_DIR/mounter/cli/s3mount}"; do
    [[ -x $target ]] || { echo "build failed and $target does not exist" >&2; exit 1; }
  done
  build_note=" BUILD FAILED: measuring the previous binaries"
  say "$build_note"
fi
S3CORE_BENCH=$BUILD_DIR/bench/s3core_bench
PROXY_BIN=$BUILD_DIR/bench/counting_proxy
S3MOUNT=${S3MOUNT:-$BUILD_DIR/mounter/cli/s3mount}
WORKLOAD=(python3 "$here/mount_workload.py")

# ----------------------------------------------------------------------------------- the RGW
if [[ $rgw == bench ]]; then
  rgw_dir=${BENCH_RGW_DIR:-/tmp/s3csi-rgw-bench}
  say "bench RGW (bluestore) in $rgw_dir"
  env_lines=$(RGW_DIR=$rgw_dir RGW_PORT=${BENCH_RGW_PORT:-7490} RGW_DEBUG=${RGW_DEBUG:-0/5} \
    bash "$repo/tests/rgw/start.sh" --bluestore)
  eval "$env_lines"
else
  rgw_dir=${RGW_DIR:-/tmp/s3csi-rgw}
  if [[ -z ${S3_TEST_ENDPOINT:-} ]]; then
    say "test RGW in $rgw_dir"
    env_lines=$(RGW_DIR=$rgw_dir bash "$repo/tests/rgw/start.sh")
    eval "$env_lines"
  fi
fi
: "${S3_TEST_ENDPOINT:?}" "${S3_TEST_ACCESS_KEY:?}" "${S3_TEST_SECRET_KEY:?}"
export S3_TEST_ENDPOINT S3_TEST_ACCESS_KEY S3_TEST_SECRET_KEY S3_TEST_REGION=${S3_TEST_REGION:-us-east-1}
SERVER_PIDS=()
for name in client.rgw osd.0 mon.a; do
  [[ -s $rgw_dir/run/$name.pid ]] && SERVER_PIDS+=("$(<"$rgw_dir/run/$name.pid")")
done
rgw_mode=$(sed -n 's/^MODE=//p' "$rgw_dir/cluster.vars" 2>/dev/null || true)

# ----------------------------------------------------------------------- scratch and cleanup
WORK=$(mktemp -d /tmp/mount-bench.XXXXXX)  # 0700: holds the passwd file and the mounts
PASSWD_FILE=$WORK/passwd-s3fs
(umask 077 && printf '%s:%s\n' "$S3_TEST_ACCESS_KEY" "$S3_TEST_SECRET_KEY" >"$PASSWD_FILE")
mkdir -p "$OUT_DIR"
RESULTS=$OUT_DIR/results-$(date +%Y%m%d-%H%M%S).jsonl
: >"$RESULTS"
RUN_ID=$(printf '%04x%04x' $RANDOM $RANDOM)
BUCKET_PREFIX=mb-$RUN_ID
LIST_BUCKET=$BUCKET_PREFIX-list
PROXY_PID=""
bucket_of() { echo "$BUCKET_PREFIX-$1"; }

# shellcheck source-path=SCRIPTDIR
source "$here/lib/measure.sh"  # server_ticks, CLK_TCK
source "$here/lib/mounters.sh"

s3core_bench() { timeout 600 "$S3CORE_BENCH" --endpoint "$S3_TEST_ENDPOINT" "$@"; }
finish() {
  local rc=$? bucket
  trap - EXIT INT TERM
  set +e  # clean up everything, whatever fails
  unmount_all
  [[ -n $PROXY_PID ]] && { kill "$PROXY_PID" 2>/dev/null; wait "$PROXY_PID" 2>/dev/null || true; }
  for bucket in "$LIST_BUCKET" $(for t in "${TOOLS[@]}"; do bucket_of "$t"; done); do
    s3core_bench --bucket "$bucket" -w cleanup >/dev/null 2>&1 || true
  done
  # The mounters' logs are kept when something failed; they hold no secrets.
  ((rc != 0)) && [[ -d $WORK/logs ]] && cp -r "$WORK/logs" "$RESULTS.logs" && say "mounter logs: $RESULTS.logs"
  rm -rf "$WORK"
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

# The counting proxy: every mounter (and s3core) talks to S3 through it, so the bytes each one
# sends are counted; setup and durability checks go to the RGW directly and are not counted.
MOUNT_ENDPOINT=$S3_TEST_ENDPOINT
if ((direct == 0)); then
  "$PROXY_BIN" --upstream-port "${S3_TEST_ENDPOINT##*:}" >"$WORK/proxy.ports" 2>"$WORK/proxy.log" &
  PROXY_PID=$!
  for _ in $(seq 100); do [[ -s $WORK/proxy.ports ]] && break; sleep 0.05; done
  read -r proxy_port stats_port <"$WORK/proxy.ports"
  proxy_port=${proxy_port#PROXY_PORT=} stats_port=${stats_port#STATS_PORT=}
  MOUNT_ENDPOINT=http://127.0.0.1:$proxy_port
fi
rclone_env

# proxy_bytes: "SENT RECEIVED", the bytes sent to and received from S3 through the proxy so far
# ("-1 -1" without the proxy).
proxy_bytes() {
  local line fd sent received
  if [[ -z $PROXY_PID ]]; then echo "-1 -1"; return; fi
  if ! { exec {fd}<>"/dev/tcp/127.0.0.1/$stats_port"; } 2>/dev/null; then
    say "the counting proxy is not answering"
    echo "-1 -1"
    return
  fi
  read -r line <&"$fd" || line=""
  exec {fd}<&-
  [[ $line == sent=* ]] || { echo "-1 -1"; return; }
  read -r sent received _ <<<"$line"
  echo "${sent#sent=} ${received#received=}"
}

# byte_deltas "S0 R0" "S1 R1": prints "sent=.. received=.." (-1 without the proxy).
byte_deltas() {
  local s0 r0 s1 r1
  read -r s0 r0 <<<"$1"
  read -r s1 r1 <<<"$2"
  if ((s0 < 0 || s1 < 0)); then echo "sent=-1 received=-1"; else echo "sent=$((s1 - s0)) received=$((r1 - r0))"; fi
}

# settle: waits (at most SETTLE_MAX_S) until the RGW is idle, so that no step pays for the
# flushing that the previous one left behind.
settle() {
  local i before after
  for ((i = 0; i < SETTLE_MAX_S * 2; i++)); do
    server_ticks before
    sleep 0.5
    server_ticks after
    ((after - before <= CLK_TCK / 20)) && return 0
  done
}

drop_caches() {
  if [[ ${BENCH_DROP_CACHES:-1} == 1 ]]; then { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null || true; fi
}

# record TOOL WORKLOAD JSON [KEY=VALUE...]: appends one result line.
record() {
  local tool=$1 workload=$2 json=$3
  shift 3
  python3 -c 'import json, sys
r = json.loads(sys.argv[3]); r.update(tool=sys.argv[1], workload=sys.argv[2])
for kv in sys.argv[4:]:
    k, v = kv.split("=", 1); r[k] = float(v) if v.lstrip("-").replace(".", "", 1).isdigit() else v
print(json.dumps(r))' "$tool" "$workload" "$json" "$@" | tee -a "$RESULTS" >&2
}

# step TOOL WORKLOAD ARGS...: runs one mount_workload.py step on the current mount (MPID), timed
# by the script itself; records seconds, bytes sent and the mounter's CPU time during the step.
step() {
  local tool=$1 workload=$2 bytes0 bytes1 cpu0 cpu1 out
  shift 2
  settle
  bytes0=$(proxy_bytes)
  cpu0=$(proc_cpu_s "$MPID")
  if ! out=$(timeout "$STEP_TIMEOUT_S" "${WORKLOAD[@]}" "$workload" "$@"); then
    say "FAILED: $tool $workload"
    record "$tool" "$workload" '{"failed": 1}'
    return 1
  fi
  cpu1=$(proc_cpu_s "$MPID")
  bytes1=$(proxy_bytes)
  # shellcheck disable=SC2046  # two KEY=VALUE words
  record "$tool" "$workload" "$out" $(byte_deltas "$bytes0" "$bytes1") \
    "cpu_s=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.3f", b - a }')"
}

# session TOOL BUCKET COLD STEPS...: one fresh mount, the given steps ("workload args..." strings
# with @M for the mount point), the peak RSS at the end, unmount. Fails (after unmounting) at the
# first step that fails.
session() {
  local tool=$1 bucket=$2 cold=$3 s rc=0
  shift 3
  ((cold)) && drop_caches
  mount_tool "$tool" "$bucket" || { unmount_all; return 1; }
  local -a args
  for s in "$@"; do
    read -ra args <<<"${s//@M/$MNT}"
    step "$tool" "${args[@]}" || { rc=1; break; }
  done
  record "$tool" "mount" "{}" "hwm_kib=$(proc_hwm_kib "$MPID")"
  unmount_tool
  return "$rc"
}

# run_mounter TOOL: every workload on fresh mounts of the tool's own bucket. A failed workload is
# reported and the others still run (those that need the large file only if it was written).
run_mounter() {
  local tool=$1 bucket rc=0
  bucket=$(bucket_of "$tool")
  # The middle. (At SIZE/2 + 4097, s3fs 1.90 fails the flush with EntityTooSmall: it makes a
  # 4097-byte UploadPartCopy part. See docs/BENCHMARKS.md; BENCH_MODIFY_OFFSET moves it.)
  local key=large.bin mid=${BENCH_MODIFY_OFFSET:-$((SIZE / 2))}
  local durable="--bucket $bucket --key $key"
  say "$tool: sequential write of $SIZE_MIB MiB"
  if session "$tool" "$bucket" 0 "write @M/$key --size $SIZE $durable"; then
    say "$tool: cold sequential read"
    session "$tool" "$bucket" 1 "read @M/$key" || rc=1
    say "$tool: time to first byte, cold"
    session "$tool" "$bucket" 1 "ttfb @M/$key" || rc=1
    say "$tool: 1-byte change at offset $mid"
    session "$tool" "$bucket" 0 "modify @M/$key --offset $mid $durable" || rc=1
  else
    rc=1
  fi
  say "$tool: $FILES small files: create; then, on a fresh mount, stat-scan, read, delete"
  local small="--count $FILES --bucket $bucket --prefix small/f"
  if session "$tool" "$bucket" 0 "small-create @M/small $small"; then
    session "$tool" "$bucket" 1 "small-stat @M/small $small" "small-read @M/small $small" \
      "small-delete @M/small $small" || rc=1
  else
    rc=1
  fi
  say "$tool: ls -l of $LIST entries, cold"
  session "$tool" "$LIST_BUCKET" 1 "ls @M --count $LIST" || rc=1
  return "$rc"
}

# result_field NAME LINE: the value of NAME=VALUE in a RESULT line.
result_field() {
  local value=${2#* "$1"=}
  echo "${value%% *}"
}

# s3core: the same sequential PUT and GET with the raw client (s3core_bench), through the proxy.
run_s3core() {
  local bucket workload bytes0 bytes1 line
  bucket=$(bucket_of s3core)
  for workload in write-large read-large; do
    settle
    bytes0=$(proxy_bytes)
    line=$(timeout "$STEP_TIMEOUT_S" "$S3CORE_BENCH" --endpoint "$MOUNT_ENDPOINT" --bucket "$bucket" \
      --size-mib "$SIZE_MIB" --part-mib "$PART_MIB" --threads "$PARALLEL" -w "$([[ $workload == write-large ]] && echo put-large || echo get-large)" | grep '^RESULT') ||
      { say "FAILED: s3core $workload"; record s3core "${workload%-large}" '{"failed": 1}'; return 1; }
    bytes1=$(proxy_bytes)
    # shellcheck disable=SC2046  # two KEY=VALUE words
    record s3core "${workload%-large}" "{}" \
      "seconds=$(result_field wall_s "$line")" "cpu_s=$(result_field cpu_s "$line")" \
      "bytes=$SIZE" $(byte_deltas "$bytes0" "$bytes1")
  done
}

# ------------------------------------------------------------------------------------ the run
{
  echo "# Mounters side by side, $(date -Is)"
  echo "# host: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# RGW ${rgw_mode:-?} at $S3_TEST_ENDPOINT; mounters via $MOUNT_ENDPOINT$([[ -n $PROXY_PID ]] && echo ' (counting proxy)')"
  echo "# size $SIZE_MIB MiB, $FILES small files of 4 KiB, ls -l of $LIST entries, parts $PART_MIB MiB, $PARALLEL parallel"
  echo "# s3mount $("$S3MOUNT" --version 2>/dev/null | head -1 || true) (tree at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo ?), uncommitted changes included)$build_note"
  echo "# $(s3fs --version 2>/dev/null | head -1); $(rclone version 2>/dev/null | head -1)"
  for tool in s3mount s3fs rclone; do
    if has "$tool"; then echo "# $tool: $(mount_command "$tool" BUCKET MOUNTPOINT CACHE_DIR | tr '\n' ' ')"; fi
  done
} | tee "$OUT_DIR/header.txt" >&2

for tool in "${TOOLS[@]}"; do s3core_bench --bucket "$(bucket_of "$tool")" -w setup >/dev/null; done
if has s3mount || has s3fs || has rclone; then
  say "creating $LIST objects directly (not through a mount) in $LIST_BUCKET"
  s3core_bench --bucket "$LIST_BUCKET" -w setup >/dev/null
  timeout "$STEP_TIMEOUT_S" "${WORKLOAD[@]}" populate --bucket "$LIST_BUCKET" --count "$LIST" >&2
fi
failed=()
for tool in "${TOOLS[@]}"; do
  if [[ $tool == s3core ]]; then
    run_s3core || failed+=(s3core)
  else
    run_mounter "$tool" || failed+=("$tool")
  fi
done

cat "$OUT_DIR/header.txt" >"$RESULTS.md"
echo >>"$RESULTS.md"
python3 "$here/lib/mount_report.py" --size "$SIZE" --files "$FILES" --list "$LIST" "$RESULTS" >>"$RESULTS.md"
cat "$RESULTS.md"
say "results: $RESULTS and $RESULTS.md"
if ((${#failed[@]})); then
  say "FAILED workloads for: ${failed[*]} (see the log lines above)"
  exit 1
fi

#!/usr/bin/env bash
# Raw throughput of s3core beside curl and awscli, against a local Ceph RGW, in one run.
#
#   bench/run_s3core_bench.sh            full run: 1 GiB objects, 2000 small requests, on a
#                                        separate bluestore RGW (/tmp/s3csi-rgw-bench, port 7490)
#   bench/run_s3core_bench.sh --smoke    64 MiB and a few requests, on the test RGW (memstore,
#                                        port 7480): proves the benchmark runs; asserts no timing
#
# Options:
#   --smoke              small sizes; implies --rgw test unless --rgw is given
#   --rgw bench|test     bench: start (or reuse) a bluestore RGW of its own (BENCH_RGW_DIR,
#                        default /tmp/s3csi-rgw-bench, BENCH_RGW_PORT, default 7490), so that
#                        tests and benchmarks do not disturb each other; it is left running
#                        (stop: RGW_DIR=/tmp/s3csi-rgw-bench bash tests/rgw/stop.sh).
#                        test: the test RGW, from S3_TEST_* if set, else tests/rgw/start.sh.
#   --tools "LIST"       any of: s3core curl awscli (default: all three)
#   --build-dir DIR      build tree (default: $BUILD_DIR or build/); configured with
#                        -DS3_BUILD_BENCH=ON and target s3core_bench built if needed
#   --keep               keep the bucket and objects afterwards
#   --stop-rgw           stop the bench RGW at the end (--rgw bench only)
#
# Sizes (environment): BENCH_SIZE_MIB (1024; smoke 64), BENCH_PART_MIB (8), BENCH_THREADS (8),
# BENCH_SMALL_OPS (2000; smoke 50), BENCH_SMALL_THREADS ("1 16"), BENCH_AWS_SMALL_OPS (500;
# smoke 20), BENCH_AWS_HEAD_OPS (10; smoke 2), BENCH_BUCKET (s3core-bench), BENCH_SETTLE_MAX_S
# (15; smoke 0: longest wait for an idle server before each step). RGW_REUSE=1 is
# --rgw test. Results: RESULT lines and tables on stdout, also saved in BENCH_OUT_DIR
# (/tmp/s3core-bench). What each workload does: docs/BENCHMARKS.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

smoke=0 rgw="" keep=0 stop_rgw=0
tools=${BENCH_TOOLS:-"s3core curl awscli"}
BUILD_DIR=${BUILD_DIR:-$repo/build}
while (($#)); do
  case $1 in
    --smoke) smoke=1 ;;
    --rgw) rgw=${2:?}; shift ;;
    --tools) tools=${2:?}; shift ;;
    --build-dir) BUILD_DIR=${2:?}; shift ;;
    --keep) keep=1 ;;
    --stop-rgw) stop_rgw=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done
[[ ${RGW_REUSE:-0} == 1 && -z $rgw ]] && rgw="test"
if [[ -z $rgw ]]; then if ((smoke)); then rgw="test"; else rgw="bench"; fi; fi
[[ $rgw == bench || $rgw == test ]] || { echo "--rgw must be bench or test" >&2; exit 2; }

SIZE_MIB=${BENCH_SIZE_MIB:-$((smoke ? 64 : 1024))}
PART_MIB=${BENCH_PART_MIB:-8}
THREADS=${BENCH_THREADS:-8}
SMALL_OPS=${BENCH_SMALL_OPS:-$((smoke ? 50 : 2000))}
SMALL_THREADS=${BENCH_SMALL_THREADS:-"1 16"}
AWS_SMALL_OPS=${BENCH_AWS_SMALL_OPS:-$((smoke ? 20 : 500))}
AWS_HEAD_OPS=${BENCH_AWS_HEAD_OPS:-$((smoke ? 2 : 10))}
SETTLE_MAX_S=${BENCH_SETTLE_MAX_S:-$((smoke ? 0 : 15))}
BUCKET=${BENCH_BUCKET:-s3core-bench}
OUT_DIR=${BENCH_OUT_DIR:-/tmp/s3core-bench}
SIZE=$((SIZE_MIB << 20))
PART=$((PART_MIB << 20))
SMALL_SIZE=4096

say() { printf '==> %s\n' "$*" >&2; }

# ------------------------------------------------------------------------------ dependencies
need_apt=()
command -v curl >/dev/null || need_apt+=(curl)
[[ " $tools " == *" awscli "* ]] && ! command -v aws >/dev/null && need_apt+=(awscli)
if ((${#need_apt[@]})); then
  say "installing ${need_apt[*]} (apt-get)"
  if apt-get update -qq >&2; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2 || true
  fi
fi
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }
if [[ " $tools " == *" awscli "* ]] && ! command -v aws >/dev/null; then
  say "awscli unavailable; running without it"
  tools=${tools//awscli/}
fi

# ------------------------------------------------------------------------------------- build
if [[ -n ${BENCH_BIN:-} ]]; then
  BENCH=$BENCH_BIN
else
  if [[ ! -f $BUILD_DIR/CMakeCache.txt ]] || ! grep -q '^S3_BUILD_BENCH:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
    say "configuring $BUILD_DIR"
    cmake -S "$repo" -B "$BUILD_DIR" -G Ninja -DS3_BUILD_BENCH=ON >&2
  fi
  say "building s3core_bench"
  ninja -C "$BUILD_DIR" -j "${JOBS:-2}" s3core_bench >&2
  BENCH=$BUILD_DIR/bench/s3core_bench
fi

# --------------------------------------------------------------------------------------- RGW
if [[ $rgw == bench ]]; then
  rgw_dir=${BENCH_RGW_DIR:-/tmp/s3csi-rgw-bench}
  say "RGW for benchmarks (bluestore) in $rgw_dir"
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
# shellcheck disable=SC2034  # ACCESS_KEY, SECRET_KEY, REGION: used by the sourced workloads
ENDPOINT=${S3_TEST_ENDPOINT:?} ACCESS_KEY=${S3_TEST_ACCESS_KEY:?} SECRET_KEY=${S3_TEST_SECRET_KEY:?}
REGION=${S3_TEST_REGION:-us-east-1}
export S3_TEST_ENDPOINT S3_TEST_ACCESS_KEY S3_TEST_SECRET_KEY S3_TEST_REGION=$REGION
SERVER_PIDS=()
for name in client.rgw osd.0 mon.a; do
  [[ -s $rgw_dir/run/$name.pid ]] && SERVER_PIDS+=("$(<"$rgw_dir/run/$name.pid")")
done
rgw_mode=$(sed -n 's/^MODE=//p' "$rgw_dir/cluster.vars" 2>/dev/null || true)

# -------------------------------------------------------------------------- scratch and data
scratch_root=/tmp
[[ -d /dev/shm && -w /dev/shm ]] && scratch_root=/dev/shm  # data files stay in RAM, off the RGW's disk
WORK=$(mktemp -d "$scratch_root/s3core-bench.XXXXXX")
mkdir -p "$OUT_DIR"
stamp=$(date +%Y%m%d-%H%M%S)
RESULTS="$OUT_DIR/results-$stamp.txt"
finish() {
  local rc=$?
  if ((keep == 0)) && [[ -x ${BENCH:-} ]]; then
    "$BENCH" --endpoint "$ENDPOINT" --bucket "$BUCKET" -w cleanup >&2 || rc=1
  fi
  rm -rf "$WORK"
  if ((stop_rgw)) && [[ $rgw == bench ]]; then RGW_DIR=$rgw_dir bash "$repo/tests/rgw/stop.sh" >&2 || true; fi
  exit "$rc"
}
trap finish EXIT

# shellcheck source-path=SCRIPTDIR
source "$here/lib/measure.sh"
source "$here/lib/curl_workloads.sh"
source "$here/lib/awscli_workloads.sh"

say "preparing ${SIZE_MIB} MiB of data in $WORK"
SRC_FILE=$WORK/src.bin SMALL_FILE=$WORK/small.bin PART_DIR=$WORK/parts
head -c "$SIZE" /dev/urandom >"$SRC_FILE"
head -c "$SMALL_SIZE" /dev/urandom >"$SMALL_FILE"
mkdir -p "$PART_DIR" && split -b "$PART" -d -a 5 "$SRC_FILE" "$PART_DIR/part."
PART_COUNT=$(((SIZE + PART - 1) / PART))

{
  echo "# s3core raw throughput, $(date -Is)"
  echo "# host: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); RGW ${rgw_mode:-?} at $ENDPOINT"
  echo "# size ${SIZE_MIB} MiB, part ${PART_MIB} MiB, threads $THREADS, small ops $SMALL_OPS (awscli $AWS_SMALL_OPS, head $AWS_HEAD_OPS)"
  echo "# $(curl --version | head -1)"
  command -v aws >/dev/null && echo "# $(aws --version 2>&1)"
  echo "# s3core at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
} | tee "$RESULTS" >&2

has() { [[ " $tools " == *" $1 "* ]]; }
s3core_run() { "$BENCH" --endpoint "$ENDPOINT" --bucket "$BUCKET" --prefix bench/s3core/ --size-mib "$SIZE_MIB" \
  --part-mib "$PART_MIB" --threads "$THREADS" "${SERVER_PIDS[@]/#/--server-pid=}" "$@" | tee -a "$RESULTS"; }

# One step per tool and workload: step_TOOL_WORKLOAD [THREADS]. Each measures itself.
step_s3core_put_large() { s3core_run -w put-large; }
step_curl_put_large() {
  curl_prepare_large bench/curl/large
  measure curl put-large "$THREADS" "$SIZE" $((PART_COUNT + 2)) curl_put_large bench/curl/large
}
step_awscli_put_large() { measure awscli put-large "$THREADS" "$SIZE" $((PART_COUNT + 2)) aws_put_large bench/awscli/large; }

step_s3core_get_large() { s3core_run -w get-large; }
step_curl_get_large() { measure curl get-large "$THREADS" "$SIZE" "$PART_COUNT" curl_get_large; }
step_awscli_get_large() { measure awscli get-large "$THREADS" "$SIZE" $((PART_COUNT + 1)) aws_get_large bench/awscli/large; }

step_s3core_get_single() { s3core_run -w get-single; }
step_curl_get_single() { measure curl get-single 1 "$SIZE" 1 curl_get_single bench/curl/large; }
step_awscli_get_single() { measure awscli get-single 1 "$SIZE" 2 aws_get_single bench/awscli/large; }

step_s3core_put_single() { s3core_run -w put-single --file "$SRC_FILE"; }
step_curl_put_single() { measure curl put-single 1 "$SIZE" 1 curl_put_single bench/curl/single; }
step_awscli_put_single() { measure awscli put-single 1 "$SIZE" 1 aws_put_single bench/awscli/single; }

step_s3core_small() { s3core_run -w small --small-ops "$SMALL_OPS" --small-threads "$1" --small-kinds "$2"; }
step_curl_small() {
  local cfg
  cfg=$(curl_small_config "$2" "bench/curl/small/t$1/" "$SMALL_OPS")
  measure curl "small-$2" "$1" 0 "$SMALL_OPS" curl_small "$2" "$cfg" "$1"
}
step_awscli_small() {
  local prefix="bench/awscli/small/t$1/"
  case $2 in
    put) measure awscli small-put "$1" 0 "$AWS_SMALL_OPS" aws_small_put "$1" "$WORK/aws-small-src" "$prefix" ;;
    get) measure awscli small-get "$1" 0 $((AWS_SMALL_OPS + 1)) \
      aws_small_get "$1" "$WORK/aws-small-dst" "$prefix" "$AWS_SMALL_OPS" ;;
    head) # no bulk form: one process per request, so only a few, and only sequentially
      if (($1 == 1 && AWS_HEAD_OPS > 0)); then
        measure awscli small-head "$1" 0 "$AWS_HEAD_OPS" aws_small_head_processes "$prefix" "$AWS_HEAD_OPS"
      fi ;;
  esac
}

# settle: waits (at most SETTLE_MAX_S seconds) until the RGW is idle, so that one tool's run
# does not pay for the flushing, compaction or garbage collection that the previous one caused.
settle() {
  local i before after
  for ((i = 0; i < SETTLE_MAX_S * 2; i++)); do
    server_ticks before
    sleep 0.5
    server_ticks after
    ((after - before <= CLK_TCK / 20)) && return 0  # under 10% of one core
  done
  return 0
}

# run_all WORKLOAD ARGS...: the workload with every tool. The tools take turns going first
# (the order rotates from one workload to the next), so none always meets a server still busy
# with the previous one's work.
rotation=0
run_all() {
  local workload=$1 i n tool
  shift
  local -a order
  read -ra order <<<"$tools"
  n=${#order[@]}
  for ((i = 0; i < n; i++)); do
    tool=${order[(i + rotation) % n]}
    settle
    "step_${tool}_${workload}" "$@"
  done
  rotation=$((rotation + 1))
}

"$BENCH" --endpoint "$ENDPOINT" --bucket "$BUCKET" -w setup
has awscli && aws_prepare
has awscli && aws_small_files "$WORK/aws-small-src" "$AWS_SMALL_OPS"

say "put-large: multipart upload of ${SIZE_MIB} MiB, ${PART_MIB} MiB parts, $THREADS in flight"
run_all put_large
say "get-large: ranged GETs of ${PART_MIB} MiB, $THREADS in flight"
run_all get_large
say "get-single: one GET of the whole object"
run_all get_single
say "put-single: one PUT of the whole object, from a file"
run_all put_single
for t in $SMALL_THREADS; do
  for kind in put get head; do
    say "small-$kind: ${SMALL_SIZE}-byte objects, $t in flight"
    run_all small "$t" "$kind"
  done
done

print_tables "$RESULTS" | tee -a "$RESULTS"
echo "(awscli small-head: one 'aws s3api head-object' process per request, Python start included)"
say "results saved in $RESULTS"

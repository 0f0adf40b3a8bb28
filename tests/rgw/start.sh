#!/usr/bin/env bash
# Starts a real single-node Ceph RADOS Gateway (S3) on 127.0.0.1 for tests and benchmarks:
# one ceph-mon, one ceph-osd (memstore by default, bluestore on a sparse file with --bluestore)
# and radosgw (beast). Bootstraps the cluster on first use, restarts it from the existing state
# afterwards, and does nothing if it is already running and healthy.
#
#   eval "$(tests/rgw/start.sh)"          # memstore (default), prints S3_TEST_* exports
#   tests/rgw/start.sh --bluestore        # bluestore on a sparse file, for benchmarks
#
# stdout carries only the `export S3_TEST_...` lines; all diagnostics go to stderr.
# See tests/rgw/README.md for the environment variables.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: tests/rgw/start.sh [--memstore | --bluestore]
  --memstore   OSD keeps objects in RAM (default for a new cluster; fast, saved to disk on clean stop)
  --bluestore  OSD uses BlueStore on a sparse file (for benchmarks)
Without a flag an existing cluster keeps its mode; a flag that differs from the existing
cluster's mode wipes it and bootstraps a new one.
EOF
}

mode_req=""
for arg in "$@"; do
  case "$arg" in
    --memstore) mode_req=memstore ;;
    --bluestore) mode_req=bluestore ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

# fd 3 = the caller's stdout (only the env exports go there); everything else goes to stderr.
exec 3>&1 1>&2

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

D=${RGW_DIR:-/tmp/s3csi-rgw}
D=${D%/}
[[ $D == /* ]] || D="$PWD/$D"
RGW_PORT=${RGW_PORT:-7480}
ACCESS_KEY=${RGW_ACCESS_KEY:-s3csitestaccess}
SECRET_KEY=${RGW_SECRET_KEY:-s3csitestsecret0123456789abcdefghijklmn}
REGION=us-east-1
MEMSTORE_BYTES=${RGW_MEMSTORE_BYTES:-$((6 << 30))}
BLUESTORE_SIZE=${RGW_BLUESTORE_SIZE:-20G}
TIMEOUT=${RGW_START_TIMEOUT:-90}  # overall bound for one bootstrap/restart attempt, seconds
ENDPOINT="http://127.0.0.1:$RGW_PORT"
CONF="$D/ceph.conf"
export CEPH_CONF="$CONF"

t_start=$(date +%s.%N)
log() { printf '[rgw-start %s] %s\n' "$(date +%T)" "$*" >&2; }
elapsed() { awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
die() {
  log "ERROR: $*"
  exit 1
}

[[ $(id -u) -eq 0 ]] || die "must run as root"
[[ $RGW_PORT =~ ^[0-9]+$ ]] || die "RGW_PORT must be a number"

for tool in radosgw ceph-mon ceph-osd ceph-authtool ceph curl uuidgen flock; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "$tool is missing; running scripts/install-deps.sh"
    bash "$repo/scripts/install-deps.sh" >&2
    break
  fi
done

mkdir -p "$(dirname "$D")"
# Serialize concurrent start/stop calls for this state dir. The lock file lives next to the
# state dir so that --purge can remove the dir while holding the lock.
exec 9>"$D.lock"
flock -w 300 9 || die "timed out waiting for the lock $D.lock"

# ---------------------------------------------------------------------------------- helpers
# pid_of NAME EXE: prints the pid recorded in $D/run/NAME.pid if that process is alive and
# runs EXE; fails otherwise.
pid_of() {
  local f="$D/run/$1.pid" p
  [[ -s $f ]] || return 1
  p=$(<"$f")
  [[ $p =~ ^[0-9]+$ ]] || return 1
  [[ "$(readlink "/proc/$p/exe" 2>/dev/null)" == */"$2" ]] || return 1
  echo "$p"
}

# curl 7.88's --aws-sigv4 does not send x-amz-content-sha256, which RGW requires for SigV4
# (SignatureDoesNotMatch otherwise); curl signs the header when we add it ourselves.
SIGV4=(--aws-sigv4 "aws:amz:$REGION:s3" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")

s3_status() {  # prints the HTTP status of an authenticated ListBuckets (000 if no answer)
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    "${SIGV4[@]}" --user "$ACCESS_KEY:$SECRET_KEY" "$ENDPOINT/" 2>/dev/null || true
}

s3() {  # s3 METHOD PATH [curl args...]: authenticated path-style request, fails on HTTP errors
  local method=$1 path=$2
  shift 2
  curl -sS --fail-with-body --max-time 30 -X "$method" \
    "${SIGV4[@]}" --user "$ACCESS_KEY:$SECRET_KEY" "$@" "$ENDPOINT$path"
}

print_env() {
  local env
  env=$(printf 'export S3_TEST_ENDPOINT=%s\nexport S3_TEST_ACCESS_KEY=%s\nexport S3_TEST_SECRET_KEY=%s\nexport S3_TEST_REGION=%s\n' \
    "$ENDPOINT" "$ACCESS_KEY" "$SECRET_KEY" "$REGION")
  (umask 077 && printf '%s\n' "$env" >"$D/env.tmp") && chmod 600 "$D/env.tmp" && mv -f "$D/env.tmp" "$D/env"
  printf '%s\n' "$env" >&3
}

tail_logs() {  # tail_logs NAME...: show the end of the daemon logs on stderr
  local n f
  for n in "$@"; do
    for f in "$D/log/$n.log" "$D/log/$n.out"; do
      [[ -s $f ]] || continue
      echo "----- tail -n 40 $f -----" >&2
      tail -n 40 "$f" >&2
    done
  done
}

port_busy() {  # port_busy PORT: does something accept connections on 127.0.0.1:PORT?
  (exec 8<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# We hold the lock; tell stop.sh not to take it again.
stop_all() { RGW_DIR="$D" _RGW_LOCK_HELD=1 bash "$here/stop.sh" 9>&- >&2 || true; }

wipe_state() {
  stop_all
  local block=""
  [[ -s $D/cluster.vars ]] && block=$(sed -n 's/^BLOCK_FILE=//p' "$D/cluster.vars")
  [[ -n $block ]] && rm -f -- "$block"
  rm -rf -- "$D"
}

# start_daemon NAME EXE ARGS...: runs a daemon in the foreground (-f) of its own session,
# detached from our stdio and the lock fd, and records its pid in $D/run/NAME.pid.
start_daemon() {
  local name=$1 exe=$2
  shift 2
  setsid "$exe" -f -c "$CONF" "$@" </dev/null >>"$D/log/$name.out" 2>&1 3>&- 9>&- &
  echo $! >"$D/run/$name.pid"
}

deadline=0
set_deadline() { deadline=$(($(date +%s) + TIMEOUT)); }
time_left() { (($(date +%s) < deadline)); }

# wait_for NAME EXE WHAT CMD...: polls CMD until it succeeds; fails early if the daemon died.
wait_for() {
  local name=$1 exe=$2 what=$3
  shift 3
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! pid_of "$name" "$exe" >/dev/null; then
      log "$name exited while waiting for $what"
      return 1
    fi
    if ! time_left; then
      log "timed out after ${TIMEOUT}s waiting for $what"
      return 1
    fi
    sleep 0.2
  done
}

asok() { timeout 10 ceph --admin-daemon "$D/run/$1.asok" "${@:2}"; }
mon_ready() { asok mon.a mon_status 2>/dev/null | grep -q '"state": "leader"'; }
osd_ready() { asok osd.0 status 2>/dev/null | grep -q '"state": "active"'; }
rgw_ready() { [[ $(s3_status) == 200 ]]; }

write_conf() {  # (re)generates ceph.conf from cluster.vars and the current environment
  local frontends="beast endpoint=127.0.0.1:$RGW_PORT"
  # *.localhost resolves to ::1 first; listen there too so virtual-host clients don't have to
  # fall back to 127.0.0.1 after a refused connection.
  if [[ ${RGW_LISTEN_IPV6:-1} == 1 ]] && ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/'; then
    frontends+=" endpoint=[::1]:$RGW_PORT"
  fi
  frontends+=" tcp_nodelay=1"
  local store
  if [[ $MODE == memstore ]]; then
    store="osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES
osd memory target = 2147483648"
  else
    # The VM's virtio disk claims to be rotational; by default tune for the (flash) storage
    # behind it. RGW_BLUESTORE_MEDIA=hdd or auto (trust the kernel) changes that.
    local media=${RGW_BLUESTORE_MEDIA:-ssd}
    if [[ $media == auto ]]; then media=default; fi
    store="osd objectstore = bluestore
bluestore block path = $BLOCK_FILE
bluestore block create = false
bluestore fsck on mount = false
bluestore debug enforce settings = $media
# The aio thread's poll timeout; every bdev close waits for it, and the OSD opens and closes
# the device ~15 times while starting (2.5 s of startup with the default of 250 ms).
bdev aio poll ms = 20
osd memory target = 4294967296"
    if [[ $media == ssd ]]; then
      store+="
osd op num shards = 8
osd op num threads per shard = 2"
    fi
  fi
  cat >"$CONF.tmp" <<EOF
# Generated by tests/rgw/start.sh; regenerated on every start.
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
# msgr2 "secure" mode towards the mon makes radosgw loop on auth error -13 here.
ms mon client mode = crc secure
ms mon service mode = crc secure
ms mon cluster mode = crc secure
ms client mode = crc secure
ms service mode = crc secure
ms cluster mode = crc secure
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $D/keyring
run dir = $D/run
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
log to stderr = false
err to stderr = true
crash dir = $D/crash
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool delete = true
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon osd down out interval = 0
mon warn on osd down out interval zero = false
mon warn on insecure global id reclaim allowed = false
mon data avail warn = 2
mon data avail crit = 1
# Single mon: commit map changes (pool creation, osd boot) quickly.
paxos propose interval = 0.05
paxos min wait = 0.01

[mon]
mon data = $D/mon
keyring = $D/mon/keyring
mon cluster log file = $D/log/cluster.log

[osd]
osd data = $D/osd
$store
# Clean shutdown (memstore saves its contents to osd data on umount).
osd fast shutdown = false
osd mon shutdown timeout = 2
osd max object size = 134217728
osd crush update on start = true

[client.rgw]
rgw frontends = $frontends
rgw dns name = localhost
rgw data = $D/rgw
rgw max chunk size = 4194304
rgw crypt require ssl = false
# SSE-KMS against a fixed test key (never a real KMS): lets tests cover aws:kms requests.
rgw crypt s3 kms backend = testing
rgw crypt s3 kms encryption keys = s3csi-test-key=c3NjaS10ZXN0LWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE=
rgw enable usage log = false
rgw exit timeout secs = 5
rgw gc obj min wait = 60
rgw gc processor period = 60
debug rgw = ${RGW_DEBUG:-1/5}
EOF
  mv -f "$CONF.tmp" "$CONF"
}

# ------------------------------------------------------------------------ cluster lifecycle
load_vars() {
  FSID="" MON_PORT="" MODE="" OSD_UUID="" BLOCK_FILE=""
  # shellcheck disable=SC1091
  [[ -s $D/cluster.vars ]] && source "$D/cluster.vars"
  [[ -n $FSID && -n $MON_PORT && -n $MODE && -n $OSD_UUID ]]
}

pick_mon_port() {
  local p
  for p in ${RGW_MON_PORT:-} 6789 $(seq 6790 6899); do
    port_busy "$p" || { echo "$p"; return 0; }
  done
  return 1
}

start_mon() {
  start_daemon mon.a ceph-mon -i a
  wait_for mon.a ceph-mon "the mon to become leader" mon_ready || { tail_logs mon.a; return 1; }
  log "mon up on 127.0.0.1:$MON_PORT ($(elapsed)s)"
}

start_osd() {
  # Removed by stop.sh after a clean OSD shutdown. A memstore OSD that died without one has
  # lost everything written since its last clean stop, so the cluster must be re-bootstrapped.
  touch "$D/osd.dirty"
  start_daemon osd.0 ceph-osd -i 0
  wait_for osd.0 ceph-osd "the osd to become active" osd_ready || { tail_logs osd.0; return 1; }
  log "osd.0 ($MODE) active ($(elapsed)s)"
}

start_rgw() {
  if port_busy "$RGW_PORT"; then
    log "port $RGW_PORT is already in use:"
    ss -Hltnp "sport = :$RGW_PORT" >&2 2>/dev/null || true
    return 1
  fi
  start_daemon client.rgw radosgw -n client.rgw
  wait_for client.rgw radosgw "S3 on $ENDPOINT to answer" rgw_ready || { tail_logs client.rgw; return 1; }
  log "radosgw answering on $ENDPOINT ($(elapsed)s)"
}

ensure_user() {
  local info
  if info=$(timeout 60 radosgw-admin user info --uid=test 2>/dev/null); then
    grep -q "\"access_key\": \"$ACCESS_KEY\"" <<<"$info" && return 0
    log "adding access key $ACCESS_KEY to user test"
    timeout 60 radosgw-admin key create --uid=test --key-type=s3 \
      --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
  else
    timeout 60 radosgw-admin user create --uid=test --display-name="s3csi test user" \
      --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" --max-buckets=0 >/dev/null
  fi
}

bootstrap() {
  log "bootstrapping a new $MODE cluster in $D"
  wipe_state
  if port_busy "$RGW_PORT"; then
    log "port $RGW_PORT is already in use (set RGW_PORT to use another one):"
    ss -Hltnp "sport = :$RGW_PORT" >&2 2>/dev/null || true
    return 1
  fi
  mkdir -p "$D"/{mon,osd,rgw,run,log,crash}
  FSID=$(uuidgen)
  OSD_UUID=$(uuidgen)
  MON_PORT=$(pick_mon_port) || die "no free port for the mon in 6789-6899"
  BLOCK_FILE=""
  if [[ $MODE == bluestore ]]; then
    BLOCK_FILE=${RGW_BLUESTORE_FILE:-$D/bluestore.img}
    rm -f -- "$BLOCK_FILE"
    truncate -s "$BLUESTORE_SIZE" "$BLOCK_FILE"
  fi
  printf 'FSID=%s\nMON_PORT=%s\nMODE=%s\nOSD_UUID=%s\nBLOCK_FILE=%s\n' \
    "$FSID" "$MON_PORT" "$MODE" "$OSD_UUID" "$BLOCK_FILE" >"$D/cluster.vars"
  write_conf

  local kr="$D/keyring"
  ceph-authtool --create-keyring "$kr" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$kr" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' \
    --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
  ceph-authtool "$kr" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap osd 'allow *' \
    --cap mgr 'allow profile osd' >/dev/null
  ceph-authtool "$kr" --gen-key -n client.rgw --cap mon 'allow rw' --cap osd 'allow rwx' \
    --cap mgr 'allow rw' >/dev/null
  chmod 600 "$kr"
  monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$D/monmap" >/dev/null
  ceph-mon --mkfs -i a -c "$CONF" --monmap "$D/monmap" --keyring "$kr" \
    >>"$D/log/mon.a.out" 2>&1 || { tail_logs mon.a; return 1; }
  start_mon || return 1

  local id
  id=$(timeout 30 ceph --connect-timeout 20 osd new "$OSD_UUID" 0 2>>"$D/log/ceph-cli.err") ||
    { log "ceph osd new failed"; tail -n 20 "$D/log/ceph-cli.err" >&2; return 1; }
  [[ $id == 0 ]] || { log "ceph osd new returned id '$id', expected 0"; return 1; }
  timeout 120 ceph-osd -i 0 -c "$CONF" --mkfs --osd-uuid "$OSD_UUID" \
    >>"$D/log/osd.0.out" 2>&1 || { log "ceph-osd --mkfs failed"; tail_logs osd.0; return 1; }
  start_osd || return 1

  # radosgw-admin creates the default zone/zonegroup and the rgw metadata pools.
  ensure_user || { log "radosgw-admin user create failed"; tail_logs client.admin; return 1; }
  # Accept LocationConstraint=us-east-1 (the zonegroup's api name is "default" otherwise).
  timeout 60 radosgw-admin zonegroup modify --rgw-zonegroup=default --api-name="$REGION" >/dev/null ||
    { log "radosgw-admin zonegroup modify failed"; tail_logs client.admin; return 1; }
  start_rgw || return 1

  # Self test; also creates the bucket index/data/non-ec pools so the first real test
  # doesn't pay for pool creation.
  selftest || { log "S3 self test failed"; tail_logs client.rgw; return 1; }
  log "self test passed ($(elapsed)s)"
  touch "$D/bootstrapped"
}

selftest() {
  local b="s3csi-rgw-selftest-$$" up
  s3 PUT "/$b" -o /dev/null || return 1
  s3 PUT "/$b/hello" --data-binary 'hello rgw' -o /dev/null || return 1
  [[ $(s3 GET "/$b/hello") == 'hello rgw' ]] || { log "GET returned wrong data"; return 1; }
  up=$(s3 POST "/$b/mp?uploads=" | sed -n 's:.*<UploadId>\(.*\)</UploadId>.*:\1:p')
  [[ -n $up ]] || { log "CreateMultipartUpload returned no UploadId"; return 1; }
  s3 PUT "/$b/mp?partNumber=1&uploadId=$up" --data-binary 'part1' -o /dev/null || return 1
  s3 DELETE "/$b/mp?uploadId=$up" -o /dev/null || return 1
  s3 DELETE "/$b/hello" -o /dev/null || return 1
  s3 DELETE "/$b" -o /dev/null || return 1
}

restart() {  # start the daemons of an existing, bootstrapped cluster
  log "starting existing $MODE cluster in $D"
  write_conf
  if ! pid_of mon.a ceph-mon >/dev/null; then start_mon || return 1; fi
  if ! pid_of osd.0 ceph-osd >/dev/null; then start_osd || return 1; fi
  if ! pid_of client.rgw radosgw >/dev/null; then
    ensure_user || { log "radosgw-admin failed"; tail_logs client.admin; return 1; }
    start_rgw || return 1
  else
    ensure_user || return 1
    wait_for client.rgw radosgw "S3 on $ENDPOINT to answer" rgw_ready || return 1
  fi
}

all_running() {
  pid_of mon.a ceph-mon >/dev/null && pid_of osd.0 ceph-osd >/dev/null &&
    pid_of client.rgw radosgw >/dev/null
}

# --------------------------------------------------------------------------------- main
MODE=""
have_state=0
if [[ -e $D/bootstrapped ]] && load_vars; then have_state=1; fi

if ((have_state)) && [[ -n $mode_req && $mode_req != "$MODE" ]]; then
  log "existing cluster is $MODE but --$mode_req was requested: wiping it"
  have_state=0
fi

if ((have_state)); then
  set_deadline
  # Daemons started from an older ceph.conf (this script changed since) are restarted.
  conf_before=$(md5sum "$CONF" 2>/dev/null | cut -d' ' -f1 || true)
  write_conf
  conf_changed=0
  [[ $(md5sum "$CONF" | cut -d' ' -f1) != "$conf_before" ]] && conf_changed=1
  if ((conf_changed)) && all_running; then
    log "ceph.conf changed; restarting the daemons"
  elif all_running; then
    status=$(s3_status)
    if [[ $status == 200 ]]; then
      log "already running ($MODE) on $ENDPOINT"
      print_env
      exit 0
    fi
    if [[ $status == 403 ]]; then
      # Running, but with other keys than the ones requested.
      ensure_user && wait_for client.rgw radosgw "S3 to accept the keys" rgw_ready &&
        { print_env; exit 0; }
    fi
    log "running but S3 answers HTTP $status; restarting"
  fi
  # Stale state: some daemon is down (or unhealthy). Restart all of them cleanly.
  stop_all
  if [[ $MODE == memstore && -e $D/osd.dirty ]]; then
    log "the memstore OSD did not shut down cleanly (its data is gone); bootstrapping again"
  elif restart; then
    log "ready in $(elapsed)s ($MODE, restarted)"
    print_env
    exit 0
  else
    log "restart from existing state failed; wiping $D and bootstrapping again"
  fi
fi

MODE=${mode_req:-memstore}
set_deadline
if ! bootstrap; then
  stop_all
  die "bootstrap failed; logs are in $D/log/"
fi
log "ready in $(elapsed)s ($MODE, new cluster)"
print_env

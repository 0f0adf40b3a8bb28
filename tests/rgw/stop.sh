#!/usr/bin/env bash
# Stops the test Ceph RGW started by tests/rgw/start.sh (radosgw, then the OSD, then the mon)
# and waits for the daemons to exit. Idempotent.
#
#   tests/rgw/stop.sh           stop; state is kept and start.sh restarts from it
#   tests/rgw/stop.sh --purge   stop and delete the state dir (and the bluestore file)
set -euo pipefail

purge=0
for arg in "$@"; do
  case "$arg" in
    --purge) purge=1 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
  esac
done

D=${RGW_DIR:-/tmp/s3csi-rgw}
D=${D%/}
[[ $D == /* ]] || D="$PWD/$D"
log() { printf '[rgw-stop %s] %s\n' "$(date +%T)" "$*" >&2; }

if [[ -z ${_RGW_LOCK_HELD:-} && -d $(dirname "$D") ]]; then
  exec 9>"$D.lock"
  flock -w 300 9 || { log "timed out waiting for the lock $D.lock"; exit 1; }
fi

# Pids of our daemons: from the pid files, plus (in case a pid file was lost) any ceph daemon
# whose command line names this state dir's ceph.conf. Both are checked against the binary.
daemon_pids() {  # daemon_pids NAME EXE
  local name=$1 exe=$2 p cmd
  local -A seen=()
  if [[ -s $D/run/$name.pid ]]; then
    p=$(<"$D/run/$name.pid")
    if [[ $p =~ ^[0-9]+$ && "$(readlink "/proc/$p/exe" 2>/dev/null)" == */"$exe" ]]; then
      seen[$p]=1
    fi
  fi
  # pgrep only lists candidates; a process is picked only if its argv holds our ceph.conf.
  for p in $(pgrep -x "$exe" || true); do
    cmd=$(tr '\0' '\n' 2>/dev/null <"/proc/$p/cmdline") || continue
    grep -qxF -- "$D/ceph.conf" <<<"$cmd" && seen[$p]=1
  done
  echo "${!seen[@]}"
}

alive() {  # alive PID EXE
  [[ "$(readlink "/proc/$1/exe" 2>/dev/null)" == */"$2" ]] &&
    ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# stop_daemon NAME EXE TIMEOUT_SECONDS; sets STOPPED to none (was not running), clean (exited
# after SIGTERM) or killed (needed SIGKILL).
STOPPED=none
stop_daemon() {
  local name=$1 exe=$2 tmo=$3 p pids left
  STOPPED=none
  read -ra pids <<<"$(daemon_pids "$name" "$exe")"
  if ((${#pids[@]} == 0)); then
    rm -f "$D/run/$name.pid"
    return 0
  fi
  log "stopping $name (pid ${pids[*]})"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  local deadline=$(($(date +%s) + tmo))
  while :; do
    left=()
    for p in "${pids[@]}"; do alive "$p" "$exe" && left+=("$p"); done
    if ((${#left[@]} == 0)); then STOPPED=clean; break; fi
    if (($(date +%s) >= deadline)); then
      log "$name did not exit within ${tmo}s; sending SIGKILL to ${left[*]}"
      for p in "${left[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
      STOPPED=killed
      sleep 1
      break
    fi
    sleep 0.1
  done
  rm -f "$D/run/$name.pid"
}

if [[ -d $D ]]; then
  # radosgw is stateless, so SIGKILL is harmless; it hangs on exit if the OSD is already gone.
  rgw_tmo=10
  [[ -n $(daemon_pids osd.0 ceph-osd) ]] || rgw_tmo=2
  stop_daemon client.rgw radosgw "$rgw_tmo"
  # memstore writes its whole content to the osd data dir on a clean shutdown.
  # start.sh creates osd.dirty when it starts the OSD; a clean stop removes it.
  stop_daemon osd.0 ceph-osd 120
  if [[ $STOPPED == clean ]]; then rm -f "$D/osd.dirty"; fi
  stop_daemon mon.a ceph-mon 30
fi

if ((purge)); then
  block=""
  [[ -s $D/cluster.vars ]] && block=$(sed -n 's/^BLOCK_FILE=//p' "$D/cluster.vars")
  if [[ -n $block ]]; then rm -f -- "$block"; fi
  if [[ -e $D ]]; then
    rm -rf -- "$D"
    log "removed $D"
  fi
fi
exit 0

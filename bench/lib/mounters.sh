# shellcheck shell=bash
# Mounting and unmounting s3mount, s3fs and rclone for bench/run_mount_bench.sh.
# Expects: WORK (0700 scratch dir), PASSWD_FILE (0600), MOUNT_ENDPOINT (the URL the mounters talk
# to), S3_TEST_ACCESS_KEY / S3_TEST_SECRET_KEY / S3_TEST_REGION, S3MOUNT (binary), PART_MIB,
# PARALLEL, S3MOUNT_OPTS, S3FS_OPTS, RCLONE_OPTS (extra options, may be empty), say().
#
# Every mounter runs in the foreground as a child of the script, so its pid is known and its
# /proc/PID/{stat,status} give CPU time and peak RSS. Each mount gets a fresh mount point and a
# fresh TMPDIR / cache dir: no mount reuses another's cache.

MOUNT_SEQ=0
MNT="" MPID="" MOUNT_LOG=""
declare -a ACTIVE_MOUNTS=()  # "pid:dir" of mounts not yet unmounted (for the exit trap)

# mount_command TOOL BUCKET DIR CACHE: prints the command line (one word per line) that mounts
# BUCKET on DIR. Also recorded in the results, so that a figure can be reproduced.
mount_command() {
  local tool=$1 bucket=$2 dir=$3 cache=$4
  case $tool in
    s3mount)
      printf '%s\n' env "TMPDIR=$cache" "$S3MOUNT" "$bucket" "$dir" -f -o \
        "url=$MOUNT_ENDPOINT,use_path_request_style,passwd_file=$PASSWD_FILE,multipart_size=$PART_MIB,parallel_count=$PARALLEL${S3MOUNT_OPTS:+,$S3MOUNT_OPTS}" ;;
    s3fs)
      printf '%s\n' env "TMPDIR=$cache" s3fs "$bucket" "$dir" -f -o \
        "url=$MOUNT_ENDPOINT,use_path_request_style,passwd_file=$PASSWD_FILE,multipart_size=$PART_MIB,parallel_count=$PARALLEL${S3FS_OPTS:+,$S3FS_OPTS}" ;;
    rclone)
      # The remote is defined by RCLONE_CONFIG_MB_* variables (rclone_env), not by a config file;
      # AWS_CA_BUNDLE, if set for https, makes rclone's S3 backend refuse to start over http.
      printf '%s\n' env -u AWS_CA_BUNDLE "TMPDIR=$cache" rclone mount "mb:$bucket" "$dir" \
        --vfs-cache-mode writes --cache-dir "$cache" --vfs-write-back 0s --use-server-modtime \
        --s3-chunk-size "${PART_MIB}M" --s3-upload-concurrency "$PARALLEL"
      # shellcheck disable=SC2086  # RCLONE_OPTS is a list of flags
      if [[ -n ${RCLONE_OPTS:-} ]]; then printf '%s\n' $RCLONE_OPTS; fi
      ;;
    *) return 1 ;;
  esac
}

# rclone_env: the rclone remote "mb", exported only to this script's children (never in argv).
rclone_env() {
  export RCLONE_CONFIG=/dev/null RCLONE_CONFIG_MB_TYPE=s3 RCLONE_CONFIG_MB_PROVIDER=Ceph
  export RCLONE_CONFIG_MB_ENDPOINT=$MOUNT_ENDPOINT RCLONE_CONFIG_MB_REGION=${S3_TEST_REGION:-us-east-1}
  export RCLONE_CONFIG_MB_ACCESS_KEY_ID=$S3_TEST_ACCESS_KEY RCLONE_CONFIG_MB_SECRET_ACCESS_KEY=$S3_TEST_SECRET_KEY
}

is_mounted() { grep -qF " $1 fuse" /proc/self/mounts; }

# mount_tool TOOL BUCKET: mounts on a fresh directory; sets MNT, MPID and MOUNT_LOG. Fails if
# the mount does not appear within MOUNT_TIMEOUT_S seconds or the mounter exits.
mount_tool() {
  local tool=$1 bucket=$2 cache deadline
  MOUNT_SEQ=$((MOUNT_SEQ + 1))
  MNT=$WORK/mnt-$tool-$MOUNT_SEQ
  cache=$WORK/cache-$tool-$MOUNT_SEQ
  MOUNT_LOG=$WORK/logs/$tool-$MOUNT_SEQ.log
  mkdir -p "$MNT" "$cache" "$WORK/logs"
  local -a cmd
  mapfile -t cmd < <(mount_command "$tool" "$bucket" "$MNT" "$cache")
  "${cmd[@]}" </dev/null >"$MOUNT_LOG" 2>&1 &
  MPID=$!
  ACTIVE_MOUNTS+=("$MPID:$MNT")
  deadline=$((SECONDS + ${MOUNT_TIMEOUT_S:-30}))
  until is_mounted "$MNT"; do
    if ! kill -0 "$MPID" 2>/dev/null || ((SECONDS > deadline)); then
      say "$tool did not mount $bucket on $MNT; its log:"
      tail -20 "$MOUNT_LOG" >&2
      return 1
    fi
    sleep 0.05
  done
}

# proc_cpu_s PID: utime+stime of the process in seconds (0 if it is gone).
proc_cpu_s() {
  local line rest
  local -a f
  if ! read -r line 2>/dev/null <"/proc/$1/stat"; then echo 0; return; fi
  rest=${line##*) }
  read -ra f <<<"$rest"
  awk -v t=$((f[11] + f[12])) -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", t / hz }'
}

# proc_hwm_kib PID: peak resident set size (VmHWM) in KiB.
proc_hwm_kib() { awk '/^VmHWM:/ { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# unmount_dir PID DIR: unmounts and waits for the mounter to exit (it may flush uploads first);
# escalates to SIGTERM, SIGKILL and a lazy unmount if it does not within UNMOUNT_TIMEOUT_S.
unmount_dir() {
  local pid=$1 dir=$2 deadline
  if is_mounted "$dir"; then
    timeout 60 fusermount3 -u "$dir" 2>/dev/null || timeout 60 umount "$dir" 2>/dev/null || true
  fi
  deadline=$((SECONDS + ${UNMOUNT_TIMEOUT_S:-120}))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
  if kill -0 "$pid" 2>/dev/null; then
    say "mounter $pid did not exit after unmount; killing it"
    kill -TERM "$pid" 2>/dev/null
    sleep 2
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null || true
  if is_mounted "$dir"; then umount -l "$dir" 2>/dev/null || true; fi
  rmdir "$dir" 2>/dev/null || true
}

# unmount_tool: unmounts the current mount (MNT, MPID).
unmount_tool() {
  local i
  unmount_dir "$MPID" "$MNT"
  for i in "${!ACTIVE_MOUNTS[@]}"; do
    [[ ${ACTIVE_MOUNTS[i]} == "$MPID:$MNT" ]] && unset 'ACTIVE_MOUNTS[i]'
  done
  MPID="" MNT=""
}

# unmount_all: for the exit trap.
unmount_all() {
  local entry
  for entry in "${ACTIVE_MOUNTS[@]}"; do unmount_dir "${entry%%:*}" "${entry#*:}"; done
  ACTIVE_MOUNTS=()
}

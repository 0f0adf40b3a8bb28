# shellcheck shell=bash
# Measuring a benchmark step from bash, and printing the side-by-side tables.
# Sourced by bench/run_s3core_bench.sh; expects RESULTS (file), WORK (scratch dir) and
# SERVER_PIDS (array).
#
# A step runs in a subshell; its CPU time is the growth of this shell's children's user+system
# time (bash `times`), which includes every process the step started and waited for (curl, xargs,
# python). The server's CPU time is read from /proc/PID/stat. Both are read with builtins only,
# so measuring forks nothing that would count itself.

# children_cpu_ms VAR: total user+system milliseconds of this shell's finished children, into VAR.
# `times` prints "0m1.234s 0m0.050s" for the children on its second line; parsed in bash, since a
# command substitution or pipe would fork and count itself.
children_cpu_ms() {
  local -n _ms=$1
  local children user sys t min sec
  times >"$WORK/times"
  { read -r _; read -r children; } <"$WORK/times"
  read -r user sys <<<"$children"
  _ms=0
  for t in "$user" "$sys"; do
    min=${t%%m*}
    sec=${t#*m}
    sec=${sec%s}
    _ms=$((_ms + min * 60000 + 10#${sec%.*} * 1000 + 10#${sec#*.}))
  done
}

# server_ticks VAR: utime+stime clock ticks of the server processes, into VAR.
server_ticks() {
  local -n _ticks=$1
  local pid line rest
  local -a f
  _ticks=0
  for pid in "${SERVER_PIDS[@]}"; do
    [[ -r /proc/$pid/stat ]] || continue
    read -r line <"/proc/$pid/stat" || continue
    rest=${line##*) }  # fields from 3 (state) on; the command name may hold spaces
    read -ra f <<<"$rest"
    _ticks=$((_ticks + f[11] + f[12]))  # fields 14 (utime) and 15 (stime)
  done
}

# machine_ticks VAR: busy clock ticks of all CPUs since boot (/proc/stat: all but idle and
# iowait), into VAR; shows how much else the machine was doing.
machine_ticks() {
  local -n _busy=$1
  local user nice system irq softirq steal
  # cpu user nice system idle iowait irq softirq steal ...
  read -r _ user nice system _ _ irq softirq steal _ </proc/stat
  _busy=$((user + nice + system + irq + softirq + steal))
}

CLK_TCK=$(getconf CLK_TCK)

# emit TOOL WORKLOAD THREADS BYTES OPS WALL_S CPU_S SERVER_CPU_S MACHINE_CPU_S: prints and records a RESULT
# line in the same format as s3core_bench's.
emit() {
  local line
  line=$(awk -v tool="$1" -v w="$2" -v t="$3" -v b="$4" -v o="$5" -v wall="$6" -v cpu="$7" -v srv="$8" -v mach="$9" 'BEGIN {
    if (wall <= 0) wall = 1e-9
    s = sprintf("RESULT tool=%s workload=%s threads=%d bytes=%d ops=%d wall_s=%.4f cpu_s=%.4f server_cpu_s=%.3f machine_cpu_s=%.2f",
                tool, w, t, b, o, wall, cpu, srv, mach)
    if (b > 0) s = s sprintf(" mib_s=%.1f cpu_s_per_gib=%.3f server_cpu_s_per_gib=%.3f",
                             b / 1048576 / wall, cpu / (b / 1073741824), srv / (b / 1073741824))
    if (o > 0) s = s sprintf(" ops_s=%.1f cpu_us_per_op=%.1f server_cpu_us_per_op=%.1f",
                             o / wall, cpu / o * 1e6, srv / o * 1e6)
    print s }')
  echo "$line"
  echo "$line" >>"$RESULTS"
}

# measure TOOL WORKLOAD THREADS BYTES OPS FUNCTION ARGS...: runs FUNCTION in a subshell and
# records its wall time, CPU time and the server's CPU time. A failing step fails the run.
measure() {
  local tool=$1 workload=$2 threads=$3 bytes=$4 ops=$5
  shift 5
  local cpu0 cpu1 srv0 srv1 mach0 mach1 t0 t1
  children_cpu_ms cpu0
  server_ticks srv0
  machine_ticks mach0
  t0=$EPOCHREALTIME
  if ! ("$@"); then
    echo "FAILED: $tool $workload (threads=$threads)" >&2
    return 1
  fi
  t1=$EPOCHREALTIME
  machine_ticks mach1
  server_ticks srv1
  children_cpu_ms cpu1
  emit "$tool" "$workload" "$threads" "$bytes" "$ops" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')" \
    "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.3f", (b - a) / 1000 }')" \
    "$(awk -v a="$srv0" -v b="$srv1" -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", (b - a) / hz }')" \
    "$(awk -v a="$mach0" -v b="$mach1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz }')"
}

# print_tables FILE: the side-by-side tables of every RESULT line in FILE.
print_tables() {
  awk '
    $1 != "RESULT" { next }
    {
      delete kv
      for (i = 2; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
      row = kv["workload"] " t=" kv["threads"]
      if (!(row in seen)) { seen[row] = 1; rows[++n] = row; large[row] = (kv["bytes"] > 0) }
      tool = kv["tool"]
      if (kv["bytes"] > 0) {
        rate[row, tool] = kv["mib_s"]; cpu[row, tool] = kv["cpu_s_per_gib"]; srv[row, tool] = kv["server_cpu_s_per_gib"]
      } else {
        rate[row, tool] = kv["ops_s"]; cpu[row, tool] = kv["cpu_us_per_op"] / 1000; srv[row, tool] = kv["server_cpu_us_per_op"] / 1000
      }
      ops[row, tool] = kv["ops"]
      # Cores kept busy by everything else on the machine (other builds, not client or server).
      if (kv["machine_cpu_s"] != "" && kv["wall_s"] > 0)
        other[row, tool] = sprintf("%.2f", (kv["machine_cpu_s"] - kv["cpu_s"] - kv["server_cpu_s"]) / kv["wall_s"])
    }
    function v(x) { return x == "" ? "-" : x }
    function ratio(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "-" : sprintf("%.2f", a / b) }
    function cell(x) { return x == "" ? "-" : sprintf("%.3f", x) }
    END {
      printf "\nThroughput (MiB/s for large objects, op/s for small ones; higher is better)\n"
      printf "%-16s %-6s %10s %10s %10s %12s %14s\n", "workload", "unit", "s3core", "curl", "awscli", "s3core/curl", "s3core/awscli"
      for (i = 1; i <= n; i++) {
        r = rows[i]
        printf "%-16s %-6s %10s %10s %10s %12s %14s\n", r, large[r] ? "MiB/s" : "op/s",
          v(rate[r, "s3core"]), v(rate[r, "curl"]), v(rate[r, "awscli"]),
          ratio(rate[r, "s3core"], rate[r, "curl"]), ratio(rate[r, "s3core"], rate[r, "awscli"])
      }
      printf "\nClient CPU (user+sys; s/GiB for large objects, ms/op for small ones; lower is better)\n"
      printf "and the RGW server CPU (radosgw + ceph-osd + ceph-mon) during the same run\n"
      printf "%-16s %-6s %10s %10s %10s   %10s %10s %10s\n", "workload", "unit", "s3core", "curl", "awscli", "srv:s3core", "srv:curl", "srv:awscli"
      for (i = 1; i <= n; i++) {
        r = rows[i]
        printf "%-16s %-6s %10s %10s %10s   %10s %10s %10s\n", r, large[r] ? "s/GiB" : "ms/op",
          cell(cpu[r, "s3core"]), cell(cpu[r, "curl"]), cell(cpu[r, "awscli"]),
          cell(srv[r, "s3core"]), cell(srv[r, "curl"]), cell(srv[r, "awscli"])
      }
      printf "\nOther load: cores kept busy by processes other than the client and the RGW during each run\n"
      printf "%-16s %10s %10s %10s\n", "workload", "s3core", "curl", "awscli"
      for (i = 1; i <= n; i++) {
        r = rows[i]
        printf "%-16s %10s %10s %10s\n", r, v(other[r, "s3core"]), v(other[r, "curl"]), v(other[r, "awscli"])
      }
      printf "\nRequests per small-object figure: "
      for (i = 1; i <= n; i++) {
        r = rows[i]
        if (large[r]) continue
        printf "%s s3core=%s curl=%s awscli=%s; ", r, v(ops[r, "s3core"]), v(ops[r, "curl"]), v(ops[r, "awscli"])
      }
      printf "\n"
    }' "$1"
}

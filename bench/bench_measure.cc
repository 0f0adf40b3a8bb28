#include "bench/bench_measure.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

namespace s3bench {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = kMiB * 1024.0;

double Seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; }

// utime + stime of one process from /proc/PID/stat, in seconds; 0 if it cannot be read.
double ProcStatCpuSeconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return 0;
  // The command name (field 2) is in parentheses and may hold spaces: parse after the last ')'.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(line.substr(close + 1));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // After ')' come field 3 (state) onwards; utime and stime are fields 14 and 15.
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stoull(field);
    if (index == 15) stime = std::stoull(field);
  }
  const long ticks = sysconf(_SC_CLK_TCK);
  return ticks > 0 ? static_cast<double>(utime + stime) / static_cast<double>(ticks) : 0;
}

// `value` with `digits` decimals.
std::string Fixed(double value, int digits) { return fmt::format("{:.{}f}", value, digits); }

}  // namespace

double MachineBusySeconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  unsigned long long total = 0, idle = 0, value = 0;
  if (!(in >> cpu) || cpu != "cpu") return 0;
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  for (int index = 0; index < 8 && in >> value; ++index) {
    total += value;
    if (index == 3 || index == 4) idle += value;
  }
  const long ticks = sysconf(_SC_CLK_TCK);
  return ticks > 0 ? static_cast<double>(total - idle) / static_cast<double>(ticks) : 0;
}

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return Seconds(usage.ru_utime) + Seconds(usage.ru_stime);
}

double OtherProcessesCpuSeconds(const std::vector<int>& pids) {
  double total = 0;
  for (int pid : pids) total += ProcStatCpuSeconds(pid);
  return total;
}

Stopwatch::Stopwatch(std::vector<int> server_pids)
    : server_pids_(std::move(server_pids)),
      wall_start_(std::chrono::steady_clock::now()),
      cpu_start_(ProcessCpuSeconds()),
      server_cpu_start_(OtherProcessesCpuSeconds(server_pids_)),
      machine_cpu_start_(MachineBusySeconds()) {}

Usage Stopwatch::Elapsed() const {
  Usage usage;
  usage.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
  usage.cpu_s = ProcessCpuSeconds() - cpu_start_;
  usage.server_cpu_s = OtherProcessesCpuSeconds(server_pids_) - server_cpu_start_;
  usage.machine_cpu_s = MachineBusySeconds() - machine_cpu_start_;
  return usage;
}

std::string ResultLine(const std::string& tool, const BenchResult& r) {
  const double wall = r.usage.wall_s > 0 ? r.usage.wall_s : 1e-9;
  std::ostringstream out;
  out << "RESULT tool=" << tool << " workload=" << r.workload << " threads=" << r.threads << " bytes=" << r.bytes
      << " ops=" << r.ops << " wall_s=" << Fixed(r.usage.wall_s, 4) << " cpu_s=" << Fixed(r.usage.cpu_s, 4)
      << " server_cpu_s=" << Fixed(r.usage.server_cpu_s, 3) << " machine_cpu_s=" << Fixed(r.usage.machine_cpu_s, 2);
  if (r.bytes > 0) {
    const double gib = static_cast<double>(r.bytes) / kGiB;
    out << " mib_s=" << Fixed(static_cast<double>(r.bytes) / kMiB / wall, 1)
        << " cpu_s_per_gib=" << Fixed(r.usage.cpu_s / gib, 3)
        << " server_cpu_s_per_gib=" << Fixed(r.usage.server_cpu_s / gib, 3);
  }
  if (r.ops > 0) {
    const double ops = static_cast<double>(r.ops);
    out << " ops_s=" << Fixed(ops / wall, 1) << " cpu_us_per_op=" << Fixed(r.usage.cpu_s / ops * 1e6, 1)
        << " server_cpu_us_per_op=" << Fixed(r.usage.server_cpu_s / ops * 1e6, 1);
  }
  return out.str();
}

std::string ResultTable(const std::vector<BenchResult>& results) {
  std::string table;
  char line[256];
  std::snprintf(line, sizeof line, "%-12s %7s %10s %9s %10s %12s %12s %12s\n", "workload", "threads", "MiB/s", "op/s",
                "wall s", "CPU s/GiB", "CPU us/op", "srv CPU s");
  table += line;
  for (const auto& r : results) {
    const double wall = r.usage.wall_s > 0 ? r.usage.wall_s : 1e-9;
    const std::string mib_s = r.bytes ? Fixed(static_cast<double>(r.bytes) / kMiB / wall, 1) : "-";
    const std::string cpu_gib =
        r.bytes ? Fixed(r.usage.cpu_s / (static_cast<double>(r.bytes) / kGiB), 3) : "-";
    const std::string ops_s = r.ops ? Fixed(static_cast<double>(r.ops) / wall, 1) : "-";
    const std::string cpu_op = r.ops && !r.bytes ? Fixed(r.usage.cpu_s / static_cast<double>(r.ops) * 1e6, 1) : "-";
    std::snprintf(line, sizeof line, "%-12s %7d %10s %9s %10.3f %12s %12s %12.2f\n", r.workload.c_str(), r.threads,
                  mib_s.c_str(), ops_s.c_str(), r.usage.wall_s, cpu_gib.c_str(), cpu_op.c_str(),
                  r.usage.server_cpu_s);
    table += line;
  }
  return table;
}

}  // namespace s3bench

#include "csi/mount/mounterd/metrics.h"

#include <spdlog/spdlog.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "s3core/metrics/text_exposition.h"

namespace s3csi::mounterd {

MounterdMetrics::MounterdMetrics(std::string children_dir)
    : dir_(std::move(children_dir)),
      registry_(std::make_shared<prometheus::Registry>()),
      started_(prometheus::BuildCounter()
                   .Name("mounterd_mounts_started_total")
                   .Help("s3mount children that started serving a mount")
                   .Register(*registry_)
                   .Add({})),
      failed_(prometheus::BuildCounter()
                  .Name("mounterd_mount_failures_total")
                  .Help("Start requests that failed, by error kind")
                  .Register(*registry_)),
      exits_(prometheus::BuildCounter()
                 .Name("mounterd_child_exits_total")
                 .Help("s3mount children that ended, by reason (exit_N or the signal)")
                 .Register(*registry_)) {}

s3core::Status MounterdMetrics::Prepare() {
  if (mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) {
    return s3core::Status::Io("cannot create " + dir_ + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (lstat(dir_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
    return s3core::Status::InvalidArgument(dir_ + " is not a directory of this user");
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) std::filesystem::remove(entry.path(), ec);
  return s3core::Status::Ok();
}

std::string MounterdMetrics::NextChildFile() {
  return dir_ + "/" + std::to_string(getpid()) + "-" + std::to_string(next_file_.fetch_add(1)) + ".prom";
}

void MounterdMetrics::ChildStarting(pid_t pid, const std::string& volume_id, const std::string& file) {
  std::lock_guard lock(mu_);
  // The main loop may have reaped a child that died at once, before this call: then the pid is
  // gone and there is nothing to track.
  if (kill(pid, 0) != 0 && errno == ESRCH) return;
  children_[pid] = Child{volume_id, file};
}

void MounterdMetrics::StartSucceeded() { started_.Increment(); }

void MounterdMetrics::StartFailed(const std::string& kind) { failed_.Add({{"kind", kind}}).Increment(); }

std::string MounterdMetrics::ExitReason(int wait_status) {
  if (WIFEXITED(wait_status)) return "exit_" + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    const char* name = sigabbrev_np(WTERMSIG(wait_status));
    return name != nullptr ? std::string("SIG") + name : "signal_" + std::to_string(WTERMSIG(wait_status));
  }
  return "other";
}

void MounterdMetrics::ChildExited(pid_t pid, int wait_status) {
  std::string file;
  {
    std::lock_guard lock(mu_);
    auto it = children_.find(pid);
    if (it == children_.end()) return;  // not started by this mounterd
    file = it->second.file;
    children_.erase(it);
  }
  exits_.Add({{"reason", ExitReason(wait_status)}}).Increment();
  unlink(file.c_str());
}

std::vector<prometheus::MetricFamily> MounterdMetrics::Collect() const {
  std::vector<s3core::metrics::LabeledFamilies> sources;
  sources.push_back({{}, registry_->Collect()});
  std::map<pid_t, Child> children;
  {
    std::lock_guard lock(mu_);
    children = children_;
  }
  prometheus::MetricFamily alive;
  alive.name = "mounterd_children";
  alive.help = "s3mount children of this mounterd alive now";
  alive.type = prometheus::MetricType::Gauge;
  alive.metric.emplace_back().gauge.value = static_cast<double>(children.size());
  sources.front().families.push_back(std::move(alive));

  for (const auto& [pid, child] : children) {
    std::ifstream in(child.file);
    if (!in) continue;  // not written yet (the child is starting)
    std::stringstream text;
    text << in.rdbuf();
    auto families = s3core::metrics::ParseTextExposition(text.str());
    if (!families.ok()) {
      spdlog::warn("metrics of s3mount[{}] skipped: {}", pid, families.status().message());
      continue;
    }
    sources.push_back({{{"volume_id", child.volume_id}, {"pid", std::to_string(pid)}}, std::move(families).value()});
  }
  return s3core::metrics::MergeFamilies(sources);
}

}  // namespace s3csi::mounterd

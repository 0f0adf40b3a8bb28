#include "csi/mount/mounterd/children.h"

#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace s3csi::mounterd {

namespace {
constexpr size_t kLastLines = 8;
}

std::string DescribeWaitStatus(int wait_status) {
  if (WIFEXITED(wait_status)) return "exit status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) return std::string("killed by signal ") + strsignal(WTERMSIG(wait_status));
  return "wait status " + std::to_string(wait_status);
}

void Children::Add(pid_t pid, ServedMount mount, UniqueFd output) {
  std::lock_guard<std::mutex> lock(mu_);
  Child& child = children_[pid];
  child.mount = std::move(mount);
  child.mount.pid = pid;
  child.output = std::move(output);
}

std::vector<std::pair<pid_t, int>> Children::OutputFds() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<pid_t, int>> fds;
  for (const auto& [pid, child] : children_) {
    if (child.output.valid()) fds.emplace_back(pid, child.output.get());
  }
  return fds;
}

void Children::ReadOutput(pid_t pid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = children_.find(pid);
  if (it == children_.end() || !it->second.output.valid()) return;
  Child& child = it->second;
  char buffer[4096];
  const ssize_t n = read(child.output.get(), buffer, sizeof(buffer));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n > 0) child.partial_line.append(buffer, static_cast<size_t>(n));
  size_t eol;
  while ((eol = child.partial_line.find('\n')) != std::string::npos || (n <= 0 && !child.partial_line.empty())) {
    std::string line = child.partial_line.substr(0, eol);
    child.partial_line.erase(0, eol == std::string::npos ? std::string::npos : eol + 1);
    // s3mount never logs secrets; its lines are forwarded with the mount they belong to.
    spdlog::info("s3mount[{}] {}: {}", pid, child.mount.volume_id, line);
    child.last_lines.push_back(std::move(line));
    if (child.last_lines.size() > kLastLines) child.last_lines.pop_front();
  }
  if (n <= 0) {
    child.output.Reset();
    changed_.notify_all();
    ForgetIfDone(pid);
  }
}

void Children::Exited(pid_t pid, int wait_status) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = children_.find(pid);
  if (it == children_.end()) {
    spdlog::info("child {} exited ({})", pid, DescribeWaitStatus(wait_status));
    return;
  }
  const ServedMount& m = it->second.mount;
  const bool clean = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
  if (clean) {
    spdlog::info("s3mount[{}] for volume {} at {} exited ({})", pid, m.volume_id, m.target, DescribeWaitStatus(wait_status));
  } else {
    spdlog::warn("s3mount[{}] for volume {} at {} exited ({}); its mount, if still there, answers ENOTCONN until "
                 "unpublished", pid, m.volume_id, m.target, DescribeWaitStatus(wait_status));
  }
  it->second.wait_status = wait_status;
  changed_.notify_all();
  ForgetIfDone(pid);
}

void Children::Started(pid_t pid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = children_.find(pid);
  if (it == children_.end()) return;
  it->second.starting = false;
  ForgetIfDone(pid);
}

std::optional<Children::Exit> Children::WaitForExit(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  auto done = [&] {
    auto it = children_.find(pid);
    return it == children_.end() || (it->second.wait_status && !it->second.output.valid());
  };
  if (!changed_.wait_until(lock, deadline, done)) return std::nullopt;
  auto it = children_.find(pid);
  if (it == children_.end()) return std::nullopt;
  Exit exit{*it->second.wait_status, {}};
  for (const std::string& line : it->second.last_lines) exit.last_output += (exit.last_output.empty() ? "" : "\n") + line;
  children_.erase(it);
  return exit;
}

std::vector<ServedMount> Children::Running() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ServedMount> running;
  for (const auto& [pid, child] : children_) {
    if (!child.wait_status) running.push_back(child.mount);
  }
  return running;
}

void Children::ForgetIfDone(pid_t pid) {
  auto it = children_.find(pid);
  if (it != children_.end() && !it->second.starting && it->second.wait_status && !it->second.output.valid()) {
    children_.erase(it);
  }
}

}  // namespace s3csi::mounterd

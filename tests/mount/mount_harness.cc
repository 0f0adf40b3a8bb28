#include "tests/mount/mount_harness.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "s3core/body.h"

namespace s3mount_it {

using Clock = std::chrono::steady_clock;

namespace {

std::vector<char*> Argv(const std::string& program, const std::vector<std::string>& args,
                        std::vector<std::string>& storage) {
  storage.clear();
  storage.push_back(program);
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  return argv;
}

int ExitCode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

}  // namespace

ProcessResult RunProcess(const std::string& program, const std::vector<std::string>& args,
                         std::chrono::seconds timeout) {
  ProcessResult result;
  const auto start = Clock::now();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return result;
  std::vector<std::string> storage;
  std::vector<char*> argv = Argv(program, args, storage);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  const auto deadline = start + timeout;
  // Read until EOF (every holder of the pipe is gone: the process, and a daemon once detached).
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buf[4096];
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    result.output.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  if (result.timed_out) kill(pid, SIGKILL);
  auto code = WaitProcess(pid, result.timed_out ? std::chrono::seconds(5) : timeout);
  if (!code) {
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    result.timed_out = true;
  }
  result.exit_code = result.timed_out ? -1 : code.value_or(-1);
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return result;
}

pid_t StartProcess(const std::string& program, const std::vector<std::string>& args, const std::string& log_path) {
  std::vector<std::string> storage;
  std::vector<char*> argv = Argv(program, args, storage);
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

std::optional<int> WaitProcess(pid_t pid, std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return ExitCode(status);
    if (r < 0) return std::nullopt;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool IsMounted(const std::string& path) {
  std::ifstream mounts("/proc/self/mounts");
  std::string line;
  while (std::getline(mounts, line)) {
    std::istringstream fields(line);
    std::string source, target;
    fields >> source >> target;
    if (target == path) return true;
  }
  return false;
}

bool WaitMounted(const std::string& path, bool mounted, std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (IsMounted(path) != mounted) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

bool WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  out.close();
  return out.good();
}

bool MountFixture::SetUp(std::string& reason) {
  env_ = s3core::testing::RgwFromEnv();
  if (!env_) {
    reason = "S3_TEST_ENDPOINT etc. not set (source /tmp/s3csi-rgw/env)";
    return false;
  }
  client_ = s3core::testing::MakeClient(*env_);
  bucket_ = s3core::testing::UniqueBucketName("s3mount-it");
  s3core::Status created = client_->CreateBucket(bucket_);
  if (!created.ok()) {
    reason = "CreateBucket: " + created.ToString();
    return false;
  }
  char tmpl[] = "/tmp/s3mount-it-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    reason = "mkdtemp failed";
    return false;
  }
  work_dir_ = tmpl;
  mountpoint_ = work_dir_ + "/mnt";
  mkdir(mountpoint_.c_str(), 0755);
  passwd_file_ = work_dir_ + "/passwd-s3fs";
  // Created 0600 before the secret is written: never readable by others, not even briefly.
  const int fd = open(passwd_file_.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  const std::string line = env_->access_key + ":" + env_->secret_key + "\n";
  const bool written = fd >= 0 && write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  if (fd >= 0) close(fd);
  if (!written) {
    reason = "cannot write the passwd file";
    return false;
  }
  return true;
}

void MountFixture::TearDown() {
  if (!mountpoint_.empty() && IsMounted(mountpoint_)) Unmount();
  if (client_ && !bucket_.empty()) s3core::testing::DeleteBucketRecursively(*client_, bucket_);
  if (!work_dir_.empty() && !IsMounted(mountpoint_)) {
    std::error_code ec;
    std::filesystem::remove_all(work_dir_, ec);
  }
}

std::vector<std::string> MountFixture::MountArgs(const std::string& extra_options) const {
  std::string options = "url=" + env_->endpoint + ",endpoint=" + env_->region +
                        ",use_path_request_style,passwd_file=" + passwd_file_ + ",connect_timeout=5,retries=2";
  if (!extra_options.empty()) options += "," + extra_options;
  return {bucket_, mountpoint_, "-o", options};
}

ProcessResult MountFixture::Mount(const std::string& extra_options) {
  return RunProcess(S3MOUNT_PATH, MountArgs(extra_options), std::chrono::seconds(60));
}

bool MountFixture::Unmount() {
  ProcessResult r = RunProcess("/usr/bin/fusermount3", {"-u", mountpoint_}, std::chrono::seconds(30));
  if (r.exit_code != 0) {
    // Busy or already gone: a lazy unmount still detaches it.
    RunProcess("/usr/bin/fusermount3", {"-u", "-z", mountpoint_}, std::chrono::seconds(30));
  }
  return WaitMounted(mountpoint_, false, std::chrono::seconds(30));
}

std::string MountFixture::PutObject(const std::string& key, const std::string& data) {
  s3core::BufferSource body(data);
  s3core::PutObjectRequest request;
  request.bucket = bucket_;
  request.key = key;
  request.body = &body;
  auto result = client_->PutObject(request);
  return result.ok() ? "" : result.status().ToString();
}

std::optional<std::string> MountFixture::GetObject(const std::string& key) {
  std::string data;
  s3core::StringSink sink(&data);
  s3core::GetObjectRequest request;
  request.bucket = bucket_;
  request.key = key;
  auto result = client_->GetObject(request, sink);
  if (!result.ok()) return std::nullopt;
  return data;
}

}  // namespace s3mount_it

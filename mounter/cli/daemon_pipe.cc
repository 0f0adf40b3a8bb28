#include "mounter/cli/daemon_pipe.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mounter::cli {
namespace {

constexpr char kReady = 'R';
constexpr char kFailed = 'E';

void WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

[[noreturn]] void WaitForChild(int fd, pid_t child) {
  std::string report;
  char buf[512];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    report.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (!report.empty() && report[0] == kReady) std::exit(0);
  if (!report.empty() && report[0] == kFailed) {
    std::fprintf(stderr, "s3mount: %s\n", report.c_str() + 1);
    int status = 0;
    waitpid(child, &status, 0);
    std::exit(1);
  }
  int status = 0;
  if (waitpid(child, &status, 0) == child && WIFSIGNALED(status)) {
    std::fprintf(stderr, "s3mount: the mount process was killed by signal %d (%s)\n", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
  } else {
    std::fprintf(stderr, "s3mount: the mount process exited (status %d) before the mount was ready\n",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  std::exit(1);
}

}  // namespace

DaemonStart DaemonStart::Fork() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    std::fprintf(stderr, "s3mount: pipe: %s\n", std::strerror(errno));
    std::exit(1);
  }
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    std::fprintf(stderr, "s3mount: fork: %s\n", std::strerror(errno));
    std::exit(1);
  }
  if (pid > 0) {
    close(fds[1]);
    WaitForChild(fds[0], pid);
  }
  close(fds[0]);
  setsid();  // no SIGHUP when the starting terminal goes away
  return DaemonStart(fds[1]);
}

void DaemonStart::ReportReady() {
  if (fd_ < 0) return;
  WriteAll(fd_, &kReady, 1);
  close(fd_);
  fd_ = -1;
  if (chdir("/") != 0) {
    // Not fatal: the working directory only matters for relative paths, and none are used.
  }
  const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd >= 0) {
    dup2(null_fd, STDIN_FILENO);
    dup2(null_fd, STDOUT_FILENO);
    dup2(null_fd, STDERR_FILENO);
    if (null_fd > STDERR_FILENO) close(null_fd);
  }
}

void DaemonStart::ReportFailure(const std::string& message) {
  if (fd_ < 0) return;
  std::string report(1, kFailed);
  report += message;
  WriteAll(fd_, report.data(), report.size());
  close(fd_);
  fd_ = -1;
}

}  // namespace mounter::cli

// s3mount: mounts an S3 bucket with FUSE. See `s3mount --help` and docs/CONFIGURATION.md.
//
// Start-up order matters for error reporting: options and local files are checked in the
// starting process; then (daemon mode) it forks, and the child builds the S3 client, checks the
// bucket (FileSystem::Init), creates the FUSE session and mounts, reporting success or the
// reason for failure to the waiting parent, which exits 0 or 1 (see daemon_pipe.h).
#include <limits.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "mounter/cli/daemon_pipe.h"
#include "mounter/cli/logging.h"
#include "mounter/cli/mount_options.h"
#include "mounter/fs/file_system.h"
#include "mounter/fuse/mount_session.h"
#include "mounter/metrics/mount_metrics.h"
#include "s3core/client/client_factory.h"

namespace mounter::cli {
namespace {

bool IsFdMountpoint(const std::string& path) {
  unsigned fd = 0;
  int consumed = 0;
  return std::sscanf(path.c_str(), "/dev/fd/%u%n", &fd, &consumed) == 1 &&
         static_cast<size_t>(consumed) == path.size();
}

// An absolute, existing directory (mount(2) and fusermount3 need one), or the /dev/fd/N form.
s3core::Status ResolveMountpoint(MountOptions& options) {
  if (IsFdMountpoint(options.mountpoint)) return {};
  char resolved[PATH_MAX];
  if (realpath(options.mountpoint.c_str(), resolved) == nullptr) {
    return s3core::Status::InvalidArgument("mountpoint " + options.mountpoint + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (stat(resolved, &st) != 0 || !S_ISDIR(st.st_mode)) {
    return s3core::Status::InvalidArgument("mountpoint " + options.mountpoint + " is not a directory");
  }
  options.mountpoint = resolved;
  return {};
}

// Reports a start-up failure: to the waiting parent in daemon mode (which prints it), else on
// stderr.
int Fail(std::optional<DaemonStart>& daemon, spdlog::logger& logger, const std::string& message) {
  if (daemon) {
    logger.error("{}", message);
    daemon->ReportFailure(message);
  } else {
    std::fprintf(stderr, "s3mount: %s\n", message.c_str());
  }
  return 1;
}

// ready_fd=N: tells a supervisor (s3csi-mounterd) that the mount is live. A supervisor that
// went away is not our problem: the mount keeps serving.
void ReportReadyOnFd(int fd, spdlog::logger& logger) {
  static constexpr char kReady[] = "ready\n";
  ssize_t written;
  do {
    written = write(fd, kReady, sizeof(kReady) - 1);
  } while (written < 0 && errno == EINTR);
  if (written != static_cast<ssize_t>(sizeof(kReady) - 1)) logger.warn("ready_fd={}: cannot report readiness", fd);
  close(fd);
}

int Run(MountOptions options) {
  std::optional<DaemonStart> daemon;
  if (!options.foreground) daemon.emplace(DaemonStart::Fork());  // only the child returns

  auto logger = MakeLogger(options, daemon.has_value());
  options.s3.logger = logger;
  // Metrics, when asked for, observe the S3 client and the FUSE bridge from their first request.
  std::unique_ptr<MountMetrics> metrics;
  if (!options.metrics_address.empty() || !options.metrics_file.empty()) {
    metrics = std::make_unique<MountMetrics>();
    options.s3.observer = metrics->s3_observer();
  }
  auto bundle = s3core::MakeS3Client(options.s3);
  if (!bundle.ok()) return Fail(daemon, *logger, "S3 settings: " + bundle.status().message());

  FileSystem fs(options.fs, bundle->client);
  FsStatus init = fs.Init();
  if (!init.ok()) {
    return Fail(daemon, *logger, "cannot use bucket " + options.fs.bucket + ": " + init.error().ToString());
  }
  // Declared after `fs`, so destroyed before it: a scrape never reads a file system that is gone.
  std::unique_ptr<MetricsExport> metrics_export;
  if (metrics) {
    auto exported = metrics->Export({options.metrics_address, options.metrics_file}, fs);
    if (!exported.ok()) return Fail(daemon, *logger, "metrics: " + exported.status().message());
    metrics_export = std::move(exported).value();
  }

  MountSessionOptions session_options;
  session_options.mountpoint = options.mountpoint;
  session_options.fuse_options = options.fuse_options;
  session_options.fuse_debug = options.fuse_debug;
  session_options.single_thread = options.single_thread;
  session_options.clone_fd = options.clone_fd;
  session_options.max_idle_threads = options.max_idle_threads;
  if (metrics) session_options.bridge.observer = metrics->fuse_observer();
  auto session = MountSession::Create(fs, session_options, logger);
  if (!session.ok()) return Fail(daemon, *logger, session.error().message());
  FsStatus mounted = (*session)->Mount();
  if (!mounted.ok()) return Fail(daemon, *logger, mounted.error().message());

  logger->info("s3mount: bucket {}{}{} mounted on {}", options.fs.bucket, options.fs.prefix.empty() ? "" : ":/",
               options.fs.prefix, options.mountpoint);
  if (daemon) daemon->ReportReady();
  if (options.ready_fd >= 0) ReportReadyOnFd(options.ready_fd, *logger);
  FsStatus done = (*session)->Run();
  if (metrics_export) metrics_export->Stop();  // the final numbers, uploads at unmount included
  logger->info("s3mount: exiting{}", done.ok() ? "" : " after a failed flush: some writes did not reach S3");
  logger->flush();
  return done.ok() ? 0 : 1;
}

}  // namespace
}  // namespace mounter::cli

int main(int argc, char** argv) {
  using namespace mounter::cli;
  // Read-ahead chunks and part buffers are megabytes each and short-lived. A fixed mmap
  // threshold gives them back to the kernel when freed; glibc's default raises the threshold
  // after the first free and then keeps them in per-thread arenas, which shows as RSS far above
  // the memory budget.
  mallopt(M_MMAP_THRESHOLD, 512 * 1024);
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = ParseMountOptions(args);
  if (!parsed.ok()) {
    std::fprintf(stderr, "s3mount: %s\n", parsed.status().message().c_str());
    if (parsed.status().message().rfind("missing ", 0) == 0) std::fputs(UsageLine().c_str(), stderr);
    return 1;
  }
  MountOptions options = std::move(parsed).value();
  if (options.show_help) {
    std::fputs(HelpText().c_str(), stdout);
    return 0;
  }
  if (options.show_version) {
    std::printf("%slibfuse %s\n", VersionText().c_str(), fuse_pkgversion());
    return 0;
  }
  s3core::Status status = LoadOptionFiles(options);
  if (status.ok()) status = ResolveMountpoint(options);
  if (!status.ok()) {
    std::fprintf(stderr, "s3mount: %s\n", status.message().c_str());
    return 1;
  }
  return Run(std::move(options));
}

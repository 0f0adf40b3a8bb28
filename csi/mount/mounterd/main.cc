// s3csi-mounterd: serves the FUSE mounts the s3csi node plugin makes, by running one s3mount per
// mount on the /dev/fuse descriptor the plugin hands over. See docs/ARCHITECTURE.md, "Mounts that
// survive the plugin".
#include <limits.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "csi/mount/mounterd/metrics.h"
#include "csi/mount/mounterd/server.h"
#include "s3core/metrics/metrics_server.h"

namespace {

// s3mount next to our own executable (the container image ships both), else from PATH.
std::string DefaultS3mountPath() {
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n > 0) {
    self[n] = '\0';
    const auto beside = std::filesystem::path(self).parent_path() / "s3mount";
    if (access(beside.c_str(), X_OK) == 0) return beside.string();
  }
  if (const char* path = std::getenv("PATH")) {
    std::string dirs = path;
    size_t pos = 0;
    while (pos <= dirs.size()) {
      size_t end = dirs.find(':', pos);
      if (end == std::string::npos) end = dirs.size();
      const std::string candidate = dirs.substr(pos, end - pos) + "/s3mount";
      if (end > pos && access(candidate.c_str(), X_OK) == 0) return candidate;
      pos = end + 1;
    }
  }
  return "/usr/bin/s3mount";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"s3csi-mounterd: runs s3mount on FUSE connections handed over by the s3csi node plugin"};
  s3csi::mounterd::ServerOptions options;
  options.socket_path = "/run/s3csi/mounterd.sock";
  std::string log_level = "info";
  long start_timeout_ms = options.start_timeout.count();
  app.add_option("--socket", options.socket_path, "unix socket the node plugin connects to")->capture_default_str();
  app.add_option("--s3mount", options.s3mount_path, "s3mount executable (default: beside this one, else PATH)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")->capture_default_str();
  app.add_option("--start-timeout-ms", start_timeout_ms, "how long s3mount may take to start serving")
      ->capture_default_str();
  std::string metrics_address;
  std::string metrics_dir = "/tmp/s3csi-mounterd-metrics";
  app.add_option("--metrics-address", metrics_address,
                 "serve Prometheus metrics (mounterd's and its s3mount children's) on IP:PORT or :PORT");
  app.add_option("--metrics-dir", metrics_dir, "private directory (0700) where the children write their metrics")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (options.s3mount_path.empty()) options.s3mount_path = DefaultS3mountPath();
  options.start_timeout = std::chrono::milliseconds(start_timeout_ms);
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %L %v");

  // Signals are read from a signalfd by the main loop; blocked before any thread starts so that
  // every thread inherits the mask. SIGPIPE: a plugin that hung up is an error return, not death.
  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  sigaddset(&handled, SIGTERM);
  sigaddset(&handled, SIGINT);
  pthread_sigmask(SIG_BLOCK, &handled, nullptr);
  signal(SIGPIPE, SIG_IGN);
  const int signal_fd = signalfd(-1, &handled, SFD_CLOEXEC);
  if (signal_fd < 0) {
    std::perror("s3csi-mounterd: signalfd");
    return 1;
  }

  std::unique_ptr<s3core::metrics::MetricsServer> metrics_server;
  if (!metrics_address.empty()) {
    options.metrics = std::make_shared<s3csi::mounterd::MounterdMetrics>(metrics_dir);
    s3core::Status prepared = options.metrics->Prepare();
    auto started = prepared.ok() ? s3core::metrics::MetricsServer::Start(metrics_address, {options.metrics})
                                 : s3core::Result<std::unique_ptr<s3core::metrics::MetricsServer>>(prepared);
    if (!started.ok()) {
      spdlog::error("s3csi-mounterd: metrics: {}", started.status().ToString());
      return 1;
    }
    metrics_server = std::move(started).value();
    spdlog::info("s3csi-mounterd: metrics on http://{}/metrics", metrics_address);
  }

  s3csi::mounterd::Server server(options);
  s3core::Status status = server.Listen();
  if (status.ok()) status = server.Run(signal_fd);
  if (!status.ok()) {
    spdlog::error("s3csi-mounterd: {}", status.ToString());
    return 1;
  }
  return 0;
}

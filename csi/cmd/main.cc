// s3csi: the CSI plugin. One binary for the controller (--mode controller, with the
// external-provisioner), the node plugin (--mode node, a privileged DaemonSet beside
// s3csi-mounterd) or both (--mode all, for tests and single-node clusters).
//
// Secrets never come from flags: S3 keys arrive in the CSI requests' secrets, or from the
// environment/credential files of the default chain (controller) and s3mount's (node).
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>

#include "csi/cmd/grpc_metrics.h"
#include "csi/cmd/socket_endpoint.h"
#include "csi/controller/controller_service.h"
#include "csi/identity/identity_service.h"
#include "csi/node/node_service.h"
#include "s3core/metrics/metrics_server.h"
#include "s3core/metrics/s3_request_metrics.h"

namespace {

struct Flags {
  std::string mode = "all";
  std::string endpoint = "unix:///csi/csi.sock";
  std::string node_id;
  std::string driver_name = "s3.csi.s3mount.io";
  std::string mounterd_socket = "/run/s3csi/mounterd.sock";
  std::string kubelet_dir = "/var/lib/kubelet";
  std::string log_level = "info";
  std::string s3_endpoint;
  std::string s3_region;
  long publish_timeout_ms = 30000;
  std::string metrics_address;
};

std::string HostName() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

// "/var/lib/kubelet/" -> "/var/lib/kubelet".
std::string NormalizeDir(const std::string& dir) {
  std::string out = std::filesystem::path(dir).lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

int Fail(const std::string& message) {
  spdlog::error("s3csi: {}", message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  CLI::App app{"s3csi: Kubernetes CSI plugin for S3 volumes served by s3mount"};
  app.add_option("--mode", flags.mode, "controller, node or all")
      ->check(CLI::IsMember({"controller", "node", "all"}))
      ->capture_default_str();
  app.add_option("--endpoint", flags.endpoint, "gRPC endpoint, unix:///path")->capture_default_str();
  app.add_option("--node-id", flags.node_id, "this node's id (default: the host name)");
  app.add_option("--driver-name", flags.driver_name, "CSI driver name")->capture_default_str();
  app.add_option("--mounterd-socket", flags.mounterd_socket, "s3csi-mounterd's socket")->capture_default_str();
  app.add_option("--kubelet-dir", flags.kubelet_dir, "target paths must be inside this directory")
      ->capture_default_str();
  app.add_option("--s3-endpoint", flags.s3_endpoint, "default S3 URL when volumes and secrets name none");
  app.add_option("--s3-region", flags.s3_region, "default S3 region");
  app.add_option("--publish-timeout-ms", flags.publish_timeout_ms, "how long a publish may take")
      ->capture_default_str();
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error")->capture_default_str();
  app.add_option("--metrics-address", flags.metrics_address,
                 "serve Prometheus metrics (CSI calls, S3 requests) on IP:PORT or :PORT; default off");
  CLI11_PARSE(app, argc, argv);

  auto log = spdlog::stderr_color_mt("s3csi");
  spdlog::set_default_logger(log);
  spdlog::set_level(spdlog::level::from_str(flags.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %L %v");

  const bool controller = flags.mode != "node";
  const bool node = flags.mode != "controller";
  if (!s3csi::IsValidDriverName(flags.driver_name)) return Fail("invalid --driver-name " + flags.driver_name);
  if (flags.node_id.empty()) flags.node_id = HostName();
  auto socket_path = s3csi::UnixSocketPath(flags.endpoint);
  if (!socket_path.ok()) return Fail(socket_path.status().ToString());
  if (auto prepared = s3csi::PrepareSocketPath(*socket_path); !prepared.ok()) return Fail(prepared.ToString());
  flags.kubelet_dir = NormalizeDir(flags.kubelet_dir);

  // SIGTERM/SIGINT are taken by sigwait below; blocked before gRPC starts its threads so that
  // every thread inherits the mask. SIGPIPE: a peer that went away is an error, not death.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Metrics: CSI calls by method and code, and the controller's S3 requests.
  auto registry = std::make_shared<prometheus::Registry>();
  s3csi::GrpcMetrics grpc_metrics(*registry);
  auto s3_metrics = std::make_shared<s3core::metrics::S3RequestMetrics>(*registry);
  std::unique_ptr<s3core::metrics::MetricsServer> metrics_server;
  if (!flags.metrics_address.empty()) {
    auto started = s3core::metrics::MetricsServer::Start(flags.metrics_address, {registry});
    if (!started.ok()) return Fail("--metrics-address: " + started.status().ToString());
    metrics_server = std::move(started).value();
  }

  s3csi::IdentityOptions identity_options;
  identity_options.driver_name = flags.driver_name;
  identity_options.version = S3CSI_VERSION;
  identity_options.controller = controller;
  identity_options.node = node;
  identity_options.s3_endpoint = flags.s3_endpoint;
  identity_options.mounterd_socket = flags.mounterd_socket;
  s3csi::IdentityService identity(identity_options, log);

  std::unique_ptr<s3csi::ControllerService> controller_service;
  if (controller) {
    s3csi::S3Defaults defaults;
    defaults.endpoint = flags.s3_endpoint;
    defaults.region = flags.s3_region;
    defaults.observer = s3_metrics;
    controller_service =
        std::make_unique<s3csi::ControllerService>(s3csi::MakeS3StoreFactory(defaults), flags.s3_endpoint, log);
  }
  std::unique_ptr<s3csi::NodeService> node_service;
  if (node) {
    auto publisher = std::make_shared<s3csi::Publisher>(
        s3csi::Publisher::Options{flags.mounterd_socket, std::chrono::milliseconds(flags.publish_timeout_ms)});
    s3csi::NodeOptions node_options{flags.node_id, flags.kubelet_dir, {flags.s3_endpoint, flags.s3_region}};
    node_service = std::make_unique<s3csi::NodeService>(node_options, publisher, log);
    if (auto mounts = publisher->List(); mounts.ok()) {
      for (const auto& m : *mounts) {
        log->info("found published volume {} at {}{}", m.volume_id, m.target, m.broken ? " (broken)" : "");
      }
    }
  }

  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix://" + *socket_path, grpc::InsecureServerCredentials());
  builder.RegisterService(&identity);
  if (controller_service) builder.RegisterService(controller_service.get());
  if (node_service) builder.RegisterService(node_service.get());
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(grpc_metrics.InterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  // The socket is created by BuildAndStart: make it 0600 (the sidecars run as root) without
  // leaving a restrictive umask for the directories the node plugin creates later.
  const mode_t old_umask = umask(0177);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  umask(old_umask);
  if (!server) return Fail("cannot listen on " + flags.endpoint);
  log->info("s3csi {} serving {} (mode {}, node {}, driver {})", S3CSI_VERSION, flags.endpoint, flags.mode,
            flags.node_id, flags.driver_name);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  log->info("signal {}: shutting down", signal_number);
  // In-flight calls get a moment (kubelet retries what is cut short: every RPC is idempotent);
  // mounts stay: they belong to s3csi-mounterd.
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server->Wait();
  unlink(socket_path->c_str());
  return 0;
}

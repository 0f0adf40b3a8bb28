#include "s3core/metrics/metrics_server.h"

#include <prometheus/exposer.h>

#include <exception>

namespace s3core::metrics {

Result<std::string> ParseListenAddress(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("metrics address `" + address + "' is not HOST:PORT");
  std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535) {
    return Status::InvalidArgument("metrics address `" + address + "': bad port");
  }
  if (host.empty()) host = "0.0.0.0";
  // civetweb takes dotted IPv4 or a bracketed IPv6 address; names are not resolved.
  const bool v6 = host.size() > 2 && host.front() == '[' && host.back() == ']';
  if (!v6 && host.find_first_not_of("0123456789.") != std::string::npos) {
    return Status::InvalidArgument("metrics address `" + address + "': the host must be an IP address");
  }
  return host + ":" + port;
}

MetricsServer::MetricsServer(std::unique_ptr<prometheus::Exposer> exposer) : exposer_(std::move(exposer)) {}

MetricsServer::~MetricsServer() = default;

Result<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& address, const std::vector<std::weak_ptr<prometheus::Collectable>>& collectables) {
  S3_ASSIGN_OR_RETURN(std::string bind, ParseListenAddress(address));
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    // Two threads: a scrape is rare and cheap; more would only sit idle.
    exposer = std::make_unique<prometheus::Exposer>(bind, 2);
  } catch (const std::exception& e) {
    return Status::Io("cannot serve metrics on " + address + " (is the port in use?): " + e.what());
  }
  for (const auto& collectable : collectables) exposer->RegisterCollectable(collectable);
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(exposer)));
}

int MetricsServer::port() const {
  const auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

}  // namespace s3core::metrics

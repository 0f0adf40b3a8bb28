#include "csi/identity/identity_service.h"

#include <spdlog/spdlog.h>

#include <cctype>

#include "csi/identity/probes.h"

namespace s3csi {

IdentityService::IdentityService(IdentityOptions options, std::shared_ptr<spdlog::logger> log)
    : options_(std::move(options)), log_(std::move(log)) {}

bool IsValidDriverName(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  for (char c : name) {
    if (!alnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

grpc::Status IdentityService::GetPluginInfo(grpc::ServerContext*, const csi::v1::GetPluginInfoRequest*,
                                            csi::v1::GetPluginInfoResponse* response) {
  response->set_name(options_.driver_name);
  response->set_vendor_version(options_.version);
  return grpc::Status::OK;
}

grpc::Status IdentityService::GetPluginCapabilities(grpc::ServerContext*,
                                                    const csi::v1::GetPluginCapabilitiesRequest*,
                                                    csi::v1::GetPluginCapabilitiesResponse* response) {
  // Reported in every mode: the CO decides from it whether to look for a controller at all,
  // and the node-only DaemonSet belongs to a driver that has one.
  response->add_capabilities()->mutable_service()->set_type(csi::v1::PluginCapability::Service::CONTROLLER_SERVICE);
  return grpc::Status::OK;
}

grpc::Status IdentityService::Probe(grpc::ServerContext*, const csi::v1::ProbeRequest*,
                                    csi::v1::ProbeResponse* response) {
  if (options_.controller && !options_.s3_endpoint.empty()) {
    s3core::Status reachable = ProbeTcpEndpoint(options_.s3_endpoint, options_.probe_timeout);
    if (!reachable.ok()) {
      log_->warn("Probe: S3 endpoint not reachable: {}", reachable.ToString());
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "S3 endpoint not reachable: " + reachable.ToString());
    }
  }
  if (options_.node) {
    s3core::Status mounter = ProbeUnixSocket(options_.mounterd_socket);
    if (!mounter.ok()) {
      log_->warn("Probe: mounterd not usable: {}", mounter.ToString());
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "mounterd not usable: " + mounter.ToString());
    }
  }
  response->mutable_ready()->set_value(true);
  return grpc::Status::OK;
}

}  // namespace s3csi

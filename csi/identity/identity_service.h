// The CSI Identity service: plugin name and version, capabilities, and a cheap Probe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "csi/proto/csi.grpc.pb.h"

namespace spdlog {
class logger;
}

namespace s3csi {

struct IdentityOptions {
  std::string driver_name;  // DNS-style, at most 63 characters
  std::string version;
  bool controller = false;       // serving the Controller service
  bool node = false;             // serving the Node service
  std::string s3_endpoint;       // controller: probed with a TCP connect when set
  std::string mounterd_socket;   // node: probed with a connect
  std::chrono::milliseconds probe_timeout{2000};
};

class IdentityService final : public csi::v1::Identity::Service {
 public:
  IdentityService(IdentityOptions options, std::shared_ptr<spdlog::logger> log);

  grpc::Status GetPluginInfo(grpc::ServerContext* context, const csi::v1::GetPluginInfoRequest* request,
                             csi::v1::GetPluginInfoResponse* response) override;
  grpc::Status GetPluginCapabilities(grpc::ServerContext* context,
                                     const csi::v1::GetPluginCapabilitiesRequest* request,
                                     csi::v1::GetPluginCapabilitiesResponse* response) override;
  // FAILED_PRECONDITION when the S3 endpoint (controller) or mounterd (node) is not usable.
  grpc::Status Probe(grpc::ServerContext* context, const csi::v1::ProbeRequest* request,
                     csi::v1::ProbeResponse* response) override;

 private:
  IdentityOptions options_;
  std::shared_ptr<spdlog::logger> log_;
};

// Whether `name` is a valid CSI driver name (RFC 1035 style, at most 63 characters).
bool IsValidDriverName(const std::string& name);

}  // namespace s3csi

// The CSI Controller service: volumes as buckets or prefixes on S3.
//
//   CreateVolume   idempotent by name: the same name and parameters give the same volume (the
//                  marker object remembers them); other parameters give ALREADY_EXISTS.
//   DeleteVolume   follows the reclaim flag in the volume id: delete the data (and a volume's
//                  own bucket) or retain it. Unknown ids are OK, as the spec asks.
//   ValidateVolumeCapabilities, ControllerGetCapabilities. No attach (attachRequired: false),
//   no ListVolumes (the plugin keeps no list of volumes it could answer honestly from).
// Concurrent calls on one volume name or id answer ABORTED.
#pragma once

#include <memory>

#include "csi/common/in_flight.h"
#include "csi/controller/store_factory.h"
#include "csi/proto/csi.grpc.pb.h"

namespace spdlog {
class logger;
}

namespace s3csi {

class ControllerService final : public csi::v1::Controller::Service {
 public:
  // default_endpoint: the controller-wide S3 URL (--s3-endpoint), "" for AWS.
  ControllerService(StoreFactory stores, std::string default_endpoint, std::shared_ptr<spdlog::logger> log);

  grpc::Status CreateVolume(grpc::ServerContext* context, const csi::v1::CreateVolumeRequest* request,
                            csi::v1::CreateVolumeResponse* response) override;
  grpc::Status DeleteVolume(grpc::ServerContext* context, const csi::v1::DeleteVolumeRequest* request,
                            csi::v1::DeleteVolumeResponse* response) override;
  grpc::Status ValidateVolumeCapabilities(grpc::ServerContext* context,
                                          const csi::v1::ValidateVolumeCapabilitiesRequest* request,
                                          csi::v1::ValidateVolumeCapabilitiesResponse* response) override;
  grpc::Status ControllerGetCapabilities(grpc::ServerContext* context,
                                         const csi::v1::ControllerGetCapabilitiesRequest* request,
                                         csi::v1::ControllerGetCapabilitiesResponse* response) override;

 private:
  s3core::Status Create(const csi::v1::CreateVolumeRequest& request, csi::v1::Volume& volume);
  s3core::Status Delete(const csi::v1::DeleteVolumeRequest& request);
  s3core::Status Validate(const csi::v1::ValidateVolumeCapabilitiesRequest& request,
                          csi::v1::ValidateVolumeCapabilitiesResponse& response);

  StoreFactory stores_;
  std::string default_endpoint_;
  std::shared_ptr<spdlog::logger> log_;
  InFlight in_flight_;
};

}  // namespace s3csi

// The CSI Node service: publishes volumes into pod target paths through the Publisher (which
// keeps the FUSE daemons in s3csi-mounterd, so mounts outlive this process). The service keeps
// no state of its own; what is mounted where is read back from the mount table.
//
//   NodePublishVolume    validate, BuildMountSpec, Publisher::Publish; a target already holding
//                        the same volume with other options -> ALREADY_EXISTS.
//   NodeUnpublishVolume  idempotent; unmounts and removes the target directory.
//   NodeGetVolumeStats   statvfs on the mount; a mount whose daemon died is reported abnormal.
//   NodeGetCapabilities  VOLUME_MOUNT_GROUP, GET_VOLUME_STATS, VOLUME_CONDITION, SINGLE_NODE_MULTI_WRITER.
// Concurrent operations on one volume id answer ABORTED.
#pragma once

#include <memory>
#include <string>

#include "csi/common/in_flight.h"
#include "csi/mount/publisher.h"
#include "csi/node/mount_spec_builder.h"
#include "csi/proto/csi.grpc.pb.h"

namespace spdlog {
class logger;
}

namespace s3csi {

struct NodeOptions {
  std::string node_id;
  std::string kubelet_dir;  // normalized, no trailing slash; every target path must be inside it
  NodeDefaults defaults;
};

class NodeService final : public csi::v1::Node::Service {
 public:
  NodeService(NodeOptions options, std::shared_ptr<Publisher> publisher, std::shared_ptr<spdlog::logger> log);

  grpc::Status NodePublishVolume(grpc::ServerContext* context, const csi::v1::NodePublishVolumeRequest* request,
                                 csi::v1::NodePublishVolumeResponse* response) override;
  grpc::Status NodeUnpublishVolume(grpc::ServerContext* context, const csi::v1::NodeUnpublishVolumeRequest* request,
                                   csi::v1::NodeUnpublishVolumeResponse* response) override;
  grpc::Status NodeGetVolumeStats(grpc::ServerContext* context, const csi::v1::NodeGetVolumeStatsRequest* request,
                                  csi::v1::NodeGetVolumeStatsResponse* response) override;
  grpc::Status NodeGetCapabilities(grpc::ServerContext* context, const csi::v1::NodeGetCapabilitiesRequest* request,
                                   csi::v1::NodeGetCapabilitiesResponse* response) override;
  grpc::Status NodeGetInfo(grpc::ServerContext* context, const csi::v1::NodeGetInfoRequest* request,
                           csi::v1::NodeGetInfoResponse* response) override;

 private:
  s3core::Status Publish(const csi::v1::NodePublishVolumeRequest& request);
  s3core::Status Unpublish(const csi::v1::NodeUnpublishVolumeRequest& request);
  s3core::Status Stats(const csi::v1::NodeGetVolumeStatsRequest& request, csi::v1::NodeGetVolumeStatsResponse& response);

  NodeOptions options_;
  std::shared_ptr<Publisher> publisher_;
  std::shared_ptr<spdlog::logger> log_;
  InFlight in_flight_;
};

}  // namespace s3csi

#include "csi/node/node_service.h"

#include <spdlog/spdlog.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

#include "csi/common/grpc_status.h"
#include "csi/common/request_log.h"
#include "csi/common/validation.h"

namespace s3csi {

using s3core::ErrorKind;
using s3core::Status;

namespace {

Status Busy(const std::string& volume_id) {
  return Status::Error(ErrorKind::kConflict, "an operation on volume " + volume_id + " is already in progress");
}

}  // namespace

NodeService::NodeService(NodeOptions options, std::shared_ptr<Publisher> publisher, std::shared_ptr<spdlog::logger> log)
    : options_(std::move(options)), publisher_(std::move(publisher)), log_(std::move(log)) {}

grpc::Status NodeService::NodePublishVolume(grpc::ServerContext*, const csi::v1::NodePublishVolumeRequest* request,
                                            csi::v1::NodePublishVolumeResponse*) {
  return LoggedCall(*log_, "NodePublishVolume", *request, [&] { return ToGrpc(Publish(*request)); });
}

grpc::Status NodeService::NodeUnpublishVolume(grpc::ServerContext*, const csi::v1::NodeUnpublishVolumeRequest* request,
                                              csi::v1::NodeUnpublishVolumeResponse*) {
  return LoggedCall(*log_, "NodeUnpublishVolume", *request, [&] { return ToGrpc(Unpublish(*request)); });
}

grpc::Status NodeService::NodeGetVolumeStats(grpc::ServerContext*, const csi::v1::NodeGetVolumeStatsRequest* request,
                                             csi::v1::NodeGetVolumeStatsResponse* response) {
  return LoggedCall(*log_, "NodeGetVolumeStats", *request, [&] { return ToGrpc(Stats(*request, *response)); });
}

grpc::Status NodeService::NodeGetCapabilities(grpc::ServerContext*, const csi::v1::NodeGetCapabilitiesRequest*,
                                              csi::v1::NodeGetCapabilitiesResponse* response) {
  using Rpc = csi::v1::NodeServiceCapability::RPC;
  for (auto type : {Rpc::VOLUME_MOUNT_GROUP, Rpc::GET_VOLUME_STATS, Rpc::VOLUME_CONDITION, Rpc::SINGLE_NODE_MULTI_WRITER}) {
    response->add_capabilities()->mutable_rpc()->set_type(type);
  }
  return grpc::Status::OK;
}

grpc::Status NodeService::NodeGetInfo(grpc::ServerContext*, const csi::v1::NodeGetInfoRequest*,
                                      csi::v1::NodeGetInfoResponse* response) {
  response->set_node_id(options_.node_id);
  return grpc::Status::OK;
}

Status NodeService::Publish(const csi::v1::NodePublishVolumeRequest& request) {
  S3_RETURN_IF_ERROR(CheckNodeVolumeId(request.volume_id()));
  S3_RETURN_IF_ERROR(CheckTargetPath("target_path", request.target_path(), options_.kubelet_dir));
  S3_ASSIGN_OR_RETURN(MountSpec spec, BuildMountSpec(request, options_.defaults));
  InFlight::Guard guard(in_flight_, request.volume_id());
  if (!guard.acquired()) return Busy(request.volume_id());
  return publisher_->Publish(request.target_path(), spec);
}

Status NodeService::Unpublish(const csi::v1::NodeUnpublishVolumeRequest& request) {
  S3_RETURN_IF_ERROR(CheckNodeVolumeId(request.volume_id()));
  S3_RETURN_IF_ERROR(CheckTargetPath("target_path", request.target_path(), options_.kubelet_dir));
  InFlight::Guard guard(in_flight_, request.volume_id());
  if (!guard.acquired()) return Busy(request.volume_id());
  return publisher_->Unpublish(request.target_path());
}

Status NodeService::Stats(const csi::v1::NodeGetVolumeStatsRequest& request,
                          csi::v1::NodeGetVolumeStatsResponse& response) {
  S3_RETURN_IF_ERROR(CheckNodeVolumeId(request.volume_id()));
  S3_RETURN_IF_ERROR(CheckTargetPath("volume_path", request.volume_path(), options_.kubelet_dir));
  S3_ASSIGN_OR_RETURN(auto mounted, publisher_->Inspect(request.volume_path()));
  if (!mounted || mounted->volume_id != request.volume_id()) {
    return Status::NotFound("volume " + request.volume_id() + " is not published at " + request.volume_path());
  }
  auto* condition = response.mutable_volume_condition();
  if (mounted->broken) {
    condition->set_abnormal(true);
    condition->set_message("the mount's file system daemon is gone (transport endpoint is not connected)");
    return {};
  }
  struct statvfs st{};
  if (statvfs(request.volume_path().c_str(), &st) != 0) {
    condition->set_abnormal(true);
    condition->set_message(std::string("statvfs: ") + std::strerror(errno));
    return {};
  }
  condition->set_abnormal(false);
  condition->set_message("serving");
  // No usage: s3mount's statfs numbers are a fixed large size (a bucket has no capacity), so
  // they would report 0 bytes used whatever the volume holds, and counting the real bytes means
  // listing every object. The spec makes usage optional; the condition above is what kubelet
  // can act on.
  return {};
}

}  // namespace s3csi

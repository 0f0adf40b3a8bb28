#include "csi/controller/controller_service.h"

#include <spdlog/spdlog.h>

#include "csi/common/capability.h"
#include "csi/common/grpc_status.h"
#include "csi/common/request_log.h"
#include "csi/common/validation.h"
#include "csi/common/volume_id.h"
#include "csi/common/volume_options.h"
#include "csi/controller/volume_store.h"

namespace s3csi {

using s3core::ErrorKind;
using s3core::Result;
using s3core::Status;

namespace {

Status Busy(const std::string& what) {
  return Status::Error(ErrorKind::kConflict, "an operation on " + what + " is already in progress");
}

Status CheckCapabilities(const google::protobuf::RepeatedPtrField<csi::v1::VolumeCapability>& capabilities) {
  if (capabilities.empty()) return Status::InvalidArgument("volume_capabilities is required");
  for (const auto& capability : capabilities) S3_RETURN_IF_ERROR(CheckCapability(capability));
  return {};
}

// The text the marker object keeps: everything that makes two CreateVolume calls "the same".
std::string MarkerText(const std::string& name, const std::string& volume_id, int64_t capacity,
                       const std::map<std::string, std::string>& context) {
  std::string text = "s3csi volume\nname=" + name + "\nvolume_id=" + volume_id +
                     "\ncapacity_bytes=" + std::to_string(capacity) + "\n";
  for (const auto& [key, value] : context) text += "context." + key + "=" + value + "\n";
  return text;
}

}  // namespace

ControllerService::ControllerService(StoreFactory stores, std::string default_endpoint,
                                     std::shared_ptr<spdlog::logger> log)
    : stores_(std::move(stores)), default_endpoint_(std::move(default_endpoint)), log_(std::move(log)) {}

grpc::Status ControllerService::CreateVolume(grpc::ServerContext*, const csi::v1::CreateVolumeRequest* request,
                                             csi::v1::CreateVolumeResponse* response) {
  return LoggedCall(*log_, "CreateVolume", *request,
                    [&] { return ToGrpc(Create(*request, *response->mutable_volume())); });
}

grpc::Status ControllerService::DeleteVolume(grpc::ServerContext*, const csi::v1::DeleteVolumeRequest* request,
                                             csi::v1::DeleteVolumeResponse*) {
  return LoggedCall(*log_, "DeleteVolume", *request, [&] { return ToGrpc(Delete(*request)); });
}

grpc::Status ControllerService::ValidateVolumeCapabilities(grpc::ServerContext*,
                                                           const csi::v1::ValidateVolumeCapabilitiesRequest* request,
                                                           csi::v1::ValidateVolumeCapabilitiesResponse* response) {
  return LoggedCall(*log_, "ValidateVolumeCapabilities", *request,
                    [&] { return ToGrpc(Validate(*request, *response)); });
}

grpc::Status ControllerService::ControllerGetCapabilities(grpc::ServerContext*,
                                                          const csi::v1::ControllerGetCapabilitiesRequest*,
                                                          csi::v1::ControllerGetCapabilitiesResponse* response) {
  using Rpc = csi::v1::ControllerServiceCapability::RPC;
  for (auto type : {Rpc::CREATE_DELETE_VOLUME, Rpc::SINGLE_NODE_MULTI_WRITER}) {
    response->add_capabilities()->mutable_rpc()->set_type(type);
  }
  return grpc::Status::OK;
}

Status ControllerService::Create(const csi::v1::CreateVolumeRequest& request, csi::v1::Volume& volume) {
  S3_RETURN_IF_ERROR(CheckCsiString("name", request.name()));
  S3_RETURN_IF_ERROR(CheckCsiMap("parameters", request.parameters()));
  S3_RETURN_IF_ERROR(CheckCsiMap("secrets", request.secrets()));
  S3_RETURN_IF_ERROR(CheckCapabilities(request.volume_capabilities()));
  if (request.has_volume_content_source()) {
    return Status::InvalidArgument("volume_content_source: cloning and snapshots are not supported");
  }
  const int64_t required = request.capacity_range().required_bytes();
  const int64_t limit = request.capacity_range().limit_bytes();
  if (required < 0 || limit < 0) return Status::InvalidArgument("capacity_range is negative");
  if (limit != 0 && limit < required) return Status::InvalidArgument("capacity_range: limit_bytes < required_bytes");

  S3_ASSIGN_OR_RETURN(VolumeOptions options,
                      ParseVolumeOptions(ToStdMap(request.parameters()), OptionsSource::kStorageClass));
  S3_ASSIGN_OR_RETURN(S3Access access, ParseSecrets(ToStdMap(request.secrets())));

  VolumeId id;
  id.reclaim = options.reclaim.value_or(ReclaimData::kRetain);
  // DeleteVolume gets the provisioner secret but no parameters: it can only reach the secret's
  // endpoint (or the controller's). Data it cannot reach would be "deleted" without a trace.
  const std::string delete_endpoint = !access.endpoint.empty() ? access.endpoint : default_endpoint_;
  if (id.reclaim == ReclaimData::kDelete && !options.endpoint.empty() && options.endpoint != delete_endpoint) {
    return Status::InvalidArgument(
        "reclaimData=delete needs the endpoint in the provisioner secret (or --s3-endpoint), not only in the "
        "StorageClass: DeleteVolume receives no parameters");
  }
  if (options.bucket.empty()) {
    if (!options.prefix.empty()) return Status::InvalidArgument("parameter prefix needs parameter bucket");
    id.bucket = BucketNameForVolume(request.name());
    id.bucket_per_volume = true;
  } else {
    id.bucket = options.bucket;
    id.prefix = options.prefix + PrefixSegmentForVolume(request.name()) + "/";
  }
  const std::string volume_id = id.Encode();
  if (volume_id.size() > kMaxCsiStringBytes) {
    return Status::InvalidArgument("bucket and prefix make a volume id longer than 128 bytes: " + volume_id);
  }

  InFlight::Guard guard(in_flight_, "name:" + request.name());
  if (!guard.acquired()) return Busy("volume " + request.name());

  S3_ASSIGN_OR_RETURN(auto store, stores_(access, options.endpoint, options.region));
  VolumeStore volumes(*store);
  if (id.bucket_per_volume) {
    S3_RETURN_IF_ERROR(volumes.EnsureBucket(id.bucket));
  } else {
    Status bucket = volumes.CheckBucket(id.bucket);
    if (bucket.IsNotFound()) return Status::Error(ErrorKind::kPreconditionFailed, bucket.message());
    S3_RETURN_IF_ERROR(bucket);
  }

  const int64_t capacity = required != 0 ? required : limit;
  const auto context = VolumeContextFor(options, id.bucket, id.prefix);
  const std::string marker = MarkerText(request.name(), volume_id, capacity, context);
  S3_ASSIGN_OR_RETURN(auto existing, volumes.ReadMarker(id.bucket, id.prefix));
  if (existing && *existing != marker) {
    return Status::Error(ErrorKind::kAlreadyExists,
                         "volume " + request.name() + " exists with other parameters or capacity");
  }
  if (!existing) S3_RETURN_IF_ERROR(volumes.WriteMarker(id.bucket, id.prefix, marker));

  volume.set_volume_id(volume_id);
  volume.set_capacity_bytes(capacity);
  volume.mutable_volume_context()->insert(context.begin(), context.end());
  return {};
}

Status ControllerService::Delete(const csi::v1::DeleteVolumeRequest& request) {
  S3_RETURN_IF_ERROR(CheckCsiString("volume_id", request.volume_id()));
  S3_RETURN_IF_ERROR(CheckCsiMap("secrets", request.secrets()));
  auto id = VolumeId::Parse(request.volume_id());
  if (id.status().IsNotFound()) {
    log_->info("DeleteVolume {}: not provisioned by s3csi, nothing to delete", request.volume_id());
    return {};
  }
  if (!id.ok()) return id.status();
  InFlight::Guard guard(in_flight_, "id:" + request.volume_id());
  if (!guard.acquired()) return Busy("volume " + request.volume_id());
  if (id->reclaim == ReclaimData::kRetain) {
    log_->info("DeleteVolume {}: reclaimData=retain, data kept", request.volume_id());
    return {};
  }
  S3_ASSIGN_OR_RETURN(S3Access access, ParseSecrets(ToStdMap(request.secrets())));
  S3_ASSIGN_OR_RETURN(auto store, stores_(access, "", ""));
  VolumeStore volumes(*store);
  S3_RETURN_IF_ERROR(volumes.DeleteData(id->bucket, id->prefix));
  if (id->bucket_per_volume) S3_RETURN_IF_ERROR(volumes.DeleteBucket(id->bucket));
  return {};
}

Status ControllerService::Validate(const csi::v1::ValidateVolumeCapabilitiesRequest& request,
                                   csi::v1::ValidateVolumeCapabilitiesResponse& response) {
  S3_RETURN_IF_ERROR(CheckCsiString("volume_id", request.volume_id()));
  S3_RETURN_IF_ERROR(CheckCsiMap("volume_context", request.volume_context()));
  S3_RETURN_IF_ERROR(CheckCsiMap("parameters", request.parameters()));
  S3_RETURN_IF_ERROR(CheckCsiMap("secrets", request.secrets()));
  if (request.volume_capabilities().empty()) return Status::InvalidArgument("volume_capabilities is required");
  S3_ASSIGN_OR_RETURN(VolumeOptions context,
                      ParseVolumeOptions(ToStdMap(request.volume_context()), OptionsSource::kVolumeContext));
  S3_ASSIGN_OR_RETURN(S3Access access, ParseSecrets(ToStdMap(request.secrets())));

  // Where the volume lives: our id, else the context (a static PV), else a plain bucket[/prefix].
  std::string bucket = context.bucket, prefix = context.prefix;
  bool ours = false;
  auto id = VolumeId::Parse(request.volume_id());
  if (id.ok()) {
    bucket = id->bucket;
    prefix = id->prefix;
    ours = true;
  } else if (!id.status().IsNotFound()) {
    return id.status();
  } else if (bucket.empty()) {
    auto path = ParseBucketPath(request.volume_id());
    if (!path.ok()) return Status::NotFound("volume " + request.volume_id() + " names no bucket");
    bucket = path->bucket;
    prefix = path->prefix;
  }
  S3_ASSIGN_OR_RETURN(auto store, stores_(access, context.endpoint, context.region));
  VolumeStore volumes(*store);
  S3_RETURN_IF_ERROR(volumes.CheckBucket(bucket));
  if (ours && !prefix.empty()) {
    S3_ASSIGN_OR_RETURN(auto marker, volumes.ReadMarker(bucket, prefix));
    if (!marker) return Status::NotFound("volume " + request.volume_id() + " does not exist");
  }
  for (const auto& capability : request.volume_capabilities()) {
    Status supported = CheckCapability(capability);
    if (!supported.ok()) {
      response.set_message(supported.message());
      return {};
    }
  }
  auto* confirmed = response.mutable_confirmed();
  *confirmed->mutable_volume_context() = request.volume_context();
  *confirmed->mutable_volume_capabilities() = request.volume_capabilities();
  *confirmed->mutable_parameters() = request.parameters();
  return {};
}

}  // namespace s3csi

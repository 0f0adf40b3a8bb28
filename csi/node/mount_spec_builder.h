// Turns a NodePublishVolume request into the MountSpec the Publisher mounts: where the data is
// (the volume context from CreateVolume or a static PV's volumeAttributes, else the volume id),
// with which credentials (node-publish secrets), and with which s3mount options (the volume's,
// the PV's mountOptions, fsGroup, read-only), everything checked before anything is mounted.
// Pure logic, no I/O: unit-tested without mounts.
#pragma once

#include <string>

#include "csi/mount/publisher.h"
#include "csi/proto/csi.pb.h"
#include "s3core/status.h"

namespace s3csi {

struct NodeDefaults {
  std::string endpoint;  // S3 URL when neither the volume nor the secrets name one
  std::string region;
};

// kInvalidArgument for anything malformed or not allowed.
s3core::Result<MountSpec> BuildMountSpec(const csi::v1::NodePublishVolumeRequest& request,
                                         const NodeDefaults& defaults);

// Volume ids also travel into the mount table's source field: no blanks, commas or backslashes.
s3core::Status CheckNodeVolumeId(const std::string& volume_id);

}  // namespace s3csi

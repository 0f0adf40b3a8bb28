#include "csi/common/capability.h"

namespace s3csi {

using Mode = csi::v1::VolumeCapability::AccessMode;
using s3core::Status;

Status CheckCapability(const csi::v1::VolumeCapability& capability) {
  if (capability.has_block()) return Status::InvalidArgument("block volumes are not supported, only mount");
  if (!capability.has_mount()) return Status::InvalidArgument("volume capability has no access type (mount)");
  if (!capability.has_access_mode()) return Status::InvalidArgument("volume capability has no access mode");
  const auto mode = capability.access_mode().mode();
  if (mode == Mode::UNKNOWN || !csi::v1::VolumeCapability_AccessMode_Mode_IsValid(mode)) {
    return Status::InvalidArgument("volume capability has an unknown access mode");
  }
  return {};
}

bool IsReadOnlyMode(const csi::v1::VolumeCapability& capability) {
  const auto mode = capability.access_mode().mode();
  return mode == Mode::SINGLE_NODE_READER_ONLY || mode == Mode::MULTI_NODE_READER_ONLY;
}

}  // namespace s3csi

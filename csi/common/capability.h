// Volume capabilities s3csi can serve: a mounted file system (never a block device) in any
// access mode, single- or multi-node, read-write or read-only.
#pragma once

#include "csi/proto/csi.pb.h"
#include "s3core/status.h"

namespace s3csi {

// kInvalidArgument for a missing access type or mode, a block volume, or an unknown mode.
s3core::Status CheckCapability(const csi::v1::VolumeCapability& capability);
// Whether the access mode only allows reading (SINGLE_NODE_READER_ONLY, MULTI_NODE_READER_ONLY).
bool IsReadOnlyMode(const csi::v1::VolumeCapability& capability);

}  // namespace s3csi

// What the mount table records about a mount of ours, so that a restarted plugin needs no state:
// the source field "s3csi:<volume_id>:<fingerprint>" of a mount of type "fuse.s3mount".
//
// The fingerprint is the first 16 hex digits of a SHA-256 over everything in the MountSpec but
// the secrets (a rotated key must not make a live mount look like another volume's), so that a
// repeated Publish can tell "same request, already done" from "something else is mounted here".
// It is always 16 characters and comes last, so volume ids may contain ':'.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "csi/mount/publisher.h"
#include "s3core/status.h"

namespace s3csi {

inline constexpr std::string_view kMountFsType = "fuse.s3mount";
inline constexpr std::string_view kSourcePrefix = "s3csi:";
inline constexpr size_t kFingerprintLength = 16;
inline constexpr size_t kMaxVolumeIdLength = 128;  // CSI's limit for volume ids

// Checks the parts of a spec that the mount machinery relies on (the caller validates options).
s3core::Status ValidateMountSpec(const MountSpec& spec);

std::string Fingerprint(const MountSpec& spec);

std::string MountSource(const std::string& volume_id, const std::string& fingerprint);

struct ParsedSource {
  std::string volume_id;
  std::string fingerprint;
};
// nullopt if `source` is not of our form.
std::optional<ParsedSource> ParseMountSource(std::string_view source);

}  // namespace s3csi

// VolumeId: what a CSI volume id carries, so that DeleteVolume needs no state of its own.
//
// Format (at most 128 bytes, the CSI limit):  s3v1:<reclaim><layout>:<bucket>[/<prefix>]
//   reclaim  'd' = DeleteVolume deletes the data (and a volume's own bucket), 'r' = retains it
//   layout   'b' = the volume is a whole bucket (created for it), 'p' = a prefix inside a bucket
// e.g. "s3v1:dp:shared-bucket/team-a/pvc-3f1a..." or "s3v1:rb:pvc-3f1a...".
// The prefix is stored without its trailing slash; in memory it always ends with one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "csi/common/validation.h"
#include "s3core/status.h"

namespace s3csi {

enum class ReclaimData { kRetain, kDelete };

struct VolumeId {
  std::string bucket;
  std::string prefix;  // "" or "a/b/" (trailing slash)
  bool bucket_per_volume = false;
  ReclaimData reclaim = ReclaimData::kRetain;

  std::string Encode() const;
  // kNotFound: not an id of ours (a static PV's handle); kInvalidArgument: ours but malformed.
  static s3core::Result<VolumeId> Parse(std::string_view id);

  bool operator==(const VolumeId&) const = default;
};

// Validates and normalizes a key prefix: "a/b", "a/b/" and "/a/b/" all give "a/b/"; "" gives "".
// Refuses empty, "." and ".." segments, backslashes and control characters, and more than
// 512 bytes (object keys must stay well under S3's 1024).
s3core::Result<std::string> NormalizePrefix(std::string_view raw);

// A static PV's volumeHandle may simply name "bucket" or "bucket/prefix".
struct BucketAndPrefix {
  std::string bucket;
  std::string prefix;  // normalized
};
s3core::Result<BucketAndPrefix> ParseBucketPath(std::string_view handle);

// A valid S3 bucket name for a volume (bucket-per-volume), the same for the same name: the name
// lower-cased with other characters turned into '-'; when that changed anything or does not
// fit, a hash of the original name is appended so distinct names stay distinct.
std::string BucketNameForVolume(std::string_view volume_name);
// A key segment for a volume (prefix-per-volume): [A-Za-z0-9._-], else the same hash rule.
std::string PrefixSegmentForVolume(std::string_view volume_name);

// Lower-case hex SHA-256 (for names and fingerprints, not for security).
std::string Sha256Hex(std::string_view data);

}  // namespace s3csi

// VolumeStore: what the controller does to S3 for a volume, over the ObjectStore seam (so it can
// be driven by the in-memory store in unit tests and by the real RGW in integration tests).
//
// A volume records the request it was created for in a marker object, "<prefix>.s3csi-volume"
// (in the bucket's root for a bucket-per-volume volume): a retried CreateVolume with the same
// name and parameters finds the same text and succeeds; another text means ALREADY_EXISTS.
// The marker is visible in the mounted volume as a hidden file.
#pragma once

#include <optional>
#include <string>

#include "s3core/object_store.h"

namespace s3csi {

inline constexpr const char* kMarkerName = ".s3csi-volume";

class VolumeStore {
 public:
  explicit VolumeStore(s3core::ObjectStore& store) : store_(store) {}

  // Creates the bucket if it does not exist. A bucket of that name owned by someone else is
  // kAlreadyExists; one we own already is fine (a retried CreateVolume).
  s3core::Status EnsureBucket(const std::string& bucket);
  // kNotFound if the bucket does not exist.
  s3core::Status CheckBucket(const std::string& bucket);

  // The marker's text, or nullopt when there is none (or no bucket).
  s3core::Result<std::optional<std::string>> ReadMarker(const std::string& bucket, const std::string& prefix);
  s3core::Status WriteMarker(const std::string& bucket, const std::string& prefix, const std::string& text);

  // Deletes every object and pending multipart upload under `prefix` ("" = the whole bucket).
  // A missing bucket is fine: there is nothing left to delete.
  s3core::Status DeleteData(const std::string& bucket, const std::string& prefix);
  // Deletes the (empty) bucket; a missing bucket is fine.
  s3core::Status DeleteBucket(const std::string& bucket);

 private:
  s3core::Status AbortUploads(const std::string& bucket, const std::string& prefix);

  s3core::ObjectStore& store_;
};

}  // namespace s3csi

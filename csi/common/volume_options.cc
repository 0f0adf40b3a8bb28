#include "csi/common/volume_options.h"

#include <cstdio>

#include "csi/common/mount_options.h"
#include "s3core/client/endpoint.h"

namespace s3csi {

using s3core::Result;
using s3core::Status;

namespace {

Result<unsigned long> ParseNumber(const std::string& key, const std::string& value, int base, unsigned long max) {
  if (value.empty() || value.size() > 12) return Status::InvalidArgument(key + " is not a number");
  for (char c : value) {
    if (c < '0' || c > (base == 8 ? '7' : '9')) {
      return Status::InvalidArgument(key + "=" + value + " is not a " + (base == 8 ? "octal " : "") + "number");
    }
  }
  const unsigned long n = std::stoul(value, nullptr, base);
  if (n > max) return Status::InvalidArgument(key + "=" + value + " is out of range");
  return n;
}

std::string Octal(unsigned long n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04lo", n & 0777UL);
  return buf;
}

Status CheckRegion(const std::string& region) {
  if (region.size() > 64) return Status::InvalidArgument("region is too long");
  for (char c : region) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
      return Status::InvalidArgument("region '" + region + "' has characters other than a-z, 0-9, - and _");
    }
  }
  return {};
}

// Folds one key into `out`; returns false for an unknown key.
Result<bool> Apply(const std::string& key, const std::string& value, OptionsSource source, VolumeOptions& out) {
  if (key == "bucket") {
    S3_RETURN_IF_ERROR(s3core::ValidateBucketName(value));
    out.bucket = value;
  } else if (key == "prefix") {
    S3_ASSIGN_OR_RETURN(out.prefix, NormalizePrefix(value));
  } else if (key == "endpoint") {
    auto endpoint = s3core::Endpoint::Parse(value);
    if (!endpoint.ok()) return Status::InvalidArgument("endpoint: " + endpoint.status().message());
    out.endpoint = value;
  } else if (key == "region") {
    S3_RETURN_IF_ERROR(CheckRegion(value));
    out.region = value;
  } else if (key == "mountOptions") {
    S3_ASSIGN_OR_RETURN(auto options, ParseMountOptions(value));
    out.mount_options.insert(out.mount_options.end(), options.begin(), options.end());
  } else if (key == "storageClass") {
    S3_ASSIGN_OR_RETURN(auto options, ParseMountOptions("storage_class=" + value));
    out.mount_options.insert(out.mount_options.end(), options.begin(), options.end());
  } else if (key == "sse") {
    S3_ASSIGN_OR_RETURN(auto options, ParseMountOptions("use_sse=" + value));
    out.mount_options.insert(out.mount_options.end(), options.begin(), options.end());
  } else if (key == "uid" || key == "gid") {
    S3_ASSIGN_OR_RETURN(auto id, ParseNumber(key, value, 10, 0xFFFFFFFEUL));
    out.mount_options.push_back(key + "=" + std::to_string(id));
  } else if (key == "umask") {
    S3_ASSIGN_OR_RETURN(auto mask, ParseNumber(key, value, 8, 0777));
    out.mount_options.push_back("umask=" + Octal(mask));
  } else if (key == "mode") {
    S3_ASSIGN_OR_RETURN(auto mode, ParseNumber(key, value, 8, 0777));
    // The permission bits of files, directories and the volume's root alike.
    out.mount_options.push_back("umask=" + Octal(~mode));
    out.mount_options.push_back("mp_umask=" + Octal(~mode));
  } else if (key == "reclaimData" && source == OptionsSource::kStorageClass) {
    if (value == "delete") {
      out.reclaim = ReclaimData::kDelete;
    } else if (value == "retain") {
      out.reclaim = ReclaimData::kRetain;
    } else {
      return Status::InvalidArgument("reclaimData must be delete or retain, not '" + value + "'");
    }
  } else {
    return false;
  }
  return true;
}

}  // namespace

Result<VolumeOptions> ParseVolumeOptions(const std::map<std::string, std::string>& params, OptionsSource source) {
  VolumeOptions out;
  for (const auto& [key, value] : params) {
    if (key.rfind("csi.storage.k8s.io/", 0) == 0) continue;
    S3_ASSIGN_OR_RETURN(bool known, Apply(key, value, source, out));
    if (!known) return Status::InvalidArgument("unknown volume parameter '" + key + "'");
  }
  if (source == OptionsSource::kVolumeContext && out.bucket.empty()) {
    // Without a bucket the caller falls back to the volume id, which names its own prefix.
    if (!out.prefix.empty()) return Status::InvalidArgument("volume context has a prefix but no bucket");
  }
  return out;
}

std::map<std::string, std::string> VolumeContextFor(const VolumeOptions& options, const std::string& bucket,
                                                    const std::string& prefix) {
  std::map<std::string, std::string> context{{"bucket", bucket}};
  if (!prefix.empty()) context["prefix"] = prefix;
  if (!options.endpoint.empty()) context["endpoint"] = options.endpoint;
  if (!options.region.empty()) context["region"] = options.region;
  if (!options.mount_options.empty()) context["mountOptions"] = JoinOptions(options.mount_options);
  return context;
}

}  // namespace s3csi

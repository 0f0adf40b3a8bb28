// Volume options: StorageClass parameters (dynamic provisioning) and a volume's context (what
// CreateVolume returned, or a static PV's volumeAttributes), parsed by one set of rules.
//
// Keys (both):   bucket, prefix, endpoint (URL), region, mountOptions ("a,b=c", s3mount -o
//                options, allow-listed), storageClass, sse (1 | kmsid[:KEY_ID]), uid, gid,
//                umask (octal) or mode (octal, the permission bits files and directories show)
// StorageClass:  reclaimData = delete | retain (default retain): what DeleteVolume does with data.
//                Without `bucket` each volume gets a bucket of its own; with it, a prefix
//                (`prefix`/<volume name>/) inside that existing bucket.
// Keys under csi.storage.k8s.io/ (added by the sidecars and kubelet) are ignored; any other
// unknown key is an error, so that a misspelt parameter is not silently dropped.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "csi/common/volume_id.h"
#include "s3core/status.h"

namespace s3csi {

struct VolumeOptions {
  std::string bucket;  // "" when not given
  std::string prefix;  // normalized: "" or "a/b/"
  std::string endpoint;
  std::string region;
  std::vector<std::string> mount_options;  // validated; storageClass/sse/uid/gid/umask folded in
  std::optional<ReclaimData> reclaim;      // StorageClass only
};

enum class OptionsSource { kStorageClass, kVolumeContext };

s3core::Result<VolumeOptions> ParseVolumeOptions(const std::map<std::string, std::string>& params,
                                                 OptionsSource source);

// The volume_context CreateVolume returns for a volume at bucket/prefix with these options; it
// parses back with ParseVolumeOptions(kVolumeContext) to the same bucket, prefix and options.
std::map<std::string, std::string> VolumeContextFor(const VolumeOptions& options, const std::string& bucket,
                                                    const std::string& prefix);

}  // namespace s3csi

// The s3mount -o options a volume may carry (from StorageClass parameters, a static PV's
// volumeAttributes or the PV's mountOptions), checked against an allow-list.
//
// Refused: options that name files on the node (passwd_file, profile, logfile, load_sse_c,
// ca_bundle, use_cache), that the plugin sets itself (bucket, fsname, nonempty, auto_unmount),
// that would weaken the node (suid, dev, allow_root), and anything s3mount does not know.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "s3core/status.h"

namespace s3csi {

// Splits a comma-separated list ("ro,uid=1000") and checks each option: a known name, a value
// where the option takes one, no value where it does not, no control characters, and for
// use_sse no customer-key file. Empty items are skipped.
s3core::Result<std::vector<std::string>> ParseMountOptions(std::string_view list);

// Whether `options` contains the flag `name` or a `name=...` option.
bool HasOption(const std::vector<std::string>& options, std::string_view name);

// "a,b,c".
std::string JoinOptions(const std::vector<std::string>& options);

}  // namespace s3csi

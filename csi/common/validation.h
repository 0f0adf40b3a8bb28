// Request validation shared by the services: the CSI spec's size limits (128 bytes for strings,
// 4 KiB for a map's keys and values together), its banned control characters, and target paths
// that must stay inside the kubelet directory.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "google/protobuf/map.h"
#include "s3core/status.h"

namespace s3csi {

inline constexpr size_t kMaxCsiStringBytes = 128;
inline constexpr size_t kMaxCsiMapBytes = 4096;
inline constexpr size_t kMaxPathBytes = 4096;

// U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+007F-U+009F are banned in CSI names.
s3core::Status CheckNoControlChars(std::string_view field, std::string_view value);
// A REQUIRED (or optional, when !required) CSI string: present, at most 128 bytes, no control
// characters.
s3core::Status CheckCsiString(std::string_view field, std::string_view value, bool required = true);
// A map's keys and values together at most 4 KiB, with no control characters in them.
s3core::Status CheckCsiMap(std::string_view field, const google::protobuf::Map<std::string, std::string>& map);

// A target path for a publish: absolute, lexically normal (no ".", "..", empty segments or
// trailing slash), at most 4096 bytes, strictly inside `kubelet_dir`, and, as far as it exists
// on disk, not leaving `kubelet_dir` through a symbolic link. kInvalidArgument otherwise.
s3core::Status CheckTargetPath(std::string_view field, const std::string& path, const std::string& kubelet_dir);

std::map<std::string, std::string> ToStdMap(const google::protobuf::Map<std::string, std::string>& map);

}  // namespace s3csi

// Parsing of /proc/self/mountinfo (proc(5)), the plugin's only record of what it has mounted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "s3core/status.h"

namespace s3csi {

struct MountInfoEntry {
  int mount_id = 0;
  int parent_id = 0;
  std::string root;         // the root of the mount within its file system
  std::string mount_point;  // unescaped
  std::string mount_options;
  std::string fs_type;      // "fuse.s3mount"
  std::string source;       // unescaped, e.g. "s3csi:vol-1:0123456789abcdef"
  std::string super_options;
};

// Undoes the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash).
std::string UnescapeMountInfoField(std::string_view field);

// Parses the text of a mountinfo file. Malformed lines are an error (kUnexpectedResponse):
// guessing about the mount table could unmount the wrong thing.
s3core::Result<std::vector<MountInfoEntry>> ParseMountInfo(std::string_view text);

// Reads and parses /proc/self/mountinfo (or `path`, for tests).
s3core::Result<std::vector<MountInfoEntry>> ReadMountInfo(const std::string& path = "/proc/self/mountinfo");

}  // namespace s3csi

#include "csi/common/validation.h"

#include <limits.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>

namespace s3csi {

using s3core::Status;

namespace {

std::string Field(std::string_view field) { return std::string(field); }

// realpath(3) of `path`, or "" when it cannot be resolved.
std::string RealPath(const std::string& path) {
  std::unique_ptr<char, decltype(&free)> resolved(realpath(path.c_str(), nullptr), &free);
  return resolved ? std::string(resolved.get()) : std::string();
}

bool IsInside(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() + 1 && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

}  // namespace

Status CheckNoControlChars(std::string_view field, std::string_view value) {
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    const bool c0 = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
    // U+0080..U+009F are encoded as C2 80..C2 9F in UTF-8.
    const bool c1 = c == 0xC2 && i + 1 < value.size() && static_cast<unsigned char>(value[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(value[i + 1]) <= 0x9F;
    if (c0 || c == 0x7F || c1) return Status::InvalidArgument(Field(field) + " contains a control character");
  }
  return {};
}

Status CheckCsiString(std::string_view field, std::string_view value, bool required) {
  if (value.empty()) {
    return required ? Status::InvalidArgument(Field(field) + " is required") : Status();
  }
  if (value.size() > kMaxCsiStringBytes) {
    return Status::InvalidArgument(Field(field) + " is longer than 128 bytes");
  }
  return CheckNoControlChars(field, value);
}

Status CheckCsiMap(std::string_view field, const google::protobuf::Map<std::string, std::string>& map) {
  size_t total = 0;
  for (const auto& [key, value] : map) {
    total += key.size() + value.size();
    if (key.empty()) return Status::InvalidArgument(Field(field) + " has an empty key");
    S3_RETURN_IF_ERROR(CheckNoControlChars(field, key));
  }
  if (total > kMaxCsiMapBytes) return Status::InvalidArgument(Field(field) + " is larger than 4 KiB");
  return {};
}

Status CheckTargetPath(std::string_view field, const std::string& path, const std::string& kubelet_dir) {
  if (path.empty()) return Status::InvalidArgument(Field(field) + " is required");
  if (path.size() > kMaxPathBytes) return Status::InvalidArgument(Field(field) + " is longer than 4096 bytes");
  if (path.find('\0') != std::string::npos) return Status::InvalidArgument(Field(field) + " contains NUL");
  S3_RETURN_IF_ERROR(CheckNoControlChars(field, path));
  if (path.find_first_of("\t\n\r") != std::string::npos) {
    return Status::InvalidArgument(Field(field) + " contains a tab or line break");
  }
  if (path.front() != '/') return Status::InvalidArgument(Field(field) + " is not absolute");
  if (path.back() == '/') return Status::InvalidArgument(Field(field) + " ends with '/'");
  const std::filesystem::path p(path);
  if (p.lexically_normal().string() != path) {
    return Status::InvalidArgument(Field(field) + " is not a normal path (., .., // or a trailing /)");
  }
  if (!IsInside(path, kubelet_dir)) {
    return Status::InvalidArgument(Field(field) + " is not inside the kubelet directory " + kubelet_dir);
  }
  std::error_code ec;
  if (std::filesystem::is_symlink(std::filesystem::symlink_status(p, ec))) {
    return Status::InvalidArgument(Field(field) + " is a symbolic link");
  }
  // Symbolic links: the deepest existing ancestor must still resolve inside the kubelet dir.
  const std::string root = RealPath(kubelet_dir);
  if (root.empty()) return Status::InvalidArgument("the kubelet directory " + kubelet_dir + " does not exist");
  std::filesystem::path ancestor = p.parent_path();
  while (!std::filesystem::exists(std::filesystem::symlink_status(ancestor, ec)) && ancestor != ancestor.root_path()) {
    ancestor = ancestor.parent_path();
  }
  const std::string resolved = RealPath(ancestor.string());
  if (resolved != root && !IsInside(resolved, root)) {
    return Status::InvalidArgument(Field(field) + " leaves the kubelet directory through a symbolic link");
  }
  return {};
}

std::map<std::string, std::string> ToStdMap(const google::protobuf::Map<std::string, std::string>& map) {
  return {map.begin(), map.end()};
}

}  // namespace s3csi

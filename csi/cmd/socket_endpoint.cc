#include "csi/cmd/socket_endpoint.h"

#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace s3csi {

using s3core::Status;

s3core::Result<std::string> UnixSocketPath(const std::string& endpoint) {
  constexpr std::string_view kScheme = "unix://";
  if (endpoint.rfind(kScheme, 0) != 0) return Status::InvalidArgument("endpoint must be unix:///path, not " + endpoint);
  std::string path = endpoint.substr(kScheme.size());
  if (path.empty() || path.front() != '/') return Status::InvalidArgument("endpoint path must be absolute: " + endpoint);
  if (path.size() >= sizeof(sockaddr_un{}.sun_path)) return Status::InvalidArgument("socket path too long: " + path);
  return path;
}

Status PrepareSocketPath(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return Status::Io("cannot create the directory of " + path + ": " + ec.message());
  struct stat st{};
  if (lstat(path.c_str(), &st) != 0) {
    return errno == ENOENT ? Status() : Status::Io("stat " + path + ": " + std::strerror(errno));
  }
  if (!S_ISSOCK(st.st_mode)) return Status::InvalidArgument(path + " exists and is not a socket");
  if (unlink(path.c_str()) != 0) return Status::Io("cannot remove stale socket " + path + ": " + std::strerror(errno));
  return {};
}

}  // namespace s3csi

// Types shared by the file system core (mounter/fs) and its FUSE glue (mounter/fuse).
//
// The core speaks in inode numbers, like the FUSE low-level API, so the glue stays thin and the
// core can be driven from unit tests exactly as the kernel drives it.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "s3core/status.h"

namespace mounter {

using Ino = uint64_t;
inline constexpr Ino kRootIno = 1;  // FUSE_ROOT_ID
using FileHandle = uint64_t;

// A file system error: the errno FUSE must answer, a message for the log, and, when it came
// from S3, the s3core Status that caused it (S3 code, HTTP status, request id).
class FsError {
 public:
  FsError(int err, std::string message, s3core::Status source = {})
      : errno_(err), message_(std::move(message)), source_(std::move(source)) {}
  // Maps an s3core failure to an errno once, here (see errno_map.cc).
  static FsError FromStatus(const s3core::Status& status, const std::string& context);

  int errno_value() const { return errno_; }
  const std::string& message() const { return message_; }
  const s3core::Status& source() const { return source_; }
  std::string ToString() const;

 private:
  int errno_;
  std::string message_;
  s3core::Status source_;
};

template <typename T>
class [[nodiscard]] FsResult {
 public:
  FsResult(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  FsResult(FsError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return std::holds_alternative<T>(v_); }
  const FsError& error() const { return std::get<FsError>(v_); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, FsError> v_;
};

// Success, or an FsError.
class [[nodiscard]] FsStatus {
 public:
  FsStatus() = default;
  FsStatus(FsError error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return !error_.has_value(); }
  const FsError& error() const { return *error_; }

 private:
  std::optional<FsError> error_;
};

// Who is calling (from fuse_req_ctx): used for permission checks and new files' owners.
struct Caller {
  uid_t uid = 0;
  gid_t gid = 0;
  pid_t pid = 0;
};

// What the kernel caches about an inode and for how long.
struct Entry {
  Ino ino = 0;
  struct stat attr {};
  double attr_timeout = 0;   // seconds
  double entry_timeout = 0;  // seconds
};

struct SetAttrRequest {
  std::optional<mode_t> mode;
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
  std::optional<uint64_t> size;
  std::optional<struct timespec> atime;  // UTIME_NOW already resolved by the glue
  std::optional<struct timespec> mtime;
};

}  // namespace mounter

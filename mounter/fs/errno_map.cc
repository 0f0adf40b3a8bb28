// The one place where an s3core failure becomes an errno (shared STYLE.md §3).
#include <cerrno>
#include <string>

#include "mounter/fs/fs_types.h"

namespace mounter {
namespace {

int ErrnoForKind(s3core::ErrorKind kind) {
  using s3core::ErrorKind;
  switch (kind) {
    case ErrorKind::kOk: return 0;
    case ErrorKind::kNotFound: return ENOENT;
    case ErrorKind::kAccessDenied:
    case ErrorKind::kCredentials: return EACCES;
    case ErrorKind::kAlreadyExists: return EEXIST;
    // A conditional request lost a race with another writer (the object changed under an open
    // file): the caller may retry after re-opening, but nothing is wrong with the request itself.
    case ErrorKind::kPreconditionFailed: return EIO;
    // 409: BucketNotEmpty, OperationAborted. For a file system the common one is "not empty".
    case ErrorKind::kConflict: return ENOTEMPTY;
    case ErrorKind::kInvalidArgument:
    case ErrorKind::kRangeNotSatisfiable: return EINVAL;
    case ErrorKind::kTimeout: return ETIMEDOUT;
    case ErrorKind::kCancelled: return EINTR;
    case ErrorKind::kNotImplemented: return ENOSYS;
    // The server or the network failed: the application can do nothing better than see an I/O
    // error (ENOTCONN would make tools believe the mount itself is gone).
    case ErrorKind::kThrottled:
    case ErrorKind::kNetwork:
    case ErrorKind::kServerError:
    case ErrorKind::kUnexpectedResponse:
    case ErrorKind::kIo:
    case ErrorKind::kInternal: return EIO;
  }
  return EIO;
}

}  // namespace

FsError FsError::FromStatus(const s3core::Status& status, const std::string& context) {
  int err = ErrnoForKind(status.kind());
  if (err == 0) err = EIO;  // an OK status is not an error: a caller bug, still never "success"
  return FsError(err, context, status);
}

std::string FsError::ToString() const {
  std::string out = message_;
  out += " (errno ";
  out += std::to_string(errno_);
  out += ")";
  if (!source_.ok()) {
    out += ": ";
    out += source_.ToString();  // includes the S3 code, HTTP status and request id
  }
  return out;
}

}  // namespace mounter

#include "s3core/credentials/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace s3core::credentials_internal {

namespace {

std::string ErrnoText(int err) {
  char buf[256];
  // GNU strerror_r returns the message pointer, which may or may not be `buf`.
  return strerror_r(err, buf, sizeof(buf));
}

// Closes the descriptor on every return path.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() { ::close(fd_); }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

}  // namespace

Result<FileContents> ReadSmallFile(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int err = errno;
    std::string message = "cannot open " + path + ": " + ErrnoText(err);
    if (err == ENOENT || err == ENOTDIR) return Status::NotFound(std::move(message));
    return Status::Io(std::move(message));
  }
  FdCloser closer(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Status::Io("cannot stat " + path + ": " + ErrnoText(errno));
  if (!S_ISREG(st.st_mode)) return Status::Io(path + " is not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return Status::Io(path + " is too large (" + std::to_string(st.st_size) + " bytes, limit " +
                      std::to_string(max_bytes) + ")");
  }
  FileContents contents;
  contents.mode = st.st_mode;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Io("cannot read " + path + ": " + ErrnoText(errno));
    }
    if (n == 0) break;
    contents.data.append(buf, static_cast<size_t>(n));
    if (contents.data.size() > max_bytes) return Status::Io(path + " grew past " + std::to_string(max_bytes) + " bytes");
  }
  return contents;
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return !path.empty() && ::stat(path.c_str(), &st) == 0;
}

}  // namespace s3core::credentials_internal

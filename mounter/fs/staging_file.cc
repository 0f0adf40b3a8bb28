#include "mounter/fs/staging_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace mounter {
namespace {
s3core::Status ErrnoStatus(const char* what) {
  return s3core::Status::Io(std::string(what) + ": " + std::strerror(errno));
}
}  // namespace

s3core::Result<std::unique_ptr<StagingFile>> StagingFile::Create(const std::string& dir) {
  std::string where = dir;
  if (where.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    where = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  int fd = ::open(where.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    // Some file systems have no O_TMPFILE: create a unique name and unlink it at once.
    std::string templ = where + "/s3mount-staging-XXXXXX";
    std::vector<char> name(templ.begin(), templ.end());
    name.push_back('\0');
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) return ErrnoStatus(("cannot create a staging file in " + where).c_str());
    ::unlink(name.data());
  }
  return std::unique_ptr<StagingFile>(new StagingFile(fd));
}

StagingFile::~StagingFile() { ::close(fd_); }

s3core::Result<size_t> StagingFile::ReadAt(uint64_t offset, char* buf, size_t size) const {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd_, buf + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("staging file read");
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

s3core::Status StagingFile::WriteAt(uint64_t offset, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("staging file write");
    }
    done += static_cast<size_t>(n);
  }
  return s3core::Status();
}

s3core::Status StagingFile::Truncate(uint64_t size) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return ErrnoStatus("staging file truncate");
  return s3core::Status();
}

s3core::Status StagingFile::Sync() {
  if (::fdatasync(fd_) != 0) return ErrnoStatus("staging file sync");
  return s3core::Status();
}

}  // namespace mounter

#include "s3core/body.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace s3core {

Result<size_t> BufferSource::Read(char* buf, size_t n) {
  const size_t count = std::min(n, data_.size() - pos_);
  std::memcpy(buf, data_.data() + pos_, count);
  pos_ += count;
  return count;
}

Result<size_t> FileRangeSource::Read(char* buf, size_t n) {
  const uint64_t want = std::min<uint64_t>(n, length_ - pos_);
  if (want == 0) return size_t{0};
  for (;;) {
    const ssize_t got = ::pread(fd_, buf, want, static_cast<off_t>(offset_ + pos_));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Status::Io(std::string("pread: ") + std::strerror(errno));
    if (got == 0) return Status::Io("file shorter than the declared body length");
    pos_ += static_cast<uint64_t>(got);
    return static_cast<size_t>(got);
  }
}

Status StringSink::Write(const char* data, size_t n) {
  if (out_->size() + n > limit_) return Status::Io("response body exceeds " + std::to_string(limit_) + " bytes");
  out_->append(data, n);
  return Status();
}

Status BufferSink::Write(const char* data, size_t n) {
  if (size_ + n > capacity_) return Status::Io("response body larger than the buffer");
  std::memcpy(buf_ + size_, data, n);
  size_ += n;
  return Status();
}

Status FileSink::Write(const char* data, size_t n) {
  while (n > 0) {
    const ssize_t put = ::pwrite(fd_, data, n, static_cast<off_t>(offset_ + written_));
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) return Status::Io(std::string("pwrite: ") + std::strerror(errno));
    data += put;
    n -= static_cast<size_t>(put);
    written_ += static_cast<uint64_t>(put);
  }
  return Status();
}

}  // namespace s3core

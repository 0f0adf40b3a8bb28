// Streaming request and response bodies.
//
// A BodySource produces a request body a chunk at a time (libcurl's read callback pulls from it);
// it must be rewindable so that a failed attempt can be retried. A BodySink consumes a response
// body as it arrives (libcurl's write callback pushes into it); Reset() discards a partial body
// before a retry. Neither buffers a whole object unless the caller chose a buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "s3core/status.h"

namespace s3core {

class BodySource {
 public:
  virtual ~BodySource() = default;
  // Copies up to `n` bytes into `buf`; returns the count, 0 at the end of the body.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
  // Starts again from the first byte. Returns false if the source cannot be replayed.
  virtual bool Rewind() = 0;
  // Total length in bytes.
  virtual uint64_t Size() const = 0;
  // The body as contiguous memory, if it is already in memory (lets the signer hash it and
  // libcurl send it without copying). Empty optional for streamed sources.
  virtual std::optional<std::string_view> Contiguous() const { return std::nullopt; }
};

// A body from memory the caller keeps alive for the duration of the request.
class BufferSource final : public BodySource {
 public:
  explicit BufferSource(std::string_view data) : data_(data) {}
  Result<size_t> Read(char* buf, size_t n) override;
  bool Rewind() override { pos_ = 0; return true; }
  uint64_t Size() const override { return data_.size(); }
  std::optional<std::string_view> Contiguous() const override { return data_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// A byte range of an open file, read with pread(2): `length` bytes starting at `offset`.
// The file descriptor is borrowed, not closed.
class FileRangeSource final : public BodySource {
 public:
  FileRangeSource(int fd, uint64_t offset, uint64_t length) : fd_(fd), offset_(offset), length_(length) {}
  Result<size_t> Read(char* buf, size_t n) override;
  bool Rewind() override { pos_ = 0; return true; }
  uint64_t Size() const override { return length_; }

 private:
  int fd_;
  uint64_t offset_;
  uint64_t length_;
  uint64_t pos_ = 0;
};

class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual Status Write(const char* data, size_t n) = 0;
  // Forget everything written so far (a retry will write the body again).
  virtual void Reset() = 0;
};

// Appends to a std::string the caller owns. `limit` bounds memory: more bytes fail the request.
class StringSink final : public BodySink {
 public:
  explicit StringSink(std::string* out, size_t limit = SIZE_MAX) : out_(out), limit_(limit) {}
  Status Write(const char* data, size_t n) override;
  void Reset() override { out_->clear(); }

 private:
  std::string* out_;
  size_t limit_;
};

// Writes into a fixed caller-owned buffer (zero extra copies for ranged reads into a page cache).
class BufferSink final : public BodySink {
 public:
  BufferSink(char* buf, size_t capacity) : buf_(buf), capacity_(capacity) {}
  Status Write(const char* data, size_t n) override;
  void Reset() override { size_ = 0; }
  size_t size() const { return size_; }

 private:
  char* buf_;
  size_t capacity_;
  size_t size_ = 0;
};

// Writes into a file at a fixed starting offset with pwrite(2). The fd is borrowed.
class FileSink final : public BodySink {
 public:
  FileSink(int fd, uint64_t offset) : fd_(fd), offset_(offset) {}
  Status Write(const char* data, size_t n) override;
  void Reset() override { written_ = 0; }
  uint64_t written() const { return written_; }

 private:
  int fd_;
  uint64_t offset_;
  uint64_t written_ = 0;
};

// Discards the body, counting bytes (benchmarks, draining).
class DiscardSink final : public BodySink {
 public:
  Status Write(const char*, size_t n) override { count_ += n; return Status(); }
  void Reset() override { count_ = 0; }
  uint64_t count() const { return count_; }

 private:
  uint64_t count_ = 0;
};

}  // namespace s3core

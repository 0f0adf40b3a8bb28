// BufferPool: recycles the large buffers of read-ahead chunks and upload parts.
//
// Buffers of a megabyte or more come straight from mmap (s3mount fixes glibc's mmap threshold,
// see mounter/cli/main.cc), so freeing one returns its memory to the kernel, but allocating the
// next one faults in every page again: about as much CPU as the network transfer itself. The
// pool keeps up to `max_idle_bytes` of freed buffers for reuse; beyond that they are freed.
// Buffers in use are accounted by the MemoryBudget, idle ones here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace mounter {

class BufferPool {
 public:
  explicit BufferPool(uint64_t max_idle_bytes) : max_idle_bytes_(max_idle_bytes) {}
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  // A buffer of exactly `size` bytes (contents undefined), returned to the pool when destroyed.
  class Buffer {
   public:
    Buffer() = default;
    Buffer(BufferPool* pool, std::unique_ptr<char[]> data, size_t size)
        : pool_(pool), data_(std::move(data)), size_(size) {}
    Buffer(Buffer&&) noexcept = default;
    Buffer& operator=(Buffer&& other) noexcept;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
    ~Buffer() { Return(); }
    char* data() const { return data_.get(); }
    size_t size() const { return size_; }
    explicit operator bool() const { return data_ != nullptr; }

   private:
    void Return();
    BufferPool* pool_ = nullptr;
    std::unique_ptr<char[]> data_;
    size_t size_ = 0;
  };

  Buffer Take(size_t size);
  uint64_t idle_bytes() const;

 private:
  void Give(std::unique_ptr<char[]> data, size_t size);

  const uint64_t max_idle_bytes_;
  mutable std::mutex mu_;
  std::map<size_t, std::vector<std::unique_ptr<char[]>>> idle_;  // by size
  uint64_t idle_bytes_ = 0;
};

}  // namespace mounter

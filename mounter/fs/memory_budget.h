// MemoryBudget: one limit on the bytes that read-ahead windows and write buffers of the whole
// file system hold at once.
//
// Read-ahead asks with TryAcquire and simply fetches less when the answer is no: windows
// shrink instead of the process growing. A reader's or writer's own next buffer (the bytes it
// needs to make progress at all) is taken with Acquire, which waits while other buffers are
// in flight and would free memory, and overdraws only when nothing else is pending, so one
// stalled handle can never deadlock the others. The overdraft is at most one buffer per handle.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

namespace mounter {

class MemoryBudget {
 public:
  explicit MemoryBudget(uint64_t limit) : limit_(limit) {}
  MemoryBudget(const MemoryBudget&) = delete;
  MemoryBudget& operator=(const MemoryBudget&) = delete;

  bool TryAcquire(uint64_t bytes);
  // Waits up to `patience` for room, then takes the bytes anyway (an overdraft).
  void Acquire(uint64_t bytes, std::chrono::milliseconds patience = std::chrono::milliseconds(200));
  void Release(uint64_t bytes);

  uint64_t limit() const { return limit_; }
  uint64_t used() const;
  uint64_t peak() const;

  // RAII: holds `bytes` of a budget until destroyed (or Release()d).
  class Lease {
   public:
    Lease() = default;
    Lease(MemoryBudget* budget, uint64_t bytes) : budget_(budget), bytes_(bytes) {}
    Lease(Lease&& other) noexcept : budget_(other.budget_), bytes_(other.bytes_) { other.budget_ = nullptr; }
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { Release(); }
    void Release();
    uint64_t bytes() const { return budget_ != nullptr ? bytes_ : 0; }

   private:
    MemoryBudget* budget_ = nullptr;
    uint64_t bytes_ = 0;
  };
  // A lease if the bytes are free now, else an empty lease.
  Lease TryLease(uint64_t bytes) { return TryAcquire(bytes) ? Lease(this, bytes) : Lease(); }
  Lease WaitLease(uint64_t bytes) {
    Acquire(bytes);
    return Lease(this, bytes);
  }

 private:
  const uint64_t limit_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  uint64_t used_ = 0;
  uint64_t peak_ = 0;
};

// The default limit: an eighth of the memory this process may use (its cgroup's memory.max,
// else the machine's RAM), clamped to [64 MiB, 512 MiB]. `cgroup_root` is for tests.
uint64_t DefaultMemoryLimit(const std::string& cgroup_root = "/sys/fs/cgroup");

}  // namespace mounter

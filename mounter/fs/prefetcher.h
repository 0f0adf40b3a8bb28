// Prefetcher: the read side of one file handle. Sequential reads are served from a window of
// parallel ranged GETs running ahead of the reader; random reads fetch only what is asked.
//
// A read is sequential when it lands inside (or right at the end of) what the window covers,
// which tolerates the kernel's small reorderings of concurrent read-ahead requests. The window
// starts at `first_chunk` bytes; each chunk the reader consumes doubles the chunk size (up to
// `max_chunk`) and the window (up to `max_window`), so a streaming reader soon has several
// large GETs in flight while a reader that seeks never pays for bytes it will not read. A seek
// outside the window drops it and starts over small. Read-ahead chunks are leased from the
// MemoryBudget with TryLease: under pressure the window stops growing (or shrinks to what the
// reader itself asks for) instead of the process growing.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

#include "mounter/fs/buffer_pool.h"
#include "mounter/fs/memory_budget.h"
#include "mounter/fs/object_reader.h"
#include "mounter/fs/task_pool.h"

namespace mounter {

struct ReadAheadOptions {
  uint64_t first_chunk = 1 << 20;
  uint64_t max_chunk = 8 << 20;
  uint64_t max_window = 64 << 20;  // 0 disables read-ahead: every read is fetched as asked
  uint64_t random_alignment = 64 << 10;  // random reads are widened to this alignment
};

struct PrefetchContext {
  ObjectReader* reader = nullptr;
  TaskPool* pool = nullptr;
  MemoryBudget* budget = nullptr;
  BufferPool* buffers = nullptr;
  ReadAheadOptions options;
};

class Prefetcher {
 public:
  explicit Prefetcher(const PrefetchContext* context) : context_(context) {}
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // Reads [offset, offset + size) of `version` (clipped to its size) into `buf`.
  s3core::Result<size_t> Read(const ObjectVersion& version, uint64_t offset, size_t size, char* buf);

 private:
  struct Chunk;
  using ChunkPtr = std::shared_ptr<Chunk>;

  void ResetLocked(uint64_t offset);
  ChunkPtr StartChunkLocked(uint64_t length, MemoryBudget::Lease lease);
  void ExtendWindowLocked(uint64_t want_end, uint64_t read_end);
  s3core::Result<size_t> ReadDirect(const ObjectVersion& version, uint64_t offset, size_t size, char* buf);

  const PrefetchContext* context_;
  mutable std::mutex mu_;
  ObjectVersion version_;
  std::deque<ChunkPtr> chunks_;  // contiguous, covering [chunks_.front()->begin, next_fetch_)
  uint64_t next_fetch_ = 0;      // where the window's next chunk starts
  uint64_t last_end_ = 0;        // end of the last read: where a sequential reader goes next
  uint64_t consumed_until_ = 0;  // end of the last chunk the reader went past
  uint64_t chunk_size_ = 0;
  uint64_t window_ = 0;
  bool started_ = false;
};

}  // namespace mounter

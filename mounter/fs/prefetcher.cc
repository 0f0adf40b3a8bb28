#include "mounter/fs/prefetcher.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace mounter {
namespace {
// The kernel issues read-ahead requests of up to 1 MiB concurrently; they may arrive a little
// out of order.
constexpr uint64_t kReorderSlack = 2 << 20;
}  // namespace

struct Prefetcher::Chunk {
  uint64_t begin = 0;
  uint64_t end = 0;
  BufferPool::Buffer data;
  MemoryBudget::Lease lease;
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  s3core::Status status;
  size_t got = 0;
};

void Prefetcher::ResetLocked(uint64_t offset) {
  chunks_.clear();  // fetches in flight finish on their own and free their memory then
  next_fetch_ = offset;
  consumed_until_ = offset;
  chunk_size_ = context_->options.first_chunk;
  window_ = context_->options.first_chunk;
}

Prefetcher::ChunkPtr Prefetcher::StartChunkLocked(uint64_t length, MemoryBudget::Lease lease) {
  auto chunk = std::make_shared<Chunk>();
  chunk->begin = next_fetch_;
  chunk->end = next_fetch_ + length;
  chunk->data = context_->buffers->Take(length);
  chunk->lease = std::move(lease);
  next_fetch_ = chunk->end;
  chunks_.push_back(chunk);
  // The task holds the chunk, so it lives until the GET ends even if the window dropped it.
  context_->pool->Submit([chunk, reader = context_->reader, version = version_] {
    auto result = reader->Read(version, chunk->begin, chunk->end - chunk->begin, chunk->data.data());
    std::lock_guard lock(chunk->mu);
    if (result.ok()) {
      chunk->got = *result;
    } else {
      chunk->status = result.status();
    }
    chunk->done = true;
    chunk->done_cv.notify_all();
  });
  return chunk;
}

// Starts chunks until the window reaches `want_end` (what the reader needs now: always
// fetched, waiting for memory if need be), then beyond it up to read_end + window_ as far as
// the budget allows.
void Prefetcher::ExtendWindowLocked(uint64_t want_end, uint64_t read_end) {
  const uint64_t size = version_.size;
  while (next_fetch_ < std::min(want_end, size)) {
    uint64_t length = std::min(chunk_size_, size - next_fetch_);
    StartChunkLocked(length, context_->budget->WaitLease(length));
  }
  const uint64_t ahead_end = std::min(size, read_end + window_);
  while (next_fetch_ < ahead_end) {
    uint64_t length = std::min(chunk_size_, size - next_fetch_);
    MemoryBudget::Lease lease = context_->budget->TryLease(length);
    if (lease.bytes() == 0) break;  // under pressure: read ahead less
    StartChunkLocked(length, std::move(lease));
  }
}

s3core::Result<size_t> Prefetcher::ReadDirect(const ObjectVersion& version, uint64_t offset, size_t size,
                                              char* buf) {
  const uint64_t align = std::max<uint64_t>(context_->options.random_alignment, 1);
  const uint64_t begin = offset / align * align;
  const uint64_t end = std::min(version.size, (offset + size + align - 1) / align * align);
  if (begin == offset && end == offset + size) return context_->reader->Read(version, offset, size, buf);
  MemoryBudget::Lease lease = context_->budget->WaitLease(end - begin);
  std::vector<char> scratch(end - begin);
  S3_ASSIGN_OR_RETURN(size_t got, context_->reader->Read(version, begin, scratch.size(), scratch.data()));
  if (got <= offset - begin) return size_t{0};
  size_t n = std::min<size_t>(size, got - (offset - begin));
  std::memcpy(buf, scratch.data() + (offset - begin), n);
  return n;
}

s3core::Result<size_t> Prefetcher::Read(const ObjectVersion& version, uint64_t offset, size_t size, char* buf) {
  if (offset >= version.size || size == 0) return size_t{0};
  size = static_cast<size_t>(std::min<uint64_t>(size, version.size - offset));
  const uint64_t end = offset + size;

  std::vector<ChunkPtr> needed;
  {
    std::lock_guard lock(mu_);
    if (version.key != version_.key || version.etag != version_.etag || version.size != version_.size) {
      version_ = version;
      started_ = false;
      chunks_.clear();
    }
    const uint64_t covered_begin = chunks_.empty() ? next_fetch_ : chunks_.front()->begin;
    const bool in_window = started_ && offset >= covered_begin && offset <= next_fetch_;
    const bool sequential = in_window || (started_ && offset == last_end_) || (!started_ && offset == 0);
    if (context_->options.max_window == 0 || !sequential) {
      // A seek: forget the window; the next read decides whether a new stream starts here.
      started_ = true;
      ResetLocked(end);
      last_end_ = end;
      needed.clear();
    } else {
      if (!in_window) ResetLocked(offset);
      started_ = true;
      for (const auto& chunk : chunks_) {
        if (chunk->end > offset || chunk->end <= consumed_until_) continue;
        // The reader went past a whole chunk: trust the stream more.
        consumed_until_ = chunk->end;
        chunk_size_ = std::min(chunk_size_ * 2, context_->options.max_chunk);
        window_ = std::min(window_ * 2, context_->options.max_window);
      }
      // Chunks well behind the reader are done with; the slack serves reordered reads.
      while (!chunks_.empty() && chunks_.front()->end + kReorderSlack <= offset) chunks_.pop_front();
      ExtendWindowLocked(end, end);
      for (const auto& chunk : chunks_) {
        if (chunk->end > offset && chunk->begin < end) needed.push_back(chunk);
      }
      last_end_ = std::max(last_end_, end);
    }
  }
  if (needed.empty()) return ReadDirect(version, offset, size, buf);

  size_t copied = 0;
  for (const auto& chunk : needed) {
    std::unique_lock lock(chunk->mu);
    chunk->done_cv.wait(lock, [&] { return chunk->done; });
    if (!chunk->status.ok()) {
      s3core::Status status = chunk->status;
      lock.unlock();
      std::lock_guard window_lock(mu_);
      ResetLocked(end);  // a failed chunk poisons the window: start over on the next read
      return status;
    }
    uint64_t from = std::max(offset, chunk->begin);
    uint64_t to = std::min<uint64_t>(end, chunk->begin + chunk->got);
    if (to <= from) break;  // the object ended early (it shrank): a short read
    std::memcpy(buf + (from - offset), chunk->data.data() + (from - chunk->begin), to - from);
    copied += to - from;
    if (chunk->begin + chunk->got < chunk->end) break;
  }
  return copied;
}

}  // namespace mounter

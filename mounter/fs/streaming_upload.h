// StreamingUpload: a new file written from start to end goes to S3 while it is being written.
//
// Appended bytes fill a part buffer in memory; each full part is uploaded in the background
// (TaskPool) while the writer goes on, at most `parallelism` parts at once, so a writer faster
// than the network waits (back-pressure) instead of buffering without bound. No local copy of
// the file is made. The multipart upload is created with the first full part, so a small file
// is one PUT at Finish. Part sizes grow (see PartSizeAt) so that 10,000 parts reach 5 TiB.
//
// Nothing acknowledged is lost: a part whose upload fails (after s3core's own retries) keeps
// its bytes and is retried at Finish; Finish reports the failure and can be called again. An
// upload that is never finished is aborted by the destructor.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mounter/fs/buffer_pool.h"
#include "mounter/fs/memory_budget.h"
#include "mounter/fs/object_transfer.h"
#include "mounter/fs/task_pool.h"

namespace mounter {

struct UploadContext {
  s3core::ObjectStore* store = nullptr;
  const TransferOptions* transfer = nullptr;
  TaskPool* pool = nullptr;
  MemoryBudget* budget = nullptr;
  BufferPool* buffers = nullptr;
};

// The size of part `number` (1-based) of a streamed upload: part_size for the first 1,000
// parts, doubling every 1,000 parts after that, never above S3's 5 GiB part limit. With the
// default 10 MiB this reaches 5 TiB within 10,000 parts.
uint64_t PartSizeAt(uint64_t part_size, int number);

class StreamingUpload {
 public:
  // `write` carries the metadata and content type stored with the object.
  StreamingUpload(const UploadContext* context, std::string key, s3core::WriteOptions write);
  ~StreamingUpload();
  StreamingUpload(const StreamingUpload&) = delete;
  StreamingUpload& operator=(const StreamingUpload&) = delete;

  s3core::Status Append(std::string_view data);
  uint64_t size() const;
  bool multipart_started() const;
  // New metadata for the object. Possible until the multipart upload began (its metadata is
  // fixed at creation); returns false after that.
  bool UpdateWriteOptions(const s3core::WriteOptions& write);

  // Makes the object: one PUT if no part was uploaded, else the last part and Complete.
  s3core::Result<s3core::PutObjectResult> Finish();

  // Stops streaming (the writer seeked, or read): completes the object with the full parts
  // uploaded so far and hands back the bytes still buffered, which start at `object_size`.
  // Without any uploaded part there is no object (etag empty) and `tail` holds everything.
  struct Handover {
    uint64_t object_size = 0;
    std::string etag;
    std::string tail;
  };
  s3core::Result<Handover> Detach();

 private:
  struct Part {
    int number = 0;
    BufferPool::Buffer data;
    size_t used = 0;
    MemoryBudget::Lease lease;
    std::string_view bytes() const { return std::string_view(data.data(), used); }
  };
  s3core::Status SubmitFullPartLocked(std::unique_lock<std::mutex>& lock);
  void UploadInBackground(std::shared_ptr<Part> part);
  // Waits for parts in flight and uploads failed ones again; the first failure is returned.
  s3core::Status SettleLocked(std::unique_lock<std::mutex>& lock);
  s3core::Result<std::string> UploadPartNow(const Part& part);
  s3core::Result<s3core::PutObjectResult> CompleteLocked();
  void AbortLocked();

  const UploadContext* context_;
  const std::string key_;
  s3core::WriteOptions write_;

  mutable std::mutex mu_;
  std::condition_variable part_done_;
  std::string upload_id_;  // empty until the first full part
  int next_part_ = 1;
  uint64_t size_ = 0;          // bytes appended
  uint64_t parts_bytes_ = 0;   // bytes handed to parts
  BufferPool::Buffer buffer_;  // the part being filled
  size_t buffer_used_ = 0;
  MemoryBudget::Lease buffer_lease_;
  int in_flight_ = 0;
  std::map<int, std::string> etags_;              // uploaded parts
  std::vector<std::shared_ptr<Part>> failed_;     // kept for a retry
  s3core::Status last_error_;
  bool finished_ = false;
};

}  // namespace mounter

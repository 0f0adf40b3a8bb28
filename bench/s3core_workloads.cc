#include "bench/s3core_workloads.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

namespace s3bench {

using s3core::ErrorKind;
using s3core::Result;
using s3core::Status;

namespace {

constexpr size_t kPatternBlockBytes = size_t{1} << 20;

// The object data: a 1 MiB pseudo-random block, repeated. The buffer holds the block repeated
// over `max_slice` + 1 MiB bytes, so any `n <= max_slice` bytes at any object offset are one
// contiguous slice of it.
class Pattern {
 public:
  explicit Pattern(uint64_t max_slice) : max_slice_(max_slice) {
    std::string block(kPatternBlockBytes, '\0');
    uint64_t x = 0x9E3779B97F4A7C15ULL;  // xorshift64: fast, and incompressible enough
    for (size_t i = 0; i < block.size(); i += sizeof x) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      std::memcpy(block.data() + i, &x, sizeof x);
    }
    const size_t total = static_cast<size_t>(max_slice) + kPatternBlockBytes;
    data_.reserve(total);
    while (data_.size() < total) data_.append(block, 0, std::min(block.size(), total - data_.size()));
  }

  // The `n` bytes of the object at `offset`; n <= max_slice.
  std::string_view Slice(uint64_t offset, uint64_t n) const {
    return std::string_view(data_).substr(offset % kPatternBlockBytes, std::min(n, max_slice_));
  }

 private:
  uint64_t max_slice_;
  std::string data_;
};

// The pattern as a streamed body of any length (put-single without a file), memory bounded.
class PatternSource final : public s3core::BodySource {
 public:
  PatternSource(const Pattern& pattern, uint64_t size) : pattern_(pattern), size_(size) {}
  Result<size_t> Read(char* buf, size_t n) override {
    const uint64_t count = std::min<uint64_t>({n, size_ - pos_, kPatternBlockBytes});
    std::memcpy(buf, pattern_.Slice(pos_, count).data(), count);
    pos_ += count;
    return static_cast<size_t>(count);
  }
  bool Rewind() override {
    pos_ = 0;
    return true;
  }
  uint64_t Size() const override { return size_; }

 private:
  const Pattern& pattern_;
  uint64_t size_;
  uint64_t pos_ = 0;
};

// Runs task(0..count-1) on `threads` threads, each taking the next index when it is free. After
// the first failure no new task starts; that failure is returned.
Status RunParallel(int threads, uint64_t count, const std::function<Status(uint64_t)>& task) {
  std::atomic<uint64_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first_error;
  auto worker = [&] {
    for (uint64_t i = next++; i < count && !failed.load(); i = next++) {
      Status status = task(i);
      if (!status.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) first_error = std::move(status);
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  const int n = std::max(1, threads);
  pool.reserve(static_cast<size_t>(n));
  for (int t = 0; t < n; ++t) pool.emplace_back(worker);
  for (auto& thread : pool) thread.join();
  return first_error;
}

// A request of type R for bucket/key, every other field at its default.
template <typename R>
R Addressed(const std::string& bucket, const std::string& key) {
  R request;
  request.bucket = bucket;
  request.key = key;
  return request;
}

uint64_t DivRoundUp(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

Status Mismatch(const std::string& what, uint64_t offset) {
  return Status::Error(ErrorKind::kUnexpectedResponse, what + " differs from what was written, at offset " +
                                                           std::to_string(offset));
}

Result<uint64_t> ObjectSize(s3core::ObjectStore& store, const std::string& bucket, const std::string& key) {
  auto info = store.HeadObject(Addressed<s3core::HeadObjectRequest>(bucket, key));
  if (!info.ok()) return info.status().WithContext("run put-large first");
  return info->size;
}

}  // namespace

std::string LargeKey(const WorkloadConfig& config) { return config.prefix + "large"; }

Result<BenchResult> RunPutLarge(s3core::ObjectStore& store, const WorkloadConfig& config) {
  const Pattern pattern(config.part_size);
  const std::string key = LargeKey(config);
  const uint64_t parts = DivRoundUp(config.size, config.part_size);
  if (parts == 0 || parts > 10000) return Status::InvalidArgument("size / part size must give 1..10000 parts");
  std::vector<s3core::CompletedPart> completed(parts);

  Stopwatch watch(config.server_pids);
  S3_ASSIGN_OR_RETURN(const std::string upload_id,
                      store.CreateMultipartUpload(Addressed<s3core::CreateMultipartUploadRequest>(config.bucket, key)));
  Status status = RunParallel(config.threads, parts, [&](uint64_t i) -> Status {
    const uint64_t offset = i * config.part_size;
    s3core::BufferSource body(pattern.Slice(offset, std::min(config.part_size, config.size - offset)));
    auto request = Addressed<s3core::UploadPartRequest>(config.bucket, key);
    request.upload_id = upload_id;
    request.part_number = static_cast<int>(i + 1);
    request.body = &body;
    S3_ASSIGN_OR_RETURN(std::string etag, store.UploadPart(request));
    completed[i] = {request.part_number, std::move(etag)};
    return Status();
  });
  if (!status.ok()) {
    (void)store.AbortMultipartUpload(config.bucket, key, upload_id);
    return status;
  }
  auto complete = Addressed<s3core::CompleteMultipartUploadRequest>(config.bucket, key);
  complete.upload_id = upload_id;
  complete.parts = std::move(completed);
  auto done = store.CompleteMultipartUpload(complete);
  if (!done.ok()) return done.status();
  return BenchResult{"put-large", config.threads, config.size, parts + 2, watch.Elapsed()};
}

Result<BenchResult> RunPutSingle(s3core::ObjectStore& store, const WorkloadConfig& config) {
  const Pattern pattern(kPatternBlockBytes);
  PatternSource from_memory(pattern, config.size);
  int fd = -1;
  std::optional<s3core::FileRangeSource> from_file;
  if (!config.file.empty()) {
    fd = open(config.file.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || fstat(fd, &st) != 0 || static_cast<uint64_t>(st.st_size) < config.size) {
      if (fd >= 0) close(fd);
      return Status::Io("cannot read " + std::to_string(config.size) + " bytes from " + config.file);
    }
    from_file.emplace(fd, 0, config.size);
  }
  auto request = Addressed<s3core::PutObjectRequest>(config.bucket, config.prefix + "single");
  request.body = from_file ? static_cast<s3core::BodySource*>(&*from_file) : &from_memory;

  Stopwatch watch(config.server_pids);
  auto put = store.PutObject(request);
  const Usage usage = watch.Elapsed();
  if (fd >= 0) close(fd);
  if (!put.ok()) return put.status();
  return BenchResult{"put-single", 1, config.size, 1, usage};
}

Result<BenchResult> RunGetLarge(s3core::ObjectStore& store, const WorkloadConfig& config) {
  const std::string key = LargeKey(config);
  S3_ASSIGN_OR_RETURN(const uint64_t size, ObjectSize(store, config.bucket, key));
  const Pattern pattern(config.part_size);
  const uint64_t ranges = DivRoundUp(size, config.part_size);
  std::atomic<uint64_t> received{0};

  Stopwatch watch(config.server_pids);
  Status status = RunParallel(config.threads, ranges, [&](uint64_t i) -> Status {
    const uint64_t offset = i * config.part_size;
    const uint64_t length = std::min(config.part_size, size - offset);
    auto request = Addressed<s3core::GetObjectRequest>(config.bucket, key);
    request.range = s3core::ByteRange{offset, length};
    uint64_t got = 0;
    if (config.verify_every > 0 && i % static_cast<uint64_t>(config.verify_every) == 0) {
      std::string buffer(length, '\0');
      s3core::BufferSink sink(buffer.data(), buffer.size());
      S3_RETURN_IF_ERROR(store.GetObject(request, sink).status());
      got = sink.size();
      if (got == length && std::memcmp(buffer.data(), pattern.Slice(offset, length).data(), length) != 0) {
        return Mismatch(key, offset);
      }
    } else {
      s3core::DiscardSink sink;
      S3_RETURN_IF_ERROR(store.GetObject(request, sink).status());
      got = sink.count();
    }
    if (got != length) return Mismatch(key + " range length", offset);
    received += got;
    return Status();
  });
  const Usage usage = watch.Elapsed();
  S3_RETURN_IF_ERROR(status);
  if (received != size) return Mismatch(key + " total length", received);
  return BenchResult{"get-large", config.threads, size, ranges, usage};
}

Result<BenchResult> RunGetSingle(s3core::ObjectStore& store, const WorkloadConfig& config) {
  const std::string key = LargeKey(config);
  S3_ASSIGN_OR_RETURN(const uint64_t size, ObjectSize(store, config.bucket, key));
  s3core::DiscardSink sink;
  Stopwatch watch(config.server_pids);
  auto got = store.GetObject(Addressed<s3core::GetObjectRequest>(config.bucket, key), sink);
  const Usage usage = watch.Elapsed();
  if (!got.ok()) return got.status();
  if (sink.count() != size) return Mismatch(key + " length", sink.count());
  return BenchResult{"get-single", 1, size, 1, usage};
}

namespace {

// One small-object request of `kind` (put, get or head) on `key`, checked.
Status SmallRequest(s3core::ObjectStore& store, const std::string& bucket, const std::string& kind,
                    const std::string& key, std::string_view data) {
  if (kind == "put") {
    s3core::BufferSource body(data);
    auto request = Addressed<s3core::PutObjectRequest>(bucket, key);
    request.body = &body;
    return store.PutObject(request).status();
  }
  if (kind == "get") {
    std::string buffer(data.size() + 1, '\0');  // one spare byte: a longer object is caught
    s3core::BufferSink sink(buffer.data(), buffer.size());
    S3_RETURN_IF_ERROR(store.GetObject(Addressed<s3core::GetObjectRequest>(bucket, key), sink).status());
    return std::string_view(buffer.data(), sink.size()) == data ? Status() : Mismatch(key, 0);
  }
  if (kind == "head") {
    S3_ASSIGN_OR_RETURN(const s3core::ObjectInfo info,
                        store.HeadObject(Addressed<s3core::HeadObjectRequest>(bucket, key)));
    return info.size == data.size() ? Status() : Mismatch(key + " size", info.size);
  }
  return Status::InvalidArgument("unknown small workload kind " + kind);
}

}  // namespace

Result<std::vector<BenchResult>> RunSmall(s3core::ObjectStore& store, const WorkloadConfig& config) {
  const Pattern pattern(config.small_size);
  const std::string_view data = pattern.Slice(0, config.small_size);
  const auto ops = static_cast<uint64_t>(std::max(config.small_ops, 0));
  std::vector<BenchResult> results;
  for (int threads : config.small_threads) {
    const std::string prefix = config.prefix + "small/t" + std::to_string(threads) + "/";
    for (const std::string& kind : config.small_kinds) {
      Stopwatch watch(config.server_pids);
      S3_RETURN_IF_ERROR(RunParallel(threads, ops, [&](uint64_t i) {
        return SmallRequest(store, config.bucket, kind, prefix + std::to_string(i), data);
      }));
      results.push_back({"small-" + kind, threads, 0, ops, watch.Elapsed()});
    }
  }
  return results;
}

Status CreateBucketIfMissing(s3core::ObjectStore& store, const std::string& bucket) {
  Status status = store.CreateBucket(bucket);
  return status.kind() == ErrorKind::kAlreadyExists ? Status() : status;
}

Status DeleteBucketAndContents(s3core::ObjectStore& store, const std::string& bucket) {
  s3core::ListObjectsRequest list;
  list.bucket = bucket;
  for (;;) {
    S3_ASSIGN_OR_RETURN(s3core::ListObjectsResult page, store.ListObjects(list));
    std::vector<std::string> keys;
    for (const auto& object : page.objects) keys.push_back(object.key);
    if (!keys.empty()) {
      S3_ASSIGN_OR_RETURN(s3core::DeleteObjectsResult deleted, store.DeleteObjects(bucket, keys));
      if (!deleted.failed.empty()) {
        return Status::Error(ErrorKind::kServerError, "could not delete " + deleted.failed.front().key + ": " +
                                                          deleted.failed.front().code);
      }
    }
    if (!page.is_truncated) break;
    list.continuation_token = page.next_continuation_token;
  }
  s3core::ListMultipartUploadsRequest list_uploads;
  list_uploads.bucket = bucket;
  S3_ASSIGN_OR_RETURN(s3core::ListMultipartUploadsResult uploads, store.ListMultipartUploads(list_uploads));
  for (const auto& upload : uploads.uploads) (void)store.AbortMultipartUpload(bucket, upload.key, upload.upload_id);
  return store.DeleteBucket(bucket);
}

}  // namespace s3bench

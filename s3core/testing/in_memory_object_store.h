// InMemoryObjectStore: an ObjectStore that keeps buckets and objects in memory and answers as
// S3 does (Ceph RGW and AWS), so that the file system can be unit-tested without a server.
//
// What "as S3 does" covers, checked against the real server by object_store_conformance_test:
// - errors carry the S3 code and HTTP status the server sends (NoSuchKey 404, BucketNotEmpty
//   409, PreconditionFailed 412, InvalidRange 416, EntityTooSmall 400, ...); HEAD errors carry no
//   code, since HEAD answers have no body; the local argument checks of S3Client are repeated;
// - ETags: hex MD5 for a PUT, "<MD5 of the parts' binary MD5s>-N" for multipart;
// - ranged reads cut at the end of the object, start past it -> 416; Get/Head report the full size;
// - ListObjectsV2 in byte order with prefix, delimiter, start-after, max-keys (common prefixes
//   count toward it) and opaque continuation tokens;
// - multipart: parts replaced by number, Complete checks ETags, order and the minimum part size.
// Where RGW 16 and AWS differ, this store follows AWS (RFC 7232 for conditions), except where
// noted at an option or in the .cc. RGW 16 quirks it does NOT reproduce, so code above the seam
// must not rely on the fake's answer there: If-Match: * on GET is 412 and If-None-Match: * is
// ignored; x-amz-copy-source-if-match is ignored; a PUT's If-Match must be unquoted to match; a
// garbage continuation token is accepted (here: 400 InvalidArgument); Complete of an aborted
// upload is 500 InternalError (here: 404 NoSuchUpload); a Complete that skips an uploaded part
// (1, 2, 3 uploaded; 1 and 3 listed) is 400 InvalidPart (here: allowed, as on AWS).
//
// Every call is counted by operation (RequestCount), so tests can assert what an FS operation
// cost in requests. The *Direct methods inspect and change state without being counted.
// Thread-safe: one mutex guards the state; bodies are streamed to sinks outside it.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s3core/object_store.h"
#include "s3core/testing/in_memory_state.h"
#include "s3core/testing/store_operation.h"

namespace s3core::testing {

struct InMemoryObjectStoreOptions {
  // Every part of a multipart upload but the last must be at least this big (S3 and RGW: 5 MiB).
  // Tests lower it to use small parts.
  uint64_t min_part_size = 5ull << 20;
  // Source of Last-Modified and upload initiation times; null = the system clock. Times are
  // truncated to whole seconds, as Last-Modified headers carry them.
  std::function<TimePoint()> clock;
  // Creating a bucket you already own: AWS outside us-east-1 answers 409 BucketAlreadyOwnedByYou
  // (the default); AWS us-east-1 and RGW answer 200 (set true to behave like them).
  bool create_existing_bucket_succeeds = false;
};

// An object as the store holds it (what GetDirect returns and SetDirect takes).
struct StoredObject {
  std::string data;
  std::string etag;  // without quotes
  TimePoint last_modified{};
  UserMetadata metadata;
  std::string content_type;
  std::string storage_class;  // "STANDARD", ...
};

class InMemoryObjectStore final : public ObjectStore {
 public:
  explicit InMemoryObjectStore(InMemoryObjectStoreOptions options = {});

  Status HeadBucket(const std::string& bucket) override;
  Status CreateBucket(const std::string& bucket) override;
  Status DeleteBucket(const std::string& bucket) override;
  Result<std::vector<BucketInfo>> ListBuckets() override;

  Result<ObjectInfo> HeadObject(const HeadObjectRequest& request) override;
  Result<ObjectInfo> GetObject(const GetObjectRequest& request, BodySink& sink) override;
  Result<PutObjectResult> PutObject(const PutObjectRequest& request) override;
  Status DeleteObject(const std::string& bucket, const std::string& key) override;
  Result<DeleteObjectsResult> DeleteObjects(const std::string& bucket, const std::vector<std::string>& keys) override;
  Result<ListObjectsResult> ListObjects(const ListObjectsRequest& request) override;
  Result<PutObjectResult> CopyObject(const CopyObjectRequest& request) override;

  Result<std::string> CreateMultipartUpload(const CreateMultipartUploadRequest& request) override;
  Result<std::string> UploadPart(const UploadPartRequest& request) override;
  Result<std::string> UploadPartCopy(const UploadPartCopyRequest& request) override;
  Result<PutObjectResult> CompleteMultipartUpload(const CompleteMultipartUploadRequest& request) override;
  Status AbortMultipartUpload(const std::string& bucket, const std::string& key,
                              const std::string& upload_id) override;
  Result<ListMultipartUploadsResult> ListMultipartUploads(const ListMultipartUploadsRequest& request) override;

  // --- Request counters (every call, failed ones included). ---
  uint64_t RequestCount(StoreOperation op) const { return counters_.Get(op); }
  // By ObjectStore method name ("HeadObject", "ListObjects"); an unknown name aborts.
  uint64_t RequestCount(std::string_view operation) const;
  uint64_t TotalRequestCount() const { return counters_.Total(); }
  std::map<std::string, uint64_t> RequestCounts() const { return counters_.NonZero(); }
  void ResetCounters() { counters_.Reset(); }

  // --- Direct access for tests: not counted, no S3 checks. ---
  // Creates the bucket if missing.
  void CreateBucketDirect(const std::string& bucket);
  // Stores an object as a single PUT would (MD5 ETag, the clock's time, STANDARD), creating the
  // bucket if missing.
  void PutDirect(const std::string& bucket, const std::string& key, std::string data, UserMetadata metadata = {},
                 std::string content_type = "binary/octet-stream");
  // Stores exactly `object` (any ETag, time or class), creating the bucket if missing.
  void SetDirect(const std::string& bucket, const std::string& key, StoredObject object);
  std::optional<StoredObject> GetDirect(const std::string& bucket, const std::string& key) const;
  bool DeleteDirect(const std::string& bucket, const std::string& key);
  std::vector<std::string> KeysDirect(const std::string& bucket) const;
  size_t PendingUploadCount(const std::string& bucket) const;

 private:
  using BucketMap = std::map<std::string, in_memory::BucketEntry>;

  TimePoint Now() const;
  // An S3 error as the server would send it, with a fresh request id and the operation context.
  Status S3Error(int http_status, const std::string& code, const std::string& message,
                 const std::string& context) const;
  // Requires mu_. nullptr when missing.
  in_memory::BucketEntry* FindBucket(const std::string& bucket);
  in_memory::UploadEntry* FindUpload(in_memory::BucketEntry& bucket, const std::string& key,
                                     const std::string& upload_id);
  // Requires mu_. The source object of a copy, or the S3 error for it.
  Result<const in_memory::ObjectEntry*> CopySource(const std::string& source_bucket, const std::string& source_key,
                                                   const std::string& source_if_match, const std::string& context);
  ObjectInfo MakeInfo(const std::string& key, const std::string& data, std::string etag, std::string content_type,
                      std::string storage_class, UserMetadata metadata) const;

  const InMemoryObjectStoreOptions options_;
  OperationCounters counters_;
  mutable std::atomic<uint64_t> next_request_id_{1};
  mutable std::mutex mu_;
  BucketMap buckets_;
  uint64_t next_upload_id_ = 1;  // guarded by mu_
};

}  // namespace s3core::testing

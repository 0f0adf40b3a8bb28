// Request and result types of the S3 operations s3core implements.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "s3core/body.h"

namespace s3core {

using TimePoint = std::chrono::system_clock::time_point;
// User metadata: names without the "x-amz-meta-" prefix, lower-case.
using UserMetadata = std::map<std::string, std::string>;

// Server-side encryption to request on writes (and, for SSE-C, to present on reads).
struct ServerSideEncryption {
  enum class Mode { kNone, kS3, kKms, kCustomerKey };
  Mode mode = Mode::kNone;
  std::string kms_key_id;    // SSE-KMS: optional key id/ARN; empty = the account default key
  std::string customer_key;  // SSE-C: the raw 32-byte key (not base64)
};

// Per-request settings that apply to every operation on a bucket.
struct RequestOptions {
  bool requester_pays = false;
};

struct ByteRange {
  uint64_t offset = 0;
  std::optional<uint64_t> length;  // none = to the end of the object
};

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  std::string etag;  // as the server sent it, with quotes removed
  TimePoint last_modified{};
  std::string storage_class;
  std::string content_type;
  std::string version_id;
  UserMetadata metadata;  // only filled by Head/Get (listings carry none)
};

struct BucketInfo {
  std::string name;
  TimePoint creation_date{};
};

struct HeadObjectRequest {
  std::string bucket, key;
  std::string if_match, if_none_match;
  ServerSideEncryption sse;  // SSE-C key, if the object was written with one
};

struct GetObjectRequest {
  std::string bucket, key;
  std::optional<ByteRange> range;
  std::string if_match, if_none_match;
  ServerSideEncryption sse;
};

struct WriteOptions {
  std::string content_type;
  UserMetadata metadata;
  std::string storage_class;  // empty = bucket default
  std::string acl;            // canned ACL (private, public-read, ...); empty = none sent
  ServerSideEncryption sse;
};

struct PutObjectRequest {
  std::string bucket, key;
  BodySource* body = nullptr;  // borrowed; nullptr = empty object
  WriteOptions options;
  std::string if_match;       // conditional write, where the server supports it
  std::string if_none_match;  // "*" = create only if absent
};

struct PutObjectResult {
  std::string etag;
  std::string version_id;
};

struct DeleteObjectsResult {
  std::vector<std::string> deleted;
  struct Failure { std::string key, code, message; };
  std::vector<Failure> failed;
};

struct ListObjectsRequest {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  int max_keys = 1000;
  std::string continuation_token;
  std::string start_after;
};

struct ListObjectsResult {
  std::vector<ObjectInfo> objects;
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_continuation_token;
};

struct CopyObjectRequest {
  std::string source_bucket, source_key;
  std::string bucket, key;
  enum class MetadataDirective { kCopy, kReplace };
  MetadataDirective directive = MetadataDirective::kCopy;
  WriteOptions options;  // content_type/metadata used with kReplace; storage class, acl, sse always
  std::string source_if_match;
  ServerSideEncryption source_sse;  // SSE-C key of the source
};

struct CreateMultipartUploadRequest {
  std::string bucket, key;
  WriteOptions options;
};

struct UploadPartRequest {
  std::string bucket, key, upload_id;
  int part_number = 0;  // 1..10000
  BodySource* body = nullptr;
  ServerSideEncryption sse;  // SSE-C key, must match CreateMultipartUpload
};

struct UploadPartCopyRequest {
  std::string bucket, key, upload_id;
  int part_number = 0;
  std::string source_bucket, source_key;
  std::optional<ByteRange> source_range;  // length required when present
  std::string source_if_match;
  ServerSideEncryption sse, source_sse;
};

struct CompletedPart {
  int part_number = 0;
  std::string etag;
};

struct CompleteMultipartUploadRequest {
  std::string bucket, key, upload_id;
  std::vector<CompletedPart> parts;  // ascending part numbers
};

struct MultipartUploadInfo {
  std::string key, upload_id;
  TimePoint initiated{};
};

struct ListMultipartUploadsRequest {
  std::string bucket, prefix;
  std::string key_marker, upload_id_marker;
  int max_uploads = 1000;
};

struct ListMultipartUploadsResult {
  std::vector<MultipartUploadInfo> uploads;
  bool is_truncated = false;
  std::string next_key_marker, next_upload_id_marker;
};

}  // namespace s3core

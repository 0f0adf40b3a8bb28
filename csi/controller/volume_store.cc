#include "csi/controller/volume_store.h"

#include "s3core/body.h"

namespace s3csi {

using s3core::ErrorKind;
using s3core::Result;
using s3core::Status;

Status VolumeStore::EnsureBucket(const std::string& bucket) {
  Status head = store_.HeadBucket(bucket);
  if (head.ok()) return {};
  if (!head.IsNotFound()) return head.WithContext("HeadBucket " + bucket);
  Status created = store_.CreateBucket(bucket);
  // BucketAlreadyOwnedByYou: a concurrent or earlier attempt of ours made it.
  if (created.ok() || created.s3_code() == "BucketAlreadyOwnedByYou") return {};
  if (created.kind() == ErrorKind::kAlreadyExists) {
    return Status::Error(ErrorKind::kAlreadyExists, "bucket " + bucket + " exists and belongs to another account");
  }
  return created.WithContext("CreateBucket " + bucket);
}

Status VolumeStore::CheckBucket(const std::string& bucket) {
  Status head = store_.HeadBucket(bucket);
  if (head.IsNotFound()) return Status::NotFound("bucket " + bucket + " does not exist");
  return head.ok() ? head : head.WithContext("HeadBucket " + bucket);
}

Result<std::optional<std::string>> VolumeStore::ReadMarker(const std::string& bucket, const std::string& prefix) {
  s3core::GetObjectRequest request;
  request.bucket = bucket;
  request.key = prefix + kMarkerName;
  std::string text;
  s3core::StringSink sink(&text, 64 * 1024);
  auto info = store_.GetObject(request, sink);
  if (info.status().IsNotFound()) return std::optional<std::string>();
  if (!info.ok()) return info.status().WithContext("GetObject " + bucket + "/" + request.key);
  return std::optional<std::string>(std::move(text));
}

Status VolumeStore::WriteMarker(const std::string& bucket, const std::string& prefix, const std::string& text) {
  s3core::BufferSource body(text);
  s3core::PutObjectRequest request;
  request.bucket = bucket;
  request.key = prefix + kMarkerName;
  request.body = &body;
  request.options.content_type = "text/plain";
  auto put = store_.PutObject(request);
  return put.ok() ? Status() : put.status().WithContext("PutObject " + bucket + "/" + request.key);
}

Status VolumeStore::DeleteData(const std::string& bucket, const std::string& prefix) {
  s3core::ListObjectsRequest list;
  list.bucket = bucket;
  list.prefix = prefix;
  for (;;) {
    auto page = store_.ListObjects(list);
    if (page.status().IsNotFound()) return {};
    if (!page.ok()) return page.status().WithContext("ListObjects " + bucket + "/" + prefix);
    std::vector<std::string> keys;
    for (const auto& object : page->objects) keys.push_back(object.key);
    if (!keys.empty()) {
      auto deleted = store_.DeleteObjects(bucket, keys);
      if (!deleted.ok()) return deleted.status().WithContext("DeleteObjects " + bucket);
      if (!deleted->failed.empty()) {
        const auto& first = deleted->failed.front();
        return Status::Error(ErrorKind::kConflict, "DeleteObjects " + bucket + ": " + std::to_string(deleted->failed.size()) +
                                                       " keys not deleted, first " + first.key + ": " + first.code);
      }
    }
    if (!page->is_truncated) break;
    list.continuation_token = page->next_continuation_token;
  }
  return AbortUploads(bucket, prefix);
}

Status VolumeStore::AbortUploads(const std::string& bucket, const std::string& prefix) {
  s3core::ListMultipartUploadsRequest list;
  list.bucket = bucket;
  list.prefix = prefix;
  for (int pages = 0; pages < 1000; ++pages) {
    auto uploads = store_.ListMultipartUploads(list);
    if (uploads.status().IsNotFound()) return {};
    if (!uploads.ok()) return uploads.status().WithContext("ListMultipartUploads " + bucket);
    for (const auto& upload : uploads->uploads) {
      Status aborted = store_.AbortMultipartUpload(bucket, upload.key, upload.upload_id);
      if (!aborted.ok() && !aborted.IsNotFound()) return aborted.WithContext("AbortMultipartUpload " + upload.key);
    }
    if (!uploads->is_truncated) return {};
    list.key_marker = uploads->next_key_marker;
    list.upload_id_marker = uploads->next_upload_id_marker;
  }
  return {};
}

Status VolumeStore::DeleteBucket(const std::string& bucket) {
  Status deleted = store_.DeleteBucket(bucket);
  if (deleted.ok() || deleted.IsNotFound()) return {};
  return deleted.WithContext("DeleteBucket " + bucket);
}

}  // namespace s3csi

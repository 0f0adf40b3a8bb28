// InMemoryObjectStore: multipart uploads.
#include <cstdio>
#include <utility>

#include "s3core/testing/in_memory_object_store.h"
#include "s3core/testing/s3_semantics.h"

namespace s3core::testing {

using in_memory::BucketEntry;
using in_memory::ObjectEntry;
using in_memory::PartEntry;
using in_memory::UploadEntry;
namespace sem = s3_semantics;

namespace {

std::string Context(const char* operation, const std::string& bucket, const std::string& key) {
  return std::string(operation) + " " + bucket + "/" + key;
}

Status ValidateUpload(const std::string& bucket, const std::string& key, const std::string& upload_id) {
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(bucket));
  S3_RETURN_IF_ERROR(sem::ValidateObjectKey(key));
  if (upload_id.empty()) return Status::InvalidArgument("empty upload id");
  return Status();
}

}  // namespace

UploadEntry* InMemoryObjectStore::FindUpload(BucketEntry& bucket, const std::string& key,
                                             const std::string& upload_id) {
  auto it = bucket.uploads.find(upload_id);
  // An upload id used with another key is as unknown as a made-up one (RGW: NoSuchUpload).
  if (it == bucket.uploads.end() || it->second.key != key) return nullptr;
  return &it->second;
}

Result<std::string> InMemoryObjectStore::CreateMultipartUpload(const CreateMultipartUploadRequest& request) {
  counters_.Increment(StoreOperation::kCreateMultipartUpload);
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(request.bucket));
  S3_RETURN_IF_ERROR(sem::ValidateObjectKey(request.key));
  S3_RETURN_IF_ERROR(sem::ValidateWriteOptions(request.options));
  const std::string context = Context("CreateMultipartUpload", request.bucket, request.key);
  const auto storage_class = sem::EffectiveStorageClass(request.options.storage_class);
  std::lock_guard lock(mu_);
  BucketEntry* bucket = FindBucket(request.bucket);
  if (bucket == nullptr) return S3Error(404, "NoSuchBucket", "", context);
  if (!storage_class) return S3Error(400, "InvalidStorageClass", "", context);
  // Zero-padded, so ids sort in creation order (S3 lists uploads of one key by initiation).
  char id[40];
  std::snprintf(id, sizeof id, "fake-upload-%012llu", static_cast<unsigned long long>(next_upload_id_++));
  UploadEntry& upload = bucket->uploads[id];
  upload.key = request.key;
  upload.initiated = Now();
  upload.content_type = request.options.content_type;
  upload.storage_class = *storage_class;
  upload.metadata = sem::NormalizeMetadata(request.options.metadata);
  return std::string(id);
}

Result<std::string> InMemoryObjectStore::UploadPart(const UploadPartRequest& request) {
  counters_.Increment(StoreOperation::kUploadPart);
  S3_RETURN_IF_ERROR(ValidateUpload(request.bucket, request.key, request.upload_id));
  S3_RETURN_IF_ERROR(sem::ValidatePartNumber(request.part_number));
  if (request.body == nullptr) return Status::InvalidArgument("UploadPart needs a body");
  const std::string context = Context("UploadPart", request.bucket, request.key);
  S3_ASSIGN_OR_RETURN(std::string body, sem::ReadBody(request.body));
  PartEntry part{nullptr, sem::Md5Hex(body)};
  part.data = std::make_shared<const std::string>(std::move(body));
  std::lock_guard lock(mu_);
  BucketEntry* bucket = FindBucket(request.bucket);
  if (bucket == nullptr) return S3Error(404, "NoSuchBucket", "", context);
  UploadEntry* upload = FindUpload(*bucket, request.key, request.upload_id);
  if (upload == nullptr) return S3Error(404, "NoSuchUpload", "", context);
  const std::string etag = part.etag;
  upload->parts[request.part_number] = std::move(part);  // a part uploaded again replaces the first
  return etag;
}

Result<std::string> InMemoryObjectStore::UploadPartCopy(const UploadPartCopyRequest& request) {
  counters_.Increment(StoreOperation::kUploadPartCopy);
  S3_RETURN_IF_ERROR(ValidateUpload(request.bucket, request.key, request.upload_id));
  S3_RETURN_IF_ERROR(sem::ValidatePartNumber(request.part_number));
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(request.source_bucket));
  S3_RETURN_IF_ERROR(sem::ValidateObjectKey(request.source_key));
  if (request.source_range && (!request.source_range->length || *request.source_range->length == 0))
    return Status::InvalidArgument("UploadPartCopy: a source range needs a non-zero length");
  const std::string context = Context("UploadPartCopy", request.bucket, request.key);
  std::lock_guard lock(mu_);
  BucketEntry* bucket = FindBucket(request.bucket);
  if (bucket == nullptr) return S3Error(404, "NoSuchBucket", "", context);
  UploadEntry* upload = FindUpload(*bucket, request.key, request.upload_id);
  if (upload == nullptr) return S3Error(404, "NoSuchUpload", "", context);
  S3_ASSIGN_OR_RETURN(const ObjectEntry* source,
                      CopySource(request.source_bucket, request.source_key, request.source_if_match, context));
  PartEntry part;
  if (!request.source_range) {
    part.data = source->data;
  } else {
    // Unlike a GET, a copy range is not cut at the end: all of it must lie inside the source
    // (RGW: 416 InvalidRange; AWS: 400 InvalidArgument).
    const uint64_t size = source->data->size();
    const ByteRange& range = *request.source_range;
    if (range.offset >= size || *range.length > size - range.offset)
      return S3Error(416, "InvalidRange", "The requested range is not satisfiable", context);
    part.data = std::make_shared<const std::string>(source->data->substr(range.offset, *range.length));
  }
  part.etag = sem::Md5Hex(*part.data);
  const std::string etag = part.etag;
  upload->parts[request.part_number] = std::move(part);
  return etag;
}

Result<PutObjectResult> InMemoryObjectStore::CompleteMultipartUpload(const CompleteMultipartUploadRequest& request) {
  counters_.Increment(StoreOperation::kCompleteMultipartUpload);
  S3_RETURN_IF_ERROR(ValidateUpload(request.bucket, request.key, request.upload_id));
  if (request.parts.empty()) return Status::InvalidArgument("CompleteMultipartUpload needs at least one part");
  for (const auto& part : request.parts) S3_RETURN_IF_ERROR(sem::ValidatePartNumber(part.part_number));
  const std::string context = Context("CompleteMultipartUpload", request.bucket, request.key);
  std::lock_guard lock(mu_);
  BucketEntry* bucket = FindBucket(request.bucket);
  if (bucket == nullptr) return S3Error(404, "NoSuchBucket", "", context);
  // AWS answers NoSuchUpload also for an aborted or completed upload; RGW 16 answers an aborted
  // one with 500 InternalError "already in progress".
  UploadEntry* upload = FindUpload(*bucket, request.key, request.upload_id);
  if (upload == nullptr) return S3Error(404, "NoSuchUpload", "", context);
  for (size_t i = 1; i < request.parts.size(); ++i) {
    if (request.parts[i].part_number <= request.parts[i - 1].part_number)
      return S3Error(400, "InvalidPartOrder", "The list of parts was not in ascending order", context);
  }
  std::vector<const PartEntry*> parts;
  for (const auto& wanted : request.parts) {
    auto it = upload->parts.find(wanted.part_number);
    if (it == upload->parts.end() || it->second.etag != sem::StripQuotes(wanted.etag))
      return S3Error(400, "InvalidPart",
                     "Part " + std::to_string(wanted.part_number) + " was not uploaded or its ETag does not match",
                     context);
    parts.push_back(&it->second);
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i]->data->size() < options_.min_part_size)
      return S3Error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", context);
  }
  std::string data;
  std::vector<std::string> etags;
  for (const PartEntry* part : parts) {
    data += *part->data;
    etags.push_back(part->etag);
  }
  ObjectEntry object;
  object.info = MakeInfo(request.key, data, sem::MultipartEtag(etags), upload->content_type, upload->storage_class,
                         upload->metadata);
  object.data = std::make_shared<const std::string>(std::move(data));
  const std::string etag = object.info.etag;
  bucket->objects[request.key] = std::move(object);
  bucket->uploads.erase(request.upload_id);  // parts left out of the list go with it
  return PutObjectResult{etag, ""};
}

Status InMemoryObjectStore::AbortMultipartUpload(const std::string& bucket_name, const std::string& key,
                                                 const std::string& upload_id) {
  counters_.Increment(StoreOperation::kAbortMultipartUpload);
  S3_RETURN_IF_ERROR(ValidateUpload(bucket_name, key, upload_id));
  const std::string context = Context("AbortMultipartUpload", bucket_name, key);
  std::lock_guard lock(mu_);
  BucketEntry* bucket = FindBucket(bucket_name);
  if (bucket == nullptr) return S3Error(404, "NoSuchBucket", "", context);
  if (FindUpload(*bucket, key, upload_id) == nullptr) return S3Error(404, "NoSuchUpload", "", context);
  bucket->uploads.erase(upload_id);
  return Status();
}

Result<ListMultipartUploadsResult> InMemoryObjectStore::ListMultipartUploads(
    const ListMultipartUploadsRequest& request) {
  counters_.Increment(StoreOperation::kListMultipartUploads);
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(request.bucket));
  if (request.max_uploads < 1 || request.max_uploads > 1000)
    return Status::InvalidArgument("max_uploads must be 1..1000");
  std::lock_guard lock(mu_);
  BucketEntry* bucket = FindBucket(request.bucket);
  if (bucket == nullptr) return S3Error(404, "NoSuchBucket", "", "ListMultipartUploads " + request.bucket);
  return in_memory::ListUploadsPage(bucket->uploads, request);
}

}  // namespace s3core::testing

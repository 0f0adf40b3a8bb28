// InMemoryObjectStore: buckets, objects, listing, copy, counters and direct access.
// Multipart uploads are in in_memory_multipart.cc.
#include "s3core/testing/in_memory_object_store.h"

#include <utility>

#include "s3core/testing/s3_semantics.h"

namespace s3core::testing {

using in_memory::BucketEntry;
using in_memory::Data;
using in_memory::ObjectEntry;
namespace sem = s3_semantics;

namespace {

std::string Context(const char* operation, const std::string& bucket, const std::string& key = "") {
  std::string context = std::string(operation) + " " + bucket;
  if (!key.empty()) context += "/" + key;
  return context;
}

// HEAD answers have no body, so the client sees only the HTTP status: no S3 code, no message.
Status HeadError(int http_status, const std::string& context) {
  return Status::FromS3(http_status, "", "", "").WithContext(context);
}

// What Head and Get report: S3 leaves out x-amz-storage-class for STANDARD objects.
ObjectInfo AsHeaders(const ObjectInfo& info) {
  ObjectInfo out = info;
  if (out.storage_class == "STANDARD") out.storage_class.clear();
  return out;
}

}  // namespace

InMemoryObjectStore::InMemoryObjectStore(InMemoryObjectStoreOptions options) : options_(std::move(options)) {}

TimePoint InMemoryObjectStore::Now() const {
  const TimePoint now = options_.clock ? options_.clock() : std::chrono::system_clock::now();
  return std::chrono::floor<std::chrono::seconds>(now);
}

Status InMemoryObjectStore::S3Error(int http_status, const std::string& code, const std::string& message,
                                    const std::string& context) const {
  const std::string request_id = "fake-" + std::to_string(next_request_id_.fetch_add(1));
  return Status::FromS3(http_status, code, message, request_id).WithContext(context);
}

BucketEntry* InMemoryObjectStore::FindBucket(const std::string& bucket) {
  auto it = buckets_.find(bucket);
  return it == buckets_.end() ? nullptr : &it->second;
}

ObjectInfo InMemoryObjectStore::MakeInfo(const std::string& key, const std::string& data, std::string etag,
                                         std::string content_type, std::string storage_class,
                                         UserMetadata metadata) const {
  ObjectInfo info;
  info.key = key;
  info.size = data.size();
  info.etag = std::move(etag);
  info.last_modified = Now();
  // S3 stores binary/octet-stream when a PUT names no type (RGW and AWS alike).
  info.content_type = content_type.empty() ? "binary/octet-stream" : std::move(content_type);
  info.storage_class = std::move(storage_class);
  info.metadata = std::move(metadata);
  return info;
}

// --- Buckets ---

Status InMemoryObjectStore::HeadBucket(const std::string& bucket) {
  counters_.Increment(StoreOperation::kHeadBucket);
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(bucket));
  std::lock_guard lock(mu_);
  if (FindBucket(bucket) == nullptr) return HeadError(404, Context("HeadBucket", bucket));
  return Status();
}

Status InMemoryObjectStore::CreateBucket(const std::string& bucket) {
  counters_.Increment(StoreOperation::kCreateBucket);
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(bucket));
  std::lock_guard lock(mu_);
  if (FindBucket(bucket) != nullptr) {
    if (options_.create_existing_bucket_succeeds) return Status();
    return S3Error(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded",
                   Context("CreateBucket", bucket));
  }
  buckets_[bucket].created = Now();
  return Status();
}

Status InMemoryObjectStore::DeleteBucket(const std::string& bucket) {
  counters_.Increment(StoreOperation::kDeleteBucket);
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(bucket));
  std::lock_guard lock(mu_);
  BucketEntry* entry = FindBucket(bucket);
  if (entry == nullptr) return S3Error(404, "NoSuchBucket", "", Context("DeleteBucket", bucket));
  if (!entry->objects.empty()) return S3Error(409, "BucketNotEmpty", "", Context("DeleteBucket", bucket));
  // Pending multipart uploads do not keep a bucket alive (RGW drops them with it).
  buckets_.erase(bucket);
  return Status();
}

Result<std::vector<BucketInfo>> InMemoryObjectStore::ListBuckets() {
  counters_.Increment(StoreOperation::kListBuckets);
  std::lock_guard lock(mu_);
  std::vector<BucketInfo> out;
  for (const auto& [name, entry] : buckets_) out.push_back(BucketInfo{name, entry.created});
  return out;
}

// --- Objects ---

Result<ObjectInfo> InMemoryObjectStore::HeadObject(const HeadObjectRequest& request) {
  counters_.Increment(StoreOperation::kHeadObject);
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(request.bucket));
  S3_RETURN_IF_ERROR(sem::ValidateObjectKey(request.key));
  const std::string context = Context("HeadObject", request.bucket, request.key);
  std::lock_guard lock(mu_);
  BucketEntry* bucket = FindBucket(request.bucket);
  if (bucket == nullptr) return HeadError(404, context);
  auto it = bucket->objects.find(request.key);
  if (it == bucket->objects.end()) return HeadError(404, context);
  const ObjectInfo& info = it->second.info;
  if (!request.if_match.empty() && !sem::EtagListMatches(request.if_match, info.etag)) return HeadError(412, context);
  if (!request.if_none_match.empty() && sem::EtagListMatches(request.if_none_match, info.etag))
    return HeadError(304, context);
  return AsHeaders(info);
}

Result<ObjectInfo> InMemoryObjectStore::GetObject(const GetObjectRequest& request, BodySink& sink) {
  counters_.Increment(StoreOperation::kGetObject);
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(request.bucket));
  S3_RETURN_IF_ERROR(sem::ValidateObjectKey(request.key));
  if (request.range && request.range->length && *request.range->length == 0)
    return Status::InvalidArgument("GetObject: empty byte range");
  const std::string context = Context("GetObject", request.bucket, request.key);
  Data data;
  ObjectInfo info;
  {
    std::lock_guard lock(mu_);
    BucketEntry* bucket = FindBucket(request.bucket);
    if (bucket == nullptr) return S3Error(404, "NoSuchBucket", "", context);
    auto it = bucket->objects.find(request.key);
    if (it == bucket->objects.end()) return S3Error(404, "NoSuchKey", "", context);
    info = it->second.info;
    data = it->second.data;
  }
  // Conditions before the range, as S3 evaluates them. (RGW 16 answers If-Match: * with 412 and
  // ignores If-None-Match: *; this follows AWS and RFC 7232 instead.)
  if (!request.if_match.empty() && !sem::EtagListMatches(request.if_match, info.etag))
    return S3Error(412, "PreconditionFailed", "", context);
  if (!request.if_none_match.empty() && sem::EtagListMatches(request.if_none_match, info.etag))
    return HeadError(304, context);  // 304 has no body either
  if (sem::IsArchived(info.storage_class))
    return S3Error(403, "InvalidObjectState", "The operation is not valid for the object's storage class", context);
  const auto range = sem::ResolveRange(request.range, info.size);
  if (!range) return S3Error(416, "InvalidRange", "The requested range is not satisfiable", context);
  // The body goes to the sink outside the lock (a sink may be slow); the returned info reports
  // the whole object's size even for a ranged read, as the real client does (Content-Range).
  Status written = sem::WriteToSink(std::string_view(*data).substr(range->offset, range->length), sink);
  if (!written.ok()) return written.WithContext(context);
  return AsHeaders(info);
}

Result<PutObjectResult> InMemoryObjectStore::PutObject(const PutObjectRequest& request) {
  counters_.Increment(StoreOperation::kPutObject);
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(request.bucket));
  S3_RETURN_IF_ERROR(sem::ValidateObjectKey(request.key));
  S3_RETURN_IF_ERROR(sem::ValidateWriteOptions(request.options));
  const std::string context = Context("PutObject", request.bucket, request.key);
  S3_ASSIGN_OR_RETURN(std::string body, sem::ReadBody(request.body));
  const std::string etag = sem::Md5Hex(body);
  const auto storage_class = sem::EffectiveStorageClass(request.options.storage_class);

  std::lock_guard lock(mu_);
  BucketEntry* bucket = FindBucket(request.bucket);
  if (bucket == nullptr) return S3Error(404, "NoSuchBucket", "", context);
  if (!storage_class) return S3Error(400, "InvalidStorageClass", "", context);
  auto existing = bucket->objects.find(request.key);
  const bool exists = existing != bucket->objects.end();
  if (!request.if_none_match.empty() && exists && sem::EtagListMatches(request.if_none_match, existing->second.info.etag))
    return S3Error(412, "PreconditionFailed", "", context);
  // If-Match on a missing key: RGW answers 412 (followed here); AWS answers 404 NoSuchKey.
  if (!request.if_match.empty() && (!exists || !sem::EtagListMatches(request.if_match, existing->second.info.etag)))
    return S3Error(412, "PreconditionFailed", "", context);
  ObjectEntry entry;
  entry.info = MakeInfo(request.key, body, etag, request.options.content_type, *storage_class,
                        sem::NormalizeMetadata(request.options.metadata));
  entry.data = std::make_shared<const std::string>(std::move(body));
  bucket->objects[request.key] = std::move(entry);
  return PutObjectResult{etag, ""};
}

Status InMemoryObjectStore::DeleteObject(const std::string& bucket, const std::string& key) {
  counters_.Increment(StoreOperation::kDeleteObject);
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(bucket));
  S3_RETURN_IF_ERROR(sem::ValidateObjectKey(key));
  std::lock_guard lock(mu_);
  BucketEntry* entry = FindBucket(bucket);
  if (entry == nullptr) return S3Error(404, "NoSuchBucket", "", Context("DeleteObject", bucket, key));
  entry->objects.erase(key);  // a missing key is deleted too
  return Status();
}

Result<DeleteObjectsResult> InMemoryObjectStore::DeleteObjects(const std::string& bucket,
                                                               const std::vector<std::string>& keys) {
  counters_.Increment(StoreOperation::kDeleteObjects);
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(bucket));
  if (keys.empty()) return DeleteObjectsResult{};
  if (keys.size() > 1000) return Status::InvalidArgument("DeleteObjects takes at most 1000 keys");
  for (const auto& key : keys) S3_RETURN_IF_ERROR(sem::ValidateObjectKey(key));
  std::lock_guard lock(mu_);
  BucketEntry* entry = FindBucket(bucket);
  if (entry == nullptr) return S3Error(404, "NoSuchBucket", "", Context("DeleteObjects", bucket));
  DeleteObjectsResult result;
  for (const auto& key : keys) {
    entry->objects.erase(key);
    result.deleted.push_back(key);  // S3 reports missing keys as deleted as well
  }
  return result;
}

Result<ListObjectsResult> InMemoryObjectStore::ListObjects(const ListObjectsRequest& request) {
  counters_.Increment(StoreOperation::kListObjects);
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(request.bucket));
  if (request.max_keys < 1 || request.max_keys > 1000) return Status::InvalidArgument("max_keys must be 1..1000");
  const std::string context = Context("ListObjects", request.bucket);
  std::lock_guard lock(mu_);
  BucketEntry* bucket = FindBucket(request.bucket);
  if (bucket == nullptr) return S3Error(404, "NoSuchBucket", "", context);
  auto page = in_memory::ListObjectsPage(bucket->objects, request);
  if (!page) return S3Error(400, "InvalidArgument", "The continuation token provided is incorrect", context);
  return std::move(*page);
}

Result<const ObjectEntry*> InMemoryObjectStore::CopySource(const std::string& source_bucket,
                                                           const std::string& source_key,
                                                           const std::string& source_if_match,
                                                           const std::string& context) {
  BucketEntry* bucket = FindBucket(source_bucket);
  if (bucket == nullptr) return S3Error(404, "NoSuchBucket", "", context);
  auto it = bucket->objects.find(source_key);
  if (it == bucket->objects.end()) return S3Error(404, "NoSuchKey", "", context);
  // RGW 16 ignores x-amz-copy-source-if-match; AWS honours it, and so does this store.
  if (!source_if_match.empty() && !sem::EtagListMatches(source_if_match, it->second.info.etag))
    return S3Error(412, "PreconditionFailed", "", context);
  if (sem::IsArchived(it->second.info.storage_class))
    return S3Error(403, "InvalidObjectState", "The source object must be restored first", context);
  return &it->second;
}

Result<PutObjectResult> InMemoryObjectStore::CopyObject(const CopyObjectRequest& request) {
  counters_.Increment(StoreOperation::kCopyObject);
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(request.source_bucket));
  S3_RETURN_IF_ERROR(sem::ValidateObjectKey(request.source_key));
  S3_RETURN_IF_ERROR(sem::ValidateBucketName(request.bucket));
  S3_RETURN_IF_ERROR(sem::ValidateObjectKey(request.key));
  const bool replace = request.directive == CopyObjectRequest::MetadataDirective::kReplace;
  WriteOptions checked = request.options;
  if (!replace) {  // with COPY the client sends neither, so neither is checked
    checked.metadata.clear();
    checked.content_type.clear();
  }
  S3_RETURN_IF_ERROR(sem::ValidateWriteOptions(checked));
  const std::string context = Context("CopyObject", request.bucket, request.key);
  const auto storage_class = sem::EffectiveStorageClass(request.options.storage_class);

  std::lock_guard lock(mu_);
  BucketEntry* destination = FindBucket(request.bucket);
  if (destination == nullptr) return S3Error(404, "NoSuchBucket", "", context);
  S3_ASSIGN_OR_RETURN(const ObjectEntry* source,
                      CopySource(request.source_bucket, request.source_key, request.source_if_match, context));
  if (!storage_class) return S3Error(400, "InvalidStorageClass", "", context);
  const bool in_place = request.source_bucket == request.bucket && request.source_key == request.key;
  if (in_place && !replace && request.options.storage_class.empty() &&
      request.options.sse.mode == ServerSideEncryption::Mode::kNone) {
    return S3Error(400, "InvalidRequest",
                   "This copy request is illegal because it is trying to copy an object to itself without changing "
                   "the object's metadata, storage class, website redirect location or encryption attributes.",
                   context);
  }
  ObjectEntry copy;
  copy.data = source->data;  // bodies are immutable: share it
  // The copy keeps the source's ETag (for a multipart source, its "-N" form, as RGW does).
  copy.info = MakeInfo(request.key, *source->data, source->info.etag,
                       replace ? request.options.content_type : source->info.content_type, *storage_class,
                       replace ? sem::NormalizeMetadata(request.options.metadata) : source->info.metadata);
  const std::string etag = copy.info.etag;
  destination->objects[request.key] = std::move(copy);  // after the last use of `source`
  return PutObjectResult{etag, ""};
}

// --- Counters and direct access ---

uint64_t InMemoryObjectStore::RequestCount(std::string_view operation) const {
  return counters_.Get(StoreOperationOrDie(operation));
}

void InMemoryObjectStore::CreateBucketDirect(const std::string& bucket) {
  std::lock_guard lock(mu_);
  if (buckets_.count(bucket) == 0) buckets_[bucket].created = Now();
}

void InMemoryObjectStore::PutDirect(const std::string& bucket, const std::string& key, std::string data,
                                    UserMetadata metadata, std::string content_type) {
  StoredObject object;
  object.etag = sem::Md5Hex(data);
  object.data = std::move(data);
  object.last_modified = Now();
  object.metadata = std::move(metadata);
  object.content_type = std::move(content_type);
  object.storage_class = "STANDARD";
  SetDirect(bucket, key, std::move(object));
}

void InMemoryObjectStore::SetDirect(const std::string& bucket, const std::string& key, StoredObject object) {
  ObjectEntry entry;
  entry.info.key = key;
  entry.info.size = object.data.size();
  entry.info.etag = std::move(object.etag);
  entry.info.last_modified = object.last_modified;
  entry.info.metadata = std::move(object.metadata);
  entry.info.content_type = std::move(object.content_type);
  entry.info.storage_class = std::move(object.storage_class);
  entry.data = std::make_shared<const std::string>(std::move(object.data));
  CreateBucketDirect(bucket);
  std::lock_guard lock(mu_);
  buckets_[bucket].objects[key] = std::move(entry);
}

std::optional<StoredObject> InMemoryObjectStore::GetDirect(const std::string& bucket, const std::string& key) const {
  std::lock_guard lock(mu_);
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return std::nullopt;
  auto it = b->second.objects.find(key);
  if (it == b->second.objects.end()) return std::nullopt;
  const ObjectInfo& info = it->second.info;
  return StoredObject{*it->second.data, info.etag,         info.last_modified,
                      info.metadata,    info.content_type, info.storage_class};
}

bool InMemoryObjectStore::DeleteDirect(const std::string& bucket, const std::string& key) {
  std::lock_guard lock(mu_);
  auto b = buckets_.find(bucket);
  return b != buckets_.end() && b->second.objects.erase(key) > 0;
}

std::vector<std::string> InMemoryObjectStore::KeysDirect(const std::string& bucket) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> keys;
  if (auto b = buckets_.find(bucket); b != buckets_.end()) {
    for (const auto& [key, entry] : b->second.objects) keys.push_back(key);
  }
  return keys;
}

size_t InMemoryObjectStore::PendingUploadCount(const std::string& bucket) const {
  std::lock_guard lock(mu_);
  auto b = buckets_.find(bucket);
  return b == buckets_.end() ? 0 : b->second.uploads.size();
}

}  // namespace s3core::testing

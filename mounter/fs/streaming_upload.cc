#include "mounter/fs/streaming_upload.h"

#include <algorithm>
#include <cstring>

namespace mounter {

uint64_t PartSizeAt(uint64_t part_size, int number) {
  constexpr uint64_t kMaxPart = 5ULL << 30;
  // (S3's 5 MiB minimum is enforced where the option is parsed; tests use tiny parts.)
  uint64_t size = std::max<uint64_t>(part_size, 1);
  for (int doubling = (number - 1) / 1000; doubling > 0 && size < kMaxPart; --doubling) size *= 2;
  return std::min(size, kMaxPart);
}

StreamingUpload::StreamingUpload(const UploadContext* context, std::string key, s3core::WriteOptions write)
    : context_(context), key_(std::move(key)), write_(std::move(write)) {}

StreamingUpload::~StreamingUpload() {
  std::unique_lock lock(mu_);
  part_done_.wait(lock, [&] { return in_flight_ == 0; });
  if (!finished_) AbortLocked();
}

uint64_t StreamingUpload::size() const {
  std::lock_guard lock(mu_);
  return size_;
}

bool StreamingUpload::multipart_started() const {
  std::lock_guard lock(mu_);
  return !upload_id_.empty();
}

bool StreamingUpload::UpdateWriteOptions(const s3core::WriteOptions& write) {
  std::lock_guard lock(mu_);
  if (!upload_id_.empty()) return false;
  write_ = write;
  return true;
}

s3core::Status StreamingUpload::Append(std::string_view data) {
  std::unique_lock lock(mu_);
  if (finished_) return s3core::Status::Internal("append to a finished upload of " + key_);
  while (!data.empty()) {
    if (!buffer_) {
      const uint64_t part_size = PartSizeAt(context_->transfer->part_size, next_part_);
      // The part's memory, from the shared budget; waits (briefly) while others free theirs.
      buffer_lease_ = context_->budget->WaitLease(part_size);
      buffer_ = context_->buffers->Take(static_cast<size_t>(part_size));
      buffer_used_ = 0;
    }
    size_t take = std::min(data.size(), buffer_.size() - buffer_used_);
    std::memcpy(buffer_.data() + buffer_used_, data.data(), take);
    buffer_used_ += take;
    data.remove_prefix(take);
    size_ += take;
    if (buffer_used_ == buffer_.size()) S3_RETURN_IF_ERROR(SubmitFullPartLocked(lock));
  }
  return s3core::Status();
}

s3core::Status StreamingUpload::SubmitFullPartLocked(std::unique_lock<std::mutex>& lock) {
  // Back-pressure: no more than `parallelism` parts in flight per file.
  const int parallelism = std::max(1, context_->transfer->parallelism);
  part_done_.wait(lock, [&] { return in_flight_ < parallelism; });
  if (upload_id_.empty()) {
    s3core::CreateMultipartUploadRequest create;
    create.bucket = context_->transfer->bucket;
    create.key = key_;
    create.options = write_;
    auto id = context_->store->CreateMultipartUpload(create);
    if (!id.ok()) return id.status().WithContext("CreateMultipartUpload " + key_);  // the part stays buffered
    upload_id_ = *id;
  }
  auto part = std::make_shared<Part>();
  part->number = next_part_++;
  part->data = std::move(buffer_);
  part->used = buffer_used_;
  part->lease = std::move(buffer_lease_);
  buffer_used_ = 0;
  parts_bytes_ += part->used;
  ++in_flight_;
  context_->pool->Submit([this, part] { UploadInBackground(part); });
  return s3core::Status();
}

s3core::Result<std::string> StreamingUpload::UploadPartNow(const Part& part) {
  s3core::BufferSource body(part.bytes());
  s3core::UploadPartRequest request;
  request.bucket = context_->transfer->bucket;
  request.key = key_;
  request.upload_id = upload_id_;
  request.part_number = part.number;
  request.body = &body;
  request.sse = write_.sse;
  return context_->store->UploadPart(request);
}

void StreamingUpload::UploadInBackground(std::shared_ptr<Part> part) {
  auto etag = UploadPartNow(*part);  // upload_id_ is set before any part is submitted
  std::lock_guard lock(mu_);
  if (etag.ok()) {
    etags_[part->number] = *etag;
  } else {
    last_error_ = etag.status().WithContext("UploadPart " + std::to_string(part->number) + " of " + key_);
    failed_.push_back(std::move(part));
  }
  --in_flight_;
  part_done_.notify_all();
}

s3core::Status StreamingUpload::SettleLocked(std::unique_lock<std::mutex>& lock) {
  part_done_.wait(lock, [&] { return in_flight_ == 0; });
  std::vector<std::shared_ptr<Part>> retry = std::move(failed_);
  failed_.clear();
  s3core::Status first;
  for (auto& part : retry) {
    auto etag = UploadPartNow(*part);
    if (etag.ok()) {
      etags_[part->number] = *etag;
    } else {
      if (first.ok()) first = etag.status().WithContext("UploadPart " + std::to_string(part->number) + " of " + key_);
      failed_.push_back(std::move(part));
    }
  }
  return first;
}

s3core::Result<s3core::PutObjectResult> StreamingUpload::CompleteLocked() {
  s3core::CompleteMultipartUploadRequest complete;
  complete.bucket = context_->transfer->bucket;
  complete.key = key_;
  complete.upload_id = upload_id_;
  for (const auto& [number, etag] : etags_) complete.parts.push_back({number, etag});
  auto result = context_->store->CompleteMultipartUpload(complete);
  if (!result.ok()) return result.status().WithContext("CompleteMultipartUpload " + key_);
  return result;
}

s3core::Result<s3core::PutObjectResult> StreamingUpload::Finish() {
  std::unique_lock lock(mu_);
  if (finished_) return s3core::Status::Internal("upload of " + key_ + " already finished");
  S3_RETURN_IF_ERROR(SettleLocked(lock));
  if (upload_id_.empty()) {
    s3core::BufferSource body(std::string_view(buffer_.data(), buffer_used_));
    s3core::PutObjectRequest put;
    put.bucket = context_->transfer->bucket;
    put.key = key_;
    put.body = buffer_used_ == 0 ? nullptr : &body;
    put.options = write_;
    auto result = context_->store->PutObject(put);
    if (!result.ok()) return result.status().WithContext("PutObject " + key_);
    finished_ = true;
    buffer_ = BufferPool::Buffer();
    buffer_used_ = 0;
    buffer_lease_.Release();
    return result;
  }
  if (buffer_used_ > 0) {
    Part last{next_part_, std::move(buffer_), buffer_used_, std::move(buffer_lease_)};
    auto etag = UploadPartNow(last);
    if (!etag.ok()) {
      buffer_ = std::move(last.data);  // kept for the next attempt
      buffer_lease_ = std::move(last.lease);
      return etag.status().WithContext("UploadPart " + std::to_string(last.number) + " of " + key_);
    }
    etags_[last.number] = *etag;
    parts_bytes_ += last.used;
    ++next_part_;
    buffer_used_ = 0;
  }
  buffer_ = BufferPool::Buffer();
  buffer_lease_.Release();
  S3_ASSIGN_OR_RETURN(s3core::PutObjectResult result, CompleteLocked());
  finished_ = true;
  return result;
}

s3core::Result<StreamingUpload::Handover> StreamingUpload::Detach() {
  std::unique_lock lock(mu_);
  if (finished_) return s3core::Status::Internal("upload of " + key_ + " already finished");
  S3_RETURN_IF_ERROR(SettleLocked(lock));
  Handover handover;
  if (!upload_id_.empty()) {
    S3_ASSIGN_OR_RETURN(s3core::PutObjectResult result, CompleteLocked());
    handover.object_size = parts_bytes_;
    handover.etag = result.etag;
  }
  handover.tail.assign(buffer_.data() == nullptr ? "" : buffer_.data(), buffer_used_);
  buffer_ = BufferPool::Buffer();
  buffer_used_ = 0;
  buffer_lease_.Release();
  finished_ = true;
  return handover;
}

void StreamingUpload::AbortLocked() {
  if (upload_id_.empty()) return;
  // Best effort: a leftover upload costs storage until a lifecycle rule removes it.
  (void)context_->store->AbortMultipartUpload(context_->transfer->bucket, key_, upload_id_);
  upload_id_.clear();
}

}  // namespace mounter

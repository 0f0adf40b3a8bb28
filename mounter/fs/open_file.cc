#include "mounter/fs/open_file.h"

#include <algorithm>
#include <ctime>

namespace mounter {
namespace {
struct timespec Now() {
  struct timespec ts {};
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts;
}
}  // namespace

OpenFile::OpenFile(const OpenFileContext* context, std::string key, NodeInfo info)
    : context_(context), key_(std::move(key)), info_(std::move(info)) {}

std::string OpenFile::key() const {
  std::lock_guard lock(mu_);
  return key_;
}

void OpenFile::SetKey(std::string key) {
  std::lock_guard lock(mu_);
  key_ = std::move(key);
}

NodeInfo OpenFile::info() const {
  std::lock_guard lock(mu_);
  return info_;
}

bool OpenFile::dirty() const {
  std::lock_guard lock(mu_);
  return dirty_ && !unlinked_;
}

s3core::Result<size_t> OpenFile::ReadRemote(const std::string& key, const std::string& etag, uint64_t offset,
                                            size_t size, char* buf) {
  s3core::GetObjectRequest get;
  get.bucket = context_->transfer.bucket;
  get.key = key;
  get.range = s3core::ByteRange{offset, size};
  get.if_match = etag;  // never mix the bytes of two versions of the object
  get.sse = context_->transfer.write_options.sse;
  s3core::BufferSink sink(buf, size);
  auto result = context_->store->GetObject(get, sink);
  if (!result.ok()) {
    if (result.status().kind() == s3core::ErrorKind::kRangeNotSatisfiable) return size_t{0};  // shrank
    return result.status().WithContext("GetObject " + key);
  }
  return sink.size();
}

s3core::Result<size_t> OpenFile::Read(uint64_t offset, size_t size, char* buf) {
  std::unique_lock lock(mu_);
  if (offset >= info_.attrs.size || size == 0) return size_t{0};
  size = static_cast<size_t>(std::min<uint64_t>(size, info_.attrs.size - offset));
  if (staging_) return staging_->ReadAt(offset, buf, size);
  std::string key = key_;
  std::string etag = info_.etag;
  lock.unlock();  // reads of one file run in parallel
  return ReadRemote(key, etag, offset, size, buf);
}

s3core::Status OpenFile::DownloadLocked(uint64_t length) {
  if (length == 0) return s3core::Status();
  s3core::GetObjectRequest get;
  get.bucket = context_->transfer.bucket;
  get.key = key_;
  get.range = s3core::ByteRange{0, length};
  get.if_match = info_.etag;
  get.sse = context_->transfer.write_options.sse;
  s3core::FileSink sink(staging_->fd(), 0);
  auto result = context_->store->GetObject(get, sink);
  if (!result.ok()) return result.status().WithContext("GetObject " + key_);
  return s3core::Status();
}

s3core::Status OpenFile::EnsureLocalLocked(uint64_t bytes_needed) {
  if (staging_) return s3core::Status();
  S3_ASSIGN_OR_RETURN(staging_, StagingFile::Create(context_->staging_dir));
  s3core::Status status = DownloadLocked(std::min(bytes_needed, info_.attrs.size));
  if (!status.ok()) {
    staging_.reset();
    return status;
  }
  return staging_->Truncate(info_.attrs.size);
}

s3core::Status OpenFile::MakeLocal() {
  std::lock_guard lock(mu_);
  return EnsureLocalLocked(info_.attrs.size);
}

s3core::Result<uint64_t> OpenFile::Write(uint64_t offset, std::string_view data, bool append) {
  std::lock_guard lock(mu_);
  S3_RETURN_IF_ERROR(EnsureLocalLocked(info_.attrs.size));
  if (append) offset = info_.attrs.size;
  S3_RETURN_IF_ERROR(staging_->WriteAt(offset, data));
  info_.attrs.size = std::max<uint64_t>(info_.attrs.size, offset + data.size());
  info_.attrs.mtime = info_.attrs.ctime = Now();
  dirty_ = true;
  return offset;
}

s3core::Status OpenFile::Truncate(uint64_t size) {
  std::lock_guard lock(mu_);
  // Only the bytes that survive the truncation are worth downloading.
  S3_RETURN_IF_ERROR(EnsureLocalLocked(size));
  S3_RETURN_IF_ERROR(staging_->Truncate(size));
  info_.attrs.size = size;
  info_.attrs.mtime = info_.attrs.ctime = Now();
  dirty_ = true;
  return s3core::Status();
}

s3core::Status OpenFile::Flush() {
  std::lock_guard lock(mu_);
  if (!dirty_ || unlinked_ || !staging_) return s3core::Status();
  s3core::UserMetadata metadata = info_.metadata;
  EncodeAttributes(info_.attrs, &metadata);
  auto result = UploadFile(*context_->store, context_->transfer, key_, staging_->fd(), info_.attrs.size, metadata,
                           info_.content_type);
  if (!result.ok()) return result.status().WithContext("upload of " + key_);
  info_.etag = result->etag;
  info_.metadata = std::move(metadata);
  info_.object_key = key_;
  info_.from_listing = false;
  dirty_ = false;
  return s3core::Status();
}

void OpenFile::MarkUnlinked() {
  std::lock_guard lock(mu_);
  unlinked_ = true;
}

s3core::Status OpenFile::SetPending(const NodeAttributes& attrs, const s3core::UserMetadata& metadata) {
  std::lock_guard lock(mu_);
  // Pending metadata is uploaded with the data, so a local copy must exist.
  S3_RETURN_IF_ERROR(EnsureLocalLocked(info_.attrs.size));
  uint64_t size = info_.attrs.size;
  info_.attrs = attrs;
  info_.attrs.size = size;
  info_.metadata = metadata;
  dirty_ = true;
  return s3core::Status();
}

void OpenFile::OnRemoteReplaced(const NodeInfo& info) {
  std::lock_guard lock(mu_);
  uint64_t size = info_.attrs.size;
  info_.attrs = info.attrs;
  info_.attrs.size = size;
  info_.etag = info.etag;
  info_.metadata = info.metadata;
}

}  // namespace mounter

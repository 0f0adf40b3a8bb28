#include "mounter/fs/open_file.h"

#include <algorithm>
#include <ctime>
#include <vector>

namespace mounter {
namespace {
struct timespec Now() {
  struct timespec ts {};
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts;
}
constexpr uint64_t kFillChunk = 8 << 20;
}  // namespace

OpenFile::OpenFile(const OpenFileContext* context, std::string key, NodeInfo info)
    : context_(context), key_(std::move(key)), info_(std::move(info)), base_valid_(info_.attrs.size) {}

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

ObjectVersion OpenFile::BaseVersionLocked() const { return ObjectVersion{key_, info_.etag, base_valid_}; }

s3core::WriteOptions OpenFile::WriteOptionsLocked() const {
  s3core::WriteOptions write = context_->transfer.write_options;
  write.metadata = info_.metadata;
  EncodeAttributes(info_.attrs, &write.metadata);
  write.content_type = info_.content_type;
  return write;
}

s3core::Status OpenFile::EnsureStagingLocked() {
  if (staging_) return s3core::Status();
  // Sparse and empty: bytes come from the object only when a read or an upload needs them.
  S3_ASSIGN_OR_RETURN(staging_, StagingFile::Create(context_->staging_dir));
  s3core::Status status = staging_->Truncate(info_.attrs.size);
  if (!status.ok()) staging_.reset();
  return status;
}

s3core::Status OpenFile::FillLocked(uint64_t begin, uint64_t end) {
  end = std::min(end, base_valid_);
  if (begin >= end) return s3core::Status();
  std::vector<ByteSpan> missing;
  {
    std::lock_guard lock(fill_mu_);
    missing = present_.Missing(begin, end);
  }
  if (missing.empty()) return s3core::Status();
  // One GET per chunk of the hull of the missing spans (a written byte in the middle of a part
  // does not split it in two requests); only the missing bytes are written locally, never over
  // bytes the file already holds.
  const ObjectVersion base = BaseVersionLocked();
  const uint64_t hull_begin = missing.front().begin, hull_end = missing.back().end;
  std::vector<char> buf(static_cast<size_t>(std::min<uint64_t>(kFillChunk, hull_end - hull_begin)));
  for (uint64_t at = hull_begin; at < hull_end;) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), hull_end - at));
    S3_ASSIGN_OR_RETURN(size_t got, context_->reader->Read(base, at, want, buf.data()));
    if (got != want) {
      return s3core::Status::Error(s3core::ErrorKind::kPreconditionFailed,
                                   "the object " + key_ + " is shorter than when it was opened");
    }
    for (const ByteSpan& span : missing) {
      const uint64_t from = std::max(span.begin, at), to = std::min(span.end, at + got);
      if (from >= to) continue;
      S3_RETURN_IF_ERROR(staging_->WriteAt(from, std::string_view(buf.data() + (from - at), to - from)));
      std::lock_guard lock(fill_mu_);
      present_.Add(from, to);
    }
    at += got;
  }
  return s3core::Status();
}

s3core::Status OpenFile::StopStreamingLocked() {
  if (!stream_) return s3core::Status();
  S3_ASSIGN_OR_RETURN(StreamingUpload::Handover handover, stream_->Detach());
  stream_.reset();
  // The completed parts are now the object (if any was uploaded); the tail is local.
  if (!handover.etag.empty()) info_.etag = handover.etag;
  base_valid_ = handover.object_size;
  staging_.reset();
  present_.Clear();
  changed_.Clear();
  S3_RETURN_IF_ERROR(EnsureStagingLocked());
  S3_RETURN_IF_ERROR(staging_->WriteAt(handover.object_size, handover.tail));
  present_.Add(handover.object_size, info_.attrs.size);
  changed_.Add(handover.object_size, info_.attrs.size);
  stream_metadata_stale_ = false;
  return s3core::Status();
}

s3core::Result<size_t> OpenFile::Read(uint64_t offset, size_t size, char* buf, Prefetcher* prefetcher) {
  std::unique_lock lock(mu_);
  if (stream_) S3_RETURN_IF_ERROR(StopStreamingLocked());
  if (offset >= info_.attrs.size || size == 0) return size_t{0};
  size = static_cast<size_t>(std::min<uint64_t>(size, info_.attrs.size - offset));
  if (staging_) {
    S3_RETURN_IF_ERROR(FillLocked(offset, offset + size));
    return staging_->ReadAt(offset, buf, size);
  }
  // Remote: the base object is the content (base_valid_ == size here).
  const ObjectVersion base = BaseVersionLocked();
  lock.unlock();  // reads of one file run in parallel
  if (prefetcher != nullptr) return prefetcher->Read(base, offset, size, buf);
  return context_->reader->Read(base, offset, size, buf);
}

s3core::Status OpenFile::MakeLocal() {
  std::lock_guard lock(mu_);
  S3_RETURN_IF_ERROR(StopStreamingLocked());
  S3_RETURN_IF_ERROR(EnsureStagingLocked());
  return FillLocked(0, info_.attrs.size);
}

s3core::Result<uint64_t> OpenFile::Write(uint64_t offset, std::string_view data, bool append) {
  std::lock_guard lock(mu_);
  if (append) offset = info_.attrs.size;
  if (stream_ && offset != stream_->size()) S3_RETURN_IF_ERROR(StopStreamingLocked());
  // A file whose content is empty and written from its start: stream it.
  if (!stream_ && !staging_ && context_->streaming_writes && !unlinked_ && offset == 0 && info_.attrs.size == 0) {
    stream_ = std::make_unique<StreamingUpload>(&context_->upload, key_, WriteOptionsLocked());
  }
  if (stream_) {
    S3_RETURN_IF_ERROR(stream_->Append(data));
  } else {
    S3_RETURN_IF_ERROR(EnsureStagingLocked());
    S3_RETURN_IF_ERROR(staging_->WriteAt(offset, data));
    std::lock_guard fill_lock(fill_mu_);
    present_.Add(offset, offset + data.size());
    changed_.Add(offset, offset + data.size());
  }
  info_.attrs.size = std::max<uint64_t>(info_.attrs.size, offset + data.size());
  info_.attrs.mtime = info_.attrs.ctime = Now();
  dirty_ = true;
  return offset;
}

s3core::Status OpenFile::Truncate(uint64_t size) {
  std::lock_guard lock(mu_);
  if (stream_ && size != info_.attrs.size) S3_RETURN_IF_ERROR(StopStreamingLocked());
  if (size == 0 && !stream_) {
    // Nothing of the old content survives: no staging needed, and a write from the start
    // can stream again.
    staging_.reset();
    present_.Clear();
    changed_.Clear();
    base_valid_ = 0;
  } else if (!stream_) {
    S3_RETURN_IF_ERROR(EnsureStagingLocked());
    S3_RETURN_IF_ERROR(staging_->Truncate(size));
    std::lock_guard fill_lock(fill_mu_);
    if (size < info_.attrs.size) {
      present_.ClipTo(size);
      changed_.ClipTo(size);
      base_valid_ = std::min(base_valid_, size);
    } else {
      present_.Add(info_.attrs.size, size);  // the new bytes are zeros, and differ from the base
      changed_.Add(info_.attrs.size, size);
    }
  }
  info_.attrs.size = size;
  info_.attrs.mtime = info_.attrs.ctime = Now();
  dirty_ = true;
  return s3core::Status();
}

s3core::Status OpenFile::AfterUploadLocked(const std::string& etag) {
  info_.etag = etag;
  EncodeAttributes(info_.attrs, &info_.metadata);
  info_.object_key = key_;
  info_.from_listing = false;
  base_valid_ = info_.attrs.size;
  changed_.Clear();
  dirty_ = false;
  context_->reader->Invalidate(key_);  // cached blocks of older versions are garbage now
  return s3core::Status();
}

s3core::Status OpenFile::Flush() {
  std::lock_guard lock(mu_);
  if (!dirty_ || unlinked_) return s3core::Status();
  if (stream_) {
    S3_ASSIGN_OR_RETURN(s3core::PutObjectResult streamed, stream_->Finish());  // kept on failure, for a retry
    stream_.reset();
    if (!stream_metadata_stale_) return AfterUploadLocked(streamed.etag);
    // Attributes changed after the multipart upload began (its metadata was fixed then): the
    // data is in S3 now, and the attributes follow as for any file whose data is clean.
    info_.etag = streamed.etag;
    base_valid_ = info_.attrs.size;
    stream_metadata_stale_ = false;
  }
  s3core::UserMetadata metadata = info_.metadata;
  EncodeAttributes(info_.attrs, &metadata);
  s3core::Result<s3core::PutObjectResult> result = s3core::Status();
  if (!staging_ && info_.attrs.size == 0) {
    s3core::PutObjectRequest put;
    put.bucket = context_->transfer.bucket;
    put.key = key_;
    put.options = WriteOptionsLocked();
    result = context_->store->PutObject(put);
  } else if (!staging_) {
    // Only attributes are pending (a streamed file's data is in S3 already): S3 changes
    // metadata by a copy of the object onto itself.
    result = CopyObjectAnySize(*context_->store, context_->transfer, key_, key_, info_.attrs.size, &metadata,
                               info_.content_type, info_.etag);
  } else {
    BaseObject base{key_, info_.etag, base_valid_};
    result = UploadChanges(*context_->store, context_->transfer, key_, staging_->fd(), info_.attrs.size, metadata,
                           info_.content_type, base, changed_,
                           [this](uint64_t begin, uint64_t end) { return FillLocked(begin, end); });
  }
  if (!result.ok()) return result.status().WithContext("upload of " + key_);
  info_.metadata = std::move(metadata);
  return AfterUploadLocked(result->etag);
}

void OpenFile::MarkUnlinked() {
  std::lock_guard lock(mu_);
  unlinked_ = true;
  stream_.reset();  // an unfinished upload is aborted
}

s3core::Status OpenFile::SetPending(const NodeAttributes& attrs, const s3core::UserMetadata& metadata) {
  std::lock_guard lock(mu_);
  uint64_t size = info_.attrs.size;
  info_.attrs = attrs;
  info_.attrs.size = size;
  info_.metadata = metadata;
  if (stream_ && !stream_->UpdateWriteOptions(WriteOptionsLocked())) stream_metadata_stale_ = true;
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

#include "mounter/fs/object_transfer.h"

#include <algorithm>
#include <mutex>
#include <vector>

#include "mounter/fs/parallel_for.h"

namespace mounter {
namespace {

constexpr uint64_t kMinPartSize = 5ULL << 20;  // S3's minimum for every part but the last

s3core::WriteOptions WriteOptionsFor(const TransferOptions& options, const s3core::UserMetadata& metadata,
                                     const std::string& content_type) {
  s3core::WriteOptions out = options.write_options;
  out.metadata = metadata;
  out.content_type = content_type;
  return out;
}

// Parts of `part_size` bytes covering [0, size) (the last one shorter).
std::vector<ByteSpan> UniformParts(uint64_t size, uint64_t part_size) {
  std::vector<ByteSpan> parts;
  for (uint64_t offset = 0; offset < size; offset += part_size) parts.push_back({offset, std::min(size, offset + part_size)});
  return parts;
}

// Runs the parts of a multipart upload in parallel, completes it, and aborts it on failure.
template <typename PartFn>
s3core::Result<s3core::PutObjectResult> RunMultipart(s3core::ObjectStore& store, const TransferOptions& options,
                                                     const std::string& key, const s3core::WriteOptions& write,
                                                     const std::vector<ByteSpan>& layout, PartFn upload_part) {
  s3core::CreateMultipartUploadRequest create;
  create.bucket = options.bucket;
  create.key = key;
  create.options = write;
  S3_ASSIGN_OR_RETURN(std::string upload_id, store.CreateMultipartUpload(create));
  const size_t parts = layout.size();
  std::vector<s3core::CompletedPart> completed(parts);
  std::mutex mu;
  s3core::Status first_error;
  ParallelFor(parts, options.parallelism, [&](size_t i) {
    {
      std::lock_guard lock(mu);
      if (!first_error.ok()) return;  // do not start more parts of a failed upload
    }
    uint64_t offset = layout[i].begin;
    uint64_t length = layout[i].size();
    int number = static_cast<int>(i + 1);
    s3core::Result<std::string> etag = upload_part(upload_id, number, offset, length);
    std::lock_guard lock(mu);
    if (!etag.ok()) {
      if (first_error.ok()) first_error = etag.status();
      return;
    }
    completed[i] = {number, *etag};
  });
  if (first_error.ok()) {
    s3core::CompleteMultipartUploadRequest complete;
    complete.bucket = options.bucket;
    complete.key = key;
    complete.upload_id = upload_id;
    complete.parts = std::move(completed);
    auto result = store.CompleteMultipartUpload(complete);
    if (result.ok()) return result;
    first_error = result.status();
  }
  // Best effort: a leftover upload costs storage, but the error to report is the first one.
  (void)store.AbortMultipartUpload(options.bucket, key, upload_id);
  return first_error;
}


s3core::Result<std::string> UploadFilePart(s3core::ObjectStore& store, const TransferOptions& options,
                                           const std::string& key, const std::string& upload_id, int number,
                                           int fd, uint64_t offset, uint64_t length) {
  s3core::FileRangeSource body(fd, offset, length);
  s3core::UploadPartRequest part;
  part.bucket = options.bucket;
  part.key = key;
  part.upload_id = upload_id;
  part.part_number = number;
  part.body = &body;
  part.sse = options.write_options.sse;
  return store.UploadPart(part);
}

s3core::Result<std::string> CopyPart(s3core::ObjectStore& store, const TransferOptions& options,
                                     const std::string& source_key, const std::string& source_etag,
                                     const std::string& key, const std::string& upload_id, int number,
                                     uint64_t offset, uint64_t length) {
  s3core::UploadPartCopyRequest part;
  part.bucket = options.bucket;
  part.key = key;
  part.upload_id = upload_id;
  part.part_number = number;
  part.source_bucket = options.bucket;
  part.source_key = source_key;
  part.source_range = s3core::ByteRange{offset, length};
  part.source_if_match = source_etag;
  part.sse = options.write_options.sse;
  part.source_sse = options.write_options.sse;
  return store.UploadPartCopy(part);
}

}  // namespace

std::vector<ByteSpan> PlanChangedParts(uint64_t size, uint64_t copyable, const RangeSet& dirty, uint64_t part_size,
                                       uint64_t min_part) {
  std::vector<ByteSpan> out;
  // Splits [begin, end) into parts of at least part_size (or one shorter part), none over 5 GiB.
  auto emit = [&](uint64_t begin, uint64_t end) {
    if (begin >= end) return;
    const uint64_t length = end - begin;
    uint64_t n = std::max<uint64_t>(1, length / part_size);
    while ((length + n - 1) / n > (5ULL << 30)) ++n;
    const uint64_t chunk = (length + n - 1) / n;
    for (uint64_t at = begin; at < end; at += chunk) out.push_back({at, std::min(end, at + chunk)});
  };
  RangeSet changes = dirty;
  changes.ClipTo(size);
  changes.Add(std::min(copyable, size), size);  // bytes past the base have nothing to copy from
  const std::vector<ByteSpan> spans = changes.spans();
  uint64_t cursor = 0;
  for (size_t i = 0; i < spans.size();) {
    uint64_t begin = spans[i].begin;
    if (begin - cursor < min_part) begin = cursor;  // a copy part this small is not allowed
    uint64_t end = std::max(spans[i].end, std::min(size, begin + min_part));
    // Changes close together share one uploaded part rather than a tiny copy between them.
    for (++i; i < spans.size() && spans[i].begin < end + min_part; ++i) end = std::max(end, spans[i].end);
    emit(cursor, begin);  // copied
    emit(begin, end);     // uploaded
    cursor = end;
  }
  emit(cursor, size);  // copied; as the last part it may be short
  return out;
}

uint64_t PartSizeFor(const TransferOptions& options, uint64_t size, uint64_t max_part) {
  uint64_t part = std::max<uint64_t>(options.part_size, 1);
  // Stay within the part count limit: grow the part size for very large objects.
  const auto max_parts = static_cast<uint64_t>(std::max(1, options.max_parts));
  if ((size + part - 1) / part > max_parts) part = (size + max_parts - 1) / max_parts;
  return std::min(part, max_part);
}

s3core::Result<s3core::PutObjectResult> UploadFile(s3core::ObjectStore& store, const TransferOptions& options,
                                                   const std::string& key, int fd, uint64_t size,
                                                   const s3core::UserMetadata& metadata,
                                                   const std::string& content_type) {
  s3core::WriteOptions write = WriteOptionsFor(options, metadata, content_type);
  if (size <= options.part_size) {
    s3core::FileRangeSource body(fd, 0, size);
    s3core::PutObjectRequest put;
    put.bucket = options.bucket;
    put.key = key;
    put.body = size == 0 ? nullptr : &body;
    put.options = std::move(write);
    return store.PutObject(put);
  }
  const uint64_t part_size = PartSizeFor(options, size, 5ULL << 30);
  return RunMultipart(store, options, key, write, UniformParts(size, part_size),
                      [&](const std::string& upload_id, int number, uint64_t offset, uint64_t length) {
                        return UploadFilePart(store, options, key, upload_id, number, fd, offset, length);
                      });
}

s3core::Result<s3core::PutObjectResult> CopyObjectAnySize(s3core::ObjectStore& store, const TransferOptions& options,
                                                          const std::string& source_key, const std::string& key,
                                                          uint64_t size, const s3core::UserMetadata* metadata,
                                                          const std::string& content_type,
                                                          const std::string& source_etag) {
  if (size <= options.max_single_copy_size) {
    s3core::CopyObjectRequest copy;
    copy.source_bucket = options.bucket;
    copy.source_key = source_key;
    copy.bucket = options.bucket;
    copy.key = key;
    copy.options = options.write_options;
    copy.options.metadata.clear();
    copy.options.content_type.clear();
    if (metadata != nullptr) {
      copy.directive = s3core::CopyObjectRequest::MetadataDirective::kReplace;
      copy.options.metadata = *metadata;
      copy.options.content_type = content_type;
    }
    copy.source_if_match = source_etag;
    copy.source_sse = options.write_options.sse;
    return store.CopyObject(copy);
  }
  // A multipart copy does not carry metadata over: read it first when the caller keeps it.
  s3core::UserMetadata kept;
  std::string kept_type = content_type;
  if (metadata == nullptr) {
    s3core::HeadObjectRequest head;
    head.bucket = options.bucket;
    head.key = source_key;
    head.if_match = source_etag;
    head.sse = options.write_options.sse;
    S3_ASSIGN_OR_RETURN(s3core::ObjectInfo info, store.HeadObject(head));
    kept = std::move(info.metadata);
    kept_type = info.content_type;
    metadata = &kept;
  }
  s3core::WriteOptions write = WriteOptionsFor(options, *metadata, kept_type);
  const uint64_t part_size = PartSizeFor(options, size, options.max_single_copy_size);
  return RunMultipart(store, options, key, write, UniformParts(size, part_size),
                      [&](const std::string& upload_id, int number, uint64_t offset, uint64_t length) {
                        return CopyPart(store, options, source_key, source_etag, key, upload_id, number, offset,
                                        length);
                      });
}

s3core::Result<s3core::PutObjectResult> UploadChanges(s3core::ObjectStore& store, const TransferOptions& options,
                                                      const std::string& key, int fd, uint64_t size,
                                                      const s3core::UserMetadata& metadata,
                                                      const std::string& content_type, const BaseObject& base,
                                                      const RangeSet& dirty,
                                                      const std::function<s3core::Status(uint64_t, uint64_t)>& fill) {
  const uint64_t part_size = PartSizeFor(options, size, 5ULL << 30);
  const uint64_t copyable = base.etag.empty() ? 0 : std::min(size, base.size);
  // S3 copies parts of at least 5 MiB (but the last): a base smaller than a part is not worth it.
  if (size <= part_size || copyable < part_size) {
    S3_RETURN_IF_ERROR(fill(0, copyable));
    return UploadFile(store, options, key, fd, size, metadata, content_type);
  }
  // The server-side copies read the base: make sure it is still the version we started from.
  s3core::HeadObjectRequest head;
  head.bucket = options.bucket;
  head.key = base.key;
  head.if_match = base.etag;
  head.sse = options.write_options.sse;
  auto still = store.HeadObject(head);
  if (!still.ok()) return still.status().WithContext("the object " + base.key + " changed since it was opened");
  if (still->etag != base.etag) {
    return s3core::Status::Error(s3core::ErrorKind::kPreconditionFailed,
                                 "the object " + base.key + " changed since it was opened");
  }
  s3core::WriteOptions write = WriteOptionsFor(options, metadata, content_type);
  std::vector<ByteSpan> layout = PlanChangedParts(size, copyable, dirty, part_size,
                                                  std::min<uint64_t>(part_size, kMinPartSize));
  if (layout.size() > static_cast<size_t>(std::max(1, options.max_parts))) layout = UniformParts(size, part_size);
  return RunMultipart(store, options, key, write, layout,
                      [&](const std::string& upload_id, int number, uint64_t offset,
                          uint64_t length) -> s3core::Result<std::string> {
                        const uint64_t end = offset + length;
                        if (end <= copyable && !dirty.Intersects(offset, end)) {
                          return CopyPart(store, options, base.key, base.etag, key, upload_id, number, offset,
                                          length);
                        }
                        S3_RETURN_IF_ERROR(fill(offset, std::min(end, copyable)));
                        return UploadFilePart(store, options, key, upload_id, number, fd, offset, length);
                      });
}

}  // namespace mounter

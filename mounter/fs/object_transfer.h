// Whole-object transfers: upload of a local file (single PUT or parallel multipart) and
// server-side copy of any size (CopyObject, or UploadPartCopy above the single-copy limit).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mounter/fs/range_set.h"

#include "s3core/object_store.h"

namespace mounter {

struct TransferOptions {
  std::string bucket;
  s3core::WriteOptions write_options;  // storage class, ACL, SSE for every object written
  uint64_t part_size = 10 << 20;       // multipart part size; larger files go multipart
  int parallelism = 5;
  uint64_t max_single_copy_size = 5ULL << 30;  // S3's CopyObject limit
  int max_parts = 10'000;
};

// Uploads bytes [0, size) of `fd` to `key`, with `metadata` and `content_type`. Files larger
// than part_size go multipart, `parallelism` parts at a time; a failed upload is aborted.
s3core::Result<s3core::PutObjectResult> UploadFile(s3core::ObjectStore& store, const TransferOptions& options,
                                                   const std::string& key, int fd, uint64_t size,
                                                   const s3core::UserMetadata& metadata,
                                                   const std::string& content_type);

// The part size for a file of `size` bytes: options.part_size, grown to stay within max_parts.
uint64_t PartSizeFor(const TransferOptions& options, uint64_t size, uint64_t max_part);

// The part layout of UploadChanges: parts holding changed bytes (or bytes past `copyable`) are
// uploaded and made as small as S3 allows (min_part), the parts between them are copied; every
// part but the last is at least min_part, copy runs are split into parts of at least part_size.
// A 1-byte change in a 1 GiB file uploads one part of min_part (5 MiB), like s3fs.
std::vector<ByteSpan> PlanChangedParts(uint64_t size, uint64_t copyable, const RangeSet& dirty, uint64_t part_size,
                                       uint64_t min_part);

// The object version a local staging file started from.
struct BaseObject {
  std::string key;
  std::string etag;
  uint64_t size = 0;  // bytes [0, size) of it are still the file's (less than the object after a truncate)
};

// Uploads a file that was changed locally in place: bytes [0, size) of `fd`, where only the
// ranges in `dirty` differ from `base`. Parts that hold no changed byte are copied server-side
// from `base` (UploadPartCopy), so changing one byte of a large object sends about one part.
// `fill(begin, end)` must make `fd` hold the base object's bytes in that range (the parts that
// are uploaded need all their bytes locally). Small files, or bases too small to copy from, are
// uploaded whole. The base is checked (HEAD If-Match) before any copy: if another writer
// replaced it meanwhile, the upload fails with kPreconditionFailed and nothing is written.
s3core::Result<s3core::PutObjectResult> UploadChanges(s3core::ObjectStore& store, const TransferOptions& options,
                                                      const std::string& key, int fd, uint64_t size,
                                                      const s3core::UserMetadata& metadata,
                                                      const std::string& content_type, const BaseObject& base,
                                                      const RangeSet& dirty,
                                                      const std::function<s3core::Status(uint64_t, uint64_t)>& fill);

// Copies `source_key` (of `size` bytes) to `key` in the same bucket. `metadata`, when not null,
// replaces the user metadata (and `content_type` the content type); otherwise both are kept.
// `source_etag`, when not empty, makes the copy fail if the source changed meanwhile.
s3core::Result<s3core::PutObjectResult> CopyObjectAnySize(s3core::ObjectStore& store, const TransferOptions& options,
                                                          const std::string& source_key, const std::string& key,
                                                          uint64_t size, const s3core::UserMetadata* metadata,
                                                          const std::string& content_type,
                                                          const std::string& source_etag);

}  // namespace mounter

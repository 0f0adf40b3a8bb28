// Whole-object transfers: upload of a local file (single PUT or parallel multipart) and
// server-side copy of any size (CopyObject, or UploadPartCopy above the single-copy limit).
#pragma once

#include <cstdint>
#include <string>

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

// Copies `source_key` (of `size` bytes) to `key` in the same bucket. `metadata`, when not null,
// replaces the user metadata (and `content_type` the content type); otherwise both are kept.
// `source_etag`, when not empty, makes the copy fail if the source changed meanwhile.
s3core::Result<s3core::PutObjectResult> CopyObjectAnySize(s3core::ObjectStore& store, const TransferOptions& options,
                                                          const std::string& source_key, const std::string& key,
                                                          uint64_t size, const s3core::UserMetadata* metadata,
                                                          const std::string& content_type,
                                                          const std::string& source_etag);

}  // namespace mounter

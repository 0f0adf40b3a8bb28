#include "mounter/fs/object_reader.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "mounter/fs/data_cache.h"

namespace mounter {

ObjectReader::ObjectReader(s3core::ObjectStore* store, std::string bucket, s3core::ServerSideEncryption sse,
                           DataCache* cache)
    : store_(store), bucket_(std::move(bucket)), sse_(std::move(sse)), cache_(cache) {}

void ObjectReader::Invalidate(const std::string& key) {
  if (cache_ != nullptr) cache_->Invalidate(key);
}

s3core::Result<size_t> ObjectReader::Get(const ObjectVersion& version, uint64_t offset, size_t size, char* out) {
  s3core::GetObjectRequest get;
  get.bucket = bucket_;
  get.key = version.key;
  get.range = s3core::ByteRange{offset, size};
  get.if_match = version.etag;  // never mix the bytes of two versions of the object
  get.sse = sse_;
  s3core::BufferSink sink(out, size);
  auto result = store_->GetObject(get, sink);
  if (!result.ok()) {
    // The object shrank under us (replaced by a shorter one with the same ETag cannot happen):
    // there is nothing at this offset any more.
    if (result.status().kind() == s3core::ErrorKind::kRangeNotSatisfiable) return size_t{0};
    return result.status().WithContext("GetObject " + version.key);
  }
  return sink.size();
}

s3core::Result<size_t> ObjectReader::Read(const ObjectVersion& version, uint64_t offset, size_t size, char* out) {
  if (offset >= version.size || size == 0) return size_t{0};
  size = static_cast<size_t>(std::min<uint64_t>(size, version.size - offset));
  if (cache_ == nullptr) return Get(version, offset, size, out);
  return ReadCached(version, offset, size, out);
}

s3core::Result<size_t> ObjectReader::ReadCached(const ObjectVersion& version, uint64_t offset, size_t size,
                                                char* out) {
  const uint64_t block = cache_->block_size();
  const uint64_t end = offset + size;
  const uint64_t first = offset / block;
  const uint64_t last = (end - 1) / block;
  auto block_length = [&](uint64_t index) { return std::min(block, version.size - index * block); };
  // Copies the part of block `index` (whose bytes are at `data`) that the caller asked for.
  auto deliver = [&](uint64_t index, const char* data) {
    uint64_t b_begin = index * block;
    uint64_t from = std::max(offset, b_begin);
    uint64_t to = std::min(end, b_begin + block_length(index));
    std::memcpy(out + (from - offset), data + (from - b_begin), to - from);
  };

  std::vector<char> scratch(block);
  std::vector<uint64_t> missing;
  for (uint64_t index = first; index <= last; ++index) {
    auto hit = cache_->Get(version.key, version.etag, index, scratch.data(), scratch.size());
    if (hit && *hit == block_length(index)) {
      deliver(index, scratch.data());
    } else {
      missing.push_back(index);
    }
  }
  // One GET per run of consecutive missing blocks.
  for (size_t i = 0; i < missing.size();) {
    size_t j = i + 1;
    while (j < missing.size() && missing[j] == missing[j - 1] + 1) ++j;
    const uint64_t run_begin = missing[i] * block;
    const uint64_t run_end = std::min(version.size, (missing[j - 1] + 1) * block);
    std::vector<char> run(run_end - run_begin);
    S3_ASSIGN_OR_RETURN(size_t got, Get(version, run_begin, run.size(), run.data()));
    if (got != run.size()) {
      return s3core::Status::Error(s3core::ErrorKind::kUnexpectedResponse,
                                   "short read of " + version.key + ": the object changed size");
    }
    for (size_t k = i; k < j; ++k) {
      uint64_t index = missing[k];
      const char* data = run.data() + (index * block - run_begin);
      cache_->Put(version.key, version.etag, index, std::string_view(data, block_length(index)));
      deliver(index, data);
    }
    i = j;
  }
  return size;
}

}  // namespace mounter

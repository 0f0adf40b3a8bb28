// ObjectReader: ranged reads of one version of an object, through the local data cache when
// there is one (use_cache).
//
// Every GET carries If-Match with the version's ETag, so bytes of two versions are never mixed:
// a replaced object fails the read (kPreconditionFailed) instead. With a cache, reads are done
// in whole cache blocks: hits are copied from disk, runs of missing blocks are fetched with one
// GET each and stored for the next reader.
#pragma once

#include <cstdint>
#include <string>

#include "s3core/object_store.h"

namespace mounter {

class DataCache;

struct ObjectVersion {
  std::string key;
  std::string etag;
  uint64_t size = 0;
};

class ObjectReader {
 public:
  // `cache` may be null; it must outlive the reader.
  ObjectReader(s3core::ObjectStore* store, std::string bucket, s3core::ServerSideEncryption sse, DataCache* cache);

  // Reads [offset, offset + size) clipped to the object into `out`; returns the byte count.
  s3core::Result<size_t> Read(const ObjectVersion& version, uint64_t offset, size_t size, char* out);
  // Drops cached blocks of `key` (it was rewritten or deleted).
  void Invalidate(const std::string& key);
  DataCache* cache() const { return cache_; }

 private:
  s3core::Result<size_t> Get(const ObjectVersion& version, uint64_t offset, size_t size, char* out);
  s3core::Result<size_t> ReadCached(const ObjectVersion& version, uint64_t offset, size_t size, char* out);

  s3core::ObjectStore* store_;
  std::string bucket_;
  s3core::ServerSideEncryption sse_;
  DataCache* cache_;
};

}  // namespace mounter

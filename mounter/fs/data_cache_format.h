// The on-disk format of one DataCache block file.
//
// Each cached block is one file, named by a 128-bit hash of the object key and the block index
// (BlockFileName). The name only finds the file; what the file holds is decided by its header,
// so a hash collision, a file from another version of the object, a file written with another
// block size, a torn write or a stray file can never be served as data:
//
//   offset  size  field
//        0     8  magic "S3MDC01\n"
//        8     4  key length            (little endian, as every integer here)
//       12     4  etag length
//       16     8  block index
//       24     8  block size of the cache that wrote it
//       32     8  data length           (<= block size)
//       40     8  XXH3-64 of the data
//       48     8  XXH3-64 of the header (these 64 bytes with this field zeroed, then key, etag)
//       56     8  reserved, zero
//       64     .  key, then etag, then the data
//
// The header is checked whenever a file is indexed (at open) and the data checksum whenever a
// block is read, so a file damaged after it was indexed is caught at the read that would use it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mounter::data_cache_format {

inline constexpr size_t kFixedHeaderSize = 64;
inline constexpr size_t kMaxKeyLength = 4096;   // S3 allows 1024 bytes; room for prefixes
inline constexpr size_t kMaxEtagLength = 1024;

struct BlockHeader {
  std::string key;
  std::string etag;
  uint64_t index = 0;
  uint64_t block_size = 0;
  uint64_t data_length = 0;
  uint64_t data_hash = 0;

  size_t header_size() const { return kFixedHeaderSize + key.size() + etag.size(); }
  uint64_t file_size() const { return header_size() + data_length; }
};

// "<32 hex digits of XXH3-128(key)>-<16 hex digits of index>". Blocks of one key share the
// prefix before '-' (KeyNamePrefix), which Invalidate uses to find them in a sorted index.
std::string BlockFileName(std::string_view key, uint64_t index);
std::string KeyNamePrefix(std::string_view key);
// Whether `name` has the shape of a block file name (a directory scan keeps only these).
bool IsBlockFileName(std::string_view name);

uint64_t DataHash(std::string_view data);

// The header bytes (fixed part, key, etag) for `header`, with its header hash filled in.
std::string EncodeHeader(const BlockHeader& header);

// Parses the fixed part; nullopt when the magic is wrong or the lengths are out of bounds.
// `key` and `etag` are placeholders of the stored lengths (so header_size() is right); DecodeHeader
// reads them.
std::optional<BlockHeader> DecodeFixedHeader(std::string_view fixed);
// Parses a whole header (fixed part, key, etag) and checks its hash.
std::optional<BlockHeader> DecodeHeader(std::string_view bytes);

}  // namespace mounter::data_cache_format

#include "mounter/fs/data_cache_format.h"

#include <xxhash.h>

#include <cstring>

namespace mounter::data_cache_format {
namespace {

constexpr std::string_view kMagic = "S3MDC01\n";
constexpr size_t kHeaderHashOffset = 48;
constexpr size_t kHashHexDigits = 32;
constexpr size_t kIndexHexDigits = 16;

void PutU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutU64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void AppendHex(std::string* out, uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out->push_back(kDigits[(v >> shift) & 0xf]);
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The hash of a header's bytes with the header-hash field taken as zero.
uint64_t HeaderHash(std::string_view bytes) {
  std::string copy(bytes);
  std::memset(copy.data() + kHeaderHashOffset, 0, 8);
  return XXH3_64bits(copy.data(), copy.size());
}

}  // namespace

std::string KeyNamePrefix(std::string_view key) {
  XXH128_hash_t hash = XXH3_128bits(key.data(), key.size());
  std::string name;
  name.reserve(kHashHexDigits + 1);
  AppendHex(&name, hash.high64);
  AppendHex(&name, hash.low64);
  name.push_back('-');
  return name;
}

std::string BlockFileName(std::string_view key, uint64_t index) {
  std::string name = KeyNamePrefix(key);
  AppendHex(&name, index);
  return name;
}

bool IsBlockFileName(std::string_view name) {
  if (name.size() != kHashHexDigits + 1 + kIndexHexDigits || name[kHashHexDigits] != '-') return false;
  return IsLowerHex(name.substr(0, kHashHexDigits)) && IsLowerHex(name.substr(kHashHexDigits + 1));
}

uint64_t DataHash(std::string_view data) { return XXH3_64bits(data.data(), data.size()); }

std::string EncodeHeader(const BlockHeader& header) {
  std::string bytes(kFixedHeaderSize, '\0');
  char* p = bytes.data();
  std::memcpy(p, kMagic.data(), kMagic.size());
  PutU32(p + 8, static_cast<uint32_t>(header.key.size()));
  PutU32(p + 12, static_cast<uint32_t>(header.etag.size()));
  PutU64(p + 16, header.index);
  PutU64(p + 24, header.block_size);
  PutU64(p + 32, header.data_length);
  PutU64(p + 40, header.data_hash);
  bytes += header.key;
  bytes += header.etag;
  PutU64(bytes.data() + kHeaderHashOffset, HeaderHash(bytes));
  return bytes;
}

std::optional<BlockHeader> DecodeFixedHeader(std::string_view fixed) {
  if (fixed.size() < kFixedHeaderSize || fixed.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  const char* p = fixed.data();
  uint32_t key_length = GetU32(p + 8);
  uint32_t etag_length = GetU32(p + 12);
  if (key_length == 0 || key_length > kMaxKeyLength || etag_length > kMaxEtagLength) return std::nullopt;
  if (GetU64(p + 56) != 0) return std::nullopt;
  BlockHeader header;
  header.key.resize(key_length);   // sizes only; DecodeHeader fills them
  header.etag.resize(etag_length);
  header.index = GetU64(p + 16);
  header.block_size = GetU64(p + 24);
  header.data_length = GetU64(p + 32);
  header.data_hash = GetU64(p + 40);
  if (header.data_length > header.block_size) return std::nullopt;
  return header;
}

std::optional<BlockHeader> DecodeHeader(std::string_view bytes) {
  std::optional<BlockHeader> header = DecodeFixedHeader(bytes);
  if (!header || bytes.size() != header->header_size()) return std::nullopt;
  if (GetU64(bytes.data() + kHeaderHashOffset) != HeaderHash(bytes)) return std::nullopt;
  size_t key_length = header->key.size();
  header->key.assign(bytes.substr(kFixedHeaderSize, key_length));
  header->etag.assign(bytes.substr(kFixedHeaderSize + key_length));
  return header;
}

}  // namespace mounter::data_cache_format

#include "s3core/testing/s3_semantics.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace s3core::testing::s3_semantics {
namespace {

std::string Md5Raw(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), len);
}

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(HexValue(hex[i]) * 16 + HexValue(hex[i + 1]));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsPrintableAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

bool IsTokenChar(unsigned char c) {
  return std::isalnum(c) || std::string_view("-_.!#$%&'*+^`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

constexpr size_t kChunk = 64 * 1024;

}  // namespace

std::string Md5Hex(std::string_view data) { return Hex(Md5Raw(data)); }

std::string MultipartEtag(const std::vector<std::string>& part_etags) {
  std::string concatenated;
  for (const auto& etag : part_etags) concatenated += Unhex(etag);
  return Md5Hex(concatenated) + "-" + std::to_string(part_etags.size());
}

std::string StripQuotes(std::string_view etag) {
  etag = Trim(etag);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

bool EtagListMatches(std::string_view header, std::string_view etag) {
  if (Trim(header) == "*") return true;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    if (StripQuotes(header.substr(0, comma)) == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

Status ValidateBucketName(std::string_view b) {
  auto bad = [&](const char* why) {
    return Status::InvalidArgument("invalid bucket name '" + std::string(b) + "': " + why);
  };
  if (b.size() < 3 || b.size() > 63) return bad("must be 3 to 63 characters long");
  auto alnum = [](unsigned char c) { return std::islower(c) || std::isdigit(c); };
  for (unsigned char c : b) {
    if (!alnum(c) && c != '.' && c != '-') return bad("only lower-case letters, digits, '.' and '-' are allowed");
  }
  if (!alnum(b.front()) || !alnum(b.back())) return bad("must start and end with a letter or digit");
  if (b.find("..") != std::string_view::npos) return bad("must not contain two adjacent periods");
  return Status();
}

Status ValidateObjectKey(std::string_view key) {
  if (key.empty()) return Status::InvalidArgument("object key is empty");
  if (key.size() > 1024) return Status::InvalidArgument("object key longer than 1024 bytes");
  return Status();
}

Status ValidatePartNumber(int part_number) {
  if (part_number < 1 || part_number > 10000)
    return Status::InvalidArgument("part number " + std::to_string(part_number) + " is outside 1..10000");
  return Status();
}

Status ValidateWriteOptions(const WriteOptions& options) {
  if (!IsPrintableAscii(options.content_type)) return Status::InvalidArgument("content type is not printable ASCII");
  for (const auto& [name, value] : options.metadata) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return IsTokenChar(static_cast<unsigned char>(c)); }))
      return Status::InvalidArgument("metadata name '" + name + "' is not a valid header token");
    if (!IsPrintableAscii(value)) return Status::InvalidArgument("metadata value of '" + name + "' is not printable ASCII");
  }
  if (options.sse.mode == ServerSideEncryption::Mode::kCustomerKey && options.sse.customer_key.size() != 32)
    return Status::InvalidArgument("SSE-C key must be 32 bytes");
  return Status();
}

UserMetadata NormalizeMetadata(const UserMetadata& metadata) {
  UserMetadata out;
  for (const auto& [name, value] : metadata) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    // HTTP servers trim the whitespace around header values.
    out[lower] = std::string(Trim(value));
  }
  return out;
}

std::optional<std::string> EffectiveStorageClass(const std::string& requested) {
  static constexpr std::array<std::string_view, 10> kKnown = {
      "STANDARD",   "REDUCED_REDUNDANCY", "STANDARD_IA",  "ONEZONE_IA", "INTELLIGENT_TIERING",
      "GLACIER",    "DEEP_ARCHIVE",       "GLACIER_IR",   "OUTPOSTS",   "EXPRESS_ONEZONE"};
  if (requested.empty()) return std::string("STANDARD");
  if (std::find(kKnown.begin(), kKnown.end(), requested) == kKnown.end()) return std::nullopt;
  return requested;
}

bool IsArchived(std::string_view storage_class) {
  return storage_class == "GLACIER" || storage_class == "DEEP_ARCHIVE";
}

Result<std::string> ReadBody(BodySource* source) {
  std::string out;
  if (source == nullptr) return out;
  if (!source->Rewind()) return Status::Io("request body cannot be rewound");
  out.resize(source->Size());
  size_t have = 0;
  while (have < out.size()) {
    S3_ASSIGN_OR_RETURN(size_t got, source->Read(out.data() + have, std::min(kChunk, out.size() - have)));
    if (got == 0) return Status::Io("request body shorter than its declared size");
    have += got;
  }
  return out;
}

std::optional<ResolvedRange> ResolveRange(const std::optional<ByteRange>& range, uint64_t size) {
  if (!range) return ResolvedRange{0, size};
  if (range->offset >= size) return std::nullopt;
  const uint64_t available = size - range->offset;
  return ResolvedRange{range->offset, range->length ? std::min(*range->length, available) : available};
}

Status WriteToSink(std::string_view data, BodySink& sink) {
  while (!data.empty()) {
    const size_t n = std::min(kChunk, data.size());
    S3_RETURN_IF_ERROR(sink.Write(data.data(), n));
    data.remove_prefix(n);
  }
  return Status();
}

}  // namespace s3core::testing::s3_semantics

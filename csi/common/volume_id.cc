#include "csi/common/volume_id.h"

#include <openssl/sha.h>

#include <array>
#include <cctype>

#include "csi/common/validation.h"
#include "s3core/client/endpoint.h"

namespace s3csi {

using s3core::Result;
using s3core::Status;

namespace {

constexpr std::string_view kIdPrefix = "s3v1:";
constexpr size_t kMaxPrefixBytes = 512;

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Keeps characters `keep` accepts, turns the others into '-', trims '-' and '.' at both ends.
template <typename Keep>
std::string Sanitize(std::string_view name, Keep keep, bool lower) {
  std::string out;
  for (char c : name) {
    char d = lower ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
    out.push_back(keep(d) ? d : '-');
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  size_t start = 0;
  while (start < out.size() && (out[start] == '-' || out[start] == '.')) ++start;
  return out.substr(start);
}

std::string WithHash(std::string base, std::string_view original, size_t max_len) {
  const std::string hash = Sha256Hex(original).substr(0, 12);
  if (base.size() > max_len - hash.size() - 1) base.resize(max_len - hash.size() - 1);
  while (!base.empty() && (base.back() == '-' || base.back() == '.')) base.pop_back();
  return base.empty() ? "v-" + hash : base + "-" + hash;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

std::string BucketNameForVolume(std::string_view volume_name) {
  std::string base = Sanitize(
      volume_name, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }, true);
  // Collapse "--" runs would not break the rules, but "xn--" and "-s3alias" would: the hash
  // suffix and the validator below catch every such case.
  if (base == volume_name && base.size() <= 63 && s3core::ValidateBucketName(base).ok()) return base;
  std::string named = WithHash(std::move(base), volume_name, 63);
  if (named.size() < 3 || !s3core::ValidateBucketName(named).ok()) {
    named = "v-" + Sha256Hex(volume_name).substr(0, 12);
  }
  return named;
}

std::string PrefixSegmentForVolume(std::string_view volume_name) {
  std::string base = Sanitize(
      volume_name, [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; }, false);
  if (base == volume_name && !base.empty()) return base;
  return WithHash(std::move(base), volume_name, 100);
}

Result<std::string> NormalizePrefix(std::string_view raw) {
  if (raw.size() > kMaxPrefixBytes) return Status::InvalidArgument("prefix is longer than 512 bytes");
  S3_RETURN_IF_ERROR(CheckNoControlChars("prefix", raw));
  if (raw.find_first_of("\t\n\r") != std::string_view::npos) {
    return Status::InvalidArgument("prefix contains a tab or line break");
  }
  while (!raw.empty() && raw.front() == '/') raw.remove_prefix(1);
  while (!raw.empty() && raw.back() == '/') raw.remove_suffix(1);
  if (raw.empty()) return std::string();
  std::string out;
  size_t pos = 0;
  while (pos <= raw.size()) {
    size_t slash = raw.find('/', pos);
    if (slash == std::string_view::npos) slash = raw.size();
    const std::string_view segment = raw.substr(pos, slash - pos);
    if (segment.empty() || segment == "." || segment == "..") {
      return Status::InvalidArgument("prefix has an empty, '.' or '..' segment");
    }
    if (segment.find('\\') != std::string_view::npos) return Status::InvalidArgument("prefix has a backslash");
    out.append(segment).push_back('/');
    pos = slash + 1;
  }
  return out;
}

Result<BucketAndPrefix> ParseBucketPath(std::string_view handle) {
  const size_t slash = handle.find('/');
  BucketAndPrefix out;
  out.bucket = std::string(handle.substr(0, slash));
  S3_RETURN_IF_ERROR(s3core::ValidateBucketName(out.bucket));
  if (slash != std::string_view::npos) {
    S3_ASSIGN_OR_RETURN(out.prefix, NormalizePrefix(handle.substr(slash + 1)));
  }
  return out;
}

std::string VolumeId::Encode() const {
  std::string id(kIdPrefix);
  id.push_back(reclaim == ReclaimData::kDelete ? 'd' : 'r');
  id.push_back(bucket_per_volume ? 'b' : 'p');
  id.push_back(':');
  id += bucket;
  if (!prefix.empty()) id += "/" + prefix.substr(0, prefix.size() - 1);
  return id;
}

Result<VolumeId> VolumeId::Parse(std::string_view id) {
  if (id.substr(0, kIdPrefix.size()) != kIdPrefix) return Status::NotFound("not an s3csi volume id");
  if (id.size() > kMaxCsiStringBytes) return Status::InvalidArgument("volume id is longer than 128 bytes");
  std::string_view rest = id.substr(kIdPrefix.size());
  if (rest.size() < 4 || rest[2] != ':') return Status::InvalidArgument("malformed s3csi volume id");
  VolumeId out;
  switch (rest[0]) {
    case 'd': out.reclaim = ReclaimData::kDelete; break;
    case 'r': out.reclaim = ReclaimData::kRetain; break;
    default: return Status::InvalidArgument("malformed s3csi volume id: unknown reclaim flag");
  }
  switch (rest[1]) {
    case 'b': out.bucket_per_volume = true; break;
    case 'p': out.bucket_per_volume = false; break;
    default: return Status::InvalidArgument("malformed s3csi volume id: unknown layout flag");
  }
  auto path = ParseBucketPath(rest.substr(3));
  if (!path.ok()) return Status::InvalidArgument("malformed s3csi volume id: " + path.status().message());
  out.bucket = std::move(path->bucket);
  out.prefix = std::move(path->prefix);
  if (out.bucket_per_volume != out.prefix.empty()) {
    return Status::InvalidArgument("malformed s3csi volume id: layout does not match the path");
  }
  // One volume, one id: "bucket//a" or "bucket/a/" would name the same data under another id.
  if (out.Encode() != id) return Status::InvalidArgument("malformed s3csi volume id: not in canonical form");
  return out;
}

}  // namespace s3csi

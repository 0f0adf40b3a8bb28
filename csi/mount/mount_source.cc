#include "csi/mount/mount_source.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>

namespace s3csi {

namespace {

// Length-prefixed, so that ("ab","c") and ("a","bc") differ.
void Append(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out.push_back(':');
  out.append(field);
}

bool IsHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Characters that would be escaped in mountinfo, cut an option string, or confuse a log reader.
bool IsSafeVolumeIdChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7f && c != '\\' && c != ',';
}

}  // namespace

s3core::Status ValidateMountSpec(const MountSpec& spec) {
  using s3core::Status;
  if (spec.volume_id.empty()) return Status::InvalidArgument("volume id is empty");
  if (spec.volume_id.size() > kMaxVolumeIdLength) {
    return Status::InvalidArgument("volume id is longer than " + std::to_string(kMaxVolumeIdLength) + " bytes");
  }
  if (!std::all_of(spec.volume_id.begin(), spec.volume_id.end(), IsSafeVolumeIdChar)) {
    return Status::InvalidArgument("volume id contains a space, control character, ',' or '\\'");
  }
  if (spec.bucket.empty() || spec.bucket.size() > 255) return Status::InvalidArgument("bucket name is empty or too long");
  if (spec.bucket.find_first_of("/:, \t\n") != std::string::npos) {
    return Status::InvalidArgument("bucket name contains '/', ':', ',' or white space");
  }
  if (!spec.prefix.empty() && (spec.prefix.back() != '/' || spec.prefix.front() == '/')) {
    return Status::InvalidArgument("prefix must be empty or \"a/b/\" (no leading '/', trailing '/')");
  }
  for (const std::string& option : spec.options) {
    if (option.empty() || option.find_first_of(",\n") != std::string::npos) {
      return Status::InvalidArgument("an s3mount option is empty or contains ',' or a newline");
    }
  }
  return Status::Ok();
}

std::string Fingerprint(const MountSpec& spec) {
  std::string canonical = "s3csi-mount-v1;";
  Append(canonical, spec.volume_id);
  Append(canonical, spec.bucket);
  Append(canonical, spec.prefix);
  Append(canonical, spec.endpoint);
  Append(canonical, spec.region);
  Append(canonical, spec.read_only ? "ro" : "rw");
  canonical += std::to_string(spec.options.size()) + ";";
  for (const std::string& option : spec.options) Append(canonical, option);

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(canonical.data(), canonical.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (size_t i = 0; i < kFingerprintLength / 2; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

std::string MountSource(const std::string& volume_id, const std::string& fingerprint) {
  return std::string(kSourcePrefix) + volume_id + ":" + fingerprint;
}

std::optional<ParsedSource> ParseMountSource(std::string_view source) {
  if (source.substr(0, kSourcePrefix.size()) != kSourcePrefix) return std::nullopt;
  source.remove_prefix(kSourcePrefix.size());
  if (source.size() < kFingerprintLength + 2) return std::nullopt;  // at least "v:" + fingerprint
  const std::string_view fingerprint = source.substr(source.size() - kFingerprintLength);
  if (source[source.size() - kFingerprintLength - 1] != ':' || !IsHex(fingerprint)) return std::nullopt;
  return ParsedSource{std::string(source.substr(0, source.size() - kFingerprintLength - 1)), std::string(fingerprint)};
}

}  // namespace s3csi

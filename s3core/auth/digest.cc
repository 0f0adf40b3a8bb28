#include "s3core/auth/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>

#include "s3core/auth/sigv4.h"

namespace s3core {
namespace auth_internal {
namespace {

const unsigned char* Bytes(std::string_view s) {
  // OpenSSL takes unsigned bytes; char and unsigned char may alias.
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string Sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) return {};
  return std::string(reinterpret_cast<const char*>(digest), len);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(data), data.size(), mac, &len) ==
      nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(mac), len);
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0x0f];
  }
  return out;
}

}  // namespace auth_internal

std::string Sha256Hex(std::string_view data) { return auth_internal::HexEncode(auth_internal::Sha256(data)); }

Result<std::string> Sha256Hex(BodySource& body) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return Status::Internal("SHA-256 init failed");
  if (!body.Rewind()) return Status::Io("request body cannot be rewound");
  std::string chunk(size_t{1} << 16, '\0');
  for (;;) {
    S3_ASSIGN_OR_RETURN(size_t n, body.Read(chunk.data(), chunk.size()));
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), chunk.data(), n);
  }
  if (!body.Rewind()) return Status::Io("request body cannot be rewound");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) return Status::Internal("SHA-256 final failed");
  return auth_internal::HexEncode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string DeriveSigningKey(std::string_view secret_access_key, std::string_view date, std::string_view region,
                             std::string_view service) {
  using auth_internal::HmacSha256;
  std::string k_secret = "AWS4";
  k_secret.append(secret_access_key);
  const std::string k_date = HmacSha256(k_secret, date);
  OPENSSL_cleanse(k_secret.data(), k_secret.size());  // one copy of the secret fewer in freed memory
  const std::string k_region = HmacSha256(k_date, region);
  const std::string k_service = HmacSha256(k_region, service);
  return HmacSha256(k_service, "aws4_request");
}

std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign) {
  return auth_internal::HexEncode(auth_internal::HmacSha256(signing_key, string_to_sign));
}

}  // namespace s3core

// SHA-256 and HMAC-SHA256 over OpenSSL, for the SigV4 code in this folder.
#pragma once

#include <string>
#include <string_view>

namespace s3core::auth_internal {

// Raw 32-byte digests. OpenSSL only fails these on allocation failure; the result is then empty,
// which yields a signature the server rejects (403) rather than a crash.
std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);

// Lower-case hex of raw bytes.
std::string HexEncode(std::string_view bytes);

}  // namespace s3core::auth_internal

// AWS Signature Version 4: header signing and presigned URLs.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "s3core/auth/credentials.h"

namespace s3core {

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The parts of a request that SigV4 covers.
struct SignableRequest {
  std::string method;
  std::string host;            // value of the Host header (with :port when not default)
  std::string encoded_path;    // the path exactly as sent, already URI-encoded ("/bucket/a%20b")
  std::vector<std::pair<std::string, std::string>> query;    // decoded names and values
  std::vector<std::pair<std::string, std::string>> headers;  // headers to sign and send
};

struct SigningParams {
  std::string region;
  std::string service = "s3";
  std::chrono::system_clock::time_point now;
  // Hex SHA-256 of the payload, or kUnsignedPayload.
  std::string payload_hash = std::string(kUnsignedPayload);
};

// Hex lower-case SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// RFC 3986 encoding as SigV4 wants it: unreserved characters kept, the rest %XX (upper hex).
// With encode_slash=false a '/' is kept (for object key paths).
std::string UriEncode(std::string_view in, bool encode_slash);

// Adds x-amz-date, x-amz-content-sha256, x-amz-security-token (if any) and Authorization to
// request.headers. Anonymous credentials leave the request unsigned.
void SignRequest(SignableRequest& request, const Credentials& credentials, const SigningParams& params);

// The canonical request and string-to-sign, exposed for the test-suite vectors.
std::string CanonicalRequest(const SignableRequest& request, const std::string& signed_headers,
                             const std::string& payload_hash);
std::string StringToSign(const std::string& canonical_request, const SigningParams& params);

// Query-string auth: returns the query parameters (X-Amz-Algorithm ... X-Amz-Signature) to append
// to the request's URL, valid for `expires` (at most 7 days).
std::vector<std::pair<std::string, std::string>> PresignQuery(const SignableRequest& request,
                                                              const Credentials& credentials,
                                                              const SigningParams& params,
                                                              std::chrono::seconds expires);

}  // namespace s3core

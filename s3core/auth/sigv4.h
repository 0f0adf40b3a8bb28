// AWS Signature Version 4: header signing and presigned URLs.
//
// The free functions here are stateless and thread-safe. SigV4Signer (sigv4_signer.h) adds a
// cache of derived signing keys on top of them.
//
// Which headers are signed: `host` always, and every header in SignableRequest::headers except
// the ones a proxy or the transport may add, drop or rewrite on the way (see IsUnsignedHeader).
// This is the rule botocore and the AWS SDK for Java v2 follow: a deny-list rather than an
// allow-list, so that every header with meaning to S3 (x-amz-*, content-type, content-md5,
// range, if-*, cache-control, content-disposition, ...) is covered and cannot be altered in
// transit, while hop-by-hop headers cannot break the signature. Headers that must not be signed
// at all (user-agent) are best added after signing; SignRequest leaves them alone either way.
//
// S3 specifics: the path is neither normalized nor encoded a second time (encoded_path is the
// canonical URI as given), and presigned URLs always use UNSIGNED-PAYLOAD.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "s3core/auth/credentials.h"
#include "s3core/body.h"

namespace s3core {

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
// Longest lifetime S3 accepts for a presigned URL (7 days).
inline constexpr std::chrono::seconds kMaxPresignExpiry{604800};

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
  // Hex SHA-256 of the payload, or kUnsignedPayload. Empty is taken as kUnsignedPayload.
  std::string payload_hash = std::string(kUnsignedPayload);
  // S3 wants the payload hash repeated in an x-amz-content-sha256 header; other services (and
  // the generic aws-sig-v4-test-suite) do not use that header.
  bool add_content_sha256_header = true;
};

// Hex lower-case SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// Hex SHA-256 of a whole body, read in 64 KiB chunks (the body is rewound before and after),
// for signed payloads of streamed bodies.
Result<std::string> Sha256Hex(BodySource& body);
// RFC 3986 encoding as SigV4 wants it: unreserved characters kept, the rest %XX (upper hex).
// With encode_slash=false a '/' is kept (for object key paths).
std::string UriEncode(std::string_view in, bool encode_slash);

// Adds x-amz-date, x-amz-content-sha256, x-amz-security-token (if any) and Authorization to
// request.headers. Anonymous credentials leave the request unsigned.
// Those four headers belong to the signer: any copies already in request.headers are replaced,
// so signing the same request again (a retry with fresh credentials) does not duplicate them.
void SignRequest(SignableRequest& request, const Credentials& credentials, const SigningParams& params);

// The canonical request and string-to-sign, exposed for the test-suite vectors.
// `signed_headers` is the ';'-separated lower-case list (as SignedHeaderNames returns it);
// values of repeated headers are joined with ',' in the order given.
std::string CanonicalRequest(const SignableRequest& request, const std::string& signed_headers,
                             const std::string& payload_hash);
std::string StringToSign(const std::string& canonical_request, const SigningParams& params);

// Query-string auth: returns the query parameters (X-Amz-Algorithm ... X-Amz-Signature) to append
// to the request's URL, valid for `expires` (at most 7 days).
// Names and values are decoded; encode them with UriEncode(..., true) like any other parameter.
// `expires` is clamped to [1 s, kMaxPresignExpiry]; callers that want an error instead check it
// first. params.payload_hash is not used: S3 presigned URLs sign UNSIGNED-PAYLOAD. The signed
// headers are host plus request.headers (they must be sent with the URL). Anonymous credentials
// give an empty list (the URL stays unsigned). request.query must not already hold X-Amz-* auth
// parameters.
std::vector<std::pair<std::string, std::string>> PresignQuery(const SignableRequest& request,
                                                              const Credentials& credentials,
                                                              const SigningParams& params,
                                                              std::chrono::seconds expires);

// ---- Lower-level pieces, for SigV4Signer and tests ----

// Whether a header (any case) is left out of the signature: hop-by-hop and proxy-managed headers
// (connection, expect, keep-alive, proxy-*, te, trailer, transfer-encoding, upgrade, via),
// user-agent, x-amzn-trace-id, x-forwarded-*, authorization, and host (signed from request.host).
bool IsUnsignedHeader(std::string_view name);

// host plus the request's signable header names: lower-case, sorted, unique, ';'-separated.
std::string SignedHeaderNames(const SignableRequest& request);

// "20130524T000000Z" and "20130524" (UTC).
std::string AmzDate(std::chrono::system_clock::time_point t);
std::string AmzDateStamp(std::chrono::system_clock::time_point t);
// "20130524/us-east-1/s3/aws4_request".
std::string CredentialScope(const SigningParams& params);

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"),
// 32 raw bytes. `date` is the yyyymmdd stamp.
std::string DeriveSigningKey(std::string_view secret_access_key, std::string_view date,
                             std::string_view region, std::string_view service);
// Hex HMAC-SHA256 of the string-to-sign under a derived key.
std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign);

// SignRequest / PresignQuery with a signing key the caller already derived (for params' date,
// region and service, and credentials' secret). SigV4Signer uses these with its cache.
void SignRequestWithKey(SignableRequest& request, const Credentials& credentials,
                        const SigningParams& params, std::string_view signing_key);
std::vector<std::pair<std::string, std::string>> PresignQueryWithKey(const SignableRequest& request,
                                                                     const Credentials& credentials,
                                                                     const SigningParams& params,
                                                                     std::chrono::seconds expires,
                                                                     std::string_view signing_key);

}  // namespace s3core

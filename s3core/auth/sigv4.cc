#include "s3core/auth/sigv4.h"

#include <time.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <map>

#include "s3core/auth/digest.h"

namespace s3core {
namespace {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

char LowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return LowerChar(c); });
  return out;
}

bool IsHeaderSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// SigV4 "Trimall": no leading or trailing white space, inner runs collapsed to one space.
// Quoted strings get no exception (get-header-value-trim: "a   b   c" -> "a b c").
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (IsHeaderSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// Lower-case name -> canonical value, repeated headers joined with ',' in the order given.
// `host` comes from request.host; a Host entry among the headers is ignored.
std::map<std::string, std::string> CanonicalHeaderMap(const SignableRequest& request) {
  std::map<std::string, std::string> headers;
  headers["host"] = CanonicalHeaderValue(request.host);
  for (const auto& [name, value] : request.headers) {
    std::string lower = AsciiLower(name);
    if (lower == "host") continue;
    auto [it, inserted] = headers.try_emplace(std::move(lower), CanonicalHeaderValue(value));
    if (!inserted) {
      it->second += ',';
      it->second += CanonicalHeaderValue(value);
    }
  }
  return headers;
}

// Sorted by encoded name, then encoded value (byte order), as SigV4 requires.
std::string CanonicalQuery(const QueryParams& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) encoded.emplace_back(UriEncode(name, true), UriEncode(value, true));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::vector<std::string_view> SplitSemicolons(std::string_view list) {
  std::vector<std::string_view> parts;
  while (!list.empty()) {
    const size_t pos = list.find(';');
    std::string_view part = list.substr(0, pos);
    if (!part.empty()) parts.push_back(part);
    if (pos == std::string_view::npos) break;
    list.remove_prefix(pos + 1);
  }
  return parts;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return LowerChar(x) == LowerChar(y); });
}

// Drops every header whose name (any case) is `name`.
void RemoveHeader(std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  std::erase_if(headers, [&](const auto& header) { return EqualsIgnoreCase(header.first, name); });
}

std::tm UtcTm(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm;
}

std::string PayloadHashOrUnsigned(const SigningParams& params) {
  return params.payload_hash.empty() ? std::string(kUnsignedPayload) : params.payload_hash;
}

std::string SigningKeyFor(const Credentials& credentials, const SigningParams& params) {
  return DeriveSigningKey(credentials.secret_access_key, AmzDateStamp(params.now), params.region, params.service);
}

}  // namespace

std::string UriEncode(std::string_view in, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved || (c == '/' && !encode_slash)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0f];
    }
  }
  return out;
}

bool IsUnsignedHeader(std::string_view name) {
  // Hop-by-hop and proxy-managed headers, plus ones that are never part of what S3 checks.
  static constexpr std::array<std::string_view, 14> kUnsigned = {
      "authorization",    "connection", "expect",  "host",
      "keep-alive",       "proxy-authorization", "proxy-connection", "te",
      "trailer",          "transfer-encoding", "upgrade", "user-agent",
      "via",              "x-amzn-trace-id",
  };
  const std::string lower = AsciiLower(name);
  if (lower.starts_with("x-forwarded-")) return true;
  return std::find(kUnsigned.begin(), kUnsigned.end(), lower) != kUnsigned.end();
}

std::string SignedHeaderNames(const SignableRequest& request) {
  std::vector<std::string> names = {"host"};
  for (const auto& header : request.headers) {
    if (!IsUnsignedHeader(header.first)) names.push_back(AsciiLower(header.first));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ';';
    out += name;
  }
  return out;
}

// strftime with literal formats, so that -Wformat-nonliteral can check them.
std::string AmzDate(std::chrono::system_clock::time_point t) {
  const std::tm tm = UtcTm(t);
  std::array<char, 32> buf{};
  return std::string(buf.data(), std::strftime(buf.data(), buf.size(), "%Y%m%dT%H%M%SZ", &tm));
}

std::string AmzDateStamp(std::chrono::system_clock::time_point t) {
  const std::tm tm = UtcTm(t);
  std::array<char, 16> buf{};
  return std::string(buf.data(), std::strftime(buf.data(), buf.size(), "%Y%m%d", &tm));
}

std::string CredentialScope(const SigningParams& params) {
  return AmzDateStamp(params.now) + "/" + params.region + "/" + params.service + "/aws4_request";
}

std::string CanonicalRequest(const SignableRequest& request, const std::string& signed_headers,
                             const std::string& payload_hash) {
  const auto headers = CanonicalHeaderMap(request);
  std::string out = request.method;
  out += '\n';
  // S3: the path as sent, neither normalized nor encoded again.
  out += request.encoded_path.empty() ? "/" : request.encoded_path;
  out += '\n';
  out += CanonicalQuery(request.query);
  out += '\n';
  for (std::string_view name : SplitSemicolons(signed_headers)) {
    out += name;
    out += ':';
    if (auto it = headers.find(std::string(name)); it != headers.end()) out += it->second;
    out += '\n';
  }
  out += '\n';
  out += signed_headers;
  out += '\n';
  out += payload_hash;
  return out;
}

std::string StringToSign(const std::string& canonical_request, const SigningParams& params) {
  std::string out(kSigV4Algorithm);
  out += '\n';
  out += AmzDate(params.now);
  out += '\n';
  out += CredentialScope(params);
  out += '\n';
  out += Sha256Hex(canonical_request);
  return out;
}

void SignRequestWithKey(SignableRequest& request, const Credentials& credentials, const SigningParams& params,
                        std::string_view signing_key) {
  if (credentials.anonymous()) return;
  const std::string payload_hash = PayloadHashOrUnsigned(params);

  RemoveHeader(request.headers, "authorization");
  RemoveHeader(request.headers, "x-amz-date");
  RemoveHeader(request.headers, "x-amz-security-token");
  request.headers.emplace_back("x-amz-date", AmzDate(params.now));
  if (params.add_content_sha256_header) {
    RemoveHeader(request.headers, "x-amz-content-sha256");
    request.headers.emplace_back("x-amz-content-sha256", payload_hash);
  }
  // Signed like any other header: S3 requires the token to be covered by the signature.
  if (!credentials.session_token.empty()) request.headers.emplace_back("x-amz-security-token", credentials.session_token);

  const std::string signed_headers = SignedHeaderNames(request);
  const std::string string_to_sign = StringToSign(CanonicalRequest(request, signed_headers, payload_hash), params);
  std::string authorization(kSigV4Algorithm);
  authorization += " Credential=" + credentials.access_key_id + "/" + CredentialScope(params);
  authorization += ", SignedHeaders=" + signed_headers;
  authorization += ", Signature=" + SignatureHex(signing_key, string_to_sign);
  request.headers.emplace_back("authorization", std::move(authorization));
}

void SignRequest(SignableRequest& request, const Credentials& credentials, const SigningParams& params) {
  if (credentials.anonymous()) return;
  SignRequestWithKey(request, credentials, params, SigningKeyFor(credentials, params));
}

std::vector<std::pair<std::string, std::string>> PresignQueryWithKey(const SignableRequest& request,
                                                                     const Credentials& credentials,
                                                                     const SigningParams& params,
                                                                     std::chrono::seconds expires,
                                                                     std::string_view signing_key) {
  if (credentials.anonymous()) return {};
  expires = std::clamp(expires, std::chrono::seconds(1), kMaxPresignExpiry);
  const std::string signed_headers = SignedHeaderNames(request);

  QueryParams auth = {
      {"X-Amz-Algorithm", std::string(kSigV4Algorithm)},
      {"X-Amz-Credential", credentials.access_key_id + "/" + CredentialScope(params)},
      {"X-Amz-Date", AmzDate(params.now)},
      {"X-Amz-Expires", std::to_string(expires.count())},
  };
  if (!credentials.session_token.empty()) auth.emplace_back("X-Amz-Security-Token", credentials.session_token);
  auth.emplace_back("X-Amz-SignedHeaders", signed_headers);

  // Every auth parameter but the signature itself is part of the signed query.
  SignableRequest signed_request = request;
  signed_request.query.insert(signed_request.query.end(), auth.begin(), auth.end());
  const std::string string_to_sign =
      StringToSign(CanonicalRequest(signed_request, signed_headers, std::string(kUnsignedPayload)), params);
  auth.emplace_back("X-Amz-Signature", SignatureHex(signing_key, string_to_sign));
  return auth;
}

std::vector<std::pair<std::string, std::string>> PresignQuery(const SignableRequest& request,
                                                              const Credentials& credentials,
                                                              const SigningParams& params,
                                                              std::chrono::seconds expires) {
  if (credentials.anonymous()) return {};
  return PresignQueryWithKey(request, credentials, params, expires, SigningKeyFor(credentials, params));
}

}  // namespace s3core

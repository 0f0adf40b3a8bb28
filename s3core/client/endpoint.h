// Where requests go: endpoint URL parsing, bucket-name rules, and path- vs virtual-host-style
// addressing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "s3core/status.h"

namespace s3core {

enum class AddressingStyle {
  kAuto,         // virtual-host for *.amazonaws.com when the bucket name allows it, else path
  kPath,         // http://host/bucket/key
  kVirtualHost,  // http://bucket.host/key
};

struct Endpoint {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower-case host name or IP literal (IPv6 in brackets)
  uint16_t port = 0;   // 0 = the scheme's default
  std::string base_path;  // "" or a path prefix without a trailing slash ("/s3")

  // "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:7480", "minio.local:9000" (scheme
  // defaults to https). Refuses user info, queries, fragments, bad ports, empty hosts.
  static Result<Endpoint> Parse(std::string_view url);
  // The AWS endpoint of a region ("https://s3.us-east-1.amazonaws.com").
  static Endpoint ForAwsRegion(const std::string& region);

  bool IsAws() const;
  // host[:port] as the Host header and URL carry it (port omitted when it is the default).
  std::string Authority() const;
  std::string ToString() const;
};

// S3 bucket naming rules (3-63 chars, lower-case letters, digits, '.', '-', starting and ending
// with a letter or digit, not an IP address, no "..", no "xn--" prefix, no "-s3alias" suffix).
// Returns a message saying which rule was broken.
Status ValidateBucketName(std::string_view bucket);
// Object keys: 1..1024 bytes of UTF-8.
Status ValidateObjectKey(std::string_view key);

// A resolved request target: what goes in the URL and the Host header, and what SigV4 signs.
struct RequestTarget {
  std::string host;          // Host header value
  std::string encoded_path;  // "/bucket/some%20key" (path-style) or "/some%20key"
  std::string url_prefix;    // "scheme://host" (the URL is url_prefix + encoded_path + query)
};

// Builds the target for a bucket and key (either may be empty: ListBuckets has neither).
RequestTarget ResolveTarget(const Endpoint& endpoint, AddressingStyle style, std::string_view bucket,
                            std::string_view key);

// The query string for `query` (names and values percent-encoded; a valueless name like
// "uploads" is written bare), with a leading '?' unless empty.
std::string EncodeQuery(const std::vector<std::pair<std::string, std::string>>& query);

}  // namespace s3core

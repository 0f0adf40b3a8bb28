// The HTTP seam of s3core: one request/response exchange, no S3 knowledge.
//
// CurlHttpClient (curl_http_client.h) is the real one; tests substitute fakes. An HttpClient is
// safe to call from many threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "s3core/body.h"
#include "s3core/status.h"

namespace s3core {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // GET, PUT, POST, HEAD, DELETE
  std::string url;     // absolute, already percent-encoded
  Headers headers;     // sent as given (Host is derived from the URL by libcurl)
  BodySource* body = nullptr;  // borrowed; nullptr for no body
};

struct HttpResponse {
  int status = 0;
  Headers headers;     // names lower-cased
  std::string body;    // the body when no sink was given, or when the status is not 2xx

  // First header with this lower-case name, or empty.
  const std::string& Header(const std::string& lower_name) const;
  bool HasHeader(const std::string& lower_name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Performs one attempt (no retries here). A 2xx body goes to `sink` when it is given; any
  // other body is collected in response.body (bounded) so the caller can parse the error.
  // A transport failure returns a Status of kind kNetwork or kTimeout.
  virtual Result<HttpResponse> Send(const HttpRequest& request, BodySink* sink) = 0;
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  // Whole request limit; 0 = none (large transfers are bounded by the low-speed limit instead).
  std::chrono::milliseconds request_timeout{0};
  // A transfer slower than low_speed_bytes per second for low_speed_time fails with kTimeout.
  long low_speed_bytes = 1;
  std::chrono::seconds low_speed_time{30};
  bool verify_tls = true;
  std::string ca_bundle;  // path to a PEM bundle; empty = system default
  int max_connections = 64;  // total kept-alive connections in the pool
  bool tcp_nodelay = true;
};

}  // namespace s3core

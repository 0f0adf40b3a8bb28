// Test helper: GET http://127.0.0.1:PORT/metrics with s3core's own HTTP client.
#pragma once

#include <string>

#include "s3core/http/curl_http_client.h"

namespace s3core::metrics::testing {

inline Result<std::string> Scrape(int port) {
  HttpClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(2000);
  options.request_timeout = std::chrono::milliseconds(5000);
  CurlHttpClient http(options);
  HttpRequest request;
  request.method = "GET";
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/metrics";
  std::string body;
  StringSink sink(&body);
  S3_ASSIGN_OR_RETURN(HttpResponse response, http.Send(request, &sink));
  if (response.status != 200) return Status::Io("HTTP " + std::to_string(response.status));
  return body;
}

}  // namespace s3core::metrics::testing

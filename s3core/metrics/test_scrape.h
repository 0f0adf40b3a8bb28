// Test helpers: a free loopback port to serve metrics on, and GET http://127.0.0.1:PORT/metrics
// with s3core's own HTTP client.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "s3core/http/curl_http_client.h"

namespace s3core::metrics::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (0 if none could be found).
inline int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

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

// CurlHttpClient: the real HttpClient, on libcurl's easy interface.
//
// One Send() is one blocking transfer on the calling thread. Many threads may call Send() at
// once: each transfer checks an easy handle out of a pool and returns it afterwards, so its
// kept-alive connection serves a later request; DNS answers and TLS sessions are shared by all
// handles (see curl_handle_pool.h for why connections themselves are not).
//
// Bodies stream: the request body is pulled from the BodySource by libcurl's read callback, a
// 2xx response body is pushed into the caller's BodySink as it arrives. Nothing buffers a whole
// object except when the caller passes no sink.
#pragma once

#include <cstddef>
#include <memory>

#include "s3core/http/http_client.h"

namespace s3core {

namespace http_internal {
class CurlShare;
class CurlHandlePool;
}  // namespace http_internal

class CurlHttpClient final : public HttpClient {
 public:
  // Bytes of a non-2xx body kept in HttpResponse::body (enough for any S3 error document); the
  // rest is read and dropped so that the connection stays usable.
  static constexpr size_t kMaxErrorBodyBytes = size_t{1} << 20;
  // Bytes of a 2xx body collected into HttpResponse::body when no sink is given (listings,
  // small XML answers). A larger body fails the request with kUnexpectedResponse rather than
  // being silently cut: pass a sink for object data.
  static constexpr size_t kMaxUnsunkBodyBytes = size_t{64} << 20;
  // libcurl's receive buffer, and its upload buffer (libcurl caps the latter at 2 MiB): larger
  // than the 16/64 KiB defaults so that a fast link moves fewer, bigger chunks per callback.
  static constexpr long kReceiveBufferBytes = 256L * 1024;
  static constexpr long kUploadBufferBytes = 1024L * 1024;

  explicit CurlHttpClient(HttpClientOptions options = {});
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request, BodySink* sink) override;

  const HttpClientOptions& options() const { return options_; }
  // Easy handles (each holding at most one kept-alive connection) waiting in the pool.
  size_t idle_handles() const;

 private:
  HttpClientOptions options_;
  Status init_status_;
  // Declared in this order so that the pool (whose handles use the share) is destroyed first.
  std::unique_ptr<http_internal::CurlShare> share_;
  std::unique_ptr<http_internal::CurlHandlePool> pool_;
};

}  // namespace s3core

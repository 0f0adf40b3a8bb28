// A small HTTP/1.1 server on 127.0.0.1 for tests of anything that speaks HTTP (the curl client,
// the S3 client against scripted answers).
//
// It listens on an ephemeral port as soon as it is constructed, serves each connection on its
// own thread with keep-alive, records every request it reads, and answers from a handler that
// can also misbehave on purpose: close or reset the connection instead of answering, answer
// late, or cut a body short. Every wait is bounded, and Stop() (or the destructor) ends all
// threads within a fraction of a second.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "s3core/http/http_client.h"
#include "s3core/status.h"

namespace s3core::testing {

struct TestRequest {
  std::string method;
  std::string target;   // as sent: path and query
  Headers headers;      // names lower-cased, values trimmed, in arrival order
  std::string body;     // Content-Length or chunked body, decoded
  uint64_t connection_id = 0;  // 1 for the first accepted connection, 2 for the next, ...

  // First header with this lower-case name, or empty.
  const std::string& Header(const std::string& lower_name) const;
  bool HasHeader(const std::string& lower_name) const;
};

struct TestResponse {
  enum class Fault {
    kNone,
    kCloseWithoutResponse,  // read the request, then close the connection (FIN), no answer
    kResetWithoutResponse,  // read the request, then reset the connection (RST), no answer
    kTruncateBody,          // full Content-Length, only `truncate_at` body bytes, then FIN
    kResetMidBody,          // full Content-Length, only `truncate_at` body bytes, then RST
  };

  int status = 200;
  Headers headers;    // sent as given; Content-Length is added unless present
  std::string body;   // not sent for HEAD, 204 and 304 (Content-Length still tells its size)
  std::chrono::milliseconds delay{0};  // wait this long before answering
  Fault fault = Fault::kNone;
  size_t truncate_at = 0;   // for the truncating faults
  bool close_after = false;  // answer with "Connection: close", then close

  static TestResponse Ok(std::string body = {}) {
    TestResponse r;
    r.body = std::move(body);
    return r;
  }
  static TestResponse WithStatus(int status, std::string body = {}) {
    TestResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
};

struct TestHttpServerOptions {
  // A connection with no request for this long is closed by the server.
  std::chrono::milliseconds idle_timeout{10'000};
  // Largest accepted request header block and body; larger requests get a 413 and a close.
  size_t max_header_bytes = 64 * 1024;
  size_t max_body_bytes = size_t{256} << 20;
  // Whether TestRequest::body is kept in requests() (large upload tests may not want it).
  bool record_bodies = true;
};

class TestHttpServer {
 public:
  // Called on the connection's thread, possibly on several threads at once.
  using Handler = std::function<TestResponse(const TestRequest&)>;

  explicit TestHttpServer(Handler handler, TestHttpServerOptions options = {});
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  // OK once listening; the reason otherwise (then port() is 0).
  const s3core::Status& status() const { return status_; }
  uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>" followed by `target`.
  std::string Url(std::string_view target = "/") const;

  // Stops accepting, closes every connection and joins every thread. Idempotent.
  void Stop();

  std::vector<TestRequest> requests() const;
  size_t request_count() const;
  // Connections accepted so far (keep-alive reuse shows as fewer connections than requests).
  size_t connection_count() const { return connections_accepted_.load(); }

 private:
  struct Connection {
    int fd = -1;  // guarded by TestHttpServer::mu_; -1 once closed
    uint64_t id = 0;
    std::thread thread;
    std::atomic<bool> done{false};
  };

  void AcceptLoop();
  void Serve(Connection* conn);
  void CloseConnection(Connection* conn, bool reset);
  void ReapFinished();
  bool SleepUnlessStopping(std::chrono::milliseconds delay) const;

  Handler handler_;
  TestHttpServerOptions options_;
  s3core::Status status_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> connections_accepted_{0};
  std::thread accept_thread_;

  mutable std::mutex mu_;
  std::list<std::unique_ptr<Connection>> connections_;  // guarded by mu_
  std::vector<TestRequest> requests_;                   // guarded by mu_
};

// A port on 127.0.0.1 where nothing listens, for "connection refused" tests. The port stays
// bound (without listen) while this object lives, so no other socket can take it meanwhile.
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;

  uint16_t port() const { return port_; }  // 0 if no port could be bound

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace s3core::testing

// The test server itself, driven over raw sockets: framing the client library never produces
// (chunked bodies, Expect: 100-continue, pipelining, HTTP/1.0) and bounded shutdown.
#include "s3core/http/testing/test_http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace s3core::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A blocking client socket with a receive timeout, for speaking raw HTTP to the server.
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Send(const std::string& data) { ASSERT_EQ(::send(fd_, data.data(), data.size(), MSG_NOSIGNAL), static_cast<ssize_t>(data.size())); }
  // Reads until `needle` has arrived (or EOF / timeout) and returns everything read so far.
  std::string ReadUntil(const std::string& needle) {
    while (buf_.find(needle) == std::string::npos) {
      char chunk[4096];
      const ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (got <= 0) break;
      buf_.append(chunk, static_cast<size_t>(got));
    }
    return buf_;
  }
  bool ClosedByPeer() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

TEST(TestHttpServerTest, DecodesChunkedBodyAndAnswersExpectContinue) {
  TestHttpServer server([](const TestRequest& r) { return TestResponse::Ok("got " + r.body); });
  ASSERT_TRUE(server.status().ok());
  RawClient client(server.port());
  ASSERT_TRUE(client.connected());
  client.Send("PUT /k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_NE(client.ReadUntil("100 Continue\r\n\r\n").find("HTTP/1.1 100 Continue"), std::string::npos);
  client.Send("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
  const std::string answer = client.ReadUntil("got hello, world");
  EXPECT_NE(answer.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Content-Length: 16\r\n"), std::string::npos) << answer;
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].target, "/k");
  EXPECT_EQ(reqs[0].body, "hello, world");
  EXPECT_EQ(reqs[0].Header("host"), "x");
}

TEST(TestHttpServerTest, PipelinedRequestsShareTheConnection) {
  TestHttpServer server([](const TestRequest& r) { return TestResponse::Ok(r.target); });
  RawClient client(server.port());
  client.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyzGET /c HTTP/1.1\r\n\r\n");
  const std::string answers = client.ReadUntil("/c");
  EXPECT_NE(answers.find("/a"), std::string::npos);
  EXPECT_NE(answers.find("/b"), std::string::npos);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[1].body, "xyz");
  EXPECT_EQ(server.connection_count(), 1u);
}

TEST(TestHttpServerTest, Http10AndConnectionCloseEndTheConnection) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::Ok("bye"); });
  for (const char* request : {"GET / HTTP/1.0\r\n\r\n", "GET / HTTP/1.1\r\nConnection: close\r\n\r\n"}) {
    RawClient client(server.port());
    client.Send(request);
    const std::string answer = client.ReadUntil("bye");
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
    EXPECT_TRUE(client.ClosedByPeer());
  }
}

TEST(TestHttpServerTest, MalformedRequestGets400) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::Ok(); });
  RawClient client(server.port());
  client.Send(std::string("\x16\x03\x01 not http", 13));
  EXPECT_NE(client.ReadUntil("\r\n\r\n").find("HTTP/1.1 400"), std::string::npos);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(TestHttpServerTest, StopIsQuickEvenWithIdleAndDelayedConnections) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r = TestResponse::Ok();
    r.delay = std::chrono::milliseconds(60'000);
    return r;
  });
  RawClient idle(server.port());
  RawClient waiting(server.port());
  waiting.Send("GET / HTTP/1.1\r\n\r\n");
  while (server.request_count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto start = Clock::now();
  server.Stop();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(server.connection_count(), 2u);
  EXPECT_TRUE(waiting.ClosedByPeer());
  server.Stop();  // idempotent
}

}  // namespace
}  // namespace s3core::testing

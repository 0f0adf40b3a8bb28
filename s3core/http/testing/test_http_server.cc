#include "s3core/http/testing/test_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

namespace s3core::testing {

namespace {

using Clock = std::chrono::steady_clock;
// How often blocked waits look at the stop flag: bounds how long Stop() takes.
constexpr std::chrono::milliseconds kTick{20};
constexpr std::chrono::seconds kSendTimeout{5};
constexpr std::string_view kCrlf = "\r\n";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 416: return "Range Not Satisfiable";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

// Reads and writes one connection's socket; every wait is bounded and watches the stop flag.
class SocketIo {
 public:
  SocketIo(int fd, const std::atomic<bool>& stopping, std::chrono::milliseconds idle_timeout)
      : fd_(fd), stopping_(stopping), idle_timeout_(idle_timeout) {}

  std::string& buffer() { return in_; }

  // Appends what the peer sent next. False on end of stream, error, stop or idle timeout.
  bool ReceiveMore() {
    const auto deadline = Clock::now() + idle_timeout_;
    while (!stopping_.load() && Clock::now() < deadline) {
      pollfd pfd{fd_, POLLIN, 0};
      const int ready = ::poll(&pfd, 1, static_cast<int>(kTick.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) return false;
      if (ready == 0) continue;
      char chunk[64 * 1024];
      const ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      in_.append(chunk, static_cast<size_t>(got));
      return true;
    }
    return false;
  }

  // Waits until the buffer holds `n` bytes.
  bool ReceiveAtLeast(size_t n) {
    while (in_.size() < n) {
      if (!ReceiveMore()) return false;
    }
    return true;
  }

  // Waits until the buffer holds `delimiter`; returns its offset, or npos past `limit` bytes.
  size_t ReceiveUntil(std::string_view delimiter, size_t limit) {
    size_t at;
    while ((at = in_.find(delimiter)) == std::string::npos) {
      if (in_.size() > limit || !ReceiveMore()) return std::string::npos;
    }
    return at;
  }

  std::string Take(size_t n) {
    std::string out = in_.substr(0, n);
    in_.erase(0, n);
    return out;
  }

  bool SendAll(std::string_view data) {
    while (!data.empty()) {
      if (stopping_.load()) return false;
      const ssize_t put = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) return false;  // includes the SO_SNDTIMEO timeout
      data.remove_prefix(static_cast<size_t>(put));
    }
    return true;
  }

 private:
  int fd_;
  const std::atomic<bool>& stopping_;
  std::chrono::milliseconds idle_timeout_;
  std::string in_;
};

// Parses "METHOD target HTTP/1.x" and the header lines. False if malformed.
bool ParseHead(std::string_view head, TestRequest* req, bool* http10) {
  size_t eol = head.find(kCrlf);
  std::string_view line = head.substr(0, eol);
  const size_t sp1 = line.find(' ');
  const size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return false;
  req->method = std::string(line.substr(0, sp1));
  req->target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  const std::string_view version = line.substr(sp2 + 1);
  if (!version.starts_with("HTTP/1.")) return false;
  *http10 = version == "HTTP/1.0";
  while (eol != std::string_view::npos) {
    head.remove_prefix(eol + kCrlf.size());
    eol = head.find(kCrlf);
    line = head.substr(0, eol);
    if (line.empty()) continue;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    req->headers.emplace_back(Lower(Trim(line.substr(0, colon))), std::string(Trim(line.substr(colon + 1))));
  }
  return true;
}

// Reads a chunked body (RFC 9112 7.1) into `out`; trailers are read and dropped.
bool ReadChunkedBody(SocketIo& io, size_t max_bytes, std::string* out) {
  for (;;) {
    const size_t eol = io.ReceiveUntil(kCrlf, 1024);
    if (eol == std::string::npos) return false;
    std::string size_line = io.Take(eol + kCrlf.size());
    size_t size = 0;
    const char* begin = size_line.data();
    auto [ptr, ec] = std::from_chars(begin, begin + eol, size, 16);
    if (ec != std::errc() || ptr == begin) return false;
    if (size == 0) break;
    if (out->size() + size > max_bytes || !io.ReceiveAtLeast(size + kCrlf.size())) return false;
    out->append(io.Take(size));
    if (io.Take(kCrlf.size()) != kCrlf) return false;
  }
  for (;;) {  // trailer section, ended by an empty line
    const size_t eol = io.ReceiveUntil(kCrlf, 64 * 1024);
    if (eol == std::string::npos) return false;
    io.Take(eol + kCrlf.size());
    if (eol == 0) return true;
  }
}

std::string ResponseHead(const TestResponse& resp, bool close) {
  std::string head = "HTTP/1.1 " + std::to_string(resp.status) + " " + ReasonPhrase(resp.status) + "\r\n";
  bool has_length = false;
  for (const auto& [name, value] : resp.headers) {
    has_length = has_length || Lower(name) == "content-length";
    head += name + ": " + value + "\r\n";
  }
  if (!has_length) head += "Content-Length: " + std::to_string(resp.body.size()) + "\r\n";
  if (close) head += "Connection: close\r\n";
  head += "\r\n";
  return head;
}

}  // namespace

const std::string& TestRequest::Header(const std::string& lower_name) const {
  static const std::string kEmpty;
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return kEmpty;
}

bool TestRequest::HasHeader(const std::string& lower_name) const {
  for (const auto& header : headers) {
    if (header.first == lower_name) return true;
  }
  return false;
}

TestHttpServer::TestHttpServer(Handler handler, TestHttpServerOptions options)
    : handler_(std::move(handler)), options_(options) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) {
    status_ = s3core::Status::Io(std::string("socket: ") + std::strerror(errno));
    return;
  }
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 128) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    status_ = s3core::Status::Io(std::string("listen on 127.0.0.1: ") + std::strerror(errno));
    ::close(listen_fd_);
    listen_fd_ = -1;
    return;
  }
  port_ = ntohs(addr.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

TestHttpServer::~TestHttpServer() { Stop(); }

std::string TestHttpServer::Url(std::string_view target) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(target);
}

void TestHttpServer::Stop() {
  stopping_.store(true);
  if (accept_thread_.joinable()) accept_thread_.join();
  std::list<std::unique_ptr<Connection>> connections;
  {
    std::lock_guard<std::mutex> lock(mu_);
    connections.swap(connections_);
    // Wakes a thread blocked in send(); the thread itself closes the descriptor.
    for (auto& conn : connections) {
      if (conn->fd >= 0) ::shutdown(conn->fd, SHUT_RDWR);
    }
  }
  for (auto& conn : connections) {
    if (conn->thread.joinable()) conn->thread.join();
  }
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
}

std::vector<TestRequest> TestHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

size_t TestHttpServer::request_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

void TestHttpServer::AcceptLoop() {
  while (!stopping_.load()) {
    ReapFinished();
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(kTick.count())) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    timeval send_timeout{static_cast<time_t>(kSendTimeout.count()), 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof(send_timeout));
    auto conn = std::make_unique<Connection>();
    conn->fd = fd;
    conn->id = connections_accepted_.fetch_add(1) + 1;
    Connection* raw = conn.get();
    std::lock_guard<std::mutex> lock(mu_);
    connections_.push_back(std::move(conn));
    raw->thread = std::thread([this, raw] { Serve(raw); });
  }
}

void TestHttpServer::ReapFinished() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = connections_.begin(); it != connections_.end();) {
    if ((*it)->done.load()) {
      (*it)->thread.join();  // already past its last statement that needs mu_
      it = connections_.erase(it);
    } else {
      ++it;
    }
  }
}

void TestHttpServer::CloseConnection(Connection* conn, bool reset) {
  std::lock_guard<std::mutex> lock(mu_);
  if (conn->fd < 0) return;
  if (reset) {
    // Closing with a zero linger time sends RST instead of FIN.
    linger hard{1, 0};
    ::setsockopt(conn->fd, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
  }
  ::close(conn->fd);
  conn->fd = -1;
}

bool TestHttpServer::SleepUnlessStopping(std::chrono::milliseconds delay) const {
  const auto until = Clock::now() + delay;
  while (Clock::now() < until) {
    if (stopping_.load()) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(kTick, until - Clock::now()));
  }
  return !stopping_.load();
}

void TestHttpServer::Serve(Connection* conn) {
  int fd;
  {
    std::lock_guard<std::mutex> lock(mu_);
    fd = conn->fd;
  }
  SocketIo io(fd, stopping_, options_.idle_timeout);
  bool reset = false;
  for (;;) {
    size_t head_end = std::string::npos;
    int error_status = 0;
    for (;;) {
      const std::string& in = io.buffer();
      head_end = in.find("\r\n\r\n");
      if (head_end != std::string::npos) break;
      if (!in.empty() && !(in[0] >= 'A' && in[0] <= 'Z')) {
        error_status = 400;  // not HTTP at all (a TLS ClientHello, say): answer at once
      } else if (in.size() > options_.max_header_bytes) {
        error_status = 431;
      }
      if (error_status != 0 || !io.ReceiveMore()) break;
    }
    if (error_status != 0) io.SendAll(ResponseHead(TestResponse::WithStatus(error_status), true));
    if (error_status != 0 || head_end == std::string::npos) break;
    TestRequest req;
    req.connection_id = conn->id;
    bool http10 = false;
    if (!ParseHead(io.Take(head_end + 4), &req, &http10)) {
      io.SendAll(ResponseHead(TestResponse::WithStatus(400), true));
      break;
    }
    if (Lower(req.Header("expect")) == "100-continue" && !io.SendAll("HTTP/1.1 100 Continue\r\n\r\n")) break;

    if (Lower(req.Header("transfer-encoding")).find("chunked") != std::string::npos) {
      if (!ReadChunkedBody(io, options_.max_body_bytes, &req.body)) break;
    } else if (req.HasHeader("content-length")) {
      size_t length = 0;
      const std::string& text = req.Header("content-length");
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
      if (ec != std::errc() || ptr != text.data() + text.size() || length > options_.max_body_bytes) {
        io.SendAll(ResponseHead(TestResponse::WithStatus(413), true));
        break;
      }
      if (!io.ReceiveAtLeast(length)) break;
      req.body = io.Take(length);
    }

    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(req);
      if (!options_.record_bodies) requests_.back().body.clear();
    }
    const TestResponse resp = handler_(req);
    if (!SleepUnlessStopping(resp.delay)) break;

    using Fault = TestResponse::Fault;
    if (resp.fault == Fault::kCloseWithoutResponse || resp.fault == Fault::kResetWithoutResponse) {
      reset = resp.fault == Fault::kResetWithoutResponse;
      break;
    }
    const bool close = resp.close_after || http10 || Lower(req.Header("connection")) == "close";
    const bool truncate = resp.fault == Fault::kTruncateBody || resp.fault == Fault::kResetMidBody;
    const bool bodiless = req.method == "HEAD" || resp.status == 204 || resp.status == 304;
    std::string out = ResponseHead(resp, close || truncate);
    if (!bodiless) out += truncate ? resp.body.substr(0, resp.truncate_at) : resp.body;
    if (!io.SendAll(out)) break;
    if (truncate) {
      reset = resp.fault == Fault::kResetMidBody;
      break;
    }
    if (close) break;
  }
  CloseConnection(conn, reset);
  conn->done.store(true);
}

RefusingPort::RefusingPort() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port_ = ntohs(addr.sin_port);
  }
}

RefusingPort::~RefusingPort() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace s3core::testing

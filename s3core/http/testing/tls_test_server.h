// A minimal HTTPS server on 127.0.0.1 with a freshly made self-signed certificate, for testing
// TLS verification in the HTTP client. It serves one connection at a time and answers every
// request with "200 ok" and "Connection: close". Test-only (compiled into s3core_http_test).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace s3core::testing {

class TlsTestServer {
 public:
  // Writes the certificate (PEM) into `dir` as cert.pem.
  explicit TlsTestServer(const std::string& dir);
  ~TlsTestServer();
  TlsTestServer(const TlsTestServer&) = delete;
  TlsTestServer& operator=(const TlsTestServer&) = delete;

  bool ok() const { return port_ != 0; }
  uint16_t port() const { return port_; }
  const std::string& cert_path() const { return cert_path_; }
  std::string Url(const std::string& target) const {
    return "https://127.0.0.1:" + std::to_string(port_) + target;
  }
  // Connections whose TLS handshake completed.
  int handshakes() const { return handshakes_.load(); }

 private:
  void Loop();
  void ServeOne(int fd);

  void* ctx_ = nullptr;  // SSL_CTX*, kept opaque so the header needs no OpenSSL
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::string cert_path_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> handshakes_{0};
  std::thread thread_;
};

}  // namespace s3core::testing

#include "s3core/http/testing/tls_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

namespace s3core::testing {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};

// A self-signed P-256 certificate for 127.0.0.1 (as an IP subjectAltName, which is what
// hostname verification checks for an IP URL), valid from an hour ago for a day.
bool MakeCertificate(std::unique_ptr<EVP_PKEY, PkeyFree>* key, std::unique_ptr<X509, X509Free>* cert) {
  key->reset(EVP_EC_gen("P-256"));
  cert->reset(X509_new());
  if (!*key || !*cert) return false;
  X509* x = cert->get();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
  X509_set_pubkey(x, key->get());
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
    if (ext == nullptr) return false;
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  return X509_sign(x, key->get(), EVP_sha256()) > 0;
}

}  // namespace

TlsTestServer::TlsTestServer(const std::string& dir) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key;
  std::unique_ptr<X509, X509Free> cert;
  if (!MakeCertificate(&key, &cert)) return;
  cert_path_ = dir + "/cert.pem";
  FILE* f = std::fopen(cert_path_.c_str(), "w");
  if (f == nullptr) return;
  const bool written = PEM_write_X509(f, cert.get()) == 1;
  std::fclose(f);
  if (!written) return;

  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return;
  ctx_ = ctx;
  if (SSL_CTX_use_certificate(ctx, cert.get()) != 1 || SSL_CTX_use_PrivateKey(ctx, key.get()) != 1) return;

  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return;
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Loop(); });
}

TlsTestServer::~TlsTestServer() {
  stopping_.store(true);
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (ctx_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
}

void TlsTestServer::Loop() {
  // OpenSSL writes to the socket with plain write(2); a client that hung up mid-handshake (as
  // a verifying client does) must cost an EPIPE, not a process-killing SIGPIPE. SIGPIPE goes
  // to the writing thread, so blocking it here is enough.
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
  while (!stopping_.load()) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, 20) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ServeOne(fd);
    ::close(fd);
  }
}

void TlsTestServer::ServeOne(int fd) {
  // Blocking I/O bounded by socket timeouts: a client that stalls costs at most 2 s per step.
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ctx_));
  if (ssl == nullptr) return;
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) == 1) {
    handshakes_.fetch_add(1);
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
      const int got = SSL_read(ssl, buf, sizeof(buf));
      if (got <= 0) break;
      request.append(buf, static_cast<size_t>(got));
    }
    static constexpr char kAnswer[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    SSL_write(ssl, kAnswer, sizeof(kAnswer) - 1);
    SSL_shutdown(ssl);
  }
  SSL_free(ssl);
}

}  // namespace s3core::testing

#include "csi/identity/probes.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "s3core/client/endpoint.h"

namespace s3csi {

using s3core::ErrorKind;
using s3core::Status;

namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

Status ConnectWithTimeout(const addrinfo& ai, std::chrono::milliseconds timeout) {
  Fd sock{socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol)};
  if (sock.fd < 0) return Status::Error(ErrorKind::kNetwork, std::string("socket: ") + std::strerror(errno));
  if (connect(sock.fd, ai.ai_addr, ai.ai_addrlen) == 0) return {};
  if (errno != EINPROGRESS) return Status::Error(ErrorKind::kNetwork, std::string("connect: ") + std::strerror(errno));
  pollfd p{sock.fd, POLLOUT, 0};
  const int ready = poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready == 0) return Status::Error(ErrorKind::kTimeout, "connect timed out");
  int error = 0;
  socklen_t len = sizeof error;
  if (ready < 0 || getsockopt(sock.fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) {
    return Status::Error(ErrorKind::kNetwork, std::string("connect: ") + std::strerror(error != 0 ? error : errno));
  }
  return {};
}

}  // namespace

Status ProbeTcpEndpoint(const std::string& url, std::chrono::milliseconds timeout) {
  auto endpoint = s3core::Endpoint::Parse(url);
  if (!endpoint.ok()) return endpoint.status();
  std::string host = endpoint->host;
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  const uint16_t port = endpoint->port != 0 ? endpoint->port : (endpoint->scheme == "https" ? 443 : 80);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  // getaddrinfo has no timeout of its own; names are resolved by the node's resolver as for
  // every S3 request.
  if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
    return Status::Error(ErrorKind::kNetwork, "resolve " + host + ": " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, &freeaddrinfo);
  Status last = Status::Error(ErrorKind::kNetwork, "no address for " + host);
  for (const addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
    last = ConnectWithTimeout(*ai, timeout);
    if (last.ok()) return {};
  }
  return last.WithContext("S3 endpoint " + endpoint->Authority());
}

Status ProbeUnixSocket(const std::string& path) {
  struct stat st{};
  if (stat(path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) {
    return Status::NotFound("no socket at " + path);
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return Status::InvalidArgument("socket path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  Fd sock{socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (sock.fd < 0) return Status::Error(ErrorKind::kNetwork, std::string("socket: ") + std::strerror(errno));
  if (connect(sock.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return Status::Error(ErrorKind::kNetwork, "connect " + path + ": " + std::strerror(errno));
  }
  return {};
}

}  // namespace s3csi

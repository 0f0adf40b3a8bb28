// counting_proxy: a TCP proxy that counts the bytes a client sends to a server and receives
// back, so that a benchmark can say how many bytes each S3 client put on the wire.
//
//   counting_proxy --upstream-port 7490 [--listen-port 0] [--stats-port 0]
//
// Prints "PROXY_PORT=N STATS_PORT=M" on stdout once both listeners are up. Every connection to
// PROXY_PORT is forwarded to 127.0.0.1:UPSTREAM; the bytes are moved with splice(2) through a
// pipe, so the proxy copies nothing in user space and costs little CPU. A connection to
// STATS_PORT is answered with one line "sent=BYTES received=BYTES connections=N" and closed:
// sent = client to server (HTTP requests with their bodies), received = server to client.
// A byte is counted once it has been handed to the other side's socket, so a client that has
// its response has been counted in full. Runs until killed; holds no state but the counters.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

namespace {

struct Counters {
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> received{0};
  std::atomic<uint64_t> connections{0};
};

// Both sockets of one proxied connection; closed when both directions' threads have let go.
struct Connection {
  int client = -1;
  int server = -1;
  ~Connection() {
    if (client >= 0) close(client);
    if (server >= 0) close(server);
  }
};

constexpr size_t kChunk = 1 << 20;

// Moves bytes one way (client to server when `to_server`) until end of stream or error, adding
// them to `counter`; then half-closes the receiving side, so it sees the end as it would without
// the proxy. Holds `connection` so that its sockets stay open until both directions are done.
void Pump(std::shared_ptr<Connection> connection, bool to_server, std::atomic<uint64_t>& counter) {
  const int from = to_server ? connection->client : connection->server;
  const int to = to_server ? connection->server : connection->client;
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) == 0) {
    (void)fcntl(pipe_fds[1], F_SETPIPE_SZ, static_cast<int>(kChunk));  // fewer, larger splices
    for (;;) {
      ssize_t in = splice(from, nullptr, pipe_fds[1], nullptr, kChunk, SPLICE_F_MOVE | SPLICE_F_MORE);
      if (in < 0 && errno == EINTR) continue;
      if (in <= 0) break;
      bool failed = false;
      while (in > 0) {
        ssize_t out = splice(pipe_fds[0], nullptr, to, nullptr, static_cast<size_t>(in), SPLICE_F_MOVE);
        if (out < 0 && errno == EINTR) continue;
        if (out <= 0) {
          failed = true;
          break;
        }
        in -= out;
        counter.fetch_add(static_cast<uint64_t>(out), std::memory_order_relaxed);
      }
      if (failed) break;
    }
    close(pipe_fds[0]);
    close(pipe_fds[1]);
  }
  shutdown(to, SHUT_WR);
  shutdown(from, SHUT_RD);
}

int Listen(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || listen(fd, 512) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

uint16_t LocalPort(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

int ConnectUpstream(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Answers each connection on the stats port with the counters, then closes it.
void ServeStats(int listener, const Counters& counters) {
  for (;;) {
    int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    std::string line = "sent=" + std::to_string(counters.sent.load()) +
                       " received=" + std::to_string(counters.received.load()) +
                       " connections=" + std::to_string(counters.connections.load()) + "\n";
    (void)write(fd, line.data(), line.size());
    close(fd);
  }
}

bool ParsePort(const char* text, uint16_t& port) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < 0 || value > 65535) return false;
  port = static_cast<uint16_t>(value);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  uint16_t upstream_port = 0, listen_port = 0, stats_port = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    uint16_t* target = flag == "--upstream-port" ? &upstream_port
                       : flag == "--listen-port" ? &listen_port
                       : flag == "--stats-port"  ? &stats_port
                                                 : nullptr;
    if (target == nullptr || !ParsePort(argv[i + 1], *target)) {
      std::fprintf(stderr, "usage: counting_proxy --upstream-port N [--listen-port N] [--stats-port N]\n");
      return 2;
    }
  }
  if (upstream_port == 0 || argc % 2 == 0) {
    std::fprintf(stderr, "usage: counting_proxy --upstream-port N [--listen-port N] [--stats-port N]\n");
    return 2;
  }
  // A peer that closes while bytes are still moving must end that connection, not the proxy.
  std::signal(SIGPIPE, SIG_IGN);
  const int proxy_listener = Listen(listen_port);
  const int stats_listener = Listen(stats_port);
  if (proxy_listener < 0 || stats_listener < 0) {
    std::fprintf(stderr, "counting_proxy: cannot listen: %s\n", std::strerror(errno));
    return 1;
  }
  std::printf("PROXY_PORT=%u STATS_PORT=%u\n", LocalPort(proxy_listener), LocalPort(stats_listener));
  std::fflush(stdout);

  Counters counters;  // lives until the process ends; the threads only outlive main() at exit
  std::thread(ServeStats, stats_listener, std::cref(counters)).detach();
  for (;;) {
    int client = accept4(proxy_listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE) continue;
      std::fprintf(stderr, "counting_proxy: accept: %s\n", std::strerror(errno));
      return 1;
    }
    auto connection = std::make_shared<Connection>();
    connection->client = client;
    connection->server = ConnectUpstream(upstream_port);
    if (connection->server < 0) continue;  // the client sees its connection closed
    int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(connection->server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    counters.connections.fetch_add(1);
    std::thread(Pump, connection, true, std::ref(counters.sent)).detach();
    std::thread(Pump, connection, false, std::ref(counters.received)).detach();
  }
}

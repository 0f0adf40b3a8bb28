#include "csi/mount/mounterd/server.h"

#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "csi/mount/framing.h"
#include "csi/mount/mounterd/s3mount_command.h"
#include "csi/mount/mounterd/spawn.h"

extern char** environ;

namespace s3csi::mounterd {

namespace {

using s3core::ErrorKind;
using s3core::Status;

constexpr std::chrono::seconds kRequestReadTimeout{10};
constexpr std::chrono::seconds kExitWaitTimeout{10};

Status Errno(const std::string& what) { return Status::Io(what + ": " + std::strerror(errno)); }

std::vector<std::string> Environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  return env;
}

// Waits for "ready" on the child's readiness pipe. true: ready; false: EOF (the child failed).
s3core::Result<bool> WaitReady(int ready_fd, Deadline deadline) {
  std::string got;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Status::Error(ErrorKind::kTimeout, "s3mount did not start serving in time");
    pollfd p{ready_fd, POLLIN, 0};
    const int n = poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno != EINTR) return Errno("poll");
    if (n <= 0) continue;
    char buffer[16];
    const ssize_t r = read(ready_fd, buffer, sizeof(buffer));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got.append(buffer, static_cast<size_t>(r));
    if (got.find("ready\n") != std::string::npos) return true;
  }
}

bool PeerAllowed(int connection) {
  ucred peer{};
  socklen_t length = sizeof(peer);
  if (getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0) return false;
  return peer.uid == 0 || peer.uid == geteuid();
}

}  // namespace

ErrorKind ClassifyS3mountFailure(const std::string& output) {
  auto has = [&](const char* text) { return output.find(text) != std::string::npos; };
  if (has("AccessDenied") || has("InvalidAccessKeyId") || has("SignatureDoesNotMatch") || has("HTTP 403")) {
    return ErrorKind::kAccessDenied;
  }
  if (has("NoSuchBucket") || has("HTTP 404")) return ErrorKind::kNotFound;
  if (has("Credentials:")) return ErrorKind::kCredentials;
  if (has("Network:") || has("Timeout:")) return ErrorKind::kNetwork;
  if (has("s3mount: ")) return ErrorKind::kInvalidArgument;  // refused its command line or options
  return ErrorKind::kInternal;
}

Server::Server(ServerOptions options) : options_(std::move(options)) {}

Server::~Server() { JoinFinishedWorkers(/*all=*/true); }

Status Server::Listen() {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string& path = options_.socket_path;
  if (path.empty() || path.size() >= sizeof(address.sun_path)) return Status::InvalidArgument("bad socket path " + path);
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  struct stat st {};
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return Status::InvalidArgument(path + " exists and is not a socket");
    unlink(path.c_str());  // left by a mounterd that was killed
  }
  listener_.Reset(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!listener_.valid()) return Errno("socket");
  // Until the chmod below the umask applies (0755 by default): without write permission, nobody
  // else can connect in the meantime either.
  if (bind(listener_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) return Errno("bind " + path);
  if (chmod(path.c_str(), 0600) != 0) return Errno("chmod " + path);
  if (listen(listener_.get(), 64) != 0) return Errno("listen");
  wake_.Reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_.valid()) return Errno("eventfd");
  spdlog::info("s3csi-mounterd listening on {} (s3mount: {})", path, options_.s3mount_path);
  return Status::Ok();
}

Status Server::Run(int signal_fd) {
  for (;;) {
    JoinFinishedWorkers(/*all=*/false);
    const auto outputs = children_.OutputFds();
    std::vector<pollfd> fds = {{listener_.get(), POLLIN, 0}, {signal_fd, POLLIN, 0}, {wake_.get(), POLLIN, 0}};
    for (const auto& [pid, fd] : outputs) fds.push_back({fd, POLLIN, 0});
    if (poll(fds.data(), fds.size(), 1000) < 0) {
      if (errno == EINTR) continue;
      return Errno("poll");
    }
    if (fds[2].revents != 0) {
      uint64_t count;
      (void)!read(wake_.get(), &count, sizeof(count));
    }
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (fds[3 + i].revents != 0) children_.ReadOutput(outputs[i].first);
    }
    if (fds[1].revents != 0) {
      signalfd_siginfo info{};
      if (read(signal_fd, &info, sizeof(info)) == sizeof(info)) {
        if (info.ssi_signo == SIGCHLD) {
          ReapChildren();
        } else {
          spdlog::info("signal {}: stopping; the s3mount processes keep serving their mounts", strsignal(static_cast<int>(info.ssi_signo)));
          listener_.Reset();
          unlink(options_.socket_path.c_str());
          JoinFinishedWorkers(/*all=*/true);
          return Status::Ok();
        }
      }
    }
    if (fds[0].revents != 0) {
      UniqueFd connection(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!connection.valid()) continue;
      if (!PeerAllowed(connection.get())) {
        spdlog::warn("refused a connection from a process of another user");
        continue;
      }
      auto done = std::make_shared<std::atomic<bool>>(false);
      std::thread thread([this, done, c = std::move(connection)]() mutable {
        Serve(std::move(c));
        done->store(true);
      });
      workers_.push_back({std::move(thread), done});
    }
  }
}

void Server::ReapChildren() {
  int status = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    children_.Exited(pid, status);
    if (options_.metrics) options_.metrics->ChildExited(pid, status);
  }
}

void Server::JoinFinishedWorkers(bool all) {
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (all || it->done->load()) {
      if (it->thread.joinable()) it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
}

void Server::Serve(UniqueFd connection) {
  const Deadline read_deadline = std::chrono::steady_clock::now() + kRequestReadTimeout;
  auto frame = ReceiveFrame(connection.get(), read_deadline);
  Response response;
  if (!frame.ok()) {
    if (frame.status().kind() == ErrorKind::kCancelled) return;
    response.status = frame.status();
  } else if (auto request = DecodeRequest(frame->payload); !request.ok()) {
    response.status = request.status();
  } else {
    response = Handle(std::move(request).value(), std::move(frame->fd));
  }
  const Status sent = SendFrame(connection.get(), EncodeResponse(response), -1,
                                std::chrono::steady_clock::now() + kRequestReadTimeout);
  if (!sent.ok()) spdlog::warn("cannot answer the plugin: {}", sent.ToString());
}

Response Server::Handle(Request request, UniqueFd fuse_fd) {
  Response response;
  if (request.op == Request::Op::kList) {
    response.mounts = children_.Running();
    return response;
  }
  if (!fuse_fd.valid()) {
    response.status = Status::InvalidArgument("start request without a /dev/fuse descriptor");
    return response;
  }
  return Start(request.start, std::move(fuse_fd));
}

Response Server::Start(const StartRequest& request, UniqueFd fuse_fd) {
  Response response = StartChild(request, std::move(fuse_fd));
  if (options_.metrics) {
    if (response.status.ok()) {
      options_.metrics->StartSucceeded();
    } else {
      options_.metrics->StartFailed(s3core::ErrorKindName(response.status.kind()));
    }
  }
  return response;
}

Response Server::StartChild(const StartRequest& request, UniqueFd fuse_fd) {
  Response response;
  const MountSpec& spec = request.spec;
  response.status = ValidateStartRequest(request);
  if (!response.status.ok()) {
    spdlog::warn("refused to serve volume {} at {}: {}", spec.volume_id, request.target, response.status.ToString());
    return response;
  }
  const std::string metrics_file = options_.metrics ? options_.metrics->NextChildFile() : "";
  const S3mountCommand command = BuildS3mountCommand(request, options_.s3mount_path, Environment(), metrics_file);
  auto spawned = SpawnS3mount(command, fuse_fd.get(), spec.secrets);
  fuse_fd.Reset();  // only the child may hold the connection, or its death would not show as ENOTCONN
  if (!spawned.ok()) {
    response.status = spawned.status();
    return response;
  }
  const pid_t pid = spawned->pid;
  if (options_.metrics) options_.metrics->ChildStarting(pid, spec.volume_id, metrics_file);
  spdlog::info("s3mount[{}] starting for volume {} (bucket {}{}) at {}", pid, spec.volume_id, spec.bucket,
               spec.prefix.empty() ? "" : ":/" + spec.prefix, request.target);
  children_.Add(pid, ServedMount{spec.volume_id, request.fingerprint, request.target, pid}, std::move(spawned->output));
  const uint64_t one = 1;
  (void)!write(wake_.get(), &one, sizeof(one));

  auto ready = WaitReady(spawned->ready.get(), std::chrono::steady_clock::now() + options_.start_timeout);
  if (ready.ok() && *ready) {
    children_.Started(pid);
    spdlog::info("s3mount[{}] serves volume {} at {}", pid, spec.volume_id, request.target);
    return response;
  }
  if (!ready.ok()) {
    // Stuck (an unreachable endpoint retried at length): stop it; the plugin undoes the mount.
    kill(pid, SIGKILL);
  }
  auto exit = children_.WaitForExit(pid, std::chrono::steady_clock::now() + kExitWaitTimeout);
  std::string message = exit ? exit->last_output : "";
  if (message.empty()) message = exit ? "s3mount ended without a message" : "s3mount did not end";
  if (exit) message += " (" + DescribeWaitStatus(exit->wait_status) + ")";
  if (!ready.ok()) {
    response.status = Status::Error(ready.status().kind(), ready.status().message() + ": " + message);
  } else {
    response.status = Status::Error(ClassifyS3mountFailure(message), message);
  }
  spdlog::warn("s3mount[{}] for volume {} failed: {}", pid, spec.volume_id, message);
  return response;
}

}  // namespace s3csi::mounterd

#include "csi/mount/framing.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace s3csi {

namespace {

using s3core::Status;

// Waits until socket_fd is ready for `events` or the deadline passes.
Status WaitFor(int socket_fd, short events, Deadline deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Status::Error(s3core::ErrorKind::kTimeout, "mounterd socket: timed out");
    pollfd p{socket_fd, events, 0};
    const int n = poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 60'000)));
    if (n > 0) return Status::Ok();
    if (n < 0 && errno != EINTR) return Status::Io(std::string("mounterd socket: poll: ") + std::strerror(errno));
  }
}

Status SendAll(int socket_fd, const char* data, size_t size, int fd_to_send, Deadline deadline) {
  bool fd_pending = fd_to_send >= 0;
  while (size > 0) {
    S3_RETURN_IF_ERROR(WaitFor(socket_fd, POLLOUT, deadline));
    iovec iov{const_cast<char*>(data), size};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    if (fd_pending) {
      msg.msg_control = control;
      msg.msg_controllen = sizeof(control);
      cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(cmsg), &fd_to_send, sizeof(int));
    }
    const ssize_t sent = sendmsg(socket_fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return Status::Io(std::string("mounterd socket: send: ") + std::strerror(errno));
    }
    fd_pending = false;
    data += sent;
    size -= static_cast<size_t>(sent);
  }
  return Status::Ok();
}

// Reads exactly `size` bytes; keeps the first descriptor that arrives in `fd`.
Status ReceiveAll(int socket_fd, char* data, size_t size, UniqueFd& fd, bool& got_any, Deadline deadline) {
  while (size > 0) {
    S3_RETURN_IF_ERROR(WaitFor(socket_fd, POLLIN, deadline));
    iovec iov{data, size};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 4)] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    const ssize_t got = recvmsg(socket_fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return Status::Io(std::string("mounterd socket: receive: ") + std::strerror(errno));
    }
    for (cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg != nullptr; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
      if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) continue;
      const size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < count; ++i) {
        int received = -1;
        std::memcpy(&received, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
        if (!fd.valid()) {
          fd.Reset(received);
        } else {
          close(received);  // more than one descriptor: not our protocol; do not leak it
        }
      }
    }
    if ((msg.msg_flags & MSG_CTRUNC) != 0) return Status::Io("mounterd socket: control data truncated");
    if (got == 0) {
      return got_any ? Status::Io("mounterd socket: connection closed in the middle of a message")
                     : Status::Error(s3core::ErrorKind::kCancelled, "mounterd socket: connection closed");
    }
    got_any = true;
    data += got;
    size -= static_cast<size_t>(got);
  }
  return Status::Ok();
}

}  // namespace

Status SendFrame(int socket_fd, const std::string& payload, int fd_to_send, Deadline deadline) {
  if (payload.size() > kMaxFrameBytes) return Status::InvalidArgument("mounterd message too large");
  const auto n = static_cast<uint32_t>(payload.size());
  std::string frame = {static_cast<char>(n >> 24), static_cast<char>((n >> 16) & 0xff),
                       static_cast<char>((n >> 8) & 0xff), static_cast<char>(n & 0xff)};
  frame += payload;
  return SendAll(socket_fd, frame.data(), frame.size(), fd_to_send, deadline);
}

s3core::Result<Frame> ReceiveFrame(int socket_fd, Deadline deadline) {
  Frame frame;
  bool got_any = false;
  unsigned char header[4];
  S3_RETURN_IF_ERROR(ReceiveAll(socket_fd, reinterpret_cast<char*>(header), sizeof(header), frame.fd, got_any, deadline));
  const uint32_t n = (uint32_t{header[0]} << 24) | (uint32_t{header[1]} << 16) | (uint32_t{header[2]} << 8) | header[3];
  if (n > kMaxFrameBytes) return Status::InvalidArgument("mounterd message of " + std::to_string(n) + " bytes refused");
  frame.payload.resize(n);
  S3_RETURN_IF_ERROR(ReceiveAll(socket_fd, frame.payload.data(), n, frame.fd, got_any, deadline));
  return frame;
}

}  // namespace s3csi

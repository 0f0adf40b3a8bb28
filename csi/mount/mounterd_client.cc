#include "csi/mount/mounterd_client.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

namespace s3csi {

s3core::Result<Response> CallMounterd(const std::string& socket_path, const Request& request, int fd_to_send,
                                      Deadline deadline) {
  using s3core::Status;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.empty() || socket_path.size() >= sizeof(address.sun_path)) {
    return Status::InvalidArgument("mounterd socket path is empty or too long: " + socket_path);
  }
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  UniqueFd sock(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock.valid()) return Status::Io(std::string("socket: ") + std::strerror(errno));
  // A unix socket connect does not block for long: the server's backlog answers at once.
  if (connect(sock.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    return Status::Error(s3core::ErrorKind::kNetwork, "cannot reach s3csi-mounterd at " + socket_path + ": " +
                                                          std::strerror(errno) + " (is the mounterd DaemonSet running?)");
  }
  S3_RETURN_IF_ERROR(SendFrame(sock.get(), EncodeRequest(request), fd_to_send, deadline));
  auto frame = ReceiveFrame(sock.get(), deadline);
  if (!frame.ok()) return frame.status().WithContext("s3csi-mounterd did not answer");
  return DecodeResponse(frame->payload);
}

}  // namespace s3csi

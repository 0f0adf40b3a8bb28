// Framing of the plugin <-> s3csi-mounterd socket: each message is a 4-byte big-endian length
// followed by that many bytes of JSON. A message may carry one file descriptor (SCM_RIGHTS),
// attached to its first byte. Every read and write has a deadline: a stuck peer is an error,
// never a hang.
#pragma once

#include <chrono>
#include <string>

#include "csi/mount/unique_fd.h"
#include "s3core/status.h"

namespace s3csi {

inline constexpr size_t kMaxFrameBytes = 64 * 1024;

using Deadline = std::chrono::steady_clock::time_point;

struct Frame {
  std::string payload;
  UniqueFd fd;  // the descriptor that came with the frame, if any (close-on-exec)
};

// Sends payload (and fd_to_send if >= 0; the caller keeps its own copy open and closes it).
s3core::Status SendFrame(int socket_fd, const std::string& payload, int fd_to_send, Deadline deadline);

// Receives one frame. kCancelled if the peer closed the connection before a frame began.
s3core::Result<Frame> ReceiveFrame(int socket_fd, Deadline deadline);

}  // namespace s3csi

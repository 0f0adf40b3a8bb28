// The plugin's side of the mounterd socket: one request, one answer, one connection.
#pragma once

#include <string>

#include "csi/mount/framing.h"
#include "csi/mount/messages.h"

namespace s3csi {

// Connects to socket_path, sends request (with fd_to_send if >= 0) and returns mounterd's answer.
// A failure to talk to mounterd is kNetwork (not running), kTimeout or kIo; mounterd's own
// refusal is in Response::status.
s3core::Result<Response> CallMounterd(const std::string& socket_path, const Request& request, int fd_to_send,
                                      Deadline deadline);

}  // namespace s3csi

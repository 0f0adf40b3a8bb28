// The plugin's gRPC endpoint: "unix:///csi/csi.sock" (the only form the CSI sidecars use).
#pragma once

#include <string>

#include "s3core/status.h"

namespace s3csi {

// The socket path of a unix:// endpoint; kInvalidArgument for anything else.
s3core::Result<std::string> UnixSocketPath(const std::string& endpoint);

// Makes the socket's directory and removes a socket file left by an earlier run (a plugin killed
// with -9 leaves one, and bind(2) would fail on it). Refuses to remove anything but a socket.
s3core::Status PrepareSocketPath(const std::string& path);

}  // namespace s3csi

// Cheap readiness checks for Probe: can we reach the S3 endpoint (a TCP connect, no request, no
// credentials), and is the mounter daemon's socket accepting connections.
#pragma once

#include <chrono>
#include <string>

#include "s3core/status.h"

namespace s3csi {

// kInvalidArgument for a malformed URL, kNetwork/kTimeout when the TCP connect fails.
s3core::Status ProbeTcpEndpoint(const std::string& url, std::chrono::milliseconds timeout);
// kNotFound when there is no socket at `path`, kNetwork when nothing accepts on it.
s3core::Status ProbeUnixSocket(const std::string& path);

}  // namespace s3csi

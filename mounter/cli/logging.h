// s3mount's logger: stderr in the foreground; in daemon mode syslog (ident "s3mount", facility
// daemon, like s3fs) or the file named by -o logfile. Secrets are never logged: s3core logs
// credential sources and access key ids only.
#pragma once

#include <memory>

#include "mounter/cli/mount_options.h"

namespace spdlog {
class logger;
}

namespace mounter::cli {

std::shared_ptr<spdlog::logger> MakeLogger(const MountOptions& options, bool daemon);

}  // namespace mounter::cli

// s3mount's command line: `s3mount BUCKET[:/PREFIX] MOUNTPOINT [-o OPT[,OPT...]] [-f] [-d]`.
//
// The -o option names are s3fs's where we support the same thing (url, endpoint, passwd_file,
// uid, umask, multipart_size, ...), plus our own (region, log_level, ...), plus the mount(8)
// options that mount.fuse3 hands to a helper from /etc/fstab. Every option is one row of one
// table (OptionTable()), from which the parser, --help and the docs test are all derived, so
// they cannot drift apart. Parsing does no I/O: files named by options (SSE-C keys) are read
// later by LoadOptionFiles().
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mounter/fs/fs_config.h"
#include "s3core/client/client_factory.h"
#include "s3core/status.h"

namespace mounter::cli {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };

struct MountOptions {
  // What to mount where. mountpoint is as given (main() resolves it); "/dev/fd/N" means an
  // already-open /dev/fuse descriptor handed over by the caller, who did the mount.
  std::string mountpoint;

  bool show_help = false;
  bool show_version = false;
  bool foreground = false;     // -f: no daemon, logs to stderr
  bool fuse_debug = false;     // -d -d or -o debug: libfuse's request trace (implies -f)
  bool single_thread = false;  // -s
  bool clone_fd = false;
  unsigned max_idle_threads = 10;

  LogLevel log_level = LogLevel::kInfo;
  std::string log_file;  // daemon mode: log here instead of syslog
  int ready_fd = -1;     // ready_fd=N: "ready\n" is written there once the mount is live (-1: none)
  std::string metrics_address;  // metrics_address=HOST:PORT: serve Prometheus /metrics there
  std::string metrics_file;     // metrics_file=PATH: rewrite the metrics there every 10 s and at exit

  mounter::FsConfig fs;  // bucket and prefix live here
  s3core::S3Settings s3;

  // Options handed to libfuse's fuse_session_new as one "-o a,b,c" (mount flags such as
  // allow_other, ro, nosuid, fsname=...). Only names libfuse 3 knows end up here.
  std::vector<std::string> fuse_options;

  // use_sse=custom:PATH / load_sse_c=PATH: read by LoadOptionFiles().
  std::string sse_customer_key_file;
};

// One -o option: its name, the form of its value, and what it does (for --help and the docs).
struct OptionSpec {
  enum class Kind {
    kFlag,      // no value ("allow_other"); "name=1"/"name=0"/"name=true"/"name=false" also accepted
    kValue,     // requires "name=VALUE"
    kOptional,  // "name" or "name=VALUE"
  };
  std::string_view section;  // "S3 connection", "Credentials", ... (groups --help and the docs)
  std::string_view name;
  Kind kind;
  std::string_view value_hint;  // "N", "PATH", ... ("" for flags)
  std::string_view help;
  // Applies the value ("" for a bare flag). Returns an InvalidArgument status naming the problem.
  s3core::Status (*apply)(std::string_view value, MountOptions& out);
};

// Every -o option, in the order --help lists them.
const std::vector<OptionSpec>& OptionTable();

// Parses argv[1..] (without the program name). Errors are kInvalidArgument with a message meant
// for the user ("missing BUCKET argument", "unknown option `foo'", "uid: `abc' is not a number").
s3core::Result<MountOptions> ParseMountOptions(const std::vector<std::string>& args);

// Applies one "-o" list ("a,b=c,d") to `out`. Exposed for tests and for callers (the CSI plugin)
// that hold options as a string.
s3core::Status ApplyOptionList(std::string_view list, MountOptions& out);

// Reads the files that options name (the SSE-C key file) into `options`.
s3core::Status LoadOptionFiles(MountOptions& options);

// Parses an s3fs SSE-C key file: one key per line, '#' comments; a line of 32 bytes or less is
// the raw key, a longer one is base64 (as s3fs reads it). The first key is returned.
s3core::Result<std::string> ParseSseCustomerKeyFile(std::string_view contents);

std::string UsageLine();
std::string HelpText();
std::string VersionText();

}  // namespace mounter::cli

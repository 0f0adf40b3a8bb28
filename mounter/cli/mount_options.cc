#include "mounter/cli/mount_options.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "mounter/cli/option_values.h"

#ifndef S3MOUNT_VERSION
#define S3MOUNT_VERSION "0.0.0"
#endif

namespace mounter::cli {

using s3core::Status;

namespace {

constexpr size_t kSseKeyBytes = 32;

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

const OptionSpec* FindOption(std::string_view name) {
  for (const auto& spec : OptionTable()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// Splits "a,b\,c,d" at unescaped commas (libfuse's -o escaping).
std::vector<std::string> SplitOptionList(std::string_view list) {
  std::vector<std::string> items(1);
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i] == '\\' && i + 1 < list.size()) {
      items.back().push_back(list[++i]);
    } else if (list[i] == ',') {
      items.emplace_back();
    } else {
      items.back().push_back(list[i]);
    }
  }
  return items;
}

std::string EscapeCommas(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ',' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

bool HasFuseOption(const MountOptions& o, std::string_view name) {
  return std::any_of(o.fuse_options.begin(), o.fuse_options.end(), [&](const std::string& opt) {
    return opt == name || (opt.size() > name.size() && opt.compare(0, name.size(), name) == 0 &&
                           opt[name.size()] == '=');
  });
}

// Derived settings, once every option has been seen.
Status Finalize(MountOptions& o) {
  o.s3.credentials.bucket = o.fs.bucket;
  if (o.fs.write_options.sse.mode == s3core::ServerSideEncryption::Mode::kCustomerKey &&
      o.sse_customer_key_file.empty()) {
    return Status::InvalidArgument("use_sse=custom needs a key file: use_sse=custom:PATH or load_sse_c=PATH");
  }
  if (o.fs.allow_other && HasFuseOption(o, "allow_root")) {
    return Status::InvalidArgument("allow_other and allow_root cannot be used together");
  }
  std::vector<std::string> fuse;
  fuse.push_back(o.fs.read_only ? "ro" : "rw");
  if (o.fs.allow_other) fuse.push_back("allow_other");
  if (o.fs.default_permissions) fuse.push_back("default_permissions");
  if (!HasFuseOption(o, "fsname")) {
    std::string source = o.fs.bucket;
    if (!o.fs.prefix.empty()) source += ":/" + o.fs.prefix.substr(0, o.fs.prefix.size() - 1);
    fuse.push_back("fsname=" + EscapeCommas(source));
  }
  fuse.push_back("subtype=s3mount");
  o.fuse_options.insert(o.fuse_options.begin(), fuse.begin(), fuse.end());
  return {};
}

}  // namespace

// "bucket" or "bucket:/some/prefix" (s3fs's form). The prefix is stored as "some/prefix/".
Status SetBucketSpec(std::string_view spec, MountOptions& out) {
  const auto colon = spec.find(':');
  std::string_view bucket = spec.substr(0, colon);
  if (bucket.empty()) return Status::InvalidArgument("missing BUCKET name in `" + std::string(spec) + "'");
  if (bucket.find('/') != std::string_view::npos) {
    return Status::InvalidArgument("`" + std::string(spec) + "': a prefix is written BUCKET:/PREFIX");
  }
  std::string prefix;
  if (colon != std::string_view::npos) {
    std::string_view path = spec.substr(colon + 1);
    if (path.empty() || path[0] != '/') {
      return Status::InvalidArgument("`" + std::string(spec) + "': the prefix must start with '/' (BUCKET:/PREFIX)");
    }
    size_t pos = 0;
    while (pos <= path.size()) {
      size_t end = path.find('/', pos);
      if (end == std::string_view::npos) end = path.size();
      std::string_view part = path.substr(pos, end - pos);
      if (part == "." || part == "..") {
        return Status::InvalidArgument("`" + std::string(spec) + "': the prefix may not contain . or ..");
      }
      if (!part.empty()) prefix.append(part).push_back('/');
      pos = end + 1;
    }
  }
  out.fs.bucket = std::string(bucket);
  out.fs.prefix = std::move(prefix);
  return {};
}

Status ApplyOptionList(std::string_view list, MountOptions& out) {
  for (const std::string& item : SplitOptionList(list)) {
    if (item.empty()) continue;
    const auto eq = item.find('=');
    const std::string_view name = std::string_view(item).substr(0, eq);
    const bool has_value = eq != std::string::npos;
    const std::string_view value = has_value ? std::string_view(item).substr(eq + 1) : std::string_view();
    // fstab's private options (x-systemd.automount, comment=...) are for mount(8) and systemd.
    if (name.substr(0, 2) == "x-" || name == "comment") continue;
    const OptionSpec* spec = FindOption(name);
    if (spec == nullptr) {
      return Status::InvalidArgument("unknown option `" + std::string(name) + "' (s3mount --help lists them)");
    }
    if (spec->kind == OptionSpec::Kind::kValue && !has_value) {
      return Status::InvalidArgument("option `" + std::string(name) + "' needs a value (" + std::string(name) + "=" +
                                     std::string(spec->value_hint) + ")");
    }
    if (spec->kind == OptionSpec::Kind::kFlag && has_value) {
      // "allow_other=1" is fine, "allow_other=" is not.
      auto flag = ParseFlag(name, value);
      if (!flag.ok() || value.empty()) {
        return Status::InvalidArgument("option `" + std::string(name) + "' takes no value (or 1/0)");
      }
    }
    Status status = spec->apply(value, out);
    if (!status.ok()) return status;
  }
  return {};
}

s3core::Result<MountOptions> ParseMountOptions(const std::vector<std::string>& args) {
  MountOptions out;
  out.fs.uid = getuid();
  out.fs.gid = getgid();
  std::vector<std::string> positional;
  int debug_count = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      out.show_help = true;
      return out;
    }
    if (arg == "-V" || arg == "--version") {
      out.show_version = true;
      return out;
    }
    if (arg == "-f" || arg == "--foreground") {
      out.foreground = true;
    } else if (arg == "-d" || arg == "--debug") {
      ++debug_count;
    } else if (arg == "-s") {
      out.single_thread = true;
    } else if (arg == "-o") {
      if (i + 1 == args.size()) return Status::InvalidArgument("option -o needs a value (-o OPT[,OPT...])");
      Status status = ApplyOptionList(args[++i], out);
      if (!status.ok()) return status;
    } else if (arg.size() > 2 && arg.compare(0, 2, "-o") == 0) {
      Status status = ApplyOptionList(std::string_view(arg).substr(2), out);
      if (!status.ok()) return status;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return Status::InvalidArgument("unknown option `" + arg + "' (s3mount --help lists them)");
    } else {
      positional.push_back(arg);
    }
  }
  if (debug_count >= 1 && out.log_level > LogLevel::kDebug) out.log_level = LogLevel::kDebug;
  if (debug_count >= 2) {
    out.fuse_debug = true;
    out.foreground = true;
  }

  size_t next = 0;
  if (out.fs.bucket.empty()) {
    if (positional.empty()) return Status::InvalidArgument("missing BUCKET argument.");
    Status status = SetBucketSpec(positional[next++], out);
    if (!status.ok()) return status;
  }
  if (next == positional.size()) return Status::InvalidArgument("missing MOUNTPOINT argument.");
  out.mountpoint = positional[next++];
  if (out.mountpoint.empty()) return Status::InvalidArgument("MOUNTPOINT is empty.");
  if (next < positional.size()) {
    return Status::InvalidArgument("unexpected argument `" + positional[next] + "'");
  }
  Status status = Finalize(out);
  if (!status.ok()) return status;
  return out;
}

s3core::Result<std::string> ParseSseCustomerKeyFile(std::string_view contents) {
  size_t pos = 0;
  while (pos < contents.size()) {
    size_t end = contents.find('\n', pos);
    if (end == std::string_view::npos) end = contents.size();
    const std::string_view line = Trim(contents.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line[0] == '#') continue;
    if (line.size() <= kSseKeyBytes) {
      if (line.size() != kSseKeyBytes) {
        return Status::InvalidArgument("SSE-C key file: the key is " + std::to_string(line.size()) +
                                       " bytes; it must be 32 bytes, or their base64");
      }
      return std::string(line);
    }
    // base64 of 32 bytes is 44 characters with one '=' of padding.
    std::string decoded(line.size(), '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                  reinterpret_cast<const unsigned char*>(line.data()), static_cast<int>(line.size()));
    if (n < 0) return Status::InvalidArgument("SSE-C key file: the key is neither 32 bytes nor valid base64");
    size_t size = static_cast<size_t>(n);
    for (size_t i = line.size(); i > 0 && line[i - 1] == '=' && size > 0; --i) --size;
    if (size != kSseKeyBytes) {
      return Status::InvalidArgument("SSE-C key file: the base64 key decodes to " + std::to_string(size) +
                                     " bytes; it must be 32");
    }
    decoded.resize(size);
    return decoded;
  }
  return Status::InvalidArgument("SSE-C key file holds no key");
}

Status LoadOptionFiles(MountOptions& options) {
  if (options.sse_customer_key_file.empty()) return {};
  const std::string& path = options.sse_customer_key_file;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::InvalidArgument("SSE-C key file " + path + ": " + std::strerror(errno));
  struct stat st {};
  std::string contents;
  Status status;
  if (fstat(fd, &st) != 0) {
    status = Status::Io("SSE-C key file " + path + ": " + std::strerror(errno));
  } else if ((st.st_mode & (S_IXUSR | S_IRWXG | S_IRWXO)) != 0) {
    // Like s3fs (and our passwd files): a key others can read is refused.
    status = Status::InvalidArgument("SSE-C key file " + path + " must not be accessible by others (chmod 600 " +
                                     path + ")");
  } else {
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0 && contents.size() < (1 << 20)) {
      contents.append(buf, static_cast<size_t>(n));
    }
    if (n < 0) status = Status::Io("SSE-C key file " + path + ": " + std::strerror(errno));
  }
  close(fd);
  if (!status.ok()) return status;
  auto key = ParseSseCustomerKeyFile(contents);
  if (!key.ok()) return Status::InvalidArgument(key.status().message() + " (" + path + ")");
  options.fs.write_options.sse.customer_key = std::move(key).value();
  return {};
}

std::string UsageLine() {
  return "usage: s3mount BUCKET[:/PREFIX] MOUNTPOINT [-o OPTION[,OPTION...]] [-f] [-d] [-s]\n";
}

std::string VersionText() { return std::string("s3mount ") + S3MOUNT_VERSION + "\n"; }

std::string HelpText() {
  std::string text = UsageLine();
  text +=
      "\nMounts an S3 bucket (or a prefix in it) as a file system, in the on-bucket format of s3fs.\n"
      "Runs as a daemon that returns once the mount is live; errors go to stderr.\n"
      "MOUNTPOINT may be /dev/fd/N: an open /dev/fuse descriptor of a mount made by the caller.\n"
      "\ngeneral options:\n"
      "  -h, --help        this help\n"
      "  -V, --version     version\n"
      "  -f                stay in the foreground, log to stderr\n"
      "  -d                debug logging (twice: also libfuse's request trace, implies -f)\n"
      "  -s                single-threaded\n"
      "  -o OPT[,OPT...]   mount options (below); several -o are allowed\n";
  std::string_view section;
  for (const auto& spec : OptionTable()) {
    if (spec.section != section) {
      section = spec.section;
      text.append("\n").append(section).append(":\n");
    }
    std::string left = "  -o ";
    left.append(spec.name);
    if (!spec.value_hint.empty()) left.append("=").append(spec.value_hint);
    text.append(left);
    if (left.size() < 30) {
      text.append(30 - left.size(), ' ');
    } else {
      text.append("\n").append(30, ' ');
    }
    text.append(spec.help).append("\n");
  }
  text += "\nfstab: BUCKET[:/PREFIX] /mnt/point fuse.s3mount _netdev,allow_other,OPTIONS 0 0\n";
  return text;
}

}  // namespace mounter::cli

// The table of s3mount's -o options: one row per option, with its help text and how it applies.
// s3fs's names and units are kept where we do the same thing (multipart_size in MiB,
// stat_cache_expire in seconds, endpoint = the signing region, umask in octal).
#include <algorithm>
#include <cctype>
#include <chrono>

#include "mounter/cli/mount_options.h"
#include "mounter/cli/option_values.h"
#include "s3core/metrics/metrics_server.h"

namespace mounter::cli {

s3core::Status SetBucketSpec(std::string_view spec, MountOptions& out);  // mount_options.cc

namespace {

using s3core::Status;
using Kind = OptionSpec::Kind;
using SV = std::string_view;

Status SetFlag(SV option, SV value, bool& field, bool when_set = true) {
  auto flag = ParseFlag(option, value);
  if (!flag.ok()) return flag.status();
  field = *flag ? when_set : !when_set;
  return {};
}

Status SetText(SV option, SV value, std::string& field) {
  if (value.empty()) return BadValue(option, value, "is empty");
  field = std::string(value);
  return {};
}

Status SetSeconds(SV option, SV value, uint64_t max, std::chrono::milliseconds& field) {
  auto n = ParseUnsigned(option, value, 0, max);
  if (!n.ok()) return n.status();
  field = std::chrono::milliseconds(*n * 1000);
  return {};
}

Status Ignore(SV, MountOptions&) { return {}; }

// A kernel mount flag that libfuse 3 passes on as is (nosuid, noexec, ...).
Status PassToFuse(SV name, SV value, MountOptions& o) {
  std::string option(name);
  if (!value.empty()) option.append("=").append(value);
  o.fuse_options.push_back(std::move(option));
  return {};
}

Status SetLogLevel(SV v, MountOptions& o) {
  struct Name {
    SV name;
    LogLevel level;
  };
  // Ours, and s3fs's dbglevel names (crit, err, warn, info, dbg/debug).
  static constexpr Name kNames[] = {
      {"trace", LogLevel::kTrace}, {"debug", LogLevel::kDebug}, {"dbg", LogLevel::kDebug},
      {"info", LogLevel::kInfo},   {"warn", LogLevel::kWarn},   {"warning", LogLevel::kWarn},
      {"error", LogLevel::kError}, {"err", LogLevel::kError},   {"crit", LogLevel::kError},
      {"off", LogLevel::kOff}};
  for (const auto& n : kNames) {
    if (n.name == v) {
      o.log_level = n.level;
      return {};
    }
  }
  return BadValue("log_level", v, "is not a log level (trace, debug, info, warn, error, off)");
}

Status SetAcl(SV v, MountOptions& o) {
  static constexpr SV kCanned[] = {"private",           "public-read",       "public-read-write",
                                   "aws-exec-read",     "authenticated-read", "bucket-owner-read",
                                   "bucket-owner-full-control", "log-delivery-write"};
  if (std::find(std::begin(kCanned), std::end(kCanned), v) == std::end(kCanned)) {
    return BadValue("default_acl", v, "is not a canned ACL (private, public-read, bucket-owner-full-control, ...)");
  }
  o.fs.write_options.acl = std::string(v);
  return {};
}

Status SetStorageClass(SV v, MountOptions& o) {
  // s3fs takes lower-case names (standard_ia) and sends them upper-cased; servers such as RGW
  // have classes of their own, so any name of letters, digits, '_' and '-' is accepted.
  const bool valid = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (!valid) return BadValue("storage_class", v, "is not a storage class name (like STANDARD_IA)");
  std::string upper(v);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  o.fs.write_options.storage_class = std::move(upper);
  return {};
}

// s3fs's forms: 1 (SSE-S3), kmsid / k (SSE-KMS, default key), kmsid:ID / k:ID, custom:PATH /
// c:PATH (SSE-C with a key file), custom / c (key file given by load_sse_c).
Status SetSse(SV v, MountOptions& o) {
  using Mode = s3core::ServerSideEncryption::Mode;
  auto& sse = o.fs.write_options.sse;
  const auto colon = v.find(':');
  const SV kind = v.substr(0, colon);
  const SV arg = colon == SV::npos ? SV() : v.substr(colon + 1);
  sse = {};
  if ((kind == "1" || kind == "AES256") && colon == SV::npos) {
    sse.mode = Mode::kS3;
  } else if (kind == "kmsid" || kind == "k") {
    sse.mode = Mode::kKms;
    sse.kms_key_id = std::string(arg);
  } else if (kind == "custom" || kind == "c") {
    sse.mode = Mode::kCustomerKey;
    if (!arg.empty()) o.sse_customer_key_file = std::string(arg);
  } else {
    return BadValue("use_sse", v, "is not 1, kmsid[:KEY_ID] or custom[:KEY_FILE]");
  }
  return {};
}

Status SetOwner(SV option, SV v, MountOptions& o, bool is_uid) {
  auto n = ParseUnsigned(option, v, 0, 0xFFFFFFFEu);  // (uid_t)-1 means "no change" to the kernel
  if (!n.ok()) return n.status();
  if (is_uid) {
    o.fs.uid = static_cast<uid_t>(*n);
  } else {
    o.fs.gid = static_cast<gid_t>(*n);
  }
  o.fs.override_owner = true;
  return {};
}

// The mount(8) flags libfuse 3.14 knows (lib/mount.c); given to the kernel unchanged.
#define S3MOUNT_KERNEL(NAME, HELP) \
  {"mount(8) compatibility", NAME, Kind::kFlag, "", HELP, [](SV, MountOptions& o) { return PassToFuse(NAME, {}, o); }}
// Options mount(8) and fstab use for themselves; a helper may still be handed them.
#define S3MOUNT_IGNORED(NAME) \
  {"mount(8) compatibility", NAME, Kind::kFlag, "", "accepted and ignored (an fstab/mount(8) option)", Ignore}

const std::vector<OptionSpec> kTable = {
    // --- What to mount.
    {"Bucket", "bucket", Kind::kValue, "NAME[:/PREFIX]",
     "bucket (and prefix) to mount, when not given as the first argument (s3fs)", SetBucketSpec},

    // --- S3 connection.
    {"S3 connection", "url", Kind::kValue, "URL",
     "S3 endpoint URL (s3fs): http://127.0.0.1:7480, https://s3.eu-west-1.amazonaws.com; default AWS for the region",
     [](SV v, MountOptions& o) { return SetText("url", v, o.s3.endpoint); }},
    {"S3 connection", "endpoint", Kind::kValue, "REGION",
     "signing region, as in s3fs, where `endpoint' is the region name (not a URL); same as region",
     [](SV v, MountOptions& o) { return SetText("endpoint", v, o.s3.region); }},
    {"S3 connection", "region", Kind::kValue, "REGION",
     "signing region; default AWS_REGION, AWS_DEFAULT_REGION, else us-east-1",
     [](SV v, MountOptions& o) { return SetText("region", v, o.s3.region); }},
    {"S3 connection", "use_path_request_style", Kind::kFlag, "",
     "path-style requests (http://host/bucket/key) instead of virtual-host style (s3fs)",
     [](SV v, MountOptions& o) {
       bool path = false;
       Status s = SetFlag("use_path_request_style", v, path);
       o.s3.addressing = path ? s3core::AddressingStyle::kPath : s3core::AddressingStyle::kAuto;
       return s;
     }},
    {"S3 connection", "connect_timeout", Kind::kValue, "SECONDS", "TCP/TLS connect timeout (s3fs); default 10",
     [](SV v, MountOptions& o) {
       auto n = ParseUnsigned("connect_timeout", v, 1, 3600);
       if (n.ok()) o.s3.http.connect_timeout = std::chrono::seconds(*n);
       return n.status();
     }},
    {"S3 connection", "readwrite_timeout", Kind::kValue, "SECONDS",
     "a transfer that makes no progress this long fails and is retried (s3fs); default 30",
     [](SV v, MountOptions& o) {
       auto n = ParseUnsigned("readwrite_timeout", v, 1, 86400);
       if (n.ok()) o.s3.http.low_speed_time = std::chrono::seconds(*n);
       return n.status();
     }},
    {"S3 connection", "retries", Kind::kValue, "N", "tries per S3 request, the first included (s3fs); default 5",
     [](SV v, MountOptions& o) {
       auto n = ParseUnsigned("retries", v, 1, 100);
       if (n.ok()) o.s3.retry.max_attempts = static_cast<int>(*n);
       return n.status();
     }},
    {"S3 connection", "no_check_certificate", Kind::kFlag, "",
     "do not verify the server's TLS certificate (s3fs; test setups only)",
     [](SV v, MountOptions& o) { return SetFlag("no_check_certificate", v, o.s3.http.verify_tls, false); }},
    {"S3 connection", "ssl_verify_hostname", Kind::kValue, "0|1|2",
     "0 turns TLS verification off (s3fs; here it also skips the certificate check); 1 or 2: on",
     [](SV v, MountOptions& o) {
       auto n = ParseUnsigned("ssl_verify_hostname", v, 0, 2);
       if (n.ok()) o.s3.http.verify_tls = *n != 0;
       return n.status();
     }},
    {"S3 connection", "ca_bundle", Kind::kValue, "PATH", "PEM file of CAs to trust instead of the system's",
     [](SV v, MountOptions& o) { return SetText("ca_bundle", v, o.s3.http.ca_bundle); }},
    {"S3 connection", "requester_pays", Kind::kFlag, "", "send x-amz-request-payer: requester (s3fs)",
     [](SV v, MountOptions& o) { return SetFlag("requester_pays", v, o.s3.requester_pays); }},
    {"S3 connection", "sign_payload", Kind::kFlag, "",
     "sign request bodies with their SHA-256 instead of UNSIGNED-PAYLOAD",
     [](SV v, MountOptions& o) { return SetFlag("sign_payload", v, o.s3.sign_payload); }},

    // --- Credentials.
    {"Credentials", "passwd_file", Kind::kValue, "PATH",
     "s3fs passwd file (ACCESS:SECRET or BUCKET:ACCESS:SECRET lines, mode 0600)",
     [](SV v, MountOptions& o) { return SetText("passwd_file", v, o.s3.credentials.passwd_file); }},
    {"Credentials", "profile", Kind::kValue, "NAME", "profile of ~/.aws/credentials and ~/.aws/config (s3fs)",
     [](SV v, MountOptions& o) { return SetText("profile", v, o.s3.credentials.profile); }},
    {"Credentials", "public_bucket", Kind::kFlag, "", "anonymous access: requests are not signed (s3fs: public_bucket=1)",
     [](SV v, MountOptions& o) { return SetFlag("public_bucket", v, o.s3.credentials.anonymous); }},
    {"Credentials", "anonymous", Kind::kFlag, "", "same as public_bucket",
     [](SV v, MountOptions& o) { return SetFlag("anonymous", v, o.s3.credentials.anonymous); }},

    // --- Objects written.
    {"Objects written", "default_acl", Kind::kValue, "ACL",
     "canned ACL of written objects (s3fs): private, public-read, bucket-owner-full-control, ...; default none sent",
     SetAcl},
    {"Objects written", "storage_class", Kind::kValue, "CLASS",
     "storage class of written objects (s3fs): standard, standard_ia, onezone_ia, intelligent_tiering, ...",
     SetStorageClass},
    {"Objects written", "use_sse", Kind::kValue, "1|kmsid[:ID]|custom[:KEYFILE]",
     "server-side encryption (s3fs): 1 = SSE-S3, kmsid = SSE-KMS (optional key id), custom = SSE-C with the "
     "first key of KEYFILE (mode 0600; a key of 32 bytes raw, or base64)",
     SetSse},
    {"Objects written", "load_sse_c", Kind::kValue, "KEYFILE", "SSE-C key file for use_sse=custom (s3fs)",
     [](SV v, MountOptions& o) {
       Status s = SetText("load_sse_c", v, o.sse_customer_key_file);
       if (s.ok()) o.fs.write_options.sse.mode = s3core::ServerSideEncryption::Mode::kCustomerKey;
       return s;
     }},
    {"Objects written", "multipart_size", Kind::kValue, "MIB", "part size of uploads in MiB (s3fs), 5 to 5120; default 10",
     [](SV v, MountOptions& o) {
       auto n = ParseUnsigned("multipart_size", v, 5, 5120);
       if (n.ok()) o.fs.multipart_size = *n << 20;
       return n.status();
     }},
    {"Objects written", "parallel_count", Kind::kValue, "N",
     "parallel part uploads and ranged reads per file (s3fs), 1 to 100; default 5",
     [](SV v, MountOptions& o) {
       auto n = ParseUnsigned("parallel_count", v, 1, 100);
       if (n.ok()) o.fs.parallel_count = static_cast<int>(*n);
       return n.status();
     }},
    {"Objects written", "stream_writes", Kind::kFlag, "",
     "upload new files written from start to end while they are written (multipart), without a local copy; "
     "default on (stream_writes=0: stage in a local file and upload at close)",
     [](SV v, MountOptions& o) { return SetFlag("stream_writes", v, o.fs.streaming_writes); }},
    {"Data path", "read_ahead_mb", Kind::kValue, "MIB",
     "largest read-ahead window per open file in MiB (it grows while a reader stays sequential); 0 disables; "
     "default 64",
     [](SV v, MountOptions& o) {
       auto n = ParseUnsigned("read_ahead_mb", v, 0, 4096);
       if (n.ok()) o.fs.read_ahead_max = *n << 20;
       return n.status();
     }},
    {"Data path", "memory_limit_mb", Kind::kValue, "MIB",
     "memory for all read-ahead and write buffers together in MiB; windows shrink when it is used up; "
     "default: an eighth of the cgroup memory limit (or of RAM), 64 to 512",
     [](SV v, MountOptions& o) {
       auto n = ParseUnsigned("memory_limit_mb", v, 16, 1ULL << 20);
       if (n.ok()) o.fs.memory_limit = *n << 20;
       return n.status();
     }},

    // --- Ownership and permissions.
    {"Ownership and permissions", "uid", Kind::kValue, "UID",
     "owner of every file and directory (s3fs); default: stored metadata, else the mounting user",
     [](SV v, MountOptions& o) { return SetOwner("uid", v, o, true); }},
    {"Ownership and permissions", "gid", Kind::kValue, "GID", "group of every file and directory (s3fs)",
     [](SV v, MountOptions& o) { return SetOwner("gid", v, o, false); }},
    {"Ownership and permissions", "umask", Kind::kValue, "OCTAL",
     "mask for objects without stored mode (files 0666, directories 0777 before it) (s3fs); default 022",
     [](SV v, MountOptions& o) {
       auto m = ParseOctalMask("umask", v);
       if (m.ok()) o.fs.umask = *m;
       return m.status();
     }},
    {"Ownership and permissions", "mp_umask", Kind::kValue, "OCTAL", "mask of the mount point's own mode (s3fs); default 022",
     [](SV v, MountOptions& o) {
       auto m = ParseOctalMask("mp_umask", v);
       if (m.ok()) o.fs.mp_umask = *m;
       return m.status();
     }},
    {"Ownership and permissions", "allow_other", Kind::kFlag, "",
     "let other users access the mount (FUSE; needs user_allow_other in /etc/fuse.conf for non-root)",
     [](SV v, MountOptions& o) { return SetFlag("allow_other", v, o.fs.allow_other); }},
    {"Ownership and permissions", "allow_root", Kind::kFlag, "", "let root (and the mounting user) access the mount (FUSE)",
     [](SV v, MountOptions& o) {
       bool on = false;
       Status s = SetFlag("allow_root", v, on);
       if (s.ok() && on) s = PassToFuse("allow_root", {}, o);
       return s;
     }},
    {"Ownership and permissions", "default_permissions", Kind::kFlag, "",
     "the kernel checks permissions against the files' modes (always on; accepted for s3fs fstab lines)", Ignore},
    {"Ownership and permissions", "ro", Kind::kFlag, "", "read-only mount",
     [](SV v, MountOptions& o) { return SetFlag("ro", v, o.fs.read_only); }},
    {"Ownership and permissions", "rw", Kind::kFlag, "", "read-write mount (the default)",
     [](SV v, MountOptions& o) { return SetFlag("rw", v, o.fs.read_only, false); }},

    // --- Caching.
    {"Caching", "use_cache", Kind::kValue, "DIR",
     "local data cache and staging directory (s3fs); blocks validated by ETag; default: no data cache, "
     "staging in the temp dir",
     [](SV v, MountOptions& o) { return SetText("use_cache", v, o.fs.cache_dir); }},
    {"Caching", "cache_size_mb", Kind::kValue, "MIB",
     "size cap of the use_cache data cache in MiB (least recently used blocks go first); 0 = staging only; "
     "default 4096",
     [](SV v, MountOptions& o) {
       auto n = ParseUnsigned("cache_size_mb", v, 0, 1ULL << 30);
       if (n.ok()) o.fs.data_cache_size = *n << 20;
       return n.status();
     }},
    {"Caching", "stat_cache_expire", Kind::kValue, "SECONDS",
     "how long attributes and directory listings are cached (s3fs); default 60",
     [](SV v, MountOptions& o) {
       Status s = SetSeconds("stat_cache_expire", v, 31'536'000, o.fs.stat_ttl);
       o.fs.dir_ttl = o.fs.stat_ttl;
       return s;
     }},
    {"Caching", "negative_cache_expire", Kind::kValue, "SECONDS", "how long \"does not exist\" answers are cached; default 5",
     [](SV v, MountOptions& o) { return SetSeconds("negative_cache_expire", v, 31'536'000, o.fs.negative_ttl); }},
    {"Caching", "disable_noobj_cache", Kind::kFlag, "", "do not cache \"does not exist\" answers (s3fs)",
     [](SV, MountOptions& o) {
       o.fs.negative_ttl = std::chrono::milliseconds(0);
       return Status();
     }},
    {"Caching", "enable_noobj_cache", Kind::kFlag, "", "cache \"does not exist\" answers (s3fs; the default)", Ignore},
    {"Caching", "max_stat_cache_size", Kind::kValue, "N", "most entries in the metadata cache (s3fs); default 100000",
     [](SV v, MountOptions& o) {
       auto n = ParseUnsigned("max_stat_cache_size", v, 1, 100'000'000);
       if (n.ok()) o.fs.max_cached_entries = *n;
       return n.status();
     }},
    {"Caching", "readdir_head_objects", Kind::kFlag, "",
     "HEAD every entry in readdir for exact mode/owner of objects written by s3fs (slow on large directories)",
     [](SV v, MountOptions& o) { return SetFlag("readdir_head_objects", v, o.fs.readdir_head_objects); }},

    // --- s3fs compatibility switches that are always on here.
    {"s3fs compatibility", "compat_dir", Kind::kFlag, "", "directories without marker objects are listed (always on)", Ignore},
    {"s3fs compatibility", "complement_stat", Kind::kFlag, "", "objects without stored mode get sane defaults (always on)",
     Ignore},
    {"s3fs compatibility", "use_xattr", Kind::kFlag, "", "user.* extended attributes are stored (always on)", Ignore},
    {"s3fs compatibility", "nonempty", Kind::kFlag, "", "mount over a non-empty directory (always allowed by FUSE 3)", Ignore},
    {"s3fs compatibility", "sigv4", Kind::kFlag, "", "AWS signature version 4 (the only one used)", Ignore},
    {"s3fs compatibility", "dbglevel", Kind::kValue, "LEVEL", "same as log_level (s3fs names crit, err, warn, info, dbg)",
     [](SV v, MountOptions& o) { return SetLogLevel(v, o); }},

    // --- Logging and process.
    {"Logging and process", "log_level", Kind::kValue, "LEVEL", "trace, debug, info, warn, error, off; default info",
     [](SV v, MountOptions& o) { return SetLogLevel(v, o); }},
    {"Logging and process", "logfile", Kind::kValue, "PATH",
     "daemon mode: log to this file instead of syslog (s3fs); in the foreground logs go to stderr",
     [](SV v, MountOptions& o) { return SetText("logfile", v, o.log_file); }},
    {"Logging and process", "debug", Kind::kFlag, "", "libfuse's trace of every request on stderr; implies -f",
     [](SV v, MountOptions& o) {
       Status s = SetFlag("debug", v, o.fuse_debug);
       if (o.fuse_debug) o.foreground = true;
       return s;
     }},
    {"Logging and process", "max_idle_threads", Kind::kValue, "N", "idle FUSE worker threads kept (libfuse); default 10",
     [](SV v, MountOptions& o) {
       auto n = ParseUnsigned("max_idle_threads", v, 1, 10'000);
       if (n.ok()) o.max_idle_threads = static_cast<unsigned>(*n);
       return n.status();
     }},
    {"Logging and process", "clone_fd", Kind::kFlag, "", "one /dev/fuse descriptor per worker thread (libfuse)",
     [](SV v, MountOptions& o) { return SetFlag("clone_fd", v, o.clone_fd); }},
    {"Logging and process", "auto_unmount", Kind::kFlag, "",
     "unmount when s3mount exits, even if killed (libfuse; pending uploads are then lost)",
     [](SV, MountOptions& o) { return PassToFuse("auto_unmount", {}, o); }},
    {"Logging and process", "ready_fd", Kind::kValue, "N",
     "write \"ready\\n\" to open descriptor N once the mount is live, then close it (for supervisors such as "
     "s3csi-mounterd; start-up errors go to stderr and the exit status is 1)",
     [](SV v, MountOptions& o) {
       auto n = ParseUnsigned("ready_fd", v, 3, 65535);  // 0-2 are stdio
       if (n.ok()) o.ready_fd = static_cast<int>(*n);
       return n.status();
     }},
    {"Logging and process", "metrics_address", Kind::kValue, "IP:PORT",
     "serve Prometheus metrics on http://IP:PORT/metrics (127.0.0.1:9464; :PORT = every IPv4 address); default off",
     [](SV v, MountOptions& o) {
       auto address = s3core::metrics::ParseListenAddress(std::string(v));
       if (!address.ok()) return BadValue("metrics_address", v, "is not IP:PORT");
       o.metrics_address = std::string(v);
       return Status();
     }},
    {"Logging and process", "metrics_file", Kind::kValue, "PATH",
     "write the metrics in Prometheus' text format to PATH every 10 s and at exit (replaced atomically, mode "
     "0644); default off",
     [](SV v, MountOptions& o) { return SetText("metrics_file", v, o.metrics_file); }},
    {"Logging and process", "fsname", Kind::kValue, "NAME", "source name shown in /proc/mounts; default the bucket",
     [](SV v, MountOptions& o) { return PassToFuse("fsname", v, o); }},

    // --- mount(8) options.
    S3MOUNT_KERNEL("suid", "honour set-user-id bits (root only)"),
    S3MOUNT_KERNEL("nosuid", "ignore set-user-id bits"),
    S3MOUNT_KERNEL("dev", "honour device files (root only)"),
    S3MOUNT_KERNEL("nodev", "ignore device files"),
    S3MOUNT_KERNEL("exec", "allow executing files"),
    S3MOUNT_KERNEL("noexec", "forbid executing files"),
    S3MOUNT_KERNEL("async", "asynchronous I/O (the default)"),
    S3MOUNT_KERNEL("sync", "synchronous I/O"),
    S3MOUNT_KERNEL("dirsync", "synchronous directory changes"),
    S3MOUNT_KERNEL("noatime", "do not update access times"),
    S3MOUNT_KERNEL("nodiratime", "do not update directory access times"),
    S3MOUNT_IGNORED("atime"),
    S3MOUNT_IGNORED("relatime"),
    S3MOUNT_IGNORED("norelatime"),
    S3MOUNT_IGNORED("strictatime"),
    S3MOUNT_IGNORED("defaults"),
    S3MOUNT_IGNORED("auto"),
    S3MOUNT_IGNORED("noauto"),
    S3MOUNT_IGNORED("user"),
    S3MOUNT_IGNORED("nouser"),
    S3MOUNT_IGNORED("users"),
    S3MOUNT_IGNORED("owner"),
    S3MOUNT_IGNORED("group"),
    S3MOUNT_IGNORED("_netdev"),
    S3MOUNT_IGNORED("nofail"),
};

#undef S3MOUNT_KERNEL
#undef S3MOUNT_IGNORED

}  // namespace

const std::vector<OptionSpec>& OptionTable() { return kTable; }

}  // namespace mounter::cli

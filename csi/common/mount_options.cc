#include "csi/common/mount_options.h"

#include <algorithm>
#include <array>

#include "csi/common/validation.h"

namespace s3csi {

using s3core::Result;
using s3core::Status;

namespace {

struct Allowed {
  std::string_view name;
  bool takes_value;  // required value; flags may still carry one (public_bucket=1), s3mount checks it
};

// Names as in mounter/cli/option_table.cc.
constexpr std::array kAllowed = {
    Allowed{"url", true},
    Allowed{"endpoint", true},
    Allowed{"region", true},
    Allowed{"use_path_request_style", false},
    Allowed{"connect_timeout", true},
    Allowed{"readwrite_timeout", true},
    Allowed{"retries", true},
    Allowed{"no_check_certificate", false},
    Allowed{"ssl_verify_hostname", true},
    Allowed{"requester_pays", false},
    Allowed{"sign_payload", false},
    Allowed{"public_bucket", false},
    Allowed{"anonymous", false},
    Allowed{"default_acl", true},
    Allowed{"storage_class", true},
    Allowed{"use_sse", true},
    Allowed{"multipart_size", true},
    Allowed{"parallel_count", true},
    Allowed{"uid", true},
    Allowed{"gid", true},
    Allowed{"umask", true},
    Allowed{"mp_umask", true},
    Allowed{"allow_other", false},
    Allowed{"default_permissions", false},
    Allowed{"ro", false},
    Allowed{"rw", false},
    Allowed{"stat_cache_expire", true},
    Allowed{"negative_cache_expire", true},
    Allowed{"disable_noobj_cache", false},
    Allowed{"enable_noobj_cache", false},
    Allowed{"max_stat_cache_size", true},
    Allowed{"readdir_head_objects", false},
    Allowed{"compat_dir", false},
    Allowed{"complement_stat", false},
    Allowed{"use_xattr", false},
    Allowed{"sigv4", false},
    Allowed{"dbglevel", true},
    Allowed{"log_level", true},
    Allowed{"max_idle_threads", true},
    // mount(8) flags that cannot raise privileges.
    Allowed{"nosuid", false},
    Allowed{"nodev", false},
    Allowed{"noexec", false},
    Allowed{"exec", false},
    Allowed{"async", false},
    Allowed{"sync", false},
    Allowed{"dirsync", false},
    Allowed{"noatime", false},
    Allowed{"nodiratime", false},
    Allowed{"atime", false},
    Allowed{"relatime", false},
    Allowed{"norelatime", false},
    Allowed{"strictatime", false},
    Allowed{"defaults", false},
    Allowed{"_netdev", false},
    Allowed{"nofail", false},
};

Status CheckOption(std::string_view option) {
  const size_t eq = option.find('=');
  const std::string_view name = option.substr(0, eq);
  const auto it = std::find_if(kAllowed.begin(), kAllowed.end(), [&](const Allowed& a) { return a.name == name; });
  if (it == kAllowed.end()) {
    return Status::InvalidArgument("mount option '" + std::string(name) + "' is not allowed for CSI volumes");
  }
  const bool has_value = eq != std::string_view::npos;
  if (it->takes_value && (!has_value || eq + 1 == option.size())) {
    return Status::InvalidArgument("mount option '" + std::string(name) + "' needs a value");
  }
  S3_RETURN_IF_ERROR(CheckNoControlChars("mount option", option));
  if (option.find_first_of(" \t\n\r\\\"'") != std::string_view::npos) {
    return Status::InvalidArgument("mount option '" + std::string(name) + "' contains blanks, quotes or backslashes");
  }
  if (name == "use_sse") {
    const std::string_view value = option.substr(eq + 1);
    if (value.substr(0, 1) == "c") {
      return Status::InvalidArgument("use_sse=custom needs a key file on the node and is not allowed for CSI volumes");
    }
  }
  return {};
}

}  // namespace

Result<std::vector<std::string>> ParseMountOptions(std::string_view list) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view item = list.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) {
      S3_RETURN_IF_ERROR(CheckOption(item));
      out.emplace_back(item);
    }
    pos = comma + 1;
  }
  return out;
}

bool HasOption(const std::vector<std::string>& options, std::string_view name) {
  return std::any_of(options.begin(), options.end(), [&](const std::string& o) {
    return o == name || (o.size() > name.size() && o.compare(0, name.size(), name) == 0 && o[name.size()] == '=');
  });
}

std::string JoinOptions(const std::vector<std::string>& options) {
  std::string out;
  for (const auto& o : options) {
    if (!out.empty()) out.push_back(',');
    out += o;
  }
  return out;
}

}  // namespace s3csi

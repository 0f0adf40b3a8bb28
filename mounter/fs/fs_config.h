// Settings of the file system core. Filled from s3mount's -o options (mounter/cli) or by the
// CSI plugin; plain data, passed in, never global.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "s3core/model.h"

namespace mounter {

struct FsConfig {
  std::string bucket;
  std::string prefix;  // "" or "some/prefix/" (always with a trailing slash)

  // Ownership and permissions of objects without s3fs metadata (written by other tools).
  uid_t uid = 0;
  gid_t gid = 0;
  mode_t umask = 0022;        // applied to defaults: files 0666 & ~umask, dirs 0777 & ~umask
  bool override_owner = false;  // uid/gid options given: they win over stored metadata, like s3fs
  mode_t mp_umask = 0022;     // the mount point's own mode
  bool read_only = false;
  bool allow_other = false;
  bool default_permissions = true;  // the kernel checks permissions against our attributes

  // Metadata cache (stat_cache_expire and friends).
  std::chrono::milliseconds stat_ttl{60'000};
  std::chrono::milliseconds negative_ttl{5'000};
  std::chrono::milliseconds dir_ttl{60'000};
  size_t max_cached_entries = 100'000;

  // Writes.
  s3core::WriteOptions write_options;  // storage class, ACL, SSE applied to every object written
  uint64_t multipart_size = 10 << 20;  // part size for uploads (s3fs multipart_size, in bytes)
  int parallel_count = 5;              // parallel part uploads / ranged reads
  std::string cache_dir;               // use_cache: staging and data cache dir ("" = tmpdir)
  // Data path (issue 4). The memory budget bounds every read-ahead window and write buffer
  // together; 0 = DefaultMemoryLimit() (an eighth of the cgroup limit, in [64, 512] MiB).
  uint64_t memory_limit = 0;
  uint64_t read_ahead_max = 64 << 20;   // largest read-ahead window per handle; 0 disables it
  bool streaming_writes = true;         // new files written sequentially stream as multipart
  uint64_t data_cache_size = 4ULL << 30;  // use_cache: cap of the local data cache; 0 = no cache
  int background_threads = 16;          // read-ahead fetches and part uploads in flight, in all
  // Objects larger than this are copied (rename, chmod, ...) with UploadPartCopy parts instead
  // of one CopyObject (S3's limit is 5 GiB; tests lower it).
  uint64_t max_single_copy_size = 5ULL << 30;

  // Compatibility.
  bool compat_dir_folder_suffix = true;  // read "name_$folder$" markers written by old tools
  bool readdir_head_objects = false;     // HEAD each entry in readdir for exact mode/uid (slow)
};

}  // namespace mounter

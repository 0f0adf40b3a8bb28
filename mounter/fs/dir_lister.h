// Listing one directory: ListObjectsV2 with delimiter "/", all pages, merged into children.
//
// Files come from objects, directories from common prefixes (implicit or with a "name/" marker
// inside them), from old tools' "name_$folder$" objects, and the directory's own marker is
// skipped. A name that is both a file and a directory shows as the directory.
//
// Listing data has no user metadata: by default a child's mode/uid/gid are the mount's defaults
// and only size and mtime are real (one request per 1000 children). With HeadEach the exact
// s3fs attributes are fetched with one HEAD per child, `parallelism` at a time: slower, and
// what s3fs does.
#pragma once

#include <cstdint>
#include <string>

#include "mounter/fs/node_info.h"
#include "s3core/object_store.h"

namespace mounter {

struct DirListerOptions {
  std::string bucket;
  AttributeDefaults defaults;
  bool folder_suffix_compat = true;
  s3core::TimePoint implicit_dir_mtime{};  // what directories without a marker show as mtime
};

// `dir_prefix` is "" (bucket root) or ends with "/".
s3core::Result<DirListing> ListDirectory(s3core::ObjectStore& store, const DirListerOptions& options,
                                         const std::string& dir_prefix);

// Which listed entries HeadEach asks about.
enum class HeadScope {
  kAll,                // every entry (readdir_head_objects): exact s3fs attributes everywhere
  kPossibleSymlinks,   // files smaller than PATH_MAX bytes: only those can be s3fs symlinks
};
// Objects of at least this size cannot hold a symlink target (PATH_MAX includes the NUL).
inline constexpr uint64_t kMaxSymlinkObjectSize = 4095;

// Replaces listing-derived attributes by HEAD results (files: HEAD key; directories: HEAD of
// the "name/" marker, absent = implicit), `parallelism` at a time. Entries whose HEAD fails
// keep the listing data.
void HeadEach(s3core::ObjectStore& store, const DirListerOptions& options, const std::string& dir_prefix,
              DirListing* listing, int parallelism, HeadScope scope = HeadScope::kAll);

}  // namespace mounter

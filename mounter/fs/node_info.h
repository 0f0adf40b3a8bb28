// What the file system knows about one node of the tree, and about one directory's children.
#pragma once

#include <string>
#include <vector>

#include "mounter/fs/s3fs_metadata.h"
#include "s3core/model.h"

namespace mounter {

struct NodeInfo {
  NodeAttributes attrs;
  // The object that carries the node: the file's key, a directory's marker ("dir/", old s3fs
  // "dir", or "dir_$folder$"); empty for an implicit directory (a prefix with no marker).
  std::string object_key;
  std::string etag;
  std::string content_type;
  s3core::UserMetadata metadata;  // full user metadata, when it came from HEAD
  // Attributes from a listing: size and mtime are real, mode/uid/gid are defaults and the
  // metadata is unknown until a HEAD.
  bool from_listing = false;

  bool is_dir() const { return S_ISDIR(attrs.mode); }
};

struct ListedEntry {
  std::string name;
  NodeInfo info;
};

// A directory's children, sorted by name, without "." and "..".
using DirListing = std::vector<ListedEntry>;

}  // namespace mounter

// InodeTable: inode numbers <-> (parent, name), with the kernel's lookup counts.
//
// An inode stays known while the kernel holds a reference (lookup count > 0); its number is
// stable for as long. Paths are not stored but derived from the parent chain, so renaming a
// directory is one update however many descendants are known. Unlinked inodes leave the
// (parent, name) index at once but live on until forgotten (open-unlinked files).
// Thread-safe.
#pragma once

#include <sys/types.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "mounter/fs/fs_types.h"

namespace mounter {

class InodeTable {
 public:
  InodeTable();

  // Finds or creates the inode for `name` in `parent` and adds one lookup reference. If the
  // known inode has a different type (the object was replaced by another tool), it is detached
  // and a new number is issued. Returns 0 if `parent` is unknown.
  Ino LookupOrCreate(Ino parent, std::string_view name, bool is_dir);
  // The inode of `name` in `parent`, without adding a reference.
  std::optional<Ino> Find(Ino parent, std::string_view name) const;
  // Drops `n` references; the inode is removed when none remain. Returns true if removed.
  bool Forget(Ino ino, uint64_t n);

  // Path relative to the mount root ("" for the root, "a/b" otherwise); nullopt if unknown or
  // unlinked (an ancestor detached counts as unlinked).
  std::optional<std::string> PathOf(Ino ino) const;
  std::optional<Ino> ParentOf(Ino ino) const;
  bool IsDir(Ino ino) const;
  bool Exists(Ino ino) const;

  // Removes `name` from `parent` (unlink/rmdir, or replaced by a rename); the inode itself stays
  // until forgotten.
  void Detach(Ino parent, std::string_view name);
  // Moves an entry (rename). A known target is detached first.
  void Move(Ino parent, std::string_view name, Ino new_parent, std::string_view new_name);

  uint64_t LookupCount(Ino ino) const;
  size_t size() const;

 private:
  struct Node {
    Ino parent = 0;
    std::string name;
    bool is_dir = false;
    bool attached = true;
    uint64_t lookups = 0;
  };
  std::optional<std::string> PathOfLocked(Ino ino) const;
  void DetachLocked(Ino parent, std::string_view name);

  mutable std::mutex mu_;
  Ino next_ino_ = kRootIno + 1;
  std::unordered_map<Ino, Node> nodes_;
  std::map<std::pair<Ino, std::string>, Ino, std::less<>> children_;
};

}  // namespace mounter

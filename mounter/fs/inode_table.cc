#include "mounter/fs/inode_table.h"

#include <vector>

namespace mounter {

InodeTable::InodeTable() {
  Node root;
  root.is_dir = true;
  root.lookups = 1;  // the kernel never forgets the root
  nodes_.emplace(kRootIno, std::move(root));
}

Ino InodeTable::LookupOrCreate(Ino parent, std::string_view name, bool is_dir) {
  std::lock_guard lock(mu_);
  if (nodes_.find(parent) == nodes_.end()) return 0;
  auto key = std::make_pair(parent, std::string(name));
  auto it = children_.find(key);
  if (it != children_.end()) {
    Node& node = nodes_.at(it->second);
    if (node.is_dir == is_dir) {
      ++node.lookups;
      return it->second;
    }
    DetachLocked(parent, name);
  }
  Ino ino = next_ino_++;
  Node node;
  node.parent = parent;
  node.name = std::string(name);
  node.is_dir = is_dir;
  node.lookups = 1;
  nodes_.emplace(ino, std::move(node));
  children_.emplace(std::move(key), ino);
  return ino;
}

std::optional<Ino> InodeTable::Find(Ino parent, std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = children_.find(std::make_pair(parent, std::string(name)));
  if (it == children_.end()) return std::nullopt;
  return it->second;
}

bool InodeTable::Forget(Ino ino, uint64_t n) {
  std::lock_guard lock(mu_);
  if (ino == kRootIno) return false;
  auto it = nodes_.find(ino);
  if (it == nodes_.end()) return false;
  Node& node = it->second;
  node.lookups = n >= node.lookups ? 0 : node.lookups - n;
  if (node.lookups > 0) return false;
  if (node.attached) {
    auto child = children_.find(std::make_pair(node.parent, node.name));
    if (child != children_.end() && child->second == ino) children_.erase(child);
  }
  // Known children keep their parent number; the kernel forgets children before their parent,
  // so this only happens for detached subtrees, whose paths are gone anyway.
  nodes_.erase(it);
  return true;
}

std::optional<std::string> InodeTable::PathOfLocked(Ino ino) const {
  std::vector<const std::string*> parts;
  Ino cur = ino;
  while (cur != kRootIno) {
    auto it = nodes_.find(cur);
    if (it == nodes_.end() || !it->second.attached) return std::nullopt;
    parts.push_back(&it->second.name);
    cur = it->second.parent;
    if (parts.size() > 4096) return std::nullopt;  // a cycle would be a bug; do not spin
  }
  std::string path;
  for (auto p = parts.rbegin(); p != parts.rend(); ++p) {
    if (!path.empty()) path += '/';
    path += **p;
  }
  return path;
}

std::optional<std::string> InodeTable::PathOf(Ino ino) const {
  std::lock_guard lock(mu_);
  return PathOfLocked(ino);
}

std::optional<Ino> InodeTable::ParentOf(Ino ino) const {
  std::lock_guard lock(mu_);
  if (ino == kRootIno) return kRootIno;
  auto it = nodes_.find(ino);
  if (it == nodes_.end()) return std::nullopt;
  return it->second.parent;
}

bool InodeTable::IsDir(Ino ino) const {
  std::lock_guard lock(mu_);
  auto it = nodes_.find(ino);
  return it != nodes_.end() && it->second.is_dir;
}

bool InodeTable::Exists(Ino ino) const {
  std::lock_guard lock(mu_);
  return nodes_.count(ino) > 0;
}

void InodeTable::DetachLocked(Ino parent, std::string_view name) {
  auto it = children_.find(std::make_pair(parent, std::string(name)));
  if (it == children_.end()) return;
  auto node = nodes_.find(it->second);
  if (node != nodes_.end()) node->second.attached = false;
  children_.erase(it);
}

void InodeTable::Detach(Ino parent, std::string_view name) {
  std::lock_guard lock(mu_);
  DetachLocked(parent, name);
}

void InodeTable::Move(Ino parent, std::string_view name, Ino new_parent, std::string_view new_name) {
  std::lock_guard lock(mu_);
  auto it = children_.find(std::make_pair(parent, std::string(name)));
  if (it == children_.end()) {
    DetachLocked(new_parent, new_name);
    return;
  }
  Ino ino = it->second;
  children_.erase(it);
  DetachLocked(new_parent, new_name);
  Node& node = nodes_.at(ino);
  node.parent = new_parent;
  node.name = std::string(new_name);
  children_.emplace(std::make_pair(new_parent, std::string(new_name)), ino);
}

uint64_t InodeTable::LookupCount(Ino ino) const {
  std::lock_guard lock(mu_);
  auto it = nodes_.find(ino);
  return it == nodes_.end() ? 0 : it->second.lookups;
}

size_t InodeTable::size() const {
  std::lock_guard lock(mu_);
  return nodes_.size();
}

}  // namespace mounter

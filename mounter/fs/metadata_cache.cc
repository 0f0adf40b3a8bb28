#include "mounter/fs/metadata_cache.h"

#include <vector>

namespace mounter {
namespace {
std::string NodeKey(const std::string& path) { return "n:" + path; }
std::string ListingKey(const std::string& path) { return "d:" + path; }
}  // namespace

MetadataCache::MetadataCache(Options options, Clock clock) : options_(options), clock_(std::move(clock)) {}

std::chrono::milliseconds MetadataCache::TtlFor(Item::Kind kind) const {
  switch (kind) {
    case Item::Kind::kNode: return options_.stat_ttl;
    case Item::Kind::kNegative: return options_.negative_ttl;
    case Item::Kind::kListing: return options_.dir_ttl;
  }
  return options_.stat_ttl;
}

void MetadataCache::EraseLocked(const std::string& key) {
  auto it = items_.find(key);
  if (it == items_.end()) return;
  weight_ -= it->second.weight;
  lru_.erase(it->second.lru);
  items_.erase(it);
}

void MetadataCache::InsertLocked(std::string key, Item item) {
  EraseLocked(key);
  auto ttl = TtlFor(item.kind);
  if (ttl.count() <= 0 || options_.max_weight == 0) return;  // caching of this kind is off
  item.expires = clock_() + ttl;
  if (item.weight > options_.max_weight) return;  // would evict everything else; not worth it
  lru_.push_front(key);
  item.lru = lru_.begin();
  weight_ += item.weight;
  items_.emplace(std::move(key), std::move(item));
  while (weight_ > options_.max_weight && !lru_.empty()) EraseLocked(lru_.back());
}

MetadataCache::NodeLookup MetadataCache::GetNode(const std::string& path) {
  std::lock_guard lock(mu_);
  NodeLookup out;
  auto key = NodeKey(path);
  auto it = items_.find(key);
  if (it == items_.end()) return out;
  if (clock_() >= it->second.expires) {
    EraseLocked(key);
    return out;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  if (it->second.kind == Item::Kind::kNegative) {
    out.state = NodeLookup::State::kNegative;
  } else {
    out.state = NodeLookup::State::kPositive;
    out.info = it->second.info;
  }
  return out;
}

void MetadataCache::PutNode(const std::string& path, NodeInfo info) {
  std::lock_guard lock(mu_);
  Item item;
  item.kind = Item::Kind::kNode;
  item.info = std::move(info);
  InsertLocked(NodeKey(path), std::move(item));
}

void MetadataCache::PutNegative(const std::string& path) {
  std::lock_guard lock(mu_);
  Item item;
  item.kind = Item::Kind::kNegative;
  InsertLocked(NodeKey(path), std::move(item));
}

void MetadataCache::InvalidateNode(const std::string& path) {
  std::lock_guard lock(mu_);
  EraseLocked(NodeKey(path));
}

std::shared_ptr<const DirListing> MetadataCache::GetListing(const std::string& dir_path) {
  std::lock_guard lock(mu_);
  auto key = ListingKey(dir_path);
  auto it = items_.find(key);
  if (it == items_.end()) return nullptr;
  if (clock_() >= it->second.expires) {
    EraseLocked(key);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.listing;
}

void MetadataCache::PutListing(const std::string& dir_path, DirListing listing) {
  std::lock_guard lock(mu_);
  Item item;
  item.kind = Item::Kind::kListing;
  item.weight = 1 + listing.size();
  item.listing = std::make_shared<const DirListing>(std::move(listing));
  InsertLocked(ListingKey(dir_path), std::move(item));
}

void MetadataCache::InvalidateListing(const std::string& dir_path) {
  std::lock_guard lock(mu_);
  EraseLocked(ListingKey(dir_path));
}

void MetadataCache::InvalidateTree(const std::string& path) {
  std::lock_guard lock(mu_);
  std::vector<std::string> doomed;
  const std::string under = path.empty() ? "" : path + "/";
  for (const auto& [key, item] : items_) {
    std::string_view p = std::string_view(key).substr(2);
    if (p == path || p.substr(0, under.size()) == under) doomed.push_back(key);
  }
  for (const auto& key : doomed) EraseLocked(key);
}

void MetadataCache::Clear() {
  std::lock_guard lock(mu_);
  items_.clear();
  lru_.clear();
  weight_ = 0;
}

size_t MetadataCache::weight() const {
  std::lock_guard lock(mu_);
  return weight_;
}

size_t MetadataCache::entries() const {
  std::lock_guard lock(mu_);
  return items_.size();
}

}  // namespace mounter

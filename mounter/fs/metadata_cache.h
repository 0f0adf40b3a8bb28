// MetadataCache: what recent requests said about paths, for a bounded time and space.
//
// Three kinds of entries, each with its own TTL: positive (a node's attributes), negative (no
// such path) and directory listings. The whole cache is bounded by a weight (one per node,
// one plus one per child for a listing) with least-recently-used eviction. The clock is
// injected so tests control expiry. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "mounter/fs/node_info.h"

namespace mounter {

class MetadataCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  struct Options {
    std::chrono::milliseconds stat_ttl{60'000};
    std::chrono::milliseconds negative_ttl{5'000};
    std::chrono::milliseconds dir_ttl{60'000};
    size_t max_weight = 100'000;
  };

  explicit MetadataCache(Options options, Clock clock = [] { return std::chrono::steady_clock::now(); });

  struct NodeLookup {
    enum class State { kMiss, kPositive, kNegative };
    State state = State::kMiss;
    NodeInfo info;  // when kPositive
  };
  NodeLookup GetNode(const std::string& path);
  void PutNode(const std::string& path, NodeInfo info);
  void PutNegative(const std::string& path);
  void InvalidateNode(const std::string& path);

  std::shared_ptr<const DirListing> GetListing(const std::string& dir_path);
  void PutListing(const std::string& dir_path, DirListing listing);
  void InvalidateListing(const std::string& dir_path);

  // Drops every node and listing at or under `path` (a renamed or removed directory).
  void InvalidateTree(const std::string& path);
  void Clear();

  size_t weight() const;
  size_t entries() const;

 private:
  struct Item {
    enum class Kind { kNode, kNegative, kListing } kind = Kind::kNode;
    NodeInfo info;
    std::shared_ptr<const DirListing> listing;
    std::chrono::steady_clock::time_point expires;
    size_t weight = 1;
    std::list<std::string>::iterator lru;
  };
  void InsertLocked(std::string key, Item item);
  void EraseLocked(const std::string& key);
  std::chrono::milliseconds TtlFor(Item::Kind kind) const;

  Options options_;
  Clock clock_;
  mutable std::mutex mu_;
  std::list<std::string> lru_;  // front = most recently used
  std::unordered_map<std::string, Item> items_;  // "n:<path>" nodes/negatives, "d:<path>" listings
  size_t weight_ = 0;
};

}  // namespace mounter

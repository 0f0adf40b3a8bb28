#include "mounter/fs/metadata_cache.h"

#include <gtest/gtest.h>

namespace mounter {
namespace {

using std::chrono::milliseconds;
using State = MetadataCache::NodeLookup::State;

class MetadataCacheTest : public ::testing::Test {
 protected:
  MetadataCache Make(size_t max_weight = 100) {
    MetadataCache::Options options;
    options.stat_ttl = milliseconds(1000);
    options.negative_ttl = milliseconds(100);
    options.dir_ttl = milliseconds(500);
    options.max_weight = max_weight;
    return MetadataCache(options, [this] { return now_; });
  }
  NodeInfo Info(uint64_t size) {
    NodeInfo info;
    info.attrs.mode = S_IFREG | 0644;
    info.attrs.size = size;
    return info;
  }
  std::chrono::steady_clock::time_point now_{};
};

TEST_F(MetadataCacheTest, PositiveEntriesExpireAfterTheirTtl) {
  auto cache = Make();
  cache.PutNode("a", Info(5));
  auto hit = cache.GetNode("a");
  ASSERT_EQ(hit.state, State::kPositive);
  EXPECT_EQ(hit.info.attrs.size, 5u);
  now_ += milliseconds(999);
  EXPECT_EQ(cache.GetNode("a").state, State::kPositive);
  now_ += milliseconds(1);
  EXPECT_EQ(cache.GetNode("a").state, State::kMiss);
  EXPECT_EQ(cache.entries(), 0u);
}

TEST_F(MetadataCacheTest, NegativeEntriesHaveTheirOwnTtl) {
  auto cache = Make();
  cache.PutNegative("gone");
  EXPECT_EQ(cache.GetNode("gone").state, State::kNegative);
  now_ += milliseconds(100);
  EXPECT_EQ(cache.GetNode("gone").state, State::kMiss);
}

TEST_F(MetadataCacheTest, ListingsExpireAndInvalidate) {
  auto cache = Make();
  cache.PutListing("d", DirListing{{"x", Info(1)}});
  ASSERT_TRUE(cache.GetListing("d"));
  EXPECT_EQ(cache.GetListing("d")->size(), 1u);
  cache.InvalidateListing("d");
  EXPECT_FALSE(cache.GetListing("d"));
  cache.PutListing("d", {});
  now_ += milliseconds(500);
  EXPECT_FALSE(cache.GetListing("d"));
}

TEST_F(MetadataCacheTest, BoundedWithLeastRecentlyUsedEviction) {
  auto cache = Make(3);
  cache.PutNode("a", Info(1));
  cache.PutNode("b", Info(2));
  cache.PutNode("c", Info(3));
  EXPECT_EQ(cache.GetNode("a").state, State::kPositive);  // a is now the most recent
  cache.PutNode("d", Info(4));
  EXPECT_EQ(cache.GetNode("b").state, State::kMiss);  // b was the least recent
  EXPECT_EQ(cache.GetNode("a").state, State::kPositive);
  EXPECT_EQ(cache.weight(), 3u);
  // A listing weighs 1 + its children.
  cache.PutListing("dir", DirListing{{"x", Info(1)}, {"y", Info(1)}});
  EXPECT_LE(cache.weight(), 3u);
  EXPECT_TRUE(cache.GetListing("dir"));
}

TEST_F(MetadataCacheTest, InvalidateTreeDropsDescendantsOnly) {
  auto cache = Make();
  cache.PutNode("d", Info(0));
  cache.PutNode("d/x", Info(1));
  cache.PutListing("d/sub", {});
  cache.PutNode("dd", Info(2));
  cache.InvalidateTree("d");
  EXPECT_EQ(cache.GetNode("d").state, State::kMiss);
  EXPECT_EQ(cache.GetNode("d/x").state, State::kMiss);
  EXPECT_FALSE(cache.GetListing("d/sub"));
  EXPECT_EQ(cache.GetNode("dd").state, State::kPositive);
}

TEST_F(MetadataCacheTest, ZeroTtlDisablesThatKind) {
  MetadataCache::Options options;
  options.negative_ttl = milliseconds(0);
  MetadataCache cache(options, [this] { return now_; });
  cache.PutNegative("x");
  EXPECT_EQ(cache.GetNode("x").state, State::kMiss);
}

}  // namespace
}  // namespace mounter

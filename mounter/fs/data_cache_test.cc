#include "mounter/fs/data_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "mounter/fs/data_cache_format.h"
#include "mounter/fs/data_cache_test_util.h"

namespace mounter {
namespace {

namespace fs = std::filesystem;
using testing_util::BlockData;
using testing_util::FileSize;
using testing_util::TempDir;

constexpr uint64_t kBlock = 4096;

class DataCacheTest : public ::testing::Test {
 protected:
  std::unique_ptr<DataCache> OpenCache(uint64_t max_bytes = 64 * kBlock, uint64_t block_size = kBlock) {
    DataCache::Options options;
    options.dir = dir();
    options.max_bytes = max_bytes;
    options.block_size = block_size;
    options.min_free_bytes = 0;
    options.on_error = [this](const s3core::Status& status) { errors_.push_back(status.ToString()); };
    auto cache = DataCache::Open(options);
    EXPECT_TRUE(cache.ok()) << cache.status().ToString();
    return cache.ok() ? std::move(cache).value() : nullptr;
  }
  std::string dir() const { return temp_.path() + "/cache"; }
  std::string BlockPath(std::string_view key, uint64_t index) const {
    return dir() + "/" + data_cache_format::BlockFileName(key, index);
  }
  // Reads a block through the cache into a string; nullopt on a miss.
  std::optional<std::string> Read(DataCache& cache, std::string_view key, std::string_view etag, uint64_t index,
                                  size_t out_size = kBlock) {
    std::string out(out_size, '\0');
    std::optional<size_t> n = cache.Get(key, etag, index, out.data(), out.size());
    if (!n) return std::nullopt;
    out.resize(*n);
    return out;
  }
  uint64_t DirBytes() const {
    uint64_t total = 0;
    for (const auto& e : fs::directory_iterator(dir())) {
      if (data_cache_format::IsBlockFileName(e.path().filename().string())) total += e.file_size();
    }
    return total;
  }

  TempDir temp_;
  std::vector<std::string> errors_;
};

TEST_F(DataCacheTest, MissThenHit) {
  auto cache = OpenCache();
  EXPECT_FALSE(Read(*cache, "k", "e1", 0));
  std::string data = BlockData("k", "e1", 0, kBlock);
  cache->Put("k", "e1", 0, data);
  EXPECT_EQ(Read(*cache, "k", "e1", 0), data);
  EXPECT_FALSE(Read(*cache, "k", "e1", 1));
  EXPECT_FALSE(Read(*cache, "other", "e1", 0));
  DataCache::Stats stats = cache->stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 3u);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.puts, 1u);
  EXPECT_EQ(stats.bytes, FileSize("k", "e1", kBlock));
  EXPECT_EQ(stats.bytes, DirBytes());
  EXPECT_TRUE(errors_.empty());
}

TEST_F(DataCacheTest, AnotherEtagIsAMissAndRemovesTheBlock) {
  auto cache = OpenCache();
  cache->Put("k", "old", 0, BlockData("k", "old", 0, kBlock));
  cache->Put("k", "old", 1, BlockData("k", "old", 1, kBlock));
  EXPECT_FALSE(Read(*cache, "k", "new", 0));
  EXPECT_FALSE(fs::exists(BlockPath("k", 0)));
  EXPECT_FALSE(Read(*cache, "k", "old", 0));  // gone, not kept for the old version
  EXPECT_EQ(cache->stats().stale, 1u);
  EXPECT_EQ(cache->stats().entries, 1u);  // block 1 goes when it is asked for
  cache->Put("k", "new", 0, BlockData("k", "new", 0, kBlock));
  EXPECT_EQ(Read(*cache, "k", "new", 0), BlockData("k", "new", 0, kBlock));
}

TEST_F(DataCacheTest, PutReplacesTheBlockOfAnOlderVersion) {
  auto cache = OpenCache();
  cache->Put("k", "old", 0, BlockData("k", "old", 0, kBlock));
  cache->Put("k", "new", 0, BlockData("k", "new", 0, 100));
  EXPECT_EQ(Read(*cache, "k", "new", 0), BlockData("k", "new", 0, 100));
  EXPECT_EQ(cache->stats().entries, 1u);
  EXPECT_EQ(cache->stats().bytes, FileSize("k", "new", 100));
  EXPECT_EQ(cache->stats().bytes, DirBytes());
}

TEST_F(DataCacheTest, LastPartialAndEmptyBlocks) {
  auto cache = OpenCache();
  std::string tail = BlockData("k", "e", 3, 17);
  cache->Put("k", "e", 3, tail);
  cache->Put("empty", "d41d8cd98f00b204e9800998ecf8427e", 0, "");
  EXPECT_EQ(Read(*cache, "k", "e", 3), tail);
  std::optional<std::string> empty = Read(*cache, "empty", "d41d8cd98f00b204e9800998ecf8427e", 0);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(*empty, "");
  EXPECT_EQ(cache->stats().hits, 2u);
}

TEST_F(DataCacheTest, ABufferTooSmallIsAMissThatKeepsTheBlock) {
  auto cache = OpenCache();
  std::string data = BlockData("k", "e", 0, 1000);
  cache->Put("k", "e", 0, data);
  EXPECT_FALSE(Read(*cache, "k", "e", 0, 999));
  EXPECT_EQ(Read(*cache, "k", "e", 0, 1000), data);
}

TEST_F(DataCacheTest, BlocksLargerThanTheBlockSizeAreRefused) {
  auto cache = OpenCache();
  cache->Put("k", "e", 0, std::string(kBlock + 1, 'x'));
  cache->Put("", "e", 0, "x");
  EXPECT_EQ(cache->stats().entries, 0u);
  EXPECT_EQ(cache->stats().put_skipped, 2u);
  EXPECT_EQ(errors_.size(), 2u);
}

TEST_F(DataCacheTest, EvictsLeastRecentlyUsedFirst) {
  const uint64_t one = FileSize("a", "e", kBlock);  // same size for keys of one letter
  auto cache = OpenCache(3 * one + one / 2);
  for (const char* key : {"a", "b", "c"}) cache->Put(key, "e", 0, BlockData(key, "e", 0, kBlock));
  ASSERT_TRUE(Read(*cache, "a", "e", 0));  // a is now the most recent; b the least
  cache->Put("d", "e", 0, BlockData("d", "e", 0, kBlock));
  EXPECT_FALSE(fs::exists(BlockPath("b", 0)));
  EXPECT_TRUE(Read(*cache, "a", "e", 0));
  EXPECT_TRUE(Read(*cache, "c", "e", 0));
  EXPECT_TRUE(Read(*cache, "d", "e", 0));
  EXPECT_FALSE(Read(*cache, "b", "e", 0));
  EXPECT_EQ(cache->stats().evictions, 1u);
  EXPECT_LE(cache->stats().bytes, 3 * one + one / 2);
}

TEST_F(DataCacheTest, TheCapIsNeverExceeded) {
  const uint64_t cap = 10 * kBlock;
  auto cache = OpenCache(cap);
  std::srand(7);
  for (int i = 0; i < 300; ++i) {
    std::string key = "key" + std::to_string(std::rand() % 40);
    size_t size = static_cast<size_t>(std::rand()) % (kBlock + 1);
    cache->Put(key, "e", static_cast<uint64_t>(i % 3), BlockData(key, "e", static_cast<uint64_t>(i % 3), size));
    ASSERT_LE(cache->stats().bytes, cap);
    ASSERT_LE(DirBytes(), cap);
  }
  EXPECT_EQ(cache->stats().bytes, DirBytes());
  EXPECT_GT(cache->stats().evictions, 0u);
}

TEST_F(DataCacheTest, InvalidateRemovesEveryBlockOfTheKeyOnly) {
  auto cache = OpenCache();
  for (uint64_t i = 0; i < 5; ++i) cache->Put("k", "e", i, BlockData("k", "e", i, kBlock));
  cache->Put("k2", "e", 0, BlockData("k2", "e", 0, kBlock));
  cache->Invalidate("k");
  cache->Invalidate("absent");
  for (uint64_t i = 0; i < 5; ++i) {
    EXPECT_FALSE(Read(*cache, "k", "e", i));
    EXPECT_FALSE(fs::exists(BlockPath("k", i)));
  }
  EXPECT_TRUE(Read(*cache, "k2", "e", 0));
  EXPECT_EQ(cache->stats().bytes, DirBytes());
}

TEST_F(DataCacheTest, LowDiskSpaceSkipsPuts) {
  DataCache::Options options;
  options.dir = dir();
  options.max_bytes = 64 * kBlock;
  options.block_size = kBlock;
  options.min_free_bytes = uint64_t{1} << 62;  // more than any disk has
  auto cache = DataCache::Open(options);
  ASSERT_TRUE(cache.ok()) << cache.status().ToString();
  (*cache)->Put("k", "e", 0, "data");
  EXPECT_FALSE(Read(**cache, "k", "e", 0));
  EXPECT_EQ((*cache)->stats().put_skipped, 1u);
  EXPECT_EQ(DirBytes(), 0u);
}

TEST_F(DataCacheTest, ALostDirectoryTurnsPutsAndGetsIntoReportedMisses) {
  auto cache = OpenCache();
  cache->Put("k", "e", 0, BlockData("k", "e", 0, kBlock));
  fs::remove_all(dir());
  cache->Put("k", "e", 1, BlockData("k", "e", 1, kBlock));
  EXPECT_FALSE(Read(*cache, "k", "e", 0));
  EXPECT_FALSE(Read(*cache, "k", "e", 1));
  EXPECT_EQ(cache->stats().entries, 0u);
  EXPECT_FALSE(errors_.empty());
}

TEST_F(DataCacheTest, OptionsAreChecked) {
  DataCache::Options options;
  options.dir = dir();
  options.block_size = kBlock;
  options.max_bytes = kBlock - 1;
  EXPECT_EQ(DataCache::Open(options).status().kind(), s3core::ErrorKind::kInvalidArgument);
  options.max_bytes = kBlock;
  options.block_size = 0;
  EXPECT_EQ(DataCache::Open(options).status().kind(), s3core::ErrorKind::kInvalidArgument);
  options.block_size = kBlock;
  options.dir = "";
  EXPECT_EQ(DataCache::Open(options).status().kind(), s3core::ErrorKind::kInvalidArgument);
}

}  // namespace
}  // namespace mounter

// DataCache across remounts and against damaged, foreign or shared directories.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "mounter/fs/data_cache.h"
#include "mounter/fs/data_cache_format.h"
#include "mounter/fs/data_cache_test_util.h"

namespace mounter {
namespace {

namespace fs = std::filesystem;
using testing_util::BlockData;
using testing_util::FileSize;
using testing_util::TempDir;

constexpr uint64_t kBlock = 4096;

class DataCachePersistenceTest : public ::testing::Test {
 protected:
  DataCache::Options Options(uint64_t max_bytes = 64 * kBlock, uint64_t block_size = kBlock) {
    DataCache::Options options;
    options.dir = dir();
    options.max_bytes = max_bytes;
    options.block_size = block_size;
    options.min_free_bytes = 0;
    return options;
  }
  std::unique_ptr<DataCache> OpenCache(uint64_t max_bytes = 64 * kBlock, uint64_t block_size = kBlock) {
    auto cache = DataCache::Open(Options(max_bytes, block_size));
    EXPECT_TRUE(cache.ok()) << cache.status().ToString();
    return cache.ok() ? std::move(cache).value() : nullptr;
  }
  std::string dir() const { return temp_.path() + "/cache"; }
  std::string BlockPath(std::string_view key, uint64_t index) const {
    return dir() + "/" + data_cache_format::BlockFileName(key, index);
  }
  bool Hit(DataCache& cache, std::string_view key, std::string_view etag, uint64_t index, size_t size = kBlock) {
    std::string out(kBlock, '\0');
    std::optional<size_t> n = cache.Get(key, etag, index, out.data(), out.size());
    return n.has_value() && out.substr(0, *n) == BlockData(key, etag, index, size);
  }
  void Put(DataCache& cache, std::string_view key, std::string_view etag, uint64_t index, size_t size = kBlock) {
    cache.Put(key, etag, index, BlockData(key, etag, index, size));
  }
  // Overwrites one byte of a file at `offset` from its start (negative: from its end).
  static void FlipByte(const std::string& path, int64_t offset) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(offset, offset < 0 ? std::ios::end : std::ios::beg);
    char c = 0;
    f.read(&c, 1);
    f.seekp(offset, offset < 0 ? std::ios::end : std::ios::beg);
    c = static_cast<char>(c ^ 0x5a);
    f.write(&c, 1);
  }

  TempDir temp_;
};

TEST_F(DataCachePersistenceTest, BlocksSurviveAReopen) {
  {
    auto cache = OpenCache();
    Put(*cache, "a", "e", 0);
    Put(*cache, "a", "e", 1, 10);
  }
  auto cache = OpenCache();
  EXPECT_EQ(cache->stats().entries, 2u);
  EXPECT_EQ(cache->stats().bytes, FileSize("a", "e", kBlock) + FileSize("a", "e", 10));
  EXPECT_TRUE(Hit(*cache, "a", "e", 0));
  EXPECT_TRUE(Hit(*cache, "a", "e", 1, 10));
  EXPECT_FALSE(Hit(*cache, "a", "other", 0));  // the ETag is checked after a reopen too
}

TEST_F(DataCachePersistenceTest, ReopeningWithASmallerCapEvictsTheOldestWrites) {
  const uint64_t one = FileSize("a", "e", kBlock);
  {
    auto cache = OpenCache();
    for (const char* key : {"a", "b", "c", "d"}) {
      Put(*cache, key, "e", 0);
      // Distinct modification times, which order the blocks at reopen.
      struct timespec times[2] = {{0, UTIME_OMIT}, {0, 0}};
      times[1].tv_sec = 1'000'000 + key[0];
      ASSERT_EQ(::utimensat(AT_FDCWD, BlockPath(key, 0).c_str(), times, 0), 0);
    }
  }
  auto cache = OpenCache(2 * one);
  EXPECT_EQ(cache->stats().entries, 2u);
  EXPECT_EQ(cache->stats().evictions, 2u);
  EXPECT_FALSE(fs::exists(BlockPath("a", 0)));
  EXPECT_FALSE(fs::exists(BlockPath("b", 0)));
  EXPECT_TRUE(Hit(*cache, "c", "e", 0));
  EXPECT_TRUE(Hit(*cache, "d", "e", 0));
}

TEST_F(DataCachePersistenceTest, AnotherBlockSizeDropsTheOldBlocks) {
  {
    auto cache = OpenCache();
    Put(*cache, "a", "e", 0);
  }
  auto cache = OpenCache(64 * kBlock, 2 * kBlock);
  EXPECT_EQ(cache->stats().entries, 0u);
  EXPECT_EQ(cache->stats().invalid, 1u);
  EXPECT_FALSE(fs::exists(BlockPath("a", 0)));
}

TEST_F(DataCachePersistenceTest, TornForeignAndLeftoverFilesAreDroppedAtOpen) {
  {
    auto cache = OpenCache();
    Put(*cache, "torn", "e", 0);
    Put(*cache, "header", "e", 0);
    Put(*cache, "good", "e", 0);
  }
  fs::resize_file(BlockPath("torn", 0), FileSize("torn", "e", kBlock) - 1);
  FlipByte(BlockPath("header", 0), 20);
  std::ofstream(dir() + "/" + data_cache_format::BlockFileName("garbage", 0)) << "not a block";
  std::ofstream(dir() + "/tmp-abc123") << "a Put cut short";
  std::ofstream(dir() + "/notes.txt") << "not ours";
  // A valid block under the wrong name (as a hash collision or a copy would leave).
  fs::copy_file(BlockPath("good", 0), BlockPath("misnamed", 0));

  auto cache = OpenCache();
  EXPECT_EQ(cache->stats().entries, 1u);
  EXPECT_EQ(cache->stats().invalid, 4u);
  EXPECT_TRUE(Hit(*cache, "good", "e", 0));
  EXPECT_FALSE(Hit(*cache, "torn", "e", 0));
  EXPECT_FALSE(Hit(*cache, "misnamed", "e", 0));
  EXPECT_FALSE(fs::exists(BlockPath("torn", 0)));
  EXPECT_FALSE(fs::exists(BlockPath("header", 0)));
  EXPECT_FALSE(fs::exists(BlockPath("misnamed", 0)));
  EXPECT_FALSE(fs::exists(dir() + "/tmp-abc123"));
  EXPECT_TRUE(fs::exists(dir() + "/notes.txt"));  // never delete what is not ours
}

TEST_F(DataCachePersistenceTest, DataDamagedAfterIndexingIsCaughtOnRead) {
  auto cache = OpenCache();
  Put(*cache, "k", "e", 0);
  Put(*cache, "k", "e", 1);
  FlipByte(BlockPath("k", 0), -1);                    // last data byte
  fs::resize_file(BlockPath("k", 1), 100);            // truncated behind our back
  EXPECT_FALSE(Hit(*cache, "k", "e", 0));
  EXPECT_FALSE(Hit(*cache, "k", "e", 1));
  EXPECT_EQ(cache->stats().invalid, 2u);
  EXPECT_EQ(cache->stats().entries, 0u);
  EXPECT_FALSE(fs::exists(BlockPath("k", 0)));
}

TEST_F(DataCachePersistenceTest, AFileSwappedForAnotherBlockIsAMiss) {
  auto cache = OpenCache();
  Put(*cache, "k", "e", 0);
  Put(*cache, "j", "e", 0);
  fs::copy_file(BlockPath("j", 0), BlockPath("k", 0), fs::copy_options::overwrite_existing);
  EXPECT_FALSE(Hit(*cache, "k", "e", 0));
  EXPECT_TRUE(Hit(*cache, "j", "e", 0));  // j itself is intact
}

TEST_F(DataCachePersistenceTest, DirectoryAndFilesArePrivate) {
  auto cache = OpenCache();
  Put(*cache, "k", "e", 0);
  struct stat st {};
  ASSERT_EQ(::stat(dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_EQ(::stat(BlockPath("k", 0).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(DataCachePersistenceTest, AWritableByOthersDirectoryIsRefused) {
  ASSERT_EQ(::mkdir(dir().c_str(), 0700), 0);
  ASSERT_EQ(::chmod(dir().c_str(), 0777), 0);
  auto cache = DataCache::Open(Options());
  ASSERT_FALSE(cache.ok());
  EXPECT_NE(cache.status().message().find("writable by group or others"), std::string::npos);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);  // readable is fine: block files are 0600
  EXPECT_TRUE(DataCache::Open(Options()).ok());
}

TEST_F(DataCachePersistenceTest, ADirectoryIsUsedByOneCacheAtATime) {
  auto first = OpenCache();
  auto second = DataCache::Open(Options());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().kind(), s3core::ErrorKind::kConflict);
  first.reset();
  EXPECT_TRUE(DataCache::Open(Options()).ok());
}

}  // namespace
}  // namespace mounter

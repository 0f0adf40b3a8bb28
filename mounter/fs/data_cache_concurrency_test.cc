// DataCache under concurrent Get/Put/Invalidate: every hit must hold exactly the bytes Put for
// that (key, etag, index), and the byte cap must hold throughout. Meant to run under ASan/UBSan
// and TSan builds too.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "mounter/fs/data_cache.h"
#include "mounter/fs/data_cache_format.h"
#include "mounter/fs/data_cache_test_util.h"

namespace mounter {
namespace {

using testing_util::BlockData;
using testing_util::TempDir;

constexpr uint64_t kBlock = 4096;
constexpr uint64_t kLastIndex = 3;

// Blocks before the last are whole; the last one's length depends on the version.
size_t BlockLength(const std::string& key, const std::string& etag, uint64_t index) {
  if (index < kLastIndex) return kBlock;
  return static_cast<size_t>(data_cache_format::DataHash(key + etag) % (kBlock + 1));
}

class DataCacheConcurrencyTest : public ::testing::Test {
 protected:
  std::unique_ptr<DataCache> OpenCache(uint64_t max_bytes) {
    DataCache::Options options;
    options.dir = temp_.path() + "/cache";
    options.max_bytes = max_bytes;
    options.block_size = kBlock;
    options.min_free_bytes = 0;
    options.on_error = [this](const s3core::Status&) { errors_.fetch_add(1); };
    auto cache = DataCache::Open(options);
    EXPECT_TRUE(cache.ok()) << cache.status().ToString();
    return cache.ok() ? std::move(cache).value() : nullptr;
  }
  uint64_t DirBytes() const {
    uint64_t total = 0;
    for (const auto& e : std::filesystem::directory_iterator(temp_.path() + "/cache")) {
      if (data_cache_format::IsBlockFileName(e.path().filename().string())) total += e.file_size();
    }
    return total;
  }

  TempDir temp_;
  std::atomic<int> errors_{0};
};

TEST_F(DataCacheConcurrencyTest, MixedOperationsNeverServeWrongBytes) {
  const uint64_t cap = 12 * (kBlock + 100);
  auto cache = OpenCache(cap);
  ASSERT_NE(cache, nullptr);
  std::atomic<int> wrong{0};
  std::atomic<int> over_cap{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t) + 1);
      std::string out(kBlock, '\0');
      for (int i = 0; i < 1500; ++i) {
        std::string key = "key" + std::to_string(rng() % 6);
        std::string etag = "etag" + std::to_string(rng() % 2);
        uint64_t index = rng() % (kLastIndex + 1);
        unsigned op = rng() % 100;
        if (op < 55) {
          std::optional<size_t> n = cache->Get(key, etag, index, out.data(), out.size());
          if (n && out.substr(0, *n) != BlockData(key, etag, index, BlockLength(key, etag, index))) ++wrong;
        } else if (op < 92) {
          cache->Put(key, etag, index, BlockData(key, etag, index, BlockLength(key, etag, index)));
        } else if (op < 97) {
          cache->Invalidate(key);
        } else if (cache->stats().bytes > cap) {
          ++over_cap;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(over_cap.load(), 0);
  EXPECT_EQ(errors_.load(), 0);
  DataCache::Stats stats = cache->stats();
  EXPECT_GT(stats.hits, 0u);
  EXPECT_GT(stats.evictions, 0u);
  EXPECT_LE(stats.bytes, cap);
  EXPECT_EQ(stats.bytes, DirBytes());  // the index and the directory agree
}

TEST_F(DataCacheConcurrencyTest, ReadersOfAHotBlockWhileItIsRewritten) {
  auto cache = OpenCache(64 * kBlock);
  ASSERT_NE(cache, nullptr);
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::thread writer([&] {
    for (int i = 0; i < 100; ++i) {
      std::string etag = "v" + std::to_string(i % 2);
      cache->Put("hot", etag, 0, BlockData("hot", etag, 0, kBlock));
    }
    stop = true;
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      std::string etag = "v" + std::to_string(t % 2);
      std::string expected = BlockData("hot", etag, 0, kBlock);
      std::string out(kBlock, '\0');
      while (!stop) {
        std::optional<size_t> n = cache->Get("hot", etag, 0, out.data(), out.size());
        if (n && out.substr(0, *n) != expected) ++wrong;
      }
    });
  }
  writer.join();
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(errors_.load(), 0);
  EXPECT_EQ(cache->stats().bytes, DirBytes());
}

}  // namespace
}  // namespace mounter

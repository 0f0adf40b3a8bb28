#include "mounter/fs/buffer_pool.h"

#include <gtest/gtest.h>

namespace mounter {
namespace {

TEST(BufferPoolTest, ReusesFreedBuffersOfTheSameSize) {
  BufferPool pool(1 << 20);
  char* first = nullptr;
  {
    auto buffer = pool.Take(4096);
    first = buffer.data();
    EXPECT_EQ(buffer.size(), 4096u);
  }
  EXPECT_EQ(pool.idle_bytes(), 4096u);
  auto again = pool.Take(4096);
  EXPECT_EQ(again.data(), first);
  EXPECT_EQ(pool.idle_bytes(), 0u);
  auto other = pool.Take(8192);  // another size: a new buffer
  EXPECT_NE(other.data(), first);
}

TEST(BufferPoolTest, KeepsNoMoreThanItsIdleCap) {
  BufferPool pool(10000);
  {
    auto a = pool.Take(6000);
    auto b = pool.Take(6000);
  }
  EXPECT_EQ(pool.idle_bytes(), 6000u);  // the second one was freed
}

TEST(BufferPoolTest, MovedBufferReturnsOnce) {
  BufferPool pool(1 << 20);
  {
    auto a = pool.Take(100);
    BufferPool::Buffer b = std::move(a);
    BufferPool::Buffer c;
    c = std::move(b);
    EXPECT_FALSE(static_cast<bool>(a));
    EXPECT_TRUE(static_cast<bool>(c));
  }
  EXPECT_EQ(pool.idle_bytes(), 100u);
}

}  // namespace
}  // namespace mounter

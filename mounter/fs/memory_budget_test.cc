#include "mounter/fs/memory_budget.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

namespace mounter {
namespace {

TEST(MemoryBudgetTest, TryAcquireRespectsLimitAndRelease) {
  MemoryBudget budget(100);
  EXPECT_TRUE(budget.TryAcquire(60));
  EXPECT_FALSE(budget.TryAcquire(41));
  EXPECT_TRUE(budget.TryAcquire(40));
  EXPECT_EQ(budget.used(), 100u);
  budget.Release(60);
  EXPECT_EQ(budget.used(), 40u);
  EXPECT_EQ(budget.peak(), 100u);
}

TEST(MemoryBudgetTest, LeasesReleaseOnDestruction) {
  MemoryBudget budget(100);
  {
    auto a = budget.TryLease(70);
    EXPECT_EQ(a.bytes(), 70u);
    auto b = budget.TryLease(70);
    EXPECT_EQ(b.bytes(), 0u);  // no room: an empty lease
    MemoryBudget::Lease moved = std::move(a);
    EXPECT_EQ(budget.used(), 70u);
  }
  EXPECT_EQ(budget.used(), 0u);
}

TEST(MemoryBudgetTest, AcquireWaitsForReleaseThenOverdrawsWhenNothingFrees) {
  MemoryBudget budget(100);
  ASSERT_TRUE(budget.TryAcquire(100));
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    budget.Release(50);
  });
  budget.Acquire(50, std::chrono::seconds(10));  // returns once the release happened
  releaser.join();
  EXPECT_EQ(budget.used(), 100u);
  // Nothing will be released now: Acquire overdraws after its patience, never deadlocks.
  budget.Acquire(10, std::chrono::milliseconds(10));
  EXPECT_EQ(budget.used(), 110u);
}

class TempDir {
 public:
  TempDir() {
    char templ[] = "/tmp/membudget-XXXXXX";
    path_ = mkdtemp(templ);
  }
  ~TempDir() { std::system(("rm -rf " + path_).c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(MemoryBudgetTest, DefaultLimitFollowsCgroupAndIsClamped) {
  TempDir dir;
  std::ofstream(dir.path() + "/memory.max") << (2ULL << 30) << "\n";  // 2 GiB -> 256 MiB
  EXPECT_EQ(DefaultMemoryLimit(dir.path()), 256ULL << 20);
  std::ofstream(dir.path() + "/memory.max") << (128ULL << 20) << "\n";  // 16 MiB -> clamped up
  EXPECT_EQ(DefaultMemoryLimit(dir.path()), 64ULL << 20);
  std::ofstream(dir.path() + "/memory.max") << "max\n";  // no limit: the machine's RAM, clamped
  uint64_t unlimited = DefaultMemoryLimit(dir.path());
  EXPECT_GE(unlimited, 64ULL << 20);
  EXPECT_LE(unlimited, 512ULL << 20);
}

}  // namespace
}  // namespace mounter

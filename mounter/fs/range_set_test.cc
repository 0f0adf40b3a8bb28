#include "mounter/fs/range_set.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace mounter {
namespace {

TEST(RangeSetTest, AddMergesOverlappingAndTouchingSpans) {
  RangeSet set;
  set.Add(10, 20);
  set.Add(30, 40);
  set.Add(20, 25);  // touches the first
  EXPECT_EQ(set.spans(), (std::vector<ByteSpan>{{10, 25}, {30, 40}}));
  set.Add(5, 35);  // swallows both
  EXPECT_EQ(set.spans(), (std::vector<ByteSpan>{{5, 40}}));
  set.Add(7, 7);  // empty: ignored
  EXPECT_EQ(set.bytes(), 35u);
}

TEST(RangeSetTest, ContainsIntersectsMissing) {
  RangeSet set;
  set.Add(10, 20);
  set.Add(30, 40);
  EXPECT_TRUE(set.Contains(10, 20));
  EXPECT_TRUE(set.Contains(12, 12));
  EXPECT_FALSE(set.Contains(15, 31));
  EXPECT_FALSE(set.Contains(0, 5));
  EXPECT_TRUE(set.Intersects(19, 31));
  EXPECT_FALSE(set.Intersects(20, 30));
  EXPECT_FALSE(set.Intersects(40, 50));
  EXPECT_EQ(set.Missing(0, 50), (std::vector<ByteSpan>{{0, 10}, {20, 30}, {40, 50}}));
  EXPECT_EQ(set.Missing(12, 35), (std::vector<ByteSpan>{{20, 30}}));
  EXPECT_TRUE(set.Missing(31, 39).empty());
}

TEST(RangeSetTest, ClipToCutsAndDrops) {
  RangeSet set;
  set.Add(0, 10);
  set.Add(20, 30);
  set.ClipTo(25);
  EXPECT_EQ(set.spans(), (std::vector<ByteSpan>{{0, 10}, {20, 25}}));
  set.ClipTo(20);
  EXPECT_EQ(set.spans(), (std::vector<ByteSpan>{{0, 10}}));
  set.ClipTo(0);
  EXPECT_TRUE(set.empty());
}

// Against a bitmap: random adds and clips keep the same membership.
TEST(RangeSetTest, MatchesBitmapModel) {
  std::mt19937 rng(7);
  RangeSet set;
  std::vector<bool> model(200, false);
  for (int step = 0; step < 2000; ++step) {
    uint64_t a = rng() % 200, b = rng() % 200;
    if (a > b) std::swap(a, b);
    if (rng() % 10 == 0) {
      set.ClipTo(b);
      for (uint64_t i = b; i < 200; ++i) model[i] = false;
    } else {
      set.Add(a, b);
      for (uint64_t i = a; i < b; ++i) model[i] = true;
    }
    uint64_t q1 = rng() % 200, q2 = rng() % 201;
    if (q1 > q2) std::swap(q1, q2);
    bool all = true, any = false;
    for (uint64_t i = q1; i < q2; ++i) {
      all = all && model[i];
      any = any || model[i];
    }
    ASSERT_EQ(set.Contains(q1, q2), all) << step;
    ASSERT_EQ(set.Intersects(q1, q2), any) << step;
    uint64_t missing = 0;
    for (const auto& span : set.Missing(q1, q2)) {
      for (uint64_t i = span.begin; i < span.end; ++i) ASSERT_FALSE(model[i]);
      missing += span.size();
    }
    uint64_t expected_missing = 0;
    for (uint64_t i = q1; i < q2; ++i) expected_missing += model[i] ? 0 : 1;
    ASSERT_EQ(missing, expected_missing);
  }
}

}  // namespace
}  // namespace mounter

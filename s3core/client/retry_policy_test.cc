#include "s3core/client/retry_policy.h"

#include <gtest/gtest.h>

namespace s3core {
namespace {

TEST(RetryPolicyTest, RetriesOnlyRetryableErrorsWithinBudget) {
  RetryPolicy policy(RetryOptions{}, 1);
  const Status slow = Status::FromS3(503, "SlowDown", "", "");
  EXPECT_TRUE(policy.ShouldRetry(slow, 1));
  EXPECT_TRUE(policy.ShouldRetry(slow, 4));
  EXPECT_FALSE(policy.ShouldRetry(slow, 5));
  EXPECT_FALSE(policy.ShouldRetry(Status::FromS3(403, "AccessDenied", "", ""), 1));
  EXPECT_FALSE(policy.ShouldRetry(Status::FromS3(404, "NoSuchKey", "", ""), 1));
  EXPECT_TRUE(policy.ShouldRetry(Status::Transport(false, 56, "reset"), 1));
}

TEST(RetryPolicyTest, DelayGrowsAndIsCapped) {
  RetryOptions options;
  options.base_delay = std::chrono::milliseconds(10);
  options.max_delay = std::chrono::milliseconds(100);
  RetryPolicy policy(options, 42);
  const Status err = Status::FromS3(500, "InternalError", "", "");
  for (int attempt = 1; attempt <= 10; ++attempt) {
    const int64_t ceiling = std::min<int64_t>(100, 10LL << (attempt - 1));
    for (int i = 0; i < 50; ++i) {
      auto d = policy.Delay(err, attempt).count();
      EXPECT_GE(d, 0);
      EXPECT_LE(d, ceiling) << "attempt " << attempt;
    }
  }
}

TEST(RetryPolicyTest, ThrottlingWaitsLonger) {
  RetryOptions options;
  options.base_delay = std::chrono::milliseconds(1);
  options.throttle_base_delay = std::chrono::milliseconds(1000);
  options.max_delay = std::chrono::milliseconds(100000);
  RetryPolicy policy(options, 7);
  int64_t throttled_total = 0;
  int64_t plain_total = 0;
  for (int i = 0; i < 200; ++i) {
    throttled_total += policy.Delay(Status::FromS3(503, "SlowDown", "", ""), 1).count();
    plain_total += policy.Delay(Status::FromS3(500, "InternalError", "", ""), 1).count();
  }
  EXPECT_LE(plain_total, 200);  // each at most 1 ms
  EXPECT_GT(throttled_total, 200 * 100);  // mean ~500 ms: far above
}

}  // namespace
}  // namespace s3core

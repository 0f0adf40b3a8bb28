// When and how long to wait before retrying a failed request.
//
// Exponential backoff with full jitter (delay drawn uniformly from [0, min(cap, base * 2^n)]),
// which spreads retries of many clients hitting a throttled server. Throttling (503 SlowDown)
// uses a larger base so that the server gets real relief.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

#include "s3core/status.h"

namespace s3core {

struct RetryOptions {
  int max_attempts = 5;  // total tries including the first; 1 disables retries
  std::chrono::milliseconds base_delay{50};
  std::chrono::milliseconds throttle_base_delay{500};
  std::chrono::milliseconds max_delay{8'000};
};

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options, uint64_t seed = std::random_device{}())
      : options_(options), rng_(seed) {}

  // Whether attempt number `attempt` (1-based) that failed with `status` should be retried.
  bool ShouldRetry(const Status& status, int attempt) const {
    return attempt < options_.max_attempts && status.IsRetryable();
  }

  // The wait before attempt `attempt + 1`. Thread-safe.
  std::chrono::milliseconds Delay(const Status& status, int attempt);

  const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
  std::mutex mu_;
  std::mt19937_64 rng_;  // guarded by mu_
};

}  // namespace s3core

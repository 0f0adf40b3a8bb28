#include "s3core/client/retry_policy.h"

#include <algorithm>

namespace s3core {

std::chrono::milliseconds RetryPolicy::Delay(const Status& status, int attempt) {
  const auto base = status.kind() == ErrorKind::kThrottled ? options_.throttle_base_delay : options_.base_delay;
  const int shift = std::clamp(attempt - 1, 0, 20);
  const int64_t ceiling = std::min<int64_t>(options_.max_delay.count(), base.count() << shift);
  if (ceiling <= 0) return std::chrono::milliseconds(0);
  std::uniform_int_distribution<int64_t> dist(0, ceiling);
  std::lock_guard lock(mu_);
  return std::chrono::milliseconds(dist(rng_));
}

}  // namespace s3core

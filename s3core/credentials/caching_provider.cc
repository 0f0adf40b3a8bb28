#include "s3core/credentials/caching_provider.h"

namespace s3core {

CachingCredentialsProvider::CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner,
                                                       CachingOptions options, Clock clock)
    : inner_(std::move(inner)), options_(options), clock_(std::move(clock)) {}

bool CachingCredentialsProvider::Usable(TimePoint now) const {
  return cached_.has_value() && (!cached_->expiration || now < *cached_->expiration);
}

bool CachingCredentialsProvider::NeedsRefresh(TimePoint now) const {
  return !cached_.has_value() || now >= refresh_at_;
}

void CachingCredentialsProvider::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  refresh_at_ = TimePoint::min();
  next_attempt_ = TimePoint::min();
}

Result<Credentials> CachingCredentialsProvider::Get() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    const TimePoint now = clock_();
    if (cached_ && !NeedsRefresh(now)) return *cached_;
    const bool usable = Usable(now);
    if (usable && (refreshing_ || now < next_attempt_)) return *cached_;
    if (!refreshing_) break;
    // Nothing valid to hand out: wait for the refresh in progress and take its outcome
    // rather than start another one.
    const uint64_t seen = generation_;
    refreshed_.wait(lock, [&] { return !refreshing_; });
    if (generation_ != seen) {
      if (cached_ && (last_error_.ok() || Usable(clock_()))) return *cached_;
      return last_error_;
    }
  }

  refreshing_ = true;
  lock.unlock();
  Result<Credentials> fresh = inner_->Get();  // without the lock: it may take seconds
  lock.lock();
  refreshing_ = false;
  ++generation_;
  refreshed_.notify_all();

  const TimePoint now = clock_();
  if (fresh.ok()) {
    last_error_ = Status::Ok();
    cached_ = std::move(fresh).value();
    next_attempt_ = TimePoint::min();
    if (cached_->expiration) {
      const TimePoint expiry = *cached_->expiration;
      const TimePoint early = expiry - options_.refresh_before_expiry;
      const TimePoint halfway = expiry > now ? now + (expiry - now) / 2 : now;
      refresh_at_ = std::max(early, halfway);
    } else if (options_.reload_interval.count() > 0) {
      refresh_at_ = now + options_.reload_interval;
    } else {
      refresh_at_ = TimePoint::max();
    }
    return *cached_;
  }
  last_error_ = fresh.status();
  if (last_error_.ok()) last_error_ = Status::Internal("credentials provider failed without a status");
  if (Usable(now)) {
    next_attempt_ = now + options_.retry_after_failure;
    return *cached_;
  }
  return last_error_;
}

}  // namespace s3core

// Caches the credentials of another provider and refreshes them before they expire.
//
// - Credentials are refreshed once the refresh point is reached: `refresh_before_expiry` before
//   the expiration, but never earlier than half-way through the credentials' lifetime (so that
//   short-lived credentials are not refetched on every call).
// - One refresh at a time: while one thread asks the inner provider, the others keep getting
//   the old credentials if they are still valid, and wait for the refresh if not.
// - A failed refresh keeps serving still-valid credentials and is retried after
//   `retry_after_failure`; once they have expired, the error is returned (and the next call
//   tries again).
// - Credentials without an expiration are kept forever, or reloaded every `reload_interval`
//   when it is set (files can change: a Kubernetes Secret volume is updated in place).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "s3core/auth/credentials.h"
#include "s3core/credentials/environment.h"

namespace s3core {

struct CachingOptions {
  std::chrono::seconds refresh_before_expiry{5 * 60};
  std::chrono::seconds retry_after_failure{10};
  std::chrono::seconds reload_interval{0};  // 0 = credentials without expiration never reload
};

class CachingCredentialsProvider final : public CredentialsProvider {
 public:
  CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner, CachingOptions options = {},
                             Clock clock = SystemClock());

  Result<Credentials> Get() override;

  // Makes the next Get() refresh (e.g. after the server answered ExpiredToken). The current
  // credentials are still served if that refresh fails and they have not expired.
  void Invalidate();

 private:
  using TimePoint = std::chrono::system_clock::time_point;
  bool NeedsRefresh(TimePoint now) const;  // requires mu_
  bool Usable(TimePoint now) const;        // requires mu_: cached and not expired

  const std::shared_ptr<CredentialsProvider> inner_;
  const CachingOptions options_;
  const Clock clock_;

  std::mutex mu_;
  std::condition_variable refreshed_;
  std::optional<Credentials> cached_;
  TimePoint refresh_at_{};      // when cached_ should be refreshed; max() = never
  TimePoint next_attempt_{};    // no refresh before this, after a failure
  bool refreshing_ = false;
  uint64_t generation_ = 0;     // counts finished refreshes
  Status last_error_;           // outcome of the last refresh (OK if it succeeded)
};

}  // namespace s3core

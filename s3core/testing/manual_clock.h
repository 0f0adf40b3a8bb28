// A clock that moves only when a test moves it, for InMemoryObjectStoreOptions::clock.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>

#include "s3core/model.h"

namespace s3core::testing {

class ManualClock {
 public:
  explicit ManualClock(TimePoint start = TimePoint(std::chrono::seconds(1'700'000'000))) : now_(start) {}

  TimePoint Now() const {
    std::lock_guard lock(mu_);
    return now_;
  }
  void Set(TimePoint t) {
    std::lock_guard lock(mu_);
    now_ = t;
  }
  void Advance(std::chrono::system_clock::duration d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }
  // A function to hand to the store; the clock must outlive it.
  std::function<TimePoint()> AsFunction() const {
    return [this] { return Now(); };
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_;
};

}  // namespace s3core::testing

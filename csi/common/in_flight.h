// InFlight: the volumes (by name or id) an operation is running on, so that a second concurrent
// call on the same volume is answered ABORTED, as the CSI spec asks, instead of racing the first.
#pragma once

#include <mutex>
#include <set>
#include <string>

namespace s3csi {

class InFlight {
 public:
  // Holds `key` until destroyed; acquired() is false if another operation holds it.
  class Guard {
   public:
    Guard(InFlight& owner, std::string key) : owner_(owner), key_(std::move(key)) {
      std::lock_guard lock(owner_.mu_);
      acquired_ = owner_.keys_.insert(key_).second;
    }
    ~Guard() {
      if (!acquired_) return;
      std::lock_guard lock(owner_.mu_);
      owner_.keys_.erase(key_);
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    bool acquired() const { return acquired_; }

   private:
    InFlight& owner_;
    std::string key_;
    bool acquired_ = false;
  };

 private:
  std::mutex mu_;
  std::set<std::string> keys_;  // guarded by mu_
};

}  // namespace s3csi

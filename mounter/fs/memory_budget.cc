#include "mounter/fs/memory_budget.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>

namespace mounter {

bool MemoryBudget::TryAcquire(uint64_t bytes) {
  std::lock_guard lock(mu_);
  if (used_ + bytes > limit_) return false;
  used_ += bytes;
  peak_ = std::max(peak_, used_);
  return true;
}

void MemoryBudget::Acquire(uint64_t bytes, std::chrono::milliseconds patience) {
  std::unique_lock lock(mu_);
  freed_.wait_for(lock, patience, [&] { return used_ + bytes <= limit_; });
  used_ += bytes;
  peak_ = std::max(peak_, used_);
}

void MemoryBudget::Release(uint64_t bytes) {
  {
    std::lock_guard lock(mu_);
    used_ -= std::min(used_, bytes);
  }
  freed_.notify_all();
}

uint64_t MemoryBudget::used() const {
  std::lock_guard lock(mu_);
  return used_;
}

uint64_t MemoryBudget::peak() const {
  std::lock_guard lock(mu_);
  return peak_;
}

MemoryBudget::Lease& MemoryBudget::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    budget_ = other.budget_;
    bytes_ = other.bytes_;
    other.budget_ = nullptr;
  }
  return *this;
}

void MemoryBudget::Lease::Release() {
  if (budget_ != nullptr) budget_->Release(bytes_);
  budget_ = nullptr;
}

namespace {
std::optional<uint64_t> ReadLimit(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  try {
    uint64_t value = std::stoull(text);
    // cgroup v1 reports "no limit" as a huge page-rounded number.
    if (value == 0 || value >= (1ULL << 60)) return std::nullopt;
    return value;
  } catch (...) {
    return std::nullopt;
  }
}
}  // namespace

uint64_t DefaultMemoryLimit(const std::string& cgroup_root) {
  std::optional<uint64_t> limit = ReadLimit(cgroup_root + "/memory.max");  // cgroup v2
  if (!limit) limit = ReadLimit(cgroup_root + "/memory/memory.limit_in_bytes");  // cgroup v1
  if (!limit) {
    long pages = sysconf(_SC_PHYS_PAGES);
    long page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) limit = static_cast<uint64_t>(pages) * static_cast<uint64_t>(page);
  }
  constexpr uint64_t kMin = 64ULL << 20, kMax = 512ULL << 20;
  return std::clamp<uint64_t>(limit.value_or(kMax * 8) / 8, kMin, kMax);
}

}  // namespace mounter

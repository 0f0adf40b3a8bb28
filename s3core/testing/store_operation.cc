#include "s3core/testing/store_operation.h"

#include <cstdio>
#include <cstdlib>

namespace s3core::testing {
namespace {

constexpr std::array<const char*, kStoreOperationCount> kNames = {
    "HeadBucket",   "CreateBucket", "DeleteBucket",  "ListBuckets",           "HeadObject",
    "GetObject",    "PutObject",    "DeleteObject",  "DeleteObjects",         "ListObjects",
    "CopyObject",   "CreateMultipartUpload",         "UploadPart",            "UploadPartCopy",
    "CompleteMultipartUpload",      "AbortMultipartUpload",                   "ListMultipartUploads",
};
static_assert(static_cast<size_t>(StoreOperation::kListMultipartUploads) + 1 == kStoreOperationCount);

}  // namespace

const char* StoreOperationName(StoreOperation op) { return kNames[static_cast<size_t>(op)]; }

std::optional<StoreOperation> ParseStoreOperation(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (name == kNames[i]) return static_cast<StoreOperation>(i);
  }
  return std::nullopt;
}

StoreOperation StoreOperationOrDie(std::string_view name) {
  if (auto op = ParseStoreOperation(name)) return *op;
  std::fprintf(stderr, "'%.*s' is not an ObjectStore operation name\n", static_cast<int>(name.size()), name.data());
  std::abort();
}

uint64_t OperationCounters::Total() const {
  uint64_t total = 0;
  for (const auto& c : counts_) total += c.load(std::memory_order_relaxed);
  return total;
}

std::map<std::string, uint64_t> OperationCounters::NonZero() const {
  std::map<std::string, uint64_t> out;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (uint64_t n = counts_[i].load(std::memory_order_relaxed); n != 0) out[kNames[i]] = n;
  }
  return out;
}

void OperationCounters::Reset() {
  for (auto& c : counts_) c.store(0, std::memory_order_relaxed);
}

}  // namespace s3core::testing

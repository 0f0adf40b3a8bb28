// The operations of the ObjectStore seam, by name, and thread-safe counters of calls to them.
//
// The test doubles count requests per operation so that file-system tests can assert what a
// call cost in S3 requests ("ls -l issued one LIST and no HEAD per entry"), and the fault
// injector selects the calls it breaks by operation. The names are the ObjectStore method names.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace s3core::testing {

enum class StoreOperation {
  kHeadBucket,
  kCreateBucket,
  kDeleteBucket,
  kListBuckets,
  kHeadObject,
  kGetObject,
  kPutObject,
  kDeleteObject,
  kDeleteObjects,
  kListObjects,
  kCopyObject,
  kCreateMultipartUpload,
  kUploadPart,
  kUploadPartCopy,
  kCompleteMultipartUpload,
  kAbortMultipartUpload,
  kListMultipartUploads,
};
inline constexpr size_t kStoreOperationCount = 17;

// "HeadObject", "ListObjects", ... (the ObjectStore method name).
const char* StoreOperationName(StoreOperation op);
// The operation with that exact name, or nullopt.
std::optional<StoreOperation> ParseStoreOperation(std::string_view name);
// Like ParseStoreOperation, but a name that is not an operation is a bug in the test that
// passed it (a typo would make every count read 0 and the assertion pass): aborts with a message.
StoreOperation StoreOperationOrDie(std::string_view name);

// Lock-free counters, one per operation.
class OperationCounters {
 public:
  void Increment(StoreOperation op) { counts_[Index(op)].fetch_add(1, std::memory_order_relaxed); }
  uint64_t Get(StoreOperation op) const { return counts_[Index(op)].load(std::memory_order_relaxed); }
  uint64_t Total() const;
  // Only the operations with a non-zero count, by name (handy in failure messages).
  std::map<std::string, uint64_t> NonZero() const;
  void Reset();

 private:
  static size_t Index(StoreOperation op) { return static_cast<size_t>(op); }
  std::array<std::atomic<uint64_t>, kStoreOperationCount> counts_{};
};

}  // namespace s3core::testing

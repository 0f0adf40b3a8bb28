// FaultInjectingObjectStore: wraps any ObjectStore and breaks chosen calls, the way a real S3
// endpoint fails (503 SlowDown, timeouts, connection resets, a response lost after the server
// acted, a GET body cut in the middle), so that retry and error paths above the seam are tested.
//
//   auto faults = std::make_shared<FaultInjectingObjectStore>(memory_store);
//   faults->AddRule(FaultRule::NextN(StoreOperation::kGetObject, 2, Status::FromS3(503, "SlowDown", "", "")));
//   faults->AddRule(FaultRule::WithProbability(kAnyOperation, 0.1, Status::Transport(true, 28, "timeout"))
//                       .WithDelay(std::chrono::milliseconds(5)));
//
// Rules are checked in the order they were added; every rule that matches a call's operation
// sees it. Of the rules that fire, the delays of all are waited, and the first one with an error
// decides the failure (rules whose error is OK only add latency). Random choices come from one
// RNG seeded in the options, so a single-threaded test is reproducible. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <vector>

#include "s3core/object_store.h"
#include "s3core/testing/store_operation.h"

namespace s3core::testing {

inline constexpr std::optional<StoreOperation> kAnyOperation = std::nullopt;

struct FaultRule {
  enum class Trigger {
    kAlways,       // every matching call
    kNextN,        // the next `count` matching calls, then the rule is spent
    kEveryNth,     // the count-th, 2*count-th, ... matching call
    kProbability,  // each matching call with `probability`
  };

  std::optional<StoreOperation> operation;  // nullopt (kAnyOperation) = every operation
  Trigger trigger = Trigger::kAlways;
  int count = 0;
  double probability = 0;
  int skip_first = 0;  // matching calls that pass untouched before the rule arms
  Status error;        // what a broken call returns; OK = the rule only adds latency
  std::chrono::milliseconds delay{0};  // waited before the call fails or proceeds
  // The inner store performs the call, and then the caller gets `error` anyway: the server
  // acted but the response was lost (a PUT that happened, a Complete that completed).
  bool forward_then_fail = false;
  // GetObject only: this many bytes of the real body reach the sink, then the call fails with
  // `error`, as when a connection is reset mid-stream.
  std::optional<uint64_t> partial_body_bytes;

  static FaultRule Always(std::optional<StoreOperation> op, Status error);
  static FaultRule NextN(std::optional<StoreOperation> op, int n, Status error);
  static FaultRule EveryNth(std::optional<StoreOperation> op, int k, Status error);
  static FaultRule WithProbability(std::optional<StoreOperation> op, double p, Status error);
  // Every matching call waits `delay` and then proceeds.
  static FaultRule Latency(std::optional<StoreOperation> op, std::chrono::milliseconds delay);

  FaultRule& After(int calls) { skip_first = calls; return *this; }
  FaultRule& WithDelay(std::chrono::milliseconds d) { delay = d; return *this; }
  FaultRule& ForwardThenFail() { forward_then_fail = true; return *this; }
  FaultRule& CutBodyAfter(uint64_t bytes) { partial_body_bytes = bytes; return *this; }
};

struct FaultInjectionOptions {
  uint64_t seed = 1;
  // Injected delays are capped, so a mistaken rule cannot hang a test.
  std::chrono::milliseconds max_delay{2000};
  // How a delay is waited; null = std::this_thread::sleep_for. Tests may record instead.
  std::function<void(std::chrono::milliseconds)> sleep;
};

class FaultInjectingObjectStore final : public ObjectStore {
 public:
  explicit FaultInjectingObjectStore(std::shared_ptr<ObjectStore> inner, FaultInjectionOptions options = {});

  // Returns an id for RemoveRule and RuleFireCount.
  int AddRule(FaultRule rule);
  void RemoveRule(int id);
  void ClearRules();

  // Calls that reached this wrapper, by operation (failed and injected ones included).
  uint64_t CallCount(StoreOperation op) const { return calls_.Get(op); }
  // Calls failed by a rule (latency-only firings are not faults).
  uint64_t InjectedFaultCount() const { return faults_.Total(); }
  uint64_t InjectedFaultCount(StoreOperation op) const { return faults_.Get(op); }
  // How often a rule fired (failures and latency alike); 0 for an unknown id.
  uint64_t RuleFireCount(int id) const;
  void ResetCounters();

  ObjectStore& inner() { return *inner_; }

  Status HeadBucket(const std::string& bucket) override;
  Status CreateBucket(const std::string& bucket) override;
  Status DeleteBucket(const std::string& bucket) override;
  Result<std::vector<BucketInfo>> ListBuckets() override;

  Result<ObjectInfo> HeadObject(const HeadObjectRequest& request) override;
  Result<ObjectInfo> GetObject(const GetObjectRequest& request, BodySink& sink) override;
  Result<PutObjectResult> PutObject(const PutObjectRequest& request) override;
  Status DeleteObject(const std::string& bucket, const std::string& key) override;
  Result<DeleteObjectsResult> DeleteObjects(const std::string& bucket, const std::vector<std::string>& keys) override;
  Result<ListObjectsResult> ListObjects(const ListObjectsRequest& request) override;
  Result<PutObjectResult> CopyObject(const CopyObjectRequest& request) override;

  Result<std::string> CreateMultipartUpload(const CreateMultipartUploadRequest& request) override;
  Result<std::string> UploadPart(const UploadPartRequest& request) override;
  Result<std::string> UploadPartCopy(const UploadPartCopyRequest& request) override;
  Result<PutObjectResult> CompleteMultipartUpload(const CompleteMultipartUploadRequest& request) override;
  Status AbortMultipartUpload(const std::string& bucket, const std::string& key,
                              const std::string& upload_id) override;
  Result<ListMultipartUploadsResult> ListMultipartUploads(const ListMultipartUploadsRequest& request) override;

 private:
  struct ActiveRule {
    int id = 0;
    FaultRule rule;
    uint64_t seen = 0;   // matching calls
    uint64_t fired = 0;
  };
  // What to do with one call, decided under the lock.
  struct Decision {
    std::chrono::milliseconds delay{0};
    std::optional<FaultRule> failure;  // the rule that breaks the call, if any
  };

  Decision Decide(StoreOperation op);
  void Wait(std::chrono::milliseconds delay) const;
  // Runs `call` against the inner store unless a rule breaks it.
  template <typename R, typename Call>
  R Run(StoreOperation op, Call&& call);

  const std::shared_ptr<ObjectStore> inner_;
  const FaultInjectionOptions options_;
  OperationCounters calls_, faults_;
  mutable std::mutex mu_;
  std::vector<ActiveRule> rules_;  // guarded by mu_
  std::mt19937_64 rng_;            // guarded by mu_
  int next_id_ = 1;                // guarded by mu_
};

}  // namespace s3core::testing

#include "s3core/testing/fault_injecting_object_store.h"

#include <algorithm>
#include <thread>
#include <utility>

namespace s3core::testing {
namespace {

FaultRule MakeRule(std::optional<StoreOperation> op, FaultRule::Trigger trigger, Status error) {
  FaultRule rule;
  rule.operation = op;
  rule.trigger = trigger;
  rule.error = std::move(error);
  return rule;
}

// Passes the first `limit` bytes of a GET body to the caller's sink, then stops the transfer.
class CuttingSink final : public BodySink {
 public:
  CuttingSink(BodySink& target, uint64_t limit) : target_(target), limit_(limit) {}

  Status Write(const char* data, size_t n) override {
    const uint64_t room = limit_ - written_;
    const size_t pass = static_cast<size_t>(std::min<uint64_t>(room, n));
    if (pass > 0) {
      S3_RETURN_IF_ERROR(target_.Write(data, pass));
      written_ += pass;
    }
    if (pass < n) {
      cut_ = true;
      return Status::Io("injected: body cut");
    }
    return Status();
  }
  void Reset() override {
    written_ = 0;
    target_.Reset();
  }
  bool cut() const { return cut_; }

 private:
  BodySink& target_;
  uint64_t limit_;
  uint64_t written_ = 0;
  bool cut_ = false;
};

}  // namespace

FaultRule FaultRule::Always(std::optional<StoreOperation> op, Status error) {
  return MakeRule(op, Trigger::kAlways, std::move(error));
}

FaultRule FaultRule::NextN(std::optional<StoreOperation> op, int n, Status error) {
  FaultRule rule = MakeRule(op, Trigger::kNextN, std::move(error));
  rule.count = n;
  return rule;
}

FaultRule FaultRule::EveryNth(std::optional<StoreOperation> op, int k, Status error) {
  FaultRule rule = MakeRule(op, Trigger::kEveryNth, std::move(error));
  rule.count = k;
  return rule;
}

FaultRule FaultRule::WithProbability(std::optional<StoreOperation> op, double p, Status error) {
  FaultRule rule = MakeRule(op, Trigger::kProbability, std::move(error));
  rule.probability = p;
  return rule;
}

FaultRule FaultRule::Latency(std::optional<StoreOperation> op, std::chrono::milliseconds delay) {
  FaultRule rule = MakeRule(op, Trigger::kAlways, Status());
  rule.delay = delay;
  return rule;
}

FaultInjectingObjectStore::FaultInjectingObjectStore(std::shared_ptr<ObjectStore> inner,
                                                     FaultInjectionOptions options)
    : inner_(std::move(inner)), options_(std::move(options)), rng_(options_.seed) {}

int FaultInjectingObjectStore::AddRule(FaultRule rule) {
  std::lock_guard lock(mu_);
  const int id = next_id_++;
  rules_.push_back(ActiveRule{id, std::move(rule), 0, 0});
  return id;
}

void FaultInjectingObjectStore::RemoveRule(int id) {
  std::lock_guard lock(mu_);
  std::erase_if(rules_, [id](const ActiveRule& r) { return r.id == id; });
}

void FaultInjectingObjectStore::ClearRules() {
  std::lock_guard lock(mu_);
  rules_.clear();
}

uint64_t FaultInjectingObjectStore::RuleFireCount(int id) const {
  std::lock_guard lock(mu_);
  for (const auto& r : rules_) {
    if (r.id == id) return r.fired;
  }
  return 0;
}

void FaultInjectingObjectStore::ResetCounters() {
  calls_.Reset();
  faults_.Reset();
}

FaultInjectingObjectStore::Decision FaultInjectingObjectStore::Decide(StoreOperation op) {
  calls_.Increment(op);
  Decision decision;
  std::lock_guard lock(mu_);
  for (auto& active : rules_) {
    const FaultRule& rule = active.rule;
    if (rule.operation && *rule.operation != op) continue;
    ++active.seen;
    if (active.seen <= static_cast<uint64_t>(std::max(rule.skip_first, 0))) continue;
    const bool fails = !rule.error.ok();
    // Once a failure is chosen, later failure rules neither fire nor use up their budget.
    if (fails && decision.failure) continue;
    const uint64_t armed_calls = active.seen - static_cast<uint64_t>(std::max(rule.skip_first, 0));
    bool fire = false;
    switch (rule.trigger) {
      case FaultRule::Trigger::kAlways: fire = true; break;
      case FaultRule::Trigger::kNextN: fire = active.fired < static_cast<uint64_t>(std::max(rule.count, 0)); break;
      case FaultRule::Trigger::kEveryNth: fire = rule.count > 0 && armed_calls % static_cast<uint64_t>(rule.count) == 0; break;
      case FaultRule::Trigger::kProbability:
        fire = std::bernoulli_distribution(std::clamp(rule.probability, 0.0, 1.0))(rng_);
        break;
    }
    if (!fire) continue;
    ++active.fired;
    decision.delay += std::clamp(rule.delay, std::chrono::milliseconds(0), options_.max_delay);
    if (fails) decision.failure = rule;
  }
  decision.delay = std::min(decision.delay, options_.max_delay);
  if (decision.failure) faults_.Increment(op);
  return decision;
}

void FaultInjectingObjectStore::Wait(std::chrono::milliseconds delay) const {
  if (delay.count() <= 0) return;
  if (options_.sleep) {
    options_.sleep(delay);
  } else {
    std::this_thread::sleep_for(delay);
  }
}

template <typename R, typename Call>
R FaultInjectingObjectStore::Run(StoreOperation op, Call&& call) {
  const Decision decision = Decide(op);
  Wait(decision.delay);
  if (!decision.failure) return call();
  if (decision.failure->forward_then_fail) (void)call();
  return decision.failure->error;
}

Status FaultInjectingObjectStore::HeadBucket(const std::string& bucket) {
  return Run<Status>(StoreOperation::kHeadBucket, [&] { return inner_->HeadBucket(bucket); });
}

Status FaultInjectingObjectStore::CreateBucket(const std::string& bucket) {
  return Run<Status>(StoreOperation::kCreateBucket, [&] { return inner_->CreateBucket(bucket); });
}

Status FaultInjectingObjectStore::DeleteBucket(const std::string& bucket) {
  return Run<Status>(StoreOperation::kDeleteBucket, [&] { return inner_->DeleteBucket(bucket); });
}

Result<std::vector<BucketInfo>> FaultInjectingObjectStore::ListBuckets() {
  return Run<Result<std::vector<BucketInfo>>>(StoreOperation::kListBuckets, [&] { return inner_->ListBuckets(); });
}

Result<ObjectInfo> FaultInjectingObjectStore::HeadObject(const HeadObjectRequest& request) {
  return Run<Result<ObjectInfo>>(StoreOperation::kHeadObject, [&] { return inner_->HeadObject(request); });
}

Result<ObjectInfo> FaultInjectingObjectStore::GetObject(const GetObjectRequest& request, BodySink& sink) {
  const Decision decision = Decide(StoreOperation::kGetObject);
  Wait(decision.delay);
  if (!decision.failure) return inner_->GetObject(request, sink);
  const FaultRule& rule = *decision.failure;
  if (rule.partial_body_bytes) {
    CuttingSink cutting(sink, *rule.partial_body_bytes);
    auto result = inner_->GetObject(request, cutting);
    // A request the server refused (404, 412, 416) has no body to cut: its own error stands.
    if (!result.ok() && !cutting.cut()) return result;
    return rule.error;
  }
  if (rule.forward_then_fail) (void)inner_->GetObject(request, sink);
  return rule.error;
}

Result<PutObjectResult> FaultInjectingObjectStore::PutObject(const PutObjectRequest& request) {
  return Run<Result<PutObjectResult>>(StoreOperation::kPutObject, [&] { return inner_->PutObject(request); });
}

Status FaultInjectingObjectStore::DeleteObject(const std::string& bucket, const std::string& key) {
  return Run<Status>(StoreOperation::kDeleteObject, [&] { return inner_->DeleteObject(bucket, key); });
}

Result<DeleteObjectsResult> FaultInjectingObjectStore::DeleteObjects(const std::string& bucket,
                                                                     const std::vector<std::string>& keys) {
  return Run<Result<DeleteObjectsResult>>(StoreOperation::kDeleteObjects,
                                          [&] { return inner_->DeleteObjects(bucket, keys); });
}

Result<ListObjectsResult> FaultInjectingObjectStore::ListObjects(const ListObjectsRequest& request) {
  return Run<Result<ListObjectsResult>>(StoreOperation::kListObjects, [&] { return inner_->ListObjects(request); });
}

Result<PutObjectResult> FaultInjectingObjectStore::CopyObject(const CopyObjectRequest& request) {
  return Run<Result<PutObjectResult>>(StoreOperation::kCopyObject, [&] { return inner_->CopyObject(request); });
}

Result<std::string> FaultInjectingObjectStore::CreateMultipartUpload(const CreateMultipartUploadRequest& request) {
  return Run<Result<std::string>>(StoreOperation::kCreateMultipartUpload,
                                  [&] { return inner_->CreateMultipartUpload(request); });
}

Result<std::string> FaultInjectingObjectStore::UploadPart(const UploadPartRequest& request) {
  return Run<Result<std::string>>(StoreOperation::kUploadPart, [&] { return inner_->UploadPart(request); });
}

Result<std::string> FaultInjectingObjectStore::UploadPartCopy(const UploadPartCopyRequest& request) {
  return Run<Result<std::string>>(StoreOperation::kUploadPartCopy, [&] { return inner_->UploadPartCopy(request); });
}

Result<PutObjectResult> FaultInjectingObjectStore::CompleteMultipartUpload(
    const CompleteMultipartUploadRequest& request) {
  return Run<Result<PutObjectResult>>(StoreOperation::kCompleteMultipartUpload,
                                      [&] { return inner_->CompleteMultipartUpload(request); });
}

Status FaultInjectingObjectStore::AbortMultipartUpload(const std::string& bucket, const std::string& key,
                                                       const std::string& upload_id) {
  return Run<Status>(StoreOperation::kAbortMultipartUpload,
                     [&] { return inner_->AbortMultipartUpload(bucket, key, upload_id); });
}

Result<ListMultipartUploadsResult> FaultInjectingObjectStore::ListMultipartUploads(
    const ListMultipartUploadsRequest& request) {
  return Run<Result<ListMultipartUploadsResult>>(StoreOperation::kListMultipartUploads,
                                                 [&] { return inner_->ListMultipartUploads(request); });
}

}  // namespace s3core::testing

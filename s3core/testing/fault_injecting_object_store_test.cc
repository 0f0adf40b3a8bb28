#include "s3core/testing/fault_injecting_object_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "s3core/testing/in_memory_object_store.h"

namespace s3core::testing {
namespace {

using std::chrono::milliseconds;

Status SlowDown() { return Status::FromS3(503, "SlowDown", "Please reduce your request rate.", "req-1"); }
Status Timeout() { return Status::Transport(true, 28, "timeout"); }
Status Reset() { return Status::Transport(false, 56, "connection reset"); }

class FaultInjectionTest : public ::testing::Test {
 protected:
  FaultInjectionTest() {
    InMemoryObjectStoreOptions options;
    options.min_part_size = 1;
    memory_ = std::make_shared<InMemoryObjectStore>(options);
    memory_->PutDirect("bkt", "k", "0123456789");
    FaultInjectionOptions fault_options;
    fault_options.seed = 42;
    fault_options.max_delay = milliseconds(50);
    fault_options.sleep = [this](milliseconds d) { slept_.push_back(d); };
    store_ = std::make_unique<FaultInjectingObjectStore>(memory_, fault_options);
  }

  Status Head() { return store_->HeadObject({"bkt", "k", "", "", {}}).status(); }
  Result<std::string> Get(const std::string& key = "k") {
    std::string out;
    StringSink sink(&out);
    S3_RETURN_IF_ERROR(store_->GetObject({"bkt", key, std::nullopt, "", "", {}}, sink).status());
    return out;
  }

  std::shared_ptr<InMemoryObjectStore> memory_;
  std::unique_ptr<FaultInjectingObjectStore> store_;
  std::vector<milliseconds> slept_;
};

TEST_F(FaultInjectionTest, NoRulesPassesEverythingThrough) {
  EXPECT_EQ(*Get(), "0123456789");
  EXPECT_TRUE(Head().ok());
  EXPECT_TRUE(Get("missing").status().IsNotFound());  // the inner store's own errors pass too
  EXPECT_EQ(memory_->RequestCount(StoreOperation::kGetObject), 2u);
  EXPECT_EQ(store_->CallCount(StoreOperation::kGetObject), 2u);
  EXPECT_EQ(store_->InjectedFaultCount(), 0u);
  EXPECT_TRUE(slept_.empty());
}

TEST_F(FaultInjectionTest, FailNextNCallsOfOneOperation) {
  const int rule = store_->AddRule(FaultRule::NextN(StoreOperation::kGetObject, 2, SlowDown()));
  auto first = Get();
  EXPECT_EQ(first.status().kind(), ErrorKind::kThrottled);
  EXPECT_EQ(first.status().s3_code(), "SlowDown");
  EXPECT_EQ(first.status().http_status(), 503);
  EXPECT_TRUE(first.status().IsRetryable());
  EXPECT_TRUE(Head().ok());  // another operation: untouched
  EXPECT_FALSE(Get().ok());
  EXPECT_EQ(*Get(), "0123456789");  // the rule is spent
  EXPECT_EQ(*Get(), "0123456789");
  EXPECT_EQ(store_->InjectedFaultCount(), 2u);
  EXPECT_EQ(store_->InjectedFaultCount(StoreOperation::kGetObject), 2u);
  EXPECT_EQ(store_->InjectedFaultCount(StoreOperation::kHeadObject), 0u);
  EXPECT_EQ(store_->RuleFireCount(rule), 2u);
  // Failed calls never reached the inner store.
  EXPECT_EQ(memory_->RequestCount(StoreOperation::kGetObject), 2u);
}

TEST_F(FaultInjectionTest, AnyOperationAndEveryWrappedMethod) {
  store_->AddRule(FaultRule::Always(kAnyOperation, Reset()));
  std::string sink_data;
  StringSink sink(&sink_data);
  BufferSource body("x");
  std::vector<Status> results = {
      store_->HeadBucket("bkt"),
      store_->CreateBucket("new-bucket"),
      store_->DeleteBucket("bkt"),
      store_->ListBuckets().status(),
      store_->HeadObject({"bkt", "k", "", "", {}}).status(),
      store_->GetObject({"bkt", "k", std::nullopt, "", "", {}}, sink).status(),
      store_->PutObject({"bkt", "k", &body, {}, "", ""}).status(),
      store_->DeleteObject("bkt", "k"),
      store_->DeleteObjects("bkt", {"k"}).status(),
      store_->ListObjects({"bkt", "", "", 1000, "", ""}).status(),
      store_->CopyObject({"bkt", "k", "bkt", "k2", CopyObjectRequest::MetadataDirective::kCopy, {}, "", {}}).status(),
      store_->CreateMultipartUpload({"bkt", "k", {}}).status(),
      store_->UploadPart({"bkt", "k", "id", 1, &body, {}}).status(),
      store_->UploadPartCopy({"bkt", "k", "id", 1, "bkt", "k", std::nullopt, "", {}, {}}).status(),
      store_->CompleteMultipartUpload({"bkt", "k", "id", {{1, "e"}}}).status(),
      store_->AbortMultipartUpload("bkt", "k", "id"),
      store_->ListMultipartUploads({"bkt", "", "", "", 1000}).status(),
  };
  ASSERT_EQ(results.size(), kStoreOperationCount);
  for (size_t i = 0; i < results.size(); ++i) {
    const auto op = static_cast<StoreOperation>(i);
    EXPECT_EQ(results[i].kind(), ErrorKind::kNetwork) << StoreOperationName(op);
    EXPECT_EQ(results[i].curl_code(), 56) << StoreOperationName(op);
    EXPECT_EQ(store_->InjectedFaultCount(op), 1u) << StoreOperationName(op);
  }
  EXPECT_EQ(memory_->TotalRequestCount(), 0u);
  EXPECT_EQ(memory_->GetDirect("bkt", "k")->data, "0123456789");

  store_->ClearRules();
  EXPECT_TRUE(Head().ok());
}

TEST_F(FaultInjectionTest, EveryNthCallAndSkippedCalls) {
  store_->AddRule(FaultRule::EveryNth(StoreOperation::kHeadObject, 3, Timeout()));
  std::vector<bool> ok;
  for (int i = 0; i < 9; ++i) ok.push_back(Head().ok());
  EXPECT_EQ(ok, (std::vector<bool>{true, true, false, true, true, false, true, true, false}));

  store_->ClearRules();
  // "Fail the third call only": one failure, armed after two calls pass.
  store_->AddRule(FaultRule::NextN(StoreOperation::kHeadObject, 1, Timeout()).After(2));
  ok.clear();
  for (int i = 0; i < 5; ++i) ok.push_back(Head().ok());
  EXPECT_EQ(ok, (std::vector<bool>{true, true, false, true, true}));
  EXPECT_EQ(store_->InjectedFaultCount(), 4u);
}

TEST_F(FaultInjectionTest, ProbabilityIsSeededAndRoughlyRight) {
  auto run = [this](uint64_t seed) {
    FaultInjectionOptions options;
    options.seed = seed;
    FaultInjectingObjectStore store(memory_, options);
    store.AddRule(FaultRule::WithProbability(StoreOperation::kHeadObject, 0.3, SlowDown()));
    std::vector<bool> pattern;
    for (int i = 0; i < 1000; ++i) pattern.push_back(store.HeadObject({"bkt", "k", "", "", {}}).ok());
    return std::make_pair(pattern, store.InjectedFaultCount());
  };
  auto [a, a_faults] = run(7);
  auto [b, b_faults] = run(7);
  auto [c, c_faults] = run(8);
  EXPECT_EQ(a, b);  // same seed, same faults
  EXPECT_NE(a, c);
  EXPECT_GT(a_faults, 220u);
  EXPECT_LT(a_faults, 380u);

  store_->AddRule(FaultRule::WithProbability(StoreOperation::kListBuckets, 0.0, SlowDown()));
  store_->AddRule(FaultRule::WithProbability(StoreOperation::kHeadBucket, 1.0, SlowDown()));
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(store_->ListBuckets().ok());
    EXPECT_FALSE(store_->HeadBucket("bkt").ok());
  }
}

TEST_F(FaultInjectionTest, DelaysAreWaitedAndCapped) {
  store_->AddRule(FaultRule::NextN(StoreOperation::kHeadObject, 1, Timeout()).WithDelay(milliseconds(20)));
  store_->AddRule(FaultRule::Latency(StoreOperation::kGetObject, milliseconds(10'000)));
  EXPECT_EQ(Head().kind(), ErrorKind::kTimeout);
  EXPECT_TRUE(Head().ok());
  EXPECT_EQ(*Get(), "0123456789");  // latency only: the call goes through
  EXPECT_EQ(slept_, (std::vector<milliseconds>{milliseconds(20), milliseconds(50)}));  // capped at max_delay
  EXPECT_EQ(store_->InjectedFaultCount(), 1u);  // latency is not a fault
}

TEST_F(FaultInjectionTest, RealSleepByDefault) {
  FaultInjectingObjectStore store(memory_);
  store.AddRule(FaultRule::Latency(kAnyOperation, milliseconds(30)));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(store.HeadBucket("bkt").ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(30));
}

TEST_F(FaultInjectionTest, LatencyAndFailureRulesCombine) {
  const int latency = store_->AddRule(FaultRule::Latency(kAnyOperation, milliseconds(5)));
  const int first = store_->AddRule(FaultRule::NextN(StoreOperation::kHeadObject, 1, SlowDown()));
  const int second = store_->AddRule(FaultRule::NextN(StoreOperation::kHeadObject, 1, Timeout()));
  EXPECT_EQ(Head().kind(), ErrorKind::kThrottled);  // the first failure rule decides
  EXPECT_EQ(Head().kind(), ErrorKind::kTimeout);    // the second kept its budget
  EXPECT_TRUE(Head().ok());
  EXPECT_EQ(store_->RuleFireCount(latency), 3u);
  EXPECT_EQ(store_->RuleFireCount(first), 1u);
  EXPECT_EQ(store_->RuleFireCount(second), 1u);
  EXPECT_EQ(slept_.size(), 3u);
  store_->RemoveRule(latency);
  EXPECT_TRUE(Head().ok());
  EXPECT_EQ(slept_.size(), 3u);
  EXPECT_EQ(store_->RuleFireCount(latency), 0u);  // unknown once removed
}

TEST_F(FaultInjectionTest, ForwardThenFailLosesTheResponseNotTheWrite) {
  store_->AddRule(FaultRule::NextN(StoreOperation::kPutObject, 1, Timeout()).ForwardThenFail());
  BufferSource body("written anyway");
  auto put = store_->PutObject({"bkt", "lost", &body, {}, "", ""});
  EXPECT_EQ(put.status().kind(), ErrorKind::kTimeout);
  ASSERT_TRUE(memory_->GetDirect("bkt", "lost").has_value());
  EXPECT_EQ(memory_->GetDirect("bkt", "lost")->data, "written anyway");

  // A retried Complete after a lost response finds the upload gone, as on a real server.
  auto id = store_->CreateMultipartUpload({"bkt", "mp", {}});
  BufferSource part("p");
  auto etag = store_->UploadPart({"bkt", "mp", *id, 1, &part, {}});
  store_->AddRule(FaultRule::NextN(StoreOperation::kCompleteMultipartUpload, 1, Reset()).ForwardThenFail());
  EXPECT_EQ(store_->CompleteMultipartUpload({"bkt", "mp", *id, {{1, *etag}}}).status().kind(), ErrorKind::kNetwork);
  EXPECT_EQ(store_->CompleteMultipartUpload({"bkt", "mp", *id, {{1, *etag}}}).status().s3_code(), "NoSuchUpload");
  EXPECT_TRUE(memory_->GetDirect("bkt", "mp").has_value());
}

TEST_F(FaultInjectionTest, GetBodyCutMidStream) {
  store_->AddRule(FaultRule::NextN(StoreOperation::kGetObject, 1, Reset()).CutBodyAfter(4));
  std::string out;
  StringSink sink(&out);
  auto cut = store_->GetObject({"bkt", "k", std::nullopt, "", "", {}}, sink);
  EXPECT_EQ(cut.status().kind(), ErrorKind::kNetwork);
  EXPECT_EQ(out, "0123");  // what arrived before the reset

  store_->AddRule(FaultRule::NextN(StoreOperation::kGetObject, 1, Reset()).CutBodyAfter(4));
  out.clear();
  cut = store_->GetObject({"bkt", "k", ByteRange{5, std::nullopt}, "", "", {}}, sink);
  EXPECT_FALSE(cut.ok());
  EXPECT_EQ(out, "5678");  // the cut applies to the ranged body

  store_->AddRule(FaultRule::NextN(StoreOperation::kGetObject, 1, Reset()).CutBodyAfter(100));
  out.clear();
  EXPECT_FALSE(store_->GetObject({"bkt", "k", std::nullopt, "", "", {}}, sink).ok());
  EXPECT_EQ(out, "0123456789");  // all of it arrived, then the connection died

  // A refused request has no body to cut: its own error stands.
  store_->AddRule(FaultRule::NextN(StoreOperation::kGetObject, 1, Reset()).CutBodyAfter(4));
  EXPECT_EQ(Get("missing").status().s3_code(), "NoSuchKey");
  EXPECT_EQ(*Get(), "0123456789");
}

TEST_F(FaultInjectionTest, ThreadSafeBudget) {
  FaultInjectingObjectStore store(memory_);
  store.AddRule(FaultRule::NextN(StoreOperation::kHeadObject, 100, SlowDown()));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (!store.HeadObject({"bkt", "k", "", "", {}}).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 100);
  EXPECT_EQ(store.InjectedFaultCount(), 100u);
  EXPECT_EQ(store.CallCount(StoreOperation::kHeadObject), 400u);
}

}  // namespace
}  // namespace s3core::testing

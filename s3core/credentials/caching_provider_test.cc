#include "s3core/credentials/caching_provider.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace s3core {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;

// A clock the test moves by hand.
class FakeClock {
 public:
  TimePoint now() const { return TimePoint(std::chrono::seconds(seconds_.load())); }
  void Advance(std::chrono::seconds by) { seconds_ += by.count(); }
  Clock AsClock() {
    return [this] { return now(); };
  }

 private:
  std::atomic<int64_t> seconds_{1'700'000'000};
};

// Answers from a script (the last answer repeats) and counts calls. Optionally blocks each call
// until Release(), to hold a refresh in flight.
class ScriptedProvider final : public CredentialsProvider {
 public:
  void Push(Result<Credentials> answer) {
    std::lock_guard<std::mutex> lock(mu_);
    answers_.push_back(std::move(answer));
  }
  // Replaces the whole script.
  void Set(Result<Credentials> answer) {
    std::lock_guard<std::mutex> lock(mu_);
    answers_.clear();
    answers_.push_back(std::move(answer));
  }
  void BlockCalls() {
    std::lock_guard<std::mutex> lock(mu_);
    blocked_ = true;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    blocked_ = false;
    cv_.notify_all();
  }
  void WaitForCalls(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return calls_ >= n; });
  }
  int calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

  Result<Credentials> Get() override {
    std::unique_lock<std::mutex> lock(mu_);
    ++calls_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return !blocked_; });
    Result<Credentials> answer = answers_.front();
    if (answers_.size() > 1) answers_.pop_front();
    return answer;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Result<Credentials>> answers_;
  int calls_ = 0;
  bool blocked_ = false;
};

Credentials Creds(const std::string& key, std::optional<TimePoint> expiration) {
  Credentials c;
  c.access_key_id = key;
  c.secret_access_key = "secret-" + key;
  c.session_token = "token-" + key;
  c.expiration = expiration;
  c.source = "test";
  return c;
}

Status Failure() { return Status::Error(ErrorKind::kCredentials, "endpoint down"); }

class CachingProviderTest : public ::testing::Test {
 protected:
  CachingCredentialsProvider Make(CachingOptions options = {}) {
    return CachingCredentialsProvider(inner_, options, clock_.AsClock());
  }
  FakeClock clock_;
  std::shared_ptr<ScriptedProvider> inner_ = std::make_shared<ScriptedProvider>();
};

TEST_F(CachingProviderTest, CachesUntilFiveMinutesBeforeExpiry) {
  inner_->Push(Creds("one", clock_.now() + minutes(60)));
  inner_->Push(Creds("two", clock_.now() + minutes(120)));
  auto cache = Make();
  EXPECT_EQ(cache.Get()->access_key_id, "one");
  clock_.Advance(minutes(54));
  EXPECT_EQ(cache.Get()->access_key_id, "one");
  EXPECT_EQ(inner_->calls(), 1);
  clock_.Advance(minutes(1) + seconds(1));  // 4m59s left
  EXPECT_EQ(cache.Get()->access_key_id, "two");
  EXPECT_EQ(inner_->calls(), 2);
  EXPECT_EQ(cache.Get()->access_key_id, "two");
  EXPECT_EQ(inner_->calls(), 2);
}

TEST_F(CachingProviderTest, ShortLivedCredentialsRefreshHalfway) {
  inner_->Push(Creds("short", clock_.now() + minutes(4)));  // shorter than the 5-minute window
  auto cache = Make();
  ASSERT_TRUE(cache.Get().ok());
  clock_.Advance(minutes(1));
  ASSERT_TRUE(cache.Get().ok());
  EXPECT_EQ(inner_->calls(), 1);  // not refetched on every call
  clock_.Advance(minutes(1));
  ASSERT_TRUE(cache.Get().ok());
  EXPECT_EQ(inner_->calls(), 2);
}

TEST_F(CachingProviderTest, FailedRefreshKeepsServingValidCredentials) {
  inner_->Push(Creds("one", clock_.now() + minutes(60)));
  inner_->Push(Failure());
  CachingOptions options;
  options.retry_after_failure = seconds(30);
  auto cache = Make(options);
  ASSERT_EQ(cache.Get()->access_key_id, "one");

  clock_.Advance(minutes(56));  // refresh due, inner fails
  auto during = cache.Get();
  ASSERT_TRUE(during.ok());
  EXPECT_EQ(during->access_key_id, "one");
  EXPECT_EQ(inner_->calls(), 2);

  clock_.Advance(seconds(10));  // within the retry back-off: no new attempt
  EXPECT_TRUE(cache.Get().ok());
  EXPECT_EQ(inner_->calls(), 2);

  clock_.Advance(seconds(25));  // back-off over: tries again, fails again, still serves
  EXPECT_TRUE(cache.Get().ok());
  EXPECT_EQ(inner_->calls(), 3);

  clock_.Advance(minutes(5));  // now expired: the error comes through
  auto expired = cache.Get();
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().message(), "endpoint down");
  EXPECT_EQ(inner_->calls(), 4);
}

TEST_F(CachingProviderTest, InitialFailureIsReturnedAndRetriedNextCall) {
  inner_->Push(Failure());
  inner_->Push(Creds("late", std::nullopt));
  auto cache = Make();
  EXPECT_FALSE(cache.Get().ok());
  EXPECT_EQ(cache.Get()->access_key_id, "late");
  EXPECT_EQ(inner_->calls(), 2);
}

TEST_F(CachingProviderTest, NonExpiringCredentialsAreKeptOrReloaded) {
  inner_->Push(Creds("static", std::nullopt));
  auto forever = Make();
  ASSERT_TRUE(forever.Get().ok());
  clock_.Advance(std::chrono::hours(24 * 365));
  ASSERT_TRUE(forever.Get().ok());
  EXPECT_EQ(inner_->calls(), 1);

  auto other = std::make_shared<ScriptedProvider>();
  other->Push(Creds("v1", std::nullopt));
  other->Push(Creds("v2", std::nullopt));
  CachingOptions options;
  options.reload_interval = minutes(10);
  CachingCredentialsProvider reloading(other, options, clock_.AsClock());
  EXPECT_EQ(reloading.Get()->access_key_id, "v1");
  clock_.Advance(minutes(9));
  EXPECT_EQ(reloading.Get()->access_key_id, "v1");
  clock_.Advance(minutes(1));
  EXPECT_EQ(reloading.Get()->access_key_id, "v2");
}

TEST_F(CachingProviderTest, InvalidateForcesARefresh) {
  inner_->Push(Creds("one", clock_.now() + minutes(60)));
  inner_->Push(Creds("two", clock_.now() + minutes(60)));
  auto cache = Make();
  EXPECT_EQ(cache.Get()->access_key_id, "one");
  cache.Invalidate();
  EXPECT_EQ(cache.Get()->access_key_id, "two");
}

TEST_F(CachingProviderTest, OneRefreshAtATimeOthersGetOldCredentials) {
  inner_->Push(Creds("one", clock_.now() + minutes(60)));
  auto cache = Make();
  ASSERT_TRUE(cache.Get().ok());
  inner_->Set(Creds("two", clock_.now() + minutes(120)));
  clock_.Advance(minutes(56));

  inner_->BlockCalls();
  std::thread refresher([&] { EXPECT_EQ(cache.Get()->access_key_id, "two"); });
  inner_->WaitForCalls(2);  // the refresh is in flight and held
  for (int i = 0; i < 5; ++i) {
    auto old = cache.Get();  // must not block and must not start a second refresh
    ASSERT_TRUE(old.ok());
    EXPECT_EQ(old->access_key_id, "one");
  }
  EXPECT_EQ(inner_->calls(), 2);
  inner_->Release();
  refresher.join();
  EXPECT_EQ(cache.Get()->access_key_id, "two");
  EXPECT_EQ(inner_->calls(), 2);
}

TEST_F(CachingProviderTest, CallersWithoutValidCredentialsWaitForTheSingleRefresh) {
  inner_->Push(Creds("first", clock_.now() + minutes(60)));
  inner_->BlockCalls();
  auto cache = Make();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto result = cache.Get();
      if (result.ok() && result->access_key_id == "first") ++ok;
    });
  }
  inner_->WaitForCalls(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the others reach the wait
  inner_->Release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(inner_->calls(), 1);
}

TEST_F(CachingProviderTest, WaitersShareAFailedRefreshsError) {
  inner_->Push(Failure());
  inner_->BlockCalls();
  auto cache = Make();
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (!cache.Get().ok()) ++failed;
    });
  }
  inner_->WaitForCalls(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  inner_->Release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 4);
  // Threads that arrived while the refresh was in flight took its error instead of retrying;
  // a straggler that arrived after it finished may have tried once more.
  EXPECT_LE(inner_->calls(), 4);
  EXPECT_GE(inner_->calls(), 1);
}

}  // namespace
}  // namespace s3core

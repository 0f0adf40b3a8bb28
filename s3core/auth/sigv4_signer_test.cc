#include "s3core/auth/sigv4_signer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace s3core {
namespace {

using namespace std::chrono_literals;

Credentials Creds(const std::string& secret) {
  Credentials c;
  c.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  c.secret_access_key = secret;
  return c;
}

SigningParams Params(std::chrono::system_clock::time_point now, std::string region = "us-east-1") {
  SigningParams p;
  p.region = std::move(region);
  p.now = now;
  p.payload_hash = std::string(kEmptyPayloadSha256);
  return p;
}

const auto kDay = std::chrono::sys_days{std::chrono::year{2013} / 5 / 24};
constexpr char kDocSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

std::string Authorization(const SignableRequest& r) {
  for (const auto& [name, value] : r.headers) {
    if (name == "authorization") return value;
  }
  return "";
}

TEST(SigV4SignerTest, SignsLikeTheFreeFunctionAndReusesTheKey) {
  SigV4Signer signer;
  const SignableRequest base{"GET", "examplebucket.s3.amazonaws.com", "/test.txt", {}, {{"Range", "bytes=0-9"}}};
  SignableRequest expected = base;
  SignRequest(expected, Creds(kDocSecret), Params(kDay));

  for (int i = 0; i < 3; ++i) {
    SignableRequest request = base;
    signer.Sign(request, Creds(kDocSecret), Params(kDay + std::chrono::seconds(0)));
    EXPECT_EQ(request.headers, expected.headers);
  }
  EXPECT_EQ(signer.cached_keys(), 1u);
  EXPECT_NE(Authorization(expected).find("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
            std::string::npos);
}

TEST(SigV4SignerTest, PresignsLikeTheFreeFunction) {
  SigV4Signer signer;
  const SignableRequest request{"GET", "examplebucket.s3.amazonaws.com", "/test.txt", {}, {}};
  const auto query = signer.Presign(request, Creds(kDocSecret), Params(kDay), 86400s);
  ASSERT_FALSE(query.empty());
  EXPECT_EQ(query.back().second, "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  EXPECT_EQ(query, PresignQuery(request, Creds(kDocSecret), Params(kDay), 86400s));
}

TEST(SigV4SignerTest, KeysDifferPerDayRegionAndSecret) {
  SigV4Signer signer;
  const SignableRequest base{"GET", "h", "/", {}, {}};
  std::vector<std::string> authorizations;
  auto sign = [&](const Credentials& c, const SigningParams& p) {
    SignableRequest r = base;
    signer.Sign(r, c, p);
    SignableRequest fresh = base;
    SignRequest(fresh, c, p);
    EXPECT_EQ(Authorization(r), Authorization(fresh));  // a cache hit must never give a wrong key
    authorizations.push_back(Authorization(r));
  };
  sign(Creds("secret-a"), Params(kDay));
  sign(Creds("secret-a"), Params(kDay + 24h));
  sign(Creds("secret-a"), Params(kDay, "eu-west-1"));
  sign(Creds("secret-b"), Params(kDay));
  sign(Creds("secret-a"), Params(kDay + 1h));  // same day: a hit
  EXPECT_EQ(signer.cached_keys(), 4u);
}

TEST(SigV4SignerTest, CacheIsBounded) {
  SigV4Signer signer(2);
  for (int day = 0; day < 5; ++day) {
    SignableRequest r{"GET", "h", "/", {}, {}};
    signer.Sign(r, Creds("s"), Params(kDay + std::chrono::days(day)));
    EXPECT_LE(signer.cached_keys(), 2u);
  }
}

TEST(SigV4SignerTest, AnonymousIsUnsignedAndCachesNothing) {
  SigV4Signer signer;
  SignableRequest r{"GET", "h", "/", {}, {}};
  signer.Sign(r, Credentials{}, Params(kDay));
  EXPECT_TRUE(r.headers.empty());
  EXPECT_TRUE(signer.Presign(r, Credentials{}, Params(kDay), 60s).empty());
  EXPECT_EQ(signer.cached_keys(), 0u);
}

TEST(SigV4SignerTest, ConcurrentSigningGivesTheSameSignatures) {
  SigV4Signer signer(3);
  const SignableRequest base{"PUT", "h", "/k", {}, {{"content-type", "text/plain"}}};
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  std::vector<std::vector<std::string>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        SignableRequest r = base;
        // Five distinct days against a cache of three: hits, misses and evictions interleave.
        signer.Sign(r, Creds("secret"), Params(kDay + std::chrono::days(i % 5)));
        results[t].push_back(Authorization(r));
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int i = 0; i < kPerThread; ++i) {
    SignableRequest expected = base;
    SignRequest(expected, Creds("secret"), Params(kDay + std::chrono::days(i % 5)));
    for (int t = 0; t < kThreads; ++t) ASSERT_EQ(results[t][i], Authorization(expected)) << t << " " << i;
  }
}

}  // namespace
}  // namespace s3core

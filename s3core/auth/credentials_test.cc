#include "s3core/auth/credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

namespace s3core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RedactedTest, ShowsKeyIdAndSourceButNeverSecrets) {
  Credentials c;
  c.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  c.session_token = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";
  c.source = "profile:default";
  const std::string text = Redacted(c);
  EXPECT_THAT(text, HasSubstr("AKIAIOSFODNN7EXAMPLE"));
  EXPECT_THAT(text, HasSubstr("profile:default"));
  EXPECT_THAT(text, HasSubstr("session token"));
  EXPECT_THAT(text, Not(HasSubstr(c.secret_access_key)));
  EXPECT_THAT(text, Not(HasSubstr(c.session_token)));
  EXPECT_THAT(text, Not(HasSubstr("wJalr")));  // not even a prefix of the secret
}

TEST(RedactedTest, LongTermKeysHaveNoTokenOrExpiry) {
  Credentials c;
  c.access_key_id = "AKID";
  c.secret_access_key = "secret";
  c.source = "env";
  EXPECT_EQ(Redacted(c), "access key AKID (source: env)");
}

TEST(RedactedTest, ShowsExpirationInUtc) {
  Credentials c;
  c.access_key_id = "ASIAEXAMPLE";
  c.secret_access_key = "secret";
  c.session_token = "token";
  c.source = "web-identity";
  c.expiration = std::chrono::sys_days{std::chrono::year{2030} / 1 / 2} + std::chrono::hours(3) +
                 std::chrono::minutes(4) + std::chrono::seconds(5);
  EXPECT_EQ(Redacted(c), "access key ASIAEXAMPLE (source: web-identity, with session token, expires 2030-01-02T03:04:05Z)");
}

TEST(RedactedTest, Anonymous) {
  Credentials c;
  c.secret_access_key = "should-not-matter";
  EXPECT_EQ(Redacted(c), "anonymous (source: unknown)");
  c.source = "anonymous";
  EXPECT_EQ(Redacted(c), "anonymous (source: anonymous)");
}

}  // namespace
}  // namespace s3core

#include "s3core/credentials/environment_provider.h"

#include <gtest/gtest.h>

namespace s3core {
namespace {

TEST(EnvironmentProviderTest, ReadsAwsVariables) {
  EnvironmentCredentialsProvider provider(Environment::Fake(
      {{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "SECRET"}, {"AWS_SESSION_TOKEN", "TOKEN"}}));
  EXPECT_TRUE(provider.IsConfigured());
  auto credentials = provider.Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "AKID");
  EXPECT_EQ(credentials->secret_access_key, "SECRET");
  EXPECT_EQ(credentials->session_token, "TOKEN");
  EXPECT_EQ(credentials->source, "env");
  EXPECT_FALSE(credentials->expiration.has_value());
}

TEST(EnvironmentProviderTest, ReadsS3fsAndLegacyNames) {
  auto s3fs = EnvironmentCredentialsProvider(Environment::Fake(
                                                 {{"AWSACCESSKEYID", "A1"}, {"AWSSECRETACCESSKEY", "S1"}, {"AWSSESSIONTOKEN", "T1"}}))
                  .Get();
  ASSERT_TRUE(s3fs.ok());
  EXPECT_EQ(s3fs->access_key_id, "A1");
  EXPECT_EQ(s3fs->secret_access_key, "S1");
  EXPECT_EQ(s3fs->session_token, "T1");

  auto legacy =
      EnvironmentCredentialsProvider(Environment::Fake({{"AWS_ACCESS_KEY", "A2"}, {"AWS_SECRET_KEY", "S2"}})).Get();
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(legacy->access_key_id, "A2");
  EXPECT_EQ(legacy->session_token, "");
}

TEST(EnvironmentProviderTest, StandardNamesWinOverS3fsNames) {
  auto credentials = EnvironmentCredentialsProvider(
                         Environment::Fake({{"AWS_ACCESS_KEY_ID", "STD"}, {"AWSACCESSKEYID", "S3FS"},
                                            {"AWS_SECRET_ACCESS_KEY", "STDSECRET"}, {"AWSSECRETACCESSKEY", "X"}}))
                         .Get();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->access_key_id, "STD");
  EXPECT_EQ(credentials->secret_access_key, "STDSECRET");
}

TEST(EnvironmentProviderTest, HalfAPairIsAnErrorWithoutTheSecret) {
  EnvironmentCredentialsProvider only_secret(Environment::Fake({{"AWS_SECRET_ACCESS_KEY", "VERYSECRET"}}));
  EXPECT_TRUE(only_secret.IsConfigured());
  auto result = only_secret.Get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
  EXPECT_EQ(result.status().message().find("VERYSECRET"), std::string::npos);

  auto only_id = EnvironmentCredentialsProvider(Environment::Fake({{"AWS_ACCESS_KEY_ID", "AKID"}})).Get();
  ASSERT_FALSE(only_id.ok());
  EXPECT_NE(only_id.status().message().find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST(EnvironmentProviderTest, EmptyVariablesCountAsUnset) {
  EnvironmentCredentialsProvider provider(
      Environment::Fake({{"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", ""}, {"PATH", "/bin"}}));
  EXPECT_FALSE(provider.IsConfigured());
  EXPECT_FALSE(provider.Get().ok());
}

}  // namespace
}  // namespace s3core

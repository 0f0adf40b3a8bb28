#include "s3core/credentials/container_provider.h"

#include <gtest/gtest.h>

#include "s3core/credentials/test_support.h"

namespace s3core {
namespace {

using credentials_internal::IsAllowedContainerUrl;
using testing_support::FakeHttpClient;
using testing_support::TempDir;

constexpr char kDocument[] =
    R"({"RoleArn": "arn:aws:iam::1:role/task", "AccessKeyId": "ASIACONT", "SecretAccessKey": "CONTSECRET",
        "Token": "CONTTOKEN", "Expiration": "2030-01-01T00:00:00Z"})";

TEST(ContainerOptionsTest, FromEnvironment) {
  EXPECT_FALSE(ContainerOptions::FromEnvironment(Environment::Fake({})).has_value());
  auto relative = ContainerOptions::FromEnvironment(Environment::Fake(
      {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"},
       {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/ignored"}}));
  ASSERT_TRUE(relative.has_value());
  EXPECT_EQ(relative->relative_uri, "/v2/credentials/abc");
  auto full = ContainerOptions::FromEnvironment(Environment::Fake(
      {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials"},
       {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok"},
       {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/token"}}));
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->full_uri, "http://169.254.170.23/v1/credentials");
  EXPECT_EQ(full->authorization_token, "tok");
  EXPECT_EQ(full->authorization_token_file, "/var/run/token");
}

TEST(ContainerProviderTest, RelativeUriOnEcsAddress) {
  auto http = std::make_shared<FakeHttpClient>();
  http->Respond("GET", "http://169.254.170.2/v2/credentials/abc", 200, kDocument);
  ContainerOptions options;
  options.relative_uri = "/v2/credentials/abc";
  auto credentials = ContainerCredentialsProvider(options, http).Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIACONT");
  EXPECT_EQ(credentials->secret_access_key, "CONTSECRET");
  EXPECT_EQ(credentials->session_token, "CONTTOKEN");
  EXPECT_EQ(credentials->source, "container");
  EXPECT_TRUE(credentials->expiration.has_value());
  EXPECT_FALSE(http->requests()[0].HasHeader("Authorization"));
}

TEST(ContainerProviderTest, FullUriWithTokenFileRereadEachTime) {
  TempDir dir;
  auto http = std::make_shared<FakeHttpClient>();
  http->Respond("GET", "http://169.254.170.23/v1/credentials", 200, kDocument);
  ContainerOptions options;
  options.full_uri = "http://169.254.170.23/v1/credentials";
  options.authorization_token = "LITERAL";
  options.authorization_token_file = dir.Write("token", "FILETOKEN-1\n");
  ContainerCredentialsProvider provider(options, http);
  ASSERT_TRUE(provider.Get().ok());
  dir.Write("token", "FILETOKEN-2");
  ASSERT_TRUE(provider.Get().ok());
  auto requests = http->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Header("Authorization"), "FILETOKEN-1");
  EXPECT_EQ(requests[1].Header("Authorization"), "FILETOKEN-2");
}

TEST(ContainerProviderTest, LiteralTokenAndMissingExpiration) {
  auto http = std::make_shared<FakeHttpClient>();
  http->Respond("GET", "http://127.0.0.1:8080/creds", 200, R"({"AccessKeyId": "A", "SecretAccessKey": "S"})");
  ContainerOptions options;
  options.full_uri = "http://127.0.0.1:8080/creds";
  options.authorization_token = "Basic abc";
  auto credentials = ContainerCredentialsProvider(options, http).Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_FALSE(credentials->expiration.has_value());
  EXPECT_EQ(http->requests()[0].Header("Authorization"), "Basic abc");
}

TEST(ContainerProviderTest, RefusesPlainHttpToOtherHosts) {
  auto http = std::make_shared<FakeHttpClient>();
  ContainerOptions options;
  options.full_uri = "http://evil.example.com/creds";
  options.authorization_token = "SECRETTOKEN";
  auto result = ContainerCredentialsProvider(options, http).Get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
  EXPECT_TRUE(http->requests().empty());  // the token never left
  EXPECT_EQ(result.status().message().find("SECRETTOKEN"), std::string::npos);

  EXPECT_TRUE(IsAllowedContainerUrl("https://anything.example.com/x"));
  EXPECT_TRUE(IsAllowedContainerUrl("http://localhost:1234/x"));
  EXPECT_TRUE(IsAllowedContainerUrl("http://127.0.0.1/x"));
  EXPECT_TRUE(IsAllowedContainerUrl("http://127.1.2.3:80"));
  EXPECT_TRUE(IsAllowedContainerUrl("http://[::1]:80/x"));
  EXPECT_TRUE(IsAllowedContainerUrl("http://169.254.170.2/v2"));
  EXPECT_TRUE(IsAllowedContainerUrl("http://169.254.170.23/v1/credentials"));
  EXPECT_TRUE(IsAllowedContainerUrl("http://[fd00:ec2::23]/v1/credentials"));
  EXPECT_FALSE(IsAllowedContainerUrl("http://10.0.0.1/x"));
  EXPECT_FALSE(IsAllowedContainerUrl("http://127.0.0.1.evil.com/x"));
  EXPECT_FALSE(IsAllowedContainerUrl("http://localhost@evil.com/x"));
  EXPECT_FALSE(IsAllowedContainerUrl("ftp://127.0.0.1/x"));
  EXPECT_FALSE(IsAllowedContainerUrl("https://"));
}

TEST(ContainerProviderTest, ErrorsAndMalformedJson) {
  auto http = std::make_shared<FakeHttpClient>();
  ContainerOptions options;
  options.full_uri = "http://127.0.0.1/creds";
  options.authorization_token = "AUTHTOKEN";

  http->Respond("GET", options.full_uri, 401, R"({"code": "InvalidToken", "message": "token AUTHTOKEN rejected"})");
  auto denied = ContainerCredentialsProvider(options, http).Get();
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().kind(), ErrorKind::kCredentials);
  EXPECT_NE(denied.status().message().find("HTTP 401"), std::string::npos) << denied.status().message();
  EXPECT_NE(denied.status().message().find("InvalidToken"), std::string::npos);
  EXPECT_EQ(denied.status().message().find("AUTHTOKEN"), std::string::npos) << denied.status().message();

  for (const char* body : {R"({"AccessKeyId": "A", "SecretAccessKey": "LEAKME")", "[1,2]", "null", "",
                           R"({"AccessKeyId": "A"})", R"({"AccessKeyId": 5, "SecretAccessKey": "LEAKME"})",
                           R"({"AccessKeyId": "A", "SecretAccessKey": "LEAKME", "Expiration": "soon"})"}) {
    auto fake = std::make_shared<FakeHttpClient>();
    fake->Respond("GET", options.full_uri, 200, body);
    auto result = ContainerCredentialsProvider(options, fake).Get();
    ASSERT_FALSE(result.ok()) << body;
    EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
    EXPECT_EQ(result.status().message().find("LEAKME"), std::string::npos) << result.status().message();
  }

  auto broken = std::make_shared<FakeHttpClient>();
  broken->Fail("GET", options.full_uri, Status::Transport(false, 7, "Couldn't connect to server"));
  auto refused = ContainerCredentialsProvider(options, broken).Get();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("connect"), std::string::npos);

  ContainerOptions bad_token = options;
  bad_token.authorization_token = "a\r\nInjected: yes";
  EXPECT_FALSE(ContainerCredentialsProvider(bad_token, http).Get().ok());
}

}  // namespace
}  // namespace s3core

#include "s3core/credentials/imds_provider.h"

#include <gtest/gtest.h>

#include "s3core/credentials/test_support.h"

namespace s3core {
namespace {

using testing_support::FakeHttpClient;

constexpr char kBase[] = "http://169.254.169.254";
constexpr char kDocument[] = R"({
  "Code" : "Success",
  "LastUpdated" : "2024-01-01T00:00:00Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "ASIAIMDS",
  "SecretAccessKey" : "IMDSSECRET",
  "Token" : "IMDSTOKEN",
  "Expiration" : "2030-01-01T06:00:00Z"
})";

std::string Url(const std::string& path) { return std::string(kBase) + path; }

void ScriptHappyPath(FakeHttpClient& http) {
  http.Respond("PUT", Url("/latest/api/token"), 200, "SESSION-TOKEN");
  http.Respond("GET", Url("/latest/meta-data/iam/security-credentials/"), 200, "my-instance-role\n");
  http.Respond("GET", Url("/latest/meta-data/iam/security-credentials/my-instance-role"), 200, kDocument);
}

TEST(ImdsProviderTest, ImdsV2Flow) {
  auto http = std::make_shared<FakeHttpClient>();
  ScriptHappyPath(*http);
  auto credentials = ImdsCredentialsProvider(ImdsOptions{}, http).Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAIMDS");
  EXPECT_EQ(credentials->secret_access_key, "IMDSSECRET");
  EXPECT_EQ(credentials->session_token, "IMDSTOKEN");
  EXPECT_EQ(credentials->source, "imds");
  ASSERT_TRUE(credentials->expiration.has_value());

  auto requests = http->requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].Header("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[1].Header("X-aws-ec2-metadata-token"), "SESSION-TOKEN");
  EXPECT_EQ(requests[2].Header("X-aws-ec2-metadata-token"), "SESSION-TOKEN");
}

TEST(ImdsProviderTest, FallsBackToV1WhenTokenEndpointIsMissing) {
  auto http = std::make_shared<FakeHttpClient>();
  http->Respond("PUT", Url("/latest/api/token"), 405, "");
  http->Respond("GET", Url("/latest/meta-data/iam/security-credentials/"), 200, "role");
  http->Respond("GET", Url("/latest/meta-data/iam/security-credentials/role"), 200, kDocument);
  auto credentials = ImdsCredentialsProvider(ImdsOptions{}, http).Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_FALSE(http->requests()[1].HasHeader("X-aws-ec2-metadata-token"));
}

TEST(ImdsProviderTest, ForbiddenTokenAndNoRole) {
  auto forbidden = std::make_shared<FakeHttpClient>();
  forbidden->Respond("PUT", Url("/latest/api/token"), 403, "");
  auto result = ImdsCredentialsProvider(ImdsOptions{}, forbidden).Get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
  EXPECT_NE(result.status().message().find("403"), std::string::npos);
  EXPECT_EQ(forbidden->requests().size(), 1u);

  auto no_role = std::make_shared<FakeHttpClient>();
  no_role->Respond("PUT", Url("/latest/api/token"), 200, "T");
  no_role->Respond("GET", Url("/latest/meta-data/iam/security-credentials/"), 404, "");
  auto missing = ImdsCredentialsProvider(ImdsOptions{}, no_role).Get();
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), ErrorKind::kCredentials);
  EXPECT_NE(missing.status().message().find("no IAM role"), std::string::npos) << missing.status().message();
}

TEST(ImdsProviderTest, BadDocuments) {
  for (const char* body : {R"({"Code": "AssumeRoleUnauthorizedAccess", "Message": "x"})",
                           R"({"Code": "Success", "AccessKeyId": "A", "SecretAccessKey": "LEAKME"})",  // no Expiration
                           "<html>LEAKME</html>", R"({"AccessKeyId": "A", "SecretAccessKey": "LEAKME", )"}) {
    auto http = std::make_shared<FakeHttpClient>();
    http->Respond("PUT", Url("/latest/api/token"), 200, "T");
    http->Respond("GET", Url("/latest/meta-data/iam/security-credentials/"), 200, "role");
    http->Respond("GET", Url("/latest/meta-data/iam/security-credentials/role"), 200, body);
    auto result = ImdsCredentialsProvider(ImdsOptions{}, http).Get();
    ASSERT_FALSE(result.ok()) << body;
    EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
    EXPECT_EQ(result.status().message().find("LEAKME"), std::string::npos) << result.status().message();
  }
  auto http = std::make_shared<FakeHttpClient>();
  http->Respond("PUT", Url("/latest/api/token"), 200, "T");
  http->Respond("GET", Url("/latest/meta-data/iam/security-credentials/"), 200, "../../etc/passwd");
  EXPECT_FALSE(ImdsCredentialsProvider(ImdsOptions{}, http).Get().ok());
  EXPECT_EQ(http->requests().size(), 2u);  // the bad role name was not requested
}

TEST(ImdsProviderTest, TransportFailure) {
  auto http = std::make_shared<FakeHttpClient>();
  http->Fail("PUT", Url("/latest/api/token"), Status::Transport(true, 28, "Connection timed out after 1000 ms"));
  auto result = ImdsCredentialsProvider(ImdsOptions{}, http).Get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
  EXPECT_NE(result.status().message().find("timed out"), std::string::npos);
  EXPECT_EQ(http->requests().size(), 1u);  // no IMDSv1 retry after a timeout
}

TEST(ImdsOptionsTest, FromEnvironment) {
  ImdsOptions defaults = ImdsOptions::FromEnvironment(Environment::Fake({}));
  EXPECT_EQ(defaults.endpoint, kBase);
  EXPECT_FALSE(defaults.disabled);
  EXPECT_TRUE(ImdsOptions::FromEnvironment(Environment::Fake({{"AWS_EC2_METADATA_DISABLED", "TRUE"}})).disabled);
  EXPECT_FALSE(ImdsOptions::FromEnvironment(Environment::Fake({{"AWS_EC2_METADATA_DISABLED", "false"}})).disabled);
  EXPECT_EQ(ImdsOptions::FromEnvironment(Environment::Fake({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338/"}}))
                .endpoint,
            "http://127.0.0.1:1338");
  EXPECT_EQ(ImdsOptions::FromEnvironment(Environment::Fake({{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"}})).endpoint,
            "http://[fd00:ec2::254]");

  ImdsOptions disabled;
  disabled.disabled = true;
  auto http = std::make_shared<FakeHttpClient>();
  ImdsCredentialsProvider provider(disabled, http);
  EXPECT_FALSE(provider.IsConfigured());
  EXPECT_FALSE(provider.Get().ok());
  EXPECT_TRUE(http->requests().empty());
}

TEST(ImdsProviderTest, OverriddenEndpointIsUsed) {
  auto http = std::make_shared<FakeHttpClient>();
  http->Respond("PUT", "http://127.0.0.1:1338/latest/api/token", 200, "T");
  http->Respond("GET", "http://127.0.0.1:1338/latest/meta-data/iam/security-credentials/", 200, "r");
  http->Respond("GET", "http://127.0.0.1:1338/latest/meta-data/iam/security-credentials/r", 200, kDocument);
  auto options = ImdsOptions::FromEnvironment(
      Environment::Fake({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338"}}));
  EXPECT_TRUE(ImdsCredentialsProvider(options, http).Get().ok());
}

}  // namespace
}  // namespace s3core

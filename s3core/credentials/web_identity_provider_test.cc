#include "s3core/credentials/web_identity_provider.h"

#include <gtest/gtest.h>

#include "s3core/credentials/test_support.h"

namespace s3core {
namespace {

using testing_support::FakeHttpClient;
using testing_support::TempDir;

constexpr char kGlobal[] = "https://sts.amazonaws.com/";

std::string SuccessXml(const std::string& key, const std::string& expiration = "2030-05-01T12:00:00Z") {
  return "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
         "  <AssumeRoleWithWebIdentityResult>\n"
         "    <SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>\n"
         "    <Credentials>\n"
         "      <AccessKeyId>" + key + "</AccessKeyId>\n"
         "      <SecretAccessKey>SECRET-" + key + "</SecretAccessKey>\n"
         "      <SessionToken>TOKEN-" + key + "</SessionToken>\n"
         "      <Expiration>" + expiration + "</Expiration>\n"
         "    </Credentials>\n"
         "  </AssumeRoleWithWebIdentityResult>\n"
         "  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>\n"
         "</AssumeRoleWithWebIdentityResponse>\n";
}

class WebIdentityProviderTest : public ::testing::Test {
 protected:
  WebIdentityOptions Options() {
    WebIdentityOptions options;
    options.role_arn = "arn:aws:iam::123456789012:role/my-role";
    options.token_file = dir_.Write("token", "JWT-ONE\n");
    options.session_name = "my-session";
    return options;
  }
  TempDir dir_;
  std::shared_ptr<FakeHttpClient> http_ = std::make_shared<FakeHttpClient>();
};

TEST_F(WebIdentityProviderTest, SendsUnsignedFormPostAndParsesCredentials) {
  http_->Respond("POST", kGlobal, 200, SuccessXml("ASIA1"));
  WebIdentityCredentialsProvider provider(Options(), http_);
  auto credentials = provider.Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIA1");
  EXPECT_EQ(credentials->secret_access_key, "SECRET-ASIA1");
  EXPECT_EQ(credentials->session_token, "TOKEN-ASIA1");
  EXPECT_EQ(credentials->source, "web-identity");
  ASSERT_TRUE(credentials->expiration.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*credentials->expiration), 1903867200);  // date -u -d 2030-05-01T12:00:00Z +%s

  auto requests = http_->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].url, kGlobal);
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_FALSE(requests[0].HasHeader("Authorization"));
  EXPECT_EQ(requests[0].body,
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
            "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fmy-role"
            "&RoleSessionName=my-session&WebIdentityToken=JWT-ONE");
  EXPECT_EQ(requests[0].url.find("JWT"), std::string::npos);  // the token never goes into the URL
}

TEST_F(WebIdentityProviderTest, RereadsTheTokenFileEveryTime) {
  http_->Respond("POST", kGlobal, 200, SuccessXml("ASIA1"));
  WebIdentityOptions options = Options();
  WebIdentityCredentialsProvider provider(options, http_);
  ASSERT_TRUE(provider.Get().ok());
  dir_.Write("token", "JWT-ROTATED");  // Kubernetes rotates the projected token
  ASSERT_TRUE(provider.Get().ok());
  auto requests = http_->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[0].body.find("WebIdentityToken=JWT-ONE"), std::string::npos);
  EXPECT_NE(requests[1].body.find("WebIdentityToken=JWT-ROTATED"), std::string::npos);
}

TEST_F(WebIdentityProviderTest, GeneratedSessionNameUsesTheClock) {
  http_->Respond("POST", kGlobal, 200, SuccessXml("ASIA1"));
  WebIdentityOptions options = Options();
  options.session_name.clear();
  Clock clock = [] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123)); };
  ASSERT_TRUE(WebIdentityCredentialsProvider(options, http_, clock).Get().ok());
  EXPECT_NE(http_->requests()[0].body.find("RoleSessionName=s3core-1700000000123&"), std::string::npos);
}

TEST_F(WebIdentityProviderTest, StsErrorBecomesCredentialsErrorWithCode) {
  http_->Respond("POST", kGlobal, 400,
                 "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                 "<Code>InvalidIdentityToken</Code><Message>Token JWT-ONE is expired</Message></Error>"
                 "<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>");
  auto result = WebIdentityCredentialsProvider(Options(), http_).Get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
  const std::string& message = result.status().message();
  EXPECT_NE(message.find("InvalidIdentityToken"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 400"), std::string::npos) << message;
  EXPECT_NE(message.find("c6104cbe-af31-11e0-8154-cbc7ccf896c7"), std::string::npos) << message;
  EXPECT_NE(message.find("arn:aws:iam::123456789012:role/my-role"), std::string::npos) << message;
  EXPECT_EQ(message.find("JWT-ONE"), std::string::npos) << message;  // scrubbed
}

TEST_F(WebIdentityProviderTest, NonXmlErrorAndMalformedSuccess) {
  http_->Respond("POST", kGlobal, 503, "Service Unavailable");
  auto unavailable = WebIdentityCredentialsProvider(Options(), http_).Get();
  ASSERT_FALSE(unavailable.ok());
  EXPECT_NE(unavailable.status().message().find("HTTP 503"), std::string::npos);

  auto http = std::make_shared<FakeHttpClient>();
  http->Respond("POST", kGlobal, 200,
                "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
                "<AccessKeyId>AK</AccessKeyId><SecretAccessKey>LEAKYSECRET</SecretAccessKey>"
                "<SessionToken>T</SessionToken><Expiration>tomorrow</Expiration>");  // truncated
  auto malformed = WebIdentityCredentialsProvider(Options(), http).Get();
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.status().kind(), ErrorKind::kCredentials);
  EXPECT_EQ(malformed.status().message().find("LEAKYSECRET"), std::string::npos) << malformed.status().message();

  auto http2 = std::make_shared<FakeHttpClient>();
  http2->Respond("POST", kGlobal, 200, SuccessXml("AK", "not-a-date"));
  auto bad_date = WebIdentityCredentialsProvider(Options(), http2).Get();
  ASSERT_FALSE(bad_date.ok());
  EXPECT_NE(bad_date.status().message().find("Expiration"), std::string::npos);
  EXPECT_EQ(bad_date.status().message().find("SECRET-AK"), std::string::npos);
}

TEST_F(WebIdentityProviderTest, TransportFailureAndMissingPieces) {
  http_->Fail("POST", kGlobal, Status::Transport(true, 28, "Operation timed out"));
  auto timeout = WebIdentityCredentialsProvider(Options(), http_).Get();
  ASSERT_FALSE(timeout.ok());
  EXPECT_EQ(timeout.status().kind(), ErrorKind::kCredentials);
  EXPECT_NE(timeout.status().message().find("timed out"), std::string::npos);

  WebIdentityOptions no_role = Options();
  no_role.role_arn.clear();
  auto missing_role = WebIdentityCredentialsProvider(no_role, http_).Get();
  ASSERT_FALSE(missing_role.ok());
  EXPECT_NE(missing_role.status().message().find("AWS_ROLE_ARN"), std::string::npos);

  WebIdentityOptions no_file = Options();
  no_file.token_file = dir_.path() + "/absent";
  auto missing_file = WebIdentityCredentialsProvider(no_file, http_).Get();
  ASSERT_FALSE(missing_file.ok());
  EXPECT_NE(missing_file.status().message().find(dir_.path() + "/absent"), std::string::npos);

  WebIdentityOptions empty = Options();
  empty.token_file = dir_.Write("empty", "\n");
  EXPECT_FALSE(WebIdentityCredentialsProvider(empty, http_).Get().ok());

  EXPECT_FALSE(WebIdentityCredentialsProvider(Options(), nullptr).Get().ok());
}

TEST(WebIdentityOptionsTest, FromEnvironment) {
  EXPECT_FALSE(WebIdentityOptions::FromEnvironment(Environment::Fake({{"AWS_ROLE_ARN", "arn"}})).has_value());
  auto options = WebIdentityOptions::FromEnvironment(Environment::Fake(
      {{"AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"}, {"AWS_ROLE_ARN", "arn:r"}, {"AWS_ROLE_SESSION_NAME", "s"}}));
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->token_file, "/var/run/token");
  EXPECT_EQ(options->role_arn, "arn:r");
  EXPECT_EQ(options->session_name, "s");
  EXPECT_EQ(options->sts_endpoint, "https://sts.amazonaws.com");
}

TEST(StsEndpointTest, GlobalRegionalChinaAndOverride) {
  EXPECT_EQ(StsEndpoint(Environment::Fake({})), "https://sts.amazonaws.com");
  EXPECT_EQ(StsEndpoint(Environment::Fake({{"AWS_REGION", "eu-west-1"}})), "https://sts.amazonaws.com");
  EXPECT_EQ(StsEndpoint(Environment::Fake({{"AWS_REGION", "eu-west-1"}, {"AWS_STS_REGIONAL_ENDPOINTS", "regional"}})),
            "https://sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(StsEndpoint(Environment::Fake({{"AWS_DEFAULT_REGION", "us-west-2"}, {"AWS_STS_REGIONAL_ENDPOINTS", "regional"}})),
            "https://sts.us-west-2.amazonaws.com");
  EXPECT_EQ(StsEndpoint(Environment::Fake({{"AWS_STS_REGIONAL_ENDPOINTS", "regional"}}), "ap-east-1"),
            "https://sts.ap-east-1.amazonaws.com");
  EXPECT_EQ(StsEndpoint(Environment::Fake({{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}}), "ap-east-1"),
            "https://sts.amazonaws.com");
  EXPECT_EQ(StsEndpoint(Environment::Fake({{"AWS_REGION", "cn-north-1"}})), "https://sts.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(StsEndpoint(Environment::Fake({{"AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9000/"}, {"AWS_REGION", "x"}})),
            "http://127.0.0.1:9000");
}

}  // namespace
}  // namespace s3core

#include "s3core/credentials/profile_provider.h"

#include <gtest/gtest.h>

#include "s3core/credentials/shared_config.h"
#include "s3core/credentials/test_support.h"

namespace s3core {
namespace {

using testing_support::FakeHttpClient;
using testing_support::TempDir;

constexpr char kCredentialsFile[] =
    "[default]\r\n"
    "aws_access_key_id = DEFAULTKEY\r\n"
    "aws_secret_access_key = DEFAULTSECRET\r\n"
    "\r\n"
    "# a comment\r\n"
    "[dev]\r\n"
    "  aws_access_key_id=DEVKEY   \r\n"
    "  aws_secret_access_key=DEVSECRET\r\n"
    "  aws_session_token = DEVTOKEN ; inline comment\r\n";

constexpr char kConfigFile[] =
    "[default]\n"
    "region = us-east-1\n"
    "[profile dev]\n"
    "region = eu-west-3\n"
    "[profile cfgonly]\n"
    "aws_access_key_id = CFGKEY\n"
    "aws_secret_access_key = CFGSECRET\n"
    "region = ap-south-1\n"
    "[regiononly]\n"  // no "profile " prefix: not a profile in the config file
    "region = sa-east-1\n";

class ProfileProviderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("home/.aws/credentials", kCredentialsFile);
    dir_.Write("home/.aws/config", kConfigFile);
  }
  Environment Env(std::map<std::string, std::string> vars = {}) const {
    return Environment::Fake(std::move(vars), dir_.path() + "/home");
  }
  TempDir dir_;
};

TEST_F(ProfileProviderTest, DefaultProfile) {
  ProfileCredentialsProvider provider(Env());
  EXPECT_EQ(provider.profile(), "default");
  EXPECT_TRUE(provider.IsConfigured());
  auto credentials = provider.Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "DEFAULTKEY");
  EXPECT_EQ(credentials->secret_access_key, "DEFAULTSECRET");
  EXPECT_EQ(credentials->session_token, "");
  EXPECT_EQ(credentials->source, "profile:default");
}

TEST_F(ProfileProviderTest, ProfileFromEnvironmentAndExplicitName) {
  auto from_env = ProfileCredentialsProvider(Env({{"AWS_PROFILE", "dev"}})).Get();
  ASSERT_TRUE(from_env.ok()) << from_env.status().ToString();
  EXPECT_EQ(from_env->access_key_id, "DEVKEY");
  EXPECT_EQ(from_env->session_token, "DEVTOKEN");
  EXPECT_EQ(from_env->source, "profile:dev");

  // The explicit name wins over AWS_PROFILE.
  auto explicit_name = ProfileCredentialsProvider(Env({{"AWS_PROFILE", "dev"}}), "cfgonly").Get();
  ASSERT_TRUE(explicit_name.ok()) << explicit_name.status().ToString();
  EXPECT_EQ(explicit_name->access_key_id, "CFGKEY");
  EXPECT_EQ(explicit_name->source, "profile:cfgonly");
}

TEST_F(ProfileProviderTest, CredentialsFileWinsOverConfigFile) {
  dir_.Write("home/.aws/config", "[profile both]\naws_access_key_id = FROMCONFIG\naws_secret_access_key = C\n");
  dir_.Write("home/.aws/credentials", "[both]\naws_access_key_id = FROMCREDS\naws_secret_access_key = S\n");
  auto credentials = ProfileCredentialsProvider(Env(), "both").Get();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->access_key_id, "FROMCREDS");
  EXPECT_EQ(credentials->secret_access_key, "S");
}

TEST_F(ProfileProviderTest, FileLocationsFromEnvironment) {
  std::string creds = dir_.Write("elsewhere/creds", "[default]\naws_access_key_id=OTHER\naws_secret_access_key=X\n");
  std::string config = dir_.Write("elsewhere/conf", "[default]\nregion = eu-north-1\n");
  Environment env = Env({{"AWS_SHARED_CREDENTIALS_FILE", creds}, {"AWS_CONFIG_FILE", config}});
  EXPECT_EQ(SharedCredentialsFilePath(env), creds);
  auto credentials = ProfileCredentialsProvider(env).Get();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->access_key_id, "OTHER");
  EXPECT_EQ(ProfileRegion(env), "eu-north-1");

  Environment tilde = Env({{"AWS_CONFIG_FILE", "~/elsewhere.conf"}});
  EXPECT_EQ(SharedConfigFilePath(tilde), dir_.path() + "/home/elsewhere.conf");
}

TEST_F(ProfileProviderTest, Region) {
  EXPECT_EQ(ProfileRegion(Env()), "us-east-1");
  EXPECT_EQ(ProfileRegion(Env(), "dev"), "eu-west-3");
  EXPECT_EQ(ProfileRegion(Env({{"AWS_PROFILE", "cfgonly"}})), "ap-south-1");
  EXPECT_EQ(ProfileRegion(Env(), "regiononly"), std::nullopt);
  EXPECT_EQ(ProfileRegion(Env(), "missing"), std::nullopt);
  EXPECT_EQ(ProfileRegion(Environment::Fake({}, dir_.path() + "/nohome")), std::nullopt);
}

TEST_F(ProfileProviderTest, MissingNamedProfileIsConfiguredAndFails) {
  ProfileCredentialsProvider provider(Env({{"AWS_PROFILE", "nosuch"}}));
  EXPECT_TRUE(provider.IsConfigured());
  auto result = provider.Get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
  EXPECT_NE(result.status().message().find("nosuch"), std::string::npos);
  EXPECT_NE(result.status().message().find("not found"), std::string::npos);
}

TEST_F(ProfileProviderTest, RegionOnlyProfileIsNotConfigured) {
  dir_.Write("home/.aws/credentials", "");
  ProfileCredentialsProvider provider(Env());  // [default] in config has only a region
  EXPECT_FALSE(provider.IsConfigured());
  EXPECT_FALSE(provider.Get().ok());

  ProfileCredentialsProvider no_files(Environment::Fake({}, dir_.path() + "/nohome"));
  EXPECT_FALSE(no_files.IsConfigured());
}

TEST_F(ProfileProviderTest, HalfAPairDoesNotEchoTheSecret) {
  dir_.Write("home/.aws/credentials", "[default]\naws_secret_access_key = TOPSECRETVALUE\nbroken line TOPSECRETVALUE\n");
  auto result = ProfileCredentialsProvider(Env()).Get();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("aws_access_key_id"), std::string::npos);
  EXPECT_EQ(result.status().message().find("TOPSECRETVALUE"), std::string::npos) << result.status().message();
}

TEST_F(ProfileProviderTest, UnsupportedMechanismsAreReported) {
  dir_.Write("home/.aws/config",
             "[profile assume]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n"
             "[profile proc]\ncredential_process = /bin/creds\n");
  auto assume = ProfileCredentialsProvider(Env(), "assume");
  EXPECT_TRUE(assume.IsConfigured());
  auto result = assume.Get();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("not supported"), std::string::npos);
  auto proc = ProfileCredentialsProvider(Env(), "proc").Get();
  ASSERT_FALSE(proc.ok());
  EXPECT_NE(proc.status().message().find("credential_process"), std::string::npos);
}

TEST_F(ProfileProviderTest, WebIdentityProfileAsksSts) {
  std::string token = dir_.Write("token", "eyJhbGciOi.TOKEN.sig\n");
  dir_.Write("home/.aws/config", "[profile irsa]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
                                 "web_identity_token_file = " + token + "\nrole_session_name = sess\n"
                                 "region = eu-west-1\nduration_seconds = 900\n");
  auto http = std::make_shared<FakeHttpClient>();
  http->Respond("POST", "https://sts.eu-west-1.amazonaws.com/", 200,
                "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
                "<AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>WEBSECRET</SecretAccessKey>"
                "<SessionToken>WEBTOKEN</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>"
                "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
  auto credentials =
      ProfileCredentialsProvider(Env({{"AWS_STS_REGIONAL_ENDPOINTS", "regional"}}), "irsa", http).Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAWEB");
  EXPECT_EQ(credentials->source, "profile:irsa");
  ASSERT_EQ(http->requests().size(), 1u);
  const std::string body = http->requests()[0].body;
  EXPECT_NE(body.find("RoleSessionName=sess"), std::string::npos) << body;
  EXPECT_NE(body.find("DurationSeconds=900"), std::string::npos) << body;
  EXPECT_NE(body.find("WebIdentityToken=eyJhbGciOi.TOKEN.sig&"), std::string::npos) << body;
}

}  // namespace
}  // namespace s3core

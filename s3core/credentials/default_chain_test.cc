#include "s3core/credentials/default_chain.h"

#include <gtest/gtest.h>

#include <atomic>

#include "s3core/credentials/test_support.h"

namespace s3core {
namespace {

using testing_support::FakeHttpClient;
using testing_support::TempDir;

constexpr char kImdsDocument[] =
    R"({"Code": "Success", "AccessKeyId": "ASIAIMDS", "SecretAccessKey": "S", "Token": "T",
        "Expiration": "2099-01-01T00:00:00Z"})";

class DefaultChainTest : public ::testing::Test {
 protected:
  DefaultCredentialsChainOptions Options(std::map<std::string, std::string> vars = {}) {
    DefaultCredentialsChainOptions options;
    options.env = Environment::Fake(std::move(vars), dir_.path() + "/home");
    options.env.system_config_dir = dir_.path() + "/etc";
    options.http = http_;
    options.imds_http = imds_;
    options.bucket = "bucket";
    return options;
  }
  static std::string SourceOf(DefaultCredentialsChain& chain) {
    auto credentials = chain.Get();
    return credentials.ok() ? credentials->source : "error: " + credentials.status().message();
  }

  TempDir dir_;
  std::shared_ptr<FakeHttpClient> http_ = std::make_shared<FakeHttpClient>();
  std::shared_ptr<FakeHttpClient> imds_ = std::make_shared<FakeHttpClient>();
};

TEST_F(DefaultChainTest, StepOrderWithEverythingConfigured) {
  DefaultCredentialsChainOptions options = Options({
      {"AWS_ACCESS_KEY_ID", "A"}, {"AWS_SECRET_ACCESS_KEY", "S"}, {"AWS_CREDENTIAL_FILE", "/cred/file"},
      {"AWS_WEB_IDENTITY_TOKEN_FILE", "/t"}, {"AWS_ROLE_ARN", "arn"}, {"AWS_PROFILE", "p"},
      {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x"}});
  options.access_key_id = "K";
  options.secret_access_key = "S";
  options.passwd_file = "/explicit/passwd";
  DefaultCredentialsChain chain(options);
  std::vector<std::string> expected = {"static",
                                       "passwd-file:/explicit/passwd",
                                       "env",
                                       "passwd-file:/cred/file (AWS_CREDENTIAL_FILE)",
                                       "web-identity",
                                       "profile:p",
                                       "passwd-file ($HOME/.passwd-s3fs, /etc/passwd-s3fs)",
                                       "container",
                                       "imds"};
  EXPECT_EQ(chain.StepNames(), expected);
  EXPECT_EQ(SourceOf(chain), "static");
}

TEST_F(DefaultChainTest, AnonymousIsExclusive) {
  DefaultCredentialsChainOptions options = Options({{"AWS_ACCESS_KEY_ID", "A"}, {"AWS_SECRET_ACCESS_KEY", "S"}});
  options.anonymous = true;
  DefaultCredentialsChain chain(options);
  EXPECT_EQ(chain.StepNames(), std::vector<std::string>{"anonymous"});
  auto credentials = chain.Get();
  ASSERT_TRUE(credentials.ok());
  EXPECT_TRUE(credentials->anonymous());
  EXPECT_EQ(credentials->source, "anonymous");
}

TEST_F(DefaultChainTest, HalfOfExplicitKeysIsAnError) {
  DefaultCredentialsChainOptions options = Options({{"AWS_ACCESS_KEY_ID", "A"}, {"AWS_SECRET_ACCESS_KEY", "S"}});
  options.access_key_id = "K";
  DefaultCredentialsChain chain(options);
  auto result = chain.Get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
}

TEST_F(DefaultChainTest, PrecedenceBetweenFileAndEnvironmentSources) {
  std::string home_passwd = dir_.Write("home/.passwd-s3fs", "HOMEKEY:HOMESECRET\n", 0600);
  {
    DefaultCredentialsChain chain(Options());
    EXPECT_EQ(SourceOf(chain), "passwd-file:" + home_passwd);
  }
  dir_.Write("home/.aws/credentials", "[default]\naws_access_key_id = P\naws_secret_access_key = PS\n");
  {
    DefaultCredentialsChain chain(Options());
    EXPECT_EQ(SourceOf(chain), "profile:default");  // the profile beats the default passwd files
  }
  {
    DefaultCredentialsChain chain(Options({{"AWSACCESSKEYID", "E"}, {"AWSSECRETACCESSKEY", "ES"}}));
    EXPECT_EQ(SourceOf(chain), "env");  // variables beat files
  }
  std::string explicit_passwd = dir_.Write("explicit", "bucket:BK:BS\n", 0600);
  {
    DefaultCredentialsChainOptions options = Options({{"AWS_ACCESS_KEY_ID", "E"}, {"AWS_SECRET_ACCESS_KEY", "ES"}});
    options.passwd_file = explicit_passwd;
    DefaultCredentialsChain chain(options);
    auto credentials = chain.Get();
    ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
    EXPECT_EQ(credentials->source, "passwd-file:" + explicit_passwd);  // s3fs: passwd_file beats variables
    EXPECT_EQ(credentials->access_key_id, "BK");
  }
  std::string aws_credential_file = dir_.Write("acf", "ACFKEY:ACFSECRET\n", 0600);
  {
    DefaultCredentialsChain chain(Options({{"AWS_CREDENTIAL_FILE", aws_credential_file}}));
    EXPECT_EQ(SourceOf(chain), "passwd-file:" + aws_credential_file);  // beats the profile
  }
}

TEST_F(DefaultChainTest, BrokenConfiguredStepStopsTheChainWithoutSecrets) {
  std::string loose = dir_.Write("loose", "AKID:PASSWDSECRETVALUE\n", 0644);
  DefaultCredentialsChainOptions options = Options({{"AWS_ACCESS_KEY_ID", "E"}, {"AWS_SECRET_ACCESS_KEY", "ENVSECRET"}});
  options.passwd_file = loose;
  DefaultCredentialsChain chain(options);
  auto result = chain.Get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
  const std::string& message = result.status().message();
  EXPECT_NE(message.find("passwd-file:" + loose), std::string::npos) << message;
  EXPECT_NE(message.find("chmod 600"), std::string::npos) << message;
  EXPECT_EQ(message.find("PASSWDSECRETVALUE"), std::string::npos) << message;
  EXPECT_EQ(message.find("ENVSECRET"), std::string::npos) << message;
  EXPECT_EQ(chain.ChosenStep(), "");
}

TEST_F(DefaultChainTest, NothingConfiguredListsWhatWasTried) {
  DefaultCredentialsChainOptions options = Options({{"AWS_EC2_METADATA_DISABLED", "true"}});
  DefaultCredentialsChain chain(options);
  EXPECT_EQ(chain.StepNames().back(), "passwd-file ($HOME/.passwd-s3fs, /etc/passwd-s3fs)");  // no imds
  auto result = chain.Get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
  EXPECT_NE(result.status().message().find("no credentials found"), std::string::npos);
  EXPECT_NE(result.status().message().find("env, profile:default"), std::string::npos) << result.status().message();
  EXPECT_NE(result.status().message().find("anonymous"), std::string::npos);

  DefaultCredentialsChainOptions no_imds_client = Options();
  no_imds_client.imds_http = nullptr;
  EXPECT_EQ(DefaultCredentialsChain(no_imds_client).StepNames().back(),
            "passwd-file ($HOME/.passwd-s3fs, /etc/passwd-s3fs)");
}

TEST_F(DefaultChainTest, FallsThroughToImdsAndRemembersIt) {
  imds_->Respond("PUT", "http://169.254.169.254/latest/api/token", 200, "T");
  imds_->Respond("GET", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", 200, "role");
  imds_->Respond("GET", "http://169.254.169.254/latest/meta-data/iam/security-credentials/role", 200, kImdsDocument);
  DefaultCredentialsChain chain(Options());
  EXPECT_EQ(SourceOf(chain), "imds");
  EXPECT_EQ(chain.ChosenStep(), "imds");
  EXPECT_EQ(SourceOf(chain), "imds");
  EXPECT_EQ(imds_->requests().size(), 3u);  // cached: IMDS asked once
  EXPECT_TRUE(http_->requests().empty());   // the general client was not used for IMDS
}

TEST_F(DefaultChainTest, ContainerAndWebIdentityUseTheGeneralClient) {
  http_->Respond("GET", "http://169.254.170.2/v2/credentials/id", 200,
                 R"({"AccessKeyId": "ASIACONT", "SecretAccessKey": "S", "Token": "T", "Expiration": "2099-01-01T00:00:00Z"})");
  DefaultCredentialsChain container(Options({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/id"}}));
  EXPECT_EQ(SourceOf(container), "container");

  std::string token = dir_.Write("token", "JWT");
  http_->Respond("POST", "https://sts.us-west-2.amazonaws.com/", 200,
                 "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
                 "<AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken>"
                 "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
                 "</AssumeRoleWithWebIdentityResponse>");
  DefaultCredentialsChain web(Options({{"AWS_WEB_IDENTITY_TOKEN_FILE", token},
                                       {"AWS_ROLE_ARN", "arn:aws:iam::1:role/r"},
                                       {"AWS_REGION", "us-west-2"},
                                       {"AWS_STS_REGIONAL_ENDPOINTS", "regional"},
                                       {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/id"}}));
  EXPECT_EQ(SourceOf(web), "web-identity");  // web identity comes before the container
  EXPECT_TRUE(imds_->requests().empty());
}

TEST_F(DefaultChainTest, RemembersTheFirstStepThatWorked) {
  std::atomic<bool> first_configured{false};
  std::atomic<int> first_calls{0}, second_calls{0};
  class Counting final : public CredentialsProvider {
   public:
    Counting(std::string key, std::atomic<int>* calls) : key_(std::move(key)), calls_(calls) {}
    Result<Credentials> Get() override {
      ++*calls_;
      Credentials c;
      c.access_key_id = key_;
      c.secret_access_key = "s";
      c.source = key_;
      return c;
    }

   private:
    std::string key_;
    std::atomic<int>* calls_;
  };
  std::vector<DefaultCredentialsChain::Step> steps;
  steps.push_back({"first", [&] { return first_configured.load(); }, std::make_shared<Counting>("first", &first_calls)});
  steps.push_back({"second", nullptr, std::make_shared<Counting>("second", &second_calls)});
  DefaultCredentialsChain chain(std::move(steps));
  EXPECT_EQ(SourceOf(chain), "second");
  first_configured = true;  // appears later: the chain sticks with what worked
  EXPECT_EQ(SourceOf(chain), "second");
  EXPECT_EQ(chain.ChosenStep(), "second");
  EXPECT_EQ(first_calls.load(), 0);
  EXPECT_EQ(second_calls.load(), 2);
}

}  // namespace
}  // namespace s3core

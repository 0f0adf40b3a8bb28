#include "csi/mount/mounterd/s3mount_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "csi/mount/mount_source.h"

namespace s3csi::mounterd {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

StartRequest Request(bool with_secrets) {
  StartRequest r;
  r.spec.volume_id = "vol";
  r.spec.bucket = "bucket";
  r.spec.prefix = "a/b/";
  r.spec.endpoint = "http://127.0.0.1:7480";
  r.spec.region = "us-east-1";
  r.spec.options = {"uid=1000", "allow_other"};
  r.spec.read_only = true;
  if (with_secrets) r.spec.secrets = {"AKIDSECRETLY", "SUPERSECRETKEY", "TOKEN123"};
  r.fingerprint = Fingerprint(r.spec);
  r.target = "/t";
  return r;
}

TEST(S3mountCommandTest, ArgvHasNoSecrets) {
  const auto command = BuildS3mountCommand(Request(true), "/bin/s3mount",
                                           {"PATH=/bin", "AWS_ACCESS_KEY_ID=mounterd", "AWS_PROFILE=x", "HOME=/root", "AWS_REGION=eu-1"});
  ASSERT_EQ(command.argv.size(), 6u);
  EXPECT_EQ(command.argv[1], "bucket:/a/b");
  EXPECT_EQ(command.argv[2], "/dev/fd/3");
  EXPECT_EQ(command.argv[3], "-f");
  EXPECT_EQ(command.argv[5],
            "ready_fd=4,url=http://127.0.0.1:7480,region=us-east-1,ro,profile=s3csi,uid=1000,allow_other");
  for (const std::string& arg : command.argv) {
    EXPECT_THAT(arg, Not(HasSubstr("SUPERSECRETKEY")));
    EXPECT_THAT(arg, Not(HasSubstr("AKIDSECRETLY")));
  }
  for (const std::string& var : command.env) EXPECT_THAT(var, Not(HasSubstr("SECRET")));
  EXPECT_TRUE(command.needs_credentials_fd);
  EXPECT_THAT(command.env, Contains("AWS_SHARED_CREDENTIALS_FILE=/dev/fd/5"));
  EXPECT_THAT(command.env, Not(Contains("AWS_ACCESS_KEY_ID=mounterd")));  // only the request's keys count
  EXPECT_THAT(command.env, Not(Contains("AWS_PROFILE=x")));
  EXPECT_THAT(command.env, Contains("HOME=/root"));
  EXPECT_THAT(command.env, Contains("AWS_REGION=eu-1"));
}

TEST(S3mountCommandTest, WithoutSecretsTheDefaultChainApplies) {
  const auto command = BuildS3mountCommand(Request(false), "/bin/s3mount", {"AWS_ROLE_ARN=r"});
  EXPECT_FALSE(command.needs_credentials_fd);
  EXPECT_THAT(command.argv[5], Not(HasSubstr("profile=")));
  EXPECT_THAT(command.env, Contains("AWS_ROLE_ARN=r"));
}

TEST(S3mountCommandTest, CredentialsFile) {
  EXPECT_EQ(CredentialsFileText({"AK", "SK", ""}), "[s3csi]\naws_access_key_id = AK\naws_secret_access_key = SK\n");
  EXPECT_THAT(CredentialsFileText({"AK", "SK", "T"}), HasSubstr("aws_session_token = T\n"));
}

TEST(S3mountCommandTest, ValidationRefusesReservedOptionsAndHalfSecrets) {
  EXPECT_TRUE(ValidateStartRequest(Request(true)).ok());
  for (const char* option : {"passwd_file=/etc/shadow", "profile=x", "ready_fd=9", "url=http://evil", "logfile=/x",
                             "metrics_file=/etc/passwd", "metrics_address=0.0.0.0:22"}) {
    StartRequest r = Request(true);
    r.spec.options.push_back(option);
    r.fingerprint = Fingerprint(r.spec);
    EXPECT_EQ(ValidateStartRequest(r).kind(), s3core::ErrorKind::kInvalidArgument) << option;
  }
  StartRequest half = Request(false);
  half.spec.secrets.access_key_id = "AK";
  EXPECT_FALSE(ValidateStartRequest(half).ok());
  StartRequest newline = Request(true);
  newline.spec.secrets.secret_access_key = "a\n[default]";
  EXPECT_FALSE(ValidateStartRequest(newline).ok());
  StartRequest wrong_fp = Request(true);
  wrong_fp.fingerprint = "0000000000000000";
  EXPECT_FALSE(ValidateStartRequest(wrong_fp).ok());
}

TEST(S3mountCommandTest, MetricsFileIsPassedWhenGiven) {
  EXPECT_THAT(BuildS3mountCommand(Request(false), "/bin/s3mount", {}).argv.back(), Not(HasSubstr("metrics_file")));
  const auto command = BuildS3mountCommand(Request(false), "/bin/s3mount", {}, "/tmp/m/1-1.prom");
  EXPECT_THAT(command.argv.back(), HasSubstr(",metrics_file=/tmp/m/1-1.prom"));
}

}  // namespace
}  // namespace s3csi::mounterd

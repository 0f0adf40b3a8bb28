#include "s3core/credentials/passwd_file_provider.h"

#include <gtest/gtest.h>

#include "s3core/credentials/test_support.h"

namespace s3core {
namespace {

using testing_support::TempDir;

Environment HomeEnv(const TempDir& dir) {
  Environment env = Environment::Fake({}, dir.path() + "/home");
  env.system_config_dir = dir.path() + "/etc";
  return env;
}

TEST(PasswdFileProviderTest, ReadsDefaultLine) {
  TempDir dir;
  std::string path = dir.Write("passwd", "# my keys\n\nAKID:SECRET\n", 0600);
  PasswdFileCredentialsProvider provider(HomeEnv(dir), path, "bucket");
  EXPECT_TRUE(provider.IsConfigured());
  auto credentials = provider.Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "AKID");
  EXPECT_EQ(credentials->secret_access_key, "SECRET");
  EXPECT_EQ(credentials->session_token, "");
  EXPECT_EQ(credentials->source, "passwd-file:" + path);
}

TEST(PasswdFileProviderTest, BucketLineWinsOverDefaultLine) {
  TempDir dir;
  std::string path = dir.Write("passwd", "DEFAULTKEY:DEFAULTSECRET\r\nmybucket:BUCKETKEY:BUCKETSECRET\r\nother:OK:OS\r\n");
  auto mine = PasswdFileCredentialsProvider(HomeEnv(dir), path, "mybucket").Get();
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_EQ(mine->access_key_id, "BUCKETKEY");
  EXPECT_EQ(mine->secret_access_key, "BUCKETSECRET");

  auto unknown = PasswdFileCredentialsProvider(HomeEnv(dir), path, "unlisted").Get();
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->access_key_id, "DEFAULTKEY");
}

TEST(PasswdFileProviderTest, BucketLineSplitsAtFirstAndLastColon) {
  auto entries = credentials_internal::ParsePasswdFile("b:KEY:SEC:RET\n", "p");
  ASSERT_TRUE(entries.ok());
  // s3fs: bucket before the first ':', secret after the last, the key in between.
  EXPECT_EQ(entries->buckets.at("b").first, "KEY:SEC");
  EXPECT_EQ(entries->buckets.at("b").second, "RET");
}

TEST(PasswdFileProviderTest, NoMatchingLineIsAnError) {
  TempDir dir;
  std::string path = dir.Write("passwd", "onlyfor:KEY:SECRET\n");
  auto result = PasswdFileCredentialsProvider(HomeEnv(dir), path, "another").Get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
  EXPECT_NE(result.status().message().find("another"), std::string::npos);
}

TEST(PasswdFileProviderTest, KeyValueFormWinsOverColonLines) {
  TempDir dir;
  std::string path = dir.Write("passwd", "AWSAccessKeyId=KVKEY\nAWSSecretKey=KVSECRET\nCOLON:LINE\n");
  auto result = PasswdFileCredentialsProvider(HomeEnv(dir), path, "").Get();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->access_key_id, "KVKEY");
  EXPECT_EQ(result->secret_access_key, "KVSECRET");

  auto half = credentials_internal::ParsePasswdFile("AWSAccessKeyId=KVKEY\n", "p");
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.status().message().find("AWSSecretKey"), std::string::npos);
}

TEST(PasswdFileProviderTest, RefusesGroupOrOtherReadableFile) {
  TempDir dir;
  std::string path = dir.Write("passwd", "AKID:SECRET\n", 0644);
  auto result = PasswdFileCredentialsProvider(HomeEnv(dir), path, "").Get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
  const std::string& message = result.status().message();
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("0644"), std::string::npos) << message;
  EXPECT_NE(message.find("chmod 600"), std::string::npos) << message;
  EXPECT_EQ(message.find("SECRET"), std::string::npos) << message;

  dir.Write("passwd", "AKID:SECRET\n", 0640);
  EXPECT_FALSE(PasswdFileCredentialsProvider(HomeEnv(dir), path, "").Get().ok());
  dir.Write("passwd", "AKID:SECRET\n", 0700);  // executable
  EXPECT_FALSE(PasswdFileCredentialsProvider(HomeEnv(dir), path, "").Get().ok());
  dir.Write("passwd", "AKID:SECRET\n", 0400);
  EXPECT_TRUE(PasswdFileCredentialsProvider(HomeEnv(dir), path, "").Get().ok());
}

TEST(PasswdFileProviderTest, ModeRulesMatchS3fs) {
  using credentials_internal::CheckPasswdFileMode;
  EXPECT_TRUE(CheckPasswdFileMode("p", 0600, false).ok());
  EXPECT_TRUE(CheckPasswdFileMode("p", 0400, false).ok());
  EXPECT_FALSE(CheckPasswdFileMode("p", 0604, false).ok());
  EXPECT_FALSE(CheckPasswdFileMode("p", 0602, false).ok());
  EXPECT_FALSE(CheckPasswdFileMode("p", 0640, false).ok());
  EXPECT_FALSE(CheckPasswdFileMode("p", 0700, false).ok());
  // The system-wide file may be group-readable, not group-writable.
  EXPECT_TRUE(CheckPasswdFileMode("/etc/passwd-s3fs", 0640, true).ok());
  EXPECT_FALSE(CheckPasswdFileMode("/etc/passwd-s3fs", 0660, true).ok());
  EXPECT_FALSE(CheckPasswdFileMode("/etc/passwd-s3fs", 0644, true).ok());
  EXPECT_FALSE(CheckPasswdFileMode("/etc/passwd-s3fs", 0650, true).ok());
}

TEST(PasswdFileProviderTest, MalformedLinesAreRefusedWithoutEchoingSecrets) {
  const char* kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  for (std::string text : {std::string("AKID: ") + kSecret + "\n", std::string("[default]\nAKID:") + kSecret + "\n",
                           std::string(kSecret) + "\n", std::string("AKID:") + kSecret + "\nAKID2:" + kSecret + "\n",
                           std::string("b::") + kSecret + "\n"}) {
    auto result = credentials_internal::ParsePasswdFile(text, "/some/passwd");
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_EQ(result.status().kind(), ErrorKind::kCredentials);
    EXPECT_NE(result.status().message().find("/some/passwd line "), std::string::npos) << result.status().message();
    EXPECT_EQ(result.status().message().find(kSecret), std::string::npos) << result.status().message();
    EXPECT_EQ(result.status().message().find("EXAMPLEKEY"), std::string::npos);
  }
}

TEST(PasswdFileProviderTest, TrailingWhitespaceIsTrimmed) {
  auto entries = credentials_internal::ParsePasswdFile("  AKID:SECRET \t\r\n   \n# c\n", "p");
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  EXPECT_EQ(entries->buckets.at("").second, "SECRET");
}

TEST(PasswdFileProviderTest, MissingExplicitFileIsAnError) {
  TempDir dir;
  PasswdFileCredentialsProvider provider(HomeEnv(dir), dir.path() + "/nope", "");
  EXPECT_TRUE(provider.IsConfigured());
  auto result = provider.Get();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find(dir.path() + "/nope"), std::string::npos);
}

TEST(PasswdFileProviderTest, DefaultSearchHomeThenSystem) {
  TempDir dir;
  Environment env = HomeEnv(dir);
  PasswdFileCredentialsProvider provider(env, "", "");
  EXPECT_FALSE(provider.IsConfigured());
  EXPECT_FALSE(provider.Get().ok());

  std::string system = dir.Write("etc/passwd-s3fs", "SYSKEY:SYSSECRET\n", 0640);
  EXPECT_TRUE(provider.IsConfigured());
  auto from_system = provider.Get();
  ASSERT_TRUE(from_system.ok()) << from_system.status().ToString();
  EXPECT_EQ(from_system->source, "passwd-file:" + system);

  // A home file with only comments passes on to the system file, as in s3fs.
  dir.Write("home/.passwd-s3fs", "# nothing yet\n", 0600);
  auto still_system = provider.Get();
  ASSERT_TRUE(still_system.ok());
  EXPECT_EQ(still_system->access_key_id, "SYSKEY");

  std::string home = dir.Write("home/.passwd-s3fs", "HOMEKEY:HOMESECRET\n", 0600);
  auto from_home = provider.Get();
  ASSERT_TRUE(from_home.ok());
  EXPECT_EQ(from_home->access_key_id, "HOMEKEY");
  EXPECT_EQ(from_home->source, "passwd-file:" + home);

  // A badly protected home file is an error, not a reason to use the system file.
  dir.Write("home/.passwd-s3fs", "HOMEKEY:HOMESECRET\n", 0644);
  EXPECT_FALSE(provider.Get().ok());
}

}  // namespace
}  // namespace s3core

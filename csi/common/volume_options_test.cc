#include "csi/common/volume_options.h"

#include <gtest/gtest.h>

#include "csi/common/mount_options.h"
#include "csi/common/secrets.h"

namespace s3csi {
namespace {

using Params = std::map<std::string, std::string>;

TEST(VolumeOptionsTest, StorageClassParametersFoldIntoMountOptions) {
  auto options = ParseVolumeOptions(Params{{"bucket", "shared"},
                                           {"prefix", "/team/"},
                                           {"endpoint", "http://127.0.0.1:7480"},
                                           {"region", "us-east-1"},
                                           {"mountOptions", "use_path_request_style, stat_cache_expire=5"},
                                           {"storageClass", "STANDARD_IA"},
                                           {"sse", "1"},
                                           {"uid", "1000"},
                                           {"gid", "2000"},
                                           {"mode", "0775"},
                                           {"reclaimData", "delete"},
                                           {"csi.storage.k8s.io/pv/name", "ignored"}},
                                    OptionsSource::kStorageClass);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->bucket, "shared");
  EXPECT_EQ(options->prefix, "team/");
  EXPECT_EQ(options->reclaim, ReclaimData::kDelete);
  for (const char* o : {"use_path_request_style", "stat_cache_expire", "storage_class", "use_sse", "uid", "gid"}) {
    EXPECT_TRUE(HasOption(options->mount_options, o)) << o;
  }
  EXPECT_TRUE(HasOption(options->mount_options, "umask"));
  EXPECT_TRUE(HasOption(options->mount_options, "mp_umask"));
  EXPECT_NE(JoinOptions(options->mount_options).find("mp_umask=0002"), std::string::npos);
  // The context parses back to the same volume.
  auto context = VolumeContextFor(*options, "shared", "team/pvc-1/");
  auto back = ParseVolumeOptions(context, OptionsSource::kVolumeContext);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->bucket, "shared");
  EXPECT_EQ(back->prefix, "team/pvc-1/");
  EXPECT_EQ(back->mount_options, options->mount_options);
}

TEST(VolumeOptionsTest, RejectsBadParameters) {
  const Params bad[] = {
      {{"bucket", "Not_A_Bucket"}},
      {{"prefix", "a/../b"}},
      {{"endpoint", "http://user:pw@host"}},
      {{"region", "us east"}},
      {{"mountOptions", "passwd_file=/etc/shadow"}},
      {{"mountOptions", "use_cache=/"}},
      {{"mountOptions", "suid"}},
      {{"mountOptions", "uid"}},
      {{"mountOptions", "allow_other,logfile=/tmp/x"}},
      {{"sse", "custom:/root/key"}},
      {{"uid", "-1"}},
      {{"uid", "99999999999"}},
      {{"umask", "0999"}},
      {{"reclaimData", "maybe"}},
      {{"bukcet", "typo"}},
  };
  for (const auto& params : bad) {
    EXPECT_EQ(ParseVolumeOptions(params, OptionsSource::kStorageClass).status().kind(),
              s3core::ErrorKind::kInvalidArgument)
        << params.begin()->first << "=" << params.begin()->second;
  }
  // reclaimData is a StorageClass parameter, not part of a volume's context.
  EXPECT_FALSE(ParseVolumeOptions(Params{{"reclaimData", "delete"}}, OptionsSource::kVolumeContext).ok());
  EXPECT_FALSE(ParseVolumeOptions(Params{{"prefix", "p"}}, OptionsSource::kVolumeContext).ok());
}

TEST(VolumeOptionsTest, MountOptionLists) {
  auto options = ParseMountOptions("ro, noatime,,uid=1000");
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(*options, (std::vector<std::string>{"ro", "noatime", "uid=1000"}));
  EXPECT_TRUE(HasOption(*options, "uid"));
  EXPECT_FALSE(HasOption(*options, "ui"));
  EXPECT_FALSE(ParseMountOptions("uid=1000 gid=1").ok());
  EXPECT_FALSE(ParseMountOptions("fsname=evil").ok());
}

TEST(SecretsTest, ParsesKeysAndRefusesHalfPairs) {
  auto access = ParseSecrets({{"accessKeyID", "AK"}, {"secretAccessKey", "SK"}, {"sessionToken", "T"},
                              {"endpoint", "http://127.0.0.1:7480"}, {"region", "r1"}, {"other", "x"}});
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->access_key_id, "AK");
  EXPECT_EQ(access->session_token, "T");
  EXPECT_TRUE(access->has_keys());
  EXPECT_FALSE(ParseSecrets({}).value().has_keys());
  EXPECT_FALSE(ParseSecrets({{"accessKeyID", "AK"}}).ok());
  EXPECT_FALSE(ParseSecrets({{"secretAccessKey", "SK"}}).ok());
  EXPECT_FALSE(ParseSecrets({{"sessionToken", "T"}}).ok());
  EXPECT_FALSE(ParseSecrets({{"accessKeyID", "A:K"}, {"secretAccessKey", "SK"}}).ok());
  auto bad = ParseSecrets({{"accessKeyID", "AK"}, {"secretAccessKey", "TOPSECRET"}, {"endpoint", "ftp://x y"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().find("TOPSECRET"), std::string::npos);
}

}  // namespace
}  // namespace s3csi

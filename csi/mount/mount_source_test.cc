#include "csi/mount/mount_source.h"

#include <gtest/gtest.h>

namespace s3csi {
namespace {

MountSpec Spec() {
  MountSpec spec;
  spec.volume_id = "vol:with:colons";
  spec.bucket = "bucket";
  spec.prefix = "a/b/";
  spec.endpoint = "http://127.0.0.1:7480";
  spec.options = {"uid=1000", "allow_other"};
  return spec;
}

TEST(FingerprintTest, StableAndIgnoresSecrets) {
  MountSpec a = Spec();
  MountSpec b = Spec();
  b.secrets = {"AKID", "SECRET", "TOKEN"};
  EXPECT_EQ(Fingerprint(a), Fingerprint(b));
  EXPECT_EQ(Fingerprint(a).size(), kFingerprintLength);
  // Pinned: a change of the canonical form would make every live mount look foreign after an upgrade.
  EXPECT_EQ(Fingerprint(a), "b7f80397a325c5d9");
}

TEST(FingerprintTest, EveryFieldCounts) {
  const std::string base = Fingerprint(Spec());
  std::vector<MountSpec> variants(7, Spec());
  variants[0].volume_id = "other";
  variants[1].bucket = "other";
  variants[2].prefix = "";
  variants[3].endpoint = "";
  variants[4].region = "eu";
  variants[5].options.push_back("gid=5");
  variants[6].read_only = true;
  for (const MountSpec& v : variants) EXPECT_NE(Fingerprint(v), base);
  MountSpec shifted = Spec();  // field boundaries matter
  shifted.bucket = "bucketa";
  shifted.prefix = "/b/";
  EXPECT_NE(Fingerprint(shifted), base);
}

TEST(MountSourceTest, RoundTripsWithColonsInVolumeId) {
  const std::string fp = Fingerprint(Spec());
  const std::string source = MountSource("vol:with:colons", fp);
  auto parsed = ParseMountSource(source);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->volume_id, "vol:with:colons");
  EXPECT_EQ(parsed->fingerprint, fp);
}

TEST(MountSourceTest, RejectsOtherSources) {
  EXPECT_FALSE(ParseMountSource("bucket:/prefix").has_value());
  EXPECT_FALSE(ParseMountSource("s3csi:vol").has_value());
  EXPECT_FALSE(ParseMountSource("s3csi::0123456789abcdef").has_value());
  EXPECT_FALSE(ParseMountSource("s3csi:vol:0123456789abcdeg").has_value());
  EXPECT_FALSE(ParseMountSource("s3csi:vol-0123456789abcdef").has_value());
}

TEST(ValidateMountSpecTest, RefusesHostileFields) {
  EXPECT_TRUE(ValidateMountSpec(Spec()).ok());
  auto with = [](auto change) {
    MountSpec s = Spec();
    change(s);
    return ValidateMountSpec(s);
  };
  EXPECT_FALSE(with([](MountSpec& s) { s.volume_id = ""; }).ok());
  EXPECT_FALSE(with([](MountSpec& s) { s.volume_id = std::string(129, 'v'); }).ok());
  EXPECT_TRUE(with([](MountSpec& s) { s.volume_id = std::string(128, 'v'); }).ok());
  EXPECT_FALSE(with([](MountSpec& s) { s.volume_id = "a b"; }).ok());
  EXPECT_FALSE(with([](MountSpec& s) { s.volume_id = "a\nb"; }).ok());
  EXPECT_FALSE(with([](MountSpec& s) { s.volume_id = "a,fd=3"; }).ok());
  EXPECT_FALSE(with([](MountSpec& s) { s.bucket = ""; }).ok());
  EXPECT_FALSE(with([](MountSpec& s) { s.bucket = "b/../c"; }).ok());
  EXPECT_FALSE(with([](MountSpec& s) { s.prefix = "a/b"; }).ok());
  EXPECT_FALSE(with([](MountSpec& s) { s.prefix = "/a/"; }).ok());
  EXPECT_FALSE(with([](MountSpec& s) { s.options = {"uid=1,passwd_file=/x"}; }).ok());
}

}  // namespace
}  // namespace s3csi

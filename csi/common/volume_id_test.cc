#include "csi/common/volume_id.h"

#include <gtest/gtest.h>

#include "s3core/client/endpoint.h"

namespace s3csi {
namespace {

TEST(VolumeIdTest, RoundTripsBothLayouts) {
  VolumeId prefix_volume{"shared-bucket", "team-a/pvc-1/", false, ReclaimData::kDelete};
  EXPECT_EQ(prefix_volume.Encode(), "s3v1:dp:shared-bucket/team-a/pvc-1");
  auto parsed = VolumeId::Parse(prefix_volume.Encode());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, prefix_volume);

  VolumeId bucket_volume{"pvc-1234", "", true, ReclaimData::kRetain};
  EXPECT_EQ(bucket_volume.Encode(), "s3v1:rb:pvc-1234");
  parsed = VolumeId::Parse(bucket_volume.Encode());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, bucket_volume);
}

TEST(VolumeIdTest, ForeignIdsAreNotFound) {
  EXPECT_EQ(VolumeId::Parse("my-static-volume").status().kind(), s3core::ErrorKind::kNotFound);
  EXPECT_EQ(VolumeId::Parse("bucket/prefix").status().kind(), s3core::ErrorKind::kNotFound);
}

TEST(VolumeIdTest, RejectsMalformedAndHostileIds) {
  for (const char* id : {"s3v1:", "s3v1:xp:bucket/p", "s3v1:dx:bucket/p", "s3v1:dp-bucket/p",
                         "s3v1:dp:bucket/../etc", "s3v1:dp:bucket/a/./b", "s3v1:dp:bucket//a",
                         "s3v1:dp:Bad_Bucket/p", "s3v1:dp:../x", "s3v1:dp:bucket",  // prefix layout needs a prefix
                         "s3v1:db:bucket/p",                                        // bucket layout has none
                         "s3v1:dp:bucket/a\\b", "s3v1:dp:bucket/a\nb"}) {
    EXPECT_EQ(VolumeId::Parse(id).status().kind(), s3core::ErrorKind::kInvalidArgument) << id;
  }
  const std::string long_id = "s3v1:dp:bucket/" + std::string(200, 'a');
  EXPECT_EQ(VolumeId::Parse(long_id).status().kind(), s3core::ErrorKind::kInvalidArgument);
}

TEST(VolumeIdTest, NormalizesPrefixes) {
  EXPECT_EQ(*NormalizePrefix(""), "");
  EXPECT_EQ(*NormalizePrefix("/"), "");
  EXPECT_EQ(*NormalizePrefix("a/b"), "a/b/");
  EXPECT_EQ(*NormalizePrefix("/a/b/"), "a/b/");
  EXPECT_FALSE(NormalizePrefix("a//b").ok());
  EXPECT_FALSE(NormalizePrefix("a/../b").ok());
  EXPECT_FALSE(NormalizePrefix("..").ok());
  EXPECT_FALSE(NormalizePrefix(std::string(600, 'x')).ok());
}

TEST(VolumeIdTest, BucketNamesAreValidStableAndDistinct) {
  const std::string pv = "pvc-3f1a2b4c-1111-2222-3333-444455556666";
  EXPECT_EQ(BucketNameForVolume(pv), pv);  // already a valid name: used as is
  // std::string elements: a c_str() of a temporary would dangle once the list is built.
  const std::string names[] = {"PVC_Upper", "a", "x..y", "192.168.1.1", "xn--abc", "-lead-", std::string(100, 'z'),
                               "name with spaces/and/slashes", "\xc3\xa9t\xc3\xa9"};
  for (const std::string& name : names) {
    const std::string bucket = BucketNameForVolume(name);
    EXPECT_TRUE(s3core::ValidateBucketName(bucket).ok()) << name << " -> " << bucket;
    EXPECT_EQ(bucket, BucketNameForVolume(name)) << "stable";
  }
  EXPECT_NE(BucketNameForVolume("PVC-1"), BucketNameForVolume("pvc-1"));
  EXPECT_NE(BucketNameForVolume(std::string(100, 'z') + "1"), BucketNameForVolume(std::string(100, 'z') + "2"));
}

TEST(VolumeIdTest, PrefixSegments) {
  EXPECT_EQ(PrefixSegmentForVolume("pvc-1"), "pvc-1");
  const std::string hostile = PrefixSegmentForVolume("../../etc");
  EXPECT_EQ(hostile.find('/'), std::string::npos);
  EXPECT_NE(hostile.substr(0, 2), "..");
  EXPECT_TRUE(NormalizePrefix(hostile).ok());
  EXPECT_TRUE(NormalizePrefix(PrefixSegmentForVolume("..")).ok());
}

TEST(VolumeIdTest, ParsesPlainBucketPaths) {
  auto path = ParseBucketPath("bucket/a/b");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path->bucket, "bucket");
  EXPECT_EQ(path->prefix, "a/b/");
  EXPECT_FALSE(ParseBucketPath("bucket/../b").ok());
  EXPECT_FALSE(ParseBucketPath("BUCKET").ok());
}

}  // namespace
}  // namespace s3csi

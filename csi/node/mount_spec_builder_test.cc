#include "csi/node/mount_spec_builder.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace s3csi {
namespace {

using Mode = csi::v1::VolumeCapability::AccessMode;

csi::v1::NodePublishVolumeRequest Request(const std::string& volume_id, Mode::Mode mode = Mode::MULTI_NODE_MULTI_WRITER) {
  csi::v1::NodePublishVolumeRequest request;
  request.set_volume_id(volume_id);
  request.set_target_path("/var/lib/kubelet/pods/p/volumes/kubernetes.io~csi/pv/mount");
  request.mutable_volume_capability()->mutable_mount();
  request.mutable_volume_capability()->mutable_access_mode()->set_mode(mode);
  return request;
}

bool Has(const MountSpec& spec, const std::string& option) {
  return std::find(spec.options.begin(), spec.options.end(), option) != spec.options.end();
}

TEST(MountSpecBuilderTest, DynamicVolumeFromContext) {
  auto request = Request("s3v1:dp:shared/team/pvc-1");
  auto& context = *request.mutable_volume_context();
  context["bucket"] = "shared";
  context["prefix"] = "team/pvc-1/";
  context["endpoint"] = "http://127.0.0.1:7480";
  context["mountOptions"] = "uid=1000,storage_class=STANDARD";
  context["csi.storage.k8s.io/pod.name"] = "ignored";
  (*request.mutable_secrets())["accessKeyID"] = "AK";
  (*request.mutable_secrets())["secretAccessKey"] = "SK";
  request.mutable_volume_capability()->mutable_mount()->add_mount_flags("noatime,uid=2000");
  auto spec = BuildMountSpec(request, {});
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->bucket, "shared");
  EXPECT_EQ(spec->prefix, "team/pvc-1/");
  EXPECT_EQ(spec->endpoint, "http://127.0.0.1:7480");
  EXPECT_EQ(spec->secrets.access_key_id, "AK");
  EXPECT_FALSE(spec->read_only);
  EXPECT_TRUE(Has(*spec, "allow_other"));
  EXPECT_TRUE(Has(*spec, "uid=2000")) << "the PV's mountOptions win";
  EXPECT_FALSE(Has(*spec, "uid=1000"));
  EXPECT_TRUE(Has(*spec, "noatime"));
}

TEST(MountSpecBuilderTest, StaticVolumesAndDefaults) {
  auto spec = BuildMountSpec(Request("existing-bucket/some/dir"), {"http://default:7480", "r1"});
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->bucket, "existing-bucket");
  EXPECT_EQ(spec->prefix, "some/dir/");
  EXPECT_EQ(spec->endpoint, "http://default:7480");
  EXPECT_EQ(spec->region, "r1");

  auto named = Request("my-pv-handle");
  (*named.mutable_volume_context())["bucket"] = "data";
  spec = BuildMountSpec(named, {});
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->bucket, "data");
  EXPECT_EQ(spec->prefix, "");

  auto secrets_endpoint = Request("data");
  (*secrets_endpoint.mutable_secrets())["endpoint"] = "http://from-secret:1";
  EXPECT_EQ(BuildMountSpec(secrets_endpoint, {"http://default:7480", ""})->endpoint, "http://from-secret:1");
}

TEST(MountSpecBuilderTest, ReadOnlyFromEveryDirection) {
  auto readonly = Request("b-1");
  readonly.set_readonly(true);
  EXPECT_TRUE(BuildMountSpec(readonly, {})->read_only);
  EXPECT_TRUE(BuildMountSpec(Request("b-1", Mode::MULTI_NODE_READER_ONLY), {})->read_only);
  EXPECT_TRUE(BuildMountSpec(Request("b-1", Mode::SINGLE_NODE_READER_ONLY), {})->read_only);
  auto flag = Request("b-1", Mode::SINGLE_NODE_WRITER);
  flag.mutable_volume_capability()->mutable_mount()->add_mount_flags("ro");
  auto spec = BuildMountSpec(flag, {});
  EXPECT_TRUE(spec->read_only);
  EXPECT_FALSE(Has(*spec, "ro"));
  EXPECT_FALSE(BuildMountSpec(Request("b-1", Mode::SINGLE_NODE_SINGLE_WRITER), {})->read_only);
}

TEST(MountSpecBuilderTest, FsGroupMakesTheVolumeGroupWritable) {
  auto request = Request("b-1");
  request.mutable_volume_capability()->mutable_mount()->set_volume_mount_group("3000");
  request.mutable_volume_capability()->mutable_mount()->add_mount_flags("gid=5");
  auto spec = BuildMountSpec(request, {});
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_TRUE(Has(*spec, "gid=3000"));
  EXPECT_FALSE(Has(*spec, "gid=5"));
  EXPECT_TRUE(Has(*spec, "umask=0002"));
  EXPECT_TRUE(Has(*spec, "mp_umask=0002"));
  for (const char* bad : {"abc", "-1", "99999999999", "1,uid=0"}) {
    request.mutable_volume_capability()->mutable_mount()->set_volume_mount_group(bad);
    EXPECT_FALSE(BuildMountSpec(request, {}).ok()) << bad;
  }
}

TEST(MountSpecBuilderTest, RejectsBadRequests) {
  EXPECT_FALSE(BuildMountSpec(Request(""), {}).ok());
  EXPECT_FALSE(BuildMountSpec(Request(std::string(129, 'a')), {}).ok());
  EXPECT_FALSE(BuildMountSpec(Request("b-1 ,x"), {}).ok());
  EXPECT_FALSE(BuildMountSpec(Request("s3v1:dp:bucket/../../etc"), {}).ok());
  EXPECT_FALSE(BuildMountSpec(Request("Not_A_Bucket"), {}).ok());
  auto block = Request("b-1");
  block.mutable_volume_capability()->mutable_block();
  EXPECT_FALSE(BuildMountSpec(block, {}).ok());
  auto no_capability = Request("b-1");
  no_capability.clear_volume_capability();
  EXPECT_FALSE(BuildMountSpec(no_capability, {}).ok());
  auto unknown_mode = Request("b-1", Mode::UNKNOWN);
  EXPECT_FALSE(BuildMountSpec(unknown_mode, {}).ok());
  for (const char* flag : {"passwd_file=/etc/shadow", "suid", "fsname=x", "use_cache=/", "bucket=other"}) {
    auto request = Request("b-1");
    request.mutable_volume_capability()->mutable_mount()->add_mount_flags(flag);
    EXPECT_FALSE(BuildMountSpec(request, {}).ok()) << flag;
  }
  auto half = Request("b-1");
  (*half.mutable_secrets())["accessKeyID"] = "AK";
  EXPECT_FALSE(BuildMountSpec(half, {}).ok());
  auto traversal = Request("b-1");
  (*traversal.mutable_volume_context())["bucket"] = "b-1";
  (*traversal.mutable_volume_context())["prefix"] = "../x";
  EXPECT_FALSE(BuildMountSpec(traversal, {}).ok());
}

}  // namespace
}  // namespace s3csi

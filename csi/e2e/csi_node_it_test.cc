// The whole path as Kubernetes drives it, against RGW with real FUSE mounts: CreateVolume (both
// provisioning modes) -> NodePublishVolume -> files written and read through the mount -> a second
// publish elsewhere sees them -> kill -9 of the plugin and a restart -> files still served ->
// NodeUnpublishVolume -> DeleteVolume -> data gone or retained. Plus the node's error codes.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "csi/e2e/plugin_harness.h"

namespace s3csi_it {
namespace {

namespace fs = std::filesystem;
using csi::v1::Controller;
using csi::v1::Node;
using Mode = csi::v1::VolumeCapability::AccessMode;

class NodeIt : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "mount(2) of /dev/fuse needs root";
    std::string reason;
    if (!harness_.SetUp(reason)) {
      if (s3core::testing::RgwRequired()) FAIL() << reason;
      GTEST_SKIP() << reason;
    }
  }
  void TearDown() override { harness_.TearDown(); }

  csi::v1::NodePublishVolumeRequest PublishRequest(const csi::v1::Volume& volume, const std::string& target,
                                                   Mode::Mode mode = Mode::MULTI_NODE_MULTI_WRITER) {
    csi::v1::NodePublishVolumeRequest request;
    request.set_volume_id(volume.volume_id());
    request.set_target_path(target);
    *request.mutable_volume_capability() = MountCapability(mode);
    *request.mutable_volume_context() = volume.volume_context();
    const auto secrets = harness_.Secrets();
    request.mutable_secrets()->insert(secrets.begin(), secrets.end());
    return request;
  }
  grpc::Status Publish(const csi::v1::NodePublishVolumeRequest& request) {
    csi::v1::NodePublishVolumeResponse response;
    return Call(harness_.node(), &Node::Stub::NodePublishVolume, request, &response);
  }
  grpc::Status Unpublish(const std::string& volume_id, const std::string& target) {
    csi::v1::NodeUnpublishVolumeRequest request;
    request.set_volume_id(volume_id);
    request.set_target_path(target);
    csi::v1::NodeUnpublishVolumeResponse response;
    return Call(harness_.node(), &Node::Stub::NodeUnpublishVolume, request, &response);
  }

  // The whole lifecycle for one StorageClass; returns the created volume's context.
  void Lifecycle(const std::map<std::string, std::string>& params, bool expect_data_deleted);

  PluginHarness harness_;
};

void NodeIt::Lifecycle(const std::map<std::string, std::string>& params, bool expect_data_deleted) {
  const std::string name = "pvc-e2e-" + std::to_string(getpid()) + "-" + std::to_string(rand() % 100000);
  csi::v1::CreateVolumeResponse created;
  ASSERT_TRUE(Call(harness_.controller(), &Controller::Stub::CreateVolume,
                   CreateRequest(name, params, harness_.Secrets()), &created)
                  .ok())
      << harness_.plugin_log();
  const csi::v1::Volume& volume = created.volume();
  const std::string bucket = volume.volume_context().at("bucket");
  const std::string prefix = volume.volume_context().count("prefix") ? volume.volume_context().at("prefix") : "";
  harness_.ForgetBucket(bucket);

  // Pod A publishes and writes.
  const std::string target_a = harness_.TargetPath("pod-a", name);
  ASSERT_TRUE(Publish(PublishRequest(volume, target_a)).ok()) << harness_.plugin_log();
  ASSERT_TRUE(WriteFile(target_a + "/hello.txt", "hello from pod a\n"));
  fs::create_directories(target_a + "/dir/sub");
  ASSERT_TRUE(WriteFile(target_a + "/dir/sub/data.bin", std::string(300000, 'x')));
  EXPECT_EQ(ReadFile(target_a + "/hello.txt"), "hello from pod a\n");
  EXPECT_TRUE(Publish(PublishRequest(volume, target_a)).ok()) << "publishing again is idempotent";
  EXPECT_EQ(Publish(PublishRequest(volume, target_a, Mode::MULTI_NODE_READER_ONLY)).error_code(),
            grpc::StatusCode::ALREADY_EXISTS)
      << "same target, other options";

  // Pod B (RWX) sees the files through its own mount, read-only.
  const std::string target_b = harness_.TargetPath("pod-b", name);
  ASSERT_TRUE(Publish(PublishRequest(volume, target_b, Mode::MULTI_NODE_READER_ONLY)).ok()) << harness_.plugin_log();
  EXPECT_EQ(ReadFile(target_b + "/hello.txt"), "hello from pod a\n");
  EXPECT_EQ(fs::file_size(target_b + "/dir/sub/data.bin"), 300000u);
  EXPECT_FALSE(WriteFile(target_b + "/nope.txt", "x")) << "a read-only publish refuses writes";

  csi::v1::NodeGetVolumeStatsRequest stats_request;
  stats_request.set_volume_id(volume.volume_id());
  stats_request.set_volume_path(target_a);
  csi::v1::NodeGetVolumeStatsResponse stats;
  ASSERT_TRUE(Call(harness_.node(), &Node::Stub::NodeGetVolumeStats, stats_request, &stats).ok());
  EXPECT_FALSE(stats.volume_condition().abnormal());

  // The node plugin dies hard and comes back: the mounts keep serving throughout.
  harness_.KillPlugin();
  EXPECT_EQ(ReadFile(target_a + "/hello.txt"), "hello from pod a\n");
  ASSERT_TRUE(WriteFile(target_a + "/after-kill.txt", "still here\n"));
  ASSERT_TRUE(harness_.StartPlugin()) << harness_.plugin_log();
  EXPECT_EQ(ReadFile(target_b + "/after-kill.txt"), "still here\n");
  EXPECT_TRUE(Publish(PublishRequest(volume, target_a)).ok()) << "the restarted plugin recognises its mount";

  // Unpublish both (twice: idempotent); the target directories are gone.
  ASSERT_TRUE(Unpublish(volume.volume_id(), target_a).ok()) << harness_.plugin_log();
  ASSERT_TRUE(Unpublish(volume.volume_id(), target_b).ok()) << harness_.plugin_log();
  EXPECT_FALSE(fs::exists(target_a));
  EXPECT_FALSE(fs::exists(target_b));
  EXPECT_TRUE(Unpublish(volume.volume_id(), target_a).ok());

  // The data reached S3 under the volume's prefix.
  const auto keys = harness_.Keys(bucket, prefix);
  EXPECT_NE(std::find(keys.begin(), keys.end(), prefix + "hello.txt"), keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), prefix + "after-kill.txt"), keys.end());

  csi::v1::DeleteVolumeRequest del;
  del.set_volume_id(volume.volume_id());
  const auto secrets = harness_.Secrets();
  del.mutable_secrets()->insert(secrets.begin(), secrets.end());
  csi::v1::DeleteVolumeResponse deleted;
  ASSERT_TRUE(Call(harness_.controller(), &Controller::Stub::DeleteVolume, del, &deleted).ok()) << harness_.plugin_log();
  if (expect_data_deleted) {
    EXPECT_TRUE(harness_.Keys(bucket, prefix).empty());
    if (prefix.empty()) {
      EXPECT_FALSE(harness_.BucketExists(bucket));
    }
  } else {
    EXPECT_FALSE(harness_.Keys(bucket, prefix).empty());
  }
}

TEST_F(NodeIt, BucketPerVolumeLifecycleRetain) {
  // endpoint as a StorageClass parameter: it travels in the volume context to the node.
  Lifecycle({{"endpoint", harness_.env().endpoint}, {"reclaimData", "retain"}}, false);
}

TEST_F(NodeIt, PrefixPerVolumeLifecycleDelete) {
  const std::string bucket = harness_.MakeBucket("s3csi-it-e2e");
  Lifecycle({{"bucket", bucket}, {"prefix", "team"}, {"reclaimData", "delete"}, {"mode", "0775"}}, true);
  EXPECT_TRUE(harness_.BucketExists(bucket));
}

TEST_F(NodeIt, NodeErrorCodes) {
  csi::v1::Volume volume;
  volume.set_volume_id("some-bucket");
  const std::string good = harness_.TargetPath("pod-x", "pv");
  auto expect_invalid = [&](csi::v1::NodePublishVolumeRequest request, const char* what) {
    EXPECT_EQ(Publish(request).error_code(), grpc::StatusCode::INVALID_ARGUMENT) << what;
  };
  auto request = PublishRequest(volume, good);
  request.set_target_path(harness_.kubelet_dir() + "/pods/../../../etc/x");
  expect_invalid(request, "traversal in target path");
  request.set_target_path(harness_.work_dir() + "/outside/mount");
  expect_invalid(request, "target outside the kubelet dir");
  request.set_target_path("relative/mount");
  expect_invalid(request, "relative target");
  request = PublishRequest(volume, good);
  request.clear_target_path();
  expect_invalid(request, "missing target");
  request = PublishRequest(volume, good);
  request.set_volume_id("s3v1:dp:bucket/../../etc");
  expect_invalid(request, "traversal in volume id");
  request.set_volume_id(std::string(129, 'v'));
  expect_invalid(request, "oversized volume id");
  request.clear_volume_id();
  expect_invalid(request, "missing volume id");
  request = PublishRequest(volume, good);
  request.mutable_volume_capability()->mutable_block();
  expect_invalid(request, "block");
  request.clear_volume_capability();
  expect_invalid(request, "missing capability");
  request = PublishRequest(volume, good);
  request.mutable_volume_capability()->mutable_mount()->add_mount_flags("passwd_file=/etc/shadow");
  expect_invalid(request, "disallowed mount option");
  request = PublishRequest(volume, good);
  (*request.mutable_secrets()).erase("secretAccessKey");
  expect_invalid(request, "half a key pair");
  request = PublishRequest(volume, good);
  (*request.mutable_volume_context())["x"] = std::string(5000, 'x');
  expect_invalid(request, "oversized context");
  EXPECT_FALSE(fs::exists(good)) << "nothing was mounted or created";

  EXPECT_TRUE(Unpublish("some-bucket", good).ok()) << "nothing to unpublish is OK";
  EXPECT_EQ(Unpublish("some-bucket", "/etc").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Unpublish("", good).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // Wrong secrets: s3mount cannot serve, the publish fails and leaves no mount behind.
  const std::string bucket = harness_.MakeBucket("s3csi-it-wrong");
  volume.set_volume_id(bucket);
  request = PublishRequest(volume, good);
  (*request.mutable_secrets())["secretAccessKey"] = "wrong-secret";
  const grpc::Status wrong = Publish(request);
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::PERMISSION_DENIED) << wrong.error_message();
  EXPECT_FALSE(fs::exists(good)) << "a failed publish leaves no target behind";
  EXPECT_TRUE(Unpublish(bucket, good).ok());
  EXPECT_EQ(harness_.plugin_log().find("wrong-secret"), std::string::npos);

  csi::v1::NodeGetCapabilitiesResponse caps;
  ASSERT_TRUE(Call(harness_.node(), &Node::Stub::NodeGetCapabilities, csi::v1::NodeGetCapabilitiesRequest(), &caps).ok());
  EXPECT_EQ(caps.capabilities(0).rpc().type(), csi::v1::NodeServiceCapability::RPC::VOLUME_MOUNT_GROUP);
  csi::v1::NodeGetInfoResponse info;
  ASSERT_TRUE(Call(harness_.node(), &Node::Stub::NodeGetInfo, csi::v1::NodeGetInfoRequest(), &info).ok());
  EXPECT_EQ(info.node_id(), "it-node");
}

// Whether uid 1000 with supplementary group `gid` may create `path` (in a child process).
bool CanCreateAs(uid_t uid, gid_t gid, const std::string& path) {
  const pid_t pid = fork();
  if (pid == 0) {
    // Only system calls between fork and _exit: the parent has other threads.
    const gid_t groups[] = {gid};
    if (setgroups(1, groups) != 0 || setgid(gid) != 0 || setuid(uid) != 0) _exit(2);
    const int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_EXCL, 0664);
    if (fd < 0) _exit(1);
    const bool written = write(fd, "g", 1) == 1;
    _exit(close(fd) == 0 && written ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST_F(NodeIt, FsGroupLetsANonRootPodWrite) {
  const std::string bucket = harness_.MakeBucket("s3csi-it-fsgroup");
  csi::v1::Volume volume;
  volume.set_volume_id(bucket);
  const std::string target = harness_.TargetPath("pod-g", "fsgroup-pv");
  auto request = PublishRequest(volume, target, Mode::SINGLE_NODE_MULTI_WRITER);
  request.mutable_volume_capability()->mutable_mount()->set_volume_mount_group("3000");
  ASSERT_TRUE(Publish(request).ok()) << harness_.plugin_log();
  struct stat root{};
  ASSERT_EQ(stat(target.c_str(), &root), 0);
  EXPECT_EQ(root.st_gid, 3000u);
  EXPECT_NE(root.st_mode & S_IWGRP, 0u) << std::oct << root.st_mode;
  EXPECT_TRUE(CanCreateAs(1000, 3000, target + "/by-pod-user"));
  EXPECT_FALSE(CanCreateAs(1001, 4000, target + "/by-stranger")) << "other groups may not write";
  EXPECT_EQ(ReadFile(target + "/by-pod-user"), "g");
  EXPECT_TRUE(Unpublish(bucket, target).ok());
}

TEST_F(NodeIt, SigtermStopsThePluginAndKeepsMounts) {
  const std::string bucket = harness_.MakeBucket("s3csi-it-term");
  csi::v1::Volume volume;
  volume.set_volume_id(bucket);  // a static PV naming an existing bucket
  const std::string target = harness_.TargetPath("pod-t", "static-pv");
  ASSERT_TRUE(Publish(PublishRequest(volume, target)).ok()) << harness_.plugin_log();
  ASSERT_TRUE(WriteFile(target + "/f", "1"));
  EXPECT_EQ(harness_.StopPlugin(), std::optional<int>(0));
  EXPECT_EQ(ReadFile(target + "/f"), "1");
  ASSERT_TRUE(harness_.StartPlugin());
  EXPECT_TRUE(Unpublish(bucket, target).ok()) << harness_.plugin_log();
  EXPECT_FALSE(fs::exists(target));
}

}  // namespace
}  // namespace s3csi_it

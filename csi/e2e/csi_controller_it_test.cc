// The Controller side against the real RGW server, through the s3csi process, as
// external-provisioner drives it: both provisioning modes, idempotency, ALREADY_EXISTS, the
// reclaim policy, and the error codes for malformed, hostile or unauthorised requests.
#include <gtest/gtest.h>

#include <algorithm>

#include "csi/e2e/plugin_harness.h"

namespace s3csi_it {
namespace {

using csi::v1::Controller;

class ControllerIt : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    harness_ = new PluginHarness();
    std::string reason;
    if (!harness_->SetUp(reason)) {
      skip_reason_ = new std::string(reason);
    }
  }
  static void TearDownTestSuite() {
    harness_->TearDown();
    delete harness_;
    harness_ = nullptr;
  }
  void SetUp() override {
    if (skip_reason_ != nullptr) {
      if (s3core::testing::RgwRequired()) FAIL() << *skip_reason_;
      GTEST_SKIP() << *skip_reason_;
    }
  }

  grpc::Status Create(const csi::v1::CreateVolumeRequest& request, csi::v1::CreateVolumeResponse* response) {
    return Call(harness_->controller(), &Controller::Stub::CreateVolume, request, response);
  }
  grpc::Status Delete(const std::string& id, const std::map<std::string, std::string>& secrets) {
    csi::v1::DeleteVolumeRequest request;
    request.set_volume_id(id);
    request.mutable_secrets()->insert(secrets.begin(), secrets.end());
    csi::v1::DeleteVolumeResponse response;
    return Call(harness_->controller(), &Controller::Stub::DeleteVolume, request, &response);
  }
  std::string UniqueName(const std::string& base) { return "pvc-" + base + "-" + std::to_string(++counter_); }

  static PluginHarness* harness_;
  static std::string* skip_reason_;
  int counter_ = static_cast<int>(getpid() % 100000) * 100;
};

PluginHarness* ControllerIt::harness_ = nullptr;
std::string* ControllerIt::skip_reason_ = nullptr;

TEST_F(ControllerIt, IdentityAndProbe) {
  csi::v1::GetPluginInfoResponse info;
  ASSERT_TRUE(Call(harness_->identity(), &csi::v1::Identity::Stub::GetPluginInfo, csi::v1::GetPluginInfoRequest(), &info).ok());
  EXPECT_EQ(info.name(), "s3.csi.s3mount.io");
  EXPECT_FALSE(info.vendor_version().empty());
  csi::v1::ProbeResponse probe;
  ASSERT_TRUE(Call(harness_->identity(), &csi::v1::Identity::Stub::Probe, csi::v1::ProbeRequest(), &probe).ok());
  EXPECT_TRUE(probe.ready().value());
  csi::v1::ControllerGetCapabilitiesResponse caps;
  ASSERT_TRUE(Call(harness_->controller(), &Controller::Stub::ControllerGetCapabilities,
                   csi::v1::ControllerGetCapabilitiesRequest(), &caps).ok());
  EXPECT_EQ(caps.capabilities(0).rpc().type(), csi::v1::ControllerServiceCapability::RPC::CREATE_DELETE_VOLUME);
  // Not implemented RPCs answer UNIMPLEMENTED.
  csi::v1::ListVolumesResponse list;
  EXPECT_EQ(Call(harness_->controller(), &Controller::Stub::ListVolumes, csi::v1::ListVolumesRequest(), &list)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(ControllerIt, BucketPerVolumeCreateIsIdempotentAndDeleteRemovesTheBucket) {
  const std::string name = UniqueName("bkt");
  auto request = CreateRequest(name, {{"reclaimData", "delete"}}, harness_->Secrets());
  csi::v1::CreateVolumeResponse first, again;
  ASSERT_TRUE(Create(request, &first).ok()) << harness_->plugin_log();
  const std::string bucket = first.volume().volume_context().at("bucket");
  harness_->ForgetBucket(bucket);  // cleaned up even if the test fails half-way
  EXPECT_EQ(first.volume().volume_id(), "s3v1:db:" + bucket);
  EXPECT_TRUE(harness_->BucketExists(bucket));
  ASSERT_TRUE(Create(request, &again).ok());
  EXPECT_EQ(again.volume().volume_id(), first.volume().volume_id());

  auto bigger = request;
  bigger.mutable_capacity_range()->set_required_bytes(int64_t{5} << 30);
  EXPECT_EQ(Create(bigger, &again).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  auto other = CreateRequest(name, {{"reclaimData", "retain"}}, harness_->Secrets());
  EXPECT_EQ(Create(other, &again).error_code(), grpc::StatusCode::ALREADY_EXISTS);

  ASSERT_TRUE(Delete(first.volume().volume_id(), harness_->Secrets()).ok()) << harness_->plugin_log();
  EXPECT_FALSE(harness_->BucketExists(bucket));
  EXPECT_TRUE(Delete(first.volume().volume_id(), harness_->Secrets()).ok()) << "deleting twice is OK";
}

TEST_F(ControllerIt, PrefixPerVolumeDeleteAndRetain) {
  const std::string bucket = harness_->MakeBucket("s3csi-it-shared");
  const std::string deleted_name = UniqueName("del"), kept_name = UniqueName("keep");
  csi::v1::CreateVolumeResponse deleted, kept;
  ASSERT_TRUE(Create(CreateRequest(deleted_name, {{"bucket", bucket}, {"prefix", "vols"}, {"reclaimData", "delete"}},
                                   harness_->Secrets()),
                     &deleted)
                  .ok());
  ASSERT_TRUE(Create(CreateRequest(kept_name, {{"bucket", bucket}, {"prefix", "vols"}}, harness_->Secrets()), &kept).ok());
  EXPECT_EQ(deleted.volume().volume_context().at("prefix"), "vols/" + deleted_name + "/");
  EXPECT_EQ(kept.volume().volume_id(), "s3v1:rp:" + bucket + "/vols/" + kept_name);
  EXPECT_EQ(harness_->Keys(bucket, "vols/" + deleted_name + "/").size(), 1u) << "the marker";

  ASSERT_TRUE(Delete(deleted.volume().volume_id(), harness_->Secrets()).ok());
  ASSERT_TRUE(Delete(kept.volume().volume_id(), harness_->Secrets()).ok());
  EXPECT_TRUE(harness_->Keys(bucket, "vols/" + deleted_name + "/").empty());
  EXPECT_EQ(harness_->Keys(bucket, "vols/" + kept_name + "/").size(), 1u) << "retained";
  EXPECT_TRUE(harness_->BucketExists(bucket)) << "a shared bucket is never deleted";
}

TEST_F(ControllerIt, MalformedAndHostileRequests) {
  csi::v1::CreateVolumeResponse response;
  const auto secrets = harness_->Secrets();
  EXPECT_EQ(Create(CreateRequest("", {}, secrets), &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Create(CreateRequest(std::string(129, 'n'), {}, secrets), &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Create(CreateRequest("pvc-ctl\x01", {}, secrets), &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  auto block = CreateRequest(UniqueName("block"), {}, secrets);
  block.mutable_volume_capabilities(0)->mutable_block();
  EXPECT_EQ(Create(block, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto no_caps = CreateRequest(UniqueName("nocaps"), {}, secrets);
  no_caps.clear_volume_capabilities();
  EXPECT_EQ(Create(no_caps, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Create(CreateRequest(UniqueName("p"), {{"bucket", "x"}, {"prefix", "../../etc"}}, secrets), &response)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Create(CreateRequest(UniqueName("p"), {{"mountOptions", "passwd_file=/etc/shadow"}}, secrets), &response)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Create(CreateRequest(UniqueName("p"), {{"huge", std::string(5000, 'x')}}, secrets), &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Create(CreateRequest(UniqueName("p"), {{"bucket", "s3csi-it-no-such-bucket-zz"}}, secrets), &response)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Secrets: none at all (and none in the plugin's environment), half a pair, wrong keys.
  EXPECT_EQ(Create(CreateRequest(UniqueName("nosecret"), {}, {}), &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Create(CreateRequest(UniqueName("half"), {}, {{"accessKeyID", "x"}}), &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  auto wrong = secrets;
  wrong["secretAccessKey"] = "not-the-secret";
  EXPECT_EQ(Create(CreateRequest(UniqueName("wrong"), {}, wrong), &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  wrong["accessKeyID"] = "NOSUCHKEY";
  EXPECT_EQ(Create(CreateRequest(UniqueName("wrong"), {}, wrong), &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  EXPECT_EQ(Delete("", secrets).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Delete(std::string(200, 'v'), secrets).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Delete("s3v1:dp:bucket/../../x", secrets).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Delete("s3v1:dp:bucket//x", secrets).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Delete("static-pv-handle", secrets).ok()) << "unknown ids are OK";
  EXPECT_TRUE(Delete("s3v1:db:s3csi-it-never-created", secrets).ok()) << "missing volumes are OK";

  // Secrets never reach the log.
  const std::string log = harness_->plugin_log();
  EXPECT_EQ(log.find(harness_->env().secret_key), std::string::npos);
  EXPECT_EQ(log.find("not-the-secret"), std::string::npos);
}

}  // namespace
}  // namespace s3csi_it

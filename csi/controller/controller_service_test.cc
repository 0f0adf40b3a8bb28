// The Controller service against the in-memory S3 (the RGW integration test repeats the
// important cases on the real server).
#include "csi/controller/controller_service.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "csi/controller/volume_store.h"
#include "s3core/testing/in_memory_object_store.h"

namespace s3csi {
namespace {

using csi::v1::VolumeCapability;

class ControllerServiceTest : public ::testing::Test {
 protected:
  ControllerServiceTest()
      : store_(std::make_shared<s3core::testing::InMemoryObjectStore>()),
        service_([this](const S3Access& access, const std::string&, const std::string&)
                     -> s3core::Result<std::shared_ptr<s3core::ObjectStore>> {
                   last_access_ = access;
                   return std::shared_ptr<s3core::ObjectStore>(store_);
                 },
                 "", std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>())) {}

  csi::v1::CreateVolumeRequest Request(const std::string& name, std::map<std::string, std::string> params = {}) {
    csi::v1::CreateVolumeRequest request;
    request.set_name(name);
    auto* capability = request.add_volume_capabilities();
    capability->mutable_mount();
    capability->mutable_access_mode()->set_mode(VolumeCapability::AccessMode::MULTI_NODE_MULTI_WRITER);
    request.mutable_parameters()->insert(params.begin(), params.end());
    (*request.mutable_secrets())["accessKeyID"] = "AK";
    (*request.mutable_secrets())["secretAccessKey"] = "SK";
    return request;
  }

  grpc::Status Create(const csi::v1::CreateVolumeRequest& request, csi::v1::CreateVolumeResponse* response) {
    return service_.CreateVolume(nullptr, &request, response);
  }
  grpc::Status Delete(const std::string& id) {
    csi::v1::DeleteVolumeRequest request;
    request.set_volume_id(id);
    csi::v1::DeleteVolumeResponse response;
    return service_.DeleteVolume(nullptr, &request, &response);
  }
  bool Exists(const std::string& bucket, const std::string& key) {
    s3core::HeadObjectRequest head;
    head.bucket = bucket;
    head.key = key;
    return store_->HeadObject(head).ok();
  }
  void Put(const std::string& bucket, const std::string& key) {
    s3core::BufferSource body("data");
    s3core::PutObjectRequest put;
    put.bucket = bucket;
    put.key = key;
    put.body = &body;
    ASSERT_TRUE(store_->PutObject(put).ok());
  }

  std::shared_ptr<s3core::testing::InMemoryObjectStore> store_;
  S3Access last_access_;
  ControllerService service_;
};

TEST_F(ControllerServiceTest, BucketPerVolumeIsIdempotentAndDeletable) {
  auto request = Request("pvc-1", {{"reclaimData", "delete"}});
  request.mutable_capacity_range()->set_required_bytes(1 << 30);
  csi::v1::CreateVolumeResponse first, second;
  ASSERT_TRUE(Create(request, &first).ok());
  EXPECT_EQ(first.volume().volume_id(), "s3v1:db:pvc-1");
  EXPECT_EQ(first.volume().capacity_bytes(), 1 << 30);
  EXPECT_EQ(first.volume().volume_context().at("bucket"), "pvc-1");
  EXPECT_EQ(last_access_.access_key_id, "AK");
  EXPECT_TRUE(store_->HeadBucket("pvc-1").ok());
  ASSERT_TRUE(Create(request, &second).ok());
  EXPECT_EQ(second.volume().volume_id(), first.volume().volume_id());

  // Same name, other capacity or parameters: ALREADY_EXISTS.
  request.mutable_capacity_range()->set_required_bytes(int64_t{2} << 30);
  EXPECT_EQ(Create(request, &second).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  auto other = Request("pvc-1", {{"reclaimData", "delete"}, {"uid", "1000"}});
  other.mutable_capacity_range()->set_required_bytes(1 << 30);
  EXPECT_EQ(Create(other, &second).error_code(), grpc::StatusCode::ALREADY_EXISTS);

  Put("pvc-1", "dir/file");
  ASSERT_TRUE(Delete(first.volume().volume_id()).ok());
  EXPECT_TRUE(store_->HeadBucket("pvc-1").IsNotFound());
  EXPECT_TRUE(Delete(first.volume().volume_id()).ok()) << "deleting twice is OK";
}

TEST_F(ControllerServiceTest, PrefixPerVolumeDeletesOnlyItsPrefix) {
  ASSERT_TRUE(store_->CreateBucket("shared").ok());
  Put("shared", "team/pvc-10/keep");  // a neighbour whose name starts the same
  csi::v1::CreateVolumeResponse response;
  ASSERT_TRUE(Create(Request("pvc-1", {{"bucket", "shared"}, {"prefix", "team"}, {"reclaimData", "delete"}}),
                     &response)
                  .ok());
  EXPECT_EQ(response.volume().volume_id(), "s3v1:dp:shared/team/pvc-1");
  EXPECT_EQ(response.volume().volume_context().at("prefix"), "team/pvc-1/");
  EXPECT_TRUE(Exists("shared", std::string("team/pvc-1/") + kMarkerName));
  Put("shared", "team/pvc-1/a");
  ASSERT_TRUE(Delete(response.volume().volume_id()).ok());
  EXPECT_FALSE(Exists("shared", "team/pvc-1/a"));
  EXPECT_TRUE(Exists("shared", "team/pvc-10/keep"));
  EXPECT_TRUE(store_->HeadBucket("shared").ok());
}

TEST_F(ControllerServiceTest, RetainKeepsData) {
  ASSERT_TRUE(store_->CreateBucket("shared").ok());
  csi::v1::CreateVolumeResponse response;
  ASSERT_TRUE(Create(Request("pvc-2", {{"bucket", "shared"}}), &response).ok());
  EXPECT_EQ(response.volume().volume_id(), "s3v1:rp:shared/pvc-2") << "retain is the default";
  Put("shared", "pvc-2/a");
  ASSERT_TRUE(Delete(response.volume().volume_id()).ok());
  EXPECT_TRUE(Exists("shared", "pvc-2/a"));
}

TEST_F(ControllerServiceTest, ErrorCodes) {
  csi::v1::CreateVolumeResponse response;
  EXPECT_EQ(Create(Request(""), &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Create(Request(std::string(129, 'a')), &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto no_caps = Request("pvc-3");
  no_caps.clear_volume_capabilities();
  EXPECT_EQ(Create(no_caps, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto block = Request("pvc-3");
  block.mutable_volume_capabilities(0)->mutable_block();
  EXPECT_EQ(Create(block, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Create(Request("pvc-3", {{"bukket", "x"}}), &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Create(Request("pvc-3", {{"bucket", "missing-bucket"}}), &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  auto half = Request("pvc-3");
  half.mutable_secrets()->erase("secretAccessKey");
  EXPECT_EQ(Create(half, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto huge = Request("pvc-3");
  (*huge.mutable_parameters())["mountOptions"] = std::string(5000, 'a');
  EXPECT_EQ(Create(huge, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // reclaimData=delete with an endpoint DeleteVolume would not know.
  EXPECT_EQ(Create(Request("pvc-3", {{"endpoint", "http://elsewhere:9000"}, {"reclaimData", "delete"}}), &response)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  auto long_prefix = Request("pvc-3", {{"bucket", "shared"}, {"prefix", std::string(120, 'p')}});
  EXPECT_EQ(Create(long_prefix, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  EXPECT_EQ(Delete("").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Delete("s3v1:dp:shared/../etc").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Delete(std::string(200, 'x')).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Delete("some-static-volume").ok());
  EXPECT_TRUE(Delete("s3v1:db:never-created").ok());
}

TEST_F(ControllerServiceTest, ValidateVolumeCapabilities) {
  csi::v1::CreateVolumeResponse created;
  ASSERT_TRUE(Create(Request("pvc-4"), &created).ok());
  csi::v1::ValidateVolumeCapabilitiesRequest request;
  request.set_volume_id(created.volume().volume_id());
  *request.mutable_volume_context() = created.volume().volume_context();
  *request.mutable_volume_capabilities() = Request("x").volume_capabilities();
  csi::v1::ValidateVolumeCapabilitiesResponse response;
  ASSERT_TRUE(service_.ValidateVolumeCapabilities(nullptr, &request, &response).ok());
  EXPECT_TRUE(response.has_confirmed());

  request.mutable_volume_capabilities(0)->mutable_block();
  response.Clear();
  ASSERT_TRUE(service_.ValidateVolumeCapabilities(nullptr, &request, &response).ok());
  EXPECT_FALSE(response.has_confirmed());
  EXPECT_FALSE(response.message().empty());

  request.set_volume_id("s3v1:db:no-such-volume");
  request.clear_volume_context();
  EXPECT_EQ(service_.ValidateVolumeCapabilities(nullptr, &request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ControllerServiceTest, ConcurrentCallsOnOneNameAreAborted) {
  // A store factory that blocks inside the first call lets a second one arrive meanwhile.
  std::mutex mu;
  std::condition_variable cv;
  bool inside = false, release = false;
  ControllerService blocking(
      [&](const S3Access&, const std::string&, const std::string&)
          -> s3core::Result<std::shared_ptr<s3core::ObjectStore>> {
        std::unique_lock lock(mu);
        inside = true;
        cv.notify_all();
        cv.wait(lock, [&] { return release; });
        return std::shared_ptr<s3core::ObjectStore>(store_);
      },
      "", std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>()));
  const auto request = Request("pvc-5");
  grpc::Status first_status;
  std::thread first([&] {
    csi::v1::CreateVolumeResponse response;
    first_status = blocking.CreateVolume(nullptr, &request, &response);
  });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return inside; }));
  }
  csi::v1::CreateVolumeResponse response;
  EXPECT_EQ(blocking.CreateVolume(nullptr, &request, &response).error_code(), grpc::StatusCode::ABORTED);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  first.join();
  EXPECT_TRUE(first_status.ok());
}

}  // namespace
}  // namespace s3csi

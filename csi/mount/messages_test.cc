#include "csi/mount/messages.h"

#include <gtest/gtest.h>

namespace s3csi {
namespace {

TEST(MessagesTest, StartRequestRoundTrip) {
  Request request;
  request.start.spec.volume_id = "vol";
  request.start.spec.bucket = "b";
  request.start.spec.prefix = "p/";
  request.start.spec.options = {"uid=1"};
  request.start.spec.read_only = true;
  request.start.spec.secrets = {"AK", "SK", "TOK"};
  request.start.fingerprint = "0123456789abcdef";
  request.start.target = "/t";
  auto decoded = DecodeRequest(EncodeRequest(request));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->op, Request::Op::kStart);
  const MountSpec& s = decoded->start.spec;
  EXPECT_EQ(s.volume_id, "vol");
  EXPECT_EQ(s.prefix, "p/");
  EXPECT_EQ(s.options, std::vector<std::string>{"uid=1"});
  EXPECT_TRUE(s.read_only);
  EXPECT_EQ(s.secrets.secret_access_key, "SK");
  EXPECT_EQ(s.secrets.session_token, "TOK");
  EXPECT_EQ(decoded->start.fingerprint, "0123456789abcdef");
}

TEST(MessagesTest, RefusesGarbage) {
  EXPECT_FALSE(DecodeRequest("not json").ok());
  EXPECT_FALSE(DecodeRequest("[1,2]").ok());
  EXPECT_FALSE(DecodeRequest("{\"op\":\"format-disk\"}").ok());
  EXPECT_FALSE(DecodeRequest("{\"op\":\"start\"}").ok());
  EXPECT_FALSE(DecodeRequest("{\"op\":\"start\",\"spec\":{\"bucket\":7}}").ok());
  EXPECT_FALSE(DecodeRequest("{\"op\":\"start\",\"spec\":{\"options\":[1]}}").ok());
}

TEST(MessagesTest, ResponsesCarryKindAndMounts) {
  Response error;
  error.status = s3core::Status::Error(s3core::ErrorKind::kAccessDenied, "bad key");
  auto decoded = DecodeResponse(EncodeResponse(error));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->status.kind(), s3core::ErrorKind::kAccessDenied);
  EXPECT_EQ(decoded->status.message(), "bad key");

  Response list;
  list.mounts.push_back({"v", "f", "/t", 42});
  decoded = DecodeResponse(EncodeResponse(list));
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->status.ok());
  ASSERT_EQ(decoded->mounts.size(), 1u);
  EXPECT_EQ(decoded->mounts[0].pid, 42);
  EXPECT_EQ(ErrorKindFromName("nonsense"), s3core::ErrorKind::kInternal);
}

}  // namespace
}  // namespace s3csi

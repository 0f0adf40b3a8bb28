#include "csi/common/grpc_status.h"

#include <gtest/gtest.h>

namespace s3csi {
namespace {

using s3core::ErrorKind;
using s3core::Status;

TEST(GrpcStatusTest, MapsEveryKind) {
  EXPECT_TRUE(ToGrpc(Status()).ok());
  EXPECT_EQ(ToGrpc(Status::InvalidArgument("x")).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ToGrpc(Status::NotFound("x")).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ToGrpcCode(ErrorKind::kAccessDenied), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ToGrpcCode(ErrorKind::kAlreadyExists), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ToGrpcCode(ErrorKind::kCredentials), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ToGrpcCode(ErrorKind::kNetwork), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ToGrpcCode(ErrorKind::kTimeout), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(ToGrpcCode(ErrorKind::kNotImplemented), grpc::StatusCode::UNIMPLEMENTED);
  for (int k = 1; k <= static_cast<int>(ErrorKind::kInternal); ++k) {
    EXPECT_NE(ToGrpcCode(static_cast<ErrorKind>(k)), grpc::StatusCode::OK) << k;
  }
  const auto s3 = Status::FromS3(403, "AccessDenied", "denied", "tx1");
  const auto grpc_status = ToGrpc(s3);
  EXPECT_EQ(grpc_status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(grpc_status.error_message().find("tx1"), std::string::npos);
}

}  // namespace
}  // namespace s3csi

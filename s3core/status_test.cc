#include "s3core/status.h"

#include <gtest/gtest.h>

namespace s3core {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.kind(), ErrorKind::kOk);
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_FALSE(s.IsRetryable());
}

TEST(StatusTest, FromS3KeepsTheCause) {
  Status s = Status::FromS3(404, "NoSuchKey", "The specified key does not exist.", "tx00000abc");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_EQ(s.http_status(), 404);
  EXPECT_EQ(s.s3_code(), "NoSuchKey");
  EXPECT_EQ(s.request_id(), "tx00000abc");
  EXPECT_EQ(s.ToString(), "NotFound: The specified key does not exist. [NoSuchKey] (HTTP 404, request id tx00000abc)");
}

TEST(StatusTest, EmptyMessageStillReadable) {
  // RGW 16 sends an empty <Message>.
  Status s = Status::FromS3(409, "BucketNotEmpty", "", "");
  EXPECT_EQ(s.kind(), ErrorKind::kConflict);
  EXPECT_EQ(s.ToString(), "Conflict: [BucketNotEmpty] (HTTP 409)");
}

TEST(StatusTest, ClassifiesByCodeThenStatus) {
  EXPECT_EQ(ClassifyS3Error(503, "SlowDown"), ErrorKind::kThrottled);
  EXPECT_EQ(ClassifyS3Error(403, "SignatureDoesNotMatch"), ErrorKind::kAccessDenied);
  EXPECT_EQ(ClassifyS3Error(412, ""), ErrorKind::kPreconditionFailed);
  EXPECT_EQ(ClassifyS3Error(304, ""), ErrorKind::kPreconditionFailed);
  EXPECT_EQ(ClassifyS3Error(500, ""), ErrorKind::kServerError);
  EXPECT_EQ(ClassifyS3Error(400, "RequestTimeout"), ErrorKind::kTimeout);
  EXPECT_EQ(ClassifyS3Error(400, "InvalidArgument"), ErrorKind::kInvalidArgument);
  EXPECT_EQ(ClassifyS3Error(409, "BucketAlreadyOwnedByYou"), ErrorKind::kAlreadyExists);
  EXPECT_EQ(ClassifyS3Error(416, ""), ErrorKind::kRangeNotSatisfiable);
  EXPECT_EQ(ClassifyS3Error(200, ""), ErrorKind::kUnexpectedResponse);
}

TEST(StatusTest, RetryableKinds) {
  EXPECT_TRUE(Status::FromS3(503, "SlowDown", "", "").IsRetryable());
  EXPECT_TRUE(Status::FromS3(500, "InternalError", "", "").IsRetryable());
  EXPECT_TRUE(Status::Transport(true, 28, "timeout").IsRetryable());
  EXPECT_TRUE(Status::Transport(false, 7, "refused").IsRetryable());
  EXPECT_FALSE(Status::FromS3(403, "AccessDenied", "", "").IsRetryable());
  EXPECT_FALSE(Status::FromS3(404, "NoSuchKey", "", "").IsRetryable());
  EXPECT_FALSE(Status::InvalidArgument("x").IsRetryable());
  // An untrusted certificate will not become trusted by trying again.
  EXPECT_FALSE(Status::Transport(false, 60, "SSL peer certificate was not OK").IsRetryable());
  EXPECT_FALSE(Status::Transport(false, 77, "error setting certificate file").IsRetryable());
}

TEST(StatusTest, WithContextPrependsAndKeepsFields) {
  Status s = Status::FromS3(404, "NoSuchBucket", "gone", "r1").WithContext("HeadBucket b");
  EXPECT_EQ(s.message(), "HeadBucket b: gone");
  EXPECT_EQ(s.s3_code(), "NoSuchBucket");
  EXPECT_EQ(s.request_id(), "r1");
  EXPECT_TRUE(Status().WithContext("x").ok());
}

TEST(StatusTest, ErrorIsNeverOk) {
  EXPECT_FALSE(Status::Error(ErrorKind::kOk, "odd").ok());
}

Result<int> Half(int v) {
  if (v % 2 != 0) return Status::InvalidArgument("odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  S3_ASSIGN_OR_RETURN(int h, Half(v));
  S3_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(ResultTest, ValueOrStatusAndMacros) {
  auto r = Quarter(8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 2);
  auto bad = Quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_TRUE(r.status().ok());
}

}  // namespace
}  // namespace s3core

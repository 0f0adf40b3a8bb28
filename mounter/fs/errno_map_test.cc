#include <gtest/gtest.h>

#include <cerrno>

#include "mounter/fs/fs_types.h"

namespace mounter {
namespace {

struct Case {
  s3core::Status status;
  int expected;
};

TEST(ErrnoMapTest, MapsEveryKindToAMeaningfulErrno) {
  using s3core::Status;
  const Case cases[] = {
      {Status::FromS3(404, "NoSuchKey", "", "r1"), ENOENT},
      {Status::FromS3(403, "AccessDenied", "", "r2"), EACCES},
      {Status::FromS3(409, "BucketNotEmpty", "", "r3"), ENOTEMPTY},
      {Status::FromS3(412, "PreconditionFailed", "", "r4"), EIO},
      {Status::FromS3(503, "SlowDown", "", "r5"), EIO},
      {Status::FromS3(500, "InternalError", "", "r6"), EIO},
      {Status::FromS3(416, "InvalidRange", "", "r7"), EINVAL},
      {Status::Transport(true, 28, "timed out"), ETIMEDOUT},
      {Status::Transport(false, 7, "connection refused"), EIO},
      {Status::InvalidArgument("bad"), EINVAL},
      {Status::Io("disk"), EIO},
      {Status::Error(s3core::ErrorKind::kNotImplemented, "x"), ENOSYS},
      {Status::Error(s3core::ErrorKind::kCredentials, "x"), EACCES},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FsError::FromStatus(c.status, "ctx").errno_value(), c.expected) << c.status.ToString();
  }
}

TEST(ErrnoMapTest, OkStatusNeverBecomesSuccess) {
  EXPECT_EQ(FsError::FromStatus(s3core::Status(), "ctx").errno_value(), EIO);
}

TEST(ErrnoMapTest, ToStringNamesTheRequestId) {
  auto error = FsError::FromStatus(s3core::Status::FromS3(500, "InternalError", "boom", "tx000abc"), "PutObject b/k");
  std::string text = error.ToString();
  EXPECT_NE(text.find("PutObject b/k"), std::string::npos) << text;
  EXPECT_NE(text.find("tx000abc"), std::string::npos) << text;
  EXPECT_NE(text.find("errno 5"), std::string::npos) << text;
}

}  // namespace
}  // namespace mounter

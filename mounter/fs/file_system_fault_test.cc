// The file system under injected S3 faults: errors reach the caller with the right errno, in
// bounded time, and no written data is lost.
#include <chrono>

#include "mounter/fs/fs_test_util.h"

namespace mounter::testing {
namespace {

using s3core::Status;
using s3core::testing::FaultRule;
using s3core::testing::StoreOperation;

TEST_F(FsTest, UploadFailureIsEioAndTheDataIsKeptForTheNextFlush) {
  auto& fs = Fs();
  auto created = fs.Create(kRootIno, "f", 0644, O_WRONLY | O_CREAT, user_);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(fs.Write(created->entry.ino, created->fh, 0, "precious").ok());
  faults_->AddRule(FaultRule::NextN(StoreOperation::kPutObject, 1, Status::FromS3(503, "SlowDown", "slow", "req-42")));
  auto failed = fs.Flush(created->entry.ino, created->fh);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().errno_value(), EIO);
  EXPECT_NE(failed.error().ToString().find("req-42"), std::string::npos) << failed.error().ToString();
  EXPECT_EQ(Object("f"), "");
  ASSERT_TRUE(fs.Flush(created->entry.ino, created->fh).ok());
  EXPECT_EQ(Object("f"), "precious");
  ASSERT_TRUE(fs.Release(created->entry.ino, created->fh).ok());
}

TEST_F(FsTest, FailedUploadAtReleaseIsRetriedByFlushAll) {
  auto& fs = Fs();
  auto created = fs.Create(kRootIno, "f", 0644, O_WRONLY | O_CREAT, user_);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(fs.Write(created->entry.ino, created->fh, 0, "kept").ok());
  faults_->AddRule(FaultRule::NextN(StoreOperation::kPutObject, 1, Status::FromS3(500, "InternalError", "", "r")));
  EXPECT_EQ(Errno(fs.Release(created->entry.ino, created->fh)), EIO);
  ASSERT_TRUE(fs.FlushAll().ok());
  EXPECT_EQ(Object("f"), "kept");
}

TEST_F(FsTest, FailedStreamedPartIsKeptAndRetriedByTheNextFlush) {
  FsConfig config = TestConfig();
  config.multipart_size = 1024;
  auto& fs = Fs(config);
  auto created = fs.Create(kRootIno, "f", 0644, O_WRONLY | O_CREAT, user_);
  ASSERT_TRUE(created.ok());
  // The four parts fail in the background during the write, and the first retry at flush too.
  faults_->AddRule(FaultRule::NextN(StoreOperation::kUploadPart, 5, Status::FromS3(503, "SlowDown", "", "r")));
  ASSERT_TRUE(fs.Write(created->entry.ino, created->fh, 0, std::string(4096, 'x')).ok());
  EXPECT_EQ(Errno(fs.Flush(created->entry.ino, created->fh)), EIO);
  EXPECT_FALSE(Object("f").has_value() && Object("f")->size() == 4096u);
  EXPECT_EQ(memory_->PendingUploadCount(kBucket), 1u);  // kept, with its parts, for the retry
  ASSERT_TRUE(fs.Flush(created->entry.ino, created->fh).ok());
  EXPECT_EQ(Object("f"), std::string(4096, 'x'));
  EXPECT_EQ(memory_->PendingUploadCount(kBucket), 0u);
  ASSERT_TRUE(fs.Release(created->entry.ino, created->fh).ok());
}

TEST_F(FsTest, UnlinkedStreamingFileAbortsItsUpload) {
  FsConfig config = TestConfig();
  config.multipart_size = 1024;
  auto& fs = Fs(config);
  auto created = fs.Create(kRootIno, "f", 0644, O_WRONLY | O_CREAT, user_);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(fs.Write(created->entry.ino, created->fh, 0, std::string(4096, 'x')).ok());
  ASSERT_TRUE(fs.Unlink(kRootIno, "f", user_).ok());
  ASSERT_TRUE(fs.Release(created->entry.ino, created->fh).ok());
  EXPECT_EQ(memory_->PendingUploadCount(kBucket), 0u);
  EXPECT_FALSE(Object("f").has_value());
}

TEST_F(FsTest, TimeoutsAreEtimedoutAndDoNotHang) {
  memory_->PutDirect(kBucket, "f", "x");
  auto& fs = Fs();
  faults_->AddRule(FaultRule::Always(std::nullopt, Status::Transport(true, 28, "operation timed out"))
                       .WithDelay(std::chrono::milliseconds(20)));
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Errno(fs.Lookup(kRootIno, "f", user_)), ETIMEDOUT);
  EXPECT_EQ(Errno(fs.Mkdir(kRootIno, "d", 0755, user_)), ETIMEDOUT);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  faults_->ClearRules();
  EXPECT_TRUE(fs.Lookup(kRootIno, "f", user_).ok());  // a failure is not cached as absence
}

TEST_F(FsTest, UnreachableEndpointFailsInit) {
  faults_->AddRule(FaultRule::Always(StoreOperation::kHeadBucket, Status::Transport(false, 7, "connection refused")));
  auto status = Fs().Init();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().errno_value(), EIO);
  EXPECT_NE(status.error().ToString().find("unreachable"), std::string::npos);
}

TEST_F(FsTest, AccessDeniedIsEacces) {
  memory_->PutDirect(kBucket, "f", "x");
  auto& fs = Fs();
  faults_->AddRule(FaultRule::Always(StoreOperation::kHeadObject, Status::FromS3(403, "AccessDenied", "", "r")));
  EXPECT_EQ(Errno(fs.Lookup(kRootIno, "f", user_)), EACCES);
}

TEST_F(FsTest, ReadFailureMidStreamIsAnError) {
  memory_->PutDirect(kBucket, "f", std::string(1000, 'a'));
  auto& fs = Fs();
  auto f = fs.Lookup(kRootIno, "f", user_);
  ASSERT_TRUE(f.ok());
  auto fh = fs.Open(f->ino, O_RDONLY, user_);
  ASSERT_TRUE(fh.ok());
  faults_->AddRule(FaultRule::NextN(StoreOperation::kGetObject, 1, Status::Transport(false, 56, "reset"))
                       .CutBodyAfter(100));
  char buf[1000];
  EXPECT_EQ(Errno(fs.Read(f->ino, *fh, 0, sizeof buf, buf)), EIO);
  auto n = fs.Read(f->ino, *fh, 0, sizeof buf, buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1000u);
  ASSERT_TRUE(fs.Release(f->ino, *fh).ok());
}

}  // namespace
}  // namespace mounter::testing

// The data path of the file system: streaming uploads, partial updates with server-side
// copies, read-ahead and the memory budget, checked by the requests they send.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <thread>
#include <iterator>
#include <string>

#include "mounter/fs/fs_test_util.h"
#include "mounter/fs/object_transfer.h"
#include "mounter/fs/range_set.h"

namespace mounter {
namespace {

using testing::FsTest;
using testing::kBucket;
using testing::TestConfig;

constexpr uint64_t kPart = 1024;

FsConfig SmallParts() {
  FsConfig config = TestConfig();
  config.multipart_size = kPart;
  return config;
}

// Bytes that differ at every offset and between seeds, so a misplaced range shows.
std::string Pattern(size_t size, int seed) {
  std::string out(size, '\0');
  uint32_t x = 2654435761u * static_cast<uint32_t>(seed + 1);
  for (auto& c : out) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

class DataPathTest : public FsTest {
 protected:
  // Opens `ino`, writes `data` at `offset`, flushes and closes.
  void WriteAt(Ino ino, uint64_t offset, const std::string& data, int flags = O_WRONLY) {
    auto fh = fs_->Open(ino, flags, user_);
    ASSERT_TRUE(fh.ok()) << fh.error().ToString();
    ASSERT_TRUE(fs_->Write(ino, *fh, static_cast<off_t>(offset), data).ok());
    auto flushed = fs_->Flush(ino, *fh);
    ASSERT_TRUE(flushed.ok()) << flushed.error().ToString();
    ASSERT_TRUE(fs_->Release(ino, *fh).ok());
  }
};

TEST_F(DataPathTest, SequentialNewFileStreamsPartsWithoutAPut) {
  auto& fs = Fs(SmallParts());
  auto created = fs.Create(kRootIno, "s", 0644, O_WRONLY | O_CREAT, user_);
  ASSERT_TRUE(created.ok());
  memory_->ResetCounters();
  const std::string data = Pattern(10 * kPart + 100, 1);
  for (size_t at = 0; at < data.size(); at += 700) {
    ASSERT_TRUE(fs.Write(created->entry.ino, created->fh, static_cast<off_t>(at), data.substr(at, 700)).ok());
  }
  // Full parts go out in the background while writing, before any flush.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (memory_->RequestCount("UploadPart") < 10u && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(memory_->RequestCount("UploadPart"), 10u);
  ASSERT_TRUE(fs.Release(created->entry.ino, created->fh).ok());
  EXPECT_EQ(Object("s"), data);
  EXPECT_EQ(memory_->RequestCount("UploadPart"), 11u);  // 10 full parts and the 100-byte tail
  EXPECT_EQ(memory_->RequestCount("PutObject"), 0u);
  EXPECT_EQ(Meta("s", "mode"), std::to_string(S_IFREG | 0644));
}

TEST_F(DataPathTest, SmallNewFileIsOnePut) {
  auto& fs = Fs(SmallParts());
  auto created = fs.Create(kRootIno, "small", 0644, O_WRONLY | O_CREAT, user_);
  ASSERT_TRUE(created.ok());
  memory_->ResetCounters();
  ASSERT_TRUE(fs.Write(created->entry.ino, created->fh, 0, "hello").ok());
  ASSERT_TRUE(fs.Release(created->entry.ino, created->fh).ok());
  EXPECT_EQ(Object("small"), "hello");
  EXPECT_EQ(memory_->RequestCount("PutObject"), 1u);
  EXPECT_EQ(memory_->RequestCount("CreateMultipartUpload"), 0u);
}

TEST_F(DataPathTest, SeekBackWhileStreamingKeepsEveryByte) {
  auto& fs = Fs(SmallParts());
  auto created = fs.Create(kRootIno, "seek", 0644, O_RDWR | O_CREAT, user_);
  ASSERT_TRUE(created.ok());
  std::string expected = Pattern(5 * kPart + 10, 2);
  ASSERT_TRUE(fs.Write(created->entry.ino, created->fh, 0, expected).ok());
  // Overwrite inside an uploaded part, then append: the stream is handed over to staging.
  ASSERT_TRUE(fs.Write(created->entry.ino, created->fh, 100, "XYZ").ok());
  expected.replace(100, 3, "XYZ");
  ASSERT_TRUE(fs.Write(created->entry.ino, created->fh, static_cast<off_t>(expected.size()), "tail").ok());
  expected += "tail";
  char buf[8];
  auto n = fs.Read(created->entry.ino, created->fh, 99, 5, buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf, *n), expected.substr(99, 5));
  ASSERT_TRUE(fs.Release(created->entry.ino, created->fh).ok());
  EXPECT_EQ(Object("seek"), expected);
  EXPECT_EQ(memory_->PendingUploadCount(kBucket), 0u);
}

TEST_F(DataPathTest, OneByteChangeUploadsOnePartAndCopiesTheRest) {
  Fs(SmallParts());
  const std::string original = Pattern(10 * kPart, 3);
  Ino ino = WriteFile(kRootIno, "big", original);
  memory_->ResetCounters();
  WriteAt(ino, 4 * kPart + 17, "!");
  std::string expected = original;
  expected[4 * kPart + 17] = '!';
  EXPECT_EQ(Object("big"), expected);
  EXPECT_EQ(memory_->RequestCount("UploadPart"), 1u);
  // [0, 4113) in 4 copies, [4113, 5137) uploaded (one minimum-size part), the rest in 4 copies.
  EXPECT_EQ(memory_->RequestCount("UploadPartCopy"), 8u);
  EXPECT_EQ(memory_->RequestCount("PutObject"), 0u);
  // Only the changed part's bytes were downloaded (to upload it whole), nothing else.
  EXPECT_EQ(memory_->RequestCount("GetObject"), 1u);
}

TEST_F(DataPathTest, AppendCopiesTheExistingPartsAndUploadsTheNewBytes) {
  Fs(SmallParts());
  const std::string original = Pattern(4 * kPart, 4);
  Ino ino = WriteFile(kRootIno, "log", original);
  memory_->ResetCounters();
  WriteAt(ino, 0, "appended line\n", O_WRONLY | O_APPEND);
  EXPECT_EQ(Object("log"), original + "appended line\n");
  EXPECT_EQ(memory_->RequestCount("UploadPartCopy"), 4u);
  EXPECT_EQ(memory_->RequestCount("UploadPart"), 1u);
  EXPECT_EQ(memory_->RequestCount("GetObject"), 0u);
}

TEST_F(DataPathTest, TruncateShrinkAndExtendAreExact) {
  auto& fs = Fs(SmallParts());
  const std::string original = Pattern(6 * kPart, 5);
  Ino ino = WriteFile(kRootIno, "t", original);
  auto fh = fs.Open(ino, O_RDWR, user_);
  ASSERT_TRUE(fh.ok());
  SetAttrRequest shrink;
  shrink.size = 2 * kPart + 5;
  auto shrunk = fs.SetAttr(ino, shrink, user_);
  ASSERT_TRUE(shrunk.ok()) << shrunk.error().ToString();
  SetAttrRequest extend;
  extend.size = 3 * kPart;
  auto extended = fs.SetAttr(ino, extend, user_);
  ASSERT_TRUE(extended.ok()) << extended.error().ToString();
  auto released = fs.Release(ino, *fh);
  ASSERT_TRUE(released.ok()) << released.error().ToString();
  std::string expected = original.substr(0, 2 * kPart + 5) + std::string(kPart - 5, '\0');
  EXPECT_EQ(Object("t"), expected);
}

TEST_F(DataPathTest, ChangedBaseFailsTheUploadInsteadOfMixingVersions) {
  auto& fs = Fs(SmallParts());
  Ino ino = WriteFile(kRootIno, "f", Pattern(8 * kPart, 6));
  auto fh = fs.Open(ino, O_RDWR, user_);
  ASSERT_TRUE(fh.ok());
  ASSERT_TRUE(fs.Write(ino, *fh, 10, "x").ok());
  memory_->PutDirect(kBucket, "f", Pattern(8 * kPart, 7));  // another writer
  EXPECT_EQ(Errno(fs.Flush(ino, *fh)), EIO);
  EXPECT_EQ(Object("f"), Pattern(8 * kPart, 7));  // the other writer's version is intact
  (void)fs.Release(ino, *fh);
}

TEST_F(DataPathTest, SequentialReadsAreServedByFewGrowingRequests) {
  FsConfig config = TestConfig();
  auto& fs = Fs(config);
  const std::string data = Pattern(40 << 20, 8);
  memory_->PutDirect(kBucket, "seq", data);
  auto entry = fs.Lookup(kRootIno, "seq", user_);
  ASSERT_TRUE(entry.ok());
  auto fh = fs.Open(entry->ino, O_RDONLY, user_);
  ASSERT_TRUE(fh.ok());
  memory_->ResetCounters();
  std::string got;
  std::string buf(128 << 10, '\0');
  for (;;) {
    auto n = fs.Read(entry->ino, *fh, static_cast<off_t>(got.size()), buf.size(), buf.data());
    ASSERT_TRUE(n.ok()) << n.error().ToString();
    if (*n == 0) break;
    got.append(buf.data(), *n);
  }
  EXPECT_EQ(got, data);
  // 320 reads of 128 KiB; chunks grow from 1 MiB to 8 MiB: a handful of GETs.
  EXPECT_LE(memory_->RequestCount("GetObject"), 12u);
  EXPECT_GE(memory_->RequestCount("GetObject"), 5u);
  ASSERT_TRUE(fs.Release(entry->ino, *fh).ok());
}

TEST_F(DataPathTest, RandomReadsFetchOnlyWhatIsAsked) {
  auto& fs = Fs();
  const std::string data = Pattern(64 << 20, 9);
  memory_->PutDirect(kBucket, "rnd", data);
  auto entry = fs.Lookup(kRootIno, "rnd", user_);
  ASSERT_TRUE(entry.ok());
  auto fh = fs.Open(entry->ino, O_RDONLY, user_);
  ASSERT_TRUE(fh.ok());
  memory_->ResetCounters();
  // A reader jumping around: each read is one small GET, nothing is read ahead.
  const uint64_t offsets[] = {50 << 20, 3 << 20, 60 << 20, 10 << 20, 33 << 20, 7 << 20};
  char buf[4096];
  for (uint64_t offset : offsets) {
    auto n = fs.Read(entry->ino, *fh, static_cast<off_t>(offset + 100), sizeof buf, buf);
    ASSERT_TRUE(n.ok());
    ASSERT_EQ(std::string(buf, *n), data.substr(offset + 100, sizeof buf));
  }
  EXPECT_EQ(memory_->RequestCount("GetObject"), std::size(offsets));
  ASSERT_TRUE(fs.Release(entry->ino, *fh).ok());
}

TEST_F(DataPathTest, MemoryBudgetBoundsReadAhead) {
  FsConfig config = TestConfig();
  config.memory_limit = 4 << 20;  // smaller than one full window
  auto& fs = Fs(config);
  const std::string data = Pattern(48 << 20, 10);
  memory_->PutDirect(kBucket, "b", data);
  auto entry = fs.Lookup(kRootIno, "b", user_);
  ASSERT_TRUE(entry.ok());
  auto fh = fs.Open(entry->ino, O_RDONLY, user_);
  ASSERT_TRUE(fh.ok());
  std::string got;
  std::string buf(1 << 20, '\0');
  for (;;) {
    auto n = fs.Read(entry->ino, *fh, static_cast<off_t>(got.size()), buf.size(), buf.data());
    ASSERT_TRUE(n.ok()) << n.error().ToString();
    if (*n == 0) break;
    got.append(buf.data(), *n);
  }
  EXPECT_EQ(got, data);  // still correct, just less read-ahead
  ASSERT_TRUE(fs.Release(entry->ino, *fh).ok());
}

TEST(PlanChangedPartsTest, EveryPartButTheLastHasTheMinimumSize) {
  constexpr uint64_t kMin = 5, kPartSize = 10, kSize = 200;
  RangeSet dirty;
  dirty.Add(3, 4);     // near the start: joins the first part
  dirty.Add(50, 51);   // alone
  dirty.Add(53, 60);   // close to the previous one: the same uploaded part
  dirty.Add(197, 198);  // near the end
  auto layout = PlanChangedParts(kSize, /*copyable=*/190, dirty, kPartSize, kMin);
  ASSERT_FALSE(layout.empty());
  uint64_t cursor = 0;
  for (size_t i = 0; i < layout.size(); ++i) {
    EXPECT_EQ(layout[i].begin, cursor) << i;
    if (i + 1 < layout.size()) {
      EXPECT_GE(layout[i].size(), kMin) << i;
    }
    cursor = layout[i].end;
  }
  EXPECT_EQ(cursor, kSize);
  // The changed bytes are in parts no bigger than they need to be.
  uint64_t uploaded = 0;
  for (const auto& part : layout) {
    if (dirty.Intersects(part.begin, part.end) || part.end > 190) uploaded += part.size();
  }
  EXPECT_LE(uploaded, 5u + 10u + 10u);  // [0,5), [50,60), [190,200)
}

TEST_F(DataPathTest, ForeignXattrNamespacesAnswerWithoutARequest) {
  auto& fs = Fs();
  memory_->PutDirect(kBucket, "f", "x");
  auto entry = fs.Lookup(kRootIno, "f", user_);
  ASSERT_TRUE(entry.ok());
  memory_->ResetCounters();
  // What ls -l asks of every entry.
  EXPECT_EQ(Errno(fs.GetXattr(entry->ino, "security.selinux")), ENODATA);
  EXPECT_EQ(Errno(fs.GetXattr(entry->ino, "system.posix_acl_access")), ENODATA);
  EXPECT_EQ(memory_->TotalRequestCount(), 0u);
}

}  // namespace
}  // namespace mounter

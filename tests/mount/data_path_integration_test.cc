// s3mount's data path on a real mount against RGW: streamed uploads, in-place changes with
// server-side copies, appends, read-ahead under concurrent readers, and the data cache.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "tests/mount/mount_harness.h"

namespace s3mount_it {
namespace {

constexpr size_t kMiB = 1 << 20;

class DataPathMountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    if (!fixture_.SetUp(reason)) {
      if (s3core::testing::RgwRequired()) FAIL() << reason;
      GTEST_SKIP() << reason;
    }
    client_ = s3core::testing::MakeClient(fixture_.env());
  }
  void TearDown() override { fixture_.TearDown(); }

  void MountOrFail(const std::string& extra = "") {
    ProcessResult r = fixture_.Mount(extra);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  std::string Etag(const std::string& key) {
    s3core::HeadObjectRequest head;
    head.bucket = fixture_.bucket();
    head.key = key;
    auto info = client_->HeadObject(head);
    return info.ok() ? info->etag : "<" + info.status().ToString() + ">";
  }
  static bool PWrite(int fd, const std::string& data, off_t offset) {
    return pwrite(fd, data.data(), data.size(), offset) == static_cast<ssize_t>(data.size());
  }

  MountFixture fixture_;
  std::shared_ptr<s3core::S3Client> client_;
};

TEST_F(DataPathMountTest, SequentialWriteStreamsAsMultipart) {
  MountOrFail("multipart_size=5");
  const std::string data = s3core::testing::PatternBytes(23 * kMiB + 123, 1);
  int fd = open(fixture_.Path("streamed").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  for (size_t at = 0; at < data.size(); at += kMiB) {
    ASSERT_TRUE(PWrite(fd, data.substr(at, kMiB), static_cast<off_t>(at)));
  }
  ASSERT_EQ(close(fd), 0);
  EXPECT_EQ(fixture_.GetObject("streamed"), data);
  EXPECT_EQ(Etag("streamed").substr(Etag("streamed").size() - 2), "-5");  // 4 full parts and the tail
}

TEST_F(DataPathMountTest, OneByteChangeInPlaceKeepsEveryOtherByte) {
  const std::string original = s3core::testing::PatternBytes(27 * kMiB, 2);
  ASSERT_EQ(fixture_.PutObject("big", original), "");
  MountOrFail("multipart_size=5");
  int fd = open(fixture_.Path("big").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(PWrite(fd, "!", 17 * kMiB + 3));
  ASSERT_EQ(close(fd), 0);  // flush: 3 + 1 parts copied server-side, 1 part of 5 MiB uploaded
  std::string expected = original;
  expected[17 * kMiB + 3] = '!';
  EXPECT_EQ(fixture_.GetObject("big"), expected);
  EXPECT_EQ(Etag("big").substr(Etag("big").size() - 2), "-5");
  EXPECT_EQ(ReadFile(fixture_.Path("big")), expected);
}

TEST_F(DataPathMountTest, AppendAndTruncateOfAnExistingObject) {
  const std::string original = s3core::testing::PatternBytes(11 * kMiB, 3);
  ASSERT_EQ(fixture_.PutObject("log", original), "");
  MountOrFail("multipart_size=5");
  int fd = open(fixture_.Path("log").c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "more\n", 5), 5);
  ASSERT_EQ(close(fd), 0);
  EXPECT_EQ(fixture_.GetObject("log"), original + "more\n");
  ASSERT_EQ(truncate(fixture_.Path("log").c_str(), 6 * kMiB + 1), 0);
  EXPECT_EQ(fixture_.GetObject("log"), original.substr(0, 6 * kMiB + 1));
}

TEST_F(DataPathMountTest, SeekBackWhileWritingANewFile) {
  MountOrFail("multipart_size=5");
  std::string expected = s3core::testing::PatternBytes(12 * kMiB, 4);
  int fd = open(fixture_.Path("seek").c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(PWrite(fd, expected, 0));
  ASSERT_TRUE(PWrite(fd, "HEAD", 100));  // inside a part already uploaded
  expected.replace(100, 4, "HEAD");
  ASSERT_TRUE(PWrite(fd, "tail", static_cast<off_t>(expected.size())));
  expected += "tail";
  ASSERT_EQ(close(fd), 0);
  EXPECT_EQ(fixture_.GetObject("seek"), expected);
  EXPECT_EQ(ReadFile(fixture_.Path("seek")), expected);
}

TEST_F(DataPathMountTest, ConcurrentSequentialAndRandomReadersSeeTheObject) {
  const std::string data = s3core::testing::PatternBytes(40 * kMiB + 7, 5);
  ASSERT_EQ(fixture_.PutObject("data", data), "");
  MountOrFail();
  std::vector<std::thread> readers;
  std::vector<int> failures(4, 0);
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&, r] {
      int fd = open(fixture_.Path("data").c_str(), O_RDONLY);
      if (fd < 0) {
        failures[r] = 1;
        return;
      }
      std::string buf(kMiB, '\0');
      if (r < 2) {  // sequential, whole file
        std::string got;
        for (;;) {
          ssize_t n = read(fd, buf.data(), buf.size());
          if (n <= 0) break;
          got.append(buf.data(), static_cast<size_t>(n));
        }
        failures[r] = got == data ? 0 : 2;
      } else {  // random 64 KiB reads
        unsigned seed = static_cast<unsigned>(r);
        for (int i = 0; i < 40 && failures[r] == 0; ++i) {
          size_t offset = static_cast<size_t>(rand_r(&seed)) % (data.size() - 65536);
          ssize_t n = pread(fd, buf.data(), 65536, static_cast<off_t>(offset));
          if (n != 65536 || buf.compare(0, 65536, data, offset, 65536) != 0) failures[r] = 3;
        }
      }
      close(fd);
    });
  }
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST_F(DataPathMountTest, DataCacheSurvivesRemountAndNeverServesStaleBytes) {
  const std::string cache = fixture_.work_dir() + "/cache";
  const std::string v1 = s3core::testing::PatternBytes(3 * kMiB, 6);
  ASSERT_EQ(fixture_.PutObject("f", v1), "");
  MountOrFail("use_cache=" + cache + ",cache_size_mb=64");
  EXPECT_EQ(ReadFile(fixture_.Path("f")), v1);
  ASSERT_TRUE(fixture_.Unmount());
  // Blocks were stored, under the bucket's cache directory.
  EXPECT_EQ(system(("test -n \"$(ls -A " + cache + "/.s3mount-" + fixture_.bucket() + ")\"").c_str()), 0);
  // Another writer replaces the object with content of the same size.
  const std::string v2 = s3core::testing::PatternBytes(3 * kMiB, 7);
  ASSERT_EQ(fixture_.PutObject("f", v2), "");
  MountOrFail("use_cache=" + cache + ",cache_size_mb=64");
  EXPECT_EQ(ReadFile(fixture_.Path("f")), v2);
  EXPECT_EQ(ReadFile(fixture_.Path("f")), v2);  // now from the cache
}

}  // namespace
}  // namespace s3mount_it

#include "s3core/body.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace s3core {
namespace {

std::string Drain(BodySource& src, size_t chunk) {
  std::string out;
  std::string buf(chunk, '\0');
  for (;;) {
    auto n = src.Read(buf.data(), buf.size());
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    if (!n.ok() || *n == 0) break;
    out.append(buf.data(), *n);
  }
  return out;
}

TEST(BodyTest, BufferSourceReadsAndRewinds) {
  BufferSource src("hello world");
  EXPECT_EQ(src.Size(), 11u);
  EXPECT_EQ(Drain(src, 4), "hello world");
  EXPECT_TRUE(src.Rewind());
  EXPECT_EQ(Drain(src, 100), "hello world");
  ASSERT_TRUE(src.Contiguous().has_value());
}

class TempFile {
 public:
  TempFile() {
    char path[] = "/tmp/s3core_body_XXXXXX";
    fd_ = mkstemp(path);
    path_ = path;
  }
  ~TempFile() {
    close(fd_);
    unlink(path_.c_str());
  }
  int fd() const { return fd_; }

 private:
  int fd_;
  std::string path_;
};

TEST(BodyTest, FileRangeSourceReadsOnlyItsRange) {
  TempFile f;
  ASSERT_EQ(write(f.fd(), "0123456789", 10), 10);
  FileRangeSource src(f.fd(), 3, 4);
  EXPECT_EQ(Drain(src, 3), "3456");
  EXPECT_TRUE(src.Rewind());
  EXPECT_EQ(Drain(src, 2), "3456");
}

TEST(BodyTest, FileRangeSourceFailsOnShortFile) {
  TempFile f;
  ASSERT_EQ(write(f.fd(), "012", 3), 3);
  FileRangeSource src(f.fd(), 0, 10);
  char buf[16];
  auto n = src.Read(buf, sizeof buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 3u);
  auto again = src.Read(buf, sizeof buf);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().kind(), ErrorKind::kIo);
}

TEST(BodyTest, StringSinkHonoursLimit) {
  std::string out;
  StringSink sink(&out, 5);
  EXPECT_TRUE(sink.Write("abc", 3).ok());
  EXPECT_FALSE(sink.Write("def", 3).ok());
  sink.Reset();
  EXPECT_TRUE(out.empty());
}

TEST(BodyTest, BufferSinkRefusesOverflow) {
  char buf[4];
  BufferSink sink(buf, sizeof buf);
  EXPECT_TRUE(sink.Write("ab", 2).ok());
  EXPECT_TRUE(sink.Write("cd", 2).ok());
  EXPECT_EQ(sink.size(), 4u);
  EXPECT_FALSE(sink.Write("e", 1).ok());
  sink.Reset();
  EXPECT_EQ(sink.size(), 0u);
}

TEST(BodyTest, FileSinkWritesAtOffset) {
  TempFile f;
  FileSink sink(f.fd(), 2);
  ASSERT_TRUE(sink.Write("xy", 2).ok());
  ASSERT_TRUE(sink.Write("z", 1).ok());
  EXPECT_EQ(sink.written(), 3u);
  char buf[5] = {};
  ASSERT_EQ(pread(f.fd(), buf, 5, 0), 5);
  EXPECT_EQ(std::string(buf + 2, 3), "xyz");
}

}  // namespace
}  // namespace s3core

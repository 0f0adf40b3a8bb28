#include "csi/mount/framing.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <thread>

namespace s3csi {
namespace {

struct SocketPair {
  SocketPair() {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    a.Reset(fds[0]);
    b.Reset(fds[1]);
  }
  UniqueFd a, b;
};

Deadline Soon() { return std::chrono::steady_clock::now() + std::chrono::seconds(5); }

TEST(FramingTest, RoundTripWithDescriptor) {
  SocketPair pair;
  UniqueFd file(open("/dev/null", O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(SendFrame(pair.a.get(), "{\"op\":\"list\"}", file.get(), Soon()).ok());
  auto frame = ReceiveFrame(pair.b.get(), Soon());
  ASSERT_TRUE(frame.ok()) << frame.status().ToString();
  EXPECT_EQ(frame->payload, "{\"op\":\"list\"}");
  ASSERT_TRUE(frame->fd.valid());
  EXPECT_NE(frame->fd.get(), file.get());
  struct stat st1 {}, st2 {};
  ASSERT_EQ(fstat(file.get(), &st1), 0);
  ASSERT_EQ(fstat(frame->fd.get(), &st2), 0);
  EXPECT_EQ(st1.st_rdev, st2.st_rdev);
  EXPECT_EQ(fcntl(frame->fd.get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
}

TEST(FramingTest, LargeFrameAcrossManyReads) {
  SocketPair pair;
  const std::string payload(kMaxFrameBytes, 'x');
  std::thread writer([&] { EXPECT_TRUE(SendFrame(pair.a.get(), payload, -1, Soon()).ok()); });
  auto frame = ReceiveFrame(pair.b.get(), Soon());
  writer.join();
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(frame->payload, payload);
  EXPECT_FALSE(frame->fd.valid());
}

TEST(FramingTest, RefusesOversizedFrames) {
  SocketPair pair;
  EXPECT_FALSE(SendFrame(pair.a.get(), std::string(kMaxFrameBytes + 1, 'x'), -1, Soon()).ok());
  const unsigned char header[4] = {0x7f, 0xff, 0xff, 0xff};
  ASSERT_EQ(write(pair.a.get(), header, 4), 4);
  auto frame = ReceiveFrame(pair.b.get(), Soon());
  EXPECT_EQ(frame.status().kind(), s3core::ErrorKind::kInvalidArgument);
}

TEST(FramingTest, ClosedAndTruncatedAndSilentPeers) {
  {
    SocketPair pair;
    pair.a.Reset();
    EXPECT_EQ(ReceiveFrame(pair.b.get(), Soon()).status().kind(), s3core::ErrorKind::kCancelled);
  }
  {
    SocketPair pair;
    const unsigned char partial[6] = {0, 0, 0, 10, 'a', 'b'};
    ASSERT_EQ(write(pair.a.get(), partial, 6), 6);
    pair.a.Reset();
    EXPECT_EQ(ReceiveFrame(pair.b.get(), Soon()).status().kind(), s3core::ErrorKind::kIo);
  }
  {
    SocketPair pair;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
    EXPECT_EQ(ReceiveFrame(pair.b.get(), deadline).status().kind(), s3core::ErrorKind::kTimeout);
  }
}

}  // namespace
}  // namespace s3csi

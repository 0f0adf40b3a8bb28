#include "csi/cmd/socket_endpoint.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace s3csi {
namespace {

namespace fs = std::filesystem;

TEST(SocketEndpointTest, ParsesUnixEndpoints) {
  EXPECT_EQ(*UnixSocketPath("unix:///csi/csi.sock"), "/csi/csi.sock");
  EXPECT_FALSE(UnixSocketPath("tcp://127.0.0.1:1").ok());
  EXPECT_FALSE(UnixSocketPath("unix://relative.sock").ok());
  EXPECT_FALSE(UnixSocketPath("unix://").ok());
  EXPECT_FALSE(UnixSocketPath("unix:///" + std::string(200, 'a')).ok());
}

TEST(SocketEndpointTest, RemovesOnlyStaleSockets) {
  const fs::path dir = fs::temp_directory_path() / ("s3csi-sock-" + std::to_string(getpid()));
  const std::string sock = (dir / "sub" / "csi.sock").string();
  ASSERT_TRUE(PrepareSocketPath(sock).ok());  // makes the directory
  EXPECT_TRUE(fs::is_directory(dir / "sub"));

  // A socket left behind by a killed process is removed.
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, sock.c_str(), sizeof addr.sun_path - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  close(fd);
  ASSERT_TRUE(fs::exists(sock));
  EXPECT_TRUE(PrepareSocketPath(sock).ok());
  EXPECT_FALSE(fs::exists(sock));

  // Anything else is left alone.
  std::ofstream(sock) << "not a socket";
  EXPECT_FALSE(PrepareSocketPath(sock).ok());
  EXPECT_TRUE(fs::exists(sock));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace s3csi

#include "csi/identity/identity_service.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "csi/identity/probes.h"

namespace s3csi {
namespace {

IdentityOptions Named(const std::string& name, const std::string& version) {
  IdentityOptions options;
  options.driver_name = name;
  options.version = version;
  return options;
}

std::shared_ptr<spdlog::logger> NullLog() {
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

// A listening TCP socket on 127.0.0.1 with a kernel-chosen port.
struct Listener {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int port = 0;
  Listener() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(fd, 4), 0);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ~Listener() { close(fd); }
};

TEST(IdentityServiceTest, InfoAndCapabilities) {
  IdentityService service(Named("s3.csi.s3mount.io", "0.1.0"), NullLog());
  csi::v1::GetPluginInfoResponse info;
  ASSERT_TRUE(service.GetPluginInfo(nullptr, nullptr, &info).ok());
  EXPECT_EQ(info.name(), "s3.csi.s3mount.io");
  EXPECT_EQ(info.vendor_version(), "0.1.0");
  csi::v1::GetPluginCapabilitiesResponse caps;
  ASSERT_TRUE(service.GetPluginCapabilities(nullptr, nullptr, &caps).ok());
  ASSERT_EQ(caps.capabilities_size(), 1);
  EXPECT_EQ(caps.capabilities(0).service().type(), csi::v1::PluginCapability::Service::CONTROLLER_SERVICE);
}

TEST(IdentityServiceTest, DriverNames) {
  EXPECT_TRUE(IsValidDriverName("s3.csi.s3mount.io"));
  EXPECT_FALSE(IsValidDriverName(""));
  EXPECT_FALSE(IsValidDriverName("-bad"));
  EXPECT_FALSE(IsValidDriverName("bad_name"));
  EXPECT_FALSE(IsValidDriverName(std::string(64, 'a')));
}

TEST(IdentityServiceTest, ProbeChecksTheEndpoint) {
  Listener listener;
  IdentityOptions options = Named("d", "v");
  options.controller = true;
  options.s3_endpoint = "http://127.0.0.1:" + std::to_string(listener.port);
  csi::v1::ProbeResponse response;
  ASSERT_TRUE(IdentityService(options, NullLog()).Probe(nullptr, nullptr, &response).ok());
  EXPECT_TRUE(response.ready().value());

  close(listener.fd);
  listener.fd = -1;
  EXPECT_EQ(IdentityService(options, NullLog()).Probe(nullptr, nullptr, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(IdentityServiceTest, ProbeChecksTheMounterSocket) {
  const std::string path = "/tmp/s3csi-probe-" + std::to_string(getpid()) + ".sock";
  IdentityOptions options = Named("d", "v");
  options.node = true;
  options.mounterd_socket = path;
  csi::v1::ProbeResponse response;
  EXPECT_EQ(IdentityService(options, NullLog()).Probe(nullptr, nullptr, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  EXPECT_TRUE(IdentityService(options, NullLog()).Probe(nullptr, nullptr, &response).ok());
  close(fd);
  unlink(path.c_str());
  EXPECT_FALSE(ProbeUnixSocket(path).ok());
}

}  // namespace
}  // namespace s3csi

// s3mount's Prometheus metrics on a real mount against RGW: after some file I/O, /metrics on
// metrics_address shows the S3 requests, the FUSE requests and the data-path gauges, holds no
// credential, and metrics_file has the final numbers after unmount.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "s3core/metrics/test_scrape.h"
#include "tests/mount/mount_harness.h"

namespace s3mount_it {
namespace {

// The value of the sample whose line starts with `series` ("name{labels}"), if present.
std::optional<double> Sample(const std::string& text, const std::string& series) {
  const std::string prefix = series + " ";
  for (size_t pos = 0; pos < text.size();) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    if (text.compare(pos, prefix.size(), prefix) == 0) {
      return std::strtod(text.substr(pos + prefix.size(), eol - pos - prefix.size()).c_str(), nullptr);
    }
    pos = eol + 1;
  }
  return std::nullopt;
}

class MetricsMountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    if (!fixture_.SetUp(reason)) {
      if (s3core::testing::RgwRequired()) FAIL() << reason;
      GTEST_SKIP() << reason;
    }
  }
  void TearDown() override { fixture_.TearDown(); }
  MountFixture fixture_;
};

TEST_F(MetricsMountTest, ScrapeShowsS3AndFuseRequestsAndTheFileKeepsTheLastNumbers) {
  const int port = s3core::metrics::testing::FreeLoopbackPort();
  ASSERT_GT(port, 0);
  const std::string metrics_file = fixture_.work_dir() + "/s3mount.prom";
  ProcessResult mounted =
      fixture_.Mount("metrics_address=127.0.0.1:" + std::to_string(port) + ",metrics_file=" + metrics_file);
  ASSERT_EQ(mounted.exit_code, 0) << mounted.output;

  const std::string data(300 * 1024, 'm');
  ASSERT_TRUE(WriteFile(fixture_.Path("written"), data));
  EXPECT_EQ(ReadFile(fixture_.Path("written")), data);
  struct stat st {};
  EXPECT_NE(stat(fixture_.Path("missing").c_str(), &st), 0);

  auto text = s3core::metrics::testing::Scrape(port);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_GE(Sample(*text, "s3_requests_total{operation=\"PutObject\",outcome=\"ok\"}").value_or(0), 1) << *text;
  EXPECT_GE(Sample(*text, "s3_requests_total{operation=\"HeadBucket\",outcome=\"ok\"}").value_or(0), 1);
  EXPECT_GE(Sample(*text, "s3_request_duration_seconds_count{operation=\"PutObject\"}").value_or(0), 1);
  EXPECT_GE(Sample(*text, "s3_bytes_sent_total").value_or(0), static_cast<double>(data.size()));
  EXPECT_GE(Sample(*text, "s3mount_fuse_requests_total{op=\"write\",result=\"ok\"}").value_or(0), 1);
  EXPECT_GE(Sample(*text, "s3mount_fuse_requests_total{op=\"lookup\",result=\"ENOENT\"}").value_or(0), 1);
  EXPECT_GE(Sample(*text, "s3mount_fuse_request_duration_seconds_count{op=\"write\"}").value_or(0), 1);
  EXPECT_GT(Sample(*text, "s3mount_memory_limit_bytes").value_or(0), 0);
  EXPECT_EQ(Sample(*text, "s3mount_open_files"), 0);
  // Labels are operation names and outcomes: no key, secret, bucket or object name.
  EXPECT_EQ(text->find(fixture_.env().secret_key), std::string::npos);
  EXPECT_EQ(text->find(fixture_.env().access_key), std::string::npos);
  EXPECT_EQ(text->find(fixture_.bucket()), std::string::npos);
  EXPECT_EQ(text->find("written"), std::string::npos);

  ASSERT_TRUE(fixture_.Unmount());
  // s3mount writes the file a last time on its way out, after the unmount.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string final_text;
  while (std::chrono::steady_clock::now() < deadline) {
    final_text = ReadFile(metrics_file);
    if (Sample(final_text, "s3mount_fuse_requests_total{op=\"write\",result=\"ok\"}").has_value()) break;
    usleep(20'000);
  }
  EXPECT_GE(Sample(final_text, "s3_requests_total{operation=\"PutObject\",outcome=\"ok\"}").value_or(0), 1)
      << final_text;
  ASSERT_EQ(stat(metrics_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(MetricsMountTest, AMetricsPortInUseFailsTheMountWithTheReason) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ProcessResult mounted = fixture_.Mount("metrics_address=127.0.0.1:" + std::to_string(ntohs(address.sin_port)));
  close(fd);
  EXPECT_EQ(mounted.exit_code, 1);
  EXPECT_NE(mounted.output.find("in use"), std::string::npos) << mounted.output;
  EXPECT_FALSE(IsMounted(fixture_.mountpoint()));
}

}  // namespace
}  // namespace s3mount_it

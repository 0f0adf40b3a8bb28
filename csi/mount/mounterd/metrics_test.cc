// mounterd's metrics: its own counters, and its children's files merged with volume labels into
// one valid exposition.
#include "csi/mount/mounterd/metrics.h"

#include <gtest/gtest.h>
#include <prometheus/histogram.h>
#include <prometheus/text_serializer.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "s3core/metrics/text_exposition.h"
#include "s3core/metrics/text_file.h"

namespace s3csi::mounterd {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

// What an s3mount child writes: a counter and a histogram.
std::string ChildText(double requests) {
  auto registry = std::make_shared<prometheus::Registry>();
  prometheus::BuildCounter()
      .Name("s3_requests_total")
      .Help("S3 requests")
      .Register(*registry)
      .Add({{"operation", "GetObject"}, {"outcome", "ok"}})
      .Increment(requests);
  prometheus::BuildHistogram()
      .Name("s3_request_duration_seconds")
      .Help("latency")
      .Register(*registry)
      .Add({{"operation", "GetObject"}}, prometheus::Histogram::BucketBoundaries{0.1})
      .Observe(0.05);
  return s3core::metrics::SerializeText({registry});
}

class MounterdMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("mounterd-metrics-test-" + std::to_string(getpid()))).string();
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A live process to stand for a child (ChildStarting ignores pids that are gone).
  pid_t LivePid() const { return getpid(); }
  std::string dir_;
};

TEST_F(MounterdMetricsTest, PrepareMakesAPrivateDirectoryAndClearsOldFiles) {
  ASSERT_TRUE(std::filesystem::create_directories(dir_));
  ASSERT_TRUE(s3core::metrics::WriteFileAtomically(dir_ + "/old.prom", "x 1\n").ok());
  chmod(dir_.c_str(), 0755);
  MounterdMetrics metrics(dir_);
  ASSERT_TRUE(metrics.Prepare().ok());
  EXPECT_TRUE(std::filesystem::is_empty(dir_));
  std::filesystem::remove_all(dir_);
  ASSERT_TRUE(metrics.Prepare().ok());
  struct stat st {};
  ASSERT_EQ(stat(dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_NE(metrics.NextChildFile(), metrics.NextChildFile());
}

TEST_F(MounterdMetricsTest, MergesChildrenWithVolumeLabelsAndOneHeaderPerFamily) {
  MounterdMetrics metrics(dir_);
  ASSERT_TRUE(metrics.Prepare().ok());
  const std::string a = metrics.NextChildFile(), b = metrics.NextChildFile();
  ASSERT_TRUE(s3core::metrics::WriteFileAtomically(a, ChildText(3)).ok());
  ASSERT_TRUE(s3core::metrics::WriteFileAtomically(b, ChildText(5)).ok());
  // Two children need two live pids: this process and its parent.
  metrics.ChildStarting(getpid(), "vol-a", a);
  metrics.ChildStarting(getppid(), "vol-b", b);
  metrics.ChildStarting(getpid() + 1'000'000, "never-seen", dir_ + "/x.prom");  // reaped already: ignored
  metrics.StartSucceeded();
  metrics.StartFailed("AccessDenied");

  const std::string text = s3core::metrics::SerializeFamilies(metrics.Collect());
  EXPECT_EQ(Count(text, "# TYPE s3_requests_total counter"), 1u) << text;
  EXPECT_EQ(Count(text, "# HELP s3_request_duration_seconds"), 1u);
  const std::string pid_a = std::to_string(getpid()), pid_b = std::to_string(getppid());
  EXPECT_EQ(Count(text, "s3_requests_total{operation=\"GetObject\",outcome=\"ok\",pid=\"" + pid_a +
                            "\",volume_id=\"vol-a\"} 3"),
            1u);
  EXPECT_EQ(Count(text, "s3_requests_total{operation=\"GetObject\",outcome=\"ok\",pid=\"" + pid_b +
                            "\",volume_id=\"vol-b\"} 5"),
            1u);
  EXPECT_EQ(Count(text, "mounterd_children 2"), 1u);
  EXPECT_EQ(Count(text, "mounterd_mounts_started_total 1"), 1u);
  EXPECT_EQ(Count(text, "mounterd_mount_failures_total{kind=\"AccessDenied\"} 1"), 1u);
  // Valid exposition: it parses, and serializes back to the same text.
  auto parsed = s3core::metrics::ParseTextExposition(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(s3core::metrics::SerializeFamilies(*parsed), text);

  // An exit counts by reason, drops the child's series and deletes its file.
  metrics.ChildExited(getpid(), 9);  // killed by SIGKILL
  const std::string after = s3core::metrics::SerializeFamilies(metrics.Collect());
  EXPECT_EQ(Count(after, "volume_id=\"vol-a\""), 0u) << after;
  EXPECT_GT(Count(after, "volume_id=\"vol-b\""), 0u);
  EXPECT_EQ(Count(after, "mounterd_child_exits_total{reason=\"SIGKILL\"} 1"), 1u);
  EXPECT_EQ(Count(after, "mounterd_children 1"), 1u);
  EXPECT_FALSE(std::filesystem::exists(a));
}

TEST_F(MounterdMetricsTest, AChildWithoutAFileYetOrABadFileIsSkipped) {
  MounterdMetrics metrics(dir_);
  ASSERT_TRUE(metrics.Prepare().ok());
  metrics.ChildStarting(getpid(), "vol-a", metrics.NextChildFile());  // not written yet
  const std::string bad = metrics.NextChildFile();
  ASSERT_TRUE(s3core::metrics::WriteFileAtomically(bad, "garbage{ 1\n").ok());
  metrics.ChildStarting(getppid(), "vol-b", bad);
  const std::string text = s3core::metrics::SerializeFamilies(metrics.Collect());
  EXPECT_EQ(text.find("volume_id"), std::string::npos) << text;
  EXPECT_NE(text.find("mounterd_children 2"), std::string::npos);
}

TEST(MounterdExitReasonTest, Reasons) {
  EXPECT_EQ(MounterdMetrics::ExitReason(0), "exit_0");
  EXPECT_EQ(MounterdMetrics::ExitReason(1 << 8), "exit_1");
  EXPECT_EQ(MounterdMetrics::ExitReason(SIGTERM), "SIGTERM");
}

}  // namespace
}  // namespace s3csi::mounterd

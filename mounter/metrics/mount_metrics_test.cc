// s3mount's metrics without a kernel: FileSystem::stats() over the in-memory store, the FUSE
// observer's labels, and MountMetrics writing its file and serving /metrics.
#include "mounter/metrics/mount_metrics.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mounter/fs/fs_test_util.h"
#include "mounter/metrics/fuse_metrics.h"
#include "s3core/metrics/test_scrape.h"

namespace mounter {
namespace {

using testing::kBucket;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool Has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

TEST(FuseMetricsTest, ResultLabelsAreErrnoNames) {
  EXPECT_EQ(FuseMetrics::ResultLabel(0), "ok");
  EXPECT_EQ(FuseMetrics::ResultLabel(ENOENT), "ENOENT");
  EXPECT_EQ(FuseMetrics::ResultLabel(EIO), "EIO");
  EXPECT_EQ(FuseMetrics::ResultLabel(99999), "E99999");
}

class MountMetricsTest : public testing::FsTest {
 protected:
  void SetUp() override {
    FsTest::SetUp();
    dir_ = std::filesystem::temp_directory_path() / ("mount-metrics-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(MountMetricsTest, StatsCountOpenFilesAndTheBudget) {
  FsConfig config = testing::TestConfig();
  config.memory_limit = 64 << 20;
  FileSystem& fs = Fs(config);
  ASSERT_TRUE(fs.Init().ok());
  auto created = fs.Create(kRootIno, "f", 0644, O_WRONLY | O_CREAT, user_);
  ASSERT_TRUE(created.ok());
  FsStats stats = fs.stats();
  EXPECT_EQ(stats.open_files, 1u);
  EXPECT_EQ(stats.open_handles, 1u);
  EXPECT_EQ(stats.memory_limit, 64u << 20);
  EXPECT_FALSE(stats.data_cache_enabled);
  ASSERT_TRUE(fs.Release(created->entry.ino, created->fh).ok());
  stats = fs.stats();
  EXPECT_EQ(stats.open_files, 0u);
  EXPECT_EQ(stats.open_handles, 0u);
  EXPECT_EQ(stats.background_tasks, 0u);

  const auto families = FsStatsCollector::Families(stats);
  ASSERT_FALSE(families.empty());
  for (const auto& family : families) EXPECT_EQ(family.name.find("data_cache"), std::string::npos) << family.name;
}

TEST_F(MountMetricsTest, WritesTheFileAndServesEverySource) {
  FileSystem& fs = Fs();
  MetricsExportOptions options;
  options.address = "127.0.0.1:0";
  options.file = (dir_ / "m.prom").string();
  options.file_interval = std::chrono::hours(1);
  MountMetrics metrics;
  auto exported = metrics.Export(options, fs);
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  s3core::RequestEvent event;
  event.operation = "PutObject";
  metrics.s3_observer()->OnRequest(event);
  metrics.fuse_observer()->OnFuseOp("write", 0, std::chrono::microseconds(30));
  metrics.fuse_observer()->OnFuseOp("lookup", ENOENT, std::chrono::microseconds(30));

  auto scraped = s3core::metrics::testing::Scrape((*exported)->port());
  ASSERT_TRUE(scraped.ok()) << scraped.status().ToString();
  EXPECT_TRUE(Has(*scraped, "s3_requests_total{operation=\"PutObject\",outcome=\"ok\"} 1")) << *scraped;
  EXPECT_TRUE(Has(*scraped, "s3mount_fuse_requests_total{op=\"write\",result=\"ok\"} 1"));
  EXPECT_TRUE(Has(*scraped, "s3mount_fuse_requests_total{op=\"lookup\",result=\"ENOENT\"} 1"));
  EXPECT_TRUE(Has(*scraped, "s3mount_memory_limit_bytes "));

  EXPECT_FALSE(Has(ReadFile(options.file), "PutObject"));  // written at Start, before the request
  (*exported)->Stop();
  EXPECT_TRUE(Has(ReadFile(options.file), "s3_requests_total{operation=\"PutObject\",outcome=\"ok\"} 1"));
}

TEST_F(MountMetricsTest, AnUnwritableFileOrATakenPortFailsStart) {
  FileSystem& fs = Fs();
  MountMetrics metrics;
  EXPECT_FALSE(metrics.Export({"", (dir_ / "missing" / "m.prom").string()}, fs).ok());

  auto first = metrics.Export({"127.0.0.1:0", ""}, fs);
  ASSERT_TRUE(first.ok());
  auto second = metrics.Export({"127.0.0.1:" + std::to_string((*first)->port()), ""}, fs);
  ASSERT_FALSE(second.ok());
  const s3core::Status status = second.status();
  EXPECT_TRUE(Has(status.message(), "in use")) << status.ToString();
}

}  // namespace
}  // namespace mounter

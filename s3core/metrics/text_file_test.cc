#include "s3core/metrics/text_file.h"

#include <gtest/gtest.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace s3core::metrics {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class TextFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("s3core-metrics-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(TextFileTest, WritesAtomicallyWithMode0644AndNoLeftovers) {
  const std::string path = (dir_ / "m.prom").string();
  ASSERT_TRUE(WriteFileAtomically(path, "a 1\n").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "a 2\n").ok());
  EXPECT_EQ(ReadFile(path), "a 2\n");
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);
}

TEST_F(TextFileTest, MissingDirectoryIsAnError) {
  auto status = WriteFileAtomically((dir_ / "no" / "m.prom").string(), "x");
  EXPECT_EQ(status.kind(), ErrorKind::kIo);
}

TEST_F(TextFileTest, PeriodicWriterWritesTheLastValuesWhenStopped) {
  auto registry = std::make_shared<prometheus::Registry>();
  auto& gauge = prometheus::BuildGauge().Name("g").Help("a gauge").Register(*registry).Add({});
  const std::string path = (dir_ / "p.prom").string();
  PeriodicTextFile writer(path, {registry}, std::chrono::hours(1));
  ASSERT_TRUE(writer.WriteNow().ok());
  EXPECT_NE(ReadFile(path).find("g 0"), std::string::npos);
  writer.Start();
  gauge.Set(42);
  writer.Stop();
  EXPECT_NE(ReadFile(path).find("g 42"), std::string::npos) << ReadFile(path);
}

TEST_F(TextFileTest, PeriodicWriterRewritesTheFile) {
  auto registry = std::make_shared<prometheus::Registry>();
  auto& gauge = prometheus::BuildGauge().Name("g").Help("a gauge").Register(*registry).Add({});
  const std::string path = (dir_ / "p.prom").string();
  PeriodicTextFile writer(path, {registry}, std::chrono::milliseconds(10));
  writer.Start();
  gauge.Set(7);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (ReadFile(path).find("g 7") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_NE(ReadFile(path).find("g 7"), std::string::npos);
}

}  // namespace
}  // namespace s3core::metrics

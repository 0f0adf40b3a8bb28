#include "s3core/metrics/metrics_server.h"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "s3core/metrics/test_scrape.h"

namespace s3core::metrics {
namespace {

TEST(ParseListenAddressTest, AcceptsIpAndPortForms) {
  EXPECT_EQ(*ParseListenAddress("127.0.0.1:9464"), "127.0.0.1:9464");
  EXPECT_EQ(*ParseListenAddress(":9812"), "0.0.0.0:9812");
  EXPECT_EQ(*ParseListenAddress("[::1]:80"), "[::1]:80");
  for (const char* bad : {"9464", "127.0.0.1:", "127.0.0.1:99999", "localhost:80", "1.2.3.4:8a"}) {
    auto parsed = ParseListenAddress(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidArgument);
  }
}

TEST(MetricsServerTest, ServesTheRegistryAndRefusesATakenPort) {
  auto registry = std::make_shared<prometheus::Registry>();
  prometheus::BuildCounter().Name("test_things_total").Help("things").Register(*registry).Add({}).Increment(3);
  auto server = MetricsServer::Start("127.0.0.1:0", {registry});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int port = (*server)->port();
  ASSERT_GT(port, 0);
  auto text = testing::Scrape(port);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE(text->find("test_things_total 3"), std::string::npos) << *text;

  auto second = MetricsServer::Start("127.0.0.1:" + std::to_string(port), {registry});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("in use"), std::string::npos) << second.status().ToString();
}

}  // namespace
}  // namespace s3core::metrics

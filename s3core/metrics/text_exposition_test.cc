#include "s3core/metrics/text_exposition.h"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <cmath>
#include <sstream>

#include "s3core/metrics/text_file.h"

namespace s3core::metrics {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

std::shared_ptr<prometheus::Registry> SampleRegistry(double scale) {
  auto registry = std::make_shared<prometheus::Registry>();
  auto& counters = prometheus::BuildCounter().Name("ops_total").Help("operations").Register(*registry);
  counters.Add({{"op", "read"}}).Increment(3 * scale);
  counters.Add({{"op", "we\"ird\\\nvalue"}}).Increment(1);
  prometheus::BuildGauge().Name("open_files").Help("open files now").Register(*registry).Add({}).Set(2 * scale);
  auto& histogram = prometheus::BuildHistogram()
                        .Name("latency_seconds")
                        .Help("latency")
                        .Register(*registry)
                        .Add({{"op", "read"}}, prometheus::Histogram::BucketBoundaries{0.1, 1});
  histogram.Observe(0.05 * scale);
  histogram.Observe(0.5);
  histogram.Observe(5);
  return registry;
}

TEST(TextExpositionTest, RoundTripsWhatPrometheusCppWrites) {
  const std::string text = SerializeText({SampleRegistry(1)});
  auto families = ParseTextExposition(text);
  ASSERT_TRUE(families.ok()) << families.status().ToString();
  ASSERT_EQ(families->size(), 3u);
  EXPECT_EQ(SerializeFamilies(*families), text);
  const auto& histogram = (*families)[2];
  EXPECT_EQ(histogram.type, prometheus::MetricType::Histogram);
  ASSERT_EQ(histogram.metric.size(), 1u);
  EXPECT_EQ(histogram.metric[0].histogram.sample_count, 3u);
  ASSERT_EQ(histogram.metric[0].histogram.bucket.size(), 3u);  // 0.1, 1, +Inf
  EXPECT_EQ(histogram.metric[0].histogram.bucket[1].cumulative_count, 2u);
}

TEST(TextExpositionTest, MergeAddsTheSourceLabelsAndKeepsOneHeaderPerFamily) {
  std::vector<LabeledFamilies> sources;
  for (const char* volume : {"vol-a", "vol-b"}) {
    auto families = ParseTextExposition(SerializeText({SampleRegistry(2)}));
    ASSERT_TRUE(families.ok());
    sources.push_back({{{"volume_id", volume}}, std::move(families).value()});
  }
  const std::string merged = SerializeFamilies(MergeFamilies(sources));
  EXPECT_EQ(Count(merged, "# TYPE ops_total counter"), 1u) << merged;
  EXPECT_EQ(Count(merged, "# HELP latency_seconds"), 1u);
  EXPECT_EQ(Count(merged, "# TYPE latency_seconds histogram"), 1u);
  EXPECT_NE(merged.find("ops_total{op=\"read\",volume_id=\"vol-a\"} 6"), std::string::npos) << merged;
  EXPECT_NE(merged.find("ops_total{op=\"read\",volume_id=\"vol-b\"} 6"), std::string::npos);
  EXPECT_NE(merged.find("open_files{volume_id=\"vol-b\"} 4"), std::string::npos);
  EXPECT_NE(merged.find("latency_seconds_bucket{op=\"read\",volume_id=\"vol-a\",le=\"+Inf\"} 3"), std::string::npos);
  // The merged text is itself valid: it parses again, and to the same text.
  auto again = ParseTextExposition(merged);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(SerializeFamilies(*again), merged);
}

TEST(TextExpositionTest, AddedLabelReplacesAnExistingOne) {
  auto families = ParseTextExposition("# TYPE x gauge\nx{volume_id=\"forged\",a=\"1\"} 5\n");
  ASSERT_TRUE(families.ok());
  const std::string merged = SerializeFamilies(MergeFamilies({{{{"volume_id", "real"}}, *families}}));
  EXPECT_NE(merged.find("x{a=\"1\",volume_id=\"real\"} 5"), std::string::npos) << merged;
  EXPECT_EQ(merged.find("forged"), std::string::npos);
}

TEST(TextExpositionTest, ATypeConflictKeepsTheFirstSource) {
  auto a = ParseTextExposition("# TYPE x counter\nx 1\n");
  auto b = ParseTextExposition("# TYPE x gauge\nx 2\n");
  ASSERT_TRUE(a.ok() && b.ok());
  const auto merged = MergeFamilies({{{{"s", "a"}}, *a}, {{{"s", "b"}}, *b}});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].type, prometheus::MetricType::Counter);
  EXPECT_EQ(merged[0].metric.size(), 1u);
}

TEST(TextExpositionTest, UntypedSamplesAndTimestamps) {
  auto families = ParseTextExposition("# a comment\n\nfoo{a=\"b\",} 1.5 1700000000000\nbar +Inf\n");
  ASSERT_TRUE(families.ok()) << families.status().ToString();
  ASSERT_EQ(families->size(), 2u);
  EXPECT_EQ((*families)[0].metric[0].untyped.value, 1.5);
  EXPECT_EQ((*families)[0].metric[0].timestamp_ms, 1700000000000);
  EXPECT_TRUE(std::isinf((*families)[1].metric[0].untyped.value));
}

TEST(TextExpositionTest, MalformedLinesAreErrorsWithTheirNumber) {
  for (const char* bad : {"x{a=\"1\" 1\n", "x one\n", "# TYPE x widget\n", "{a=\"1\"} 1\n", "x{a=1} 1\n",
                          "# TYPE h histogram\nh_bucket 1\n"}) {
    auto families = ParseTextExposition(bad);
    ASSERT_FALSE(families.ok()) << bad;
    EXPECT_NE(families.status().message().find("line"), std::string::npos);
  }
}

}  // namespace
}  // namespace s3core::metrics
